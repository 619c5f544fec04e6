"""The numbers of a report, as pure functions of the results.

Every figure a reader sees in report.json, report.md, report.html and the terminal table
comes from here: the metrics per model x prompt x task (overall and per tag) with their
95% intervals, usage and cost, the per-item score and the choice of the worst items (the fact-check
confusion matrix is the factcheck task's own). Metrics read ``harness.outcomes.Outcomes`` (a few bytes a
reply) and usage ``Spending`` (counts and latencies), both filled as results stream by, never the
results themselves. ``invalid`` and ``error`` items are left out of every
accuracy denominator and counted on their own; ``error`` items are left out of
``schema_validity`` too (an infrastructure failure says nothing about the model).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field

from harness.names import TaskName
from harness.outcomes import ItemOutcome, Outcomes
from harness.stats import Estimate, Singletons, percentile, proportion
from harness.tasks import TASKS, task
from harness.types import CoverageDetails, Details, ItemResult, Outcome

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


def task_metrics(results: Outcomes, task_name: str) -> dict[str, Estimate]:
    """Every metric of one task's results, each with its 95% interval and n: the task's own (over judged
    replies), evidence grounding, schema validity (errors left out) and, with samples, consistency."""
    scored = results.where(is_scored)
    out = dict(task(task_name).metrics(scored))
    out["evidence_grounding"] = proportion(scored.clusters(lambda r: r.grounded))
    answered = results.where(lambda r: r.outcome != "error")
    out["schema_validity"] = proportion(answered.clusters(lambda r: r.outcome != "invalid"))
    samples = answered.clusters(lambda r: r.outcome)
    if not isinstance(samples, Singletons) and any(len(c) > 1 for c in samples):
        out["consistency"] = proportion([[len(set(c)) == 1] for c in samples])
    return out


def all_metrics(results: Outcomes) -> list[Metric]:
    """Every metric per model x prompt x task, overall and then per tag (tags with no item left out)."""
    metrics: list[Metric] = []
    groups = results.split(lambda r: (r.model, r.prompt_ref, r.task))
    for (model, prompt, of_task), group in sorted(groups.items()):
        for name, est in task_metrics(group, of_task).items():
            metrics.append(Metric(model=model, prompt=prompt, task=of_task, metric=name, estimate=est))
        for tag in group.tags():
            for name, est in task_metrics(group.tagged(tag), of_task).items():
                if est.n:
                    metrics.append(Metric(model=model, prompt=prompt, task=of_task, tag=tag, metric=name, estimate=est))
    return metrics


@dataclass
class _Spent:
    """One model's replies as usage counts them."""

    items: int = 0
    from_cache: int = 0
    errors: int = 0
    invalid: int = 0
    # [prompt, cached, completion] tokens of the replies this run paid for: online, then through a Batch API
    tokens: tuple[list[int], list[int]] = field(default_factory=lambda: ([0, 0, 0], [0, 0, 0]))
    latencies: array[float] = field(default_factory=lambda: array("d"))


class Spending:
    """Tokens, latencies, errors and invalid replies per model, counted as the results stream by.

    Replies served by the response cache are counted apart (``from_cache``): their tokens, cost and
    latency were an earlier run's."""

    def __init__(self) -> None:
        self._models: dict[str, _Spent] = {}

    @classmethod
    def of(cls, results: Iterable[ItemResult]) -> Spending:
        spending = cls()
        for r in results:
            spending.add(r)
        return spending

    def add(self, r: ItemResult) -> None:
        spent = self._models.get(r.model)
        if spent is None:
            spent = self._models[r.model] = _Spent()
        spent.items += 1
        spent.errors += r.outcome == "error"
        spent.invalid += r.outcome == "invalid"
        if r.cached:  # its tokens, cost and latency were an earlier run's
            spent.from_cache += 1
            return
        tokens = spent.tokens[r.batch]
        tokens[0] += r.usage.prompt_tokens
        tokens[1] += r.usage.cached_tokens
        tokens[2] += r.usage.completion_tokens
        if not r.batch and r.outcome != "error":  # a batch reply has no latency of its own
            spent.latencies.append(r.latency_s)

    def usage(self, prices: Mapping[str, Price] | None = None) -> list[GroupUsage]:
        """Per model: tokens, latency percentiles and cost of this run's own calls, errors, invalid replies."""
        return [_group_usage(model, spent, (prices or {}).get(model)) for model, spent in sorted(self._models.items())]


def _group_usage(model: str, spent: _Spent, price: Price | None) -> GroupUsage:
    cost = None
    if price is not None:
        cost = sum(
            rate * price.cost(prompt, cached, completion)
            for rate, (prompt, cached, completion) in zip((1.0, price.batch_rate), spent.tokens, strict=True)
        )
    online, batch = spent.tokens
    return GroupUsage(
        model=model,
        items=spent.items,
        from_cache=spent.from_cache,
        prompt_tokens=online[0] + batch[0],
        completion_tokens=online[2] + batch[2],
        cached_tokens=online[1] + batch[1],
        latency_p50_s=percentile(spent.latencies, 50),
        latency_p95_s=percentile(spent.latencies, 95),
        errors=spent.errors,
        invalid=spent.invalid,
        cost_usd=None if cost is None else round(cost, 6),
    )


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
