"""The rows ``harness compare`` and ``check`` pair for a run past REPORT_ITEMS results, read from results.jsonl.

A row holds what pairing and the paired measures read (model, prompt, id, seed, task, tags, outcome,
score, checks), ~250 bytes, where a report's ``ReportItem`` takes ~1 KB and ~20 µs to make: two runs of
a million items are compared in tens of seconds and a few hundred MB. Only the fields a row needs are
parsed from each line (``_Record``). The words of an item that flips (its answer and the rules'
reason) are read again from its line when asked for: few items flip, and they are printed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, ValidationError

from harness.metrics import item_score
from harness.names import TaskName
from harness.report.build import answer_text
from harness.results import not_a_record, read_record, record_lines, result_key
from harness.tasks import task
from harness.types import Details, ItemResult, Outcome


class Row(Protocol):
    """What ``compare`` reads of an item: a report's ``ReportItem``, or a ``LeanItem``."""

    @property
    def model(self) -> str: ...
    @property
    def prompt(self) -> str: ...
    @property
    def id(self) -> str: ...
    @property
    def seed(self) -> str: ...
    @property
    def task(self) -> str: ...
    @property
    def tags(self) -> Sequence[str]: ...
    @property
    def outcome(self) -> Outcome: ...
    @property
    def score(self) -> float | None: ...
    @property
    def checks(self) -> Mapping[str, bool]: ...
    @property
    def question(self) -> str | None: ...
    @property
    def expected(self) -> str | None: ...
    @property
    def answer(self) -> str | None: ...
    @property
    def reason(self) -> str: ...


class _Record(BaseModel):
    """The part of a results.jsonl line a row is made from (the rest of the line is not parsed)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    model: str
    prompt_ref: str
    id: str
    seed: str
    task: TaskName
    tags: tuple[str, ...] = ()
    outcome: Outcome
    details: Details = None


@dataclass(frozen=True, slots=True)
class LeanItem:
    """One result as ``compare`` pairs it (the attributes of a ``ReportItem`` it reads)."""

    model: str
    prompt: str
    id: str
    seed: str
    task: str
    tags: tuple[str, ...]
    outcome: Outcome
    score: float | None
    checks: Mapping[str, bool]
    path: Path  # results.jsonl, and where this result's line starts in it
    offset: int

    @property
    def question(self) -> str | None:
        return None  # golden views are not read for a lean row

    @property
    def expected(self) -> str | None:
        return None

    @property
    def answer(self) -> str | None:
        return answer_text(self._result())

    @property
    def reason(self) -> str:
        return self._result().reason

    def _result(self) -> ItemResult:
        with self.path.open("rb") as handle:
            handle.seek(self.offset)
            line = handle.readline()
        return read_record(self.path, line)


def lean_items(path: Path) -> list[LeanItem]:
    """A row for every result of results.jsonl at ``path``: the first record wins for a (model, id) seen
    twice, as ``results.iter_results`` reads it. Equal names, tags and checks are one object."""
    seen: set[int] = set()
    shared: dict[Any, Any] = {}
    rows: list[LeanItem] = []
    for number, offset, line in record_lines(path):
        try:
            r = _Record.model_validate_json(line)
        except ValidationError as exc:
            raise not_a_record(path, exc, number) from None
        key = result_key(r.model, r.id)
        if key in seen:
            continue
        seen.add(key)
        checks, score = task(r.task).checks(r.details), item_score(r)
        row = LeanItem(
            model=shared.setdefault(r.model, r.model),
            prompt=shared.setdefault(r.prompt_ref, r.prompt_ref),
            id=r.id,
            seed=shared.setdefault(r.seed, r.seed),
            task=shared.setdefault(r.task, r.task),
            tags=shared.setdefault(("tags", r.tags), r.tags),
            outcome=r.outcome,
            score=shared.setdefault(("score", score), score),
            checks=shared.setdefault(("checks", *checks.items()), checks),
            path=path,
            offset=offset,
        )
        rows.append(row)
    return rows
