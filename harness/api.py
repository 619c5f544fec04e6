"""The public API: what ``harness run``, ``score``, ``report``, ``compare`` and ``check`` do, as functions.

The CLI parses flags, calls these and prints; a notebook, a CI script or the benchmarks call the same
functions (``harness/__init__.py`` re-exports them):

    from harness import RunConfig, run, write_run_reports
    summary = run(RunConfig(models=("baseline/lexical",)))
    report = write_run_reports(summary)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from harness.batch.export import batch_only
from harness.batch.online import run_batch
from harness.compare import Comparison, compare, gate
from harness.config import JudgeConfig, JudgePolicy, RunConfig
from harness.judge.estimate import JudgeEstimate, estimate
from harness.judge.requests import judge_prompts
from harness.manifest import RUN_ID, read_manifest, run_dir
from harness.metrics import Price
from harness.plan import plan
from harness.progress import Reporter, SilentReporter
from harness.report import RunReport, load_report, write_reports
from harness.report.build import Gathered, comparable_items, run_inputs
from harness.report.lean import Row, lean_items
from harness.rescoring import score_run
from harness.results import Results
from harness.runner import RunSummary, load_inputs, open_new_run, reopen_run, resume_run, start_run
from harness.scoring.scorer import RULES, Scorer
from harness.shards import merged_report


def run(
    config: RunConfig, reporter: Reporter | None = None, run_id: str | None = None, scorer: Scorer = RULES
) -> RunSummary:
    """Run every model on every planned item into reports/runs/<run-id>/ (results written as they arrive);
    ``scorer`` judges each reply (default: each task's rules, no model call). With ``config.batch``, through
    the provider's Batch API (``harness.batch.online``)."""
    reporter = reporter or SilentReporter()
    if config.batch:
        batch_only(config)
        return run_batch(open_new_run(config, reporter, run_id, status="batch"), reporter)[0]
    return start_run(config, reporter, run_id=run_id, scorer=scorer)


class DryRun(BaseModel):
    """What a run would send: its work items (per model) and, with a judge, the judge's calls and tokens."""

    model_config = ConfigDict(frozen=True)

    items: int
    judge: JudgeEstimate | None = None


def dry_run(config: RunConfig) -> DryRun:
    """Plan ``config`` and count what it would send; nothing is sent, no folder is made."""
    seeds, goldens, prompts = load_inputs(config)
    items = plan(seeds, goldens, prompts, config)
    if config.judge is None:
        return DryRun(items=len(items))
    judged = estimate(items, len(config.models), config.judge, seeds, goldens, judge_prompts(prompts))
    return DryRun(items=len(items), judge=judged)


def resume(reports_dir: Path, run_id: str, reporter: Reporter | None = None, scorer: Scorer = RULES) -> RunSummary:
    """Finish a killed run: only the items without a result are run (a Batch API run re-attaches to its
    batches in flight first)."""
    reporter = reporter or SilentReporter()
    if read_manifest(run_dir(reports_dir, run_id)).config.batch:
        return run_batch(reopen_run(reports_dir, run_id, reporter), reporter)[0]
    return resume_run(reports_dir, run_id, reporter, scorer=scorer)


def score(
    reports_dir: Path,
    run_id: str,
    judge: JudgeConfig | None = None,
    policy: JudgePolicy | None = None,
    say: Callable[[str], None] = print,
) -> RunSummary:
    """Re-judge a run's replies with today's goldens and rules; no model is called, except a judge (the
    run's, or ``judge`` added or put in its place) about replies whose judge request changed."""
    return score_run(reports_dir, run_id, judge, policy, say)


def write_run_reports(
    summary: RunSummary, prices: Mapping[str, Price] | None = None, gathered: Gathered | None = None
) -> RunReport:
    """Write report.json, report.md and report.html into the run's folder; return the report (``gathered``:
    its results as the import that wrote them gathered them; else results.jsonl is read)."""
    m = summary.manifest
    return write_reports(
        summary.folder,
        summary.run_id,
        summary.status,
        summary.results,
        prices,
        summary.goldens,
        run_inputs(m),
        m.config.judge,
        summary.tally.results,
        gathered,
    )


def locate_report(spec: str, reports_dir: Path) -> tuple[RunReport, str | None]:
    """A report named by RUN_ID, a run folder or a report.json (or shard runs joined as A+B+C: their
    results read as one run), optionally followed by @MODEL; with every result as an item."""
    report, _, chosen = _located(spec, reports_dir, lean=False)
    return report, chosen


def _located(spec: str, reports_dir: Path, lean: bool) -> tuple[RunReport, Sequence[Row] | None, str | None]:
    """``locate_report``'s report, its rows when they are lean (``_every_item``), and the model chosen."""
    candidates: list[tuple[str, str | None]] = [(spec, None)]
    if "@" in spec:
        before, _, after = spec.rpartition("@")
        candidates.append((before, after or None))
    for text, chosen in candidates:
        if "+" in text and not Path(text).exists():  # shard runs named as one: A+B+C
            return merged_report([_folder(part, reports_dir) for part in text.split("+")]), None, chosen
        if Path(text).exists():
            return (*_every_item(Path(text), lean), chosen)
        if RUN_ID.match(text) and (reports_dir / "runs" / text).exists():
            return (*_every_item(run_dir(reports_dir, text), lean), chosen)
    return (*_every_item(Path(candidates[-1][0]), lean), candidates[-1][1])


def _every_item(path: Path, lean: bool) -> tuple[RunReport, Sequence[Row] | None]:
    """The report at ``path`` (a run folder or its report.json) and every result: its items, unless it
    lists a sample (a very large run, ``RunReport.sampled``). Then every result of its results.jsonl is read:
    ``lean``, as the lean rows ``compare`` pairs (``report.lean``), returned beside the report; else (or for a
    judged run, whose rows its policy decides) as the report's items."""
    report = load_report(path)
    if report.sampled is None:
        return report, None
    folder = path if path.is_dir() else path.parent
    judge = read_manifest(folder).config.judge
    if lean and judge is None:
        return report, lean_items(folder / "results.jsonl")
    items = comparable_items(Results(folder / "results.jsonl"), judge)
    return report.model_copy(update={"items": items, "sampled": None}), None


def _folder(spec: str, reports_dir: Path) -> Path:
    """A run folder named by its path or by its RUN_ID."""
    return Path(spec) if Path(spec).exists() else run_dir(reports_dir, spec)


def comparison(baseline: str, candidate: str, reports_dir: Path, level: float = 0.95) -> Comparison:
    """The paired comparison of two reports (each named as for ``locate_report``)."""
    a, rows_a, model_a = _located(baseline, reports_dir, lean=True)
    b, rows_b, model_b = _located(candidate, reports_dir, lean=True)
    return compare(a, b, model_a, model_b, level=level, rows=(rows_a, rows_b))


def check(
    baseline: str,
    candidate: str,
    reports_dir: Path,
    max_drop: float = 0.02,
    alpha: float = 0.05,
    tags: Sequence[str] = (),
) -> tuple[Comparison, list[str]]:
    """The comparison and why the candidate regressed (empty: a pass). ComparisonError when it cannot judge."""
    c = comparison(baseline, candidate, reports_dir, level=1 - alpha)
    return c, gate(c, max_drop, alpha, tags)
