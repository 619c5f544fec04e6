"""Which provider serves a model name: by prefix, with one clear error for a name no provider knows."""

from __future__ import annotations

import asyncio
from contextlib import ExitStack
from pathlib import Path

import pytest

from harness.cli import main
from harness.config import RunConfig
from harness.errors import ConfigError
from harness.models.baseline import LexicalBaseline
from harness.models.local import LOCAL_MODEL
from harness.models.openai_compat import OpenAICompatModel
from harness.models.providers import PROVIDERS, is_remote, open_model
from tests.conftest import perfect, run_args
from tests.fake_openai import FakeOpenAI


def test_the_default_model_is_the_embedded_one() -> None:
    assert RunConfig().models == (LOCAL_MODEL,)


def test_names_go_to_providers_by_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-providers-test")
    config = RunConfig(concurrency=5, base_url="http://127.0.0.1:9/v1")
    with ExitStack() as stack:
        baseline, one = open_model("baseline/lexical", config, stack)
        remote, five = open_model("gpt-4o-mini", config, stack)
        assert isinstance(baseline, LexicalBaseline) and one == 1
        assert isinstance(remote, OpenAICompatModel) and five == 5
        assert remote.cache_identity()["base_url"] == "http://127.0.0.1:9/v1/"
        asyncio.run(baseline.preflight())  # nothing to check, so nothing raised
        asyncio.run(remote.aclose())
    assert set(PROVIDERS) == {"baseline/", "local/"}
    assert not is_remote("local/smollm2-135m") and not is_remote("baseline/lexical") and is_remote("my-model")


@pytest.mark.parametrize("name", ["baseline/other", "local/llama-70b"])
def test_a_name_under_a_provider_prefix_that_it_does_not_serve_is_refused(name: str) -> None:
    with ExitStack() as stack, pytest.raises(ConfigError, match=rf"unknown model '{name}'\. Fix: use "):
        open_model(name, RunConfig(), stack)


def test_a_remote_model_without_a_key_or_a_base_url_is_refused_before_any_work(
    mini: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    assert main(run_args(mini, "--model", "gpt-4o-mini")) == 2
    assert "needs an API key in $OPENAI_API_KEY" in capsys.readouterr().err


def test_a_local_endpoint_that_needs_no_key_runs_without_one(
    mini: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with FakeOpenAI(perfect) as server:
        assert main(run_args(mini, "--model", "m", "--base-url", server.base_url, "--task", "qa")) == 0
        assert server.calls > 0


def test_an_endpoint_that_wants_a_key_says_the_variable_is_unset(
    mini: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with FakeOpenAI(perfect, api_key="sk-the-right-key") as server:
        assert main(run_args(mini, "--model", "m", "--base-url", server.base_url, "--task", "qa")) == 3
    err = capsys.readouterr().err
    assert "the server wants an API key (401) and $OPENAI_API_KEY is not set. Fix: export OPENAI_API_KEY=" in err
    assert "no-key" not in err
