"""summary: summarise the main story of the article in at most ``max_words`` words.

Golden item: the ``summary`` rubric (``harness.goldens.SummaryRubric``), one per golden. Output:
``SummaryOutput``. Metrics: summary_coverage (weighted share of key facts stated),
summary_forbidden_rate, summary_swap_rate, summary_faithfulness and summary_length_compliance. An item's score is its
coverage (the task is graded).

Verdicts, all kept in the verdict's details for the report:
- key facts, sentence by sentence (``harness.matching.facts``): a fact is stated when one sentence of
  the summary has a word of every OR-group of its ``require`` (a fact of ``scope: text`` may take them
  from the whole summary); numbers are read as numbers ("12" is "twelve" and "a dozen", never "120")
  and words in their inflected forms ("injure" is "injuries"). The sentence is kept;
- forbidden facts, the same way;
- swapped numbers (``harness.matching.swaps``): a clause that puts a key fact's words with the number
  the goldens give for another quantity ("killed 90" when 12 were killed and 90 injured); a swapped
  fact is not covered;
- faithfulness by rules (``harness.matching.faithful``): numbers and names the article does not state
  (names the goldens know count as stated), and statements given to a speaker the article does not give
  them to (``harness.matching.attribution``: "Støre said Putin should 'stop lying'" when Macron said it);
- grounding of the key points' evidence, and the length.
The item is ``correct`` when weighted coverage >= SUMMARY_PASS_COVERAGE, no forbidden fact is stated,
no number is swapped, nothing is unsupported and the summary keeps to ``max_words``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from harness.matching.attribution import misattributed
from harness.matching.evidence import is_grounded
from harness.matching.facts import Scope, nearest_sentence, split_sentences, stating_sentence
from harness.matching.faithful import unsupported_names, unsupported_numbers
from harness.matching.numbers import parse_numbers
from harness.matching.sentences import told_once
from harness.matching.swaps import number_of, swapped
from harness.outcomes import ItemOutcome, Outcomes
from harness.stats import Estimate, cluster_mean, proportion
from harness.tasks.base import (
    ITEM_ID,
    GoldenItem,
    ItemView,
    RequireGroups,
    Reviewable,
    TaskItem,
    field_text,
    find,
    require_groups,
)
from harness.tasks.typed import number_values
from harness.types import CoverageDetails, Details, Verdict, WorkItem

if TYPE_CHECKING:
    from harness.goldens import Golden

SUMMARY_PASS_COVERAGE = 0.5


class _Requires(Reviewable):
    """A fact matched in a summary: ``require`` is an AND of OR-groups of words."""

    id: str = ITEM_ID
    fact: str = Field(min_length=1)
    require: RequireGroups = Field(min_length=1)
    scope: Scope = "sentence"  # "text": the groups may be stated in different sentences
    exact: bool = False  # words match as written, not in their inflected forms

    @field_validator("require", mode="before")
    @classmethod
    def _words(cls, value: Any) -> Any:
        return require_groups(value)


class SummaryFact(_Requires):
    """A fact a summary must state, matched on word boundaries after normalisation."""

    weight: float = Field(default=1, gt=0)


class ForbiddenFact(_Requires):
    """A false assertion about the main story; a summary that makes it is penalised."""


MAIN_STORY = "the main story of the article above"


class SummaryRubric(GoldenItem):
    """One summary item: what to summarise (``focus``), in how many words (and sentences), and what a
    faithful summary of it must and must not state. A golden's ``summary:`` section is the item
    ``summary``; ``summaries:`` lists more."""

    id: str = Field(default="summary", pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=80)
    focus: str = Field(default=MAIN_STORY, min_length=1)  # fills "Summarise {{focus}} in at most N words"
    max_words: int = Field(gt=0)
    max_sentences: int | None = Field(default=None, gt=0)
    key_facts: tuple[SummaryFact, ...] = Field(min_length=1)
    forbidden: tuple[ForbiddenFact, ...] = ()
    tags: tuple[str, ...] = ()  # the summary item's tags, beside "summary"

    def within_budget(self, text: str) -> bool:
        return len(text.split()) <= self.max_words and (
            self.max_sentences is None or len(split_sentences(text)) <= self.max_sentences
        )

    @property
    def budget(self) -> str:
        """The budget as a reader says it: "at most 60 words", "one sentence of at most 35 words"."""
        if self.max_sentences == 1:
            return f"one sentence of at most {self.max_words} words"
        sentences = f"{self.max_sentences} sentences and " if self.max_sentences else ""
        return f"at most {sentences}{self.max_words} words"


def all_summaries(golden: Golden) -> tuple[SummaryRubric, ...]:
    """Every summary item of a golden: its ``summary:`` section (the item ``summary``), then ``summaries:``."""
    return ((golden.summary,) if golden.summary is not None else ()) + golden.summaries


class KeyPoint(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    point: str
    evidence: str


class SummaryOutput(BaseModel):
    """A summary of the main story with the quotes that ground its points."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    summary: str
    key_points: list[KeyPoint]


def stated_in(text: str, fact: _Requires) -> str | None:
    """The sentence of ``text`` that states ``fact`` (see the module docstring); None if none does."""
    return stating_sentence(fact.require, text, fact.scope, inflect=not fact.exact)


def states(text: str, fact: _Requires) -> bool:
    """Does ``text`` state ``fact``?"""
    return stated_in(text, fact) is not None


def score_summary(
    rubric: SummaryRubric,
    out: SummaryOutput,
    seed_text: str,
    known: Iterable[str] = (),
    quantities: Collection[float] = (),
    binders: Sequence[SummaryFact] = (),
) -> Verdict:
    """The verdict on one summary: coverage, forbidden facts, swapped numbers, unsupported numbers and names,
    grounding, length (``known``: names the goldens give, which count as stated; ``quantities``: every
    number the goldens give, for swaps; ``binders``: the golden's other key facts, whose numbers a summary
    may swap too: "90 killed" in a summary of what Trump said)."""
    sentences, swaps, covered, nearest = _facts(rubric, out.summary, quantities, binders)
    total = sum(k.weight for k in rubric.key_facts)
    coverage = sum(k.weight for k in rubric.key_facts if k.id in covered) / total
    words = len(out.summary.split())
    judged = [g for p in out.key_points if (g := is_grounded(p.evidence, seed_text)) is not None]
    details = CoverageDetails(
        coverage=round(coverage, 4),
        covered=tuple(covered),
        missed=tuple(k.id for k in rubric.key_facts if k.id not in covered),
        forbidden_hits=tuple(f.id for f in rubric.forbidden if f.id in sentences),
        words=words,
        within_length=rubric.within_budget(out.summary),
        key_points=len(out.key_points),
        grounded_points=sum(judged),
        sentences=sentences,
        swaps=swaps,
        nearest=nearest,
        unsupported_numbers=tuple(unsupported_numbers(out.summary, seed_text)),
        unsupported_names=tuple(unsupported_names(out.summary, seed_text, known)),
        misattributed=misattributed(out.summary, seed_text),
    )
    problems = _problems(details, coverage, rubric)
    grounded_all = all(judged) if judged else None
    if problems:
        return Verdict(outcome="incorrect", reason="; ".join(problems), grounded=grounded_all, details=details)
    return Verdict(
        outcome="correct", reason=f"covers {coverage:.0%} of key facts", grounded=grounded_all, details=details
    )


def _facts(
    rubric: SummaryRubric, text: str, quantities: Collection[float], binders: Sequence[SummaryFact]
) -> tuple[dict[str, str], dict[str, str], list[str], dict[str, str]]:
    """The sentence stating each fact (key or forbidden), the swapped key facts with their clause, the key
    facts covered (stated and not swapped), and the sentence nearest each key fact not covered."""
    sentences = {f.id: found for f in (*rubric.key_facts, *rubric.forbidden) if (found := stated_in(text, f))}
    facts = {k.id: k for k in (*rubric.key_facts, *binders)}.values()
    swaps = {k.id: clause for k in facts if (clause := swapped(k.require, quantities, text))}
    covered = [k.id for k in rubric.key_facts if k.id in sentences and k.id not in swaps]
    missed = [k for k in rubric.key_facts if k.id not in covered]
    nearest = {k.id: near for k in missed if (near := nearest_sentence(k.require, text))}
    return sentences, swaps, covered, nearest


def _problems(d: CoverageDetails, coverage: float, rubric: SummaryRubric) -> list[str]:
    """Why a summary fails, in the order a reader checks: coverage, forbidden facts, swaps, faithfulness, length."""
    problems = []
    if coverage < SUMMARY_PASS_COVERAGE:
        problems.append(f"covers {coverage:.0%} of key facts (< {SUMMARY_PASS_COVERAGE:.0%})")
    if d.forbidden_hits:
        first = d.forbidden_hits[0]
        problems.append(f"states forbidden fact {first} in {d.sentences[first][:100]!r}")
    problems += [f"swaps the number of {fact_id} in {clause[:100]!r}" for fact_id, clause in d.swaps.items()]
    if d.unsupported_numbers:
        problems.append(f"numbers not in the article: {', '.join(d.unsupported_numbers)}")
    if d.unsupported_names:
        problems.append(f"names not in the article: {', '.join(d.unsupported_names)}")
    problems += [
        f"gives {who} what the article attributes to another in {s[:100]!r}" for who, s in d.misattributed.items()
    ]
    if not d.within_length and d.words > rubric.max_words:
        problems.append(f"{d.words} words > {rubric.max_words}")
    elif not d.within_length:
        problems.append(f"more than {rubric.max_sentences} sentences")
    return problems


def _coverage(r: ItemOutcome) -> CoverageDetails:
    assert isinstance(r.details, CoverageDetails), f"a judged {r.task} result without its coverage"
    return r.details


def known_names(golden: Golden) -> tuple[str, ...]:
    """The names a golden gives (entity answers and aliases of questions and corrections): a summary may
    spell a name as the goldens accept it."""
    values = [v for q in golden.questions if q.type == "entity" for v in (q.answer, *q.aliases)]
    values += [
        v
        for c in golden.claims
        if c.correction is not None and c.correction.type == "entity"
        for v in (c.correction.answer, *c.correction.aliases)
    ]
    return tuple(v for v in values if isinstance(v, str))


def quantities(golden: Golden) -> frozenset[float]:
    """Every number a golden gives for a quantity of its article: number answers and aliases, key facts'
    numbers, corrections, and the numbers of claims' evidence (what a swapped number is taken from)."""
    values: list[float] = []
    for q in golden.questions:
        if q.type == "number":
            values += number_values((q.answer, *q.aliases))
    for c in golden.claims:
        values += [v for quote in c.passages for v in parse_numbers(quote)]
        if c.correction is not None and c.correction.type == "number":
            values += number_values((c.correction.answer, *c.correction.aliases))
    values += [v for rubric in all_summaries(golden) for k in rubric.key_facts for v in number_of(k.require)[0]]
    return frozenset(values)


def _focus(rubric: SummaryRubric) -> str:
    """What the prompt's "Summarise {{focus}} in at most N words" says: a one-sentence item asks for it."""
    return f"{rubric.focus} in one sentence," if rubric.max_sentences == 1 else rubric.focus


class Summary:
    """The summary task (see the module docstring)."""

    name = "summary"
    output = SummaryOutput
    max_tokens = 512
    slots = frozenset({"max_words", "focus"})
    metric_info = MappingProxyType(
        {
            "summary_coverage": ("weighted share of key facts a summary states", True),
            "summary_forbidden_rate": ("summaries stating a forbidden fact", False),
            "summary_swap_rate": ("summaries putting a key fact's words with another quantity's number", False),
            "summary_faithfulness": ("summaries stating no number, name or attribution the article does not", True),
            "summary_length_compliance": ("summaries within their word budget", True),
        }
    )
    graded = True

    def describe(self, golden: Golden) -> str:
        rubrics = all_summaries(golden)
        if not rubrics:
            return "no summary rubric"
        facts = sum(len(r.key_facts) for r in rubrics)
        forbidden = sum(len(r.forbidden) for r in rubrics)
        counted = f"{len(rubrics)} summaries: " if len(rubrics) > 1 else ""
        return f"{counted}{facts} key facts, {forbidden} forbidden"

    def items(self, golden: Golden) -> Iterator[TaskItem]:
        for rubric in all_summaries(golden):
            tags = ("summary", *(t for t in rubric.tags if t != "summary"))
            slots: dict[str, str | int] = {"max_words": rubric.max_words, "focus": _focus(rubric)}
            yield TaskItem(id=rubric.id, subject="", tags=tags, slots=slots)

    def judge(self, golden: Golden, item_id: str, output: Any, article: str) -> Verdict:
        rubric = find(all_summaries(golden), item_id)
        binders = [k for r in all_summaries(golden) for k in r.key_facts]
        return score_summary(rubric, output, article, known_names(golden), quantities(golden), binders)

    def metrics(self, judged: Outcomes) -> dict[str, Estimate]:
        return {
            "summary_coverage": cluster_mean(judged.clusters(lambda r: _coverage(r).coverage)),
            "summary_forbidden_rate": proportion(judged.clusters(lambda r: bool(_coverage(r).forbidden_hits))),
            "summary_swap_rate": proportion(judged.clusters(lambda r: bool(_coverage(r).swaps))),
            "summary_faithfulness": proportion(judged.clusters(lambda r: _coverage(r).faithful)),
            "summary_length_compliance": proportion(judged.clusters(lambda r: _coverage(r).within_length)),
        }

    def checks(self, details: Details) -> dict[str, bool]:
        """What ``compare`` pairs beside coverage: faithfulness, and each key fact (pooled as key_fact)."""
        if not isinstance(details, CoverageDetails):
            return {}
        facts = {f"key_fact:{fact}": fact in details.covered for fact in (*details.covered, *details.missed)}
        return {"faithful": details.faithful, **facts}

    def view(self, golden: Golden, item_id: str) -> ItemView | None:
        rubric = next((r for r in all_summaries(golden) if r.id == item_id), None)
        if rubric is None:
            return None
        facts = "; ".join(k.fact for k in rubric.key_facts)
        return ItemView(question=f"Summarise {rubric.focus} in {rubric.budget}", expected=f"key facts: {facts}")

    def answer_text(self, parsed: Mapping[str, Any]) -> str | None:
        return field_text(parsed, "summary")

    def evidence_text(self, parsed: Mapping[str, Any]) -> str | None:
        points = parsed.get("key_points")
        return None if points is None else " | ".join(str(p.get("evidence", "")) for p in points)

    def baseline(self, item: WorkItem) -> dict[str, Any]:
        """The story's long sentences in order up to max_words, leaving out what the page repeats; the first
        one cut to the budget when none fits. It does not read the item's focus: a focused item gets the
        same summary of the main story."""
        limit = item.max_words or 120
        story = [s for s in told_once(item.article) if len(s.split()) >= 12]
        words: list[str] = []
        points = []
        for sentence in story:
            if len(words) + len(sentence.split()) > limit:
                break
            words += sentence.split()
            points.append({"point": sentence, "evidence": sentence})
        if not words and story:
            words = story[0].split()[:limit]
            points = [{"point": story[0], "evidence": story[0]}]
        return {"summary": " ".join(words), "key_points": points}


TASK = Summary()
