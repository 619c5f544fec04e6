"""Models: anything that turns a WorkItem into a ModelReply.

- ``openai_compat``: any OpenAI-compatible endpoint (the only importer of openai);
- ``local``: the embedded SmolLM2-135M served in-process by xllamacpp;
- ``baseline``: ``baseline/lexical``, a deterministic in-process floor;
- ``providers``: which of them serves a model name, by prefix (where to add a provider).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from harness.types import GenerationSettings, Mode, ModelReply, WorkItem


@dataclass(frozen=True)
class Ask:
    """One chat request as a model sends it: the messages, the answer's JSON Schema (``name`` names it in
    response_format), the completion budget, and the schema with the embedded server's limits (None: the
    same schema) for a server whose grammar needs them. A work item's request, or a judge's."""

    messages: tuple[dict[str, str], ...]
    name: str
    schema: dict[str, Any]
    max_tokens: int
    bounded: dict[str, Any] | None = None


@dataclass(frozen=True)
class Preflight:
    """What a model's preflight found: the structured-output mode settled for the run (None: nothing was
    settled, as for an in-process model), and a warning to show once."""

    mode: Mode | None = None
    warning: str | None = None


class Model(Protocol):
    """A model the runner can call. Errors of one item come back inside the reply;
    errors of the whole run (bad key, unknown model) are raised as ModelError."""

    name: str

    def cache_identity(self) -> dict[str, Any]:
        """What, besides the request, decides the answer (endpoint, model, mode)."""
        ...

    async def preflight(self, mode: Mode | None = None) -> Preflight:
        """Fail the whole run at once (ModelError) when it cannot work: unreachable, key refused; settle the
        structured-output mode (``mode``: the one a resumed run settled). A model with nothing to check
        returns ``Preflight()``."""
        ...

    async def complete(self, item: WorkItem, settings: GenerationSettings) -> ModelReply: ...

    async def aclose(self) -> None: ...
