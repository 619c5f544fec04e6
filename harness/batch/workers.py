"""Scoring a large batch file in worker processes: an import's time is its scoring, one core's work a line.

``Workers(count, scorer, ...)`` starts ``count`` processes that score the chunks of lines they are sent
with a copy of ``scorer``. They are forked on Linux when the importer has no other thread, each starting
with the scorer as it is; else spawned (a progress bar's thread may hold a lock a forked child would wait
on forever), each reopening the run as it was planned (``runner.planned_run``: its checked goldens come
from the reports folder's store, ~1 s a worker). ``score`` hands out chunks of lines (``chunks``: a
seed's lines kept together, so that one worker makes its items), at most two a worker in flight (a file
of a million lines is never all read), and yields the answers in the file's order, so results.jsonl
comes out as one process would have written it. A worker whose importer dies (SIGKILL) exits: it holds
no end of the pipe it reads its chunks from that could still write (the pool closes it), so the pipe
ends.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import re
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.pool import AsyncResult
from pathlib import Path
from typing import Any

from harness.batch.lines import Answer, LineScorer
from harness.errors import Problem
from harness.process import tune_gc
from harness.progress import SilentReporter
from harness.runner import planned_run

CHUNK = 500  # lines a worker scores at once, at least: a chunk ends where a seed's lines do ...
SEED_CHUNK = 4_000  # ... or at this many lines (a seed's lines go to one worker, which makes its items once)
_SEED = re.compile(r'"custom_id"\s*:\s*"([^"/]*)/')  # in a JSON line; an id in a string would be escaped (\")
PARALLEL_FROM = 4_000_000  # bytes of batch file: below it, starting workers costs more than they save
MAX_WORKERS = 8  # by default: each holds its own seeds' items and goldens (~150 MB in the scale bench)

_scorer: LineScorer | None = None  # a worker's own


def default_workers() -> int:
    """One worker a core this process may use, at most MAX_WORKERS; none on one core (the importer scores
    in-process)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return min(cores, MAX_WORKERS) if cores > 1 else 0


def _start(make: Callable[[], LineScorer]) -> None:
    global _scorer
    _scorer = make()


def _reopened(reports_dir: Path, run_id: str, model: str, identity: dict[str, Any] | None) -> LineScorer:
    tune_gc()  # as the command line does: a spawned worker does not inherit it
    return LineScorer(planned_run(reports_dir, run_id, SilentReporter()), model, identity)


def _score(source: str, lines: list[tuple[int, str]]) -> list[Answer | Problem]:
    assert _scorer is not None, "a worker scores only after _start"
    return [_scorer.score(source, number, text) for number, text in lines]


def _forkable() -> bool:
    """Can workers be forked safely: Linux (macOS's system libraries are not fork-safe) and no thread but
    this one (forking a process with threads can deadlock the child)?"""
    return sys.platform.startswith("linux") and threading.active_count() == 1


class Workers:
    """``count`` scoring processes for the run ``scorer`` scores (see the module docstring); ``reports_dir``:
    where a spawned worker reopens it."""

    def __init__(self, count: int, scorer: LineScorer, reports_dir: Path) -> None:
        self.count = count
        context: multiprocessing.context.BaseContext
        if _forkable():  # each worker starts with this process's scorer
            context, make = multiprocessing.get_context("fork"), lambda: scorer
        else:  # each worker reopens the run
            context = multiprocessing.get_context("spawn")
            make = functools.partial(_reopened, reports_dir, scorer.run.manifest.run_id, scorer.model, scorer.identity)
        self._pool = context.Pool(count, initializer=_start, initargs=(make,))

    def score(self, source: str, lines: Iterable[tuple[int, str]]) -> Iterator[Answer | Problem]:
        """Every line of ``source`` scored, in order (an item that already has a result is scored too:
        the importer skips it)."""
        window: deque[AsyncResult[list[Answer | Problem]]] = deque()
        for chunk in chunks(lines):
            window.append(self._pool.apply_async(_score, (source, chunk)))
            if len(window) > 2 * self.count:
                yield from window.popleft().get()
        while window:
            yield from window.popleft().get()

    def close(self) -> None:
        self._pool.terminate()
        self._pool.join()


def chunks(
    lines: Iterable[tuple[int, str]], least: int = CHUNK, most: int = SEED_CHUNK
) -> Iterator[list[tuple[int, str]]]:
    """The lines in order, in chunks of ``least`` lines or more, each ending where a seed's lines do (the
    seed its ``custom_id`` names), or at ``most`` lines."""
    chunk: list[tuple[int, str]] = []
    last: str | None = None
    for number, text in lines:
        if len(chunk) >= least - 1:
            seed = m.group(1) if (m := _SEED.search(text)) else None
            if (seed != last and len(chunk) >= least) or len(chunk) >= most:
                yield chunk
                chunk = []
            last = seed
        chunk.append((number, text))
    if chunk:
        yield chunk
