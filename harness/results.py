"""results.jsonl: one ItemResult per line, appended and flushed as each item finishes.

A run killed mid-write can leave a torn last line. Reading repairs it: the torn
bytes are cut off (and reported), so that item is simply run again on resume;
nothing is silently dropped and nothing is counted twice.
"""

from __future__ import annotations

import hashlib
import os
import signal
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import NamedTuple

import orjson
from pydantic import ValidationError

from harness.errors import ReportError, record_problem
from harness.types import OUTCOMES, ItemResult


def repair(path: Path) -> int:
    """Cut a torn (unterminated) last line off ``path``; return how many bytes were cut."""
    if not path.exists():
        return 0
    size = path.stat().st_size
    if size == 0:
        return 0
    with path.open("rb+") as handle:
        handle.seek(max(0, size - 1))
        if handle.read(1) == b"\n":
            return 0
        # Scan back for the last complete line.
        step = 65536
        end = size
        keep = 0
        while end > 0:
            start = max(0, end - step)
            handle.seek(start)
            chunk = handle.read(end - start)
            idx = chunk.rfind(b"\n")
            if idx >= 0:
                keep = start + idx + 1
                break
            end = start
        handle.truncate(keep)
        return size - keep


def result_key(model: str, item_id: str) -> int:
    """A 128-bit digest of (model, id): what a reader keeps per record to let the first one win, 44 bytes
    where the pair of strings took ~150 (a million-item run); two keys share one with odds of ~1e-26."""
    digest = hashlib.blake2b(f"{model}\0{item_id}".encode(), digest_size=16).digest()
    return int.from_bytes(digest, "big")


def record_lines(path: Path) -> Iterator[tuple[int, int, bytes]]:
    """(line number, byte offset, line) of every line of ``path`` that is not blank; none without a file."""
    if not path.exists():
        return
    offset = 0
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                yield number, offset, line
            offset += len(line)


def not_a_record(path: Path, exc: ValidationError, line: int | None = None) -> ReportError:
    """The error for a line of results.jsonl that is not a result record."""
    fix = "restore the file from the run, or delete that line to re-run the item with --resume"
    return ReportError([record_problem(str(path), "not a result record", exc, fix, line=line)])


def read_record(path: Path, line: bytes, number: int | None = None) -> ItemResult:
    """One line of ``path`` as a result record; the error naming the file (and line) when it is not one."""
    try:
        return ItemResult.model_validate_json(line)
    except ValidationError as exc:
        raise not_a_record(path, exc, number) from None


def iter_results(path: Path, first_wins: bool = True) -> Iterator[ItemResult]:
    """Every complete record, read one line at a time; the first one wins for a (model, id) seen twice
    (``first_wins=False``: every record, for a file known to hold no (model, id) twice)."""
    seen: set[int] = set()
    for number, _, line in record_lines(path):
        result = read_record(path, line, number)
        if first_wins:
            key = result_key(result.model, result.id)
            if key in seen:
                continue
            seen.add(key)
        yield result


def read_results(path: Path) -> list[ItemResult]:
    """Every complete record, first one wins for a (model, id) seen twice (``iter_results``, held)."""
    return list(iter_results(path))


@dataclass(frozen=True)
class Results:
    """A results.jsonl read anew each time it is iterated (``iter_results``): a run's results, never held."""

    path: Path
    # No (model, id) in the file twice (``tally_results`` found none): read without keeping a key per
    # record, ~80 bytes each (80 MB for a million-item run).
    distinct: bool = False

    def __iter__(self) -> Iterator[ItemResult]:
        return iter_results(self.path, first_wins=not self.distinct)


@dataclass
class Tally:
    """Outcome counts per model and task, and the causes of errors: what a run prints, in one pass."""

    outcomes: dict[str, dict[str, Counter[str]]] = field(default_factory=dict)
    causes: Counter[tuple[str, str]] = field(default_factory=Counter)

    @property
    def results(self) -> int:
        return sum(n for tasks in self.outcomes.values() for counts in tasks.values() for n in counts.values())

    def add(self, result: ItemResult | Counted) -> None:
        self.outcomes.setdefault(result.model, {}).setdefault(result.task, Counter())[result.outcome] += 1
        if result.outcome == "error":
            self.causes[(result.model, (result.reason.splitlines() or [""])[0])] += 1

    @classmethod
    def of(cls, results: Iterable[ItemResult]) -> Tally:
        tally = cls()
        for result in results:
            tally.add(result)
        return tally


class Counted(NamedTuple):
    """The fields of a result record a Tally counts (a tuple: an import's workers send one a line)."""

    model: str
    id: str
    task: str
    outcome: str
    reason: str


def _strings(c: Counted) -> bool:
    return all(isinstance(v, str) for v in (c.model, c.id, c.task, c.outcome, c.reason))


def _counted(path: Path, number: int, line: bytes) -> Counted:
    """The counted fields of one line, read with orjson (~3 µs where the whole record takes ~19); a line
    that does not have them as strings, or an outcome that is none, is read whole for its error."""
    try:
        record = orjson.loads(line)
        counted = Counted(record["model"], record["id"], record["task"], record["outcome"], record["reason"])
    except (orjson.JSONDecodeError, KeyError, TypeError):
        counted = None
    if counted is None or counted.outcome not in OUTCOMES or not _strings(counted):
        result = read_record(path, line, number)
        counted = Counted(result.model, result.id, result.task, result.outcome, result.reason)
    return counted


def tally_results(path: Path) -> tuple[Tally, Results]:
    """A results.jsonl counted in one pass, and the ``Results`` to read it by: ``distinct`` when no (model,
    id) is in it twice, as in any run's own file. The pass reads only the fields it counts and keeps a
    64-bit hash a record (a repeated hash only costs a second, exact count) where the exact reading keeps
    a set of keys; the report's pass reads every record whole."""
    tally, hashes = Tally(), array("q")
    for number, _, line in record_lines(path):
        result = _counted(path, number, line)
        tally.add(result)
        hashes.append(hash((result.model, result.id)))
    if any(a == b for a, b in pairwise(sorted(hashes))):
        return Tally.of(Results(path)), Results(path)
    return tally, Results(path, distinct=True)


# A failpoint for the crash tests (tests/test_crash.py): with this set to N, the N-th append
# writes half of its line and the process SIGKILLs itself: a kill inside a results write, at a
# chosen write, which no outside timing can aim at. Unset, it costs one comparison per append.
TORN_WRITE_FAILPOINT = "HARNESS_FAILPOINT_TORN_WRITE"


class ResultsWriter:
    """Appends one line per result with a single write, so a line is whole or torn, never mixed."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        self._writes = 0
        self._tear_at = int(os.environ.get(TORN_WRITE_FAILPOINT) or 0)

    def append(self, result: ItemResult) -> None:
        self.write((result.model_dump_json() + "\n").encode("utf-8"))

    def write(self, data: bytes) -> None:
        """Append whole lines already dumped (``append``'s bytes: one result's, or several results')."""
        self._writes += 1
        if self._writes == self._tear_at:
            os.write(self._fd, data[: len(data) // 2])
            os.kill(os.getpid(), signal.SIGKILL)
        view = memoryview(data)
        while view:  # a write may take less than it is given (a regular file's rarely does)
            view = view[os.write(self._fd, view) :]

    def close(self) -> None:
        os.close(self._fd)
