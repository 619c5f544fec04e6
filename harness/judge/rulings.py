"""What a judge answers, as JSON Schemas, and how its reply is read.

Each judge prompt (``prompts/judge/<kind>/<version>.md``) asks for one of these shapes; the reply is
checked with ``jsonschema`` like a task's answer, and a reply that breaks its shape is a judge error,
never a verdict.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from harness.outputs import SchemaCheck, parse_checked, plain_schema

# The docstrings below are the schemas' descriptions, which the judge reads: they speak to it.
# The reason comes before the verdict, so a model reasons before it rules.


class AnswerRuling(BaseModel):
    """Why the response is or is not correct, then the verdict."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    reason: str
    correct: bool


class FactRuling(BaseModel):
    """One listed fact: its label, whether the summary states it, and the sentence that does."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    stated: bool
    sentence: str


class SummaryRuling(BaseModel):
    """Every listed fact, stated or not, and the summary's sentences the article does not support."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    facts: list[FactRuling]
    unsupported: list[str]


# kind -> (the answer's shape, the placeholders its prompt fills besides {{schema}}, its completion budget)
KINDS: dict[str, tuple[type[BaseModel], frozenset[str], int]] = {
    "qa": (AnswerRuling, frozenset({"question", "first", "second"}), 256),
    "answer": (AnswerRuling, frozenset({"question", "first", "second"}), 256),
    "summary": (SummaryRuling, frozenset({"article", "first", "second"}), 1024),
}
PROMPT_NAMES = {f"judge/{kind}": slots for kind, (_, slots, _) in KINDS.items()}


@functools.cache
def ruling_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema a judge of ``kind`` answers in (strict-mode ready, like a task's)."""
    return {"title": f"judge_{kind}", **plain_schema(KINDS[kind][0])}


@functools.cache
def _check(kind: str) -> SchemaCheck:
    return SchemaCheck(ruling_schema(kind))


def read_ruling(kind: str, text: str) -> BaseModel:
    """The judge's reply as its ruling; SchemaViolation (with where and why) when it is not one."""
    return parse_checked(text, _check(kind), KINDS[kind][0])


def export_ruling_schemas(directory: Path) -> list[Path]:
    """Write ``judge_<kind>.json`` beside the tasks' schemas; return the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in KINDS:
        path = directory / f"judge_{kind}.json"
        path.write_text(json.dumps(ruling_schema(kind), indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written
