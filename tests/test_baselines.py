"""The committed baselines in reports/baselines/ stay usable: made from today's seeds and goldens,
and the documented regression check passes against them."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from harness.cli import main
from harness.goldens import load_goldens
from harness.report import build_report, load_report
from harness.results import read_results
from harness.scoring.score import rescore_all
from harness.seeds import load_seeds
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
    # item by item, a fresh run of the deterministic baseline is its committed report
    fresh = {i.id: i for i in load_report(tmp_path / "runs" / "now").items}
    committed = {i.id: i for i in load_report(BASELINES / "baseline-lexical").items}
    assert fresh == committed
    assert load_report(tmp_path / "runs" / "now").metrics == load_report(BASELINES / "baseline-lexical").metrics


@pytest.mark.parametrize("name", NAMES)
def test_the_baseline_reports_are_what_todays_rules_make_of_their_replies(name: str) -> None:
    # Every number the README, report.md and `make check` quote comes from these reports. Re-judging the
    # committed replies with today's goldens and rules must give them back exactly, so a change to scoring
    # or metrics cannot move a published number without this test failing (then: `make baselines`).
    committed = load_report(BASELINES / name)
    seeds = load_seeds(REPO / "seeds")
    goldens = load_goldens(REPO / "goldens", seeds)
    replies = read_results(BASELINES / name / "results.jsonl")
    rejudged = rescore_all(replies, goldens, {seed_id: seed.text for seed_id, seed in seeds.items()})
    rebuilt = build_report(committed.run_id, committed.status, rejudged, goldens=goldens, inputs=committed.inputs)
    assert rebuilt.metrics == committed.metrics
    assert rebuilt.items == committed.items
    assert rebuilt == committed
