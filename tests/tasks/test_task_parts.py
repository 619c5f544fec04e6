"""What each task gives the rest of the harness besides verdicts: its items, the report view of a golden
item, the answer and evidence text, and the lexical baseline's answer (asserted whole, on the mini golden)."""

from __future__ import annotations

import pytest
import yaml

from harness.goldens import Golden
from harness.matching.sentences import best_sentence, sentences, told_once
from harness.metrics import COMMON_METRICS, metric_info
from harness.tasks import TaskItem, max_tokens_for, task
from harness.types import GenerationSettings, WorkItem
from tests.conftest import MINI_ARTICLE, MINI_GOLDEN

GOLDEN = Golden.model_validate(yaml.safe_load(MINI_GOLDEN))


def work(name: str, subject: str, max_words: int | None = None) -> WorkItem:
    return WorkItem(
        id=f"mini/{name}/x#0",
        seed="mini",
        task=name,
        item="x",
        sample=0,
        prompt_ref=f"{name}/v1",
        article=MINI_ARTICLE,
        subject=subject,
        max_words=max_words,
    )


def test_the_items_each_task_draws_from_a_golden() -> None:
    qa = list(task("qa").items(GOLDEN))
    assert [i.id for i in qa] == ["injured", "killed", "norway-pm", "drones"]
    assert qa[0] == TaskItem(
        id="injured",
        subject="How many people were injured in the attack?",
        tags=("casualties", "distractor"),
        slots={"question": "How many people were injured in the attack?"},
    )
    claims = list(task("factcheck").items(GOLDEN))
    assert [i.id for i in claims] == ["border-true", "border-false", "drones-claim"]
    assert claims[2] == TaskItem(
        id="drones-claim", subject="Russia launched 145 drones.", slots={"claim": "Russia launched 145 drones."}
    )
    assert list(task("summary").items(GOLDEN)) == [
        TaskItem(
            id="summary",
            subject="",
            tags=("summary",),
            slots={"max_words": 60, "focus": "the main story of the article above"},
        )
    ]
    assert GOLDEN.summary is not None
    tagged = GOLDEN.model_copy(update={"summary": GOLDEN.summary.model_copy(update={"tags": ("x", "summary")})})
    assert [i.tags for i in task("summary").items(tagged)] == [("summary", "x")]
    assert list(task("summary").items(GOLDEN.model_copy(update={"summary": None}))) == []


def test_the_report_view_of_each_golden_item() -> None:
    qa, fc, summary = task("qa"), task("factcheck"), task("summary")
    pm = qa.view(GOLDEN, "norway-pm")
    assert pm is not None and pm.model_dump() == {
        "question": "Who is the Norwegian Prime Minister?",
        "expected": "Jonas Gahr Støre (also: Gahr Støre, Støre)",
        "evidence": "Norwegian Prime Minister Jonas Gahr Støre",
    }
    drones = qa.view(GOLDEN, "drones")
    assert drones is not None and drones.expected == "not stated in the article (should decline)"
    assert qa.view(GOLDEN, "gone") is None
    claim = fc.view(GOLDEN, "border-false")
    assert claim is not None and (claim.question, claim.expected) == (
        "Norway shares a border of about 300 miles with Russia.",
        "refuted; correction: 123 mi (also: 198 km)",
    )
    assert fc.view(GOLDEN, "gone") is None
    rubric = summary.view(GOLDEN, "summary")
    assert rubric is not None and rubric.model_dump() == {
        "question": "Summarise the main story of the article above in at most 60 words",
        "expected": "key facts: At least 12 killed and 90 injured.; Trump told Putin to stop.",
        "evidence": None,
    }
    assert summary.view(GOLDEN.model_copy(update={"summary": None}), "summary") is None


def test_a_boolean_answer_reads_yes_or_no() -> None:
    golden = Golden.model_validate(
        {
            "seed": "s",
            "as_of": "2025-01-01",
            "questions": [{"id": "b", "question": "Is it?", "type": "boolean", "answer": False, "evidence": "e"}],
        }
    )
    view = task("qa").view(golden, "b")
    assert view is not None and view.expected == "no"


@pytest.mark.parametrize(
    ("name", "parsed", "answer", "evidence"),
    [
        (
            "qa",
            {"answerable": True, "answer": "90", "value": 90, "evidence": "90 were injured"},
            "90",
            "90 were injured",
        ),
        ("qa", {}, None, None),
        ("factcheck", {"label": "refuted", "evidence": "q", "correction": None}, "refuted", "q"),
        ("factcheck", {}, None, None),
        ("summary", {"summary": "S.", "key_points": [{"point": "p", "evidence": "a"}, {"point": "p"}]}, "S.", "a | "),
        ("summary", {}, None, None),
    ],
)
def test_answer_and_evidence_text(name: str, parsed: dict[str, object], answer: str, evidence: str) -> None:
    assert task(name).answer_text(parsed) == answer
    assert task(name).evidence_text(parsed) == evidence


def test_the_lexical_baseline_answers_of_each_task() -> None:
    injured = (
        "KYIV (Test) — At least 12 people were killed and 90 were injured in a Russian attack on Kyiv on Thursday."
    )
    assert task("qa").baseline(work("qa", "How many people were killed in the attack on Kyiv?")) == {
        "answerable": True,
        "answer": injured,
        "value": 12.0,
        "evidence": injured,
    }
    assert task("qa").baseline(work("qa", "Which Norwegian leader met Trump?"))["value"] is None
    assert task("qa").baseline(work("qa", "What did the mayor of Lviv say?")) == {
        "answerable": False,
        "answer": "not stated",
        "value": None,
        "evidence": "",
    }
    border = "Norway shares a roughly 123-mile (198-kilometer) border with Russia."
    factcheck = task("factcheck")
    assert factcheck.baseline(work("factcheck", "Norway shares a 300-mile border with Russia.")) == {
        "label": "refuted",
        "evidence": border,
        "correction": border,
    }
    assert factcheck.baseline(work("factcheck", "Norway shares a 123-mile border with Russia.")) == {
        "label": "supported",
        "evidence": border,
        "correction": None,
    }
    assert factcheck.baseline(work("factcheck", "Norway shares a border with Russia.")) == {
        "label": "supported",
        "evidence": border,
        "correction": None,
    }
    assert factcheck.baseline(work("factcheck", "Finland joined the alliance in 2023.")) == {
        "label": "not_enough_info",
        "evidence": "",
        "correction": None,
    }
    short = task("summary").baseline(work("summary", "", max_words=25))
    assert short == {"summary": injured, "key_points": [{"point": injured, "evidence": injured}]}
    first = "KYIV (Test) — At least 12 people were killed and 90 were injured in a Russian attack on Kyiv on Thursday."
    cut = task("summary").baseline(work("summary", "", max_words=5))  # nothing fits: the first sentence, cut
    assert cut == {"summary": "KYIV (Test) — At least", "key_points": [{"point": first, "evidence": first}]}
    longer = task("summary").baseline(work("summary", ""))  # no limit given: 120 words
    assert [p["point"] for p in longer["key_points"]] == [injured, sentences(MINI_ARTICLE)[1]]


def test_the_sentences_of_an_article() -> None:
    text = "One two three four five. Six seven eight nine ten!\nShort one.\nOne two three four five."
    assert sentences(text) == ("One two three four five.", "Six seven eight nine ten!")
    assert told_once(text) == ("Six seven eight nine ten!",)
    assert best_sentence(text, "eight and nine and ten") == ("Six seven eight nine ten!", 1.0)
    assert best_sentence(text, "the what") == ("", 0.0)  # no content word to match


def test_every_metric_has_a_meaning() -> None:
    info = metric_info()
    assert list(info)[:3] == ["qa_accuracy", "abstention_accuracy", "hallucination_rate"]
    assert list(info)[-3:] == list(COMMON_METRICS)
    assert info["hallucination_rate"] == ("unanswerable questions answered anyway", False)
    assert info["summary_coverage"][1] is True


def test_lexical_baseline_boundaries() -> None:
    qa, factcheck, summary = task("qa"), task("factcheck"), task("summary")
    # "Who" is no "how many": the sentence's numbers are not offered as the value
    assert qa.baseline(work("qa", "Who was killed in the attack on Kyiv?"))["value"] is None
    # exactly half the content words found (kyiv of kyiv, mayor) is enough to answer
    assert qa.baseline(work("qa", "Kyiv mayor?"))["answerable"] is True
    assert factcheck.baseline(work("factcheck", "Kyiv mayor?"))["label"] == "supported"
    # the claim states exactly the sentence's numbers: nothing refutes it
    same = factcheck.baseline(work("factcheck", "Norway shares a 123-mile (198-kilometer) border with Russia."))
    assert same["label"] == "supported"
    first, second = told_once(MINI_ARTICLE)[:2]
    exact = summary.baseline(work("summary", "", max_words=len(first.split()) + len(second.split())))
    assert exact["summary"] == f"{first} {second}"  # the limit itself is allowed
    twelve = "one two three four five six seven eight nine ten eleven twelve."
    five = "Alpha beta gamma delta epsilon."
    assert (
        summary.baseline(work("summary", "", max_words=50).model_copy(update={"article": twelve}))["summary"] == twelve
    )
    assert sentences(five) == (five,)


def test_a_tagged_claim_keeps_its_tags_and_its_view_its_quote() -> None:
    golden = GOLDEN.model_copy(update={"claims": (GOLDEN.claims[0].model_copy(update={"tags": ("border",)}),)})
    assert [i.tags for i in task("factcheck").items(golden)] == [("border",)]
    view = task("factcheck").view(golden, "border-true")
    assert view is not None and view.evidence == "Norway shares a roughly 123-mile (198-kilometer) border with Russia."


def test_a_yes_answer_reads_yes() -> None:
    golden = Golden.model_validate(
        {
            "seed": "s",
            "as_of": "2025-01-01",
            "questions": [{"id": "b", "question": "Is it?", "type": "boolean", "answer": True, "evidence": "e"}],
        }
    )
    view = task("qa").view(golden, "b")
    assert view is not None and view.expected == "yes"


def test_a_summary_verdict_needs_a_rubric() -> None:
    with pytest.raises(KeyError, match="summary"):
        task("summary").judge(GOLDEN.model_copy(update={"summary": None}), "summary", None, MINI_ARTICLE)


def test_the_token_budget_is_the_task_s_unless_given() -> None:
    assert [max_tokens_for(GenerationSettings(), name) for name in ("qa", "factcheck", "summary")] == [192, 192, 512]
    assert max_tokens_for(GenerationSettings(max_tokens=64), "summary") == 64


def test_one_content_word_matches_fully_and_summaries_default_to_120_words() -> None:
    text = "One two three four five. Six seven eight nine ten!"
    assert best_sentence(text, "seven") == ("Six seven eight nine ten!", 1.0)
    sixty = " ".join(f"a{i}" for i in range(59)) + " end."
    sixty_one = "Then " + " ".join(f"b{i}" for i in range(59)) + " end."
    article = f"{sixty}\n{sixty_one}"
    unlimited = task("summary").baseline(work("summary", "").model_copy(update={"article": article}))
    assert unlimited["summary"] == sixty  # 60 + 61 words would pass the default 120
