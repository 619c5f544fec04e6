"""Prompt templates: ``prompts/<task>/<version>.md``, front matter plus a body.

The body is one user message with ``{{placeholder}}`` slots. The article comes
first and the item last, so every request about one seed shares a prefix that
llama.cpp, vLLM and OpenAI can cache. A prompt's identity in reports is
``task/version`` plus the sha256 of its file.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, ValidationInfo, field_validator

from harness.errors import Problem, PromptError, yaml_problem
from harness.outputs import output_schema
from harness.tasks import TASKS, task, task_names

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
COMMON_SLOTS = frozenset({"article", "schema"})  # beside each task's own (Task.slots)
_FRONT = re.compile(r"\A---\n(.*?)\n---\n(.*)\Z", re.DOTALL)


@functools.cache
def _schema_text(task_name: str) -> str:
    """The compact schema text put in prompts; built once per task (pydantic's schema export is slow)."""
    return json.dumps(output_schema(task_name), separators=(",", ":"))


class PromptMeta(BaseModel):
    task: str
    version: str
    schema_: str | None = None
    system: str | None = None

    model_config = ConfigDict(frozen=True, extra="forbid")

    @field_validator("task", "schema_", mode="after")
    @classmethod
    def _registered(cls, name: str | None, info: ValidationInfo) -> str | None:
        known = info.context["known"] if info.context else TASKS
        if name is not None and name not in known:
            raise ValueError(f"unknown task {name!r}")
        return name


class Prompt(BaseModel):
    """A loaded, checked template."""

    model_config = ConfigDict(frozen=True)

    task: str
    version: str
    system: str | None
    body: str
    sha256: str
    path: str

    @property
    def ref(self) -> str:
        """``task/version``, as shown in reports."""
        return f"{self.task}/{self.version}"

    def render(self, values: dict[str, Any]) -> list[dict[str, str]]:
        """Chat messages for one item: optional system message, then the user message."""
        filled = {k: str(v) for k, v in values.items()}
        if "schema" not in filled:  # a judge's prompt brings its own schema text
            filled["schema"] = _schema_text(self.task)
        user = PLACEHOLDER.sub(lambda m: filled[m.group(1)], self.body)
        messages = [{"role": "system", "content": self.system}] if self.system else []
        messages.append({"role": "user", "content": user})
        return messages


def _front_fix(key: str) -> str:
    fixes = {
        "task": f"use task: one of {', '.join(task_names())}",
        "version": "use version: the file name without .md, e.g. v1",
        "schema": "use schema: the same name as task, or remove the line",
        "system": "write the system message as text",
    }
    return fixes.get(key, "see prompts/*/v1.md for the keys task, version, schema, system")


def _problem(path: Path, message: str, fix: str, field: str | None = None, line: int | None = None) -> PromptError:
    return PromptError([Problem(file=str(path), line=line, field=field, message=message, fix=fix)])


def _read(path: Path) -> tuple[bytes, str]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise _problem(path, f"cannot read it ({exc.strerror})", "check the --prompt value and the file") from None
    try:
        return raw, raw.decode("utf-8").replace("\r\n", "\n")
    except UnicodeDecodeError:
        raise _problem(path, "it is not UTF-8 text", "save the template as UTF-8") from None


def _front_matter_error(path: Path, exc: ValidationError) -> PromptError:
    errors = exc.errors()
    names = [".".join(str(p) for p in e["loc"]).replace("schema_", "schema") for e in errors]
    detail = "; ".join(f"{name}: {e['msg']}" for name, e in zip(names, errors, strict=True))
    first = names[0] or "front matter"
    fix = _front_fix(first)
    if errors[0]["type"] == "extra_forbidden":
        fix = "remove it (the keys are task, version, schema, system)"
    return _problem(path, f"bad front matter ({detail})", fix, first)


def _meta(path: Path, front_matter: str, known: Mapping[str, frozenset[str]] | None) -> PromptMeta:
    try:
        front = yaml.safe_load(front_matter)
        data = {("schema_" if k == "schema" else k): v for k, v in (front or {}).items()}
        return PromptMeta.model_validate(data, context=None if known is None else {"known": known})
    except yaml.YAMLError as exc:
        # the front matter starts on line 2, after the opening ---
        what, fix = "bad YAML in the front matter", "fix the YAML between the --- lines"
        raise PromptError([yaml_problem(str(path), exc, first_line=2, what=what, fix=fix)]) from None
    except AttributeError:
        raise _problem(
            path,
            "bad front matter (the front matter is not a mapping)",
            f"write key: value lines, e.g. task: {task_names()[0]} and version: v1",
            "front matter",
        ) from None
    except ValidationError as exc:
        raise _front_matter_error(path, exc) from None


def _check_placeholders(path: Path, slots: frozenset[str], body: str) -> None:
    used = set(PLACEHOLDER.findall(body))
    unknown = used - slots
    if unknown:
        raise _problem(
            path,
            f"unknown placeholder {{{{{sorted(unknown)[0]}}}}}",
            f"use only {', '.join('{{' + s + '}}' for s in sorted(slots))}",
            "body",
        )
    missing = slots - used - {"schema"}
    if missing:
        raise _problem(path, f"placeholder {{{{{sorted(missing)[0]}}}}} is missing", "add it to the template", "body")


def load_prompt(path: Path, known: Mapping[str, frozenset[str]] | None = None) -> Prompt:
    """Load ``prompts/<task>/<version>.md`` and check its front matter and placeholders (``known``: the
    names a prompt may serve and their slots, beside {{schema}}; default: the registered tasks')."""
    raw, text = _read(path)
    match = _FRONT.match(text)
    if match is None:
        raise _problem(path, "no front matter", "start the file with ---, task/version lines, then ---")
    meta = _meta(path, match.group(1), known)
    if meta.schema_ is not None and meta.schema_ != meta.task:
        raise _problem(
            path, f"schema {meta.schema_} does not fit task {meta.task}", f"set schema: {meta.task}", "schema"
        )
    body = match.group(2)
    slots = known[meta.task] | {"schema"} if known is not None else COMMON_SLOTS | task(meta.task).slots
    _check_placeholders(path, slots, body)
    return Prompt(
        task=meta.task,
        version=meta.version,
        system=meta.system,
        body=body,
        sha256=hashlib.sha256(raw).hexdigest(),
        path=str(path),
    )


# The version a run uses unless --prompt chooses: v1, or the task's entry here. The shipped tasks' v2
# differs from v1 in one line: every task has the same system message, so an article's requests share
# their prefix up to the article's end across tasks (a server's prompt cache then reads the article
# once per seed, not once per task and seed).
DEFAULT_VERSIONS = {"qa": "v2", "factcheck": "v2", "summary": "v2"}


def load_prompts(directory: Path, versions: dict[str, str]) -> dict[str, Prompt]:
    """The chosen version of every registered task's prompt (DEFAULT_VERSIONS, else v1, unless chosen)."""
    return {
        name: load_version(directory, name, versions.get(name, DEFAULT_VERSIONS.get(name, "v1")))
        for name in task_names()
    }


def load_version(directory: Path, name: str, version: str, known: Mapping[str, frozenset[str]] | None = None) -> Prompt:
    """``directory/<name>/<version>.md``, checked (``known`` as for ``load_prompt``)."""
    path = directory / name / f"{version}.md"
    if not path.exists():
        known_versions = sorted(p.stem for p in (directory / name).glob("*.md"))
        fix = (
            f"use --prompt {name}=VERSION with one of {', '.join(known_versions)}, or create the file"
            if known_versions
            else f"check --prompts {directory}: it should hold {name}/{version}.md"
        )
        raise _problem(path, "cannot read it (no such prompt version)", fix)
    prompt = load_prompt(path, known)
    if prompt.task != name or prompt.version != version:
        raise _problem(path, f"front matter says {prompt.ref}, the path says {name}/{version}", "make them agree")
    return prompt
