"""summary: summarise the main story of the article in at most ``max_words`` words.

Golden item: the ``summary`` rubric (``harness.goldens.SummaryRubric``), one per golden. Output:
``SummaryOutput``. Metrics: summary_coverage (weighted share of key facts stated) and
summary_forbidden_rate. An item's score is its coverage (the task is graded).

Verdicts: weighted key-fact coverage, forbidden facts, grounding, length. A key fact counts
as covered when every one of its ``require`` OR-groups has a word in the summary (word
boundaries, after normalisation). The summary item is ``correct`` when weighted coverage >=
SUMMARY_PASS_COVERAGE, no forbidden fact is stated and the summary keeps to ``max_words``;
the numbers behind that are kept in the verdict's details for the report.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from harness.matching.evidence import is_grounded
from harness.matching.sentences import told_once
from harness.matching.text import contains_phrase
from harness.stats import Estimate, bootstrap, mean, proportion
from harness.tasks.base import (
    ITEM_ID,
    GoldenItem,
    ItemView,
    RequireGroups,
    TaskItem,
    clusters,
    field_text,
    require_groups,
)
from harness.types import CoverageDetails, Details, ItemOutcome, Verdict, WorkItem

if TYPE_CHECKING:
    from harness.goldens import Golden

SUMMARY_PASS_COVERAGE = 0.5


class _Requires(GoldenItem):
    """A fact matched in a summary: ``require`` is an AND of OR-groups of words."""

    id: str = ITEM_ID
    fact: str = Field(min_length=1)
    require: RequireGroups = Field(min_length=1)

    @field_validator("require", mode="before")
    @classmethod
    def _words(cls, value: Any) -> Any:
        return require_groups(value)


class SummaryFact(_Requires):
    """A fact a summary must state, matched on word boundaries after normalisation."""

    weight: float = Field(default=1, gt=0)


class ForbiddenFact(_Requires):
    """A false assertion about the main story; a summary that makes it is penalised."""


class SummaryRubric(GoldenItem):
    """What a faithful summary of the main story must and must not contain."""

    max_words: int = Field(gt=0)
    key_facts: tuple[SummaryFact, ...] = Field(min_length=1)
    forbidden: tuple[ForbiddenFact, ...] = ()
    tags: tuple[str, ...] = ()  # the summary item's tags, beside "summary"


class KeyPoint(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    point: str
    evidence: str


class SummaryOutput(BaseModel):
    """A summary of the main story with the quotes that ground its points."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    summary: str
    key_points: list[KeyPoint]


def states(text: str, fact: SummaryFact | ForbiddenFact) -> bool:
    """Does ``text`` satisfy every OR-group of ``fact.require``?"""
    return all(any(contains_phrase(text, word) for word in group) for group in fact.require)


def score_summary(rubric: SummaryRubric, out: SummaryOutput, seed_text: str) -> Verdict:
    """The verdict on one summary, with coverage, forbidden hits, grounding and length."""
    covered = [k.id for k in rubric.key_facts if states(out.summary, k)]
    total = sum(k.weight for k in rubric.key_facts)
    coverage = sum(k.weight for k in rubric.key_facts if k.id in covered) / total
    forbidden = [f.id for f in rubric.forbidden if states(out.summary, f)]
    words = len(out.summary.split())
    grounded = [is_grounded(p.evidence, seed_text) for p in out.key_points]
    judged = [g for g in grounded if g is not None]
    details = CoverageDetails(
        coverage=round(coverage, 4),
        covered=tuple(covered),
        missed=tuple(k.id for k in rubric.key_facts if k.id not in covered),
        forbidden_hits=tuple(forbidden),
        words=words,
        within_length=words <= rubric.max_words,
        key_points=len(out.key_points),
        grounded_points=sum(judged),
    )
    problems = []
    if coverage < SUMMARY_PASS_COVERAGE:
        problems.append(f"covers {coverage:.0%} of key facts (< {SUMMARY_PASS_COVERAGE:.0%})")
    if forbidden:
        problems.append(f"states forbidden fact {forbidden[0]}")
    if words > rubric.max_words:
        problems.append(f"{words} words > {rubric.max_words}")
    grounded_all = all(judged) if judged else None
    if problems:
        return Verdict(outcome="incorrect", reason="; ".join(problems), grounded=grounded_all, details=details)
    return Verdict(
        outcome="correct", reason=f"covers {coverage:.0%} of key facts", grounded=grounded_all, details=details
    )


def _coverage(r: ItemOutcome) -> CoverageDetails:
    assert isinstance(r.details, CoverageDetails), f"a judged {r.task} result without its coverage"
    return r.details


class Summary:
    """The summary task (see the module docstring)."""

    name = "summary"
    output = SummaryOutput
    max_tokens = 512
    slots = frozenset({"max_words"})
    metric_info = MappingProxyType(
        {
            "summary_coverage": ("weighted share of key facts a summary states", True),
            "summary_forbidden_rate": ("summaries stating a forbidden fact", False),
        }
    )
    graded = True

    def describe(self, golden: Golden) -> str:
        rubric = golden.summary
        if rubric is None:
            return "no summary rubric"
        return f"{len(rubric.key_facts)} key facts, {len(rubric.forbidden)} forbidden"

    def items(self, golden: Golden) -> Iterator[TaskItem]:
        if golden.summary is not None:
            tags = ("summary", *(t for t in golden.summary.tags if t != "summary"))
            yield TaskItem(id="summary", subject="", tags=tags, slots={"max_words": golden.summary.max_words})

    def judge(self, golden: Golden, item_id: str, output: Any, article: str) -> Verdict:
        if golden.summary is None:
            raise KeyError(item_id)
        return score_summary(golden.summary, output, article)

    def metrics(self, judged: Sequence[ItemOutcome]) -> dict[str, Estimate]:
        return {
            "summary_coverage": bootstrap(clusters(judged, lambda r: _coverage(r).coverage), mean),
            "summary_forbidden_rate": proportion(clusters(judged, lambda r: bool(_coverage(r).forbidden_hits))),
        }

    def checks(self, details: Details) -> dict[str, bool]:
        return {}

    def view(self, golden: Golden, item_id: str) -> ItemView | None:
        if golden.summary is None:
            return None
        facts = "; ".join(k.fact for k in golden.summary.key_facts)
        return ItemView(
            question=f"Summarise the main story in at most {golden.summary.max_words} words",
            expected=f"key facts: {facts}",
        )

    def answer_text(self, parsed: Mapping[str, Any]) -> str | None:
        return field_text(parsed, "summary")

    def evidence_text(self, parsed: Mapping[str, Any]) -> str | None:
        points = parsed.get("key_points")
        return None if points is None else " | ".join(str(p.get("evidence", "")) for p in points)

    def baseline(self, item: WorkItem) -> dict[str, Any]:
        """The story's long sentences in order up to max_words, leaving out what the page repeats."""
        limit = item.max_words or 120
        words: list[str] = []
        points = []
        for sentence in (s for s in told_once(item.article) if len(s.split()) >= 12):
            if len(words) + len(sentence.split()) > limit:
                break
            words += sentence.split()
            points.append({"point": sentence, "evidence": sentence})
        return {"summary": " ".join(words), "key_points": points}


TASK = Summary()
