"""A key's parts and content words found apart, a place key's head, and the alternatives "or" offers."""

from __future__ import annotations

import pytest

from harness.matching.hedges import alternative
from harness.matching.parts import content_words, key_parts, place_head, sentences, stated_in_parts, stated_in_words


@pytest.mark.parametrize(
    ("key", "parts"),
    [
        ("Ann Arbor, Michigan", ("ann arbor", "michigan")),
        ("the churches of Galatia", ("church", "galatia")),  # "of" after a common word
        ("Bank of England", ()),  # "of" inside a name
        ("Green, White, Orange", ("green", "white", "orange")),
        ("RAF Coningsby in Lincolnshire", ("raf coningsby", "lincolnshire")),
        ("International Border (IB)", ("international border", "ib")),
        ("In 1912, in Stockholm", ("1912", "stockholm")),  # a part's leading preposition goes
        ("August 19, 2016", ()),  # one date
        ("1,000", ()),  # one number
        ("Paris", ()),
    ],
)
def test_key_parts(key: str, parts: tuple[str, ...]) -> None:
    assert key_parts(key) == parts


def test_a_lists_short_items_are_also_one_sentence() -> None:
    assert sentences("1. Ecuador\n2. Colombia\n3. Brazil")[-1] == "1 ecuador 2 colombia 3 brazil"
    assert sentences("It began in Michigan. It moved to Ann Arbor.") == [
        "it began in michigan",
        "it moved to ann arbor",
    ]


def test_parts_must_share_a_sentence_and_not_all_echo_the_question() -> None:
    said = sentences("SDS started in Ann Arbor. It spread to Michigan's other colleges.")
    assert not stated_in_parts(said, "Ann Arbor, Michigan", "")
    said = sentences("SDS started at the University of Michigan in Ann Arbor.")
    assert stated_in_parts(said, "Ann Arbor, Michigan", "")
    assert not stated_in_parts(said, "Ann Arbor, Michigan", "was it ann arbor or michigan")


def test_content_words_need_three_and_no_digits() -> None:
    assert content_words("The longest survived fall in an elevator") == ("longest", "survived", "fall", "elevator")
    assert content_words("Central Germany") == ()
    assert content_words("The 1700 Cascadia earthquake") == ()


def test_a_long_key_may_miss_one_content_word_a_short_one_none() -> None:
    long_key = "Trying to steal the Crown Jewels from the Tower of London"
    said = sentences("He attempted to steal the Crown Jewels from the Tower of London.")
    assert stated_in_words(said, long_key, "")
    said = sentences("He attempted to take the Crown Jewels from the Tower of London.")
    assert not stated_in_words(said, long_key, "")  # two missing
    assert not stated_in_words(sentences("the longest fall in an elevator"), "longest survived fall elevator", "")


@pytest.mark.parametrize(
    ("key", "question", "head"),
    [
        ("Baltimore, Maryland", "where does jack ryan live", "Baltimore"),
        ("RAF Coningsby in Lincolnshire", "where is the flight based", "RAF Coningsby"),
        ("the Isle of Man, UK", "which island is it", "Isle of Man"),
        ("Baltimore, Maryland", "who lives there", None),  # not a where-question
        ("Paris and Lyon, France", "where was it filmed", None),  # a list
        ("August 19, 2016", "where and when", None),  # a date
        ("Baltimore", "where does he live", None),  # one part
    ],
)
def test_place_head(key: str, question: str, head: str | None) -> None:
    assert place_head(key, question) == head


@pytest.mark.parametrize(
    ("text", "hit", "names_only", "offered"),
    [
        ("Lviv or Kyiv", "Kyiv", True, "lviv"),
        ("Kyiv or Lviv, the capital, was hit", "Kyiv", True, "lviv"),  # the clause ends at the comma
        ("It was either Kyiv or Lviv.", "Kyiv", True, "lviv"),
        ('It means "peace" or "well-being".', "peace", True, None),  # common words gloss
        ('It means "peace" or "well-being".', "peace", False, "well being"),
        ("Kyiv (or Kiev)", "Kyiv", True, None),  # another accepted form
        (
            "In the TV show, Reverse-Flash/Eobard Thawne did it.",
            "the Reverse-Flash",
            True,
            "eobard thawne did it",
        ),  # 2 words + 2
        ("Kyiv was hit.", "Kyiv", True, None),
    ],
)
def test_alternative(text: str, hit: str, names_only: bool, offered: str | None) -> None:
    assert alternative(text, hit, [hit, "Kiev"], names_only) == offered
