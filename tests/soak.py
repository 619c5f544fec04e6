"""The soak: ``harness run`` on 1,000 items with 20% of them faulted, at concurrency 32.

The items are the synthetic benchmark dataset (``bench/data.py``), the prompts the real ones,
the model a real HTTP server on 127.0.0.1 (``tests/fake_openai.py``) that answers every item
right (``tests/faults.py:oracle``) except where ``FaultMix`` injects a fault. ``tests/test_soak.py``
asserts on it; ``python -m tests.soak`` prints the figures for docs/reliability.md.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.data import make_dataset
from harness.cli import main as harness
from harness.config import RunConfig
from harness.goldens import load_goldens
from harness.plan import plan
from harness.prompts import load_prompts
from harness.seeds import load_seeds
from tests.fake_openai import FakeOpenAI
from tests.faults import FaultMix, FaultPlan, oracle

REPO = Path(__file__).resolve().parents[1]
KEY_ENV = "HARNESS_SOAK_KEY"


@dataclass(frozen=True)
class Soak:
    """What a soak run did and what the fault plan says each item should end as."""

    exit_code: int
    wall_s: float
    folder: Path
    results: list[dict[str, Any]]
    plans: dict[str, FaultPlan | None]
    served: Counter[str]
    requests: int
    output: str

    @property
    def outcomes(self) -> Counter[str]:
        return Counter(r["outcome"] for r in self.results)

    @property
    def retries(self) -> int:
        return sum(r["attempts"] - 1 for r in self.results)


def run_soak(work: Path, items: int = 1000, rate: float = 0.2, concurrency: int = 32, seed: int = 7) -> Soak:
    """Run the soak in ``work`` (made empty) and return what happened."""
    seeds_dir, goldens_dir = make_dataset(work, items)
    prompts_dir, reports_dir = REPO / "prompts", work / "reports"
    config = RunConfig(seeds_dir=seeds_dir, goldens_dir=goldens_dir, prompts_dir=prompts_dir, limit=items)
    seeds = load_seeds(seeds_dir)
    goldens = load_goldens(goldens_dir, seeds)
    prompts = load_prompts(prompts_dir, {})
    work_items = plan(seeds, goldens, prompts, config)
    mix = FaultMix(oracle(seeds, goldens, prompts, config), rate, seed)
    plans = {f"{i.id}": mix.plan_for({"messages": list(i.messages)}) for i in work_items}
    os.environ[KEY_ENV] = "sk-soak-not-a-real-key"
    args = [
        "run",
        *("--seeds", str(seeds_dir), "--goldens", str(goldens_dir), "--prompts", str(prompts_dir)),
        *("--reports", str(reports_dir), "--model", "soak-model", "--api-key-env", KEY_ENV),
        *("--limit", str(items), "--concurrency", str(concurrency), "--run-id", "soak", "--no-cache"),
        # a hang costs one timeout per attempt; transient faults fail at most twice
        *("--timeout", "1", "--max-attempts", "4", "--backoff", "0.05"),
    ]
    out = io.StringIO()
    with FakeOpenAI(mix) as server:
        started = time.perf_counter()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            code = harness([*args, "--base-url", server.base_url])
        wall = time.perf_counter() - started
        requests = server.calls
    folder = reports_dir / "runs" / "soak"
    lines = (folder / "results.jsonl").read_text(encoding="utf-8").splitlines()
    return Soak(code, wall, folder, [json.loads(x) for x in lines], plans, mix.served, requests, out.getvalue())


def figures(soak: Soak, items: int, rate: float, concurrency: int) -> str:
    """The soak's figures as the markdown table in docs/reliability.md."""
    faulted = Counter(p.kind for p in soak.plans.values() if p is not None)
    outcomes = soak.outcomes
    manifest = json.loads((soak.folder / "manifest.json").read_text(encoding="utf-8"))
    rows = [
        ("items", f"{items} (synthetic dataset, real prompts), concurrency {concurrency}"),
        ("items faulted", f"{sum(faulted.values())} ({sum(faulted.values()) / items:.1%}; target rate {rate:.0%})"),
        ("faulted items by kind", ", ".join(f"{k} {n}" for k, n in sorted(faulted.items()))),
        ("fault responses served", f"{sum(soak.served.values())} of {soak.requests} requests"),
        ("retries (attempts beyond the first)", str(soak.retries)),
        ("final outcomes", ", ".join(f"{k} {n}" for k, n in sorted(outcomes.items()))),
        ("final records", f"{len(soak.results)} lines, {len({r['id'] for r in soak.results})} distinct ids"),
        ("run status / exit code", f"{manifest['status']} / {soak.exit_code}"),
        ("wall time", f"{soak.wall_s:.1f} s"),
    ]
    return "\n".join(["| figure | value |", "|---|---|", *(f"| {k} | {v} |" for k, v in rows)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=0.2)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--work", type=Path, default=Path("/tmp/harness-soak"))
    args = parser.parse_args()
    if args.work.exists():
        raise SystemExit(f"{args.work} exists; remove it or pass --work DIR")
    soak = run_soak(args.work, args.items, args.rate, args.concurrency, args.seed)
    print(figures(soak, args.items, args.rate, args.concurrency))


if __name__ == "__main__":
    main()
