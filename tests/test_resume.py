"""Resuming: a torn line is repaired, changed inputs refuse, bad run ids are refused, Ctrl-C resumes.

SIGKILL at many points is tests/test_crash.py."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from harness.cli import main
from tests.conftest import perfect, read_jsonl, run_args
from tests.fake_openai import FakeOpenAI, Reply


def slow_perfect(request: dict[str, Any], seen: int) -> Reply:
    return Reply(perfect(request, seen).content, delay_s=0.15)


@pytest.fixture
def env() -> dict[str, str]:
    return {**os.environ, "OPENAI_API_KEY": "sk-resume-test"}


def test_torn_last_line_is_repaired_and_rerun(
    mini: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-resume-test")
    with FakeOpenAI(perfect) as server:
        args = ["--model", "fake-model", "--base-url", server.base_url, "--run-id", "torn"]
        assert main(run_args(mini, *args)) == 0
        path = mini / "reports" / "runs" / "torn" / "results.jsonl"
        lines = path.read_text().splitlines(keepends=True)
        torn_id = read_jsonl(path)[-1]["id"]
        path.write_text("".join(lines[:-1]) + lines[-1][: len(lines[-1]) // 2])
        capsys.readouterr()
        assert main(["run", "--reports", str(mini / "reports"), "--resume", "torn"]) == 0
    out = capsys.readouterr().out
    assert "repaired: cut a torn last line" in out
    rows = read_jsonl(path)
    assert len(rows) == 8 and len({r["id"] for r in rows}) == 8
    assert rows[-1]["id"] == torn_id


def test_resume_refuses_when_goldens_changed(
    mini: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-resume-test")
    with FakeOpenAI(perfect) as server:
        assert main(run_args(mini, "--model", "fake-model", "--base-url", server.base_url, "--run-id", "g")) == 0
    golden = mini / "goldens" / "mini.yaml"
    golden.write_text(golden.read_text().replace("max_words: 60", "max_words: 70"))
    assert main(["run", "--reports", str(mini / "reports"), "--resume", "g"]) == 2
    assert "the goldens changed since run g started" in capsys.readouterr().err


def test_resume_of_unknown_or_escaping_run_id(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--reports", str(mini / "reports"), "--resume", "../../etc"]) == 2
    assert "is not valid" in capsys.readouterr().err
    assert main(["run", "--reports", str(mini / "reports"), "--resume", "nope"]) == 1
    assert "no manifest: not a run folder" in capsys.readouterr().err


def test_ctrl_c_stops_cleanly_and_the_run_resumes(
    mini: Path, env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-resume-test")
    interrupted = threading.Event()

    def held_after_two(request: dict[str, Any], seen: int) -> Reply:
        # Requests past the second wait (up to 10 s) for the Ctrl-C, so it always lands mid-run.
        if len(server.requests) > 2:
            interrupted.wait(timeout=10)
        return slow_perfect(request, seen)

    with FakeOpenAI(held_after_two) as server:
        args = ["--model", "fake-model", "--base-url", server.base_url, "--run-id", "int", "--concurrency", "1"]
        results = mini / "reports" / "runs" / "int" / "results.jsonl"
        proc = subprocess.Popen(
            [sys.executable, "-m", "harness.cli", *run_args(mini, *args)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            # A shell's background job ignores Ctrl-C and its children inherit that; a user's run does not.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (results.exists() and results.read_text().count("\n") >= 2):
            time.sleep(0.02)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
        interrupted.set()
        assert proc.returncode == 130
        assert "interrupted; finished items are saved" in err and "Traceback" not in err
        assert main(["run", "--reports", str(mini / "reports"), "--resume", "int"]) == 0
    rows = read_jsonl(results)
    assert len(rows) == 8 and len({r["id"] for r in rows}) == 8
