"""What a report's metrics read: every reply's kind held once, and a few bytes a reply."""

from __future__ import annotations

import tracemalloc

from harness.outcomes import ItemOutcome, Outcomes
from harness.stats import Singletons
from harness.types import CoverageDetails, ItemResult, Outcome
from tests.conftest import item_result


def qa(item: str, outcome: Outcome, sample: int = 0, model: str = "m", tags: tuple[str, ...] = ()) -> ItemResult:
    return item_result("qa", item, model, sample, outcome=outcome, tags=tags)


def test_equal_outcomes_are_held_once_and_a_reply_costs_a_few_bytes() -> None:
    results = [qa(f"q{i}", "correct" if i % 3 else "incorrect", tags=("critical",) * (i % 2)) for i in range(20_000)]
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        outcomes = Outcomes.of(results)
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert len(outcomes) == 20_000 and len(outcomes.kinds) == 4  # correct/incorrect x tagged or not
    assert grown / len(outcomes) < 32  # the index of its kind and its cluster: 12 bytes, arrays over-allocate


def test_one_reply_an_item_gives_its_values_in_order_as_singletons() -> None:
    outcomes = Outcomes.of([qa("a", "correct"), qa("b", "incorrect"), qa("c", "error"), qa("d", "correct")])
    got = outcomes.clusters(lambda r: None if r.outcome == "error" else r.outcome == "correct")
    assert isinstance(got, Singletons) and got.values == [True, False, True]
    parts = outcomes.split(lambda r: r.outcome == "correct")  # a part of one-reply items is one too
    assert all(isinstance(part.clusters(lambda r: r.outcome), Singletons) for part in parts.values())
    appended = Outcomes()
    appended.append(ItemOutcome.of(qa("a", "correct")), 1)  # a reply appended with no sample is the first
    appended.append(ItemOutcome.of(qa("b", "correct")), 2)
    assert isinstance(appended.clusters(lambda r: r.outcome), Singletons)


def test_the_samples_of_an_item_are_one_cluster_in_the_order_items_first_came() -> None:
    rows = [qa("b", "correct"), qa("a", "incorrect"), qa("a", "correct", 1), qa("b", "correct", 1), qa("c", "error")]
    got = Outcomes.of(rows).clusters(lambda r: None if r.outcome == "error" else r.outcome == "correct")
    assert got == [[True, True], [False, True]]
    other_model = Outcomes.of([qa("a", "correct"), qa("a", "incorrect", model="n"), qa("a", "correct", 1)])
    assert other_model.clusters(lambda r: r.outcome) == [["correct", "correct"], ["incorrect"]]


def test_a_summary_whose_details_hold_a_dict_is_kept_on_its_own() -> None:
    details = CoverageDetails(coverage=0.5, sentences={"k1": "It rained."})
    rows = [item_result("summary", f"s{i}", outcome="incorrect", details=details) for i in range(3)]
    outcomes = Outcomes.of(rows)
    assert len(outcomes.kinds) == 3 and list(outcomes) == [ItemOutcome.of(r) for r in rows]
    coverage = outcomes.clusters(lambda r: r.details.coverage)  # type: ignore[union-attr]
    assert isinstance(coverage, Singletons) and coverage.values == [0.5, 0.5, 0.5]


def test_parts_keep_the_order_replies_came_in_and_count_each_kind() -> None:
    rows = [qa("a", "correct", tags=("x",)), item_result("factcheck", "f"), qa("b", "incorrect"), qa("c", "correct")]
    outcomes = Outcomes.of(rows)
    parts = outcomes.split(lambda r: r.task)
    assert list(parts) == ["qa", "factcheck"]
    assert [r.outcome for r in parts["qa"]] == ["correct", "incorrect", "correct"]
    assert outcomes.tags() == ["x"] and list(outcomes.tagged("x")) == [ItemOutcome.of(rows[0])]
    assert len(outcomes.where(lambda r: r.outcome == "correct")) == 3
    assert len(outcomes.where(lambda r: r.model == "nobody")) == 0
    assert [(r.task, r.outcome, n) for r, n in outcomes.counts()] == [
        ("qa", "correct", 1),  # tagged x
        ("factcheck", "correct", 1),
        ("qa", "incorrect", 1),
        ("qa", "correct", 1),
    ]
