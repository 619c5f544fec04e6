"""The judge's request about one reply, from the versioned prompts in ``prompts/judge/<kind>/``.

A request is a ``Case``: the prompt, the two blocks it compares (the reference and the response; the
facts and the summary), and how the ruling becomes the fields of a ``JudgeVerdict``. The blocks are
labelled by role (REFERENCE, RESPONSE), never by a model's name, and the consistency check asks the
same question with the two blocks in the other order (``Case.ask(swapped=True)``).

Judged: qa replies (answerable and unanswerable questions, abstentions too, so a hallucination is
judged), summaries (one call per summary, with the article), and the corrections of refuted claims
labelled refuted (asked as a question: what does the article say instead?), where the rules judge a
correction too.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from harness.judge.rulings import KINDS, PROMPT_NAMES, AnswerRuling, SummaryRuling, ruling_schema
from harness.models import Ask
from harness.outputs import SchemaViolation, bound
from harness.prompts import Prompt, load_version
from harness.tasks.base import find
from harness.tasks.claims import Claim
from harness.tasks.qa import Question
from harness.tasks.summary import SUMMARY_PASS_COVERAGE, SummaryRubric, all_summaries

if TYPE_CHECKING:
    from harness.goldens import Golden

JUDGE_VERSION = "v1"

Fields = dict[str, Any]  # a JudgeVerdict's fields that the ruling decides (accepted, reason, ...)


def load_judge_prompts(directory: Path, version: str = JUDGE_VERSION) -> dict[str, Prompt]:
    """kind -> the judge prompt ``directory/judge/<kind>/<version>.md``, checked like a task's."""
    return {kind: load_version(directory, f"judge/{kind}", version, PROMPT_NAMES) for kind in KINDS}


def judge_prompts(prompts: Mapping[str, Prompt]) -> dict[str, Prompt]:
    """kind -> the judge prompt, from a run's prompts (the tasks' and, with a judge, the judge's)."""
    return {p.task.removeprefix("judge/"): p for p in prompts.values() if p.task.startswith("judge/")}


@functools.cache
def _schema_text(kind: str) -> str:
    return json.dumps(ruling_schema(kind), separators=(",", ":"))


@functools.cache
def _bounded(kind: str) -> dict[str, Any]:
    return bound(ruling_schema(kind))


@dataclass(frozen=True)
class Case:
    """One judge request: ``prompt`` filled with ``values`` and the two compared blocks."""

    kind: str
    prompt: Prompt
    values: Mapping[str, str]
    first: str  # the reference (the facts, for a summary)
    second: str  # the response (the summary)
    read: Callable[[BaseModel], Fields]

    def ask(self, swapped: bool = False) -> Ask:
        first, second = (self.second, self.first) if swapped else (self.first, self.second)
        values = {**self.values, "first": first, "second": second, "schema": _schema_text(self.kind)}
        schema = ruling_schema(self.kind)
        return Ask(
            messages=tuple(self.prompt.render(values)),
            name=f"judge_{self.kind}",
            schema=schema,
            max_tokens=KINDS[self.kind][2],
            bounded=_bounded(self.kind),
        )


def _answer_fields(ruling: BaseModel) -> Fields:
    assert isinstance(ruling, AnswerRuling)
    return {"accepted": ruling.correct, "reason": ruling.reason}


def _shown(value: Any) -> str:
    return ("yes" if value else "no") if isinstance(value, bool) else str(value)


def reference_block(answers: Sequence[Any], evidence: str | None = None) -> str:
    """The reference an answer is graded against: the answer, the other accepted forms, the evidence."""
    text = f"REFERENCE ANSWER: {_shown(answers[0])}"
    if len(answers) > 1:
        text += f" (also accepted: {'; '.join(_shown(a) for a in answers[1:])})"
    return text + (f'\nTHE ARTICLE SAYS: "{evidence}"' if evidence else "")


def response_block(answer: str, declined: bool = False) -> str:
    """The response being graded, said to decline when it set ``answerable`` to false."""
    return f"RESPONSE: {answer}" + (
        " (the response declines: it says the article does not state this)" if declined else ""
    )


NOT_STATED = "REFERENCE ANSWER: the article does not state this; a correct response declines to answer."


def qa_case(prompts: Mapping[str, Prompt], q: Question, parsed: Mapping[str, Any]) -> Case:
    """The judge's request on a qa reply to ``q``."""
    first = reference_block((q.answer, *q.aliases), q.evidence) if q.answerable else NOT_STATED
    value = parsed.get("value")
    answer = str(parsed.get("answer", ""))
    if value is not None and str(value) not in answer:
        answer += f" (value: {value:g})"
    second = response_block(answer, declined=not parsed.get("answerable", True))
    return Case("qa", prompts["qa"], {"question": q.question}, first, second, _answer_fields)


def answer_case(prompts: Mapping[str, Prompt], question: str, answers: Sequence[str], candidate: str) -> Case:
    """The judge's request on a free-text answer with no article (``harness agree --judge``)."""
    return Case(
        "answer",
        prompts["answer"],
        {"question": question},
        reference_block(answers),
        response_block(candidate),
        _answer_fields,
    )


def summary_case(prompts: Mapping[str, Prompt], rubric: SummaryRubric, summary: str, article: str) -> Case:
    """The judge's request on a summary: every key and forbidden fact, labelled F1, F2, ... (neither kind
    is named, so the judge rules on what is stated, not on what is wanted)."""
    facts = [*rubric.key_facts, *rubric.forbidden]
    labels = {f"F{i}": fact.id for i, fact in enumerate(facts, 1)}
    first = "FACTS:\n" + "\n".join(f"- {label}: {fact.fact}" for label, fact in zip(labels, facts, strict=True))
    second = f'SUMMARY:\n"""\n{summary}\n"""'
    return Case("summary", prompts["summary"], {"article": article}, first, second, _summary_reader(rubric, labels))


def _summary_reader(rubric: SummaryRubric, labels: Mapping[str, str]) -> Callable[[BaseModel], Fields]:
    def read(ruling: BaseModel) -> Fields:
        assert isinstance(ruling, SummaryRuling)
        said = {f.id.strip().upper(): f for f in ruling.facts}
        missing = [label for label in labels if label not in said]
        if missing:
            raise SchemaViolation(f"facts: no ruling on {', '.join(missing)} of {len(labels)} listed facts")
        stated = {labels[label]: said[label].sentence for label in labels if said[label].stated}
        total = sum(k.weight for k in rubric.key_facts)
        coverage = sum(k.weight for k in rubric.key_facts if k.id in stated) / total
        key = tuple(k.id for k in rubric.key_facts if k.id in stated)
        forbidden = tuple(f.id for f in rubric.forbidden if f.id in stated)
        accepted = coverage >= SUMMARY_PASS_COVERAGE and not forbidden and not ruling.unsupported
        reason = f"states {len(key)} of {len(rubric.key_facts)} key facts ({coverage:.0%})"
        if forbidden:
            reason += f"; states forbidden {', '.join(forbidden)}"
        if ruling.unsupported:
            reason += f"; {len(ruling.unsupported)} sentences the article does not support"
        return {
            "accepted": accepted,
            "reason": reason,
            "coverage": round(coverage, 4),
            "stated": key,
            "forbidden": forbidden,
            "sentences": stated,
            "unsupported": tuple(ruling.unsupported),
        }

    return read


def correction_case(prompts: Mapping[str, Prompt], claim: Claim, parsed: Mapping[str, Any]) -> Case | None:
    """The judge's request on a correction: a refuted claim labelled refuted (None otherwise, as the rules)."""
    if claim.correction is None or parsed.get("label") != "refuted":
        return None
    question = f'The claim "{claim.claim}" is false. What does the article say instead?'
    passages = (claim.evidence,) if isinstance(claim.evidence, str) else claim.evidence or ()
    first = reference_block((claim.correction.shown(),), " / ".join(passages) or None)
    second = response_block(str(parsed.get("correction") or "(no correction given)"))
    return Case("qa", prompts["qa"], {"question": question}, first, second, _answer_fields)


def judgeable(task_name: str, golden: Golden, item_id: str) -> bool:
    """Can the judge rule on replies to this item? (A claim: only a refuted one has a correction.)"""
    if task_name == "factcheck":
        return find(golden.claims, item_id).correction is not None
    return task_name in ("qa", "summary")


def judge_case(
    prompts: Mapping[str, Prompt], task_name: str, golden: Golden, item_id: str, article: str, parsed: Mapping[str, Any]
) -> Case | None:
    """The judge's request on a reply that passed its schema; None where the judge does not rule."""
    if task_name == "qa":
        return qa_case(prompts, find(golden.questions, item_id), parsed)
    if task_name == "summary":
        return summary_case(prompts, find(all_summaries(golden), item_id), str(parsed.get("summary", "")), article)
    if task_name == "factcheck":
        return correction_case(prompts, find(golden.claims, item_id), parsed)
    return None
