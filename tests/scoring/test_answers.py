"""QA matchers, table-driven from realistic model answers."""

from __future__ import annotations

import pytest

from harness.goldens import Question
from harness.outputs import QAOutput
from harness.scoring.answers import score_question

INJURED = Question(
    id="injured", question="How many were injured?", type="number", answer=90, wrong=(12,), evidence="90 were injured"
)
KILLED = Question(
    id="killed",
    question="How many were killed?",
    type="number",
    answer=12,
    wrong=(90,),
    evidence="At least 12 people were killed",
)
SOLDIERS = Question(
    id="soldiers", question="How many soldiers a week?", type="number", answer=5000, evidence="5000 soldiers a week"
)
RATE = Question(id="rate", question="What share?", type="number", answer=3.5, evidence="3.5")
BORDER = Question(
    id="border",
    question="How long is the border in miles?",
    type="number",
    answer=123,
    tolerance=2,
    evidence="123-mile",
)
PM = Question(
    id="pm",
    question="Who is the Norwegian PM?",
    type="entity",
    answer="Jonas Gahr Støre",
    aliases=("Gahr Støre", "Støre"),
    wrong=("Jens Stoltenberg",),
    evidence="Jonas Gahr Støre",
)
ZEL = Question(
    id="zel",
    question="Who is Ukraine's president?",
    type="entity",
    answer="Volodymyr Zelenskyy",
    aliases=("Zelenskiy", "Zelensky", "Zelenskyy"),
    evidence="Volodymyr Zelenskyy",
)
CITY = Question(
    id="city",
    question="Which city was struck?",
    type="entity",
    answer="Kyiv",
    aliases=("Kiev",),
    wrong=("Kharkiv",),
    evidence="Kyiv",
)
WHY = Question(
    id="why",
    question="What did Trump urge Putin to do?",
    type="text",
    answer="stop the strikes on Kyiv",
    evidence="STOP",
)
DAY = Question(id="day", question="On what date?", type="date", answer="2025-04-24", evidence="April 24, 2025")
YEAR = Question(id="year", question="When was Crimea annexed?", type="date", answer="2014", evidence="2014")
NATO = Question(id="nato", question="Is Norway a NATO member?", type="boolean", answer=True, evidence="NATO")
DRONES = Question(id="drones", question="How many drones?", type="number", answerable=False)


def qa(answer: str, value: float | None = None, answerable: bool = True) -> QAOutput:
    return QAOutput(answerable=answerable, answer=answer, value=value, evidence="")


CASES: list[tuple[Question, QAOutput, str]] = [
    # numbers, read from text
    (INJURED, qa("90 people were hurt"), "correct"),
    (INJURED, qa("ninety"), "correct"),
    (INJURED, qa("Ninety people."), "correct"),
    (INJURED, qa("At least 90"), "correct"),
    (INJURED, qa("90."), "correct"),
    (INJURED, qa("About 90 injured"), "correct"),
    (INJURED, qa("12 killed and 90 injured"), "incorrect"),  # asserts the distractor too
    (INJURED, qa("12"), "incorrect"),
    (INJURED, qa("twelve people"), "incorrect"),
    (INJURED, qa("900"), "incorrect"),
    (INJURED, qa("9"), "incorrect"),
    (INJURED, qa("90,000"), "incorrect"),
    (INJURED, qa("Many people were injured"), "incorrect"),
    (INJURED, qa("The article says 90 were injured.", value=90), "correct"),
    (INJURED, qa("90 injured", value=12), "incorrect"),  # value wins over text
    (INJURED, qa("ninety-one"), "incorrect"),
    (KILLED, qa("At least 12 people were killed"), "correct"),
    (KILLED, qa("twelve"), "correct"),
    (KILLED, qa("a dozen people"), "correct"),
    (KILLED, qa("90"), "incorrect"),
    (KILLED, qa("12 killed, 90 injured"), "incorrect"),
    (KILLED, qa("1.2"), "incorrect"),
    (KILLED, qa("", value=12.0), "correct"),
    (SOLDIERS, qa("5,000"), "correct"),
    (SOLDIERS, qa("5000"), "correct"),
    (SOLDIERS, qa("five thousand"), "correct"),
    (SOLDIERS, qa("5 000"), "incorrect"),  # read as 5 and 000: not accepted
    (SOLDIERS, qa("500"), "incorrect"),
    (SOLDIERS, qa("50,00"), "incorrect"),
    (RATE, qa("3.5"), "correct"),
    (RATE, qa("35"), "incorrect"),
    (RATE, qa("3.5%"), "correct"),
    (RATE, qa("three and a half"), "incorrect"),  # not parsed: stated limitation
    (BORDER, qa("roughly 123 miles"), "correct"),
    (BORDER, qa("about 124 miles"), "correct"),  # within tolerance 2
    (BORDER, qa("198 kilometers"), "incorrect"),
    (BORDER, qa("one hundred and twenty-three miles"), "correct"),
    # entities
    (PM, qa("Jonas Gahr Støre"), "correct"),
    (PM, qa("Jonas Gahr Store"), "correct"),
    (PM, qa("Støre"), "correct"),
    (PM, qa("Prime Minister Gahr Store."), "correct"),
    (PM, qa("JONAS GAHR STØRE"), "correct"),
    (PM, qa("Jens Stoltenberg"), "incorrect"),
    (PM, qa("Jens Stoltenberg, now succeeded by Jonas Gahr Støre"), "incorrect"),
    (PM, qa("Norway"), "incorrect"),
    (PM, qa("Storey"), "incorrect"),  # word boundary
    (PM, qa("Erna Solberg"), "incorrect"),
    (ZEL, qa("Zelenskiy"), "correct"),
    (ZEL, qa("Volodymyr Zelensky"), "correct"),
    (ZEL, qa("President Zelenskyy."), "correct"),
    (ZEL, qa("Zelenskyy's government"), "correct"),
    (ZEL, qa("Putin"), "incorrect"),
    (CITY, qa("Kyiv"), "correct"),
    (CITY, qa("the capital, Kyiv."), "correct"),
    (CITY, qa("Kiev"), "correct"),
    (CITY, qa("Kharkiv"), "incorrect"),
    (CITY, qa("Kyivstar"), "incorrect"),
    (CITY, qa("Kyiv and Kharkiv"), "incorrect"),
    # text (token F1 fallback)
    (WHY, qa("To stop the strikes on Kyiv"), "correct"),
    (WHY, qa("stop strikes on Kyiv"), "correct"),
    (WHY, qa("He urged him to stop"), "incorrect"),
    (WHY, qa("make a peace deal"), "incorrect"),
    # dates
    (DAY, qa("April 24, 2025"), "correct"),
    (DAY, qa("24 April 2025"), "correct"),
    (DAY, qa("2025-04-24"), "correct"),
    (DAY, qa("Thursday, April 24, 2025"), "correct"),
    (DAY, qa("Apr. 24, 2025"), "correct"),
    (DAY, qa("April 23, 2025"), "incorrect"),
    (DAY, qa("April 2025"), "incorrect"),
    (DAY, qa("Thursday"), "incorrect"),
    (YEAR, qa("2014"), "correct"),
    (YEAR, qa("In March 2014"), "correct"),
    (YEAR, qa("2022"), "incorrect"),
    # booleans
    (NATO, qa("Yes"), "correct"),
    (NATO, qa("yes, Norway is a NATO member"), "correct"),
    (NATO, qa("True"), "correct"),
    (NATO, qa("No"), "incorrect"),
    (NATO, qa("Norway is a member"), "incorrect"),  # neither yes nor no
    # abstention on answerable questions
    (INJURED, qa("It is not stated", answerable=False), "abstained"),
    (INJURED, qa("The article does not say."), "abstained"),
    (PM, qa("unknown"), "abstained"),
    # unanswerable questions
    (DRONES, qa("not stated", answerable=False), "correct"),
    (DRONES, qa("It is not stated"), "correct"),
    (DRONES, qa("The article doesn't say how many drones."), "correct"),
    (DRONES, qa("145 drones"), "incorrect"),  # hallucination
    (DRONES, qa("145", value=145, answerable=True), "incorrect"),
]


@pytest.mark.parametrize(
    ("question", "output", "outcome"), CASES, ids=[f"{q.id}:{o.answer or o.value}" for q, o, _ in CASES]
)
def test_verdict(question: Question, output: QAOutput, outcome: str) -> None:
    verdict = score_question(question, output)
    assert verdict.outcome == outcome, verdict.reason


def test_enough_cases() -> None:
    assert len(CASES) >= 80


def test_hallucination_is_flagged_and_reasons_explain() -> None:
    verdict = score_question(DRONES, qa("145 drones"))
    assert verdict.details == {"hallucinated": True}
    assert verdict.reason.startswith("hallucination")
    assert score_question(INJURED, qa("12 killed and 90 injured")).reason == "states the distractor 12; expected 90"
    assert score_question(PM, qa("Jens Stoltenberg")).reason.startswith("names the distractor 'Jens Stoltenberg'")
