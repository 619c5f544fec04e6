"""Denial: is a value mentioned only to be denied ("123 miles, not 300", "Madagascar; Morocco is not named")?

A mention is denied, inside its own clause (a full stop, semicolon, question or exclamation mark ends a
clause), when
- a negation or an attribution to the claim stands among the DENIAL_WINDOW words right before it: "not",
  "never", "rather than", "instead of", "as opposed to", a contraction ending in n't ("isn't"), "claim",
  "claims", "claimed" ("the claim says Morocco", "the claimed 300"); or
- a negated verb follows it within two words: "Morocco is not mentioned", "Solberg wasn't the PM".
Texts are read as written or folded for matching ("isn t"). The matcher asks only when the answer also
states a right form, so a bare denial ("not 300") is never a right answer by itself.
"""

from __future__ import annotations

import re

DENIAL_WINDOW = 4
_NOT = r"(?:\s+not|\s+never|n['\u2019]t|n t)(?!\w)"
_BEFORE = re.compile(
    r"(?<!\w)(?:not|never|rather than|instead of|as opposed to|claims?|claimed)(?!\w)"
    r"|n['\u2019]t(?!\w)|(?<=\wn) t(?!\w)",
    re.IGNORECASE,
)
_AFTER = re.compile(rf"^\W*(?:\w+\s+){{0,2}}?(?:is|are|was|were|do|does|did|has|have|had){_NOT}", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[.;!?](?:\s|$)")


def denied(text: str, start: int, end: int) -> bool:
    """Is the mention ``text[start:end]`` denied (see the module docstring)?"""
    clause = _CLAUSE_END.split(text[:start])[-1]
    window = " ".join(clause.split()[-DENIAL_WINDOW:])
    if _BEFORE.search(window):
        return True
    after = _CLAUSE_END.split(text[end:], maxsplit=1)[0]
    return _AFTER.match(after) is not None


def all_denied(text: str, spans: list[tuple[int, int]]) -> bool:
    """Is every mention (there is at least one) denied? A number a model gave on its own has no mention."""
    return bool(spans) and all(denied(text, start, end) for start, end in spans)
