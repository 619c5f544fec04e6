"""factcheck: label a claim about the article supported, refuted or not_enough_info.

Golden items: ``claims`` (``harness.goldens.Claim``). Output: ``FactcheckOutput``. A reply is
correct iff its label is the golden label; the (gold, predicted) pair is kept for the confusion
matrix and macro-F1. Metrics: factcheck_accuracy and factcheck_macro_f1 (averaged over the labels
that occur in the gold of the claims scored, so a subset without refuted claims is not marked down).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from harness.matching.evidence import is_grounded
from harness.matching.numbers import parse_numbers
from harness.matching.sentences import MIN_OVERLAP, best_sentence
from harness.stats import Estimate, bootstrap, macro_f1, proportion
from harness.tasks.base import ITEM_ID, GoldenItem, ItemView, TaskItem, clusters, field_text, find, invalid
from harness.types import ItemOutcome, LabelDetails, Verdict, WorkItem

if TYPE_CHECKING:
    from harness.goldens import Golden

LABELS = ("supported", "refuted", "not_enough_info")
ClaimLabel = Literal["supported", "refuted", "not_enough_info"]


class Claim(GoldenItem):
    """A statement to check against the seed, with its true label."""

    id: str = ITEM_ID
    claim: str = Field(min_length=1)
    label: ClaimLabel
    evidence: str | None = Field(default=None, validate_default=True)
    tags: tuple[str, ...] = ()

    @field_validator("evidence", mode="after")
    @classmethod
    def _evidence_for_decided_labels(cls, value: str | None, info: ValidationInfo) -> str | None:
        if info.data.get("label") in ("supported", "refuted") and not value:
            raise invalid("a supported or refuted claim has no evidence", "add a verbatim quote from the seed")
        return value


class FactcheckOutput(BaseModel):
    """Verdict on one claim."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    label: Literal["supported", "refuted", "not_enough_info"]
    evidence: str
    correction: str | None


def score_claim(claim: Claim, out: FactcheckOutput) -> Verdict:
    """Correct iff the label matches; the pair is kept for the confusion matrix."""
    details = LabelDetails(gold=claim.label, predicted=out.label)
    if out.label == claim.label:
        return Verdict(outcome="correct", reason=f"labelled {out.label}", details=details)
    return Verdict(outcome="incorrect", reason=f"labelled {out.label}; expected {claim.label}", details=details)


def _labels(r: ItemOutcome) -> LabelDetails:
    assert isinstance(r.details, LabelDetails), f"a judged {r.task} result without its labels"
    return r.details


def confusion(results: Iterable[ItemOutcome]) -> dict[str, dict[str, dict[str, int]]]:
    """model -> gold label -> predicted label -> count, over the judged fact checks."""
    matrices: dict[str, dict[str, dict[str, int]]] = {}
    for r in results:
        matrix = matrices.setdefault(r.model, {g: dict.fromkeys(LABELS, 0) for g in LABELS})
        if r.task == TASK.name and r.outcome not in ("error", "invalid"):
            matrix[_labels(r).gold][_labels(r).predicted] += 1
    return dict(sorted(matrices.items()))


class Factcheck:
    """The factcheck task (see the module docstring)."""

    name = "factcheck"
    output = FactcheckOutput
    max_tokens = 192
    slots = frozenset({"claim"})
    metric_info = MappingProxyType(
        {
            "factcheck_accuracy": ("claims given the right label (invalid replies left out)", True),
            "factcheck_macro_f1": ("macro-F1 over the labels present in the gold of the claims scored", True),
        }
    )
    graded = False

    def describe(self, golden: Golden) -> str:
        counts = ", ".join(f"{sum(c.label == label for c in golden.claims)} {label}" for label in LABELS)
        return f"{len(golden.claims)} claims ({counts})"

    def items(self, golden: Golden) -> Iterator[TaskItem]:
        for c in golden.claims:
            yield TaskItem(id=c.id, subject=c.claim, tags=c.tags, slots={"claim": c.claim})

    def judge(self, golden: Golden, item_id: str, output: Any, article: str) -> Verdict:
        verdict = score_claim(find(golden.claims, item_id), output)
        return verdict.model_copy(update={"grounded": is_grounded(output.evidence, article)})

    def metrics(self, judged: Sequence[ItemOutcome]) -> dict[str, Estimate]:
        pairs = clusters(judged, lambda r: (_labels(r).gold, _labels(r).predicted))
        # A label no scored claim has in its gold would add an F1 of 0 (two right "supported" claims would
        # score 0.333); the labels are fixed here, once, so every bootstrap resample averages the same ones.
        present = [label for label in LABELS if any(gold == label for cluster in pairs for gold, _ in cluster)]
        return {
            "factcheck_accuracy": proportion(clusters(judged, lambda r: r.outcome == "correct")),
            "factcheck_macro_f1": bootstrap(pairs, lambda xs: macro_f1(xs, present)),
        }

    def view(self, golden: Golden, item_id: str) -> ItemView | None:
        for c in golden.claims:
            if c.id == item_id:
                return ItemView(question=c.claim, expected=c.label, evidence=c.evidence)
        return None

    def answer_text(self, parsed: Mapping[str, Any]) -> str | None:
        return field_text(parsed, "label")

    def evidence_text(self, parsed: Mapping[str, Any]) -> str | None:
        return field_text(parsed, "evidence")

    def baseline(self, item: WorkItem) -> dict[str, Any]:
        """The best-matching sentence: refuted when it states other numbers than the claim, else supported;
        not_enough_info below MIN_OVERLAP."""
        sentence, score = best_sentence(item.article, item.subject)
        if score < MIN_OVERLAP:
            return {"label": "not_enough_info", "evidence": "", "correction": None}
        claimed, stated = set(parse_numbers(item.subject)), set(parse_numbers(sentence))
        if claimed and stated and not claimed <= stated:
            return {"label": "refuted", "evidence": sentence, "correction": sentence}
        return {"label": "supported", "evidence": sentence, "correction": None}


TASK = Factcheck()
