"""``python -m bench.render``: write every figure of bench/README.md from the committed data files.

    .venv/bin/python -m bench.render           # rewrite the generated blocks of bench/README.md
    .venv/bin/python -m bench.render --check   # exit 1 if the README differs from the data files

The README's figures live only between ``<!-- bench.render:NAME -->`` and
``<!-- /bench.render:NAME -->`` lines, rendered from ``bench/results.json`` (``python -m bench``),
``bench/before-after.json`` (``python -m bench.before_after``), ``bench/first-hour.json``
(``python -m bench.first_hour``) and ``bench/scale.json`` (``python -m bench.scale``); the prose around them holds
no measured number, so a new run changes the README only through this command.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
README = BENCH / "README.md"
RESULTS = BENCH / "results.json"
BEFORE_AFTER = BENCH / "before-after.json"
FIRST_HOUR = BENCH / "first-hour.json"
SCALE = BENCH / "scale.json"


def _fmt(s: dict[str, Any], digits: int = 2) -> str:
    return f"{s['median']:.{digits}f} ({s['min']:.{digits}f}-{s['max']:.{digits}f})"


def _span(values: list[float], digits: int = 2) -> str:
    return _fmt({"median": statistics.median(values), "min": min(values), "max": max(values)}, digits)


def _wire(part: dict[str, Any]) -> str | None:
    """The request-body check of a part: how many comparisons, all identical (a run stops otherwise)."""
    checks = part.get("same_request_bodies")
    if not checks:
        return None
    sides, first = " = ".join(checks[0]["sides"]), checks[0]["requests"]
    return f"identical in every check ({len(checks)} checks: {sides}; {first} requests per side in the first)"


def markdown(results: dict[str, Any]) -> str:
    """The table of every figure in a results.json, then the latency-hiding table."""
    lines = ["| figure | median (min-max) | target | met |", "|---|---|---|---|"]

    def row(name: str, value: str, target: str = "", met: bool | None = None) -> None:
        lines.append(f"| {name} | {value} | {target} | {'' if met is None else ('yes' if met else 'NO')} |")

    if "latency" in results:
        lat = results["latency"]
        for r in lat["rows"]:
            c = r["concurrency"]
            row(
                f"latency hiding C={c}, N={r['items']}: efficiency = ideal {r['ideal_s']:.2f} s / harness wall",
                _fmt(r["harness_efficiency"]),
                ">= 0.90" if c == 64 else "",
                lat["targets"]["efficiency_at_64"]["met"] if c == 64 else None,
            )
        if "throughput_256_vs_64" in lat["targets"]:
            t = lat["targets"]["throughput_256_vs_64"]
            row("throughput C=256 / C=64", f"{t['value']:.2f}", ">= 1.0 (no drop)", t["met"])
        wire = _wire(lat)
        if wire:
            row("latency hiding: request bodies sent by the bare SDK loop and the harness (sha256 of each)", wire)
    if "overhead" in results:
        o = results["overhead"]
        row(
            f"harness run / bare SDK loop, wall, zero-latency stub, N={o['items']}, C={o['concurrency']}",
            f"{_fmt(o['ratio'])} ({_fmt(o['harness_s'])} s vs {_fmt(o['bare_s'])} s)",
            "<= 1.3",
            o["targets"]["harness_vs_bare"]["met"],
        )
        row(
            "the same with the response cache on (default flags, empty cache): harness / bare",
            _fmt(o["ratio_cache_on"]),
        )
        row(
            "CPU per item: harness / bare SDK loop (ms)",
            f"{_fmt(o['harness_cpu_ms_per_item'])} / {_fmt(o['bare_cpu_ms_per_item'])}",
        )
        row("harness's own CPU per item (harness - bare, ms)", _fmt(o["own_cpu_ms_per_item"]))
        wire = _wire(o)
        if wire:
            row("overhead: request bodies sent by each side (sha256 of each)", wire)
        row("report after the run (report.json/md/html + tables, s)", _fmt(o["report_s"]))
        for key in sorted(k for k in o if k.startswith("stage_us_")):
            name = key.removeprefix("stage_us_").replace("_", " ")
            row(f"harness stage, measured alone without network: {name} (us per item)", _fmt(o[key], 0))
        if "sdk_create_us_as_sent" in o:
            row(
                "openai SDK `create` up to its HTTP layer, measured alone (us per request): the harness's "
                "request as sent (messages, response_format in extra_body) / the same as typed parameters",
                f"{_fmt(o['sdk_create_us_as_sent'], 0)} / {_fmt(o['sdk_create_us_typed_params'], 0)}",
            )
    if "cache" in results:
        k = results["cache"]
        row(
            f"cached re-run of {k['items']} items, execute phase (first item handed out to last result written)",
            f"{_fmt(k['execute_items_per_s'], 0)} items/s ({_fmt(k['execute_s'], 3)} s)",
            ">= 5000",
            k["targets"]["execute_items_per_s"]["met"],
        )
        row(
            "cached re-run, whole run phase (+ load and check inputs, plan, manifest, client, re-read)",
            f"{_fmt(k['items_per_s'], 0)} items/s ({_fmt(k['run_s'], 3)} s; setup {_fmt(k['setup_s'], 3)} s)",
            ">= 5000",
            k["targets"]["items_per_s"]["met"],
        )
        row("cached re-run: model calls", str(k["model_calls"]), "0", k["targets"]["model_calls"]["met"])
        row("cached re-run: whole process incl. interpreter start and report, s", _fmt(k["process_s"]))
    if "prefix" in results:
        p = results["prefix"]
        reuse, defeat, bare = p["document_first"], p["question_first"], p["bare_llama"]
        row(
            f"embedded model, {p['subset']}: question-first wall / document-first wall",
            f"{p['speedup']:.2f} ({defeat['run_s']:.0f} s vs {reuse['run_s']:.0f} s; one run each)",
            ">= 3",
            p["targets"]["speedup"]["met"],
        )
        row(
            "prompt tokens processed: document-first / question-first / minimum",
            f"{reuse['tokens']['processed']} / {defeat['tokens']['processed']} / {p['minimum_prompt_tokens']} "
            f"(of {p['prompt_tokens_total']}; shared prefix {p['shared_prefix_tokens']})",
        )
        row(
            "completion tokens written: document-first / question-first / bare llama.cpp",
            f"{reuse['tokens']['completion']} / {defeat['tokens']['completion']} / {bare['tokens']['completion']}",
        )
        first, rest = reuse["items"][0]["latency_s"], [r["latency_s"] for r in reuse["items"][1:]]
        asked = [r["latency_s"] for r in defeat["items"]]
        row(
            "per-request latency, s: question-first (min-max) / document-first (first request; the rest min-max)",
            f"{min(asked):.1f}-{max(asked):.1f} / {first:.1f}; {min(rest, default=first):.1f}-"
            f"{max(rest, default=first):.1f}",
        )
        timings = [r["timings"] or {} for r in bare["items"]]
        prompt_ms = sum(t.get("prompt_ms", 0.0) for t in timings)
        if prompt_ms:
            row(
                "llama.cpp prompt processing, bare server (prompt tokens per second of prompt time)",
                f"{1000 * sum(t.get('prompt_n', 0) for t in timings) / prompt_ms:.0f}",
            )
        row(
            "completion tokens per wall second: harness / bare llama.cpp (same requests)",
            f"{p['harness_completion_tokens_per_wall_s']:.1f} / {bare['completion_tokens_per_wall_s']:.1f} "
            f"(ratio {p['harness_vs_bare_generation_rate']:.2f}; llama.cpp decode alone "
            f"{bare['decode_tokens_per_s'] or 0:.1f} tok/s)",
        )
        row(
            "bare llama.cpp, same requests: prompt tokens processed / completion tokens",
            f"{bare['prompt_tokens_processed_by_llama']} / {bare['tokens']['completion']}",
        )
        row(
            "sum of per-request latency: harness (document-first) / bare llama.cpp, same requests",
            f"{p['harness_vs_bare_latency']:.2f}",
        )
    if "latency" in results:
        lines += ["", latency_table(results["latency"])]
    return "\n".join(lines)


def latency_table(lat: dict[str, Any]) -> str:
    """Latency hiding in detail: one row per concurrency."""
    out = [
        f"Latency hiding, L = {lat['latency_s'] * 1000:.0f} ms per request; median (min-max):",
        "",
        "| C | N | ideal N*L/C s | harness wall s | of which setup s | efficiency | execute phase only "
        "| items/s | bare SDK loop efficiency |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in lat["rows"]:
        out.append(
            f"| {r['concurrency']} | {r['items']} | {r['ideal_s']:.2f} | {_fmt(r['harness_s'])} "
            f"| {_fmt(r['harness_setup_s'])} | {_fmt(r['harness_efficiency'])} "
            f"| {_fmt(r['harness_execute_efficiency'])} | {_fmt(r['harness_items_per_s'], 0)} "
            f"| {_fmt(r['bare_efficiency'])} |"
        )
    return "\n".join(out)


def provenance(results: dict[str, Any]) -> str:
    """Which command made each part, when, how long it took, the load, the machine and packages."""
    m, pkgs = results["machine"], results.get("packages", {})
    memory = f", {m['memory_gib']} GiB" if m.get("memory_gib") else ""
    took = f" It took {results['total_s']:.0f} s." if "total_s" in results else ""
    out = [
        f"The latest command, `{results['command']}`, ran on {m['cpus']} CPUs, {m['platform']}{memory}, "
        f"Python {m['python']}; " + ", ".join(f"{name} {version}" for name, version in pkgs.items()) + f".{took}",
        "",
        "| part | made by | on | took | load average at its start (1, 5, 15 min) |",
        "|---|---|---|---|---|",
    ]
    for part in ("latency", "overhead", "cache", "prefix"):
        if part not in results:
            continue
        r = results[part]
        took = f"{r['part_s']:.0f} s" if "part_s" in r else ""
        load = ", ".join(f"{x:.2f}" for x in r["load_average_start"])
        out.append(f"| {part} | `{r['command']}` | {r['created']} | {took} | {load} |")
    stale = [
        part
        for part in ("latency", "overhead")
        if "same_request_bodies" not in results.get(part, {"same_request_bodies": True})
    ]
    if stale:
        out += [
            "",
            f"**Out of date**: the {' and '.join(stale)} figures were made before the bare SDK loop sent the "
            "harness's own requests. It then passed messages and response_format as typed parameters, which the "
            "harness does not, so their harness / bare figures count the SDK's typed-parameter walk against the "
            "bare loop. Re-run those parts.",
        ]
    return "\n".join(out)


def targets(results: dict[str, Any]) -> str:
    """Each issue-7 target with its figure and whether it is met."""
    out = ["| target | result | met |", "|---|---|---|"]

    def row(target: str, result: str, met: bool) -> None:
        out.append(f"| {target} | {result} | {'yes' if met else '**NO**'} |")

    lat = results.get("latency")
    if lat is not None:
        by_c = {r["concurrency"]: r for r in lat["rows"]}
        if "efficiency_at_64" in lat["targets"]:
            r = by_c[64]
            row(
                "latency hiding: efficiency >= 0.90 at C = 64, whole run",
                f"{_fmt(r['harness_efficiency'])}; the execute phase alone (setup left out) "
                f"{_fmt(r['harness_execute_efficiency'])}; the bare SDK loop {_fmt(r['bare_efficiency'])}",
                lat["targets"]["efficiency_at_64"]["met"],
            )
        if "throughput_256_vs_64" in lat["targets"]:
            t = lat["targets"]["throughput_256_vs_64"]
            row(
                "no throughput drop from C = 64 to 256",
                f"{by_c[64]['harness_items_per_s']['median']:.0f} -> {by_c[256]['harness_items_per_s']['median']:.0f}"
                f" items/s (x{t['value']:.2f})",
                t["met"],
            )
    o = results.get("overhead")
    if o is not None:
        row(
            "harness wall <= 1.3x the bare SDK loop",
            f"{_fmt(o['ratio'])}; with the default cache on {_fmt(o['ratio_cache_on'])}",
            o["targets"]["harness_vs_bare"]["met"],
        )
    k = results.get("cache")
    if k is not None:
        t = k["targets"]
        row(
            "cached re-run >= 5,000 items/s: execute phase (after planning)",
            f"{_fmt(k['execute_items_per_s'], 0)} items/s",
            t["execute_items_per_s"]["met"],
        )
        row(
            "cached re-run >= 5,000 items/s: whole `start_run` (with loading and planning)",
            f"{_fmt(k['items_per_s'], 0)} items/s",
            t["items_per_s"]["met"],
        )
        row("cached re-run: zero model calls", f"{k['model_calls']}", t["model_calls"]["met"])
    p = results.get("prefix")
    if p is not None:
        row(
            "embedded model >= 3x faster with prefix reuse",
            f"{p['speedup']:.2f} on {p['subset']}",
            p["targets"]["speedup"]["met"],
        )
    return "\n".join(out)


def before_after(ba: dict[str, Any]) -> str:
    """The before/after table of bench/before-after.json, ratios paired within each repetition."""
    runs = ba["runs"]
    old, new = ba["old"], ba.get("new", "this checkout when the file was written")

    def cell(key: str, digits: int = 2) -> str:
        return _span(runs[key], digits) if key in runs else ""

    def ratio(side: str) -> str:
        pairs = zip(runs[f"{side}_run_s"], runs["bare_run_s"], strict=True)
        return _span([a / b for a, b in pairs])

    made = f"made {ba['created']} by `{ba['command']}`; " if "command" in ba else ""
    out = [
        f"{made}{ba['items']} items, C = {ba.get('concurrency', 64)}, zero-latency stub, "
        f"{len(runs['bare_run_s'])} repetitions, median (min-max):",
        "",
        f"| | before ({old}) | after ({new}) | bare SDK loop |",
        "|---|---|---|---|",
        f"| `start_run`, no cache, s | {cell('old_run_s')} | {cell('new_run_s')} | {cell('bare_run_s')} |",
        f"| CPU per item, ms | {cell('old_cpu_ms_per_item')} | {cell('new_cpu_ms_per_item')} "
        f"| {cell('bare_cpu_ms_per_item')} |",
        f"| `start_run` / bare SDK loop, wall (paired per repetition) | {ratio('old')} | {ratio('new')} | |",
        f"| cached re-run, whole `start_run`, s | {cell('old_cached_run_s')} | {cell('new_cached_run_s')} | |",
        f"| cached re-run, execute phase, s | {cell('old_cached_execute_s')} | {cell('new_cached_execute_s')} | |",
    ]
    return "\n".join(out)


def first_hour(fh: dict[str, Any]) -> str:
    """`make run` from a fresh clone (``python -m bench.first_hour``): median (min-max) of its runs."""
    runs = fh["runs"]

    def cell(key: str, digits: int = 0) -> str:
        return _span([r[key] for r in runs], digits)

    return "\n".join(
        [
            f"made {fh['date']} at commit {fh['commit'][:8]} by `{fh['command']}`, {len(runs)} runs, median (min-max):",
            "",
            "| | figure |",
            "|---|---|",
            f"| `make run`, wall s (install excluded) | {cell('wall_s')} |",
            f"| install (`make .venv/.installed-stamp`, once), s | {fh['install_s']:.0f} |",
            f"| embedded model: items / invalid | {cell('items')} / {cell('invalid')} |",
            f"| embedded model: time in requests, s | {cell('model_s')} |",
            f"| embedded model: completion tokens | {cell('completion_tokens')} |",
            f"| floor, s: first prefill of each seed + fastest item x other items | {cell('floor_s')} |",
            f"| first prefill of each seed, summed, s | {cell('first_prefill_s')} |",
            f"| fastest item, s | {cell('per_item_min_s', 2)} |",
            f"| `make run` / floor | {_span([r['wall_s'] / r['floor_s'] for r in runs])} |",
        ]
    )


def _scale_cell(part: dict[str, Any] | None, target: str = "") -> str:
    if part is None:
        return "not measured"
    return f"{part['wall_s']:.1f} s, {part['peak_rss_mb']:.0f} MB" + (f" ({target})" if target else "")


def _check_target(row: dict[str, Any]) -> str:
    """met / NOT met for a million items' check (the target is set at that size only)."""
    check = row.get("check")
    if row["items"] != 1_000_000 or check is None:
        return ""
    return "met" if check["wall_s"] <= 60 else "NOT met"


def _rate(part: dict[str, Any] | None, cold: dict[str, Any] | None = None) -> str:
    if part is None:
        return "not measured"
    rate = f"{part['items_per_s']:.0f} ({'met' if part['items_per_s'] >= 10_000 else 'NOT met'})"
    return rate if cold is None else f"{rate}; {cold['items_per_s']:.0f} with the goldens parsed"


def scale(sc: dict[str, Any]) -> str:
    """bench/scale.json: one row per size (``python -m bench.scale``), against the issue's targets."""
    lines = [
        "| items (seeds) | run: wall, peak RSS | items/s (target >= 750) | RSS target <= 300 MB | "
        "check RUN RUN: wall, peak RSS (target <= 60 s at 1M) | batch export, items/s (target >= 10,000) | "
        "batch import, items/s (target >= 10,000) "
        "| report.json, report.html | date, load, command |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for key in sorted(sc, key=int):
        r = sc[key]
        run, batch = r["run"], r.get("batch") or {}
        export, imported = batch.get("export"), batch.get("import")
        files = r["files_mb"]
        lines.append(
            f"| {r['items']:,} ({r['seeds']}) | {_scale_cell(run)} | {run['items_per_s']:.0f} "
            f"({'met' if run['items_per_s'] >= 750 else 'NOT met'}) | "
            f"{'met' if run['peak_rss_mb'] <= 300 else 'NOT met'} | {_scale_cell(r.get('check'), _check_target(r))} | "
            f"{_rate(export, batch.get('export_cold'))} | {_rate(imported)} | "
            f"{files['report.json']:.1f} MB, {files['report.html']:.1f} MB | "
            f"{r['date'][:16]}, {r['load_avg_1m']:.2f}, `{r['command']}` |"
        )
    return "\n".join(lines)


def blocks(
    results: dict[str, Any],
    ba: dict[str, Any] | None,
    fh: dict[str, Any] | None = None,
    sc: dict[str, Any] | None = None,
) -> dict[str, str]:
    out = {"provenance": provenance(results), "results": markdown(results), "targets": targets(results)}
    if ba is not None:
        out["before-after"] = before_after(ba)
    if fh is not None:
        out["first-hour"] = first_hour(fh)
    if sc is not None:
        out["scale"] = scale(sc)
    return out


def render(text: str, generated: dict[str, str]) -> str:
    """``text`` with every generated block replaced; an unknown or missing block is an error."""
    pattern = re.compile(r"(<!-- bench\.render:([\w-]+) -->\n).*?(<!-- /bench\.render:\2 -->)", re.DOTALL)
    seen: set[str] = set()

    def fill(match: re.Match[str]) -> str:
        name = match.group(2)
        if name not in generated:
            raise KeyError(f"bench/README.md has a block {name!r} that nothing renders")
        seen.add(name)
        return f"{match.group(1)}{generated[name]}\n{match.group(3)}"

    out = pattern.sub(fill, text)
    missing = set(generated) - seen
    if missing:
        raise KeyError(f"bench/README.md lacks the blocks {sorted(missing)}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.render", description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--before-after", type=Path, default=BEFORE_AFTER)
    parser.add_argument("--readme", type=Path, default=README)
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if the README is stale")
    args = parser.parse_args(argv)
    results = json.loads(args.results.read_text(encoding="utf-8"))
    ba = json.loads(args.before_after.read_text(encoding="utf-8")) if args.before_after.exists() else None
    fh = json.loads(FIRST_HOUR.read_text(encoding="utf-8")) if FIRST_HOUR.exists() else None
    sc = json.loads(SCALE.read_text(encoding="utf-8")) if SCALE.exists() else None
    text = args.readme.read_text(encoding="utf-8")
    new = render(text, blocks(results, ba, fh, sc))
    if args.check:
        if new != text:
            print(f"{args.readme} differs from {args.results} and {args.before_after}: run python -m bench.render")
            return 1
        print(f"{args.readme} matches the data files")
        return 0
    args.readme.write_text(new, encoding="utf-8")
    print(f"wrote the figures of {args.results} and {args.before_after} into {args.readme}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
