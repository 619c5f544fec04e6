"""Terminal tables (pure: results in, rich renderables out)."""

from __future__ import annotations

from collections import Counter, defaultdict

from rich.table import Table

from harness.report import RunReport, leaderboard_rows
from harness.types import OUTCOMES, ItemResult


def leaderboard_table(report: RunReport) -> Table:
    """The headline metrics, one row per metric and one column per model (fits a terminal)."""
    rows = leaderboard_rows(report)
    table = Table(title=f"Run {report.run_id} ({report.status}): estimate [95% interval] (n)")
    table.add_column("metric")
    for row in rows[1:]:
        table.add_column(row[0], overflow="fold")
    for index, name in enumerate(rows[0][1:], start=1):
        table.add_row(name.replace("_", " "), *(row[index] for row in rows[1:]))
    return table


def outcome_table(results: list[ItemResult]) -> Table:
    """Outcome counts per model and task, with accuracy over scored items."""
    table = Table(title="Outcomes per model and task")
    table.add_column("model")
    table.add_column("task")
    for outcome in OUTCOMES:
        table.add_column(outcome, justify="right")
    table.add_column("correct %", justify="right")
    groups: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for r in results:
        groups[(r.model, r.task)][r.outcome] += 1
    for (model, task), counts in sorted(groups.items()):
        scored = counts["correct"] + counts["incorrect"] + counts["abstained"]
        accuracy = f"{counts['correct'] / scored:.1%}" if scored else "-"
        table.add_row(model, task, *(str(counts[o]) for o in OUTCOMES), accuracy)
    return table
