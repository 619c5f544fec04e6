"""The response cache: sqlite, keyed by the sha256 of the canonical request.

The key covers everything that decides an answer: endpoint, model, structured
mode, the rendered messages, the generation settings that change sampling, the
task's schema and the sample index. Changing one prompt therefore re-calls the
model for that prompt's items only. Only successful replies are stored: an
error is never replayed from the cache.
"""

from __future__ import annotations

import functools
import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any

from harness.models import Ask
from harness.outputs import output_schema
from harness.types import GenerationSettings, ModelReply, WorkItem

# One schema dict per task, shared read-only (json.dumps never mutates it): the export is slow.
_schema = functools.cache(output_schema)


def request_key(identity: dict[str, Any], item: WorkItem, settings: GenerationSettings) -> str:
    """sha256 of the canonical request. ``timeout`` is left out: it cannot change an answer."""
    canonical = {
        "identity": identity,
        "messages": item.messages,
        "settings": settings.model_dump(exclude={"timeout"}),
        "schema": _schema(item.task),
        "sample": item.sample,
    }
    blob = json.dumps(canonical, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def ask_key(identity: dict[str, Any], ask: Ask, settings: GenerationSettings) -> str:
    """sha256 of a request that is not a work item's (a judge's): the same fields, the schema its own."""
    canonical = {
        "identity": identity,
        "messages": ask.messages,
        "settings": settings.model_dump(exclude={"timeout"}),
        "schema": ask.schema,
        "max_tokens": ask.max_tokens,
    }
    blob = json.dumps(canonical, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class ResponseCache:
    """A sqlite file shared by runs; safe for one writer process at a time and many readers."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS replies (key TEXT PRIMARY KEY, reply TEXT NOT NULL)")

    def get(self, key: str) -> ModelReply | None:
        row = self._db.execute("SELECT reply FROM replies WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        return ModelReply.model_validate_json(row[0]).model_copy(update={"cached": True})

    def put(self, key: str, reply: ModelReply) -> None:
        if reply.error is not None or reply.text is None:
            return
        self.put_json(key, reply.model_dump_json())

    def put_json(self, key: str, reply: str) -> None:
        """Keep a reply already dumped (``ModelReply.model_dump_json``) that has text and no error."""
        self._db.execute("INSERT OR REPLACE INTO replies (key, reply) VALUES (?, ?)", (key, reply))

    def close(self) -> None:
        self._db.close()
