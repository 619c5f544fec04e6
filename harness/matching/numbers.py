"""Numbers in free text: "90", "5,000", "3.5", "-2", "12%", "ninety", "five thousand", "a dozen",
and on request ordinals ("fourth", "twenty-first", "4th") and titles left alone ("One Breath").

Numbers are read from the raw text BEFORE any punctuation is stripped, so "3.5"
stays 3.5 (not 35) and "10." stays 10 (not 1.0).
"""

from __future__ import annotations

import re

_DIGITS = re.compile(
    r"(?<![\w.])(?P<sign>[-\u2212])?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?!\d)(?:\s*(?P<pct>%|percent\b))?"
)
_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "thirtieth": 30,
    "fortieth": 40,
    "fiftieth": 50,
    "hundredth": 100,
}
_ORDINAL_WORDS = re.compile(  # the lookahead: see _WORDS
    rf"\b(?=[{''.join(sorted({word[0] for word in [*_TENS, *_ORDINALS]}))}])"
    r"(?:(?P<tens>twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[\s-])?(?P<ord>" + "|".join(_ORDINALS) + r")\b",
    re.IGNORECASE,
)
_ORDINAL_DIGITS = re.compile(r"(?<![\w.])(\d+)(?:st|nd|rd|th)\b", re.IGNORECASE)
# "One Breath", "Three Little Pigs": a capitalised number word before a capitalised word names something.
_TITLE_NEXT = re.compile(r"[\s-]+[A-Z][a-z]")  # matched where the number word ends
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_SPECIAL = {"dozen": 12, "a dozen": 12, "half a dozen": 6}
_WORD = "|".join(sorted([*_UNITS, *_TENS, *_SCALES], key=len, reverse=True))
# "and" joins number words only after a scale: "a hundred and forty-five" is 145, "twelve and ninety" two numbers.
_AND = r"(?:(?:(?<=hundred[\s-])|(?<=thousand[\s-])|(?<=million[\s-])|(?<=billion[\s-]))and[\s-]+)"
# A match starts with the first letter of one of its words: the lookahead lets the engine pass over every
# other position at once (a short answer is read ~40% faster, a 20 KB article ~2.5x), and matches
# nothing it would not.
_FIRST = "".join(sorted({word[0] for word in [*_UNITS, *_TENS, *_SCALES, "half", "a", "dozen"]}))
_WORDS = re.compile(
    rf"\b(?=[{_FIRST}])(?:half a dozen|a dozen|dozen|(?:a\s+(?=hundred|thousand))?"
    rf"(?:(?:{_WORD})(?:[\s-]+{_AND}?(?={_WORD}))?)+)\b",
    re.IGNORECASE,
)
# "£50m", "$1.2bn", "€186k": a sum of money with its scale glued to the digits
_CURRENCY = {"£", "$", "€", "¥"}
_MONEY_SCALE = re.compile(r"(k|m|bn)\b", re.IGNORECASE)  # matched where the digits end
_MONEY_SCALES = {"k": 1_000, "m": 1_000_000, "bn": 1_000_000_000}
# "5 million", "2.5 billion"
_DIGIT_SCALE = re.compile(r"\s*(million|billion|thousand)\b", re.IGNORECASE)  # matched where the digits end


def _words_value(phrase: str) -> float:
    """The value of a phrase that _WORDS matched (so every word is a number word or "and")."""
    phrase = phrase.lower().strip()
    if phrase in _SPECIAL:
        return float(_SPECIAL[phrase])
    total, current = 0, 0
    for word in re.split(r"[\s-]+", phrase):
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word in _SCALES:
            total += max(current, 1) * _SCALES[word]
            current = 0
    return float(total + current)


def _ordinals(text: str, titles: bool) -> list[tuple[int, int, float]]:
    found = []
    for m in _ORDINAL_WORDS.finditer(text):
        if titles and _is_title(text, m):
            continue
        tens = _TENS[m.group("tens").lower()] if m.group("tens") else 0
        found.append((m.start(), m.end(), float(tens + _ORDINALS[m.group("ord").lower()])))
    found += [(m.start(), m.end(), float(m.group(1))) for m in _ORDINAL_DIGITS.finditer(text)]
    return found


def _is_title(text: str, m: re.Match[str]) -> bool:
    return m.group(0)[0].isupper() and _TITLE_NEXT.match(text, m.end()) is not None


def _after_digit(text: str, position: int) -> bool:
    """Does a digit come before ``position``, with only white space between (the "2.5" of "2.5 million")?
    (Read backwards from ``position``: a slice or search of all the text before it would make reading a
    long article quadratic.)"""
    while position > 0 and text[position - 1].isspace():
        position -= 1
    return position > 0 and text[position - 1].isdigit()


def find_numbers(text: str, *, ordinals: bool = False, titles: bool = False) -> list[tuple[int, int, float]]:
    """Every number stated in ``text``, digits or words, as (start, end, value) in order of appearance;
    with ``ordinals`` also "fourth", "4th"; with ``titles`` a number word that starts a title is left out."""
    found = _ordinals(text, titles) if ordinals else []
    spans = [(start, end) for start, end, _ in found]

    def read(m: re.Match[str]) -> bool:  # not part of an ordinal read above ("4th", "twenty-first")
        return not any(start < m.end() and m.start() < end for start, end in spans)

    for m in filter(read, _DIGITS.finditer(text)):
        value, end = float(m.group("num").replace(",", "")), m.end()
        scale = _DIGIT_SCALE.match(text, m.end())
        money = _MONEY_SCALE.match(text, m.end()) if text[m.start() - 1 : m.start()] in _CURRENCY else None
        if scale and not m.group("pct"):
            value *= _SCALES[scale.group(1).lower()]
        elif money and not m.group("pct"):
            value, end = value * _MONEY_SCALES[money.group(1).lower()], money.end()
        if m.group("sign"):
            value = -value
        found.append((m.start(), end, value))
    for m in filter(read, _WORDS.finditer(text)):
        if m.group(0).lower() in _SCALES and _after_digit(text, m.start()):
            continue  # the "million" of "2.5 million", already read with its digits
        if titles and _is_title(text, m):
            continue
        found.append((m.start(), m.end(), _words_value(m.group(0))))
    return sorted(found)


def parse_numbers(text: str, *, ordinals: bool = False, titles: bool = False) -> list[float]:
    """Every number stated in ``text``, digits or words, in order of appearance (see ``find_numbers``)."""
    return [value for _, _, value in find_numbers(text, ordinals=ordinals, titles=titles)]


# What may stand between two numbers of one list ("1, 2, 3", "12 and 90") or of one set of
# alternatives ("80 or 90", "80/90", "80-90", "80 to 90", "between 80 and 90").
_JOINED = re.compile(r"(?:[\s,;/\-\u2013\u2014]|\b(?:or|and|to|nor)\b)+", re.IGNORECASE)
_DISJUNCTIVE = re.compile(r"[/\-\u2013\u2014]|\b(?:or|to|nor)\b", re.IGNORECASE)
_RANGE_OPENER = re.compile(r"\b(?:between|either|from)\s*$", re.IGNORECASE)


def hedges(text: str, *, ordinals: bool = False, titles: bool = False) -> list[list[float]]:
    """The groups of numbers that ``text`` offers as alternatives instead of one answer.

    A group is a run of numbers with nothing but separators between them. It hedges when
    its numbers are joined as alternatives or a range ("80 or 90", "80-90", "between 80 and
    90") or when it lists three or more numbers ("1, 2, 3, ... 100")."""
    return [values for _, _, values in hedge_groups(text, ordinals=ordinals, titles=titles)]


def hedge_groups(text: str, *, ordinals: bool = False, titles: bool = False) -> list[tuple[int, int, list[float]]]:
    """The groups ``hedges`` finds, each as (start, end, values): where in ``text`` it is."""
    numbers = find_numbers(text, ordinals=ordinals, titles=titles)
    groups: list[tuple[int, int, list[float]]] = []
    first = 0
    for i in range(1, len(numbers) + 1):
        if i < len(numbers) and _JOINED.fullmatch(text[numbers[i - 1][1] : numbers[i][0]]):
            continue
        group = numbers[first:i]
        first = i
        if len(group) >= 3 or (len(group) == 2 and _alternatives(text, group[0], group[1])):
            groups.append((group[0][0], group[-1][1], [value for _, _, value in group]))
    return groups


def _alternatives(text: str, a: tuple[int, int, float], b: tuple[int, int, float]) -> bool:
    """Are two adjacent numbers offered as either-or ("80 or 90", "80-90", "between 80 and 90")?"""
    return bool(_DISJUNCTIVE.search(text[a[1] : b[0]]) or _RANGE_OPENER.search(text[: a[0]]))


# Roman numerals of two letters or more, II to XXXIX ("I", "V", "X" alone are words or letters too)
_ROMAN = re.compile(r"x{0,3}(?:ix|iv|v?i{0,3})")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10}
_NUMERAL_WORDS = {**_UNITS, **_TENS, **_ORDINALS}
_DIGIT_ORDINAL = re.compile(r"(\d+)(?:st|nd|rd|th)")


def _roman(word: str) -> int | None:
    if len(word) < 2 or not _ROMAN.fullmatch(word):
        return None
    values = [_ROMAN_VALUES[c] for c in word]
    return sum(-v if v < w else v for v, w in zip(values, [*values[1:], 0], strict=True))


def _numeral(word: str) -> int | None:
    ordinal = _DIGIT_ORDINAL.fullmatch(word)
    return int(ordinal.group(1)) if ordinal else _NUMERAL_WORDS.get(word, _roman(word))


def numerals(folded: str) -> str:
    """Folded text with its number words, ordinals and Roman numerals as digits (rule number_words):
    "season four" -> "season 4", "twenty one" -> "21", "second sunday" and "2nd sunday" -> "2 sunday",
    "edward vii" and "edward seventh" -> "edward 7"."""
    out: list[str] = []
    tens = False  # the last word was a tens word ("twenty"), which a unit word adds to
    for word in folded.split():
        value = _numeral(word)
        if tens and word in _NUMERAL_WORDS and value is not None and 0 < value < 10:
            out.append(str(int(out.pop()) + value))
            tens = False
            continue
        out.append(word if value is None else str(value))
        tens = word in _TENS
    return " ".join(out)


def same_number(a: float, b: float, tolerance: float = 0.0) -> bool:
    """Equal within an absolute tolerance (and float noise)."""
    return abs(a - b) <= tolerance + 1e-9


def show(value: float) -> str:
    """A number as a reader wants it in a reason: 1234567890 (not 1.23457e+09), 3.5, 0.25."""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.10g}"
