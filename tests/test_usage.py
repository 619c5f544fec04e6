"""Usage tells the truth: this run's own calls apart from replies served by the cache, and prefix-cached
prompt tokens read from whichever field a server fills."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import perfect
from tests.fake_openai import FakeOpenAI, Reply
from tests.test_runner import api_key, results, run

__all__ = ["api_key"]  # the autouse fixture that sets OPENAI_API_KEY


def usage_of(folder: Path, run_id: str) -> dict[str, Any]:
    report = json.loads((folder / "reports" / "runs" / run_id / "report.json").read_text("utf-8"))
    [usage] = report["usage"]
    return dict(usage)


@pytest.mark.parametrize(
    ("usage", "extra"),
    [
        ({"prompt_tokens_details": {"cached_tokens": 64}}, {}),  # OpenAI, vLLM, LiteLLM, llama.cpp
        ({"cache_read_input_tokens": 64}, {}),  # LiteLLM in front of Anthropic
        ({"prompt_cache_hit_tokens": 64, "prompt_cache_miss_tokens": 36}, {}),  # DeepSeek
        ({}, {"timings": {"cache_n": 64, "prompt_n": 36}}),  # llama.cpp's own timings
    ],
    ids=["prompt_tokens_details", "cache_read_input_tokens", "prompt_cache_hit_tokens", "timings.cache_n"],
)
def test_cached_prompt_tokens_are_read_from_every_field_servers_use(
    mini: Path, usage: dict[str, Any], extra: dict[str, Any]
) -> None:
    def responder(request: dict[str, Any], seen: int) -> Reply:
        reply = perfect(request, seen)
        return Reply(reply.content, usage=usage, extra=extra)

    with FakeOpenAI(responder) as server:
        assert run(mini, server, "--task", "qa") == 0
    assert {r["usage"]["cached_tokens"] for r in results(mini).values()} == {64}
    assert usage_of(mini, "r1")["cached_tokens"] == 64 * len(results(mini))


def test_a_cached_rerun_spends_no_tokens(mini: Path, fake_perfect: FakeOpenAI) -> None:
    assert run(mini, fake_perfect, run_id="first") == 0
    assert run(mini, fake_perfect, run_id="second") == 0
    first, second = usage_of(mini, "first"), usage_of(mini, "second")
    assert first["from_cache"] == 0 and first["prompt_tokens"] == 100 * first["items"]
    assert second["from_cache"] == second["items"] == first["items"]
    assert (second["prompt_tokens"], second["completion_tokens"], second["cached_tokens"]) == (0, 0, 0)
    md = (mini / "reports" / "runs" / "second" / "report.md").read_text("utf-8")
    assert f"| fake-model | {second['items']} | {second['items']} | 0 | 0 | 0 |" in md
