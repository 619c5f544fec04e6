"""The judge against people's labels (``harness agree FILE --judge MODEL``): each row's question, gold
answers and candidate go to the judge with the article-free prompt (``prompts/judge/answer/``), so a user
sees whether a judge is worth trusting before turning it on."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence

from harness.agree.rows import Row
from harness.config import RunConfig
from harness.judge.judge import rule_all
from harness.judge.requests import answer_case, load_judge_prompts
from harness.types import GenerationSettings


def judge_rows(rows: Sequence[Row], config: RunConfig, tick: Callable[[], None] = lambda: None) -> list[bool | None]:
    """The judge's verdict on every row (None where the judge failed: a judge error, never a verdict);
    ``tick`` is called as each row is ruled on (a progress bar)."""
    prompts = load_judge_prompts(config.prompts_dir)
    cases = [(answer_case(prompts, row.question, row.answers, row.candidate), False) for row in rows]
    settings = GenerationSettings(timeout=config.settings.timeout)
    return [verdict.accepted for verdict in asyncio.run(rule_all(config, settings, cases, tick))]
