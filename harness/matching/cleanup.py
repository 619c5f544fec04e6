"""Answer text repaired before matching: footnote marks and missing spaces (rules footnote_marks and
missing_space in harness/matching/rules.py).

Search-engine answers glue citation digits to words ("played by Earle Hyman12.") and to years ("in
18501."); copied text loses spaces ("played by actressLizzy Greene"). Both hide a right answer from a
phrase match. Footnote marks are dropped only when the answer shows footnote style (a digit glued to
a lower-case word, or a superscript digit), so "B12", "FADH2" and "H2O" stay as they are.
"""

from __future__ import annotations

import re

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
