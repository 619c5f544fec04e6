"""The fact-check golden items: a refuted claim's correction, its validation and its default wrong forms."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from harness.tasks.claims import Claim


def refuted(claim: str, evidence: str | list[str], **correction: Any) -> Claim:
    return Claim.model_validate(
        {"id": "c", "claim": claim, "label": "refuted", "evidence": evidence, "correction": correction}
    )


@pytest.mark.parametrize(
    ("claim", "evidence", "correction", "wrong"),
    [
        # the claim's own number of the correction's unit
        ("A border of about 300 miles.", "a 123-mile border", {"type": "number", "answer": 123, "unit": "mi"}, (300,)),
        # another unit is another quantity; a bare number may be the same one
        ("300 miles, or 482 km.", "123-mile", {"type": "number", "answer": 123, "unit": "mi"}, (300,)),
        ("About 300 of it.", "123-mile", {"type": "number", "answer": 123, "unit": "mi"}, (300,)),
        ("23 allies met the 2% goal.", "22 allies", {"type": "number", "answer": 22}, (23,)),
        # a value the golden evidence states may be restated (12 killed and 90 injured)
        ("At least 90 people were killed.", "12 were killed and 90 injured", {"type": "number", "answer": 12}, ()),
        # accepted values and aliases, within tolerance, are never wrong
        ("About 198 km, or 123.", "123-mile", {"type": "number", "answer": 123, "aliases": ["198 km"]}, ()),
        ("About 124.", "123-mile", {"type": "number", "answer": 123, "tolerance": 1}, ()),
        ("About 124.5.", "123-mile", {"type": "number", "answer": 123, "tolerance": 1}, (124.5,)),
        # ordinals count; a year of a date and the word "one" do not
        ("His second meeting.", "fourth meeting", {"type": "number", "answer": 4}, (2,)),
        ("No one was killed in April 2025.", "12 were killed", {"type": "number", "answer": 12}, ()),
        # dates: the claim's dates, at their own precision
        ("Annexed in 2022.", "in 2014", {"type": "date", "answer": "2014"}, ("2022",)),
        ("On 3 March 2022 or 2014.", "in 2014", {"type": "date", "answer": "2014"}, ("2022-03-03",)),
        ("Annexed in 2014.", "in 2014", {"type": "date", "answer": "2014-03"}, ()),
        # a value left out does not end the search: the claim's later numbers still count
        ("No one denies the 300 miles.", "123-mile", {"type": "number", "answer": 123, "unit": "mi"}, (300,)),
        ("In 2022 the border was 300 miles.", "123-mile", {"type": "number", "answer": 123, "unit": "mi"}, (300,)),
        ("About 123 or 300 miles.", "a border", {"type": "number", "answer": 123, "unit": "mi"}, (300,)),
        ("482 km, or 300 miles.", "123-mile", {"type": "number", "answer": 123, "unit": "mi"}, (300,)),
        ("90 killed and 300 hurt.", "90 were injured", {"type": "number", "answer": 12}, (300,)),
        ("It is 124 or 300.", "123-mile", {"type": "number", "answer": 123, "aliases": [124]}, (300,)),
        ("The Four Seasons is 300 miles away.", "123-mile", {"type": "number", "answer": 123, "unit": "mi"}, (300,)),
        ("Annexed in 2014 or 2022.", "annexed that area", {"type": "date", "answer": "2014"}, ("2022",)),
        ("Annexed in March 2022.", "annexed that area", {"type": "date", "answer": "2014"}, ("2022-03",)),
        # names and words: only what the golden writes
        ("Macron was in Morocco.", "Madagascar", {"type": "entity", "answer": "Madagascar"}, ()),
        ("Macron was in Morocco.", "Madagascar", {"type": "entity", "answer": "Madagascar", "wrong": ["Morocco"]},
         ("Morocco",)),
        # written wrong forms replace the default, and [] means none
        ("A border of about 300 miles.", "123-mile", {"type": "number", "answer": 123, "wrong": [200]}, (200,)),
        ("A border of about 300 miles.", "123-mile", {"type": "number", "answer": 123, "wrong": []}, ()),
    ],
)  # fmt: skip
def test_the_wrong_forms_of_a_correction(
    claim: str, evidence: str, correction: dict[str, Any], wrong: tuple[Any, ...]
) -> None:
    assert refuted(claim, evidence, **correction).correction_key.wrong == wrong


def test_a_words_correction_has_no_answer_key_but_its_groups() -> None:
    c = refuted("145 missiles", "70 missiles", type="words", require=[[70, "seventy"], ["missiles"]])
    assert c.correction is not None and c.correction.require == (("70", "seventy"), ("missiles",))
    assert c.correction.shown() == "70 / seventy + missiles"
    with pytest.raises(AssertionError):
        _ = c.correction_key


def test_what_a_report_shows_of_a_correction() -> None:
    c = refuted("300 miles", "123-mile", type="number", answer=123, unit="miles", aliases=["198 km"])
    assert c.correction is not None and c.correction.unit == "mi"
    assert c.correction.shown() == "123 mi (also: 198 km)"
    assert refuted("x", "y", type="date", answer="2014").correction.shown() == "2014"  # type: ignore[union-attr]


def test_several_evidence_quotes_are_the_claims_passages() -> None:
    c = refuted("300 miles", ["a 123-mile border", "198 kilometers"], type="number", answer=123)
    assert c.passages == ("a 123-mile border", "198 kilometers")
    assert Claim(id="n", claim="x", label="not_enough_info").passages == ()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"label": "refuted", "evidence": "e"}, "a refuted claim has no correction"),
        ({"label": "supported", "evidence": "e", "correction": {"type": "number", "answer": 1}},
         "only a refuted claim has a correction"),
        ({"label": "refuted", "evidence": ["e", ""], "correction": {"type": "number", "answer": 1}},
         "an evidence quote is empty"),
        ({"label": "refuted", "evidence": "e", "correction": {"type": "number"}}, "the correction has no answer"),
        ({"label": "refuted", "evidence": "e", "correction": {"type": "words"}}, "a words correction has no `require`"),
        ({"label": "refuted", "evidence": "e", "correction": {"type": "entity", "answer": "x", "require": [["y"]]}},
         "only a words correction has `require`"),
        ({"label": "refuted", "evidence": "e", "correction": {"type": "words", "require": [["y"]], "aliases": ["z"]}},
         "a words correction has no aliases"),
        ({"label": "refuted", "evidence": "e", "correction": {"type": "words", "require": [[]]}},
         "an OR-group is empty"),
        ({"label": "refuted", "evidence": "e", "correction": {"type": "entity", "answer": "x", "wrong": ["X"]}},
         "wrong contains 'X', which is the answer or an alias"),
        ({"label": "refuted", "evidence": "e", "correction": {"type": "number", "answer": 1, "wrong": [1]}},
         "wrong contains the answer 1"),
        ({"label": "refuted", "evidence": "e", "correction": {"type": "entity", "answer": "x", "unit": "km"}},
         "only a number has a unit"),
        ({"label": "refuted", "evidence": "e", "correction": {"type": "date", "answer": "April"}},
         "answer must be a date"),
    ],
)  # fmt: skip
def test_a_malformed_correction_says_what_is_wrong(data: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Claim.model_validate({"id": "c", "claim": "x", **data})


def test_a_words_correction_may_list_wrong_phrases_like_text() -> None:
    c = refuted("x", "y", type="words", require=[["a"]], wrong=["b"])
    assert c.correction is not None and c.correction.wrong == ("b",)


def test_a_correction_with_several_aliases_and_a_claim_with_several_quotes_in_a_report() -> None:
    from harness.goldens import Golden
    from harness.tasks.factcheck import TASK

    claim = {
        "id": "border",
        "claim": "300 miles",
        "label": "refuted",
        "evidence": ["a 123-mile border", "198 kilometers"],
        "correction": {"type": "number", "answer": 123, "unit": "mi", "aliases": ["198 km", "198 kilometres"]},
    }
    golden = Golden.model_validate({"seed": "s", "as_of": "2025-01-01", "claims": [claim]})
    view = TASK.view(golden, "border")
    assert view is not None
    assert view.expected == "refuted; correction: 123 mi (also: 198 km, 198 kilometres)"
    assert view.evidence == "a 123-mile border | 198 kilometers"


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ([[12, "twelve"], []], "an OR-group is empty | put at least one word in every [...] group"),
        ("12 killed", "require must be a list of lists of words | write e.g. [[12, twelve], [killed, dead]]"),
        ([12, "killed"], "require must be a list of lists of words | write e.g. [[12, twelve], [killed, dead]]"),
    ],
)
def test_word_groups_as_written(value: object, said: str) -> None:
    from harness.tasks.base import require_groups
    from harness.yaml_problems import FIX_MARK

    with pytest.raises(ValueError) as caught:
        require_groups(value)
    assert str(caught.value).replace(FIX_MARK, " | ") == said
    assert require_groups([[12, "twelve"], ("killed",)]) == (("12", "twelve"), ("killed",))
