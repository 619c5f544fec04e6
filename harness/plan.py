"""The plan: every (seed, task, item, sample) a run asks, made when iterated, never held.

``plan(seeds, goldens, prompts, config)`` checks the filters and returns a ``Plan``: iterating it makes
the work items seed by seed (an article's requests share a cacheable prefix), in the same order on every
machine; ``len(plan)`` counts them. A work item holds no rendered prompt (``WorkItem.messages`` renders it
when asked), and the goldens come from a ``goldens.Shelf`` that loads them seed by seed, so a run of a
million items never holds a million of anything: it holds what is in flight.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from itertools import islice

from harness.config import RunConfig
from harness.errors import ConfigError
from harness.goldens import Golden
from harness.prompts import Prompt
from harness.seeds import Seed
from harness.shards import edges
from harness.tasks import task
from harness.types import WorkItem


@dataclass(frozen=True)
class Plan:
    """A run's work items (after --seed/--task/--tag, then --shard, then --limit), made when iterated."""

    seeds: Mapping[str, Seed]
    goldens: Mapping[str, Golden]
    prompts: Mapping[str, Prompt]
    config: RunConfig

    def _every(self) -> Iterator[WorkItem]:
        """Every item the filters keep, before --shard and --limit."""
        config = self.config
        for seed_id in sorted(self.goldens):
            if config.seeds and seed_id not in config.seeds:
                continue
            golden, article = self.goldens[seed_id], self.seeds[seed_id].text
            for name in config.tasks:
                prompt = self.prompts[name]
                for entry in task(name).items(golden):
                    if config.tags and not set(config.tags) & set(entry.tags):
                        continue
                    max_words = entry.slots.get("max_words")
                    for sample in range(config.samples):
                        yield WorkItem(
                            id=f"{seed_id}/{name}/{entry.id}#{sample}",
                            seed=seed_id,
                            task=name,
                            item=entry.id,
                            sample=sample,
                            prompt_ref=prompt.ref,
                            prompt=prompt,
                            slots=entry.slots,
                            article=article,
                            subject=entry.subject,
                            max_words=max_words if isinstance(max_words, int) else None,
                            tags=entry.tags,
                        )

    @functools.cached_property
    def _part(self) -> tuple[int, int | None]:
        """The [start, stop) of the items this run takes: its shard's part (--shard), then --limit."""
        start, stop = 0, None
        if self.config.shard is not None:
            index, count = self.config.shard
            cut = edges([item.seed for item in self._every()], count)
            start, stop = cut[index - 1], cut[index]
        if self.config.limit is not None:
            stop = start + self.config.limit if stop is None else min(stop, start + self.config.limit)
        return start, stop

    def __iter__(self) -> Iterator[WorkItem]:
        start, stop = self._part
        return islice(self._every(), start, stop)

    @functools.cached_property
    def _count(self) -> int:
        return sum(1 for _ in self)

    def __len__(self) -> int:
        return self._count

    def __bool__(self) -> bool:
        """Is there any item? Without counting them (counting makes every item)."""
        return next(iter(self), None) is not None


def plan(
    seeds: Mapping[str, Seed], goldens: Mapping[str, Golden], prompts: Mapping[str, Prompt], config: RunConfig
) -> Plan:
    """The run's plan; a ConfigError when --seed names a seed without a golden file."""
    unknown = set(config.seeds) - set(goldens)
    if unknown:
        raise ConfigError(
            f"--seed {sorted(unknown)[0]!r} has no golden file. Fix: use one of {', '.join(sorted(goldens))}"
        )
    return Plan(seeds, goldens, prompts, config)
