"""Table rows shared by the markdown, HTML and terminal renderings (pure: reports in, rows out)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePosixPath

from harness.metrics import Metric
from harness.report.model import RunReport
from harness.stats import Estimate
from harness.types import CoverageDetails

LEADERBOARD = (
    ("qa", "qa_accuracy"),
    ("qa", "hallucination_rate"),
    ("factcheck", "factcheck_accuracy"),
    ("factcheck", "factcheck_macro_f1"),
    ("factcheck", "factcheck_right_reason"),
    ("summary", "summary_coverage"),
)


_WEIGHTS = (".gguf", ".ggml", ".bin", ".safetensors", ".pt", ".onnx")


def shown(model: str) -> str:
    """A model name as tables show it: one that is a file path (llama-cpp-python's model id is its GGUF's
    path) by its last part, "/models/SmolLM2-135M.Q4_1.gguf" -> "SmolLM2-135M.Q4_1.gguf"; names such as
    "org/model" or "local/smollm2-135m" as they are."""
    path_like = model.startswith(("/", "./", "../", "~/")) or model.lower().endswith(_WEIGHTS) or "\\" in model
    if not path_like:
        return model
    return PurePosixPath(model.replace("\\", "/")).name or model


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
                shown(u.model),
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


LEADERBOARD_NOTE = (
    "Sorted by qa_accuracy, then factcheck_accuracy, best first. Each cell: estimate [95% interval] (n items); "
    "hallucination_rate is lower-better (unanswerable questions answered anyway); factcheck_right_reason: the "
    "right label with a right correction and evidence where they apply. invalid: replies that were "
    "not JSON of the schema; errors: infrastructure failures, never scored."
)


def md_table(rows: list[list[str]]) -> str:
    def esc(text: str) -> str:  # one line a cell, whatever a server's message held
        return " ".join(text.split()).replace("|", "\\|")

    lines = ["| " + " | ".join(esc(c) for c in rows[0]) + " |", "|" + "---|" * len(rows[0])]
    lines += ["| " + " | ".join(esc(c) for c in row) + " |" for row in rows[1:]]
    return "\n".join(lines)


def clip(text: str, width: int) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis when longer."""
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1] + "\u2026"


def _missed(d: CoverageDetails, fact: str) -> str:
    return f"missed; nearest: {clip(d.nearest[fact], 100)}" if fact in d.nearest else "missed"


def fact_lines(d: CoverageDetails) -> list[tuple[str, str]]:
    """(fact id, verdict with its sentence) for each key fact and forbidden fact a summary's verdict names."""
    lines = [(f, f"stated: {clip(d.sentences[f], 100)}" if f in d.sentences else "stated") for f in d.covered]
    lines += [(f, f"swapped: {clip(d.swaps[f], 100)}") for f in d.swaps]
    lines += [(f, _missed(d, f)) for f in d.missed if f not in d.swaps]
    lines += [(f, f"FORBIDDEN: {clip(d.sentences.get(f, ''), 100)}") for f in d.forbidden_hits]
    unsupported = [*d.unsupported_numbers, *d.unsupported_names]
    if unsupported:
        lines.append(("not in the article", ", ".join(unsupported)))
    lines += [(f"said by {who}?", f"the article says otherwise: {clip(s, 100)}") for who, s in d.misattributed.items()]
    return lines
