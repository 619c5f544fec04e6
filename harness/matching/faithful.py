"""Faithfulness by rules: the numbers and names a summary states that its article does not.

Numbers: every number the summary states (digits with separators and decimals, number words, "a
dozen", "five thousand", a percentage, a year) must be a number the article states, by value. The
day of a date is not checked ("April 24th"); its year is. An ordinal is no count ("the third attack").

Names: a name is a run of capitalised words ("Jonas Gahr Støre", "Truth Social", "NATO"), joined by
"of" or "de" inside ("Bank of England"). A run that starts a sentence loses its first word unless the
article or the summary writes that word capitalised inside a sentence ("Russia struck..." keeps
Russia, "The Kremlin..." drops The; a name written only at the start of a sentence is not seen).
A run is supported when the article states it after folding (case, accents, punctuation), when a
name the goldens know names it (``known``: their answers and aliases), or when several words have
initials the article writes as an acronym ("United States" for "U.S."). A run that is not supported
is split at titles (left out: "Norwegian Prime Minister Erna Solberg" -> "Norwegian", "Erna
Solberg"), at days and months (checked on their own: "Thursday" must be in the article too) and at
names the article states on their own, unless beside "of" ("Thursday Trump" -> "Thursday", "Trump";
"Bank of Spain" stays whole); the parts still not supported are listed.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from harness.matching.dates import find_dates, undated_numbers
from harness.matching.facts import split_sentences
from harness.matching.text import for_matching, has_words

_WORD = re.compile(r"[\w\u2019'.-]+")
_JOINERS = {"of", "de", "del", "la", "von", "van"}
TITLES = {
    "president", "prime", "minister", "secretary", "general", "chancellor", "king", "queen", "pope", "envoy",
    "adviser", "advisor", "spokesperson", "spokesman", "spokeswoman", "mr", "mrs", "ms", "dr", "gen", "sen",
}  # fmt: skip
_CALENDAR = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march",
    "april", "may", "june", "july", "august", "september", "october", "november", "december",
}  # fmt: skip


def _bare(word: str) -> str:
    """A word without a possessive or a full stop after it ("Trump's" -> "Trump")."""
    for end in ("\u2019s", "'s", ".", "\u2019", "'"):
        if word.endswith(end) and len(word) > len(end):
            return word[: -len(end)]
    return word


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


@functools.lru_cache(maxsize=16)
def _article_numbers(article: str) -> frozenset[float]:
    return frozenset(value for _, _, value in _numbers(article))


def _numbers(text: str) -> list[tuple[int, int, float]]:
    """(start, end, value) of the numbers ``text`` states, a date's year for the date (its day is left)."""
    dates = find_dates(text)
    years = [(s, e, float(date[0])) for s, e, date in dates]
    return sorted(years + undated_numbers(text, dates=dates))


def unsupported_numbers(summary: str, article: str) -> list[str]:
    """The numbers of ``summary`` the article does not state, as written, each once."""
    stated = _article_numbers(article)
    missing = [summary[s:e] for s, e, value in _numbers(summary) if value not in stated]
    return list(dict.fromkeys(missing))


@functools.lru_cache(maxsize=16)
def _inside_capitals(text: str) -> frozenset[str]:
    """Folded words a text writes capitalised inside a sentence: its names."""
    found: set[str] = set()
    for sentence in split_sentences(text):
        for word in _WORD.findall(sentence)[1:]:
            if _capitalised(word):
                found.add(for_matching(word))
    return frozenset(found)


def _runs(sentence: str, names: frozenset[str]) -> Iterable[list[str]]:
    """The capitalised runs of one sentence (see the module docstring)."""
    words = _WORD.findall(sentence)
    run: list[str] = []
    for index, word in enumerate(words):
        joins = run and word.lower() in _JOINERS and index + 1 < len(words) and _capitalised(words[index + 1])
        if _capitalised(word) or joins:
            if not run and index == 0 and for_matching(word) not in names:
                continue  # a sentence's first word is a name only when it is one inside a sentence
            run.append(word)
            continue
        if run:
            yield run
        run = []
    if run:
        yield run


def _supported(words: list[str], article: str, known: frozenset[str]) -> bool:
    folded = for_matching(" ".join(words))
    return not folded or has_words(for_matching(article), folded) or folded in known or _acronym(words, article)


def _acronym(words: list[str], article: str) -> bool:
    """Several words whose initials the article writes as an acronym ("United States" for "U.S.")."""
    initials = [w[0].upper() for w in words if _capitalised(w)]
    if len(initials) < 2:
        return False
    pattern = r"\.?".join(initials)
    return re.search(rf"(?<![\w.]){pattern}\.?(?![\w])", article) is not None


def _parts(words: list[str]) -> list[list[str]]:
    """A run split at titles (left out: "Prime Minister") and at days and months (kept on their own)."""
    parts: list[list[str]] = [[]]
    for word in words:
        folded = for_matching(word)
        if folded in TITLES or folded in _CALENDAR:
            parts += [[word] if folded in _CALENDAR else [], []]
            continue
        parts[-1].append(word)
    return [p for p in parts if p and any(_capitalised(w) for w in p)]


def unsupported_names(summary: str, article: str, known: Iterable[str] = ()) -> list[str]:
    """The names of ``summary`` neither the article nor ``known`` supports (see the module docstring)."""
    aliases = frozenset(for_matching(k) for k in known)
    names = _inside_capitals(article) | _inside_capitals(summary)
    missing: list[str] = []
    for sentence in split_sentences(summary):
        for run in _runs(sentence, names):
            run = [_bare(w) for w in run]
            if _supported(run, article, aliases):
                continue
            for part in _parts(run):
                if not _supported(part, article, aliases):
                    missing.extend(_split_known(part, article, aliases, names))
    return list(dict.fromkeys(missing))


def _split_known(part: list[str], article: str, known: frozenset[str], names: frozenset[str]) -> list[str]:
    """The unsupported names of a part, after taking out words the article states as names on their own
    (not one beside "of": "Bank of Spain" stays one name)."""
    out: list[list[str]] = [[]]
    for index, word in enumerate(part):
        beside = {w.lower() for w in part[max(0, index - 1) : index + 2]} & _JOINERS
        if not beside and for_matching(word) in names and _supported([word], article, known):
            out.append([])
        else:
            out[-1].append(word)
    return [" ".join(p) for p in out if p and not _supported(p, article, known)]
