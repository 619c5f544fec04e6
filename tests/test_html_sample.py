"""report.html past HTML_ITEM_ROWS items: every failure first, then a sample of the correct items in
proportion per task, and the page says so; below it, every item."""

from __future__ import annotations

import re

from harness.report.html import items_html, shown_items
from harness.report.model import ReportItem, RunReport
from harness.report.rows import HTML_ITEM_ROWS
from harness.types import Outcome


def _item(n: int, task: str, outcome: Outcome) -> ReportItem:
    return ReportItem(
        model="m", prompt=f"{task}/v2", id=f"s/{task}/i{n}#0", seed="s", task=task, tags=[], outcome=outcome,
        reason="", score=1.0 if outcome == "correct" else 0.0,
    )  # fmt: skip


def test_a_small_run_shows_every_item() -> None:
    order = {i.id: i for i in (_item(n, "qa", "correct") for n in range(5))}
    assert shown_items(order, set(), limit=5) == (list(order), "")


def test_a_large_run_shows_its_failures_and_a_stratified_sample_of_the_rest() -> None:
    items = [_item(n, "qa", "incorrect" if n % 10 == 0 else "correct") for n in range(300)]
    items += [_item(n, "factcheck", "correct") for n in range(100)]
    order = {i.id: i for i in items}
    failed = {i.id for i in items if i.outcome != "correct"}
    shown, note = shown_items(order, failed, limit=100)
    assert failed <= set(shown)  # all 30 failures
    kept = [order[i].task for i in shown if i not in failed]
    assert (kept.count("qa"), kept.count("factcheck")) == (51, 19)  # 70 places: 70 * 270/370, 70 * 100/370
    assert shown == [i for i in order if i in set(shown)]  # in run order
    assert note.startswith("This run has 400 items, too many for one page: shown are 30 of its 30 failures")
    assert shown_items(order, failed, limit=100) == (shown, note)  # the same sample every time


def test_the_page_says_when_it_shows_a_sample() -> None:
    items = [_item(n, "qa", "correct") for n in range(HTML_ITEM_ROWS + 1)]
    report = RunReport(run_id="big", status="complete", metrics=[], usage=[], confusion={}, worst=[], items=items)
    html = items_html([report])
    assert 'id="sampled"' in html and f"This run has {HTML_ITEM_ROWS + 1} items" in html
    assert len(re.findall(r"<tr data-task", html)) == HTML_ITEM_ROWS
    assert 'id="sampled"' not in items_html([report.model_copy(update={"items": items[:10]})])
