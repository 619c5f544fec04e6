"""Answer text repaired before matching: footnote marks and missing spaces (rules footnote_marks and
missing_space in harness/matching/rules.py).

Search-engine answers glue citation digits to words ("played by Earle Hyman12.") and to years ("in
18501."); copied text loses spaces ("played by actressLizzy Greene"). Both hide a right answer from a
phrase match. Footnote marks are dropped only when the answer shows footnote style (a digit glued to
a lower-case word, or a superscript digit), so "B12", "FADH2" and "H2O" stay as they are.
"""

from __future__ import annotations

import re

from harness.matching.text import fold_accents, for_matching, for_quotes

_SUPERSCRIPT = re.compile(r"[\u00b9\u00b2\u00b3\u2070-\u2079]+")
_FOOTNOTE_STYLE = re.compile(r"[a-z][.\"\u201d)]?\d{1,3}(?=[\s.,;:!?]|$)|[\u00b9\u00b2\u00b3\u2070-\u2079]")
_ON_A_WORD = re.compile(r"(?<=[a-z])\d{1,3}(?=[\s.,;:!?)\"\u201d]|$)")  # "Tremblay123.": three citations
_ON_A_YEAR = re.compile(r"\b((?:1\d|20)\d{2})\d{1,2}(?=[.,;:]?(?:\s|$))")
_YEAR_MARKED_AT_THE_END = re.compile(r"\b(?:1\d|20)\d{2}\d{1,2}\.(?:\s+[A-Z]|\s*$)")
_LOWER_THEN_CAPITAL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def drop_footnote_marks(text: str) -> str:
    """``text`` without citation digits glued to words and years, when it shows footnote style:
    "Earle Hyman12." -> "Earle Hyman.", "Keeley Hawes⁶" -> "Keeley Hawes", "in 18501." -> "in 1850."."""
    if not (_FOOTNOTE_STYLE.search(text) or _YEAR_MARKED_AT_THE_END.search(text)):
        return text
    text = _SUPERSCRIPT.sub("", text)
    text = _ON_A_WORD.sub("", text)
    return _ON_A_YEAR.sub(r"\1", text)


def restore_spaces(text: str) -> str:
    """A space before every capital that follows a lower-case letter: "actressLizzy" -> "actress Lizzy".
    Applied to the answer and to the key alike ("McDonald" -> "Mc Donald" on both sides still matches)."""
    return _LOWER_THEN_CAPITAL.sub(" ", text)


# "in2011as", "onOctober 16, 2004at": a year glued to the words around it (a lost link's spaces)
_GLUED_YEAR = re.compile(r"(?<=[a-z])(?=(?:1\d|20)\d\d(?!\d))|(?<=\d{4})(?<!\d{5})(?=[a-z]{2})")


def unglue_years(text: str) -> str:
    """A space between a year and a lower-case word glued to it: "began in2011as" -> "began in 2011 as"
    ("1990s" stays: one letter is a plural)."""
    return _GLUED_YEAR.sub(" ", text)


def glued(text: str, key: str) -> bool:
    """Is ``key`` (raw) in ``text`` as a link that lost its spaces on both sides: glued after a lower-case
    word, starting with a capital or digit, and glued before the next word ("played byHugo Weavingin the
    movie")?"""
    words = [re.escape(w) for w in for_matching(key).split()]
    if not words or not _LOWER_THEN_CAPITAL.search(text):  # the cheap test: no glue, no glued link
        return False
    pattern = r"(?<=[a-z])(?=[A-Z0-9])(?i:" + r"[\W_]+".join(words) + r")(?=[a-z])"
    return re.search(pattern, fold_accents(for_quotes(text))) is not None


def drop_non_ascii(text: str) -> str:
    """``text`` without its letters outside ASCII, as a key damaged in the data lost them: "László Bíró" ->
    "Lszl Br", "Beyoncé" -> "Beyonc" (rule lost_letters)."""
    return "".join(c for c in for_quotes(text) if c.isascii() or not c.isalpha())
