"""The `harness draft` and `harness review` subcommands: flags and what they print (the work is
harness.draft)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from harness import flags
from harness.config import RunConfig
from harness.draft import propose, review, write_drafts
from harness.errors import ConfigError
from harness.goldens import load_golden
from harness.seeds import load_seeds


def _seed_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("seed", metavar="SEED_ID", help="a seed in seeds/ (`harness init` puts one there)")
    parser.add_argument("--seeds", type=Path, default=Path("seeds"), help="folder of <seed-id>.txt articles")
    parser.add_argument("--goldens", type=Path, default=Path("goldens"), help="folder of <seed-id>.yaml goldens")


def cmd_draft(args: argparse.Namespace) -> int:
    seeds = load_seeds(args.seeds)
    if args.seed not in seeds:
        known = ", ".join(sorted(seeds)) or "none"
        raise ConfigError(f"there is no seed {args.seed!r} in {args.seeds}. Fix: use one of {known}, or `harness init`")
    golden = args.goldens / f"{args.seed}.yaml"
    if golden.exists():
        load_golden(golden, seeds)  # its problems first: no model call for a file that cannot take drafts
    config = RunConfig(models=(args.model,), base_url=args.base_url, api_key_env=args.api_key_env)
    print(f"asking {args.model} for up to {args.count} questions, claims and key facts about {args.seed} ...")
    proposals = propose(args.model, seeds[args.seed], config, args.count)
    drafted = write_drafts(golden, seeds[args.seed], proposals, seeds)
    for line in drafted.dropped:
        print(f"dropped {line}")
    print(f"{drafted.path}: {len(drafted.added)} draft items added, {len(drafted.dropped)} proposals dropped")
    if drafted.added:
        print(
            f"next: check each draft against the article, edit or delete it, then remove its `draft: true` "
            f"(or `harness review {args.seed} ID ...`, or `--all`); runs skip drafts until then"
        )
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    if not args.ids and not args.all:
        raise ConfigError("name the draft items you have checked. Fix: harness review SEED ID [ID ...], or --all")
    seeds = load_seeds(args.seeds)
    done = review(args.goldens / f"{args.seed}.yaml", None if args.all else args.ids, seeds)
    print(f"reviewed {len(done)} items" + (f": {', '.join(done)}" if done else " (there were no drafts)"))
    return 0


def add_parsers(sub: Any) -> None:
    draft = sub.add_parser(
        "draft",
        help="let a model propose questions, claims and key facts (with quotes) into a golden, as drafts",
    )
    _seed_flags(draft)
    flags.endpoint_flags(draft, many=False)
    draft.add_argument("--count", type=flags.number(int, 1, 20), default=5, help="proposals asked of each kind (1-20)")
    draft.set_defaults(handler=cmd_draft)

    reviewed = sub.add_parser("review", help="mark draft items as reviewed by a person: runs include them")
    _seed_flags(reviewed)
    reviewed.add_argument("ids", nargs="*", metavar="ID", help="the draft items you have checked")
    reviewed.add_argument("--all", action="store_true", help="every draft item of the seed")
    reviewed.set_defaults(handler=cmd_review)
