"""What a model must answer: each task's output model (``harness/tasks/``) as a JSON Schema, and validation.

The schemas are generated from the pydantic models, written to
``prompts/schemas/<task>.json`` (a test keeps the files in sync), sent to servers that
support structured output, and always checked on our side with ``jsonschema``
whatever the server claims.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs
from pydantic import BaseModel

from harness.tasks import task, task_names


def _strip_titles(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _strip_titles(v) for k, v in node.items() if k != "title" or not isinstance(v, str)}
    if isinstance(node, list):
        return [_strip_titles(v) for v in node]
    return node


def _inline_refs(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        if "$ref" in node:
            return _inline_refs(defs[node["$ref"].rsplit("/", 1)[-1]], defs)
        return {k: _inline_refs(v, defs) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_inline_refs(v, defs) for v in node]
    return node


def plain_schema(model: type[BaseModel]) -> dict[str, Any]:
    """``model``'s JSON Schema with no titles and every ``$ref`` inlined: llama.cpp's grammar conversion
    silently skipped the summary schema while it had ``$defs`` (SmolLM2 then wrote free text in
    json_schema mode)."""
    schema = _strip_titles(model.model_json_schema())
    inlined: dict[str, Any] = _inline_refs(schema, schema.get("$defs", {}))
    return inlined


def output_schema(task_name: str) -> dict[str, Any]:
    """The JSON Schema of ``task``'s output, strict-mode ready (all fields required, no extras)."""
    return {"title": task_name, **plain_schema(task(task_name).output)}


# Limits sent to the embedded model's server only (llama.cpp turns them into its grammar, so a reply that
# loops inside a string, "1234567890123...", must close it); our validation keeps the public schema. Each
# is a field path ("key_points.point": the point of every key point) -> a string's maxLength or a list's
# maxItems; sized so that a reply at every limit still fits its task's token budget.
EMBEDDED_LIMITS = {
    "answer": 60,
    "evidence": 90,
    "correction": 70,
    "summary": 900,
    "key_points": 2,
    "key_points.point": 120,
    "key_points.evidence": 160,
    "reason": 160,  # a judge's (harness/judge/)
    "facts": 16,
    "facts.id": 4,
    "facts.sentence": 120,
    "unsupported": 3,
    "unsupported[]": 120,  # each of its strings ("path[]": the strings of a list of strings)
}
# A number the grammar can end: the embedded model's ``value`` is a whole number of at most 13 digits.
_BOUNDED_NUMBER = {"type": "integer", "minimum": -(10**12), "maximum": 10**12}


def bounded_schema(task_name: str) -> dict[str, Any]:
    """``output_schema`` with EMBEDDED_LIMITS and whole-number values: what the embedded server enforces."""
    return bound(output_schema(task_name))


def bound(schema: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``schema`` with EMBEDDED_LIMITS and whole-number values (any answer's schema: a task's, a
    judge's)."""
    bounded = copy.deepcopy(schema)
    _bound(bounded, "")
    return bounded


def _bound(node: Any, path: str) -> None:
    if not isinstance(node, dict):
        return
    limit = EMBEDDED_LIMITS.get(path)
    if limit is not None and node.get("type") == "string" and "enum" not in node:
        node["maxLength"] = limit
    if limit is not None and node.get("type") == "array":
        node["maxItems"] = limit
    if node.get("type") == "number":
        node.clear()
        node.update(_BOUNDED_NUMBER)
    for name, sub in node.get("properties", {}).items():
        _bound(sub, f"{path}.{name}" if path else name)
    for sub in node.get("anyOf", []):
        _bound(sub, path)
    items = node.get("items")
    if isinstance(items, dict):
        _bound(items, f"{path}[]" if items.get("type") == "string" else path)


def export_output_schemas(directory: Path) -> list[Path]:
    """Write ``<task>.json`` for every task; return the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name in task_names():
        path = directory / f"{name}.json"
        path.write_text(json.dumps(output_schema(name), indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written


class SchemaViolation(ValueError):
    """The model's reply is not JSON of the required shape; the message says why."""


_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.DOTALL | re.IGNORECASE)


def extract_json(text: str) -> Any:
    """The first JSON object in ``text``: bare, fenced in ```json, or inside chatty prose."""
    stripped = text.strip()
    candidates = [stripped, *(m.group(1).strip() for m in _FENCE.finditer(text))]
    for candidate in candidates:
        try:
            return json.loads(candidate)
        except json.JSONDecodeError:
            continue
    decoder = json.JSONDecoder()
    for start in (i for i, ch in enumerate(text) if ch == "{"):
        try:
            obj, _ = decoder.raw_decode(text, start)
        except json.JSONDecodeError:
            continue
        return obj
    raise SchemaViolation("the reply contains no JSON object")


class SchemaCheck:
    """One JSON Schema's check of parsed replies. ``jsonschema`` is the reference: its verdict and message
    are the ones reported. ``jsonschema-rs`` (compiled, ~0.1 µs a reply where jsonschema takes ~20) answers
    first, and a reply it finds valid is valid; any other reply (or one it cannot read) is checked by
    jsonschema, which says where and why (tests/test_outputs.py holds the two in agreement)."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self._fast = jsonschema_rs.Draft202012Validator(schema)
        self._reference = jsonschema.Draft202012Validator(schema)

    def problem(self, data: Any) -> str | None:
        """Where and why ``data`` breaks the schema; None when it does not."""
        try:
            if self._fast.is_valid(data):
                return None
        except ValueError:  # a value JSON has no form for: the reference decides
            pass
        error = jsonschema.exceptions.best_match(self._reference.iter_errors(data))
        if error is None:
            return None
        return f"{'/'.join(str(p) for p in error.absolute_path) or '(top level)'}: {error.message}"


@functools.cache
def _check(task_name: str) -> SchemaCheck:
    return SchemaCheck(output_schema(task_name))


def parse_output(task_name: str, text: str) -> BaseModel:
    """Parse and validate a model reply for a task; raise SchemaViolation with the reason."""
    return parse_checked(text, _check(task_name), task(task_name).output)


def parse_checked(text: str, check: SchemaCheck, model: type[BaseModel]) -> BaseModel:
    """The first JSON object in ``text``, checked against its schema, as ``model``."""
    data = extract_json(text)
    problem = check.problem(data)
    if problem is not None:
        raise SchemaViolation(problem)
    return model.model_validate(data)
