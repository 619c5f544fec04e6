"""The rules of a typed answer in a golden (harness.tasks.typed): every check, its message and its fix."""

from __future__ import annotations

import datetime as dt

import pytest

from harness.tasks.typed import check_aliases, check_answer, check_unit, check_wrong
from harness.yaml_problems import FIX_MARK

NUMBER_FIX = ' | list other accepted values as numbers, e.g. [90] or ["198 km"]'
DATE_FIX = ' | write dates as "YYYY-MM-DD", "YYYY-MM" or "YYYY"'
ONE_OF_TWO = "a yes/no question's wrong answer can only be the other one | write"
IS_ACCEPTED = ", which is the answer or an alias | remove it from `wrong` (or from `aliases`)"


def problem(call: object) -> str:
    """'message | fix' of the ValueError a check raises."""
    assert callable(call)
    with pytest.raises(ValueError) as caught:
        call()
    message, fix = str(caught.value).split(FIX_MARK)
    return f"{message} | {fix}"


@pytest.mark.parametrize(
    ("value", "kind", "result"),
    [
        (90, "number", 90),
        (2.5, "number", 2.5),
        ("Støre", "entity", "Støre"),
        ("a text", "text", "a text"),
        (True, "boolean", True),
        ("2014", "date", "2014"),
        ("2014-03", "date", "2014-03"),
        (dt.date(2014, 3, 18), "date", "2014-03-18"),
        (None, "number", None),
        ("anything", None, "anything"),
    ],
)
def test_an_answer_that_fits_its_type(value: object, kind: str | None, result: object) -> None:
    assert check_answer(value, kind) == result  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "kind", "said"),
    [
        ("90", "number", "answer must be a number, got '90' | write the number without quotes, e.g. 90"),
        (True, "number", "answer must be a number, got True | write the number without quotes, e.g. 90"),
        (90, "entity", "answer must be text, got 90 | write the answer as a string"),
        (1, "text", "answer must be text, got 1 | write the answer as a string"),
        ("yes", "boolean", "answer must be true or false, got 'yes' | write true or false"),
        ("March 2014", "date", 'answer must be a date, got \'March 2014\' | write "YYYY-MM-DD", "YYYY-MM" or "YYYY"'),
        (2014, "date", 'answer must be a date, got 2014 | write "YYYY-MM-DD", "YYYY-MM" or "YYYY"'),
    ],
)
def test_an_answer_of_another_type(value: object, kind: str, said: str) -> None:
    assert problem(lambda: check_answer(value, kind)) == said  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("values", "kind"),
    [
        ((90, 90.5, "198 km", "12%"), "number"),
        (("2014", "2014-03-18"), "date"),
        (("Støre",), "entity"),
        ((), "boolean"),
    ],
)
def test_aliases_that_fit(values: tuple[object, ...], kind: str) -> None:
    assert check_aliases(values, kind) == values  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("values", "kind", "said"),
    [
        (("far",), "number", "alias 'far' is not a number" + NUMBER_FIX),
        ((True,), "number", "alias True is not a number" + NUMBER_FIX),
        (("12 or 13",), "number", "alias '12 or 13' is not a number" + NUMBER_FIX),
        (("March",), "date", 'alias \'March\' is not a date'+DATE_FIX),
        ((2014,), "date", 'alias 2014 is not a date'+DATE_FIX),
        ((3,), "entity", "alias 3 is not text | write the alias as a string"),
        ((3,), "text", "alias 3 is not text | write the alias as a string"),
        ((True,), "boolean", "a yes/no question has no aliases | remove `aliases`"),
    ],
)  # fmt: skip
def test_aliases_of_another_type(values: tuple[object, ...], kind: str, said: str) -> None:
    assert problem(lambda: check_aliases(values, kind)) == said  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("values", "kind", "answer", "aliases"),
    [
        ((12, "300 mi"), "number", 90, ()),
        (("2022",), "date", "2014", ()),
        (("Solberg",), "entity", "Støre", ("Gahr Støre",)),
        ((False,), "boolean", True, ()),
        ((), "boolean", True, ()),
    ],
)
def test_wrong_forms_that_fit(
    values: tuple[object, ...], kind: str, answer: object, aliases: tuple[object, ...]
) -> None:
    assert check_wrong(values, kind, answer, aliases) == values  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("values", "kind", "answer", "aliases", "said"),
    [
        ((True,), "boolean", True, (), ONE_OF_TWO + " `wrong: [false]`"),
        (("no",), "boolean", False, (), ONE_OF_TWO + " `wrong: [true]`"),
        (("May",), "date", "2014", (), 'wrong value \'May\' is not a date'+DATE_FIX),
        (("far",), "number", 90, (), "wrong value 'far' is not a number | list numbers only, e.g. [12]"),
        ((True,), "number", 90, (), "wrong value True is not a number | list numbers only, e.g. [12]"),
        ((90,), "number", 90, (), "wrong contains the answer 90 | remove it from `wrong`"),
        (("STORE",), "entity", "Støre", (), "wrong contains 'STORE'" + IS_ACCEPTED),
        (("gahr store",), "text", "Støre", ("Gahr Støre",), "wrong contains 'gahr store'" + IS_ACCEPTED),
    ],
)  # fmt: skip
def test_wrong_forms_that_do_not(
    values: tuple[object, ...], kind: str, answer: object, aliases: tuple[object, ...], said: str
) -> None:
    assert problem(lambda: check_wrong(values, kind, answer, aliases)) == said  # type: ignore[arg-type]


def test_units() -> None:
    assert check_unit(None, "entity") is None
    assert check_unit("kilometres", "number") == "km"
    assert check_unit("Miles", "number") == "mi"
    assert (
        problem(lambda: check_unit("km", "entity")) == "only a number has a unit | remove `unit` or set `type: number`"
    )
    said = problem(lambda: check_unit("parsecs", "number"))
    assert said.startswith("unknown unit 'parsecs' | use one of %, acre, cm, day, deg, ft, g, gal, h, ha, in, kg, km")
