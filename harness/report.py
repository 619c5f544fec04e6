"""The run report: metrics with 95% intervals per model x prompt x task (and per tag),
written as report.json (versioned, with a JSON Schema) and report.md (tables for a PR).

The numbers come from ``harness.metrics``; this module assembles them with every item's view,
loads and checks saved reports, and renders markdown. Everything is a pure function of the
results; ``harness score`` re-scores a run from results.jsonl and rebuilds these files without
calling any model.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from harness.errors import ConfigError, Problem, ReportError, yaml_problem
from harness.goldens import Golden
from harness.metrics import (
    GroupUsage,
    Metric,
    Price,
    all_metrics,
    confusion,
    item_score,
    metric_info,
    usage,
    worst,
)
from harness.stats import Estimate
from harness.tasks import task
from harness.tasks.factcheck import LABELS
from harness.types import ItemResult

REPORT_FORMAT = 2  # 2: per-item records and input hashes, so a report alone can be compared


class WorstItem(BaseModel):
    model_config = ConfigDict(frozen=True)

    model: str
    id: str
    outcome: str
    reason: str
    answer: str | None


class Inputs(BaseModel):
    """sha256 of the seeds, goldens and prompts a run used (from its manifest): what makes runs comparable."""

    model_config = ConfigDict(frozen=True)

    seeds: dict[str, str] = {}
    goldens: dict[str, str] = {}
    prompts: dict[str, str] = {}


class ReportItem(BaseModel):
    """One result as a reader (and ``harness compare``) needs it: asked, expected, answered, judged."""

    model_config = ConfigDict(frozen=True)

    model: str
    prompt: str
    id: str  # <seed>/<task>/<item>#<sample>
    seed: str
    task: str
    tags: list[str]
    outcome: str
    reason: str
    score: float | None  # 1/0 for correct; summary: key-fact coverage; None for an infrastructure error
    question: str | None = None
    expected: str | None = None
    golden_evidence: str | None = None
    answer: str | None = None
    evidence: str | None = None
    grounded: bool | None = None


class RunReport(BaseModel):
    """report.json."""

    model_config = ConfigDict(frozen=True)

    format_version: int = REPORT_FORMAT
    run_id: str
    status: str
    inputs: Inputs = Inputs()
    metrics: list[Metric]
    usage: list[GroupUsage]
    confusion: dict[str, dict[str, dict[str, int]]]  # model -> gold -> predicted -> count
    worst: list[WorstItem]
    items: list[ReportItem] = []


def build_report(
    run_id: str,
    status: str,
    results: Sequence[ItemResult],
    prices: Mapping[str, Price] | None = None,
    worst_n: int = 15,
    goldens: Mapping[str, Golden] | None = None,
    inputs: Inputs | None = None,
) -> RunReport:
    """Every metric per model x prompt x task, overall and per tag, with usage, worst items and every item
    (with its question and golden answer when ``goldens`` are given)."""
    return RunReport(
        run_id=run_id,
        status=status,
        inputs=inputs or Inputs(),
        metrics=all_metrics(results),
        usage=usage(results, prices),
        confusion=confusion(results),
        worst=[
            WorstItem(model=r.model, id=r.id, outcome=r.outcome, reason=r.reason, answer=_answer_text(r))
            for r in worst(results, worst_n)
        ],
        items=[_item(r, goldens or {}) for r in results],
    )


def _answer_text(r: ItemResult) -> str | None:
    answer = task(r.task).answer_text(r.parsed) if r.parsed is not None else None
    return r.raw if answer is None else answer


def _evidence_text(r: ItemResult) -> str | None:
    return task(r.task).evidence_text(r.parsed) if r.parsed is not None else None


def _item(r: ItemResult, goldens: Mapping[str, Golden]) -> ReportItem:
    golden = goldens.get(r.seed)
    view = task(r.task).view(golden, r.item) if golden is not None else None
    return ReportItem(
        model=r.model,
        prompt=r.prompt_ref,
        id=r.id,
        seed=r.seed,
        task=r.task,
        tags=list(r.tags),
        outcome=r.outcome,
        reason=r.reason,
        score=item_score(r),
        question=view.question if view else None,
        expected=view.expected if view else None,
        golden_evidence=view.evidence if view else None,
        answer=_answer_text(r),
        evidence=_evidence_text(r),
        grounded=r.grounded,
    )


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
    except ValueError as exc:
        first = str(exc).splitlines()
        message = f"does not match the report schema ({' '.join(first[1:3]).strip()})"
        raise ReportError(
            [Problem(file=str(file), message=message, fix="regenerate it with `harness score RUN_ID`")]
        ) from None


def report_json_schema() -> dict[str, Any]:
    """The JSON Schema of report.json (shipped as reports/report.schema.json)."""
    schema = RunReport.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


# --- rendering ---------------------------------------------------------------------

LEADERBOARD = (
    ("qa", "qa_accuracy"),
    ("qa", "hallucination_rate"),
    ("factcheck", "factcheck_accuracy"),
    ("factcheck", "factcheck_macro_f1"),
    ("summary", "summary_coverage"),
)


def fmt(est: Estimate | None) -> str:
    """0.423 [0.31, 0.54] (n=52)."""
    if est is None or est.value is None:
        return "-"
    return f"{est.value:.3f} [{est.lo:.2f}, {est.hi:.2f}] (n={est.n})"


def _cell(metrics: Sequence[Metric], model: str, task: str, name: str, tag: str | None = None) -> Estimate | None:
    for m in metrics:
        if (m.model, m.task, m.metric, m.tag) == (model, task, name, tag):
            return m.estimate
    return None


def _prompt_of(metrics: Sequence[Metric], model: str) -> str:
    return ", ".join(sorted({m.prompt for m in metrics if m.model == model}))


def leaderboard_rows(report: RunReport) -> list[list[str]]:
    """Header + one row per model: the headline metrics with intervals, errors and invalid."""
    header = ["model", "prompts", *(name for _, name in LEADERBOARD), "grounding (qa)", "invalid", "errors"]
    rows = [header]
    for u in report.usage:
        rows.append(
            [
                u.model,
                _prompt_of(report.metrics, u.model),
                *(fmt(_cell(report.metrics, u.model, task, name)) for task, name in LEADERBOARD),
                fmt(_cell(report.metrics, u.model, "qa", "evidence_grounding")),
                str(u.invalid),
                str(u.errors),
            ]
        )
    return rows


def runs_leaderboard_rows(reports: Sequence[RunReport]) -> list[list[str]]:
    """Header + one row per run x model: headline metrics with intervals, tokens, latency, cost.

    Sorted by QA accuracy, then fact-check accuracy, best first (rows without a value last).
    """
    header = ["run", *leaderboard_rows(reports[0])[0], "prompt tokens", "completion tokens", "p50 s", "cost USD"]
    keyed: list[tuple[tuple[float, float], list[str]]] = []
    for report in reports:
        for row, u in zip(leaderboard_rows(report)[1:], report.usage, strict=True):
            qa = _cell(report.metrics, u.model, "qa", "qa_accuracy")
            fc = _cell(report.metrics, u.model, "factcheck", "factcheck_accuracy")
            key = (
                -(qa.value if qa and qa.value is not None else -1),
                -(fc.value if fc and fc.value is not None else -1),
            )
            cost = "-" if u.cost_usd is None else f"{u.cost_usd:.4f}"
            p50 = "-" if u.latency_p50_s is None else f"{u.latency_p50_s:.2f}"
            keyed.append((key, [report.run_id, *row, str(u.prompt_tokens), str(u.completion_tokens), p50, cost]))
    keyed.sort(key=lambda pair: pair[0])
    return [header, *(row for _, row in keyed)]


def _value_or(est: Estimate | None, default: float) -> float:
    return est.value if est is not None and est.value is not None else default


LEADERBOARD_NOTE = (
    "Sorted by qa_accuracy, then factcheck_accuracy, best first. Each cell: estimate [95% interval] (n items); "
    "hallucination_rate is lower-better (unanswerable questions answered anyway). invalid: replies that were "
    "not JSON of the schema; errors: infrastructure failures, never scored."
)


def md_table(rows: list[list[str]]) -> str:
    def esc(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(esc(c) for c in rows[0]) + " |", "|" + "---|" * len(rows[0])]
    lines += ["| " + " | ".join(esc(c) for c in row) + " |" for row in rows[1:]]
    return "\n".join(lines)


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


def load_prices(path: Path) -> dict[str, Price]:
    """A YAML mapping of model name -> {input_per_mtok, output_per_mtok[, cached_input_per_mtok]}."""

    def fail(
        message: str, fix: str = "write `MODEL: {input_per_mtok: 0.15, output_per_mtok: 0.6}` per model"
    ) -> ConfigError:
        return ConfigError(f"--prices {path}: {message}. Fix: {fix}")

    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise fail("no such file", "pass the path of your YAML price table") from None
    except OSError as exc:
        raise fail(f"cannot read it ({exc.strerror})", "pass a readable YAML file") from None
    except UnicodeDecodeError:
        raise fail("it is not UTF-8 text", "save it as UTF-8 YAML") from None
    except yaml.YAMLError as exc:
        problem = yaml_problem(str(path), exc)
        where = f" at line {problem.line}" if problem.line else ""
        raise fail(f"bad YAML{where} ({problem.message.removeprefix('bad YAML: ')})") from None
    if not isinstance(raw, dict):
        raise fail("not a mapping of model names")
    prices = {}
    for name, entry in raw.items():
        try:
            prices[str(name)] = Price.model_validate(entry)
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(str(p) for p in err["loc"])
            raise fail(f"model {name}: {f'field {field}: ' if field else ''}{err['msg']}") from None
    return prices


def write_reports(
    folder: Path,
    run_id: str,
    status: str,
    results: Sequence[ItemResult],
    prices: Mapping[str, Price] | None = None,
    goldens: Mapping[str, Golden] | None = None,
    inputs: Inputs | None = None,
) -> RunReport:
    """Build the report and write report.json, report.md and report.html into the run folder."""
    from harness.html_report import render_html

    report = build_report(run_id, status, results, prices, goldens=goldens, inputs=inputs)
    for name, text in (
        ("report.json", report.model_dump_json(indent=2) + "\n"),
        ("report.md", render_markdown(report)),
        ("report.html", render_html([report])),
    ):
        tmp = folder / f".{name}.tmp"
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, folder / name)
    return report


def export_report_schema(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report_json_schema(), indent=2) + "\n", encoding="utf-8")
    return path
