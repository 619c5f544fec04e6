"""`harness agree`: exact figures on a small labelled file, bad rows named one line each, the README's example."""

from __future__ import annotations

import gzip
import json
import re
import shlex
from pathlib import Path

import pytest

from harness.agree import agree
from harness.cli import main
from harness.matching.rules import ALL_RULES, RULES
from harness.stats import cohen_kappa
from tests.conftest import REPO

EXAMPLE = REPO / "docs" / "agree-example.jsonl"
# The example's eight rows, as (harness, person): r4 "The French capital" is a false reject (no rule
# reads a description as the name), r5 "Paris, on the Seine; the stadium was in Saint-Denis" a false
# accept (the person wanted Saint-Denis).
PAIRS = [
    (True, True),
    (True, True),
    (False, False),
    (False, True),
    (True, False),
    (True, True),
    (False, False),
    (True, True),
]


def test_the_figures_of_a_small_file_are_exact() -> None:
    report, problems = agree(EXAMPLE, by="system")
    assert problems == [] and report.rows == 8 and report.people_accept == 5 / 8
    h = report.harness
    assert (h.n, h.false_accepts, h.false_rejects, h.accepts, h.human_accepts) == (8, 1, 1, 5, 5)
    assert h.agreement.value == 0.75
    # po 6/8; both say yes 5 of 8 times: pe = (5/8)^2 + (3/8)^2 = 34/64; kappa = (48/64 - 34/64) / (30/64)
    assert h.kappa.value == pytest.approx(14 / 30)
    assert h.kappa == cohen_kappa(PAIRS)
    assert h.kappa.lo == pytest.approx(14 / 30 - 1.959964 * (0.75 * 0.25 / (8 * (30 / 64) ** 2)) ** 0.5, abs=1e-4)
    baselines = {b.scorer: (b.agreement.value, b.false_accepts, b.false_rejects) for b in report.baselines}
    assert baselines == {
        "exact match": (0.5, 0, 4),  # "It is Paris.", "ninety", "On July 20, 1969." are not the gold exactly
        "token F1 >= 0.5": (0.75, 0, 2),
        "containment": (0.625, 1, 2),  # "ninety" does not contain "90"
    }
    assert {t: (a.n, a.agreement.value) for t, a in report.by_type.items()} == {
        "entity (inferred)": (5, 0.6),
        "number (inferred)": (2, 1.0),
        "date (inferred)": (1, 1.0),
    }
    assert {s: (a.n, a.false_accepts, a.false_rejects) for s, a in report.by_field.items()} == {
        "alpha": (4, 1, 0),
        "beta": (4, 0, 1),
    }
    assert [(e.id, e.rule) for e in report.false_accepts] == [("r5", "contains")]
    assert [(e.id, e.rule, e.reason) for e in report.false_rejects] == [("r4", "no_match", "expected 'Paris'")]


def test_a_row_type_and_the_type_flag_decide_the_rule_set(tmp_path: Path) -> None:
    path = tmp_path / "typed.jsonl"
    row = {"question": "When?", "answers": ["1969"], "candidate": "July 1969", "human": True}
    path.write_text(json.dumps(row) + "\n" + json.dumps(row | {"type": "entity"}) + "\n")
    report, _ = agree(path)
    assert set(report.by_type) == {"number (inferred)", "entity"}
    forced, _ = agree(path, as_type="date")
    assert set(forced.by_type) == {"date (inferred)", "entity"}  # a row's own type wins over the flag


def test_bad_rows_are_one_line_each_and_the_rest_is_measured(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "rows.jsonl.gz"
    good = {"question": "Q?", "answers": ["Paris"], "candidate": "Paris", "human": True}
    lines = [
        json.dumps(good),
        "{not json",
        json.dumps(good | {"answers": []}),
        json.dumps(good | {"human": "yes"}),
        json.dumps(good | {"type": "person"}),
        json.dumps({k: v for k, v in good.items() if k != "candidate"}),
        "[1, 2]",
    ]
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    assert main(["agree", str(path), "--examples", "0"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"error: {path}:{line}: {what}"
        for line, what in [
            (2, "not JSON (Expecting property name enclosed in double quotes). Fix: write one JSON object a line"),
            (3, 'field answers: must be a non-empty list of answers. Fix: write e.g. "answers": ["Paris"]'),
            (4, 'field human: must be true or false. Fix: write "human": true (the person accepted it) or false'),
            (
                5,
                "field type: unknown type 'person'. "
                "Fix: use one of number, entity, text, date, boolean, or leave it out",
            ),
            (6, 'field candidate: missing or not text. Fix: add "candidate": "..."'),
            (7, "the line is not a JSON object. Fix: write one object a line"),
        ]
    ]


def test_a_file_without_one_good_row_or_a_wrong_rule_name_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n")
    assert main(["agree", str(empty)]) == 1
    assert "no row to measure" in capsys.readouterr().err
    assert main(["agree", str(tmp_path / "missing.jsonl")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["agree", str(EXAMPLE), "--without", "unitz"]) == 2
    assert "--without: unknown rule unitz; the rules are footnote_marks" in capsys.readouterr().err


def test_json_output_and_the_ablation(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["agree", str(EXAMPLE), "--json", "--ablation", "--without", "units"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["rules_off"] == ["units"] and data["harness"]["agreement"]["value"] == 0.75
    assert [a["rule"] for a in data["ablation"]] == [r for r in RULES if r != "units"]
    assert all(a["without"]["n"] == 8 for a in data["ablation"])


def test_the_ablation_measures_each_rule_off_in_turn(tmp_path: Path) -> None:
    path = tmp_path / "names.jsonl"
    rows = [
        {"question": "Who?", "answers": ["Rachel Sarah Bilson"], "candidate": "Rachel Bilson", "human": True},
        {"question": "Who?", "answers": ["Rachel Sarah Bilson"], "candidate": "Bilson", "human": False},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    report, _ = agree(path, with_ablation=True)
    worth = {a.rule: a.without.agreement.value for a in report.ablation}
    assert report.harness.agreement.value == 1.0
    assert worth["middle_names"] == 0.5 and all(v == 1.0 for r, v in worth.items() if r != "middle_names")
    assert len(worth) == len(ALL_RULES)


def test_the_readme_example_runs_and_prints_what_the_readme_shows(capsys: pytest.CaptureFixture[str]) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- agree-example -->\n```sh\n(.+?)\n```\n\n```\n(.+?)```", readme, re.DOTALL)
    assert block, "README: the agree example block is missing"
    command, shown = block.group(1), block.group(2)
    args = shlex.split(command.removeprefix(".venv/bin/"))
    assert args[0] == "harness"
    assert main(args[1:]) == 0
    printed = capsys.readouterr().out
    for line in shown.strip().splitlines():
        assert line.rstrip() in printed, line
