"""Every command in the README works as written.

Each ``sh`` block's lines run in order, in a copy of the repository's data: `harness ...` lines through
the CLI, with hosted models and other servers answered by a fake OpenAI-compatible server on 127.0.0.1
(its URL put in place of the README's), and `make X` lines checked against the Makefile's targets.
Lines that run the embedded model are only parsed (flags and values checked): `make run` runs it, and
it would take minutes here. Placeholders (RUN_ID, <id>, A, B, ...) become real runs and items; an
optional part written ``[--flag value]`` is passed, an ``[ID ...]`` is left out.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path
from typing import Any

import pytest

from harness.cli import build_parser, main
from tests.conftest import MINI_ARTICLE, REPO
from tests.fake_batches import FakeBatches
from tests.fake_openai import Reply, last_user_text
from tests.test_draft import PROPOSALS

_BLOCK = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)
_URL = re.compile(r"https?://[^\s@]+/v1")
_DEFAULTS: dict[str, dict[str, Any]] = {
    "QUESTION": {"answerable": False, "answer": "not stated", "value": None, "evidence": ""},
    "CLAIM": {"label": "not_enough_info", "evidence": "", "correction": None},
    "TASK": {"summary": "Russia attacked Kyiv.", "key_points": []},
}


def _judge(request: dict[str, Any]) -> Reply | None:
    """A judge's ruling when ``request`` is a judge's: every answer right, no listed fact stated."""
    name = str(request.get("response_format", {}).get("json_schema", {}).get("name", ""))
    if name == "judge_summary":
        labels = re.findall(r"^- (F\d+): ", last_user_text(request), re.M)
        facts = [{"id": label, "stated": False, "sentence": ""} for label in labels]
        return Reply(json.dumps({"facts": facts, "unsupported": []}))
    if name.startswith("judge_"):
        return Reply(json.dumps({"reason": "the README's judge accepts every answer", "correct": True}))
    return None


def _any_item(request: dict[str, Any], seen: int) -> Reply:
    """A schema-valid reply to every prompt: proposals to `draft`, a judge's ruling, an abstention or a
    short summary else."""
    text = last_user_text(request)
    judged = _judge(request)
    if judged is not None:
        return judged
    if "You help a person write test items" in text:
        return Reply(json.dumps(PROPOSALS, ensure_ascii=False))
    kind = re.findall(r"^(QUESTION|CLAIM|TASK): ", text, re.M)[-1]
    return Reply(json.dumps(_DEFAULTS[kind]))


def command_lines() -> list[tuple[int, str]]:
    """(README line, command) of every line of every sh block, comments and blank lines dropped."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    lines = []
    for block in _BLOCK.finditer(readme):
        if block.group(1) != "sh":
            continue
        first = readme[: block.start(2)].count("\n") + 1
        for offset, line in enumerate(block.group(2).splitlines()):
            command = re.sub(r"\s#\s.*$|^#.*$", "", line).strip()
            if command:
                lines.append((first + offset, command))
    return lines


def _filled(command: str, values: dict[str, str], url: str) -> list[str]:
    command = re.sub(r"\[([^\]]*)\]", lambda m: "" if "..." in m.group(1) else m.group(1), command)
    words = [values.get(word, word) for word in shlex.split(_URL.sub(url, command))]
    if words[0] == ".venv/bin/harness":
        words[0] = "harness"
    return words


def _workspace(root: Path) -> None:
    for name in ("seeds", "goldens", "prompts"):
        shutil.copytree(REPO / name, root / name)
    (root / "docs").mkdir()
    shutil.copy(REPO / "docs" / "agree-example.jsonl", root / "docs" / "agree-example.jsonl")
    shutil.copy(REPO / "docs" / "agree-example.jsonl", root / "labelled.jsonl")
    (root / "article.txt").write_text(MINI_ARTICLE, encoding="utf-8")
    (root / "my-article.txt").write_text(MINI_ARTICLE, encoding="utf-8")


def _killed_run(run_id: str) -> None:
    assert main(["run", "--model", "baseline/lexical", "--task", "factcheck", "--run-id", run_id]) == 0
    results = Path("reports", "runs", run_id, "results.jsonl")
    lines = results.read_text(encoding="utf-8").splitlines(keepends=True)
    results.write_text("".join(lines[: len(lines) // 2]), encoding="utf-8")


def _answer_batch(output: Path) -> None:
    """What an engine writes for the exported batch beside ``output``: each request answered."""
    lines = [json.loads(line) for line in (output.parent / "batch-0001.jsonl").read_text("utf-8").splitlines()]
    rows = []
    for line in lines:
        content = _any_item(line["body"], 1).content
        completion = {
            "id": "c",
            "object": "chat.completion",
            "created": 0,
            "model": line["body"]["model"],
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        }
        response = {"status_code": 200, "body": completion}
        rows.append(json.dumps({"custom_id": line["custom_id"], "response": response, "error": None}) + "\n")
    output.write_text("".join(rows), encoding="utf-8")


def _embedded(argv: list[str]) -> bool:
    args = build_parser().parse_args(argv)
    if args.command != "run" or args.resume is not None:
        return False
    return not args.model or any(m.startswith("local/") for m in args.model)


def test_every_command_in_the_readme_works(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _workspace(tmp_path)
    monkeypatch.chdir(tmp_path)
    targets = set(re.findall(r"^([a-z][\w-]*):", (REPO / "Makefile").read_text(encoding="utf-8"), re.M))
    values = {
        "RUN_ID": "run-c",  # the judge section gives it a judge: A and B stay alike for `check`
        "RUN_A": "run-a",
        "RUN_B": "run-b",
        "A": "run-a",
        "B": "run-b",
        "path/to/article.txt": "my-article.txt",
        "<id>": "my-article",
        "ID": "q-who-met-president-donald-trump",
    }
    parsed_only, ran = [], []
    with FakeBatches(_any_item) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-readme")
        monkeypatch.setenv("MY_KEY", "sk-readme")
        for run_id in ("run-a", "run-b", "run-c"):
            assert main(["run", "--model", "baseline/lexical", "--task", "factcheck", "--run-id", run_id]) == 0
        for line, command in command_lines():
            words = _filled(command, values, server.base_url)
            if words[0] == "make":
                assert words[1] in targets, f"README.md:{line}: no make target {words[1]!r}"
                continue
            assert words[0] == "harness", f"README.md:{line}: not a harness or make command: {command}"
            if "--resume" in words:  # a killed run to finish: made now, with half its results lost
                words[words.index("--resume") + 1] = "killed"
                _killed_run("killed")
            if words[1:3] == ["batch", "import"]:  # the engine's part: answer the exported requests
                _answer_batch(Path(words[4]))
            if _embedded(words[1:]):
                parsed_only.append(line)
                continue
            code = main(words[1:])
            out = capsys.readouterr()
            assert code == 0, f"README.md:{line}: `{command}` exited {code}: {out.err[-400:]}"
            ran.append(line)
        assert server.calls > 0  # the hosted-model lines were answered
    assert len(ran) >= 20 and len(parsed_only) <= 5, (ran, parsed_only)


def test_the_readmes_first_hour_figures_are_the_committed_measurements() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    bench = json.loads((REPO / "bench" / "first-hour.json").read_text(encoding="utf-8"))
    median = min(bench["runs"], key=lambda r: abs(r["wall_s"] - bench["median"]["wall_s"]))
    printed = median["printed"]
    output = readme[readme.index("ends like this") :]
    output = output[output.index("```\n") + 4 : output.index("\n```", output.index("```\n") + 4)]
    assert output in printed, "README: the make run output is not the median run's (python -m bench.first_hour)"
    assert f"{bench['median']['wall_s']:.0f} s, the median of three" in readme
    report = (REPO / "reports" / "baselines" / "local-smollm2-135m" / "report.md").read_text(encoding="utf-8")
    excerpt = readme[readme.index("From the committed baseline of the embedded model") : readme.index("## Running")]
    rows = [line for line in excerpt.splitlines() if line.startswith("| local/smollm2-135m")]
    assert len(rows) >= 4 and all(row in report for row in rows)
