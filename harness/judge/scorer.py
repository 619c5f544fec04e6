"""The run's scorer with a judge: each task's rules first, then the judge on the replies it rules on.

Which items: every valid qa reply, summary and refuted claim's correction, or with ``--judge-sample N``
a seeded sample of N of them (the same N items on every machine and every resume); of those, a seeded sample of
``consistency`` items is judged twice, the second time with the two compared blocks swapped, and the
share on which the two rulings agree is the judge's self-agreement.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Iterable, Mapping
from typing import Protocol

from harness.config import JudgeConfig
from harness.goldens import Golden
from harness.judge.judge import Judge
from harness.judge.requests import judge_case, judgeable
from harness.prompts import Prompt
from harness.scoring.score import score_reply
from harness.types import ModelReply, Verdict, WorkItem

SAMPLE_SEED = 20251127
CONSISTENCY_SEED = 20251128


def item_key(seed: str, task_name: str, item_id: str) -> str:
    """One golden item, whatever its sample: what the judge's samples are drawn from."""
    return f"{seed}/{task_name}/{item_id}"


class _Item(Protocol):
    """A planned work item or a result: what names its golden item."""

    @property
    def seed(self) -> str: ...

    @property
    def task(self) -> str: ...

    @property
    def item(self) -> str: ...


def judged_items(items: Iterable[_Item], goldens: Mapping[str, Golden]) -> list[str]:
    """The golden items among ``items`` that the judge can rule on, in order, each once."""
    keys = (item_key(i.seed, i.task, i.item) for i in items if judgeable(i.task, goldens[i.seed], i.item))
    return list(dict.fromkeys(keys))


def samples(
    items: Iterable[_Item], goldens: Mapping[str, Golden], judge: JudgeConfig
) -> tuple[frozenset[str], frozenset[str]]:
    """The golden items the judge rules on (all, or ``judge.sample`` of them) and, of those, the ones it
    rules on twice (the consistency sample)."""
    chosen = sampled(judged_items(items, goldens), judge.sample, SAMPLE_SEED)
    return chosen, sampled(chosen, judge.consistency, CONSISTENCY_SEED)


def sampled(keys: Collection[str], n: int | None, seed: int) -> frozenset[str]:
    """A seeded sample of ``n`` of ``keys`` (all of them when ``n`` is None or not smaller)."""
    ordered = sorted(keys)
    if n is None or n >= len(ordered):
        return frozenset(ordered)
    return frozenset(random.Random(seed).sample(ordered, n))


class JudgeScorer:
    """The rules' verdict, with the judge's ruling beside it on the chosen items (``chosen``; ``twice``:
    those also judged with the blocks swapped)."""

    def __init__(
        self, judge: Judge, prompts: Mapping[str, Prompt], chosen: frozenset[str], twice: frozenset[str]
    ) -> None:
        self.judge = judge
        self._prompts = prompts
        self._chosen = chosen
        self._twice = twice

    async def __call__(
        self, task_name: str, item_id: str, golden: Golden, article: str, reply: ModelReply
    ) -> tuple[Verdict, dict[str, object] | None]:
        verdict, parsed = score_reply(task_name, item_id, golden, article, reply)
        key = item_key(golden.seed, task_name, item_id)
        if parsed is None or key not in self._chosen:
            return verdict, parsed
        case = judge_case(self._prompts, task_name, golden, item_id, article, parsed)
        if case is None:
            return verdict, parsed
        ruling = await self.judge.rule(case, twice=key in self._twice)
        return verdict.model_copy(update={"judge": ruling}), parsed


def plan_scorer(
    judge: Judge,
    prompts: Mapping[str, Prompt],
    items: Iterable[WorkItem],
    goldens: Mapping[str, Golden],
    config: JudgeConfig,
) -> JudgeScorer:
    """The scorer for a run's plan (``prompts``: the judge's, by kind): the sample to judge and, within it,
    the consistency sample."""
    return JudgeScorer(judge, prompts, *samples(items, goldens, config))
