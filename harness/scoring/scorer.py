"""The scoring seam: what turns one reply into a Verdict while a run goes on.

A ``Scorer`` is asynchronous so that a later scorer can ask a model (an LLM judge) without
blocking the run; the rule scorer behind it stays a pure function (``score_reply``) and makes
no model call, so ``harness score`` never calls a model unless a judge is configured.
Where to add a scorer: a class with this ``__call__``, passed to ``harness.run(..., scorer=...)``.
"""

from __future__ import annotations

from typing import Protocol

from harness.goldens import Golden
from harness.scoring.score import score_reply
from harness.types import ModelReply, Verdict


class Scorer(Protocol):
    """Judges one reply to one work item: the verdict and the parsed output (None unless it validated)."""

    async def __call__(
        self, task_name: str, item_id: str, golden: Golden, article: str, reply: ModelReply
    ) -> tuple[Verdict, dict[str, object] | None]: ...


class RuleScorer:
    """Each task's own rules (``harness/tasks/``), after the error and schema checks: no model call."""

    async def __call__(
        self, task_name: str, item_id: str, golden: Golden, article: str, reply: ModelReply
    ) -> tuple[Verdict, dict[str, object] | None]:
        return score_reply(task_name, item_id, golden, article, reply)


RULES = RuleScorer()
