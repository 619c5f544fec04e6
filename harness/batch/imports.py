"""``harness batch import``: the answers to a batch export, read back into its run.

Each line of an output or error file (the OpenAI Batch API's format, which vLLM's ``run-batch``
writes too) names its item by ``custom_id``. A 200 response's chat completion becomes the reply the
online path would have received; any other status, or an ``error``, is an infrastructure error
(never a model mistake). Every reply is scored by the same code as online (``harness.batch.lines``; a
large file's lines in worker processes, ``harness.batch.workers``), appended to results.jsonl and put in
the reply cache under the online request's key (an item answered by batch is the same cached reply as
one answered online). An item that already has a result is skipped, so importing a file twice adds
nothing; a line that cannot be read is reported with its file and number.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import ExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from harness.batch.lines import Answer, LineScorer
from harness.batch.workers import PARALLEL_FROM, Workers, default_workers
from harness.cache import ResponseCache
from harness.errors import Problem
from harness.models.openai_compat import OpenAICompatModel
from harness.models.providers import open_model
from harness.progress import Reporter
from harness.report.build import Gathered
from harness.results import Results, ResultsWriter, Tally, tally_results
from harness.runner import OpenRun, RunSummary, finish_run, reopen_run
from harness.types import ItemResult


@dataclass
class Imported:
    summary: RunSummary | None = None  # the run after the import
    added: int = 0
    errors: int = 0  # of the added, infrastructure errors (an error line, or a status other than 200)
    skipped: int = 0  # lines for items that already had a result (imported before, or answered online)
    problems: list[Problem] = field(default_factory=list)  # lines that could not be read
    # the run's results counted (those it had, then each added), for finish_run, and gathered for its
    # report (not with a judge, whose section reads them all): no second pass over them
    counted: tuple[Tally, Results] | None = None
    gathered: Gathered | None = None


WRITE_EVERY = 256  # results appended in one write: a killed import loses at most these (importing again adds them)


@dataclass
class Importer:
    """Keeps each answered item once in the run's results and the reply cache: lines scored in this
    process, or, for a file of PARALLEL_FROM bytes or more, by ``workers`` (started when first needed)."""

    scorer: LineScorer
    writer: ResultsWriter
    cache: ResponseCache | None
    done: set[str]
    tally: Imported
    reporter: Reporter | None = None  # a progress bar, advanced as each result is written
    workers: Callable[[], Workers] | None = None
    parallel_from: int = PARALLEL_FROM  # bytes of a file the workers score
    _pool: Workers | None = None
    _pending: list[bytes] = field(default_factory=list)  # results.jsonl lines kept, not yet written

    def take_lines(self, source: str, lines: Iterable[tuple[int, str]], size: int = 0) -> None:
        """Every line of one output or error file (``source`` names it in problems; ``size``: its bytes)."""
        if self.workers is not None and size >= self.parallel_from:
            self._pool = self._pool or self.workers()
            answers = self._pool.score(source, lines)
        else:
            answers = (self.scorer.score(source, number, text, self.done) for number, text in lines)
        for answer in answers:
            self.keep(answer)
        self.flush()

    def keep(self, answer: Answer | Problem) -> None:
        if isinstance(answer, Problem):
            self.tally.problems.append(answer)
            return
        if answer.id in self.done:
            self.tally.skipped += 1
            return
        assert answer.counted is not None, "an item without a result is scored"
        self._pending.append(answer.record)
        if len(self._pending) >= WRITE_EVERY:
            self.flush()
        if self.tally.counted is not None:
            self.tally.counted[0].add(answer.counted)
        if self.tally.gathered is not None:
            self.tally.gathered.add(ItemResult.model_validate_json(answer.record))
        if self.reporter is not None:
            self.reporter.advance(answer.counted.outcome)
        if self.cache is not None and answer.cache is not None:
            self.cache.put_json(*answer.cache)
        self.done.add(answer.id)
        self.tally.added += 1
        self.tally.errors += answer.error

    def flush(self) -> None:
        """Append the results kept since the last flush, in one write."""
        if self._pending:
            self.writer.write(b"".join(self._pending))
            self._pending.clear()

    def close(self) -> None:
        self.flush()
        self.writer.close()
        if self._pool is not None:
            self._pool.close()


def import_batch(
    reports_dir: Path,
    run_id: str,
    files: Sequence[Path],
    reporter: Reporter,
    workers: int | None = None,
    parallel_from: int = PARALLEL_FROM,
) -> Imported:
    """Score every answer in ``files`` into run ``run_id`` (see the module docstring), a file of
    ``parallel_from`` bytes or more in ``workers`` processes (None: ``default_workers()``; 0: none)."""
    run = reopen_run(reports_dir, run_id, reporter)
    try:
        tally = asyncio.run(_import(run, files, reporter, workers, parallel_from))
    finally:
        reporter.stop()
    tally.summary = finish_run(run, tally.counted)
    return tally


@asynccontextmanager
async def importing(
    run: OpenRun,
    tally: Imported,
    reporter: Reporter | None = None,
    workers: int | None = None,
    parallel_from: int = PARALLEL_FROM,
    gather: bool = False,
) -> AsyncIterator[tuple[Importer, OpenAICompatModel]]:
    """An Importer for ``run`` (its results writer, reply cache and, when a file needs them, ``workers``
    scoring processes) and the run's model; all closed on the way out. With ``gather``, it gathers the
    run's report (``Imported.gathered``) as it writes."""
    config = run.manifest.config
    path = run.folder / "results.jsonl"
    cache = ResponseCache(config.reports_dir / "cache" / "responses.sqlite3") if config.use_cache else None
    count = default_workers() if workers is None else workers
    with ExitStack() as stack:
        model, _ = open_model(config.models[0], config, stack)
        assert isinstance(model, OpenAICompatModel)
        identity = model.cache_identity() if cache is not None else None
        tally.counted = tally_results(path)
        tally.gathered = Gathered(run.inputs[1]) if gather and config.judge is None else None
        done = set()
        for r in tally.counted[1]:
            done.add(r.id)
            if tally.gathered is not None:
                tally.gathered.add(r)
        if reporter is not None:
            # every result is of a planned item (counted, not made: a pass making every item cost seconds)
            reporter.start(f"{model.name} (Batch API)", max(0, len(run.items) - len(done)))
        scorer = LineScorer(run, model.name, identity)
        start = (lambda: Workers(count, scorer, run.folder.parent.parent)) if count else None
        importer = Importer(scorer, ResultsWriter(path), cache, done, tally, reporter, start, parallel_from)
        try:
            yield importer, model
        finally:
            importer.close()
            if cache is not None:
                cache.close()
            await model.aclose()


async def _import(
    run: OpenRun, files: Sequence[Path], reporter: Reporter | None, workers: int | None, parallel_from: int
) -> Imported:
    tally = Imported()
    async with importing(run, tally, reporter, workers, parallel_from, gather=True) as (importer, _):
        for file in files:
            with file.open(encoding="utf-8") as handle:
                lines = ((number, line) for number, line in enumerate(handle, start=1) if line.strip())
                importer.take_lines(str(file), lines, file.stat().st_size)
    return tally
