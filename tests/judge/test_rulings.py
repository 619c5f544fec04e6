"""The judge's answers: schemas in sync with the files and strict-ready; a reply that breaks one says how."""

from __future__ import annotations

import json
from typing import Any

import pytest

from harness.judge.rulings import KINDS, AnswerRuling, read_ruling, ruling_schema
from harness.outputs import SchemaViolation
from tests.conftest import REPO


@pytest.mark.parametrize("kind", list(KINDS))
def test_ruling_schema_files_in_sync(kind: str) -> None:
    shipped = json.loads((REPO / "prompts" / "schemas" / f"judge_{kind}.json").read_text())
    assert shipped == ruling_schema(kind), "run `harness export-schemas` and commit the result"


def _objects(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        found = [node] if node.get("type") == "object" else []
        return found + [o for value in node.values() for o in _objects(value)]
    if isinstance(node, list):
        return [o for value in node for o in _objects(value)]
    return []


@pytest.mark.parametrize("kind", list(KINDS))
def test_ruling_schemas_are_strict_mode_ready(kind: str) -> None:
    for node in _objects(ruling_schema(kind)):
        assert node["additionalProperties"] is False
        assert set(node["required"]) == set(node["properties"])


def test_a_ruling_is_read_and_a_broken_one_says_where() -> None:
    assert read_ruling("qa", 'Sure: {"reason": "same name", "correct": true}') == AnswerRuling(
        reason="same name", correct=True
    )
    with pytest.raises(SchemaViolation, match=r"^correct: 'yes' is not of type 'boolean'$"):
        read_ruling("qa", '{"reason": "r", "correct": "yes"}')
    with pytest.raises(SchemaViolation, match="facts/0: 'sentence' is a required property"):
        read_ruling("summary", '{"facts": [{"id": "F1", "stated": true}], "unsupported": []}')
    with pytest.raises(SchemaViolation, match="no JSON object"):
        read_ruling("answer", "It is correct.")
