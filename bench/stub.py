"""A fast OpenAI-compatible stub for benchmarks: 127.0.0.1 only, a fixed latency per request.

It speaks just enough HTTP/1.1 (keep-alive, Content-Length bodies) on a raw asyncio
protocol to serve ``POST /v1/chat/completions`` and ``GET /v1/models``, and answers
every chat request after ``latency_s`` with JSON that is valid for the real prompts'
schemas (``prompts/schemas/``): the task is read from ``response_format``'s schema
name, else from the prompt's last line (``QUESTION:``, ``CLAIM:``, else a summary).
The evidence it quotes is the article's first sentence, so grounding is exercised.

``GET /bench/stats`` returns how many chat requests were served, so a benchmark can
prove that a cached re-run made no model call. ``GET /bench/bodies?since=K`` returns one
sha256 over the sorted sha256 of each chat request body from the K-th on (arrival order does
not count), so a benchmark can prove that two clients sent byte-identical requests.

Run it in its own process (``StubServer``) so that it does not share an event loop,
or a GIL, with the client being measured::

    with StubServer(latency_s=0.2) as stub:
        stub.base_url  # http://127.0.0.1:PORT/v1
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import json
import subprocess
import sys
import time
import urllib.request
from types import TracebackType
from typing import Any, NamedTuple
from urllib.parse import parse_qs, urlsplit

from harness.models.openai_compat import PROBE_TEXT

_ARTICLE = 'ARTICLE:\n"""\n'
_REASONS = {200: "OK", 400: "Bad Request", 404: "Not Found"}


def task_of(request: dict[str, Any]) -> str:
    """qa, factcheck or summary: from the structured-output schema name, else from the prompt."""
    fmt = request.get("response_format") or {}
    name = (fmt.get("json_schema") or {}).get("name") if isinstance(fmt, dict) else None
    if name in ("qa", "factcheck", "summary"):
        return str(name)
    text = str((request.get("messages") or [{}])[-1].get("content", ""))
    if "QUESTION:" in text:
        return "qa"
    if "CLAIM:" in text:
        return "factcheck"
    return "summary"


def first_sentence(request: dict[str, Any]) -> str:
    """The article's first sentence (the stub's evidence quote), or "" if there is no article."""
    text = str((request.get("messages") or [{}])[-1].get("content", ""))
    start = text.find(_ARTICLE)
    if start < 0:
        return ""
    start += len(_ARTICLE)
    end = text.find(".", start, start + 400)
    return text[start : end + 1 if end >= 0 else start + 200].strip()


def answer_for(request: dict[str, Any]) -> dict[str, Any]:
    """A reply valid for the task's schema (qa, factcheck, summary)."""
    task, quote = task_of(request), first_sentence(request)
    if task == "qa":
        return {"answerable": True, "answer": "12 people", "value": 12, "evidence": quote}
    if task == "factcheck":
        return {"label": "supported", "evidence": quote, "correction": None}
    return {"summary": quote or "Nothing happened.", "key_points": [{"point": "the lead", "evidence": quote}]}


def completion(request: dict[str, Any], body_size: int) -> dict[str, Any]:
    content = json.dumps(answer_for(request))
    prompt_tokens, completion_tokens = body_size // 4, len(content) // 4
    return {
        "id": "chatcmpl-bench",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": request.get("model", "bench"),
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
                "logprobs": None,
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
            "prompt_tokens_details": {"cached_tokens": 0},
        },
    }


class _Http(asyncio.Protocol):
    """One keep-alive connection: parse requests as bytes arrive, answer after the latency."""

    def __init__(self, server: Stub) -> None:
        self._server = server
        self._buffer = bytearray()
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def connection_lost(self, exc: Exception | None) -> None:
        self._transport = None

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        while True:
            end = self._buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = bytes(self._buffer[:end]).decode("latin-1").split("\r\n")
            length = 0
            for line in head[1:]:
                name, _, value = line.partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value.strip())
            if len(self._buffer) < end + 4 + length:
                return
            body = bytes(self._buffer[end + 4 : end + 4 + length])
            del self._buffer[: end + 4 + length]
            method, _, rest = head[0].partition(" ")
            self._server.handle(self, method, rest.partition(" ")[0], body)

    def send(self, status: int, payload: dict[str, Any]) -> None:
        if self._transport is None or self._transport.is_closing():
            return
        data = json.dumps(payload).encode()
        self._transport.write(
            f"HTTP/1.1 {status} {_REASONS.get(status, 'Error')}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(data)}\r\nConnection: keep-alive\r\n\r\n".encode()
            + data
        )


def _is_probe(request: dict[str, Any]) -> bool:
    messages = request.get("messages") or [{}]
    return bool(messages[-1].get("content") == PROBE_TEXT)


class Stub:
    """The server: counts chat requests and answers each after ``latency_s``."""

    def __init__(self, latency_s: float) -> None:
        self.latency_s = latency_s
        self.requests = 0
        self.bodies: list[bytes] = []  # sha256 of each chat request body, in arrival order
        self._loop = asyncio.get_running_loop()

    def handle(self, conn: _Http, method: str, path: str, body: bytes) -> None:
        if method == "POST" and path.endswith("/chat/completions"):
            try:
                request = json.loads(body)
            except ValueError:
                conn.send(400, {"error": {"message": "body is not JSON", "type": "invalid_request_error"}})
                return
            if _is_probe(request):  # the harness's once-per-run mode probe: setup, like GET /models
                conn.send(200, completion(request, len(body)))
                return
            self.requests += 1
            self.bodies.append(hashlib.sha256(body).digest())
            reply = completion(request, len(body))
            if self.latency_s > 0:
                self._loop.call_later(self.latency_s, conn.send, 200, reply)
            else:
                conn.send(200, reply)
        elif method == "GET" and path.endswith("/models"):
            conn.send(200, {"object": "list", "data": [{"id": "bench", "object": "model", "owned_by": "bench"}]})
        elif method == "GET" and path == "/bench/stats":
            conn.send(200, {"requests": self.requests})
        elif method == "GET" and urlsplit(path).path == "/bench/bodies":
            since = int(parse_qs(urlsplit(path).query).get("since", ["0"])[0])
            digests = sorted(self.bodies[since:])
            digest = hashlib.sha256(b"".join(digests)).hexdigest()
            conn.send(200, {"requests": len(self.bodies), "count": len(digests), "digest": digest})
        else:
            conn.send(404, {"error": {"message": f"no route {method} {path}", "type": "not_found"}})


async def serve(latency_s: float, port: int = 0, ready: Any = None, lifetime_s: float = 3600.0) -> None:
    """Serve until killed or ``lifetime_s`` passes (a bound, so a lost stub cannot live forever)."""
    stub = Stub(latency_s)
    server = await asyncio.get_running_loop().create_server(lambda: _Http(stub), "127.0.0.1", port, backlog=1024)
    bound = server.sockets[0].getsockname()[1]
    if ready is not None:
        ready(bound)
    async with server:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(server.serve_forever(), lifetime_s)


class Sent(NamedTuple):
    """The chat request bodies a client sent the stub: how many, and one digest of them all."""

    requests: int
    digest: str


class StubServer:
    """The stub in a child process: ``with StubServer(0.2) as s: s.base_url``; ``s.requests()``."""

    def __init__(self, latency_s: float = 0.0, lifetime_s: float = 3600.0) -> None:
        self.latency_s = latency_s
        self.lifetime_s = lifetime_s
        self.base_url = ""
        self._proc: subprocess.Popen[str] | None = None

    def __enter__(self) -> StubServer:
        cmd = [sys.executable, "-m", "bench.stub", "--latency", str(self.latency_s), "--lifetime", str(self.lifetime_s)]
        self._proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline()  # "PORT n", or "" if it died
        if not line.startswith("PORT "):
            self._proc.kill()
            raise RuntimeError(f"bench stub did not start (said {line!r})")
        self.base_url = f"http://127.0.0.1:{int(line.split()[1])}/v1"
        return self

    def requests(self) -> int:
        """Chat requests served so far."""
        url = self.base_url.removesuffix("/v1") + "/bench/stats"
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(json.load(response)["requests"])

    def bodies(self, since: int) -> tuple[int, Sent]:
        """Chat requests served so far, and the bodies of those from the ``since``-th on."""
        url = self.base_url.removesuffix("/v1") + f"/bench/bodies?since={since}"
        with urllib.request.urlopen(url, timeout=10) as response:
            got = json.load(response)
        return int(got["requests"]), Sent(int(got["count"]), str(got["digest"]))

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._proc is not None:
            self._proc.terminate()
            try:
                self._proc.wait(10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait(10)
            if self._proc.stdout is not None:
                self._proc.stdout.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.stub", description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.0, help="seconds before each chat reply")
    parser.add_argument("--port", type=int, default=0, help="0: a free port (printed as 'PORT n')")
    parser.add_argument("--lifetime", type=float, default=3600.0, help="exit after this many seconds")
    args = parser.parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args.latency, args.port, lambda port: print(f"PORT {port}", flush=True), args.lifetime))


if __name__ == "__main__":
    main()
