"""``harness batch import``: the answers to a batch export, read back into its run.

Each line of an output or error file (the OpenAI Batch API's format, which vLLM's ``run-batch``
writes too) names its item by ``custom_id``. A 200 response's chat completion becomes the reply the
online path would have received; any other status, or an ``error``, is an infrastructure error
(never a model mistake). Every reply is scored by the same code as online, appended to results.jsonl
and put in the reply cache under the online request's key (an item answered by batch is the same
cached reply as one answered online). An item that already has a result is skipped, so importing a
file twice adds nothing; a line that cannot be read is reported with its file and number.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import ExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import pydantic
from openai.types.chat import ChatCompletion

from harness.cache import ResponseCache, request_key
from harness.errors import Problem
from harness.models.openai_compat import OpenAICompatModel, reply_of
from harness.models.providers import open_model
from harness.progress import Reporter
from harness.results import Results, ResultsWriter
from harness.runner import OpenRun, RunSummary, finish_run, reopen_run
from harness.scoring.score import score_reply
from harness.types import Mode, ModelReply, WorkItem, result_of


@dataclass
class Imported:
    summary: RunSummary | None = None  # the run after the import
    added: int = 0
    errors: int = 0  # of the added, infrastructure errors (an error line, or a status other than 200)
    skipped: int = 0  # lines for items that already had a result (imported before, or answered online)
    problems: list[Problem] = field(default_factory=list)  # lines that could not be read


def batch_reply(line: dict[str, Any], mode: Mode) -> ModelReply:
    """The reply a batch output (or error) line carries."""
    response = line.get("response") or {}
    status, body = response.get("status_code"), response.get("body")
    if line.get("error") or status != 200:
        error = line.get("error") or (body.get("error") if isinstance(body, dict) else None) or body
        message = error.get("message", error) if isinstance(error, dict) else error
        return ModelReply(text=None, error=f"batch: status {status}: {message}"[:500], mode=mode)
    try:
        completion = ChatCompletion.model_validate(body)
    except pydantic.ValidationError as exc:
        return ModelReply(
            text=None, error=f"batch: the response body is not a chat completion ({exc.errors()[0]['msg']})", mode=mode
        )
    if not completion.choices:
        return ModelReply(text=None, error="batch: the response has no choices", mode=mode)
    return reply_of(completion, mode)


KEEP = 8  # seeds whose work items an import holds at once (goldens.Shelf keeps as many goldens)
_AS_WRITTEN = "import the engine's output (or error) file as it wrote it"


def _lines(path: Path) -> list[tuple[int, str]]:
    with path.open(encoding="utf-8") as handle:
        return [(number, line) for number, line in enumerate(handle, start=1) if line.strip()]


def _read(
    path: str, number: int, text: str, items: Callable[[str], WorkItem | None]
) -> tuple[WorkItem, dict[str, Any]] | Problem:
    """The item a line answers and the line; a Problem naming the file and line when it cannot be read."""
    try:
        line = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        return Problem(file=path, line=number, message=f"not JSON ({exc.msg})", fix=_AS_WRITTEN)
    custom_id = line.get("custom_id") if isinstance(line, dict) else None
    if not isinstance(custom_id, str):
        return Problem(file=path, line=number, field="custom_id", message="missing", fix=_AS_WRITTEN)
    item = items(custom_id)
    if item is None:
        return Problem(
            file=path,
            line=number,
            field="custom_id",
            message=f"{custom_id!r} is not an item of this run",
            fix="import the files this run's export was answered with",
        )
    return item, line


@dataclass
class Importer:
    """Scores each answered item once into the run's results and the reply cache."""

    run: OpenRun
    model: OpenAICompatModel
    writer: ResultsWriter
    cache: ResponseCache | None
    done: set[str]
    tally: Imported
    reporter: Reporter | None = None  # a progress bar, advanced as each result is written

    _seeds: dict[str, dict[str, WorkItem]] = field(default_factory=dict)

    def item(self, custom_id: str) -> WorkItem | None:
        """The run's work item with this id, None if it has none. The lines of a batch come in any order,
        mostly seed by seed: a seed's items are made when a line first names it, and the last KEEP seeds'
        kept (a million items are not held at once)."""
        seed_id = custom_id.partition("/")[0]
        items = self._seeds.pop(seed_id, None)
        if items is None:
            items = {item.id: item for item in self.run.items.of_seed(seed_id)}
        self._seeds[seed_id] = items  # the most recently used last
        while len(self._seeds) > KEEP:
            del self._seeds[next(iter(self._seeds))]
        return items.get(custom_id)

    def take_lines(self, source: str, lines: Iterable[tuple[int, str]]) -> None:
        """Every line of one output or error file (``source`` names it in problems)."""
        for number, text in lines:
            read = _read(source, number, text, self.item)
            if isinstance(read, Problem):
                self.tally.problems.append(read)
            else:
                self.take(*read)

    def take(self, item: WorkItem, line: dict[str, Any]) -> None:
        if item.id in self.done:
            self.tally.skipped += 1
            return
        config = self.run.manifest.config
        seeds, goldens, _ = self.run.inputs
        reply = batch_reply(line, self.run.manifest.modes.get(self.model.name, config.mode))
        verdict, parsed = score_reply(item.task, item.item, goldens[item.seed], seeds[item.seed].text, reply)
        result = result_of(self.model.name, item, reply, verdict, parsed, batch=True)
        self.writer.append(result)
        if self.reporter is not None:
            self.reporter.advance(result)
        if self.cache is not None:
            self.cache.put(request_key(self.model.cache_identity(), item, config.settings), reply)
        self.done.add(item.id)
        self.tally.added += 1
        self.tally.errors += reply.error is not None


def import_batch(reports_dir: Path, run_id: str, files: Sequence[Path], reporter: Reporter) -> Imported:
    """Score every answer in ``files`` into run ``run_id`` (see the module docstring)."""
    run = reopen_run(reports_dir, run_id, reporter)
    try:
        tally = asyncio.run(_import(run, files, reporter))
    finally:
        reporter.stop()
    tally.summary = finish_run(run)
    return tally


@asynccontextmanager
async def importing(run: OpenRun, tally: Imported, reporter: Reporter | None = None) -> AsyncIterator[Importer]:
    """An Importer for ``run`` with its model (for the cache identity), results writer and reply cache
    open; all closed on the way out."""
    config = run.manifest.config
    path = run.folder / "results.jsonl"
    cache = ResponseCache(config.reports_dir / "cache" / "responses.sqlite3") if config.use_cache else None
    with ExitStack() as stack:
        model, _ = open_model(config.models[0], config, stack)
        assert isinstance(model, OpenAICompatModel)
        done = {r.id for r in Results(path)}
        if reporter is not None:
            # every result is of a planned item (counted, not made: a pass making every item cost seconds)
            reporter.start(f"{model.name} (Batch API)", max(0, len(run.items) - len(done)))
        importer = Importer(run, model, ResultsWriter(path), cache, done, tally, reporter)
        try:
            yield importer
        finally:
            importer.writer.close()
            if cache is not None:
                cache.close()
            await model.aclose()


async def _import(run: OpenRun, files: Sequence[Path], reporter: Reporter | None = None) -> Imported:
    tally = Imported()
    async with importing(run, tally, reporter) as importer:
        for file in files:
            importer.take_lines(str(file), _lines(file))
    return tally
