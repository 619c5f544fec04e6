"""``baseline/lexical``: a deterministic in-process reference "model".

Each task gives its own lexical answer (``Task.baseline``): questions and claims get the
article sentence with the most words in common; summaries get the article's long sentences
in order, leaving out any sentence the page prints more than once (photo captions, repeated
headlines): the same rule for every article. It needs no server, runs in milliseconds and
gives every report a floor to beat.
"""

from __future__ import annotations

import json
import time
from typing import Any

from harness.models import Preflight
from harness.tasks import task
from harness.types import GenerationSettings, Mode, ModelReply, Usage, WorkItem

BASELINE_MODEL = "baseline/lexical"


class LexicalBaseline:
    """Deterministic reference answers in the same JSON shapes as a model's."""

    name = BASELINE_MODEL

    def cache_identity(self) -> dict[str, Any]:
        return {"model": self.name, "version": 1}

    async def preflight(self, mode: Mode | None = None) -> Preflight:
        return Preflight()  # nothing outside this process to check, no mode to settle

    async def complete(self, item: WorkItem, settings: GenerationSettings) -> ModelReply:
        started = time.perf_counter()
        answer = task(item.task).baseline(item)
        return ModelReply(
            text=json.dumps(answer, ensure_ascii=False),
            mode="json_schema",
            usage=Usage(),
            latency_s=time.perf_counter() - started,
        )

    async def aclose(self) -> None:
        return None
