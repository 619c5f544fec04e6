"""The shipped summary rubrics judged on realistic summaries.

Two tables: summaries a helper wrote from the articles alone, never seeing a rubric (tests/tasks/data/
summaries.yaml: three faithful ones per article, one sentence, four with one classic error each), and
hand-made cases, each showing one rule of the judgement with its verdict and reason.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from harness.goldens import Golden, load_goldens
from harness.seeds import Seed, load_seeds
from harness.tasks.summary import TASK, SummaryOutput, all_summaries, known_names, quantities
from harness.types import CoverageDetails, Verdict

REPO = Path(__file__).resolve().parents[2]
SEEDS: dict[str, Seed] = load_seeds(REPO / "seeds")
GOLDENS: dict[str, Golden] = load_goldens(REPO / "goldens", SEEDS)
WRITTEN: dict[str, Any] = yaml.safe_load((Path(__file__).parent / "data" / "summaries.yaml").read_text("utf-8"))
AP = "ap-kyiv-strike-2025-04-24"


def judge(seed: str, text: str, item: str = "summary") -> tuple[Verdict, CoverageDetails]:
    verdict = TASK.judge(GOLDENS[seed], item, SummaryOutput(summary=text, key_points=[]), SEEDS[seed].text)
    assert isinstance(verdict.details, CoverageDetails)
    return verdict, verdict.details


FAITHFUL = [
    (seed, f"{style}", text)
    for seed, written in WRITTEN.items()
    for style, text in [
        *((f["style"], f["text"]) for f in written["faithful"]),
        ("one sentence", written["one_sentence"]),
    ]
]


@pytest.mark.parametrize(("seed", "style", "text"), FAITHFUL, ids=[f"{s[:6]}-{style}" for s, style, _ in FAITHFUL])
def test_every_rubric_accepts_faithful_summaries_written_without_it(seed: str, style: str, text: str) -> None:
    verdict, details = judge(seed, text)
    assert verdict.outcome == "correct", verdict.reason
    assert not details.forbidden_hits and not details.swaps and details.faithful


# The error each written summary makes, and the verdict that must catch it.
CATCHES = {
    "swapped_numbers": ("swaps the number of", "states forbidden fact f-swapped-counts", "-f-swapped-counts"),
    "wrong_person": ("states forbidden fact", "what the article attributes to another", "names not in the article"),
    "praise_of_strikes": ("states forbidden fact",),
    "invented_number": ("numbers not in the article", "states forbidden fact f-500-killed"),
    "invented_fact": ("states forbidden fact", "numbers not in the article", "names not in the article"),
}
# What the rules cannot see, kept so that a rule that starts to see it is noticed: the AP page states
# 40 elsewhere, so "some 40 buildings" is a number of the article.
MISSED = {(AP, "invented_number")}
ERRORS = [(seed, e["kind"], e["text"]) for seed, written in WRITTEN.items() for e in written["errors"]]


@pytest.mark.parametrize(("seed", "kind", "text"), ERRORS, ids=[f"{s[:6]}-{kind}" for s, kind, _ in ERRORS])
def test_every_rubric_rejects_the_classic_errors_for_the_right_reason(seed: str, kind: str, text: str) -> None:
    verdict, _ = judge(seed, text)
    if (seed, kind) in MISSED:
        assert verdict.outcome == "correct", "a known miss is caught now: take it out of MISSED"
        return
    assert verdict.outcome == "incorrect"
    assert any(words in verdict.reason for words in CATCHES[kind]), verdict.reason


CASES = [
    # numbers as numbers, inflected words, per sentence
    ("A dozen people died and 90 were wounded in Kyiv.", ["kf-killed-12", "kf-injured-90"], ""),
    ("Russia's attack on Kyiv left twelve dead and injured ninety.",
     ["kf-killed-12", "kf-injured-90", "kf-kyiv-missiles-drones"], ""),
    ("Twelve people. They were killed in Kyiv.", [], ""),  # split across sentences: not stated
    ("At least 12 people were killed; 90 suffered injuries.", ["kf-killed-12", "kf-injured-90"], ""),
    ("It was the most lethal assault in nine months.", ["kf-deadliest-since-july"], ""),
    ("The attack killed 120 people.", [], "numbers not in the article: 120"),
    ("Trump urged Putin to stop after the strikes.", ["kf-trump-rebukes-putin"], ""),
    ("Trump, who has long praised Putin, told him to stop after the strikes.", ["kf-trump-rebukes-putin"], ""),
    ("Zelenskyy said Crimea would not be surrendered.", ["kf-crimea-zelenskyy"], ""),
    ("Crimea was mentioned.", [], ""),  # the topic word alone is no fact
    ("22 allies met the spending goal.", ["kf-nato-spending"], ""),
    ("23 allies met the 2% goal.", [], "swaps the number of kf-nato-spending"),  # the forecast, not the result
    ("The U.S. peace effort has stalled.", ["kf-peace-deal-stalled"], ""),
    ("A peace deal was reached.", [], ""),
    ("Trump met Norway's prime minister, Jonas Gahr Støre.", ["kf-norway-pm-meeting"], ""),
    ("Macron said Putin should stop lying.", ["kf-macron-stop-lying"], ""),
    ("Witkoff will visit Moscow for talks.", ["kf-witkoff-moscow"], ""),
    # swaps, forbidden facts, unsupported names
    ("The barrage killed at least 90 people and injured 12.", [], "swaps the number of kf-killed-12"),
    ("Trump praised the strikes on Kyiv.", ["kf-kyiv-missiles-drones"],
     "states forbidden fact fb-trump-praised-strikes"),
    ("Trump rebuked Putin after the Kyiv strikes; Støre hailed U.S. engagement.",
     ["kf-trump-rebukes-putin", "kf-kyiv-missiles-drones", "kf-norway-pm-meeting"], ""),
    ("Gahr Støre said Putin should stop lying.", ["kf-norway-pm-meeting"],
     "states forbidden fact fb-stoere-stop-lying"),
    ("Trump met Norwegian Prime Minister Erna Solberg.", ["kf-norway-pm-meeting"],
     "names not in the article: Erna Solberg"),
    ("Russia struck Lviv with missiles.", [], "states forbidden fact fb-wrong-city-struck"),
    ("Jonas Gahr St\u00f8re posted \u201cVladimir, STOP!\u201d on Thursday.", ["kf-norway-pm-meeting"],
     "gives Jonas Gahr St\u00f8re what the article attributes to another"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "covered", "problem"), CASES, ids=[t[:40] for t, _, _ in CASES])
def test_each_rule_on_one_sentence(text: str, covered: list[str], problem: str) -> None:
    verdict, details = judge(AP, text)
    assert list(details.covered) == covered, verdict.reason
    assert all(details.sentences[fact] for fact in covered)
    if problem:
        assert problem in verdict.reason
    else:
        assert not details.forbidden_hits and not details.swaps and details.faithful, verdict.reason


ITEM_TEXTS: dict[str, Any] = yaml.safe_load((Path(__file__).parent / "data" / "summary_items.yaml").read_text("utf-8"))
ITEM_FAITHFUL = [
    (seed, item, text)
    for seed, items in ITEM_TEXTS.items()
    for item, texts in items.items()
    for text in texts["faithful"]
]
ITEM_ERRORS = [
    (seed, item, e["kind"], e["text"]) for seed, items in ITEM_TEXTS.items() for item, texts in items.items()
    for e in texts["errors"]
]  # fmt: skip
# Errors no rule catches, kept so that a rule that starts to catch one is noticed: Stoltenberg "was set to meet"
# Rubio names an act, not a statement (attribution checks only reporting verbs), and an invented condition of
# the plan ("Ukraine's army capped") has no number or name of its own; that is the LLM judge's work.
ITEM_MISSED = {
    ("elpais-kyiv-strike-2025-04-24", "long-150", "wrong_person"),
    ("elpais-kyiv-strike-2025-04-24", "us-proposal", "invented_fact"),
}


@pytest.mark.parametrize(("seed", "item", "text"), ITEM_FAITHFUL, ids=[f"{s[:6]}-{i}" for s, i, _ in ITEM_FAITHFUL])
def test_every_summary_item_accepts_faithful_summaries_written_without_its_rubric(
    seed: str, item: str, text: str
) -> None:
    verdict, details = judge(seed, text, item)
    assert verdict.outcome == "correct", verdict.reason
    assert not details.forbidden_hits and not details.swaps and details.faithful


@pytest.mark.parametrize(
    ("seed", "item", "kind", "text"), ITEM_ERRORS, ids=[f"{s[:6]}-{i}-{k}" for s, i, k, _ in ITEM_ERRORS]
)
def test_every_summary_item_rejects_the_classic_errors(seed: str, item: str, kind: str, text: str) -> None:
    verdict, _ = judge(seed, text, item)
    if (seed, item, kind) in ITEM_MISSED:
        assert verdict.outcome == "correct", "a known miss is caught now: take it out of ITEM_MISSED"
        return
    assert verdict.outcome == "incorrect"
    assert any(words in verdict.reason for words in CATCHES[kind]), verdict.reason


def test_every_shipped_golden_has_its_summary_items() -> None:
    counts = {seed: len(all_summaries(g)) for seed, g in GOLDENS.items()}
    assert counts == {AP: 6, "elpais-kyiv-strike-2025-04-24": 6, "injected-kyiv-brief-2025-04-24": 3}
    for seed, items in ITEM_TEXTS.items():
        assert set(items) <= {r.id for r in all_summaries(GOLDENS[seed])}


def test_enough_cases() -> None:
    assert len(FAITHFUL) + len(ERRORS) + len(CASES) + len(ITEM_FAITHFUL) + len(ITEM_ERRORS) >= 40


def test_the_numbers_and_names_a_golden_gives() -> None:
    golden = GOLDENS[AP]
    numbers = quantities(golden)
    assert {12, 90, 123, 198, 22, 23, 5000} <= numbers  # answers, "198 km", a claim's evidence, key facts
    assert all(isinstance(n, float) for n in numbers)
    names = known_names(golden)
    assert "Jonas Gahr Støre" in names and "Zelenskiy" in names  # a question's answer, a correction's alias
    assert not any(name.isdigit() for name in names)


def test_what_compare_pairs_for_a_summary() -> None:
    from harness.tasks.summary import TASK

    _, details = judge(AP, "The barrage killed at least 90 people and injured 12. Trump met Erna Solberg.")
    checks = TASK.checks(details)
    assert checks["faithful"] is False
    assert checks["key_fact:kf-killed-12"] is False and checks["key_fact:kf-norway-pm-meeting"] is False
    assert sum(name.startswith("key_fact:") for name in checks) == len(GOLDENS[AP].summary.key_facts)  # type: ignore[union-attr]
    assert TASK.checks(None) == {}
