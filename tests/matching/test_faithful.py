"""Faithfulness by rules (harness.matching.faithful): numbers and names a summary adds to its article."""

from __future__ import annotations

import pytest

from harness.matching.faithful import unsupported_names, unsupported_numbers

ARTICLE = (
    "KYIV, Ukraine (AP) — Russia struck Kyiv on Thursday. At least 12 people were killed and 90 were injured, "
    "the deadliest assault since July 2024. President Donald Trump met Norwegian Prime Minister Jonas Gahr Støre "
    "at the White House. The U.S. envoy Steve Witkoff will visit Moscow. Five thousand soldiers a week are dying, "
    "Trump wrote on Truth Social. NATO said 22 allies met the 2% goal. The Kremlin did not comment.\n"
    "Trump, speaking on Thursday, said the Bank of England was fine."
)


@pytest.mark.parametrize(
    ("summary", "unsupported"),
    [
        ("At least a dozen were killed and ninety injured.", []),  # number words and "a dozen"
        ("5,000 soldiers a week are dying; 22 allies met the 2 percent goal.", []),
        ("Russia struck on April 24th, 2024.", []),  # a date's day is not checked, its year is
        ("Russia struck in July 2023.", ["July 2023"]),
        ("At least 120 people were killed.", ["120"]),
        ("At least 12 people were killed and 1,200 injured, 12.5% of them children.", ["1,200", "12.5%"]),
        ("It was the third attack.", []),  # an ordinal is no count
    ],
)
def test_numbers_the_article_does_not_state(summary: str, unsupported: list[str]) -> None:
    assert unsupported_numbers(summary, ARTICLE) == unsupported


@pytest.mark.parametrize(
    ("summary", "unsupported"),
    [
        ("Russia struck Kyiv. Trump met Jonas Gahr Støre at the White House.", []),
        ("Trump met Jonas Gahr Store.", []),  # accents folded
        ("Trump met Norwegian Prime Minister Erna Solberg.", ["Erna Solberg"]),  # split at titles
        ("Thursday Trump met Erna Solberg.", ["Erna Solberg"]),
        ("Thursday Trump posted.", []),  # two names the article states on their own
        ("The Kremlin said nothing. The Pentagon said nothing.", ["Pentagon"]),  # "The" starts a sentence
        ("Zelensky spoke with Trump and Zelensky.", ["Zelensky"]),  # a first word that is a name elsewhere
        ("Zelensky spoke.", []),  # a name written only at the start of a sentence is not seen
        ("The United States sent Witkoff.", []),  # initials the article writes as an acronym: U.S.
        ("The Bank of England was fine; the Bank of Spain too.", ["Bank of Spain"]),
        ("Steve Witkoff will go.", []),
        ("Trump accused Witkoff of nothing.", []),  # "of" joins two capitalised words only
        ("Trump posted on Truth Social on Saturday.", ["Saturday"]),
    ],
)
def test_names_the_article_does_not_state(summary: str, unsupported: list[str]) -> None:
    assert unsupported_names(summary, ARTICLE) == unsupported


def test_a_name_the_goldens_know_is_supported() -> None:
    assert unsupported_names("Zelensky spoke with Zelenskyy.", ARTICLE, known=["Zelensky", "Zelenskyy"]) == []
