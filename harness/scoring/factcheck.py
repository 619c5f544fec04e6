"""Fact-check verdicts: the predicted label against the golden label."""

from __future__ import annotations

from harness.goldens import Claim
from harness.outputs import FactcheckOutput
from harness.types import Verdict


def score_claim(claim: Claim, out: FactcheckOutput) -> Verdict:
    """Correct iff the label matches; the pair is kept for the confusion matrix."""
    details = {"gold": claim.label, "predicted": out.label}
    if out.label == claim.label:
        return Verdict(outcome="correct", reason=f"labelled {out.label}", details=details)
    return Verdict(outcome="incorrect", reason=f"labelled {out.label}; expected {claim.label}", details=details)
