"""Facts stated in a text, sentence by sentence: word groups read as numbers, inflected words and phrases.

A fact is an AND of OR-groups of entries ("[[12, twelve], [killed, dead]]"). A sentence states it when
every group has an entry in that sentence; a fact of scope ``text`` may take its groups from anywhere in
the text (for a fact that truly spans sentences). An entry is found in a sentence when its words appear
there in a row, each read as what it is:
- a number however written: "12" is "12", "twelve" and "a dozen", never "120", "1,200" or "12.5";
  "five thousand" is 5000 (``harness.matching.numbers.find_numbers``; a year is its number);
- any other word after folding (case, accents, punctuation, articles) in any inflected form: words
  with the same Snowball stem are one word ("injure" = injured, injuring, injures), and a stem's final
  "i" is dropped so "injuries" and "injure" meet too. A fact marked ``exact`` matches its words as
  written ("Putin halted" is not "demanded that Putin halt").

Sentences (``split_sentences``): a text splits after ".", "!" or "?" (and any closing quote or bracket)
followed by white space and a capital, a digit or an opening quote or bracket ("“Vladimir, STOP!” after
the strikes" is one sentence), unless the word before is an abbreviation: capitals with dots ("U.S.", "D.C.")
or a title ("Mr.", "Gen.", "Sen."); a quote that ends its sentence ("Gahr Støre said 'stop.'") ends it
there, but a sentence that is all one quotation runs on into its attribution ("“Vladimir, STOP!” Trump
wrote."). Line breaks always end a sentence.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Literal

import snowballstemmer

from harness.matching.numbers import find_numbers, show
from harness.matching.text import for_matching

Scope = Literal["sentence", "text"]
Tokens = tuple[str, ...]

_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*(?=\s+[A-Z0-9\"'\u201c\u2018(\[]|\s*$)")
_ABBREVIATION = re.compile(
    r"(?:\b(?:[A-Za-z]\.){2,}|\b(?:Mr|Mrs|Ms|Dr|Gen|Sen|Rep|Gov|Lt|Col|Capt|Sgt|Prof|St|Jr|Sr|No|vs|etc|Inc|Co)\.)$"
)
_STEMMER = snowballstemmer.stemmer("english")


def split_sentences(text: str) -> tuple[str, ...]:
    """The sentences of ``text``, each stripped, in order (see the module docstring)."""
    found: list[str] = []
    for line in text.splitlines():
        start = 0
        for m in _END.finditer(line):
            piece = line[start : m.end()].strip()
            if _ABBREVIATION.search(line[start : m.start() + 1]) or _only_a_quotation(piece):
                continue
            found.append(line[start : m.end()].strip())
            start = m.end()
        found.append(line[start:].strip())
    return tuple(s for s in found if s)


def _only_a_quotation(piece: str) -> bool:
    """A piece that is all one quotation ("“Vladimir, STOP!”") runs on into its attribution ("Trump wrote")."""
    if piece.startswith("\u201c"):
        return piece.count("\u201c") == 1 and piece.endswith("\u201d")
    return piece.startswith('"') and piece.count('"') == 2 and piece.endswith('"')


@functools.lru_cache(maxsize=8192)
def _stem(word: str) -> str:
    stem: str = _STEMMER.stemWord(word)
    return stem[:-1] if len(stem) > 3 and stem.endswith("i") else stem


def _number_token(value: float) -> str:
    return "num" + show(value).replace(".", "_").replace("-", "minus")


@functools.lru_cache(maxsize=4096)
def tokens(text: str, inflect: bool = True) -> Tokens:
    """``text`` as the tokens facts are matched on: numbers as their value, other words as stems (or as
    folded, without ``inflect``)."""
    parts, end = [], 0
    for start, stop, value in find_numbers(text, titles=True):
        parts += [text[end:start], f" {_number_token(value)} "]
        end = stop
    parts.append(text[end:])
    words = for_matching("".join(parts)).split()
    return tuple(w if not inflect or number_value(w) is not None else _stem(w) for w in words)


def number_value(token: str) -> float | None:
    """The number a token stands for ("num12_5" -> 12.5); None for a word."""
    if not (token.startswith("num") and token[3:4].isdigit()):
        return None
    return float(token[3:].replace("_", "."))


def token_starts(haystack: Tokens, needle: Tokens) -> list[int]:
    """Where ``needle`` occurs in ``haystack`` as a run of tokens."""
    size = len(needle)
    return [i for i in range(len(haystack) - size + 1) if size and haystack[i : i + size] == needle]


def contains_tokens(haystack: Tokens, needle: Tokens) -> bool:
    """``needle`` occurs in ``haystack`` as a run of tokens."""
    return bool(token_starts(haystack, needle))


def entries_stated(groups: Sequence[Sequence[str]], text: str, inflect: bool = True) -> list[str | None]:
    """For each group, the first of its entries ``text`` states (None when it states none)."""
    found = tokens(text, inflect)
    return [next((e for e in group if contains_tokens(found, tokens(e, inflect))), None) for group in groups]


def states_groups(groups: Sequence[Sequence[str]], text: str, inflect: bool = True) -> bool:
    """Does ``text`` have an entry of every group?"""
    return all(entry is not None for entry in entries_stated(groups, text, inflect))


def stating_sentence(
    groups: Sequence[Sequence[str]], text: str, scope: Scope = "sentence", inflect: bool = True
) -> str | None:
    """The first sentence of ``text`` that states the fact (the whole text for scope ``text`` when no one
    sentence does); None when the text does not state it. Without ``inflect`` words match as written."""
    for sentence in split_sentences(text):
        if states_groups(groups, sentence, inflect):
            return sentence
    if scope == "text" and states_groups(groups, text, inflect):
        return " ".join(split_sentences(text))
    return None


def nearest_sentence(groups: Sequence[Sequence[str]], text: str) -> str | None:
    """The sentence of ``text`` sharing the most words (as tokens) with the fact's entries, for a reader who
    wants to see how close a summary came to a fact it missed; None when no sentence shares one."""
    wanted = {t for group in groups for entry in group for t in tokens(entry)}
    best, score = None, 0
    for sentence in split_sentences(text):
        shared = len(wanted & set(tokens(sentence)))
        if shared > score:
            best, score = sentence, shared
    return best
