"""Dates in free text, as (year, month, day) with None for the parts an answer leaves out."""

from __future__ import annotations

import re

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


def parse_dates(text: str) -> list[tuple[int, int | None, int | None]]:
    """(year, month, day) for ISO dates, "April 24, 2025", "24 April 2025", "April 2025", bare years."""
    found: list[tuple[int, int | None, int | None]] = []
    for y, m, d in re.findall(r"\b(\d{4})-(\d{2})(?:-(\d{2}))?\b", text):
        found.append((int(y), int(m), int(d) if d else None))
    month = (
        r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
        r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
    )
    for mon, d, y in re.findall(rf"\b{month}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", text, re.IGNORECASE):
        found.append((int(y), _MONTHS[mon.lower()[:3]], int(d)))
    for d, mon, y in re.findall(
        rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{month},?\s+(\d{{4}})\b", text, re.IGNORECASE
    ):
        found.append((int(y), _MONTHS[mon.lower()[:3]], int(d)))
    for mon, y in re.findall(rf"\b{month}\s+(?:of\s+)?(\d{{4}})\b", text, re.IGNORECASE):
        found.append((int(y), _MONTHS[mon.lower()[:3]], None))
    for y in re.findall(r"\b(1[89]\d{2}|20\d{2})\b", text):
        found.append((int(y), None, None))
    return found
