"""The ``harness`` command: parse flags, call the library, print. Nothing else lives here."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from rich.console import Console
from rich.text import Text

from harness import api, draft_command, flags
from harness.agree import command as agree_command
from harness.batch import command as batch_command
from harness.compare import (
    Comparison,
    flip_rows,
    metric_rows,
    render_comparison_markdown,
    summary_line,
)
from harness.config import RunConfig
from harness.errors import ConfigError, HarnessError
from harness.goldens import Golden, golden_json_schema, load_goldens, reviewed
from harness.init import init_article
from harness.judge import flags as judge_flags
from harness.metrics import Price
from harness.models.local import LOCAL_MODEL
from harness.models.providers import is_remote
from harness.process import tune_gc
from harness.progress import reporter_for
from harness.report import (
    LEADERBOARD_NOTE,
    export_report_schema,
    load_prices,
    md_table,
    runs_leaderboard_rows,
)
from harness.report.html import render_html
from harness.report.terminal import (
    error_causes,
    judge_table,
    leaderboard_table,
    outcome_table,
    rows_table,
    transposed_table,
)
from harness.runner import RunSummary
from harness.seeds import load_seeds
from harness.tasks import TASKS, task, task_names
from harness.types import MODES, GenerationSettings

Handler = Callable[[argparse.Namespace], int]


def _describe(golden: Golden) -> str:
    line = f"{golden.seed}: ok: " + ", ".join(t.describe(golden) for t in TASKS.values())
    drafts = reviewed(golden)[1]
    if drafts:
        line += f"; {drafts} of them drafts, skipped by runs until reviewed (`harness review {golden.seed}`)"
    return line


def cmd_validate(args: argparse.Namespace) -> int:
    seeds = load_seeds(args.seeds)
    goldens = load_goldens(args.goldens, seeds)
    for golden in goldens.values():
        print(_describe(golden))
    for seed_id in seeds.keys() - goldens.keys():
        print(f"{seed_id}: no golden file; this seed is not evaluated")
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    written = init_article(args.article, args.seeds, args.goldens, args.id, args.title)
    for path in written:
        print(f"wrote {path}")
    seed_id = written[0].stem
    print(f"next: fill in {written[2]} from the article, then `harness validate` and `harness run --seed {seed_id}`")
    return 0


def cmd_export_schemas(args: argparse.Namespace) -> int:
    from harness.judge.rulings import export_ruling_schemas
    from harness.outputs import export_output_schemas

    if not args.goldens.is_dir():
        raise ConfigError(f"--goldens {args.goldens}: no such folder. Fix: pass the folder of your golden files")
    target = args.goldens / "golden.schema.json"
    try:
        target.write_text(json.dumps(golden_json_schema(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {target}")
        for path in [
            *export_output_schemas(args.prompts / "schemas"),
            *export_ruling_schemas(args.prompts / "schemas"),
        ]:
            print(f"wrote {path}")
        print(f"wrote {export_report_schema(args.reports / 'report.schema.json')}")
    except OSError as exc:
        raise ConfigError(
            f"cannot write {exc.filename}: {exc.strerror}. Fix: pass writable --goldens, --prompts, --reports"
        ) from None
    return 0


def _config_from_args(args: argparse.Namespace) -> RunConfig:
    models, endpoints = flags.models_and_endpoints(args.model) if args.model else ((LOCAL_MODEL,), {})
    flags.check_base_url(models, args.base_url, endpoints)
    try:
        return RunConfig(
            models=models,
            endpoints=endpoints,
            base_url=args.base_url,
            api_key_env=args.api_key_env,
            seeds_dir=args.seeds,
            goldens_dir=args.goldens,
            prompts_dir=args.prompts,
            reports_dir=args.reports,
            prompt_versions=flags.prompt_versions(args.prompt),
            tasks=tuple(args.task) if args.task else task_names(),
            seeds=tuple(args.seed),
            tags=tuple(args.tag),
            limit=args.limit,
            shard=args.shard,
            samples=args.samples,
            concurrency=args.concurrency,
            mode=args.mode,
            settings=GenerationSettings(
                temperature=args.temperature, max_tokens=args.max_tokens, seed=args.sample_seed, timeout=args.timeout
            ),
            use_cache=not args.no_cache,
            max_attempts=args.max_attempts,
            item_deadline_s=args.item_deadline,
            backoff_s=args.backoff,
            judge=judge_flags.judge_config(args),
            batch=args.batch,
            batch_poll_s=args.batch_poll,
        )
    except ValidationError as exc:
        err = exc.errors()[0]
        flag = "--" + str(err["loc"][-1]).replace("_", "-")
        raise ConfigError(f"{flag}: {err['msg']}. Fix: see harness run --help") from None


def cmd_run(args: argparse.Namespace) -> int:
    prices = _prices(args.prices)  # before the run: a bad price table must not cost a whole run
    console = Console()
    reporter = reporter_for(console)
    if args.dry_run:
        if args.resume:
            raise ConfigError("--dry-run plans a new run. Fix: drop --resume (or --dry-run)")
        judge_flags.print_dry_run(console, _config_from_args(args))
        return 0
    if args.resume:
        summary = api.resume(args.reports, args.resume, reporter)
    else:
        summary = api.run(_config_from_args(args), reporter, run_id=args.run_id)
    if summary.repaired_bytes:
        console.print(
            f"repaired: cut a torn last line ({summary.repaired_bytes} bytes) from results.jsonl; "
            "that item was run again"
        )
    _report(console, summary, prices)
    return 0 if summary.status == "complete" else 4


def _prices(path: Path | None) -> dict[str, Price] | None:
    return load_prices(path) if path is not None else None


def _report(console: Console, summary: RunSummary, prices: dict[str, Price] | None) -> None:
    report = api.write_run_reports(summary, prices)
    console.print(outcome_table(summary.tally))
    console.print(leaderboard_table(report))
    console.print(judge_table(report))
    causes = error_causes(summary.tally)
    if causes:
        console.print(f"{sum(summary.tally.causes.values())} items ended in an error, by cause:")
        for line in causes:
            console.print(Text(f"  {line}"))
    console.print(f"run {summary.run_id}: {summary.status}; results, report.md and report.html in {summary.folder}")
    if not any(is_remote(m) for m in summary.manifest.config.models):
        console.print("next, a real model: harness run --model NAME --base-url URL (README: Running)")


def cmd_score(args: argparse.Namespace) -> int:
    prices = _prices(args.prices)
    console = Console()
    judge, policy = judge_flags.score_judge(args)
    summary = api.score(args.reports, args.run_id, judge, policy, say=console.print)
    _report(console, summary, prices)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    flags.writable(args.md, "--md")
    flags.writable(args.html, "--html")
    console = Console()
    reports = [api.locate_report(spec, args.reports)[0] for spec in args.runs]
    console.print(transposed_table("Leaderboard: estimate [95% interval] (n)", runs_leaderboard_rows(reports), 2))
    console.print(LEADERBOARD_NOTE, markup=False)
    md = "\n".join(["# Leaderboard", "", md_table(runs_leaderboard_rows(reports)), "", LEADERBOARD_NOTE, ""])
    flags.write_text(args.md, md, console, "--md")
    flags.write_text(args.html, render_html(reports), console, "--html")
    return 0


def _print_comparison(console: Console, c: Comparison, flips: int) -> None:
    print(summary_line(c))
    console.print(rows_table("B - A, paired over shared items", metric_rows(c)))
    if c.flips:
        shown = flip_rows(c, flips)
        console.print(rows_table(f"Items that flipped ({len(shown) - 1} of {len(c.flips)} shown)", shown))


def cmd_compare(args: argparse.Namespace) -> int:
    flags.writable(args.md, "--md")
    console = Console()
    c = api.comparison(args.a, args.b, args.reports)
    _print_comparison(console, c, args.flips)
    flags.write_text(args.md, render_comparison_markdown(c), console, "--md")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    flags.writable(args.md, "--md")
    console = Console()
    try:
        c, regressions = api.check(args.baseline, args.candidate, args.reports, args.max_drop, args.alpha, args.tag)
    except HarnessError as exc:
        print(f"check: INVALID comparison, not a pass: {exc}")  # the verdict, for the CI log
        print(f"error: {exc}", file=sys.stderr)
        return 2
    _print_comparison(console, c, args.flips)
    flags.write_text(args.md, render_comparison_markdown(c), console, "--md")
    if regressions:
        print(f"check: REGRESSION ({len(regressions)}):")
        for reason in regressions:
            print(f"  - {reason}")
        return 1
    gates = f", gating tags {', '.join(args.tag)}" if args.tag else ""
    print(f"check: PASS (no drop > {args.max_drop} significant at alpha {args.alpha}{gates})")
    return 0


def _generation_flags(run: argparse.ArgumentParser) -> None:
    budgets = ", ".join(f"{name} {task(name).max_tokens}" for name in task_names())
    run.add_argument("--mode", choices=MODES, default="json_schema", help="structured-output mode to start with")
    run.add_argument("--temperature", type=flags.temperature, default=0.0)
    run.add_argument(
        "--max-tokens",
        type=flags.positive_int,
        default=None,
        help=f"completion budget per request (default: {budgets})",
    )
    run.add_argument("--sample-seed", type=int, default=None, help="sampling seed sent to the model")
    run.add_argument("--timeout", type=flags.positive_float, default=120.0, help="seconds per request")
    run.add_argument("--max-attempts", type=flags.positive_int, default=6, help="tries per item on transient faults")
    run.add_argument(
        "--item-deadline", type=flags.positive_float, default=600.0, help="seconds per item, retries included"
    )
    run.add_argument("--backoff", type=flags.positive_float, default=0.5, help="first retry wait in seconds (doubles)")


def _run_parser(sub: Any) -> None:
    run = sub.add_parser("run", help="run models on every seed and task; results land in reports/runs/RUN_ID")
    _run_flags(run)
    run.set_defaults(handler=cmd_run)


def _run_flags(run: argparse.ArgumentParser) -> None:
    """Every flag of `harness run` (`harness batch export` takes them too)."""
    _data_flags(run)
    flags.endpoint_flags(run)
    run.add_argument("--prompts", type=Path, default=Path("prompts"))
    run.add_argument("--reports", type=Path, default=Path("reports"))
    run.add_argument(
        "--prompt",
        action="append",
        default=[],
        metavar="TASK=VERSION",
        help="e.g. qa=v1 (default: v2 for the shipped tasks)",
    )
    run.add_argument("--task", action="append", choices=task_names(), default=[])
    run.add_argument("--seed", action="append", default=[], metavar="SEED_ID", help="only this seed (repeatable)")
    run.add_argument("--tag", action="append", default=[], help="only items with this tag (repeatable)")
    run.add_argument("--limit", type=flags.positive_int, default=None, help="first N work items only")
    run.add_argument(
        "--shard", type=flags.shard, default=None, metavar="I/N", help="only the I-th of N parts of the items"
    )
    run.add_argument("--samples", type=flags.positive_int, default=1, help="samples per item")
    run.add_argument("--concurrency", type=flags.positive_int, default=8)
    _generation_flags(run)
    run.add_argument("--prices", type=Path, default=None, help="YAML price table (USD per million tokens)")
    run.add_argument("--no-cache", action="store_true", help="always call the model")
    run.add_argument("--run-id", default=None, help="name the run folder")
    run.add_argument("--resume", default=None, metavar="RUN_ID", help="finish a killed run without redoing items")
    run.add_argument("--dry-run", action="store_true", help="say how many requests (and judge calls) a run sends")
    run.add_argument("--batch", action="store_true", help="through the provider's Batch API (README: Batch files)")
    run.add_argument("--batch-poll", type=flags.positive_float, default=30.0, metavar="S", help="seconds between polls")
    judge_flags.add_flags(run)


def _data_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seeds", type=Path, default=Path("seeds"), help="folder of <seed-id>.txt articles")
    parser.add_argument("--goldens", type=Path, default=Path("goldens"), help="folder of <seed-id>.yaml goldens")


def build_parser() -> argparse.ArgumentParser:
    parser = flags.Parser(
        prog="harness", description="Evaluate LLM answers, summaries and fact checks against golden facts."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = sub.add_parser("validate", help="check seeds and goldens; one line per problem")
    _data_flags(validate)
    validate.set_defaults(handler=cmd_validate)

    init = sub.add_parser("init", help="start goldens for your own article: copy it into seeds/, write a skeleton")
    init.add_argument("article", type=Path, metavar="ARTICLE.txt")
    init.add_argument("--id", default=None, help="seed id (default: from the file name)")
    init.add_argument("--title", default=None, help="the article's title, for its meta file")
    _data_flags(init)
    init.set_defaults(handler=cmd_init)

    export = sub.add_parser("export-schemas", help="write goldens/golden.schema.json and prompts/schemas/*.json")
    _data_flags(export)
    export.add_argument("--prompts", type=Path, default=Path("prompts"))
    export.add_argument("--reports", type=Path, default=Path("reports"))
    export.set_defaults(handler=cmd_export_schemas)

    score = sub.add_parser("score", help="re-score a finished run; calls no model (a judge only on changed requests)")
    score.add_argument("run_id", metavar="RUN_ID")
    score.add_argument("--reports", type=Path, default=Path("reports"))
    score.add_argument("--prices", type=Path, default=None, help="YAML price table (USD per million tokens)")
    judge_flags.add_flags(score, policy=None)
    score.set_defaults(handler=cmd_score)

    _run_parser(sub)
    _compare_parsers(sub)
    return parser


def _compare_parsers(sub: Any) -> None:
    spec = "RUN_ID, run folder or report.json, optionally @MODEL"
    report = sub.add_parser("report", help="leaderboard over runs (terminal; --md, --html files)")
    report.add_argument("runs", nargs="+", metavar="RUN", help=spec)
    report.add_argument("--reports", type=Path, default=Path("reports"))
    report.add_argument("--md", type=Path, default=None, metavar="FILE", help="also write the leaderboard as markdown")
    report.add_argument("--html", type=Path, default=None, metavar="FILE", help="also write one self-contained page")
    report.set_defaults(handler=cmd_report)

    compare_ = sub.add_parser("compare", help="paired comparison of two runs: differences, p-values, flipped items")
    compare_.add_argument("a", metavar="A", help=spec)
    compare_.add_argument("b", metavar="B", help=spec)
    compare_.add_argument("--reports", type=Path, default=Path("reports"))
    compare_.add_argument("--md", type=Path, default=None, metavar="FILE", help="also write the comparison as markdown")
    compare_.add_argument("--flips", type=flags.positive_int, default=20, help="flipped items to print (default 20)")
    compare_.set_defaults(handler=cmd_compare)

    check = sub.add_parser("check", help="regression gate: exit 0 pass, 1 regression, 2 the comparison is invalid")
    check.add_argument("--baseline", required=True, metavar="A", help=spec)
    check.add_argument("--candidate", required=True, metavar="B", help=spec)
    check.add_argument("--max-drop", type=flags.number(float, 0, 1), default=0.02, help="largest tolerated drop (0.02)")
    check.add_argument("--alpha", type=flags.number(float, 0, 0.5, open_low=True), default=0.05, help="significance")
    check.add_argument("--tag", action="append", default=[], help="any item with this tag that got worse fails")
    check.add_argument("--reports", type=Path, default=Path("reports"))
    check.add_argument("--md", type=Path, default=None, metavar="FILE", help="also write the comparison as markdown")
    check.add_argument("--flips", type=flags.positive_int, default=20, help="flipped items to print (default 20)")
    check.set_defaults(handler=cmd_check)

    agree_command.add_parser(sub)
    batch_command.add_parsers(sub, _run_flags, _config_from_args)
    draft_command.add_parsers(sub)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the process exit code."""
    tune_gc()
    try:
        args, extra = build_parser().parse_known_args(argv)
        if extra:  # argparse would blame `harness`; the flag belongs to the subcommand
            prog = f"harness {args.command}"
            raise ConfigError(f"{prog}: unrecognized arguments: {' '.join(extra)}. Fix: see '{prog} --help'")
        handler: Handler = args.handler
        return handler(args)
    except HarnessError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted; finished items are saved (resume with --resume RUN_ID)", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
