"""`harness score` with a judge: keep every stored verdict whose request is unchanged, and ask the judge
again only about the rest (a golden edited since, a reply the rules now read differently, a judge newly
added with ``harness score RUN --judge MODEL``)."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from harness.config import RunConfig
from harness.goldens import Golden
from harness.judge.judge import rule_all, verdict_key
from harness.judge.requests import Case, judge_case, load_judge_prompts
from harness.judge.scorer import item_key, samples
from harness.types import GenerationSettings, ItemResult


@dataclass(frozen=True)
class Rejudged:
    results: list[ItemResult]
    kept: int  # stored verdicts whose request is unchanged
    asked: int  # verdicts asked of the judge again (or for the first time)


def _cases(
    results: Sequence[ItemResult], config: RunConfig, goldens: Mapping[str, Golden], texts: Mapping[str, str]
) -> dict[int, tuple[Case, bool]]:
    """Result index -> the judge's request on it and whether it is in the consistency sample."""
    assert config.judge is not None
    prompts = load_judge_prompts(config.prompts_dir)
    chosen, twice = samples(results, goldens, config.judge)
    cases = {}
    for index, r in enumerate(results):
        key = item_key(r.seed, r.task, r.item)
        if r.parsed is None or key not in chosen:
            continue
        case = judge_case(prompts, r.task, goldens[r.seed], r.item, texts[r.seed], r.parsed)
        if case is not None:
            cases[index] = (case, key in twice)
    return cases


def rejudge(
    results: Sequence[ItemResult], config: RunConfig, goldens: Mapping[str, Golden], texts: Mapping[str, str]
) -> Rejudged:
    """``results`` with the judge's verdicts of ``config.judge``: kept where unchanged, asked elsewhere;
    a result the judge does not rule on any more (now invalid, out of the sample) loses its verdict."""
    assert config.judge is not None
    settings = GenerationSettings(timeout=config.settings.timeout)
    cases = _cases(results, config, goldens, texts)
    out = [r if i in cases or r.judge is None else r.model_copy(update={"judge": None}) for i, r in enumerate(results)]
    todo = {}
    for index, (case, twice) in cases.items():
        stored = results[index].judge
        if stored is None or stored.key != verdict_key(config.judge.model, case.ask(), settings):
            todo[index] = (case, twice)
    if todo:
        verdicts = asyncio.run(rule_all(config, settings, list(todo.values())))
        for index, verdict in zip(todo, verdicts, strict=True):
            out[index] = out[index].model_copy(update={"judge": verdict})
    return Rejudged(out, kept=len(cases) - len(todo), asked=len(todo))
