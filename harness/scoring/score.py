"""One entry point: a raw reply for a work item becomes a Verdict.

Order matters and is the contract of the outcomes:
1. an infrastructure error (after retries) is ``error``: never a model mistake;
2. a reply that is not JSON of the task's schema is ``invalid``, with the validator's message;
3. otherwise the task's rules (``harness/tasks/``) decide correct / incorrect / abstained.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from harness.goldens import Golden
from harness.outputs import SchemaViolation, parse_output
from harness.tasks import TASKS, task
from harness.types import ItemResult, ModelReply, Verdict


def score_parsed(task_name: str, item_id: str, golden: Golden, seed_text: str, parsed: Any) -> Verdict:
    """Verdict for a reply that passed schema validation."""
    return task(task_name).judge(golden, item_id, parsed, seed_text)


def score_reply(
    task_name: str, item_id: str, golden: Golden, seed_text: str, reply: ModelReply
) -> tuple[Verdict, dict[str, object] | None]:
    """The verdict on one reply, and the parsed output (None unless it validated)."""
    if reply.error is not None:
        return Verdict(outcome="error", reason=reply.error), None
    if reply.text is None:
        return Verdict(outcome="invalid", reason="the reply has no text"), None
    try:
        parsed = parse_output(task_name, reply.text)
    except SchemaViolation as exc:
        if reply.finish_reason == "length":
            return Verdict(outcome="invalid", reason=f"schema: cut off at the token limit ({exc})"), None
        return Verdict(outcome="invalid", reason=f"schema: {exc}"), None
    return score_parsed(task_name, item_id, golden, seed_text, parsed), parsed.model_dump()


def rescore(result: ItemResult, golden: Golden, seed_text: str, tags: tuple[str, ...] | None = None) -> ItemResult:
    """The same reply judged again with today's goldens and rules (and today's ``tags`` of the item, when
    given); errors stay errors."""
    if tags is not None and tags != result.tags:
        result = result.model_copy(update={"tags": tags})
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


def rescored(
    results: Iterable[ItemResult], goldens: Mapping[str, Golden], texts: Mapping[str, str]
) -> Iterator[ItemResult]:
    """Every result judged again with today's goldens and rules, as they stream by; tags are golden data, so
    they are today's too (an item newly tagged "critical" counts as critical at once). A golden's tags are
    read when a result of its seed comes (the last few seeds' kept), never every golden's at once."""

    @functools.lru_cache(maxsize=8)
    def tags_of(seed: str) -> dict[tuple[str, str], tuple[str, ...]]:
        tags: dict[tuple[str, str], tuple[str, ...]] = {}
        for t in TASKS.values():
            for item in t.items(goldens[seed]):
                tags.setdefault((t.name, item.id), item.tags)  # the first item of an id, as judged
        return tags

    for r in results:
        yield rescore(r, goldens[r.seed], texts[r.seed], tags_of(r.seed).get((r.task, r.item)))


def rescore_all(
    results: Sequence[ItemResult], goldens: Mapping[str, Golden], texts: Mapping[str, str]
) -> list[ItemResult]:
    """``rescored``, held."""
    return list(rescored(results, goldens, texts))
