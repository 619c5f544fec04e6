"""The servers people run, as fakes that answer with their real status codes and bodies (tests/servers.py):
the default command works on each, a wrong key or a wrong model stops the run with one line (or, where the
server answers any name, goes on with a warning), and one over-long prompt never stops a run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.cli import main
from tests.conftest import read_jsonl, run_args
from tests.servers import LONG_ITEM, PROFILES, Profile, serve

IDS = [p.name.split()[0] for p in PROFILES]
KEY = "sk-right-key-123456"


def run(mini: Path, base_url: str, model: str) -> int:
    return main(run_args(mini, "--model", model, "--base-url", base_url, "--run-id", "r1", "--backoff", "0.05"))


def results(mini: Path) -> list[dict[str, object]]:
    return read_jsonl(mini / "reports" / "runs" / "r1" / "results.jsonl")


@pytest.mark.parametrize("profile", PROFILES, ids=IDS)
def test_the_default_command_works(mini: Path, profile: Profile, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    with serve(profile, key=KEY) as server:
        assert run(mini, server.base_url, profile.models[0]) == 0
    done = results(mini)
    assert {r["outcome"] for r in done} == {"correct"}
    assert {r["mode"] for r in done} == {"json_object" if profile.json_schema else "json_schema"}
    cached = {r["usage"]["cached_tokens"] for r in done}  # type: ignore[index]
    assert cached == ({64} if profile.cached else {0})


@pytest.mark.parametrize("profile", PROFILES, ids=IDS)
def test_a_wrong_key_stops_the_run_with_one_line(
    mini: Path, profile: Profile, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-wrong-key-654321")
    with serve(profile, key=KEY) as server:
        code = run(mini, server.base_url, profile.models[0])
    err = capsys.readouterr().err
    if profile.wrong_key is None:  # Ollama checks no key
        assert code == 0
        return
    assert code == 3 and err.count("error:") == 1 and "Fix:" in err and "sk-wrong" not in err
    if profile.wrong_key[0] == 400:  # LiteLLM without a database: the server's own words
        assert "No connected db." in err


@pytest.mark.parametrize("profile", PROFILES, ids=IDS)
def test_a_wrong_model_stops_the_run_or_is_warned_about(
    mini: Path, profile: Profile, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    with serve(profile, key=KEY) as server:
        code = run(mini, server.base_url, "nosuchmodel")
    err = capsys.readouterr().err
    if profile.unknown_model is None:  # the server answers any name with its one model
        assert code == 0 and err.count("warning:") == 1 and "not 'nosuchmodel'; going on" in err
        return
    message = json.dumps(profile.unknown_model[1])
    assert code == 3 and err.count("error:") == 1
    assert any(words in err and words in message for words in ("Invalid model name", "does not exist", "not found"))


@pytest.mark.parametrize("profile", PROFILES, ids=IDS)
def test_one_prompt_too_long_fails_its_item_not_the_run(
    mini: Path, profile: Profile, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    with serve(profile, key=KEY, long_fails=True) as server:
        code = run(mini, server.base_url, profile.models[0])
    done = results(mini)
    if profile.too_long is None:  # Ollama cuts the prompt silently
        assert code == 0
        return
    assert code == 4  # incomplete, not refused
    errors = [r for r in done if r["outcome"] == "error"]
    assert [r["task"] for r in errors] == ["summary"] and LONG_ITEM
    assert {r["outcome"] for r in done if r["task"] != "summary"} == {"correct"}
    assert "1 x " in capsys.readouterr().out  # the closing output groups the errors by cause
