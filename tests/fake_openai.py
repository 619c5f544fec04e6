"""A real OpenAI-compatible HTTP server on 127.0.0.1 for tests, with scripted faults.

It speaks enough of ``POST /v1/chat/completions`` and ``GET /v1/models`` for the
openai SDK. A ``responder(request, seen)`` decides each reply: ``seen`` counts how
often the same messages were asked before (1 on the first try), so a test can
fail the first attempt and answer the second. Faults are real HTTP behaviour:
status codes, headers, hangs, dropped connections, broken bodies.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Self

from aiohttp import web

from harness.models.openai_compat import PROBE_TEXT


@dataclass(frozen=True)
class Reply:
    """A normal completion whose message content is ``content``."""

    content: str | None
    refusal: str | None = None
    delay_s: float = 0.0
    finish_reason: str = "stop"
    usage: dict[str, Any] = field(default_factory=dict)  # fields added to ``usage`` (a server's own)
    extra: dict[str, Any] = field(default_factory=dict)  # top-level fields (llama.cpp's ``timings``)


@dataclass(frozen=True)
class Fault:
    """How a request fails, as real HTTP behaviour:

    - ``status``: that status with ``headers`` (e.g. Retry-After) and ``body``;
    - ``hang``: no answer until the client gives up (its timeout);
    - ``reset``: the connection is dropped before any byte of a response;
    - ``reset_mid_body``: headers and half the body are sent, then the connection is dropped;
    - ``truncated_json``: a complete 200 whose JSON body is cut in half;
    - ``empty_choices``: a valid completion with ``choices: []``;
    - ``wrong_content_type``: a 200 HTML page from a "gateway";
    - ``not_json_body``: a 200 labelled JSON whose body is plain text.
    """

    kind: str
    status: int = 500
    headers: dict[str, str] = field(default_factory=dict)
    body: str = '{"error": {"message": "injected fault", "type": "server_error"}}'
    delay_s: float = 0.0


Action = Reply | Fault
Responder = Callable[[dict[str, Any], int], Action]


def last_user_text(request: dict[str, Any]) -> str:
    return str(request["messages"][-1]["content"])


def _completion(request: dict[str, Any], reply: Reply) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": request.get("model", "fake"),
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": reply.content, "refusal": reply.refusal},
                "finish_reason": reply.finish_reason,
            }
        ],
        "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120, **reply.usage},
        **reply.extra,
    }


def _refuse_key(request: web.Request) -> web.Response:
    # Echo the key that was sent, in full: the worst a real server does, so tests can prove we never repeat it.
    sent = request.headers.get("Authorization", "").removeprefix("Bearer ")
    message = f"Incorrect API key provided: {sent}"
    return web.json_response({"error": {"message": message, "code": "invalid_api_key"}}, status=401)


class FakeOpenAI:
    """Start with ``with FakeOpenAI(responder) as server: server.base_url``."""

    def __init__(
        self,
        responder: Responder,
        api_key: str | None = None,
        *,
        models: tuple[str, ...] = ("fake-model",),
        refuse: Callable[[web.Request], web.Response] | None = None,
        open_models: bool = False,
    ) -> None:
        self.responder = responder
        self.api_key = api_key
        self.models = models  # what GET /v1/models lists
        self._refuse = refuse or _refuse_key  # the answer to a wrong key (a server's own status and body)
        self._open_models = open_models  # GET /v1/models needs no key (llama.cpp)
        self.requests: list[dict[str, Any]] = []
        self.probes: list[dict[str, Any]] = []  # the harness's mode probes (not in ``requests``)
        self.headers: list[dict[str, str]] = []
        self.times: list[float] = []
        self._seen: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._runner: web.AppRunner | None = None
        self._stopping = asyncio.Event()
        self.base_url = ""

    @property
    def calls(self) -> int:
        with self._lock:
            return len(self.requests)

    def _wrong_key(self, request: web.Request) -> bool:
        return self.api_key is not None and request.headers.get("Authorization") != f"Bearer {self.api_key}"

    async def _models(self, request: web.Request) -> web.StreamResponse:
        if self._wrong_key(request) and not self._open_models:
            return self._refuse(request)
        return web.json_response({"object": "list", "data": [{"id": m, "object": "model"} for m in self.models]})

    async def _chat(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        if last_user_text(body) == PROBE_TEXT:
            return await self._probe(request, body)
        key = json.dumps(body.get("messages"), sort_keys=True)
        with self._lock:
            self.requests.append(body)
            self.headers.append(dict(request.headers))
            self.times.append(time.monotonic())
            self._seen[key] += 1
            seen = self._seen[key]
        if self._wrong_key(request):
            return self._refuse(request)
        action = self.responder(body, seen)
        if action.delay_s:
            await asyncio.sleep(action.delay_s)
        if isinstance(action, Reply):
            return web.json_response(_completion(body, action))
        return await self._fault(request, body, action)

    async def _probe(self, request: web.Request, body: dict[str, Any]) -> web.StreamResponse:
        """The harness's mode probe, kept apart from ``requests``: the responder's faults apply to it (a mode it
        rejects, a refused key), and a reply it would give an item becomes the probe's answer."""
        with self._lock:
            self.probes.append(body)
        if self._wrong_key(request):
            return self._refuse(request)
        try:
            action = self.responder(body, 1)
        except (AssertionError, KeyError, LookupError):
            action = Reply('{"ok": true}')
        if isinstance(action, Reply):
            return web.json_response(_completion(body, Reply('{"ok": true}')))
        return await self._fault(request, body, action)

    async def _fault(self, request: web.Request, body: dict[str, Any], fault: Fault) -> web.StreamResponse:
        if fault.kind == "status":
            return web.Response(
                status=fault.status, text=fault.body, headers=fault.headers, content_type="application/json"
            )
        if fault.kind == "hang":
            # until the client gives up or the server stops
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), 3600)
            return web.Response(status=504)
        if fault.kind == "reset":
            transport = request.transport
            if transport is not None:
                transport.abort()
            return web.Response(status=500)
        full = json.dumps(_completion(body, Reply('{"answerable": true}')))
        if fault.kind == "truncated_json":
            return web.Response(status=200, text=full[: len(full) // 2], content_type="application/json")
        if fault.kind == "reset_mid_body":
            response = web.StreamResponse(status=200, headers={"Content-Type": "application/json"})
            response.content_length = len(full)
            await response.prepare(request)
            await response.write(full[: len(full) // 2].encode())
            if request.transport is not None:
                request.transport.abort()
            return response
        if fault.kind == "empty_choices":
            return web.json_response({**json.loads(full), "choices": []})
        if fault.kind == "wrong_content_type":
            return web.Response(status=200, text="<html>gateway says hello</html>", content_type="text/html")
        if fault.kind == "not_json_body":
            return web.Response(status=200, text="this is not json", content_type="application/json")
        raise ValueError(f"unknown fault {fault.kind}")

    def routes(self, app: web.Application) -> None:
        """More endpoints a subclass serves (the Batch API's, in tests/fake_batches.py)."""

    def __enter__(self) -> Self:
        self._thread.start()
        app = web.Application(client_max_size=512 * 1024 * 1024)  # a batch file is one request
        app.router.add_post("/v1/chat/completions", self._chat)
        app.router.add_get("/v1/models", self._models)
        self.routes(app)

        async def start() -> str:
            self._runner = web.AppRunner(app, handle_signals=False)
            await self._runner.setup()
            site = web.TCPSite(self._runner, "127.0.0.1", 0)
            await site.start()
            port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
            return f"http://127.0.0.1:{port}/v1"

        self.base_url = asyncio.run_coroutine_threadsafe(start(), self._loop).result(10)
        return self

    def __exit__(self, *exc: object) -> None:
        async def stop() -> None:
            self._stopping.set()
            if self._runner is not None:
                await self._runner.cleanup()

        asyncio.run_coroutine_threadsafe(stop(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
