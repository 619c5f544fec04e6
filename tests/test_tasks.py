"""The task registry: every registered task is complete, and a task defined here, outside the package,
runs end to end (run -> report.json/md/html -> compare -> check) without editing any module of harness."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict

from harness.cli import main
from harness.goldens import Golden
from harness.matching.evidence import is_grounded
from harness.matching.sentences import told_once
from harness.metrics import metric_info
from harness.outcomes import Outcomes
from harness.outputs import output_schema
from harness.stats import Estimate, proportion
from harness.tasks import TASKS, ItemView, TaskItem, register, task, task_names
from harness.tasks.summary import states
from harness.types import Details, Verdict, WorkItem
from tests.conftest import REPO, item_text, make_mini, read_jsonl, run_args
from tests.fake_openai import FakeOpenAI, Reply


def test_the_builtin_tasks_are_registered_in_display_order() -> None:
    assert task_names() == ("qa", "factcheck", "summary")


@pytest.mark.parametrize("name", task_names())
def test_every_registered_task_is_complete(name: str) -> None:
    t = task(name)
    assert t.name == name
    assert (REPO / "prompts" / name / "v1.md").is_file(), "every task needs prompts/<task>/v1.md"
    shipped = json.loads((REPO / "prompts" / "schemas" / f"{name}.json").read_text(encoding="utf-8"))
    assert shipped == output_schema(name), "run `harness export-schemas` after changing an output model"
    assert t.max_tokens > 0 and t.slots and t.metric_info
    owners = [other for other in TASKS.values() if set(other.metric_info) & set(t.metric_info)]
    assert owners == [t], "metric names must be unique across tasks"
    for method in (
        "describe",
        "items",
        "judge",
        "metrics",
        "checks",
        "view",
        "answer_text",
        "evidence_text",
        "baseline",
    ):
        assert callable(getattr(t, method))


def test_an_unknown_task_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(Exception, match=r"unknown task 'nope'\. Fix: use one of qa, factcheck, summary"):
        task("nope")


# --- a task defined entirely here ----------------------------------------------------------------


class HeadlineOutput(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    headline: str
    evidence: str


class Headline:
    """Write a one-line headline; correct when it states at least one key fact of the summary rubric."""

    name = "headline"
    output = HeadlineOutput
    max_tokens = 64
    slots = frozenset({"max_words"})
    metric_info = MappingProxyType({"headline_fact_rate": ("headlines stating a key fact", True)})
    graded = False

    def describe(self, golden: Golden) -> str:
        return "1 headline" if golden.summary else "no headline"

    def items(self, golden: Golden) -> Iterator[TaskItem]:
        if golden.summary is not None:
            yield TaskItem(id="headline", subject="", tags=("headline",), slots={"max_words": 12})

    def judge(self, golden: Golden, item_id: str, output: Any, article: str) -> Verdict:
        assert golden.summary is not None
        stated = [k.id for k in golden.summary.key_facts if states(output.headline, k)]
        grounded = is_grounded(output.evidence, article)
        if stated and len(output.headline.split()) <= 12:
            return Verdict(outcome="correct", reason=f"states {stated[0]}", grounded=grounded)
        return Verdict(outcome="incorrect", reason="states no key fact", grounded=grounded)

    def metrics(self, judged: Outcomes) -> dict[str, Estimate]:
        return {"headline_fact_rate": proportion(judged.clusters(lambda r: r.outcome == "correct"))}

    def checks(self, details: Details) -> dict[str, bool]:
        return {}

    def view(self, golden: Golden, item_id: str) -> ItemView | None:
        facts = "; ".join(k.fact for k in golden.summary.key_facts) if golden.summary else ""
        return ItemView(question="A headline of at most 12 words", expected=f"one of: {facts}")

    def answer_text(self, parsed: Mapping[str, Any]) -> str | None:
        return str(parsed["headline"])

    def evidence_text(self, parsed: Mapping[str, Any]) -> str | None:
        return str(parsed["evidence"])

    def baseline(self, item: WorkItem) -> dict[str, Any]:
        first = told_once(item.article)[0]
        return {"headline": " ".join(first.split()[:12]), "evidence": first}


HEADLINE_PROMPT = """---
task: headline
version: v1
---
ARTICLE:
{{article}}

Write a headline of at most {{max_words}} words, and quote the sentence it rests on as "evidence".
Reply with one JSON object matching this JSON Schema:
{{schema}}

TASK: write the headline.
"""


@pytest.fixture
def headline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-tasks-test")
    monkeypatch.setenv("COLUMNS", "300")
    register(Headline())
    folder = make_mini(tmp_path)
    (folder / "prompts" / "headline").mkdir()
    (folder / "prompts" / "headline" / "v1.md").write_text(HEADLINE_PROMPT, encoding="utf-8")
    try:
        yield folder
    finally:
        del TASKS["headline"]


def vague_headlines(request: dict[str, Any], seen: int) -> Reply:
    assert item_text(request) == "write the headline."
    return Reply(json.dumps({"headline": "Leaders meet at the White House", "evidence": "Trump wrote"}))


def test_a_task_defined_in_a_test_runs_end_to_end(headline: Path, capsys: pytest.CaptureFixture[str]) -> None:
    reports = headline / "reports"
    assert main(run_args(headline, "--model", "baseline/lexical", "--task", "headline", "--run-id", "a")) == 0
    with FakeOpenAI(vague_headlines) as server:
        args = ["--model", "vague", "--base-url", server.base_url, "--task", "headline", "--run-id", "b"]
        assert main(run_args(headline, *args)) == 0
    [row] = read_jsonl(reports / "runs" / "a" / "results.jsonl")
    assert (row["id"], row["outcome"], row["reason"]) == ("mini/headline/headline#0", "correct", "states casualties")

    report = json.loads((reports / "runs" / "a" / "report.json").read_text(encoding="utf-8"))
    rate = next(m for m in report["metrics"] if m["metric"] == "headline_fact_rate" and m["tag"] is None)
    assert (rate["task"], rate["estimate"]["value"], rate["estimate"]["n"]) == ("headline", 1.0, 1)
    [item] = report["items"]
    assert item["question"] == "A headline of at most 12 words" and item["answer"].startswith("KYIV (Test)")
    assert "headline_fact_rate" in (reports / "runs" / "a" / "report.md").read_text(encoding="utf-8")
    assert "headlines stating a key fact" in (reports / "runs" / "a" / "report.html").read_text(encoding="utf-8")
    assert metric_info()["headline_fact_rate"] == ("headlines stating a key fact", True)

    capsys.readouterr()
    assert main(["compare", "a", "b", "--reports", str(reports)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"headline correct_rate\s*│\s*1\s*│\s*1\.000\s*│\s*0\.000", out), out
    assert main(["check", "--baseline", "a", "--candidate", "b", "--reports", str(reports)]) == 0
    assert main(["check", "--baseline", "a", "--candidate", "b", "--reports", str(reports), "--tag", "headline"]) == 1
    assert "mini/headline/headline#0 (tag headline) went correct -> incorrect" in capsys.readouterr().out
