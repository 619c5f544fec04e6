"""Smoke tests of the benchmark tools (bench/): no timing is asserted here, only that they work.

Speed is measured by ``make bench`` (bench/README.md), never by a test.
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from bench.data import make_dataset
from bench.stub import StubServer, task_of
from harness.goldens import load_goldens
from harness.outputs import parse_output
from harness.prompts import load_prompts
from harness.seeds import load_seeds
from harness.tasks import task_names

ROOT = Path(__file__).resolve().parent.parent


def _chat(base_url: str, body: dict[str, object]) -> dict[str, object]:
    request = urllib.request.Request(
        base_url + "/chat/completions", data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        reply: dict[str, object] = json.load(response)
    return reply


@pytest.mark.parametrize("structured", [True, False])
def test_stub_answers_valid_output_for_the_real_prompts(structured: bool) -> None:
    prompts = load_prompts(ROOT / "prompts", {})
    article = (ROOT / "seeds" / "elpais-kyiv-strike-2025-04-24.txt").read_text(encoding="utf-8")
    values = {
        "qa": {"question": "Who?"},
        "factcheck": {"claim": "It rained."},
        "summary": {"max_words": 50, "focus": "the main story of the article above"},
    }
    with StubServer(latency_s=0.0) as stub:
        for task in task_names():
            body: dict[str, object] = {
                "model": "bench",
                "messages": prompts[task].render({"article": article, **values[task]}),  # type: ignore[dict-item]
            }
            if structured:
                body["response_format"] = {"type": "json_schema", "json_schema": {"name": task, "schema": {}}}
            assert task_of(body) == task
            reply = _chat(stub.base_url, body)
            content = reply["choices"][0]["message"]["content"]  # type: ignore[index]
            parsed = parse_output(task, content)  # raises SchemaViolation if not valid for the schema
            evidence = parsed.model_dump().get("evidence") or parsed.model_dump()["key_points"][0]["evidence"]
            assert evidence and evidence in article
        assert stub.requests() == len(task_names())


def test_synthetic_dataset_loads_with_the_harness_loaders(tmp_path: Path) -> None:
    seeds_dir, goldens_dir = make_dataset(tmp_path, 120)
    goldens = load_goldens(goldens_dir, load_seeds(seeds_dir))
    assert sum(len(g.questions) + len(g.claims) + 1 for g in goldens.values()) >= 120


def test_quick_bench_runs(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads(out.read_text(encoding="utf-8"))
    assert {"latency", "overhead", "cache"} <= results.keys()
    assert results["cache"]["model_calls"] == [0]
    assert "| figure |" in done.stdout


def test_the_first_hour_floor_is_each_seeds_first_request_plus_the_fastest_item_for_the_rest() -> None:
    from bench.first_hour import figures

    def row(
        seed: str, latency: float, outcome: str = "correct", model: str = "local/smollm2-135m"
    ) -> dict[str, object]:
        return {
            "model": model,
            "seed": seed,
            "latency_s": latency,
            "outcome": outcome,
            "usage": {"completion_tokens": 10},
        }

    rows = [
        row("a", 40.0),
        row("a", 2.0),
        row("a", 0.5, "invalid"),
        row("b", 6.0),
        row("b", 1.0),
        row("a", 9, model="x"),
    ]
    got = figures(rows)
    assert (got["items"], got["invalid"], got["completion_tokens"]) == (5, 1, 50)
    assert got["first_prefill_s"] == 46.0 and got["per_item_min_s"] == 0.5
    assert got["floor_s"] == 46.0 + 0.5 * 3
