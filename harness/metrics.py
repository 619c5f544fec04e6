"""The numbers of a report, as pure functions of the results.

Every figure a reader sees in report.json, report.md, report.html and the terminal table
comes from here: the metrics per model x prompt x task (overall and per tag) with their
95% intervals, usage and cost, the per-item score and the choice of the worst items (the fact-check
confusion matrix is the factcheck task's own). Metrics and usage read compact ``ItemOutcome`` records,
not whole results. ``invalid`` and ``error`` items are left out of every
accuracy denominator and counted on their own; ``error`` items are left out of
``schema_validity`` too (an infrastructure failure says nothing about the model).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field

from harness.names import TaskName
from harness.stats import Estimate, percentile, proportion
from harness.tasks import TASKS, task
from harness.tasks.base import clusters
from harness.types import CoverageDetails, Details, ItemOutcome, ItemResult, Outcome

# The metrics every task has, after its own (Task.metric_info): name -> (what it means, higher is better).
COMMON_METRICS: dict[str, tuple[str, bool]] = {
    "evidence_grounding": ("quoted evidence found in the article", True),
    "schema_validity": ("replies that were valid JSON of the schema", True),
    "consistency": ("items whose samples all had the same outcome", True),
}


def metric_info() -> dict[str, tuple[str, bool]]:
    """Every metric a report can hold -> (what it means, higher is better): each task's, then the common ones."""
    info: dict[str, tuple[str, bool]] = {}
    for t in TASKS.values():
        info.update(t.metric_info)
    return {**info, **COMMON_METRICS}


class Metric(BaseModel):
    model_config = ConfigDict(frozen=True)

    model: str
    prompt: str
    task: TaskName
    tag: str | None = None
    metric: str
    estimate: Estimate


class GroupUsage(BaseModel):
    model_config = ConfigDict(frozen=True)

    model: str
    items: int
    from_cache: int = 0  # replies served by the response cache: their tokens were spent by an earlier run
    prompt_tokens: int
    completion_tokens: int
    cached_tokens: int
    latency_p50_s: float | None
    latency_p95_s: float | None
    errors: int
    invalid: int
    cost_usd: float | None = None  # only with a price table (--prices)


class Price(BaseModel):
    """USD per million tokens for one model, from a --prices YAML file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    input_per_mtok: float
    output_per_mtok: float
    cached_input_per_mtok: float | None = None
    batch_rate: float = Field(default=0.5, gt=0, le=1)  # a Batch API request's share of the price (OpenAI: half)

    def cost(self, prompt: int, cached: int, completion: int) -> float:
        """USD for ``prompt`` input tokens (``cached`` of them at the cached rate) and ``completion`` output."""
        cached_rate = self.cached_input_per_mtok if self.cached_input_per_mtok is not None else self.input_per_mtok
        return (
            (prompt - cached) * self.input_per_mtok + cached * cached_rate + completion * self.output_per_mtok
        ) / 1e6


def is_scored(r: ItemOutcome) -> bool:
    """Did the rules judge this reply (not an infrastructure error, not a schema failure)?"""
    return r.outcome not in ("error", "invalid")


def task_metrics(results: Sequence[ItemOutcome], task_name: str) -> dict[str, Estimate]:
    """Every metric of one task's results, each with its 95% interval and n: the task's own (over judged
    replies), evidence grounding, schema validity (errors left out) and, with samples, consistency."""
    scored = [r for r in results if is_scored(r)]
    out = dict(task(task_name).metrics(scored))
    out["evidence_grounding"] = proportion(clusters(scored, lambda r: r.grounded))
    answered = [r for r in results if r.outcome != "error"]
    out["schema_validity"] = proportion(clusters(answered, lambda r: r.outcome != "invalid"))
    samples = clusters(answered, lambda r: r.outcome)
    if any(len(c) > 1 for c in samples):
        out["consistency"] = proportion([[len(set(c)) == 1] for c in samples])
    return out


def _groups(results: Sequence[ItemOutcome]) -> dict[tuple[str, str, str], list[ItemOutcome]]:
    groups: dict[tuple[str, str, str], list[ItemOutcome]] = defaultdict(list)
    for r in results:
        groups[(r.model, r.prompt_ref, r.task)].append(r)
    return dict(sorted(groups.items()))


def all_metrics(results: Sequence[ItemOutcome]) -> list[Metric]:
    """Every metric per model x prompt x task, overall and then per tag (tags with no item left out)."""
    metrics: list[Metric] = []
    for (model, prompt, of_task), group in _groups(results).items():
        for name, est in task_metrics(group, of_task).items():
            metrics.append(Metric(model=model, prompt=prompt, task=of_task, metric=name, estimate=est))
        for tag in sorted({t for r in group for t in r.tags}):
            tagged = [r for r in group if tag in r.tags]
            for name, est in task_metrics(tagged, of_task).items():
                if est.n:
                    metrics.append(Metric(model=model, prompt=prompt, task=of_task, tag=tag, metric=name, estimate=est))
    return metrics


def _by_model(results: Sequence[ItemOutcome]) -> dict[str, list[ItemOutcome]]:
    by_model: dict[str, list[ItemOutcome]] = defaultdict(list)
    for r in results:
        by_model[r.model].append(r)
    return dict(sorted(by_model.items()))


def _cost(price: Price, spent: Sequence[ItemOutcome]) -> float:
    """USD for the replies in ``spent`` at ``price``; those answered through a Batch API at its batch rate."""
    total = 0.0
    for batched in (False, True):
        group = [r for r in spent if r.batch == batched]
        prompt, cached = sum(r.usage.prompt_tokens for r in group), sum(r.usage.cached_tokens for r in group)
        rate = price.batch_rate if batched else 1.0
        total += rate * price.cost(prompt, cached, sum(r.usage.completion_tokens for r in group))
    return total


def usage(results: Sequence[ItemOutcome], prices: Mapping[str, Price] | None = None) -> list[GroupUsage]:
    """Tokens, latency percentiles and cost of this run's own calls, and errors and invalid replies, per model.

    Replies served by the response cache are counted apart (``from_cache``): their tokens, cost and
    latency were an earlier run's."""
    out = []
    for model, rows in _by_model(results).items():
        # a batch reply has no latency of its own
        fresh = [r.latency_s for r in rows if not r.cached and not r.batch and r.outcome != "error"]
        spent = [r for r in rows if not r.cached]
        price = (prices or {}).get(model)
        cost = None if price is None else _cost(price, spent)
        out.append(
            GroupUsage(
                model=model,
                items=len(rows),
                from_cache=len(rows) - len(spent),
                prompt_tokens=sum(r.usage.prompt_tokens for r in spent),
                completion_tokens=sum(r.usage.completion_tokens for r in spent),
                cached_tokens=sum(r.usage.cached_tokens for r in spent),
                latency_p50_s=percentile(fresh, 50),
                latency_p95_s=percentile(fresh, 95),
                errors=sum(r.outcome == "error" for r in rows),
                invalid=sum(r.outcome == "invalid" for r in rows),
                cost_usd=None if cost is None else round(cost, 6),
            )
        )
    return out


_SEVERITY = {"error": 0, "invalid": 1, "incorrect": 2, "abstained": 3}


def _severity(r: ItemResult) -> tuple[int, bool, str, str]:
    return (_SEVERITY[r.outcome], "critical" not in r.tags, r.model, r.id)


class Worst:
    """The ``n`` results most worth a look: errors, then invalid, incorrect, abstained; critical first;
    gathered as results stream by (at most 2n held)."""

    def __init__(self, n: int) -> None:
        self._n = n
        self._bad: list[ItemResult] = []

    def add(self, r: ItemResult) -> None:
        if r.outcome in _SEVERITY:
            self._bad.append(r)
            if len(self._bad) >= 2 * self._n + 1:
                self._bad = self.results()

    def results(self) -> list[ItemResult]:
        return sorted(self._bad, key=_severity)[: self._n]


def worst(results: Iterable[ItemResult], n: int) -> list[ItemResult]:
    """The ``n`` results most worth a look (``Worst``)."""
    gathered = Worst(n)
    for r in results:
        gathered.add(r)
    return gathered.results()


class Judged(Protocol):
    """What a verdict's score is read from: an ItemResult, or the part of its line a lean row parses."""

    @property
    def task(self) -> str: ...
    @property
    def outcome(self) -> Outcome: ...
    @property
    def details(self) -> Details: ...


def item_score(r: Judged) -> float | None:
    """1/0 for right/wrong; for a graded task (summary) the item's coverage, 0 when invalid; None for an error."""
    if r.outcome == "error":
        return None
    if r.outcome != "invalid" and task(r.task).graded:
        return r.details.coverage if isinstance(r.details, CoverageDetails) else 0.0
    return 1.0 if r.outcome == "correct" else 0.0
