"""Before/after for harness fixes: the same measurements on an older harness tree and on this one.

    mkdir /tmp/old && git archive COMMIT harness prompts | tar -x -C /tmp/old
    .venv/bin/python -m bench.before_after /tmp/old --label COMMIT

Alternates old, new and the bare SDK loop in each repetition (zero-latency stub, 2,000 synthetic
items, C=64): a run without cache, then a cached re-run. The old tree runs with this checkout's
``bench`` package copied beside it, so both sides are driven by the same code.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.data import make_dataset
from bench.stub import StubServer

ROOT = Path(__file__).resolve().parent.parent
CONCURRENCY = 64


def _this_tree() -> str:
    """This checkout's commit, marked "+ uncommitted changes" if harness/, prompts/ or bench/ differ from it."""
    git = ["git", "-C", str(ROOT)]
    head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False)
    if head.returncode != 0:
        return "this checkout"
    dirty = subprocess.run(
        [*git, "status", "--porcelain", "--", "harness", "prompts", "bench"],
        capture_output=True,
        text=True,
        check=False,
    )
    return head.stdout.strip() + (" + uncommitted changes" if dirty.stdout.strip() else "")


def _drive(tree: Path, *args: str) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "bench.drive", *args]
    t0 = time.perf_counter()
    out = subprocess.run(cmd, cwd=tree, capture_output=True, text=True, timeout=600, check=False)
    lines = [line for line in out.stdout.splitlines() if line.startswith("BENCH_RESULT ")]
    if out.returncode != 0 or not lines:
        raise RuntimeError(f"{cmd} in {tree} failed:\n{out.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(lines[-1].removeprefix("BENCH_RESULT "))
    result["process_s"] = time.perf_counter() - t0
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.before_after")
    parser.add_argument("old", type=Path, help="a folder holding the old harness/ and prompts/")
    parser.add_argument("--label", default="old")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "before-after.json")
    args = parser.parse_args(argv)
    old = args.old.resolve()
    shutil.rmtree(old / "bench", ignore_errors=True)
    shutil.copytree(ROOT / "bench", old / "bench", ignore=shutil.ignore_patterns("__pycache__"))
    runs: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="harness-before-after-") as tmp, StubServer(0.0) as stub:
        work = Path(tmp)
        make_dataset(work / "data", args.items)
        for rep in range(args.reps):
            for side, tree in (("old", old), ("new", ROOT)):
                data = ["--seeds", str(work / "data/seeds"), "--goldens", str(work / "data/goldens")]
                common = [*data, "--prompts", str(tree / "prompts"), "--base-url", stub.base_url]
                common += ["--reports", str(work / f"{side}-{rep}"), "--concurrency", str(CONCURRENCY)]
                common += ["--no-report"]
                fresh = _drive(tree, "harness", *common, "--no-cache", "--run-id", "fresh")
                _drive(tree, "harness", *common, "--run-id", "fill")
                cached = _drive(tree, "harness", *common, "--run-id", "again")
                for key, value in (
                    ("run_s", fresh["run_s"]),
                    ("cpu_ms_per_item", 1000 * fresh["cpu_s"] / args.items),
                    ("cached_run_s", cached["run_s"]),
                    ("cached_execute_s", cached["execute_s"]),
                ):
                    runs.setdefault(f"{side}_{key}", []).append(value)
                print(f"rep {rep + 1} {side}: fresh {fresh['run_s']:.2f}s cached {cached['run_s']:.3f}s", flush=True)
            bare = _drive(ROOT, "bare", *common, "--no-cache")
            runs.setdefault("bare_run_s", []).append(bare["run_s"])
            runs.setdefault("bare_cpu_ms_per_item", []).append(1000 * bare["cpu_s"] / args.items)
    result = {
        "old": args.label,
        "new": _this_tree(),
        "command": shlex.join(["python", "-m", "bench.before_after", *(argv if argv is not None else sys.argv[1:])]),
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "items": args.items,
        "concurrency": CONCURRENCY,
        "medians": {key: statistics.median(values) for key, values in runs.items()},
        "min": {key: min(values) for key, values in runs.items()},
        "max": {key: max(values) for key, values in runs.items()},
        "runs": runs,
    }
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    for key, value in result["medians"].items():
        print(f"{key}: {value:.3f} ({result['min'][key]:.3f}-{result['max'][key]:.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
