"""`harness init`: the article copied byte for byte, a skeleton that validates, nothing overwritten."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from harness.cli import main
from harness.goldens import load_golden, load_goldens
from harness.init import SKELETON
from harness.seeds import load_seeds
from tests.conftest import REPO

ARTICLE = "Oslo (AP) \u2014 Ninety people were hurt on Thursday.\r\nA second line, with \u201cquotes\u201d.\n".encode()


def test_init_copies_the_article_and_writes_a_skeleton_that_validates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "My Article (Oslo).txt"
    article.write_bytes(ARTICLE)
    seeds, goldens = tmp_path / "seeds", tmp_path / "goldens"
    argv = ["init", str(article), "--seeds", str(seeds), "--goldens", str(goldens), "--title", "Oslo"]
    assert main(argv) == 0
    assert (seeds / "my-article-oslo.txt").read_bytes() == ARTICLE  # byte for byte
    assert "next: fill in" in capsys.readouterr().out
    golden = load_goldens(goldens, load_seeds(seeds))["my-article-oslo"]
    assert (golden.questions, golden.claims, golden.summary) == ((), (), None)
    assert load_seeds(seeds)["my-article-oslo"].meta is not None
    assert main(["validate", "--seeds", str(seeds), "--goldens", str(goldens)]) == 0


def test_init_overwrites_nothing_and_checks_the_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = tmp_path / "a.txt"
    article.write_bytes(ARTICLE)
    flags = ["--seeds", str(tmp_path / "seeds"), "--goldens", str(tmp_path / "goldens")]
    assert main(["init", str(article), *flags]) == 0
    assert main(["init", str(article), *flags]) == 2
    assert "already exist. Fix: pass another --id" in capsys.readouterr().err
    assert main(["init", str(article), "--id", "Bad Id", *flags]) == 2
    assert "seed id 'Bad Id' is not valid" in capsys.readouterr().err
    assert main(["init", str(tmp_path / "missing.txt"), *flags]) == 2


def test_the_skeletons_commented_examples_validate_once_uncommented(tmp_path: Path) -> None:
    # The examples quote the AP article: uncommented against it, every one of them must pass.
    text = SKELETON.format(id="ap-kyiv-strike-2025-04-24", today="2025-04-24")
    text = text.replace("questions: []", "questions:").replace("claims: []", "claims:")
    text = re.sub(r"^#( ?)(\s+-|\s+\w+:|summary:)", r"\2", text, flags=re.M)
    text = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    path = tmp_path / "ap-kyiv-strike-2025-04-24.yaml"
    path.write_text(text, encoding="utf-8")
    shutil.copy(REPO / "seeds" / "ap-kyiv-strike-2025-04-24.txt", tmp_path / "ap-kyiv-strike-2025-04-24.txt")
    golden = load_golden(path, load_seeds(REPO / "seeds"))
    assert [q.id for q in golden.questions] == ["injured-count", "drone-count"]
    assert [c.id for c in golden.claims] == ["border-length"] and golden.summary is not None
