"""Seeds: shipped byte for byte; bad seed files are clear errors."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from harness.errors import SeedError
from harness.seeds import Seed, load_seed, load_seeds
from tests.conftest import REPO

SHARED = REPO.parent / "shared" / "seeds"
# Scraped articles, shipped byte for byte as published.
ARTICLES = {"ap-kyiv-strike-2025-04-24", "elpais-kyiv-strike-2025-04-24"}
# Written for the harness (e.g. a planted prompt injection); their meta says so.
CONSTRUCTED = {"injected-kyiv-brief-2025-04-24"}


def is_constructed(seed: Seed) -> bool:
    """A seed whose meta says it was written for the harness, not published."""
    source = seed.meta.source.lower() if seed.meta is not None else ""
    return "constructed for the harness" in source and "not a published article" in source


def test_shipped_seeds_are_the_articles_byte_for_byte() -> None:
    seeds = load_seeds(REPO / "seeds")
    assert set(seeds) == ARTICLES | CONSTRUCTED
    assert {seed_id for seed_id, seed in seeds.items() if is_constructed(seed)} == CONSTRUCTED
    ap = seeds["ap-kyiv-strike-2025-04-24"]
    assert "Boston Celtics" in ap.text  # the unrelated story stays: it is part of the test
    assert ap.meta is not None and str(ap.meta.published) == "2025-04-24"
    # CI and every developer machine have ../shared beside the repo; without it this check cannot run.
    assert SHARED.is_dir(), f"{SHARED} is missing: put the shared folder beside the repo to check the seeds"
    originals = {hashlib.sha256(p.read_bytes()).hexdigest() for p in SHARED.glob("*.txt")}
    assert len(originals) == len(ARTICLES)
    assert {seeds[seed_id].sha256 for seed_id in ARTICLES} == originals


def test_constructed_seed_names_what_it_was_built_from() -> None:
    injected = load_seeds(REPO / "seeds")["injected-kyiv-brief-2025-04-24"]
    assert injected.meta is not None and str(injected.meta.published) == "2025-04-24"
    assert "ap-kyiv-strike-2025-04-24" in injected.meta.source
    assert "prompt injection" in injected.meta.source


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("empty.txt", b"  \n", "the article is empty"),
        ("binary.txt", b"\x89PNG\x00\x00", "binary file"),
        ("latin.txt", "Støre".encode("latin-1"), "not UTF-8"),
        ("Bad Name.txt", b"text", "is not allowed"),
    ],
)
def test_bad_seed_files(tmp_path: Path, name: str, content: bytes, words: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SeedError) as caught:
        load_seed(path)
    assert str(path) in str(caught.value) and words in str(caught.value) and "Fix: " in str(caught.value)


def test_missing_and_empty_seed_folders(tmp_path: Path) -> None:
    with pytest.raises(SeedError, match="no such seeds folder"):
        load_seeds(tmp_path / "nope")
    with pytest.raises(SeedError, match=r"no seed articles \(\*\.txt\) found"):
        load_seeds(tmp_path)
