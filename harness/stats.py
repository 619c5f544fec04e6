"""Intervals for every number in a report (pure functions, no numpy).

- Wilson score interval for a plain proportion (one observation per item);
- percentile bootstrap over items for everything else (means, macro-F1), resampling
  whole items so that with ``--samples k`` the k samples of an item move together
  (a cluster bootstrap). The generator is seeded: a report is reproducible.
- above BOOTSTRAP_UP_TO items, a mean (a proportion with samples, a coverage, a paired difference) gets
  the normal interval with a cluster-robust standard error (method "normal"): the bootstrap would take
  minutes there, and the two agree closely at that size. Other statistics (F1) keep the bootstrap, with
  its draws made by ``random.choices`` (3x faster, so other draws than below the bound).
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from statistics import NormalDist
from typing import Any, TypeVar, overload

from pydantic import BaseModel, ConfigDict

T = TypeVar("T")
S = TypeVar("S")
Z95 = 1.959963984540054
BOOTSTRAP_RESAMPLES = 1000
BOOTSTRAP_SEED = 20250424
BOOTSTRAP_UP_TO = 5_000  # items (clusters); a mean above it gets the normal interval (``cluster_mean``)


class Estimate(BaseModel):
    """A value with its 95% interval and how it was obtained."""

    model_config = ConfigDict(frozen=True)

    value: float | None
    lo: float | None
    hi: float | None
    n: int
    method: str


class Singletons(Sequence[list[T]]):
    """Clusters of one observation each, held as the observations (a run of one sample per item: a
    million clusters are one list, not a million). ``clusters[i]`` is ``[values[i]]``."""

    __slots__ = ("values",)

    def __init__(self, values: list[T]) -> None:
        self.values = values

    def __len__(self) -> int:
        return len(self.values)

    @overload
    def __getitem__(self, index: int) -> list[T]: ...
    @overload
    def __getitem__(self, index: slice) -> Singletons[T]: ...
    def __getitem__(self, index: int | slice) -> list[T] | Singletons[T]:
        if isinstance(index, slice):
            return Singletons(self.values[index])
        return [self.values[index]]


def wilson(successes: int, n: int, z: float = Z95) -> Estimate:
    """Wilson score interval for successes/n."""
    if n == 0:
        return Estimate(value=None, lo=None, hi=None, n=0, method="wilson")
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return Estimate(value=p, lo=max(0.0, centre - half), hi=min(1.0, centre + half), n=n, method="wilson")


def bootstrap(
    clusters: Sequence[Sequence[T]],
    statistic: Callable[[list[T]], float | None],
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
    level: float = 0.95,
) -> Estimate:
    """Percentile bootstrap of ``statistic`` over clusters (an item's samples form one cluster);
    the interval covers ``level`` (0.95: the 2.5th to the 97.5th percentile)."""
    return bootstraps(clusters, [statistic], resamples, seed, level)[0]


def bootstraps(
    clusters: Sequence[Sequence[T]],
    statistics: Sequence[Callable[[list[T]], float | None]],
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
    level: float = 0.95,
) -> list[Estimate]:
    """``bootstrap`` of each statistic, all over the same resamples, drawn once: each estimate is the one
    ``bootstrap`` gives that statistic alone (the fact checks' F1s: one draw of 5,000 claims, not four)."""
    return summarised_bootstraps(clusters, _itself, statistics, resamples, seed, level)


def _itself(sample: list[T]) -> list[T]:
    return sample


def summarised_bootstraps(
    clusters: Sequence[Sequence[T]],
    summary: Callable[[list[T]], S],
    statistics: Sequence[Callable[[S], float | None]],
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
    level: float = 0.95,
) -> list[Estimate]:
    """``bootstraps`` of statistics that read a sample's ``summary``, made once a sample: the fact checks'
    F1s read its (gold, predicted) pairs counted (``Counter``), once where each would count them."""
    flat = list(clusters.values) if isinstance(clusters, Singletons) else _flattened(clusters)
    whole = summary(flat) if flat else None
    values = [statistic(whole) if whole is not None else None for statistic in statistics]
    drawn: list[list[float]] = [[] for _ in statistics]
    if any(v is not None for v in values):
        for sample in _resamples(clusters, resamples, seed):
            summarised = summary(sample)
            for statistic, value, stats in zip(statistics, values, drawn, strict=True):
                s = statistic(summarised) if value is not None else None
                if s is not None:
                    stats.append(s)
    return [
        _percentiles(value, sorted(stats), len(clusters), level) for value, stats in zip(values, drawn, strict=True)
    ]


def _percentiles(value: float | None, stats: list[float], n: int, level: float) -> Estimate:
    if value is None:
        return Estimate(value=None, lo=None, hi=None, n=n, method="bootstrap")
    tail = (1 - level) / 2
    lo = stats[int(tail * (len(stats) - 1))]
    hi = stats[math.ceil((1 - tail) * (len(stats) - 1))]
    return Estimate(value=value, lo=lo, hi=hi, n=n, method="bootstrap")


def _flattened(clusters: Sequence[Sequence[T]]) -> list[T]:
    return [x for cluster in clusters for x in cluster]


def _resamples(clusters: Sequence[Sequence[T]], resamples: int, seed: int) -> Iterator[list[T]]:
    """Each resample of the clusters, flattened. ``Singletons`` are drawn from their values: the same draws
    (both ways take only the number of clusters from the generator), without a list made per cluster."""
    rng = random.Random(seed)
    k = len(clusters)
    singles = isinstance(clusters, Singletons)
    pool: Sequence[Any] = clusters.values if isinstance(clusters, Singletons) else clusters
    for _ in range(resamples):
        # up to the bound, the randrange draws every committed interval was made with
        drawn = rng.choices(pool, k=k) if k > BOOTSTRAP_UP_TO else [pool[i] for i in randranges(rng, k)]
        yield drawn if singles else _flattened(drawn)


def randranges(rng: random.Random, k: int) -> list[int]:
    """``[rng.randrange(k) for _ in range(k)]``, the same numbers drawn ~3x faster: randrange(k) takes
    ``k.bit_length()`` random bits until they make a number below k, and so does this loop, without
    randrange's checks of its arguments on every call (a test holds the two equal)."""
    bits, getrandbits, out = k.bit_length(), rng.getrandbits, []
    for _ in range(k):
        r = getrandbits(bits)
        while r >= k:
            r = getrandbits(bits)
        out.append(r)
    return out


def proportion(clusters: Sequence[Sequence[bool]]) -> Estimate:
    """Wilson when every cluster has one observation, else the clusters' mean (``cluster_mean``)."""
    if isinstance(clusters, Singletons):
        return wilson(sum(clusters.values), len(clusters.values))
    if all(len(c) == 1 for c in clusters):
        return wilson(sum(c[0] for c in clusters), len(clusters))
    return cluster_mean(clusters)


def cluster_mean(clusters: Sequence[Sequence[float]], level: float = 0.95) -> Estimate:
    """The mean of every observation with its interval at ``level``: the cluster bootstrap up to
    BOOTSTRAP_UP_TO clusters, the normal interval with a cluster-robust standard error above."""
    if len(clusters) <= BOOTSTRAP_UP_TO:
        return bootstrap(clusters, mean, level=level)
    return normal_mean(clusters, level)


def normal_mean(clusters: Sequence[Sequence[float]], level: float = 0.95) -> Estimate:
    """mean +- z * se, the mean being the ratio sum(x) / count(x) over clusters and se its cluster-robust
    (sandwich) standard error: sqrt(k / (k - 1) * sum_j (s_j - mean * m_j)^2) / sum_j m_j, for cluster j
    with m_j observations summing to s_j. With one observation per cluster it is the usual sd / sqrt(n)."""
    k = len(clusters)
    if isinstance(clusters, Singletons):
        sums, sizes = [float(x) for x in clusters.values], [1] * k  # fsum([x]) is float(x)
    else:
        sums, sizes = [math.fsum(c) for c in clusters], [len(c) for c in clusters]
    total = sum(sizes)
    if k < 2 or total == 0:
        value = math.fsum(sums) / total if total else None
        return Estimate(value=value, lo=value, hi=value, n=k, method="normal")
    value = math.fsum(sums) / total
    spread = math.fsum((s - value * m) ** 2 for s, m in zip(sums, sizes, strict=True))
    half = NormalDist().inv_cdf(0.5 + level / 2) * math.sqrt(k / (k - 1) * spread) / total
    return Estimate(value=value, lo=value - half, hi=value + half, n=k, method="normal")


def mean(values: Sequence[float]) -> float | None:
    """The arithmetic mean; None for no values."""
    return sum(values) / len(values) if values else None


def macro_f1(pairs: Sequence[tuple[str, str]], labels: Sequence[str]) -> float | None:
    """Mean over ``labels`` of per-label F1 for (gold, predicted) pairs."""
    return cells_macro_f1(Counter(pairs), labels)


def cells_macro_f1(cells: Mapping[tuple[str, str], int], labels: Sequence[str]) -> float | None:
    """``macro_f1`` of the pairs counted: (gold, predicted) -> how many (None when there are none)."""
    if not cells:
        return None
    gold, predicted = Counter[str](), Counter[str]()
    for (g, p), count in cells.items():
        gold[g] += count
        predicted[p] += count
    scores = []
    for label in labels:
        tp = cells.get((label, label), 0)
        fp = predicted[label] - tp
        fn = gold[label] - tp
        scores.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return sum(scores) / len(scores)


def percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


# Up to this many discordant pairs the p-value is the exact binomial sum (integer arithmetic, a few ms at
# the bound); above it, the normal approximation with continuity correction, which agrees with the exact
# sum to about 1e-5 there and costs nothing at a million pairs.
MCNEMAR_EXACT_UP_TO = 10_000


def mcnemar_exact(only_a: int, only_b: int) -> float:
    """Two-sided McNemar p-value from the discordant pairs (a right & b wrong, and the reverse): exact up to
    MCNEMAR_EXACT_UP_TO pairs, the normal approximation with continuity correction above."""
    n = only_a + only_b  # no discordant pair: comb(0, 0) / 2**0 = 1, so p = 1
    k = min(only_a, only_b)
    if n > MCNEMAR_EXACT_UP_TO:
        z = max(abs(only_a - only_b) - 1, 0) / math.sqrt(n)
        return math.erfc(z / math.sqrt(2))  # z >= 0, so at most 1
    term = total = 1  # comb(n, 0), then comb(n, i) from comb(n, i - 1)
    for i in range(k):
        term = term * (n - i) // (i + 1)
        total += term
    return min(1.0, 2 * total / (1 << n))  # int / int: exact big integers, no float overflow past 1,023 pairs


def paired_difference(
    pairs: Sequence[tuple[float, float]],
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
    level: float = 0.95,
) -> Estimate:
    """mean(b) - mean(a) over paired items, with a paired percentile-bootstrap interval at ``level`` (the
    normal interval of the differences above BOOTSTRAP_UP_TO pairs)."""
    if len(pairs) > BOOTSTRAP_UP_TO:
        return normal_mean([[b - a] for a, b in pairs], level)
    return bootstrap([[p] for p in pairs], _mean_difference, resamples, seed, level)


def _mean_difference(pairs: list[tuple[float, float]]) -> float | None:
    if not pairs:
        return None
    return sum(b - a for a, b in pairs) / len(pairs)


def cohen_kappa(pairs: Sequence[tuple[bool, bool]], z: float = Z95) -> Estimate:
    """Cohen's kappa of two yes/no raters over ``pairs``, with the large-sample 95% interval
    (kappa +- z * sqrt(po (1 - po) / (n (1 - pe)^2)), Cohen 1960). None when chance agreement is 1."""
    n = len(pairs)
    if n == 0:
        return Estimate(value=None, lo=None, hi=None, n=0, method="cohen")
    observed = sum(a == b for a, b in pairs) / n
    yes_a, yes_b = sum(a for a, _ in pairs) / n, sum(b for _, b in pairs) / n
    chance = yes_a * yes_b + (1 - yes_a) * (1 - yes_b)
    if chance >= 1:
        return Estimate(value=None, lo=None, hi=None, n=n, method="cohen")
    kappa = (observed - chance) / (1 - chance)
    half = z * math.sqrt(observed * (1 - observed) / (n * (1 - chance) ** 2))
    return Estimate(value=kappa, lo=max(-1.0, kappa - half), hi=min(1.0, kappa + half), n=n, method="cohen")
