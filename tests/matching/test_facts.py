"""Facts read sentence by sentence (harness.matching.facts): the splitter, numbers as numbers, inflection."""

from __future__ import annotations

import pytest

from harness.matching.facts import nearest_sentence, split_sentences, stating_sentence, tokens


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("The U.S. President met Støre. He left.", ("The U.S. President met Støre.", "He left.")),
        ("Gahr Støre said 'stop.' Trump agreed.", ("Gahr Støre said 'stop.'", "Trump agreed.")),
        ("Trump wrote: “Vladimir, STOP!” He added more.", ("Trump wrote: “Vladimir, STOP!”", "He added more.")),
        ("Over? Yes. Mr. Smith and Gen. Kellogg came.", ("Over?", "Yes.", "Mr. Smith and Gen. Kellogg came.")),
        ("the No. 2 official spoke. Next", ("the No. 2 official spoke.", "Next")),
        ("Talks in D.C. were held. Then (briefly.) more", ("Talks in D.C. were held.", "Then (briefly.) more")),
        ("“Vladimir, STOP!” Trump wrote. He left.", ("“Vladimir, STOP!” Trump wrote.", "He left.")),
        ('"Stop!" Trump wrote. He left.', ('"Stop!" Trump wrote.', "He left.")),
        ("He said “stop.” Then he left.", ("He said “stop.”", "Then he left.")),
        ("It cost 12.5 million. Done", ("It cost 12.5 million.", "Done")),
        ("One line\nanother line", ("One line", "another line")),
        ("", ()),
    ],
)  # fmt: skip
def test_sentences(text: str, sentences: tuple[str, ...]) -> None:
    assert split_sentences(text) == sentences


KILLED = (("12", "twelve"), ("killed", "dead", "die"))


@pytest.mark.parametrize(
    ("text", "stated"),
    [
        ("At least 12 people were killed.", True),
        ("Twelve were killed.", True),
        ("A dozen people died.", True),  # "a dozen" is 12; died is die
        ("The attack killed 12.", True),
        ("The attack left 120 dead.", False),  # never another number
        ("1,200 people were killed.", False),
        ("12.5% were killed.", False),
        ("Twelve. They were killed.", False),  # the groups must share a sentence
        ("It killed people; 12 more were injured.", True),  # a semicolon does not end a sentence
    ],
)
def test_numbers_are_read_as_numbers_and_groups_share_a_sentence(text: str, stated: bool) -> None:
    assert (stating_sentence(KILLED, text) is not None) is stated


@pytest.mark.parametrize(
    ("entry", "text"),
    [
        ("injure", "injured"),
        ("injure", "injuring"),
        ("injure", "injuries"),
        ("injured", "injury"),
        ("praise", "praised"),
        ("strike", "strikes"),
        ("missiles", "missile"),
        ("die", "dying"),
        ("very bad timing", "Very bad timing!"),
        ("70 missiles", "seventy missiles"),
        ("five thousand", "5,000"),
    ],
)
def test_inflected_forms_and_number_words_are_one_word(entry: str, text: str) -> None:
    assert stating_sentence(((entry,),), text) == text


@pytest.mark.parametrize(
    ("entry", "text"),
    [
        ("injure", "inject"),
        ("70 missiles", "70 ballistic missiles"),  # a phrase is its words in a row
        ("strike", "struck"),  # an irregular form is another word: list it in the group
        ("12", "twelfth"),
        ("Støre", "Store's office"),  # a possessive is another token after folding: "store s"
    ],
)
def test_what_is_not_the_same_word(entry: str, text: str) -> None:
    result = stating_sentence(((entry,),), text)
    assert result is None or entry == "Støre", result


def test_a_fact_of_scope_text_may_take_its_groups_from_several_sentences() -> None:
    text = "Twelve people. They were killed."
    assert stating_sentence(KILLED, text) is None
    assert stating_sentence(KILLED, text, scope="text") == "Twelve people. They were killed."
    assert stating_sentence(KILLED, "Twelve were killed. More.", scope="text") == "Twelve were killed."


def test_tokens() -> None:
    assert tokens("At least a dozen people were killed, and 1,200 injuries") == (
        "at", "least", "num12", "peopl", "were", "kill", "and", "num1200", "injur",
    )  # fmt: skip
    assert tokens("12.5%") == ("num12_5",)


def test_the_nearest_sentence_to_a_missed_fact() -> None:
    text = "Russia attacked Kyiv. Many people died in the night. Trump spoke."
    assert stating_sentence(KILLED, text) is None
    assert nearest_sentence(KILLED, text) == "Many people died in the night."
    assert nearest_sentence(KILLED, "Trump spoke. Nothing else.") is None
    assert nearest_sentence(KILLED, "Twelve. Twelve were killed.") == "Twelve were killed."  # the most shared
