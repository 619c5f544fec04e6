"""Editing a golden file's text in place, its comments and layout kept: adding items to a list, and
removing the ``draft: true`` marker of items a person has reviewed.

A YAML round trip through PyYAML would drop every comment, and goldens are mostly comments and care,
so these functions find their place through the composed node tree (line and column of each node) and
edit the text around it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import yaml

from harness.errors import ConfigError, GoldenError, yaml_problem

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _root(text: str, path: str) -> yaml.MappingNode:
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        raise GoldenError([yaml_problem(path, exc)]) from None
    if not isinstance(node, yaml.MappingNode):
        raise ConfigError(f"{path}: the file is not a YAML mapping. Fix: start it with `seed: <seed-id>`")
    return node


def _entry(mapping: yaml.MappingNode, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    """The (key node, value node) of ``key`` in ``mapping``, or None."""
    return next(((k, v) for k, v in mapping.value if isinstance(k, yaml.ScalarNode) and k.value == key), None)


def _value(mapping: yaml.MappingNode, key: str) -> yaml.Node | None:
    entry = _entry(mapping, key)
    return entry[1] if entry else None


def _line_start(text: str, line: int) -> int:
    """The character index where 0-based ``line`` starts (the text's end when it has fewer lines)."""
    index = 0
    for _ in range(line):
        found = text.find("\n", index)
        if found < 0:
            return len(text)
        index = found + 1
    return index


def _indented(items: Sequence[str], column: int) -> str:
    pad = " " * column
    return "".join("".join(pad + line + "\n" for line in item.splitlines()) for item in items)


def add_items(text: str, keys: Sequence[str], items: Sequence[str], path: str) -> str:
    """``text`` with ``items`` (each a YAML list entry written at column 0, "- id: ...") appended to the
    list at ``keys`` ("questions", or "summary", "key_facts"). An empty list (``[]`` or nothing) gets
    them as a block list; a missing top-level list is added at the end of the file."""
    mapping: yaml.Node | None = _root(text, path)
    for depth, key in enumerate(keys):
        parent = mapping
        mapping = _value(parent, key) if isinstance(parent, yaml.MappingNode) else None
        if mapping is None and depth == len(keys) - 1 == 0:
            return text.rstrip("\n") + f"\n{key}:\n" + _indented(items, 2)
        if mapping is None:
            raise ConfigError(f"{path}: no `{'.'.join(keys[: depth + 1])}` to add to. Fix: add the section first")
    if isinstance(mapping, yaml.ScalarNode) and mapping.value in ("", "null", "~"):
        return _into_empty(text, mapping, items, len(keys) * 2)
    if not isinstance(mapping, yaml.SequenceNode):
        raise ConfigError(f"{path}: `{'.'.join(keys)}` is not a list. Fix: write it as a list, or empty ([])")
    if mapping.flow_style or not mapping.value:
        if mapping.value:
            raise ConfigError(
                f"{path}:{mapping.start_mark.line + 1}: `{'.'.join(keys)}` is a [...] list. "
                "Fix: write it as a block list (one `- ` item a line) and run again"
            )
        return _into_empty(text, mapping, items, len(keys) * 2)
    at = _line_start(text, _last_line(mapping) + 1)
    return text[:at] + _indented(items, mapping.start_mark.column) + text[at:]


def _last_line(node: yaml.Node) -> int:
    """The 0-based line where ``node``'s own text ends (a block collection's end mark lies at the next
    token, past blank lines and comments, so its last leaf is asked)."""
    while isinstance(node, yaml.MappingNode | yaml.SequenceNode) and not node.flow_style and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    end = node.end_mark
    return end.line if end.column or end.line == node.start_mark.line else end.line - 1


def _into_empty(text: str, node: yaml.Node, items: Sequence[str], column: int) -> str:
    """Replace an empty list (``[]``, or no value) with the block list of ``items``."""
    start, end = node.start_mark.index, node.end_mark.index
    after = _line_start(text, node.end_mark.line + 1)
    head = text[:start].rstrip(" ") + text[end:after]
    if not head.endswith("\n"):
        head += "\n"
    return head + _indented(items, column) + text[after:]


def _mappings(node: yaml.Node) -> Iterator[yaml.MappingNode]:
    if isinstance(node, yaml.MappingNode):
        yield node
        for _, value in node.value:
            yield from _mappings(value)
    elif isinstance(node, yaml.SequenceNode):
        for value in node.value:
            yield from _mappings(value)


def _marker_span(text: str, mapping: yaml.MappingNode, key: yaml.Node, value: yaml.Node, path: str) -> tuple[int, int]:
    """The characters to delete so that ``draft: true`` is gone and the rest stays valid YAML."""
    start, end = key.start_mark.index, value.end_mark.index
    if mapping.flow_style:  # {id: x, fact: ..., draft: true}
        before = text[:start].rstrip(" \t")
        if before.endswith(","):
            return len(before) - 1, end
        after = len(text) - len(text[end:].lstrip(" \t"))
        return start, (after + 1 if text[after : after + 1] == "," else end)
    line_start = _line_start(text, key.start_mark.line)
    line_end = _line_start(text, key.start_mark.line + 1)
    rest = text[end:line_end].split("#", 1)[0].strip()
    if text[line_start:start].strip() or rest:
        raise ConfigError(
            f"{path}:{key.start_mark.line + 1}: `draft: true` shares its line with other keys. "
            "Fix: delete the marker by hand"
        )
    return line_start, line_end


def remove_draft_markers(text: str, ids: Sequence[str] | None, path: str) -> tuple[str, list[str]]:
    """``text`` without the ``draft: true`` marker of the items ``ids`` (every draft item when None),
    and the ids whose marker was removed, in file order."""
    spans: list[tuple[int, int]] = []
    done: list[str] = []
    for mapping in _mappings(_root(text, path)):
        item_id = _value(mapping, "id")
        marker = _entry(mapping, "draft")
        if marker is None or not isinstance(item_id, yaml.ScalarNode) or not isinstance(marker[1], yaml.ScalarNode):
            continue
        if marker[1].value.lower() != "true" or (ids is not None and item_id.value not in ids):
            continue
        spans.append(_marker_span(text, mapping, marker[0], marker[1], path))
        done.append(item_id.value)
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + text[end:]
    return text, done
