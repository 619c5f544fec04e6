"""Summary verdicts: weighted key-fact coverage, forbidden facts, grounding, length.

A key fact counts as covered when every one of its ``require`` OR-groups has a word
in the summary (word boundaries, after normalisation). The summary item is
``correct`` when weighted coverage >= SUMMARY_PASS_COVERAGE, no forbidden fact is
stated and the summary keeps to ``max_words``; the numbers behind that are kept in
the verdict's details for the report.
"""

from __future__ import annotations

from harness.goldens import ForbiddenFact, SummaryFact, SummaryRubric
from harness.matching.evidence import is_grounded
from harness.matching.text import contains_phrase
from harness.outputs import SummaryOutput
from harness.types import Verdict

SUMMARY_PASS_COVERAGE = 0.5


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
    details = {
        "coverage": round(coverage, 4),
        "covered": covered,
        "missed": [k.id for k in rubric.key_facts if k.id not in covered],
        "forbidden_hits": forbidden,
        "words": words,
        "within_length": words <= rubric.max_words,
        "key_points": len(out.key_points),
        "grounded_points": sum(judged),
    }
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
