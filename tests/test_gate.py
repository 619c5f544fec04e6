"""compare() and gate() as pure functions on constructed reports: when a drop is a regression, and what the
tables say. (tests/test_compare.py drives the same through the CLI on real runs.)"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from harness.compare import Comparison, compare, flip_rows, gate, metric_rows, render_comparison_markdown, summary_line
from harness.errors import ComparisonError
from harness.report import Inputs, ReportItem, RunReport
from harness.stats import mcnemar_exact
from harness.types import Outcome

INPUTS = Inputs(seeds={"s": "a" * 64}, goldens={"s": "b" * 64})


def item(
    i: int, outcome: Outcome, task: str = "qa", score: float | None = None, tags: Sequence[str] = ()
) -> ReportItem:
    default = None if outcome == "error" else (1.0 if outcome == "correct" else 0.0)
    return ReportItem(
        model="m",
        prompt=f"{task}/v1",
        id=f"s/{task}/i{i}#0",
        seed="s",
        task=task,
        tags=list(tags),
        outcome=outcome,
        reason=f"{outcome} {i}",
        score=default if score is None else score,
        question=f"question {i}?",
        expected=str(i),
        answer=f"answer {i}",
    )


def report(run_id: str, items: Sequence[ReportItem], status: str = "complete", inputs: Inputs = INPUTS) -> RunReport:
    return RunReport(
        run_id=run_id, status=status, inputs=inputs, metrics=[], usage=[], confusion={}, worst=[], items=list(items)
    )


def qa_runs(n: int, wrong_a: set[int], wrong_b: set[int]) -> Comparison:
    a = report("A", [item(i, "incorrect" if i in wrong_a else "correct") for i in range(n)])
    b = report("B", [item(i, "incorrect" if i in wrong_b else "correct") for i in range(n)])
    return compare(a, b)


def test_a_drop_beyond_max_drop_that_is_not_significant_passes() -> None:
    # 2 of 60 items flip to wrong: accuracy falls 1.000 -> 0.967 (> 0.02), but McNemar p = 0.5
    c = qa_runs(60, set(), {7, 8})
    accuracy = next(m for m in c.metrics if (m.task, m.metric) == ("qa", "correct_rate"))
    assert accuracy.a - accuracy.b == pytest.approx(2 / 60) and accuracy.p_value == pytest.approx(0.5)
    assert gate(c, max_drop=0.02, alpha=0.05) == []


def test_a_significant_drop_beyond_max_drop_is_a_regression() -> None:
    c = qa_runs(60, set(), set(range(8)))  # 8 worse, none better: p = 2 * 0.5**8 = 0.0078
    reasons = gate(c, max_drop=0.02, alpha=0.05)
    assert reasons[0] == (
        "correct_rate (all) fell 1.000 -> 0.867 (drop 0.133 > 0.02), "
        "McNemar p=0.0078 < 0.05 (8 items got worse, 0 better)"
    )
    assert [r.split(" fell")[0] for r in reasons] == ["correct_rate (all)", "correct_rate (qa)"]
    assert gate(c, max_drop=0.2, alpha=0.05) == []  # within the allowed drop
    assert gate(c, max_drop=0.02, alpha=0.005) == []  # not significant at a stricter alpha
    assert gate(c, max_drop=0.02, alpha=mcnemar_exact(8, 0)) == []  # p < alpha is strict


def test_a_drop_of_exactly_max_drop_passes() -> None:
    c = qa_runs(8, set(), {0, 1, 2, 3})  # accuracy 1.0 -> 0.5: a drop of exactly 0.5, p = 0.125
    assert gate(c, max_drop=0.5, alpha=0.2) == []
    assert gate(c, max_drop=0.49, alpha=0.2) != []


def summaries(coverages: Sequence[float]) -> list[ReportItem]:
    return [item(i, "correct", task="summary", score=c) for i, c in enumerate(coverages)]


def test_a_coverage_drop_whose_interval_excludes_zero_is_a_regression() -> None:
    a = report("A", summaries([0.8, 0.7, 0.9, 0.8, 0.6, 0.7, 0.8, 0.9]))
    b = report("B", summaries([0.6, 0.6, 0.7, 0.6, 0.5, 0.5, 0.6, 0.8]))  # every summary lost 0.1 to 0.2
    c = compare(a, b)
    coverage = next(m for m in c.metrics if m.metric == "coverage")
    assert not coverage.binary and coverage.p_value is None and coverage.a_only is None
    assert coverage.diff.value == pytest.approx(-0.1625) and coverage.diff.hi is not None and coverage.diff.hi < 0
    [reason] = gate(c, max_drop=0.02, alpha=0.05)
    assert reason.startswith("coverage (summary) fell 0.775 -> 0.612 (drop 0.163 > 0.02), its 95% interval [-0.")
    assert reason.endswith("] excludes 0")
    assert gate(c, max_drop=0.2, alpha=0.05) == []


def test_a_coverage_drop_whose_interval_spans_zero_passes() -> None:
    a = report("A", summaries([0.9, 0.2, 0.9, 0.3]))
    b = report("B", summaries([0.3, 0.5, 0.4, 0.6]))  # mean -0.125, but two of four got better
    c = compare(a, b)
    coverage = next(m for m in c.metrics if m.metric == "coverage")
    assert coverage.a - coverage.b == pytest.approx(0.125)
    assert coverage.diff.lo is not None and coverage.diff.hi is not None and coverage.diff.lo < 0 < coverage.diff.hi
    assert gate(c, max_drop=0.02, alpha=0.05) == []


def test_a_tagged_item_that_stopped_being_correct_fails_even_as_noise() -> None:
    a = report("A", [item(0, "correct", tags=["critical"]), item(1, "incorrect"), item(2, "correct", tags=["x"])])
    b = report("B", [item(0, "abstained", tags=["critical"]), item(1, "correct"), item(2, "correct", tags=["x"])])
    c = compare(a, b)
    assert gate(c, max_drop=1.0, alpha=0.05) == []
    assert gate(c, max_drop=1.0, alpha=0.05, tags=["critical", "x"]) == [
        "s/qa/i0#0 (tag critical) went correct -> abstained: abstained 0"
    ]
    assert gate(c, max_drop=1.0, alpha=0.05, tags=["other"]) == []


def test_the_comparison_counts_and_pairs() -> None:
    a = report("A", [item(0, "correct"), item(1, "incorrect"), item(2, "correct"), item(3, "invalid")])
    b = report(
        "B", [item(0, "incorrect"), item(1, "correct"), item(2, "error"), item(3, "correct"), item(9, "correct")]
    )
    c = compare(a, b)
    assert (c.shared, c.only_a, c.only_b, c.errors) == (4, 0, 1, 1)
    assert (c.a.items, c.b.items, c.a.prompts, c.b.status) == (4, 5, ["qa/v1"], "complete")
    by_name = {(m.task, m.metric): m for m in c.metrics}
    assert set(by_name) == {
        ("all", "correct_rate"),
        ("qa", "correct_rate"),
        ("all", "schema_validity"),
        ("qa", "schema_validity"),
    }
    acc = by_name["qa", "correct_rate"]  # items 0, 1, 3 (2 has an error): A 1,0,0  B 0,1,1
    assert (acc.n, acc.a_only, acc.b_only) == (3, 1, 2)
    assert acc.a == pytest.approx(1 / 3) and acc.b == pytest.approx(2 / 3)
    assert acc.p_value == pytest.approx(1.0) and acc.diff.value == pytest.approx(1 / 3)
    valid = by_name["qa", "schema_validity"]
    assert (valid.b, valid.a_only, valid.b_only) == (1.0, 0, 1) and valid.a == pytest.approx(2 / 3)
    assert [(f.id, f.worse, f.a_outcome, f.b_outcome) for f in c.flips] == [
        ("s/qa/i0#0", True, "correct", "incorrect"),
        ("s/qa/i1#0", False, "incorrect", "correct"),
        ("s/qa/i3#0", False, "invalid", "correct"),
    ]


def test_unfair_comparisons_are_errors_never_passes() -> None:
    good = [item(0, "correct")]
    with pytest.raises(ComparisonError, match="different goldens for 's'"):
        compare(report("A", good), report("B", good, inputs=Inputs(seeds=INPUTS.seeds, goldens={"s": "c" * 64})))
    with pytest.raises(ComparisonError, match="the seed hash of 's' is missing from B"):
        compare(report("A", good), report("B", good, inputs=Inputs(goldens=INPUTS.goldens)))
    with pytest.raises(ComparisonError, match="share no items"):
        compare(report("A", good), report("B", [item(1, "correct")]))
    with pytest.raises(ComparisonError, match="1 shared items ended in an infrastructure error"):
        gate(compare(report("A", good), report("B", [item(0, "error")])), 0.02, 0.05)
    with pytest.raises(
        ComparisonError, match=r"run B is incomplete, not complete\. Fix: finish it with harness run --resume B$"
    ):
        gate(compare(report("A", good), report("B", good, status="incomplete")), 0.02, 0.05)
    joined = report("B1+B2 (shards 3 of 3 missing)", good, status="incomplete")
    fix = r"Fix: run the missing shards, or finish each with harness run --resume RUN_ID$"
    with pytest.raises(
        ComparisonError, match=r"run B1\+B2 \(shards 3 of 3 missing\) is incomplete, not complete\. " + fix
    ):
        gate(compare(report("A", good), joined), 0.02, 0.05)


def test_the_tables_say_what_was_measured() -> None:
    c = qa_runs(4, {3}, {0})
    assert summary_line(c) == (
        "A = A (m) [qa/v1], B = B (m) [qa/v1]: 4 shared items (0 only in A, 0 only in B, 0 left out for errors); "
        "1 got worse, 1 got better"
    )
    rows = metric_rows(c)
    assert rows[0] == ["metric", "n", "A", "B", "B - A [95% CI]", "worse / better", "McNemar p"]
    assert rows[1][:4] == ["all correct_rate", "4", "0.750", "0.750"] and rows[1][5:] == ["1 / 1", "1.0000"]
    assert rows[1][4].startswith("+0.000 [-") and rows[1][4].endswith("]")
    assert flip_rows(c) == [
        ["item", "change", "question", "expected", "A answer", "B answer", "A why", "B why"],
        [
            "s/qa/i0#0",
            "worse: correct -> incorrect",
            "question 0?",
            "0",
            "answer 0",
            "answer 0",
            "correct 0",
            "incorrect 0",
        ],
        [
            "s/qa/i3#0",
            "better: incorrect -> correct",
            "question 3?",
            "3",
            "answer 3",
            "answer 3",
            "incorrect 3",
            "correct 3",
        ],
    ]
    assert len(flip_rows(c, limit=1)) == 2
    text = render_comparison_markdown(c)
    assert text.startswith("# Compare A (m) -> B (m)\n\nA = A (m) [qa/v1]")
    assert "| s/qa/i0#0 | worse: correct -> incorrect |" in text
    assert render_comparison_markdown(qa_runs(3, set(), set())).endswith("## Items that flipped\n\nNone.\n")
    two = [item(0, "correct"), item(1, "correct", task="factcheck")]
    both = compare(report("A", two), report("B", two))
    assert summary_line(both).startswith("A = A (m) [factcheck/v1, qa/v1], B = B (m) [factcheck/v1, qa/v1]: ")


def test_a_coverage_interval_that_touches_zero_is_not_a_regression() -> None:
    # one summary of ten lost 0.5: the mean fell 0.05, but most resamples leave it out, so hi is exactly 0
    c = compare(report("A", summaries([0.5] * 10)), report("B", summaries([0.0] + [0.5] * 9)))
    coverage = next(m for m in c.metrics if m.metric == "coverage")
    assert coverage.diff.hi == 0.0
    assert gate(c, max_drop=0.02, alpha=0.05) == []


def test_an_invalid_summary_has_zero_coverage() -> None:
    a = report("A", summaries([0.5, 0.5]))
    b = report("B", [*summaries([0.5]), item(1, "invalid", task="summary", score=0.0)])
    coverage = next(m for m in compare(a, b).metrics if m.metric == "coverage")
    assert (coverage.a, coverage.b) == (0.5, 0.25)


def test_the_interval_level_is_the_one_asked_for() -> None:
    a = report("A", summaries([0.9, 0.2, 0.9, 0.3, 0.5, 0.7]))
    b = report("B", summaries([0.3, 0.5, 0.4, 0.6, 0.1, 0.65]))
    wide = next(m for m in compare(a, b).metrics if m.metric == "coverage").diff
    narrow = next(m for m in compare(a, b, level=0.5).metrics if m.metric == "coverage").diff
    assert compare(a, b, level=0.5).level == 0.5
    assert wide.lo is not None and narrow.lo is not None and wide.lo < narrow.lo


def test_choosing_a_model_of_a_run() -> None:
    two = report("R", [item(0, "correct"), item(0, "incorrect").model_copy(update={"model": "n"})])
    with pytest.raises(ComparisonError) as several:
        compare(two, two)
    assert str(several.value) == "run A (R) has several models (m, n). Fix: name one as PATH@MODEL, e.g. R@m"
    c = compare(two, two, model_a="m", model_b="n")
    assert (c.a.model, c.b.model, [f.worse for f in c.flips]) == ("m", "n", [True])
    with pytest.raises(ComparisonError) as missing:
        compare(two, two, model_a="m", model_b="x")
    assert str(missing.value) == "run B (R) has no model 'x'. Fix: use one of m, n"
    with pytest.raises(ComparisonError) as empty:
        compare(report("E", []), two)
    assert str(empty.value) == "run A (E) has no item results. Fix: compare a finished run"
    single = report("S", [item(0, "correct")])
    assert compare(single, single).a.model == "m"


def test_input_mismatches_name_the_run_and_the_fix() -> None:
    good = [item(0, "correct")]
    with pytest.raises(ComparisonError) as missing:
        compare(report("A", good, inputs=Inputs(goldens=INPUTS.goldens)), report("B", good))
    assert str(missing.value) == (
        "the seed hash of 's' is missing from A, so the runs cannot be shown to use the same data. "
        "Fix: re-run it with this harness"
    )
    changed = Inputs(seeds=INPUTS.seeds, goldens={"s": "0123456789abcdef"})
    with pytest.raises(ComparisonError) as other:
        compare(report("A", good), report("B", good, inputs=changed))
    assert str(other.value) == (
        "A and B used different goldens for 's' (bbbbbbbbbbbb vs 0123456789ab), so their scores are not "
        "comparable. Fix: re-run (or `harness score`) the older run with the current goldens"
    )
    with pytest.raises(ComparisonError) as disjoint:
        compare(report("A", good), report("B", [item(1, "correct")]))
    assert str(disjoint.value) == (
        "A and B share no items (1 vs 1 results), so there is nothing to pair. "
        "Fix: run both on the same seeds, tasks and tags"
    )
    with pytest.raises(ComparisonError) as errors:
        gate(compare(report("A", good), report("B", [item(0, "error")])), 0.02, 0.05)
    assert str(errors.value) == (
        "1 shared items ended in an infrastructure error, so the gate cannot judge them. "
        "Fix: re-run when the endpoint is healthy (a run with errors is 'incomplete')"
    )


def test_flips_carry_both_sides() -> None:
    long = {"answer": "x" * 200, "reason": "y" * 200}
    a = report("A", [item(0, "correct", tags=["t1"]).model_copy(update={"question": None, **long})])
    b = report("B", [item(0, "incorrect", tags=["t2"]).model_copy(update={"expected": None, **long})])
    [flip] = compare(a, b).flips
    assert (flip.tags, flip.question, flip.expected) == (["t1", "t2"], "question 0?", "0")
    row = flip_rows(compare(a, b))[1]
    assert row[4:] == ["x" * 160, "x" * 160, "y" * 160, "y" * 160]
    nothing = {"question": None, "expected": None, "answer": None}
    blank_a = report("A", [item(0, "correct").model_copy(update=nothing)])
    blank_b = report("B", [item(0, "incorrect").model_copy(update=nothing)])
    assert flip_rows(compare(blank_a, blank_b))[1][2:6] == ["", "", "", ""]


def test_a_flip_with_several_gating_tags_names_them_all() -> None:
    a = report("A", [item(0, "correct", tags=["critical", "x"])])
    b = report("B", [item(0, "invalid", tags=["critical", "x"])])
    assert gate(compare(a, b), 1.0, 0.05, tags=["x", "critical"]) == [
        "s/qa/i0#0 (tag critical, x) went correct -> invalid: invalid 0"
    ]


def test_p_values_print_four_places_or_a_floor() -> None:
    from harness.compare import fmt_p

    assert (fmt_p(0.5), fmt_p(0.0001), fmt_p(0.00009999)) == ("0.5000", "0.0001", "<0.0001")


def test_the_markdown_report_in_full() -> None:
    c = qa_runs(2, set(), {1})
    text = render_comparison_markdown(c)
    interval = metric_rows(c)[1][4]
    assert text == "\n".join(
        [
            "# Compare A (m) -> B (m)",
            "",
            "A = A (m) [qa/v1], B = B (m) [qa/v1]: 2 shared items (0 only in A, 0 only in B, 0 left out for errors); "
            "1 got worse, 0 got better.",
            "",
            "Paired over shared items; B - A with a paired-bootstrap interval; McNemar's exact test on the items "
            "where exactly one side was right.",
            "",
            "| metric | n | A | B | B - A [95% CI] | worse / better | McNemar p |",
            "|---|---|---|---|---|---|---|",
            f"| all correct_rate | 2 | 1.000 | 0.500 | {interval} | 1 / 0 | 1.0000 |",
            f"| qa correct_rate | 2 | 1.000 | 0.500 | {interval} | 1 / 0 | 1.0000 |",
            f"| all schema_validity | 2 | 1.000 | 1.000 | {metric_rows(c)[3][4]} | 0 / 0 | 1.0000 |",
            f"| qa schema_validity | 2 | 1.000 | 1.000 | {metric_rows(c)[4][4]} | 0 / 0 | 1.0000 |",
            "",
            "## Items that flipped",
            "",
            "| item | change | question | expected | A answer | B answer | A why | B why |",
            "|---|---|---|---|---|---|---|---|",
            "| s/qa/i1#0 | worse: correct -> incorrect | question 1? | 1 | answer 1 | answer 1 | correct 1 "
            "| incorrect 1 |",
            "",
        ]
    )


def test_metric_rows_show_a_dash_where_a_figure_does_not_apply() -> None:
    c = compare(report("A", summaries([0.5, 0.7])), report("B", summaries([0.4, 0.7])))
    coverage_row = next(r for r in metric_rows(c) if r[0] == "summary coverage")
    assert coverage_row[5:] == ["-", "-"]
    empty = c.model_copy(
        update={
            "metrics": [
                c.metrics[-1].model_copy(update={"diff": c.metrics[-1].diff.model_copy(update={"value": None})})
            ]
        }
    )
    assert metric_rows(empty)[1][4] == "-"


def test_task_rows_follow_the_registry() -> None:
    mixed = [
        item(1, "correct", task="summary", score=0.5),
        item(3, "correct"),
        item(4, "correct", task="factcheck"),
    ]
    c = compare(report("A", mixed), report("B", mixed))
    rows = [m.task for m in c.metrics if m.metric == "correct_rate"]
    assert rows == ["all", "qa", "factcheck", "summary"]
    assert [m.task for m in c.metrics if m.metric == "coverage"] == ["summary"]  # only graded tasks


def claim(i: int, outcome: Outcome, **checks: bool) -> ReportItem:
    return item(i, outcome, task="factcheck").model_copy(update={"checks": checks})


def test_a_tasks_checks_are_paired_where_both_sides_judged_them_or_one_reply_was_invalid() -> None:
    a = [
        claim(0, "correct", right_reason=True, correction=True),
        claim(1, "correct", right_reason=True, correction=True),  # B labels it otherwise: no correction
        claim(2, "correct", right_reason=True, correction=True),  # B invalid: counts as wrong
        claim(3, "incorrect", right_reason=False),
    ]
    b = [
        claim(0, "correct", right_reason=False, correction=False),
        claim(1, "incorrect", right_reason=False),
        item(2, "invalid", task="factcheck"),
        claim(3, "correct", right_reason=True),
    ]
    c = compare(report("A", a), report("B", b))
    by_name = {(m.task, m.metric): m for m in c.metrics}
    correction = by_name[("factcheck", "correction")]
    assert (correction.n, correction.a, correction.b) == (2, 1.0, 0.0)  # items 0 and 2
    assert (correction.a_only, correction.b_only) == (2, 0) and correction.p_value == pytest.approx(0.5)
    reason = by_name[("factcheck", "right_reason")]
    assert (reason.n, reason.a, reason.b, reason.a_only, reason.b_only) == (4, 0.75, 0.25, 3, 1)
    assert ("qa", "correction") not in by_name and ("all", "correction") not in by_name


def test_a_significant_fall_of_a_check_is_a_regression() -> None:
    a = [claim(i, "correct", right_reason=True, correction=True) for i in range(40)]
    b = [claim(i, "correct", right_reason=i >= 10, correction=i >= 10) for i in range(40)]
    reasons = gate(compare(report("A", a), report("B", b)), max_drop=0.02, alpha=0.05)
    assert reasons == [
        "right_reason (factcheck) fell 1.000 -> 0.750 (drop 0.250 > 0.02), McNemar p=0.0020 < 0.05 "
        "(10 items got worse, 0 better)",
        "correction (factcheck) fell 1.000 -> 0.750 (drop 0.250 > 0.02), McNemar p=0.0020 < 0.05 "
        "(10 items got worse, 0 better)",
    ]


def summary(i: int, covered: set[str], faithful: bool = True) -> ReportItem:
    facts = {f"key_fact:{f}": f in covered for f in ("killed", "injured", "stop")}
    return item(i, "correct", task="summary", score=len(covered) / 3).model_copy(
        update={"checks": {"faithful": faithful, **facts}}
    )


def test_a_summarys_key_facts_pool_into_one_paired_measure() -> None:
    a = [summary(i, {"killed", "injured", "stop"}) for i in range(5)]
    b = [summary(i, {"killed"}, faithful=i != 0) for i in range(5)]  # 10 facts lost, one summary unfaithful
    by_name = {(m.task, m.metric): m for m in compare(report("A", a), report("B", b)).metrics}
    facts = by_name[("summary", "key_fact")]
    assert (facts.n, facts.a, facts.a_only, facts.b_only) == (15, 1.0, 10, 0) and facts.b == pytest.approx(1 / 3)
    assert facts.p_value == pytest.approx(mcnemar_exact(10, 0))
    assert (by_name[("summary", "faithful")].a_only, by_name[("summary", "faithful")].n) == (1, 5)
    reasons = gate(compare(report("A", a), report("B", b)), max_drop=0.02, alpha=0.05)
    assert reasons[-1].startswith("key_fact (summary) fell 1.000 -> 0.333")


def test_an_invalid_reply_in_the_baseline_counts_as_not_right_for_a_check() -> None:
    a = [item(0, "invalid", task="factcheck")]
    b = [claim(0, "correct", right_reason=True, correction=True)]
    by_name = {(m.task, m.metric): m for m in compare(report("A", a), report("B", b)).metrics}
    correction = by_name[("factcheck", "correction")]
    assert (correction.n, correction.a, correction.b, correction.a_only, correction.b_only) == (1, 0.0, 1.0, 0, 1)


def test_the_gate_refuses_runs_judged_differently_and_names_them() -> None:
    good = [item(0, "correct")]
    judged = Inputs(seeds=INPUTS.seeds, goldens=INPUTS.goldens, judge={"model": "j", "policy": "rules"})
    c = compare(report("A", good, inputs=judged), report("B", good))
    assert c.a.judge == {"model": "j", "policy": "rules"} and c.b.judge == {}
    with pytest.raises(ComparisonError) as refused:
        gate(c, 0.02, 0.05)
    assert str(refused.value) == (
        "A was judged by j and B by no judge, so the gate cannot judge them alike. "
        "Fix: run both with the same --judge flags"
    )
    other = Inputs(seeds=INPUTS.seeds, goldens=INPUTS.goldens, judge={"model": "j", "policy": "both"})
    with pytest.raises(ComparisonError, match=r"^A and B differ in their judge \(policy: rules vs both\)"):
        gate(compare(report("A", good, inputs=judged), report("B", good, inputs=other)), 0.02, 0.05)
    assert gate(compare(report("A", good, inputs=judged), report("B", good, inputs=judged)), 0.02, 0.05) == []


def test_rows_given_beside_the_reports_are_what_is_paired() -> None:
    # a very large run's report lists a sample; compare pairs every result's row (report/lean.py) instead
    sample_a, sample_b = report("A", [item(0, "correct")]), report("B", [item(0, "correct")])
    rows_a = [item(i, "correct") for i in range(4)]
    rows_b = [item(i, "incorrect" if i < 3 else "correct") for i in range(5)]
    c = compare(sample_a, sample_b, rows=(rows_a, rows_b))
    assert (c.shared, c.only_a, c.only_b, c.a.items, c.b.items) == (4, 0, 1, 4, 5)
    assert [f.id for f in c.flips] == ["s/qa/i0#0", "s/qa/i1#0", "s/qa/i2#0"] and all(f.worse for f in c.flips)
    one_side = compare(sample_a, sample_b, rows=(None, rows_b))  # A's report lists all it has
    assert (one_side.shared, one_side.only_b, one_side.a.items) == (1, 4, 1)
