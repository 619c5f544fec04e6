"""The soak (issue 6): 1,000 items, 20% mixed faults, concurrency 32, over real HTTP.

Every item ends with exactly one record; transient faults end correct after retries; what
never recovers ends ``invalid`` (the model's fault) or ``error`` (the endpoint's), with the
cause; and the run is marked incomplete because errors remain.
"""

from __future__ import annotations

import json

import pytest

from tests.faults import KINDS, PERMANENT_ERROR, PERMANENT_INVALID
from tests.soak import Soak, run_soak

# what the reason of each permanent fault must say
CAUSES = {
    "schema-violation": "schema: ",
    "refusal": "schema: ",
    "long-output": "cut off at the token limit",
    "500-always": "InternalServerError",
    "hang-always": "APITimeoutError",
}


@pytest.fixture(scope="module")
def soak(tmp_path_factory: pytest.TempPathFactory) -> Soak:
    return run_soak(tmp_path_factory.mktemp("soak"), items=1000, rate=0.2, concurrency=32)


def test_every_item_has_exactly_one_final_record(soak: Soak) -> None:
    ids = [r["id"] for r in soak.results]
    assert len(ids) == len(set(ids)) == 1000
    assert set(ids) == set(soak.plans)


def test_the_mix_injected_about_20_percent_of_every_kind(soak: Soak) -> None:
    faulted = [p for p in soak.plans.values() if p is not None]
    assert 0.17 <= len(faulted) / 1000 <= 0.23
    assert set(soak.served) == set(KINDS), "every fault kind was served at least once"
    assert soak.requests > 1000 + soak.retries // 2


def test_each_item_ends_as_its_fault_says(soak: Soak) -> None:
    wrong = []
    for r in soak.results:
        fault = soak.plans[r["id"]]
        expected = "correct" if fault is None else fault.expected_outcome
        if r["outcome"] != expected:
            wrong.append((r["id"], fault, r["outcome"], r["reason"]))
    assert not wrong, wrong[:5]


def test_transient_faults_end_correct_after_exactly_their_retries(soak: Soak) -> None:
    for r in soak.results:
        fault = soak.plans[r["id"]]
        if fault is None:
            assert r["attempts"] == 1, r["id"]
        elif fault.failures is not None:
            assert r["attempts"] == fault.failures + 1, (r["id"], fault)


def test_permanent_faults_carry_their_cause(soak: Soak) -> None:
    seen = set()
    for r in soak.results:
        fault = soak.plans[r["id"]]
        if fault is None or fault.failures is not None:
            continue
        seen.add(fault.kind)
        assert CAUSES[fault.kind] in r["reason"], (r["id"], fault.kind, r["reason"])
        if fault.kind == "refusal":
            assert r["raw"].startswith("REFUSAL: ")
        if fault.kind in PERMANENT_ERROR:
            assert r["attempts"] == 4 and r["parsed"] is None
    assert seen == set(PERMANENT_INVALID) | set(PERMANENT_ERROR)


def test_the_run_is_marked_incomplete_while_errors_remain(soak: Soak) -> None:
    errors = soak.outcomes["error"]
    assert errors > 0
    assert soak.exit_code == 4
    manifest = json.loads((soak.folder / "manifest.json").read_text())
    assert manifest["status"] == "incomplete" and manifest["counts"]["error"] == errors
    report = json.loads((soak.folder / "report.json").read_text())
    assert report["status"] == "incomplete"
    assert "incomplete" in (soak.folder / "report.md").read_text()
    assert "Traceback" not in soak.output


def test_errors_are_not_scored_as_model_mistakes(soak: Soak) -> None:
    # the oracle answers everything it is asked correctly: no item may be counted wrong
    assert soak.outcomes["incorrect"] == 0 and soak.outcomes["abstained"] == 0
    report = json.loads((soak.folder / "report.json").read_text())
    accuracy = {
        m["metric"]: m["estimate"]
        for m in report["metrics"]
        if m["tag"] is None and m["metric"] in ("qa_accuracy", "factcheck_accuracy")
    }
    assert {k: v["value"] for k, v in accuracy.items()} == {"qa_accuracy": 1.0, "factcheck_accuracy": 1.0}
    # the denominators hold exactly the items that were answered: errors and invalid replies are left out
    answered = [r for r in soak.results if r["outcome"] == "correct"]
    assert accuracy["qa_accuracy"]["n"] == sum(r["task"] == "qa" and r["parsed"]["answerable"] for r in answered)
    assert accuracy["factcheck_accuracy"]["n"] == sum(r["task"] == "factcheck" for r in answered)
