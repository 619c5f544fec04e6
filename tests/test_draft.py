"""`harness draft` and `harness review`: a model proposes over real HTTP, quotes not in the article are
dropped and reported, drafts land in the golden file (its comments kept) and runs skip them until a
person reviews them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from harness.cli import main
from harness.goldens import load_golden, reviewed
from harness.seeds import load_seeds
from tests.conftest import read_jsonl, run_args
from tests.fake_openai import FakeOpenAI, Reply

PROPOSALS: dict[str, Any] = {
    "questions": [
        {
            "question": "Who met President Donald Trump at the White House?",
            "type": "entity",
            "answer": "Jonas Gahr Støre",
            "evidence": "Norwegian Prime Minister Jonas Gahr Støre met President Donald Trump at the White House.",
        },
        {  # a paraphrase, not the article's words
            "question": "How long is Norway's border with Russia, in miles?",
            "type": "number",
            "answer": "123",
            "evidence": "Norway and Russia share a border of 123 miles",
        },
        {  # the format wants a number
            "question": "How many people were injured?",
            "type": "number",
            "answer": "ninety",
            "evidence": "90 were injured",
        },
    ],
    "claims": [
        {
            "claim": "Trump told Putin to stop.",
            "label": "supported",
            "evidence": "Trump wrote: “Vladimir, STOP!”",
            "correction": "",
        },
        {
            "claim": "Twenty people were killed.",
            "label": "refuted",
            "evidence": "At least 12 people were killed",
            "correction": "at least 12 people were killed",
        },
    ],
    "key_facts": [
        {
            "fact": "Trump met Støre.",
            "words": [["Trump"], ["Støre", "Norwegian Prime Minister"]],
            "evidence": "Jonas Gahr Støre met President Donald Trump",
        }
    ],
}


def _proposing(request: dict[str, Any], seen: int) -> Reply:
    return Reply(json.dumps(PROPOSALS, ensure_ascii=False))


def _draft(mini: Path, server: FakeOpenAI, *extra: str) -> int:
    flags = ["--seeds", str(mini / "seeds"), "--goldens", str(mini / "goldens")]
    return main(["draft", "mini", "--model", "m", "--base-url", server.base_url, *flags, *extra])


def test_draft_writes_checked_proposals_as_drafts_and_reports_the_rest(
    mini: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    golden_path = mini / "goldens" / "mini.yaml"
    golden_path.write_text("# kept: a person's comment\n" + golden_path.read_text(encoding="utf-8"), encoding="utf-8")
    with FakeOpenAI(_proposing) as server:
        assert _draft(mini, server, "--count", "3") == 0
        request = server.requests[0]
    prompt = request["messages"][0]["content"]
    assert "Jonas Gahr Støre met President Donald Trump" in prompt and "up to 3 questions" in prompt
    schema = request["response_format"]["json_schema"]["schema"]
    assert [schema["properties"][k]["maxItems"] for k in ("questions", "claims", "key_facts")] == [3, 3, 3]
    assert "$defs" not in schema and "$ref" not in json.dumps(schema)  # llama.cpp's grammar needs them inlined
    out = capsys.readouterr().out
    assert 'dropped question "How long is Norway\'s border with Russia, in miles?": its evidence is not a' in out
    assert "dropped question 'How many people were injured?': the golden format rejects it (answer:" in out
    assert "4 draft items added, 2 proposals dropped" in out
    text = golden_path.read_text(encoding="utf-8")
    assert text.startswith("# kept: a person's comment\n")
    golden = load_golden(golden_path, load_seeds(mini / "seeds"))
    drafts = [q for q in golden.questions if q.draft]
    assert [(q.type, q.answer) for q in drafts] == [("entity", "Jonas Gahr Støre")]
    assert [(c.label, c.draft) for c in golden.claims[-2:]] == [("supported", True), ("refuted", True)]
    assert golden.summary is not None and golden.summary.key_facts[-1].require == (
        ("Trump",),
        ("Støre", "Norwegian Prime Minister"),
    )
    assert "# evidence: Jonas Gahr Støre met President Donald Trump" in text
    assert reviewed(golden)[1] == 4
    assert main(["validate", "--seeds", str(mini / "seeds"), "--goldens", str(mini / "goldens")]) == 0
    assert "4 of them drafts, skipped by runs until reviewed (`harness review mini`)" in capsys.readouterr().out


def test_runs_skip_drafts_and_say_so_until_they_are_reviewed(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with FakeOpenAI(_proposing) as server:
        assert _draft(mini, server) == 0
    capsys.readouterr()
    assert main(run_args(mini, "--model", "baseline/lexical", "--run-id", "before")) == 0
    assert "mini: 4 draft items skipped" in capsys.readouterr().err
    items = {r["item"] for r in read_jsonl(mini / "reports" / "runs" / "before" / "results.jsonl")}
    assert "injured" in items and not any(i.startswith(("q-", "c-")) for i in items)

    flags = ["--seeds", str(mini / "seeds"), "--goldens", str(mini / "goldens")]
    assert main(["review", "mini", "q-who-met-president-donald-trump", *flags]) == 0
    assert "reviewed 1 items: q-who-met-president-donald-trump" in capsys.readouterr().out
    assert main(run_args(mini, "--model", "baseline/lexical", "--run-id", "after")) == 0
    assert "mini: 3 draft items skipped" in capsys.readouterr().err
    items = {r["item"] for r in read_jsonl(mini / "reports" / "runs" / "after" / "results.jsonl")}
    assert "q-who-met-president-donald-trump" in items

    assert main(["review", "mini", "no-such-item", *flags]) == 2
    assert "no draft item no-such-item. Fix: name draft items (c-trump-told-putin-to-stop" in capsys.readouterr().err
    assert main(["review", "mini", *flags]) == 2
    assert main(["review", "mini", "--all", *flags]) == 0
    assert "reviewed 3 items" in capsys.readouterr().out
    golden = load_golden(mini / "goldens" / "mini.yaml", load_seeds(mini / "seeds"))
    assert reviewed(golden)[1] == 0


def test_a_reply_that_is_not_the_json_asked_for_writes_nothing(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = (mini / "goldens" / "mini.yaml").read_text(encoding="utf-8")
    with FakeOpenAI(lambda request, seen: Reply('{"questions": "none"}')) as server:
        assert _draft(mini, server) == 3
    assert "the reply is not the JSON asked for" in capsys.readouterr().err
    assert (mini / "goldens" / "mini.yaml").read_text(encoding="utf-8") == before


def test_draft_names_an_unknown_seed(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with FakeOpenAI(_proposing) as server:
        flags = ["--seeds", str(mini / "seeds"), "--goldens", str(mini / "goldens")]
        assert main(["draft", "nope", "--model", "m", "--base-url", server.base_url, *flags]) == 2
        assert server.calls == 0
    assert "there is no seed 'nope'" in capsys.readouterr().err


def test_draft_and_review_name_a_broken_golden_instead_of_a_traceback(
    mini: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = mini / "goldens" / "mini.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  - id: killed\n", "  - id: killed\n   bad: [\n"))
    flags = ["--seeds", str(mini / "seeds"), "--goldens", str(mini / "goldens")]
    with FakeOpenAI(_proposing) as server:
        assert _draft(mini, server) == 1
        assert server.calls == 0
    assert "mini.yaml:" in capsys.readouterr().err
    assert main(["review", "mini", "--all", *flags]) == 1
    err = capsys.readouterr().err
    assert "mini.yaml:" in err and "bad YAML" in err
