"""Summary coverage, fact-check labels and evidence grounding."""

from __future__ import annotations

import pytest

from harness.matching.evidence import is_grounded
from harness.tasks.claims import Claim
from harness.tasks.factcheck import FactcheckOutput, score_claim
from harness.tasks.summary import ForbiddenFact, KeyPoint, SummaryFact, SummaryOutput, SummaryRubric, score_summary
from harness.types import CoverageDetails, LabelDetails, Verdict

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


def covered(verdict: Verdict) -> CoverageDetails:
    assert isinstance(verdict.details, CoverageDetails)
    return verdict.details


def summary(text: str, evidence: str = "At least 12 people were killed") -> SummaryOutput:
    return SummaryOutput(summary=text, key_points=[KeyPoint(point="p", evidence=evidence)])


def test_full_paraphrase_covers_everything() -> None:
    verdict = score_summary(
        RUBRIC, summary("Twelve people died and ninety were wounded, the deadliest since July."), ARTICLE
    )
    assert verdict.outcome == "correct"
    assert covered(verdict).coverage == 1.0 and verdict.grounded is True


def test_coverage_is_weighted() -> None:
    verdict = score_summary(RUBRIC, summary("12 people were killed."), ARTICLE)
    assert covered(verdict).coverage == 0.5
    assert covered(verdict).missed == ("injured", "july")


def test_forbidden_fact_fails_the_summary() -> None:
    verdict = score_summary(RUBRIC, summary("12 killed, 90 injured; Trump praised the attack."), ARTICLE)
    assert verdict.outcome == "incorrect" and covered(verdict).forbidden_hits == ("praise",)


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


COUNTED = " ".join(f"w{i}" for i in range(1, 21)) + "."  # twenty distinct words: every trigram is countable


@pytest.mark.parametrize(
    ("quote", "grounded"),
    [
        # 12 words, one changed at word 11: 8 of 10 trigrams in the seed = 0.80, the threshold itself
        ("w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 xx w12", True),
        # 11 words, one changed at word 10: 7 of 9 trigrams = 0.78, just under
        ("w1 w2 w3 w4 w5 w6 w7 w8 w9 xx w11", False),
        # 8 words, one changed at word 5: 3 of 6 trigrams = 0.50
        ("w1 w2 w3 w4 xx w6 w7 w8", False),
        # 10 words, one changed at word 8: 5 of 8 = 0.625
        ("w1 w2 w3 w4 w5 w6 w7 xx w9 w10", False),
        ("w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12", True),  # verbatim
        ("w1 w3", False),  # under three words: verbatim only
        ("w19 w20", True),
    ],
)
def test_grounding_threshold_is_eighty_percent_of_trigrams(quote: str, grounded: bool) -> None:
    assert is_grounded(quote, COUNTED) is grounded


CLAIMS = {
    "supported": Claim(id="c", claim="12 were killed", label="supported", evidence="At least 12 people were killed"),
    "refuted": Claim.model_validate(
        {
            "id": "c",
            "claim": "90 were killed",
            "label": "refuted",
            "evidence": "At least 12 people were killed",
            "correction": {"type": "number", "answer": 12},
        }
    ),
    "not_enough_info": Claim(id="c", claim="drones", label="not_enough_info"),
}


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
    claim = CLAIMS[gold]
    verdict = score_claim(claim, FactcheckOutput(label=predicted, evidence="", correction="12"), ARTICLE)  # type: ignore[arg-type]
    assert verdict.outcome == outcome
    assert isinstance(verdict.details, LabelDetails)
    assert (verdict.details.gold, verdict.details.predicted) == (gold, predicted)


def test_a_summary_verdict_keeps_every_number_behind_it() -> None:
    text = "Twelve people died; 90 were wounded."
    points = [KeyPoint(point="a", evidence="At least 12 people were killed"), KeyPoint(point="b", evidence="")]
    verdict = score_summary(RUBRIC, SummaryOutput(summary=text, key_points=points), ARTICLE)
    assert verdict.outcome == "correct" and verdict.reason == "covers 75% of key facts" and verdict.grounded is True
    assert verdict.details == CoverageDetails(
        coverage=0.75,
        covered=("killed", "injured"),
        missed=("july",),
        forbidden_hits=(),
        words=6,
        within_length=True,
        key_points=2,
        grounded_points=1,
        sentences={"killed": text, "injured": text},
    )


def test_coverage_is_rounded_to_four_places() -> None:
    rubric = RUBRIC.model_copy(update={"key_facts": (*RUBRIC.key_facts, RUBRIC.key_facts[2].model_copy())})
    verdict = score_summary(rubric, summary("12 were killed."), ARTICLE)  # weight 2 of 5 + ... = 2/5
    assert covered(verdict).coverage == 0.4
    thirds = RUBRIC.model_copy(
        update={"key_facts": tuple(k.model_copy(update={"weight": 1}) for k in RUBRIC.key_facts)}
    )
    assert covered(score_summary(thirds, summary("12 were killed."), ARTICLE)).coverage == 0.3333


def test_exactly_half_the_facts_and_exactly_max_words_pass() -> None:
    text = "12 people were killed " + "x " * 26  # 30 words: the limit itself
    verdict = score_summary(RUBRIC, summary(text.strip()), ARTICLE)
    assert covered(verdict).coverage == 0.5 and covered(verdict).words == 30
    assert verdict.outcome == "correct" and covered(verdict).within_length is True


def test_every_problem_is_named_in_the_reason() -> None:
    text = "Trump praised the strike. " + "Yes. " * 30
    verdict = score_summary(RUBRIC, summary(text.strip(), evidence="Moscow denied everything."), ARTICLE)
    assert verdict.outcome == "incorrect" and verdict.grounded is False
    assert verdict.reason == (
        "covers 0% of key facts (< 50%); states forbidden fact praise in 'Trump praised the strike.'; 34 words > 30"
    )
    assert covered(verdict).within_length is False and covered(verdict).forbidden_hits == ("praise",)


def test_a_summary_without_key_points_has_no_grounding_verdict() -> None:
    verdict = score_summary(RUBRIC, SummaryOutput(summary="Nothing.", key_points=[]), ARTICLE)
    assert verdict.grounded is None and covered(verdict).grounded_points == 0
    assert verdict.reason == "covers 0% of key facts (< 50%)"


def test_factcheck_reasons() -> None:
    claim = CLAIMS["refuted"]
    wrong = score_claim(claim, FactcheckOutput(label="supported", evidence="", correction=None), ARTICLE)
    assert wrong.reason == "labelled supported; expected refuted; evidence: none quoted"
    right = score_claim(claim, FactcheckOutput(label="refuted", evidence="", correction=None), ARTICLE)
    assert right.reason == "labelled refuted; correction wrong: none given; evidence: none quoted"
