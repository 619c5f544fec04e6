"""report.md's summary sections: each fact with its sentence, and the key facts missed most."""

from __future__ import annotations

from harness.report import ReportItem, RunReport
from harness.report.markdown import render_markdown
from harness.types import CoverageDetails


def summary_item(model: str, seed: str, details: CoverageDetails) -> ReportItem:
    return ReportItem(
        model=model, prompt="summary/v1", id=f"{seed}/summary/summary#0", seed=seed, task="summary", tags=[],
        outcome="incorrect", reason="r", score=details.coverage, details=details,
    )  # fmt: skip


def test_each_fact_is_shown_with_its_sentence_and_the_most_missed_are_ranked() -> None:
    a = CoverageDetails(
        coverage=0.5,
        covered=("killed",),
        missed=("injured", "stop"),
        forbidden_hits=("praise",),
        sentences={"killed": "Twelve were killed.", "praise": "Trump praised the strikes."},
        swaps={"injured": "injuring 12"},
        nearest={"stop": "Trump spoke."},
        unsupported_numbers=("120",),
        unsupported_names=("Erna Solberg",),
        misattributed={"Støre": "Støre posted “Vladimir, STOP!”"},
    )
    b = CoverageDetails(coverage=1.0, covered=("killed", "injured", "stop"), sentences={"killed": "12 died."})
    items = [summary_item("m1", "s", a), summary_item("m1", "t", b), summary_item("m2", "s", b)]
    md = render_markdown(
        RunReport(run_id="r", status="complete", metrics=[], usage=[], confusion={}, worst=[], items=items)
    )
    assert "| s/summary/summary#0 | killed | stated: Twelve were killed. | stated: 12 died. |" in md
    assert "| s/summary/summary#0 | injured | swapped: injuring 12 | stated |" in md  # m2: no sentence (older results)
    assert "| s/summary/summary#0 | stop | missed; nearest: Trump spoke. | stated |" in md
    assert "| s/summary/summary#0 | praise | FORBIDDEN: Trump praised the strikes. | - |" in md
    assert "| s/summary/summary#0 | not in the article | 120, Erna Solberg | - |" in md
    assert (
        "| s/summary/summary#0 | said by Støre? | the article says otherwise: Støre posted “Vladimir, STOP!” | - |"
        in md
    )
    assert "| t/summary/summary#0 | killed | stated: 12 died. | - |" in md
    missed = md.split("## Key facts missed most")[1].split("##")[0]
    assert "| m1 | s | injured | 1 of 1 |" in missed and "| m1 | s | stop | 1 of 1 |" in missed
    assert "| m1 | s | killed |" not in missed and "| m2 |" not in missed  # never missed: not listed
