"""``python -m bench.first_hour [--reps 3]``: `make run` as a new user meets it, timed.

A fresh clone of HEAD gets its install (`make .venv/.installed-stamp`, timed apart); then `make run` runs
``--reps`` times, each from an empty reply cache, and every run's embedded-model results give:
- wall time of `make run` (install excluded);
- invalid replies of the embedded model;
- the floor: each seed's first request (the article's prefill, cache cold) plus, for every other item,
  the fastest item's latency: what a run would take if every item were as quick as the quickest.
The medians and every run go to bench/first-hour.json; see bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(__file__).resolve().parent / "first-hour.json"
EMBEDDED = "local/smollm2-135m"


def _timed(cmd: list[str], cwd: Path) -> tuple[float, str]:
    """Seconds taken, and what the command printed."""
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return time.perf_counter() - started, done.stdout


def figures(results: list[dict[str, Any]]) -> dict[str, Any]:
    """The embedded model's items, invalid share, prompt and completion tokens, and floor of one run."""
    rows = [r for r in results if r["model"] == EMBEDDED]
    firsts: dict[str, int] = {}
    for index, row in enumerate(rows):  # written in order of arrival; one llama.cpp slot serves in order
        firsts.setdefault(row["seed"], index)
    prefill = sum(rows[i]["latency_s"] for i in firsts.values())
    per_item = min((r["latency_s"] for i, r in enumerate(rows) if i not in firsts.values()), default=0.0)
    invalid = sum(r["outcome"] == "invalid" for r in rows)
    return {
        "items": len(rows),
        "invalid": invalid,
        "invalid_share": invalid / len(rows) if rows else 0.0,
        "model_s": sum(r["latency_s"] for r in rows),
        "completion_tokens": sum((r.get("usage") or {}).get("completion_tokens", 0) for r in rows),
        "first_prefill_s": prefill,
        "per_item_min_s": per_item,
        "floor_s": prefill + per_item * (len(rows) - len(firsts)),
    }


def _results(clone: Path) -> list[dict[str, Any]]:
    [folder] = [p for p in (clone / "reports" / "runs").iterdir() if p.is_dir()]
    lines = (folder / "results.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.first_hour", description=__doc__)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True)
    runs: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="harness-first-hour-") as tmp:
        clone = Path(tmp) / "clone"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        install_s = _timed(["make", ".venv/.installed-stamp"], clone)[0]
        for rep in range(args.reps):
            for stale in ("runs", "cache"):
                shutil.rmtree(clone / "reports" / stale, ignore_errors=True)
            load = os.getloadavg()[0]
            wall, printed = _timed(["make", "run"], clone)
            runs.append({"wall_s": wall, "load_before": load, **figures(_results(clone)), "printed": printed})
            print(f"run {rep + 1}: {wall:.0f} s, {runs[-1]['invalid']} invalid, floor {runs[-1]['floor_s']:.0f} s")
    median = {key: statistics.median(r[key] for r in runs) for key in runs[0] if key != "printed"}
    result = {
        "date": dt.date.today().isoformat(),
        "commit": commit.stdout.strip(),
        "command": "make run (fresh clone; reply cache emptied before each run)",
        "install_s": install_s,
        "median": median,
        "runs": runs,
    }
    OUT.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(
        f"make run, median of {len(runs)}: {median['wall_s']:.0f} s (install apart: {install_s:.0f} s); "
        f"embedded model: {median['invalid']:.0f} of {median['items']:.0f} invalid; "
        f"floor {median['floor_s']:.0f} s (first prefills {median['first_prefill_s']:.0f} s + "
        f"{median['per_item_min_s']:.2f} s an item); wrote {OUT.relative_to(ROOT)}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
