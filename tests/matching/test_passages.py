"""Right passages (evidence.right_passage), word groups (groups.match_groups) and denials (negation)."""

from __future__ import annotations

import pytest

from harness.matching.evidence import PASSAGE_MAX_WORDS, PASSAGE_MIN_RECALL, right_passage
from harness.matching.groups import match_groups
from harness.matching.negation import denied
from harness.matching.rules import without

ARTICLE = (
    "Norway, a member of NATO and strong supporter of Ukraine, shares a roughly 123-mile (198-kilometer) border "
    "with Russia.\nAt least 12 people were killed and 90 were injured in the deadliest assault on the city.\n"
    + " ".join(f"w{i}" for i in range(100))
)
GOLDEN = ("shares a roughly 123-mile (198-kilometer) border with Russia",)  # content: 8 words


@pytest.mark.parametrize(
    ("quote", "right"),
    [
        (ARTICLE.splitlines()[0], True),  # the sentence around the golden phrase
        ("shares a roughly 123-mile (198-kilometer) border with Russia", True),
        ("123-mile (198-kilometer) border", True),  # 123 mile 198 kilometer border: 5 of 8 = 0.625
        ("(198-kilometer) border with Russia", False),  # 198 kilometer border russia: 4 of 8 = 0.5 < 0.6
        ("At least 12 people were killed and 90 were injured", False),  # another paragraph
        ("Norway shares a 123-mile border with Russia, the article says.", False),  # not the article's words
        ("", False),
        (" ".join(f"w{i}" for i in range(PASSAGE_MAX_WORDS + 1)), False),  # too long to be a passage
    ],
)
def test_a_right_passage_covers_most_of_a_golden_quote(quote: str, right: bool) -> None:
    assert right_passage(quote, GOLDEN, ARTICLE) is right


def test_the_threshold_and_the_word_limit() -> None:
    assert PASSAGE_MIN_RECALL == 0.6 and PASSAGE_MAX_WORDS == 80
    # 3 of 5 content words of the golden quote is exactly 0.6: a right passage
    assert right_passage("12 people were killed", ("At least 12 people were killed and",), ARTICLE)
    long_but_right = ARTICLE.splitlines()[0] + " " + " ".join(f"w{i}" for i in range(PASSAGE_MAX_WORDS - 18))
    assert len(long_but_right.split()) == PASSAGE_MAX_WORDS
    assert right_passage(long_but_right, GOLDEN, ARTICLE + "\n" + long_but_right)


def test_any_of_several_golden_quotes_will_do() -> None:
    passages = ("the deadliest assault on the city", *GOLDEN)
    assert right_passage(ARTICLE.splitlines()[0], passages, ARTICLE)
    assert right_passage("in the deadliest assault on the city.", passages, ARTICLE)


GROUPS = (("70 missiles", "seventy missiles"), ("145 drones",))
WRONG = ("145 missiles", "70 drones")


@pytest.mark.parametrize(
    ("text", "correct", "reason"),
    [
        ("Moscow launched 70 missiles and 145 drones.", True, "states '70 missiles', '145 drones'"),
        ("Seventy missiles and 145 drones", True, "states '70 missiles', '145 drones'"),
        ("Moscow launched 70 missiles.", False, "does not state '145 drones'"),
        # read as key facts are: numbers as numbers, words in their inflected forms
        ("Seventy missiles and a hundred and forty-five drones", True, "states '70 missiles', '145 drones'"),
        ("70 missiles and 1,145 drones", False, "does not state '145 drones'"),
        ("145 missiles and 70 drones; 70 missiles, 145 drones", False, "names the distractor '145 missiles'"),
        ("70 missiles and 145 drones, not 145 missiles and 70 drones", True, "states '70 missiles', '145 drones'"),
    ],
)
def test_word_groups_and_their_wrong_phrases(text: str, correct: bool, reason: str) -> None:
    match = match_groups(GROUPS, WRONG, text)
    rule = "words" if correct else ("distractor" if "distractor" in reason else "no_match")
    assert (match.correct, match.rule, match.reason) == (correct, rule, reason)


def test_a_group_reason_names_at_most_three_words() -> None:
    match = match_groups((("a1", "a2", "a3", "a4"),), (), "nothing here")
    assert match.reason == "does not state 'a1' or 'a2' or 'a3' or ..."
    assert match_groups((("a1", "a2", "a3"),), (), "nothing").reason == "does not state 'a1' or 'a2' or 'a3'"


def test_a_golden_quote_of_stop_words_only_is_matched_on_all_its_words() -> None:
    article = "It was not for them. It is what it is."
    assert right_passage("It is what it is.", ("it is what it is",), article)
    assert not right_passage("It was not for them.", ("it is what it is",), article)


def test_denials_of_wrong_phrases_follow_the_rule_switch() -> None:
    text = "70 missiles and 145 drones, not 145 missiles"
    assert match_groups(GROUPS, WRONG, text).correct
    assert not match_groups(GROUPS, WRONG, text, rules=without("distractor_denied")).correct


@pytest.mark.parametrize(
    ("text", "mention", "is_denied"),
    [
        ("123 miles, not 300", "300", True),
        ("not about the 300", "300", True),  # four words back
        ("not one two three four 300", "300", False),  # five words back
        ("it was not 123. 300 it is", "300", False),  # another clause
        ("rather than 300", "300", True),
        ("instead of 300", "300", True),
        ("as opposed to 300", "300", True),
        ("it isn\u2019t 300", "300", True),
        ("it isn t 300", "300", True),  # folded for matching
        ("the claim says 300", "300", True),
        ("the claimed 300", "300", True),
        ("300 is not right", "300", True),
        ("300 was never the figure", "300", True),
        ("300, which is not right", "300", True),  # two words before the negated verb
        ("300 of them, which is not right", "300", False),  # three
        ("300 wasn't right", "300", True),
        ("300, not 123", "300", False),
        ("300 miles; that is not 123", "300", False),
        ("nothing about 300", "300", False),
        ("knots 300", "300", False),
    ],
)
def test_denied(text: str, mention: str, is_denied: bool) -> None:
    start = text.index(mention)
    assert denied(text, start, start + len(mention)) is is_denied
