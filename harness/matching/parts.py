"""A key of several parts, stated part by part in one sentence (rule key_parts).

"Ann Arbor, Michigan" is stated by "It started at the University of Michigan in Ann Arbor", "the
churches of Galatia" by "written to the churches in Galatia", "Green, White, Orange" by "green, white,
and orange". A key splits into parts at commas, semicolons, "and", "&", brackets, and the words "in",
"at", "on"; and at "of" after a common word ("churches of Galatia"), never inside a name ("Bank of
England"). Every part must be in one sentence of the answer, in any order: the whole key is there, only
its parts are arranged another way. Two guards keep it careful: a key that reads as a date or a number
is not split ("August 19, 2016" is one date), and parts that all echo the question prove nothing ("India
and Pakistan border" for "what is the name of the India-Pakistan border?").

A key of three content words or more (rule key_words) is stated when every one of them is in one
sentence of the answer, in any order, other words between them: "the longest fall survived in an
elevator" for "The longest survived fall in an elevator", "King Laius and Queen Jocasta of Thebes" for
"Laius, King of Thebes, and his queen, Jocasta". A key of five content words or more is a description
more than a name, and may miss one ("attempting to steal the Crown Jewels from the Tower of London" for
"Trying to steal..."), but never a one-word item of a list ("Google, Facebook, YouTube, Yahoo"). Two
content words are too few ("Germany is part of Central Europe" is not "Central Germany"), and a key with
digits is left to the numbers and dates.

A question that asks where (rule place_heads) is answered by the first, most specific part of a place
key: "Baltimore" for "Baltimore, Maryland", "RAF Coningsby" for "RAF Coningsby in Lincolnshire"; never
by the region alone ("Maryland"), and not for other questions ("Voight, John", "Green, White, Orange").
"""

from __future__ import annotations

import functools
import re

from harness.matching.forms import read_date, read_number
from harness.matching.names import singulars
from harness.matching.sentences import STOP
from harness.matching.text import for_matching, has_words

_SPLIT = re.compile(r"\s*[,;&]\s*(?:and\s+)?|\s+and\s+|\s*[()]\s*|\s+(?:in|at|on)\s+", re.IGNORECASE)
_OF = re.compile(r"\s+of\s+", re.IGNORECASE)
_LEAD = re.compile(r"^\s*(?:(?:of|in|at|on|the)\s+)+", re.IGNORECASE)  # "Jeff, of Mutt and Jeff"; "in Stockholm"
_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")


def _one_value(key: str) -> bool:
    """Does ``key`` read as one date or one number, with nothing else (forms.py's own readings)?"""
    return read_date(key) is not None or read_number(key) is not None


@functools.lru_cache(maxsize=4096)
def key_parts(key: str) -> tuple[str, ...]:
    """The parts of ``key`` (raw), folded and singular, when it has two or more; else ()."""
    if _one_value(key):
        return ()
    pieces = [_LEAD.sub("", p) for piece in _SPLIT.split(key) if piece for p in _split_of(piece)]
    parts = tuple(dict.fromkeys(part for p in pieces if (part := singulars(for_matching(p)))))
    return parts if len(parts) >= 2 else ()


def _split_of(piece: str) -> list[str]:
    """``piece`` split at each "of" after a common word ("churches of Galatia"), not after a word of a name
    ("Bank of England")."""
    pieces = [piece]
    for m in reversed(list(_OF.finditer(piece))):
        before = piece[: m.start()].split()
        if before and before[-1][:1].islower():
            head = pieces.pop(0)
            pieces[:0] = [head[: m.start()], head[m.end() :]]
    return pieces


ITEM = 4  # words at most: pieces this short are the items of a list ("1. Ecuador\n2. Colombia\n3. Brazil")


def sentences(text: str) -> list[str]:
    """The sentences of an answer's text, each folded and singular; a list's items also as one sentence."""
    found = [singulars(for_matching(s)) for s in _SENTENCE.split(text) if s.strip()]
    if len(found) > 1 and all(len(s.split()) <= ITEM for s in found):
        found.append(" ".join(found))
    return found


def stated_in_parts(answer_sentences: list[str], key: str, question: str) -> bool:
    """Every part of ``key`` is in one of ``answer_sentences``, and not every part echoes the question."""
    parts = key_parts(key)
    if not parts:
        return False
    asked = singulars(for_matching(question))
    if all(has_words(asked, part) for part in parts):
        return False
    return any(all(has_words(sentence, part) for part in parts) for sentence in answer_sentences)


KEY_WORDS = 3  # content words a key needs before its words may be found apart
LONG_KEY = 5  # content words from which a key, a description more than a name, may miss one


@functools.lru_cache(maxsize=4096)
def content_words(key: str) -> tuple[str, ...]:
    """The content words of ``key`` (raw), folded and singular, when there are KEY_WORDS or more and no
    digit; else ()."""
    if any(c.isdigit() for c in key):
        return ()
    words = tuple(dict.fromkeys(w for w in singulars(for_matching(key)).split() if w not in STOP))
    return words if len(words) >= KEY_WORDS else ()


def stated_in_words(answer_sentences: list[str], key: str, question: str) -> bool:
    """Every content word of ``key`` is in one of ``answer_sentences``, and not all of them echo the question."""
    words = content_words(key)
    if not words:
        return False
    asked = set(singulars(for_matching(question)).split())
    if all(w in asked for w in words):
        return False
    missable = 1 if len(words) >= LONG_KEY else 0
    items = set(key_parts(key))  # a list's one-word item is never the word a description may miss
    for said in map(set, map(str.split, answer_sentences)):
        missing = [w for w in words if w not in said]
        if len(missing) <= missable and not items & set(missing) and any(w in said and w not in asked for w in words):
            return True
    return False


_WHERE = re.compile(
    r"^\W*where\b|\b(?:which|what) (?:city|town|village|place|country|state|county|province|region|island|"
    r"venue|stadium|location)\b",
    re.IGNORECASE,
)
_NAME_WORD = r"(?:[A-Z][\w'.-]*|of|the|de|upon|on)"
_PLACE = re.compile(
    rf"^(?:(?:in|at|on)\s+)?(?:the\s+)?(?P<head>[A-Z][\w'.-]*(?:\s+{_NAME_WORD})*?)(?:,\s*|\s+(?:in|at|on)\s+)[A-Z]"
)


def place_head(key: str, question: str) -> str | None:
    """The first part of a place key ("Baltimore" of "Baltimore, Maryland") when the question asks where;
    else None. A list ("Paris and Lyon") or a date is no place."""
    if not _WHERE.search(question) or " and " in key or "&" in key or _one_value(key):
        return None
    m = _PLACE.match(key)
    return m.group("head") if m else None
