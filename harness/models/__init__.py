"""Models: anything that turns a WorkItem into a ModelReply.

- ``openai_compat``: any OpenAI-compatible endpoint (the only importer of openai);
- ``local``: the embedded SmolLM2-135M served in-process by xllamacpp;
- ``baseline``: ``baseline/lexical``, a deterministic in-process floor;
- ``providers``: which of them serves a model name, by prefix (where to add a provider).
"""

from __future__ import annotations

from typing import Any, Protocol

from harness.types import GenerationSettings, ModelReply, WorkItem


class Model(Protocol):
    """A model the runner can call. Errors of one item come back inside the reply;
    errors of the whole run (bad key, unknown model) are raised as ModelError."""

    name: str

    def cache_identity(self) -> dict[str, Any]:
        """What, besides the request, decides the answer (endpoint, model, mode)."""
        ...

    async def preflight(self) -> None:
        """Fail the whole run at once (ModelError) when it cannot work: unreachable, key refused.
        A model with nothing to check does nothing."""
        ...

    async def complete(self, item: WorkItem, settings: GenerationSettings) -> ModelReply: ...

    async def aclose(self) -> None: ...
