"""Editing a golden's text in place: items land at the end of their list whatever its shape, comments
stay, and a reviewed item loses only its marker."""

from __future__ import annotations

import pytest
import yaml

from harness.errors import ConfigError
from harness.golden_edit import add_items, remove_draft_markers
from harness.goldens import Golden, reviewed

ITEM = "- id: new\n  question: Who?\n  draft: true"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("seed: s\nquestions: []   # none yet\nclaims: []\n", "seed: s\nquestions:   # none yet\n  - id: new\n"),
        ("seed: s\nquestions:\nclaims: []\n", "seed: s\nquestions:\n  - id: new\n"),
        (
            "seed: s\nquestions:\n- id: a\n  question: A?\n\n# next\nclaims: []\n",
            "- id: a\n  question: A?\n- id: new\n",
        ),
        (
            "seed: s\nquestions:\n    - id: a  # deep\n      question: A?\nclaims: []\n",
            "      question: A?\n    - id: new\n",
        ),
        ("seed: s\nclaims: []\n", "claims: []\nquestions:\n  - id: new\n"),
    ],
    ids=["empty-flow", "null", "block-at-column-0", "block-indented", "missing"],
)
def test_items_are_added_at_the_end_of_their_list(text: str, expected: str) -> None:
    new = add_items(text, ["questions"], [ITEM], "g.yaml")
    assert expected in new
    data = yaml.safe_load(new)
    assert data["questions"][-1] == {"id": "new", "question": "Who?", "draft": True}
    assert data["claims"] == []
    assert all(line in new for line in text.splitlines() if line.lstrip().startswith("#"))


def test_a_nested_list_and_the_lists_that_cannot_be_extended() -> None:
    text = "seed: s\nsummary:\n  max_words: 9\n  key_facts:\n    - id: a\n      require: [[x],\n        [y]]\n"
    text += "  forbidden: []\n"
    new = add_items(text, ["summary", "key_facts"], ["- {id: b, require: [[z]], draft: true}"], "g.yaml")
    assert [f["id"] for f in yaml.safe_load(new)["summary"]["key_facts"]] == ["a", "b"]
    with pytest.raises(ConfigError, match=r"g.yaml:2: `questions` is a \[...\] list. Fix: write it as a block list"):
        add_items("seed: s\nquestions: [{id: a}]\n", ["questions"], [ITEM], "g.yaml")
    with pytest.raises(ConfigError, match="no `summary` to add to"):
        add_items("seed: s\n", ["summary", "key_facts"], [ITEM], "g.yaml")


def test_review_removes_only_the_marker_of_the_items_named() -> None:
    text = (
        "questions:\n"
        "  - id: a\n    question: A?\n    draft: true   # proposed\n"
        "  - id: b\n    question: B?\n    draft: true\n"
        "key_facts:\n"
        "  - {id: c, require: [[x]], draft: true}\n"
        "  - {draft: true, id: d, require: [[y]]}\n"
        "  - {id: e, draft: false}\n"
    )
    new, done = remove_draft_markers(text, ["a", "c", "d"], "g.yaml")
    assert done == ["a", "c", "d"]
    data = yaml.safe_load(new)
    assert [q.get("draft") for q in data["questions"]] == [None, True]
    assert data["key_facts"] == [
        {"id": "c", "require": [["x"]]},
        {"id": "d", "require": [["y"]]},
        {"id": "e", "draft": False},
    ]
    assert remove_draft_markers(new, None, "g.yaml")[1] == ["b"]
    with pytest.raises(ConfigError, match=r"g\.yaml:2: `draft: true` shares its line with other keys"):
        remove_draft_markers("questions:\n  - draft: true\n    id: a\n", None, "g.yaml")


def test_a_summary_item_whose_key_facts_are_all_drafts_is_left_out() -> None:
    fact = {"id": "f", "fact": "F", "require": [["x"]]}
    golden = Golden.model_validate(
        {
            "seed": "s",
            "as_of": "2025-04-24",
            "summary": {"max_words": 9, "key_facts": [{**fact, "draft": True}]},
            "summaries": [
                {"id": "two", "max_words": 9, "key_facts": [fact, {**fact, "id": "g", "draft": True}]},
            ],
        }
    )
    seen, skipped = reviewed(golden)
    assert skipped == 2 and seen.summary is None
    assert [(r.id, [f.id for f in r.key_facts]) for r in seen.summaries] == [("two", ["f"])]
