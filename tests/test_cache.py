"""The reply cache: what goes into the key, and that only real answers are ever replayed."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from harness.cache import ResponseCache, ask_key, request_key
from harness.models import Ask
from harness.outputs import output_schema
from harness.prompts import Prompt
from harness.types import GenerationSettings, ModelReply, Usage, WorkItem

IDENTITY = {"base_url": "http://127.0.0.1:1/v1", "model": "m", "mode": "json_schema"}
SETTINGS = GenerationSettings(temperature=0.7, seed=1)


def item(sample: int = 0, question: str = "How many?", task: str = "qa") -> WorkItem:
    return WorkItem(
        id=f"s/{task}/q#{sample}",
        seed="s",
        task=task,
        item="q",
        sample=sample,
        prompt_ref=f"{task}/v1",
        prompt=Prompt(task=task, version="v1", system=None, body="{{article}}\n{{question}}", sha256="", path=""),
        slots={"question": question},
        article="article",
        subject=question,
    )


def test_samples_of_one_item_get_their_own_keys() -> None:
    # With --samples k and temperature > 0 every sample is a new draw: none may replay sample 0.
    keys = {request_key(IDENTITY, item(sample), SETTINGS) for sample in range(3)}
    assert len(keys) == 3


@pytest.mark.parametrize(
    ("identity", "work", "settings"),
    [
        ({**IDENTITY, "model": "other"}, item(), SETTINGS),
        ({**IDENTITY, "base_url": "http://127.0.0.1:2/v1"}, item(), SETTINGS),
        ({**IDENTITY, "mode": "prompt"}, item(), SETTINGS),
        (IDENTITY, item(question="How many more?"), SETTINGS),
        (IDENTITY, item(task="factcheck"), SETTINGS),  # another output schema
        (IDENTITY, item(), SETTINGS.model_copy(update={"temperature": 0.0})),
        (IDENTITY, item(), SETTINGS.model_copy(update={"seed": 2})),
        (IDENTITY, item(), SETTINGS.model_copy(update={"max_tokens": 64})),
    ],
    ids=["model", "endpoint", "mode", "messages", "schema", "temperature", "sampling-seed", "max-tokens"],
)
def test_whatever_can_change_an_answer_changes_the_key(
    identity: dict[str, str], work: WorkItem, settings: GenerationSettings
) -> None:
    assert request_key(identity, work, settings) != request_key(IDENTITY, item(), SETTINGS)


def test_the_key_is_the_sha256_of_the_canonical_request() -> None:
    # A changed key would silently throw away every user's cache, so its recipe is pinned here.
    work = item(sample=2, question="Who is Norway's prime minister, Støre?")
    canonical = {
        "identity": IDENTITY,
        "messages": [dict(m) for m in work.messages],
        "settings": {"temperature": 0.7, "max_tokens": None, "seed": 1},
        "schema": output_schema("qa"),
        "sample": 2,
    }
    blob = json.dumps(canonical, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert request_key(IDENTITY, work, SETTINGS) == hashlib.sha256(blob.encode("utf-8")).hexdigest()


def test_timeout_cannot_change_an_answer_so_it_keeps_the_key() -> None:
    longer = SETTINGS.model_copy(update={"timeout": 999.0})
    assert request_key(IDENTITY, item(), longer) == request_key(IDENTITY, item(), SETTINGS)
    assert len(request_key(IDENTITY, item(), SETTINGS)) == 64  # a sha256 hex digest


def test_a_stored_reply_comes_back_marked_cached_across_processes(tmp_path: Path) -> None:
    path = tmp_path / "reports" / "cache" / "replies.sqlite3"  # folders made as needed
    reply = ModelReply(text='{"answer": "90"}', mode="json_object", usage=Usage(prompt_tokens=7), latency_s=1.5)
    cache = ResponseCache(path)
    assert cache.get("k") is None
    cache.put("k", reply)
    cache.close()
    reopened = ResponseCache(path)
    assert reopened.get("k") == reply.model_copy(update={"cached": True})
    reopened.put("k", reply.model_copy(update={"text": "newer"}))
    got = reopened.get("k")
    assert got is not None and got.text == "newer"
    reopened.close()


@pytest.mark.parametrize(
    "reply",
    [
        ModelReply(text=None, error="HTTP 503 after 6 attempts", mode="json_schema"),
        ModelReply(text="{}", error="timed out", mode="json_schema"),
        ModelReply(text=None, mode="json_schema"),
    ],
    ids=["error", "error-with-text", "no-text"],
)
def test_an_error_is_never_stored_so_never_replayed(tmp_path: Path, reply: ModelReply) -> None:
    cache = ResponseCache(tmp_path / "replies.sqlite3")
    cache.put("k", reply)
    assert cache.get("k") is None
    cache.close()


ASK = Ask(
    messages=({"role": "user", "content": "Is it Støre?"},), name="judge_qa", schema={"type": "object"}, max_tokens=256
)


@pytest.mark.parametrize(
    ("identity", "ask", "settings"),
    [
        ({**IDENTITY, "model": "other"}, ASK, SETTINGS),
        (IDENTITY, Ask(({"role": "user", "content": "judge that"},), "judge_qa", {"type": "object"}, 256), SETTINGS),
        (IDENTITY, Ask(ASK.messages, "judge_qa", {"type": "array"}, 256), SETTINGS),
        (IDENTITY, Ask(ASK.messages, "judge_qa", {"type": "object"}, 512), SETTINGS),
        (IDENTITY, ASK, SETTINGS.model_copy(update={"temperature": 0.0})),
    ],
    ids=["identity", "messages", "schema", "budget", "settings"],
)
def test_a_judge_requests_key_covers_what_can_change_its_answer(
    identity: dict[str, str], ask: Ask, settings: GenerationSettings
) -> None:
    assert ask_key(identity, ask, settings) != ask_key(IDENTITY, ASK, SETTINGS)


def test_a_judge_requests_key_is_the_sha256_of_its_canonical_request() -> None:
    canonical = {
        "identity": IDENTITY,
        "messages": ASK.messages,
        "settings": {"temperature": 0.7, "max_tokens": None, "seed": 1},
        "schema": {"type": "object"},
        "max_tokens": 256,
    }
    blob = json.dumps(canonical, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert ask_key(IDENTITY, ASK, SETTINGS) == hashlib.sha256(blob.encode("utf-8")).hexdigest()
    slow = SETTINGS.model_copy(update={"timeout": 999.0})  # the timeout cannot change an answer
    assert ask_key(IDENTITY, ASK, slow) == ask_key(IDENTITY, ASK, SETTINGS)
    assert ask_key(IDENTITY, ASK.__class__(ASK.messages, "other-name", ASK.schema, 256), SETTINGS) == ask_key(
        IDENTITY, ASK, SETTINGS
    )  # the schema's name in response_format is not the answer's shape
