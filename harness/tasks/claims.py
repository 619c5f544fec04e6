"""The factcheck task's golden items: a claim, its label and evidence, and what corrects a refuted one.

``Correction`` is the true fact a right correction states, typed like a question's answer (the checks
in ``harness.tasks.typed``) or, for a qualitative correction, word groups like a key fact's. Its wrong
forms default to the claim's own values (``Claim.claimed_values``), so "300 miles" in the claim is wrong
in a correction without being written twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator

from harness.matching.answers import AnswerKey
from harness.matching.dates import Date, find_dates, undated_numbers
from harness.matching.numbers import parse_numbers, same_number
from harness.matching.units import unit_after
from harness.tasks.base import ITEM_ID, GoldenItem, RequireGroups, Reviewable, invalid, require_groups
from harness.tasks.typed import Answer, check_aliases, check_answer, check_unit, check_wrong, number_values

ClaimLabel = Literal["supported", "refuted", "not_enough_info"]
CorrectionType = Literal["number", "entity", "text", "date", "words"]


class Correction(GoldenItem):
    """What a right correction of a refuted claim states: a typed answer, or (``type: words``) word groups.

    ``wrong`` lists what a correction must not state; left out, it is the claim's own numbers or dates
    (``Claim.correction_key``). Write ``wrong: []`` when the claim's values may rightly be restated."""

    type: CorrectionType
    answer: Answer | dt.date | None = Field(default=None, validate_default=True)
    require: RequireGroups | None = Field(default=None, validate_default=True)
    tolerance: float = Field(default=0, ge=0)
    aliases: tuple[Answer, ...] = ()
    wrong: tuple[Answer, ...] | None = None
    unit: str | None = None

    @field_validator("answer", mode="after")
    @classmethod
    def _answer_fits_type(cls, value: Answer | dt.date | None, info: ValidationInfo) -> Answer | None:
        kind = info.data.get("type")
        if kind == "words":
            if value is not None:
                raise invalid("a words correction states `require`, not `answer`", "remove `answer`")
            return None
        if value is None:
            raise invalid("the correction has no answer", "add `answer:` the true value, or use `type: words`")
        return check_answer(value, kind)

    @field_validator("require", mode="before")
    @classmethod
    def _groups_for_words(cls, value: Any, info: ValidationInfo) -> Any:
        kind = info.data.get("type")
        if value is None:
            if kind == "words":
                raise invalid("a words correction has no `require`", "add e.g. require: [[70 missiles], [145 drones]]")
            return None
        if kind != "words":
            raise invalid("only a words correction has `require`", "remove `require`, or set `type: words`")
        return require_groups(value)

    @field_validator("aliases", mode="after")
    @classmethod
    def _aliases_fit_type(cls, value: tuple[Answer, ...], info: ValidationInfo) -> tuple[Answer, ...]:
        if value and info.data.get("type") == "words":
            raise invalid("a words correction has no aliases", "put other words in the same [...] group")
        return check_aliases(value, info.data.get("type"))

    @field_validator("wrong", mode="after")
    @classmethod
    def _wrong_fits_type(cls, value: tuple[Answer, ...] | None, info: ValidationInfo) -> tuple[Answer, ...] | None:
        if value is None:
            return None
        kind = info.data.get("type")
        return check_wrong(
            value, "text" if kind == "words" else kind, info.data.get("answer"), info.data.get("aliases", ())
        )

    @field_validator("unit", mode="after")
    @classmethod
    def _unit_is_known(cls, value: str | None, info: ValidationInfo) -> str | None:
        return check_unit(value, info.data.get("type"))

    def shown(self) -> str:
        """What a right correction states, for reports: "123 mi (also 198 km)", "70 missiles + 145 drones"."""
        if self.require is not None:
            return " + ".join(" / ".join(group) for group in self.require)
        text = f"{self.answer} {self.unit}" if self.unit else str(self.answer)
        return text + (f" (also: {', '.join(str(a) for a in self.aliases)})" if self.aliases else "")


class Claim(Reviewable):
    """A statement to check against the seed, with its true label (and, refuted, its correction)."""

    id: str = ITEM_ID
    claim: str = Field(min_length=1)
    label: ClaimLabel
    # One verbatim quote, or several when the article states the fact in more than one place.
    evidence: str | tuple[str, ...] | None = Field(default=None, validate_default=True)
    correction: Correction | None = Field(default=None, validate_default=True)
    tags: tuple[str, ...] = ()

    @field_validator("evidence", mode="after")
    @classmethod
    def _evidence_for_decided_labels(
        cls, value: str | tuple[str, ...] | None, info: ValidationInfo
    ) -> str | tuple[str, ...] | None:
        if info.data.get("label") in ("supported", "refuted") and not value:
            raise invalid("a supported or refuted claim has no evidence", "add a verbatim quote from the seed")
        if isinstance(value, tuple) and not all(value):
            raise invalid("an evidence quote is empty", "remove it, or paste a verbatim quote from the seed")
        return value

    @field_validator("correction", mode="after")
    @classmethod
    def _correction_iff_refuted(cls, value: Correction | None, info: ValidationInfo) -> Correction | None:
        label = info.data.get("label")
        if label == "refuted" and value is None:
            raise invalid(
                "a refuted claim has no correction",
                "add `correction:` with the true fact, e.g. {type: number, answer: 123, unit: mi}",
            )
        if label is not None and label != "refuted" and value is not None:
            raise invalid("only a refuted claim has a correction", "remove `correction`, or set `label: refuted`")
        return value

    @property
    def passages(self) -> tuple[str, ...]:
        """The golden evidence quotes (none for a not_enough_info claim)."""
        if self.evidence is None:
            return ()
        return (self.evidence,) if isinstance(self.evidence, str) else self.evidence

    @property
    def correction_key(self) -> AnswerKey:
        """The matcher's key of a typed correction; its wrong forms default to ``claimed_values``."""
        c = self.correction
        assert c is not None and c.type != "words" and c.answer is not None, "only a typed correction has a key"
        assert not isinstance(c.answer, dt.date), "dates are kept as ISO text"
        wrong = c.wrong if c.wrong is not None else self.claimed_values()
        return AnswerKey(
            type=c.type, answer=c.answer, aliases=c.aliases, wrong=wrong, tolerance=c.tolerance, unit=c.unit
        )

    def claimed_values(self) -> tuple[Answer, ...]:
        """The claim's own wrong values: for a number correction, the claim's numbers of the correction's
        unit (or of none); for a date correction, its dates. Left out: values the correction accepts, values
        a golden evidence quote states (a correction may quote "12 killed and 90 injured"), years of dates
        in a number's claim, and the word "one" ("no one was killed")."""
        c = self.correction
        assert c is not None
        if c.type == "date":
            accepted = {date for value in (c.answer, *c.aliases) for _, _, date in find_dates(str(value))}
            quoted = {date for passage in self.passages for _, _, date in find_dates(passage)}
            claimed = [date for _, _, date in find_dates(self.claim)]
            return tuple(dict.fromkeys(_iso(d) for d in claimed if d not in accepted | quoted))
        if c.type != "number":
            return ()
        accepted_numbers = number_values((c.answer, *c.aliases))
        quoted_numbers = [v for passage in self.passages for v in parse_numbers(passage)]
        found: list[Answer] = []
        for start, end, value in undated_numbers(self.claim, ordinals=True):
            written = unit_after(self.claim, end)
            if (
                self.claim[start:end].lower() == "one"  # "no one", "one of": a pronoun more often than a count
                or (written is not None and written[0] != c.unit)
                or any(same_number(value, a, c.tolerance) for a in accepted_numbers)
                or any(same_number(value, q) for q in quoted_numbers)
            ):
                continue
            found.append(value)
        return tuple(dict.fromkeys(found))


def _iso(date: Date) -> str:
    return "-".join(f"{part:02d}" for part in date if part is not None)
