"""What every provider shares: retrying transient failures, and stepping down the structured-output mode.

A provider supplies only what is its own: which of its exceptions are transient, what Retry-After a
failure carries, and whether a failure means "this server rejects that mode". The policy (how many
attempts, how long, how to wait) and the mode ladder live here, once.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt, stop_after_delay
from tenacity.wait import wait_exponential_jitter

from harness.types import MODES, Mode

MAX_RETRY_AFTER_S = 60.0
T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    """Up to ``max_attempts`` tries within ``deadline_s`` of the first, waiting Retry-After when the
    server sends one (at most MAX_RETRY_AFTER_S) and exponential backoff with jitter otherwise."""

    max_attempts: int = 6
    deadline_s: float = 600.0
    backoff_s: float = 0.5
    max_backoff_s: float = 20.0


@dataclass
class Tally:
    """What one request's retries cost: filled in as they happen, so it is right also when the call fails."""

    attempts: int = 1
    waited_s: float = 0.0  # chosen by the policy between attempts (Retry-After or backoff)


class _Wait:
    def __init__(self, policy: RetryPolicy, hint: Callable[[BaseException], float | None]) -> None:
        self._backoff = wait_exponential_jitter(
            multiplier=policy.backoff_s, max=policy.max_backoff_s, jitter=policy.backoff_s
        )
        self._hint = hint

    def __call__(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        hinted = self._hint(exc) if exc is not None else None
        if hinted is not None:
            return min(max(hinted, 0.0), MAX_RETRY_AFTER_S)
        return float(self._backoff(state))


async def retried(
    call: Callable[[], Awaitable[T]],
    tally: Tally,
    *,
    policy: RetryPolicy,
    transient: Callable[[BaseException], bool],
    hint: Callable[[BaseException], float | None] = lambda exc: None,
) -> T:
    """``call()``, tried again after a wait while it fails transiently; the last failure is raised."""
    started = time.perf_counter()
    try:
        # Most requests succeed at once: make the first try before building tenacity's retry machinery,
        # which cost ~5% of the harness's CPU per request when every call went through it.
        return await call()
    except Exception as first:
        if not transient(first):
            raise
        failed_first = first
    retrying = AsyncRetrying(
        retry=retry_if_exception(transient),
        stop=stop_after_attempt(policy.max_attempts)
        | stop_after_delay(max(0.0, policy.deadline_s - (time.perf_counter() - started))),
        wait=_Wait(policy, hint),
        reraise=True,
    )
    try:
        async for attempt in retrying:
            with attempt:
                tally.attempts = attempt.retry_state.attempt_number
                if tally.attempts == 1:
                    raise failed_first  # the try above, replayed: tenacity decides the wait and whether to go on
                return await call()
    finally:
        tally.waited_s = round(float(retrying.statistics.get("idle_for", 0.0)), 4)
    raise AssertionError("unreachable: tenacity either returns or reraises")  # pragma: no cover


class ModeLadder:
    """The structured-output mode in use: json_schema -> json_object -> prompt. A server that rejects a
    mode makes the model step down for the rest of the run (the one place this is decided)."""

    def __init__(self, first: Mode) -> None:
        self.first: Mode = first
        self.current: Mode = first

    def step_down(self, used: Mode) -> bool:
        """Use the mode after ``used`` from now on; False if there is none (``used`` was the last)."""
        if used == MODES[-1]:
            return False
        if self.current == used:  # concurrent requests rejected for the same mode step down once
            self.current = MODES[MODES.index(used) + 1]
        return True
