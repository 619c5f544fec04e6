"""``baseline/lexical``: a deterministic in-process reference "model".

Questions and claims get the article sentence with the most words in common;
summaries get the article's long sentences in order, leaving out any sentence the page
prints more than once (photo captions, repeated headlines): the same rule for every
article. It needs no server, runs in milliseconds and gives every report a floor to beat.
"""

from __future__ import annotations

import json
import time
from typing import Any

from harness.matching.numbers import parse_numbers
from harness.matching.sentences import MIN_OVERLAP, best_sentence, told_once
from harness.types import GenerationSettings, ModelReply, Usage, WorkItem

BASELINE_MODEL = "baseline/lexical"


def _qa(item: WorkItem) -> dict[str, Any]:
    sentence, score = best_sentence(item.article, item.subject)
    if score < MIN_OVERLAP:
        return {"answerable": False, "answer": "not stated", "value": None, "evidence": ""}
    numbers = parse_numbers(sentence) if item.subject.lower().startswith("how many") else []
    return {"answerable": True, "answer": sentence, "value": numbers[0] if numbers else None, "evidence": sentence}


def _factcheck(item: WorkItem) -> dict[str, Any]:
    sentence, score = best_sentence(item.article, item.subject)
    if score < MIN_OVERLAP:
        return {"label": "not_enough_info", "evidence": "", "correction": None}
    claimed, stated = set(parse_numbers(item.subject)), set(parse_numbers(sentence))
    if claimed and stated and not claimed <= stated:
        return {"label": "refuted", "evidence": sentence, "correction": sentence}
    return {"label": "supported", "evidence": sentence, "correction": None}


def _summary(item: WorkItem) -> dict[str, Any]:
    limit = item.max_words or 120
    # Long sentences of the story in order, leaving out what the page repeats (captions, headlines).
    lines = [s for s in told_once(item.article) if len(s.split()) >= 12]
    words: list[str] = []
    points = []
    for sentence in lines:
        if len(words) + len(sentence.split()) > limit:
            break
        words += sentence.split()
        points.append({"point": sentence, "evidence": sentence})
    return {"summary": " ".join(words), "key_points": points}


class LexicalBaseline:
    """Deterministic reference answers in the same JSON shapes as a model's."""

    name = BASELINE_MODEL

    def cache_identity(self) -> dict[str, Any]:
        return {"model": self.name, "version": 1}

    async def complete(self, item: WorkItem, settings: GenerationSettings) -> ModelReply:
        started = time.perf_counter()
        answer = {"qa": _qa, "factcheck": _factcheck, "summary": _summary}[item.task](item)
        return ModelReply(
            text=json.dumps(answer, ensure_ascii=False),
            mode="json_schema",
            usage=Usage(),
            latency_s=time.perf_counter() - started,
        )

    async def aclose(self) -> None:
        return None
