"""Who said it: a statement a summary gives to a named speaker whom the article does not give it to.

A summary sentence attributes a statement when a name stands right before a reporting verb ("Støre
said", "Jonas Gahr Støre posted", "Macron also warned"; a title before the name is left out, a
pronoun is no name). The statement is what follows the verb up to the next attribution, and for the
sentence's first speaker also a quotation before it ("“Vladimir, STOP!” Trump wrote").

The statement is traced in the article by its content words (stems, stop words and the speaker left
out): the article sentences holding at least TRACE_SHARE of them, and at least TRACE_MIN, are where it
comes from. It is the speaker's when one of those sentences' paragraphs (a line of the article), or the
paragraph before, names the speaker: a word of the name (not a title) after folding, or a spelling
variant of one (same length +-1, one letter apart, six letters or more: "Zelenskiy" for "Zelenskyy").
A statement traced nowhere is no finding: the rule speaks only when it knows where the words come
from, so a paraphrase far from the article's words is never called misattributed.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import NamedTuple

from harness.matching.facts import Tokens, contains_tokens, split_sentences, tokens
from harness.matching.faithful import TITLES
from harness.matching.sentences import STOP
from harness.matching.text import for_matching

TRACE_SHARE = 0.6  # share of a statement's content words an article sentence must hold to be its source
TRACE_MIN = 3  # and at least this many of them
# Verbs that introduce what someone said ("rebuked Putin after the strikes" names an act, not a statement).
_VERBS = (
    "said|says|say|told|tells|wrote|writes|posted|posts|noted|notes|added|adds|warned|warns|described|describes|"
    "accused|accuses|argued|argues|insisted|insists|stated|claimed|claims|declared|declares|announced|announces|"
    "threatened|threatens|responded|replied|stressed|tweeted|vowed|pledged|promised"
)
_NAME = r"(?:[A-Z][\w\u2019'.-]*)(?:\s+(?:(?:of|de|del|von|van)\s+)?[A-Z][\w\u2019'.-]*)*"
_ATTRIBUTION = re.compile(
    rf"(?<![\w\u2019'-])({_NAME})\s+(?:(?:also|then|later|again|has|have|had|\w+ly)\s+){{0,2}}(?:{_VERBS})\b"
)
_PRONOUNS = frozenset("he she they it we i you this that there".split())
_OPENING = '\u201c"\u2018'
_QUOTATION = re.compile(r"\u201c([^\u201d]+)\u201d|\"([^\"]+)\"")
_STOP_TOKENS = frozenset(tokens(" ".join(STOP)))


def _surname(name: str) -> str | None:
    """The word of a name that identifies its bearer: its last ("Jonas Gahr Støre" -> "støre"), folded."""
    words = for_matching(re.sub(r"[\u2019']s\b", "", name)).split()
    return None if not words or words[-1] in _PRONOUNS or words[-1] in TITLES else words[-1]


def attributions(text: str) -> Iterator[tuple[str, str, str]]:
    """(speaker, statement, sentence) for every attribution in ``text`` (see the module docstring)."""
    for sentence in split_sentences(text):
        found = list(_ATTRIBUTION.finditer(sentence))
        for index, m in enumerate(found):
            if not _surname(m.group(1)):
                continue
            end = found[index + 1].start() if index + 1 < len(found) else len(sentence)
            before = sentence[: m.start()] if index == 0 and sentence[:1] in _OPENING else ""
            statement = f"{before} {sentence[m.end() : end]}"
            yield m.group(1), statement, sentence


class _Paragraph(NamedTuple):
    words: frozenset[str]  # folded, for names
    tokens: Tokens  # for quotations
    sentences: tuple[frozenset[str], ...]  # each sentence's tokens, for content words
    continues: bool  # opens with a quotation or a pronoun: its speaker may be named in the paragraph before


_Paragraphs = tuple[_Paragraph, ...]


@functools.lru_cache(maxsize=16)
def _paragraphs(article: str) -> _Paragraphs:
    """Each paragraph (line) of the article, read for names, quotations and content words."""
    return tuple(
        _Paragraph(
            frozenset(for_matching(line).split()),
            tokens(line),
            tuple(frozenset(tokens(s)) for s in split_sentences(line)),
            line.lstrip()[:1] in _OPENING or line.split()[0].lower() in _PRONOUNS,
        )
        for line in article.splitlines()
        if line.strip()
    )


def _variant(a: str, b: str) -> bool:
    """Two spellings of one name: six letters or more, one letter changed, added or dropped."""
    if a == b:
        return True
    if min(len(a), len(b)) < 6 or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _names(words: frozenset[str], name: str) -> bool:
    return any(_variant(name, w) for w in words if abs(len(name) - len(w)) <= 1)


def misattributed(summary: str, article: str) -> dict[str, str]:
    """Speaker -> the summary sentence that gives them a statement the article gives to someone else."""
    found: dict[str, str] = {}
    for speaker, statement, sentence in attributions(summary):
        paragraphs = _paragraphs(article)  # read once (cached), and only for a summary that attributes
        name = _surname(speaker) or ""
        sources = _sources(statement, name, paragraphs)
        if sources and not any(_names(paragraphs[j].words, name) for i in sources for j in _window(paragraphs, i)):
            found.setdefault(speaker, sentence)
    return found


def _window(paragraphs: _Paragraphs, index: int) -> tuple[int, ...]:
    """Where a paragraph's statements are attributed: itself, and the one before when it continues that one."""
    return (index - 1, index) if paragraphs[index].continues and index > 0 else (index,)


def _sources(statement: str, name: str, paragraphs: _Paragraphs) -> list[int]:
    """The paragraphs a statement comes from: those holding its quotations, else its content words."""
    quoted = [tokens(q) for pair in _QUOTATION.findall(statement) for q in pair if len(tokens(q)) >= 2]
    if quoted:
        return [i for i, p in enumerate(paragraphs) if any(contains_tokens(p.tokens, q) for q in quoted)]
    content = set(tokens(statement)) - _STOP_TOKENS - set(tokens(name))
    return [i for i, p in enumerate(paragraphs) if any(_traced(content, s) for s in p.sentences)]


def _traced(content: set[str], sentence: frozenset[str]) -> bool:
    shared = len(content & sentence)
    return shared >= TRACE_MIN and shared >= TRACE_SHARE * len(content)
