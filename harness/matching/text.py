"""Text normalisation shared by golden validation and scoring, and token overlap.

Two strengths:
- ``for_quotes``: what an evidence quote is compared with. Only typography is
  folded (curly quotes, dashes, non-breaking spaces, runs of white space), so a
  quote still has to be the article's own words.
- ``for_matching``: what answers are compared with. Also folds case, accents
  (NFKD), punctuation and English articles, so "the Celtics" matches "Celtics",
  "Støre" matches "Store" and "Simon & Garfunkel" matches "Simon and Garfunkel".
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u202f": " ",
    }
)
_SPACE = re.compile(r"\s+")
# Letters that NFKD does not decompose into base + accent.
_FOLD = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "ß": "ss", "đ": "d", "ł": "l"})
_PUNCT = re.compile(r"[^\w\s]")
_ARTICLES = re.compile(r"\b(?:a|an|the)\b")


def for_quotes(text: str) -> str:
    """Fold typography only: quote marks, dashes, odd spaces, white-space runs."""
    return _SPACE.sub(" ", text.translate(_QUOTES)).strip()


def fold_accents(text: str) -> str:
    """Strip accents: "Støre" -> "Store", "PAÍS" -> "PAIS"."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.lru_cache(maxsize=16384)  # answer keys are folded again for every reply
def for_matching(text: str) -> str:
    """Fold case, accents, punctuation, articles and white space for answer matching."""
    text = fold_accents(for_quotes(text)).casefold().replace("&", " and ")  # "Simon & Garfunkel"
    text = _PUNCT.sub(" ", text)
    text = _ARTICLES.sub(" ", text)
    return _SPACE.sub(" ", text).strip()


def word_starts(haystack: str, needle: str) -> Iterator[int]:
    """Where ``needle`` starts in ``haystack`` on word boundaries (both already folded by ``for_matching``)."""
    if not needle:
        return
    start = haystack.find(needle)
    while start >= 0:
        end = start + len(needle)
        if (start == 0 or haystack[start - 1] == " ") and (end == len(haystack) or haystack[end] == " "):
            yield start
        start = haystack.find(needle, start + 1)


def word_spans(haystack: str, needle: str) -> list[tuple[int, int]]:
    """(start, end) of every occurrence of ``needle`` in ``haystack`` on word boundaries (both folded)."""
    return [(start, start + len(needle)) for start in word_starts(haystack, needle)]


def has_words(haystack: str, needle: str) -> bool:
    """``needle`` occurs in ``haystack`` on word boundaries (both already folded by ``for_matching``)."""
    return next(word_starts(haystack, needle), -1) >= 0


def token_f1(prediction: str, reference: str) -> float:
    """Token-overlap F1 of two texts after ``for_matching`` (0 when they share no word)."""
    pred, ref = for_matching(prediction).split(), for_matching(reference).split()
    common = sum((Counter(pred) & Counter(ref)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(pred), common / len(ref)
    return 2 * precision * recall / (precision + recall)
