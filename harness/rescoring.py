"""`harness score`: a finished run's replies judged again with today's goldens and rules; no model is
called (a judge's stored verdicts are kept)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

from harness.config import JudgeConfig, JudgePolicy, RunConfig
from harness.errors import ConfigError
from harness.golden_store import GoldenStore
from harness.goldens import Golden, load_runnable
from harness.judge.requests import load_judge_prompts
from harness.judge.rescore import rejudge
from harness.manifest import input_hashes, read_manifest, run_dir, write_manifest
from harness.results import Results, Tally, repair
from harness.runner import RunSummary
from harness.scoring.score import rescore_all, rescored
from harness.seeds import load_seeds
from harness.types import ItemResult


def score_run(
    reports_dir: Path,
    run_id: str,
    judge: JudgeConfig | None = None,
    policy: JudgePolicy | None = None,
    say: Callable[[str], None] = print,
) -> RunSummary:
    """Re-score a run from results.jsonl with the current goldens and rules; no model is called, except a
    judge about replies whose judge request changed (``judge``: a judge to add or put in place of the
    run's; ``policy``: another --judge-policy for the run's judge)."""
    folder = run_dir(reports_dir, run_id)
    manifest = read_manifest(folder)
    config = _judged_by(manifest.config, judge, policy)
    seeds = load_seeds(config.seeds_dir)
    goldens = load_runnable(config.goldens_dir, seeds, GoldenStore.open(config.reports_dir, seeds))[0]
    repaired = repair(path := folder / "results.jsonl")
    texts = {seed_id: seed.text for seed_id, seed in seeds.items()}
    prompts = dict(manifest.prompts)
    if config.judge is None:  # each result re-judged and written as it is read: a run of any size
        tally = _replace(path, rescored(_known(Results(path), goldens, run_id), goldens, texts))
        results: Iterable[ItemResult] = Results(path)
    else:  # the judge is asked about the changed requests together
        old = rescore_all(list(_known(Results(path), goldens, run_id)), goldens, texts)
        results = _rejudged(old, config, goldens, texts, say)
        prompts.update({p.ref: p.sha256 for p in load_judge_prompts(config.prompts_dir).values()})
        tally = _replace(path, results)
    hashes = input_hashes(config, seeds, {})
    manifest = manifest.model_copy(update={"goldens": hashes["goldens"], "config": config, "prompts": prompts})
    write_manifest(folder / "manifest.json", manifest)
    return RunSummary(
        run_id=run_id,
        folder=folder,
        status=manifest.status,
        results=results,
        tally=tally,
        repaired_bytes=repaired,
        manifest=manifest,
        goldens=goldens,
    )


def _known(results: Iterable[ItemResult], goldens: Mapping[str, Golden], run_id: str) -> Iterator[ItemResult]:
    """``results``; a ConfigError at the first whose seed has no golden now."""
    for r in results:
        if r.seed not in goldens:
            raise ConfigError(f"run {run_id} has results for seed {r.seed!r}, which has no golden now. Fix: restore it")
        yield r


def _replace(path: Path, results: Iterable[ItemResult]) -> Tally:
    """results.jsonl rewritten, a line at a time, into a file that then takes its place (a kill, or an
    error on the way, leaves the old file); the new results' tally."""
    tmp, tally = path.with_suffix(".jsonl.tmp"), Tally()
    try:
        with tmp.open("w", encoding="utf-8") as out:
            for r in results:
                out.write(r.model_dump_json() + "\n")
                tally.add(r)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, path)
    return tally


def _rejudged(
    results: list[ItemResult],
    config: RunConfig,
    goldens: Mapping[str, Golden],
    texts: Mapping[str, str],
    say: Callable[[str], None],
) -> list[ItemResult]:
    assert config.judge is not None
    done = rejudge(results, config, goldens, texts)
    say(f"judge {config.judge.model}: {done.kept} verdicts kept, {done.asked} asked (new, or their request changed)")
    return done.results


def _judged_by(config: RunConfig, judge: JudgeConfig | None, policy: JudgePolicy | None) -> RunConfig:
    """The run's config with the judge ``harness score`` was given, or its own judge under ``policy``."""
    if judge is None and policy is not None:
        if config.judge is None:
            raise ConfigError("--judge-policy: this run has no judge. Fix: add --judge MODEL to give it one")
        judge = config.judge.model_copy(update={"policy": policy})
    return config if judge is None else config.model_copy(update={"judge": judge})
