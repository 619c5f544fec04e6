"""Fake servers that answer as the real ones do: status codes and bodies read from the public code of
llama-cpp-python, LiteLLM, vLLM, Ollama, SGLang and llama.cpp (docs/servers.md says which file each
comes from). A profile says, for one server, how it answers: a json_schema request, a wrong key, a
model name it does not serve, a prompt longer than its context, and where it reports cached tokens.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.conftest import item_text, perfect
from tests.fake_openai import Action, FakeOpenAI, Fault, Reply

Answer = tuple[int, dict[str, Any]]  # status, JSON body
SERVED = "served-model"
LONG_ITEM = "write the summary."  # the item that carries the whole article: the one a small context refuses


@dataclass(frozen=True)
class Profile:
    name: str
    models: tuple[str, ...]  # what GET /v1/models lists
    wrong_key: Answer | None  # None: the server checks no key (Ollama)
    unknown_model: Answer | None  # None: any name is answered by the served model
    too_long: Answer | None  # None: the prompt is cut silently (Ollama)
    json_schema: Answer | None = None  # how a json_schema request is refused; None: served
    open_models: bool = False  # GET /v1/models needs no key
    cached: dict[str, Any] = field(default_factory=dict)  # usage fields, and "timings" at the top level


def _openai(message: str, kind: str, code: Any = None, **more: Any) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "param": None, "code": code, **more}}


PROFILES = (
    Profile(
        "llama-cpp-python 0.3",
        models=("/models/SmolLM2-135M-Instruct.Q4_1.gguf",),
        wrong_key=(401, {"detail": "Invalid API key"}),
        unknown_model=None,
        too_long=(
            400,
            _openai(
                "This model's maximum context length is 2048 tokens. However, you requested 2100 tokens (2100 in "
                "the messages, None in the completion). Please reduce the length of the messages or completion.",
                "invalid_request_error",
                "context_length_exceeded",
            ),
        ),
        json_schema=(
            500,
            _openai(
                "[{'type': 'literal_error', 'loc': ('body', 'response_format', 'type'), 'msg': \"Input should be "
                "'text' or 'json_object'\", 'input': 'json_schema'}]",
                "internal_server_error",
            ),
        ),
    ),
    Profile(
        "LiteLLM proxy 1.108 (no database)",
        models=(SERVED,),
        wrong_key=(400, _openai("No connected db.", "no_db_connection", "400")),
        unknown_model=(
            400,
            _openai(
                "{'error': '/chat/completions: Invalid model name passed in model=nosuchmodel. Call `/v1/models` "
                "to view available models for your key.'}",
                "None",
                "400",
            ),
        ),
        too_long=(400, _openai("litellm.ContextWindowExceededError: maximum context length exceeded", "None", "400")),
        cached={"prompt_tokens_details": {"cached_tokens": 64}},
    ),
    Profile(
        "vLLM",
        models=(SERVED,),
        wrong_key=(401, {"error": "Unauthorized"}),
        unknown_model=(
            404,
            {
                "object": "error",
                "message": "The model `nosuchmodel` does not exist.",
                "type": "NotFoundError",
                "param": None,
                "code": 404,
            },
        ),
        too_long=(
            400,
            {
                "object": "error",
                "message": "This model's maximum context length is 2048 tokens. However, you "
                "requested 2100 tokens (2100 in the messages, 16 in the completion).",
                "type": "BadRequestError",
                "param": None,
                "code": 400,
            },
        ),
        cached={"prompt_tokens_details": {"cached_tokens": 64}},
    ),
    Profile(
        "Ollama",
        models=("smollm2:135m",),
        wrong_key=None,
        unknown_model=(404, _openai("model 'nosuchmodel' not found", "not_found_error")),
        too_long=None,
    ),
    Profile(
        "SGLang",
        models=(SERVED,),
        wrong_key=(401, {"error": "Unauthorized"}),
        unknown_model=None,
        too_long=(
            400,
            {
                "object": "error",
                "message": "The input (9000 tokens) is longer than the model's context length (8192 tokens).",
                "type": "BadRequestError",
                "param": None,
                "code": 400,
            },
        ),
        cached={"prompt_tokens_details": {"cached_tokens": 64}},
    ),
    Profile(
        "llama.cpp server",
        models=("smollm2-135m",),
        wrong_key=(401, {"error": {"code": 401, "message": "Invalid API Key", "type": "authentication_error"}}),
        unknown_model=None,
        too_long=(
            400,
            {
                "error": {
                    "code": 400,
                    "message": "request (9412 tokens) exceeds the available context size (8192 "
                    "tokens), try increasing it",
                    "type": "exceed_context_size_error",
                    "n_prompt_tokens": 9412,
                    "n_ctx": 8192,
                }
            },
        ),
        open_models=True,
        cached={"prompt_tokens_details": {"cached_tokens": 64}, "timings": {"cache_n": 64, "prompt_n": 36}},
    ),
)


def _fault(answer: Answer) -> Fault:
    status, body = answer
    return Fault("status", status=status, body=json.dumps(body))


def responder(profile: Profile, long_fails: bool = False) -> Callable[[dict[str, Any], int], Action]:
    """Answers every item right, as ``profile``'s server would frame it."""

    def respond(request: dict[str, Any], seen: int) -> Action:
        if profile.json_schema and request.get("response_format", {}).get("type") == "json_schema":
            return _fault(profile.json_schema)
        if profile.unknown_model and request.get("model") not in profile.models:
            return _fault(profile.unknown_model)
        reply = perfect(request, seen)
        if long_fails and profile.too_long and item_text(request) == LONG_ITEM:
            return _fault(profile.too_long)
        usage = {k: v for k, v in profile.cached.items() if k != "timings"}
        extra = {"timings": profile.cached["timings"]} if "timings" in profile.cached else {}
        return Reply(reply.content, usage=usage, extra=extra)

    return respond


def serve(profile: Profile, key: str | None = None, long_fails: bool = False) -> FakeOpenAI:
    """A fake of ``profile``'s server; with ``key`` it wants that key and refuses others as the server does."""

    def refuse(request: web.Request) -> web.Response:
        assert profile.wrong_key is not None
        status, body = profile.wrong_key
        return web.json_response(body, status=status)

    return FakeOpenAI(
        responder(profile, long_fails),
        api_key=key if profile.wrong_key else None,
        models=profile.models,
        refuse=refuse,
        open_models=profile.open_models,
    )
