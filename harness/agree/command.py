"""The `harness agree` subcommand: its flags and what it prints (the work is harness.agree.agree)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import Progress, track

from harness import flags
from harness.agree import agree
from harness.agree.render import agree_markdown, agree_tables
from harness.agree.rows import TYPES, Row
from harness.config import JudgeConfig, RunConfig
from harness.errors import ConfigError, InputError
from harness.judge.people import judge_rows
from harness.matching.rules import RULES, without


def add_parser(sub: Any) -> None:
    parser = sub.add_parser(
        "agree",
        help="measure the answer matcher against people's yes/no on a JSONL file (calibrate the scorer)",
        description="Judge every row of FILE (JSONL or .jsonl.gz: question, answers, candidate, human, "
        "optional type and id) with the qa task's matcher and report how often it agrees with the people.",
    )
    parser.add_argument("file", type=Path, metavar="FILE")
    parser.add_argument(
        "--type", dest="as_type", choices=TYPES, default=None, help="type of rows without one (default: inferred)"
    )
    parser.add_argument("--by", default=None, metavar="FIELD", help="also break agreement down by this field")
    parser.add_argument(
        "--examples", type=flags.non_negative_int, default=5, metavar="N", help="disagreements shown of each kind"
    )
    parser.add_argument("--limit", type=flags.positive_int, default=None, metavar="N", help="first N rows only")
    parser.add_argument("--without", default=None, metavar="RULE[,RULE]", help=f"switch rules off: {', '.join(RULES)}")
    parser.add_argument("--ablation", action="store_true", help="also measure the harness with each rule off in turn")
    parser.add_argument("--json", action="store_true", help="write one JSON document to stdout instead of tables")
    parser.add_argument("--md", type=Path, default=None, metavar="FILE", help="also write the tables as markdown")
    judge = parser.add_argument_group("judge", "measure a judge model against the people too (README: The judge)")
    judge.add_argument("--judge", default=None, type=flags.model_name, metavar="MODEL", help="an endpoint's model")
    judge.add_argument("--judge-base-url", type=flags.base_url, default=None, metavar="URL", help="its endpoint")
    judge.add_argument("--judge-api-key-env", type=flags.env_name, default="OPENAI_API_KEY", metavar="VAR")
    judge.add_argument("--prompts", type=Path, default=Path("prompts"), help="holds judge/answer/v1.md")
    judge.add_argument("--reports", type=Path, default=Path("reports"), help="holds the reply cache")
    judge.add_argument("--concurrency", type=flags.positive_int, default=8, help="judge requests at once")
    parser.set_defaults(handler=cmd_agree)


def _judge(args: argparse.Namespace, err: Console) -> Callable[[list[Row]], list[bool | None]] | None:
    """The judge's verdicts on the rows, with a progress bar; None without --judge."""
    if args.judge is None:
        return None
    config = RunConfig(
        base_url=args.judge_base_url,
        api_key_env=args.judge_api_key_env,
        prompts_dir=args.prompts,
        reports_dir=args.reports,
        concurrency=args.concurrency,
        judge=JudgeConfig(model=args.judge),
    )

    def rule(rows: list[Row]) -> list[bool | None]:
        with Progress(console=err, transient=True, disable=args.json) as bar:
            task = bar.add_task(f"judge {args.judge}", total=len(rows))
            return judge_rows(rows, config, lambda: bar.advance(task))

    return rule


def _command(args: argparse.Namespace) -> str:
    """The command that made a report, for the markdown it writes."""
    words = ["harness", "agree", str(args.file)]
    for flag, value in (
        ("--type", args.as_type),
        ("--by", args.by),
        ("--limit", args.limit),
        ("--without", args.without),
    ):
        if value is not None:
            words += [flag, str(value)]
    return " ".join([*words, "--ablation"] if args.ablation else words)


def cmd_agree(args: argparse.Namespace) -> int:
    """Exit 0 when every row was read, 1 when some were bad (each named on stderr) or none was good."""
    if not args.file.is_file():
        raise ConfigError(f"{args.file}: no such file. Fix: pass a JSONL or .jsonl.gz file of labelled answers")
    try:
        rules = without(args.without)
    except ValueError as exc:
        raise ConfigError(f"--without: {exc}. Fix: name rules from that list") from None
    err = Console(stderr=True)

    def progress(names: Iterable[str]) -> Iterable[str]:
        return track(names, description="rules off in turn", console=err, transient=True, disable=args.json)

    report, problems = agree(
        args.file,
        as_type=args.as_type,
        by=args.by,
        examples=args.examples,
        limit=args.limit,
        rules=rules,
        with_ablation=args.ablation,
        progress=progress,
        judge=_judge(args, err),
    )
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    if not report.rows:
        raise InputError(f"{args.file}: no row to measure. Fix: see the lines above, or pass a file with rows")
    if args.md is not None:
        args.md.write_text(agree_markdown(report, _command(args)), encoding="utf-8")
    if args.json:
        print(report.model_dump_json(indent=2))
    else:
        Console(soft_wrap=False).print(agree_tables(report))
    return 1 if problems else 0
