"""One entry point: a raw reply for a work item becomes a Verdict.

Order matters and is the contract of the outcomes:
1. an infrastructure error (after retries) is ``error``: never a model mistake;
2. a reply that is not JSON of the task's schema is ``invalid``, with the validator's message;
3. otherwise the task's rules decide correct / incorrect / abstained.
"""

from __future__ import annotations

from typing import Any, Protocol, TypeVar

from harness.goldens import Golden
from harness.matching.evidence import is_grounded
from harness.outputs import FactcheckOutput, QAOutput, SchemaViolation, SummaryOutput, Task, parse_output
from harness.scoring.answers import abstains, score_question
from harness.scoring.factcheck import score_claim
from harness.scoring.summary import score_summary
from harness.types import ItemResult, ModelReply, Verdict


class _Item(Protocol):
    @property
    def id(self) -> str: ...


_T = TypeVar("_T", bound=_Item)
# id(section tuple) -> (the tuple, its items by id), built once per section: a linear scan per reply made
# scoring O(items^2). The entry holds the tuple, so its id cannot be reused while the entry lives.
_INDEX: dict[int, tuple[tuple[Any, ...], dict[str, Any]]] = {}


def _find(items: tuple[_T, ...], item_id: str) -> _T:
    entry = _INDEX.get(id(items))
    if entry is None:
        if len(_INDEX) > 256:
            _INDEX.clear()
        entry = _INDEX[id(items)] = (items, {item.id: item for item in reversed(items)})  # the first wins
    found: _T = entry[1][item_id]
    return found


def score_parsed(
    item_id: str, golden: Golden, seed_text: str, parsed: QAOutput | FactcheckOutput | SummaryOutput
) -> Verdict:
    """Verdict for a reply that passed schema validation."""
    if isinstance(parsed, SummaryOutput):
        assert golden.summary is not None
        return score_summary(golden.summary, parsed, seed_text)
    if isinstance(parsed, QAOutput):
        verdict = score_question(_find(golden.questions, item_id), parsed)
        quote = "" if abstains(parsed) else parsed.evidence
    else:
        verdict = score_claim(_find(golden.claims, item_id), parsed)
        quote = parsed.evidence
    return verdict.model_copy(update={"grounded": is_grounded(quote, seed_text)})


def score_reply(
    task: Task, item_id: str, golden: Golden, seed_text: str, reply: ModelReply
) -> tuple[Verdict, dict[str, object] | None]:
    """The verdict on one reply, and the parsed output (None unless it validated)."""
    if reply.error is not None:
        return Verdict(outcome="error", reason=reply.error), None
    if reply.text is None:
        return Verdict(outcome="invalid", reason="the reply has no text"), None
    try:
        parsed = parse_output(task, reply.text)
    except SchemaViolation as exc:
        if reply.finish_reason == "length":
            return Verdict(outcome="invalid", reason=f"schema: cut off at the token limit ({exc})"), None
        return Verdict(outcome="invalid", reason=f"schema: {exc}"), None
    return score_parsed(item_id, golden, seed_text, parsed), parsed.model_dump()


def rescore(result: ItemResult, golden: Golden, seed_text: str) -> ItemResult:
    """The same reply judged again with today's goldens and rules; errors stay errors."""
    if result.outcome == "error":
        return result
    reply = ModelReply(text=result.raw, mode=result.mode, finish_reason=result.finish_reason)
    verdict, parsed = score_reply(result.task, result.item, golden, seed_text, reply)
    return result.model_copy(
        update={
            "parsed": parsed,
            "outcome": verdict.outcome,
            "reason": verdict.reason,
            "grounded": verdict.grounded,
            "details": verdict.details,
        }
    )
