"""The judged replies a report's metrics read, held in columns so that a million of them take a few MB.

A reply's ``ItemOutcome`` (model, prompt, task, outcome, grounding, details, tags) is one of few kinds:
equal ones are kept once, and each reply is a row of two numbers, the index of its kind and its
cluster (the item it is a sample of). A metric's value is computed once per kind, not once per reply;
``clusters`` gives a metric's values grouped per item, as the interval functions of ``harness.stats``
take them (``Singletons`` when every item has one reply, the usual run). Usage and latency are not
here: ``harness.metrics.Spending`` counts them as the results stream by.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass
from typing import Any, TypeVar

from harness.names import TaskName
from harness.stats import Singletons
from harness.types import Details, ItemResult, Outcome

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, slots=True)
class ItemOutcome:
    """What a metric reads of one judged reply: no text, no usage."""

    model: str
    prompt_ref: str
    task: TaskName  # checked when its ItemResult was
    outcome: Outcome
    grounded: bool | None
    details: Details
    tags: tuple[str, ...] = ()

    @classmethod
    def of(cls, r: ItemResult) -> ItemOutcome:
        return cls(r.model, r.prompt_ref, r.task, r.outcome, r.grounded, r.details, r.tags)


def _key(o: ItemOutcome) -> tuple[Any, ...]:
    """What makes two outcomes equal, as a tuple: the details as their field values (what a pydantic model
    compares, its type being its ``kind``, the first), since hashing and comparing the model itself is a
    Python call each."""
    d = o.details
    details = None if d is None else tuple(d.__dict__.values())
    return (o.model, o.prompt_ref, o.task, o.outcome, o.grounded, o.tags, details)


def cluster_of(r: ItemResult) -> int:
    """The item a result is a sample of, as a 64-bit number (two items sharing one: odds ~1e-8 at a
    million; they would pool their samples)."""
    return hash((r.model, r.seed, r.task, r.item))


class Outcomes:
    """Judged replies: each one's kind (an ``ItemOutcome`` held once) and cluster, in the order added."""

    def __init__(self) -> None:
        self.kinds: list[ItemOutcome] = []
        self._index: dict[Hashable, int] = {}  # a kind's _key -> its index in kinds
        self._kind = array("I")
        self._cluster = array("q")
        self._single = True  # no reply is a later sample, so every cluster has one reply

    @classmethod
    def of(cls, results: Iterable[ItemResult]) -> Outcomes:
        outcomes = cls()
        for r in results:
            outcomes.add(r)
        return outcomes

    def add(self, r: ItemResult) -> None:
        self.append(ItemOutcome.of(r), cluster_of(r), r.sample)

    def append(self, outcome: ItemOutcome, cluster: int, sample: int = 0) -> None:
        """One reply: its outcome, its cluster and which sample of it it is (0 for the first)."""
        self._kind.append(self._kind_of(outcome))
        self._cluster.append(cluster)
        self._single = self._single and sample == 0

    def _kind_of(self, outcome: ItemOutcome) -> int:
        key = _key(outcome)
        try:
            found = self._index.get(key)
        except TypeError:  # details holding a dict (a summary's sentences): kept on its own
            found = None
        if found is None:
            found = len(self.kinds)
            self.kinds.append(outcome)
            with suppress(TypeError):
                self._index[key] = found
        return found

    def __len__(self) -> int:
        return len(self._kind)

    def __iter__(self) -> Iterator[ItemOutcome]:
        kinds = self.kinds
        return (kinds[i] for i in self._kind)

    def counts(self) -> list[tuple[ItemOutcome, int]]:
        """Each kind with its number of replies."""
        return [(self.kinds[i], n) for i, n in sorted(Counter(self._kind).items())]

    def split(self, key: Callable[[ItemOutcome], K]) -> dict[K, Outcomes]:
        """The replies parted by ``key`` of their kind (computed once a kind), each part in added order."""
        parts: dict[K, Outcomes] = {}
        into: list[tuple[Outcomes, int]] = []  # kind -> (its part, its index there)
        for kind in self.kinds:
            name = key(kind)
            part = parts.get(name)
            if part is None:
                part = parts[name] = Outcomes()
                part._single = self._single
            into.append((part, len(part.kinds)))
            part.kinds.append(kind)
        for i, c in zip(self._kind, self._cluster, strict=True):
            part, j = into[i]
            part._kind.append(j)
            part._cluster.append(c)
        return {k: part for k, part in parts.items() if part}

    def where(self, keep: Callable[[ItemOutcome], bool]) -> Outcomes:
        """The replies whose kind passes ``keep``."""
        return self.split(keep).get(True) or Outcomes()

    def tags(self) -> list[str]:
        """Every tag a reply has, sorted."""
        return sorted({tag for kind in self.kinds for tag in kind.tags})

    def tagged(self, tag: str) -> Outcomes:
        """The replies with this tag."""
        return self.where(lambda r: tag in r.tags)

    def clusters(self, value: Callable[[ItemOutcome], Any]) -> Sequence[Sequence[Any]]:
        """``value`` of each reply that is not None, grouped per cluster in the order first added."""
        values = [value(kind) for kind in self.kinds]
        if self._single:
            return Singletons([v for i in self._kind if (v := values[i]) is not None])
        by_item: dict[int, list[Any]] = {}
        for i, c in zip(self._kind, self._cluster, strict=True):
            if (v := values[i]) is not None:
                by_item.setdefault(c, []).append(v)
        return list(by_item.values())
