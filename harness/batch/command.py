"""`harness batch export` and `harness batch import`: their flags and what they print."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console

from harness import api
from harness.batch.export import export_batch
from harness.batch.imports import import_batch
from harness.batch.online import batch_status, cancel_batches
from harness.batch.workers import MAX_WORKERS, PARALLEL_FROM
from harness.config import RunConfig
from harness.errors import ConfigError
from harness.progress import reporter_for
from harness.runner import OpenRun, reopen_run

VLLM_RECIPE = "vllm run-batch -i {file} -o {file_stem}.out.jsonl --model MODEL"


def add_parsers(
    sub: Any, run_flags: Callable[[argparse.ArgumentParser], None], config_of: Callable[[argparse.Namespace], RunConfig]
) -> None:
    batch = sub.add_parser("batch", help="batch files for existing engines (OpenAI Batch API, vllm run-batch)")
    verbs = batch.add_subparsers(dest="verb", required=True, metavar="VERB")
    export = verbs.add_parser("export", help="write a run's requests as batch input files; send nothing")
    run_flags(export)
    export.add_argument("-o", "--out", type=Path, required=True, metavar="DIR", help="where the files go")
    export.set_defaults(handler=lambda args: cmd_export(args, config_of))
    imports = verbs.add_parser("import", help="score a batch's output (and error) files into its run")
    imports.add_argument("run_id", metavar="RUN_ID")
    imports.add_argument("files", nargs="+", type=Path, metavar="FILE")
    imports.add_argument("--reports", type=Path, default=Path("reports"))
    imports.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help=f"processes that score a file of {PARALLEL_FROM // 1_000_000} MB or more "
        f"(default: one a core up to {MAX_WORKERS}, none on one core; 0: none)",
    )
    imports.set_defaults(handler=cmd_import)
    for verb, what in (("status", "show the state of a --batch run's batches"), ("cancel", "cancel them")):
        parser = verbs.add_parser(verb, help=what)
        parser.add_argument("run_id", metavar="RUN_ID")
        parser.add_argument("--reports", type=Path, default=Path("reports"))
        parser.set_defaults(handler=cmd_status if verb == "status" else cmd_cancel)


def _batch_run(args: argparse.Namespace) -> OpenRun:
    run = reopen_run(args.reports, args.run_id, reporter_for(Console()))
    if not run.manifest.batches:
        raise ConfigError(f"run {args.run_id} has submitted no batch. Fix: name a run made with harness run --batch")
    return run


def cmd_status(args: argparse.Namespace) -> int:
    for line in batch_status(_batch_run(args)):
        print(line)
    return 0


def cmd_cancel(args: argparse.Namespace) -> int:
    for line in cancel_batches(_batch_run(args)):
        print(line)
    print(f"import what they answered and submit the rest: harness run --resume {args.run_id}")
    return 0


def cmd_export(args: argparse.Namespace, config_of: Callable[[argparse.Namespace], RunConfig]) -> int:
    for flag, given in (("--resume", args.resume), ("--dry-run", args.dry_run), ("--batch", args.batch)):
        if given:
            raise ConfigError(f"{flag} is a flag of harness run. Fix: drop it from harness batch export")
    console = Console()
    done = export_batch(config_of(args), args.out, reporter_for(console), run_id=args.run_id)
    console.print(
        f"run {done.run_id}: {done.requests} requests in {len(done.files)} files under {args.out}; nothing was sent"
    )
    for path in done.files:
        console.print(f"  {path}")
    first = done.files[0]
    console.print("answer them with the OpenAI Batch API, or on your own GPUs:")
    console.print(f"  {VLLM_RECIPE.format(file=first, file_stem=first.with_suffix(''))}", markup=False)
    console.print(f"then: harness batch import {done.run_id} OUTPUT_FILE...", markup=False)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Exit 0 when every line was read, 1 when some were not (each named on stderr)."""
    for path in args.files:
        if not path.is_file():
            raise ConfigError(f"{path}: no such file. Fix: pass the batch's output (and error) files")
    console = Console()
    if args.workers is not None and args.workers < 0:
        raise ConfigError(f"--workers {args.workers}: cannot be negative. Fix: pass 0 (none) or more")
    done = import_batch(args.reports, args.run_id, args.files, reporter_for(console), args.workers)
    for problem in done.problems:
        print(f"error: {problem}", file=sys.stderr)
    assert done.summary is not None
    api.write_run_reports(done.summary, gathered=done.gathered)
    console.print(
        f"run {args.run_id}: {done.added} results added ({done.errors} of them infrastructure errors), "
        f"{done.skipped} already there; the run is {done.summary.status}; reports in {done.summary.folder}"
    )
    return 1 if done.problems else 0
