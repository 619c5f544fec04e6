"""report.json / report.md after a run, and `harness score` re-scoring without any model call."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from harness.cli import main
from harness.report import build_report, report_json_schema
from tests.conftest import REPO, perfect, read_jsonl, run_args
from tests.fake_openai import FakeOpenAI, Reply


@pytest.fixture(autouse=True)
def api_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-report-test")


def wrong_on_injured(request: dict[str, Any], seen: int) -> Reply:
    reply = perfect(request, seen)
    if "injured in the attack" in request["messages"][-1]["content"].splitlines()[-1]:
        return Reply(json.dumps({"answerable": True, "answer": "12", "value": 12, "evidence": "90 were injured"}))
    return reply


def test_run_writes_report_json_valid_against_shipped_schema(mini: Path) -> None:
    with FakeOpenAI(wrong_on_injured) as server:
        assert main(run_args(mini, "--model", "fake-model", "--base-url", server.base_url, "--run-id", "r")) == 0
    folder = mini / "reports" / "runs" / "r"
    report = json.loads((folder / "report.json").read_text())
    shipped = json.loads((REPO / "reports" / "report.schema.json").read_text())
    assert shipped == report_json_schema(), "run `harness export-schemas` and commit the result"
    jsonschema.validate(report, shipped)
    assert report["format_version"] == 2
    qa = next(m for m in report["metrics"] if m["metric"] == "qa_accuracy" and m["tag"] is None)
    assert qa["estimate"]["value"] == pytest.approx(2 / 3) and qa["estimate"]["n"] == 3
    assert qa["estimate"]["method"] == "wilson" and 0 < qa["estimate"]["lo"] < 2 / 3 < qa["estimate"]["hi"]
    assert report["worst"][0]["id"] == "mini/qa/injured#0"
    assert report["worst"][0]["reason"] == "states the distractor 12; expected 90"
    md = (folder / "report.md").read_text()
    assert "## Leaderboard" in md and "| fake-model | factcheck/v2, qa/v2, summary/v2 | 0.667 [" in md
    assert "states the distractor 12; expected 90" in md
    # per tag, each row says which metric it is (a tag can carry qa_accuracy and abstention_accuracy)
    assert "| fake-model | qa | casualties | qa_accuracy | 0.500 [" in md


def test_score_rescores_without_calling_the_model(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with FakeOpenAI(wrong_on_injured) as server:
        assert main(run_args(mini, "--model", "fake-model", "--base-url", server.base_url, "--run-id", "r")) == 0
        calls = server.calls
        # a golden fix: suppose the article had said 12 were injured
        golden = mini / "goldens" / "mini.yaml"
        golden.write_text(golden.read_text().replace("answer: 90\n    wrong: [12]", "answer: 12\n    wrong: [90]"))
        capsys.readouterr()
        assert main(["score", "r", "--reports", str(mini / "reports")]) == 0
        assert server.calls == calls
    rows = {r["id"]: r for r in read_jsonl(mini / "reports" / "runs" / "r" / "results.jsonl")}
    assert rows["mini/qa/injured#0"]["outcome"] == "correct"
    assert len(rows) == 8
    assert "qa accuracy" in capsys.readouterr().out


def test_samples_give_cluster_bootstrap_and_consistency() -> None:
    from harness.types import ItemResult

    def result(item: str, sample: int, outcome: str) -> ItemResult:
        return ItemResult(
            model="m",
            id=f"s/qa/{item}#{sample}",
            seed="s",
            task="qa",
            item=item,
            sample=sample,
            prompt_ref="qa/v1",
            mode="json_schema",
            raw="{}",
            parsed={},
            outcome=outcome,  # type: ignore[arg-type]
            reason="",
            grounded=True,
        )

    rows = [
        result("a", 0, "correct"),
        result("a", 1, "correct"),
        result("b", 0, "correct"),
        result("b", 1, "incorrect"),
    ]
    report = build_report("r", "complete", rows)
    metrics = {m.metric: m.estimate for m in report.metrics if m.tag is None}
    assert metrics["qa_accuracy"].method == "bootstrap" and metrics["qa_accuracy"].n == 2
    assert metrics["qa_accuracy"].value == pytest.approx(0.75)
    assert metrics["consistency"].value == pytest.approx(0.5)


def test_cost_from_a_price_table(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    prices = mini / "prices.yaml"
    prices.write_text("fake-model: {input_per_mtok: 1000, output_per_mtok: 2000}\n")
    with FakeOpenAI(perfect) as server:
        args = run_args(mini, "--model", "fake-model", "--base-url", server.base_url, "--run-id", "c")
        assert main([*args, "--prices", str(prices)]) == 0
    usage = json.loads((mini / "reports" / "runs" / "c" / "report.json").read_text())["usage"][0]
    # 8 requests x (100 prompt tokens x $1000/M + 20 completion tokens x $2000/M)
    assert usage["cost_usd"] == pytest.approx(8 * (0.1 + 0.04))
    prices.write_text("fake-model: {input_per_mtok: cheap}\n")
    assert main(["score", "c", "--reports", str(mini / "reports"), "--prices", str(prices)]) == 2
    assert "Fix: write `MODEL: {input_per_mtok" in capsys.readouterr().err


def test_a_score_that_stops_part_way_leaves_the_results_as_they_were(
    mini: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with FakeOpenAI(perfect) as server:
        assert main(run_args(mini, "--model", "fake-model", "--base-url", server.base_url, "--run-id", "r")) == 0
    path = mini / "reports" / "runs" / "r" / "results.jsonl"
    orphan = read_jsonl(path)[0] | {"seed": "gone", "id": "gone/qa/injured#0"}  # a seed whose golden is gone
    path.write_text(path.read_text() + json.dumps(orphan) + "\n")
    before = path.read_bytes()
    capsys.readouterr()
    assert main(["score", "r", "--reports", str(mini / "reports")]) == 2  # found after 8 lines were rewritten
    assert "has results for seed 'gone', which has no golden now. Fix: restore it" in capsys.readouterr().err
    assert path.read_bytes() == before and sorted(p.name for p in path.parent.iterdir()) == [
        "manifest.json",
        "report.html",
        "report.json",
        "report.md",
        "results.jsonl",
    ]
