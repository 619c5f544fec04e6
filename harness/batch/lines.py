"""One line of a batch output (or error) file, scored: the work of ``harness batch import``, the same in
the importing process and in its scoring workers (``harness.batch.workers``).

Each line names its item by ``custom_id``. A 200 response's chat completion becomes the reply the online
path would have received; any other status, or an ``error``, is an infrastructure error (never a model
mistake). The reply is scored by the same code as online, and an ``Answer`` carries what the importer
keeps: the results.jsonl line and the reply cache's entry under the online request's key.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import orjson
import pydantic
from openai.types.chat import ChatCompletion

from harness.cache import request_key
from harness.errors import Problem
from harness.models.openai_compat import reply_of
from harness.results import Counted
from harness.runner import OpenRun
from harness.scoring.score import score_reply
from harness.types import Mode, ModelReply, WorkItem, result_of

KEEP = 8  # seeds whose work items a scorer holds at once (goldens.Shelf keeps as many goldens)
_AS_WRITTEN = "import the engine's output (or error) file as it wrote it"


class Answer(NamedTuple):
    """A line scored: what the importer appends, counts and caches (a tuple: workers send one a line, and
    a tuple pickles ~5x faster than a dataclass)."""

    id: str
    record: bytes = b""  # its results.jsonl line; empty when it was not scored (its item had a result)
    counted: Counted | None = None  # what the run's tally counts of it (its outcome); None when not scored
    error: bool = False  # an infrastructure error (an error line, or a status other than 200)
    cache: tuple[str, str] | None = None  # (request key, reply JSON) for the reply cache


def batch_reply(line: dict[str, Any], mode: Mode) -> ModelReply:
    """The reply a batch output (or error) line carries."""
    response = line.get("response") or {}
    status, body = response.get("status_code"), response.get("body")
    if line.get("error") or status != 200:
        error = line.get("error") or (body.get("error") if isinstance(body, dict) else None) or body
        message = error.get("message", error) if isinstance(error, dict) else error
        return ModelReply(text=None, error=f"batch: status {status}: {message}"[:500], mode=mode)
    try:
        completion = ChatCompletion.model_validate(body)
    except pydantic.ValidationError as exc:
        return ModelReply(
            text=None, error=f"batch: the response body is not a chat completion ({exc.errors()[0]['msg']})", mode=mode
        )
    if not completion.choices:
        return ModelReply(text=None, error="batch: the response has no choices", mode=mode)
    return reply_of(completion, mode)


@dataclass
class LineScorer:
    """Scores lines of a batch file against ``run``'s items, as ``model`` (its name in results); with a
    cache ``identity`` (``Model.cache_identity``), each answer carries its reply cache entry."""

    run: OpenRun
    model: str
    identity: dict[str, Any] | None = None
    _seeds: dict[str, dict[str, WorkItem]] = field(default_factory=dict)

    def item(self, custom_id: str) -> WorkItem | None:
        """The run's work item with this id, None if it has none. The lines of a batch come in any order,
        mostly seed by seed: a seed's items are made when a line first names it, and the last KEEP seeds'
        kept (a million items are not held at once)."""
        seed_id = custom_id.partition("/")[0]
        items = self._seeds.pop(seed_id, None)
        if items is None:
            items = {item.id: item for item in self.run.items.of_seed(seed_id)}
        self._seeds[seed_id] = items  # the most recently used last
        while len(self._seeds) > KEEP:
            del self._seeds[next(iter(self._seeds))]
        return items.get(custom_id)

    def score(self, source: str, number: int, text: str, done: Container[str] = ()) -> Answer | Problem:
        """Line ``number`` of ``source`` scored; a Problem naming the file and line when it cannot be read.
        An item in ``done`` is not scored (its answer's record is empty)."""
        read = self._read(source, number, text)
        if isinstance(read, Problem):
            return read
        item, line = read
        if item.id in done:
            return Answer(item.id)
        config = self.run.manifest.config
        seeds, goldens, _ = self.run.inputs
        reply = batch_reply(line, self.run.manifest.modes.get(self.model, config.mode))
        verdict, parsed = score_reply(item.task, item.item, goldens[item.seed], seeds[item.seed].text, reply)
        result = result_of(self.model, item, reply, verdict, parsed, batch=True)
        cache = None
        if self.identity is not None and reply.error is None and reply.text is not None:
            cache = (request_key(self.identity, item, config.settings), reply.model_dump_json())
        record = (result.model_dump_json() + "\n").encode("utf-8")
        counted = Counted(result.model, result.id, result.task, result.outcome, result.reason)
        return Answer(item.id, record, counted, reply.error is not None, cache)

    def _read(self, source: str, number: int, text: str) -> tuple[WorkItem, dict[str, Any]] | Problem:
        try:
            line = orjson.loads(text)
        except orjson.JSONDecodeError as exc:
            return Problem(file=source, line=number, message=f"not JSON ({exc.msg})", fix=_AS_WRITTEN)
        custom_id = line.get("custom_id") if isinstance(line, dict) else None
        if not isinstance(custom_id, str):
            return Problem(file=source, line=number, field="custom_id", message="missing", fix=_AS_WRITTEN)
        item = self.item(custom_id)
        if item is None:
            return Problem(
                file=source,
                line=number,
                field="custom_id",
                message=f"{custom_id!r} is not an item of this run",
                fix="import the files this run's export was answered with",
            )
        return item, line
