"""Output schemas: in sync with the files, strict-ready, and enforced on our side."""

from __future__ import annotations

import json

import pytest

from harness.outputs import SchemaViolation, output_schema, parse_output
from harness.tasks import task_names
from harness.tasks.qa import QAOutput
from tests.conftest import REPO


@pytest.mark.parametrize("task", task_names())
def test_schema_files_in_sync(task: str) -> None:
    shipped = json.loads((REPO / "prompts" / "schemas" / f"{task}.json").read_text())
    assert shipped == output_schema(task), "run `harness export-schemas` and commit the result"


@pytest.mark.parametrize("task", task_names())
def test_schemas_are_strict_mode_ready(task: str) -> None:
    schema = output_schema(task)
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == set(schema["properties"])


GOOD = '{"answerable": true, "answer": "90", "value": 90, "evidence": "90 were injured"}'


@pytest.mark.parametrize(
    "text",
    [
        GOOD,
        f"```json\n{GOOD}\n```",
        f"Sure, here it is:\n{GOOD}\nAnything else?",
        f"```\n{GOOD}\n```",
    ],
)
def test_json_is_found_bare_fenced_or_chatty(text: str) -> None:
    parsed = parse_output("qa", text)
    assert isinstance(parsed, QAOutput) and parsed.value == 90


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("ninety", "the reply contains no JSON object"),
        ('{"answerable": true, "answer": "90", "value": 90}', "(top level): 'evidence' is a required property"),
        (
            '{"answerable": "yes", "answer": "90", "value": 90, "evidence": ""}',
            "answerable: 'yes' is not of type 'boolean'",
        ),
        (
            '{"answerable": true, "answer": "90", "value": 90, "evidence": "", "extra": 1}',
            "(top level): Additional properties are not allowed ('extra' was unexpected)",
        ),
        ('{"answerable": true, "answer": "9', "the reply contains no JSON object"),
    ],
)
def test_schema_violations_say_why(text: str, reason: str) -> None:
    with pytest.raises(SchemaViolation) as caught:
        parse_output("qa", text)
    assert str(caught.value) == reason


def test_factcheck_label_must_be_one_of_three() -> None:
    with pytest.raises(SchemaViolation, match="'maybe' is not one of"):
        parse_output("factcheck", '{"label": "maybe", "evidence": "", "correction": null}')


@pytest.mark.parametrize("task", task_names())
def test_schemas_are_self_contained(task: str) -> None:
    # servers' grammar converters (llama.cpp) do not all follow $ref
    assert "$ref" not in json.dumps(output_schema(task))
