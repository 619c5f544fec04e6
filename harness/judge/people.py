"""The judge against people's labels (``harness agree FILE --judge MODEL``): each row's question, gold
answers and candidate go to the judge with the article-free prompt (``prompts/judge/answer/``), so a user
sees whether a judge is worth trusting before turning it on."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from contextlib import AsyncExitStack, ExitStack

from harness.agree.rows import Row
from harness.cache import ResponseCache
from harness.config import RunConfig
from harness.judge.judge import Judge
from harness.judge.requests import answer_case, load_judge_prompts
from harness.models.providers import open_judge
from harness.types import GenerationSettings


async def _rulings(rows: Sequence[Row], config: RunConfig, tick: Callable[[], None]) -> list[bool | None]:
    prompts = load_judge_prompts(config.prompts_dir)
    cache = ResponseCache(config.reports_dir / "cache" / "responses.sqlite3") if config.use_cache else None
    try:
        async with AsyncExitStack() as closing:
            model = open_judge(config, closing.enter_context(ExitStack()))
            closing.push_async_callback(model.aclose)
            await model.preflight()
            judge = Judge(model, cache, GenerationSettings(timeout=config.settings.timeout))
            gate = asyncio.Semaphore(config.concurrency)

            async def one(row: Row) -> bool | None:
                async with gate:
                    verdict = await judge.rule(answer_case(prompts, row.question, row.answers, row.candidate))
                tick()
                return verdict.accepted

            return list(await asyncio.gather(*(one(row) for row in rows)))
    finally:
        if cache is not None:
            cache.close()


def judge_rows(rows: Sequence[Row], config: RunConfig, tick: Callable[[], None] = lambda: None) -> list[bool | None]:
    """The judge's verdict on every row (None where the judge failed: a judge error, never a verdict);
    ``tick`` is called as each row is ruled on (a progress bar)."""
    return asyncio.run(_rulings(rows, config, tick))
