"""Abstention: an answer that declines ("not stated", "the article does not say", "unknown")."""

from __future__ import annotations

import re

_ABSTAIN = re.compile(
    r"\b(?:not (?:stated|mentioned|specified|provided|given|reported|say|said|clear|known)|"
    r"does ?n[o']t (?:say|state|mention|specify)|do not know|don'?t know|unknown|"
    r"no (?:information|mention|answer)|cannot (?:be )?(?:determined|answer|tell)|can'?t (?:tell|say)|"
    r"unanswerable|n/?a)\b",
    re.IGNORECASE,
)
# A long answer that mentions "not stated" in passing still answers.
DECLINE_MAX_CHARS = 120


def declines(answer: str) -> bool:
    """Does ``answer`` say the article does not give it, rather than give it?"""
    return bool(_ABSTAIN.search(answer)) and len(answer) < DECLINE_MAX_CHARS
