"""score_reply and rescore: the order of outcomes (error, invalid, then the task's rules) and grounding."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from harness.goldens import Golden
from harness.scoring.score import rescore, rescore_all, score_reply
from harness.tasks import task, task_names
from harness.tasks.claims import Claim
from harness.tasks.qa import Question
from harness.tasks.summary import SummaryFact, SummaryRubric
from harness.types import AnswerDetails, ItemResult, LabelDetails, ModelReply, Verdict
from tests.conftest import item_result

ARTICLE = "At least 12 people were killed and 90 were injured in Kyiv on Thursday."
GOLDEN = Golden(
    seed="s",
    as_of=dt.date(2025, 4, 24),
    questions=(
        Question(id="injured", question="How many were injured?", type="number", answer=90, evidence="90 were injured"),
        Question(id="drones", question="How many drones?", type="number", answerable=False),
        Question(id="injured", question="A duplicate id: the first one wins", type="number", answer=1, evidence="1"),
    ),
    claims=(Claim(id="c", claim="90 were injured.", label="supported", evidence="90 were injured"),),
    summary=SummaryRubric(
        max_words=20,
        key_facts=(SummaryFact(id="k", fact="12 killed", require=(("12",), ("killed",))),),
    ),
)


ANSWERABLE = AnswerDetails(answerable=True, rule="number")  # the rule that decided "90"


def reply(payload: object, finish_reason: str | None = "stop") -> ModelReply:
    text = payload if isinstance(payload, str) else json.dumps(payload)
    return ModelReply(text=text, mode="json_schema", finish_reason=finish_reason)


def answer(text: str, evidence: str = "", answerable: bool = True) -> dict[str, object]:
    return {"answerable": answerable, "answer": text, "value": None, "evidence": evidence}


def test_an_infrastructure_error_is_error_whatever_the_text() -> None:
    failed = ModelReply(text='{"answer": "90"}', error="APITimeoutError: timed out", mode="json_schema")
    assert score_reply("qa", "injured", GOLDEN, ARTICLE, failed) == (
        Verdict(outcome="error", reason="APITimeoutError: timed out"),
        None,
    )


def test_a_reply_without_text_is_invalid() -> None:
    empty = ModelReply(text=None, mode="json_schema")
    assert score_reply("qa", "injured", GOLDEN, ARTICLE, empty) == (
        Verdict(outcome="invalid", reason="the reply has no text"),
        None,
    )


def test_a_schema_violation_is_invalid_and_says_why() -> None:
    verdict, parsed = score_reply("qa", "injured", GOLDEN, ARTICLE, reply({"answer": "90"}))
    assert verdict.outcome == "invalid" and parsed is None
    assert verdict.reason.startswith("schema: ") and "answerable" in verdict.reason
    assert not verdict.reason.startswith("schema: cut off")


def test_a_reply_cut_at_the_token_limit_says_so() -> None:
    verdict, parsed = score_reply("qa", "injured", GOLDEN, ARTICLE, reply('{"answerable": true, "ans', "length"))
    assert verdict.outcome == "invalid" and parsed is None
    assert verdict.reason.startswith("schema: cut off at the token limit (")


def test_a_valid_answer_is_judged_and_its_quote_grounded() -> None:
    verdict, parsed = score_reply("qa", "injured", GOLDEN, ARTICLE, reply(answer("90", "90 were injured")))
    assert verdict == Verdict(outcome="correct", reason="states 90", grounded=True, details=ANSWERABLE)
    assert parsed == answer("90", "90 were injured")
    verdict, _ = score_reply("qa", "injured", GOLDEN, ARTICLE, reply(answer("90", "Kyiv burned for a week")))
    assert (verdict.outcome, verdict.grounded) == ("correct", False)
    verdict, _ = score_reply("qa", "injured", GOLDEN, ARTICLE, reply(answer("90")))
    assert verdict.grounded is None  # no quote, nothing to judge


def test_an_abstention_has_no_quote_to_ground() -> None:
    declined = answer("not stated", "Kyiv burned for a week", answerable=False)
    verdict, _ = score_reply("qa", "drones", GOLDEN, ARTICLE, reply(declined))
    assert verdict == Verdict(
        outcome="correct", reason="abstained: the article does not say", details=AnswerDetails(answerable=False)
    )


def test_the_first_item_with_an_id_is_the_one_judged() -> None:
    verdict, _ = score_reply("qa", "injured", GOLDEN, ARTICLE, reply(answer("1")))
    assert verdict.reason == "states 1; expected 90"
    with pytest.raises(KeyError, match="missing"):
        score_reply("qa", "missing", GOLDEN, ARTICLE, reply(answer("1")))


def test_claims_and_summaries_are_judged_by_their_own_rules() -> None:
    label = {"label": "supported", "evidence": "90 were injured", "correction": None}
    verdict, parsed = score_reply("factcheck", "c", GOLDEN, ARTICLE, reply(label))
    assert verdict == Verdict(
        outcome="correct",
        reason="labelled supported; evidence: the right passage",
        grounded=True,
        details=LabelDetails(gold="supported", predicted="supported", evidence=True),
    )
    assert parsed == label
    text = {"summary": "12 were killed.", "key_points": [{"point": "12 killed", "evidence": "12 people were killed"}]}
    verdict, parsed = score_reply("summary", "summary", GOLDEN, ARTICLE, reply(text))
    assert (verdict.outcome, verdict.reason, verdict.grounded) == ("correct", "covers 100% of key facts", True)
    assert parsed == text


def test_many_goldens_are_each_judged_against_their_own_items() -> None:
    for n in range(300):  # more goldens than the id index keeps
        golden = GOLDEN.model_copy(update={"questions": (GOLDEN.questions[0].model_copy(update={"answer": n}),)})
        verdict, _ = score_reply("qa", "injured", golden, ARTICLE, reply(answer(str(n))))
        assert verdict.reason == f"states {n}"
    verdict, _ = score_reply("qa", "injured", GOLDEN, ARTICLE, reply(answer("90")))
    assert verdict.reason == "states 90"


def result(raw: str | None, outcome: str = "correct", finish_reason: str | None = None) -> ItemResult:
    return item_result(
        "qa",
        "injured",
        raw=raw,
        outcome=outcome,
        reason="old reason",
        details=AnswerDetails(answerable=False, hallucinated=True),
        mode="json_object",
        latency_s=2.5,
        attempts=3,
        finish_reason=finish_reason,
    )


def test_rescore_judges_the_same_reply_again_and_keeps_the_rest() -> None:
    before = result(json.dumps(answer("90", "90 were injured")), outcome="incorrect")
    after = rescore(before, GOLDEN, ARTICLE)
    assert (after.outcome, after.reason, after.grounded, after.details) == ("correct", "states 90", True, ANSWERABLE)
    assert after.parsed == answer("90", "90 were injured")
    assert after.model_dump(exclude={"outcome", "reason", "grounded", "details", "parsed"}) == before.model_dump(
        exclude={"outcome", "reason", "grounded", "details", "parsed"}
    )


def test_rescore_keeps_errors_and_the_token_limit() -> None:
    failed = result(None, outcome="error")
    assert rescore(failed, GOLDEN, ARTICLE) is failed
    cut = rescore(result('{"answerable": true', finish_reason="length"), GOLDEN, ARTICLE)
    assert cut.outcome == "invalid" and cut.reason.startswith("schema: cut off at the token limit")
    assert cut.parsed is None


@pytest.mark.parametrize(
    ("old", "typed"),
    [
        ({}, None),
        ({"hallucinated": True}, AnswerDetails(answerable=False, hallucinated=True)),
        ({"gold": "refuted", "predicted": "supported"}, LabelDetails(gold="refuted", predicted="supported")),
    ],
)
def test_results_written_before_details_were_typed_still_read(old: dict[str, object], typed: object) -> None:
    line = result(None).model_dump(mode="json") | {"details": old}
    assert ItemResult.model_validate_json(json.dumps(line)).details == typed


def test_rescoring_a_run_takes_todays_tags_from_the_goldens() -> None:
    tagged = GOLDEN.model_copy(
        update={"questions": (GOLDEN.questions[0].model_copy(update={"tags": ("critical",)}), *GOLDEN.questions[1:])}
    )
    old = [result(json.dumps(answer("90", "90 were injured"))), result(None, outcome="error")]
    assert [r.tags for r in old] == [(), ()]
    new = rescore_all(old, {"s": tagged}, {"s": ARTICLE})
    assert [(r.outcome, r.tags) for r in new] == [("correct", ("critical",)), ("error", ("critical",))]


def test_each_task_describes_what_a_golden_holds_for_it() -> None:
    assert [task(name).describe(GOLDEN) for name in task_names()] == [
        "3 questions (1 unanswerable)",
        "1 claims (1 supported, 0 refuted, 0 not_enough_info)",
        "1 key facts, 0 forbidden",
    ]
    assert task("summary").describe(GOLDEN.model_copy(update={"summary": None})) == "no summary rubric"
