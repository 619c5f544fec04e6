"""The retry policy and the mode ladder every provider shares (harness.models.retries)."""

from __future__ import annotations

import asyncio

import pytest

from harness.models.retries import ModeLadder, RetryPolicy, Tally, retried

FAST = RetryPolicy(max_attempts=4, deadline_s=30.0, backoff_s=0.001, max_backoff_s=0.002)


class Flaky(Exception):
    pass


class Broken(Exception):
    pass


def failing(times: int, error: Exception) -> tuple[list[int], object]:
    calls: list[int] = []

    async def call() -> str:
        calls.append(len(calls) + 1)
        if len(calls) <= times:
            raise error
        return f"ok after {len(calls)}"

    return calls, call


def run(call: object, tally: Tally, hint: object = lambda exc: None) -> str:
    return asyncio.run(
        retried(call, tally, policy=FAST, transient=lambda exc: isinstance(exc, Flaky), hint=hint)  # type: ignore[arg-type]
    )


def test_a_call_that_succeeds_is_made_once() -> None:
    tally = Tally()
    calls, call = failing(0, Flaky())
    assert run(call, tally) == "ok after 1"
    assert (calls, tally.attempts, tally.waited_s) == ([1], 1, 0.0)


def test_transient_failures_are_retried_and_counted() -> None:
    tally = Tally()
    _, call = failing(2, Flaky())
    assert run(call, tally, hint=lambda exc: 0.01) == "ok after 3"
    assert tally.attempts == 3 and tally.waited_s == pytest.approx(0.02)  # two Retry-After waits


def test_a_failure_that_is_not_transient_is_raised_at_once() -> None:
    tally = Tally()
    calls, call = failing(1, Broken())
    with pytest.raises(Broken):
        run(call, tally)
    assert calls == [1] and tally.attempts == 1


def test_the_last_failure_is_raised_after_max_attempts() -> None:
    tally = Tally()
    calls, call = failing(10, Flaky())
    with pytest.raises(Flaky):
        run(call, tally)
    assert calls == [1, 2, 3, 4] and tally.attempts == 4 and tally.waited_s > 0


def test_the_mode_ladder_steps_down_once_per_rejected_mode() -> None:
    ladder = ModeLadder("json_schema")
    rejected = ["json_schema", "json_schema", "json_object", "prompt"]  # the 2nd: a concurrent request's
    stepped = [(ladder.step_down(used), ladder.current) for used in rejected]  # type: ignore[arg-type]
    assert stepped == [(True, "json_object"), (True, "json_object"), (True, "prompt"), (False, "prompt")]
    assert ladder.first == "json_schema"
