"""``--judge-policy``: which verdict the headline metrics count, applied when a report is built.

- ``rules`` (the default): the rules' verdict; the judge's is shown beside it and measured.
- ``judge``: the judge's verdict where it ruled. A qa answer is correct iff the judge accepts it; a
  summary is correct iff the judge accepts it (at least half the key-fact weight stated, no forbidden
  fact, no unsupported sentence) and it keeps to its length, and its coverage is the judge's.
- ``both`` (both must accept): correct only when the rules and the judge both accept; a summary's
  coverage is the lower of the two.

A fact check's outcome is its label's under every policy: the judge rules on its correction, and the
policy decides the correction's verdict (``judge``: the judge's; ``both``: right only when both say so),
and so its right reason.

Under every policy, an item the judge did not rule on (not sampled, an error or invalid reply, a task
it does not judge) or on which the judge failed keeps the rules' verdict, and says so.
"""

from __future__ import annotations

from collections.abc import Mapping

from harness.config import JudgePolicy
from harness.types import AnswerDetails, CoverageDetails, ItemResult, JudgeVerdict, LabelDetails, Outcome


def _outcome(result: ItemResult, accepted: bool) -> Outcome:
    if accepted:
        return "correct"
    return "abstained" if result.outcome == "abstained" else "incorrect"


def _says(accepted: bool) -> str:
    return "accepts" if accepted else "rejects"


def decide(result: ItemResult, policy: JudgePolicy) -> ItemResult:
    """``result`` as ``policy`` counts it (unchanged under ``rules`` or where the judge did not rule)."""
    j = result.judge
    if policy == "rules" or j is None or j.accepted is None or result.outcome in ("error", "invalid"):
        return result
    if isinstance(result.details, LabelDetails):
        return _correction(result, result.details, j, policy)
    rules_ok = result.outcome == "correct"
    details = result.details
    if isinstance(details, CoverageDetails):
        details = _coverage(details, j, policy)
        accepted = (j.accepted and details.within_length) if policy == "judge" else (rules_ok and j.accepted)
    else:
        accepted = j.accepted if policy == "judge" else rules_ok and j.accepted
    outcome = _outcome(result, accepted)
    if isinstance(details, AnswerDetails) and not details.answerable:
        details = details.model_copy(update={"hallucinated": outcome == "incorrect"})
    if outcome == result.outcome and details == result.details:
        return result
    reason = (
        f"{policy} policy: the judge {_says(j.accepted)} ({j.reason}); the rules said {result.outcome}: {result.reason}"
    )
    return result.model_copy(update={"outcome": outcome, "reason": reason, "details": details})


def _correction(result: ItemResult, d: LabelDetails, j: JudgeVerdict, policy: JudgePolicy) -> ItemResult:
    """A fact check keeps its label's outcome; the policy decides its correction's verdict (and so its right
    reason)."""
    assert j.accepted is not None
    if d.correction is None:
        return result
    correction = j.accepted if policy == "judge" else d.correction and j.accepted
    if correction == d.correction:
        return result
    said = f"the rules said the correction is {'right' if d.correction else 'wrong'}: {result.reason}"
    reason = f"{policy} policy: the judge {_says(j.accepted)} the correction ({j.reason}); {said}"
    return result.model_copy(update={"reason": reason, "details": d.model_copy(update={"correction": correction})})


def _coverage(d: CoverageDetails, j: JudgeVerdict, policy: JudgePolicy) -> CoverageDetails:
    if j.coverage is None:
        return d
    if policy == "both":
        return d.model_copy(update={"coverage": min(d.coverage, j.coverage)})
    missed = tuple(f for f in (*d.covered, *d.missed) if f not in j.stated)
    return d.model_copy(
        update={"coverage": j.coverage, "covered": j.stated, "missed": missed, "forbidden_hits": j.forbidden}
    )


def judge_difference(a_run: str, a: Mapping[str, str], b_run: str, b: Mapping[str, str]) -> str | None:
    """How two runs' judges differ (model, policy, prompts' sha256: report.json's ``inputs.judge``), or
    None when alike: runs judged differently count their verdicts (or measure their judge) differently."""
    if a == b:
        return None
    if not a or not b:
        judged, by, plain = (a_run, a, b_run) if a else (b_run, b, a_run)
        return f"{judged} was judged by {by['model']} and {plain} by no judge"
    keys = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
    shown = "; ".join(f"{k}: {a.get(k, '-')[:20]} vs {b.get(k, '-')[:20]}" for k in keys)
    return f"{a_run} and {b_run} differ in their judge ({shown})"
