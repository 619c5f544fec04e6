"""The forms an answer key accepts, each read as what it is: a number (with its unit), a date, or words.

A key is ``answer`` + ``aliases`` (and, for distractors, ``wrong``). With rule form_kinds every form is
read by its own shape, so "1,000" is a number and "21 July 1979" a date even on an entity question
(and number and date questions use their aliases); without it the key's type decides and number and
date questions read their main answer only. With rule key_notation an answer key's own notation gives
more forms: "A or B" -> A, B; "X (ABBR)" -> X, ABBR; "X (disambiguation)" -> X; "(the) X" -> X;
"in the bone marrow" -> "the bone marrow", "about 24 hours" -> "24 hours" (a framing lead word).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from harness.matching.dates import Date, find_dates
from harness.matching.numbers import find_numbers, show
from harness.matching.text import for_matching
from harness.matching.units import unit_after


@dataclass(frozen=True)
class NumberForm:
    value: float
    unit: str | None
    text: str


@dataclass(frozen=True)
class DateForm:
    date: Date
    text: str


@dataclass(frozen=True)
class WordsForm:
    text: str


Form = NumberForm | DateForm | WordsForm
# "16 or older" is one answer, not two
_COMPARATIVES = {"older", "younger", "more", "less", "above", "below", "later", "earlier", "over", "under", "fewer"}
_ABBREVIATION = re.compile(r"[A-Z][A-Z0-9.&-]{1,7}")


def read_number(text: str) -> NumberForm | None:
    """``text`` as one number with an optional unit and nothing else ("1,000", "5.97 m", "12%")."""
    numbers = find_numbers(text)
    if len(numbers) != 1:
        return None
    start, end, value = numbers[0]
    written = unit_after(text, end)
    unit, end = written if written is not None else (None, end)
    return NumberForm(value, unit, text) if not for_matching(text[:start] + text[end:]) else None


def read_date(text: str) -> DateForm | None:
    """``text`` as one date with at least a month ("21 July 1979", "2025-04"), and nothing else."""
    dates = find_dates(text)
    if len(dates) != 1 or dates[0][2][1] is None:
        return None
    start, end, date = dates[0]
    return DateForm(date, text) if not for_matching(text[:start] + text[end:]) else None


def _alternatives(text: str) -> list[str]:
    parts = [p.strip(" ,;") for p in re.split(r"\s+or\s+|\s*/\s*", text, flags=re.IGNORECASE)]
    if len(parts) < 2 or not all(parts):
        return []
    if any(set(for_matching(p).split()) <= _COMPARATIVES for p in parts):
        return []
    return parts


def _parenthesised(text: str) -> list[str]:
    m = re.search(r"\(([^()]+)\)", text)
    if m is None:
        return []
    inner, outside = m.group(1).strip(), (text[: m.start()] + " " + text[m.end() :]).strip()
    found = [" ".join(outside.split())]
    if m.start() > 0 and not text[m.end() :].strip() and _ABBREVIATION.fullmatch(inner):
        found.append(inner)  # "International Border (IB)"; "Oasis (song)" names no second form
    return found


# "in the bone marrow", "about 24 hours", "to preserve slavery": the lead word frames the answer
_LEAD = re.compile(
    r"^(?:in|at|on|as|to|from|by|about|approximately|approx\.|around|roughly|circa|c\.|ca\.)\s+(?=\S)", re.I
)


def _unframed(text: str) -> list[str]:
    rest = _LEAD.sub("", text)
    return [rest] if rest != text and for_matching(rest) else []


# "Secretariat, who in 1973 became...", "Nairobi. The airport is now...", "In Mississippi, as Thomas
# Lanier Williams", "Nairobi Errata: the airport...": the answer, then commentary
_COMMENTARY = re.compile(
    r"^(?P<head>.+?)(?:,\s+(?:who|which|where|whose|as)\b|\.\s+(?=[A-Z])|\s+by\s+(?=[A-Z])|\s+[A-Z][a-z]+:\s)"
)
# "In the neck (hyoid bone) accept chin or throat", "Prince William (accept Duke of Cambridge)": a quiz
# key's "accept" names more right answers
_ACCEPT = re.compile(r"^(?P<head>.*?)[\s(]*\baccept(?:ed)?\b\s*(?P<more>[^()]+)\)?\s*$", re.IGNORECASE)


def _accepted(text: str) -> list[str]:
    m = _ACCEPT.match(text)
    if m is None:
        return []
    return [part for part in (m.group("head").strip(" ,;("), m.group("more").strip(" ,;)")) if part]


def _head(text: str) -> list[str]:
    m = _COMMENTARY.match(text)
    return [m.group("head")] if m and len(for_matching(m.group("head"))) >= 2 else []


def notation_forms(text: str) -> list[str]:
    """``text`` and the forms its notation gives, in order, each once (one-letter leftovers dropped)."""
    found: list[str] = []
    todo = [text]
    while todo:
        form = todo.pop(0).strip()
        if form and form not in found:
            found.append(form)
            todo += _accepted(form) + _parenthesised(form) + _alternatives(form) + _unframed(form) + _head(form)
    kept = [f for f in found if len(for_matching(f)) >= 2 or for_matching(f).isdigit()]
    return kept or found


# "Dr. Jesse Bennett", "Sir Ernest Rutherford", "St. Ignatius of Loyola": a title before a full name
_TITLE = re.compile(
    r"^(?:Dr|Doctor|Mr|Mrs|Ms|Miss|Sir|Dame|Lord|Lady|Justice|Judge|Pope|Saint|St|King|Queen|Emperor|Empress|"
    r"Prince|Princess|President|Senator|Governor|General|Gen|Colonel|Col|Captain|Capt|Admiral|Major|Lieutenant|"
    r"Lt|Sergeant|Sgt|Professor|Prof|Reverend|Rev|Father|Bishop|Archbishop|Cardinal|Rabbi|Imam|Sheikh|Sultan)"
    r"\.?\s+(?=[A-Z])"
)


# "English author Rudyard Kipling", "the physician George Huntington": a description ending in a common
# noun, then a full name (2-5 capitalised words); not a direction ("southern New Mexico") or a role ("X as Y")
_DESCRIBED = re.compile(
    r"^(?:the\s+)?(?:[\w-]+\s+){0,2}(?P<noun>[a-z][a-z-]+)\s+(?P<name>[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*){1,4})$"
)
_NO_DESCRIPTION = re.compile(r"^(?:as|of|and|or|in|at|on|by|to|for|from|with|during|(?:north|south|east|west)\w*)$")


def untitled(text: str) -> list[str]:
    """A full name without the title or description before it (rule honorifics): "Dr. Jesse Bennett" ->
    "Jesse Bennett", "English author Rudyard Kipling" -> "Rudyard Kipling"; "Saint Peter" keeps its title
    (one word is no full name)."""
    text = text.strip()
    rest = _TITLE.sub("", text)
    if rest != text and len(for_matching(rest).split()) >= 2:
        return [rest]
    m = _DESCRIBED.match(text)
    if m is None or _NO_DESCRIPTION.match(m.group("noun")):
        return []
    return [m.group("name")]


# "1483-1520", "1979-80" (any dash): a span of years (an entity key, as it is no one number or date)
_YEARS = re.compile(r"^\s*(?P<a>1\d{3}|20\d{2})\s*[-\u2013\u2014]\s*(?P<b>\d{4}|\d{2})\b(?P<rest>.*)$")


def year_span(text: str) -> tuple[int, int] | None:
    """The first and last year of a span of years ("1979-80" -> (1979, 1980)), or None."""
    m = _YEARS.match(text)
    if m is None:
        return None
    a, b = m.group("a"), m.group("b")
    first, last = int(a), int(a[: 4 - len(b)] + b)
    return (first, last) if last > first else None


def year_span_forms(text: str) -> list[str]:
    """A span of years as it is also written (rule year_spans): "1979-80" -> "1979-1980", "1979 to 1980",
    "1979 until 1980", "1979 through 1980", "between 1979 and 1980" (what follows the span kept)."""
    span, m = year_span(text), _YEARS.match(text)
    if span is None or m is None:
        return []
    (a, b), rest = span, m.group("rest")
    return [f"{a}{joint}{b}{rest}" for joint in ("-", " to ", " until ", " through ")] + [f"between {a} and {b}{rest}"]


def _texts(value: str, rules: frozenset[str]) -> list[str]:
    """The texts a key value gives, by the rules on."""
    texts = notation_forms(value) if "key_notation" in rules else [value]
    if "honorifics" in rules:
        texts += [name for text in texts for name in untitled(text)]
    if "year_spans" in rules:
        texts += [span for text in texts for span in year_span_forms(text)]
    return list(dict.fromkeys(texts))


@functools.lru_cache(maxsize=4096)
def forms_of(
    values: tuple[bool | int | float | str, ...], kind: str, unit: str | None, rules: frozenset[str]
) -> tuple[Form, ...]:
    """The forms of key values of a question of type ``kind``, each read as the rules say (kept for reuse:
    a key is read once per run, not once per reply)."""
    found: list[Form] = []
    for value in values:
        if isinstance(value, bool):
            continue
        if isinstance(value, int | float):
            found.append(NumberForm(float(value), unit, show(value)))
            continue
        found += [_form(text, kind, unit, rules) for text in _texts(value, rules)]
    return tuple(dict.fromkeys(found))


def _form(text: str, kind: str, unit: str | None, rules: frozenset[str]) -> Form:
    if kind == "date":
        date = find_dates(text)
        if date and (len(date) == 1 or "form_kinds" not in rules):
            return DateForm(date[0][2], text)
    if kind == "number" or "form_kinds" in rules:
        number = read_number(text)
        if number is not None:
            return number if number.unit or unit is None else NumberForm(number.value, unit, text)
    if "form_kinds" in rules:
        day = read_date(text)
        if day is not None:
            return day
    return WordsForm(text)
