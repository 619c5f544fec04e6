"""`make servers`: the harness against real servers nobody here wrote, and the table in docs/servers.md.

It serves the embedded GGUF (SmolLM2-135M) through llama-cpp-python, and through a LiteLLM proxy in front
of a standalone llama.cpp server (xllamacpp), each from its own venv under .servers/ (the Makefile
installs them, pinned). Through each it runs the default command (no --mode) on the injected brief, then
a wrong key, then a wrong model name, and writes what happened between the markers of docs/servers.md.
Not part of CI: it needs the two venvs and ~10 minutes. Traffic stays on 127.0.0.1.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VENVS = REPO / ".servers"
SEED = "injected-kyiv-brief-2025-04-24"
KEY = "sk-servers-smoke-key"
WRONG = "sk-not-the-key-000000"
BEGIN, END = "<!-- servers:begin -->", "<!-- servers:end -->"


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait(url: str, seconds: float = 180.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 (127.0.0.1 only)
            return
        except urllib.error.HTTPError:
            return  # it answers, if only to refuse
        except OSError:
            time.sleep(1)
    raise SystemExit(f"{url} did not come up in {seconds:.0f} s")


@contextmanager
def _process(args: list[str], ready: str, log: Path) -> Iterator[None]:
    with log.open("w") as out:
        proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, cwd=REPO)
        try:
            _wait(ready)
            yield
        finally:
            proc.terminate()
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()


def _gguf() -> str:
    sys.path.insert(0, str(REPO))
    from harness.models.local import gguf_path

    return str(gguf_path())


@contextmanager
def llama_cpp_python(logs: Path) -> Iterator[tuple[str, str]]:
    port, gguf = _port(), _gguf()
    python = str(VENVS / "llama-cpp-python" / "bin" / "python")
    args = [python, "-m", "llama_cpp.server", "--model", gguf, "--n_ctx", "8192", "--host", "127.0.0.1"]
    args += ["--port", str(port), "--api_key", KEY, "--n_threads", "2"]
    with _process(args, f"http://127.0.0.1:{port}/v1/models", logs / "llama-cpp-python.log"):
        yield f"http://127.0.0.1:{port}/v1", gguf  # its model id is the GGUF's path


_XLLAMACPP = """
import sys, time
from harness.models.local import local_server
with local_server() as url:
    print(url, flush=True)
    time.sleep(100000)
"""


@contextmanager
def litellm(logs: Path) -> Iterator[tuple[str, str]]:
    """LiteLLM proxy (no database) in front of a standalone llama.cpp server (xllamacpp, the main venv)."""
    backend = subprocess.Popen(
        [str(REPO / ".venv" / "bin" / "python"), "-c", _XLLAMACPP], stdout=subprocess.PIPE, text=True, cwd=REPO
    )
    try:
        assert backend.stdout is not None
        upstream = backend.stdout.readline().strip()
        port = _port()
        config = Path(tempfile.mkdtemp()) / "litellm.yaml"
        config.write_text(
            "model_list:\n  - model_name: smollm2\n    litellm_params:\n      model: openai/smollm2-135m\n"
            f"      api_base: {upstream}\n      api_key: none\ngeneral_settings:\n  master_key: {KEY}\n",
            "utf-8",
        )
        binary = str(VENVS / "litellm" / "bin" / "litellm")
        args = [binary, "--config", str(config), "--host", "127.0.0.1", "--port", str(port)]
        with _process(args, f"http://127.0.0.1:{port}/health/liveliness", logs / "litellm.log"):
            yield f"http://127.0.0.1:{port}/v1", "smollm2"
    finally:
        backend.terminate()
        backend.wait(30)


@dataclass
class Outcome:
    what: str
    code: int
    seconds: float
    outcomes: str
    mode: str
    cached: int
    line: str


def harness_run(url: str, model: str, key: str, run_id: str, reports: Path) -> Outcome:
    args = [str(REPO / ".venv" / "bin" / "harness"), "run", "--model", model, "--base-url", url]
    args += ["--seed", SEED, "--run-id", run_id, "--reports", str(reports), "--no-cache"]
    env = {**os.environ, "OPENAI_API_KEY": key}
    started = time.monotonic()
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=1800, cwd=REPO, check=False)
    seconds = time.monotonic() - started
    folder = reports / "runs" / run_id
    results = folder / "results.jsonl"
    rows = [json.loads(line) for line in results.read_text("utf-8").splitlines()] if results.exists() else []
    counts = Counter(r["outcome"] for r in rows)
    manifest = json.loads((folder / "manifest.json").read_text("utf-8")) if (folder / "manifest.json").exists() else {}
    said = [line for line in done.stderr.splitlines() if line.startswith(("error:", "warning:"))]
    return Outcome(
        what=run_id,
        code=done.returncode,
        seconds=seconds,
        outcomes=", ".join(f"{n} {o}" for o, n in sorted(counts.items())) or "-",
        mode=", ".join(manifest.get("modes", {}).values()) or "-",
        cached=sum(r["usage"]["cached_tokens"] for r in rows),
        line=" ".join(said)[:300].replace("|", "\\|") or "-",
    )


def _versions() -> dict[str, str]:
    found = {}
    for venv, package in (("llama-cpp-python", "llama-cpp-python"), ("litellm", "litellm")):
        pip = VENVS / venv / "bin" / "pip"
        shown = subprocess.run([str(pip), "show", package], capture_output=True, text=True, check=False).stdout
        found[package] = next((line.split()[-1] for line in shown.splitlines() if line.startswith("Version:")), "?")
    return found


def main() -> None:
    reports = Path(tempfile.mkdtemp(prefix="servers-"))
    logs = reports / "logs"
    logs.mkdir()
    rows: list[tuple[str, Outcome]] = []
    servers = (("llama-cpp-python", llama_cpp_python), ("LiteLLM -> llama.cpp", litellm))
    for label, serve in servers:
        with serve(logs) as (url, model):
            short = label.split()[0].lower()
            rows.append((label, harness_run(url, model, KEY, f"{short}-default", reports)))
            rows.append((label, harness_run(url, model, WRONG, f"{short}-wrong-key", reports)))
            rows.append((label, harness_run(url, "nosuchmodel", KEY, f"{short}-wrong-model", reports)))
    versions = _versions()
    header = "| server | run | exit | seconds | outcomes | mode settled | cached tokens | what it said |"
    lines = [header, "|" + "---|" * 8]
    for label, o in rows:
        lines.append(
            f"| {label} | {o.what} | {o.code} | {o.seconds:.0f} | {o.outcomes} | {o.mode} | {o.cached} | {o.line} |"
        )
    stamp = dt.date.today().isoformat()
    block = "\n".join(
        [
            BEGIN,
            f"Measured {stamp} by `make servers` (llama-cpp-python {versions['llama-cpp-python']}, "
            f"LiteLLM {versions['litellm']}, harness at {_commit()}), seed `{SEED}`, 2 cores:",
            "",
            *lines,
            END,
        ]
    )
    print("\n".join(lines))
    doc = REPO / "docs" / "servers.md"
    text = doc.read_text("utf-8")
    start, end = text.index(BEGIN), text.index(END) + len(END)
    doc.write_text(text[:start] + block + text[end:], "utf-8")
    print(f"docs/servers.md: table written; logs in {logs}")


def _commit() -> str:
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=REPO, check=False)
    return done.stdout.strip() or "?"


if __name__ == "__main__":
    main()
