"""``python -m bench``: every issue-7 figure, measured side by side in one run; see bench/README.md.

Parts (``--only`` picks some; all by default):
  latency   harness vs ideal N*L/C at L=200 ms for C in 1..256 (and the bare SDK loop beside it)
  overhead  harness vs a bare openai-SDK loop, same requests and concurrency, zero-latency stub
  cache     a cached re-run of 2,000 finished items: items/s and model calls made
  prefix    the embedded model: article-first prompts (llama.cpp prefix cache reused) vs
            question-first prompts (cache defeated), and the bare llama.cpp server

Every measured side runs in a fresh child process (``bench/drive.py``); the stub runs in its
own process. Figures are medians over ``--reps`` runs with min and max; ratios are paired
within one repetition. The machine's load average is recorded at the start and the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.data import make_dataset
from bench.render import markdown
from bench.stub import Sent, StubServer

ROOT = Path(__file__).resolve().parent.parent
BENCH_PROMPTS = Path(__file__).resolve().parent / "prompts"
PARTS = ("latency", "overhead", "cache", "prefix")
LATENCY_S = 0.2
CONCURRENCIES = (1, 8, 32, 64, 128, 256)
QUICK_CONCURRENCIES = (64,)
PREFIX_SEED = "ap-kyiv-strike-2025-04-24"
CHILD_TIMEOUT_S = 1800


def summary(values: list[float]) -> dict[str, Any]:
    """Median, min, max and every run."""
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "runs": values}


def drive(kind: str, *args: str, timeout: float = CHILD_TIMEOUT_S) -> dict[str, Any]:
    """Run ``python -m bench.drive KIND ARGS`` in a fresh process; its result plus the process wall."""
    cmd = [sys.executable, "-m", "bench.drive", kind, *args]
    t0 = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT, check=False)
    wall = time.perf_counter() - t0
    lines = [line for line in out.stdout.splitlines() if line.startswith("BENCH_RESULT ")]
    if out.returncode != 0 or not lines:
        raise RuntimeError(f"{shlex.join(cmd)} failed ({out.returncode}):\n{out.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(lines[-1].removeprefix("BENCH_RESULT "))
    result["process_s"] = wall
    return result


def _data_args(data: Path, reports: Path, base_url: str | None = None) -> list[str]:
    args = ["--seeds", str(data / "seeds"), "--goldens", str(data / "goldens"), "--reports", str(reports)]
    return [*args, "--base-url", base_url] if base_url else args


def items_for(concurrency: int, items: int, quick: bool) -> int:
    """N for one concurrency: at most ``items``, and small enough at low C that the ideal is ~10 s."""
    budget_s = 0.2 if quick else 10.0
    return max(1, min(items, int(budget_s * concurrency / LATENCY_S)))


class Wire:
    """The chat request bodies each side of a comparison sent the stub, which must be identical:
    the bare loop sends the harness's own requests, so harness / bare measures the harness's work."""

    def __init__(self, stub: StubServer, where: str) -> None:
        self._stub = stub
        self._where = where
        self._mark = stub.requests()
        self._sides: dict[str, Sent] = {}

    def note(self, side: str) -> None:
        """Call right after ``side`` ran: the bodies it sent since the last note."""
        self._mark, self._sides[side] = self._stub.bodies(self._mark)

    def check(self) -> dict[str, Any]:
        """Raise unless every side sent the same bodies (sha256 of each, any order); a record of the check."""
        if len(set(self._sides.values())) != 1:
            raise RuntimeError(f"{self._where}: the sides sent different request bodies: {self._sides}")
        sent = next(iter(self._sides.values()))
        return {"where": self._where, "sides": list(self._sides), "requests": sent.requests, "sha256": sent.digest}


# --- parts ------------------------------------------------------------------------------


def bench_latency(data: Path, work: Path, reps: int, items: int, quick: bool) -> dict[str, Any]:
    concurrencies = QUICK_CONCURRENCIES if quick else CONCURRENCIES
    rows: dict[int, dict[str, list[float]]] = {c: {} for c in concurrencies}
    checks: list[dict[str, Any]] = []
    with StubServer(latency_s=LATENCY_S) as stub:
        for rep in range(reps):
            for c in concurrencies:
                n = items_for(c, items, quick)
                common = [*_data_args(data, work / f"lat-{rep}-{c}", stub.base_url), "--concurrency", str(c)]
                common += ["--limit", str(n)]
                wire = Wire(stub, f"latency rep {rep + 1} C={c}")
                bare = drive("bare", *common)
                wire.note("bare")
                harness = drive("harness", *common, "--no-cache", "--no-report", "--run-id", "r")
                wire.note("harness")
                if harness["items"] != n or harness["errors"]:
                    raise RuntimeError(f"latency run at C={c}: {harness}")
                checks.append(wire.check())
                ideal = n * LATENCY_S / c
                row = rows[c]
                for key, value in (
                    ("items", n),
                    ("harness_s", harness["run_s"]),
                    ("harness_efficiency", ideal / harness["run_s"]),
                    ("harness_setup_s", harness["setup_s"]),
                    ("harness_execute_efficiency", ideal / harness["execute_s"]),
                    ("harness_items_per_s", n / harness["run_s"]),
                    ("harness_process_s", harness["process_s"]),
                    ("bare_s", bare["run_s"]),
                    ("bare_efficiency", ideal / bare["run_s"]),
                ):
                    row.setdefault(key, []).append(value)
                print(
                    f"  latency rep {rep + 1} C={c} N={n}: harness {harness['run_s']:.2f}s bare {bare['run_s']:.2f}s "
                    f"ideal {ideal:.2f}s",
                    flush=True,
                )
    table: list[dict[str, Any]] = []
    for c, row in rows.items():
        n = int(row["items"][0])
        table.append(
            {
                "concurrency": c,
                "items": n,
                "ideal_s": n * LATENCY_S / c,
                **{key: summary(values) for key, values in row.items() if key != "items"},
            }
        )
    by_c = {r["concurrency"]: r for r in table}
    targets: dict[str, Any] = {}
    if 64 in by_c:
        at64 = by_c[64]["harness_efficiency"]["median"]
        targets["efficiency_at_64"] = {"target": ">= 0.90", "value": at64, "met": at64 >= 0.90}
    if 64 in by_c and 256 in by_c:
        thr64, thr256 = by_c[64]["harness_items_per_s"]["median"], by_c[256]["harness_items_per_s"]["median"]
        targets["throughput_256_vs_64"] = {"target": ">= 1.0", "value": thr256 / thr64, "met": thr256 >= thr64}
    return {"latency_s": LATENCY_S, "rows": table, "targets": targets, "same_request_bodies": checks}


def bench_overhead(
    data: Path, work: Path, reps: int, items: int, concurrency: int, profile: bool = True
) -> dict[str, Any]:
    runs: dict[str, list[float]] = {}
    checks: list[dict[str, Any]] = []
    profile_text = ""
    with StubServer(latency_s=0.0) as stub:
        for rep in range(reps):
            common = [*_data_args(data, work / f"over-{rep}", stub.base_url), "--concurrency", str(concurrency)]
            common += ["--limit", str(items)]
            wire = Wire(stub, f"overhead rep {rep + 1}")
            bare = drive("bare", *common)
            wire.note("bare")
            harness = drive("harness", *common, "--no-cache", "--run-id", "r")
            wire.note("harness")
            if harness["items"] != items or harness["errors"] or harness["invalid"]:
                raise RuntimeError(f"overhead run: {harness}")
            # the default flags: the response cache on (and empty, so every item is a model call)
            filled = drive("harness", *common, "--no-report", "--run-id", "c")
            wire.note("harness, cache on")
            checks.append(wire.check())
            stages = drive("stages", *common)
            for stage, us in stages["us_per_item"].items():
                runs.setdefault(f"stage_us_{stage}", []).append(us)
            for form, us in stages["sdk_create_us_per_request"].items():
                runs.setdefault(f"sdk_create_us_{form}", []).append(us)
            for key, value in (
                ("ratio", harness["run_s"] / bare["run_s"]),
                ("ratio_cache_on", filled["run_s"] / bare["run_s"]),
                ("harness_s", harness["run_s"]),
                ("bare_s", bare["run_s"]),
                ("harness_cpu_ms_per_item", 1000 * harness["cpu_s"] / items),
                ("bare_cpu_ms_per_item", 1000 * bare["cpu_s"] / items),
                ("own_cpu_ms_per_item", 1000 * (harness["cpu_s"] - bare["cpu_s"]) / items),
                ("report_s", harness["report_s"]),
                ("harness_process_s", harness["process_s"]),
                ("import_s", harness["import_s"]),
            ):
                runs.setdefault(key, []).append(value)
            print(
                f"  overhead rep {rep + 1}: harness {harness['run_s']:.2f}s bare {bare['run_s']:.2f}s "
                f"ratio {harness['run_s'] / bare['run_s']:.2f}",
                flush=True,
            )
        if profile:
            path = work / "overhead.prof"
            common = [*_data_args(data, work / "over-prof", stub.base_url), "--concurrency", str(concurrency)]
            common += ["--limit", str(items), "--no-cache", "--no-report", "--run-id", "p", "--profile", str(path)]
            drive("harness", *common)
            profile_text = _harness_costs(path)
    ratio = statistics.median(runs["ratio"])
    return {
        "concurrency": concurrency,
        "items": items,
        **{key: summary(values) for key, values in runs.items()},
        "profile_top_harness_functions": profile_text,
        "same_request_bodies": checks,
        "targets": {"harness_vs_bare": {"target": "<= 1.3", "value": ratio, "met": ratio <= 1.3}},
    }


def _harness_costs(profile: Path, limit: int = 20) -> str:
    """The harness's own functions by cumulative time under cProfile (which inflates every time ~2x)."""
    import io
    import pstats

    out = io.StringIO()
    stats = pstats.Stats(str(profile), stream=out)
    stats.sort_stats("cumulative").print_stats(r"harness[/\\]", limit)
    text = out.getvalue()
    return "\n".join(line.replace(str(ROOT) + "/", "") for line in text.splitlines() if line.strip())


def bench_cache(data: Path, work: Path, reps: int, items: int) -> dict[str, Any]:
    runs: dict[str, list[float]] = {}
    calls: list[int] = []
    with StubServer(latency_s=0.0) as stub:
        common = [*_data_args(data, work / "cache", stub.base_url), "--concurrency", "64", "--limit", str(items)]
        fill = drive("harness", *common, "--no-report", "--run-id", "fill")
        if fill["items"] != items or fill["errors"]:
            raise RuntimeError(f"cache fill run: {fill}")
        for rep in range(reps):
            before = stub.requests()
            again = drive("harness", *common, "--run-id", f"again-{rep}")
            calls.append(stub.requests() - before)
            if again["items"] != items or again["cached"] != items:
                raise RuntimeError(f"cached re-run: {again}")
            for key, value in (
                ("run_s", again["run_s"]),
                ("items_per_s", items / again["run_s"]),
                ("setup_s", again["setup_s"]),
                ("execute_s", again["execute_s"]),
                ("execute_items_per_s", items / again["execute_s"]),
                ("report_s", again["report_s"]),
                ("process_s", again["process_s"]),
                ("process_items_per_s", items / again["process_s"]),
                ("import_s", again["import_s"]),
            ):
                runs.setdefault(key, []).append(value)
            print(f"  cache rep {rep + 1}: {items / again['run_s']:.0f} items/s, {calls[-1]} model calls", flush=True)
    rate = statistics.median(runs["items_per_s"])
    execute_rate = statistics.median(runs["execute_items_per_s"])
    return {
        "items": items,
        "model_calls": calls,
        **{key: summary(values) for key, values in runs.items()},
        "targets": {
            "items_per_s": {"target": ">= 5000", "value": rate, "met": rate >= 5000},
            "execute_items_per_s": {"target": ">= 5000", "value": execute_rate, "met": execute_rate >= 5000},
            "model_calls": {"target": "0", "value": max(calls), "met": max(calls) == 0},
        },
    }


def _read_usage(folder: Path) -> list[dict[str, Any]]:
    rows = []
    with (folder / "results.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            r = json.loads(line)
            rows.append({"id": r["id"], "latency_s": r["latency_s"], "outcome": r["outcome"], **r["usage"]})
    return rows


def _common_prefix(a: list[int], b: list[int]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _tokens(rows: list[dict[str, Any]]) -> dict[str, int]:
    prompt = sum(r["prompt_tokens"] for r in rows)
    cached = sum(r["cached_tokens"] for r in rows)
    return {
        "prompt": prompt,
        "cached": cached,
        "processed": prompt - cached,
        "completion": sum(r["completion_tokens"] for r in rows),
    }


def bench_prefix(work: Path, items: int, seed: str = PREFIX_SEED) -> dict[str, Any]:
    """One run each (minutes on 2 cores): document-first, question-first, bare llama.cpp."""
    subset = ["--seed", seed, "--task", "qa", "--limit", str(items), "--model", "local/smollm2-135m"]
    data = ["--seeds", str(ROOT / "seeds"), "--goldens", str(ROOT / "goldens")]
    sides: dict[str, Any] = {}
    for name, prompts in (("document_first", ROOT / "prompts"), ("question_first", BENCH_PROMPTS)):
        reports = work / f"prefix-{name}"
        res = drive(
            "harness",
            *data,
            "--prompts",
            str(prompts),
            "--reports",
            str(reports),
            *subset,
            "--no-cache",
            "--no-report",
            "--run-id",
            "r",
        )
        rows = _read_usage(reports / "runs" / "r")
        sides[name] = {
            "run_s": res["run_s"],
            "process_s": res["process_s"],
            "tokens": _tokens(rows),
            "outcomes": {o: sum(r["outcome"] == o for r in rows) for o in {r["outcome"] for r in rows}},
            "items": rows,
        }
        print(f"  prefix {name}: {res['run_s']:.1f}s, tokens {sides[name]['tokens']}", flush=True)
    bare = drive("llama", *data, "--reports", str(work / "prefix-bare"), *subset[:-2])
    ids = bare.pop("prompt_token_ids")
    prefix = min((_common_prefix(ids[0], other) for other in ids[1:]), default=len(ids[0]))
    minimum = prefix + sum(len(t) - prefix for t in ids)
    requests = bare.pop("requests")
    timings = [r["timings"] or {} for r in requests]
    bare_tokens = _tokens(requests)
    decode_s = sum(t.get("predicted_ms", 0.0) for t in timings) / 1000
    reuse, defeat = sides["document_first"], sides["question_first"]
    speedup = defeat["run_s"] / reuse["run_s"]

    def gen_rate(side: dict[str, Any]) -> float:
        return float(side["tokens"]["completion"] / sum(r["latency_s"] for r in side["items"]))

    bare_rate = bare_tokens["completion"] / sum(r["latency_s"] for r in requests)
    return {
        "subset": f"--seed {seed} --task qa --limit {items} (one run of each side)",
        "items": items,
        "document_first": reuse,
        "question_first": defeat,
        "speedup": speedup,
        "minimum_prompt_tokens": minimum,
        "shared_prefix_tokens": prefix,
        "prompt_tokens_total": sum(len(t) for t in ids),
        "bare_llama": {
            "run_s": bare["run_s"],
            "tokens": bare_tokens,
            "prompt_tokens_processed_by_llama": sum(t.get("prompt_n", 0) for t in timings),
            "decode_tokens_per_s": bare_tokens["completion"] / decode_s if decode_s else None,
            "completion_tokens_per_wall_s": bare_rate,
            "items": requests,
        },
        "harness_completion_tokens_per_wall_s": gen_rate(reuse),
        "harness_vs_bare_generation_rate": gen_rate(reuse) / bare_rate,
        # per-request latency summed: the harness's run_s also holds loading the model
        "harness_vs_bare_latency": sum(r["latency_s"] for r in reuse["items"]) / sum(r["latency_s"] for r in requests),
        "targets": {"speedup": {"target": ">= 3", "value": speedup, "met": speedup >= 3}},
    }


def _machine() -> dict[str, Any]:
    mem = None
    try:
        with open("/proc/meminfo", encoding="utf-8") as handle:
            mem = round(int(handle.readline().split()[1]) / 2**20, 1)
    except (OSError, ValueError, IndexError):
        pass
    return {
        "cpus": os.cpu_count(),
        "memory_gib": mem,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "load_average_start": os.getloadavg(),
    }


def _packages() -> dict[str, str]:
    import importlib.metadata

    names = ("openai", "aiohttp", "pydantic", "jsonschema", "tenacity", "xllamacpp")
    out = {}
    for name in names:
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", choices=PARTS, default=[], help="run only this part (repeatable)")
    parser.add_argument("--reps", type=int, default=3, help="repetitions of each stub measurement (median, min-max)")
    parser.add_argument("--items", type=int, default=2000, help="work items for the stub parts")
    parser.add_argument("--concurrency", type=int, default=64, help="concurrency of the overhead comparison")
    parser.add_argument("--prefix-items", type=int, default=10, help="AP qa items in the embedded-model part")
    parser.add_argument("--prefix-seed", default=PREFIX_SEED, help="seed of the embedded-model part")
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one rep, no embedded model: a smoke run")
    parser.add_argument("--out", type=Path, default=None, help="results file (default bench/results.json)")
    args = parser.parse_args(argv)
    parts = args.only or (["latency", "overhead", "cache"] if args.quick else list(PARTS))
    if args.quick:
        args.reps, args.items = 1, min(args.items, 120)
    out = args.out or (Path(tempfile.gettempdir()) / "bench-quick.json" if args.quick else ROOT / "bench/results.json")
    results: dict[str, Any] = {
        "format_version": 1,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": shlex.join(["python", "-m", "bench", *(argv if argv is not None else sys.argv[1:])]),
        "machine": _machine(),
        "packages": _packages(),
        "reps": args.reps,
    }
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="harness-bench-") as tmp:
        work = Path(tmp)
        data = work / "data"
        make_dataset(data, args.items)
        for part in parts:
            print(f"{part} ...", flush=True)
            load = os.getloadavg()
            part_started = time.perf_counter()
            if part == "latency":
                results["latency"] = bench_latency(data, work, args.reps, args.items, args.quick)
            elif part == "overhead":
                results["overhead"] = bench_overhead(
                    data, work, args.reps, args.items, args.concurrency, profile=not args.quick
                )
            elif part == "cache":
                results["cache"] = bench_cache(data, work, args.reps, args.items)
            else:
                results["prefix"] = bench_prefix(work, 2 if args.quick else args.prefix_items, args.prefix_seed)
            results[part]["load_average_start"] = load
            results[part]["part_s"] = time.perf_counter() - part_started
            results[part]["command"] = results["command"]
            results[part]["created"] = results["created"]
    results["machine"]["load_average_end"] = os.getloadavg()
    results["total_s"] = time.perf_counter() - started
    previous = json.loads(out.read_text(encoding="utf-8")) if out.exists() and args.only else {}
    merged = {**previous, **results}  # --only keeps the other parts of an earlier full run
    out.write_text(json.dumps(merged, indent=1) + "\n", encoding="utf-8")
    print(markdown(merged))
    print(f"wrote {out} in {results['total_s']:.0f} s")
    if not args.quick and args.out is None:
        print("refresh bench/README.md from it: .venv/bin/python -m bench.render")
    return 0


if __name__ == "__main__":
    sys.exit(main())
