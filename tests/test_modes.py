"""The structured-output mode, settled once per model before the run by one small probe, and what the
preflight tells about a server that lists its models."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from harness.cli import main
from harness.manifest import read_manifest
from tests.conftest import perfect, run_args
from tests.fake_openai import FakeOpenAI, Fault, Reply
from tests.test_runner import api_key, results, run

__all__ = ["api_key"]  # the autouse fixture that sets OPENAI_API_KEY

LLAMA_CPP_PYTHON_500 = json.dumps(
    {
        "error": {
            "message": "[{'type': 'literal_error', 'loc': ('body', 'response_format', 'type'), "
            "'msg': \"Input should be 'text' or 'json_object'\", 'input': 'json_schema'}]",
            "type": "internal_server_error",
        }
    }
)


def no_json_schema(request: dict[str, Any], seen: int) -> Reply | Fault:
    """llama-cpp-python 0.3.x: a 500 for json_schema, json_object (with a schema) served."""
    if request.get("response_format", {}).get("type") == "json_schema":
        return Fault("status", status=500, body=LLAMA_CPP_PYTHON_500)
    return perfect(request, seen)


def kinds(requests: list[dict[str, Any]]) -> list[str]:
    return [r.get("response_format", {}).get("type", "prompt") for r in requests]


def test_json_object_mode_carries_the_schema(mini: Path) -> None:
    with FakeOpenAI(no_json_schema) as server:
        assert run(mini, server) == 0
        formats = [r["response_format"] for r in server.requests]
    assert {f["type"] for f in formats} == {"json_object"}
    assert all(f["schema"]["type"] == "object" and f["schema"]["required"] for f in formats)


def test_a_resumed_run_reuses_the_settled_mode_without_a_probe(mini: Path) -> None:
    with FakeOpenAI(no_json_schema) as server:
        assert run(mini, server) == 0
        assert kinds(server.probes) == ["json_schema", "json_object"]
    folder = mini / "reports" / "runs" / "r1"
    assert read_manifest(folder).modes == {"fake-model": "json_object"}
    lines = (folder / "results.jsonl").read_text("utf-8").splitlines(keepends=True)
    (folder / "results.jsonl").write_text("".join(lines[:2]), "utf-8")  # as a killed run leaves it
    with FakeOpenAI(no_json_schema) as server:
        base = read_manifest(folder).config.base_url
        assert base is not None
        manifest = (folder / "manifest.json").read_text("utf-8").replace(base, server.base_url)
        (folder / "manifest.json").write_text(manifest, "utf-8")  # the server came back on another port
        assert main(["run", "--reports", str(mini / "reports"), "--resume", "r1"]) == 0
        assert server.probes == [] and set(kinds(server.requests)) == {"json_object"}
        assert len(server.requests) == len(lines) - 2
    assert len(results(mini)) == len(lines)


def test_a_probe_the_server_cannot_answer_leaves_the_mode_to_each_item(mini: Path) -> None:
    def probe_fails(request: dict[str, Any], seen: int) -> Reply | Fault:
        if "probe" in json.dumps(request.get("response_format", {})):
            return Fault("status", status=503, body='{"error": {"message": "warming up"}}')
        return perfect(request, seen)

    with FakeOpenAI(probe_fails) as server:
        assert run(mini, server) == 0
        assert len(server.probes) == 1  # one try: a probe is never retried
    assert read_manifest(mini / "reports" / "runs" / "r1").modes == {}
    assert {r["mode"] for r in results(mini).values()} == {"json_schema"}


def test_a_model_the_server_does_not_list_is_warned_about_once(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with FakeOpenAI(perfect) as server:
        args = ["--model", "other-model", "--base-url", server.base_url, "--run-id", "r1", "--task", "qa"]
        assert main(run_args(mini, *args)) == 0
    err = capsys.readouterr().err
    assert err.count("warning:") == 1
    assert "lists fake-model, not 'other-model'; going on" in err and "Fix: pass one of the listed names" in err


def test_a_listed_model_gets_no_warning(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with FakeOpenAI(perfect) as server:
        assert run(mini, server, "--task", "qa") == 0
    assert "warning:" not in capsys.readouterr().err
