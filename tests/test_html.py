"""report.html in a real headless Chromium: the leaderboard renders, filters work, and model
output is shown as text and runs nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.cli import main
from tests.browser import Browser
from tests.conftest import REPO, item_text, perfect, run_args
from tests.fake_openai import FakeOpenAI, Reply

XSS = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(2)</script>"


@pytest.fixture(autouse=True)
def api_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-html-test")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with Browser() as page:
        yield page


def hostile(request: dict[str, Any], seen: int) -> Reply:
    """Perfect, except two answers carry markup: one wrong QA answer and one claim's evidence."""
    text = item_text(request)
    if text == "How many people were injured in the attack?":
        return Reply(json.dumps({"answerable": True, "answer": XSS, "value": None, "evidence": SCRIPT}))
    if text == "Russia launched 145 drones.":
        return Reply(json.dumps({"label": "supported", "evidence": f"{SCRIPT}{XSS}", "correction": None}))
    return perfect(request, seen)


def run(folder: Path, run_id: str, responder: Any = hostile) -> Path:
    with FakeOpenAI(responder) as server:
        assert main(run_args(folder, "--model", "fake-model", "--base-url", server.base_url, "--run-id", run_id)) == 0
    return folder / "reports" / "runs" / run_id


def visible_rows(page: Browser) -> list[str]:
    result: list[str] = page.eval(
        "Array.from(document.querySelectorAll('#items tbody tr')).filter(r => !r.hidden)"
        ".map(r => r.cells[0].firstChild.textContent)"
    )
    return result


def choose(page: Browser, select: str, value: str) -> None:
    page.eval(
        f"(() => {{ const s = document.getElementById({json.dumps(select)}); s.value = {json.dumps(value)};"
        " s.dispatchEvent(new Event('change')); })()"
    )


def test_the_detector_sees_a_script_that_runs(tmp_path: Path, browser: Browser) -> None:
    """Control: the same markup unescaped does fire an alert, so the escaping test below can fail."""
    page = tmp_path / "unsafe.html"
    page.write_text(f"<!doctype html><html><body>{XSS}</body></html>")
    browser.dialogs.clear()
    browser.open(page)
    assert browser.dialogs == ["1"]


def test_run_report_renders_leaderboard_charts_and_escaped_answers(mini: Path, browser: Browser) -> None:
    folder = run(mini, "r")
    browser.dialogs.clear()
    browser.open(folder / "report.html")
    board = browser.eval("Array.from(document.querySelectorAll('#leaderboard tbody tr')).map(r => r.innerText)")
    assert len(board) == 1 and "fake-model" in board[0] and "0.667 [" in board[0]
    charts = browser.eval("Array.from(document.querySelectorAll('svg')).map(s => s.getAttribute('aria-label'))")
    assert charts[0] == "qa: qa_accuracy (higher is better)"
    assert "summary: summary_forbidden_rate (lower is better)" in charts
    assert "factcheck: factcheck_right_reason (higher is better)" in charts
    assert not any("factcheck_refuted" in c for c in charts)  # per-label figures are in tables only
    assert len(charts) == 19  # every metric of every task but per-label ones: qa 5, factcheck 7, summary 7
    # model output is text: no element was created from it, nothing ran, and it reads as written
    assert browser.eval("document.querySelectorAll('#items img, #items script').length") == 0
    assert browser.eval("document.scripts.length") == 1  # ours
    cells = browser.eval("Array.from(document.querySelectorAll('#items td')).map(c => c.textContent).join('\\n')")
    assert XSS in cells and SCRIPT in cells
    assert browser.dialogs == []


def test_filters_by_outcome_task_and_tag(mini: Path, browser: Browser) -> None:
    browser.open(run(mini, "r") / "report.html")
    assert len(visible_rows(browser)) == 8
    choose(browser, "f-outcome", "incorrect")
    assert visible_rows(browser) == ["mini/qa/injured#0", "mini/factcheck/drones-claim#0"]
    assert browser.eval("document.getElementById('shown').textContent") == "2 of 8 items shown"
    choose(browser, "f-task", "factcheck")
    assert visible_rows(browser) == ["mini/factcheck/drones-claim#0"]
    choose(browser, "f-outcome", "")
    assert len(visible_rows(browser)) == 3
    choose(browser, "f-task", "")
    choose(browser, "f-tag", "critical")
    assert visible_rows(browser) == ["mini/qa/norway-pm#0"]


def test_several_runs_side_by_side_with_a_model_filter(mini: Path, browser: Browser) -> None:
    run(mini, "hostile")
    run(mini, "clean", perfect)
    page = mini / "both.html"
    reports = str(mini / "reports")
    assert main(["report", "hostile", "clean", "--reports", reports, "--html", str(page)]) == 0
    browser.dialogs.clear()
    browser.open(page)
    heads = browser.eval("Array.from(document.querySelectorAll('#items th')).map(h => h.textContent)")
    assert heads == ["item", "question", "golden", "fake-model @ hostile", "fake-model @ clean"]
    board = browser.eval(
        "Array.from(document.querySelectorAll('#leaderboard tbody tr')).map(r => r.cells[0].textContent)"
    )
    assert board == ["clean", "hostile"]  # best QA accuracy first
    choose(browser, "f-outcome", "incorrect")
    assert visible_rows(browser) == ["mini/qa/injured#0", "mini/factcheck/drones-claim#0"]
    choose(browser, "f-model", "1")  # only the clean run: none of its answers is incorrect
    assert visible_rows(browser) == []
    assert browser.eval("document.querySelector('th[data-col=\"0\"]').hidden") is True
    assert browser.dialogs == []


def test_markup_from_a_seed_or_golden_runs_nothing_either(mini: Path, browser: Browser) -> None:
    """An article or golden carrying markup (a scraped page can) is shown as text, like model output."""
    planted = "<script>alert(5)</script>"
    question = "How many people were injured in the attack? <img src=x onerror=alert(3)>"
    claim = "Russia launched 145 drones.</td><script>alert(4)</script>"
    article = mini / "seeds" / "mini.txt"
    article.write_text(article.read_text() + f"\nReader comment: {planted}\n")
    golden = mini / "goldens" / "mini.yaml"
    text = golden.read_text().replace(
        "question: How many people were injured in the attack?", f"question: {json.dumps(question)}"
    )
    golden.write_text(text.replace("claim: Russia launched 145 drones.", f"claim: {json.dumps(claim)}"))

    def quoting(request: dict[str, Any], seen: int) -> Reply:
        """Right answers whose evidence quotes the planted markup."""
        if item_text(request) == question:
            return Reply(json.dumps({"answerable": True, "answer": "90", "value": 90, "evidence": planted}))
        if item_text(request) == claim:
            return Reply(json.dumps({"label": "not_enough_info", "evidence": planted, "correction": None}))
        return perfect(request, seen)

    browser.dialogs.clear()
    browser.open(run(mini, "planted", quoting) / "report.html")
    assert browser.eval("document.querySelectorAll('#items img, #items script').length") == 0
    assert browser.eval("document.scripts.length") == 1
    cells = browser.eval("Array.from(document.querySelectorAll('#items td')).map(c => c.textContent).join('\\n')")
    assert question in cells and claim in cells and planted in cells
    assert browser.dialogs == []


def test_the_leaderboard_of_the_two_baselines_fits_a_1280_pixel_window(tmp_path: Path, browser: Browser) -> None:
    page = tmp_path / "baselines.html"
    runs = [str(REPO / "reports" / "baselines" / name) for name in ("local-smollm2-135m", "baseline-lexical")]
    assert main(["report", *runs, "--html", str(page)]) == 0
    browser.window(1280)
    browser.open(page)
    assert browser.eval("window.innerWidth") == 1280
    width = browser.eval("document.documentElement.clientWidth")  # the window less its scroll bar
    board = browser.eval("document.querySelector('#leaderboard').getBoundingClientRect().right")
    assert board <= width, f"the leaderboard ends at {board} px of {width}"
    assert browser.eval("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"
