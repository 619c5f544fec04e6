"""Terminal tables (pure: results in, rich renderables out)."""

from __future__ import annotations

from collections import Counter

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from harness.report.judge import agreement_rows, policy_line
from harness.report.model import RunReport
from harness.report.tables import leaderboard_rows, shown
from harness.results import Tally
from harness.types import OUTCOMES


def leaderboard_table(report: RunReport) -> Table:
    """The headline metrics, one row per metric and one column per model (fits a terminal)."""
    title = f"Run {report.run_id} ({report.status}): estimate [95% interval] (n)"
    return transposed_table(title, leaderboard_rows(report))


def judge_table(report: RunReport) -> RenderableType:
    """The judge against the rules, under a line on its policy ("" without a judge)."""
    if report.judge is None:
        return ""
    table = rows_table("Judge against the rules: estimate [95% interval] (n)", agreement_rows(report.judge))
    return Group(Text(policy_line(report.judge)), table)


def outcome_table(tally: Tally) -> Group:
    """Outcome counts per task with accuracy over scored items: one table per model, titled by its name,
    so model and task names are never cut at 80 columns."""
    tables = []
    for model, tasks in sorted(tally.outcomes.items()):
        table = Table(title=Text(f"Outcomes of {shown(model)}"))
        table.add_column("task", overflow="fold")
        for outcome in OUTCOMES:
            table.add_column(outcome, justify="right")
        table.add_column("correct %", justify="right")
        for task, counts in sorted(tasks.items()):
            scored = counts["correct"] + counts["incorrect"] + counts["abstained"]
            accuracy = f"{counts['correct'] / scored:.1%}" if scored else "-"
            table.add_row(Text(task), *(str(counts[o]) for o in OUTCOMES), accuracy)
        tables.append(table)
    return Group(*tables)


def rows_table(title: str, rows: list[list[str]]) -> Table:
    """A header row and data rows as a terminal table."""
    table = Table(title=Text(title))
    for name in rows[0]:
        table.add_column(Text(name), overflow="fold")
    for row in rows[1:]:
        table.add_row(*(Text(cell) for cell in row))  # Text: brackets in model output are not markup
    return table


def transposed_table(title: str, rows: list[list[str]], heading: int = 1) -> Table:
    """One column per data row (titled by its first ``heading`` cells), one row per field: fits a terminal."""
    table = Table(title=Text(title))
    table.add_column("")
    for row in rows[1:]:
        table.add_column(Text("\n".join(reversed(row[:heading]))), overflow="fold")
    for index, name in enumerate(rows[0][heading:], start=heading):
        table.add_row(name.replace("_", " "), *(Text(row[index]) for row in rows[1:]))
    return table


def error_causes(tally: Tally, width: int = 160) -> list[str]:
    """One line per cause of the items that ended ``error``, most frequent first: the count, the
    model and the server's message (its first line, cut at ``width``)."""
    causes: Counter[tuple[str, str]] = Counter()
    for (model, reason), n in tally.causes.items():
        causes[(model, reason[:width])] += n
    return [f"{n} x {shown(model)}: {reason}" for (model, reason), n in causes.most_common()]
