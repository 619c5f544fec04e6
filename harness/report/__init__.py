"""The run report: every metric with its 95% interval per model x prompt x task (and per tag), usage,
the worst items and every item, as report.json (versioned, with a JSON Schema), report.md (tables for
a pull request), report.html (one self-contained page) and terminal tables.

    model.py      the records of report.json (RunReport, ReportItem, Inputs, WorstItem)
    build.py      a report from results (the numbers come from harness.metrics)
    load.py       reading a saved report.json, with clear errors; its JSON Schema
    tables.py     table rows shared by every rendering (leaderboard, fmt, md_table)
    markdown.py   report.md
    html.py       report.html
    terminal.py   rich tables for the CLI
    prices.py     the --prices table
    write.py      writing report.json/md/html into a run folder

Everything but ``write`` and ``load`` is a pure function; ``harness score`` rebuilds these files from
results.jsonl without calling any model. Where to add a report format: a pure function of
``RunReport`` in its own module here, called from ``write.write_reports``.
"""

from harness.report.build import build_report
from harness.report.load import export_report_schema, load_report, report_json_schema
from harness.report.markdown import render_markdown
from harness.report.model import REPORT_FORMAT, Inputs, ReportItem, RunReport, WorstItem
from harness.report.prices import load_prices
from harness.report.tables import (
    LEADERBOARD,
    LEADERBOARD_NOTE,
    fmt,
    leaderboard_rows,
    md_table,
    runs_leaderboard_rows,
)
from harness.report.write import write_reports

__all__ = [
    "LEADERBOARD",
    "LEADERBOARD_NOTE",
    "REPORT_FORMAT",
    "Inputs",
    "ReportItem",
    "RunReport",
    "WorstItem",
    "build_report",
    "export_report_schema",
    "fmt",
    "leaderboard_rows",
    "load_prices",
    "load_report",
    "md_table",
    "render_markdown",
    "report_json_schema",
    "runs_leaderboard_rows",
    "write_reports",
]
