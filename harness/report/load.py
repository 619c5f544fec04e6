"""Reading a saved report.json (with clear errors) and its JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from harness.errors import Problem, ReportError, record_problem
from harness.report.model import REPORT_FORMAT, RunReport


def load_report(path: Path) -> RunReport:
    """A report.json, or the one in a run folder; a clear error for anything else."""
    file = path / "report.json" if path.is_dir() else path
    fix = "pass a run folder under reports/runs/ or its report.json (`harness score RUN_ID` rebuilds a lost report)"
    try:
        raw = json.loads(file.read_bytes())
    except FileNotFoundError:
        raise ReportError([Problem(file=str(file), message="no such report", fix=fix)]) from None
    except (OSError, ValueError) as exc:
        message = f"not a readable JSON report ({str(exc).splitlines()[0]})"
        raise ReportError([Problem(file=str(file), message=message, fix=fix)]) from None
    version = raw.get("format_version") if isinstance(raw, dict) else None
    if not isinstance(version, int):
        raise ReportError([Problem(file=str(file), message="not a harness report (no format_version)", fix=fix)])
    if version > REPORT_FORMAT:
        message = f"written by a newer harness (report format {version}; this one reads up to {REPORT_FORMAT})"
        raise ReportError([Problem(file=str(file), message=message, fix="upgrade harness (pip install -U harness)")])
    if version < REPORT_FORMAT:
        message = f"report format {version} has no per-item results"
        rebuild = "rebuild it from its results with `harness score RUN_ID`"
        raise ReportError([Problem(file=str(file), message=message, fix=rebuild)])
    try:
        return RunReport.model_validate(raw)
    except ValidationError as exc:
        fix = "regenerate it with `harness score RUN_ID`"
        raise ReportError([record_problem(str(file), "does not match the report schema", exc, fix)]) from None


def report_json_schema() -> dict[str, Any]:
    """The JSON Schema of report.json (shipped as reports/report.schema.json)."""
    schema = RunReport.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def export_report_schema(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report_json_schema(), indent=2) + "\n", encoding="utf-8")
    return path
