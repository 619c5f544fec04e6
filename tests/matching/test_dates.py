"""Dates read from free text, and the numbers a text states outside them."""

from __future__ import annotations

import pytest

from harness.matching.dates import find_dates, undated_numbers


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("On April 24, 2025, 12 people were hurt", [12.0]),  # the 24 and 2025 are the date's
        ("3 died on 1 August 1965 and 40 on 2 May 1966; 7 later", [3.0, 40.0, 7.0]),
        ("In 1999 and 2001 nobody, then 5", [5.0]),  # bare years are dates too
        ("the 2024-05-03 count was 17", [17.0]),
        ("no date: 12 and 90", [12.0, 90.0]),
        ("1965", []),
    ],
)
def test_undated_numbers_leave_out_every_number_inside_a_date(text: str, numbers: list[float]) -> None:
    assert [value for _, _, value in undated_numbers(text)] == numbers


def test_each_date_is_read_once_by_its_longest_reading() -> None:
    text = "from 1 August 1965 to May 1970"
    assert [(text[s:e], date) for s, e, date in find_dates(text)] == [
        ("1 August 1965", (1965, 8, 1)),
        ("May 1970", (1970, 5, None)),
    ]
