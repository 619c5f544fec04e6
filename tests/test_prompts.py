"""Prompt templates: front matter, placeholders, article-first layout, identity."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.errors import PromptError
from harness.prompts import load_prompt, load_prompts
from tests.conftest import REPO


def test_shipped_prompts_put_the_article_first_and_the_item_last() -> None:
    prompts = load_prompts(REPO / "prompts", {})
    qa = prompts["qa"].render({"article": "ARTICLE-TEXT", "question": "Q-TEXT?"})
    text = qa[-1]["content"]
    assert text.index("ARTICLE-TEXT") < text.index('"answerable"') < text.index("Q-TEXT?")
    assert text.rstrip().endswith("Q-TEXT?")
    assert qa[0]["role"] == "system"
    assert prompts["qa"].ref == "qa/v2" and len(prompts["qa"].sha256) == 64


def test_two_items_of_one_seed_share_everything_but_the_tail() -> None:
    qa = load_prompts(REPO / "prompts", {})["qa"]
    a = qa.render({"article": "A" * 1000, "question": "first?"})[-1]["content"]
    b = qa.render({"article": "A" * 1000, "question": "second?"})[-1]["content"]
    shared = next(i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y)
    assert a[shared:] == "first?\n" and b[shared:] == "second?\n"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "qa" / "v9.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("no front matter here {{article}} {{question}}", "no front matter"),
        ("---\ntask: qa\nversion: v9\n---\n{{article}} {{question}} {{answer}}", "unknown placeholder {{answer}}"),
        ("---\ntask: qa\nversion: v9\n---\n{{article}}", "placeholder {{question}} is missing"),
        ("---\ntask: poem\nversion: v9\n---\n{{article}} {{question}}", "bad front matter"),
        ("---\ntask: qa\nversion: v9\ncolour: red\n---\n{{article}} {{question}}", "bad front matter"),
        ("---\ntask: [qa\n---\n{{article}}", "bad YAML in the front matter"),
        ("---\ntask: qa\nversion: v9\nschema: summary\n---\n{{article}} {{question}}", "does not fit task qa"),
    ],
)
def test_bad_templates_are_clear_errors(tmp_path: Path, text: str, words: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(PromptError) as caught:
        load_prompt(path)
    message = str(caught.value)
    assert str(path) in message and words in message and "Fix: " in message


def test_missing_version_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(PromptError, match=r"qa/v7\.md: cannot read it"):
        load_prompts(REPO / "prompts", {"qa": "v7"})
