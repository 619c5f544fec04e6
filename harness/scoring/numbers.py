"""Numbers in free text: "90", "5,000", "3.5", "-2", "12%", "ninety", "five thousand", "a dozen".

Numbers are read from the raw text BEFORE any punctuation is stripped, so "3.5"
stays 3.5 (not 35) and "10." stays 10 (not 1.0).
"""

from __future__ import annotations

import re

_DIGITS = re.compile(
    r"(?<![\w.])(?P<sign>[-\u2212])?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?!\d)(?:\s*(?P<pct>%|percent\b))?"
)
_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_SPECIAL = {"dozen": 12, "a dozen": 12, "half a dozen": 6, "a hundred": 100, "a thousand": 1000}
_WORD = "|".join(sorted([*_UNITS, *_TENS, *_SCALES], key=len, reverse=True))
_WORDS = re.compile(
    rf"\b(?:half a dozen|a dozen|a hundred|a thousand|dozen|(?:(?:{_WORD})(?:[\s-]+(?:and[\s-]+)?(?={_WORD}))?)+)\b",
    re.IGNORECASE,
)
# "5 million", "2.5 billion"
_DIGIT_SCALE = re.compile(r"^\s*(million|billion|thousand)\b", re.IGNORECASE)


def _words_value(phrase: str) -> float | None:
    phrase = phrase.lower().strip()
    if phrase in _SPECIAL:
        return float(_SPECIAL[phrase])
    total, current = 0, 0
    seen = False
    for word in re.split(r"[\s-]+", phrase):
        if word == "and" or not word:
            continue
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word in _SCALES:
            total += max(current, 1) * _SCALES[word]
            current = 0
        else:
            return None
        seen = True
    return float(total + current) if seen else None


def parse_numbers(text: str) -> list[float]:
    """Every number stated in ``text``, digits or words, in order of appearance."""
    found: list[tuple[int, float]] = []
    for m in _DIGITS.finditer(text):
        value = float(m.group("num").replace(",", ""))
        scale = _DIGIT_SCALE.match(text[m.end() :])
        if scale and not m.group("pct"):
            value *= _SCALES[scale.group(1).lower()]
        if m.group("sign"):
            value = -value
        found.append((m.start(), value))
    for m in _WORDS.finditer(text):
        if m.group(0).lower() in _SCALES and re.search(r"\d\s*$", text[: m.start()]):
            continue  # the "million" of "2.5 million", already read with its digits
        worded = _words_value(m.group(0))
        if worded is not None:
            found.append((m.start(), worded))
    return [v for _, v in sorted(found)]


def same_number(a: float, b: float, tolerance: float = 0.0) -> bool:
    """Equal within an absolute tolerance (and float noise)."""
    return abs(a - b) <= tolerance + 1e-9
