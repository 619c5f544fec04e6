"""Shards: `--shard I/N` parts that keep articles whole where they can, and shard runs read as one run
by report, compare and check (a missing shard is never a pass)."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from harness.cli import main
from harness.shards import edges
from tests.conftest import read_jsonl, run_args

# Four articles of 10, 3, 3 and 4 items, in plan order.
SEEDS = ["a"] * 10 + ["b"] * 3 + ["c"] * 3 + ["d"] * 4


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, [0, 20]),
        (2, [0, 10, 20]),  # the edge falls between two articles
        (4, [0, 5, 10, 16, 20]),  # a (10 > 20/4 items) is split; the edge inside c moves to c's nearer end
        (5, [0, 4, 8, 13, 16, 20]),  # 12 inside b (3 <= 4 items): to b's start is farther, so to its end
    ],
)
def test_parts_keep_an_article_whole_unless_it_is_bigger_than_a_part(count: int, expected: list[int]) -> None:
    assert edges(SEEDS, count) == expected
    spans = [SEEDS[lo:hi] for lo, hi in itertools.pairwise(expected)]
    assert sum(len(s) for s in spans) == len(SEEDS)
    for seed in "bcd":  # no article of at most 1/N of the items is on two shards
        if SEEDS.count(seed) <= len(SEEDS) / count:
            assert sum(seed in span for span in spans) == 1


def test_more_shards_than_items_leave_some_empty() -> None:
    assert edges(["a", "a"], 3) == [0, 1, 1, 2]


def _lexical(mini: Path, run_id: str, *extra: str) -> int:
    return main(run_args(mini, "--model", "baseline/lexical", "--run-id", run_id, *extra))


def test_shard_runs_cover_the_run_once_and_pass_the_check_as_one_run(
    mini: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _lexical(mini, "whole") == 0
    for index in (1, 2):
        assert _lexical(mini, f"s{index}", "--shard", f"{index}/2") == 0
    runs = mini / "reports" / "runs"
    ids = [{r["id"] for r in read_jsonl(runs / f"s{i}" / "results.jsonl")} for i in (1, 2)]
    assert ids[0] and ids[1] and not ids[0] & ids[1]
    assert ids[0] | ids[1] == {r["id"] for r in read_jsonl(runs / "whole" / "results.jsonl")}
    assert json.loads((runs / "s2" / "manifest.json").read_text())["config"]["shard"] == [2, 2]
    capsys.readouterr()
    reports = ["--reports", str(mini / "reports")]
    assert main(["check", "--baseline", "whole", "--candidate", "s1+s2", *reports]) == 0
    out = capsys.readouterr().out
    assert "0 got worse, 0 got better" in out and "check: PASS" in out
    assert main(["report", "s2+s1", *reports]) == 0
    assert "s2+s1" in capsys.readouterr().out


def test_a_missing_or_repeated_shard_is_never_a_pass(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _lexical(mini, "whole") == 0
    for index in (1, 2):
        assert _lexical(mini, f"t{index}", "--shard", f"{index}/3") == 0
    assert _lexical(mini, "other", "--shard", "1/2") == 0
    reports = ["--reports", str(mini / "reports")]
    capsys.readouterr()
    assert main(["check", "--baseline", "whole", "--candidate", "t1+t2", *reports]) == 2
    out = capsys.readouterr().out
    assert "t1+t2 (shards 3 of 3 missing) is incomplete, not complete. Fix: run the missing shards" in out
    assert main(["check", "--baseline", "whole", "--candidate", "t1+t1", *reports]) == 2
    assert "shard 1/3 is given twice" in capsys.readouterr().out
    assert main(["check", "--baseline", "whole", "--candidate", "t1+other", *reports]) == 2
    assert "is shard 1/2, not one of 3" in capsys.readouterr().out
    assert main(["check", "--baseline", "whole", "--candidate", "whole+t1", *reports]) == 2
    assert "is not a shard run" in capsys.readouterr().out


def test_a_shard_that_does_not_exist_is_one_clear_line(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _lexical(mini, "x", "--shard", "3/2") == 2
    assert "'3/2' is not a shard. Fix: write I/N with 1 <= I <= N" in capsys.readouterr().err
