"""``python -m bench.scale``: a run of N generated items through the zero-latency stub, its peak memory.

    .venv/bin/python -m bench.scale --items 100000              # ~3 minutes
    .venv/bin/python -m bench.scale --items 1000000 --no-batch --no-check  # ~30 minutes
    .venv/bin/python -m bench.render                            # the table in bench/README.md

Each size writes a dataset with ``bench.data`` (articles of ``--sentences`` sentences, ~22 KB like the
AP seed, goldens of ``--per-seed`` items each), then runs ``harness run`` as a child process against the
stub (``bench/stub.py``, latency 0, its own process) with the cache off. It records the run's wall time
and peak RSS (``getrusage`` of its children, in a fresh parent: the whole run, report included), items
per second and the size of what it wrote. Then ``harness check RUN RUN`` (the run against itself: every
item paired) is measured the same way, and (unless ``--no-batch``) ``harness batch export`` of the same
items, a stand-in engine's answers and ``harness batch import`` of them. Results are merged into
``bench/scale.json`` by size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.data import make_dataset
from bench.stub import StubServer, answer_for

BENCH = Path(__file__).resolve().parent
SCALE = BENCH / "scale.json"
HARNESS = Path(sys.executable).with_name("harness")
REPO = BENCH.parent


# Runs its arguments as a child and prints the child's peak RSS (KB): a fresh parent for each measured
# command, since getrusage(RUSAGE_CHILDREN) reports the largest child a process ever waited for.
_PEAK = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)\n"
)


def _child(args: list[str], env: dict[str, str]) -> dict[str, float]:
    """Run ``args``; its wall seconds and peak RSS in MB."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _PEAK, *args], env=env, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - start
    peak, code = (int(word) for word in done.stdout.split())
    if code not in (0, 4):
        raise RuntimeError(f"{' '.join(args[:3])} failed ({code}): {done.stderr[-2000:]}")
    return {"wall_s": wall, "peak_rss_mb": peak / 1024, "exit": code}


def measure(
    items: int, per_seed: int, sentences: int, concurrency: int, work: Path, batch: bool, with_check: bool
) -> dict[str, Any]:
    """One run of ``items`` items, (``with_check``) one check of it against itself and (``batch``) an
    export and import."""
    t0 = time.perf_counter()
    seeds_dir, goldens_dir = make_dataset(work / "data", items, seeds=-(-items // per_seed), sentences=sentences)
    made = time.perf_counter() - t0
    reports = work / "reports"
    env = {**os.environ, "BENCH_KEY": "bench"}
    with StubServer(0.0) as stub:
        run = [str(HARNESS), "run", "--model", "stub", "--base-url", stub.base_url, "--api-key-env", "BENCH_KEY"]
        run += ["--seeds", str(seeds_dir), "--goldens", str(goldens_dir), "--prompts", str(REPO / "prompts")]
        run += ["--reports", str(reports), "--no-cache", "--concurrency", str(concurrency), "--limit", str(items)]
        ran = _child([*run, "--run-id", "scale"], env)
    folder = reports / "runs" / "scale"
    manifest = json.loads((folder / "manifest.json").read_text())
    sizes = {name: (folder / name).stat().st_size / 1e6 for name in ("results.jsonl", "report.json", "report.html")}
    check = [str(HARNESS), "check", "--baseline", "scale", "--candidate", "scale", "--reports", str(reports)]
    checked = _child(check, env) if with_check else None
    row = {
        "items": items,
        "seeds": -(-items // per_seed),
        "article_bytes": len((seeds_dir / "bench-00.txt").read_bytes()),
        "dataset_s": made,
        "run": {**ran, "items_per_s": items / ran["wall_s"], "status": manifest["status"]},
        "files_mb": sizes,
        "check": checked,
    }
    if batch:
        row["batch"] = _batch(run, work, env, items)
    return row


def _batch(run: list[str], work: Path, env: dict[str, str], items: int) -> dict[str, Any]:
    """``harness batch export`` of the same items, a stand-in engine's answers (not timed), then ``harness
    batch import`` of them: each timed as a child, with its items per second. The export reads the goldens
    the run checked (kept in the reports folder's cache, as for any command after a run); a first export
    into an empty reports folder, which parses and checks them, is timed too (``export_cold``)."""
    export = [run[0], "batch", "export", *run[2:], "--run-id", "batch"]
    cold = _child([*export, "-o", str(work / "batch-cold"), "--reports", str(work / "cold-reports")], env)
    shutil.rmtree(work / "batch-cold")  # ~20 KB an item
    exported = _child([*export, "-o", str(work / "batch-in")], env)
    output = work / "batch-out.jsonl"
    _answer(work / "batch-in", output)
    imported = _child([run[0], "batch", "import", "batch", str(output), "--reports", str(work / "reports")], env)
    return {
        "export_cold": {**cold, "items_per_s": items / cold["wall_s"]},
        "export": {**exported, "items_per_s": items / exported["wall_s"]},
        "import": {**imported, "items_per_s": items / imported["wall_s"]},
    }


def _answer(inputs: Path, output: Path) -> None:
    """The stand-in offline engine: each request line of the export answered with the stub's reply."""
    with output.open("w", encoding="utf-8") as out:
        for path in sorted(inputs.glob("batch-*.jsonl")):
            with path.open(encoding="utf-8") as lines:
                for number, line in enumerate(lines):
                    request = json.loads(line)
                    message = {"role": "assistant", "content": json.dumps(answer_for(request["body"]))}
                    choice = {"index": 0, "message": message, "finish_reason": "stop"}
                    usage = {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120}
                    body = {"id": f"c{number}", "object": "chat.completion", "created": 0, "model": "stub"}
                    body |= {"choices": [choice], "usage": usage}
                    response = {"status_code": 200, "request_id": f"r{number}", "body": body}
                    out.write(json.dumps({"id": f"b{number}", "custom_id": request["custom_id"], "response": response}))
                    out.write("\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--per-seed", type=int, default=1000, help="items per generated seed")
    parser.add_argument("--sentences", type=int, default=170, help="sentences per article (170: ~22 KB)")
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--no-batch", action="store_true", help="skip batch export/import (~22 KB an item on disk)")
    parser.add_argument("--no-check", action="store_true", help="skip harness check (it holds every item's row)")
    parser.add_argument("--out", type=Path, default=SCALE)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="harness-scale-") as tmp:
        work, batch = Path(tmp), not args.no_batch
        row = measure(args.items, args.per_seed, args.sentences, args.concurrency, work, batch, not args.no_check)
    row["date"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    row["load_avg_1m"] = os.getloadavg()[0]
    skipped = [flag for flag, skip in (("--no-batch", args.no_batch), ("--no-check", args.no_check)) if skip]
    row["command"] = " ".join(["python -m bench.scale --items", str(args.items), *skipped])
    data = json.loads(args.out.read_text()) if args.out.exists() else {}
    data[str(args.items)] = row
    args.out.write_text(json.dumps(data, indent=2) + "\n")
    print(json.dumps(row, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
