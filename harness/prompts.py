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
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from harness.errors import Problem, PromptError, yaml_problem
from harness.outputs import TASKS, Task, output_schema

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
# What each task's items can fill in; {{article}} and {{schema}} are common to all.
SLOTS: dict[Task, frozenset[str]] = {
    "qa": frozenset({"article", "schema", "question"}),
    "factcheck": frozenset({"article", "schema", "claim"}),
    "summary": frozenset({"article", "schema", "max_words"}),
}
_FRONT = re.compile(r"\A---\n(.*?)\n---\n(.*)\Z", re.DOTALL)


@functools.cache
def _schema_text(task: Task) -> str:
    """The compact schema text put in prompts; built once per task (pydantic's schema export is slow)."""
    return json.dumps(output_schema(task), separators=(",", ":"))


class PromptMeta(BaseModel):
    task: Task
    version: str
    schema_: Task | None = None
    system: str | None = None

    model_config = ConfigDict(frozen=True, extra="forbid")


class Prompt(BaseModel):
    """A loaded, checked template."""

    model_config = ConfigDict(frozen=True)

    task: Task
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
        filled = {"schema": _schema_text(self.task), **{k: str(v) for k, v in values.items()}}
        user = PLACEHOLDER.sub(lambda m: filled[m.group(1)], self.body)
        messages = [{"role": "system", "content": self.system}] if self.system else []
        messages.append({"role": "user", "content": user})
        return messages


_FRONT_FIXES = {
    "task": f"use task: one of {', '.join(TASKS)}",
    "version": "use version: the file name without .md, e.g. v1",
    "schema": "use schema: the same name as task, or remove the line",
    "system": "write the system message as text",
}


def _problem(path: Path, message: str, fix: str, field: str | None = None, line: int | None = None) -> PromptError:
    return PromptError([Problem(file=str(path), line=line, field=field, message=message, fix=fix)])


def load_prompt(path: Path) -> Prompt:
    """Load ``prompts/<task>/<version>.md`` and check its front matter and placeholders."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise _problem(path, f"cannot read it ({exc.strerror})", "check the --prompt value and the file") from None
    try:
        text = raw.decode("utf-8").replace("\r\n", "\n")
    except UnicodeDecodeError:
        raise _problem(path, "it is not UTF-8 text", "save the template as UTF-8") from None
    match = _FRONT.match(text)
    if match is None:
        raise _problem(path, "no front matter", "start the file with ---, task/version lines, then ---")
    try:
        front = yaml.safe_load(match.group(1))
        meta = PromptMeta.model_validate({("schema_" if k == "schema" else k): v for k, v in (front or {}).items()})
    except yaml.YAMLError as exc:
        # the front matter starts on line 2, after the opening ---
        what, fix = "bad YAML in the front matter", "fix the YAML between the --- lines"
        raise PromptError([yaml_problem(str(path), exc, first_line=2, what=what, fix=fix)]) from None
    except (ValidationError, AttributeError) as exc:
        if not isinstance(exc, ValidationError):
            raise _problem(
                path,
                "bad front matter (the front matter is not a mapping)",
                f"write key: value lines, e.g. task: {TASKS[0]} and version: v1",
                "front matter",
            ) from None
        errors = exc.errors()
        names = [".".join(str(p) for p in e["loc"]).replace("schema_", "schema") for e in errors]
        detail = "; ".join(f"{name}: {e['msg']}" for name, e in zip(names, errors, strict=True))
        first = names[0] or "front matter"
        fix = _FRONT_FIXES.get(first, "see prompts/*/v1.md for the keys task, version, schema, system")
        if errors[0]["type"] == "extra_forbidden":
            fix = "remove it (the keys are task, version, schema, system)"
        raise _problem(path, f"bad front matter ({detail})", fix, first) from None
    if meta.schema_ is not None and meta.schema_ != meta.task:
        raise _problem(
            path, f"schema {meta.schema_} does not fit task {meta.task}", f"set schema: {meta.task}", "schema"
        )
    body = match.group(2)
    used = set(PLACEHOLDER.findall(body))
    unknown = used - SLOTS[meta.task]
    if unknown:
        raise _problem(
            path,
            f"unknown placeholder {{{{{sorted(unknown)[0]}}}}}",
            f"use only {', '.join('{{' + s + '}}' for s in sorted(SLOTS[meta.task]))}",
            "body",
        )
    missing = SLOTS[meta.task] - used - {"schema"}
    if missing:
        raise _problem(path, f"placeholder {{{{{sorted(missing)[0]}}}}} is missing", "add it to the template", "body")
    return Prompt(
        task=meta.task,
        version=meta.version,
        system=meta.system,
        body=body,
        sha256=hashlib.sha256(raw).hexdigest(),
        path=str(path),
    )


def load_prompts(directory: Path, versions: dict[Task, str]) -> dict[Task, Prompt]:
    """The chosen version of every task's prompt (default ``v1``)."""
    prompts = {}
    for task in TASKS:
        version = versions.get(task, "v1")
        path = directory / task / f"{version}.md"
        if not path.exists():
            known = sorted(p.stem for p in (directory / task).glob("*.md"))
            fix = (
                f"use --prompt {task}=VERSION with one of {', '.join(known)}, or create the file"
                if known
                else f"check --prompts {directory}: it should hold {task}/v1.md"
            )
            raise _problem(path, "cannot read it (no such prompt version)", fix)
        prompt = load_prompt(path)
        if prompt.task != task or prompt.version != version:
            raise _problem(
                directory / task / f"{version}.md",
                f"front matter says {prompt.ref}, the path says {task}/{version}",
                "make them agree",
            )
        prompts[task] = prompt
    return prompts
