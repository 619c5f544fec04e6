"""baseline/lexical: deterministic, schema-valid, and a real floor (not a perfect score)."""

from __future__ import annotations

from pathlib import Path

from harness.cli import main
from tests.conftest import REPO, read_jsonl


def _run(tmp_path: Path, run_id: str) -> list[dict[str, object]]:
    assert (
        main(
            [
                "run",
                "--model",
                "baseline/lexical",
                "--reports",
                str(tmp_path),
                "--run-id",
                run_id,
                "--seeds",
                str(REPO / "seeds"),
                "--goldens",
                str(REPO / "goldens"),
                "--prompts",
                str(REPO / "prompts"),
                "--no-cache",
            ]
        )
        == 0
    )
    return read_jsonl(tmp_path / "runs" / run_id / "results.jsonl")


def test_baseline_runs_every_item_deterministically(tmp_path: Path) -> None:
    first, second = _run(tmp_path, "a"), _run(tmp_path, "b")
    assert [r["raw"] for r in first] == [r["raw"] for r in second]
    assert len(first) > 150
    outcomes = {r["outcome"] for r in first}
    assert "invalid" not in outcomes and "error" not in outcomes
    correct = sum(r["outcome"] == "correct" for r in first) / len(first)
    assert 0.2 < correct < 0.9
