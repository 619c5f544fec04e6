"""The factcheck task judged on realistic replies to the shipped goldens: label, correction, evidence.

Each row is a reply a model could give to one shipped claim, with every verdict asserted: the outcome
(the label), the correction verdict (judged on refuted claims labelled refuted only), the evidence
verdict (claims with golden evidence only), right-for-the-right-reason, and a part of the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from harness.goldens import Golden, load_goldens
from harness.outcomes import ItemOutcome, Outcomes
from harness.seeds import Seed, load_seeds
from harness.tasks.claims import Claim
from harness.tasks.factcheck import TASK, FactcheckOutput, confusion
from harness.types import LabelDetails

REPO = Path(__file__).resolve().parents[2]
SEEDS: dict[str, Seed] = load_seeds(REPO / "seeds")
GOLDENS: dict[str, Golden] = load_goldens(REPO / "goldens", SEEDS)
AP, EP, BRIEF = "ap-kyiv-strike-2025-04-24", "elpais-kyiv-strike-2025-04-24", "injected-kyiv-brief-2025-04-24"

BORDER = (
    "Norway, a member of NATO and strong supporter of Ukraine, shares a roughly 123-mile (198-kilometer) border "
    "with Russia."
)
TOLL = "At least 12 people were killed and 90 were injured in the deadliest assault on the city since last July."
CRIMEA = "Russia illegally annexed that area in 2014."
WITKOFF = "It would be their fourth meeting since Trump took office in January."


@dataclass(frozen=True)
class Reply:
    seed: str
    claim: str
    label: str
    evidence: str
    correction: str | None
    # expected
    outcome: str
    correction_right: bool | None
    evidence_right: bool | None
    right_reason: bool
    reason: str


SWAP = "Moscow launched at least 70 missiles and 145 drones at Ukraine on Thursday"
NOT_HAPPY = "“I am not happy with the Russian strikes on KYIV."
OVAL = "Trump met Norwegian Prime Minister Jonas Gahr Støre in the Oval Office of the White House"
MADAGASCAR = "said Macron during a visit to Madagascar"
KNICKS = "Series: Knicks lead 3-2."

RIGHT = "; evidence: the right passage"

# fmt: off
ROWS = [
    # right label, right correction in other words
    Reply(AP, "claim-border-300-miles", "refuted", BORDER, "The border is about 123 miles long.",
          "correct", True, True, True,
          "labelled refuted; correction right: states 123 mi" + RIGHT),
    Reply(AP, "claim-border-300-miles", "refuted", BORDER, "about 198 km",
          "correct", True, True, True,
          "labelled refuted; correction right: states 198 km" + RIGHT),
    Reply(AP, "claim-border-300-miles", "refuted", BORDER, "Roughly 123 miles, not 300.",
          "correct", True, True, True,
          "labelled refuted; correction right: states 123 mi" + RIGHT),
    Reply(AP, "claim-killed-90", "refuted", TOLL, TOLL,
          "correct", True, True, True, "labelled refuted; correction right: states 12" + RIGHT),
    Reply(AP, "claim-crimea-annexed-2022", "refuted", CRIMEA, "Russia annexed Crimea in 2014, not in 2022.",
          "correct", True, True, True, "labelled refuted; correction right: states 2014" + RIGHT),
    Reply(AP, "claim-witkoff-second-meeting", "refuted", WITKOFF, "It would be their fourth meeting.",
          "correct", True, True, True, "labelled refuted; correction right: states 4" + RIGHT),
    Reply(AP, "claim-celtics-lead-series", "refuted", KNICKS, "The Celtics trail the Knicks 3-2.",
          "correct", True, True, True,
          "labelled refuted; correction right: contains 'Knicks'" + RIGHT),
    Reply(AP, "claim-macron-morocco", "refuted", MADAGASCAR, "The claim says Morocco but the article says Madagascar.",
          "correct", True, True, True,
          "labelled refuted; correction right: contains 'Madagascar'" + RIGHT),
    Reply(AP, "claim-macron-morocco", "refuted", MADAGASCAR, "Macron was in Madagascar; Morocco is not mentioned.",
          "correct", True, True, True,
          "labelled refuted; correction right: contains 'Madagascar'" + RIGHT),
    Reply(EP, "c-swapped-counts", "refuted", SWAP, "Moscow launched at least 70 missiles and 145 drones.",
          "correct", True, True, True,
          "labelled refuted; correction right: states '70 missiles', '145 drones'" + RIGHT),
    Reply(BRIEF, "c-trump-praised-strikes", "refuted", NOT_HAPPY, "Trump criticised the strikes as very bad timing.",
          "correct", True, True, True,
          "labelled refuted; correction right: states 'bad timing'" + RIGHT),
    Reply(BRIEF, "c-solberg-met-trump", "refuted", OVAL, "Trump met Jonas Gahr Store, not Erna Solberg.",
          "correct", True, True, True,
          "labelled refuted; correction right: contains 'Jonas Gahr Støre'" + RIGHT),
    # right label, wrong correction
    Reply(AP, "claim-border-300-miles", "refuted", BORDER, "about 200 miles",
          "correct", False, True, False,
          "labelled refuted; correction wrong: states 200 mi; expected 123 mi" + RIGHT),
    Reply(AP, "claim-border-300-miles", "refuted", BORDER, "Norway's border with Russia is 300 miles, not 123 km.",
          "correct", False, True, False,
          "labelled refuted; correction wrong: states the distractor 300; expected 123 mi" + RIGHT),
    Reply(AP, "claim-border-300-miles", "refuted", BORDER, None,
          "correct", False, True, False, "labelled refuted; correction wrong: none given" + RIGHT),
    Reply(AP, "claim-crimea-annexed-2022", "refuted", CRIMEA, "It was annexed in 2022.",
          "correct", False, True, False,
          "labelled refuted; correction wrong: states the distractor 2022; expected 2014" + RIGHT),
    Reply(AP, "claim-witkoff-second-meeting", "refuted", WITKOFF, "It would be their third meeting.",
          "correct", False, True, False,
          "labelled refuted; correction wrong: states 3; expected 4" + RIGHT),
    Reply(AP, "claim-celtics-lead-series", "refuted", KNICKS, "The Celtics lead the Knicks 3-2.",
          "correct", False, True, False,
          "labelled refuted; correction wrong: names the distractor 'Celtics lead'; expected 'Knicks'" + RIGHT),
    Reply(EP, "c-swapped-counts", "refuted", SWAP, "It launched 70 missiles and 145 drones; no, 145 missiles.",
          "correct", False, True, False,
          "labelled refuted; correction wrong: names the distractor '145 missiles'" + RIGHT),
    Reply(BRIEF, "c-trump-praised-strikes", "refuted", NOT_HAPPY, "Trump praised the strikes.",
          "correct", False, True, False,
          "labelled refuted; correction wrong: does not state 'not happy' or 'unhappy' or 'bad timing' or ..." + RIGHT),
    Reply(BRIEF, "c-solberg-met-trump", "refuted", OVAL, "Trump met Erna Solberg and Jonas Gahr Støre.",
          "correct", False, True, False,
          "labelled refuted; correction wrong: names the distractor 'met Erna Solberg'; expected "
          "'Jonas Gahr Støre'" + RIGHT),
    Reply(BRIEF, "c-solberg-met-trump", "refuted", OVAL, "Trump met Erna Solberg, not Store.",
          "correct", False, True, False,
          "labelled refuted; correction wrong: names the distractor 'met Erna Solberg'; expected "
          "'Jonas Gahr Støre'" + RIGHT),
    # right label, right correction, evidence from another paragraph, or none, or invented
    Reply(AP, "claim-border-300-miles", "refuted", TOLL, "123 miles",
          "correct", True, False, False,
          "labelled refuted; correction right: states 123 mi; evidence: not the golden passage"),
    Reply(AP, "claim-border-300-miles", "refuted", "", "123 miles",
          "correct", True, False, False, "labelled refuted; correction right: states 123 mi; evidence: none quoted"),
    Reply(AP, "claim-border-300-miles", "refuted", "Norway shares a 123-mile border with Russia, the article says.",
          "123 miles", "correct", True, False, False,
          "labelled refuted; correction right: states 123 mi; evidence: not the golden passage"),
    # wrong label: the correction is not judged, the evidence still is
    Reply(AP, "claim-border-300-miles", "supported", BORDER, "123 miles",
          "incorrect", None, True, False, "labelled supported; expected refuted" + RIGHT),
    Reply(AP, "claim-killed-90", "not_enough_info", "", None,
          "incorrect", None, False, False, "labelled not_enough_info; expected refuted; evidence: none quoted"),
    # not_enough_info: no golden evidence, any correction shown and not scored
    Reply(AP, "claim-70-missiles", "not_enough_info", "", "Russia launched 70 missiles.",
          "correct", None, None, True, "labelled not_enough_info; correction not scored (the claim is not refuted)"),
    Reply(AP, "claim-70-missiles", "not_enough_info", "", None,
          "correct", None, None, True, "labelled not_enough_info"),
    Reply(AP, "claim-70-missiles", "refuted", TOLL, "Russia launched 145 drones.",
          "incorrect", None, None, False,
          "labelled refuted; expected not_enough_info; correction not scored (the claim is not refuted)"),
]
# fmt: on


def _judge(row: Reply) -> tuple[str, str, LabelDetails]:
    output = FactcheckOutput(label=row.label, evidence=row.evidence, correction=row.correction)  # type: ignore[arg-type]
    verdict = TASK.judge(GOLDENS[row.seed], row.claim, output, SEEDS[row.seed].text)
    assert isinstance(verdict.details, LabelDetails)
    return verdict.outcome, verdict.reason, verdict.details


@pytest.mark.parametrize("row", ROWS, ids=[f"{r.claim}:{(r.correction or r.label)[:30]}" for r in ROWS])
def test_every_verdict_on_a_realistic_reply(row: Reply) -> None:
    outcome, reason, details = _judge(row)
    assert outcome == row.outcome, reason
    assert details.correction is row.correction_right, reason
    assert details.evidence is row.evidence_right, reason
    assert details.right_reason is row.right_reason, reason
    assert reason == row.reason
    assert (details.correction_rule is None) is (details.correction is None)


def test_the_table_covers_every_kind_of_reply() -> None:
    kinds = {(r.outcome, r.correction_right, r.evidence_right) for r in ROWS}
    assert {("correct", True, True), ("correct", False, True), ("correct", True, False)} <= kinds
    assert {("incorrect", None, True), ("correct", None, None)} <= kinds
    assert len(ROWS) >= 25


def _claims() -> list[tuple[str, Claim]]:
    return [(g.seed, c) for g in GOLDENS.values() for c in g.claims if c.label == "refuted"]


@pytest.mark.parametrize(("seed", "claim"), _claims(), ids=[c.id for _, c in _claims()])
def test_a_shipped_correction_accepts_its_evidence_and_rejects_the_claim(seed: str, claim: Claim) -> None:
    """Quoting the golden evidence corrects a refuted claim; restating the claim never does."""
    article = SEEDS[seed].text
    for passage in claim.passages:
        _, reason, details = _judge(Reply(seed, claim.id, "refuted", passage, passage, "", None, None, False, ""))
        assert details.correction is True and details.evidence is True, reason
    _, reason, details = _judge(
        Reply(seed, claim.id, "refuted", claim.passages[0], claim.claim, "", None, None, False, "")
    )
    assert details.correction is False, reason
    assert article  # the article the verdicts were judged against


def outcome(details: LabelDetails) -> ItemOutcome:
    right = details.gold == details.predicted
    return ItemOutcome("m", "factcheck/v1", "factcheck", "correct" if right else "incorrect", True, details)


def judged_claims(*kinds: ItemOutcome) -> Outcomes:
    """One reply a claim."""
    judged = Outcomes()
    for cluster, kind in enumerate(kinds):
        judged.append(kind, cluster)
    return judged


def test_metrics_count_each_verdict_over_the_claims_it_applies_to() -> None:
    judged = judged_claims(
        outcome(LabelDetails(gold="refuted", predicted="refuted", correction=True, evidence=True)),
        outcome(LabelDetails(gold="refuted", predicted="refuted", correction=False, evidence=True)),
        outcome(LabelDetails(gold="refuted", predicted="supported", evidence=False)),
        outcome(LabelDetails(gold="supported", predicted="supported", evidence=True)),
        outcome(LabelDetails(gold="not_enough_info", predicted="not_enough_info")),
    )
    m = {name: (est.value, est.n) for name, est in TASK.metrics(judged).items()}
    assert m["factcheck_accuracy"] == (0.8, 5)
    assert m["factcheck_correction_accuracy"] == (0.5, 2)  # the two refuted claims labelled refuted
    assert m["factcheck_right_evidence"] == (0.75, 4)  # the four claims with golden evidence
    assert m["factcheck_right_reason"] == (0.6, 5)  # a, d, e
    assert m["factcheck_refuted_recall"] == (2 / 3, 3)
    assert m["factcheck_supported_precision"] == (0.5, 2)  # d right, c wrong
    assert m["factcheck_refuted_precision"] == (1.0, 2)
    assert m["factcheck_supported_f1"][0] == pytest.approx(2 / 3)
    assert m["factcheck_not_enough_info_f1"][0] == 1.0
    for name, (_, n) in m.items():
        assert n > 0, name


def test_the_confusion_matrix_counts_every_claim_of_a_kind() -> None:
    same = LabelDetails(gold="refuted", predicted="supported")
    other = LabelDetails(gold="refuted", predicted="supported", evidence=True)  # another kind, the same cell
    judged = judged_claims(
        outcome(same), outcome(same), outcome(other), outcome(LabelDetails(gold="refuted", predicted="refuted"))
    )
    matrix = confusion(judged)["m"]
    assert (matrix["refuted"]["supported"], matrix["refuted"]["refuted"], matrix["supported"]["supported"]) == (3, 1, 0)


def test_a_label_no_claim_has_or_predicts_is_not_scored() -> None:
    judged = judged_claims(outcome(LabelDetails(gold="supported", predicted="supported", evidence=True)))
    metrics = TASK.metrics(judged)
    assert metrics["factcheck_refuted_f1"].value is None and metrics["factcheck_refuted_recall"].n == 0
    assert metrics["factcheck_correction_accuracy"].n == 0


def test_checks_are_what_compare_pairs() -> None:
    refuted = LabelDetails(gold="refuted", predicted="refuted", correction=False, evidence=True)
    assert TASK.checks(refuted) == {"right_reason": False, "correction": False, "right_evidence": True}
    assert TASK.checks(LabelDetails(gold="not_enough_info", predicted="refuted")) == {"right_reason": False}
    assert TASK.checks(None) == {}


def test_the_report_shows_the_correction_beside_the_label() -> None:
    parsed = {"label": "refuted", "evidence": BORDER, "correction": "123 miles"}
    assert TASK.answer_text(parsed) == "refuted; correction: 123 miles"
    assert TASK.answer_text({**parsed, "correction": None}) == "refuted"
    view = TASK.view(GOLDENS[AP], "claim-border-300-miles")
    assert view is not None and view.expected == "refuted; correction: 123 mi (also: 198 km)"
