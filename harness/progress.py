"""Progress on long runs: a rich bar on a terminal, plain periodic lines otherwise."""

from __future__ import annotations

import sys
import time
from collections import Counter
from typing import Protocol

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


class Reporter(Protocol):
    def start(self, label: str, total: int) -> None: ...
    def advance(self, outcome: str) -> None: ...  # one more result, of this outcome
    def stop(self) -> None: ...
    def warn(self, message: str) -> None: ...


def _stats(counts: Counter[str]) -> str:
    scored = counts["correct"] + counts["incorrect"] + counts["abstained"]
    accuracy = f"{counts['correct'] / scored:.0%}" if scored else "-"
    return f"acc {accuracy}  invalid {counts['invalid']}  errors {counts['error']}"


class SilentReporter:
    """Shows nothing: the default when the library is called without the CLI."""

    def start(self, label: str, total: int) -> None:
        return None

    def advance(self, outcome: str) -> None:
        return None

    def stop(self) -> None:
        return None

    def warn(self, message: str) -> None:
        return None


class RichReporter:
    """A live bar with ETA, running accuracy, invalid and error counts."""

    def __init__(self, console: Console) -> None:
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("eta"),
            TimeRemainingColumn(),
            TextColumn("{task.fields[stats]}"),
            console=console,
        )
        self._counts: Counter[str] = Counter()
        self._task: TaskID | None = None

    def start(self, label: str, total: int) -> None:
        self._counts = Counter()
        if self._task is None:
            self._progress.start()
        else:
            self._progress.remove_task(self._task)
        self._task = self._progress.add_task(label, total=total, stats=_stats(self._counts))

    def advance(self, outcome: str) -> None:
        self._counts[outcome] += 1
        if self._task is not None:
            self._progress.update(self._task, advance=1, stats=_stats(self._counts))

    def stop(self) -> None:
        self._progress.stop()

    def warn(self, message: str) -> None:
        self._progress.console.print(f"[yellow]warning:[/] {escape(message)}")


class PlainReporter:
    """One line every ``every_s`` seconds and at the end, for logs and CI."""

    def __init__(self, every_s: float = 10.0) -> None:
        self._every = every_s
        self._label, self._total, self._done = "", 0, 0
        self._counts: Counter[str] = Counter()
        self._last = 0.0
        self._started = 0.0

    def _line(self) -> None:
        elapsed = time.monotonic() - self._started
        print(f"{self._label}: {self._done}/{self._total} in {elapsed:.0f}s  {_stats(self._counts)}", flush=True)

    def start(self, label: str, total: int) -> None:
        self._label, self._total, self._done = label, total, 0
        self._counts = Counter()
        self._started = self._last = time.monotonic()

    def advance(self, outcome: str) -> None:
        self._done += 1
        self._counts[outcome] += 1
        now = time.monotonic()
        if now - self._last >= self._every or self._done == self._total:
            self._last = now
            self._line()

    def stop(self) -> None:
        return None

    def warn(self, message: str) -> None:
        print(f"warning: {message}", file=sys.stderr, flush=True)


def reporter_for(console: Console) -> Reporter:
    """A rich bar when stdout is a terminal, plain lines otherwise."""
    return RichReporter(console) if sys.stdout.isatty() else PlainReporter()
