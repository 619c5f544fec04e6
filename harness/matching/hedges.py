"""Words offered with "or" beside a right answer: a hedge, or a gloss (rule name_hedges).

"Lviv or Kyiv" offers two answers, and is wrong when only one is right. "The dialogue is called the
'book' or 'libretto'" and "Shalom means 'peace' or 'well-being'" gloss one answer with another word
for it, which people accept. With name_hedges, only a name offered beside a name is a hedge: both
written with a capital, as names are ("Erna Solberg or Jonas Gahr Støre", "Lviv or Kyiv"). A `wrong`
form offered beside the answer is a distractor whatever its case (answers.py).

The alternative is what "or" joins to the right form within its clause (up to a comma, a full stop, a
bracket or a quote), as many words as the right form has and two more: "Kyiv or Lviv, the capital"
offers "Lviv", not the rest of the answer.
"""

from __future__ import annotations

import re

from harness.matching.text import fold_accents, for_matching, for_quotes, has_words

_CLAUSE = r"[^,;:.!?()\[\]\"\n]"
_AFTER = re.compile(rf"^['\"\s]*,?\s*(?:or|nor)\s+['\"]?(?:either\s+)?(?P<other>{_CLAUSE}+)", re.IGNORECASE)
_BEFORE = re.compile(rf"(?P<other>{_CLAUSE}+?)['\"]?\s*,?\s+(?:or|nor)\s+['\"]?$", re.IGNORECASE)
_LEADING = re.compile(r"^(?:either|the|a|an)\s+", re.IGNORECASE)


def _written(text: str, hit: str) -> re.Pattern[str]:
    """The words of ``hit`` as they may be written in raw text: any punctuation between them, articles
    left out or not ("Reverse-Flash" for "reverse flash")."""
    words = [re.escape(w) for w in for_matching(hit).split()]
    return re.compile(r"(?<![^\W_])" + r"[\W_]+(?:(?:the|a|an)[\W_]+)?".join(words) + r"(?![^\W_])", re.IGNORECASE)


def _offered(raw: str, start: int, end: int, size: int) -> str | None:
    """The words "or" joins to the span start:end within its clause, at most ``size`` of them."""
    after = _AFTER.match(raw[end:])
    if after is not None:
        words = after.group("other").split()[:size]
    else:
        before = _BEFORE.search(raw[:start])
        if before is None:
            return None
        words = before.group("other").split()[-size:]
    other = _LEADING.sub("", " ".join(words)).strip(" '")
    return other or None


def alternative(text: str, hit: str, accepted: list[str], names_only: bool) -> str | None:
    """What ``text`` offers besides the right form ``hit`` ("A or B", "either B or A", "A/B"), folded;
    None when nothing is offered, when it is another accepted form ("Kyiv or Kiev" when both are
    accepted) or, with ``names_only``, when the two are not both written as names."""
    raw = fold_accents(for_quotes(text)).replace("/", " or ")
    size = len(for_matching(hit).split()) + 2
    for m in _written(raw, hit).finditer(raw):
        other = _offered(raw, m.start(), m.end(), size)
        if other is None or not for_matching(other):
            continue
        if any(has_words(for_matching(other), for_matching(a)) for a in accepted):
            continue
        if names_only and not (m.group(0)[:1].isupper() and other[:1].isupper()):
            continue
        return for_matching(other)
    return None
