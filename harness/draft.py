"""`harness draft SEED --model M`: a model proposes golden items; a person decides.

The model is asked once (prompts/draft/v1.md) for questions, claims and key facts, each with a quote
from the article. A proposal whose quote is not verbatim in the article, or that the golden format
rejects, is dropped and reported. The rest are appended to ``goldens/<seed>.yaml`` with ``draft: true``
(the file's comments and layout kept). Runs skip draft items and say how many, until a person has
checked each one against the article and removed its marker, by hand or with `harness review`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import openai
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from harness.config import RunConfig
from harness.errors import ConfigError, GoldenError, ModelError
from harness.golden_edit import add_items, remove_draft_markers
from harness.goldens import load_golden
from harness.init import SKELETON
from harness.matching.text import fold_accents, for_quotes
from harness.models.local import LOCAL_MODEL, local_server
from harness.models.openai_compat import rejects_mode
from harness.models.providers import address
from harness.outputs import extract_json, plain_schema
from harness.prompts import PLACEHOLDER
from harness.seeds import Seed
from harness.tasks.claims import Claim
from harness.tasks.qa import Question
from harness.tasks.summary import SummaryFact
from harness.yaml_problems import FIX_MARK

DRAFT_PROMPT = Path(__file__).resolve().parent.parent / "prompts" / "draft" / "v1.md"


class _Proposal(BaseModel):
    model_config = ConfigDict(extra="ignore")

    evidence: str = Field(max_length=400)


class ProposedQuestion(_Proposal):
    question: str = Field(min_length=1, max_length=300)
    type: Literal["number", "entity", "text", "date", "boolean"]
    answer: str = Field(min_length=1, max_length=200)


class ProposedClaim(_Proposal):
    claim: str = Field(min_length=1, max_length=300)
    label: Literal["supported", "refuted", "not_enough_info"]
    correction: str = Field(default="", max_length=200)  # refuted claims: the true fact


class ProposedFact(_Proposal):
    fact: str = Field(min_length=1, max_length=300)
    words: list[Annotated[list[Annotated[str, Field(max_length=40)]], Field(max_length=6)]] = Field(
        min_length=1, max_length=4
    )


class Proposals(BaseModel):
    """What the model is asked for (its JSON Schema goes into the prompt and the request)."""

    model_config = ConfigDict(extra="ignore")

    questions: list[ProposedQuestion] = Field(max_length=20)
    claims: list[ProposedClaim] = Field(max_length=20)
    key_facts: list[ProposedFact] = Field(max_length=20)


@dataclass
class Drafted:
    """What `draft` wrote and what it left out, for the console."""

    path: Path
    added: list[str] = field(default_factory=list)  # item ids
    dropped: list[str] = field(default_factory=list)  # one line each: which proposal, and why


def _slug(text: str, prefix: str, taken: set[str]) -> str:
    words = re.findall(r"[a-z0-9]+", fold_accents(text.lower()))[:5]
    base = f"{prefix}-" + ("-".join(words) or "item")
    name, n = base[:70], 2
    while name in taken:
        name, n = f"{base[:66]}-{n}", n + 1
    taken.add(name)
    return name


def _answer(p: ProposedQuestion) -> Any:
    """The proposed answer as the golden format holds it: a number as a number, a boolean as one."""
    text = p.answer.strip()
    if p.type == "number":
        number = text.replace(",", "")
        try:
            value = float(number)
        except ValueError:
            return text  # the format's check names the problem
        return int(value) if value.is_integer() else value
    if p.type == "boolean" and text.lower() in ("true", "false", "yes", "no"):
        return text.lower() in ("true", "yes")
    return text


def _entries(proposals: Proposals, taken: set[str]) -> Iterator[tuple[str, str, dict[str, Any], type[BaseModel]]]:
    """(section, what it is, the item as written, its golden model) for every proposal."""
    for q in proposals.questions:
        item = {"id": _slug(q.question, "q", taken), "question": q.question, "type": q.type, "answer": _answer(q)}
        yield "questions", f"question {q.question!r}", {**item, "evidence": q.evidence, "draft": True}, Question
    for c in proposals.claims:
        item = {"id": _slug(c.claim, "c", taken), "claim": c.claim, "label": c.label}
        if c.label != "not_enough_info":
            item["evidence"] = c.evidence
        if c.label == "refuted":
            item["correction"] = {"type": "text", "answer": c.correction}
        yield "claims", f"claim {c.claim!r}", {**item, "draft": True}, Claim
    for f in proposals.key_facts:
        item = {"id": _slug(f.fact, "kf", taken), "fact": f.fact, "require": [g for g in f.words if g]}
        yield "key_facts", f"key fact {f.fact!r}", {**item, "draft": True, "evidence": f.evidence}, SummaryFact


def _problem(item: dict[str, Any], model: type[BaseModel], article: str) -> str | None:
    """Why a proposal cannot be written, or None."""
    quote = item.get("evidence")
    if quote is not None and for_quotes(quote) not in article:
        return "its evidence is not a verbatim quote of the article"
    try:
        model.model_validate({k: v for k, v in item.items() if model is not SummaryFact or k != "evidence"})
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"])
        message = error["msg"].removeprefix("Value error, ").replace(FIX_MARK, ". Fix: ")
        return f"the golden format rejects it ({where}: {message})"
    return None


def _ids(node: Any) -> Iterator[str]:
    """Every item id anywhere in a golden's data (a new id must differ from all of them)."""
    if isinstance(node, dict):
        if isinstance(node.get("id"), str):
            yield node["id"]
        for value in node.values():
            yield from _ids(value)
    elif isinstance(node, list):
        for value in node:
            yield from _ids(value)


def _yaml_entry(item: dict[str, Any], flow: bool) -> str:
    """One list entry at column 0; a key fact on one line, with its evidence as a comment above it."""
    if flow:
        evidence = item.pop("evidence")
        body = yaml.safe_dump(item, default_flow_style=True, allow_unicode=True, sort_keys=False, width=10**6)
        return f"# evidence: {' '.join(evidence.split())}\n- {body.strip()}"
    body = yaml.safe_dump([item], default_flow_style=False, allow_unicode=True, sort_keys=False, width=10**6)
    return body.rstrip("\n")


def write_drafts(path: Path, seed: Seed, proposals: Proposals, seeds: dict[str, Seed]) -> Drafted:
    """Append the proposals that pass to the golden file, marked as drafts; report the rest."""
    if path.exists():
        load_golden(path, seeds)  # a golden with problems gets them listed before anything is added
        text = path.read_text(encoding="utf-8")
    else:
        text = SKELETON.format(id=seed.id, today=dt.date.today().isoformat())
    golden = yaml.safe_load(text) or {}
    taken = set(_ids(golden))
    summary = golden.get("summary") or {}
    article = for_quotes(seed.text)
    drafted = Drafted(path)
    sections: dict[str, list[str]] = {"questions": [], "claims": [], "key_facts": []}
    for section, what, item, model in _entries(proposals, taken):
        problem = _problem(item, model, article)
        if problem is not None:
            drafted.dropped.append(f"{what}: {problem}")
            continue
        sections[section].append(_yaml_entry(item, flow=section == "key_facts"))
        drafted.added.append(item["id"])
    new = text
    for section in ("questions", "claims"):
        if sections[section]:
            new = add_items(new, [section], sections[section], str(path))
    if sections["key_facts"] and summary:
        new = add_items(new, ["summary", "key_facts"], sections["key_facts"], str(path))
    elif sections["key_facts"]:
        facts = "".join("    " + line + "\n" for entry in sections["key_facts"] for line in entry.splitlines())
        new = new.rstrip("\n") + "\nsummary:\n  max_words: 120\n  key_facts:\n" + facts
    if new != text:
        _write_checked(path, new, text if path.exists() else None, seeds)
    return drafted


def _write_checked(path: Path, new: str, old: str | None, seeds: dict[str, Seed]) -> None:
    """Write ``new`` and load it as a golden; put ``old`` back (or remove the file) if it does not load."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(new, encoding="utf-8")
    try:
        load_golden(path, seeds)
    except GoldenError:
        if old is None:
            path.unlink()
        else:
            path.write_text(old, encoding="utf-8")
        raise


def _schema(count: int) -> dict[str, Any]:
    """What the model must reply: at most ``count`` proposals of each kind (a server that enforces the
    schema, as llama.cpp does, then stops a model that repeats itself)."""
    schema = plain_schema(Proposals)
    schema.pop("description", None)  # for us, not for the model
    for kind in ("questions", "claims", "key_facts"):
        schema["properties"][kind]["maxItems"] = count
    return schema


def _messages(seed: Seed, count: int) -> list[dict[str, str]]:
    template = DRAFT_PROMPT.read_text(encoding="utf-8")
    slots = {"article": seed.text, "count": str(count), "schema": json.dumps(_schema(count), separators=(",", ":"))}
    return [{"role": "user", "content": PLACEHOLDER.sub(lambda m: slots[m.group(1)], template)}]


def _ask(client: openai.OpenAI, served: str, count: int, seed: Seed, where: str) -> str:
    """The model's reply, asked with a JSON Schema and, if the server refuses that, as a JSON object."""
    messages = _messages(seed, count)
    formats: Sequence[dict[str, Any]] = (
        {"type": "json_schema", "json_schema": {"name": "proposals", "schema": _schema(count)}},
        {"type": "json_object"},
    )
    for response_format in formats:
        try:
            response = client.chat.completions.create(
                model=served,
                messages=[],  # sent in extra_body: plain JSON, as the runner sends it
                temperature=0,
                max_tokens=8192,
                extra_body={"messages": messages, "response_format": response_format},
            )
        except openai.APIStatusError as exc:
            if rejects_mode(exc) and response_format["type"] == "json_schema":
                continue
            raise ModelError(
                f"{where}: the server answered {exc.status_code} ({exc.message}). "
                "Fix: check --model, --base-url and the key"
            ) from None
        except openai.APIError as exc:
            raise ModelError(f"{where}: the request failed ({exc}). Fix: check that the server is up") from None
        return response.choices[0].message.content or ""
    raise ModelError(f"{where}: the server accepts no structured output. Fix: use another server")


def propose(model: str, seed: Seed, config: RunConfig, count: int) -> Proposals:
    """Ask ``model`` once for proposals about ``seed``."""
    base_url: str | None
    with ExitStack() as stack:
        if model == LOCAL_MODEL:
            base_url, key, served = stack.enter_context(local_server()), "local", "smollm2-135m"
        else:
            at = address(model, config)
            base_url, key, served = at.base_url, at.key, model
        where = f"model {model!r}" + (f" at {base_url}" if base_url else "")
        client = stack.enter_context(openai.OpenAI(base_url=base_url, api_key=key, max_retries=3, timeout=600))
        reply = _ask(client, served, count, seed, where)
    try:
        return Proposals.model_validate(extract_json(reply))
    except (ValidationError, ValueError) as exc:
        first = str(exc).splitlines()[0][:200]
        raise ModelError(
            f"{where}: the reply is not the JSON asked for ({first}); nothing written. "
            "Fix: run it again, or try a larger model"
        ) from None


def review(path: Path, ids: Sequence[str] | None, seeds: dict[str, Seed]) -> list[str]:
    """Remove the draft marker of ``ids`` (every draft when None); the ids reviewed."""
    if not path.exists():
        raise ConfigError(f"{path}: no such golden file. Fix: check the seed id (`harness validate` lists them)")
    text = path.read_text(encoding="utf-8")
    new, done = remove_draft_markers(text, ids, str(path))
    missing = sorted(set(ids or ()) - set(done))
    if missing:
        _, drafts = remove_draft_markers(text, None, str(path))
        raise ConfigError(
            f"{path}: no draft item {', '.join(missing)}. "
            f"Fix: name draft items ({', '.join(drafts) or 'there are none'})"
        )
    if done:
        _write_checked(path, new, text, seeds)
    return done
