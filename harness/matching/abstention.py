"""Abstention: an answer that declines ("not stated", "the article does not say", "unknown")."""

from __future__ import annotations

import re

_ABSTAIN = re.compile(
    r"\b(?:not (?:stated|mentioned|specified|provided|given|reported|say|said|clear|known)|"
    r"(?:does|did|do) ?n[o']t (?:say|state|mention|specify|give|provide|report|reveal|disclose)|"
    r"do not know|don'?t know|unknown|"
    r"no (?:information|mention|answer)|cannot (?:be )?(?:determined|answer|tell)|can'?t (?:tell|say)|"
    r"unanswerable)\b"
    r"|^\W*n/?a\W*$",  # "N/A" or "NA" as the whole answer: the word "na" inside a title is no abstention
    re.IGNORECASE,
)
# A long answer that mentions "not stated" in passing still answers.
DECLINE_MAX_CHARS = 120


def declines(answer: str) -> bool:
    """Does ``answer`` say the article does not give it, rather than give it?"""
    return bool(_ABSTAIN.search(answer)) and len(answer) < DECLINE_MAX_CHARS
