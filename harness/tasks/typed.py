"""A typed answer as a golden writes it: a question's answer, a refuted claim's correction.

The checks here are the format's rules for ``answer``, ``aliases``, ``wrong`` and ``unit`` given the
``type``; the qa task's ``Question`` and the factcheck task's ``Correction`` both run them, so a golden
author meets one set of rules and one wording of every fix. Each raises ``invalid`` (file, line, item
and field are added by the loader).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from harness.matching.forms import read_number
from harness.matching.text import for_matching
from harness.matching.units import UNITS, unit_of
from harness.tasks.base import invalid

Answer = bool | int | float | str
TYPES_HINT = "number, entity, text, date, boolean"
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_DATE_FIX = 'write dates as "YYYY-MM-DD", "YYYY-MM" or "YYYY"'


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_number_form(value: object) -> bool:
    """A number, or text that is one number with its unit ("198 km")."""
    return _is_number(value) or (isinstance(value, str) and read_number(value) is not None)


def number_values(values: Iterable[Answer | dt.date | None]) -> list[float]:
    """The numbers a number key's values state: 90 is 90, "198 km" is 198; anything else none."""
    return [form.value for v in values if not isinstance(v, bool) and (form := read_number(str(v))) is not None]


def check_answer(value: Answer | dt.date | None, kind: str | None) -> Answer | None:
    """The answer fits its type; a date comes back as ISO text."""
    if value is None:
        return None
    if kind == "number" and not _is_number(value):
        raise invalid(f"answer must be a number, got {value!r}", "write the number without quotes, e.g. 90")
    if kind in ("entity", "text") and not isinstance(value, str):
        raise invalid(f"answer must be text, got {value!r}", "write the answer as a string")
    if kind == "boolean" and not isinstance(value, bool):
        raise invalid(f"answer must be true or false, got {value!r}", "write true or false")
    if kind == "date":
        if isinstance(value, dt.date):
            return value.isoformat()
        if not (isinstance(value, str) and _DATE.match(value)):
            raise invalid(f"answer must be a date, got {value!r}", 'write "YYYY-MM-DD", "YYYY-MM" or "YYYY"')
    assert not isinstance(value, dt.date)
    return value


def check_aliases(values: tuple[Answer, ...], kind: str | None) -> tuple[Answer, ...]:
    """Every alias fits the type (a number's alias may carry its own unit: "198 km")."""
    for alias in values:
        if kind == "number" and not _is_number_form(alias):
            raise invalid(
                f"alias {alias!r} is not a number", 'list other accepted values as numbers, e.g. [90] or ["198 km"]'
            )
        if kind == "date" and not (isinstance(alias, str) and _DATE.match(alias)):
            raise invalid(f"alias {alias!r} is not a date", _DATE_FIX)
        if kind in ("entity", "text") and not isinstance(alias, str):
            raise invalid(f"alias {alias!r} is not text", "write the alias as a string")
        if kind == "boolean":
            raise invalid("a yes/no question has no aliases", "remove `aliases`")
    return values


def check_wrong(
    values: tuple[Answer, ...], kind: str | None, answer: object, aliases: tuple[Answer, ...]
) -> tuple[Answer, ...]:
    """Every wrong form fits the type and is not the answer or an alias."""
    if kind == "boolean" and any(not isinstance(d, bool) or d == answer for d in values):
        raise invalid(
            "a yes/no question's wrong answer can only be the other one", f"write `wrong: [{str(not answer).lower()}]`"
        )
    for distractor in values:
        if kind == "date" and not (isinstance(distractor, str) and _DATE.match(distractor)):
            raise invalid(f"wrong value {distractor!r} is not a date", _DATE_FIX)
        if kind == "number":
            if not _is_number_form(distractor):
                raise invalid(f"wrong value {distractor!r} is not a number", "list numbers only, e.g. [12]")
            if _is_number(answer) and distractor == answer:
                raise invalid(f"wrong contains the answer {answer!r}", "remove it from `wrong`")
        elif kind != "boolean":
            accepted = [answer, *aliases]
            if any(isinstance(a, str) and for_matching(str(distractor)) == for_matching(a) for a in accepted):
                raise invalid(
                    f"wrong contains {distractor!r}, which is the answer or an alias",
                    "remove it from `wrong` (or from `aliases`)",
                )
    return values


def check_unit(value: str | None, kind: str | None) -> str | None:
    """A known unit of a number, folded to its short name ("kilometres" -> "km")."""
    if value is None:
        return None
    if kind != "number":
        raise invalid("only a number has a unit", "remove `unit` or set `type: number`")
    unit = unit_of(value)
    if unit is None:
        raise invalid(f"unknown unit {value!r}", f"use one of {', '.join(sorted(set(UNITS.values())))}")
    return unit
