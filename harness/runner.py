"""The runner: call the models on a plan's work items, score, and write results as they arrive.

plan(seeds, goldens, prompts, config) -> Plan            harness/plan.py: made when iterated, by seed
execute(...)                                              asyncio workers, bounded concurrency
start_run(config) / resume_run(run_id)                    the run folder, manifest, resume
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import gc
import shutil
from collections.abc import Iterable, Iterator, Mapping
from contextlib import AsyncExitStack, ExitStack
from dataclasses import dataclass, replace
from pathlib import Path

from harness.cache import ResponseCache, request_key
from harness.config import RunConfig
from harness.errors import ConfigError, HarnessError, ModelError
from harness.golden_store import GoldenStore
from harness.goldens import Golden, Shelf, load_runnable
from harness.guard import RunGuard
from harness.judge.judge import Judge
from harness.judge.requests import judge_prompts, load_judge_prompts
from harness.judge.scorer import JudgeScorer, plan_scorer
from harness.manifest import (
    Manifest,
    git_commit,
    input_hashes,
    new_run_id,
    packages,
    read_manifest,
    run_dir,
    write_manifest,
)
from harness.models import Model
from harness.models.providers import open_judge, open_model
from harness.plan import Plan, Remaining, plan
from harness.progress import Reporter
from harness.prompts import Prompt, load_prompts
from harness.results import Results, ResultsWriter, Tally, repair, result_key, tally_results
from harness.scoring.scorer import RULES, Scorer
from harness.seeds import Seed, load_seeds
from harness.types import GenerationSettings, ItemResult, Mode, WorkItem, result_of

# --- execute -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    """What every worker of one model needs; built once per model."""

    model: Model
    config: RunConfig
    goldens: Mapping[str, Golden]
    seeds: Mapping[str, Seed]
    cache: ResponseCache | None
    writer: ResultsWriter
    reporter: Reporter
    scorer: Scorer
    guard: RunGuard


async def _worker(queue: asyncio.Queue[WorkItem | None], ctx: _Context) -> None:
    model, config = ctx.model, ctx.config
    identity = model.cache_identity()
    while (item := await queue.get()) is not None:
        key = request_key(identity, item, config.settings) if ctx.cache is not None else ""
        reply = ctx.cache.get(key) if ctx.cache is not None else None
        if reply is None:
            reply = await model.complete(item, config.settings)
            if ctx.cache is not None:
                ctx.cache.put(key, reply)
        golden, article = ctx.goldens[item.seed], ctx.seeds[item.seed].text
        verdict, parsed = await ctx.scorer(item.task, item.item, golden, article, reply)
        for result in ctx.guard.admit(result_of(model.name, item, reply, verdict, parsed)):
            ctx.writer.append(result)
            ctx.reporter.advance(result.outcome)


async def _feed(queue: asyncio.Queue[WorkItem | None], items: Iterable[WorkItem], workers: int) -> None:
    for item in items:
        await queue.put(item)  # waits while the queue is full: items are made as workers free up
    for _ in range(workers):
        await queue.put(None)  # one end mark per worker


async def execute(ctx: _Context, items: Iterable[WorkItem], concurrency: int) -> None:
    """Run ``items`` on ``ctx.model`` with ``concurrency`` workers, taking each item as a worker frees up,
    so only the items in flight exist at once; a ModelError (bad key, unknown model) stops all workers."""
    queue: asyncio.Queue[WorkItem | None] = asyncio.Queue(maxsize=concurrency)
    try:
        async with asyncio.TaskGroup() as group:
            group.create_task(_feed(queue, items, concurrency))
            for _ in range(concurrency):
                group.create_task(_worker(queue, ctx))
    except* ModelError as failures:
        raise failures.exceptions[0] from None
    for result in ctx.guard.release():  # fewer errors than FIRST_REPLIES, and nothing else: write them
        ctx.writer.append(result)
        ctx.reporter.advance(result.outcome)


# --- start / resume ----------------------------------------------------------------------


@dataclass(frozen=True)
class RunSummary:
    run_id: str
    folder: Path
    status: str
    results: Iterable[ItemResult]  # a results.Results: results.jsonl, read when iterated
    tally: Tally
    manifest: Manifest
    goldens: Mapping[str, Golden]  # a goldens.Shelf: loaded seed by seed when read
    repaired_bytes: int = 0


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """No garbage collection while the inputs and the plan are built: nearly everything made
    then lives for the whole run, so collecting only re-scans it (~40% of the setup time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_inputs(
    config: RunConfig, reporter: Reporter | None = None
) -> tuple[dict[str, Seed], Shelf, dict[str, Prompt]]:
    """Seeds, goldens as runs see them (draft items left out, counted to ``reporter``), and prompts."""
    seeds = load_seeds(config.seeds_dir)
    goldens, drafts = load_runnable(config.goldens_dir, seeds, GoldenStore.open(config.reports_dir, seeds))
    for seed_id, skipped in drafts.items():
        if skipped and reporter is not None:
            reporter.warn(
                f"{seed_id}: {skipped} draft items skipped (proposed by a model, not yet reviewed). "
                f"Fix: check them in the golden file, then remove their `draft: true` or run `harness review {seed_id}`"
            )
    prompts = load_prompts(config.prompts_dir, config.prompt_versions)
    if config.judge is not None:  # their sha256 go into the manifest with the tasks' prompts
        prompts.update({p.task: p for p in load_judge_prompts(config.prompts_dir).values()})
    return seeds, goldens, prompts


@dataclass
class _Keeper:
    """The run's manifest, written again when a model's preflight settles its structured-output mode."""

    path: Path
    manifest: Manifest

    def settled(self, model: str, mode: Mode | None) -> None:
        if mode is None or self.manifest.modes.get(model) == mode:
            return
        self.manifest = self.manifest.model_copy(update={"modes": {**self.manifest.modes, model: mode}})
        write_manifest(self.path, self.manifest)


async def _judging(
    config: RunConfig,
    items: Plan,
    inputs: tuple[Mapping[str, Seed], Mapping[str, Golden], Mapping[str, Prompt]],
    cache: ResponseCache | None,
    closing: AsyncExitStack,
    keeper: _Keeper,
    reporter: Reporter,
) -> JudgeScorer:
    """The scorer with the run's judge (``config.judge``), its endpoint checked before any item runs."""
    assert config.judge is not None
    _, goldens, prompts = inputs
    model = open_judge(config, closing.enter_context(ExitStack()))
    closing.push_async_callback(model.aclose)
    name = f"judge:{config.judge.model}"
    found = await model.preflight(keeper.manifest.modes.get(name))
    if found.warning:
        reporter.warn(found.warning)
    keeper.settled(name, found.mode)
    if config.judge.model in config.models:
        reporter.warn(
            f"the judge {config.judge.model} is also a model under test: it may favour its own answers. "
            "Fix: judge with another model"
        )
    judge = Judge(model, cache, GenerationSettings(timeout=config.settings.timeout))
    return plan_scorer(judge, judge_prompts(prompts), items, goldens, config.judge)


async def _run_all(
    config: RunConfig,
    items: Plan,
    done: set[int],
    inputs: tuple[Mapping[str, Seed], Mapping[str, Golden], Mapping[str, Prompt]],
    writer: ResultsWriter,
    reporter: Reporter,
    scorer: Scorer,
    keeper: _Keeper,
) -> None:
    seeds, goldens, _ = inputs
    cache = ResponseCache(config.reports_dir / "cache" / "responses.sqlite3") if config.use_cache else None
    try:
        async with AsyncExitStack() as closing:  # last in, first out: clients close before their servers stop
            stack = closing.enter_context(ExitStack())
            if config.judge is not None and any(result_key(m, i.id) not in done for m in config.models for i in items):
                scorer = await _judging(config, items, inputs, cache, closing, keeper, reporter)
            for name in config.models:
                model, concurrency = open_model(name, config, stack)
                closing.push_async_callback(model.aclose)
                todo = Remaining(items, model.name, done) if done else items
                if not todo:
                    continue
                found = await model.preflight(keeper.manifest.modes.get(model.name))
                if found.warning:
                    reporter.warn(found.warning)
                keeper.settled(model.name, found.mode)
                reporter.start(model.name, len(todo))
                ctx = _Context(model, config, goldens, seeds, cache, writer, reporter, scorer, RunGuard(model.name))
                await execute(ctx, todo, concurrency)
    finally:
        reporter.stop()
        if cache is not None:
            cache.close()


def finish_run(run: OpenRun, counted: tuple[Tally, Results] | None = None) -> RunSummary:
    """Count the run's results in one pass over results.jsonl (``counted``: as ``tally_results`` would, by
    whoever wrote them all), settle its status (complete: every item has a result and none is an error)
    and write the manifest."""
    folder, manifest = run.folder, run.manifest
    tally, results = counted or tally_results(folder / "results.jsonl")
    counts: dict[str, int] = {"expected": len(run.items) * len(manifest.config.models), "finished": tally.results}
    for tasks in tally.outcomes.values():
        for outcomes in tasks.values():
            for outcome, n in outcomes.items():
                counts[outcome] = counts.get(outcome, 0) + n
    complete = counts["finished"] >= counts["expected"] and not counts.get("error")
    status = "complete" if complete else "incomplete"
    manifest = manifest.model_copy(update={"status": status, "counts": counts})
    write_manifest(folder / "manifest.json", manifest)
    return RunSummary(
        run_id=manifest.run_id,
        folder=folder,
        status=status,
        results=results,
        tally=tally,
        repaired_bytes=run.repaired,
        manifest=manifest,
        goldens=run.inputs[1],
    )


def _drive(run: OpenRun, reporter: Reporter, scorer: Scorer) -> RunSummary:
    results_path = run.folder / "results.jsonl"
    done = {result_key(r.model, r.id) for r in Results(results_path)}
    writer = ResultsWriter(results_path)
    keeper = _Keeper(run.folder / "manifest.json", run.manifest)
    config = run.manifest.config
    # The inputs live for the whole run: freezing them keeps the garbage collector from re-scanning
    # them in the full collections that the per-request allocations trigger.
    gc.freeze()
    try:
        asyncio.run(_run_all(config, run.items, done, run.inputs, writer, reporter, scorer, keeper))
    except HarnessError:
        writer.close()
        write_manifest(keeper.path, keeper.manifest.model_copy(update={"status": "aborted"}))
        raise
    finally:
        gc.unfreeze()
    writer.close()
    return finish_run(replace(run, manifest=keeper.manifest))


@dataclass(frozen=True)
class OpenRun:
    """A run folder with its manifest, its planned items and the inputs they were planned from."""

    folder: Path
    manifest: Manifest
    items: Plan
    inputs: tuple[Mapping[str, Seed], Mapping[str, Golden], Mapping[str, Prompt]]
    repaired: int = 0  # bytes of a torn last line cut from results.jsonl when it was reopened


def open_new_run(config: RunConfig, reporter: Reporter, run_id: str | None = None, status: str = "running") -> OpenRun:
    """Plan ``config`` and make its folder under ``reports/runs`` with its manifest; nothing is run."""
    with _gc_paused():
        seeds, goldens, prompts = load_inputs(config, reporter)
        items = plan(seeds, goldens, prompts, config)
    if not items:
        raise ConfigError("the filters leave nothing to run. Fix: loosen --seed/--task/--tag/--limit")
    run_id = run_id if run_id is not None else new_run_id()
    folder = run_dir(config.reports_dir, run_id)
    # A folder without a manifest is what a kill between mkdir and the first manifest write leaves
    # (no result can exist before the manifest): it is taken over rather than refused.
    if (folder / "manifest.json").exists():
        raise ConfigError(f"run {run_id!r} already exists. Fix: use --resume {run_id} or another id")
    folder.mkdir(parents=True, exist_ok=True)
    hashes = input_hashes(config, seeds, prompts)
    manifest = Manifest(
        run_id=run_id,
        created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        status=status,
        config=config,
        packages=packages(),
        git_commit=git_commit(),
        seeds=hashes["seeds"],
        goldens=hashes["goldens"],
        prompts=hashes["prompts"],
    )
    write_manifest(folder / "manifest.json", manifest)
    return OpenRun(folder, manifest, items, (seeds, goldens, prompts))


def start_run(config: RunConfig, reporter: Reporter, run_id: str | None = None, scorer: Scorer = RULES) -> RunSummary:
    """Plan and run everything in a new folder under ``reports/runs``; ``scorer`` judges each reply."""
    run = open_new_run(config, reporter, run_id)
    try:
        return _drive(run, reporter, scorer)
    except HarnessError:
        if next(iter(Results(run.folder / "results.jsonl")), None) is None:  # refused before any item
            shutil.rmtree(run.folder, ignore_errors=True)
        raise


def reopen_run(reports_dir: Path, run_id: str, reporter: Reporter) -> OpenRun:
    """A run's folder as it was planned (``planned_run``), a torn last line of results.jsonl cut."""
    run = planned_run(reports_dir, run_id, reporter)
    return replace(run, repaired=repair(run.folder / "results.jsonl"))


def planned_run(reports_dir: Path, run_id: str, reporter: Reporter) -> OpenRun:
    """A run's folder as it was planned, its results file untouched (a batch import's scoring workers
    read the run while it is written); refused when its seeds, goldens or prompts changed since (its
    results would mix two versions)."""
    folder = run_dir(reports_dir, run_id)
    manifest = read_manifest(folder)
    config = manifest.config
    with _gc_paused():
        seeds, goldens, prompts = load_inputs(config, reporter)
    now = input_hashes(config, seeds, prompts)
    for kind in ("seeds", "goldens", "prompts"):
        if now[kind] != getattr(manifest, kind):
            raise ConfigError(
                f"the {kind} changed since run {run_id} started, so its results would mix two versions. "
                "Fix: restore them, or start a new run"
            )
    items = plan(seeds, goldens, prompts, config)
    expected = manifest.counts.get("expected")  # the same inputs make the same plan: not counted again
    if expected is not None:
        items = replace(items, known_len=expected // len(config.models))
    if manifest.seed_items and config.shard is None:
        items = replace(items, known_seed_items=manifest.seed_items)
    return OpenRun(folder, manifest, items, (seeds, goldens, prompts))


def resume_run(reports_dir: Path, run_id: str, reporter: Reporter, scorer: Scorer = RULES) -> RunSummary:
    """Finish a killed or aborted run: only items without a result are run."""
    return _drive(reopen_run(reports_dir, run_id, reporter), reporter, scorer)
