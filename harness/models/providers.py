"""Which provider serves a model name, chosen by prefix from a plain registry (``PROVIDERS``).

    baseline/...    in-process reference models (``baseline/lexical``)
    local/...       the embedded model, served in this process by xllamacpp (``local/smollm2-135m``)
    anything else   an OpenAI-compatible endpoint: --base-url, else $OPENAI_BASE_URL, else OpenAI

A provider is a function ``(name, config, stack) -> (model, concurrency)``; it may enter servers
into ``stack`` (closed when the run ends). Where to add one: write the function, add its prefix.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass

from harness.config import Endpoint, RunConfig
from harness.errors import ConfigError
from harness.models import Model
from harness.models.baseline import BASELINE_MODEL, LexicalBaseline
from harness.models.local import LOCAL_MODEL, local_server
from harness.models.openai_compat import OpenAICompatModel

Provider = Callable[[str, RunConfig, ExitStack], tuple[Model, int]]


def endpoint(
    name: str,
    config: RunConfig,
    base_url: str | None,
    api_key: str,
    served: str | None = None,
    check_endpoint: bool = True,
    key_given: bool = True,
    key_env: str | None = None,
    bounded: bool = False,
) -> OpenAICompatModel:
    """An OpenAI-compatible model with the run's retry policy and structured-output mode."""
    return OpenAICompatModel(
        name,
        base_url=base_url,
        api_key=api_key,
        key_env=key_env or config.api_key_env,
        key_given=key_given,
        served_name=served,
        mode=config.mode,
        max_attempts=config.max_attempts,
        deadline_s=config.item_deadline_s,
        backoff_s=config.backoff_s,
        check_endpoint=check_endpoint,
        bounded=bounded,
    )


def _unknown(name: str, known: str) -> ConfigError:
    return ConfigError(f"unknown model {name!r}. Fix: use {known}, or a name without that prefix for an endpoint")


def _baseline(name: str, config: RunConfig, stack: ExitStack) -> tuple[Model, int]:
    if name != BASELINE_MODEL:
        raise _unknown(name, BASELINE_MODEL)
    return LexicalBaseline(), 1


def _embedded(name: str, config: RunConfig, stack: ExitStack) -> OpenAICompatModel:
    if name != LOCAL_MODEL:
        raise _unknown(name, LOCAL_MODEL)
    url = stack.enter_context(local_server())
    # One llama.cpp slot: requests in seed order reuse the cached article prefix. The server is ours and
    # up, so there is nothing for a preflight to find. Its grammar gets the bounded schemas (runaway strings
    # end at a length limit instead of the token limit).
    return endpoint(name, config, url, "local", served="smollm2-135m", check_endpoint=False, bounded=True)


def _local(name: str, config: RunConfig, stack: ExitStack) -> tuple[Model, int]:
    return _embedded(name, config, stack), 1


# Sent when the variable is unset but a base URL is given: a local server often needs no key, and the
# SDK refuses to start without one. A server that does want one answers 401 and the run says so.
NO_KEY = "no-key"


@dataclass(frozen=True)
class Address:
    """Where a remote model is served and with which key (the key itself is never written anywhere)."""

    base_url: str | None  # None: OpenAI's own
    key: str  # NO_KEY when the variable is unset and a base URL is given
    key_given: bool
    key_env: str


def address(name: str, config: RunConfig, own: Endpoint | None = None) -> Address:
    """The endpoint of a remote model: its own (``NAME@URL``, or ``own``), else --base-url or
    $OPENAI_BASE_URL, else OpenAI; its key from its own variable, else --api-key-env's."""
    own = own or config.endpoints.get(name)
    key_env = (own.api_key_env if own else None) or config.api_key_env
    key = os.environ.get(key_env)
    base_url = (own.base_url if own else None) or config.base_url or os.environ.get("OPENAI_BASE_URL")
    if not key and not base_url:
        raise ConfigError(
            f"model {name!r} needs an API key in ${key_env}. "
            f"Fix: export {key_env}=... (or name another variable with --api-key-env; "
            "a local server that needs no key: pass --base-url)"
        )
    return Address(base_url, key or NO_KEY, bool(key), key_env)


def _remote(name: str, config: RunConfig, stack: ExitStack) -> tuple[Model, int]:
    at = address(name, config)
    model = endpoint(name, config, at.base_url, at.key, key_given=at.key_given, key_env=at.key_env)
    return model, config.concurrency


PROVIDERS: dict[str, Provider] = {"baseline/": _baseline, "local/": _local}


def is_remote(name: str) -> bool:
    """Is ``name`` served by an OpenAI-compatible endpoint (no in-process provider's prefix)?"""
    return not any(name.startswith(prefix) for prefix in PROVIDERS)


def open_model(name: str, config: RunConfig, stack: ExitStack) -> tuple[Model, int]:
    """The model called ``name``, and how many requests it is driven with at once."""
    provider = next((p for prefix, p in PROVIDERS.items() if name.startswith(prefix)), _remote)
    return provider(name, config, stack)


def open_judge(config: RunConfig, stack: ExitStack) -> OpenAICompatModel:
    """The run's judge model (``config.judge``): an OpenAI-compatible endpoint (its own --judge-base-url
    and --judge-api-key-env, else the run's), or the embedded model."""
    judge = config.judge
    assert judge is not None, "a run without a judge opens none"
    if judge.model.startswith("local/"):
        return _embedded(judge.model, config, stack)
    if not is_remote(judge.model):
        raise ConfigError(
            f"--judge {judge.model}: an in-process baseline cannot judge. "
            f"Fix: name an endpoint's model, or {LOCAL_MODEL}"
        )
    own = Endpoint(base_url=judge.base_url, api_key_env=judge.api_key_env) if judge.base_url else None
    if own is None and judge.api_key_env:
        config = config.model_copy(update={"api_key_env": judge.api_key_env})
    at = address(judge.model, config, own)
    return endpoint(judge.model, config, at.base_url, at.key, key_given=at.key_given, key_env=at.key_env)
