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
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from itertools import islice

from harness.config import RunConfig
from harness.errors import ConfigError
from harness.goldens import Golden
from harness.prompts import Prompt
from harness.results import result_key
from harness.seeds import Seed
from harness.shards import edges
from harness.tasks import task
from harness.tasks.base import TaskItem
from harness.types import WorkItem


class _Made:
    """Work items made each time they are iterated: ``len`` counts them (making each once), ``bool`` makes
    one."""

    def __iter__(self) -> Iterator[WorkItem]:
        raise NotImplementedError

    @functools.cached_property
    def _count(self) -> int:
        return sum(1 for _ in self)

    def __len__(self) -> int:
        return self._count

    def __bool__(self) -> bool:
        return next(iter(self), None) is not None


@dataclass(frozen=True)
class Plan(_Made):
    """A run's work items (after --seed/--task/--tag, then --shard, then --limit), made when iterated."""

    seeds: Mapping[str, Seed]
    goldens: Mapping[str, Golden]
    prompts: Mapping[str, Prompt]
    config: RunConfig
    known_len: int | None = None  # how many items it has, when known (a reopened run's manifest says)
    known_seed_items: Mapping[str, int] | None = None  # its first items of each seed, when known (likewise)

    def _every(self) -> Iterator[WorkItem]:
        """Every item the filters keep, before --shard and --limit."""
        for seed_id in self._seed_ids:
            yield from self._of_seed(seed_id)

    @property
    def _seed_ids(self) -> list[str]:
        return [s for s in sorted(self.goldens) if not self.config.seeds or s in self.config.seeds]

    def _entries(self, seed_id: str) -> Iterator[tuple[str, TaskItem]]:
        """(task, entry) for each entry of one seed's golden the filters keep, in plan order."""
        tags = set(self.config.tags)
        golden = self.goldens[seed_id]
        for name in self.config.tasks:
            for entry in task(name).items(golden):
                if not tags or tags & set(entry.tags):
                    yield name, entry

    def _of_seed(self, seed_id: str) -> Iterator[WorkItem]:
        """The items of one seed the filters keep, in plan order."""
        config = self.config
        article = self.seeds[seed_id].text
        for name, entry in self._entries(seed_id):
            prompt = self.prompts[name]
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
    def _seed_counts(self) -> dict[str, int]:
        """How many items the filters keep of each seed, in ``_every``'s order (one pass, counted once:
        ``len``, the shards' cut and where a seed starts read it, each golden loaded once)."""
        return {seed_id: sum(1 for _ in self._entries(seed_id)) * self.config.samples for seed_id in self._seed_ids}

    @functools.cached_property
    def _seed_starts(self) -> dict[str, int]:
        """Where each seed's items start among ``_every``'s."""
        starts, count = {}, 0
        for seed_id, n in self._seed_counts.items():
            starts[seed_id] = count
            count += n
        return starts

    def __len__(self) -> int:
        if self.known_len is not None:
            return self.known_len
        start, stop = self._part
        total = sum(self._seed_counts.values())
        return max(0, min(total, total if stop is None else stop) - start)

    def of_seed(self, seed_id: str) -> Iterator[WorkItem]:
        """The items of one seed this run takes (after --shard and --limit), none for a seed it has not."""
        if self.known_seed_items is not None:
            return islice(self._of_seed(seed_id), self.known_seed_items.get(seed_id, 0))
        start, stop = self._part
        if seed_id not in self._seed_ids:
            return iter(())
        if (start, stop) == (0, None):  # the whole plan: no need to count where the seed starts
            return self._of_seed(seed_id)
        first = self._seed_starts[seed_id]
        return islice(self._of_seed(seed_id), max(0, start - first), None if stop is None else max(0, stop - first))

    @functools.cached_property
    def _part(self) -> tuple[int, int | None]:
        """The [start, stop) of the items this run takes: its shard's part (--shard), then --limit."""
        start, stop = 0, None
        if self.config.shard is not None:
            index, count = self.config.shard
            cut = edges([seed_id for seed_id, n in self._seed_counts.items() for _ in range(n)], count)
            start, stop = cut[index - 1], cut[index]
        if self.config.limit is not None:
            stop = start + self.config.limit if stop is None else min(stop, start + self.config.limit)
        return start, stop

    def __iter__(self) -> Iterator[WorkItem]:
        start, stop = self._part
        return islice(self._every(), start, stop)


@dataclass(frozen=True)
class Remaining(_Made):
    """The items of a plan that ``model`` has no result for yet (a resumed run), made when iterated."""

    plan: Plan
    model: str
    done: AbstractSet[int]  # results.result_key of every (model, id) that has a result

    def __iter__(self) -> Iterator[WorkItem]:
        return (item for item in self.plan if result_key(self.model, item.id) not in self.done)


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
