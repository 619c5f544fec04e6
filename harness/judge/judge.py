"""One ruling: the judge's request through the response cache and the model, its reply read as a ruling.

A failed call (after the run's retries) or a reply that breaks the ruling's schema is a judge error,
recorded with its reason; it never becomes a verdict. A cached request is never sent again, so a
re-run makes no judge call.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AsyncExitStack, ExitStack, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from harness.cache import ResponseCache, ask_key
from harness.config import RunConfig
from harness.judge.requests import Case
from harness.judge.rulings import read_ruling
from harness.models import Ask
from harness.models.providers import open_judge
from harness.outputs import SchemaViolation
from harness.types import GenerationSettings, JudgeVerdict, ModelReply, Usage


class Asker(Protocol):
    """A model the judge can ask (``OpenAICompatModel``)."""

    name: str

    def cache_identity(self) -> dict[str, Any]: ...

    async def ask(self, ask: Ask, settings: GenerationSettings) -> ModelReply: ...


def verdict_key(model: str, ask: Ask, settings: GenerationSettings) -> str:
    """What a stored verdict answered: the judge's name and request (a changed golden or reply changes it).
    Unlike the cache key it leaves the endpoint out, so `harness score` can tell which verdicts still hold
    without starting the judge."""
    return ask_key({"judge": model}, ask, settings)


def _plus(a: Usage, b: Usage) -> Usage:
    return Usage(
        prompt_tokens=a.prompt_tokens + b.prompt_tokens,
        completion_tokens=a.completion_tokens + b.completion_tokens,
        cached_tokens=a.cached_tokens + b.cached_tokens,
    )


@dataclass
class Judge:
    """A judge model; ``cache`` None calls it every time."""

    model: Asker
    cache: ResponseCache | None
    settings: GenerationSettings = field(default_factory=GenerationSettings)

    async def _reply(self, ask: Ask) -> ModelReply:
        key = ask_key(self.model.cache_identity(), ask, self.settings)
        reply = self.cache.get(key) if self.cache is not None else None
        if reply is None:
            reply = await self.model.ask(ask, self.settings)
            if self.cache is not None:
                self.cache.put(key, reply)
        return reply

    async def _ruled(self, case: Case, ask: Ask) -> tuple[dict[str, Any], ModelReply]:
        """The ruling's fields on ``ask``, one of ``case``'s requests (``error`` set when there is none),
        and the reply."""
        reply = await self._reply(ask)
        if reply.error is not None:
            return {"accepted": None, "error": f"the judge call failed: {reply.error}"}, reply
        try:
            return case.read(read_ruling(case.kind, reply.text or "")), reply
        except SchemaViolation as exc:
            return {"accepted": None, "error": f"the judge's reply broke its schema: {exc}"}, reply

    async def rule(self, case: Case, twice: bool = False) -> JudgeVerdict:
        """The judge's verdict on ``case``; ``twice``: asked again with the blocks swapped (consistency)."""
        ask = case.ask()
        fields, reply = await self._ruled(case, ask)
        usage, calls, cached = reply.usage, 1, reply.cached
        if twice and fields["accepted"] is not None:
            again, second = await self._ruled(case, case.ask(swapped=True))
            fields["swapped"] = again["accepted"]
            usage, calls, cached = _plus(usage, second.usage), 2, cached and second.cached
        return JudgeVerdict(
            model=self.model.name,
            prompt=case.prompt.ref,
            key=verdict_key(self.model.name, ask, self.settings),
            usage=usage,
            calls=calls,
            cached=cached,
            **fields,
        )


@asynccontextmanager
async def judge_of(config: RunConfig, settings: GenerationSettings) -> AsyncIterator[Judge]:
    """The judge of ``config`` (its endpoint checked), with the reply cache; both closed on the way out."""
    cache = ResponseCache(config.reports_dir / "cache" / "responses.sqlite3") if config.use_cache else None
    try:
        async with AsyncExitStack() as closing:
            model = open_judge(config, closing.enter_context(ExitStack()))
            closing.push_async_callback(model.aclose)
            await model.preflight()
            yield Judge(model, cache, settings)
    finally:
        if cache is not None:
            cache.close()


async def rule_all(
    config: RunConfig,
    settings: GenerationSettings,
    cases: Sequence[tuple[Case, bool]],
    tick: Callable[[], None] = lambda: None,
) -> list[JudgeVerdict]:
    """The judge's verdict on each (case, judged twice?), in order, ``config.concurrency`` at a time;
    ``tick`` is called as each is ruled on (a progress bar)."""
    async with judge_of(config, settings) as judge:
        gate = asyncio.Semaphore(config.concurrency)

        async def one(case: Case, twice: bool) -> JudgeVerdict:
            async with gate:
                verdict = await judge.rule(case, twice)
            tick()
            return verdict

        return list(await asyncio.gather(*(one(case, twice) for case, twice in cases)))
