"""Shared fixtures: a small seed with its golden, and model stand-ins over real HTTP."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.config import RunConfig
from harness.types import ItemResult
from tests.fake_openai import FakeOpenAI, Reply, last_user_text

REPO = Path(__file__).resolve().parents[1]

MINI_ARTICLE = """KYIV (Test) — At least 12 people were killed and 90 were injured in a Russian attack on Kyiv on Thursday.

Norwegian Prime Minister Jonas Gahr Støre met President Donald Trump at the White House. Norway shares a roughly 123-mile (198-kilometer) border with Russia.

Trump wrote: “Vladimir, STOP!”
"""

MINI_GOLDEN = """seed: mini
as_of: 2025-04-24
questions:
  - id: injured
    question: How many people were injured in the attack?
    type: number
    answer: 90
    wrong: [12]
    evidence: "90 were injured"
    tags: [casualties, distractor]
  - id: killed
    question: How many people were killed in the attack?
    type: number
    answer: 12
    qualifier: at least
    wrong: [90]
    evidence: "At least 12 people were killed"
    tags: [casualties]
  - id: norway-pm
    question: Who is the Norwegian Prime Minister?
    type: entity
    answer: Jonas Gahr Støre
    aliases: [Gahr Støre, Støre]
    wrong: [Jens Stoltenberg]
    evidence: "Norwegian Prime Minister Jonas Gahr Støre"
    tags: [people, critical]
  - id: drones
    question: How many drones were launched?
    type: number
    answerable: false
    tags: [unanswerable]
claims:
  - id: border-true
    claim: Norway shares a border of about 123 miles with Russia.
    label: supported
    evidence: "Norway shares a roughly 123-mile (198-kilometer) border with Russia."
  - id: border-false
    claim: Norway shares a border of about 300 miles with Russia.
    label: refuted
    evidence: "Norway shares a roughly 123-mile (198-kilometer) border with Russia."
    correction: {type: number, answer: 123, unit: mi, aliases: ["198 km"]}
  - id: drones-claim
    claim: Russia launched 145 drones.
    label: not_enough_info
summary:
  max_words: 60
  key_facts:
    - id: casualties
      fact: At least 12 killed and 90 injured.
      weight: 2
      require: [[12, twelve], [killed, dead, died]]
    - id: stop
      fact: Trump told Putin to stop.
      require: [[trump], [stop]]
  forbidden:
    - id: praise
      fact: Trump praised the attack.
      require: [[praised, endorsed], [attack, strike]]
"""

# The right reply to every mini item, keyed by the item's text in the prompt.
PERFECT: dict[str, dict[str, Any]] = {
    "How many people were injured in the attack?": {
        "answerable": True,
        "answer": "90 people were injured",
        "value": 90,
        "evidence": "90 were injured",
    },
    "How many people were killed in the attack?": {
        "answerable": True,
        "answer": "At least 12",
        "value": 12,
        "evidence": "At least 12 people were killed",
    },
    "Who is the Norwegian Prime Minister?": {
        "answerable": True,
        "answer": "Jonas Gahr Store",
        "value": None,
        "evidence": "Norwegian Prime Minister Jonas Gahr Støre",
    },
    "How many drones were launched?": {"answerable": False, "answer": "not stated", "value": None, "evidence": ""},
    "Norway shares a border of about 123 miles with Russia.": {
        "label": "supported",
        "evidence": "Norway shares a roughly 123-mile (198-kilometer) border with Russia.",
        "correction": None,
    },
    "Norway shares a border of about 300 miles with Russia.": {
        "label": "refuted",
        "evidence": "Norway shares a roughly 123-mile (198-kilometer) border with Russia.",
        "correction": "about 123 miles",
    },
    "Russia launched 145 drones.": {"label": "not_enough_info", "evidence": "", "correction": None},
    "write the summary.": {
        "summary": "A Russian attack on Kyiv killed at least 12 people and injured 90. Trump told Vladimir to stop.",
        "key_points": [{"point": "12 killed", "evidence": "At least 12 people were killed"}],
    },
}


def item_text(request: dict[str, Any]) -> str:
    """The question, claim or summary task at the end of a rendered prompt."""
    match = re.search(r"(?:QUESTION|CLAIM|TASK): (.*)\s*\Z", last_user_text(request))
    assert match, "the prompt should end with the item"
    return match.group(1).strip()


def perfect(request: dict[str, Any], seen: int) -> Reply:
    return Reply(json.dumps(PERFECT[item_text(request)]))


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A work folder with seeds/, goldens/ (the mini seed) and the repo's prompts/."""
    return make_mini(tmp_path)


def make_mini(folder: Path) -> Path:
    """Fill ``folder`` with seeds/ and goldens/ (the mini seed) and a copy of the repo's prompts/."""
    (folder / "seeds").mkdir()
    (folder / "goldens").mkdir()
    (folder / "seeds" / "mini.txt").write_text(MINI_ARTICLE, encoding="utf-8")
    (folder / "goldens" / "mini.yaml").write_text(MINI_GOLDEN, encoding="utf-8")
    shutil.copytree(REPO / "prompts", folder / "prompts")
    return folder


@pytest.fixture
def fake_perfect() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(perfect) as server:
        yield server


def run_args(folder: Path, *extra: str) -> list[str]:
    """Arguments for `harness run` on the mini data in ``folder``."""
    return [
        "run",
        "--seeds",
        str(folder / "seeds"),
        "--goldens",
        str(folder / "goldens"),
        "--prompts",
        str(folder / "prompts"),
        "--reports",
        str(folder / "reports"),
        *extra,
    ]


def repo_run_args(reports: Path, *extra: str) -> list[str]:
    """Arguments for `harness run` on the shipped seeds, goldens and prompts (argparse keeps the last --reports)."""
    return run_args(REPO, "--reports", str(reports), *extra)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def item_result(task: str = "qa", item: str = "q", model: str = "m", sample: int = 0, **fields: Any) -> ItemResult:
    """One line of results.jsonl for seed "s", as the runner would write it; ``fields`` override the rest."""
    record: dict[str, Any] = {
        "model": model,
        "id": f"s/{task}/{item}#{sample}",
        "seed": "s",
        "task": task,
        "item": item,
        "sample": sample,
        "prompt_ref": f"{task}/v1",
        "mode": "json_schema",
        "raw": "{}",
        "parsed": None,
        "outcome": "correct",
        "reason": f"why {item}",
    }
    return ItemResult.model_validate({**record, **fields})


def lexical_config(data: Path, reports: Path, **fields: Any) -> RunConfig:
    """A RunConfig for baseline/lexical over the seeds, goldens and prompts in ``data``."""
    return RunConfig(
        models=("baseline/lexical",),
        seeds_dir=data / "seeds",
        goldens_dir=data / "goldens",
        prompts_dir=data / "prompts",
        reports_dir=reports,
        **fields,
    )
