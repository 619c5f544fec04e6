"""Evidence grounding: is a quote the model gave really in the seed?

A quote is grounded when, after normalisation (case, accents, punctuation,
quote marks, white space), it appears in the seed verbatim, or when at least
GROUNDING_THRESHOLD of its word trigrams appear in the seed (so a dropped word
or a changed quote mark does not fail it, but an invented sentence does).
Quotes shorter than three words are compared verbatim only.

A quote is the right passage for a golden item (``right_passage``) when it is grounded, at most
PASSAGE_MAX_WORDS long, and states at least PASSAGE_MIN_RECALL of the content words (stop words left
out) of one of the item's golden passages. The rule is asymmetric on purpose: golden quotes are the
deciding phrase, models quote the whole sentence around it, so only the golden side must be covered.
"""

from __future__ import annotations

from functools import lru_cache

from harness.matching.sentences import content_words
from harness.matching.text import for_matching, token_f1

GROUNDING_THRESHOLD = 0.8


def _trigrams(words: list[str]) -> set[tuple[str, str, str]]:
    return {(words[i], words[i + 1], words[i + 2]) for i in range(len(words) - 2)}


@lru_cache(maxsize=64)
def _seed_index(seed_text: str) -> tuple[str, frozenset[tuple[str, str, str]]]:
    normal = for_matching(seed_text)
    return f" {normal} ", frozenset(_trigrams(normal.split()))


def is_grounded(quote: str, seed_text: str) -> bool | None:
    """True/False for a non-empty quote; None when there is no quote to judge."""
    normal = for_matching(quote)
    if not normal:
        return None
    padded, trigrams = _seed_index(seed_text)
    if f" {normal} " in padded:
        return True
    mine = _trigrams(normal.split())  # empty for a quote under three words: verbatim only
    return bool(mine) and len(mine & trigrams) / len(mine) >= GROUNDING_THRESHOLD


PASSAGE_MIN_RECALL = 0.6
PASSAGE_MAX_WORDS = 80


def right_passage(quote: str, passages: tuple[str, ...], seed_text: str) -> bool:
    """Is ``quote`` one of the golden ``passages`` as a model would quote it (see the module docstring)?"""
    if len(quote.split()) > PASSAGE_MAX_WORDS or not is_grounded(quote, seed_text):
        return False
    said = set(for_matching(quote).split())
    for passage in passages:
        wanted = content_words(passage) or set(for_matching(passage).split())
        if wanted and len(wanted & said) / len(wanted) >= PASSAGE_MIN_RECALL:
            return True
    return False


SUGGEST_MIN_F1 = 0.5


def closest_passage(quote: str, seed_text: str) -> tuple[int, str] | None:
    """The seed's passage (line number, verbatim text) most like ``quote``: the span of one line, about
    as long as the quote, with the highest token F1 (at least SUGGEST_MIN_F1); None if nothing is close.
    What `harness validate` offers to paste when a golden's quote is not verbatim."""
    want = len(quote.split())
    if not want:
        return None
    best: tuple[float, int, str] | None = None
    for number, line in enumerate(seed_text.splitlines(), start=1):
        words = line.split()
        for start in range(len(words)):
            for size in range(max(1, want - 2), want + 3):
                if start + size > len(words):
                    break
                span = " ".join(words[start : start + size]).rstrip(".,;:")
                score = token_f1(span, quote)
                if best is None or score > best[0]:
                    best = (score, number, span)
    if best is None or best[0] < SUGGEST_MIN_F1:
        return None
    return best[1], best[2]
