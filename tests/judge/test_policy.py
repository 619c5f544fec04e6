"""--judge-policy and the judge's figures, table-driven on constructed results (worked out by hand)."""

from __future__ import annotations

from typing import Any

import pytest

from harness.config import JudgeConfig, JudgePolicy
from harness.judge.agreement import agreements, judge_section, judge_usage, rules_accept
from harness.judge.policy import decide, judge_difference
from harness.metrics import Price
from harness.types import AnswerDetails, CoverageDetails, ItemResult, JudgeVerdict, LabelDetails, Outcome, Usage
from tests.conftest import item_result


def verdict(accepted: bool | None, **fields: Any) -> JudgeVerdict:
    error = "the judge call failed: boom" if accepted is None else None
    return JudgeVerdict(
        model="j", prompt="judge/qa/v1", key="k", accepted=accepted, reason="because", error=error, **fields
    )


def qa(outcome: Outcome, judge: bool | None, answerable: bool = True, item: str = "q") -> ItemResult:
    details = AnswerDetails(answerable=answerable, hallucinated=not answerable and outcome == "incorrect")
    return item_result("qa", item, outcome=outcome, details=details, judge=verdict(judge))


def summary(outcome: Outcome, coverage: float, judge: JudgeVerdict, within: bool = True) -> ItemResult:
    details = CoverageDetails(coverage=coverage, covered=("a", "b"), missed=("c",), within_length=within)
    return item_result("summary", "s", outcome=outcome, details=details, judge=judge)


def claim(correction: bool | None, judge: bool | None) -> ItemResult:
    details = LabelDetails(gold="refuted", predicted="refuted", correction=correction)
    return item_result("factcheck", "c", outcome="correct", details=details, judge=verdict(judge))


@pytest.mark.parametrize(
    ("outcome", "judge", "policy", "expected"),
    [
        ("correct", False, "rules", "correct"),  # rules: the judge is shown, never counted
        ("correct", False, "judge", "incorrect"),
        ("incorrect", True, "judge", "correct"),
        ("abstained", False, "judge", "abstained"),  # rejected, it stays what the rules called it
        ("abstained", True, "judge", "correct"),
        ("correct", True, "both", "correct"),
        ("correct", False, "both", "incorrect"),
        ("incorrect", True, "both", "incorrect"),
        ("correct", None, "judge", "correct"),  # a judge error: the rules stand under every policy
        ("incorrect", None, "both", "incorrect"),
    ],
)
def test_the_policy_decides_a_questions_outcome(
    outcome: Outcome, judge: bool | None, policy: JudgePolicy, expected: Outcome
) -> None:
    decided = decide(qa(outcome, judge), policy)
    assert decided.outcome == expected
    if expected == outcome:
        assert decided == qa(outcome, judge)  # nothing changed, not even the reason
    else:
        says = "accepts" if judge else "rejects"
        assert decided.reason == f"{policy} policy: the judge {says} (because); the rules said {outcome}: why q"


def test_errors_and_invalid_replies_are_never_judged_over() -> None:
    for outcome in ("error", "invalid"):
        result = item_result("qa", "q", outcome=outcome, judge=verdict(True))
        assert decide(result, "judge") == result


def test_an_unanswerable_question_is_a_hallucination_exactly_when_the_policy_counts_it_wrong() -> None:
    declined = decide(qa("correct", False, answerable=False), "judge")
    assert declined.outcome == "incorrect"
    assert isinstance(declined.details, AnswerDetails) and declined.details.hallucinated
    answered = decide(qa("incorrect", True, answerable=False), "judge")
    assert answered.outcome == "correct"
    assert isinstance(answered.details, AnswerDetails) and not answered.details.hallucinated


def test_a_summary_under_the_judge_takes_its_coverage_and_facts() -> None:
    ruling = verdict(True, coverage=0.5, stated=("a", "c"), forbidden=("f",))
    decided = decide(summary("correct", 0.8, ruling), "judge")
    d = decided.details
    assert isinstance(d, CoverageDetails)
    assert (decided.outcome, d.coverage, d.covered, d.missed, d.forbidden_hits) == (
        "correct",
        0.5,
        ("a", "c"),
        ("b",),
        ("f",),
    )
    too_long = decide(summary("incorrect", 0.8, ruling, within=False), "judge")
    assert too_long.outcome == "incorrect"  # the judge accepts, but the length is the rules' to check
    rescued = summary("incorrect", 0.8, ruling)
    assert decide(rescued, "judge").outcome == "correct"  # the judge accepts and the length holds
    assert decide(rescued, "both").outcome == "incorrect"
    both = decide(summary("correct", 0.8, ruling), "both")
    assert isinstance(both.details, CoverageDetails) and both.details.coverage == 0.5  # the lower of the two
    rejected = decide(summary("correct", 0.8, verdict(False, coverage=0.9, stated=("a",))), "both")
    assert rejected.outcome == "incorrect" and isinstance(rejected.details, CoverageDetails)
    assert rejected.details.coverage == 0.8


@pytest.mark.parametrize(
    ("rules", "judge", "policy", "expected"),
    [
        (True, False, "judge", False),
        (False, True, "judge", True),
        (True, False, "both", False),
        (False, True, "both", False),
        (True, True, "both", True),
        (True, False, "rules", True),
        (True, None, "judge", True),
    ],
)
def test_a_fact_check_keeps_its_label_and_the_policy_decides_its_correction(
    rules: bool, judge: bool | None, policy: JudgePolicy, expected: bool
) -> None:
    decided = decide(claim(rules, judge), policy)
    assert decided.outcome == "correct"
    assert isinstance(decided.details, LabelDetails) and decided.details.correction is expected
    assert decided.details.right_reason is expected
    if expected != rules:
        says, said = ("accepts" if judge else "rejects"), ("right" if rules else "wrong")
        assert decided.reason == (
            f"{policy} policy: the judge {says} the correction (because); "
            f"the rules said the correction is {said}: why c"
        )
    no_correction = claim(None, judge)
    assert decide(no_correction, policy) == no_correction


def test_agreement_and_kappa_against_hand_computed_values() -> None:
    # rules: yes yes yes no no no; judge: yes yes no no no yes, and one judge error left out
    rows = [
        qa("correct", True, item="a"),
        qa("correct", True, item="b"),
        qa("correct", False, item="c"),
        qa("incorrect", False, item="d"),
        qa("abstained", False, item="e"),
        qa("incorrect", True, item="f"),
        qa("correct", None, item="g"),
    ]
    [a] = agreements(rows)
    assert (a.task, a.measure, a.n, a.rules_only, a.judge_only, a.judge_errors) == ("qa", "verdict", 6, 1, 1, 1)
    # po = 4/6; both say yes half the time: pe = 1/2 * 1/2 + 1/2 * 1/2 = 1/2; kappa = (2/3 - 1/2) / (1/2) = 1/3
    assert a.agreement.value == pytest.approx(4 / 6)
    assert a.kappa.value == pytest.approx(1 / 3)
    section = judge_section(JudgeConfig(model="j", policy="both"), {"judge/qa/v1": "x", "qa/v2": "y"}, rows)
    assert (section.judged, section.errors, section.prompts) == (7, 1, {"judge/qa/v1": "x"})
    assert [d.id for d in section.rules_only] == ["s/qa/c#0"] and [d.id for d in section.judge_only] == ["s/qa/f#0"]
    [rules_only], [judge_only] = section.rules_only, section.judge_only
    assert (rules_only.rules_accepts, rules_only.judge_accepts, rules_only.judge_reason) == (True, False, "because")
    assert (judge_only.rules_accepts, judge_only.judge_accepts, judge_only.rules) == (False, True, "incorrect")


def test_a_summarys_key_facts_and_a_corrections_verdict_are_compared_too() -> None:
    ruling = verdict(True, coverage=0.5, stated=("a", "c"))
    facts = [a for a in agreements([summary("correct", 0.8, ruling)]) if a.measure == "key fact"]
    # rules: a yes, b yes, c no; judge: a yes, b no, c yes
    assert [(f.n, f.rules_only, f.judge_only) for f in facts] == [(3, 1, 1)]
    assert rules_accept(claim(False, True)) is False and rules_accept(claim(True, True)) is True
    [c] = agreements([claim(True, False)])
    assert (c.measure, c.rules_only) == ("correction", 1)


def test_self_agreement_counts_the_rulings_asked_twice() -> None:
    rows = [
        item_result("qa", "a", judge=verdict(True, swapped=True)),
        item_result("qa", "b", judge=verdict(False, swapped=False)),
        item_result("qa", "d", judge=verdict(True, swapped=False)),
        item_result("qa", "c", judge=verdict(False)),
    ]
    section = judge_section(JudgeConfig(model="j"), {}, rows)
    assert section.self_agreement.value == pytest.approx(2 / 3) and section.self_agreement.n == 3


def test_key_facts_are_compared_only_where_both_ruled_on_facts() -> None:
    no_facts = summary("correct", 0.8, verdict(True))  # a ruling without coverage: nothing per fact
    odd = item_result("qa", "q", judge=verdict(True, coverage=0.5))  # a question has no facts
    assert [a.measure for a in agreements([no_facts])] == ["verdict"]
    assert [a.measure for a in agreements([odd])] == ["verdict"]


def test_the_judges_tokens_and_cost_are_its_own() -> None:
    spent = Usage(prompt_tokens=1000, completion_tokens=100, cached_tokens=200)
    rows = [
        item_result("qa", "a", judge=verdict(True, usage=spent, calls=2)),
        item_result("qa", "b", judge=verdict(True, usage=spent, cached=True)),
        item_result("qa", "c", judge=verdict(None, usage=spent)),
    ]
    price = Price(input_per_mtok=2.0, output_per_mtok=8.0, cached_input_per_mtok=1.0)
    u = judge_usage("judge: j", rows, price)
    assert (u.items, u.from_cache, u.errors, u.invalid) == (4, 1, 1, 0)
    assert (u.prompt_tokens, u.completion_tokens, u.cached_tokens) == (2000, 200, 400)
    # (2000 - 400) * 2 + 400 * 1 + 200 * 8 = 5200 per million
    assert u.cost_usd == pytest.approx(0.0052)
    odd = Price(input_per_mtok=0.0001, output_per_mtok=0.0, cached_input_per_mtok=0.0)
    assert judge_usage("judge: j", rows, odd).cost_usd == 0.0  # 1600 * 0.0001 / 1e6, rounded to 6 places
    section = judge_section(JudgeConfig(model="j"), {}, rows, {"j": price, "other": odd})
    assert section.usage.cost_usd == pytest.approx(0.0052) and section.usage.model == "judge: j"


def test_runs_judged_differently_are_told_apart() -> None:
    same = {"model": "j", "policy": "rules", "judge/qa/v1": "abc"}
    assert judge_difference("a", same, "b", dict(same)) is None
    assert judge_difference("a", same, "b", {}) == "a was judged by j and b by no judge"
    assert judge_difference("a", {}, "b", same) == "b was judged by j and a by no judge"
    other = {**same, "judge/qa/v1": "abd"}
    assert judge_difference("a", same, "b", other) == "a and b differ in their judge (judge/qa/v1: abc vs abd)"
    longer = {"model": "j", "policy": "both", "judge/summary/v1": "0123456789" * 3}
    assert judge_difference("a", longer, "b", same) == (
        "a and b differ in their judge (judge/qa/v1: - vs abc; judge/summary/v1: 01234567890123456789 vs -; "
        "policy: both vs rules)"
    )
    assert judge_difference("a", same, "b", longer) == (
        "a and b differ in their judge (judge/qa/v1: abc vs -; judge/summary/v1: - vs 01234567890123456789; "
        "policy: rules vs both)"
    )
