"""The frozen records passed between stages.

Seed + Golden -> WorkItem (messages) -> ModelRequest -> ModelReply
-> Verdict -> ItemResult (one line of results.jsonl)
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

Mode = Literal["json_schema", "json_object", "prompt"]
MODES: tuple[Mode, ...] = ("json_schema", "json_object", "prompt")
Outcome = Literal["correct", "incorrect", "abstained", "invalid", "error"]
OUTCOMES: tuple[Outcome, ...] = ("correct", "incorrect", "abstained", "invalid", "error")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class WorkItem(_Frozen):
    """One request to make: a seed x task x golden item x sample."""

    id: str  # <seed>/<task>/<item>#<sample>
    seed: str
    task: str  # a registered task name (harness.tasks)
    item: str
    sample: int
    prompt_ref: str
    messages: tuple[dict[str, str], ...]
    # What an in-process model (the lexical baseline) needs without parsing the prompt.
    article: str
    subject: str  # the question, the claim, or "" for a summary
    max_words: int | None = None
    tags: tuple[str, ...] = ()


class GenerationSettings(_Frozen):
    """Sampling settings; part of the cache key and of the manifest."""

    temperature: float = 0.0
    max_tokens: int | None = None  # None: the task's own budget (Task.max_tokens)
    seed: int | None = None
    timeout: float = 120.0


class Usage(_Frozen):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0


class ModelReply(_Frozen):
    """What came back for one request: text or an infrastructure error, never both."""

    text: str | None
    error: str | None = None
    mode: Mode
    usage: Usage = Usage()
    latency_s: float = 0.0
    attempts: int = 1
    retry_wait_s: float = 0.0  # waited between attempts, as the retry policy chose
    cached: bool = False
    finish_reason: str | None = None


class Verdict(_Frozen):
    """Scoring's word on one reply: the outcome, why, and task-specific numbers."""

    outcome: Outcome
    reason: str
    grounded: bool | None = None  # was the quoted evidence found in the seed?
    details: dict[str, Any] = {}


class ItemResult(_Frozen):
    """One line of results.jsonl: everything needed to re-score and to explain."""

    model: str
    id: str
    seed: str
    task: str  # a registered task name (harness.tasks)
    item: str
    sample: int
    prompt_ref: str
    mode: Mode
    raw: str | None
    parsed: dict[str, Any] | None
    outcome: Outcome
    reason: str
    grounded: bool | None = None
    details: dict[str, Any] = {}
    usage: Usage = Usage()
    latency_s: float = 0.0
    attempts: int = 1
    retry_wait_s: float = 0.0  # of latency_s, waited between attempts (Retry-After or backoff)
    cached: bool = False
    finish_reason: str | None = None
    tags: tuple[str, ...] = ()


def result_of(
    model: str, item: WorkItem, reply: ModelReply, verdict: Verdict, parsed: dict[str, Any] | None
) -> ItemResult:
    """The line of results.jsonl for one judged reply (the one place it is built: runner and bench)."""
    return ItemResult(
        model=model,
        id=item.id,
        seed=item.seed,
        task=item.task,
        item=item.item,
        sample=item.sample,
        prompt_ref=item.prompt_ref,
        mode=reply.mode,
        raw=reply.text,
        parsed=parsed,
        outcome=verdict.outcome,
        reason=verdict.reason,
        grounded=verdict.grounded,
        details=verdict.details,
        usage=reply.usage,
        latency_s=round(reply.latency_s, 4),
        attempts=reply.attempts,
        retry_wait_s=reply.retry_wait_s,
        cached=reply.cached,
        finish_reason=reply.finish_reason,
        tags=item.tags,
    )
