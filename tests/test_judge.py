"""The LLM judge end to end over real HTTP: a scripted judge on the fake server rules beside the rules."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from harness.cli import main
from tests.conftest import PERFECT, item_text, read_jsonl, run_args
from tests.fake_openai import Action, FakeOpenAI, Fault, Reply, last_user_text

INJURED = "How many people were injured in the attack?"
KILLED = "How many people were killed in the attack?"
NORWAY = "Who is the Norwegian Prime Minister?"
DRONES = "How many drones were launched?"
# The model under test answers the injured question wrong (12, a listed distractor) and the rest right, so
# the rules say: injured incorrect, killed, norway-pm and drones correct.
ANSWERS = {**PERFECT, INJURED: {"answerable": True, "answer": "12", "value": 12, "evidence": "12 people"}}
# The scripted judge: right where the rules are wrong, wrong on killed and norway-pm.
JUDGE_SAYS = {INJURED: True, KILLED: False, NORWAY: False, DRONES: True}
SUMMARY_RULING = {
    "facts": [
        {"id": "F1", "stated": True, "sentence": "A Russian attack on Kyiv killed at least 12 people and injured 90."},
        {"id": "F2", "stated": False, "sentence": ""},
        {"id": "F3", "stated": False, "sentence": ""},
    ],
    "unsupported": [],
}


def schema_name(body: dict[str, Any]) -> str:
    return str(body["response_format"]["json_schema"]["name"])


def question_of(body: dict[str, Any]) -> str:
    match = re.search(r"QUESTION: (.*)", last_user_text(body))
    assert match, "a qa judge prompt names the question"
    return match.group(1).strip()


def judge_reply(body: dict[str, Any]) -> Reply:
    if schema_name(body) == "judge_summary":
        return Reply(json.dumps(SUMMARY_RULING))
    question = question_of(body)
    correct = JUDGE_SAYS.get(question, not question.startswith("The claim"))  # corrections: always wrong
    return Reply(json.dumps({"reason": f"scripted: {question}", "correct": correct}))


def answers(body: dict[str, Any], seen: int) -> Action:
    if schema_name(body).startswith("judge_"):
        return judge_reply(body)
    return Reply(json.dumps(ANSWERS[item_text(body)]))


def judged_run(mini: Path, server: FakeOpenAI, run_id: str, *extra: str) -> int:
    args = run_args(mini, "--model", "fake-model", "--base-url", server.base_url, "--judge", "judge-model")
    return main([*args, "--run-id", run_id, "--task", "qa", "--task", "summary", *extra])


def judges(mini: Path, run_id: str) -> dict[str, dict[str, Any]]:
    return {r["item"]: r["judge"] for r in read_jsonl(mini / "reports" / "runs" / run_id / "results.jsonl")}


def report(mini: Path, run_id: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((mini / "reports" / "runs" / run_id / "report.json").read_text("utf-8"))
    return data


def metric(data: dict[str, Any], name: str) -> float:
    return next(float(m["estimate"]["value"]) for m in data["metrics"] if m["metric"] == name and m["tag"] is None)


@pytest.fixture
def server() -> Any:
    with FakeOpenAI(answers, models=("fake-model", "judge-model")) as fake:
        yield fake


def test_the_judge_rules_beside_the_rules_and_is_measured_against_them(mini: Path, server: FakeOpenAI) -> None:
    assert judged_run(mini, server, "j") == 0
    verdicts = judges(mini, "j")
    assert {item: v["accepted"] for item, v in verdicts.items()} == {
        "injured": True,
        "killed": False,
        "norway-pm": False,
        "drones": True,
        "summary": True,  # 2 of 3 key-fact weight stated, no forbidden fact, nothing unsupported
    }
    assert verdicts["summary"]["coverage"] == pytest.approx(2 / 3, abs=1e-4)
    assert verdicts["summary"]["stated"] == ["casualties"]
    assert verdicts["killed"]["reason"] == f"scripted: {KILLED}"
    rows = {r["item"]: r for r in read_jsonl(mini / "reports" / "runs" / "j" / "results.jsonl")}
    assert rows["injured"]["outcome"] == "incorrect"  # the rules' verdict stays the result's outcome
    assert rows["killed"]["outcome"] == "correct"
    section = report(mini, "j")["judge"]
    qa = next(a for a in section["agreements"] if a["task"] == "qa")
    # rules [no, yes, yes, yes], judge [yes, no, no, yes]: agreement 1/4; chance 3/4*1/2 + 1/4*1/2 = 1/2;
    # kappa (1/4 - 1/2) / (1 - 1/2) = -1/2
    assert (qa["n"], qa["rules_only"], qa["judge_only"]) == (4, 2, 1)
    assert qa["agreement"]["value"] == pytest.approx(0.25)
    assert qa["kappa"]["value"] == pytest.approx(-0.5)
    facts = next(a for a in section["agreements"] if a["task"] == "summary" and a["measure"] == "key fact")
    assert (facts["n"], facts["rules_only"], facts["agreement"]["value"]) == (2, 1, 0.5)
    assert {d["id"] for d in section["rules_only"]} == {"mini/qa/killed#0", "mini/qa/norway-pm#0"}
    assert [d["id"] for d in section["judge_only"]] == ["mini/qa/injured#0"]
    md = (mini / "reports" / "runs" / "j" / "report.md").read_text("utf-8")
    assert "## Judge" in md and "The judge accepts, the rules reject" in md and "scripted: " + INJURED in md
    assert 'id="judge"' in (mini / "reports" / "runs" / "j" / "report.html").read_text("utf-8")


def test_the_policy_decides_what_the_headline_metrics_count(mini: Path, server: FakeOpenAI) -> None:
    assert judged_run(mini, server, "rules") == 0
    calls = server.calls
    assert judged_run(mini, server, "judge", "--judge-policy", "judge") == 0
    assert judged_run(mini, server, "both", "--judge-policy", "both") == 0
    assert server.calls == calls  # the same requests: every model and judge reply came from the cache
    accuracy = {policy: metric(report(mini, policy), "qa_accuracy") for policy in ("rules", "judge", "both")}
    # answerable: injured, killed, norway-pm. rules: no yes yes; judge: yes no no; both: no no no
    assert accuracy == pytest.approx({"rules": 2 / 3, "judge": 1 / 3, "both": 0.0})
    coverage = {policy: metric(report(mini, policy), "summary_coverage") for policy in ("rules", "judge", "both")}
    assert coverage == pytest.approx({"rules": 1.0, "judge": 2 / 3, "both": 2 / 3}, abs=1e-4)
    items = {i["id"]: i for i in report(mini, "judge")["items"]}
    killed = items["mini/qa/killed#0"]
    assert (killed["outcome"], killed["rules"]) == ("incorrect", "correct")
    assert killed["reason"].startswith("judge policy: the judge rejects (scripted: ")
    assert items["mini/qa/drones#0"]["rules"] is None  # both accept: nothing changed


def test_a_judge_reply_that_breaks_its_schema_is_a_judge_error_and_the_rules_stand(
    mini: Path, server: FakeOpenAI
) -> None:
    def broken(body: dict[str, Any], seen: int) -> Action:
        if body["model"] == "judge-model" and schema_name(body) == "judge_qa" and question_of(body) == KILLED:
            return Reply('{"verdict": "looks fine"}')
        return answers(body, seen)

    server.responder = broken
    assert judged_run(mini, server, "broken", "--judge-policy", "judge") == 0
    killed = judges(mini, "broken")["killed"]
    assert killed["accepted"] is None
    assert killed["error"].startswith("the judge's reply broke its schema: (top level): ")
    data = report(mini, "broken")
    assert data["judge"]["errors"] == 1
    item = next(i for i in data["items"] if i["id"] == "mini/qa/killed#0")
    assert (item["outcome"], item["rules"]) == ("correct", None)  # the rules' verdict stands under policy judge
    qa = next(a for a in data["judge"]["agreements"] if a["task"] == "qa")
    assert (qa["n"], qa["judge_errors"]) == (3, 1)


def test_judge_calls_are_retried_on_429s_and_timeouts_like_any_call(mini: Path, server: FakeOpenAI) -> None:
    def flaky(body: dict[str, Any], seen: int) -> Action:
        if body["model"] == "judge-model" and seen == 1:
            if schema_name(body) == "judge_summary":
                return Fault("hang")
            return Fault("status", status=429, headers={"Retry-After": "0"})
        return answers(body, seen)

    server.responder = flaky
    assert judged_run(mini, server, "flaky", "--timeout", "1", "--judge-consistency", "0") == 0
    verdicts = judges(mini, "flaky")
    assert {item: v["accepted"] for item, v in verdicts.items()} == {
        "injured": True,
        "killed": False,
        "norway-pm": False,
        "drones": True,
        "summary": True,
    }
    judge_requests = [b for b in server.requests if b["model"] == "judge-model"]
    assert len(judge_requests) == 10  # each of the 5 judge requests failed once, then answered


def test_a_failed_judge_call_is_a_judge_error_never_a_verdict(mini: Path, server: FakeOpenAI) -> None:
    def down(body: dict[str, Any], seen: int) -> Action:
        if body["model"] == "judge-model" and schema_name(body) == "judge_qa":
            return Fault("status", status=503)
        return answers(body, seen)

    server.responder = down
    assert judged_run(mini, server, "down", "--max-attempts", "2", "--backoff", "0.01") == 0
    verdicts = judges(mini, "down")
    assert verdicts["injured"]["accepted"] is None
    assert verdicts["injured"]["error"].startswith("the judge call failed: InternalServerError")
    assert report(mini, "down")["judge"]["errors"] == 4


def test_harness_score_keeps_the_judges_verdicts_and_calls_no_model(mini: Path, server: FakeOpenAI) -> None:
    assert judged_run(mini, server, "kept") == 0
    before = judges(mini, "kept")
    calls = server.calls
    assert main(["score", "kept", "--reports", str(mini / "reports")]) == 0
    assert server.calls == calls
    assert judges(mini, "kept") == before


def test_check_refuses_runs_judged_differently(
    mini: Path, server: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    assert judged_run(mini, server, "a") == 0
    assert judged_run(mini, server, "b", "--judge-policy", "judge") == 0
    reports = ["--reports", str(mini / "reports")]
    assert main(["check", "--baseline", "a", "--candidate", "b", *reports]) == 2
    assert "differ in their judge (policy: rules vs judge)" in capsys.readouterr().out
    assert main(["check", "--baseline", "a", "--candidate", "a", *reports]) == 0


def test_the_consistency_check_judges_a_sample_twice_with_the_fields_swapped(mini: Path, server: FakeOpenAI) -> None:
    def order_sensitive(body: dict[str, Any], seen: int) -> Action:
        text = last_user_text(body)
        if body["model"] == "judge-model" and schema_name(body) == "judge_qa" and question_of(body) == KILLED:
            swapped = text.index("RESPONSE:") < text.index("REFERENCE ANSWER:")
            return Reply(json.dumps({"reason": "order", "correct": swapped}))
        return answers(body, seen)

    server.responder = order_sensitive
    assert judged_run(mini, server, "twice") == 0
    verdicts = judges(mini, "twice")
    assert {item: v["calls"] for item, v in verdicts.items()} == dict.fromkeys(verdicts, 2)  # 5 items < 50
    assert verdicts["killed"]["swapped"] is True and verdicts["killed"]["accepted"] is False
    self_agreement = report(mini, "twice")["judge"]["self_agreement"]
    assert (self_agreement["value"], self_agreement["n"]) == (pytest.approx(4 / 5), 5)


def test_a_judge_sample_rules_on_that_many_items(mini: Path, server: FakeOpenAI) -> None:
    assert judged_run(mini, server, "sampled", "--judge-sample", "2") == 0
    judged = [item for item, v in judges(mini, "sampled").items() if v is not None]
    assert len(judged) == 2
    assert judged_run(mini, server, "again", "--judge-sample", "2") == 0
    assert [item for item, v in judges(mini, "again").items() if v is not None] == judged  # seeded


def test_a_dry_run_counts_the_judges_calls_and_sends_nothing(
    mini: Path, server: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    assert judged_run(mini, server, "dry", "--dry-run", "--judge-consistency", "1") == 0
    out = capsys.readouterr().out
    assert "dry run: 5 model requests (1 models x 5 items)" in out
    assert "judge judge-model: 6 calls (1 of them the consistency check), about " in out
    assert "at most 2,304 completion tokens" in out  # 4 qa calls x 256 + 1 summary call x 1024 + 1 x 256
    assert server.calls == 0 and not server.probes
    assert not (mini / "reports" / "runs" / "dry").exists()


def test_judge_flags_need_a_judge_and_a_baseline_cannot_judge(
    mini: Path, server: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(run_args(mini, "--model", "baseline/lexical", "--judge-policy", "judge")) == 2
    assert "--judge-policy needs a judge. Fix: add --judge MODEL" in capsys.readouterr().err
    assert main(run_args(mini, "--model", "baseline/lexical", "--judge", "baseline/lexical")) == 2
    assert "an in-process baseline cannot judge" in capsys.readouterr().err


def test_a_judge_that_is_also_under_test_is_warned_about(
    mini: Path, server: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    args = run_args(mini, "--model", "judge-model", "--base-url", server.base_url, "--judge", "judge-model")
    assert main([*args, "--task", "factcheck"]) == 0
    assert "the judge judge-model is also a model under test" in capsys.readouterr().err


def test_harness_score_asks_the_judge_again_only_where_its_request_changed(
    mini: Path, server: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    assert judged_run(mini, server, "edited", "--judge-consistency", "0") == 0
    golden = mini / "goldens" / "mini.yaml"
    text = golden.read_text("utf-8")
    golden.write_text(
        text.replace('evidence: "At least 12 people were killed"', 'evidence: "At least 12 people"'), "utf-8"
    )
    calls = server.calls
    capsys.readouterr()
    assert main(["score", "edited", "--reports", str(mini / "reports")]) == 0
    assert "judge judge-model: 4 verdicts kept, 1 asked (new, or their request changed)" in capsys.readouterr().out
    assert server.calls == calls + 1
    assert 'THE ARTICLE SAYS: "At least 12 people"' in last_user_text(server.requests[-1])


def test_harness_score_adds_a_judge_to_a_finished_run(
    mini: Path, server: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    args = run_args(mini, "--model", "fake-model", "--base-url", server.base_url, "--task", "qa", "--task", "summary")
    assert main([*args, "--run-id", "plain"]) == 0
    reports = ["--reports", str(mini / "reports")]
    assert main(["score", "plain", *reports, "--judge-policy", "judge"]) == 2
    assert "this run has no judge. Fix: add --judge MODEL" in capsys.readouterr().err
    assert main(["score", "plain", *reports, "--judge", "judge-model", "--judge-consistency", "0"]) == 0
    assert "0 verdicts kept, 5 asked" in capsys.readouterr().out
    assert {item: v["accepted"] for item, v in judges(mini, "plain").items()}["injured"] is True
    assert report(mini, "plain")["judge"]["policy"] == "rules"
    assert main(["score", "plain", *reports, "--judge-policy", "judge"]) == 0  # the run's judge, another policy
    assert "5 verdicts kept, 0 asked" in capsys.readouterr().out
    assert metric(report(mini, "plain"), "qa_accuracy") == pytest.approx(1 / 3)


def test_harness_agree_measures_a_judge_against_the_people(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    accept = {"Paris", "It is Paris.", "Lyon", "The French capital", "ninety"}

    def rater(body: dict[str, Any], seen: int) -> Action:
        text = last_user_text(body)
        assert schema_name(body) == "judge_answer" and "THE ARTICLE SAYS" not in text
        candidate = re.search(r"RESPONSE: (.*)", text)
        assert candidate
        if candidate.group(1) == "On July 20, 1969.":
            return Reply("I think it is right")  # no JSON: a judge error, left out of the judge's n
        return Reply(json.dumps({"reason": "scripted", "correct": candidate.group(1) in accept}))

    example = Path(__file__).resolve().parents[1] / "docs" / "agree-example.jsonl"
    with FakeOpenAI(rater) as server:
        args = ["agree", str(example), "--judge", "fake-model", "--judge-base-url", server.base_url]
        assert main([*args, "--reports", str(tmp_path), "--json"]) == 0
        data = json.loads(capsys.readouterr().out)
        # rows r1-r7 ruled: people say yes no yes no yes no for r2..r7 and yes for r1; the judge differs on r3
        assert (data["judge"]["n"], data["judge"]["false_accepts"], data["judge"]["false_rejects"]) == (7, 1, 0)
        assert data["judge"]["agreement"]["value"] == pytest.approx(6 / 7)
        assert data["judge_errors"] == 1
        calls = server.calls
        assert main([*args, "--reports", str(tmp_path)]) == 0  # the same rows again: all from the cache
        assert server.calls == calls
    out = capsys.readouterr().out
    assert "judge" in out and "the judge failed on 1 rows" in out


def test_the_judge_rules_on_the_corrections_of_refuted_claims(mini: Path, server: FakeOpenAI) -> None:
    args = run_args(mini, "--model", "fake-model", "--base-url", server.base_url, "--judge", "judge-model")
    for policy in ("rules", "judge"):
        assert main([*args, "--task", "factcheck", "--run-id", policy, "--judge-policy", policy]) == 0
    verdicts = judges(mini, "rules")
    assert verdicts["border-true"] is None and verdicts["drones-claim"] is None  # no correction to judge
    assert verdicts["border-false"]["accepted"] is False
    asked = next(b for b in server.requests if b["model"] == "judge-model")
    text = last_user_text(asked)
    assert 'The claim "Norway shares a border of about 300 miles with Russia." is false.' in text
    assert "REFERENCE ANSWER: 123 mi (also: 198 km)" in text and "RESPONSE: about 123 miles" in text
    agreement = report(mini, "rules")["judge"]["agreements"]
    assert [(a["measure"], a["n"], a["rules_only"]) for a in agreement] == [("correction", 1, 1)]
    assert metric(report(mini, "rules"), "factcheck_correction_accuracy") == 1.0
    assert metric(report(mini, "judge"), "factcheck_correction_accuracy") == 0.0
    assert metric(report(mini, "judge"), "factcheck_accuracy") == 1.0  # the labels are still the rules' own
