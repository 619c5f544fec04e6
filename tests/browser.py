"""A real headless Chromium driven over the DevTools protocol (aiohttp websocket), for page tests.

``with Browser() as page: page.open(path); page.eval("js")`` — and ``page.dialogs`` lists every
alert/confirm/prompt the page tried to open, so a test can prove that nothing ran.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import Any

import aiohttp

FLAGS = (
    "--headless",
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-extensions",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--remote-debugging-port=0",
)


def chromium() -> str:
    """The browser binary; a clear failure (never a skip) when it is not installed."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    raise AssertionError(
        "no chromium on PATH: `make test` installs Debian's chromium; run it, or apt-get install chromium"
    )


class Browser:
    def __init__(self, timeout_s: float = 30.0) -> None:
        self.timeout_s = timeout_s
        self.dialogs: list[str] = []
        self.console: list[str] = []
        self._ids = itertools.count(1)
        self._loop = asyncio.new_event_loop()
        # chromium's helper processes may still write to the profile as it exits
        self._profile = tempfile.TemporaryDirectory(prefix="harness-chromium-", ignore_cleanup_errors=True)
        self._proc: subprocess.Popen[bytes] | None = None
        self._session: aiohttp.ClientSession | None = None
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._events: list[dict[str, Any]] = []
        self._pending: list[asyncio.Future[None]] = []

    def __enter__(self) -> Browser:
        profile = Path(self._profile.name)
        self._proc = subprocess.Popen(
            [chromium(), *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + self.timeout_s
        while not port_file.exists() or not port_file.read_text().strip():
            if self._proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"chromium did not start (exit {self._proc.poll()})")
            time.sleep(0.05)
        port = int(port_file.read_text().split()[0])
        self._loop.run_until_complete(self._connect(port))
        self._send("Page.enable")
        self._send("Runtime.enable")
        return self

    async def _connect(self, port: int) -> None:
        self._session = aiohttp.ClientSession()
        async with self._session.get(f"http://127.0.0.1:{port}/json/list") as response:
            targets = await response.json()
        page = next(t for t in targets if t["type"] == "page")
        self._ws = await self._session.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0)

    async def _call(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        assert self._ws is not None
        call_id = next(self._ids)
        await self._ws.send_str(json.dumps({"id": call_id, "method": method, "params": params}))
        while True:
            message = json.loads((await self._ws.receive(timeout=self.timeout_s)).data)
            if message.get("id") == call_id:
                if "error" in message:
                    raise AssertionError(f"{method}: {message['error']}")
                return dict(message.get("result", {}))
            self._event(message)

    def _event(self, message: dict[str, Any]) -> None:
        self._events.append(message)
        if message.get("method") == "Page.javascriptDialogOpening":
            self.dialogs.append(message["params"].get("message", ""))
            # answer it, or the page would hang; the reply is read later as an event
            assert self._ws is not None
            answer = {"id": next(self._ids), "method": "Page.handleJavaScriptDialog", "params": {"accept": True}}
            self._pending.append(asyncio.ensure_future(self._ws.send_str(json.dumps(answer))))
        elif message.get("method") == "Runtime.consoleAPICalled":
            self.console.append(" ".join(str(a.get("value", "")) for a in message["params"].get("args", [])))

    def _send(self, method: str, **params: Any) -> dict[str, Any]:
        return self._loop.run_until_complete(asyncio.wait_for(self._call(method, params), self.timeout_s))

    def open(self, path: Path) -> None:
        """Load a file and wait for its load event."""
        self._events.clear()
        self._send("Page.navigate", url=path.resolve().as_uri())
        deadline = time.monotonic() + self.timeout_s
        while not any(e.get("method") == "Page.loadEventFired" for e in self._events):
            if time.monotonic() > deadline:
                raise AssertionError(f"{path} did not finish loading")
            self._send("Runtime.evaluate", expression="1")  # pumps events
        self.eval("new Promise(r => setTimeout(r, 200))")  # let onload handlers and onerror fire

    def window(self, width: int, height: int = 800) -> None:
        """Lay pages out as in a desktop window of this size (CSS pixels)."""
        self._send("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False)

    def eval(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (promises are awaited)."""
        result = self._send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise AssertionError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        async def close() -> None:
            if self._ws is not None:
                await self._ws.close()
            if self._session is not None:
                await self._session.close()

        self._loop.run_until_complete(close())
        self._loop.close()
        if self._proc is not None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._profile.cleanup()
