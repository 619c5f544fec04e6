# ruff: noqa: E501  (the catalogue is a table: one case per line)
"""A catalogue of bad inputs: each one runs the real `harness` CLI and must get one clear line.

For every case: the exit code is the documented one, stderr is exactly one line that starts
with `error:`, names the culprit (file and line, flag, item, field) and says `Fix: ...`, and no
traceback appears anywhere. Cases run `python -m harness.cli` in a subprocess, where an
uncaught exception cannot hide behind pytest; the pure flag mistakes also run in-process
through main() (quicker, and main() must return the code rather than raise SystemExit).
Every case starts from the `mini` folder (seeds/, goldens/, prompts/) as the working
directory, so the paths in the messages are the relative paths a user typed.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from harness.cli import main
from tests.conftest import MINI_GOLDEN, REPO, perfect, run_args
from tests.fake_openai import FakeOpenAI, Fault, Reply

LEXICAL = ("--model", "baseline/lexical")  # a model that needs no server and no key
WRONG_KEY = "sk-wrong-key-9f8e7d6c5b4a"
Setup = Callable[[Path], None]


@dataclass(frozen=True)
class Case:
    """One bad input. ``argv`` may use {base_url} (a fake server, started when ``server`` is set)
    and {closed_url} (a port nobody listens on)."""

    argv: tuple[str, ...]
    code: int
    names: tuple[str, ...]  # what the one line must name: the file/flag/item/field and the value
    setup: Setup | None = None
    env: dict[str, str] = field(default_factory=dict)
    server: Callable[[dict[str, Any], int], Reply | Fault] | None = None
    server_key: str | None = None
    absent: tuple[str, ...] = ()  # must appear nowhere (stdout or stderr), e.g. a secret
    stdout: tuple[str, ...] = ()  # must appear on stdout (e.g. the verdict of `harness check`)
    in_process: bool = False  # also run through main() in-process


# --- setups: each edits the mini folder ------------------------------------------------------


def write(relative: str, content: str | bytes) -> Setup:
    def setup(folder: Path) -> None:
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")

    return setup


def edit(relative: str, old: str, new: str) -> Setup:
    def setup(folder: Path) -> None:
        path = folder / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {relative}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return setup


def strip_front_matter(folder: Path) -> None:
    path = folder / "prompts" / "qa" / "v2.md"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    path.write_text(text[text.index("\n---\n", 4) + 5 :], encoding="utf-8")


def baseline_run(run_id: str = "a") -> Setup:
    """A finished run of the lexical baseline under reports/runs/<run_id> (in-process, no server)."""

    def setup(folder: Path) -> None:
        assert main(run_args(folder, *LEXICAL, "--run-id", run_id)) == 0

    return setup


def then(*steps: Setup) -> Setup:
    def setup(folder: Path) -> None:
        for step in steps:
            step(folder)

    return setup


def newer_report(folder: Path) -> None:
    data = json.loads((folder / "reports" / "runs" / "a" / "report.json").read_text(encoding="utf-8"))
    data["format_version"] = 99
    (folder / "new.json").write_text(json.dumps(data), encoding="utf-8")


def garbage_line(folder: Path) -> None:
    path = folder / "reports" / "runs" / "a" / "results.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert len(lines) > 3
    lines.insert(2, '{"model": "baseline/lexical", garbage\n')
    path.write_text("".join(lines), encoding="utf-8")


def not_utf8_line(folder: Path) -> None:
    path = folder / "reports" / "runs" / "a" / "results.jsonl"
    lines = path.read_bytes().splitlines(keepends=True)
    lines.insert(2, b"\xff\xfe not utf-8\n")
    path.write_bytes(b"".join(lines))


def not_found(request: dict[str, Any], seen: int) -> Fault:
    return Fault("status", status=404, body='{"error": {"message": "The model does not exist", "code": "not_found"}}')


# The line of a YAML syntax error in the golden: the `answer:` line indented one space short.
BROKEN_GOLDEN = MINI_GOLDEN.replace("    type: number\n    answer: 90\n", "    type: number\n   answer: [90\n", 1)
BROKEN_LINE = BROKEN_GOLDEN.splitlines().index("   answer: [90") + 1

P = pytest.param
# fmt: off
CASES = [
    # --- flags ------------------------------------------------------------------------------
    P(Case(("run", "--concurrency", "0"), 2, ("harness run", "--concurrency", "'0' must be 1 or more"), in_process=True), id="concurrency-0"),
    P(Case(("run", "--temperature", "abc"), 2, ("--temperature", "'abc' is not a number"), in_process=True), id="temperature-abc"),
    P(Case(("run", "--temperature", "nan"), 2, ("--temperature", "'nan' is not a finite number"), in_process=True), id="temperature-nan"),
    P(Case(("run", "--limit", "-1"), 2, ("--limit", "'-1' must be 1 or more"), in_process=True), id="limit-negative"),
    P(Case(("run", "--samples", "1.5"), 2, ("--samples", "'1.5' is not a whole number"), in_process=True), id="samples-fraction"),
    P(Case(("run", "--task", "unknown"), 2, ("--task", "'unknown'", "'qa'"), in_process=True), id="task-unknown"),
    P(Case(("run", "--bogus"), 2, ("harness run: unrecognized arguments: --bogus", "'harness run --help'"), in_process=True), id="unknown-flag"),
    P(Case(("run", *LEXICAL, "--prompt", "qa"), 2, ("--prompt 'qa'", "TASK=VERSION", "qa=v2"), in_process=True), id="prompt-without-equals"),
    P(Case(("run", *LEXICAL, "--prompt", "qa=v9"), 1, ("prompts/qa/v9.md", "no such prompt version", "--prompt qa=VERSION", "v1")), id="prompt-missing-version"),
    P(Case(("run", *LEXICAL, "--prompt", "qa=../../../etc/passwd"), 2, ("--prompt 'qa=../../../etc/passwd'", "not a file name"), in_process=True), id="prompt-version-escapes"),
    P(Case(("frobnicate",), 2, ("harness: argument COMMAND", "'frobnicate'", "'validate'"), in_process=True), id="unknown-subcommand"),
    P(Case((), 2, ("harness: the following arguments are required: COMMAND", "'harness --help'"), in_process=True), id="no-subcommand"),
    P(Case(("compare", "only-one"), 2, ("harness compare", "required: B"), in_process=True), id="compare-one-run"),
    P(Case(("check", "--baseline", "a", "--candidate", "b", "--max-drop", "2"), 2, ("harness check", "--max-drop", "'2' must be between 0 and 1"), in_process=True), id="max-drop-2"),
    P(Case(("check", "--baseline", "a", "--candidate", "b", "--alpha", "0"), 2, ("--alpha", "'0' must be more than 0 and at most 0.5"), in_process=True), id="alpha-0"),
    P(Case(("run", *LEXICAL, "--seed", "../../etc"), 2, ("--seed '../../etc'", "mini")), id="seed-flag-escapes"),
    P(Case(("run", *LEXICAL, "--run-id", "../x"), 2, ("run id '../x'",)), id="run-id-escapes"),
    P(Case(("run", *LEXICAL, "--tag", "no-such-tag"), 2, ("nothing to run", "--tag")), id="filters-leave-nothing"),
    # --- the model endpoint -----------------------------------------------------------------
    P(Case(("run", "--model", "no-such-model", "--base-url", "{base_url}", "--task", "qa"), 3, ("'no-such-model'", "(404: \"The model does not exist\")", "--model"), env={"OPENAI_API_KEY": "sk-test"}, server=not_found), id="unknown-model-404"),
    P(Case(("run", "--model", "m", "--base-url", "{closed_url}", "--task", "qa"), 3, ("model 'm'", "cannot reach {closed_url}. Fix:", "--base-url"), env={"OPENAI_API_KEY": "sk-test"}), id="unreachable-base-url"),
    P(Case(("run", "--model", "m", "--base-url", "not-a-url"), 2, ("--base-url", "'not-a-url'", "http://"), env={"OPENAI_API_KEY": "sk-test"}, in_process=True), id="base-url-not-a-url"),
    P(Case(("run", "--model", "m"), 2, ("$OPENAI_BASE_URL", "'localhost:8000'", "http://"), env={"OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": "localhost:8000"}), id="env-base-url-not-a-url"),
    P(Case(("run", "--model", "m", "--base-url", "{base_url}", "--task", "qa"), 3, ("model 'm'", "refused the API key in $OPENAI_API_KEY (401)", "--api-key-env"), env={"OPENAI_API_KEY": WRONG_KEY}, server=perfect, server_key="sk-the-right-key", absent=(WRONG_KEY, WRONG_KEY[-8:])), id="bad-api-key-401"),
    P(Case(("run", "--model", "", "--task", "qa"), 2, ("argument --model", "'' is empty"), in_process=True), id="model-empty"),
    P(Case(("run", "--model", "m", "--api-key-env", "sk-abc123secret"), 2, ("argument --api-key-env", "not an environment variable name", "--api-key-env MY_KEY"), absent=("abc123secret",), in_process=True), id="api-key-env-holds-a-key"),
    P(Case(("run", "--model", "m", "--api-key-env", "NO_SUCH_KEY_VAR"), 2, ("$NO_SUCH_KEY_VAR", "export NO_SUCH_KEY_VAR=", "--api-key-env")), id="missing-api-key-variable"),
    # --- seeds ------------------------------------------------------------------------------
    P(Case(("validate", "--seeds", "nowhere"), 1, ("nowhere: no such seeds folder", "--seeds")), id="missing-seeds-folder"),
    P(Case(("validate",), 1, ("seeds/mini.txt", "the article is empty"), setup=write("seeds/mini.txt", "  \n")), id="empty-seed"),
    P(Case(("validate",), 1, ("seeds/mini.txt", "binary file"), setup=write("seeds/mini.txt", b"\x89PNG\r\n\x00\x00")), id="binary-seed"),
    P(Case(("validate",), 1, ("seeds/mini.txt", "not UTF-8 (byte 2)", "UTF-8"), setup=write("seeds/mini.txt", "Støre".encode("latin-1"))), id="non-utf8-seed"),
    P(Case(("validate",), 1, ("seeds/my article.txt", "'my article' is not allowed", "rename"), setup=write("seeds/my article.txt", "text")), id="seed-name-with-spaces"),
    P(Case(("validate",), 1, ("seeds/mini.meta.yaml", "not UTF-8"), setup=write("seeds/mini.meta.yaml", b"title: St\xf8re\n")), id="non-utf8-seed-meta"),
    P(Case(("validate",), 1, ("seeds/mini.meta.yaml:2", "bad YAML"), setup=write("seeds/mini.meta.yaml", "title: [Kyiv\nsource: AP\n")), id="bad-yaml-seed-meta"),
    # --- goldens ----------------------------------------------------------------------------
    P(Case(("validate", "--goldens", "nowhere"), 1, ("nowhere: no such goldens folder", "--goldens")), id="missing-goldens-folder"),
    P(Case(("validate",), 1, ("goldens/mini.yaml:1", "field seed", "'../etc/passwd' is not a seed id", "seed: mini"), setup=edit("goldens/mini.yaml", "seed: mini", "seed: ../etc/passwd")), id="golden-seed-escapes"),
    P(Case(("validate",), 1, ("goldens/mini.yaml:4", "item ../injured", "field id"), setup=edit("goldens/mini.yaml", "id: injured", "id: ../injured")), id="golden-item-id-escapes"),
    P(Case(("validate",), 1, (f"goldens/mini.yaml:{BROKEN_LINE}", "bad YAML"), setup=write("goldens/mini.yaml", BROKEN_GOLDEN)), id="golden-malformed-yaml"),
    P(Case(("validate",), 1, ("goldens/mini.yaml:8", "item injured", "field colour", "unknown field"), setup=edit("goldens/mini.yaml", "    answer: 90\n", "    answer: 90\n    colour: red\n")), id="golden-unknown-field"),
    P(Case(("validate",), 1, ("goldens/mini.yaml", "not UTF-8 (byte 18)", "UTF-8"), setup=write("goldens/mini.yaml", b"seed: mini\nas_of: \xff\n")), id="golden-not-utf8"),
    P(Case(("validate",), 1, ("goldens/mini.yaml", "not a YAML mapping"), setup=write("goldens/mini.yaml", "- seed\n- mini\n")), id="golden-not-a-mapping"),
    # --- prompts ----------------------------------------------------------------------------
    P(Case(("run", *LEXICAL), 1, ("prompts/qa/v2.md", "field body", "unknown placeholder {{foo}}"), setup=edit("prompts/qa/v2.md", "{{question}}", "{{question}} {{foo}}")), id="prompt-unknown-placeholder"),
    P(Case(("run", *LEXICAL), 1, ("prompts/qa/v2.md", "no front matter"), setup=strip_front_matter), id="prompt-no-front-matter"),
    P(Case(("run", *LEXICAL), 1, ("prompts/qa/v2.md", "field schema", "bad front matter"), setup=edit("prompts/qa/v2.md", "schema: qa", "schema: poem")), id="prompt-unknown-schema"),
    P(Case(("run", *LEXICAL), 1, ("prompts/qa/v2.md:4", "bad YAML in the front matter"), setup=edit("prompts/qa/v2.md", "version: v2", "version: [v2")), id="prompt-front-matter-bad-yaml"),
    # --- runs and reports -------------------------------------------------------------------
    P(Case(("compare", "a", "new.json"), 1, ("new.json", "newer harness (report format 99", "upgrade"), setup=then(baseline_run(), newer_report)), id="compare-newer-report"),
    P(Case(("report", "new.json"), 1, ("new.json", "newer harness"), setup=then(baseline_run(), newer_report)), id="report-newer-report"),
    P(Case(("check", "--baseline", "a", "--candidate", "new.json"), 2, ("new.json", "newer harness"), setup=then(baseline_run(), newer_report), stdout=("check: INVALID comparison, not a pass",)), id="check-newer-report"),
    P(Case(("compare", "a", "bad.json"), 1, ("bad.json", "not a readable JSON report"), setup=then(baseline_run(), write("bad.json", "{not json"))), id="compare-report-not-json"),
    P(Case(("compare", "a", "missing/run"), 1, ("missing/run", "no such report"), setup=baseline_run()), id="compare-missing-path"),
    P(Case(("score", "a"), 1, ("reports/runs/a/results.jsonl:3", "not a result record"), setup=then(baseline_run(), garbage_line)), id="score-garbage-line"),
    P(Case(("run", "--resume", "a"), 1, ("reports/runs/a/results.jsonl:3", "not a result record"), setup=then(baseline_run(), garbage_line)), id="resume-garbage-line"),
    P(Case(("score", "a"), 1, ("reports/runs/a/results.jsonl:3",), setup=then(baseline_run(), not_utf8_line)), id="score-non-utf8-line"),
    P(Case(("run", "--resume", "nope"), 1, ("reports/runs/nope/manifest.json", "not a run folder")), id="resume-unknown-run"),
    P(Case(("run", "--resume", "a"), 1, ("reports/runs/a/manifest.json", "field created", "not a manifest (Field required)"), setup=then(baseline_run(), write("reports/runs/a/manifest.json", '{"run_id": "a", "config": 3}'))), id="resume-manifest-wrong-shape"),
    P(Case(("run", "--resume", "a"), 1, ("reports/runs/a/manifest.json", "not JSON"), setup=then(baseline_run(), write("reports/runs/a/manifest.json", "{half a manifest"))), id="resume-manifest-not-json"),
    P(Case(("run", *LEXICAL, "--reports", "afile"), 2, ("--reports afile", "is a file, not a folder"), setup=write("afile", "x")), id="reports-is-a-file"),
    P(Case(("run", *LEXICAL, "--prices", "nope.yaml"), 2, ("--prices nope.yaml", "no such file")), id="prices-missing"),
    P(Case(("run", *LEXICAL, "--prices", "p.yaml"), 2, ("--prices p.yaml", "bad YAML at line 2"), setup=write("p.yaml", "gpt-4o-mini: {input_per_mtok: 1, output_per_mtok: 2}\nlocal: input_per_mtok: 0\n")), id="prices-malformed-yaml"),
    P(Case(("run", *LEXICAL, "--prices", "p.yaml"), 2, ("--prices p.yaml", "model gpt-4o-mini", "field input_per_mtok"), setup=write("p.yaml", "gpt-4o-mini: {input_per_mtok: cheap, output_per_mtok: 1}\n")), id="prices-bad-field"),
    P(Case(("report", "a", "--md", "nofolder/board.md"), 2, ("--md nofolder/board.md", "nofolder does not exist"), setup=baseline_run()), id="md-into-missing-folder"),
    P(Case(("check", "--baseline", "a", "--candidate", "a", "--md", "nofolder/c.md"), 2, ("--md nofolder/c.md", "nofolder does not exist"), setup=baseline_run()), id="check-md-into-missing-folder"),
    P(Case(("export-schemas", "--goldens", "nowhere"), 2, ("--goldens nowhere", "no such folder")), id="export-schemas-missing-folder"),
]
# fmt: on


@contextlib.contextmanager
def endpoints(case: Case) -> Iterator[dict[str, str]]:
    """{base_url} (a fake server) and {closed_url} (nobody listens there) for the case's argv."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}/v1"
    if case.server is None:
        yield {"closed_url": closed}
        return
    with FakeOpenAI(case.server, api_key=case.server_key) as server:
        yield {"base_url": server.base_url, "closed_url": closed}


def clean_env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_") and k != "PYTHONWARNINGS"}
    env["PYTHONPATH"] = str(REPO)
    return {**env, **extra}


def assert_one_clear_line(case: Case, code: int, out: str, err: str, urls: dict[str, str]) -> str:
    assert "Traceback" not in err and "Traceback" not in out, err
    assert code == case.code, f"exit {code}, expected {case.code}: {err}"
    lines = err.splitlines()
    assert len(lines) == 1, f"stderr should be one line:\n{err}"
    line = lines[0]
    assert line.startswith("error: "), line
    assert ". Fix: " in line and not line.rstrip().endswith("Fix:"), line
    for name in case.names:
        expected = name
        for key, url in urls.items():
            expected = expected.replace(f"{{{key}}}", url)
        assert expected in line, f"{expected!r} not in: {line}"
    for secret in case.absent:
        assert secret not in out and secret not in err
    for words in case.stdout:
        assert words in out, out
    return line


@pytest.mark.parametrize("case", CASES)
def test_bad_input_gets_one_clear_line(case: Case, mini: Path) -> None:
    """The real command in a child process: a traceback anywhere would show on its stderr."""
    if case.setup is not None:
        case.setup(mini)
    with endpoints(case) as urls:
        argv = [urls.get(arg.strip("{}"), arg) for arg in case.argv]
        done = subprocess.run(
            [sys.executable, "-m", "harness.cli", *argv],
            cwd=mini,
            env=clean_env(case.env),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert_one_clear_line(case, done.returncode, done.stdout, done.stderr, urls)


IN_PROCESS = [p for p in CASES if isinstance(p.values[0], Case) and p.values[0].in_process]


@pytest.mark.parametrize("case", IN_PROCESS)
def test_flag_mistakes_return_the_code_from_main(
    case: Case, mini: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """main() returns the exit code for a flag mistake (argparse would raise SystemExit)."""
    monkeypatch.chdir(mini)
    for name in [k for k in os.environ if k.startswith("OPENAI_")]:
        monkeypatch.delenv(name)
    for name, value in case.env.items():
        monkeypatch.setenv(name, value)
    code = main(list(case.argv))
    out, err = capsys.readouterr()
    assert_one_clear_line(case, code, out, err, {})


def test_the_catalogue_is_long_enough() -> None:
    assert len(CASES) >= 30


@pytest.mark.parametrize("argv", [["--help"], ["run", "--help"], ["check", "--help"]], ids=" ".join)
def test_help_still_works(argv: list[str], mini: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "harness.cli", *argv],
        cwd=mini,
        env=clean_env({}),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.startswith("usage: harness")
