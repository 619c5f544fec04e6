"""Where in a YAML file a problem is: the line, the item and the field a validation error points at.

pydantic reports a location as a path of keys and indexes; these map it onto the YAML node tree to
name the line, the item (by its id where it has one) and the field, with a fix for each kind of error.
A validator marks its own fix by writing ``message | fix: fix`` (``FIX_MARK``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

from harness.errors import Problem

FIX_MARK = " | fix: "

Loc = tuple[int | str, ...]


def _node_at(node: yaml.Node, loc: Loc) -> yaml.Node:
    """The deepest YAML node along ``loc`` (to name a line for a problem)."""
    for step in loc:
        if isinstance(node, yaml.MappingNode):
            match = [v for k, v in node.value if k.value == step]
            if not match:
                return node
            node = match[0]
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
        else:
            return node
    return node


def line_of(root: yaml.Node | None, loc: Loc) -> int | None:
    """The 1-based line of the node at ``loc`` (or of the deepest node on the way)."""
    if root is None:
        return None
    return _node_at(root, loc).start_mark.line + 1


def _item_name(raw: Any, loc: Loc) -> str | None:
    """ "injured-count" for ('questions', 3, ...) when item 3 has that id, else "questions[3]"."""
    path: list[str] = []
    node = raw
    for step in loc:
        if isinstance(step, int):
            try:
                node = node[step]
            except (IndexError, KeyError, TypeError):
                return ".".join(path) + f"[{step}]"
            item_id = node.get("id") if isinstance(node, dict) else None
            return str(item_id) if item_id else ".".join(path) + f"[{step}]"
        path.append(step)
        node = node.get(step) if isinstance(node, dict) else None
    return None


def _field_name(loc: Loc) -> str | None:
    """The field inside its item: ('questions', 3, 'wrong', 0) -> "wrong[0]", ('claims', 1, 'correction',
    'answer') -> "correction.answer"; the last name when the location is in no item ("max_words")."""
    first = next((i for i, step in enumerate(loc) if isinstance(step, int)), None)
    inside = loc[first + 1 :] if first is not None else loc[-1:]
    field = ""
    for step in inside:
        field += f"[{step}]" if isinstance(step, int) else f"{'.' if field else ''}{step}"
    return field or None


# pydantic names the member type of a union in an error's location; we do not.
_UNION_TAGS = frozenset({"bool", "int", "float", "str", "date"})

FIX_MARKES = {
    "missing": "add the field",
    "extra_forbidden": "remove it, or check its spelling against goldens/golden.schema.json",
    "literal_error": "use one of the allowed values",
    "string_type": "write it as text",
    "int_parsing": "write a whole number",
    "float_parsing": "write a number without quotes",
    "bool_parsing": "write true or false",
    "date_from_datetime_parsing": "write a date as YYYY-MM-DD",
    "date_parsing": "write a date as YYYY-MM-DD",
    "string_pattern_mismatch": "use lowercase letters, digits, '-' and '_' only",
    "too_short": "add at least one entry",
    "greater_than": "use a positive number",
    "greater_than_equal": "use zero or more",
    "tuple_type": "write a YAML list, e.g. [a, b]",
    "model_type": "write a YAML mapping (key: value lines)",
}


def choices(model: type[BaseModel], loc: Loc) -> tuple[str, ...]:
    """The fixed values of the field at ``loc`` (a Literal, perhaps in a union or a tuple), or ()."""
    annotation: Any = model
    for step in loc:
        if isinstance(step, int):
            continue
        inner = _model_in(annotation)
        if inner is None or step not in inner.model_fields:
            return ()
        annotation = inner.model_fields[step].annotation
    return tuple(str(v) for v in _literal_values(annotation))


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return next((m for arg in get_args(annotation) if (m := _model_in(arg)) is not None), None)


def _literal_values(annotation: Any) -> tuple[Any, ...]:
    if get_origin(annotation) is Literal:
        return get_args(annotation)
    return tuple(v for arg in get_args(annotation) for v in _literal_values(arg))


def problems_from_validation(
    path: str, raw: Any, root: yaml.Node | None, exc: ValidationError, model: type[BaseModel] | None = None
) -> list[Problem]:
    """One Problem per located error (a union reports once), each with its line, item, field and fix;
    a missing or wrong field of fixed values lists them (``model`` is what was validated)."""
    problems = []
    seen: set[Loc] = set()
    for err in exc.errors():
        loc: Loc = tuple(step for step in err["loc"] if step not in _UNION_TAGS)
        msg = str(err["msg"]).removeprefix("Value error, ")
        if FIX_MARK in msg:
            msg, fix = msg.split(FIX_MARK, 1)
        else:
            fix = FIX_MARKES.get(err["type"], "see goldens/golden.schema.json")
        if loc in seen:  # a union reports once per member type; one line is enough
            continue
        seen.add(loc)
        if err["type"] == "extra_forbidden":
            msg = "unknown field"
        allowed = choices(model, loc) if model is not None and err["type"] in ("missing", "literal_error") else ()
        if allowed:
            fix = f"{'add the field: ' if err['type'] == 'missing' else 'use '}one of {', '.join(allowed)}"
        problems.append(
            Problem(
                file=path,
                line=line_of(root, loc),
                item=_item_name(raw, loc),
                field=_field_name(loc),
                message=msg,
                fix=fix,
            )
        )
    return problems


def duplicate_keys(path: str, node: yaml.Node) -> Iterator[Problem]:
    """PyYAML keeps the last of two equal keys silently; we say so instead."""
    if isinstance(node, yaml.MappingNode):
        keys: set[str] = set()
        for key, value in node.value:
            if key.value in keys:
                yield Problem(
                    file=path,
                    line=key.start_mark.line + 1,
                    field=str(key.value),
                    message="this key appears twice in the same mapping",
                    fix="keep one of them",
                )
            keys.add(key.value)
            yield from duplicate_keys(path, value)
    elif isinstance(node, yaml.SequenceNode):
        for child in node.value:
            yield from duplicate_keys(path, child)
