"""baseline/lexical: deterministic, schema-valid, and a real floor (not a perfect score)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from harness.cli import main
from harness.models.baseline import LexicalBaseline
from harness.types import GenerationSettings, WorkItem
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


def test_summary_leaves_out_what_the_page_repeats_whoever_took_the_photo() -> None:
    caption = (
        "Firefighters work at the scene of the blaze in the old harbour district on Monday morning. (Reuters/Jane Doe)"
    )
    story = [
        "A fire destroyed three warehouses in the old harbour district of the city on Monday, officials said.",
        "Nobody was hurt, but the damage is estimated at several million euros by the port authority today.",
    ]
    article = "\n\n".join([caption, story[0], caption, story[1], "Read more: the harbour district at a glance today."])
    work = WorkItem(
        id="s/summary/summary#0",
        seed="s",
        task="summary",
        item="summary",
        sample=0,
        prompt_ref="summary/v1",
        article=article,
        subject="",
        max_words=60,
    )
    reply = asyncio.run(LexicalBaseline().complete(work, GenerationSettings()))
    assert json.loads(reply.text or "")["summary"] == " ".join(story)
