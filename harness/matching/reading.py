"""An answer's text as the rules read it, and the ways the words of a key may be written in it.

``Reading`` holds each reading of the answer (repaired text, folded words, numbers, dates, sentences),
made once, when a rule first needs it. ``words_found`` says how a key's words are in the answer: as
they are ("contains"), or written another way that a rule allows (the rule's name), in the order of
``_WAYS``. Each way is a reading a careful rater signs: the whole key is still there.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property

from harness.matching.cleanup import drop_footnote_marks, drop_non_ascii, glued, restore_spaces, unglue_years
from harness.matching.dates import Date, find_dates
from harness.matching.names import (
    has_variant,
    join_initials,
    joined_forms,
    person_name,
    plain_suffixes,
    same_initials,
    same_person,
    singulars,
    split_forms,
)
from harness.matching.numbers import find_numbers, hedge_groups, numerals
from harness.matching.parts import place_head, sentences, stated_in_parts, stated_in_words
from harness.matching.text import for_matching, has_words
from harness.matching.units import unit_after


class Reading:
    """An answer's text as the rules read it; each reading is made once, when first needed."""

    def __init__(self, text: str, value: float | None, rules: frozenset[str], question: str = "") -> None:
        self.rules = rules
        self.question = question
        text = drop_footnote_marks(text) if "footnote_marks" in rules else text
        self.text = unglue_years(text) if "missing_space" in rules else text
        self.value = value
        self.folded = for_matching(self.text)

    @cached_property
    def spaced(self) -> str:
        return for_matching(restore_spaces(self.text)) if "missing_space" in self.rules else self.folded

    @cached_property
    def numerals(self) -> str:
        return numerals(self.spaced)

    @cached_property
    def sentences(self) -> list[str]:
        return sentences(self.as_read(self.text))

    def as_read(self, text: str) -> str:
        """``text`` (the answer's or a key's) with lost spaces restored, as the sentences are read: a key's
        "YouTube" is then "You Tube" too."""
        return restore_spaces(text) if "missing_space" in self.rules else text

    @cached_property
    def written(self) -> list[tuple[int, int, float, str | None]]:
        """(start, end, value, unit) of every number the text states."""
        found = find_numbers(self.text, ordinals="ordinals" in self.rules, titles="titles_not_numbers" in self.rules)
        return [(start, end, value, _unit(self.text, end)) for start, end, value in found]

    @cached_property
    def numbers(self) -> list[tuple[float, str | None]]:
        """(value, unit) of every number the text states; the model's own ``value`` instead when given."""
        if self.value is not None:
            return [(self.value, None)]
        return [(value, unit) for _, _, value, unit in self.written]

    @cached_property
    def hedges(self) -> list[tuple[int, int, list[float]]]:
        """(start, end, values) of every group of numbers the text offers as alternatives."""
        return hedge_groups(self.text, ordinals="ordinals" in self.rules, titles="titles_not_numbers" in self.rules)

    @cached_property
    def dated(self) -> list[tuple[int, int, Date]]:
        """(start, end, date) of every date the text states."""
        return find_dates(self.text)

    @cached_property
    def dates(self) -> list[Date]:
        return [date for _, _, date in self.dated]


def _unit(text: str, end: int) -> str | None:
    written = unit_after(text, end)
    return None if written is None else written[0]


def _spaced(a: Reading, key: str, text: str) -> bool:
    return has_words(a.spaced, key) or has_words(a.spaced, for_matching(restore_spaces(text))) or glued(a.text, text)


def _compound(a: Reading, key: str, text: str) -> bool:
    return any(has_words(a.spaced, form) for form in [*joined_forms(key), *split_forms(key)])


def _initials(a: Reading, key: str, text: str) -> bool:
    joined = join_initials(key)
    return (joined != key and has_words(join_initials(a.spaced), joined)) or same_initials(a.spaced, key)


def _inflected(a: Reading, key: str, text: str) -> bool:
    return has_words(singulars(a.spaced), singulars(key))


def _person(a: Reading, key: str, text: str) -> bool:
    name = person_name(text)
    return name is not None and same_person(a.text, a.spaced, name)


def _suffixed(a: Reading, key: str, text: str) -> bool:
    plain, answer = plain_suffixes(key), plain_suffixes(a.spaced)
    return (plain != key or answer != a.spaced) and has_words(answer, plain)


def _variant(a: Reading, key: str, text: str) -> bool:
    return has_variant(a.spaced, key)


def _numbered(a: Reading, key: str, text: str) -> bool:
    written = numerals(key)
    if not any(w.isdigit() for w in written.split()) or all(w.isdigit() for w in written.split()):
        return False
    return has_words(a.numerals, written)


def _in_parts(a: Reading, key: str, text: str) -> bool:
    return stated_in_parts(a.sentences, a.as_read(text), a.question)


def _in_words(a: Reading, key: str, text: str) -> bool:
    return stated_in_words(a.sentences, a.as_read(text), a.question)


def _place(a: Reading, key: str, text: str) -> bool:
    head = place_head(text, a.question)
    return head is not None and has_words(a.spaced, for_matching(head))


def _lost_letters(a: Reading, key: str, text: str) -> bool:
    """A key that lost its letters outside ASCII ("Lszl Br") against the answer's words without them."""
    return not a.text.isascii() and text.isascii() and has_words(for_matching(drop_non_ascii(a.text)), key)


# The other ways words may be written, tried in order when the folded key is not in the folded answer.
_WAYS: tuple[tuple[str, Callable[[Reading, str, str], bool]], ...] = (
    ("missing_space", _spaced),
    ("compounds", _compound),  # "beekeeper" for "bee keeper"
    ("initials", _initials),
    ("inflection", _inflected),
    ("middle_names", _person),
    ("name_suffixes", _suffixed),  # "Harry Connick Jr." for "Harry Connick Jnr"
    ("spelling_variants", _variant),
    ("number_words", _numbered),  # "season 4" for "season four"
    ("key_parts", _in_parts),  # "Michigan in Ann Arbor" for "Ann Arbor, Michigan"
    ("key_words", _in_words),  # "the longest fall survived in an elevator"
    ("place_heads", _place),  # "Baltimore" for "Baltimore, Maryland" (where...?)
    ("lost_letters", _lost_letters),  # "László Bíró" for a key damaged to "Lszl Br"
)


def words_found(answer: Reading, text: str) -> str | None:
    """How the words ``text`` are in the answer: "contains", or the rule that found them another way."""
    key = for_matching(text)
    if has_words(answer.folded, key):
        return "contains"
    return next((rule for rule, found in _WAYS if rule in answer.rules and found(answer, key, text)), None)
