"""The committed baselines in reports/baselines/ stay usable: made from today's seeds and goldens,
and the documented regression check passes against them."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from harness.cli import main
from harness.report import load_report
from tests.conftest import REPO, repo_run_args

BASELINES = REPO / "reports" / "baselines"
NAMES = ("baseline-lexical", "local-smollm2-135m")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("name", NAMES)
def test_baseline_was_made_from_the_current_seeds_and_goldens(name: str) -> None:
    report = load_report(BASELINES / name)
    seeds = {p.stem: sha256(p) for p in (REPO / "seeds").glob("*.txt")}
    goldens = {p.stem: sha256(p) for p in (REPO / "goldens").glob("*.yaml")}
    stale = "goldens or seeds changed since this baseline was made: run `make baselines` and commit the result"
    assert report.inputs.seeds == seeds, stale
    assert report.inputs.goldens == goldens, stale
    assert report.status == "complete"
    assert {i.seed for i in report.items} == set(goldens)
    assert len(report.items) == len({i.id for i in report.items}) > 100


def test_a_fresh_lexical_run_passes_the_check_against_its_baseline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(repo_run_args(tmp_path, "--model", "baseline/lexical", "--run-id", "now")) == 0
    capsys.readouterr()
    baseline = str(BASELINES / "baseline-lexical")
    candidate = str(tmp_path / "runs" / "now")
    assert main(["check", "--baseline", baseline, "--candidate", candidate, "--tag", "critical"]) == 0
    out = capsys.readouterr().out
    assert "0 got worse, 0 got better" in out and "check: PASS" in out
