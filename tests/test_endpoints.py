"""Several endpoints in one run: ``--model NAME@URL[@KEY_VAR]`` gives one model its own server and key, so a
hosted model and a local one are compared on identical items."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.cli import main
from harness.manifest import read_manifest
from tests.conftest import perfect, read_jsonl, run_args
from tests.fake_openai import FakeOpenAI


def test_two_models_on_two_servers_with_their_own_keys(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-first-server")
    monkeypatch.setenv("SECOND_KEY", "sk-second-server")
    with (
        FakeOpenAI(perfect, api_key="sk-first-server", models=("hosted",)) as first,
        FakeOpenAI(perfect, api_key="sk-second-server", models=("local",)) as second,
    ):
        args = ["--model", "hosted", "--base-url", first.base_url, "--model", f"local@{second.base_url}@SECOND_KEY"]
        assert main(run_args(mini, *args, "--run-id", "r1")) == 0
        assert {r["model"] for r in first.requests} == {"hosted"} and {r["model"] for r in second.requests} == {"local"}
    folder = mini / "reports" / "runs" / "r1"
    rows = read_jsonl(folder / "results.jsonl")
    by_model = {m: {r["id"] for r in rows if r["model"] == m} for m in ("hosted", "local")}
    assert by_model["hosted"] == by_model["local"] and by_model["hosted"]  # identical items
    assert {r["outcome"] for r in rows} == {"correct"}
    endpoint = read_manifest(folder).config.endpoints["local"]
    assert (endpoint.base_url, endpoint.api_key_env) == (second.base_url, "SECOND_KEY")  # the variable, never the key
    assert "sk-second-server" not in (folder / "manifest.json").read_text("utf-8")


def test_a_models_own_key_variable_is_named_when_refused(
    mini: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SECOND_KEY", "sk-wrong")
    with FakeOpenAI(perfect, api_key="sk-right") as server:
        assert main(run_args(mini, "--model", f"m@{server.base_url}@SECOND_KEY", "--task", "qa")) == 3
    err = capsys.readouterr().err
    assert "refused the API key in $SECOND_KEY (401)" in err and "sk-wrong" not in err


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        ("m@http://", "is not an http:// or https:// URL"),
        ("@http://127.0.0.1:8000/v1", "has no name before @"),
        ("local/smollm2-135m@http://127.0.0.1:8000/v1", "is served in-process"),
    ],
)
def test_a_malformed_endpoint_is_one_clear_line(
    mini: Path, capsys: pytest.CaptureFixture[str], spec: str, words: str
) -> None:
    assert main(run_args(mini, "--model", spec)) == 2
    err = capsys.readouterr().err
    assert words in err and "Fix: e.g. --model my-model@http" in err and "Traceback" not in err


def test_a_model_given_twice_is_refused(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(run_args(mini, "--model", "m", "--model", "m@http://127.0.0.1:9/v1")) == 2
    assert "--model 'm' is given twice" in capsys.readouterr().err
