"""A run holds what is in flight, not what it has planned or written (issue 16): goldens seed by seed, a
plan made as it is iterated, work items without their rendered prompt, reports built as results stream
by, and a very large run's report listing the page's sample."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bench.data import make_dataset
from harness import run
from harness.api import comparison
from harness.compare import Comparison
from harness.errors import ReportError
from harness.goldens import Shelf, load_goldens, load_runnable, reviewed
from harness.manifest import read_manifest
from harness.metrics import worst
from harness.plan import Remaining, plan
from harness.prompts import load_prompts
from harness.report.build import build_report, run_inputs
from harness.report.html import render_html
from harness.report.markdown import render_markdown
from harness.report.rows import HTML_ITEM_ROWS
from harness.results import Results, Tally, result_key, tally_results
from harness.seeds import load_seeds
from harness.tasks import task_names
from harness.types import AnswerDetails, ItemResult, LabelDetails, Outcome
from tests.conftest import REPO, item_result, lexical_config


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """12 generated seeds of 10 items each (bench's generator), with the repo's prompts."""
    folder = tmp_path_factory.mktemp("many")
    make_dataset(folder, items=120, seeds=12, sentences=20)
    shutil.copytree(REPO / "prompts", folder / "prompts")
    return folder


def test_the_shelf_serves_every_golden_as_checked_at_the_start(many: Path) -> None:
    seeds = load_seeds(many / "seeds")
    shelf, drafts = load_runnable(many / "goldens", seeds)
    everything = load_goldens(many / "goldens", seeds)
    assert list(shelf) == sorted(everything) and len(shelf) == 12 and drafts == dict.fromkeys(everything, 0)
    assert "bench-03" in shelf and "nope" not in shelf and shelf.get("nope") is None
    moved = many.parent / "moved-goldens"
    shutil.move(many / "goldens", moved)  # the files may change or go: the run keeps what it checked
    try:
        assert all(shelf[seed] == reviewed(everything[seed])[0] for seed in reversed(sorted(everything)))
    finally:
        shutil.move(moved, many / "goldens")


def test_the_shipped_goldens_come_back_from_the_shelf_unchanged() -> None:
    everything = load_goldens(REPO / "goldens", load_seeds(REPO / "seeds"))
    shelf = Shelf()
    shelf.KEEP = 0  # none kept in memory: every read comes back from the pickle
    for golden in everything.values():
        shelf.add(reviewed(golden)[0])
    assert all(shelf[seed] == reviewed(golden)[0] for seed, golden in everything.items())


def test_the_plan_is_made_when_iterated_and_cuts_shards_and_limits_as_a_list_would(many: Path) -> None:
    seeds = load_seeds(many / "seeds")
    goldens = load_runnable(many / "goldens", seeds)[0]
    prompts = load_prompts(many / "prompts", {})

    def items(**fields: object) -> list[str]:
        config = lexical_config(many, many / "reports", tasks=task_names(), **fields)
        planned = plan(seeds, goldens, prompts, config)
        ids = [item.id for item in planned]
        assert len(planned) == len(ids) and [item.id for item in planned] == ids  # counted, and the same again
        by_seed = [item.id for seed in [*sorted(seeds), "nope"] for item in planned.of_seed(seed)]
        assert by_seed == ids  # what a batch import finds seed by seed is the run's part, no more
        return ids

    every = items()
    assert len(every) == 120 and every == sorted(every, key=lambda i: i.split("/")[0])  # seed by seed
    parts = [items(shard=(i, 3)) for i in (1, 2, 3)]
    assert [i for part in parts for i in part] == every and all(parts)
    assert items(shard=(2, 3), limit=7) == parts[1][:7]
    assert items(limit=500) == every and items(limit=3) == every[:3]


def test_what_a_resumed_model_has_left_is_made_when_iterated(many: Path) -> None:
    seeds = load_seeds(many / "seeds")
    planned = plan(
        seeds,
        load_runnable(many / "goldens", seeds)[0],
        load_prompts(many / "prompts", {}),
        lexical_config(many, many / "reports", tasks=task_names()),
    )
    ids = [item.id for item in planned]
    done = {result_key("m", i) for i in ids[::2]} | {result_key("other", i) for i in ids[1::2]}
    left = Remaining(planned, "m", done)
    assert [item.id for item in left] == ids[1::2] and len(left) == 60 and left
    assert not Remaining(planned, "m", {result_key("m", i) for i in ids}) and len(Remaining(planned, "x", done)) == 120


def test_a_work_item_renders_its_prompt_when_asked_and_keeps_none(many: Path) -> None:
    seeds = load_seeds(many / "seeds")
    goldens = load_runnable(many / "goldens", seeds)[0]
    prompts = load_prompts(many / "prompts", {})
    item = next(iter(plan(seeds, goldens, prompts, lexical_config(many, many / "reports", tasks=("qa",)))))
    article = seeds[item.seed].text
    assert item.messages == tuple(prompts["qa"].render({"article": article, "question": item.subject}))
    assert article in item.messages[-1]["content"] and len(article) > 2000
    record = item.model_dump()  # the article is the seed's own string; no rendered copy of it is held
    assert "messages" not in record and "prompt" not in record and record["article"] is article


def _results(n: int, failing: int, model: str = "m") -> list[ItemResult]:
    """``n`` results, qa then factcheck (3 to 1), the first ``failing`` of every 50 incorrect."""
    out = []
    for k in range(n):
        name = "qa" if k % 4 else "factcheck"
        outcome: Outcome = "incorrect" if k % 50 < failing else "correct"
        label = "supported" if outcome == "correct" else "refuted"
        details = AnswerDetails(answerable=True) if name == "qa" else LabelDetails(gold="supported", predicted=label)
        out.append(item_result(name, f"i{k}", model, outcome=outcome, details=details))
    return out


def test_a_report_up_to_its_limit_lists_every_result() -> None:
    results = _results(300, 1)
    report = build_report("r", "complete", iter(results), items_max=300)
    assert report.sampled is None and [i.id for i in report.items] == [r.id for r in results]


def test_a_larger_run_lists_its_failed_items_first_and_a_sample_of_the_passed_by_task() -> None:
    results = _results(10_000, 2) + _results(10_000, 0, model="n")  # 400 items fail for m; n passes all
    report = build_report("big", "complete", iter(results), items_max=1000)
    assert report.sampled is not None
    assert (report.sampled.results, report.sampled.failed, report.sampled.failed_shown) == (20_000, 400, 400)
    shown = {i.id for i in report.items}
    assert len(shown) == HTML_ITEM_ROWS  # 400 failed items, then 1,600 passed ones
    assert report.sampled.passed_shown == 2 * HTML_ITEM_ROWS - 400  # both models' rows of every shown item
    passed = [i for i in report.items if i.model == "m" and i.outcome == "correct"]
    by_task = [sum(i.task == name for i in passed) for name in ("qa", "factcheck")]
    assert by_task == [round(1600 * 14_700 / 19_600), round(1600 * 4_900 / 19_600)]  # in proportion
    m_rows = [i.id for i in report.items if i.model == "m"]
    assert m_rows == [r.id for r in results[:10_000] if r.id in shown]  # in run order
    assert build_report("big", "complete", iter(results), items_max=1000).items == report.items  # seeded
    told = build_report("big", "complete", iter(results), items_max=1000, total=len(results))
    assert told == report  # told the count in advance (a run's tally), it samples from the first row
    page = render_html([report])
    assert "This run has 20000 results, too many for one page: shown are 400 of its 400 failed" in page
    assert "The per-item tables list a sample." in render_markdown(report)


def test_results_stream_from_the_file_with_the_first_record_of_an_item_winning(tmp_path: Path) -> None:
    path = tmp_path / "results.jsonl"
    first, again = item_result("qa", "a", outcome="correct"), item_result("qa", "a", outcome="incorrect")
    other = item_result("qa", "b", outcome="error", reason="APITimeoutError: timed out\nmore")
    path.write_text("".join(r.model_dump_json() + "\n" for r in (first, again, other)))
    results = Results(path)
    assert list(results) == [first, other] and list(results) == [first, other]  # read anew each time
    tally = Tally.of(results)
    assert tally.outcomes == {"m": {"qa": {"correct": 1, "error": 1}}}
    assert dict(tally.causes) == {("m", "APITimeoutError: timed out"): 1}


def test_a_results_file_is_counted_in_one_pass_and_read_without_keys_only_when_no_item_repeats(
    tmp_path: Path,
) -> None:
    path = tmp_path / "results.jsonl"
    first, again = item_result("qa", "a", outcome="correct"), item_result("qa", "a", outcome="incorrect")
    other = item_result("qa", "b", outcome="error")
    path.write_text("".join(r.model_dump_json() + "\n" for r in (first, other)))
    tally, results = tally_results(path)
    assert results == Results(path, distinct=True) and list(results) == [first, other]
    assert tally.outcomes == {"m": {"qa": {"correct": 1, "error": 1}}}
    with path.open("a") as handle:  # the same item again (another model's "a" is another item)
        handle.write(again.model_dump_json() + "\n" + item_result("qa", "a", "n").model_dump_json() + "\n")
    tally, results = tally_results(path)
    assert results == Results(path) and len(list(results)) == 3  # the first record of "a" wins
    assert tally.outcomes == {"m": {"qa": {"correct": 1, "error": 1}}, "n": {"qa": {"correct": 1}}}
    for broken in ('{"model": "m", "id": "s/qa/c#0"}', '{"model": "m", "id": "x", "task": "qa", "outcome": "won"}'):
        path.write_text(first.model_dump_json() + "\n" + broken + "\n")
        with pytest.raises(ReportError) as caught:
            tally_results(path)
        assert "results.jsonl:2: not a result record" in str(caught.value), broken


def test_the_worst_items_are_the_same_gathered_as_a_stream() -> None:
    results = _results(1000, 3)
    expected = sorted((r for r in results if r.outcome != "correct"), key=lambda r: ("critical" in r.tags, r.id))
    assert [r.id for r in worst(iter(results), 5)] == [r.id for r in expected[:5]]


def test_compare_reads_every_result_of_a_run_whose_report_lists_a_sample(mini: Path) -> None:
    folders = {run_id: run(lexical_config(mini, mini / "reports"), run_id=run_id).folder for run_id in "ab"}
    path = folders["b"] / "results.jsonl"  # one answer of B turned wrong: one flip
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    flipped = next(r for r in rows if r["outcome"] == "correct" and r["task"] == "qa")
    flipped["outcome"] = "incorrect"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))

    def compared(items_max: int | None) -> Comparison:
        for run_id, folder in folders.items():
            results, inputs = Results(folder / "results.jsonl"), run_inputs(read_manifest(folder))
            report = build_report(run_id, "complete", results, inputs=inputs, items_max=items_max)
            assert (report.sampled is not None) == (items_max is not None)
            (folder / "report.json").write_text(report.model_dump_json())
        return comparison("a", "b", mini / "reports")

    whole, sampled = compared(None), compared(2)  # every result listed; then both as very large runs
    assert sampled.shared == whole.shared == len(rows) and sampled.metrics == whole.metrics
    assert [f.id for f in sampled.flips] == [f.id for f in whole.flips] == [flipped["id"]]
    words = [[(f.a_answer, f.b_answer, f.a_reason, f.b_reason) for f in c.flips] for c in (whole, sampled)]
    assert words[0] == words[1] and words[0][0][2] == flipped["reason"]  # read again from the flipped line
