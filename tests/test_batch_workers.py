"""A large batch file scored by worker processes: the same results.jsonl, counts and problems as one process."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from harness.batch.imports import Imported, import_batch
from harness.batch.workers import SEED_CHUNK, chunks
from harness.cli import main
from harness.progress import SilentReporter
from tests.conftest import read_jsonl, run_args
from tests.fake_openai import FakeOpenAI
from tests.test_batch import answer, write_jsonl


def _exported(mini: Path) -> list[dict[str, object]]:
    """The mini run exported twice (runs "serial" and "parallel"), its request lines."""
    with FakeOpenAI(lambda request, seen: None) as server:  # type: ignore[arg-type,return-value]
        for run_id in ("serial", "parallel"):
            args = run_args(mini, "--model", "fake-model", "--base-url", server.base_url, "--run-id", run_id)
            assert main(["batch", "export", *args[1:], "-o", str(mini / f"out-{run_id}")]) == 0
    return read_jsonl(mini / "out-serial" / "batch-0001.jsonl")


def _awkward(mini: Path, lines: list[dict[str, object]]) -> Path:
    """Answers to every line, then: one answered twice, an error line, a line that is not JSON and one for
    an item the run does not have, so every kind of line meets the workers."""
    answers = answer(lines)
    failed = {"id": "x", "custom_id": lines[1]["custom_id"], "error": {"message": "expired"}, "response": None}
    output = write_jsonl(mini / "answers.jsonl", [*answers[:1], failed, *answers[2:], answers[3]])
    with output.open("a", encoding="utf-8") as handle:
        handle.write("{not json\n")
        handle.write(json.dumps({"custom_id": "mini/qa/nope#0"}) + "\n")
    return output


def _import(mini: Path, run_id: str, output: Path, workers: int) -> Imported:
    return import_batch(mini / "reports", run_id, [output], SilentReporter(), workers, parallel_from=0)


@pytest.mark.parametrize("threads", [False, True], ids=["forked", "spawned"])
def test_workers_write_what_one_process_writes(mini: Path, threads: bool) -> None:
    output = _awkward(mini, _exported(mini))
    serial = _import(mini, "serial", output, workers=0)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)  # a thread in the importer: workers are spawned, not forked
    if threads:
        other.start()
    try:
        parallel = _import(mini, "parallel", output, workers=2)
    finally:
        stop.set()
    runs = mini / "reports" / "runs"
    written = (runs / "parallel" / "results.jsonl").read_bytes()
    assert written == (runs / "serial" / "results.jsonl").read_bytes()
    assert written.count(b"\n") == parallel.added == serial.added == 8
    assert (parallel.errors, parallel.skipped) == (serial.errors, serial.skipped) == (1, 1)
    assert [str(p) for p in parallel.problems] == [str(p) for p in serial.problems]
    assert [p.line for p in parallel.problems] == [10, 11]
    again = _import(mini, "parallel", output, workers=2)  # twice: nothing added
    assert (again.added, again.skipped) == (0, 9)


def test_negative_workers_are_refused(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = _awkward(mini, _exported(mini))
    assert main(["batch", "import", "serial", str(output), "--reports", str(mini / "reports"), "--workers", "-1"]) == 2
    assert "--workers -1: cannot be negative. Fix: pass 0 (none) or more" in capsys.readouterr().err


_HOLDS_WORKERS = """
import multiprocessing, sys, time
from pathlib import Path
from harness.batch.lines import LineScorer
from harness.batch.workers import Workers
from harness.progress import SilentReporter
from harness.runner import planned_run
reports = Path(sys.argv[1])
workers = Workers(2, LineScorer(planned_run(reports, "serial", SilentReporter()), "fake-model"), reports)
print(" ".join(str(p.pid) for p in multiprocessing.active_children()), flush=True)
time.sleep(120)
"""


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status  # a zombie has exited; only its parent has not read its status


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads processes from /proc (Linux)")
def test_workers_exit_when_their_importer_is_killed(mini: Path) -> None:
    _exported(mini)
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDS_WORKERS, str(mini / "reports")], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None
    pids = [int(pid) for pid in holder.stdout.readline().split()]
    assert len(pids) == 2 and all(_alive(pid) for pid in pids)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in pids)


def _line(custom_id: str) -> str:
    return json.dumps({"id": "batch_req_1", "custom_id": custom_id, "response": {"status_code": 200}})


def test_a_seeds_lines_go_to_one_worker_in_chunks_of_at_least_the_least() -> None:
    seeds = ["a"] * 7 + ["b"] * 2 + ["c"] * 3 + ["d"] * 12
    lines = [(n, _line(f"{seed}/qa/q{n}#0")) for n, seed in enumerate(seeds, start=1)]
    lines.insert(9, (99, "{not json"))  # no seed of its own: it ends the chunk it comes after
    sizes = [
        [text[text.find("custom_id") + 13 : text.find("/")] or text for _, text in chunk]
        for chunk in chunks(lines, least=3, most=5)
    ]
    assert sizes == [
        ["a"] * 5,  # at most 5
        ["a"] * 2 + ["b"] * 2,  # 3 or more, then b ends
        ["{not json"] + ["c"] * 3,
        ["d"] * 5,
        ["d"] * 5,
        ["d"] * 2,
    ]
    assert [n for chunk in chunks(lines, least=3, most=5) for n, _ in chunk] == [n for n, _ in lines]


def _costing(answers: list[dict[str, Any]], tokens: int, count: int) -> list[dict[str, Any]]:
    """``count`` answers, the given ones over and over, each reporting ``tokens`` completion tokens."""
    usage = {"prompt_tokens": 100, "completion_tokens": tokens, "total_tokens": 100 + tokens}
    return [
        {**a, "response": {**a["response"], "body": {**a["response"]["body"], "usage": usage}}}
        for a in (answers[i % len(answers)] for i in range(count))
    ]


def test_many_chunks_come_back_in_the_files_order(mini: Path) -> None:
    # three chunks: every item answered in each, the first answer kept. The last chunk, the shortest,
    # would be done first: its answers must still come last
    answers = answer(_exported(mini))
    rows = [*_costing(answers, 1, SEED_CHUNK), *_costing(answers, 2, SEED_CHUNK), *_costing(answers, 3, 50)]
    output = write_jsonl(mini / "many.jsonl", rows)
    serial, parallel = (_import(mini, run, output, workers=n) for run, n in (("serial", 0), ("parallel", 2)))
    runs = mini / "reports" / "runs"
    written = read_jsonl(runs / "parallel" / "results.jsonl")
    assert (runs / "parallel" / "results.jsonl").read_bytes() == (runs / "serial" / "results.jsonl").read_bytes()
    assert {r["usage"]["completion_tokens"] for r in written} == {1}
    n = len(answers)
    assert (parallel.added, parallel.skipped) == (serial.added, serial.skipped) == (n, len(rows) - n)
