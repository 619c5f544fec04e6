"""Statistics against known values."""

from __future__ import annotations

import math
import random
from collections import Counter

import pytest

from harness.stats import (
    BOOTSTRAP_SEED,
    BOOTSTRAP_UP_TO,
    Estimate,
    Singletons,
    bootstrap,
    bootstraps,
    cells_macro_f1,
    cluster_mean,
    cohen_kappa,
    macro_f1,
    mean,
    normal_mean,
    paired_difference,
    percentile,
    proportion,
    randranges,
    summarised_bootstraps,
    wilson,
)


def test_wilson_known_values() -> None:
    # Reference values (Wilson 1927; as computed by statsmodels proportion_confint(method="wilson"))
    est = wilson(81, 263)
    assert est.value == pytest.approx(0.30798, abs=1e-5)
    assert est.lo == pytest.approx(0.25528, abs=1e-4)
    assert est.hi == pytest.approx(0.36624, abs=1e-4)
    zero = wilson(0, 10)
    assert zero.lo == 0.0 and zero.hi == pytest.approx(0.27753, abs=1e-4)
    full = wilson(10, 10)
    assert full.hi == pytest.approx(1.0) and full.lo == pytest.approx(0.72247, abs=1e-4)
    assert wilson(0, 0).value is None


def test_bootstrap_is_reproducible_and_brackets_the_mean() -> None:
    data = [[x] for x in [0.1, 0.4, 0.35, 0.8, 0.55, 0.9, 0.2, 0.6]]
    a = bootstrap(data, mean)
    b = bootstrap(data, mean)
    assert a == b
    assert a.value == pytest.approx(0.4875)
    assert a.lo is not None and a.hi is not None
    assert 0.1 < a.lo < 0.4875 < a.hi < 0.9
    # a constant sample has a zero-width interval
    flat = bootstrap([[0.5]] * 6, mean)
    assert flat.lo == flat.hi == 0.5


def test_proportion_uses_cluster_bootstrap_with_samples() -> None:
    single = proportion([[True], [False], [True], [True]])
    assert single.method == "wilson" and single.value == 0.75
    clustered = proportion([[True, True], [False, False], [True, False]])
    assert clustered.method == "bootstrap" and clustered.value == pytest.approx(0.5) and clustered.n == 3


def test_macro_f1_known_value() -> None:
    pairs = [("a", "a"), ("a", "b"), ("b", "b"), ("c", "c"), ("c", "a")]
    # F1(a)=0.5, F1(b)=2/3, F1(c)=2/3
    assert macro_f1(pairs, ["a", "b", "c"]) == pytest.approx((0.5 + 2 / 3 + 2 / 3) / 3)
    assert macro_f1([], ["a"]) is None


def test_percentile_nearest_rank() -> None:
    values = [float(v) for v in range(1, 21)]
    assert percentile(values, 50) == 10.0
    assert percentile(values, 95) == 19.0
    assert percentile([], 50) is None


def test_mcnemar_exact_known_values() -> None:
    from harness.stats import mcnemar_exact

    # binomial(n=10, p=0.5): P(X <= 1) = 11/1024, two-sided 22/1024
    assert mcnemar_exact(1, 9) == pytest.approx(22 / 1024)
    assert mcnemar_exact(9, 1) == pytest.approx(22 / 1024)
    assert mcnemar_exact(5, 5) == 1.0
    assert mcnemar_exact(0, 0) == 1.0
    assert mcnemar_exact(0, 6) == pytest.approx(2 / 64)


def test_paired_difference_interval() -> None:
    from harness.stats import paired_difference

    same = paired_difference([(1.0, 1.0), (0.0, 0.0)] * 10)
    assert same.value == 0 and same.lo == same.hi == 0
    better = paired_difference([(0.0, 1.0)] * 15 + [(1.0, 1.0)] * 5)
    assert better.value == pytest.approx(0.75)
    assert better.lo is not None and better.lo > 0.4


def test_estimates_of_nothing_say_so() -> None:
    from harness.stats import Estimate

    assert wilson(0, 0) == Estimate(value=None, lo=None, hi=None, n=0, method="wilson")
    # the statistic is never asked about an empty sample
    assert bootstrap([], lambda xs: xs[0]) == Estimate(value=None, lo=None, hi=None, n=0, method="bootstrap")
    undefined = bootstrap([[1.0], [2.0]], lambda xs: None)
    assert undefined == Estimate(value=None, lo=None, hi=None, n=2, method="bootstrap")
    assert mean([]) is None and mean([1.0, 2.0]) == 1.5


def test_wilson_bounds_are_clamped_to_zero_and_one() -> None:
    # unclamped, float noise puts these a hair outside [0, 1]
    assert wilson(16, 16).hi == 1.0
    assert wilson(0, 21).lo == 0.0


def test_bootstrap_takes_the_percentiles_of_its_resamples() -> None:
    # A statistic that counts its calls: the first call (the full sample) is 0, the resamples 1..1000,
    # so the interval's ends are exactly the order statistics the percentile rule picks.
    calls = iter(range(10_000))

    def counter(_: list[float]) -> float:
        return float(next(calls))

    est = bootstrap([[1.0], [2.0]], counter)
    assert (est.value, est.lo, est.hi, est.n, est.method) == (0.0, 25.0, 976.0, 2, "bootstrap")  # [24], [975]
    calls = iter(range(10_000))
    narrow = bootstrap([[1.0], [2.0]], counter, level=0.9, resamples=200)
    assert (narrow.lo, narrow.hi) == (10.0, 191.0)  # stats[int(0.05 * 199)], stats[ceil(0.95 * 199)]
    calls = iter(range(10_000))
    half = bootstrap([[1.0], [2.0]], counter, level=0.5, resamples=5)
    assert (half.lo, half.hi) == (2.0, 4.0)  # stats[int(0.25 * 4)], stats[ceil(0.75 * 4)] of 1..5


def test_bootstrap_resamples_whole_clusters_with_its_seed() -> None:
    seen: list[list[float]] = []

    def record(xs: list[float]) -> float:
        seen.append(xs)
        return sum(xs)

    bootstrap([[1.0, 1.0], [5.0]], record, resamples=50, seed=7)
    first = list(seen)
    assert all(len(s) in (2, 3, 4) and s.count(1.0) % 2 == 0 for s in seen[1:])  # a cluster moves as one
    seen.clear()
    bootstrap([[1.0, 1.0], [5.0]], record, resamples=50, seed=7)
    assert seen == first
    seen.clear()
    bootstrap([[1.0, 1.0], [5.0]], record, resamples=50, seed=8)
    assert seen != first


def test_proportion_over_clusters_is_the_pooled_share() -> None:
    clustered = proportion([[True, True, True], [False]])
    assert clustered.value == 0.75 and clustered.n == 2


def test_percentile_rank_on_a_long_list() -> None:
    values = [float(v) for v in range(1, 1001)]
    assert percentile(values, 100) == 1000.0
    assert percentile(values, 50) == 500.0
    assert percentile(values, 0) == 1.0


def test_paired_difference_is_reproducible_at_any_level() -> None:
    from harness.stats import BOOTSTRAP_SEED, paired_difference

    pairs = [(i % 7 / 7, (i * 3) % 11 / 11) for i in range(30)]  # thirty distinct differences
    differences = [[b - a] for a, b in pairs]
    for level in (0.95, 0.8):
        direct = bootstrap(differences, mean, seed=BOOTSTRAP_SEED, level=level)
        paired = paired_difference(pairs, level=level)
        assert (paired.value, paired.lo, paired.hi) == (direct.value, direct.lo, direct.hi)
    assert paired_difference(pairs, level=0.8).hi != paired_difference(pairs).hi
    assert paired_difference(pairs, seed=1) != paired_difference(pairs)


def test_cohen_kappa_known_values() -> None:
    # 20 pairs: both yes 9, both no 6, only A yes 3, only B yes 2. po = 15/20; A yes 12/20, B yes 11/20;
    # pe = 0.6 * 0.55 + 0.4 * 0.45 = 0.51; kappa = (0.75 - 0.51) / 0.49
    pairs = [(True, True)] * 9 + [(False, False)] * 6 + [(True, False)] * 3 + [(False, True)] * 2
    k = cohen_kappa(pairs)
    assert k.value == pytest.approx(0.24 / 0.49) and (k.n, k.method) == (20, "cohen")
    half = 1.959964 * (0.75 * 0.25 / (20 * 0.49**2)) ** 0.5
    assert k.lo == pytest.approx(0.24 / 0.49 - half, abs=1e-6)
    assert k.hi == pytest.approx(min(1.0, 0.24 / 0.49 + half), abs=1e-6)
    perfect = cohen_kappa([(True, True), (False, False)])
    assert (perfect.value, perfect.lo, perfect.hi) == (1.0, 1.0, 1.0)
    against = cohen_kappa([(True, False), (False, True)])
    assert (against.value, against.lo) == (-1.0, -1.0)
    # wide intervals are clamped to [-1, 1]: kappa -0.5 and 0.5, each +- 0.849
    low = cohen_kappa([(True, False), (False, True), (True, False), (True, True)])
    assert (low.value, low.lo) == (-0.5, -1.0) and low.hi == pytest.approx(0.349, abs=1e-3)
    high = cohen_kappa([(True, True), (False, False), (True, True), (False, True)])
    assert (high.value, high.hi) == (0.5, 1.0) and high.lo == pytest.approx(-0.349, abs=1e-3)


def test_cohen_kappa_of_nothing_or_of_one_answer_says_so() -> None:
    assert (cohen_kappa([]).value, cohen_kappa([]).n, cohen_kappa([]).method) == (None, 0, "cohen")
    one_sided = cohen_kappa([(True, True), (True, True)])  # chance agreement 1: kappa undefined
    assert (one_sided.value, one_sided.n, one_sided.method) == (None, 2, "cohen")


def test_mcnemar_on_more_discordant_pairs_than_a_float_can_count() -> None:
    # 2**1024 overflows a float: a large regression (over 1,023 discordant pairs) once crashed compare/check
    from harness.stats import MCNEMAR_EXACT_UP_TO, mcnemar_exact

    assert mcnemar_exact(500, 600) == pytest.approx(0.0028195, rel=1e-4)  # exact binomial tail, 1,100 pairs
    assert mcnemar_exact(600, 500) == mcnemar_exact(500, 600)
    assert mcnemar_exact(800, 800) == 1.0
    at_bound = mcnemar_exact(4900, 5100)  # 10,000 pairs: the exact sum
    above = mcnemar_exact(4901, 5100)  # 10,001 pairs: the normal approximation
    assert MCNEMAR_EXACT_UP_TO == 10_000 and at_bound == pytest.approx(0.046586, rel=1e-4)
    assert above == pytest.approx(0.04771, rel=1e-3)
    assert mcnemar_exact(500_000, 501_000) == pytest.approx(0.31804, rel=1e-3)
    assert mcnemar_exact(0, 1_000_000) == 0.0
    assert mcnemar_exact(5001, 5000) == 1.0  # a difference of one pair is no evidence, exact or not


# --- large n (issue 16): a mean above BOOTSTRAP_UP_TO items gets the normal interval -----------------


def test_the_normal_interval_of_singletons_is_the_mean_plus_or_minus_z_sd_over_root_n() -> None:
    # 0, 1, 0, 1: mean 0.5; sandwich se = sqrt(4/3 * 4 * 0.25) / 4 = sqrt(4/3) / 4
    est = normal_mean([[0.0], [1.0], [0.0], [1.0]])
    half = 1.959963984540054 * math.sqrt(4 / 3) / 4
    assert est.method == "normal" and est.n == 4
    assert est.value == 0.5 and est.lo == pytest.approx(0.5 - half) and est.hi == pytest.approx(0.5 + half)


def test_the_normal_interval_weighs_clusters_by_their_size() -> None:
    # clusters [1, 1] and [0]: the mean of the 3 observations is 2/3; residuals 2 - 4/3 and 0 - 2/3
    est = normal_mean([[1.0, 1.0], [0.0]])
    half = 1.959963984540054 * math.sqrt(2 * ((2 / 3) ** 2 + (2 / 3) ** 2)) / 3
    assert est.value == pytest.approx(2 / 3) and est.hi == pytest.approx(2 / 3 + half)


def test_a_mean_switches_to_the_normal_interval_above_the_bound_and_agrees_with_the_bootstrap() -> None:
    rng = random.Random(7)
    clusters = [[rng.random() < 0.3 for _ in range(2)] for _ in range(BOOTSTRAP_UP_TO + 1)]
    below, above = cluster_mean(clusters[:BOOTSTRAP_UP_TO]), cluster_mean(clusters)
    assert below.method == "bootstrap" and above.method == "normal" and above.n == BOOTSTRAP_UP_TO + 1
    assert proportion(clusters).method == "normal"
    boot = bootstrap(clusters, mean)  # the same data, bootstrapped: the two intervals nearly coincide
    assert boot.lo is not None and boot.hi is not None and above.lo is not None and above.hi is not None
    assert abs(above.lo - boot.lo) < 0.003 and abs(above.hi - boot.hi) < 0.003


def test_a_paired_difference_of_many_pairs_costs_no_resampling() -> None:
    pairs = [(float(i % 3 == 0), float(i % 2 == 0)) for i in range(200_000)]
    est = paired_difference(pairs)
    assert est.method == "normal" and est.n == 200_000
    assert est.value is not None and est.value == pytest.approx(sum(b - a for a, b in pairs) / len(pairs))
    assert est.lo is not None and est.hi is not None and est.lo < est.value < est.hi and est.hi - est.lo < 0.01


def test_a_statistic_other_than_a_mean_keeps_a_seeded_bootstrap_above_the_bound() -> None:
    pairs = [[("supported", "supported" if i % 4 else "refuted")] for i in range(BOOTSTRAP_UP_TO + 1)]
    first = bootstrap(pairs, lambda xs: macro_f1(xs, ["supported", "refuted"]), resamples=50)
    again = bootstrap(pairs, lambda xs: macro_f1(xs, ["supported", "refuted"]), resamples=50)
    assert first == again and first.method == "bootstrap" and first.lo is not None and first.hi is not None
    assert first.lo <= (first.value or 0) <= first.hi


def test_the_normal_interval_of_one_cluster_or_none_is_its_mean_alone() -> None:
    assert normal_mean([[0.5, 1.0]]) == Estimate(value=0.75, lo=0.75, hi=0.75, n=1, method="normal")
    assert normal_mean([]) == Estimate(value=None, lo=None, hi=None, n=0, method="normal")


def test_the_level_reaches_the_interval_on_both_sides_of_the_bound() -> None:
    rng = random.Random(3)
    for size in (50, BOOTSTRAP_UP_TO + 1):
        clusters = [[rng.random(), rng.random()] for _ in range(size)]
        wide, narrow = cluster_mean(clusters), cluster_mean(clusters, level=0.5)
        assert wide.lo is not None and wide.hi is not None and narrow.lo is not None and narrow.hi is not None
        assert wide.lo < narrow.lo < narrow.hi < wide.hi, size
    pairs = [(rng.random(), rng.random()) for _ in range(BOOTSTRAP_UP_TO + 1)]
    wide, narrow = paired_difference(pairs), paired_difference(pairs, level=0.5)
    assert wide.lo is not None and narrow.lo is not None and wide.lo < narrow.lo


def test_at_the_bound_itself_the_bootstrap_draws_as_every_committed_interval_was_drawn() -> None:
    clusters = [[float(i % 7 == 0)] for i in range(BOOTSTRAP_UP_TO)]
    rng = random.Random(BOOTSTRAP_SEED)  # the randrange draws, three resamples: lo and hi are the extremes
    means = sorted(
        sum(clusters[rng.randrange(BOOTSTRAP_UP_TO)][0] for _ in range(BOOTSTRAP_UP_TO)) / BOOTSTRAP_UP_TO
        for _ in range(3)
    )
    est = bootstrap(clusters, mean, resamples=3)
    assert (est.lo, est.hi, est.method) == (means[0], means[2], "bootstrap")
    assert paired_difference([(0.0, x[0]) for x in clusters]).method == "bootstrap"


@pytest.mark.parametrize("k", [1, 2, 3, 7, 64, 100, 4097, 5000])
def test_the_bootstraps_draws_arerandranges_own_numbers(k: int) -> None:
    # every committed interval was made with rng.randrange(k); the faster loop must draw the same numbers
    # and leave the generator where randrange leaves it
    ours, python = random.Random(BOOTSTRAP_SEED), random.Random(BOOTSTRAP_SEED)
    assert randranges(ours, k) == [python.randrange(k) for _ in range(k)]
    assert ours.random() == python.random()


def test_singletons_give_every_interval_the_list_of_one_element_lists_gives() -> None:
    rng = random.Random(5)
    for size in (0, 1, 40, BOOTSTRAP_UP_TO, BOOTSTRAP_UP_TO + 1):
        flags = [rng.random() < 0.3 for _ in range(size)]
        shares = [rng.choice((0.0, 0.25, 1 / 3, 1.0)) for _ in range(size)]
        assert proportion(Singletons(flags)) == proportion([[f] for f in flags]), size
        assert cluster_mean(Singletons(shares)) == cluster_mean([[s] for s in shares]), size
        assert normal_mean(Singletons(shares)) == normal_mean([[s] for s in shares]), size
    pairs = [("supported", rng.choice(("supported", "refuted"))) for _ in range(BOOTSTRAP_UP_TO + 1)]
    f1 = lambda xs: macro_f1(xs, ["supported", "refuted"])  # noqa: E731
    for held in (pairs[:300], pairs):  # the randrange draws below the bound, random.choices above it
        assert bootstrap(Singletons(held), f1, resamples=20) == bootstrap([[p] for p in held], f1, resamples=20)


def test_singletons_index_and_slice_as_one_element_clusters() -> None:
    held = Singletons([1.0, 2.0, 3.0])
    assert (len(held), held[1], list(held[1:].values), list(held)) == (3, [2.0], [2.0, 3.0], [[1.0], [2.0], [3.0]])


def test_statistics_bootstrapped_together_get_what_each_gets_alone() -> None:
    rng = random.Random(8)
    labels = ["supported", "refuted"]

    def supported_share(xs: list[tuple[str, str]]) -> float:
        return sum(gold == "supported" for gold, _ in xs) / len(xs)

    def f1(xs: list[tuple[str, str]]) -> float | None:
        return macro_f1(xs, labels)

    def unscored(xs: list[tuple[str, str]]) -> float | None:
        return None  # as a label no gold has

    for size in (0, 30, BOOTSTRAP_UP_TO + 1):  # the randrange draws, then random.choices
        pairs = [[(rng.choice(labels), rng.choice(labels))] for _ in range(size)]
        together = bootstraps(pairs, [supported_share, f1, unscored], resamples=30)
        assert together == [bootstrap(pairs, s, resamples=30) for s in (supported_share, f1, unscored)], size
        assert together[2].value is None and (size == 0) == (together[1].lo is None), size


def test_statistics_of_a_summary_get_what_they_get_of_the_sample() -> None:
    # the fact checks' F1s read each resample's pairs counted once: the same estimates as counting in each
    rng = random.Random(9)
    labels = ["supported", "refuted", "nei"]
    for size in (0, 40, BOOTSTRAP_UP_TO + 1):
        pairs = [[(rng.choice(labels[:2]), rng.choice(labels))] for _ in range(size)]
        counted = summarised_bootstraps(pairs, Counter, [lambda c: cells_macro_f1(c, labels)], resamples=30)
        assert counted == bootstraps(pairs, [lambda xs: macro_f1(xs, labels)], resamples=30), size
    assert cells_macro_f1(Counter(), labels) is None


def test_above_the_bound_the_bootstrap_draws_with_random_choices() -> None:
    k = BOOTSTRAP_UP_TO + 1
    clusters = [[float(i % 7 == 0)] for i in range(k)]
    rng = random.Random(BOOTSTRAP_SEED)  # random.choices draws, three resamples: lo and hi are the extremes
    means = sorted(sum(c[0] for c in rng.choices(clusters, k=k)) / k for _ in range(3))
    for held in (clusters, Singletons([c[0] for c in clusters])):
        est = bootstrap(held, mean, resamples=3)
        assert (est.lo, est.hi, est.method) == (means[0], means[2], "bootstrap")
