"""qa: answer a question about the article, or decline when the article does not say.

Golden items: ``questions`` (``harness.goldens.Question``). Output: ``QAOutput``. Metrics:
qa_accuracy (answerable questions), abstention_accuracy and hallucination_rate (unanswerable ones).

Rules (see README "Scoring"):
- an answer that abstains (``answerable: false`` or "not stated"...) is ``abstained``
  on an answerable question and ``correct`` on an unanswerable one;
- answering an unanswerable question is ``incorrect`` and flagged a hallucination;
- numbers: ``value`` when given, else the numbers in the answer text; correct iff the
  golden number is there (within tolerance) and no ``wrong`` number is;
- entity/text: an accepted form on word boundaries and no ``wrong`` form; ``text``
  falls back to token F1 >= TEXT_F1_THRESHOLD;
- dates: the golden date's year, month and day as far as the golden states them;
- booleans: yes/true vs no/false at the start of the answer;
- a hedge is wrong: an answer that offers the golden value and another one as alternatives
  ("80 or 90", "between 80 and 90", a list of numbers, "Erna Solberg or Jonas Gahr Store",
  "yes or no") is ``incorrect`` even when the other value is not a listed distractor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from harness.matching.abstention import declines
from harness.matching.answers import AnswerKey, AnswerType, match_answer
from harness.matching.evidence import is_grounded
from harness.matching.numbers import parse_numbers
from harness.matching.rules import ALL_RULES
from harness.matching.sentences import MIN_OVERLAP, best_sentence
from harness.outcomes import ItemOutcome, Outcomes
from harness.stats import Estimate, proportion
from harness.tasks.base import ITEM_ID, ItemView, Reviewable, TaskItem, field_text, find, invalid
from harness.tasks.typed import TYPES_HINT, Answer, check_aliases, check_answer, check_unit, check_wrong
from harness.types import AnswerDetails, Details, Verdict, WorkItem

if TYPE_CHECKING:
    from harness.goldens import Golden

QuestionType = AnswerType


class Question(Reviewable):
    """A question about the seed, with the answer the article gives (or none)."""

    id: str = ITEM_ID
    question: str = Field(min_length=1)
    answerable: bool = True  # before `type`: an unanswerable question needs no type
    type: QuestionType | None = Field(default=None, validate_default=True)
    answer: bool | int | float | str | dt.date | None = Field(default=None, validate_default=True)
    qualifier: str | None = None
    tolerance: float = Field(default=0, ge=0)
    aliases: tuple[bool | int | float | str, ...] = ()
    wrong: tuple[bool | int | float | str, ...] = ()
    unit: str | None = None
    evidence: str | None = Field(default=None, validate_default=True)
    tags: tuple[str, ...] = ()

    @field_validator("type", mode="after")
    @classmethod
    def _type_when_answerable(cls, value: QuestionType | None, info: ValidationInfo) -> QuestionType | None:
        if value is None and info.data.get("answerable", True):
            raise invalid("an answerable question has no type", f"add `type:` one of {TYPES_HINT}")
        return value

    @field_validator("answer", mode="after")
    @classmethod
    def _answer_fits_type(cls, value: Answer | dt.date | None, info: ValidationInfo) -> Answer | None:
        if not info.data.get("answerable", True):
            if value is not None:
                raise invalid(
                    "an unanswerable question carries an answer",
                    "remove `answer` or set `answerable: true`",
                )
            return None
        if value is None:
            raise invalid("an answerable question has no answer", "add `answer`, or set `answerable: false`")
        return check_answer(value, info.data.get("type"))

    @field_validator("aliases", mode="after")
    @classmethod
    def _aliases_fit_type(cls, value: tuple[Answer, ...], info: ValidationInfo) -> tuple[Answer, ...]:
        return check_aliases(value, info.data.get("type"))

    @field_validator("wrong", mode="after")
    @classmethod
    def _wrong_is_not_the_answer(cls, value: tuple[Answer, ...], info: ValidationInfo) -> tuple[Answer, ...]:
        return check_wrong(value, info.data.get("type"), info.data.get("answer"), info.data.get("aliases", ()))

    @field_validator("unit", mode="after")
    @classmethod
    def _unit_is_known(cls, value: str | None, info: ValidationInfo) -> str | None:
        return check_unit(value, info.data.get("type"))

    @property
    def key(self) -> AnswerKey:
        """What a right answer states: all the matcher needs."""
        assert self.answer is not None, "an unanswerable question has no answer key"
        assert not isinstance(self.answer, dt.date), "dates are kept as ISO text"
        assert self.type is not None, "an answerable question has a type"
        return AnswerKey(
            type=self.type,
            answer=self.answer,
            aliases=self.aliases,
            wrong=self.wrong,
            tolerance=self.tolerance,
            unit=self.unit,
        )

    @field_validator("evidence", mode="after")
    @classmethod
    def _evidence_iff_answerable(cls, value: str | None, info: ValidationInfo) -> str | None:
        answerable = info.data.get("answerable", True)
        if answerable and not value:
            raise invalid("an answerable question has no evidence", "add a verbatim quote from the seed")
        if not answerable and value:
            raise invalid(
                "an unanswerable question cites evidence",
                "remove `evidence` (or set `answerable: true` and add the answer)",
            )
        return value


class QAOutput(BaseModel):
    """Answer to one question. ``answerable`` false means the article does not say."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    answerable: bool
    answer: str
    value: float | None
    evidence: str


def abstains(output: QAOutput) -> bool:
    """Did the model decline to answer?"""
    return not output.answerable or declines(output.answer)


def score_question(q: Question, out: QAOutput, rules: frozenset[str] = ALL_RULES) -> Verdict:
    """The verdict on one QA reply (grounding is added by the caller)."""
    if not q.answerable:
        if abstains(out):
            return Verdict(outcome="correct", reason="abstained: the article does not say", details=_UNANSWERABLE)
        return Verdict(
            outcome="incorrect",
            reason=f"hallucination: answered {out.answer[:80]!r} but the article does not say",
            details=_HALLUCINATED,
        )
    if abstains(out):
        return Verdict(outcome="abstained", reason="said the article does not state it; it does", details=_ANSWERABLE)
    match = match_answer(q.key, out.answer, value=out.value, question=q.question, rules=rules)
    return Verdict(
        outcome="correct" if match.correct else "incorrect",
        reason=match.reason,
        details=AnswerDetails(answerable=True, rule=match.rule),
    )


_ANSWERABLE = AnswerDetails(answerable=True)
_UNANSWERABLE = AnswerDetails(answerable=False)
_HALLUCINATED = AnswerDetails(answerable=False, hallucinated=True)


def _answer(r: ItemOutcome) -> AnswerDetails:
    """The result's answer details; none means answerable (results.jsonl written before details were typed
    recorded nothing for answerable questions)."""
    return r.details if isinstance(r.details, AnswerDetails) else _ANSWERABLE


class QA:
    """The qa task (see the module docstring)."""

    name = "qa"
    output = QAOutput
    max_tokens = 192  # enough for a faithful reply; a small model that loops stops here
    slots = frozenset({"question"})
    metric_info = MappingProxyType(
        {
            "qa_accuracy": ("correct answers to answerable questions (invalid replies left out)", True),
            "abstention_accuracy": ("unanswerable questions correctly declined", True),
            "hallucination_rate": ("unanswerable questions answered anyway", False),
        }
    )
    graded = False

    def describe(self, golden: Golden) -> str:
        return f"{len(golden.questions)} questions ({sum(not q.answerable for q in golden.questions)} unanswerable)"

    def items(self, golden: Golden) -> Iterator[TaskItem]:
        for q in golden.questions:
            yield TaskItem(id=q.id, subject=q.question, tags=q.tags, slots={"question": q.question})

    def judge(self, golden: Golden, item_id: str, output: Any, article: str) -> Verdict:
        verdict = score_question(find(golden.questions, item_id), output)
        quote = "" if abstains(output) else output.evidence  # a declined answer has nothing to ground
        return verdict.model_copy(update={"grounded": is_grounded(quote, article)})

    def metrics(self, judged: Outcomes) -> dict[str, Estimate]:
        answerable = judged.split(lambda r: _answer(r).answerable)
        yes, no = answerable.get(True, Outcomes()), answerable.get(False, Outcomes())
        return {
            "qa_accuracy": proportion(yes.clusters(lambda r: r.outcome == "correct")),
            "abstention_accuracy": proportion(no.clusters(lambda r: r.outcome == "correct")),
            "hallucination_rate": proportion(no.clusters(lambda r: _answer(r).hallucinated)),
        }

    def checks(self, details: Details) -> dict[str, bool]:
        return {}

    def view(self, golden: Golden, item_id: str) -> ItemView | None:
        try:
            q = find(golden.questions, item_id)
        except KeyError:
            return None
        answer = ("yes" if q.answer else "no") if isinstance(q.answer, bool) else str(q.answer)
        expected = answer if q.answerable else "not stated in the article (should decline)"
        if q.aliases:
            expected += f" (also: {', '.join(str(a) for a in q.aliases)})"
        return ItemView(question=q.question, expected=expected, evidence=q.evidence)

    def answer_text(self, parsed: Mapping[str, Any]) -> str | None:
        return field_text(parsed, "answer")

    def evidence_text(self, parsed: Mapping[str, Any]) -> str | None:
        return field_text(parsed, "evidence")

    def baseline(self, item: WorkItem) -> dict[str, Any]:
        """The best-matching sentence, its first number for a "how many" question; decline below MIN_OVERLAP."""
        sentence, score = best_sentence(item.article, item.subject)
        if score < MIN_OVERLAP:
            return {"answerable": False, "answer": "not stated", "value": None, "evidence": ""}
        numbers = parse_numbers(sentence) if item.subject.lower().startswith("how many") else []
        return {"answerable": True, "answer": sentence, "value": numbers[0] if numbers else None, "evidence": sentence}


TASK = QA()
