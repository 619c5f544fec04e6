"""The item rows of a report, gathered as results stream by, bounded for very large runs.

Up to ``REPORT_ITEMS`` results, report.json lists every one (its format for normal runs). Above that it
lists what report.html shows, and says so (``RunReport.sampled``): the rows of the first
``HTML_ITEM_ROWS`` items that failed (any outcome but correct, for any model), then the rows of a sample
of the passed items, stratified by task in proportion, ``HTML_ITEM_ROWS`` items in all. Every result
stays in results.jsonl; `harness compare` and `check` read it there for such a run.

The sample is by item id, so every model's row of a chosen item is shown beside the others: an item's
rank is a hash of its id, and each task keeps its ``HTML_ITEM_ROWS`` lowest-ranked passed items while
the results stream by. Memory is bounded by the page, not by the run.
"""

from __future__ import annotations

import functools
import hashlib
import heapq
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from harness.report.model import ItemSample, ReportItem
from harness.types import ItemResult

REPORT_ITEMS = 20_000  # results above which report.json lists the page's sample, not every result
HTML_ITEM_ROWS = 2_000  # items report.html shows at most (one self-contained file a browser must open)


def _rank(item_id: str) -> int:
    return int.from_bytes(hashlib.blake2b(item_id.encode(), digest_size=8).digest(), "big")


class Rows:
    """Every row while there are at most ``limit`` (None: no limit), else the page's sample (see above)."""

    def __init__(
        self, make: Callable[[ItemResult], ReportItem], limit: int | None = REPORT_ITEMS, total: int | None = None
    ) -> None:
        """``total``: how many results will come, when known (a run's tally): past ``limit``, the sample
        starts at once instead of after ``limit`` rows were held."""
        self._make, self._limit = make, limit
        past = limit is not None and total is not None and total > limit
        # the results while they may all be listed, their rows made at the end; None once past the limit
        self._every: list[ItemResult] | None = None if past else []
        self._failed_ids: dict[str, _Kept] = {}  # the first HTML_ITEM_ROWS failed items
        self._pools: dict[str, dict[str, _Kept]] = {}  # task -> its lowest-ranked passed items
        self._heaps: dict[str, list[tuple[int, str]]] = {}  # task -> (-rank, id) of its pool, highest rank first
        self._passed: Counter[str] = Counter()  # correct results per task
        self._results = self._failed = 0

    def add(self, result: ItemResult) -> None:
        self._results += 1
        self._failed += result.outcome != "correct"
        if self._every is None:  # a row is made only for a result the page may show
            self._sample(result.id, result.task, result.outcome, lambda: self._make(result), self._results)
            return
        self._every.append(result)
        if self._limit is not None and len(self._every) > self._limit:
            kept, self._every = self._every, None
            for index, held in enumerate(kept, start=1):
                self._sample(held.id, held.task, held.outcome, functools.partial(self._make, held), index)

    def _sample(self, item_id: str, task: str, outcome: str, row: Callable[[], ReportItem], index: int) -> None:
        self._passed[task] += outcome == "correct"
        pool = self._pools.setdefault(task, {})
        if item_id in self._failed_ids:
            self._failed_ids[item_id].rows.append(row())
        elif outcome == "correct":
            self._pool(item_id, task, row, pool, index)
        else:  # an item fails when any model's result is not correct: it leaves the passed pool
            kept = pool.pop(item_id, None) or _Kept(index, [])
            if len(self._failed_ids) < HTML_ITEM_ROWS:
                kept.rows.append(row())
                self._failed_ids[item_id] = kept

    def _pool(self, item_id: str, task: str, row: Callable[[], ReportItem], pool: dict[str, _Kept], index: int) -> None:
        if item_id in pool:
            pool[item_id].rows.append(row())
            return
        heap, rank = self._heaps.setdefault(task, []), _rank(item_id)
        if len(pool) >= HTML_ITEM_ROWS:
            while heap[0][1] not in pool:  # it left the pool for the failed items
                heapq.heappop(heap)
            if rank >= -heap[0][0]:
                return
            del pool[heapq.heappop(heap)[1]]
        pool[item_id] = _Kept(index, [row()])
        heapq.heappush(heap, (-rank, item_id))

    def rows(self) -> tuple[list[ReportItem], ItemSample | None]:
        """The report's rows (in run order) and, when they are a sample, what they sample."""
        if self._every is not None:
            return [self._make(r) for r in self._every], None
        chosen = list(self._failed_ids.values())
        room, passed = HTML_ITEM_ROWS - len(chosen), sum(self._passed.values())
        for task_name, pool in sorted(self._pools.items()):
            quota = round(room * self._passed[task_name] / passed) if passed else 0
            chosen += [pool[i] for i in sorted(pool, key=_rank)[:quota]]
        chosen.sort(key=lambda kept: kept.first)
        rows = [row for kept in chosen for row in kept.rows]
        failed = sum(row.outcome != "correct" for row in rows)
        sample = ItemSample(
            results=self._results, failed=self._failed, failed_shown=failed, passed_shown=len(rows) - failed
        )
        return rows, sample


@dataclass
class _Kept:
    """The rows of one item the page may show, and when its first row came (run order)."""

    first: int
    rows: list[ReportItem]
