"""factcheck: label a claim about the article supported, refuted or not_enough_info, and say why.

Golden items: ``claims`` (``Claim`` in claims.py); a refuted claim carries its ``correction``: the
true fact, typed like a question's answer (number with tolerance and unit, entity with aliases, date)
or, for a qualitative correction, word groups like a key fact's. Output: ``FactcheckOutput``.

Verdicts, each recorded per claim (``LabelDetails``):
- label: the reply's label is the golden one (the item's outcome, as before);
- correction (refuted claims labelled refuted): the correction states the true fact, judged by the
  answer matcher (``harness.matching.answers``; word groups by ``harness.matching.groups``); its wrong
  forms default to the claim's own numbers or dates (see ``Claim.correction_key``). A correction given
  for a supported or not_enough_info claim is shown, not scored;
- evidence (claims with golden evidence): the quote is a right passage
  (``harness.matching.evidence.right_passage``), not merely some sentence of the article;
- right for the right reason: the label is right and every verdict that applies holds.

Metrics: factcheck_accuracy, factcheck_macro_f1 (over the labels present in the gold of the claims
scored, so a subset without refuted claims is not marked down), per-label precision, recall and F1,
factcheck_correction_accuracy, factcheck_right_evidence and factcheck_right_reason.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict

from harness.matching.answers import Match, match_answer
from harness.matching.evidence import is_grounded, right_passage
from harness.matching.groups import match_groups
from harness.matching.numbers import parse_numbers
from harness.matching.sentences import MIN_OVERLAP, best_sentence
from harness.outcomes import ItemOutcome, Outcomes
from harness.stats import Estimate, cells_macro_f1, proportion, summarised_bootstraps
from harness.tasks.base import ItemView, TaskItem, field_text, find
from harness.tasks.claims import Claim
from harness.types import Details, LabelDetails, Outcome, Verdict, WorkItem

if TYPE_CHECKING:
    from harness.goldens import Golden

LABELS = ("supported", "refuted", "not_enough_info")
# Per-label precision, recall and F1: in report tables, not charted (nine charts would bury the rest).
PER_LABEL_METRICS = frozenset(f"factcheck_{label}_{m}" for label in LABELS for m in ("precision", "recall", "f1"))


class FactcheckOutput(BaseModel):
    """Verdict on one claim."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    label: Literal["supported", "refuted", "not_enough_info"]
    evidence: str
    correction: str | None


def judge_correction(claim: Claim, text: str) -> Match:
    """Does ``text`` state the true fact of the refuted ``claim``?"""
    c = claim.correction
    assert c is not None, "only a refuted claim's correction is judged"
    if not text.strip():
        return Match(False, "no_correction", "none given")
    if c.require is not None:
        return match_groups(c.require, [str(w) for w in c.wrong or ()], text)
    return match_answer(claim.correction_key, text)


def score_claim(claim: Claim, out: FactcheckOutput, article: str) -> Verdict:
    """The label verdict (the outcome), with the correction and evidence verdicts beside it."""
    correction = judge_correction(claim, out.correction or "") if claim.label == out.label == "refuted" else None
    evidence = right_passage(out.evidence, claim.passages, article) if claim.passages else None
    details = LabelDetails(
        gold=claim.label,
        predicted=out.label,
        correction=None if correction is None else correction.correct,
        correction_rule=None if correction is None else correction.rule,
        evidence=evidence,
    )
    reasons = [f"labelled {out.label}" + ("" if out.label == claim.label else f"; expected {claim.label}")]
    if correction is not None:
        reasons.append(f"correction {'right' if correction.correct else 'wrong'}: {correction.reason}")
    elif out.correction and claim.label != "refuted":
        reasons.append("correction not scored (the claim is not refuted)")
    if evidence is not None:
        reasons.append("evidence: the right passage" if evidence else _evidence_miss(out.evidence))
    outcome: Outcome = "correct" if out.label == claim.label else "incorrect"
    return Verdict(outcome=outcome, reason="; ".join(reasons), details=details)


def _evidence_miss(quote: str) -> str:
    return "evidence: none quoted" if not quote.strip() else "evidence: not the golden passage"


def _per_label(judged: Outcomes, label: str) -> dict[str, Estimate]:
    """Precision and recall of one label, each with its interval."""

    def precision(r: ItemOutcome) -> bool | None:
        return _labels(r).gold == label if _labels(r).predicted == label else None

    def recall(r: ItemOutcome) -> bool | None:
        return _labels(r).predicted == label if _labels(r).gold == label else None

    return {
        f"factcheck_{label}_precision": proportion(judged.clusters(precision)),
        f"factcheck_{label}_recall": proportion(judged.clusters(recall)),
    }


def _f1(label: str) -> Callable[[Counter[tuple[str, str]]], float | None]:
    """One label's F1 over (gold, predicted) pairs counted; unscored when no gold has the label."""

    def f1(cells: Counter[tuple[str, str]]) -> float | None:
        return cells_macro_f1(cells, [label]) if any(gold == label for gold, _ in cells) else None

    return f1


def _labels(r: ItemOutcome) -> LabelDetails:
    assert isinstance(r.details, LabelDetails), f"a judged {r.task} result without its labels"
    return r.details


def confusion(results: Outcomes) -> dict[str, dict[str, dict[str, int]]]:
    """model -> gold label -> predicted label -> count, over the judged fact checks."""
    matrices: dict[str, dict[str, dict[str, int]]] = {}
    for r, n in results.counts():
        matrix = matrices.setdefault(r.model, {g: dict.fromkeys(LABELS, 0) for g in LABELS})
        if r.task == TASK.name and r.outcome not in ("error", "invalid"):
            matrix[_labels(r).gold][_labels(r).predicted] += n
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
            **{
                f"factcheck_{label}_{measure}": (meaning.format(label=label), True)
                for label in LABELS
                for measure, meaning in (
                    ("precision", "claims labelled {label} whose gold label is {label}"),
                    ("recall", "{label} claims labelled {label}"),
                    ("f1", "F1 of the label {label}"),
                )
            },
            "factcheck_correction_accuracy": (
                "refuted claims labelled refuted whose correction states the true fact",
                True,
            ),
            "factcheck_right_evidence": ("claims with golden evidence whose quote is a right passage", True),
            "factcheck_right_reason": ("claims with the right label, correction and evidence (as apply)", True),
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
        verdict = score_claim(find(golden.claims, item_id), output, article)
        return verdict.model_copy(update={"grounded": is_grounded(output.evidence, article)})

    def metrics(self, judged: Outcomes) -> dict[str, Estimate]:
        pairs = judged.clusters(lambda r: (_labels(r).gold, _labels(r).predicted))
        # A label no scored claim has in its gold would add an F1 of 0 (two right "supported" claims would
        # score 0.333); the labels are fixed here, once, so every bootstrap resample averages the same ones.
        present = [label for label in LABELS if any(gold == label for cluster in pairs for gold, _ in cluster)]
        f1s = summarised_bootstraps(  # one draw for all, each resample's pairs counted once
            pairs, Counter, [lambda cells: cells_macro_f1(cells, present), *map(_f1, LABELS)]
        )
        metrics = {"factcheck_accuracy": proportion(judged.clusters(lambda r: r.outcome == "correct"))}
        metrics["factcheck_macro_f1"] = f1s[0]
        for label, f1 in zip(LABELS, f1s[1:], strict=True):
            metrics |= _per_label(judged, label) | {f"factcheck_{label}_f1": f1}
        return metrics | {
            "factcheck_correction_accuracy": proportion(judged.clusters(lambda r: _labels(r).correction)),
            "factcheck_right_evidence": proportion(judged.clusters(lambda r: _labels(r).evidence)),
            "factcheck_right_reason": proportion(judged.clusters(lambda r: _labels(r).right_reason)),
        }

    def checks(self, details: Details) -> dict[str, bool]:
        """The per-claim verdicts ``compare`` pairs beside the label: right reason, correction, evidence."""
        if not isinstance(details, LabelDetails):
            return {}
        found = {"right_reason": details.right_reason}
        if details.correction is not None:
            found["correction"] = details.correction
        if details.evidence is not None:
            found["right_evidence"] = details.evidence
        return found

    def view(self, golden: Golden, item_id: str) -> ItemView | None:
        try:
            c = find(golden.claims, item_id)
        except KeyError:
            return None
        expected = c.label if c.correction is None else f"{c.label}; correction: {c.correction.shown()}"
        return ItemView(question=c.claim, expected=expected, evidence=" | ".join(c.passages) or None)

    def answer_text(self, parsed: Mapping[str, Any]) -> str | None:
        label, correction = field_text(parsed, "label"), field_text(parsed, "correction")
        return label if not correction else f"{label}; correction: {correction}"

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
