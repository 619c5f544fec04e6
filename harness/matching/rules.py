"""The named answer-matching rules: every one can be switched off, so `harness agree --without NAME`
measures what it is worth (docs/scoring.md has the table).

Each rule is a general reading of answers, never a list of particular strings; docs/scoring.md states
each with an example. A name here that no code reads would be a dead switch: tests/matching checks
that switching each one off changes at least one verdict of its own cases.
"""

from __future__ import annotations

RULES: dict[str, str] = {
    "footnote_marks": "footnote digits glued to a word or a year are not part of the answer ('Earle Hyman12')",
    "missing_space": "a space missing before a capital is restored, in the answer and the key ('actressLizzy')",
    "key_notation": "an answer key's own notation gives its forms: 'A or B', 'X (ABBR)', '(the) X'",
    "honorifics": "a title before a full name may be left out ('Jesse Bennett' for 'Dr. Jesse Bennett')",
    "year_spans": "a span of years is written other ways ('1483 to 1520', 'between 1483 and 1520' for '1483-1520')",
    "form_kinds": "every accepted form is read as what it is (number, date, words), so aliases always count",
    "ordinals": "ordinal words and numbers are numbers ('fourth', 'twenty-first', '4th')",
    "titles_not_numbers": "a capitalised number word before a capitalised word is a title ('One Breath')",
    "units": "a number written with a unit counts only as that unit ('198 kilometers (123 miles)')",
    "number_lists": "a list of numbers that are all accepted values is not a hedge ('602, 480 and 623')",
    "committed_numbers": "a number also stated on its own, outside every hedge, is no hedge ('killed in 1934')",
    "year_of_date": "the year alone is right when the question asks for a year or when a past event was",
    "date_conflict": "a full date other than the key's is wrong even when its year is an accepted form",
    "compounds": "two words of the key written as one ('beekeeper' for 'bee keeper', 'Abidali' for 'Abid Ali')",
    "initials": "initials are one form with or without dots and spaces ('P. V. Sindhu' = 'PV Sindhu')",
    "inflection": "singular and plural of the key's words are the same answer ('thylakoid membrane')",
    "middle_names": "a person's name with middle names left out, as initials or added ('Rachel Bilson')",
    "name_suffixes": "'Junior', 'Jnr' and 'Jr' are one, as are 'Senior', 'Snr' and 'Sr' ('Harry Connick Jr.')",
    "spelling_variants": "one letter off in a long word of a name is a spelling variant ('Philip Paley')",
    "number_words": "number words and digits are one in a key of words ('season 4' for 'season four')",
    "key_parts": "a key's parts in one sentence, in any order ('Michigan in Ann Arbor' for 'Ann Arbor, Michigan')",
    "key_words": "every content word of a key of 3 or more in one sentence, in any order ('fall survived')",
    "place_heads": "a where-question's place key is stated by its first part ('Baltimore' for 'Baltimore, Maryland')",
    "lost_letters": "a key that lost its accented letters in the data ('Lszl Br') is the answer without them",
    "name_hedges": "only a name beside a name is a hedge ('Lviv or Kyiv'); common words gloss ('peace or well-being')",
    "distractor_in_passing": "a wrong form mentioned after a complete right answer, not as an alternative",
    "distractor_denied": "a wrong form denied beside a right answer is not stated ('123 miles, not 300')",
}
ALL_RULES: frozenset[str] = frozenset(RULES)


def without(names: str | None) -> frozenset[str]:
    """Every rule but the comma-separated ``names``; a ValueError naming the known rules for a typo."""
    off = {n.strip() for n in (names or "").split(",") if n.strip()}
    unknown = sorted(off - ALL_RULES)
    if unknown:
        raise ValueError(f"unknown rule {', '.join(unknown)}; the rules are {', '.join(RULES)}")
    return ALL_RULES - off
