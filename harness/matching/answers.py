"""Is a free-text answer right? The one matcher the qa task and `harness agree` share.

Its whole input is an ``AnswerKey`` (the type, the answer, aliases, wrong forms, tolerance, unit: no
item id, no evidence) and the answer's text (with the number a model gave on its own, and the
question). It returns a ``Match``: right or not, the rule that decided, and why in words.

In order:
1. the answer is repaired (footnote_marks, missing_space) and the key's forms read (forms.py);
2. each accepted form is looked for: a number within tolerance and of the key's unit (units), a date
   at the key's precision (year_of_date), or the words on word boundaries, written another way as the
   rules allow (reading.py: missing_space, compounds, initials, inflection, middle_names,
   name_suffixes, spelling_variants, number_words, key_parts, key_words, place_heads, lost_letters),
   or, for "give a year in...", any year of a key's span of years (year_spans);
3. a full date other than the key's is wrong, when only a year of the key was found (date_conflict);
4. a wrong form the answer states makes it wrong, unless it only passes by after a complete right
   answer (distractor_in_passing: entity and text forms only; numbers are never let pass);
5. a right form offered beside another as alternatives is a hedge, and wrong ("80 or 90", "Støre or
   Solberg"); a list of accepted numbers is not (number_lists), nor common words glossing each other
   (name_hedges: "'peace' or 'well-being'"), nor an accepted form stated whole ("the 2001-2002 season").
The rules are named in ``harness.matching.rules``; each can be switched off. docs/scoring.md states
every rule with an example and what each is worth against people's judgements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict

from harness.matching.dates import Date
from harness.matching.forms import DateForm, Form, NumberForm, WordsForm, forms_of, year_span
from harness.matching.hedges import alternative
from harness.matching.negation import all_denied
from harness.matching.numbers import same_number, show
from harness.matching.reading import Reading, words_found
from harness.matching.rules import ALL_RULES
from harness.matching.text import for_matching, has_words, token_f1, word_spans, word_starts

AnswerType = Literal["number", "entity", "text", "date", "boolean"]
Value = bool | int | float | str
TEXT_F1_THRESHOLD = 0.6


class AnswerKey(BaseModel):
    """What a right answer states. ``unit`` (number questions) binds the number to a unit of measure."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    type: AnswerType
    answer: Value
    aliases: tuple[Value, ...] = ()
    wrong: tuple[Value, ...] = ()
    tolerance: float = 0
    unit: str | None = None


@dataclass(frozen=True)
class Match:
    correct: bool
    rule: str  # the rule that decided: "number", "date", "contains", "hedge", "distractor", a rule name...
    reason: str


def match_answer(
    key: AnswerKey, text: str, *, value: float | None = None, question: str = "", rules: frozenset[str] = ALL_RULES
) -> Match:
    """The matcher's verdict on one answer (abstention is the caller's: see harness.matching.abstention)."""
    if key.type == "boolean":
        return _boolean(key, text)
    answer = Reading(text, value, rules, question)
    # Without form_kinds, number and date questions read their main answer only (the reading before it).
    main_only = key.type in ("number", "date") and "form_kinds" not in rules
    accepted = forms_of((key.answer,) if main_only else (key.answer, *key.aliases), key.type, key.unit, rules)
    wrong = forms_of(key.wrong, key.type, key.unit, rules)
    hit, hedge = _hit(answer, key, accepted, question)
    if "date_conflict" in rules and _by_year_only(hit) and _other_full_date(answer, accepted):
        return Match(False, "date_conflict", f"states another date than {_expected(key)}")
    distractor = _distractor(answer, key, wrong, hit)
    if distractor is not None:
        return distractor
    if hit is None:
        return _missed(answer, key, accepted)
    if hedge is not None:
        return hedge
    form, how = hit
    if isinstance(form, NumberForm):
        return Match(
            True, how, f"states {show(form.value)}" + (f" {form.unit}" if form.unit and how == "units" else "")
        )
    if isinstance(form, DateForm):
        return Match(True, how, f"states {_iso(form.date)}")
    return Match(True, how, f"contains {form.text!r}" + ("" if how == "contains" else f" ({how})"))


def _hit(
    answer: Reading, key: AnswerKey, accepted: tuple[Form, ...], question: str
) -> tuple[tuple[Form, str] | None, Match | None]:
    """The first accepted form the answer states that it does not hedge, and no hedge; else the first
    form it states and its hedge. "The 2001-2002 season" is right for 2002 with that alias, though
    "2001-2002" offers two years; a part of a hedged form ("Gahr Støre" of "Jonas Gahr Støre") is no
    way out of its hedge."""
    first: tuple[tuple[Form, str], Match] | None = None
    for form in accepted:
        if first is not None and has_words(for_matching(first[0][0].text), for_matching(form.text)):
            continue
        how = _found(answer, form, key, question)
        if how is None:
            continue
        hedge = _hedge(answer, form, accepted, key)
        if hedge is None:
            return (form, how), None
        first = first or ((form, how), hedge)
    return first if first is not None else (None, None)


def _found(answer: Reading, form: Form, key: AnswerKey, question: str) -> str | None:
    """How ``form`` is stated in the answer (the rule that found it), or None."""
    if isinstance(form, NumberForm):
        if any(_is_number(n, unit, form, key.tolerance, answer.rules) for n, unit in answer.numbers):
            return "units" if "units" in answer.rules and form.unit is not None else "number"
        return None
    if isinstance(form, DateForm):
        return next(
            (how for date in answer.dates if (how := _same_date(date, form.date, question, answer.rules))), None
        )
    if "year_spans" in answer.rules and _A_YEAR.search(question) and _year_in_span(answer, form.text):
        return "year_spans"
    return words_found(answer, form.text)


# "Give a year in the life of Raphael", "any year of his reign": any year of the key's span is right
_A_YEAR = re.compile(r"\b(?:a|any|one) year\b", re.IGNORECASE)


def _year_in_span(answer: Reading, text: str) -> bool:
    """A year of the key's span stated in the answer, and not as part of another span ("1563-1593" is not
    Marlowe's 1564-1593)."""
    span = year_span(text)
    if span is None:
        return False
    first, last = span

    def inside(value: float) -> bool:
        return first <= value <= last and value.is_integer()

    outside = [(start, end) for start, end, group in answer.hedges if not all(map(inside, group))]
    return any(inside(value) and not any(a <= s < b for a, b in outside) for s, _, value, _ in answer.written)


_ASKS_FOR_A_YEAR = re.compile(
    r"\b(?:what|which|in what|the) year\b|\byear (?:did|was|were|of)\b|^\W*when (?:did|was|were)\b", re.IGNORECASE
)


def _same_date(date: Date, key: Date, question: str, rules: frozenset[str]) -> str | None:
    """Every part the key states is the answer's ("date"); the answer's year alone when the question asks
    for a year or when a past event happened, "when did/was/were..." ("year_of_date"; not "when does": a
    schedule needs its day). Parts the key leaves out may be anything: a key of April 2025 accepts
    "April 24, 2025"."""
    if all(k is None or k == d for k, d in zip(key, date, strict=True)):
        return "date"
    if "year_of_date" in rules and date[1:] == (None, None) and date[0] == key[0] and _ASKS_FOR_A_YEAR.search(question):
        return "year_of_date"
    return None


def _distractor(answer: Reading, key: AnswerKey, wrong: tuple[Form, ...], hit: tuple[Form, str] | None) -> Match | None:
    """The first wrong form the answer states, unless it only passes by after the right answer or every
    mention of it is denied beside a right answer ("123 miles, not 300")."""
    denials = "distractor_denied" in answer.rules and hit is not None
    for form in wrong:
        if isinstance(form, NumberForm):
            if _found(answer, form, key.model_copy(update={"tolerance": 0}), "") is not None:
                if denials and all_denied(answer.text, _number_spans(answer, form)):
                    continue
                return Match(
                    False, "distractor", f"states the distractor {show(form.value)}; expected {_expected(key)}"
                )
        elif isinstance(form, DateForm):
            spans = [(start, end) for start, end, date in answer.dated if _same_date(date, form.date, "", frozenset())]
            if spans:
                if denials and all_denied(answer.text, spans):
                    continue
                return Match(False, "distractor", f"states the distractor {_iso(form.date)}; expected {_expected(key)}")
        elif has_words(answer.folded, for_matching(form.text)):
            if "distractor_in_passing" in answer.rules and hit and _in_passing(answer.folded, hit[0], form.text):
                continue
            if denials and all_denied(answer.folded, word_spans(answer.folded, for_matching(form.text))):
                continue
            return Match(False, "distractor", f"names the distractor {form.text!r}; expected {_expected(key)}")
    return None


def _is_number(value: float, unit: str | None, form: NumberForm, tolerance: float, rules: frozenset[str]) -> bool:
    """Is ``value`` written with ``unit`` the number ``form``: within tolerance, and of its unit (or of none)
    under the rule units?"""
    units = "units" in rules and form.unit is not None
    return same_number(value, form.value, tolerance) and (not units or unit in (None, form.unit))


def _number_spans(answer: Reading, form: NumberForm) -> list[tuple[int, int]]:
    """Where the answer's text states the number ``form`` exactly."""
    return [(s, e) for s, e, value, unit in answer.written if _is_number(value, unit, form, 0, answer.rules)]


# Words that join alternatives or a list rather than start a new thought: "Støre and Stoltenberg",
# "Støre, or maybe Stoltenberg" offer both; "Støre, who met Trump with Stoltenberg" names one.
_JOINERS = {"and", "or", "nor", "either", "maybe", "perhaps", "possibly", "probably", "also", "as", "well", "then"}


def _in_passing(folded: str, right: Form, wrong: str) -> bool:
    """The right words come first and other words than joiners stand between them and the wrong ones."""
    if not isinstance(right, WordsForm):
        return False
    right_words, wrong_words = for_matching(right.text), for_matching(wrong)
    first, later = next(word_starts(folded, right_words), -1), next(word_starts(folded, wrong_words), -1)
    end = first + len(right_words)
    if first < 0 or later < end:
        return False
    return any(word not in _JOINERS for word in folded[end:later].split())


def _stated_alone(answer: Reading, form: NumberForm, tolerance: float) -> bool:
    """Does the answer also state the number outside every group it offers as alternatives ("from 1931 to
    1934 ... killed on May 23, 1934")?"""
    return any(
        _is_number(value, unit, form, tolerance, answer.rules)
        and not any(start <= s < end for start, end, _ in answer.hedges)
        for s, _, value, unit in answer.written
    )


def _hedge(answer: Reading, form: Form, accepted: tuple[Form, ...], key: AnswerKey) -> Match | None:
    """The right form offered beside another as alternatives ("80 or 90", "Støre or Solberg")."""
    if isinstance(form, NumberForm):
        values = (
            [f.value for f in accepted if isinstance(f, NumberForm)] if "number_lists" in answer.rules else [form.value]
        )
        for _, _, group in answer.hedges:
            if any(same_number(n, form.value, key.tolerance) for n in group) and not all(
                any(same_number(n, v, key.tolerance) for v in values) for n in group
            ):
                if "committed_numbers" in answer.rules and _stated_alone(answer, form, key.tolerance):
                    break
                offered = ", ".join(show(n) for n in group[:4]) + (", ..." if len(group) > 4 else "")
                return Match(False, "hedge", f"hedges between {offered}; expected {_expected(key)}")
    if isinstance(form, WordsForm) and key.type == "entity":
        others = [f.text for f in accepted if isinstance(f, WordsForm)]
        other = alternative(answer.text, form.text, others, names_only="name_hedges" in answer.rules)
        if other is not None:
            return Match(False, "hedge", f"hedges between {form.text!r} and {other!r}; expected {_expected(key)}")
    return None


def _missed(answer: Reading, key: AnswerKey, accepted: tuple[Form, ...]) -> Match:
    """No accepted form found: token F1 may still accept a ``text`` answer; otherwise say what was there."""
    if key.type == "text":
        words = [f.text for f in accepted if isinstance(f, WordsForm)] or [str(key.answer)]
        f1 = max(token_f1(answer.text, w) for w in words)
        if f1 >= TEXT_F1_THRESHOLD:
            return Match(True, "token_f1", f"token F1 {f1:.2f} >= {TEXT_F1_THRESHOLD}")
        return Match(False, "token_f1", f"token F1 {f1:.2f} < {TEXT_F1_THRESHOLD}; expected {_expected(key)}")
    if key.type == "number":
        if not answer.numbers:
            return Match(False, "no_match", f"no number in the answer; expected {_expected(key)}")
        got = ", ".join(f"{show(n)} {unit}" if unit and key.unit else show(n) for n, unit in answer.numbers)
        return Match(False, "no_match", f"states {got}; expected {_expected(key)}")
    if key.type == "date":
        return Match(False, "no_match", f"no date matching {key.answer} in the answer")
    return Match(False, "no_match", f"expected {_expected(key)}")


def _by_year_only(hit: tuple[Form, str] | None) -> bool:
    """Was the answer found right by a year alone (a number, or a date key of a year)?"""
    if hit is None:
        return False
    form = hit[0]
    return isinstance(form, NumberForm) or (isinstance(form, DateForm) and form.date[1] is None)


def _other_full_date(answer: Reading, accepted: tuple[Form, ...]) -> bool:
    """The key has a full date, the answer states full dates, and none of them is the key's."""
    full = {f.date for f in accepted if isinstance(f, DateForm) and f.date[2] is not None}
    stated = {date for date in answer.dates if date[2] is not None}
    return bool(full and stated) and not (full & stated)


def _expected(key: AnswerKey) -> str:
    if isinstance(key.answer, int | float) and not isinstance(key.answer, bool):
        return show(key.answer) + (f" {key.unit}" if key.unit else "")
    return str(key.answer) if key.type == "date" else repr(key.answer)


def _iso(date: Date) -> str:
    return "-".join(f"{part:02d}" if i else f"{part:04d}" for i, part in enumerate(date) if part is not None)


_YES = re.compile(r"^\W*(?:yes|true|correct|it did|they did|he did|she did)\b", re.IGNORECASE)
_NO = re.compile(r"^\W*(?:no|false|incorrect|not|it did not|they did not|never)\b", re.IGNORECASE)
_BOTH = re.compile(r"^\W*(?:yes|no|true|false)(?:\s*/\s*|\W+(?:or|nor)\W+)(?:yes|no|true|false|not)\b", re.IGNORECASE)


def _boolean(key: AnswerKey, text: str) -> Match:
    """Yes/true against no/false at the start of the answer; both offered is a hedge."""
    if _BOTH.search(text):
        return Match(False, "hedge", "hedges between yes and no")
    said = True if _YES.search(text) else False if _NO.search(text) else None
    if said is None:
        return Match(False, "boolean", "the answer is neither yes nor no")
    word, expected = ("yes" if said else "no"), ("yes" if key.answer else "no")
    if said == bool(key.answer):
        return Match(True, "boolean", f"says {word}")
    if said in key.wrong:
        return Match(False, "distractor", f"says {word}, the distractor; expected {expected}")
    return Match(False, "boolean", f"says {word}; expected {expected}")
