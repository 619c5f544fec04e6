"""Any OpenAI-compatible endpoint, through the official openai SDK (async client).

Retries are ours (``harness.models.retries``), not the SDK's; this module says only what is the
SDK's own: 429 (with its Retry-After), 5xx, timeouts, dropped connections and garbled bodies are
transient; a 400/422 naming response_format means the server rejects the mode (the shared
``ModeLadder`` steps down); 401/403 and an unknown model raise ModelError so the run stops at once
with one message.
"""

from __future__ import annotations

import functools
import json
import time
from dataclasses import replace
from typing import Any

import openai
import pydantic
from openai import AsyncOpenAI, DefaultAioHttpClient

from harness.errors import ModelError
from harness.models import Ask, Preflight
from harness.models.retries import ModeLadder, RetryPolicy, Tally, retried
from harness.outputs import bounded_schema, output_schema
from harness.tasks import max_tokens_for
from harness.types import GenerationSettings, Mode, ModelReply, Usage, WorkItem

# One schema dict per task, shared read-only by every request (pydantic's schema export is slow).
_schema = functools.cache(output_schema)
_bounded = functools.cache(bounded_schema)


class _Garbled(Exception):
    """A 200 reply the SDK could parse but that carries no usable choice."""


_TRANSIENT = (
    openai.RateLimitError,
    openai.InternalServerError,
    openai.APITimeoutError,
    openai.APIConnectionError,
    openai.APIResponseValidationError,
    _Garbled,
)


def _is_transient(exc: BaseException) -> bool:
    if isinstance(exc, _TRANSIENT):
        return True
    # 5xx codes the SDK does not map to InternalServerError (e.g. 502/503 from proxies)
    return isinstance(exc, openai.APIStatusError) and exc.status_code >= 500


def _retry_after(exc: BaseException) -> float | None:
    response = getattr(exc, "response", None)
    value = None if response is None else response.headers.get("retry-after")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def rejects_mode(exc: openai.APIStatusError) -> bool:
    """Does the server refuse the structured-output mode? A 400/422 naming it, or a 500 whose body names
    response_format (llama-cpp-python answers json_schema with a 500 carrying pydantic's complaint)."""
    text = str(exc).lower()
    if exc.status_code in (400, 422):
        return any(word in text for word in ("response_format", "json_schema", "json_object", "structured"))
    return exc.status_code == 500 and "response_format" in text


# The probe that settles the mode before a run: one short answer in the mode being tried.
PROBE_TEXT = 'Reply with this JSON object and nothing else: {"ok": true}'
PROBE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"ok": {"type": "boolean"}},
    "required": ["ok"],
    "additionalProperties": False,
}


def _response_format(mode: Mode, name: str, schema: dict[str, Any]) -> dict[str, Any]:
    """The request's response_format for ``mode``: json_object carries the schema too, which servers built
    on llama.cpp (llama.cpp, llama-cpp-python, Ollama) turn into a grammar and others ignore."""
    if mode == "json_schema":
        spec = {"name": name, "schema": schema, "strict": True}
        return {"response_format": {"type": "json_schema", "json_schema": spec}}
    if mode == "json_object":
        return {"response_format": {"type": "json_object", "schema": schema}}
    return {}


def field_of(obj: Any, name: str) -> Any:
    """``getattr(obj, name, None)``, without the AttributeError a pydantic object (the SDK's responses)
    raises and formats for a field it lacks: ~5 µs each, several a reply. Declared fields are in its
    ``__dict__``, fields the server added in ``__pydantic_extra__``."""
    if not isinstance(obj, pydantic.BaseModel):
        return getattr(obj, name, None)
    found = obj.__dict__.get(name)
    if found is None and obj.__pydantic_extra__:
        found = obj.__pydantic_extra__.get(name)
    return found


def _cached_tokens(response: Any) -> int:
    """Prompt tokens the server served from its prefix cache, from whichever field it fills: OpenAI's
    ``prompt_tokens_details.cached_tokens`` (vLLM, LiteLLM, llama.cpp too), ``cache_read_input_tokens``
    (LiteLLM for Anthropic), ``prompt_cache_hit_tokens`` (DeepSeek), llama.cpp's ``timings.cache_n``."""
    usage = field_of(response, "usage")
    details = field_of(usage, "prompt_tokens_details")
    timings = field_of(response, "timings")
    found = [
        field_of(details, "cached_tokens"),
        field_of(usage, "cache_read_input_tokens"),
        field_of(usage, "prompt_cache_hit_tokens"),
        timings.get("cache_n") if isinstance(timings, dict) else None,
    ]
    return next((int(n) for n in found if isinstance(n, int | float) and not isinstance(n, bool) and n > 0), 0)


def reply_of(response: Any, mode: Mode, latency_s: float = 0.0, attempts: int = 1, waited_s: float = 0.0) -> ModelReply:
    """The ModelReply of a chat completion: the text (or the refusal), tokens, finish reason."""
    choice = response.choices[0]
    message = choice.message
    usage = response.usage
    text = message.content
    refusal = field_of(message, "refusal")
    if text is None and refusal:
        text = f"REFUSAL: {refusal}"
    return ModelReply(
        text=text,
        mode=mode,
        usage=Usage(
            prompt_tokens=field_of(usage, "prompt_tokens") or 0,
            completion_tokens=field_of(usage, "completion_tokens") or 0,
            cached_tokens=_cached_tokens(response),
        ),
        latency_s=latency_s,
        attempts=attempts,
        retry_wait_s=waited_s,
        finish_reason=choice.finish_reason,
    )


class OpenAICompatModel:
    """One model name at one OpenAI-compatible base URL."""

    def __init__(
        self,
        name: str,
        *,
        base_url: str | None,
        api_key: str,
        key_env: str = "OPENAI_API_KEY",
        key_given: bool = True,
        served_name: str | None = None,
        mode: Mode = "json_schema",
        max_attempts: int = 6,
        deadline_s: float = 600.0,
        backoff_s: float = 0.5,
        max_backoff_s: float = 20.0,
        check_endpoint: bool = True,
        bounded: bool = False,
    ) -> None:
        self.name = name
        self._bounded = bounded  # send ``bounded_schema`` (the embedded server's grammar stops runaway strings)
        self._check_endpoint = check_endpoint
        self._served = served_name or name
        self._base_url = base_url
        self._secret = api_key
        self._key_env = key_env
        self._key_given = key_given
        self._modes = ModeLadder(mode)
        self._policy = RetryPolicy(max_attempts, deadline_s, backoff_s, max_backoff_s)
        self._client = AsyncOpenAI(
            base_url=base_url, api_key=api_key, max_retries=0, http_client=DefaultAioHttpClient()
        )

    @property
    def _url(self) -> str:
        """The base URL as the user wrote it (the SDK keeps a trailing slash: ".../v1/")."""
        return str(self._client.base_url).rstrip("/")

    def cache_identity(self) -> dict[str, Any]:
        identity = {"base_url": str(self._client.base_url), "model": self._served, "mode": self._modes.first}
        return {**identity, "bounded": True} if self._bounded else identity

    async def preflight(self, mode: Mode | None = None) -> Preflight:
        """Fail the run at once, with one message, when the endpoint is unreachable or refuses the key; warn
        when it lists its models and this one is not among them; settle the structured-output mode with one
        small probe (``mode``: the one a resumed run settled, used without a probe)."""
        if mode is not None:
            self._modes.current = mode  # the cache identity keeps the configured mode (``first``)
            return Preflight(mode=mode)
        if not self._check_endpoint:
            return Preflight()
        warning = await self._listed()
        return Preflight(mode=await self._probe(), warning=warning)

    async def _listed(self) -> str | None:
        """None when /models lists this model (or lists nothing usable); else the warning to show."""
        try:
            listed = await self._client.models.list(timeout=15.0)
        except openai.APIConnectionError:
            raise ModelError(
                f"model {self.name!r}: cannot reach {self._url}. "
                "Fix: start the server or correct --base-url (it usually ends with /v1)"
            ) from None
        except openai.APIStatusError as exc:
            if isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
                raise self._fatal(exc) from None  # type: ignore[misc]
            return None  # servers without /models (404) or with odd answers are still worth trying
        ids = [m.id for m in getattr(listed, "data", None) or [] if getattr(m, "id", None)]
        if not ids or self._served in ids:
            return None
        shown = ", ".join(ids[:5]) + (", ..." if len(ids) > 5 else "")
        return (
            f"model {self.name!r}: {self._url} lists {shown}, not {self._served!r}; going on (some servers answer "
            "any name with their one model). Fix: pass one of the listed names as --model"
        )

    async def _probe(self) -> Mode | None:
        """The mode the server accepts, found with one tiny request per mode tried (stepping down on a
        rejected response_format); None when the probe could not tell (a timeout, a 5xx): each item then
        steps down on its own."""
        while True:
            mode = self._modes.current
            body: dict[str, Any] = {"messages": [{"role": "user", "content": PROBE_TEXT}]}
            body.update(_response_format(mode, "probe", PROBE_SCHEMA))
            try:
                await self._client.chat.completions.create(
                    model=self._served, messages=[], max_tokens=16, temperature=0, timeout=120.0, extra_body=body
                )
            except openai.APIStatusError as exc:
                if self._stepped_down(exc, mode):
                    continue
                return None
            except (openai.APIError, json.JSONDecodeError):
                return None
            return mode

    def _redact(self, text: str) -> str:
        if self._secret and len(self._secret) >= 4:
            text = text.replace(self._secret, "***")
        return text

    def _stepped_down(self, exc: openai.APIStatusError, mode: Mode) -> bool:
        """Raise the run-stopping error a 401, 403 or 404 means; else True when the server rejected
        ``mode``'s response_format and a lower mode is left to try."""
        fatal = self._fatal(exc)
        if fatal is not None:
            raise fatal from None
        return rejects_mode(exc) and self._modes.step_down(mode)

    def _fatal(self, exc: openai.APIStatusError) -> ModelError | None:
        where = f"model {self.name!r} at {self._url}"
        if isinstance(exc, openai.AuthenticationError) and not self._key_given:
            return ModelError(
                f"{where}: the server wants an API key (401) and ${self._key_env} is not set. "
                f"Fix: export {self._key_env}=... (or name another variable with --api-key-env VAR)"
            )
        if isinstance(exc, openai.AuthenticationError):
            return ModelError(
                f"{where}: the server refused the API key in ${self._key_env} (401). "
                f"Fix: put a valid key in ${self._key_env}, or name another variable with --api-key-env VAR"
            )
        says = self._says(exc)
        if isinstance(exc, openai.PermissionDeniedError):
            return ModelError(f"{where}: access denied (403{says}). Fix: use a key allowed to call this model")
        if isinstance(exc, openai.NotFoundError):
            return ModelError(
                f"{where}: the server does not know this model or path (404{says}). "
                "Fix: check --model and that --base-url ends with /v1"
            )
        return None

    def _says(self, exc: openai.APIStatusError) -> str:
        """The server's own message, as ': "..."' (one line, key redacted), or "" when it gave none."""
        body = exc.body
        inner = body.get("error", body) if isinstance(body, dict) else body
        message = inner.get("message") or inner.get("detail") if isinstance(inner, dict) else inner
        if not isinstance(message, str) or not message.strip():
            return ""
        return f': "{self._redact(message.splitlines()[0].strip())[:200]}"'

    def _request(self, ask: Ask, settings: GenerationSettings, mode: Mode) -> dict[str, Any]:
        body: dict[str, Any] = {"messages": list(ask.messages)}
        body.update(_response_format(mode, ask.name, ask.schema))
        params: dict[str, Any] = {
            "model": self._served,
            "temperature": settings.temperature,
            "max_tokens": ask.max_tokens,
            "timeout": settings.timeout,
        }
        if settings.seed is not None:
            params["seed"] = settings.seed
        # The SDK walks every typed parameter against its TypedDicts to apply aliases: about 0.25 ms of CPU
        # per request for the two messages (bench/README.md, the row for the SDK's `create`).
        # Messages and response_format are plain JSON with no aliases, so they go as extra_body, which
        # the SDK merges into the request body as it is: the server receives the same JSON.
        return {**params, "messages": [], "extra_body": body}

    async def _once(self, ask: Ask, settings: GenerationSettings) -> tuple[Any, Mode]:
        while True:
            mode = self._modes.current
            try:
                response = await self._client.chat.completions.create(**self._request(ask, settings, mode))
            except json.JSONDecodeError as exc:
                # The SDK lets a 200 whose body is not JSON (cut short, a proxy's text) escape as a bare
                # JSONDecodeError; it is a garbled transfer like a dropped connection, so it is retried.
                raise _Garbled(f"the reply body is not valid JSON ({exc.msg} at char {exc.pos})") from None
            except openai.APIStatusError as exc:
                if self._stepped_down(exc, mode):
                    continue
                raise
            if not getattr(response, "choices", None):
                raise _Garbled("the reply has no choices")
            return response, mode

    def ask_of(self, item: WorkItem, settings: GenerationSettings) -> Ask:
        """A work item's request: its messages, its task's schema (bounded for the embedded server)."""
        schema = _bounded(item.task) if self._bounded else _schema(item.task)
        return Ask(item.messages, item.task, schema, max_tokens_for(settings, item.task))

    def body_of(self, item: WorkItem, settings: GenerationSettings) -> dict[str, Any]:
        """The JSON body ``complete`` sends for ``item`` in the current mode, as the server receives it (the
        SDK merges ``extra_body`` into the parameters): a batch file's ``body``."""
        request = self._request(self.ask_of(item, settings), settings, self._modes.current)
        params = {k: v for k, v in request.items() if k not in ("timeout", "messages", "extra_body")}
        return {**params, **request["extra_body"]}

    @property
    def client(self) -> AsyncOpenAI:
        """The SDK client (the Batch API's files and batches go through it: harness/batch/online.py)."""
        return self._client

    @property
    def mode(self) -> Mode:
        """The structured-output mode requests are sent in now."""
        return self._modes.current

    async def complete(self, item: WorkItem, settings: GenerationSettings) -> ModelReply:
        return await self.ask(self.ask_of(item, settings), settings)

    async def ask(self, ask: Ask, settings: GenerationSettings) -> ModelReply:
        """One chat request (a work item's, or a judge's), retried by the run's policy; an infrastructure
        failure comes back as the reply's ``error``."""
        if self._bounded and ask.bounded is not None:
            ask = replace(ask, schema=ask.bounded)
        started = time.perf_counter()
        tally = Tally()
        try:
            response, mode = await retried(
                lambda: self._once(ask, settings),
                tally,
                policy=self._policy,
                transient=_is_transient,
                hint=_retry_after,
            )
        except ModelError:
            raise
        except (TimeoutError, openai.APIError, _Garbled) as exc:
            return ModelReply(
                text=None,
                error=self._redact(f"{type(exc).__name__}: {exc}")[:500],
                mode=self._modes.current,
                latency_s=time.perf_counter() - started,
                attempts=tally.attempts,
                retry_wait_s=tally.waited_s,
            )
        return reply_of(response, mode, time.perf_counter() - started, tally.attempts, tally.waited_s)

    async def aclose(self) -> None:
        await self._client.close()
