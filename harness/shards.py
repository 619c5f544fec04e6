"""Shards: one run's items split over N machines, and the N shard runs read back as one run.

`harness run --shard I/N` takes the I-th of N contiguous parts of the planned items. Items are planned
seed by seed, and an article's requests share a cacheable prefix, so a part's edge that falls inside an
article moves to that article's nearer edge, unless the article holds more than 1/N of the items (it is
then too big for one shard and is split there). The parts depend only on the planned items: every
machine given the same seeds, goldens, prompts and filters computes the same ones.

``A+B+C`` names the shard runs A, B and C as one run wherever a run is named (`harness report`,
`compare`, `check`): they must come from the same seeds, goldens and prompts (sha256) and the same
number of shards, each shard once, no item twice; a missing or unfinished shard makes the merged run
incomplete, which `check` refuses to pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from harness.errors import ComparisonError
from harness.golden_store import GoldenStore
from harness.goldens import load_runnable
from harness.manifest import Manifest, read_manifest
from harness.report import RunReport
from harness.report.build import build_report, run_inputs
from harness.results import read_results
from harness.seeds import load_seeds
from harness.types import ItemResult


def edges(seeds: Sequence[str], count: int) -> list[int]:
    """The ``count + 1`` edges of the parts of items whose seeds, in plan order, are ``seeds``."""
    total = len(seeds)
    first: dict[str, int] = {}
    last: dict[str, int] = {}
    for index, seed in enumerate(seeds):
        first.setdefault(seed, index)
        last[seed] = index + 1
    out = [0]
    for k in range(1, count):
        edge = round(k * total / count)
        if 0 < edge < total and seeds[edge - 1] == seeds[edge]:  # inside an article
            start, end = first[seeds[edge]], last[seeds[edge]]
            if end - start <= total / count:
                edge = start if edge - start <= end - edge else end
        out.append(max(edge, out[-1]))
    out.append(total)
    return out


def _shard(manifest: Manifest, folder: Path) -> tuple[int, int]:
    if manifest.config.shard is None:
        raise ComparisonError(
            f"{folder} is not a shard run. Fix: join only runs made with --shard I/N (A+B+C), or name one run"
        )
    return manifest.config.shard


def _checked(folders: Sequence[Path]) -> tuple[list[Manifest], int, list[int]]:
    """The shard runs' manifests, their number of shards and the missing shard numbers; an error when
    they cannot form one run."""
    manifests = [read_manifest(folder) for folder in folders]
    shards = [_shard(m, f) for m, f in zip(manifests, folders, strict=True)]
    count = shards[0][1]
    for (index, n), folder in zip(shards, folders, strict=True):
        if n != count:
            raise ComparisonError(f"{folder} is shard {index}/{n}, not one of {count}. Fix: join shards of one split")
    seen: dict[int, Path] = {}
    for (index, _), folder in zip(shards, folders, strict=True):
        if index in seen:
            raise ComparisonError(
                f"shard {index}/{count} is given twice ({seen[index]} and {folder}). Fix: name it once"
            )
        seen[index] = folder
    for m, folder in zip(manifests[1:], folders[1:], strict=True):
        for kind in ("seeds", "goldens", "prompts"):
            if getattr(m, kind) != getattr(manifests[0], kind):
                raise ComparisonError(
                    f"{folder} was made from other {kind} than {folders[0]}, so they are not shards of one run. "
                    "Fix: re-run the shards from the same inputs"
                )
    return manifests, count, sorted(set(range(1, count + 1)) - set(seen))


def merged_report(folders: Sequence[Path]) -> RunReport:
    """The shard runs in ``folders`` read as one run (see the module docstring)."""
    manifests, count, missing = _checked(folders)
    results: list[ItemResult] = []
    owner: dict[tuple[str, str], Path] = {}
    for folder in folders:
        for result in read_results(folder / "results.jsonl"):
            key = (result.model, result.id)
            if key in owner:
                raise ComparisonError(
                    f"item {result.id} of {result.model} is in {owner[key]} and in {folder}. "
                    "Fix: join shards of one split (the same --shard N and filters)"
                )
            owner[key] = folder
            results.append(result)
    complete = not missing and all(m.status == "complete" for m in manifests)
    first = manifests[0]
    seeds = load_seeds(first.config.seeds_dir)
    goldens = load_runnable(first.config.goldens_dir, seeds, GoldenStore.open(first.config.reports_dir, seeds))[0]
    name = "+".join(m.run_id for m in manifests)
    if missing:
        name += f" (shards {', '.join(str(i) for i in missing)} of {count} missing)"
    status = "complete" if complete else "incomplete"
    inputs, judge = run_inputs(first), first.config.judge
    return build_report(name, status, results, goldens=goldens, inputs=inputs, judge=judge, items_max=None)
