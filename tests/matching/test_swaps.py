"""Swapped numbers (harness.matching.swaps): clauses, a fact's number and bound words, the word window."""

from __future__ import annotations

import pytest

from harness.matching.swaps import SWAP_WINDOW, clauses, number_of, swapped

KILLED = (("12", "twelve"), ("killed", "dead", "die"))
INJURED = (("90", "ninety"), ("injured", "wounded"))
OTHERS = {12.0, 90.0, 5000.0, 44.0}


@pytest.mark.parametrize(
    ("text", "killed", "injured"),
    [
        ("killing at least 90 people and injuring 12", "killing at least 90 people", "injuring 12"),
        ("At least 12 people were killed and 90 were injured.", None, None),
        ("The attack, which killed 90, injured 12.", "which killed 90", "injured 12."),
        ("Ninety were killed; twelve were wounded.", "Ninety were killed", "twelve were wounded."),
        ("12 killed, 90 injured", None, None),
        ("It killed 12 people in 44 days.", None, None),  # the fact's own number is there
        ("The strike killed 100 people.", None, None),  # 100 is no quantity the goldens give
        ("5000 soldiers a week are dying.", None, None),  # four words apart: too far to bind
        ("90 people died (12 were hurt).", "90 people died", None),
        ("90 died while 12 were hurt", "90 died", None),
        ("90 died but 12 were hurt", "90 died", None),
        ("90 died whereas 12 were hurt", "90 died", None),
        ("90 died — 12 were hurt", "90 died", None),
        ("5000 soldiers are dying, 12 killed", None, None),  # 5000 counts soldiers
        ("5,000 people are dying", "5,000 people are dying", None),  # a comma inside a number splits nothing
        ("90 civilians were killed", "90 civilians were killed", None),
        ("90 killed", "90 killed", None),
    ],
)
def test_a_clause_that_puts_a_facts_words_with_another_number(
    text: str, killed: str | None, injured: str | None
) -> None:
    assert swapped(KILLED, OTHERS, text) == killed
    assert swapped(INJURED, OTHERS, text) == injured


def test_the_window() -> None:
    assert SWAP_WINDOW == 3
    assert swapped(KILLED, OTHERS, "90 people were killed") == "90 people were killed"  # 3 tokens apart
    assert swapped(KILLED, OTHERS, "90 of the people were killed") is None  # 4 ("the" is no token)
    assert swapped(KILLED, OTHERS, "killed were the many 90") == "killed were the many 90"  # 3, after the word
    assert swapped(KILLED, OTHERS, "killed were so very many 90") is None


def test_a_fact_without_a_number_or_without_other_words_has_nothing_to_swap() -> None:
    assert swapped((("killed",), ("Kyiv",)), OTHERS, "90 killed in Kyiv") is None
    assert swapped((("12",),), OTHERS, "90 killed") is None
    assert number_of((("Kyiv",), ("12", "twelve"), ("killed",))) == ((12.0, 12.0), [("Kyiv",), ("killed",)])
    assert number_of((("12", "many"), ("killed",))) == ((), [("12", "many"), ("killed",)])  # not all numbers


def test_the_facts_own_number_is_never_another_quantity() -> None:
    assert swapped(KILLED, {12.0}, "killed 12") is None
    assert swapped(KILLED, {12.0, 90.0}, "twelve killed and 90 killed") == "90 killed"


def test_clauses() -> None:
    text = "Russia launched 145 missiles and 70 drones (most at Kyiv) — Trump said; others: wept. Next one"
    assert clauses(text) == [
        "Russia launched 145 missiles",
        "70 drones",
        "most at Kyiv",
        "Trump said",
        "others",
        "wept.",
        "Next one",
    ]
