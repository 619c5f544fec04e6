"""Paired comparison of two runs and the regression gate (pure functions: reports in, verdicts out).

``compare`` pairs the items both runs answered (same ``<seed>/<task>/<item>#<sample>``)
and, per metric, gives the difference B - A with a paired-bootstrap interval and, for
right/wrong outcomes, McNemar's exact p-value over the discordant pairs. ``gate`` turns a
comparison into a pass or a list of regressions; anything that makes the comparison
unfair (other seeds or goldens, nothing shared, infrastructure errors) is a
``ComparisonError`` instead: never a silent pass.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict

from harness.errors import ComparisonError
from harness.judge.policy import judge_difference
from harness.names import TaskName
from harness.report.lean import Row
from harness.report.model import RunReport
from harness.report.tables import md_table
from harness.stats import Estimate, mcnemar_exact, paired_difference
from harness.tasks import TASKS, task_names
from harness.types import Outcome


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Side(_Frozen):
    """One run (or one model of a run) as compared."""

    run_id: str
    model: str
    prompts: list[str]
    status: str
    items: int
    judge: dict[str, str] = {}  # the judge's model, policy and prompts' sha256 ({} without a judge)


class MetricDiff(_Frozen):
    task: TaskName | Literal["all"]
    metric: str  # correct_rate | schema_validity | coverage | a task's check (right_reason, correction, ...)
    n: int
    a: float
    b: float
    diff: Estimate  # mean(B) - mean(A) with a paired-bootstrap interval
    binary: bool
    a_only: int | None = None  # pairs right in A and wrong in B (binary metrics)
    b_only: int | None = None
    p_value: float | None = None  # McNemar exact, two-sided (binary metrics)


class Flip(_Frozen):
    """An item whose outcome changed between the runs (correct on one side only)."""

    id: str
    task: TaskName
    tags: list[str]
    worse: bool  # correct in A, not in B
    question: str | None
    expected: str | None
    a_outcome: Outcome
    b_outcome: Outcome
    a_answer: str | None
    b_answer: str | None
    a_reason: str
    b_reason: str


class Comparison(_Frozen):
    a: Side
    b: Side
    level: float
    shared: int
    only_a: int
    only_b: int
    errors: int  # shared items left out because either side ended in an infrastructure error
    metrics: list[MetricDiff]
    flips: list[Flip]


def _pick(report: RunReport, rows: Sequence[Row] | None, model: str | None, label: str) -> tuple[str, list[Row]]:
    rows = report.items if rows is None else rows
    models = sorted({i.model for i in rows})
    if not models:
        raise ComparisonError(f"{label} ({report.run_id}) has no item results. Fix: compare a finished run")
    if model is None:
        if len(models) > 1:
            raise ComparisonError(
                f"{label} ({report.run_id}) has several models ({', '.join(models)}). "
                f"Fix: name one as PATH@MODEL, e.g. {report.run_id}@{models[0]}"
            )
        model = models[0]
    if model not in models:
        raise ComparisonError(f"{label} ({report.run_id}) has no model {model!r}. Fix: use one of {', '.join(models)}")
    return model, [i for i in rows if i.model == model]


def _check_inputs(a: RunReport, b: RunReport, seeds: set[str]) -> None:
    for kind in ("seeds", "goldens"):
        ha, hb = getattr(a.inputs, kind), getattr(b.inputs, kind)
        for seed in sorted(seeds):
            if seed not in ha or seed not in hb:
                raise ComparisonError(
                    f"the {kind[:-1]} hash of {seed!r} is missing from {a.run_id if seed not in ha else b.run_id}, "
                    "so the runs cannot be shown to use the same data. Fix: re-run it with this harness"
                )
            if ha[seed] != hb[seed]:
                raise ComparisonError(
                    f"{a.run_id} and {b.run_id} used different {kind} for {seed!r} "
                    f"({ha[seed][:12]} vs {hb[seed][:12]}), so their scores are not comparable. "
                    f"Fix: re-run (or `harness score`) the older run with the current {kind}"
                )


def _correct(i: Row) -> float:
    return 1.0 if i.outcome == "correct" else 0.0


def _valid(i: Row) -> float:
    return 0.0 if i.outcome == "invalid" else 1.0


def _coverage(i: Row) -> float:
    return i.score or 0.0


def _measures(tasks: set[str]) -> list[tuple[str, Callable[[Row], float], bool, list[str]]]:
    """(metric, value of one item, right/wrong?, the task rows it is given for): correct_rate and schema
    validity for all items and each task, coverage for graded tasks (summary); tasks in registry order.

    correct_rate is correct / every paired item without an infrastructure error, so an invalid reply
    counts as not correct. It is not a report's qa_accuracy or factcheck_accuracy, which leave invalid
    replies out of the denominator (a model that breaks its JSON more often cannot look better here)."""
    ordered = [t for t in task_names() if t in tasks]  # records hold registered names only
    graded = [t for t in ordered if TASKS[t].graded]
    return [
        ("correct_rate", _correct, True, ["all", *ordered]),
        ("schema_validity", _valid, True, ["all", *ordered]),
        ("coverage", _coverage, False, graded),
    ]


def _check_values(scored: Sequence[tuple[Row, Row]]) -> dict[tuple[str, str], list[tuple[float, float]]]:
    """Per check a task records (``Task.checks``: factcheck's right_reason, correction, right_evidence; a
    summary's faithful and key_fact:<id>), the (A, B) values it is compared on: pairs where both sides judged
    it, or one side did and the other reply was invalid (which counts as not right, as in correct_rate). A
    check one side did not judge for a valid reply (a correction when that side's label was not refuted)
    leaves the pair out of that check. Checks named ``<measure>:<part>`` pool into one measure: every key
    fact of every summary is one pair of ``key_fact``."""
    found: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for x, y in scored:
        for name in dict.fromkeys([*x.checks, *y.checks]):
            if all(name in i.checks or i.outcome == "invalid" for i in (x, y)):
                pair = (float(x.checks.get(name, False)), float(y.checks.get(name, False)))
                found.setdefault((x.task, name.split(":")[0]), []).append(pair)
    return found


def _diff_values(task: str, name: str, values: list[tuple[float, float]], binary: bool, level: float) -> MetricDiff:
    n = len(values)
    a = sum(v for v, _ in values) / n
    b = sum(w for _, w in values) / n
    diff = paired_difference(values, level=level)
    if not binary:
        return MetricDiff(task=task, metric=name, n=n, a=a, b=b, diff=diff, binary=False)
    a_only = sum(v > w for v, w in values)
    b_only = sum(w > v for v, w in values)
    return MetricDiff(
        task=task,
        metric=name,
        n=n,
        a=a,
        b=b,
        diff=diff,
        binary=True,
        a_only=a_only,
        b_only=b_only,
        p_value=mcnemar_exact(a_only, b_only),
    )


def _flip(x: Row, y: Row) -> Flip:
    return Flip(
        id=x.id,
        task=x.task,
        tags=sorted(set(x.tags) | set(y.tags)),
        worse=x.outcome == "correct",
        question=x.question or y.question,
        expected=x.expected or y.expected,
        a_outcome=x.outcome,
        b_outcome=y.outcome,
        a_answer=x.answer,
        b_answer=y.answer,
        a_reason=x.reason,
        b_reason=y.reason,
    )


def compare(
    a: RunReport,
    b: RunReport,
    model_a: str | None = None,
    model_b: str | None = None,
    level: float = 0.95,
    rows: tuple[Sequence[Row] | None, Sequence[Row] | None] = (None, None),
) -> Comparison:
    """Pair the items A and B share and measure every difference B - A (each side's ``rows``, else its
    report's items)."""
    name_a, items_a = _pick(a, rows[0], model_a, "run A")
    name_b, items_b = _pick(b, rows[1], model_b, "run B")
    by_id_b = {i.id: i for i in items_b}
    ids_a = {i.id for i in items_a}
    shared = [(x, by_id_b[x.id]) for x in items_a if x.id in by_id_b]
    if not shared:
        raise ComparisonError(
            f"{a.run_id} and {b.run_id} share no items ({len(items_a)} vs {len(items_b)} results), "
            "so there is nothing to pair. Fix: run both on the same seeds, tasks and tags"
        )
    _check_inputs(a, b, {x.seed for x, _ in shared})
    scored = [(x, y) for x, y in shared if "error" not in (x.outcome, y.outcome)]
    flips = [_flip(x, y) for x, y in scored if (x.outcome == "correct") != (y.outcome == "correct")]
    flips.sort(key=lambda f: (not f.worse, f.id))
    return Comparison(
        a=_side(a, name_a, items_a),
        b=_side(b, name_b, items_b),
        level=level,
        shared=len(shared),
        only_a=len(ids_a - by_id_b.keys()),
        only_b=len(by_id_b.keys() - ids_a),
        errors=len(shared) - len(scored),
        metrics=_metric_diffs(scored, level),
        flips=flips,
    )


def _metric_diffs(scored: Sequence[tuple[Row, Row]], level: float) -> list[MetricDiff]:
    """Every measure over the pairs it applies to: the common ones per task, then each task's checks."""
    metrics: list[MetricDiff] = []
    for name, value, binary, tasks in _measures({x.task for x, _ in scored}):
        for task in tasks:
            pairs = [(x, y) for x, y in scored if task in ("all", x.task)]
            if pairs:
                metrics.append(_diff_values(task, name, [(value(x), value(y)) for x, y in pairs], binary, level))
    for (of_task, name), values in _check_values(scored).items():
        metrics.append(_diff_values(of_task, name, values, True, level))
    return metrics


def _side(report: RunReport, model: str, items: Sequence[Row]) -> Side:
    return Side(
        run_id=report.run_id,
        model=model,
        prompts=sorted({i.prompt for i in items}),
        status=report.status,
        items=len(items),
        judge=report.inputs.judge,
    )


def fmt_p(p: float) -> str:
    return "<0.0001" if p < 0.0001 else f"{p:.4f}"


def _judgeable(comparison: Comparison) -> None:
    """ComparisonError when an infrastructure error or an unfinished run leaves the gate unable to judge."""
    if comparison.errors:
        raise ComparisonError(
            f"{comparison.errors} shared items ended in an infrastructure error, so the gate cannot judge them. "
            "Fix: re-run when the endpoint is healthy (a run with errors is 'incomplete')"
        )
    for side in (comparison.a, comparison.b):
        if side.status != "complete":
            fix = (
                "run the missing shards, or finish each with harness run --resume RUN_ID"
                if "+" in side.run_id
                else f"finish it with harness run --resume {side.run_id}"
            )
            raise ComparisonError(f"run {side.run_id} is {side.status}, not complete. Fix: {fix}")
    differ = judge_difference(comparison.a.run_id, comparison.a.judge, comparison.b.run_id, comparison.b.judge)
    if differ:
        raise ComparisonError(
            f"{differ}, so the gate cannot judge them alike. Fix: run both with the same --judge flags"
        )


def gate(comparison: Comparison, max_drop: float, alpha: float, tags: Sequence[str] = ()) -> list[str]:
    """Why the candidate (B) regressed against the baseline (A); an empty list is a pass.

    A regression is a drop of more than ``max_drop`` that is significant at ``alpha``
    (McNemar for right/wrong metrics, the paired-bootstrap interval at 1 - alpha otherwise),
    or any item carrying one of ``tags`` that was correct in A and is not in B.
    Raises ComparisonError when the comparison cannot be trusted.
    """
    _judgeable(comparison)
    reasons = []
    for m in comparison.metrics:
        drop = m.a - m.b
        if drop <= max_drop:
            continue
        if m.binary and m.p_value is not None and m.p_value < alpha:
            reasons.append(
                f"{m.metric} ({m.task}) fell {m.a:.3f} -> {m.b:.3f} (drop {drop:.3f} > {max_drop}), "
                f"McNemar p={fmt_p(m.p_value)} < {alpha} ({m.a_only} items got worse, {m.b_only} better)"
            )
        elif not m.binary and m.diff.hi is not None and m.diff.hi < 0:
            reasons.append(
                f"{m.metric} ({m.task}) fell {m.a:.3f} -> {m.b:.3f} (drop {drop:.3f} > {max_drop}), "
                f"its {1 - alpha:.0%} interval [{m.diff.lo:.3f}, {m.diff.hi:.3f}] excludes 0"
            )
    wanted = set(tags)
    for f in comparison.flips:
        hit = sorted(wanted & set(f.tags))
        if f.worse and hit:
            reasons.append(f"{f.id} (tag {', '.join(hit)}) went {f.a_outcome} -> {f.b_outcome}: {f.b_reason}")
    return reasons


# --- rendering (pure: comparison in, text out) ----------------------------------------------


def _label(side: Side) -> str:
    return f"{side.run_id} ({side.model})"


def _pct(x: float) -> str:
    return f"{x:.3f}"


def metric_rows(c: Comparison) -> list[list[str]]:
    """Header + one row per task x metric: A, B, B - A with its interval, McNemar p."""
    rows = [["metric", "n", "A", "B", f"B - A [{c.level:.0%} CI]", "worse / better", "McNemar p"]]
    for m in c.metrics:
        diff = m.diff
        interval = "-" if diff.value is None else f"{diff.value:+.3f} [{diff.lo:+.3f}, {diff.hi:+.3f}]"
        discordant = "-" if m.a_only is None else f"{m.a_only} / {m.b_only}"
        p = "-" if m.p_value is None else fmt_p(m.p_value)
        rows.append([f"{m.task} {m.metric}", str(m.n), _pct(m.a), _pct(m.b), interval, discordant, p])
    return rows


def flip_rows(c: Comparison, limit: int | None = None) -> list[list[str]]:
    rows = [["item", "change", "question", "expected", "A answer", "B answer", "A why", "B why"]]
    for f in c.flips[:limit]:
        change = f"{f.a_outcome} -> {f.b_outcome}"
        rows.append(
            [
                f.id,
                ("worse: " if f.worse else "better: ") + change,
                f.question or "",
                f.expected or "",
                (f.a_answer or "")[:160],
                (f.b_answer or "")[:160],
                f.a_reason[:160],
                f.b_reason[:160],
            ]
        )
    return rows


def summary_line(c: Comparison) -> str:
    worse = sum(f.worse for f in c.flips)
    return (
        f"A = {_label(c.a)} [{', '.join(c.a.prompts)}], B = {_label(c.b)} [{', '.join(c.b.prompts)}]: "
        f"{c.shared} shared items ({c.only_a} only in A, {c.only_b} only in B, {c.errors} left out for errors); "
        f"{worse} got worse, {len(c.flips) - worse} got better"
    )


def render_comparison_markdown(c: Comparison) -> str:
    parts = [
        f"# Compare {_label(c.a)} -> {_label(c.b)}",
        "",
        summary_line(c) + ".",
        "",
        "Paired over shared items; B - A with a paired-bootstrap interval; McNemar's exact test on the "
        "items where exactly one side was right.",
        "",
        md_table(metric_rows(c)),
        "",
        "## Items that flipped",
        "",
        md_table(flip_rows(c)) if c.flips else "None.",
        "",
    ]
    return "\n".join(parts)
