"""A run refused as a whole (every request the same client error, whatever the status) stops with the
server's message and exit 3; errors of single items never stop a run (harness/guard.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from harness.errors import ModelError
from harness.guard import FIRST_REPLIES, RunGuard
from harness.models.openai_compat import PROBE_TEXT
from harness.types import ItemResult
from tests.conftest import item_result, perfect
from tests.fake_openai import FakeOpenAI, Fault, Reply, last_user_text
from tests.test_runner import results, run

# LiteLLM's proxy answers a wrong model name with a 400 (and its /v1/models says nothing of it)
LITELLM_400 = json.dumps(
    {"error": {"message": "Invalid model name passed in model=nosuchmodel", "type": "None", "code": "400"}}
)


def test_a_run_refused_with_a_400_stops_with_the_servers_message(
    mini: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with FakeOpenAI(lambda request, seen: Fault("status", status=400, body=LITELLM_400)) as server:
        capsys.readouterr()
        assert run(mini, server, "--concurrency", "1") == 3
        calls = server.calls
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Invalid model name passed in model=nosuchmodel" in err and "Fix:" in err
    assert calls == FIRST_REPLIES  # not every item
    assert not (mini / "reports" / "runs" / "r1").exists()


def test_errors_of_some_items_never_stop_the_run(mini: Path) -> None:
    calls: list[int] = []

    def responder(request: dict[str, Any], seen: int) -> Reply | Fault:
        if last_user_text(request) == PROBE_TEXT:
            return perfect(request, seen)  # the mode probe: not one of the items
        calls.append(1)
        if len(calls) <= 3:  # the first three requests fail (say, three over-long articles); the rest work
            return Fault("status", status=400, body=json.dumps({"error": {"message": "too long", "type": "x"}}))
        return perfect(request, seen)

    with FakeOpenAI(responder) as server:
        assert run(mini, server, "--concurrency", "1") == 4
    outcomes = [r["outcome"] for r in results(mini).values()]
    assert outcomes.count("error") == 3 and "correct" in outcomes  # the held errors were written too


def error(i: int, reason: str = "BadRequestError: no", attempts: int = 1) -> ItemResult:
    return item_result("qa", f"i{i}", outcome="error", reason=reason, attempts=attempts)


def test_the_guard_holds_errors_until_it_knows() -> None:
    guard = RunGuard("m")
    assert [guard.admit(error(i)) for i in range(FIRST_REPLIES - 1)] == [[]] * (FIRST_REPLIES - 1)
    with pytest.raises(ModelError, match=r"model 'm': the first 5 requests were all refused the same way"):
        guard.admit(error(9))


@pytest.mark.parametrize(
    "last",
    [
        error(9, reason="BadRequestError: another message"),  # not the same error
        error(9, attempts=3),  # retried: a transient fault, not a refusal
        item_result("qa", "ok", outcome="correct"),
    ],
)
def test_a_different_error_a_retried_one_or_a_success_lets_the_run_go_on(last: ItemResult) -> None:
    guard = RunGuard("m")
    for i in range(FIRST_REPLIES - 1):
        guard.admit(error(i))
    released = guard.admit(last)
    assert len(released) == FIRST_REPLIES and guard.admit(error(10)) == [error(10)]


def test_the_run_end_releases_what_is_held() -> None:
    guard = RunGuard("m")
    guard.admit(error(1))
    assert guard.release() == [error(1)] and guard.release() == []
