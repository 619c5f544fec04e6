"""The public API in harness/__init__.py: what it exports, that it runs a whole evaluation without the CLI,
and that every module of the package imports on its own in a fresh interpreter (no hidden import order)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import harness
from harness import check, load_report, run, score, write_run_reports
from tests.conftest import REPO, lexical_config

EXPORTED = {
    "Comparison",
    "GenerationSettings",
    "HarnessError",
    "ItemResult",
    "ModelReply",
    "RunConfig",
    "RunReport",
    "RunSummary",
    "RuleScorer",
    "Scorer",
    "Task",
    "Verdict",
    "WorkItem",
    "check",
    "compare",
    "comparison",
    "gate",
    "load_inputs",
    "load_report",
    "locate_report",
    "plan",
    "register",
    "resume",
    "run",
    "score",
    "write_reports",
    "write_run_reports",
}


def test_the_public_names() -> None:
    assert set(harness.__all__) == EXPORTED
    assert all(getattr(harness, name) is not None for name in harness.__all__)


def test_an_evaluation_through_the_api(tmp_path: Path) -> None:
    summary = run(lexical_config(REPO, tmp_path, tasks=("factcheck",)), run_id="api")
    assert summary.status == "complete" and {r.task for r in summary.results} == {"factcheck"}
    report = write_run_reports(summary)
    assert load_report(summary.folder) == report
    assert list(score(tmp_path, "api").results) == list(summary.results)  # same replies, same rules
    comparison, regressions = check("api", str(summary.folder / "report.json"), tmp_path)
    assert regressions == [] and comparison.shared == len(list(summary.results)) and not comparison.flips


def test_every_module_imports_alone() -> None:
    modules = sorted(
        ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
        for path in (REPO / "harness").rglob("*.py")
    )
    assert "harness.tasks.qa" in modules and len(modules) > 30
    started = {
        name: subprocess.Popen([sys.executable, "-c", f"import {name}"], stderr=subprocess.PIPE, text=True)
        for name in modules
    }
    failed = {name: proc.communicate()[1].strip().splitlines()[-1:] for name, proc in started.items()}
    assert {name: err for name, err in failed.items() if started[name].returncode} == {}


def test_the_readme_python_example_runs(tmp_path: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    code = readme.split("```python\n", 1)[1].split("```", 1)[0]
    for name in ("seeds", "goldens", "prompts"):
        (tmp_path / name).symlink_to(REPO / name)
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "baselines").symlink_to(REPO / "reports" / "baselines")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "60 []"
