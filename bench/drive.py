"""The measured side of each benchmark, run in a fresh child process by ``python -m bench``.

``python -m bench.drive harness ...``  the harness's own run path (``start_run``, as
                                        ``harness run`` calls it), then its report
``python -m bench.drive bare ...``     a bare openai-SDK loop making the same requests at the
                                        same concurrency (AsyncOpenAI + DefaultAioHttpClient)
``python -m bench.drive llama ...``    the same requests, one at a time, straight to a bare
                                        xllamacpp server (the embedded model), with llama.cpp's
                                        own timings and the token count of every prompt

Each prints one line ``BENCH_RESULT {json}`` with wall and CPU times of the measured phase.
Times: ``run_s`` is the whole ``start_run`` (harness: load and check seeds, goldens and prompts,
plan, manifest, open the client, every item, re-read results.jsonl, final manifest) or the loop
from the first request to the last reply (bare); ``setup_s`` is the harness's part before the
first item and ``execute_s`` from there to the last result written; ``report_s`` is writing
report.json/md/html and printing the tables; ``cpu_s`` is this process's CPU during ``run_s``.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import os
import resource
import time
from pathlib import Path
from typing import Any

T_START = time.perf_counter()  # before harness and openai are imported

API_KEY_ENV = "BENCH_API_KEY"
MODEL = "bench"


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _emit(result: dict[str, Any]) -> None:
    print("BENCH_RESULT " + json.dumps(result), flush=True)


def _config(args: argparse.Namespace) -> Any:
    from harness.config import RunConfig
    from harness.tasks import task_names

    return RunConfig(
        models=(args.model,),
        base_url=args.base_url,
        api_key_env=API_KEY_ENV,
        seeds_dir=args.seeds,
        goldens_dir=args.goldens,
        prompts_dir=args.prompts,
        reports_dir=args.reports,
        concurrency=args.concurrency,
        limit=args.limit,
        seeds=tuple(args.seed),
        tasks=tuple(args.task) if args.task else task_names(),
        use_cache=not args.no_cache,
    )


class _Quiet:
    """A Reporter that prints nothing (the stdout pipe carries the result) and notes when the
    runner began handing items to the model (after loading, planning, the manifest and the
    client) and when the last result was written."""

    def __init__(self) -> None:
        self.done = 0
        self.started: float | None = None
        self.last = 0.0

    def start(self, label: str, total: int) -> None:
        if self.started is None:
            self.started = time.perf_counter()

    def advance(self, outcome: str) -> None:
        self.done += 1
        self.last = time.perf_counter()

    def stop(self) -> None:
        return None

    def warn(self, message: str) -> None:
        return None


def drive_harness(args: argparse.Namespace) -> dict[str, Any]:
    from harness import run, write_run_reports

    os.environ.setdefault(API_KEY_ENV, "bench-key")
    imported = time.perf_counter()
    config = _config(args)
    profiler = cProfile.Profile() if args.profile else None
    cpu0, t0 = _cpu(), time.perf_counter()
    if profiler is not None:
        profiler.enable()
    reporter = _Quiet()
    summary = run(config, reporter, run_id=args.run_id)
    if profiler is not None:
        profiler.disable()
    t1, cpu1 = time.perf_counter(), _cpu()
    report_s: float | None = None
    if not args.no_report:
        write_run_reports(summary)
        report_s = time.perf_counter() - t1
    if profiler is not None:
        profiler.dump_stats(args.profile)
    results = list(summary.results)
    return {
        "items": len(results),
        "status": summary.status,
        "cached": sum(r.cached for r in results),
        "errors": sum(r.outcome == "error" for r in results),
        "invalid": sum(r.outcome == "invalid" for r in results),
        "import_s": imported - T_START,
        "run_s": t1 - t0,
        "setup_s": (reporter.started or t1) - t0,
        "execute_s": reporter.last - reporter.started if reporter.started is not None else None,
        "cpu_s": cpu1 - cpu0,
        "report_s": report_s,
    }


def _requests(args: argparse.Namespace, served: str | None = None) -> list[dict[str, Any]]:
    """Exactly the ``chat.completions.create`` arguments the harness sends for these items.

    Built by the harness itself: the ``OpenAICompatModel`` that a run opens for an endpoint
    (``harness.models.providers.endpoint``, same config), asked for each item's request
    (``_request``, the method its ``complete`` sends). Its client is opened and closed here, before
    any clock starts, and never connects. The stub checks the result: ``python -m bench`` compares
    the sha256 of every request body the bare loop and the harness sent and stops if they differ.
    """
    from harness import load_inputs, plan
    from harness.models.providers import endpoint

    config = _config(args)
    items = plan(*load_inputs(config), config)

    async def build() -> list[dict[str, Any]]:
        model = endpoint(args.model, config, args.base_url, "bench-key", served=served)
        try:
            return [model._request(model.ask_of(item, config.settings), config.settings, config.mode) for item in items]
        finally:
            await model.aclose()

    return asyncio.run(build())


async def _bare_loop(base_url: str, requests: list[dict[str, Any]], concurrency: int) -> list[str | None]:
    from openai import AsyncOpenAI, DefaultAioHttpClient

    client = AsyncOpenAI(base_url=base_url, api_key="bench-key", max_retries=0, http_client=DefaultAioHttpClient())
    replies: list[str | None] = [None] * len(requests)
    next_index = 0

    async def worker() -> None:
        nonlocal next_index
        while next_index < len(requests):
            index = next_index
            next_index += 1
            response = await client.chat.completions.create(**requests[index])
            replies[index] = response.choices[0].message.content

    try:
        async with asyncio.TaskGroup() as group:
            for _ in range(min(concurrency, len(requests))):
                group.create_task(worker())
    finally:
        await client.close()
    return replies


def drive_bare(args: argparse.Namespace) -> dict[str, Any]:
    requests = _requests(args)
    cpu0, t0 = _cpu(), time.perf_counter()
    replies = asyncio.run(_bare_loop(args.base_url, requests, args.concurrency))
    t1, cpu1 = time.perf_counter(), _cpu()
    return {"items": sum(r is not None for r in replies), "run_s": t1 - t0, "cpu_s": cpu1 - cpu0}


def _post(url: str, body: dict[str, Any]) -> Any:
    import urllib.request

    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


async def _llama_loop(base_url: str, requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from openai import AsyncOpenAI, DefaultAioHttpClient

    client = AsyncOpenAI(base_url=base_url, api_key="local", max_retries=0, http_client=DefaultAioHttpClient())
    rows = []
    try:
        for request in requests:
            started = time.perf_counter()
            response = await client.chat.completions.create(**request)
            latency = time.perf_counter() - started
            usage = response.usage
            details = getattr(usage, "prompt_tokens_details", None)
            rows.append(
                {
                    "latency_s": latency,
                    "prompt_tokens": usage.prompt_tokens if usage else 0,
                    "cached_tokens": (getattr(details, "cached_tokens", 0) or 0) if details else 0,
                    "completion_tokens": usage.completion_tokens if usage else 0,
                    "timings": (response.model_extra or {}).get("timings"),
                }
            )
    finally:
        await client.close()
    return rows


def drive_llama(args: argparse.Namespace) -> dict[str, Any]:
    """The harness's requests sent one by one to a bare xllamacpp server, plus each prompt's tokens."""
    from harness.models.local import LOCAL_MODEL, local_server

    args.model = LOCAL_MODEL
    requests = _requests(args, served="smollm2-135m")  # the served name harness.runner gives it
    with local_server() as base_url:
        root = base_url.removesuffix("/v1")
        tokens = []
        for request in requests:
            prompt = _post(root + "/apply-template", {"messages": request["extra_body"]["messages"]})["prompt"]
            tokens.append(_post(root + "/tokenize", {"content": prompt})["tokens"])
        t0 = time.perf_counter()
        rows = asyncio.run(_llama_loop(base_url, requests))
        wall = time.perf_counter() - t0
    return {"items": len(rows), "run_s": wall, "requests": rows, "prompt_token_ids": tokens}


def typed(request: dict[str, Any]) -> dict[str, Any]:
    """The same request with messages and response_format as typed parameters (not extra_body)."""
    return {**{k: v for k, v in request.items() if k not in ("messages", "extra_body")}, **request["extra_body"]}


async def _create_before_http(requests: list[dict[str, Any]]) -> float:
    """Seconds per request ``chat.completions.create`` spends before its HTTP layer (its ``_post``,
    an attribute the SDK sets on each resource, replaced by a no-op): checking the arguments and
    walking the typed parameters against the SDK's TypedDicts."""
    from openai import AsyncOpenAI

    client = AsyncOpenAI(base_url="http://127.0.0.1:9/v1", api_key="bench-key", max_retries=0)
    completions = client.chat.completions

    async def no_post(*args: Any, **kwargs: Any) -> None:
        return None

    completions._post = no_post  # type: ignore[assignment]
    try:
        for request in requests[:20]:  # warm-up
            await completions.create(**request)
        t0 = time.perf_counter()
        for request in requests:
            await completions.create(**request)
        return (time.perf_counter() - t0) / len(requests)
    finally:
        await client.close()


def drive_stages(args: argparse.Namespace) -> dict[str, Any]:
    """The harness's own work per item, stage by stage, without the network: microseconds per item."""
    import tempfile

    from bench.stub import answer_for
    from harness import load_inputs, plan
    from harness.cache import request_key
    from harness.outputs import parse_output
    from harness.results import ResultsWriter
    from harness.scoring.score import score_parsed
    from harness.types import ModelReply, Usage, result_of

    with tempfile.TemporaryDirectory() as fresh:  # an empty reports folder: no golden checked before
        config = _config(args).model_copy(update={"reports_dir": Path(fresh)})
        t0 = time.perf_counter()
        load_inputs(config)  # a first command: every golden parsed and checked, then kept
        t1 = time.perf_counter()
        seeds, goldens, prompts = load_inputs(config)  # any later one: the checked goldens taken back
        t_again = time.perf_counter()
    items = plan(seeds, goldens, prompts, config)
    t2 = time.perf_counter()
    texts = [
        json.dumps(answer_for({"messages": list(i.messages), "response_format": {"json_schema": {"name": i.task}}}))
        for i in items
    ]
    identity = {"base_url": "http://127.0.0.1/v1", "model": args.model, "mode": "json_schema"}
    t3 = time.perf_counter()
    for item in items:
        request_key(identity, item, config.settings)
    t4 = time.perf_counter()
    replies = [
        ModelReply(text=text, mode="json_schema", usage=Usage(prompt_tokens=3000, completion_tokens=20), latency_s=0.1)
        for text in texts
    ]
    t5 = time.perf_counter()
    parsed = [parse_output(item.task, text) for item, text in zip(items, texts, strict=True)]
    t6 = time.perf_counter()
    verdicts = [
        score_parsed(item.task, item.item, goldens[item.seed], seeds[item.seed].text, out)
        for item, out in zip(items, parsed, strict=True)
    ]
    t7 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        writer = ResultsWriter(Path(tmp) / "results.jsonl")
        for item, reply, out, verdict in zip(items, replies, parsed, verdicts, strict=True):
            writer.append(result_of(args.model, item, reply, verdict, out.model_dump()))
        writer.close()
    t8 = time.perf_counter()
    n = len(items)
    per_item = {
        "load_and_check_inputs": t1 - t0,
        "load_inputs_checked_before": t_again - t1,
        "plan_and_render_prompts": t2 - t_again,
        "cache_key": t4 - t3,
        "reply_record": t5 - t4,
        "validate_reply_schema": t6 - t5,
        "score_against_golden": t7 - t6,
        "result_record_and_write": t8 - t7,
    }
    # What sending messages and response_format as extra_body saves the harness per request (fix 7 in
    # bench/README.md): the SDK's own work on the request as the harness sends it, and as typed parameters.
    requests = _requests(args)
    sdk = {
        "as_sent": asyncio.run(_create_before_http(requests)),
        "typed_params": asyncio.run(_create_before_http([typed(r) for r in requests])),
    }
    return {
        "items": n,
        "us_per_item": {k: 1e6 * v / n for k, v in per_item.items()},
        "sdk_create_us_per_request": {k: 1e6 * v for k, v in sdk.items()},
    }


def top_costs(profile_path: str, limit: int = 25) -> str:
    """The functions with the most cumulative time in a saved profile, as text."""
    import pstats

    out = io.StringIO()
    pstats.Stats(profile_path, stream=out).sort_stats("tottime").print_stats(limit)
    return out.getvalue()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.drive")
    parser.add_argument("kind", choices=("harness", "bare", "llama", "stages"))
    parser.add_argument("--base-url", default=None)
    parser.add_argument("--seed", action="append", default=[])
    parser.add_argument("--task", action="append", default=[])
    parser.add_argument("--model", default=MODEL)
    parser.add_argument("--seeds", type=Path, required=True)
    parser.add_argument("--goldens", type=Path, required=True)
    parser.add_argument("--prompts", type=Path, default=Path("prompts"))
    parser.add_argument("--reports", type=Path, required=True)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--run-id", default=None)
    parser.add_argument("--no-cache", action="store_true")
    parser.add_argument("--no-report", action="store_true", help="skip writing the report after the run")
    parser.add_argument("--profile", default=None, metavar="FILE", help="cProfile the run phase into FILE")
    args = parser.parse_args(argv)
    drivers = {"harness": drive_harness, "bare": drive_bare, "llama": drive_llama, "stages": drive_stages}
    _emit(drivers[args.kind](args))


if __name__ == "__main__":
    main()
