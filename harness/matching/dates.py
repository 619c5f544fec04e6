"""Dates in free text, as (year, month, day) with None for the parts an answer leaves out."""

from __future__ import annotations

import bisect
import re

from harness.matching.numbers import find_numbers

_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}


# The lookahead (a month's first letter) lets the engine pass over every other position at once.
_MONTH = (
    r"(?=[adfjmnos])(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
Date = tuple[int, int | None, int | None]
# ISO "2025-04-24" / "2025-04" (a real month and day, so the range "1648-51" is not read as a month)
_ISO = re.compile(r"\b(\d{4})-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?(?![\d-])")
# A day and a month make a year of three digits a year too: "13 March 624"
_MONTH_DAY_YEAR = re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?\s*,?\s+(\d{{3,4}})\b", re.IGNORECASE)
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\s*,?\s+(\d{{3,4}})\b", re.IGNORECASE)
_MONTH_YEAR = re.compile(rf"\b{_MONTH}\s*,?\s+(?:of\s+)?(\d{{4}})\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(1\d{3}|20\d{2})\b")  # 1000-2099: "1768" is a year too


def find_dates(text: str) -> list[tuple[int, int, Date]]:
    """(start, end, (year, month, day)) for every date ``text`` states, each read once: the "August
    1965" and "1965" inside "1 August 1965" are not read again. Parts an answer leaves out are None."""
    spans: list[tuple[int, int, Date]] = []
    for m in _ISO.finditer(text):
        y, mon, d = m.groups()
        spans.append((m.start(), m.end(), (int(y), int(mon), int(d) if d else None)))
    for m in _MONTH_DAY_YEAR.finditer(text):
        spans.append((m.start(), m.end(), (int(m[3]), _MONTHS[m[1].lower()[:3]], int(m[2]))))
    for m in _DAY_MONTH_YEAR.finditer(text):
        spans.append((m.start(), m.end(), (int(m[3]), _MONTHS[m[2].lower()[:3]], int(m[1]))))
    for m in _MONTH_YEAR.finditer(text):
        spans.append((m.start(), m.end(), (int(m[2]), _MONTHS[m[1].lower()[:3]], None)))
    spans += [(m.start(), m.end(), (int(m[1]), None, None)) for m in _YEAR.finditer(text)]
    spans.sort(key=lambda s: (s[0], s[0] - s[1]))  # by start, the longest first
    kept: list[tuple[int, int, Date]] = []
    for span in spans:
        if not kept or span[1] > kept[-1][1]:  # not inside the date kept before it
            kept.append(span)
    return kept


def parse_dates(text: str) -> list[Date]:
    """(year, month, day) for ISO dates, "April 24, 2025", "24 April 2025", "April 2025", bare years:
    every date ``text`` states, in order (see ``find_dates``)."""
    return [date for _, _, date in find_dates(text)]


def undated_numbers(
    text: str, *, ordinals: bool = False, dates: list[tuple[int, int, Date]] | None = None
) -> list[tuple[int, int, float]]:
    """(start, end, value) of the numbers ``text`` states outside its dates: the 24 and 2025 of "April 24,
    2025" are a date, not two counts (titles are no numbers: "One Breath"). ``dates``: ``find_dates(text)``,
    when the caller has it."""
    if dates is None:
        dates = find_dates(text)  # in order, none inside another: the one a number may be in starts last before it
    starts = [s for s, _, _ in dates]

    def dated(start: int, end: int) -> bool:
        i = bisect.bisect_right(starts, start) - 1
        return i >= 0 and end <= dates[i][1]

    return [n for n in find_numbers(text, ordinals=ordinals, titles=True) if not dated(n[0], n[1])]
