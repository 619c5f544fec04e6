"""The small readings the answer matcher builds on: spelling distance, name forms, units, ordinals."""

from __future__ import annotations

import pytest

from harness.matching.answers import AnswerKey, match_answer
from harness.matching.names import joined_forms, same_initials, singulars, spelling_variant
from harness.matching.numbers import hedges, parse_numbers, show
from harness.matching.units import unit_after, unit_of


@pytest.mark.parametrize(
    ("a", "b", "variant"),
    [
        ("phillip", "philip", True),  # a letter left out
        ("philip", "phillip", True),  # a letter added
        ("volodymyr", "volodimyr", True),  # a letter changed
        ("volodymyr", "volodimir", False),  # two letters changed
        ("phillip", "phil", False),  # three letters shorter
        ("photographs", "photography", False),  # only at the end: another word, not a misspelling
        ("german", "germany", False),
        ("philip", "philip", False),  # the same word is no variant
        ("philip", "dhilip", False),  # another first letter
        ("kyiv", "kiev", False),  # too short to tell
        ("abcdefg", "abcdxfgh", False),  # an insertion and a change
    ],
)
def test_spelling_variants(a: str, b: str, variant: bool) -> None:
    assert spelling_variant(a, b) is variant


def test_initials_and_names_spelled_out() -> None:
    assert same_initials("dr bhimrao ramji ambedkar said", "b r ambedkar")
    assert same_initials("j r r tolkien", "john ronald reuel tolkien")
    assert same_initials("jrr tolkien", "john ronald reuel tolkien")
    assert not same_initials("j braddock", "james braddock")  # one given name: too little to tell
    assert not same_initials("bhimrao ambedkar", "b r ambedkar")
    assert not same_initials("x bhimrao ramji ambedkar", "b r ambedkars")


def test_compounds_join_words_of_letters_only() -> None:
    assert joined_forms("bee keeper") == ["beekeeper"]
    assert joined_forms("abid ali neemuchwala") == ["abidali neemuchwala", "abid alineemuchwala", "abidalineemuchwala"]
    assert joined_forms("1 000") == [] and joined_forms("p v sindhu") == []
    assert joined_forms("kyiv") == [] and joined_forms("a b c d e") == []


def test_singulars_drop_plurals_and_possessives() -> None:
    assert singulars("cassini s division") == "cassini division"
    assert singulars("cities boxes membranes bus analysis") == "city box membrane bus analysis"


@pytest.mark.parametrize(
    ("text", "end", "unit"),
    [
        ("198 kilometers (123 miles)", 3, ("km", 14)),
        ("a 123-mile border", 5, ("mi", 10)),
        ("12% of them", 2, ("%", 3)),
        ("12% of them", 3, ("%", 3)),  # a number read with its percent sign
        ("90 people", 2, None),  # counted nouns are no units
        ("90", 2, None),
    ],
)
def test_unit_after_a_number(text: str, end: int, unit: tuple[str, int] | None) -> None:
    assert unit_after(text, end) == unit


def test_unit_names_fold_to_one() -> None:
    assert [unit_of(n) for n in ("kilometres", "KM", "miles", "per cent", "parsecs")] == ["km", "km", "mi", "%", None]


def test_ordinals_and_titles_are_read_only_when_asked() -> None:
    assert parse_numbers("the fourth of five") == [5.0]
    assert parse_numbers("the fourth of five", ordinals=True) == [4.0, 5.0]
    assert parse_numbers("One Breath, one more") == [1.0, 1.0]
    assert parse_numbers("One Breath, one more", titles=True) == [1.0]
    # a title among ordinals is skipped, and reading goes on past it
    assert parse_numbers("First Lady, then the fourth", ordinals=True, titles=True) == [4.0]
    assert hedges("third or fourth") == [] and hedges("third or fourth", ordinals=True) == [[3.0, 4.0]]
    assert hedges("3 or Four Tops") == [[3.0, 4.0]] and hedges("3 or Four Tops", titles=True) == []


def test_numbers_in_reasons_read_as_written() -> None:
    assert [show(v) for v in (1234567890.0, 90.0, 3.5, -2.0, 0.125)] == ["1234567890", "90", "3.5", "-2", "0.125"]
    reason = match_answer(AnswerKey(type="number", answer=123, unit="mi"), "1234567890").reason
    assert reason == "states 1234567890; expected 123 mi"
