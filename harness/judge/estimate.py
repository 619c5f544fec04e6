"""What a judge will cost before anything is sent (``harness run --judge MODEL --dry-run``).

The judge's requests are rendered for every item it would rule on, with a stand-in reply (the golden
answer for a question, ``max_words`` words for a summary), and their length is read at 4 characters a
token: an estimate, said to be one. The completion side is the judge's budget, an upper bound.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pydantic import BaseModel, ConfigDict

from harness.config import JudgeConfig
from harness.goldens import Golden
from harness.judge.requests import judge_case
from harness.judge.rulings import KINDS
from harness.judge.scorer import item_key, samples
from harness.prompts import Prompt
from harness.seeds import Seed
from harness.tasks.base import find
from harness.types import WorkItem

CHARS_PER_TOKEN = 4


class JudgeEstimate(BaseModel):
    model_config = ConfigDict(frozen=True)

    calls: int  # judge requests, the consistency check's included
    consistency_calls: int  # of them, the second ruling on the consistency sample
    prompt_tokens: int  # estimated at CHARS_PER_TOKEN
    completion_tokens_max: int  # every call at its full budget


def _stand_in(item: WorkItem, golden: Golden) -> dict[str, object]:
    """A reply of typical length to ``item``, to render the judge's request with."""
    if item.task == "summary":
        return {"summary": " ".join(["word"] * (item.max_words or 60)), "key_points": []}
    if item.task == "factcheck":
        return {"label": "refuted", "evidence": "", "correction": find(golden.claims, item.item).claim}
    q = find(golden.questions, item.item)
    return {"answerable": q.answerable, "answer": str(q.answer) if q.answerable else "not stated", "value": None}


def estimate(
    items: Iterable[WorkItem],
    models: int,
    judge: JudgeConfig,
    seeds: Mapping[str, Seed],
    goldens: Mapping[str, Golden],
    prompts: Mapping[str, Prompt],
) -> JudgeEstimate:
    """The judge's calls and tokens for ``items`` answered by ``models`` models (``prompts``: by kind)."""
    chosen, twice = samples(items, goldens, judge)
    calls = extra = chars = budget = 0
    for item in items:
        key = item_key(item.seed, item.task, item.item)
        if key not in chosen:
            continue
        golden = goldens[item.seed]
        case = judge_case(prompts, item.task, golden, item.item, seeds[item.seed].text, _stand_in(item, golden))
        if case is None:
            continue
        times = 2 if key in twice else 1
        calls += times * models
        extra += (times - 1) * models
        chars += times * models * sum(len(m["content"]) for m in case.ask().messages)
        budget += times * models * KINDS[case.kind][2]
    return JudgeEstimate(
        calls=calls,
        consistency_calls=extra,
        prompt_tokens=chars // CHARS_PER_TOKEN,
        completion_tokens_max=budget,
    )
