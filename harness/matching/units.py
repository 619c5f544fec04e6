"""Units a number is written with ("198 kilometers", "5.97 m", "3 h"), folded to one name per unit
(rule units in harness/matching/rules.py), so "198 kilometers (123 miles)" states 198 km and 123 mi:
a kilometre question whose distractor is 123 is not fooled by the miles.

Only units of measure are here (length, mass, volume, time, speed, area, percent, angle, data rate):
counted nouns ("90 people") are not units, so "90 people" still states 90 for a question in people.
"""

from __future__ import annotations

import re

_NAMES: dict[str, tuple[str, ...]] = {
    "m": ("m", "meter", "meters", "metre", "metres"),
    "km": ("km", "kilometer", "kilometers", "kilometre", "kilometres"),
    "cm": ("cm", "centimeter", "centimeters", "centimetre", "centimetres"),
    "mm": ("mm", "millimeter", "millimeters", "millimetre", "millimetres"),
    "ft": ("ft", "foot", "feet"),
    "in": ("in", "inch", "inches"),
    "mi": ("mi", "mile", "miles"),
    "yd": ("yd", "yard", "yards"),
    "kg": ("kg", "kilogram", "kilograms", "kilo", "kilos"),
    "g": ("g", "gram", "grams"),
    "lb": ("lb", "lbs", "pound", "pounds"),
    "oz": ("oz", "ounce", "ounces"),
    "t": ("tonne", "tonnes", "ton", "tons"),
    "l": ("l", "liter", "liters", "litre", "litres"),
    "gal": ("gal", "gallon", "gallons"),
    "s": ("s", "sec", "secs", "second", "seconds"),
    "min": ("min", "mins", "minute", "minutes"),
    "h": ("h", "hr", "hrs", "hour", "hours"),
    "day": ("day", "days"),
    "week": ("week", "weeks"),
    "month": ("month", "months"),
    "year": ("year", "years", "yr", "yrs"),
    "mph": ("mph",),
    "km/h": ("kmh", "kph"),
    "acre": ("acre", "acres"),
    "ha": ("ha", "hectare", "hectares"),
    "%": ("%", "percent", "per cent"),
    "deg": ("°", "degree", "degrees"),
}
UNITS: dict[str, str] = {name: unit for unit, names in _NAMES.items() for name in names}
_AFTER = re.compile(r"^[\s-]*(%|°|(?:per cent|[a-z]+)\b)\.?", re.IGNORECASE)


def unit_of(name: str) -> str | None:
    """The folded unit a written name stands for ("kilometres" -> "km"); None if it is no unit."""
    return UNITS.get(name.strip().lower())


def unit_after(text: str, end: int) -> tuple[str, int] | None:
    """The unit written right after a number that ends at ``end`` ("123-mile" -> "mi") and where its
    name ends in ``text``; None when no unit follows. A number read with its percent sign ("2%") is in %."""
    if end and text[end - 1] == "%":
        return "%", end
    m = _AFTER.match(text[end:])
    if m is None:
        return None
    unit = UNITS.get(m.group(1).lower())  # the table has singulars and plurals: "123-mile", "123 miles"
    return None if unit is None else (unit, end + m.end())
