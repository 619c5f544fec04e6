"""The command line's value types and checks: each bad value is one line that names the flag and the fix.

argparse types (``number``, ``base_url``, ``model_name``, ``env_name``), the one-line ``Parser``, and
the checks that need more than one flag (``prompt_versions``, ``check_base_url``).
"""

from __future__ import annotations

import argparse
import math
import os
import re
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlsplit

from rich.console import Console

from harness.config import Endpoint
from harness.errors import ConfigError
from harness.models.baseline import BASELINE_MODEL
from harness.models.local import LOCAL_MODEL
from harness.models.providers import is_remote
from harness.tasks import task_names


class Parser(argparse.ArgumentParser):
    """argparse, but a mistake is one line (``harness run: argument --x: ... Fix: ...``) raised as a ConfigError.

    argparse's own error() prints the whole usage block and a second line; main() prints this
    one as ``error: ...`` and exits 2. --help is untouched.
    """

    def error(self, message: str) -> NoReturn:
        text = " ".join(message.split())
        if ". Fix: " not in text:
            text += f". Fix: see '{self.prog} --help'"
        raise ConfigError(f"{self.prog}: {text}")


def number(kind: type[int] | type[float], low: float, high: float | None = None, *, open_low: bool = False) -> Any:
    """An argparse type: ``kind`` within [low, high] (or (low, high] with open_low), with a clear message."""
    noun = "a whole number" if kind is int else "a number"
    bounds = f"more than {low:g}" if open_low else f"{low:g} or more"
    if high is not None:
        bounds = f"more than {low:g} and at most {high:g}" if open_low else f"between {low:g} and {high:g}"

    def parse(text: str) -> int | float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {noun}") from None
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
        if value < low or (open_low and value == low) or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"{text!r} must be {bounds}")
        return value

    return parse


URL_EXAMPLE = "http://127.0.0.1:8000/v1"


def url_problem(text: str) -> str | None:
    """Why ``text`` is not an http(s) endpoint URL, or None."""
    try:
        parts = urlsplit(text)
        _ = parts.port  # raises ValueError on a bad port
    except ValueError:
        return "is not a URL"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "is not an http:// or https:// URL"
    return None


def base_url(text: str) -> str:
    """An argparse type: an http(s) endpoint URL."""
    problem = url_problem(text)
    if problem:
        raise argparse.ArgumentTypeError(f"{text!r} {problem}. Fix: e.g. --base-url {URL_EXAMPLE}")
    return text


def model_name(text: str) -> str:
    """An argparse type: a model name that is not empty, with a well-formed endpoint if it names one."""
    if not text.strip():
        raise argparse.ArgumentTypeError(
            f"{text!r} is empty. Fix: e.g. --model gpt-4o-mini or --model {BASELINE_MODEL}"
        )
    model_spec(text)
    return text


_ENV_PATTERN = "[A-Za-z_][A-Za-z0-9_]*"
_KEY_TAIL = re.compile(f"@({_ENV_PATTERN})$")


def model_spec(text: str) -> tuple[str, Endpoint | None]:
    """``NAME`` or ``NAME@URL`` or ``NAME@URL@KEY_VAR`` as (name, its own endpoint or None)."""
    name, sep, rest = text.partition("@http")
    if not sep:
        return text, None
    key = _KEY_TAIL.search(rest)
    url = "http" + (rest[: key.start()] if key else rest)
    problem = url_problem(url)
    if not name.strip() or problem or not is_remote(name):
        why = "has no name before @" if not name.strip() else problem or f"is served in-process ({name})"
        raise argparse.ArgumentTypeError(
            f"{text!r}: {why}. Fix: e.g. --model my-model@{URL_EXAMPLE} or my-model@{URL_EXAMPLE}@MY_KEY"
        )
    return name, Endpoint(base_url=url, api_key_env=key.group(1) if key else None)


_ENV_NAME = re.compile(f"^{_ENV_PATTERN}$")


def env_name(text: str) -> str:
    """An argparse type: the name of the variable holding the key (never the key: it is not echoed)."""
    if not _ENV_NAME.match(text):
        raise argparse.ArgumentTypeError(
            "the value is not an environment variable name (not shown: it may be the key itself). "
            "Fix: name the variable that holds the key, e.g. --api-key-env MY_KEY"
        )
    return text


def shard(text: str) -> tuple[int, int]:
    """An argparse type: ``I/N``, the I-th of N parts (1 <= I <= N)."""
    index, _, count = text.partition("/")
    if not (index.isdigit() and count.isdigit() and 1 <= int(index) <= int(count)):
        raise argparse.ArgumentTypeError(f"{text!r} is not a shard. Fix: write I/N with 1 <= I <= N, e.g. 2/4")
    return int(index), int(count)


positive_int = number(int, 1)
non_negative_int = number(int, 0)
positive_float = number(float, 0, open_low=True)
temperature = number(float, 0, 2)


_VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


def prompt_versions(values: list[str]) -> dict[str, str]:
    """--prompt TASK=VERSION values as a mapping, each checked against the registry and as a file name."""
    versions: dict[str, str] = {}
    for value in values:
        name, sep, version = value.partition("=")
        task = next((t for t in task_names() if t == name), None)
        if not sep or task is None or not version:
            raise ConfigError(
                f"--prompt {value!r} is not TASK=VERSION. Fix: e.g. --prompt qa=v2 (tasks: {', '.join(task_names())})"
            )
        if not _VERSION.match(version) or ".." in version:
            raise ConfigError(
                f"--prompt {value!r}: version {version!r} is not a file name. "
                f"Fix: name a file of prompts/{task}/ without .md, e.g. --prompt {task}=v2"
            )
        versions[task] = version
    return versions


def models_and_endpoints(specs: Sequence[str]) -> tuple[tuple[str, ...], dict[str, Endpoint]]:
    """--model values as the model names and the endpoints some of them carry; a name given twice is refused."""
    parsed = [model_spec(spec) for spec in specs]
    names = tuple(name for name, _ in parsed)
    twice = next((n for n in names if names.count(n) > 1), None)
    if twice is not None:
        raise ConfigError(
            f"--model {twice!r} is given twice, so its results would mix. Fix: name each model once "
            "(a server's alias tells two copies of one model apart)"
        )
    return names, {name: endpoint for name, endpoint in parsed if endpoint is not None}


def check_base_url(models: Sequence[str], base_url: str | None, own: Collection[str] = ()) -> None:
    """$OPENAI_BASE_URL is read when the run starts: a bad one is a configuration error, not an unreachable server."""
    env = os.environ.get("OPENAI_BASE_URL")
    if base_url is None and env and any(is_remote(m) and m not in own for m in models):
        problem = url_problem(env)
        if problem:
            raise ConfigError(f"$OPENAI_BASE_URL {env!r} {problem}. Fix: e.g. export OPENAI_BASE_URL={URL_EXAMPLE}")


def endpoint_flags(parser: argparse.ArgumentParser, many: bool = True) -> None:
    """--model (repeatable when ``many``), --base-url and --api-key-env: where models are served."""
    if many:
        parser.add_argument(
            "--model",
            action="append",
            type=model_name,
            default=[],
            metavar="NAME[@URL[@KEY_VAR]]",
            help=f"model to evaluate; repeat to compare (default {LOCAL_MODEL}; also {BASELINE_MODEL}); "
            "@URL serves this one model from its own endpoint, @KEY_VAR names its key's variable",
        )
    else:
        parser.add_argument("--model", required=True, metavar="NAME", help=f"an endpoint's model, or {LOCAL_MODEL}")
    parser.add_argument(
        "--base-url", type=base_url, default=None, help="OpenAI-compatible endpoint (default $OPENAI_BASE_URL)"
    )
    parser.add_argument(
        "--api-key-env",
        type=env_name,
        default="OPENAI_API_KEY",
        metavar="VAR",
        help="variable holding the API key",
    )


def writable(path: Path | None, flag: str) -> None:
    """Refuse an output file whose folder is missing before any work is done."""
    if path is None:
        return
    if path.is_dir():
        raise ConfigError(f"{flag} {path}: is a folder. Fix: pass a file path, e.g. {path / 'out'}")
    if not path.parent.is_dir():
        raise ConfigError(
            f"{flag} {path}: the folder {path.parent} does not exist. Fix: create it first, or pass another path"
        )


def write_text(path: Path | None, text: str, console: Console, flag: str) -> None:
    if path is None:
        return
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{flag} {path}: cannot write it ({exc.strerror}). Fix: pass a writable path") from None
    console.print(f"wrote {path}")
