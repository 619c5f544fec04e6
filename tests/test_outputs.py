"""Output schemas: in sync with the files, strict-ready, and enforced on our side."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import jsonschema_rs
import pytest

from harness.outputs import EMBEDDED_LIMITS, SchemaCheck, SchemaViolation, bounded_schema, output_schema, parse_output
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


def test_the_embedded_server_gets_bounded_strings_and_whole_numbers() -> None:
    qa, summary = bounded_schema("qa"), bounded_schema("summary")
    assert qa["properties"]["answer"]["maxLength"] == EMBEDDED_LIMITS["answer"]
    assert qa["properties"]["value"]["anyOf"][0] == {"type": "integer", "minimum": -(10**12), "maximum": 10**12}
    assert summary["properties"]["key_points"]["maxItems"] == EMBEDDED_LIMITS["key_points"]
    assert summary["properties"]["key_points"]["items"]["properties"]["point"]["maxLength"] == 120
    label = bounded_schema("factcheck")["properties"]["label"]
    assert "maxLength" not in label  # an enum is bounded already
    assert "maxLength" not in json.dumps(output_schema("summary"))  # the public schema is untouched


@pytest.mark.parametrize("task", task_names())
def test_what_the_bounded_schema_accepts_the_public_one_accepts(task: str) -> None:
    import jsonschema

    bounded = jsonschema.Draft202012Validator(bounded_schema(task))
    public = jsonschema.Draft202012Validator(output_schema(task))
    replies: dict[str, dict[str, Any]] = {
        "qa": {"answerable": True, "answer": "12", "value": 12, "evidence": "12 were killed"},
        "factcheck": {"label": "refuted", "evidence": "It says 123 miles.", "correction": "123 miles"},
        "summary": {"summary": "Twelve died.", "key_points": [{"point": "12 died", "evidence": "12 were killed"}]},
    }
    reply = replies[task]
    assert bounded.is_valid(reply) and public.is_valid(reply)
    long = {k: ("x" * 1000 if isinstance(v, str) and k != "label" else v) for k, v in reply.items()}
    assert public.is_valid(long) and not bounded.is_valid(long)


def test_a_bounded_model_sends_the_bounded_schema_and_keys_its_cache_apart() -> None:
    import asyncio

    from harness.models.openai_compat import OpenAICompatModel
    from harness.prompts import Prompt
    from harness.types import GenerationSettings, WorkItem
    from tests.conftest import perfect
    from tests.fake_openai import FakeOpenAI

    item = WorkItem(
        id="s/qa/q#0", seed="s", task="qa", item="q", sample=0, prompt_ref="qa/v1",
        prompt=Prompt(task="qa", version="v1", system=None, body="QUESTION: {{question}}", sha256="", path=""),
        slots={"question": "How many people were killed in the attack?"}, article="",
        subject="How many people were killed in the attack?",
    )  # fmt: skip
    with FakeOpenAI(perfect) as server:
        for bounded in (True, False):
            model = OpenAICompatModel("m", base_url=server.base_url, api_key="k", bounded=bounded)
            asyncio.run(model.complete(item, GenerationSettings()))
            asyncio.run(model.aclose())
            assert ("bounded" in model.cache_identity()) is bounded
        sent = [r["response_format"]["json_schema"]["schema"] for r in server.requests]
    assert sent == [bounded_schema("qa"), output_schema("qa")]


def _example(schema: dict[str, Any]) -> Any:
    """A value the schema accepts, made from the schema itself."""
    if "anyOf" in schema:
        return _example(schema["anyOf"][0])
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        return {key: _example(schema["properties"][key]) for key in schema.get("required", [])}
    if kind == "array":
        return [_example(schema.get("items", {"type": "string"}))]
    leaves: dict[str, Any] = {"string": "x", "boolean": True, "number": 1.5, "integer": 2, "null": None}
    return leaves[str(kind)]


_ODD: list[Any] = [None, True, False, 0, -1, 1.5, 10**30, "", "s", "supported", [], {}, ["s"], {"a": 1}, [{"a": 1}]]
_ODD += [float("nan"), float("inf")]


def _variants(value: Any) -> list[Any]:
    """``value`` with each of its parts, in turn, replaced by each odd value, dropped, or joined by a key."""
    out = list(_ODD)
    if isinstance(value, dict):
        for key, part in value.items():
            out += [{**value, key: other} for other in _variants(part)]
            out.append({k: v for k, v in value.items() if k != key})
        out.append(value | {"extra": "x"})
    if isinstance(value, list) and value:
        out += [[other] for other in _variants(value[0])] + [[value[0], *_ODD[:3]], value * 2]
    return out


@pytest.mark.parametrize("name", sorted(p.stem for p in (REPO / "prompts" / "schemas").glob("*.json")))
def test_the_fast_check_and_the_reference_agree_on_every_reply(name: str) -> None:
    schema = json.loads((REPO / "prompts" / "schemas" / f"{name}.json").read_text())
    reference, fast, check = (
        jsonschema.Draft202012Validator(schema),
        jsonschema_rs.Draft202012Validator(schema),
        SchemaCheck(schema),
    )
    valid = _example(schema)
    assert reference.is_valid(valid)
    replies = _variants(valid)
    assert len(replies) > 40 and sum(map(reference.is_valid, replies)) > 3  # some odd replies are still valid
    for reply in replies:
        assert (check.problem(reply) is None) == reference.is_valid(reply), reply
        finite = all(not isinstance(v, float) or v - v == 0 for v in _leaves(reply))
        if finite:  # jsonschema-rs rejects NaN and infinity, which JSON has no form for; the reference decides
            assert fast.is_valid(reply) == reference.is_valid(reply), reply


def _leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [leaf for part in value.values() for leaf in _leaves(part)]
    if isinstance(value, list):
        return [leaf for part in value for leaf in _leaves(part)]
    return [value]
