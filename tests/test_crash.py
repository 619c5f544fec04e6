"""Crash safety: a run SIGKILLed at any point resumes to exactly the results of an unbroken run.

Kill points: before the first result, after k results for three k drawn by a seeded RNG, in
the middle of a results write (the writer's failpoint tears the line, then the process kills
itself), and twice in a row (the resume itself is killed). Each time ``--resume`` must give
every item exactly once, with the same replies and verdicts as the unbroken run, calling the
model only for what was not finished; a torn line must be reported and its item run again.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.cli import main
from harness.results import TORN_WRITE_FAILPOINT
from tests.conftest import make_mini, perfect, run_args
from tests.fake_openai import FakeOpenAI, Reply

ITEMS = 24  # the mini golden's 8 items x 3 samples
KEY = "sk-crash-test"
_rng = random.Random(20261124)
AFTER = sorted(_rng.sample(range(1, ITEMS - 2), 3))
TEAR_AT = _rng.randrange(2, ITEMS - 2)


def slow_perfect(request: dict[str, Any], seen: int) -> Reply:
    return Reply(perfect(request, seen).content, delay_s=0.1)


@pytest.fixture(scope="module")
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(slow_perfect) as fake:
        yield fake


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)  # the subprocesses inherit it
    return make_mini(tmp_path)


def _args(work: Path, server: FakeOpenAI, run_id: str) -> list[str]:
    common = ["--model", "fake-model", "--base-url", server.base_url, "--no-cache", "--samples", "3"]
    return run_args(work, *common, "--concurrency", "2", "--run-id", run_id)


def _complete_lines(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    return [json.loads(line) for line in text.split("\n")[:-1] if line]


def _essence(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Everything a result says but how long the request took."""
    return {r["id"]: {k: v for k, v in r.items() if k != "latency_s"} for r in rows}


@pytest.fixture(scope="module")
def unbroken(server: FakeOpenAI, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    folder = make_mini(tmp_path_factory.mktemp("unbroken"))
    with pytest.MonkeyPatch.context() as env:
        env.setenv("OPENAI_API_KEY", KEY)
        assert main(_args(folder, server, "whole")) == 0
    rows = _complete_lines(folder / "reports" / "runs" / "whole" / "results.jsonl")
    assert len(rows) == ITEMS
    return _essence(rows)


def _start(argv: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "harness.cli", *argv],
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _kill_when(proc: subprocess.Popen[bytes], ready: Any, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not ready() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert proc.poll() is None, "the run ended before the kill point"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()


def _resume(work: Path, server: FakeOpenAI, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    before = server.calls
    assert main(["run", "--reports", str(work / "reports"), "--resume", "r"]) == 0
    return server.calls - before, capsys.readouterr().out


def _check_resumed(work: Path, unbroken: dict[str, dict[str, Any]], finished_before: int, calls: int) -> None:
    rows = _complete_lines(work / "reports" / "runs" / "r" / "results.jsonl")
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)) == ITEMS, "every item exactly once"
    assert _essence(rows) == unbroken
    assert calls == ITEMS - finished_before, "finished items are not redone, unfinished ones are"
    manifest = json.loads((work / "reports" / "runs" / "r" / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["counts"]["finished"] == ITEMS


def test_kill_before_the_first_result(
    work: Path, server: FakeOpenAI, unbroken: dict[str, dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    folder = work / "reports" / "runs" / "r"
    proc = _start(_args(work, server, "r"))
    _kill_when(proc, lambda: (folder / "manifest.json").exists())
    finished = len(_complete_lines(folder / "results.jsonl"))
    assert finished == 0
    calls, _ = _resume(work, server, capsys)
    _check_resumed(work, unbroken, finished, calls)


@pytest.mark.parametrize("after", AFTER, ids=[f"after-{k}-results" for k in AFTER])
def test_kill_after_some_results(
    work: Path,
    server: FakeOpenAI,
    unbroken: dict[str, dict[str, Any]],
    capsys: pytest.CaptureFixture[str],
    after: int,
) -> None:
    results = work / "reports" / "runs" / "r" / "results.jsonl"
    proc = _start(_args(work, server, "r"))
    _kill_when(proc, lambda: len(_complete_lines(results)) >= after)
    finished = len(_complete_lines(results))
    assert after <= finished < ITEMS
    calls, _ = _resume(work, server, capsys)
    _check_resumed(work, unbroken, finished, calls)


def test_kill_during_a_results_write_tears_a_line_that_resume_repairs(
    work: Path, server: FakeOpenAI, unbroken: dict[str, dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    results = work / "reports" / "runs" / "r" / "results.jsonl"
    proc = _start(_args(work, server, "r"), env={TORN_WRITE_FAILPOINT: str(TEAR_AT)})
    assert proc.wait(timeout=60) == -signal.SIGKILL
    raw = results.read_bytes()
    assert not raw.endswith(b"\n"), "the last line is torn"
    finished = len(_complete_lines(results))
    assert finished == TEAR_AT - 1
    torn_id = raw.rsplit(b"\n", 1)[-1]
    calls, out = _resume(work, server, capsys)
    assert f"repaired: cut a torn last line ({len(torn_id)} bytes)" in out
    _check_resumed(work, unbroken, finished, calls)


def test_killed_twice_the_resume_itself_killed(
    work: Path, server: FakeOpenAI, unbroken: dict[str, dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    results = work / "reports" / "runs" / "r" / "results.jsonl"
    first, second = AFTER[0], AFTER[-1]
    proc = _start(_args(work, server, "r"))
    _kill_when(proc, lambda: len(_complete_lines(results)) >= first)
    proc = _start(["run", "--reports", str(work / "reports"), "--resume", "r"])
    _kill_when(proc, lambda: len(_complete_lines(results)) >= second)
    finished = len(_complete_lines(results))
    calls, _ = _resume(work, server, capsys)
    _check_resumed(work, unbroken, finished, calls)


def test_a_run_killed_before_its_manifest_starts_again_under_its_id(
    work: Path, server: FakeOpenAI, unbroken: dict[str, dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    (work / "reports" / "runs" / "r").mkdir(parents=True)  # what a kill right after mkdir leaves
    assert main(["run", "--reports", str(work / "reports"), "--resume", "r"]) == 1
    assert "start it again with the same --run-id" in capsys.readouterr().err
    assert main(_args(work, server, "r")) == 0
    assert _essence(_complete_lines(work / "reports" / "runs" / "r" / "results.jsonl")) == unbroken
