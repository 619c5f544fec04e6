"""`harness run` over real HTTP against the fake OpenAI-compatible server."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from harness.cli import main
from harness.manifest import read_manifest
from tests.conftest import PERFECT, item_text, perfect, read_jsonl, run_args
from tests.fake_openai import FakeOpenAI, Fault, Reply

KEY = "sk-test-abcdef123456"


@pytest.fixture(autouse=True)
def api_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)


def run(folder: Path, server: FakeOpenAI, *extra: str, run_id: str = "r1") -> int:
    return main(
        run_args(
            folder,
            "--model",
            "fake-model",
            "--base-url",
            server.base_url,
            "--run-id",
            run_id,
            "--backoff",
            "0.05",
            *extra,
        )
    )


def results(folder: Path, run_id: str = "r1") -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in read_jsonl(folder / "reports" / "runs" / run_id / "results.jsonl")}


def test_perfect_model_scores_every_item_correct(mini: Path, fake_perfect: FakeOpenAI) -> None:
    assert run(mini, fake_perfect) == 0
    got = results(mini)
    assert len(got) == 4 + 3 + 1
    assert {r["outcome"] for r in got.values()} == {"correct"}
    assert all(r["mode"] == "json_schema" and r["attempts"] == 1 for r in got.values())
    injured = got["mini/qa/injured#0"]
    assert injured["parsed"]["value"] == 90 and injured["grounded"] is True
    assert injured["usage"]["prompt_tokens"] == 100
    # the request carried the strict schema and the article came before the item
    request = fake_perfect.requests[0]
    assert request["response_format"]["type"] == "json_schema"
    assert request["response_format"]["json_schema"]["strict"] is True
    text = request["messages"][-1]["content"]
    assert text.index("At least 12 people") < text.index("QUESTION:")


def test_manifest_records_config_and_hashes_never_the_key(mini: Path, fake_perfect: FakeOpenAI) -> None:
    assert run(mini, fake_perfect) == 0
    folder = mini / "reports" / "runs" / "r1"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["status"] == "complete"
    assert manifest["config"]["models"] == ["fake-model"]
    assert set(manifest["seeds"]) == {"mini"} and len(manifest["seeds"]["mini"]) == 64
    assert set(manifest["prompts"]) == {"qa/v2", "factcheck/v2", "summary/v2"}
    assert "openai" in manifest["packages"]
    for path in folder.iterdir():
        assert KEY not in path.read_text(), path
    assert fake_perfect.headers[0]["Authorization"] == f"Bearer {KEY}"


def test_429_with_retry_after_is_honoured(mini: Path) -> None:
    def responder(request: dict[str, Any], seen: int) -> Reply | Fault:
        if item_text(request).startswith("How many people were injured") and seen == 1:
            return Fault("status", status=429, headers={"Retry-After": "1"})
        return perfect(request, seen)

    with FakeOpenAI(responder) as server:
        # a backoff of 0.05 s: only the server's Retry-After can make the policy wait a whole second
        assert run(mini, server, "--task", "qa", "--concurrency", "1", "--backoff", "0.05") == 0
    got = results(mini)
    assert got["mini/qa/injured#0"]["outcome"] == "correct" and got["mini/qa/injured#0"]["attempts"] == 2
    assert got["mini/qa/injured#0"]["retry_wait_s"] == 1.0
    assert {r["retry_wait_s"] for i, r in got.items() if i != "mini/qa/injured#0"} == {0.0}


@pytest.mark.parametrize(
    "fault",
    [
        Fault("status", status=500),
        Fault("status", status=503),
        Fault("status", status=502),
        Fault("status", status=429),
        Fault("reset"),
        Fault("reset_mid_body"),
        Fault("truncated_json"),
        Fault("empty_choices"),
        Fault("wrong_content_type"),
        Fault("not_json_body"),
    ],
    ids=[
        "500",
        "503",
        "502",
        "429-no-retry-after",
        "reset",
        "reset-mid-body",
        "truncated-json",
        "empty-choices",
        "wrong-content-type",
        "not-json-body",
    ],
)
def test_transient_fault_then_success_is_correct(mini: Path, fault: Fault) -> None:
    def responder(request: dict[str, Any], seen: int) -> Reply | Fault:
        return fault if seen == 1 else perfect(request, seen)

    with FakeOpenAI(responder) as server:
        assert run(mini, server, "--task", "qa") == 0
    got = results(mini)
    assert {r["outcome"] for r in got.values()} == {"correct"}
    assert {r["attempts"] for r in got.values()} == {2}


def test_an_incomplete_run_says_why_on_the_console(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def responder(request: dict[str, Any], seen: int) -> Reply | Fault:
        if item_text(request).startswith("How many people were"):
            body = json.dumps({"error": {"message": "context length exceeded:\n 9000 > 8192", "type": "x"}})
            return Fault("status", status=400, body=body)
        return perfect(request, seen)

    with FakeOpenAI(responder) as server:
        capsys.readouterr()
        assert run(mini, server, "--task", "qa") == 4
    out = capsys.readouterr().out
    assert "2 items ended in an error, by cause:" in out
    cause = next(line for line in out.splitlines() if line.startswith("  2 x fake-model: "))
    assert "context length exceeded" in cause and len(cause) <= 2 + 18 + 160, cause


def test_hang_past_timeout_is_retried_then_error_not_a_wrong_answer(mini: Path) -> None:
    def responder(request: dict[str, Any], seen: int) -> Reply | Fault:
        if item_text(request).startswith("How many people were killed"):
            return Fault("hang")
        return perfect(request, seen)

    with FakeOpenAI(responder) as server:
        code = run(mini, server, "--task", "qa", "--timeout", "0.5")
    assert code == 4  # incomplete: an item ended as error
    got = results(mini)
    killed = got["mini/qa/killed#0"]
    assert killed["outcome"] == "error"
    assert "Timeout" in killed["reason"]
    assert killed["attempts"] == 6
    assert sum(r["outcome"] == "correct" for r in got.values()) == 3
    manifest = json.loads((mini / "reports" / "runs" / "r1" / "manifest.json").read_text())
    assert manifest["status"] == "incomplete" and manifest["counts"]["error"] == 1


def test_non_json_and_schema_violating_replies_are_invalid(mini: Path) -> None:
    def responder(request: dict[str, Any], seen: int) -> Reply:
        text = item_text(request)
        if text.startswith("How many people were injured"):
            return Reply("I believe ninety people were hurt.")
        if text.startswith("How many people were killed"):
            return Reply('{"answerable": true, "answer": 12, "value": 12, "evidence": ""}')
        return perfect(request, seen)

    with FakeOpenAI(responder) as server:
        assert run(mini, server, "--task", "qa") == 0
    got = results(mini)
    assert got["mini/qa/injured#0"]["outcome"] == "invalid"
    assert got["mini/qa/injured#0"]["reason"] == "schema: the reply contains no JSON object"
    assert got["mini/qa/killed#0"]["outcome"] == "invalid"
    assert got["mini/qa/killed#0"]["reason"] == "schema: answer: 12 is not of type 'string'"
    assert got["mini/qa/killed#0"]["raw"].startswith('{"answerable"')


def test_json_extracted_from_fenced_chatty_text_in_prompt_mode(mini: Path) -> None:
    def responder(request: dict[str, Any], seen: int) -> Reply:
        body = json.dumps(PERFECT[item_text(request)])
        return Reply(f"Sure! Here is the answer:\n```json\n{body}\n```\nHope it helps.")

    with FakeOpenAI(responder) as server:
        assert run(mini, server, "--mode", "prompt") == 0
        assert all("response_format" not in r for r in server.requests)
    got = results(mini)
    assert {r["outcome"] for r in got.values()} == {"correct"}
    assert {r["mode"] for r in got.values()} == {"prompt"}


def _rejecting(modes: set[str]) -> Any:
    def responder(request: dict[str, Any], seen: int) -> Reply | Fault:
        kind = request.get("response_format", {}).get("type")
        if kind in modes:
            return Fault(
                "status",
                status=400,
                body=json.dumps(
                    {"error": {"message": f"response_format {kind} is not supported", "type": "invalid_request_error"}}
                ),
            )
        return perfect(request, seen)

    return responder


def test_a_500_naming_response_format_is_a_rejected_mode_not_a_fault(mini: Path) -> None:
    # llama-cpp-python 0.3.x answers json_schema with a 500 whose body is pydantic's complaint
    body = json.dumps(
        {
            "error": {
                "message": "[{'type': 'literal_error', 'loc': ('body', 'response_format', 'type'), "
                "'msg': \"Input should be 'text' or 'json_object'\", 'input': 'json_schema'}]",
                "type": "internal_server_error",
            }
        }
    )

    def responder(request: dict[str, Any], seen: int) -> Reply | Fault:
        if request.get("response_format", {}).get("type") == "json_schema":
            return Fault("status", status=500, body=body)
        return perfect(request, seen)

    with FakeOpenAI(responder) as server:
        assert run(mini, server, "--concurrency", "1") == 0
        sent = [r.get("response_format", {}).get("type", "prompt") for r in server.requests]
        probed = [r.get("response_format", {}).get("type", "prompt") for r in server.probes]
    got = results(mini)
    assert {r["outcome"] for r in got.values()} == {"correct"} and {r["mode"] for r in got.values()} == {"json_object"}
    assert probed == ["json_schema", "json_object"]  # settled once, before the run: no retries of a refused mode
    assert set(sent) == {"json_object"}
    assert read_manifest(mini / "reports" / "runs" / "r1").modes == {"fake-model": "json_object"}


@pytest.mark.parametrize(
    ("rejected", "final"), [({"json_schema"}, "json_object"), ({"json_schema", "json_object"}, "prompt")]
)
def test_server_rejecting_a_mode_downgrades(mini: Path, rejected: set[str], final: str) -> None:
    with FakeOpenAI(_rejecting(rejected)) as server:
        assert run(mini, server, "--concurrency", "1") == 0
        sent = [r.get("response_format", {}).get("type", "prompt") for r in server.requests]
        probed = [r.get("response_format", {}).get("type", "prompt") for r in server.probes]
    got = results(mini)
    assert {r["outcome"] for r in got.values()} == {"correct"}
    assert {r["mode"] for r in got.values()} == {final}
    # each rejected mode was probed once, and no item was ever sent in it
    assert sorted(probed) == sorted([*rejected, final]) and set(sent) == {final}


@pytest.mark.parametrize(
    ("status", "words"), [(401, "refused the API key"), (403, "access denied"), (404, "does not know this model")]
)
def test_auth_and_unknown_model_abort_with_one_message(
    mini: Path, capsys: pytest.CaptureFixture[str], status: int, words: str
) -> None:
    def responder(request: dict[str, Any], seen: int) -> Fault:
        return Fault(
            "status", status=status, body=json.dumps({"error": {"message": f"nope, key {KEY} is bad", "type": "error"}})
        )

    with FakeOpenAI(responder) as server:
        code = run(mini, server)
        calls = server.calls
    err = capsys.readouterr().err
    assert code == 3
    assert err.count("error:") == 1 and words in err and "Fix:" in err
    assert "Traceback" not in err and KEY not in err
    assert calls <= 8  # stopped at once: at most the requests already in flight
    assert not (mini / "reports" / "runs" / "r1").exists()  # refused before any result: no empty run folder


def test_a_run_refused_after_some_results_keeps_them_as_aborted(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def responder(request: dict[str, Any], seen: int) -> Reply | Fault:
        if request["model"] == "gone-model":
            return Fault("status", status=404, body=json.dumps({"error": {"message": "no such model", "type": "x"}}))
        return perfect(request, seen)

    with FakeOpenAI(responder) as server:
        assert run(mini, server, "--model", "gone-model", "--task", "qa") == 3
    folder = mini / "reports" / "runs" / "r1"
    assert json.loads((folder / "manifest.json").read_text())["status"] == "aborted"  # resumable
    assert {r["model"] for r in results(mini).values()} == {"fake-model"}


def test_wrong_key_detected_before_any_item(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with FakeOpenAI(perfect, api_key="sk-the-right-one") as server:
        code = run(mini, server)
        assert server.calls == 0
    assert code == 3
    assert "refused the API key" in capsys.readouterr().err
    assert not (mini / "reports" / "runs" / "r1").exists()


def test_unreachable_base_url_is_one_clear_error(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(run_args(mini, "--model", "m", "--base-url", "http://127.0.0.1:9/v1"))
    err = capsys.readouterr().err
    assert code == 3
    assert "cannot reach http://127.0.0.1:9/v1" in err and "Traceback" not in err


def test_second_identical_run_makes_zero_model_calls(mini: Path, fake_perfect: FakeOpenAI) -> None:
    assert run(mini, fake_perfect, run_id="first") == 0
    first_calls = fake_perfect.calls
    assert first_calls == 8
    assert run(mini, fake_perfect, run_id="second") == 0
    assert fake_perfect.calls == first_calls
    second = results(mini, "second")
    assert all(r["cached"] for r in second.values())
    assert {k: v["outcome"] for k, v in second.items()} == {k: v["outcome"] for k, v in results(mini, "first").items()}


def test_changing_one_prompt_recalls_only_its_items(mini: Path, fake_perfect: FakeOpenAI) -> None:
    assert run(mini, fake_perfect, run_id="before") == 0
    path = mini / "prompts" / "factcheck" / "v2.md"
    path.write_text(path.read_text().replace("Decide whether", "Carefully decide whether"))
    calls = fake_perfect.calls
    assert run(mini, fake_perfect, run_id="after") == 0
    assert fake_perfect.calls - calls == 3  # the three claims, nothing else


def test_no_cache_calls_again(mini: Path, fake_perfect: FakeOpenAI) -> None:
    assert run(mini, fake_perfect, run_id="a") == 0
    assert run(mini, fake_perfect, "--no-cache", run_id="b") == 0
    assert fake_perfect.calls == 16


def test_filters_and_samples_give_stable_ids(mini: Path, fake_perfect: FakeOpenAI) -> None:
    assert run(mini, fake_perfect, "--task", "qa", "--tag", "casualties", "--samples", "2") == 0
    assert sorted(results(mini)) == ["mini/qa/injured#0", "mini/qa/injured#1", "mini/qa/killed#0", "mini/qa/killed#1"]


def test_several_models_run_on_identical_items(mini: Path, fake_perfect: FakeOpenAI) -> None:
    code = main(
        run_args(
            mini,
            "--model",
            "fake-model",
            "--model",
            "baseline/lexical",
            "--base-url",
            fake_perfect.base_url,
            "--run-id",
            "r1",
        )
    )
    assert code == 0
    rows = read_jsonl(mini / "reports" / "runs" / "r1" / "results.jsonl")
    by_model: dict[str, set[str]] = {}
    for row in rows:
        by_model.setdefault(row["model"], set()).add(row["id"])
    assert by_model["fake-model"] == by_model["baseline/lexical"] and len(by_model["fake-model"]) == 8


def test_refusal_is_invalid_with_the_reason(mini: Path) -> None:
    with FakeOpenAI(lambda request, seen: Reply(None, refusal="I can't help with that.")) as server:
        assert run(mini, server, "--task", "qa") == 0
    got = results(mini)
    assert {r["outcome"] for r in got.values()} == {"invalid"}
    assert got["mini/qa/injured#0"]["raw"] == "REFUSAL: I can't help with that."


def test_reply_cut_at_the_token_limit_says_so(mini: Path) -> None:
    def responder(request: dict[str, Any], seen: int) -> Reply:
        return Reply('{"answerable": true, "answer": "ninety ninety ninety', finish_reason="length")

    with FakeOpenAI(responder) as server:
        assert run(mini, server, "--task", "qa", "--max-tokens", "16") == 0
        assert {r["max_tokens"] for r in server.requests} == {16}
    got = results(mini)["mini/qa/injured#0"]
    assert got["outcome"] == "invalid"
    assert got["reason"] == "schema: cut off at the token limit (the reply contains no JSON object)"
    assert got["finish_reason"] == "length"
