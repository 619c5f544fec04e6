"""Summary coverage, fact-check labels and evidence grounding."""

from __future__ import annotations

import pytest

from harness.goldens import Claim, ForbiddenFact, SummaryFact, SummaryRubric
from harness.outputs import FactcheckOutput, KeyPoint, SummaryOutput
from harness.scoring.evidence import is_grounded
from harness.scoring.factcheck import score_claim
from harness.scoring.summary import score_summary

ARTICLE = "At least 12 people were killed and 90 were injured in the deadliest assault on the city since last July."
RUBRIC = SummaryRubric(
    max_words=30,
    key_facts=(
        SummaryFact(id="killed", fact="12 killed", weight=2, require=(("12", "twelve"), ("killed", "dead", "died"))),
        SummaryFact(id="injured", fact="90 injured", weight=1, require=(("90", "ninety"), ("injured", "wounded"))),
        SummaryFact(id="july", fact="deadliest since July", weight=1, require=(("deadliest",), ("july",))),
    ),
    forbidden=(ForbiddenFact(id="praise", fact="Trump praised it", require=(("praised",), ("attack", "strike"))),),
)


def summary(text: str, evidence: str = "At least 12 people were killed") -> SummaryOutput:
    return SummaryOutput(summary=text, key_points=[KeyPoint(point="p", evidence=evidence)])


def test_full_paraphrase_covers_everything() -> None:
    verdict = score_summary(
        RUBRIC, summary("Twelve people died and ninety were wounded, the deadliest since July."), ARTICLE
    )
    assert verdict.outcome == "correct"
    assert verdict.details["coverage"] == 1.0 and verdict.grounded is True


def test_coverage_is_weighted() -> None:
    verdict = score_summary(RUBRIC, summary("12 people were killed."), ARTICLE)
    assert verdict.details["coverage"] == 0.5
    assert verdict.details["missed"] == ["injured", "july"]


def test_forbidden_fact_fails_the_summary() -> None:
    verdict = score_summary(RUBRIC, summary("12 killed, 90 injured; Trump praised the attack."), ARTICLE)
    assert verdict.outcome == "incorrect" and verdict.details["forbidden_hits"] == ["praise"]


def test_too_long_fails_and_says_so() -> None:
    verdict = score_summary(RUBRIC, summary("12 killed and 90 injured. " + "More words here. " * 10), ARTICLE)
    assert verdict.outcome == "incorrect" and "words > 30" in verdict.reason


def test_invented_evidence_is_not_grounded() -> None:
    verdict = score_summary(RUBRIC, summary("12 killed, 90 injured", evidence="Moscow denied everything."), ARTICLE)
    assert verdict.grounded is False


@pytest.mark.parametrize(
    ("quote", "grounded"),
    [
        ("At least 12 people were killed", True),
        ("at least 12 people were KILLED.", True),
        ("“At least 12 people were killed”", True),
        (
            "At least 12 people were killed and 90 injured in the deadliest assault on the city",
            True,
        ),  # one word dropped
        ("At least 15 people were killed and 80 were injured", False),
        ("Putin ordered the assault", False),
        ("", None),
        ("killed", True),
        ("murdered", False),
    ],
)
def test_grounding(quote: str, grounded: bool | None) -> None:
    assert is_grounded(quote, ARTICLE) is grounded


@pytest.mark.parametrize(
    ("gold", "predicted", "outcome"),
    [
        ("supported", "supported", "correct"),
        ("refuted", "refuted", "correct"),
        ("not_enough_info", "not_enough_info", "correct"),
        ("refuted", "supported", "incorrect"),
        ("not_enough_info", "refuted", "incorrect"),
    ],
)
def test_factcheck(gold: str, predicted: str, outcome: str) -> None:
    claim = Claim(id="c", claim="x", label=gold, evidence=None if gold == "not_enough_info" else "e")  # type: ignore[arg-type]
    verdict = score_claim(claim, FactcheckOutput(label=predicted, evidence="", correction=None))  # type: ignore[arg-type]
    assert verdict.outcome == outcome
    assert verdict.details == {"gold": gold, "predicted": predicted}
