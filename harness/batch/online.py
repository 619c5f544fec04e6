"""``harness run --batch``: a run through the provider's Batch API with the openai SDK.

The items without a result are written as batch files (``export.py``), each uploaded
(``files.create``) and submitted (``batches.create``); every batch id goes into the manifest the moment
it exists, so ``harness run --resume RUN`` re-attaches to a batch in flight instead of submitting it
again. Each batch is polled (``batches.retrieve``) until it ends; its output and error files are
downloaded (``files.content``) and imported as ``harness batch import`` does. A batch that failed or
expired leaves items without a result: they, and only they, are submitted again, up to
``--max-attempts`` rounds.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import ExitStack
from dataclasses import replace
from typing import TypeVar

import openai

from harness.batch.export import request_line, split
from harness.batch.imports import Imported, Importer, importing
from harness.errors import ModelError
from harness.manifest import write_manifest
from harness.models.openai_compat import OpenAICompatModel
from harness.models.providers import open_model
from harness.progress import Reporter
from harness.runner import OpenRun, RunSummary, finish_run

ENDED = ("completed", "failed", "expired", "cancelled")
T = TypeVar("T")


class BatchRun:
    """One run's batches: submitted, polled, imported, the manifest kept up to date."""

    def __init__(self, run: OpenRun, model: OpenAICompatModel, importer: Importer, say: Callable[[str], None]) -> None:
        self.run = run
        self.model = model
        self.importer = importer
        self.say = say

    def _record(self, batch_id: str, state: str) -> None:
        manifest = self.run.manifest
        self.run = replace(
            self.run, manifest=manifest.model_copy(update={"batches": {**manifest.batches, batch_id: state}})
        )
        self.importer.scorer.run = self.run
        write_manifest(self.run.folder / "manifest.json", self.run.manifest)

    async def _api(self, what: str, call: Awaitable[T]) -> T:
        """One Batch API call; a refusal or an unreachable endpoint stops the run with one message (the
        batches already submitted are in the manifest: --resume re-attaches to them)."""
        where = f"model {self.model.name!r}: the Batch API at {self.model.client.base_url}"
        fix = "check that the endpoint offers the Batch API (/v1/files, /v1/batches), then harness run --resume"
        try:
            return await call
        except openai.APIStatusError as exc:
            raise ModelError(
                f"{where} refused to {what} ({exc.status_code}). Fix: {fix} {self.run.manifest.run_id}"
            ) from None
        except openai.APIError as exc:
            raise ModelError(
                f"{where}: could not {what} ({type(exc).__name__}). Fix: {fix} {self.run.manifest.run_id}"
            ) from None

    async def submit(self) -> int:
        """Submit the items without a result; how many were submitted."""
        config = self.run.manifest.config
        todo = (i for i in self.run.items if i.id not in self.importer.done)
        lines = (request_line(i.id, self.model.body_of(i, config.settings)) for i in todo)
        submitted = 0
        for number, chunk in enumerate(split(lines), start=1):  # one file's lines held at a time
            data = b"".join(chunk)
            name = f"batch-{number:04d}.jsonl"
            upload = await self._api(
                "upload a file", self.model.client.files.create(file=(name, data), purpose="batch")
            )
            batch = await self._api(
                "create a batch",
                self.model.client.batches.create(
                    input_file_id=upload.id, endpoint="/v1/chat/completions", completion_window="24h"
                ),
            )
            self._record(batch.id, "submitted")
            self.say(f"submitted batch {batch.id}: {len(chunk)} requests")
            submitted += len(chunk)
        return submitted

    async def finish(self, batch_id: str) -> None:
        """Poll ``batch_id`` until it ends, then import its output and error files."""
        poll = self.run.manifest.config.batch_poll_s
        while True:
            batch = await self._api(f"read batch {batch_id}", self.model.client.batches.retrieve(batch_id))
            if batch.status in ENDED:
                break
            counts = batch.request_counts
            done = f"{counts.completed + counts.failed}/{counts.total}" if counts else "?"
            self.say(f"batch {batch_id}: {batch.status}, {done} requests done")
            await asyncio.sleep(poll)
        for file_id in (batch.output_file_id, batch.error_file_id):
            if file_id:
                content = await self._api(f"download {file_id}", self.model.client.files.content(file_id))
                text = content.text
                lines = enumerate(text.splitlines(), start=1)
                self.importer.take_lines(f"{batch_id}:{file_id}", lines, len(text))
        self._record(batch_id, "imported")
        self.say(f"batch {batch_id}: {batch.status}; imported")

    async def drive(self) -> None:
        """Re-attach to the batches in flight, then submit what has no result, round after round."""
        rounds = 0
        while True:
            for batch_id, state in list(self.run.manifest.batches.items()):
                if state == "submitted":
                    await self.finish(batch_id)
            if rounds >= self.run.manifest.config.max_attempts or not await self.submit():
                return
            rounds += 1


def run_batch(run: OpenRun, reporter: Reporter, say: Callable[[str], None] = print) -> tuple[RunSummary, Imported]:
    """Drive ``run`` through the Batch API to its end (see the module docstring): ``reporter`` shows the
    results as they are imported, ``say`` each batch's state as it is polled."""
    try:
        tally, run = asyncio.run(_drive(run, reporter, say))
    finally:
        reporter.stop()
    for problem in tally.problems:  # a line the provider wrote that could not be read: left without a result
        reporter.warn(str(problem))
    tally.summary = finish_run(run, tally.counted)
    return tally.summary, tally


async def _drive(run: OpenRun, reporter: Reporter, say: Callable[[str], None]) -> tuple[Imported, OpenRun]:
    """The import's tally, and the run with its manifest as the batches left it."""
    tally = Imported()
    async with importing(run, tally, reporter) as (importer, model):
        batches = BatchRun(run, model, importer, say)
        await batches.drive()
    return tally, batches.run


async def _each(run: OpenRun, act: Callable[[OpenAICompatModel, str], Awaitable[str]]) -> list[str]:
    config = run.manifest.config
    with ExitStack() as stack:
        model, _ = open_model(config.models[0], config, stack)
        assert isinstance(model, OpenAICompatModel)
        try:
            return [await act(model, batch_id) for batch_id in run.manifest.batches]
        except openai.APIError as exc:
            raise ModelError(
                f"model {model.name!r}: the Batch API at {model.client.base_url} failed ({type(exc).__name__}). "
                "Fix: check the endpoint and the key, then try again"
            ) from None
        finally:
            await model.aclose()


async def _status(model: OpenAICompatModel, batch_id: str) -> str:
    batch = await model.client.batches.retrieve(batch_id)
    counts = batch.request_counts
    done = f"{counts.completed} completed, {counts.failed} failed of {counts.total}" if counts else "no counts yet"
    return f"{batch_id}: {batch.status} ({done})"


async def _cancel(model: OpenAICompatModel, batch_id: str) -> str:
    batch = await model.client.batches.retrieve(batch_id)
    if batch.status in ENDED:
        return f"{batch_id}: {batch.status}, nothing to cancel"
    batch = await model.client.batches.cancel(batch_id)
    return f"{batch_id}: {batch.status}"


def batch_status(run: OpenRun) -> list[str]:
    """One line per batch of a ``--batch`` run: its state at the provider and its request counts."""
    return asyncio.run(_each(run, _status))


def cancel_batches(run: OpenRun) -> list[str]:
    """Cancel every batch of the run still in flight; one line per batch. Their answers so far are
    imported by ``harness run --resume RUN``, which submits the rest again."""
    return asyncio.run(_each(run, _cancel))
