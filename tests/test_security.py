"""The API key never lands in a file, a log or an error, even when the server echoes it back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.conftest import item_text, perfect, run_args
from tests.fake_openai import FakeOpenAI, Fault, Reply

KEY = "sk-live-7d1e0c9a4b2f48e6a35c"


def _echoing(request: dict[str, Any], seen: int) -> Reply | Fault:
    """Error bodies that quote the key: once on a retried 500, always on a 400 and on a 429."""
    text = item_text(request)
    body = json.dumps({"error": {"message": f"upstream rejected request from key {KEY}", "type": "error"}})
    if text.startswith("How many people were injured") and seen == 1:
        return Fault("status", status=500, body=body)
    if text.startswith("How many people were killed"):
        return Fault("status", status=400, body=body)
    if text.startswith("How many drones"):
        return Fault("status", status=429, body=body)
    return perfect(request, seen)


def _harness(argv: list[str], key: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OPENAI_API_KEY": key}
    return subprocess.run(
        [sys.executable, "-m", "harness.cli", *argv], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def _files_with(secret: str, folder: Path) -> list[str]:
    return [str(p) for p in folder.rglob("*") if p.is_file() and secret.encode() in p.read_bytes()]


def test_key_is_in_no_file_log_or_error_a_run_writes(mini: Path) -> None:
    with FakeOpenAI(_echoing, api_key=KEY) as server:
        args = ["--model", "fake-model", "--base-url", server.base_url, "--run-id", "r", "--backoff", "0.05"]
        run = _harness(run_args(mini, *args, "--max-attempts", "2"), KEY)
        score = _harness(["score", "r", "--reports", str(mini / "reports")], KEY)
        assert server.headers[0]["Authorization"] == f"Bearer {KEY}"  # the key was used...
    assert run.returncode == 4, run.stderr  # two items ended as errors
    folder = mini / "reports" / "runs" / "r"
    rows = {r["id"]: r for r in map(json.loads, (folder / "results.jsonl").read_text().splitlines())}
    assert rows["mini/qa/injured#0"]["outcome"] == "correct"
    assert rows["mini/qa/killed#0"]["outcome"] == "error"
    assert "upstream rejected request from key ***" in rows["mini/qa/killed#0"]["reason"]
    assert rows["mini/qa/drones#0"]["outcome"] == "error"
    written = {p.name for p in folder.iterdir()} | {p.name for p in (mini / "reports" / "cache").iterdir()}
    assert {"results.jsonl", "manifest.json", "report.json", "report.md", "report.html"} <= written
    assert "responses.sqlite3" in written
    # ...and is nowhere else: not in any file under reports/ (cache included), nor in what was printed
    assert _files_with(KEY, mini) == []
    for output in (run.stdout, run.stderr, score.stdout, score.stderr):
        assert KEY not in output


def test_a_refused_key_is_not_repeated_in_the_error(mini: Path) -> None:
    wrong = "sk-wrong-0a9b8c7d6e5f"
    with FakeOpenAI(perfect, api_key=KEY) as server:
        done = _harness(run_args(mini, "--model", "fake-model", "--base-url", server.base_url, "--run-id", "w"), wrong)
    assert done.returncode == 3
    assert done.stderr.count("\n") == 1 and "refused the API key in $OPENAI_API_KEY (401)" in done.stderr
    assert wrong not in done.stdout + done.stderr and "Traceback" not in done.stderr
    assert _files_with(wrong, mini) == []
