"""The scoring seam: a run judges each reply through an async Scorer; the default is the rules, no model call."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from harness import run
from harness.goldens import Golden
from harness.scoring.score import score_reply
from harness.scoring.scorer import RULES
from harness.types import ModelReply, Verdict
from tests.conftest import lexical_config, read_jsonl


class SecondOpinion:
    """A scorer that awaits (as a judge calling a model would) and disagrees with every reply."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    async def __call__(
        self, task_name: str, item_id: str, golden: Golden, article: str, reply: ModelReply
    ) -> tuple[Verdict, dict[str, object] | None]:
        await asyncio.sleep(0)
        self.asked.append(f"{task_name}/{item_id}")
        return Verdict(outcome="incorrect", reason="second opinion: no"), None


def test_a_run_judges_every_reply_with_the_scorer_it_is_given(mini: Path) -> None:
    config = lexical_config(mini, mini / "reports", use_cache=False)
    judge = SecondOpinion()
    summary = run(config, run_id="judged", scorer=judge)
    assert len(judge.asked) == len(list(summary.results)) == 8
    rows = read_jsonl(summary.folder / "results.jsonl")
    assert {(r["outcome"], r["reason"]) for r in rows} == {("incorrect", "second opinion: no")}
    plain = run(config, run_id="rules")  # the default: each task's rules
    assert {r.reason for r in plain.results} != {"second opinion: no"}


def test_the_rule_scorer_is_score_reply() -> None:
    golden = Golden.model_validate(
        {
            "seed": "s",
            "as_of": "2025-01-01",
            "questions": [{"id": "q", "question": "How many?", "type": "number", "answer": 90, "evidence": "90"}],
        }
    )
    reply = ModelReply(
        text=json.dumps({"answerable": True, "answer": "90", "value": None, "evidence": "90"}), mode="json_schema"
    )
    got = asyncio.run(RULES("qa", "q", golden, "90 were hurt.", reply))
    assert got == score_reply("qa", "q", golden, "90 were hurt.", reply)
    assert got[0].reason == "states 90"
