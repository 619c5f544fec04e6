"""Telling a refused run from a refused item, from the first replies of a model."""

from __future__ import annotations

from dataclasses import dataclass, field

from harness.errors import ModelError
from harness.types import ItemResult

FIRST_REPLIES = 5  # a run whose first this-many fresh replies fail the same way stops (RunGuard)


@dataclass
class RunGuard:
    """Tells a refused run from a refused item. When the first FIRST_REPLIES fresh replies of a model
    are all the same error, not retried (a client error: a wrong model name, a refused key, a missing
    route, whatever status the server chose), the run stops with the server's message. Until that is
    decided, error results wait here; one success, or the run's end, releases them to be written."""

    model: str
    held: list[ItemResult] = field(default_factory=list)
    decided: bool = False

    def admit(self, result: ItemResult) -> list[ItemResult]:
        """The results to write now; raises ModelError when the run is refused."""
        if self.decided:
            return [result]
        if result.outcome != "error" or result.attempts > 1 or result.cached:
            self.decided = True
            return [*self.held, result]
        self.held.append(result)
        if len(self.held) < FIRST_REPLIES:
            return []
        self.decided = True
        messages = {r.reason for r in self.held}
        if len(messages) == 1:
            message = next(iter(messages)).splitlines()[0][:300]
            raise ModelError(
                f"model {self.model!r}: the first {FIRST_REPLIES} requests were all refused the same way, so the "
                f"run stops: {message.rstrip('.')}. Fix: check --model, the API key and --base-url"
            )
        return self.held

    def release(self) -> list[ItemResult]:
        held, self.held = self.held, []
        return held
