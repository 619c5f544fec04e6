"""Writing a run's report.json, report.md and report.html, each atomically."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from harness.config import JudgeConfig
from harness.goldens import Golden
from harness.metrics import Price
from harness.report.build import Gathered, build_report
from harness.report.html import render_html
from harness.report.markdown import render_markdown
from harness.report.model import Inputs, RunReport
from harness.types import ItemResult


def write_reports(
    folder: Path,
    run_id: str,
    status: str,
    results: Iterable[ItemResult],
    prices: Mapping[str, Price] | None = None,
    goldens: Mapping[str, Golden] | None = None,
    inputs: Inputs | None = None,
    judge: JudgeConfig | None = None,
    total: int | None = None,
    gathered: Gathered | None = None,
) -> RunReport:
    """Build the report and write report.json, report.md and report.html into the run folder (``total``:
    the number of results, when known; ``gathered``: the results as an import gathered them)."""
    report = build_report(
        run_id, status, results, prices, goldens=goldens, inputs=inputs, judge=judge, total=total, gathered=gathered
    )
    for name, text in (
        ("report.json", report.model_dump_json(indent=2) + "\n"),
        ("report.md", render_markdown(report)),
        ("report.html", render_html([report])),
    ):
        tmp = folder / f".{name}.tmp"
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, folder / name)
    return report
