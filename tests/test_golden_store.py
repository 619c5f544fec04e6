"""Checked goldens kept between commands: used only where checking the file again gives the same golden."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.errors import GoldenError
from harness.golden_store import FOLDER, GoldenStore, Stored
from harness.goldens import Golden, load_goldens, load_runnable, pickled, reviewed
from harness.seeds import load_seeds
from tests.conftest import MINI_ARTICLE, MINI_GOLDEN


def _load(mini: Path) -> tuple[dict[str, Golden], dict[str, int]]:
    seeds = load_seeds(mini / "seeds")
    shelf, drafts = load_runnable(mini / "goldens", seeds, GoldenStore.open(mini / "reports", seeds))
    return {seed: shelf[seed] for seed in shelf}, drafts


def _entries(mini: Path) -> list[Path]:
    return sorted((mini / "reports" / FOLDER).glob("*.pickle"))


def test_a_checked_golden_is_kept_and_the_next_load_takes_it_from_the_store(mini: Path) -> None:
    first, drafts = _load(mini)
    assert [e.name[: len("mini-")] for e in _entries(mini)] == ["mini-"] and drafts == {"mini": 0}
    seeds = load_seeds(mini / "seeds")
    store = GoldenStore.open(mini / "reports", seeds)
    golden = load_goldens(mini / "goldens", seeds)["mini"]
    fewer = golden.model_copy(update={"questions": golden.questions[:1]})
    store.put(mini / "goldens" / "mini.yaml", Stored("mini", 3, pickled(fewer)))  # what the next load finds
    again, drafts = _load(mini)
    assert again == {"mini": fewer} and drafts == {"mini": 3} and first == {"mini": reviewed(golden)[0]}


def test_an_edited_golden_is_checked_again_and_replaces_its_old_entry(mini: Path) -> None:
    _load(mini)
    (old,) = _entries(mini)
    path = mini / "goldens" / "mini.yaml"
    path.write_text(MINI_GOLDEN.replace("How many drones were launched?", "How many drones flew?"), encoding="utf-8")
    loaded, _ = _load(mini)
    (new,) = _entries(mini)
    assert new != old and "How many drones flew?" in {q.question for q in loaded["mini"].questions}


def test_an_article_that_no_longer_holds_a_quote_fails_though_the_golden_file_did_not_change(mini: Path) -> None:
    _load(mini)
    (mini / "seeds" / "mini.txt").write_text(MINI_ARTICLE.replace("90 were injured", "some were hurt"), "utf-8")
    with pytest.raises(GoldenError, match="item injured: field evidence: the quote is not in the seed text"):
        _load(mini)


def test_a_golden_with_problems_is_never_kept_and_is_reported_every_time(mini: Path) -> None:
    (mini / "goldens" / "mini.yaml").write_text(MINI_GOLDEN.replace("label: refuted", "label: wrongish"), "utf-8")
    for _ in range(2):
        with pytest.raises(GoldenError, match="label"):
            _load(mini)
    assert _entries(mini) == []


@pytest.mark.parametrize("damage", [b"", b"not a pickle", "cut"])
def test_an_entry_that_cannot_be_read_or_was_cut_is_a_miss(mini: Path, damage: bytes | str) -> None:
    expected, _ = _load(mini)
    (entry,) = _entries(mini)
    entry.write_bytes(entry.read_bytes()[:-10] if damage == "cut" else damage)  # type: ignore[arg-type]
    assert _load(mini)[0] == expected


def test_a_reports_folder_that_cannot_be_written_only_costs_the_check(mini: Path) -> None:
    (mini / "reports").write_text("a file where the folder would be", encoding="utf-8")
    expected = reviewed(load_goldens(mini / "goldens", load_seeds(mini / "seeds"))["mini"])[0]
    assert _load(mini)[0] == {"mini": expected}
