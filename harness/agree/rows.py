"""Rows of a human-labelled answer file: question, gold answers, a candidate answer, a person's yes/no.

The file is JSONL, or JSONL compressed with gzip (``.gz``): one JSON object a line with ``question``,
``answers`` (a list; the first is the main one), ``candidate``, ``human`` (true/false), optional
``type`` (number, entity, text, date, boolean) and ``id``; other fields are kept for ``--by``. A bad
row becomes one Problem (file, line, field, fix) and is left out; it never stops the others.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

from harness.errors import Problem
from harness.matching.answers import AnswerKey, AnswerType
from harness.matching.forms import read_date, read_number
from harness.matching.text import for_matching

TYPES: tuple[str, ...] = get_args(AnswerType)


@dataclass(frozen=True)
class Row:
    line: int
    id: str
    question: str
    answers: tuple[str, ...]
    candidate: str
    human: bool
    type: AnswerType
    typed: bool  # the file gave the type (else the rule of ``infer_type`` chose it)
    fields: dict[str, Any] = field(default_factory=dict)  # every field of the line, for --by

    @property
    def key(self) -> AnswerKey:
        """The first answer is the answer; the others, less repeats, are aliases."""
        first = for_matching(self.answers[0])
        aliases = tuple(dict.fromkeys(a for a in self.answers[1:] if for_matching(a) != first))
        answer: bool | str = (
            self.answers[0].strip().lower() in ("yes", "true") if self.type == "boolean" else self.answers[0]
        )
        return AnswerKey(type=self.type, answer=answer, aliases=() if self.type == "boolean" else aliases)


def infer_type(answers: tuple[str, ...]) -> AnswerType:
    """What a user would pick: number when every answer is a number, date when every answer reads as
    a date (with at least a month), else entity."""
    if all(read_number(a) is not None for a in answers):
        return "number"
    if all(read_date(a) is not None for a in answers):
        return "date"
    return "entity"


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        yield from enumerate(handle, start=1)


def _problem(path: Path, line: int, field: str | None, message: str, fix: str) -> Problem:
    return Problem(file=str(path), line=line, field=field, message=message, fix=fix)


def _row(path: Path, number: int, data: Any, as_type: AnswerType | None) -> Row | Problem:
    if not isinstance(data, dict):
        return _problem(path, number, None, "the line is not a JSON object", "write one object a line")
    answers = data.get("answers")
    if not isinstance(answers, list) or not answers or not all(isinstance(a, str | int | float) for a in answers):
        return _problem(
            path, number, "answers", "must be a non-empty list of answers", 'write e.g. "answers": ["Paris"]'
        )
    texts = tuple(str(a) for a in answers)
    for name in ("question", "candidate"):
        if not isinstance(data.get(name), str):
            return _problem(path, number, name, "missing or not text", f'add "{name}": "..."')
    if not isinstance(data.get("human"), bool):
        return _problem(
            path, number, "human", "must be true or false", 'write "human": true (the person accepted it) or false'
        )
    kind = data.get("type")
    if kind is not None and kind not in TYPES:
        return _problem(
            path, number, "type", f"unknown type {kind!r}", f"use one of {', '.join(TYPES)}, or leave it out"
        )
    return Row(
        line=number,
        id=str(data.get("id", f"line {number}")),
        question=data["question"],
        answers=texts,
        candidate=data["candidate"],
        human=data["human"],
        type=kind or as_type or infer_type(texts),
        typed=kind is not None,
        fields=data,
    )


def read_rows(
    path: Path, limit: int | None = None, as_type: AnswerType | None = None
) -> tuple[list[Row], list[Problem]]:
    """The good rows of ``path`` (the first ``limit`` lines with a row) and one Problem per bad row; a row
    without a type gets ``as_type``, or the type ``infer_type`` picks."""
    rows: list[Row] = []
    problems: list[Problem] = []
    try:
        for number, text in _lines(path):
            if limit is not None and len(rows) + len(problems) >= limit:
                break
            if not text.strip():
                continue
            try:
                found = _row(path, number, json.loads(text), as_type)
            except json.JSONDecodeError as exc:
                found = _problem(path, number, None, f"not JSON ({exc.msg})", "write one JSON object a line")
            if isinstance(found, Row):
                rows.append(found)
            else:
                problems.append(found)
    except (OSError, UnicodeDecodeError, EOFError) as exc:
        problems.append(
            Problem(file=str(path), message=f"cannot read it ({exc})", fix="pass a JSONL or .jsonl.gz file")
        )
    return rows, problems
