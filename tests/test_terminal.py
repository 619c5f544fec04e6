"""The closing tables of a run fit an 80-column terminal without cutting a model, task or metric name."""

from __future__ import annotations

from rich.console import Console

from harness.report import build_report
from harness.report.tables import clip, leaderboard_rows, md_table, shown
from harness.report.terminal import error_causes, leaderboard_table, outcome_table
from harness.results import Tally
from harness.types import AnswerDetails, CoverageDetails, Details, ItemResult, LabelDetails, Outcome
from tests.conftest import item_result

MODELS = ("local/smollm2-135m", "baseline/lexical")


JUDGED: dict[str, Details] = {
    "qa": AnswerDetails(answerable=True),
    "factcheck": LabelDetails(gold="supported", predicted="refuted"),
    "summary": CoverageDetails(coverage=0.5),
}


def results() -> list[ItemResult]:
    rows = []
    outcomes: tuple[Outcome, ...] = ("correct", "incorrect", "abstained", "invalid", "error")
    for model in MODELS:
        for task, details in JUDGED.items():
            for i, outcome in enumerate(outcomes):
                judged = outcome in ("correct", "incorrect", "abstained")
                row = item_result(task, f"i{i}", model=model, outcome=outcome, details=details if judged else None)
                rows.append(row)
    return rows


def rendered(renderable: object) -> str:
    console = Console(width=80, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(renderable)
    return console.export_text()


def test_the_closing_tables_fit_80_columns_and_cut_no_name() -> None:
    report = build_report("r", "complete", results())
    text = rendered(outcome_table(Tally.of(results()))) + rendered(leaderboard_table(report))
    assert all(len(line) <= 80 for line in text.splitlines())
    assert "…" not in text
    for name in (*MODELS, "factcheck", "summary", "incorrect", "abstained", "qa accuracy", "factcheck macro f1"):
        assert name in text, name


def test_markdown_cells_stay_on_one_line_and_long_ones_are_cut_visibly() -> None:
    assert md_table([["reason"], ["Error code: 400\r\n  context length\nexceeded | 9000"]]).splitlines()[2] == (
        "| Error code: 400 context length exceeded \\| 9000 |"
    )
    assert clip("a\nb", 10) == "a b" and clip("x" * 20, 10) == "x" * 9 + "\u2026"


def test_errors_are_grouped_by_cause_most_frequent_first() -> None:
    rows = [
        item_result("qa", f"i{i}", outcome="error", reason=reason)
        for i, reason in enumerate(["APITimeoutError: timed out", "BadRequest: too long\nmore", "BadRequest: too long"])
    ]
    assert error_causes(Tally.of(rows)) == ["2 x m: BadRequest: too long", "1 x m: APITimeoutError: timed out"]


def test_a_model_named_by_its_file_path_is_shown_by_its_last_part() -> None:
    gguf = "/home/me/models/SmolLM2-135M-Instruct.Q4_1.gguf"  # llama-cpp-python's model id
    rows = [item_result("qa", f"i{n}", model=gguf, outcome=o) for n, o in enumerate(("correct", "error"))]
    report = build_report("r", "incomplete", rows)
    text = rendered(outcome_table(Tally.of(rows))) + rendered(leaderboard_table(report))
    assert "SmolLM2-135M-Instruct.Q4_1.gguf" in text and "/home/me" not in text
    assert error_causes(Tally.of(rows))[0].startswith("1 x SmolLM2-135M-Instruct.Q4_1.gguf: ")
    assert md_table(leaderboard_rows(report))
    assert [shown(m) for m in ("org/model", "local/smollm2-135m", "./x.gguf", "C:\\m\\x.gguf")] == [
        "org/model",
        "local/smollm2-135m",
        "x.gguf",
        "x.gguf",
    ]
