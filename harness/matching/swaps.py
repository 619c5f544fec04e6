"""Swapped numbers: a fact's words put with the number of another quantity ("90 killed" when 12 were).

A key fact with a number binds it to its other words: in "[[12, twelve], [killed, dead]]" the number
group is [12, twelve] and the bound words are killed and dead. A clause of the summary swaps the fact
when it has a bound word and, at most SWAP_WINDOW words from it, a number the goldens give for another
quantity of the same article (an ``other`` number: another key fact's, a question's answer, a claim's
correction or evidence), and not the fact's own number there. A number followed by a noun of its own
("5000 soldiers are dying") counts that noun, not the fact; a bound word, a stop word or a noun that
counts anyone ("90 people were killed") after it leaves it bound.

A clause is a piece of a sentence between commas (not those inside a number: "5,000"), semicolons,
colons, dashes and brackets, and around "and", "but", "while" and "whereas". So "killing at least
90 people and injuring 12" has the clause "killing at least 90 people", which puts killing three
words from 90; "5000 soldiers a week are dying" puts 5000 four words from dying, too far to bind
(articles are not counted).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from harness.matching.facts import number_value, split_sentences, token_starts, tokens
from harness.matching.forms import read_number
from harness.matching.numbers import same_number
from harness.matching.sentences import STOP

SWAP_WINDOW = 3  # a number binds to a word at most this many tokens away (articles not counted)
_CLAUSE = re.compile(r",(?!\d)|[;:()\u2013\u2014]|\s(?:and|but|while|whereas)\s", re.IGNORECASE)
STOP_TOKENS = frozenset(tokens(" ".join(STOP)))
# Nouns that count anyone: "90 people were killed" binds 90 to killed; "5000 soldiers are dying" does not.
_ANYONE = frozenset(tokens("people persons civilians residents victims others more"))


def clauses(text: str) -> list[str]:
    """The clauses of every sentence of ``text`` (see the module docstring)."""
    return [c.strip() for sentence in split_sentences(text) for c in _CLAUSE.split(sentence) if c.strip()]


def number_of(groups: Sequence[Sequence[str]]) -> tuple[tuple[float, ...], list[Sequence[str]]]:
    """A fact's number (the values of its first group whose every entry is a number) and its other groups;
    no values when the fact has no such group."""
    for index, group in enumerate(groups):
        values = [form.value for entry in group if (form := read_number(entry)) is not None]
        if values and len(values) == len(group):
            return tuple(values), [g for i, g in enumerate(groups) if i != index]
    return (), list(groups)


def swapped(groups: Sequence[Sequence[str]], others: Collection[float], text: str) -> str | None:
    """The first clause of ``text`` that puts the fact's bound words with another quantity's number."""
    own, bound = number_of(groups)
    if not own or not bound:
        return None
    words = [tokens(entry) for group in bound for entry in group]
    foreign = [o for o in others if not any(same_number(o, v) for v in own)]
    for clause in clauses(text):
        found = tokens(clause)
        near = _near_bound_words(found, words)
        if not near:
            continue
        numbers = [
            value
            for i, t in enumerate(found)
            if (value := number_value(t)) is not None and i in near and not _counts_something_else(found, i, words)
        ]
        if any(same_number(n, v) for n in numbers for v in own):
            continue
        if any(same_number(n, o) for n in numbers for o in foreign):
            return clause
    return None


def _counts_something_else(found: tuple[str, ...], at: int, words: list[tuple[str, ...]]) -> bool:
    """Is the number at ``at`` followed by a noun of its own ("5000 soldiers"): a word that is none of the
    fact's words, no stop word and no noun that counts anyone ("people")?"""
    after = found[at + 1 : at + 2]
    if not after or number_value(after[0]) is not None or after[0] in _ANYONE or after[0] in STOP_TOKENS:
        return False
    return not any(found[at + 1 : at + 1 + len(w)] == w for w in words)


def _near_bound_words(found: tuple[str, ...], words: list[tuple[str, ...]]) -> set[int]:
    """Positions within SWAP_WINDOW tokens of a bound word in the clause."""
    near: set[int] = set()
    for w in words:
        for i in token_starts(found, w):
            near.update(range(max(0, i - SWAP_WINDOW), i + len(w) + SWAP_WINDOW))
    return near
