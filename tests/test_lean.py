"""The lean rows compare pairs for a very large run: the same values a report's items give, far smaller."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.errors import ReportError
from harness.report.build import comparable_items
from harness.report.lean import lean_items
from harness.results import Results
from harness.types import CoverageDetails, LabelDetails
from tests.conftest import item_result

FIELDS = ("model", "prompt", "id", "seed", "task", "tags", "outcome", "score", "checks", "answer", "reason")


def _write(path: Path, *lines: str) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_a_lean_row_says_what_the_reports_row_says(tmp_path: Path) -> None:
    label = LabelDetails(gold="refuted", predicted="refuted", correction=False, evidence=True)
    coverage = CoverageDetails(coverage=0.5, covered=("a",), missed=("b",))
    results = [
        item_result(raw='{"answer": "12"}', parsed={"answer": "12"}, tags=["number", "critical"]),
        item_result("factcheck", "c", outcome="incorrect", details=label, parsed={"label": "refuted"}),
        item_result("summary", "s", details=coverage, parsed={"summary": "It was so."}),
        item_result(item="e", outcome="error", reason="timeout", raw=None),
        item_result(item="i", outcome="invalid", reason="not JSON", raw="oops", model="other"),
    ]
    path = _write(tmp_path / "results.jsonl", *(r.model_dump_json() for r in results))
    lean, full = lean_items(path), comparable_items(Results(path))
    assert [[getattr(row, f) for f in FIELDS] for row in lean] == [
        [tuple(v) if f == "tags" else v for f, v in ((f, getattr(item, f)) for f in FIELDS)] for item in full
    ]
    assert lean[1].checks == {"right_reason": False, "correction": False, "right_evidence": True}
    assert (lean[2].score, lean[3].score, lean[4].score) == (0.5, None, 0.0)
    assert lean[0].question is None and lean[0].expected is None  # no golden view, as comparable_items


def test_the_first_record_of_an_item_wins_and_equal_values_are_one_object(tmp_path: Path) -> None:
    first, again = item_result(item="a", outcome="correct"), item_result(item="a", outcome="incorrect")
    other = item_result(item="b", tags=["number"])
    path = _write(tmp_path / "r.jsonl", first.model_dump_json(), "", again.model_dump_json(), other.model_dump_json())
    rows = lean_items(path)
    assert [(r.id, r.outcome) for r in rows] == [("s/qa/a#0", "correct"), ("s/qa/b#0", "correct")]
    assert rows[0].reason == "why a" and rows[1].reason == "why b"  # each read from its own line
    twin = _write(tmp_path / "twin.jsonl", item_result(item="c", tags=["number"]).model_dump_json())
    assert lean_items(twin)[0].tags == rows[1].tags and lean_items(tmp_path / "none.jsonl") == []
    assert rows[0].model is rows[1].model and rows[0].checks is rows[1].checks


def test_a_line_that_is_not_a_result_names_its_file_and_line(tmp_path: Path) -> None:
    path = _write(tmp_path / "r.jsonl", item_result().model_dump_json(), '{"model": "m", "id": 3}')
    with pytest.raises(ReportError, match=r"r\.jsonl:2: not a result record \(prompt_ref: Field required"):
        lean_items(path)
