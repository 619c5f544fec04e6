"""Every number of report.json on a constructed mix of results, each worked out by hand in the comments."""

from __future__ import annotations

from typing import Any

import pytest

from harness.metrics import GroupUsage, Price, Spending, item_score, task_metrics, worst
from harness.outcomes import Outcomes
from harness.report import build_report
from harness.stats import wilson
from harness.types import AnswerDetails, CoverageDetails, ItemResult, LabelDetails, Outcome, Usage
from tests.conftest import item_result


def result(task: str, item: str, outcome: Outcome, model: str = "m", sample: int = 0, **extra: Any) -> ItemResult:
    return item_result(task, item, model, sample, outcome=outcome, **extra)


def outcomes(rows: list[ItemResult]) -> Outcomes:
    return Outcomes.of(rows)


def usage(rows: list[ItemResult], prices: dict[str, Price] | None = None) -> list[GroupUsage]:
    return Spending.of(rows).usage(prices)


def qa(item: str, outcome: Outcome, grounded: bool | None = None, **extra: Any) -> ItemResult:
    return result("qa", item, outcome, grounded=grounded, **extra)


def unanswerable(item: str, outcome: Outcome, grounded: bool | None = None) -> ItemResult:
    return qa(item, outcome, grounded, details=AnswerDetails(answerable=False, hallucinated=outcome == "incorrect"))


def claim(item: str, gold: str, predicted: str) -> ItemResult:
    outcome: Outcome = "correct" if gold == predicted else "incorrect"
    return result("factcheck", item, outcome, grounded=True, details=LabelDetails(gold=gold, predicted=predicted))


def summary(item: str, outcome: Outcome, coverage: float, forbidden: list[str], **more: Any) -> ItemResult:
    details = CoverageDetails(coverage=coverage, forbidden_hits=tuple(forbidden), **more)
    return result("summary", item, outcome, details=details)


MIX = [
    # answerable questions: 2 correct of 4 judged (invalid and error are left out)
    qa("q1", "correct", True, tags=("critical",)),
    qa("q2", "correct", False),
    qa("q3", "incorrect", True, tags=("critical",)),
    qa("q4", "abstained"),
    qa("q5", "invalid"),
    qa("q6", "error"),
    # unanswerable questions: 1 declined, 2 answered anyway
    unanswerable("u1", "correct"),
    unanswerable("u2", "incorrect", False),
    unanswerable("u3", "incorrect", True),
    # claims (gold, predicted)
    claim("f1", "supported", "supported"),
    claim("f2", "supported", "refuted"),
    claim("f3", "refuted", "refuted"),
    claim("f4", "not_enough_info", "supported"),
    claim("f5", "refuted", "refuted"),
    result("factcheck", "f6", "invalid"),
    # summaries
    summary("s1", "correct", 0.75, []),
    summary(
        "s2",
        "incorrect",
        0.25,
        ["praise"],
        swaps={"k": "90 killed"},
        unsupported_names=("Solberg",),
        within_length=False,
    ),
    result("summary", "s3", "invalid"),
]


def metrics_of(results: list[ItemResult], tag: str | None = None) -> dict[tuple[str, str], Any]:
    report = build_report("r", "complete", results).model_dump(mode="json")  # report.json's content
    return {(m["task"], m["metric"]): m["estimate"] for m in report["metrics"] if m["tag"] == tag}


def proportion(k: int, n: int) -> dict[str, Any]:
    return wilson(k, n).model_dump(mode="json")


def test_every_qa_metric_of_the_mix() -> None:
    got = metrics_of(MIX)
    assert got["qa", "qa_accuracy"] == proportion(2, 4)  # q1, q2 of q1..q4
    assert got["qa", "abstention_accuracy"] == proportion(1, 3)  # u1 of u1..u3
    assert got["qa", "hallucination_rate"] == proportion(2, 3)  # u2, u3 of u1..u3
    assert got["qa", "evidence_grounding"] == proportion(3, 5)  # q1, q3, u3 of the five with a quote
    assert got["qa", "schema_validity"] == proportion(7, 8)  # q5 invalid; q6 (error) left out
    assert ("qa", "consistency") not in got  # one sample per item


def test_every_factcheck_metric_of_the_mix() -> None:
    got = metrics_of(MIX)
    assert got["factcheck", "factcheck_accuracy"] == proportion(3, 5)  # f1, f3, f5
    # F1 per label: supported tp1 fp1 fn1 -> 0.5; refuted tp2 fp1 fn0 -> 0.8; not_enough_info tp0 -> 0
    f1 = got["factcheck", "factcheck_macro_f1"]
    assert f1["value"] == pytest.approx((0.5 + 0.8 + 0.0) / 3) and f1["n"] == 5 and f1["method"] == "bootstrap"
    assert f1["lo"] <= f1["value"] <= f1["hi"] and f1["lo"] < f1["hi"]
    assert got["factcheck", "evidence_grounding"] == proportion(5, 5)
    assert got["factcheck", "schema_validity"] == proportion(5, 6)


def test_every_summary_metric_of_the_mix() -> None:
    got = metrics_of(MIX)
    coverage = got["summary", "summary_coverage"]
    assert coverage["value"] == pytest.approx(0.5) and coverage["n"] == 2  # mean of 0.75 and 0.25; s3 invalid
    assert coverage["lo"] == pytest.approx(0.25) and coverage["hi"] == pytest.approx(0.75)
    assert got["summary", "summary_forbidden_rate"] == proportion(1, 2)  # s2
    assert got["summary", "summary_swap_rate"] == proportion(1, 2)  # s2
    assert got["summary", "summary_faithfulness"] == proportion(1, 2)  # s1
    assert got["summary", "summary_length_compliance"] == proportion(1, 2)  # s1
    assert got["summary", "schema_validity"] == proportion(2, 3)
    assert got["summary", "evidence_grounding"]["n"] == 0  # no summary carried a judged quote


def test_metrics_per_tag_leave_out_empty_ones() -> None:
    got = metrics_of(MIX, tag="critical")
    assert got == {
        ("qa", "qa_accuracy"): proportion(1, 2),  # q1 right, q3 wrong
        ("qa", "evidence_grounding"): proportion(2, 2),
        ("qa", "schema_validity"): proportion(2, 2),
    }


def test_confusion_matrix_counts_scored_claims_only() -> None:
    report = build_report("r", "complete", MIX)
    assert report.confusion == {
        "m": {
            "supported": {"supported": 1, "refuted": 1, "not_enough_info": 0},
            "refuted": {"supported": 0, "refuted": 2, "not_enough_info": 0},
            "not_enough_info": {"supported": 1, "refuted": 0, "not_enough_info": 0},
        }
    }


def test_item_scores() -> None:
    by_id = {i.id: i.score for i in build_report("r", "complete", MIX).items}
    assert by_id["s/qa/q1#0"] == 1.0 and by_id["s/qa/q3#0"] == 0.0 and by_id["s/qa/q4#0"] == 0.0
    assert by_id["s/qa/q5#0"] == 0.0  # invalid counts as wrong
    assert by_id["s/qa/q6#0"] is None  # an infrastructure error has no score
    assert by_id["s/summary/s1#0"] == 0.75 and by_id["s/summary/s2#0"] == 0.25
    assert by_id["s/summary/s3#0"] == 0.0
    assert item_score(result("summary", "s4", "correct")) == 0.0  # no coverage recorded


def test_usage_latency_and_cost() -> None:
    def call(item: str, latency: float, cached: bool = False, outcome: Outcome = "correct") -> ItemResult:
        tokens = Usage(prompt_tokens=1000, completion_tokens=100, cached_tokens=400)
        return qa(item, outcome, usage=tokens, latency_s=latency, cached=cached)

    rows = [
        call("a", 1.0),
        call("b", 3.0),
        call("c", 2.0),
        call("d", 9.0, cached=True),
        call("e", 8.0, outcome="error"),
    ]
    rows += [qa("x", "invalid"), qa("y", "invalid", cached=True), call("z", 7.0, cached=True)]
    rows += [result("qa", "other", "correct", model="n", latency_s=5.0)]
    price = Price(input_per_mtok=2.0, output_per_mtok=10.0, cached_input_per_mtok=0.5)
    first, second = usage(rows, {"m": price})
    assert (first.model, first.items, first.from_cache, first.errors, first.invalid) == ("m", 8, 3, 1, 2)
    # this run's own calls (a, b, c, e): d's and z's tokens were spent by the run that cached them
    assert (first.prompt_tokens, first.completion_tokens, first.cached_tokens) == (4000, 400, 1600)
    # fresh, not failed latencies: 1, 3, 2 and x's 0 -> nearest rank p50 = 1.0, p95 = 3.0
    assert (first.latency_p50_s, first.latency_p95_s) == (1.0, 3.0)
    # the 4 calls not from the cache (a, b, c, e): 4 x (600 x $2 + 400 x $0.5 + 100 x $10) per million
    assert first.cost_usd == pytest.approx(4 * (600 * 2 + 400 * 0.5 + 100 * 10) / 1e6)
    assert (second.model, second.items, second.latency_p50_s, second.cost_usd) == ("n", 1, 5.0, None)


def test_batch_replies_cost_the_batch_rate_and_carry_no_latency() -> None:
    tokens = Usage(prompt_tokens=1000, completion_tokens=100, cached_tokens=400)
    rows = [
        qa("a", "correct", usage=tokens, latency_s=2.0),
        qa("b", "correct", usage=tokens, latency_s=0.0, batch=True),
        qa("c", "correct", usage=tokens, latency_s=0.0, batch=True),
    ]
    one = (600 * 2 + 400 * 0.5 + 100 * 10) / 1e6  # one reply at the listed price
    price = Price(input_per_mtok=2.0, output_per_mtok=10.0, cached_input_per_mtok=0.5)
    [row] = usage(rows, {"m": price})
    assert row.cost_usd == pytest.approx(one + 2 * one * 0.5)  # OpenAI's Batch API: half the price
    assert (row.prompt_tokens, row.completion_tokens, row.cached_tokens) == (3000, 300, 1200)  # both ways summed
    assert (row.latency_p50_s, row.latency_p95_s) == (2.0, 2.0)  # the batch replies' 0 s left out
    [quarter] = usage(rows, {"m": price.model_copy(update={"batch_rate": 0.25})})
    assert quarter.cost_usd == pytest.approx(one + 2 * one * 0.25)
    with pytest.raises(ValueError, match="batch_rate"):
        Price(input_per_mtok=1.0, output_per_mtok=1.0, batch_rate=0)


def test_cached_input_defaults_to_the_input_price() -> None:
    assert Price(input_per_mtok=3.0, output_per_mtok=0.0).cost(1_000_000, 250_000, 0) == pytest.approx(3.0)


def test_worst_items_errors_first_then_critical() -> None:
    picked = [r.item for r in worst(MIX, 6)]
    assert picked == ["q6", "f6", "q5", "s3", "q3", "f2"]  # by severity, critical first, then id
    assert [r.item for r in worst(MIX, 2)] == ["q6", "f6"]
    report = build_report("r", "complete", MIX, worst_n=1)
    assert [(w.id, w.outcome, w.reason) for w in report.worst] == [("s/qa/q6#0", "error", "why q6")]


def test_consistency_only_with_several_samples() -> None:
    rows = [qa("a", "correct", sample=0), qa("a", "incorrect", sample=1), qa("b", "error", sample=0)]
    rows += [qa("b", "correct", sample=1), qa("c", "correct", sample=0), qa("c", "correct", sample=1)]
    got = task_metrics(outcomes(rows), "qa")
    # a disagrees, c agrees; b has one answered sample (the error is left out) and agrees with itself
    assert got["consistency"].value == pytest.approx(2 / 3) and got["consistency"].n == 3
    # accuracy pools the judged samples of every item: a 1 of 2, b 1 of 1, c 2 of 2
    assert got["qa_accuracy"].value == pytest.approx(4 / 5) and got["qa_accuracy"].n == 3
    # one sample of each item, though not the first: no item has two, so there is no consistency to measure
    assert "consistency" not in task_metrics(
        outcomes([qa("a", "correct", sample=1), qa("b", "correct", sample=2)]), "qa"
    )


def test_a_group_of_only_unanswerable_questions_has_no_accuracy_and_all_its_abstention() -> None:
    got = task_metrics(outcomes([unanswerable("u1", "correct"), unanswerable("u2", "incorrect", False)]), "qa")
    assert (got["qa_accuracy"].n, got["abstention_accuracy"].value, got["hallucination_rate"].value) == (0, 0.5, 0.5)
    got = task_metrics(outcomes([qa("a", "correct")]), "qa")
    assert (got["qa_accuracy"].value, got["abstention_accuracy"].n) == (1.0, 0)


def test_cost_is_per_million_tokens_rounded_to_a_millionth_of_a_dollar() -> None:
    price = Price(input_per_mtok=1.0, output_per_mtok=0.0)
    assert price.cost(1_000_000, 0, 0) == 1.0
    rows = [qa("a", "correct", usage=Usage(prompt_tokens=1234567))]
    [row] = usage(rows, {"m": Price(input_per_mtok=0.333, output_per_mtok=0.0)})
    assert row.cost_usd == 0.411111  # 1.234567 M tokens x $0.333 = $0.411110811


def test_latency_p95_is_the_nearest_rank() -> None:
    rows = [qa(f"i{n}", "correct", latency_s=float(n)) for n in range(1, 101)]
    [row] = usage(rows)
    assert (row.latency_p50_s, row.latency_p95_s) == (50.0, 95.0)


def test_an_invalid_summary_scores_zero_whatever_its_details() -> None:
    assert item_score(result("summary", "s", "invalid", details=CoverageDetails(coverage=0.9))) == 0.0
    assert item_score(result("summary", "s", "incorrect", details=CoverageDetails(coverage=0.25))) == 0.25


def test_macro_f1_averages_the_labels_present_in_the_gold() -> None:
    two_right = [claim("a", "supported", "supported"), claim("b", "supported", "supported")]
    assert task_metrics(outcomes(two_right), "factcheck")["factcheck_macro_f1"].value == 1.0  # not 1/3
    # gold supported and refuted; a prediction of not_enough_info counts against them but adds no label
    mixed = [
        claim("a", "supported", "supported"),
        claim("b", "refuted", "not_enough_info"),
        claim("c", "refuted", "refuted"),
    ]
    # supported: tp1 fp0 fn0 -> 1.0; refuted: tp1 fp0 fn1 -> 2/3
    assert task_metrics(outcomes(mixed), "factcheck")["factcheck_macro_f1"].value == pytest.approx((1 + 2 / 3) / 2)


def test_confusion_leaves_out_errors_and_invalid_replies() -> None:
    rows = [claim("a", "refuted", "supported"), result("factcheck", "b", "error"), result("factcheck", "c", "invalid")]
    matrix = build_report("r", "complete", rows).confusion["m"]
    assert sum(n for row in matrix.values() for n in row.values()) == 1 and matrix["refuted"]["supported"] == 1
