"""Several summary items per golden: the legacy `summary:` section and a `summaries:` list, each with its
own id, focus and budget, planned, rendered, judged and reported on its own."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from harness.goldens import Golden, load_goldens
from harness.seeds import load_seeds
from harness.tasks.summary import TASK, SummaryOutput, SummaryRubric, all_summaries
from tests.conftest import MINI_GOLDEN

ITEMS = """summaries:
  - id: one-sentence
    focus: the main story of the article above
    max_words: 25
    max_sentences: 1
    key_facts:
      - {id: os-killed, fact: 12 killed, require: [[12], [kill]]}
  - id: norway
    focus: what the article says about Norway
    max_words: 40
    key_facts:
      - {id: no-border, fact: 123-mile border, require: [[123], [border]]}
    forbidden:
      - {id: no-stoltenberg, fact: Stoltenberg is PM, require: [[Stoltenberg]]}
"""


def golden() -> Golden:
    return Golden.model_validate(yaml.safe_load(MINI_GOLDEN + ITEMS))


def test_the_summary_section_and_the_list_are_the_items_of_the_task() -> None:
    g = golden()
    assert [r.id for r in all_summaries(g)] == ["summary", "one-sentence", "norway"]
    items = list(TASK.items(g))
    assert [(i.id, i.slots) for i in items] == [
        ("summary", {"max_words": 60, "focus": "the main story of the article above"}),
        ("one-sentence", {"max_words": 25, "focus": "the main story of the article above in one sentence,"}),
        ("norway", {"max_words": 40, "focus": "what the article says about Norway"}),
    ]
    assert TASK.describe(g) == "3 summaries: 4 key facts, 2 forbidden"
    view = TASK.view(g, "one-sentence")
    assert view is not None and view.question.endswith("in one sentence of at most 25 words")
    assert TASK.view(g, "nope") is None


def test_each_item_is_judged_by_its_own_rubric_and_budget() -> None:
    g = golden()
    text = "Norway shares a 123-mile border with Russia. At least 12 people were killed."
    article = "Norway shares a roughly 123-mile (198-kilometer) border with Russia. At least 12 people were killed."
    norway = TASK.judge(g, "norway", SummaryOutput(summary=text, key_points=[]), article)
    assert norway.outcome == "correct"
    one = TASK.judge(g, "one-sentence", SummaryOutput(summary=text, key_points=[]), article)
    assert one.outcome == "incorrect" and one.reason == "more than 1 sentences"
    with pytest.raises(KeyError):
        TASK.judge(g, "missing", SummaryOutput(summary=text, key_points=[]), article)


@pytest.mark.parametrize(
    ("rubric", "budget"),
    [
        ({"max_words": 60}, "at most 60 words"),
        ({"max_words": 35, "max_sentences": 1}, "one sentence of at most 35 words"),
        ({"max_words": 90, "max_sentences": 3}, "at most 3 sentences and 90 words"),
    ],
)
def test_budgets(rubric: dict[str, int], budget: str) -> None:
    r = SummaryRubric.model_validate({**rubric, "key_facts": [{"id": "k", "fact": "f", "require": [["x"]]}]})
    assert r.budget == budget


def test_a_golden_with_summary_items_validates_and_ids_stay_unique(tmp_path: Path, mini: Path) -> None:
    (mini / "goldens" / "mini.yaml").write_text(MINI_GOLDEN + ITEMS, encoding="utf-8")
    loaded = load_goldens(mini / "goldens", load_seeds(mini / "seeds"))["mini"]
    assert len(all_summaries(loaded)) == 3
    clash = MINI_GOLDEN + ITEMS.replace("id: norway", "id: summary")
    (mini / "goldens" / "mini.yaml").write_text(clash, encoding="utf-8")
    with pytest.raises(Exception, match="item summary: field id: duplicate id"):
        load_goldens(mini / "goldens", load_seeds(mini / "seeds"))
