"""``harness batch export``: a run's requests as OpenAI Batch API input files, without sending any.

The run is planned and its folder made as for ``harness run`` (status ``batch``); each work item
becomes one line ``{"custom_id": ITEM_ID, "method": "POST", "url": "/v1/chat/completions", "body":
...}`` whose body is the request the online path would send, byte for byte the same JSON object. Files
are split at the Batch API's limits (50,000 requests, 200 MB a file). ``harness batch import`` reads
the answers back into the same run.
"""

from __future__ import annotations

import asyncio
import itertools
import operator
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import orjson

from harness.config import RunConfig
from harness.errors import ConfigError
from harness.manifest import write_manifest
from harness.models.openai_compat import OpenAICompatModel
from harness.models.providers import is_remote, open_model
from harness.progress import Reporter
from harness.runner import OpenRun, open_new_run
from harness.types import Mode

MAX_REQUESTS = 50_000  # the Batch API's limits on one input file
MAX_BYTES = 200 * 1024 * 1024
URL = "/v1/chat/completions"


@dataclass(frozen=True)
class Exported:
    run_id: str
    folder: Path
    files: list[Path]
    requests: int


def request_line(custom_id: str, body: dict[str, object]) -> bytes:
    """One line of a batch input file, UTF-8. orjson writes the JSON ``json.dumps(line, ensure_ascii=False,
    separators=(",", ":"))`` writes (a tiny float's exponent aside: 1e-7 for 1e-07), ~15x faster: a line
    holds its article (~20 KB)."""
    return orjson.dumps({"custom_id": custom_id, "method": "POST", "url": URL, "body": body}) + b"\n"


def numbered(
    lines: Iterable[bytes], max_requests: int = MAX_REQUESTS, max_bytes: int = MAX_BYTES
) -> Iterator[tuple[int, bytes]]:
    """Each of ``lines`` with the number (from 1) of the file it goes in: files of at most ``max_requests``
    lines and ``max_bytes`` bytes, in order."""
    number, count, size = 1, 0, 0
    for line in lines:
        length = len(line)
        if length > max_bytes:
            raise ConfigError(f"one request is {length} bytes, over the {max_bytes}-byte file limit. Fix: shorten it")
        if count >= max_requests or size + length > max_bytes:
            number, count, size = number + 1, 0, 0
        count += 1
        size += length
        yield number, line


def split(
    lines: Iterable[bytes], max_requests: int = MAX_REQUESTS, max_bytes: int = MAX_BYTES
) -> Iterator[list[bytes]]:
    """``lines`` as the files ``numbered`` puts them in, one file's lines at a time."""
    for _, group in itertools.groupby(numbered(lines, max_requests, max_bytes), key=operator.itemgetter(0)):
        yield [line for _, line in group]


def batch_only(config: RunConfig) -> str:
    """The one model of a batch run or export, an endpoint's (a batch goes to one model of an engine); a
    ConfigError for what a batch cannot hold."""
    if len(config.models) != 1:
        raise ConfigError("a batch holds one model's requests. Fix: pass --model once (one batch run per model)")
    name = config.models[0]
    if not is_remote(name):
        raise ConfigError(f"--model {name} runs in this process, not on an engine. Fix: use harness run for it")
    if config.judge is not None:
        raise ConfigError("a batch is not judged. Fix: drop --judge; judge afterwards (harness score RUN --judge)")
    return name


async def _write(run: OpenRun, name: str, out: Path, max_requests: int) -> tuple[list[Path], Counter[str], Mode]:
    """Each item's line, written file by file under ``out``; the files, how many lines each seed has, and
    their structured-output mode."""
    config = run.manifest.config
    per_seed: Counter[str] = Counter()
    with ExitStack() as stack:
        model, _ = open_model(name, config, stack)
        assert isinstance(model, OpenAICompatModel)

        def lines() -> Iterator[bytes]:
            for item in run.items:
                per_seed[item.seed] += 1
                yield request_line(item.id, model.body_of(item, config.settings))

        try:
            files: list[Path] = []
            with ExitStack() as current:  # the file being written; a line is written as it is made
                for number, line in numbered(lines(), max_requests):
                    if number > len(files):
                        current.close()
                        files.append(out / f"batch-{number:04d}.jsonl")
                        handle = current.enter_context(files[-1].open("wb"))
                    handle.write(line)
            return files, per_seed, model.mode
        finally:
            await model.aclose()


def export_batch(
    config: RunConfig, out: Path, reporter: Reporter, run_id: str | None = None, max_requests: int = MAX_REQUESTS
) -> Exported:
    """Plan ``config`` into a new run (status ``batch``) and write its requests under ``out``."""
    name = batch_only(config)
    if out.exists() and any(out.glob("batch-*.jsonl")):
        raise ConfigError(f"-o {out} already holds batch files. Fix: pass an empty folder")
    run = open_new_run(config, reporter, run_id, status="batch")
    out.mkdir(parents=True, exist_ok=True)
    files, per_seed, mode = asyncio.run(_write(run, name, out, max_requests))
    count = per_seed.total()
    modes = {**run.manifest.modes, name: mode}
    seed_items = dict(per_seed) if config.shard is None else {}  # a shard may start inside a seed
    # what an import reopening the run need not count
    update = {"modes": modes, "counts": {"expected": count}, "seed_items": seed_items}
    write_manifest(run.folder / "manifest.json", run.manifest.model_copy(update=update))
    return Exported(run.manifest.run_id, run.folder, files, count)
