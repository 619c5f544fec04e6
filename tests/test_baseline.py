"""baseline/lexical: deterministic, schema-valid, and a real floor (not a perfect score)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from harness.cli import main
from tests.conftest import read_jsonl, repo_run_args


def _run(tmp_path: Path, run_id: str) -> list[dict[str, Any]]:
    assert main(repo_run_args(tmp_path, "--model", "baseline/lexical", "--run-id", run_id, "--no-cache")) == 0
    return read_jsonl(tmp_path / "runs" / run_id / "results.jsonl")


def test_baseline_runs_every_item_deterministically(tmp_path: Path) -> None:
    first, second = _run(tmp_path, "a"), _run(tmp_path, "b")
    assert [r["raw"] for r in first] == [r["raw"] for r in second]
    assert len(first) > 150
    outcomes = {r["outcome"] for r in first}
    assert "invalid" not in outcomes and "error" not in outcomes
    correct = sum(r["outcome"] == "correct" for r in first) / len(first)
    assert 0.2 < correct < 0.9
