"""A fact written as word groups: an AND of OR-groups ("[[70 missiles], [145 drones]]"), with wrong phrases.

What a qualitative correction of a claim must state, when no single number, date or name does. Each
group needs one of its words or phrases, read as a summary's key facts read them
(``harness.matching.facts``: numbers as numbers, "70" is "seventy"; words in their inflected forms);
a wrong phrase the text states makes it wrong, unless every mention of it is
denied (rule distractor_denied: "70 missiles, not 145 missiles"). The verdict is a ``Match`` like the
answer matcher's, so reports read both alike.
"""

from __future__ import annotations

from collections.abc import Sequence

from harness.matching.answers import Match
from harness.matching.facts import entries_stated
from harness.matching.negation import all_denied
from harness.matching.rules import ALL_RULES
from harness.matching.text import for_matching, word_spans


def match_groups(
    groups: Sequence[Sequence[str]], wrong: Sequence[str], text: str, rules: frozenset[str] = ALL_RULES
) -> Match:
    """Does ``text`` state one word of every group, and no wrong phrase (see the module docstring)?"""
    found = entries_stated(groups, text)
    for group, word in zip(groups, found, strict=True):
        if word is None:
            wanted = " or ".join(repr(w) for w in group[:3]) + (" or ..." if len(group) > 3 else "")
            return Match(False, "no_match", f"does not state {wanted}")
    folded = for_matching(text)
    for phrase in wrong:
        spans = word_spans(folded, for_matching(phrase))
        if spans and not ("distractor_denied" in rules and all_denied(folded, spans)):
            return Match(False, "distractor", f"names the distractor {phrase!r}")
    return Match(True, "words", "states " + ", ".join(repr(w) for w in found))
