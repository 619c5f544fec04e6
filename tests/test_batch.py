"""Batch files: export -> a stand-in offline runner (the test's own) -> import equals the online run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from harness.api import write_run_reports
from harness.batch.export import export_batch, request_line, split
from harness.batch.imports import import_batch
from harness.cli import main
from harness.progress import SilentReporter
from harness.results import TORN_WRITE_FAILPOINT, Results, tally_results
from harness.runner import reopen_run
from tests.conftest import item_text, lexical_config, perfect, read_jsonl, run_args
from tests.fake_batches import FakeBatches
from tests.fake_openai import FakeOpenAI, Reply


def canonical(body: dict[str, Any]) -> str:
    return json.dumps(body, sort_keys=True)


def answer(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What an engine writes for each request line: the fake server's right answer as a chat completion."""
    out = []
    for number, line in enumerate(lines):
        reply = perfect(line["body"], 1)
        assert isinstance(reply, Reply)
        completion = {
            "id": f"chatcmpl-{number}",
            "object": "chat.completion",
            "created": 0,
            "model": line["body"]["model"],
            "choices": [
                {"index": 0, "message": {"role": "assistant", "content": reply.content}, "finish_reason": "stop"}
            ],
            "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
        }
        response = {"status_code": 200, "request_id": f"req-{number}", "body": completion}
        out.append({"id": f"batch_req_{number}", "custom_id": line["custom_id"], "response": response, "error": None})
    return out


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def results_by_id(mini: Path, run_id: str) -> dict[str, tuple[str, str, Any]]:
    rows = read_jsonl(mini / "reports" / "runs" / run_id / "results.jsonl")
    return {r["id"]: (r["outcome"], r["reason"], r["parsed"]) for r in rows}


def test_export_then_an_offline_runner_then_import_equals_the_online_run(
    mini: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with FakeOpenAI(perfect) as server:
        flags = ["--model", "fake-model", "--base-url", server.base_url]
        assert main([*run_args(mini, *flags, "--no-cache", "--run-id", "online")]) == 0
        sent = sorted(canonical(body) for body in server.requests)
        calls = server.calls
        export = run_args(mini, *flags, "--run-id", "batched", "-o", str(mini / "out"))
        assert main(["batch", "export", *export[1:]]) == 0
        assert server.calls == calls and not server.probes[1:]  # nothing was sent to export
    lines = read_jsonl(mini / "out" / "batch-0001.jsonl")
    assert {(line["method"], line["url"]) for line in lines} == {("POST", "/v1/chat/completions")}
    assert sorted(canonical(line["body"]) for line in lines) == sent  # exactly what the online path sends
    output = write_jsonl(mini / "out" / "batch-0001.out.jsonl", answer(lines))
    reports = ["--reports", str(mini / "reports")]
    reopened = reopen_run(mini / "reports", "batched", SilentReporter()).items
    assert reopened.known_len == len(lines) == len(replace(reopened, known_len=None))  # the export's count, kept
    capsys.readouterr()
    assert main(["batch", "import", "batched", str(output), *reports]) == 0
    assert "fake-model (Batch API): 8/8 in " in capsys.readouterr().out  # the progress, as a log line off a terminal
    assert results_by_id(mini, "batched") == results_by_id(mini, "online")
    assert {r["batch"] for r in read_jsonl(mini / "reports" / "runs" / "batched" / "results.jsonl")} == {True}
    assert {r["batch"] for r in read_jsonl(mini / "reports" / "runs" / "online" / "results.jsonl")} == {False}
    manifest = json.loads((mini / "reports" / "runs" / "batched" / "manifest.json").read_text("utf-8"))
    assert manifest["status"] == "complete" and manifest["modes"] == {"fake-model": "json_schema"}
    assert (mini / "reports" / "runs" / "batched" / "report.json").exists()
    assert main(["batch", "import", "batched", str(output), *reports]) == 0  # twice: nothing added
    assert len(read_jsonl(mini / "reports" / "runs" / "batched" / "results.jsonl")) == len(lines)


def test_an_export_records_the_items_it_takes_of_each_seed_unless_sharded(mini: Path) -> None:
    # an import reopening the run makes a seed's items without counting every seed's (loading every golden)
    with FakeOpenAI(perfect) as server:
        flags = ["--model", "fake-model", "--base-url", server.base_url]
        for run_id, cut in (("few", ["--limit", "3"]), ("half", ["--shard", "1/2"])):
            args = run_args(mini, *flags, "--run-id", run_id, *cut)
            assert main(["batch", "export", *args[1:], "-o", str(mini / run_id)]) == 0
    few = reopen_run(mini / "reports", "few", SilentReporter()).items
    assert few.known_seed_items == {"mini": 3}
    counted = replace(few, known_seed_items=None, known_len=None)
    exported = [line["custom_id"] for line in read_jsonl(mini / "few" / "batch-0001.jsonl")]
    assert [i.id for i in few.of_seed("mini")] == [i.id for i in counted.of_seed("mini")] == exported
    assert list(few.of_seed("elsewhere")) == []
    assert reopen_run(mini / "reports", "half", SilentReporter()).items.known_seed_items is None


def test_error_lines_are_infrastructure_errors_and_bad_lines_are_named(
    mini: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with FakeOpenAI(perfect) as server:
        export = run_args(mini, "--model", "fake-model", "--base-url", server.base_url, "--run-id", "b")
        assert main(["batch", "export", *export[1:], "-o", str(mini / "out"), "--task", "qa"]) == 0
        lines = read_jsonl(mini / "out" / "batch-0001.jsonl")
        status = {"status_code": 429, "body": {"error": {"message": "slow down"}}}
        failed = {"id": "x", "custom_id": lines[2]["custom_id"], "response": status, "error": None}
        output = write_jsonl(mini / "out" / "out.jsonl", [*answer(lines[:2]), failed])
        with output.open("a", encoding="utf-8") as handle:
            handle.write("{not json\n")
            handle.write(json.dumps({"custom_id": "mini/qa/nope#0"}) + "\n")
        code = main(["batch", "import", "b", str(output), "--reports", str(mini / "reports")])
        out = capsys.readouterr()
        said = " ".join(out.out.split())
        assert code == 1
        assert f"{output}:4" in out.err and "not JSON" in out.err
        assert f"{output}:5" in out.err and "'mini/qa/nope#0' is not an item of this run" in out.err
        assert "3 results added (1 of them infrastructure errors)" in said and "the run is incomplete" in said
        rows = {r["id"]: r for r in read_jsonl(mini / "reports" / "runs" / "b" / "results.jsonl")}
        assert rows[lines[2]["custom_id"]]["outcome"] == "error"
        assert rows[lines[2]["custom_id"]]["reason"] == "batch: status 429: slow down"
        # the rest online: only the item no line answered is asked; the error stays an error
        assert main(["run", "--resume", "b", "--reports", str(mini / "reports")]) == 4
        assert [item_text(body) for body in server.requests] == [item_text(lines[3]["body"])]


def test_an_import_counts_and_reports_the_results_it_writes_as_a_pass_over_them_would(mini: Path) -> None:
    # finish_run takes the import's own count and the report what it gathered (no second pass over
    # results.jsonl): each must be what a pass gives, for a first import and for one into a run that has
    # results (errors counted by cause)
    with FakeOpenAI(perfect) as server:
        export = run_args(mini, "--model", "fake-model", "--base-url", server.base_url, "--run-id", "b")
        assert main(["batch", "export", *export[1:], "-o", str(mini / "out")]) == 0
    lines = read_jsonl(mini / "out" / "batch-0001.jsonl")
    failed = {"id": "x", "custom_id": lines[3]["custom_id"], "error": {"message": "expired"}, "response": None}
    first = write_jsonl(mini / "first.jsonl", [*answer(lines[:3]), failed])
    second = write_jsonl(mini / "second.jsonl", answer(lines))  # the first four again: skipped
    path = mini / "reports" / "runs" / "b" / "results.jsonl"
    for output, added in ((first, 4), (second, len(lines) - 4)):
        done = import_batch(mini / "reports", "b", [output], SilentReporter())
        assert done.added == added and done.summary is not None
        tally, results = tally_results(path)
        assert isinstance(done.summary.results, Results)
        assert done.summary.tally == tally and done.summary.results.distinct == results.distinct
        assert done.summary.tally.causes == Counter({("fake-model", "batch: status None: expired"): 1})
        assert done.gathered is not None
        assert write_run_reports(done.summary, gathered=done.gathered) == write_run_reports(done.summary)
    manifest = json.loads((mini / "reports" / "runs" / "b" / "manifest.json").read_text("utf-8"))
    assert (manifest["counts"]["finished"], manifest["counts"]["error"]) == (len(lines), 1)


def test_an_import_killed_in_a_write_is_completed_by_importing_again(mini: Path) -> None:
    # an import appends its results a batch at a time; killed inside a write, the torn line is repaired
    # and importing the file again adds what is missing, nothing twice
    with FakeOpenAI(perfect) as server:
        for run_id in ("killed", "whole"):
            export = run_args(mini, "--model", "fake-model", "--base-url", server.base_url, "--run-id", run_id)
            assert main(["batch", "export", *export[1:], "-o", str(mini / f"out-{run_id}")]) == 0
    output = write_jsonl(mini / "answers.jsonl", answer(read_jsonl(mini / "out-killed" / "batch-0001.jsonl")))
    args = ["batch", "import", "killed", str(output), "--reports", str(mini / "reports")]
    env = {**os.environ, TORN_WRITE_FAILPOINT: "1"}
    child = subprocess.run([sys.executable, "-m", "harness.cli", *args], cwd=mini, env=env, capture_output=True)
    assert child.returncode == -signal.SIGKILL
    assert not (mini / "reports" / "runs" / "killed" / "results.jsonl").read_bytes().endswith(b"\n")
    assert main(args) == 0
    assert main(["batch", "import", "whole", str(output), "--reports", str(mini / "reports")]) == 0
    rows = read_jsonl(mini / "reports" / "runs" / "killed" / "results.jsonl")
    assert len(rows) == len({r["id"] for r in rows}) == 8
    assert results_by_id(mini, "killed") == results_by_id(mini, "whole")


def test_files_split_at_the_limits(mini: Path) -> None:
    lines = [f'{{"n": {i}}}\n'.encode() for i in range(7)]
    assert [len(f) for f in split(lines, max_requests=3)] == [3, 3, 1]
    assert [len(f) for f in split(lines, max_requests=10, max_bytes=len(lines[0]) * 2)] == [2, 2, 2, 1]
    with FakeOpenAI(perfect) as server:
        config = lexical_config(mini, mini / "reports").model_copy(
            update={"models": ("fake-model",), "base_url": server.base_url}
        )
        done = export_batch(config, mini / "out", SilentReporter(), max_requests=3)
    assert [len(read_jsonl(p)) for p in done.files] == [3, 3, 2] and done.requests == 8


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--model", "baseline/lexical"], "runs in this process, not on an engine"),
        (["--model", "a", "--model", "b", "--base-url", "http://127.0.0.1:9/v1"], "holds one model's requests"),
        (["--model", "a", "--base-url", "http://127.0.0.1:9/v1", "--judge", "j"], "a batch is not judged"),
        (["--model", "a", "--base-url", "http://127.0.0.1:9/v1", "--batch"], "--batch is a flag of harness run"),
    ],
)
def test_what_a_batch_cannot_hold_is_refused(
    mini: Path, flags: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["batch", "export", *run_args(mini, *flags)[1:], "-o", str(mini / "out")]) == 2
    assert message in capsys.readouterr().err
    assert not (mini / "out").exists()


def online_and(mini: Path, server: FakeOpenAI, *flags: str) -> list[str]:
    """Run the mini data online (the reference) and return `harness run` args for ``flags``."""
    base = ["--model", "fake-model", "--base-url", server.base_url]
    assert main(run_args(mini, *base, "--no-cache", "--run-id", "online")) == 0
    return run_args(mini, *base, "--batch", "--batch-poll", "0.01", *flags)


def test_run_batch_ends_with_the_online_verdicts_resubmitting_only_what_an_expired_batch_left(mini: Path) -> None:
    with FakeBatches(perfect, fate=lambda n: "expired" if n == 1 else "completed") as server:
        args = online_and(mini, server, "--run-id", "batched")
        chats = server.calls
        assert main(args) == 0
        assert server.calls == chats  # no item went request by request
    first, second = ([line["custom_id"] for line in lines] for lines in server.inputs)
    assert len(first) == 8 and second == first[4:]  # the half the expired batch did not answer, only
    assert results_by_id(mini, "batched") == results_by_id(mini, "online")
    rows = read_jsonl(mini / "reports" / "runs" / "batched" / "results.jsonl")
    assert len(rows) == len({r["id"] for r in rows}) == 8  # nothing lost, nothing twice
    manifest = json.loads((mini / "reports" / "runs" / "batched" / "manifest.json").read_text("utf-8"))
    assert manifest["batches"] == {"batch_1": "imported", "batch_2": "imported"}
    assert manifest["status"] == "complete"


def test_a_failed_batch_is_submitted_again_and_error_lines_are_infrastructure_errors(mini: Path) -> None:
    with FakeBatches(perfect, fate=lambda n: "failed" if n == 1 else "errors") as server:
        args = online_and(mini, server, "--run-id", "batched")
        assert main(args) == 4  # one item ended in an error: the run is incomplete
    assert [len(lines) for lines in server.inputs] == [8, 8]
    rows = {r["id"]: r for r in read_jsonl(mini / "reports" / "runs" / "batched" / "results.jsonl")}
    last = server.inputs[1][-1]["custom_id"]
    assert rows[last]["outcome"] == "error" and rows[last]["reason"] == "batch: status 500: the engine fell over"
    assert sum(r["outcome"] == "error" for r in rows.values()) == 1


def killed_while_polling(mini: Path, server: FakeBatches, args: list[str]) -> Path:
    """Start ``args`` (a --batch run) in a child process, SIGKILL it while it polls; its manifest."""
    server.hold.set()  # the batch stays in progress: the run polls
    child = subprocess.Popen([sys.executable, "-m", "harness.cli", *args], cwd=mini, stdout=subprocess.DEVNULL)
    manifest = mini / "reports" / "runs" / "killed" / "manifest.json"
    deadline = time.monotonic() + 60
    while not (manifest.exists() and json.loads(manifest.read_text("utf-8")).get("batches")):
        assert time.monotonic() < deadline and child.poll() is None, "the batch was never submitted"
        time.sleep(0.05)
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert json.loads(manifest.read_text("utf-8"))["batches"] == {"batch_1": "submitted"}
    return manifest


def test_a_run_killed_while_polling_re_attaches_to_its_batch_on_resume(mini: Path) -> None:
    with FakeBatches(perfect) as server:
        killed_while_polling(mini, server, online_and(mini, server, "--run-id", "killed"))
        server.hold.clear()
        assert main(["run", "--resume", "killed", "--reports", str(mini / "reports")]) == 0
        assert len(server.batches) == 1  # re-attached, not submitted again
    assert results_by_id(mini, "killed") == results_by_id(mini, "online")


def test_batch_status_and_cancel(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    reports = ["--reports", str(mini / "reports")]
    with FakeBatches(perfect) as server:
        killed_while_polling(mini, server, online_and(mini, server, "--run-id", "killed"))
        capsys.readouterr()
        assert main(["batch", "status", "killed", *reports]) == 0
        assert capsys.readouterr().out == "batch_1: in_progress (0 completed, 0 failed of 8)\n"
        assert main(["batch", "cancel", "killed", *reports]) == 0
        assert capsys.readouterr().out.startswith("batch_1: cancelled\n")
        server.hold.clear()
        assert main(["run", "--resume", "killed", *reports]) == 0  # the cancelled batch's items, again
        assert len(server.batches) == 2
        assert main(["batch", "cancel", "killed", *reports]) == 0
        assert "batch_2: completed, nothing to cancel" in capsys.readouterr().out
        assert main(["batch", "status", "online", *reports]) == 2
    assert "has submitted no batch" in capsys.readouterr().err
    assert results_by_id(mini, "killed") == results_by_id(mini, "online")


def test_an_endpoint_without_the_batch_api_stops_the_run_with_one_message(
    mini: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with FakeOpenAI(perfect) as server:  # chat completions only
        args = run_args(mini, "--model", "fake-model", "--base-url", server.base_url, "--batch", "--run-id", "b")
        assert main(args) == 3
    err = capsys.readouterr().err
    assert "the Batch API at" in err and "refused to upload a file (404)" in err
    assert "Fix: check that the endpoint offers the Batch API" in err and "harness run --resume b" in err


def test_a_request_line_is_the_json_the_standard_library_writes() -> None:
    article = 'KYIV — "Støre" said:\n\t12 killed\x00 \u2028 🇳🇴 \\ end'
    body = {"model": "m", "temperature": 0.7, "max_tokens": 192, "seed": None, "stream": False}
    body |= {"messages": [{"role": "user", "content": f"ARTICLE:\n{article}"}], "n": [1, 2.5, -3e-07, True]}
    line = {"custom_id": "s/qa/q#0", "method": "POST", "url": "/v1/chat/completions", "body": body}
    expected = json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n"
    written = request_line("s/qa/q#0", body)
    assert json.loads(written) == line and written.endswith(b"\n") and written.count(b"\n") == 1
    # byte for byte, but for the exponent of a tiny float (orjson: -3e-7, json: -3e-07)
    assert written == expected.replace("e-07", "e-7").encode("utf-8")
