"""``baseline/lexical``: a deterministic in-process reference "model".

Questions and claims get the article sentence with the most words in common;
summaries get the article's long sentences in order, leaving out any sentence the page
prints more than once (photo captions, repeated headlines): the same rule for every article. It needs no
server, runs in milliseconds and gives every report a floor to beat.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from functools import lru_cache
from typing import Any

from harness.normalize import for_matching
from harness.scoring.numbers import parse_numbers
from harness.types import GenerationSettings, ModelReply, Usage, WorkItem

BASELINE_MODEL = "baseline/lexical"
_SENTENCE = re.compile(r"(?<=[.!?”\"])\s+(?=[A-Z“\"])")
_STOP = frozenset(
    (
        "a an the of to in on at for by with and or but is are was were be been did do does what which who whom "
        "how many much when where why whose that this these those it its as from about after before has have had "
        "not no he she they his her their there than into said says"
    ).split()
)
# Minimum share of the question's content words a sentence must contain to be an answer.
_MIN_OVERLAP = 0.5


def _all_sentences(article: str) -> list[str]:
    return [s for paragraph in article.splitlines() for s in _SENTENCE.split(paragraph.strip()) if len(s.split()) >= 5]


@lru_cache(maxsize=16)
def _sentences(article: str) -> tuple[str, ...]:
    """Each sentence once, in order of first appearance."""
    return tuple(dict.fromkeys(_all_sentences(article)))


@lru_cache(maxsize=16)
def _told_once(article: str) -> tuple[str, ...]:
    """The sentences that appear exactly once. A scraped page prints its furniture (photo captions,
    headlines, "related" links) more than once; the story's own sentences appear once."""
    counts = Counter(_all_sentences(article))
    return tuple(s for s in _sentences(article) if counts[s] == 1)


def _content(text: str) -> set[str]:
    return {w for w in for_matching(text).split() if w not in _STOP}


def _best(article: str, subject: str) -> tuple[str, float]:
    wanted = _content(subject)
    best, score = "", 0.0
    for sentence in _sentences(article):
        overlap = len(wanted & _content(sentence)) / max(len(wanted), 1)
        if overlap > score:
            best, score = sentence, overlap
    return best, score


def _qa(item: WorkItem) -> dict[str, Any]:
    sentence, score = _best(item.article, item.subject)
    if score < _MIN_OVERLAP:
        return {"answerable": False, "answer": "not stated", "value": None, "evidence": ""}
    numbers = parse_numbers(sentence) if item.subject.lower().startswith("how many") else []
    return {"answerable": True, "answer": sentence, "value": numbers[0] if numbers else None, "evidence": sentence}


def _factcheck(item: WorkItem) -> dict[str, Any]:
    sentence, score = _best(item.article, item.subject)
    if score < _MIN_OVERLAP:
        return {"label": "not_enough_info", "evidence": "", "correction": None}
    claimed, stated = set(parse_numbers(item.subject)), set(parse_numbers(sentence))
    if claimed and stated and not claimed <= stated:
        return {"label": "refuted", "evidence": sentence, "correction": sentence}
    return {"label": "supported", "evidence": sentence, "correction": None}


def _summary(item: WorkItem) -> dict[str, Any]:
    limit = item.max_words or 120
    # Long sentences of the story in order, leaving out what the page repeats (captions, headlines).
    lines = [s for s in _told_once(item.article) if len(s.split()) >= 12]
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
