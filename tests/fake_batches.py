"""The Batch API on the fake server: files upload and content, batches create, retrieve and cancel.

A batch is ``in_progress`` while ``hold`` is set; on the first poll after that it ends as ``fate(n)``
decides for the n-th batch created: ``completed`` (every line answered by the responder),
``errors`` (completed, its last line in the error file with a 500), ``failed`` (nothing answered), or
``expired`` (its first half answered).
"""

from __future__ import annotations

import email.policy
import json
import threading
from collections.abc import Callable
from email.parser import BytesParser
from typing import Any

from aiohttp import web

from tests.fake_openai import FakeOpenAI, Reply, Responder


def _completion(body: dict[str, Any], content: str | None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-batch",
        "object": "chat.completion",
        "created": 0,
        "model": body.get("model", "fake"),
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
    }


class FakeBatches(FakeOpenAI):
    def __init__(self, responder: Responder, fate: Callable[[int], str] = lambda n: "completed") -> None:
        super().__init__(responder)
        self.fate = fate
        self.hold = threading.Event()  # set: every batch stays in_progress
        self.files: dict[str, bytes] = {}
        self.batches: dict[str, dict[str, Any]] = {}
        self.inputs: list[list[dict[str, Any]]] = []  # each batch's request lines, in order of creation

    def routes(self, app: web.Application) -> None:
        app.router.add_post("/v1/files", self._upload)
        app.router.add_get("/v1/files/{id}/content", self._content)
        app.router.add_post("/v1/batches", self._create)
        app.router.add_get("/v1/batches/{id}", self._retrieve)
        app.router.add_post("/v1/batches/{id}/cancel", self._cancel)

    def _store(self, data: bytes, name: str, purpose: str) -> dict[str, Any]:
        file_id = f"file-{len(self.files) + 1}"
        self.files[file_id] = data
        return {
            "id": file_id,
            "object": "file",
            "bytes": len(data),
            "created_at": 0,
            "filename": name,
            "purpose": purpose,
        }

    async def _upload(self, request: web.Request) -> web.StreamResponse:
        # The multipart form read with the standard library: aiohttp's own reader warns (unread_data).
        head = f"Content-Type: {request.headers['Content-Type']}\r\n\r\n".encode()
        form = BytesParser(policy=email.policy.default).parsebytes(head + await request.read())
        fields = {part.get_param("name", header="content-disposition"): part for part in form.iter_parts()}
        upload, purpose = fields["file"], fields["purpose"]
        assert purpose.get_content() == "batch"
        data = upload.get_payload(decode=True)
        assert isinstance(data, bytes)
        name = upload.get_filename() or "batch.jsonl"
        return web.json_response({**self._store(data, name, "batch"), "status": "processed"})

    async def _content(self, request: web.Request) -> web.StreamResponse:
        return web.Response(body=self.files[request.match_info["id"]], content_type="application/octet-stream")

    async def _create(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        lines = [json.loads(line) for line in self.files[body["input_file_id"]].decode("utf-8").splitlines()]
        self.inputs.append(lines)
        batch_id = f"batch_{len(self.batches) + 1}"
        self.batches[batch_id] = {
            "id": batch_id,
            "object": "batch",
            "endpoint": body["endpoint"],
            "input_file_id": body["input_file_id"],
            "completion_window": body["completion_window"],
            "status": "in_progress",
            "created_at": 0,
            "request_counts": {"total": len(lines), "completed": 0, "failed": 0},
        }
        return web.json_response(self.batches[batch_id])

    def _answer(self, line: dict[str, Any]) -> dict[str, Any]:
        reply = self.responder(line["body"], 1)
        assert isinstance(reply, Reply)
        response = {"status_code": 200, "request_id": "req", "body": _completion(line["body"], reply.content)}
        return {"id": "batch_req", "custom_id": line["custom_id"], "response": response, "error": None}

    def _end(self, batch: dict[str, Any]) -> None:
        number = int(batch["id"].removeprefix("batch_"))
        lines, fate = self.inputs[number - 1], self.fate(number)
        answered = {"completed": lines, "errors": lines[:-1], "failed": [], "expired": lines[: len(lines) // 2]}[fate]
        failed = lines[-1:] if fate == "errors" else []
        status = {"errors": "completed"}.get(fate, fate)
        batch.update(
            status=status, request_counts={"total": len(lines), "completed": len(answered), "failed": len(failed)}
        )
        if answered:
            text = "".join(json.dumps(self._answer(line)) + "\n" for line in answered)
            batch["output_file_id"] = self._store(text.encode(), "output.jsonl", "batch_output")["id"]
        if failed:
            error = {"status_code": 500, "request_id": "req", "body": {"error": {"message": "the engine fell over"}}}
            text = "".join(
                json.dumps({"id": "e", "custom_id": line["custom_id"], "response": error, "error": None}) + "\n"
                for line in failed
            )
            batch["error_file_id"] = self._store(text.encode(), "errors.jsonl", "batch_output")["id"]

    async def _retrieve(self, request: web.Request) -> web.StreamResponse:
        batch = self.batches[request.match_info["id"]]
        if batch["status"] == "in_progress" and not self.hold.is_set():
            self._end(batch)
        return web.json_response(batch)

    async def _cancel(self, request: web.Request) -> web.StreamResponse:
        batch = self.batches[request.match_info["id"]]
        batch["status"] = "cancelled"
        return web.json_response(batch)
