"""report.md: the report as tables to paste into a pull request (pure)."""

from __future__ import annotations

from harness.metrics import metric_info
from harness.report.judge import JUDGE_NOTE, judge_tables, policy_line
from harness.report.model import ReportItem, RunReport
from harness.report.tables import clip, fact_lines, fmt, leaderboard_rows, md_table, shown
from harness.tasks.factcheck import LABELS
from harness.tasks.factcheck import TASK as FACTCHECK
from harness.types import CoverageDetails


def _metric_rows(report: RunReport) -> list[list[str]]:
    rows = [["model", "prompt", "task", "metric", "estimate", "meaning"]]
    meanings = metric_info()
    for m in report.metrics:
        if m.tag is None:
            meaning = meanings[m.metric][0] if m.metric in meanings else ""
            rows.append([shown(m.model), m.prompt, m.task, m.metric, fmt(m.estimate), meaning])
    return rows


def _tag_rows(report: RunReport) -> list[list[str]]:
    rows = [["model", "task", "tag", "metric", "estimate"]]
    for m in report.metrics:
        if m.tag is not None and m.metric in ("qa_accuracy", "factcheck_accuracy", "abstention_accuracy"):
            rows.append([shown(m.model), m.task, m.tag, m.metric, fmt(m.estimate)])
    return rows


_USAGE_HEADER = [
    "model",
    "items",
    "from cache",
    "prompt tokens",
    "cached prompt tokens",
    "completion tokens",
    "latency p50 s",
    "latency p95 s",
    "invalid",
    "errors",
]


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _usage_rows(report: RunReport) -> list[list[str]]:
    rows = [_USAGE_HEADER]
    for u in report.usage:
        tokens = [str(u.items), str(u.from_cache), str(u.prompt_tokens), str(u.cached_tokens), str(u.completion_tokens)]
        latency = [_seconds(u.latency_p50_s), _seconds(u.latency_p95_s)]
        rows.append([shown(u.model), *tokens, *latency, str(u.invalid), str(u.errors)])
    return rows


def _confusion_tables(report: RunReport) -> list[str]:
    parts = []
    for model, matrix in report.confusion.items():
        rows = [[shown(model), *LABELS]] + [[gold, *(str(matrix[gold][p]) for p in LABELS)] for gold in LABELS]
        parts += [md_table(rows), ""]
    return parts


def _mark(item: ReportItem, check: str) -> str:
    if check not in item.checks:
        return "-"
    return "right" if item.checks[check] else "wrong"


def _claim_cell(item: ReportItem | None) -> str:
    """The label a model gave and whether it, its correction and its evidence were right."""
    if item is None:
        return "not run"
    if item.outcome in ("error", "invalid"):
        return item.outcome
    label = (item.answer or "").split(";")[0]
    verdict = "right" if item.outcome == "correct" else "wrong"
    return f"{label} ({verdict}); correction {_mark(item, 'correction')}; evidence {_mark(item, 'right_evidence')}"


def _claim_rows(report: RunReport) -> list[list[str]]:
    """One row per claim, one column per model: label, correction and evidence verdicts side by side."""
    claims: dict[str, dict[str, ReportItem]] = {}
    for i in report.items:
        if i.task == FACTCHECK.name:
            claims.setdefault(i.id, {})[i.model] = i
    models = sorted({m for per_model in claims.values() for m in per_model})
    rows = [["claim", "expected", *models]]
    for item_id, per_model in claims.items():
        expected = next(iter(per_model.values())).expected or ""
        rows.append([item_id, clip(expected, 80), *(_claim_cell(per_model.get(m)) for m in models)])
    return rows


def _most_missed_rows(report: RunReport, limit: int = 15) -> list[list[str]]:
    """The key facts each model misses most often, over every summary (swapped ones count as missed)."""
    tally: dict[tuple[str, str, str], list[int]] = {}
    for i in report.items:
        if isinstance(i.details, CoverageDetails):
            for fact in (*i.details.covered, *i.details.missed):
                counts = tally.setdefault((i.model, i.seed, fact), [0, 0])
                counts[0] += fact in i.details.missed
                counts[1] += 1
    ranked = sorted(tally.items(), key=lambda kv: (-kv[1][0] / kv[1][1], kv[0]))
    rows = [["model", "seed", "key fact", "missed"]]
    rows += [[m, seed, fact, f"{missed} of {n}"] for (m, seed, fact), (missed, n) in ranked[:limit] if missed]
    return rows


def _fact_rows(report: RunReport) -> list[list[str]]:
    """One row per summary x fact, one column per model: the verdict on the fact and its sentence."""
    summaries: dict[str, dict[str, dict[str, str]]] = {}
    for i in report.items:
        if isinstance(i.details, CoverageDetails):
            for fact, verdict in fact_lines(i.details):
                summaries.setdefault(i.id, {}).setdefault(fact, {})[i.model] = verdict
    models = sorted({i.model for i in report.items if isinstance(i.details, CoverageDetails)})
    rows = [["summary", "fact", *models]]
    for item_id, facts in summaries.items():
        rows += [[item_id, fact, *(per_model.get(m, "-") for m in models)] for fact, per_model in facts.items()]
    return rows


def _worst_rows(report: RunReport) -> list[list[str]]:
    rows = [["model", "item", "outcome", "why", "answer"]]
    for w in report.worst:
        rows.append([shown(w.model), w.id, w.outcome, clip(w.reason, 160), clip(w.answer or "", 120)])
    return rows


def render_markdown(report: RunReport) -> str:
    """report.md: leaderboard, metrics, per-tag accuracy, usage, fact checks, summaries' facts, worst items."""
    sections = [
        ("Leaderboard", md_table(leaderboard_rows(report))),
        ("Every metric", md_table(_metric_rows(report))),
        ("Accuracy per tag", md_table(_tag_rows(report))),
        ("Usage", md_table(_usage_rows(report))),
        ("Fact-check confusion (rows: gold, columns: predicted)", "\n".join(_confusion_tables(report)).rstrip()),
        (
            "Fact checks: label, correction and evidence per claim",
            "A correction is judged on refuted claims labelled refuted, evidence on claims with golden evidence "
            "(a quote of the golden passage); `-`: not judged.\n\n" + md_table(_claim_rows(report)),
        ),
        ("Summaries: each fact and the sentence that states it", md_table(_fact_rows(report))),
        ("Key facts missed most", md_table(_most_missed_rows(report))),
        ("Worst items", md_table(_worst_rows(report))),
    ]
    if report.judge is not None:
        tables = judge_tables(report.judge)
        intro = f"{policy_line(report.judge)}\n\n{JUDGE_NOTE}\n\n"
        sections.insert(4, ("Judge", intro + "\n\n".join(f"{t}:\n\n{md_table(rows)}" for t, rows in tables)))
    head = [
        f"# Run {report.run_id} ({report.status})",
        "",
        "Values are estimates with 95% intervals (Wilson for proportions, bootstrap over items otherwise).",
        "",
    ]
    if report.sampled is not None:  # the per-item tables below cover the listed results only
        head += [f"The per-item tables list a sample. {report.sampled.note()}", ""]
    return "\n".join(head + [f"## {title}\n\n{body}\n" for title, body in sections])
