"""Ways one name or phrase is written differently: initials, inflection, middle names, spelling
variants (rules initials, inflection, middle_names and spelling_variants in
harness/matching/rules.py). Every function takes text already folded by ``for_matching`` unless it
says otherwise, and each is a reading a careful rater signs: the whole key is still there, only
written another way. None accepts part of a key ("Lagos" for "Lagos State") or any last name alone.
"""

from __future__ import annotations

import re

from harness.matching.text import fold_accents, for_matching


def join_initials(folded: str) -> str:
    """Single letters in a row become one word: "p v sindhu" -> "pv sindhu" (so "P. V." = "PV")."""
    return re.sub(r"\b([a-z0-9])(?: (?=[a-z0-9]\b))", r"\1", folded)


def same_initials(folded_answer: str, folded_key: str) -> bool:
    """One side writes the given names as initials, the other in full, with the same last name:
    "B. R. Ambedkar" = "Bhimrao Ramji Ambedkar", "John Ronald Reuel Tolkien" = "J. R. R. Tolkien"."""
    words = folded_key.split()
    if len(words) < 3 or len(words[-1]) < 2:  # two given names at least: "J. Braddock" is too little
        return False
    given, last = words[:-1], re.escape(words[-1])
    if all(len(w) == 1 for w in given):  # the key has initials: the answer spells them out
        spelled = " ".join(rf"{re.escape(w)}[a-z]+" for w in given)
        return re.search(rf"(?<!\S){spelled} {last}(?!\S)", folded_answer) is not None
    if all(len(w) >= 2 for w in given):  # the key spells them out: the answer has initials
        initials = " ?".join(re.escape(w[0]) for w in given)
        return re.search(rf"(?<!\S){initials} {last}(?!\S)", folded_answer) is not None
    return False


def joined_forms(folded_key: str) -> list[str]:
    """The key with two neighbouring words written as one, and with all of them as one: "bee keeper" ->
    "beekeeper"; "abid ali neemuchwala" -> "abidali neemuchwala", ... (keys of 2-4 words, words of letters)."""
    words = folded_key.split()
    if not 2 <= len(words) <= 4:
        return []
    join = [i for i in range(len(words) - 1) if _wordlike(words[i]) and _wordlike(words[i + 1])]
    pairs = [" ".join([*words[:i], words[i] + words[i + 1], *words[i + 2 :]]) for i in join]
    whole = ["".join(words)] if all(map(_wordlike, words)) else []
    return list(dict.fromkeys([*pairs, *whole]))


def split_forms(folded_key: str) -> list[str]:
    """A one-word key of eight letters or more split in two words of three letters or more, every way:
    "robertbrowning" -> "rob ertbrowning", ..., "robert browning", ... (a key that lost its space)."""
    if " " in folded_key or len(folded_key) < 8 or not folded_key.isalpha():
        return []
    return [f"{folded_key[:i]} {folded_key[i:]}" for i in range(3, len(folded_key) - 2)]


_SUFFIXES = {"jnr": "jr", "junior": "jr", "snr": "sr", "senior": "sr"}


def plain_suffixes(folded: str) -> str:
    """A name's "Junior"/"Jnr" as "jr" and "Senior"/"Snr" as "sr": "harry connick jnr" -> "harry connick jr"."""
    return " ".join(_SUFFIXES.get(w, w) for w in folded.split())


def _wordlike(word: str) -> bool:
    """Letters, two or more: initials are the initials rule's, and digits are numbers ("1 000")."""
    return len(word) >= 2 and word.isalpha()


def singular(word: str) -> str:
    """A plain English singular: "membranes" -> "membrane", "cities" -> "city", "boxes" -> "box".
    Words of three letters or fewer, and "-ss", "-us", "-is" endings, are left as they are."""
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def singulars(folded: str) -> str:
    """Every word singular, and the "s" a possessive leaves after folding dropped ("Cassini's" -> "cassini")."""
    return " ".join(singular(w) for w in folded.split() if w != "s")


_NAME_WORD = re.compile(r"^[A-Z][\w'\u2019.-]*$")
_NOT_IN_NAMES = {"of", "the", "and", "in", "on", "for", "at", "by", "to"}


def person_name(key: str) -> list[str] | None:
    """The folded words of ``key`` (raw text) when it reads as a person's name: 2-5 capitalised words,
    no digits, no "of"/"the"/"and"; else None. "Rachel Sarah Bilson" is one; "Bank of England" is not."""
    words = key.replace(",", " ").split()
    if not 2 <= len(words) <= 5 or not all(_NAME_WORD.match(w) for w in words):
        return None
    if any(w.lower() in _NOT_IN_NAMES or any(c.isdigit() for c in w) for w in words):
        return None
    folded = for_matching(key).split()
    return folded if len(folded) >= 2 else None


def same_person(answer: str, folded_answer: str, name: list[str]) -> bool:
    """The answer names the person of ``name`` (the key's folded words) with its first and last name
    and, between them, the key's middle names as they are, as initials, or left out, and perhaps names
    the key leaves out, written as names in the raw ``answer``: "Rachel Bilson" and "Rachel S. Bilson"
    for "Rachel Sarah Bilson", "James J. Braddock" for "James Braddock". A middle initial is never left
    out ("George Bush" is not "George W. Bush"), and a last name alone never counts."""
    first, middle, last = re.escape(name[0]), name[1:-1], re.escape(name[-1])
    for m in re.finditer(rf"(?<!\S){first}((?: \S+){{0,3}}) {last}(?!\S)", folded_answer):
        if _fits(m.group(1).split(), middle, answer):
            return True
    return False


def _fits(between: list[str], middle: list[str], answer: str) -> bool:
    """The answer's words between first and last name account for the key's middle names."""
    rest = list(between)
    for word in middle:
        if rest and (rest[0] == word or (len(rest[0]) == 1 and rest[0] == word[0])):
            rest.pop(0)
        elif len(word) == 1:
            return False  # an initial the answer leaves out may be another person's
    return all(_written_as_name(answer, w) for w in rest)


def _written_as_name(answer: str, folded_word: str) -> bool:
    """Is the word capitalised somewhere in the raw answer (a name or an initial, not a common word)?"""
    head, tail = re.escape(folded_word[:1].upper()), re.escape(folded_word[1:])
    return re.search(r"(?<![\w'])" + head + rf"(?i:{tail})(?!\w)", fold_accents(answer)) is not None


def _one_edit(a: str, b: str) -> bool:
    """Levenshtein distance of ``a`` and ``b`` is at most 1."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = next((k for k, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), len(a))
    return a[i + (len(a) == len(b)) :] == b[i + 1 :]


def spelling_variant(a: str, b: str) -> bool:
    """Two words that differ by one letter, both of six letters or more, with the same first letter,
    and not only at the end ("Phillip"/"Philip" yes; "German"/"Germany", "photographs"/"photography" no)."""
    if a == b or len(a) < 6 or len(b) < 6 or a[0] != b[0] or not (a.isalpha() and b.isalpha()):
        return False
    if a[:-1] == b or b[:-1] == a or a[:-2] == b[:-2]:
        return False
    return _one_edit(a, b)


def has_variant(folded_answer: str, folded_key: str) -> bool:
    """The key's words (1-4, one of six letters or more) in a row in the answer, each the same or a
    spelling variant, at least one a variant."""
    key = folded_key.split()
    if not 1 <= len(key) <= 4 or max(len(w) for w in key) < 6 or not all(w.isalpha() for w in key):
        return False
    words = folded_answer.split()
    heads = {w[:2] for w in key}
    if not any(w[:2] in heads for w in words):  # the cheap test first
        return False
    for i in range(len(words) - len(key) + 1):
        window = words[i : i + len(key)]
        if window != key and all(a == b or spelling_variant(a, b) for a, b in zip(key, window, strict=True)):
            return True
    return False
