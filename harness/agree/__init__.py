"""`harness agree`: how often the answer matcher agrees with people, beside the usual baselines.

Calibrate the scorer against your own raters: give it a file of questions, gold answers, candidate
answers and a person's yes/no on each (rows.py), and it judges every row with exactly the matcher the
qa task uses (harness.matching.answers), then reports agreement and Cohen's kappa with 95% intervals,
false accepts and false rejects, the same for exact match, token F1 and containment (figures.py), a
breakdown by type and by any field, examples of each kind of disagreement naming the rule that
decided, and with ``ablation`` what each rule is worth (render.py prints it).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from harness.agree.figures import BASELINES, Agreement, Judged, agreement, breakdown, judge
from harness.agree.rows import Row, read_rows
from harness.errors import Problem
from harness.matching.answers import AnswerType
from harness.matching.rules import ALL_RULES, RULES

EXAMPLES_SEED = 20250424


class Example(BaseModel):
    model_config = ConfigDict(frozen=True)

    line: int
    id: str
    question: str
    answers: list[str]
    candidate: str
    human: bool
    rule: str
    reason: str


class Ablation(BaseModel):
    """The harness with one rule switched off."""

    model_config = ConfigDict(frozen=True)

    rule: str
    meaning: str
    without: Agreement


class AgreeReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    file: str
    rows: int
    bad_rows: int
    people_accept: float | None
    rules_off: list[str]
    harness: Agreement
    baselines: list[Agreement]
    by_type: dict[str, Agreement]
    by: str | None = None
    by_field: dict[str, Agreement] = {}
    false_accepts: list[Example] = []
    false_rejects: list[Example] = []
    ablation: list[Ablation] = []
    judge: Agreement | None = None  # a judge model against the people (``--judge``), on the rows it ruled on
    judge_errors: int = 0  # rows the judge failed on (left out of its agreement)


def _example(j: Judged) -> Example:
    r = j.row
    return Example(
        line=r.line,
        id=r.id,
        question=r.question,
        answers=list(r.answers),
        candidate=r.candidate,
        human=r.human,
        rule=j.match.rule,
        reason=j.match.reason,
    )


def _examples(judged: list[Judged], accepted: bool, n: int) -> list[Example]:
    """Up to ``n`` rows where the harness said ``accepted`` and the person did not, a seeded sample in file order."""
    wrong = [j for j in judged if j.match.correct == accepted and j.row.human != accepted]
    picked = sorted(random.Random(EXAMPLES_SEED).sample(range(len(wrong)), min(n, len(wrong))))
    return [_example(wrong[i]) for i in picked]


def _judged(rows: list[Row], rules: frozenset[str]) -> list[Judged]:
    return [Judged(row, judge(row, rules)) for row in rows]


def _harness(judged: list[Judged]) -> Agreement:
    return agreement("harness", [(j.match.correct, j.row.human) for j in judged])


def ablation(
    rows: list[Row], rules: frozenset[str], progress: Callable[[Iterable[str]], Iterable[str]] = iter
) -> list[Ablation]:
    """The harness's agreement with each rule in ``rules`` switched off in turn."""
    return [
        Ablation(rule=name, meaning=RULES[name], without=_harness(_judged(rows, rules - {name})))
        for name in progress([r for r in RULES if r in rules])
    ]


def agree(
    path: Path,
    *,
    as_type: AnswerType | None = None,
    by: str | None = None,
    examples: int = 5,
    limit: int | None = None,
    rules: frozenset[str] = ALL_RULES,
    with_ablation: bool = False,
    progress: Callable[[Iterable[str]], Iterable[str]] = iter,
    judge: Callable[[list[Row]], list[bool | None]] | None = None,
) -> tuple[AgreeReport, list[Problem]]:
    """Judge every good row of ``path``; the report and one Problem per bad row (``judge``: a judge model's
    verdicts on the rows, measured beside the matcher)."""
    rows, problems = read_rows(path, limit, as_type)
    judged = _judged(rows, rules)
    rulings = judge(rows) if judge is not None and rows else []
    ruled = [(said, row.human) for said, row in zip(rulings, rows, strict=False) if said is not None]
    report = AgreeReport(
        file=str(path),
        rows=len(rows),
        bad_rows=len(problems),
        people_accept=sum(r.human for r in rows) / len(rows) if rows else None,
        rules_off=sorted(ALL_RULES - rules),
        harness=_harness(judged),
        baselines=[agreement(name, [(scorer(r), r.human) for r in rows]) for name, scorer in BASELINES.items()],
        by_type=breakdown(judged, lambda r: r.type if r.typed else f"{r.type} (inferred)"),
        by=by,
        by_field=breakdown(judged, lambda r: str(r.fields.get(by, "-"))) if by else {},
        false_accepts=_examples(judged, True, examples),
        false_rejects=_examples(judged, False, examples),
        ablation=ablation(rows, rules, progress) if with_ablation else [],
        judge=agreement("judge", ruled) if judge is not None else None,
        judge_errors=sum(said is None for said in rulings),
    )
    return report, problems
