"""report.md: the report as tables to paste into a pull request (pure)."""

from __future__ import annotations

from harness.metrics import metric_info
from harness.report.model import RunReport
from harness.report.tables import fmt, leaderboard_rows, md_table
from harness.tasks.factcheck import LABELS


def render_markdown(report: RunReport) -> str:
    """report.md: leaderboard, per-task metrics, per-tag QA accuracy, usage, worst items."""
    parts = [
        f"# Run {report.run_id} ({report.status})",
        "",
        "Values are estimates with 95% intervals (Wilson for proportions, bootstrap over items otherwise).",
        "",
        "## Leaderboard",
        "",
        md_table(leaderboard_rows(report)),
        "",
        "## Every metric",
        "",
    ]
    rows = [["model", "prompt", "task", "metric", "estimate", "meaning"]]
    meanings = metric_info()
    for m in report.metrics:
        if m.tag is None:
            meaning = meanings[m.metric][0] if m.metric in meanings else ""
            rows.append([m.model, m.prompt, m.task, m.metric, fmt(m.estimate), meaning])
    parts += [md_table(rows), "", "## Accuracy per tag", ""]
    rows = [["model", "task", "tag", "metric", "estimate"]]
    for m in report.metrics:
        if m.tag is not None and m.metric in ("qa_accuracy", "factcheck_accuracy", "abstention_accuracy"):
            rows.append([m.model, m.task, m.tag, m.metric, fmt(m.estimate)])
    parts += [md_table(rows), "", "## Usage", ""]
    rows = [
        [
            "model",
            "items",
            "prompt tokens",
            "cached prompt tokens",
            "completion tokens",
            "latency p50 s",
            "latency p95 s",
            "invalid",
            "errors",
        ]
    ]
    for u in report.usage:
        rows.append(
            [
                u.model,
                str(u.items),
                str(u.prompt_tokens),
                str(u.cached_tokens),
                str(u.completion_tokens),
                "-" if u.latency_p50_s is None else f"{u.latency_p50_s:.2f}",
                "-" if u.latency_p95_s is None else f"{u.latency_p95_s:.2f}",
                str(u.invalid),
                str(u.errors),
            ]
        )
    parts += [md_table(rows), "", "## Fact-check confusion (rows: gold, columns: predicted)", ""]
    for model, matrix in report.confusion.items():
        rows = [[model, *LABELS]] + [[gold, *(str(matrix[gold][p]) for p in LABELS)] for gold in LABELS]
        parts += [md_table(rows), ""]
    parts += ["## Worst items", ""]
    rows = [["model", "item", "outcome", "why", "answer"]]
    for w in report.worst:
        answer = (w.answer or "")[:120]
        rows.append([w.model, w.id, w.outcome, w.reason[:160], answer])
    parts += [md_table(rows), ""]
    return "\n".join(parts)
