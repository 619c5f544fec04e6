"""An article's sentences, and the one that best matches a subject (the lexical baseline's reading)."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from harness.matching.text import for_matching

_SENTENCE = re.compile(r"(?<=[.!?”\"])\s+(?=[A-Z“\"])")
STOP = frozenset(
    (
        "a an the of to in on at for by with and or but is are was were be been did do does what which who whom "
        "how many much when where why whose that this these those it its as from about after before has have had "
        "not no he she they his her their there than into said says"
    ).split()
)
# Minimum share of the question's content words a sentence must contain to be an answer.
MIN_OVERLAP = 0.5


def _all_sentences(article: str) -> list[str]:
    return [s for paragraph in article.splitlines() for s in _SENTENCE.split(paragraph.strip()) if len(s.split()) >= 5]


@lru_cache(maxsize=16)
def sentences(article: str) -> tuple[str, ...]:
    """Each sentence once, in order of first appearance."""
    return tuple(dict.fromkeys(_all_sentences(article)))


@lru_cache(maxsize=16)
def told_once(article: str) -> tuple[str, ...]:
    """The sentences that appear exactly once. A scraped page prints its furniture (photo captions,
    headlines, "related" links) more than once; the story's own sentences appear once."""
    counts = Counter(_all_sentences(article))
    return tuple(s for s in sentences(article) if counts[s] == 1)


def content_words(text: str) -> set[str]:
    """The words of ``text`` after normalisation, stop words left out."""
    return {w for w in for_matching(text).split() if w not in STOP}


def best_sentence(article: str, subject: str) -> tuple[str, float]:
    """The sentence sharing the largest share of ``subject``'s content words, and that share."""
    wanted = content_words(subject)
    best, score = "", 0.0
    for sentence in sentences(article):
        overlap = len(wanted & content_words(sentence)) / max(len(wanted), 1)
        if overlap > score:
            best, score = sentence, overlap
    return best, score
