"""harness compare / check / report on constructed runs: real runs of a fake model over HTTP whose
mistakes we choose, so the expected verdicts are known."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from harness.cli import main
from tests.conftest import REPO, item_text, run_args
from tests.fake_openai import FakeOpenAI, Fault, Reply

N = 60
CRITICAL = {0, 1, 2}


def _box(i: int) -> str:
    return f"Box {i} holds {100 + i} apples."


@pytest.fixture(autouse=True)
def api_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-compare-test")
    monkeypatch.setenv("COLUMNS", "400")  # tables unfolded, so item ids can be asserted whole


def box_folder(folder: Path, section: str, items: list[str]) -> Path:
    """``folder`` with the box seed (N countable facts), a golden of ``items`` under ``section``, the prompts."""
    (folder / "seeds").mkdir()
    (folder / "goldens").mkdir()
    (folder / "seeds" / "boxes.txt").write_text("\n".join(_box(i) for i in range(N)) + "\n", encoding="utf-8")
    golden = f"seed: boxes\nas_of: 2025-01-01\n{section}:\n" + "".join(items)
    (folder / "goldens" / "boxes.yaml").write_text(golden, encoding="utf-8")
    shutil.copytree(REPO / "prompts", folder / "prompts")
    return folder


@pytest.fixture
def boxes(tmp_path: Path) -> Path:
    """A seed with N countable facts and a golden with one number question per fact."""
    questions = [
        f"  - id: box-{i}\n    question: How many apples does box {i} hold?\n    type: number\n"
        f'    answer: {100 + i}\n    evidence: "{_box(i)}"\n    tags: [number{", critical" if i in CRITICAL else ""}]\n'
        for i in range(N)
    ]
    return box_folder(tmp_path, "questions", questions)


def model_wrong_on(wrong: set[int]) -> Callable[[dict[str, Any], int], Reply | Fault]:
    """A model that answers every box right except those in ``wrong`` (it adds 50 apples there)."""

    def respond(request: dict[str, Any], seen: int) -> Reply | Fault:
        match = re.fullmatch(r"How many apples does box (\d+) hold\?", item_text(request))
        assert match
        i = int(match.group(1))
        value = 100 + i + (50 if i in wrong else 0)
        return Reply(json.dumps({"answerable": True, "answer": str(value), "value": value, "evidence": _box(i)}))

    return respond


def run(folder: Path, run_id: str, responder: Callable[[dict[str, Any], int], Reply | Fault], *extra: str) -> None:
    with FakeOpenAI(responder) as server:
        args = run_args(folder, "--model", "fake", "--base-url", server.base_url, "--task", "qa", "--run-id", run_id)
        args += ["--max-attempts", "2", "--backoff", "0.05", *extra]
        assert main(args) in (0, 4)


def check(folder: Path, baseline: str, candidate: str, *extra: str) -> int:
    return main(
        ["check", "--baseline", baseline, "--candidate", candidate, "--reports", str(folder / "reports"), *extra]
    )


def test_a_real_regression_fails_the_check(boxes: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(boxes, "base", model_wrong_on({10, 11, 12}))
    run(boxes, "worse", model_wrong_on({10, 11, 12, *range(20, 35)}))  # 15 more wrong, none fixed
    capsys.readouterr()
    assert check(boxes, "base", "worse") == 1
    out = capsys.readouterr().out
    assert "check: REGRESSION" in out
    assert "correct_rate (qa) fell 0.950 -> 0.700" in out
    assert "McNemar p=<0.0001 < 0.05 (15 items got worse, 0 better)" in out
    # the flipped items are listed with both answers: box 20 holds 120, the worse run said 170
    [row] = [line for line in out.splitlines() if "boxes/qa/box-20#0" in line]
    cells = [cell.strip() for cell in re.split(r"[│|]", row)]
    assert "120" in cells and "170" in cells, row


def test_noise_within_the_interval_passes(boxes: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(boxes, "base", model_wrong_on({10, 11, 12, 13}))
    run(boxes, "noisy", model_wrong_on({10, 11, 40, 41, 42}))  # 2 fixed, 3 broken: within noise
    capsys.readouterr()
    assert check(boxes, "base", "noisy") == 0
    out = capsys.readouterr().out
    assert "check: PASS" in out
    assert "3 got worse, 2 got better" in out


def test_a_drop_smaller_than_max_drop_passes_even_if_significant(boxes: Path) -> None:
    run(boxes, "base", model_wrong_on(set()))
    run(boxes, "worse", model_wrong_on(set(range(20, 32))))  # accuracy 1.0 -> 0.8, p < 0.001
    assert check(boxes, "base", "worse") == 1
    assert check(boxes, "base", "worse", "--max-drop", "0.25") == 0


def test_a_flipped_item_with_a_gating_tag_fails_even_as_noise(boxes: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(boxes, "base", model_wrong_on({30}))
    run(boxes, "cand", model_wrong_on({1}))  # one fixed, one broken: no significant drop
    assert check(boxes, "base", "cand") == 0
    capsys.readouterr()
    assert check(boxes, "base", "cand", "--tag", "critical") == 1
    assert "boxes/qa/box-1#0 (tag critical) went correct -> incorrect" in capsys.readouterr().out


def test_a_changed_golden_file_makes_the_comparison_invalid(boxes: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(boxes, "base", model_wrong_on(set()))
    golden = boxes / "goldens" / "boxes.yaml"
    golden.write_text(golden.read_text().replace("tags: [number]", "tags: [number, counted]", 1))
    run(boxes, "cand", model_wrong_on(set()))
    capsys.readouterr()
    assert check(boxes, "base", "cand") == 2
    out = capsys.readouterr().out
    assert "INVALID comparison" in out and "different goldens for 'boxes'" in out
    assert "Traceback" not in out


def test_errors_in_the_candidate_make_the_check_invalid_not_a_pass(
    boxes: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(boxes, "base", model_wrong_on(set()))
    healthy = model_wrong_on(set())

    def flaky(request: dict[str, Any], seen: int) -> Reply | Fault:
        if item_text(request).startswith("How many apples does box 5 "):
            return Fault("status", status=503)
        return healthy(request, seen)

    run(boxes, "cand", flaky)
    capsys.readouterr()
    assert check(boxes, "base", "cand") == 2
    assert "1 shared items ended in an infrastructure error" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda folder: str(folder / "nowhere"), "no such report"),
        (lambda folder: _write(folder / "r.json", "{not json"), "not a readable JSON report"),
        (lambda folder: _newer(folder), "written by a newer harness (report format 99"),
        (lambda folder: _write(folder / "old.json", '{"format_version": 1}'), "format 1 has no per-item results"),
        (lambda folder: _altered(folder, _task_zeta), "(registered: qa, factcheck, summary)). Fix: register the task"),
        (lambda folder: _altered(folder, _no_run_id), "(run_id: Field required). Fix: regenerate it"),
    ],
)
def test_missing_or_unreadable_reports_are_invalid_with_the_reason(
    boxes: Path, capsys: pytest.CaptureFixture[str], make: Callable[[Path], str], words: str
) -> None:
    run(boxes, "base", model_wrong_on(set()))
    bad = make(boxes)
    capsys.readouterr()
    assert check(boxes, "base", bad) == 2
    out = capsys.readouterr().out
    assert words in out and "Fix:" in out


def _write(path: Path, text: str) -> str:
    path.write_text(text)
    return str(path)


def _newer(folder: Path) -> str:
    report = json.loads((folder / "reports" / "runs" / "base" / "report.json").read_text())
    report["format_version"] = 99
    return _write(folder / "newer.json", json.dumps(report))


def _altered(folder: Path, change: Callable[[dict[str, Any]], None]) -> str:
    report = json.loads((folder / "reports" / "runs" / "base" / "report.json").read_text())
    change(report)
    return _write(folder / "altered.json", json.dumps(report))


def _task_zeta(report: dict[str, Any]) -> None:
    report["items"][0]["task"] = "zeta"  # a task this process has not registered


def _no_run_id(report: dict[str, Any]) -> None:
    del report["run_id"]


def test_disjoint_runs_are_invalid(boxes: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(boxes, "first", model_wrong_on(set()), "--limit", "10")
    run(boxes, "crit", model_wrong_on(set()), "--tag", "critical")
    capsys.readouterr()
    assert check(boxes, "first", "crit") == 0  # they share the 3 critical items
    report = boxes / "reports" / "runs" / "crit" / "report.json"
    data = json.loads(report.read_text())
    data["items"] = [dict(i, id=i["id"].replace("box-", "crate-")) for i in data["items"]]
    report.write_text(json.dumps(data))
    capsys.readouterr()
    assert check(boxes, "first", "crit") == 2
    assert "share no items" in capsys.readouterr().out


def test_compare_prints_differences_and_flips_and_writes_markdown(
    boxes: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(boxes, "base", model_wrong_on({3}))
    run(boxes, "cand", model_wrong_on({4, 5}))
    md = boxes / "compare.md"
    capsys.readouterr()
    reports = str(boxes / "reports")
    assert (
        main(
            [
                "compare",
                "base",
                str(boxes / "reports" / "runs" / "cand" / "report.json"),
                "--reports",
                reports,
                "--md",
                str(md),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "60 shared items" in out and "2 got worse, 1 got better" in out
    text = md.read_text()
    assert "| qa correct_rate | 60 | 0.983 | 0.967 | -0.017 [" in text
    assert "| 2 / 1 | 1.0000 |" in text  # McNemar on 2 vs 1 discordant pairs
    assert "| boxes/qa/box-4#0 | worse: correct -> incorrect | How many apples does box 4 hold? | 104 |" in text


def test_one_run_with_two_models_is_compared_by_naming_them(boxes: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(boxes, "two", model_wrong_on(set()), "--model", "baseline/lexical")
    reports = str(boxes / "reports")
    capsys.readouterr()
    assert main(["compare", "two", "two", "--reports", reports]) == 2
    assert "has several models (baseline/lexical, fake). Fix: name one as PATH@MODEL" in capsys.readouterr().err
    assert main(["compare", "two@fake", "two@baseline/lexical", "--reports", reports]) == 0


def test_report_builds_a_sorted_leaderboard_over_runs(boxes: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(boxes, "good", model_wrong_on(set()))
    run(boxes, "bad", model_wrong_on(set(range(30))))
    md, page = boxes / "board.md", boxes / "board.html"
    capsys.readouterr()
    assert (
        main(["report", "bad", "good", "--reports", str(boxes / "reports"), "--md", str(md), "--html", str(page)]) == 0
    )
    rows = [line for line in md.read_text().splitlines() if line.startswith("| ") and "fake" in line]
    assert [r.split(" | ")[0] for r in rows] == ["| good", "| bad"]  # best QA accuracy first
    assert "1.000 [0.94, 1.00] (n=60)" in rows[0] and "0.500 [0.38, 0.62] (n=60)" in rows[1]
    assert page.read_text().startswith("<!doctype html>")


# --- fact checks: the correction is gated beside the label -----------------------------------------


@pytest.fixture
def claims(tmp_path: Path) -> Path:
    """The box seed with one refuted claim per box ("Box i holds 999 apples"), corrected by 100 + i."""
    items = [
        f"  - id: box-{i}\n    claim: Box {i} holds 999 apples.\n    label: refuted\n"
        f'    evidence: "{_box(i)}"\n    correction: {{type: number, answer: {100 + i}}}\n'
        for i in range(N)
    ]
    return box_folder(tmp_path, "claims", items)


def corrects_wrongly_on(wrong: set[int]) -> Callable[[dict[str, Any], int], Reply | Fault]:
    """Labels every claim refuted with the right evidence; corrects it to 100 + i, or repeats 999 on ``wrong``."""

    def respond(request: dict[str, Any], seen: int) -> Reply | Fault:
        match = re.fullmatch(r"Box (\d+) holds 999 apples\.", item_text(request))
        assert match
        i = int(match.group(1))
        correction = f"Box {i} holds 999 apples." if i in wrong else f"Box {i} holds {100 + i} apples, not 999."
        return Reply(json.dumps({"label": "refuted", "evidence": _box(i), "correction": correction}))

    return respond


def test_a_worse_correction_under_the_same_labels_fails_the_check(
    claims: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for run_id, wrong in (("base", set()), ("worse", set(range(20)))):
        with FakeOpenAI(corrects_wrongly_on(wrong)) as server:
            args = run_args(claims, "--model", "fake", "--base-url", server.base_url, "--task", "factcheck")
            assert main([*args, "--run-id", run_id]) == 0
    capsys.readouterr()
    assert check(claims, "base", "worse") == 1
    out = capsys.readouterr().out
    assert "correction (factcheck) fell 1.000 -> 0.667" in out and "20 items got worse" in out
    assert "right_reason (factcheck) fell 1.000 -> 0.667" in out
    assert "correct_rate (factcheck)" not in out  # the labels did not change
    report = (claims / "reports" / "runs" / "worse" / "report.md").read_text(encoding="utf-8")
    assert (
        "| boxes/factcheck/box-0#0 | refuted; correction: 100 | refuted (right); correction wrong; evidence right |"
        in report
    )
    assert (
        "| boxes/factcheck/box-20#0 | refuted; correction: 120 | refuted (right); correction right; evidence right |"
        in report
    )
