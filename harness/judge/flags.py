"""The judge's flags on `harness run` (--judge, --judge-base-url, --judge-api-key-env, --judge-policy,
--judge-sample, --judge-consistency) and what --dry-run prints."""

from __future__ import annotations

import argparse

from rich.console import Console

from harness import api, flags
from harness.config import JUDGE_POLICIES, JudgeConfig, JudgePolicy, RunConfig
from harness.errors import ConfigError
from harness.models.local import LOCAL_MODEL


def add_flags(run: argparse.ArgumentParser, policy: str | None = "rules") -> None:
    """The --judge flags (``policy``: --judge-policy's default; None for `harness score`, where leaving it
    out keeps the run's)."""
    group = run.add_argument_group("judge", "a model's second opinion beside the rules (README: The judge)")
    add = group.add_argument
    add("--judge", default=None, type=flags.model_name, metavar="MODEL", help=f"an endpoint's model, or {LOCAL_MODEL}")
    add("--judge-base-url", type=flags.base_url, default=None, metavar="URL", help="its endpoint (default: --base-url)")
    add("--judge-api-key-env", type=flags.env_name, default=None, metavar="VAR", help="the variable with its key")
    add(
        "--judge-policy",
        choices=JUDGE_POLICIES,
        default=policy,
        help="which verdict the headline metrics count: rules (the default), judge, or both (both must accept)",
    )
    add("--judge-sample", type=flags.positive_int, default=None, metavar="N", help="judge a seeded sample of N items")
    add(
        "--judge-consistency",
        type=flags.non_negative_int,
        default=50,
        metavar="N",
        help="items judged twice, the order of the compared fields swapped (default 50)",
    )


_NEED_A_JUDGE = ("judge_base_url", "judge_api_key_env", "judge_sample")


def _no_judge_needed(args: argparse.Namespace, names: tuple[str, ...]) -> None:
    """A ConfigError when one of the flags ``names`` is given without --judge."""
    given = [name for name in names if getattr(args, name) not in (None, "rules")]
    if given:
        flag = "--" + given[0].replace("_", "-")
        raise ConfigError(f"{flag} needs a judge. Fix: add --judge MODEL (README: The judge)")


def judge_config(args: argparse.Namespace) -> JudgeConfig | None:
    """The judge the flags set up; a ConfigError when a --judge-* flag comes without --judge."""
    if args.judge is None:
        _no_judge_needed(args, (*_NEED_A_JUDGE, "judge_policy"))
        return None
    return JudgeConfig(
        model=args.judge,
        base_url=args.judge_base_url,
        api_key_env=args.judge_api_key_env,
        policy=args.judge_policy or "rules",
        sample=args.judge_sample,
        consistency=args.judge_consistency,
    )


def score_judge(args: argparse.Namespace) -> tuple[JudgeConfig | None, JudgePolicy | None]:
    """`harness score`'s judge flags: a judge to add or put in place of the run's, or only another policy."""
    if args.judge is None:
        _no_judge_needed(args, _NEED_A_JUDGE)
        return None, args.judge_policy
    return judge_config(args), None


def print_dry_run(console: Console, config: RunConfig) -> None:
    """What a run of ``config`` would send: model requests and, with a judge, its calls and tokens."""
    planned = api.dry_run(config)
    models = len(config.models)
    console.print(f"dry run: {planned.items * models} model requests ({models} models x {planned.items} items)")
    j = planned.judge
    if j is not None and config.judge is not None:
        console.print(
            f"judge {config.judge.model}: {j.calls} calls ({j.consistency_calls} of them the consistency check), "
            f"about {j.prompt_tokens:,} prompt tokens (estimated at 4 characters a token) "
            f"and at most {j.completion_tokens_max:,} completion tokens"
        )
    console.print("nothing was sent")
