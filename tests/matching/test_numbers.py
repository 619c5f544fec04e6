"""Numbers read from free text, and the groups of numbers an answer offers as alternatives."""

from __future__ import annotations

import pytest

from harness.matching.numbers import find_numbers, hedges, parse_numbers, same_number


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("90 were injured", [90]),
        ("5,000 soldiers and 3.5% of GDP", [5000, 3.5]),
        ("2.5 million people", [2_500_000]),
        ("5 Million", [5_000_000]),
        ("12% million", [12, 1_000_000]),  # a percentage is never scaled (the lone word still counts)
        ("-2 degrees, \u22123 at night", [-2, -3]),
        ("ninety", [90]),
        ("one hundred and twenty-three miles", [123]),
        ("hundred", [100]),
        ("thousand", [1000]),
        ("two hundred thousand", [200_000]),
        ("three million five hundred thousand and six", [3_500_006]),
        ("a dozen or half a dozen", [12, 6]),
        ("a hundred and forty-five drones, a thousand and one nights", [145, 1001]),
        ("twelve and ninety", [12, 90]),  # "and" joins number words only after a scale
        ("million 2 million", [1_000_000, 2_000_000]),  # a lone scale word still counts; "2 million" once
        ("no numbers here", []),
        ("2 million people and ninety hurt", [2_000_000, 90]),
        ("2.5\n  million", [2_500_000]),  # white space of any kind between the digits and the scale
        ("2, million", [2, 1_000_000]),  # anything else parts them
        ("million people, 2", [1_000_000, 2]),  # the text's start has nothing before it (not its last digit)
        ("In 2024 there were 3 million. A million more", [2024, 3_000_000, 1_000_000]),
    ],
)
def test_parse_numbers(text: str, numbers: list[float]) -> None:
    assert parse_numbers(text) == numbers


def test_find_numbers_gives_spans_in_order() -> None:
    assert find_numbers("twelve died, 90 were hurt") == [(0, 6, 12.0), (13, 15, 90.0)]


@pytest.mark.parametrize(
    ("text", "groups"),
    [
        ("80 or 90", [[80, 90]]),
        ("80 nor 90", [[80, 90]]),
        ("80/90", [[80, 90]]),
        ("80-90 people", [[80, 90]]),
        ("80 \u2013 90", [[80, 90]]),
        ("80 to 90", [[80, 90]]),
        ("between 80 and 90", [[80, 90]]),
        ("either 80 or 90", [[80, 90]]),
        ("from 80 to 90", [[80, 90]]),
        ("1, 2, 3", [[1, 2, 3]]),
        ("1 and 2 and 3", [[1, 2, 3]]),
        ("1; 2; 3 then 4 or 5", [[1, 2, 3], [4, 5]]),
        ("12 and 90", []),  # two numbers listed, not offered as either-or
        ("In 2025, 90 people", []),
        ("At least 12 people were killed and 90 were injured", []),
        ("90", []),
        ("", []),
        ("90 people, or maybe 80", []),
        (
            "3 -5",
            [],
        ),  # a minus sign belongs to its number: no range  # prose between them: a correction, not a joined pair
    ],
)
def test_hedges(text: str, groups: list[list[float]]) -> None:
    assert hedges(text) == groups


def test_same_number_within_tolerance_inclusive() -> None:
    assert same_number(123, 125, tolerance=2) and not same_number(123, 125.5, tolerance=2)
    assert same_number(0.1 + 0.2, 0.3) and not same_number(1, 2)


def test_every_number_word_is_read_in_any_case() -> None:
    # the patterns skip positions that cannot start a number word: none that can may be skipped
    from harness.matching.numbers import _ORDINALS, _SCALES, _TENS, _UNITS

    for word, value in {**_UNITS, **_TENS, **_SCALES}.items():
        for written in (word, word.title(), word.upper()):
            assert parse_numbers(f"about {written} of them") == [value], written
    for word, value in _ORDINALS.items():
        for written in (word, word.title(), word.upper()):
            assert parse_numbers(f"the {written} one", ordinals=True) == [value, 1], written
    assert parse_numbers("Half a dozen, A dozen, DOZEN") == [6, 12, 12]
