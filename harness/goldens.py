"""Goldens: the hand-written facts per seed, their format, loading and validation.

A golden file is ``goldens/<seed-id>.yaml`` with three sections: questions,
claims and a summary rubric (see the README); each section's item model lives with
its task (``harness/tasks/qa.py``, ``factcheck.py``, ``summary.py``), and a new task may read any of
them (the sections are the file format, the tasks are the registry's). Loading checks the format with
pydantic, then checks the file against its seed: ids unique, the seed exists,
every evidence quote is the article's own words. Every problem is reported with
file, line, item id, field and the fix, all at once rather than one per run.
"""

from __future__ import annotations

import datetime as dt
import json
import pickle
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from harness.errors import GoldenError, Problem, yaml_problem
from harness.golden_store import GoldenStore, Stored
from harness.matching.evidence import closest_passage
from harness.matching.text import for_quotes
from harness.seeds import SEED_ID, SEED_ID_RULE, Seed
from harness.tasks.base import GoldenItem
from harness.tasks.claims import Claim
from harness.tasks.qa import Question
from harness.tasks.summary import SummaryRubric
from harness.yaml_problems import duplicate_keys, line_of, problems_from_validation

# libyaml's safe loader when PyYAML has it: the pure-Python one took ~0.4 s per 500-item golden.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Golden(GoldenItem):
    """Everything hand-written about one seed."""

    seed: str
    as_of: dt.date
    questions: tuple[Question, ...] = ()
    claims: tuple[Claim, ...] = ()
    summary: SummaryRubric | None = None  # the summary item "summary"
    summaries: tuple[SummaryRubric, ...] = ()  # more summary items, each with its own id, focus and budget


def reviewed(golden: Golden) -> tuple[Golden, int]:
    """The golden as runs see it: without the items still marked ``draft: true`` (a model proposed them,
    no person has reviewed them), and how many were left out. A summary item whose key facts are all
    drafts is left out with them."""
    skipped = 0

    def keep(items: tuple[Any, ...]) -> tuple[Any, ...]:
        nonlocal skipped
        kept = tuple(item for item in items if not item.draft)
        skipped += len(items) - len(kept)
        return kept

    rubrics: list[SummaryRubric] = []
    for rubric in (golden.summary, *golden.summaries):
        if rubric is None:
            continue
        facts, forbidden = keep(rubric.key_facts), keep(rubric.forbidden)
        if facts:
            rubrics.append(rubric.model_copy(update={"key_facts": facts, "forbidden": forbidden}))
    update: dict[str, Any] = {"questions": keep(golden.questions), "claims": keep(golden.claims)}
    if golden.summary is not None:
        update["summary"] = rubrics.pop(0) if rubrics and rubrics[0].id == golden.summary.id else None
    update["summaries"] = tuple(rubrics)
    return (golden.model_copy(update=update) if skipped else golden), skipped


def _items(model: BaseModel, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    """(YAML path, item) for every item with an ``id`` anywhere in the file, in file order: the checks
    below need no list of sections, so a task whose items live in a new section is checked too."""
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            if isinstance(getattr(value, "id", None), str):
                yield (*path, name), value  # the summary section is an item too
            yield from _items(value, (*path, name))
        elif isinstance(value, tuple):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel) and isinstance(getattr(item, "id", None), str):
                    yield (*path, name, index), item
                    yield from _items(item, (*path, name, index))


def golden_json_schema() -> dict[str, Any]:
    """The JSON Schema of the golden format, for editors (goldens/golden.schema.json)."""
    schema = Golden.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "harness golden file"
    return schema


# --- loading -----------------------------------------------------------------


def _seed_id_problem(path: str, golden: Golden, root: yaml.Node | None) -> Iterator[Problem]:
    stem = Path(path).name.removesuffix(".yaml")
    if SEED_ID.match(golden.seed) is None:
        message = f"seed {golden.seed!r} is not a seed id"
        fix = f"set `seed: {stem}`, the name of the seed file without .txt ({SEED_ID_RULE})"
    elif golden.seed != stem:
        message = f"seed {golden.seed!r} does not match the file name {stem!r}"
        fix = f"name the file {golden.seed}.yaml or set `seed: {stem}`"
    else:
        return
    yield Problem(file=path, line=line_of(root, ("seed",)), field="seed", message=message, fix=fix)


def _duplicate_ids(path: str, golden: Golden, root: yaml.Node | None) -> Iterator[Problem]:
    seen: dict[str, str] = {}
    for where, item in _items(golden):
        section = ".".join(str(part) for part in where if isinstance(part, str))
        if item.id in seen:
            yield Problem(
                file=path,
                line=line_of(root, (*where, "id")),
                item=item.id,
                field="id",
                message=f"duplicate id (already used in {seen[item.id]})",
                fix="give every item in the file its own id",
            )
        seen.setdefault(item.id, section)


def _quotes(item: Any, where: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """(YAML path, quote) of an item's evidence: one quote, or a list of them."""
    evidence = getattr(item, "evidence", None)
    if isinstance(evidence, str) and evidence:
        yield (*where, "evidence"), evidence
    elif isinstance(evidence, tuple):
        for index, quote in enumerate(evidence):
            yield (*where, "evidence", index), quote


def _quotes_not_in(path: str, golden: Golden, root: yaml.Node | None, seed: Seed) -> Iterator[Problem]:
    article = for_quotes(seed.text)
    for where, item in _items(golden):
        for at, evidence in _quotes(item, where):
            if for_quotes(evidence) in article:
                continue
            fix = f"copy the words verbatim from seeds/{golden.seed}.txt (one contiguous span, no ellipsis)"
            closest = closest_passage(evidence, seed.text)
            if closest is not None:
                line, passage = closest
                quoted = json.dumps(passage, ensure_ascii=False)
                fix = f"the closest passage is seeds/{golden.seed}.txt:{line}; paste it: evidence: {quoted}"
            yield Problem(
                file=path,
                line=line_of(root, at),
                item=item.id,
                field="evidence",
                message="the quote is not in the seed text",
                fix=fix,
            )


def _check_against_seed(
    path: str, golden: Golden, root: yaml.Node | None, seeds: Mapping[str, Seed]
) -> Iterator[Problem]:
    """The seed id, unique ids, and every evidence quote verbatim in the seed."""
    yield from _seed_id_problem(path, golden, root)
    yield from _duplicate_ids(path, golden, root)
    if SEED_ID.match(golden.seed) is None:
        return
    seed = seeds.get(golden.seed)
    if seed is None:
        yield Problem(
            file=path,
            line=line_of(root, ("seed",)),
            field="seed",
            message=f"there is no seed {golden.seed!r}",
            fix=f"add seeds/{golden.seed}.txt or correct the seed id (known: {', '.join(sorted(seeds)) or 'none'})",
        )
        return
    yield from _quotes_not_in(path, golden, root, seed)


def _parse_yaml(text: str) -> tuple[yaml.Node | None, Any]:
    """The node tree (for line numbers and duplicate keys) and the data built from it: one parse."""
    loader = _YAML_LOADER(text)
    try:
        root = loader.get_single_node()
        return root, (loader.construct_document(root) if root is not None else None)
    finally:
        loader.dispose()


def load_golden(path: Path, seeds: Mapping[str, Seed]) -> Golden:
    """Load and fully validate one golden file; raise GoldenError listing every problem."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else f"not UTF-8 (byte {exc.start})"
        raise GoldenError(
            [Problem(file=name, message=f"cannot read it ({reason})", fix="save it as UTF-8 YAML")]
        ) from None
    try:
        root, raw = _parse_yaml(text)
    except yaml.YAMLError as exc:
        raise GoldenError([yaml_problem(name, exc)]) from None
    if not isinstance(raw, dict):
        raise GoldenError(
            [Problem(file=name, message="the file is not a YAML mapping", fix="start with `seed: <seed-id>`")]
        )
    problems = list(duplicate_keys(name, root)) if root is not None else []
    try:
        golden = Golden.model_validate(raw)
    except ValidationError as exc:
        raise GoldenError(problems + problems_from_validation(name, raw, root, exc, Golden)) from None
    problems += _check_against_seed(name, golden, root, seeds)
    if problems:
        raise GoldenError(problems)
    return golden


def _each_golden(
    directory: Path, seeds: Mapping[str, Seed], known: Callable[[Path], bool] = lambda _: False
) -> Iterator[tuple[Path, Golden]]:
    """Every ``*.yaml`` golden in ``directory`` but those ``known`` takes, loaded and checked one at a time
    (none is kept here); a GoldenError with every file's problems at the end."""
    if not directory.is_dir():
        raise GoldenError([Problem(file=str(directory), message="no such goldens folder", fix="pass --goldens DIR")])
    problems: list[Problem] = []
    found = False
    for path in sorted(directory.glob("*.yaml")):
        if known(path):
            found = True
            continue
        try:
            golden = load_golden(path, seeds)
        except GoldenError as exc:
            problems.extend(exc.problems)
            continue
        found = True
        yield path, golden
    if problems:
        raise GoldenError(problems)
    if not found:
        raise GoldenError(
            [Problem(file=str(directory), message="no golden files (*.yaml) found", fix="add goldens/<seed-id>.yaml")]
        )


def load_goldens(directory: Path, seeds: Mapping[str, Seed]) -> dict[str, Golden]:
    """Load every ``*.yaml`` golden in ``directory`` keyed by seed id; all problems at once."""
    return {golden.seed: golden for _, golden in _each_golden(directory, seeds)}


class Shelf(Mapping[str, Golden]):
    """The goldens of a folder as runs see them (``reviewed``), checked once, then each held where a run
    can get it back fast and the last ``KEEP`` kept in memory: a run of a million questions spread over
    many seeds holds a few seeds' goldens at a time, never all of them as pydantic objects.

    A checked golden is pickled into a private temporary folder (pickle round-trips the frozen records
    exactly, ~20x faster than parsing and checking the YAML again), so the run reads the goldens as they
    were when it started and hashed them, whatever happens to the files meanwhile."""

    KEEP = 8

    def __init__(self) -> None:
        self._spill = tempfile.TemporaryDirectory(prefix="harness-goldens-")
        self._ids: set[str] = set()
        self._kept: dict[str, Golden] = {}  # insertion order = least recently used first

    def add(self, golden: Golden) -> None:
        """Put a checked golden on the shelf."""
        self.add_pickled(golden.seed, pickled(golden))
        self._keep(golden)

    def add_pickled(self, seed_id: str, data: bytes) -> None:
        """Put a checked golden on the shelf as its pickle (``pickled``), read back when asked for."""
        (Path(self._spill.name) / f"{seed_id}.pickle").write_bytes(data)
        self._ids.add(seed_id)
        self._kept.pop(seed_id, None)

    def __getitem__(self, seed_id: str) -> Golden:
        golden = self._kept.pop(seed_id, None)
        if golden is None:
            if seed_id not in self:
                raise KeyError(seed_id)
            golden = pickle.loads((Path(self._spill.name) / f"{seed_id}.pickle").read_bytes())
            assert isinstance(golden, Golden)
        self._keep(golden)
        return golden

    def _keep(self, golden: Golden) -> None:
        """Hold ``golden`` as the most recently used, dropping the least recently used beyond KEEP."""
        self._kept[golden.seed] = golden
        while len(self._kept) > self.KEEP:
            del self._kept[next(iter(self._kept))]

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._ids))

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, seed_id: object) -> bool:
        return seed_id in self._ids


def pickled(golden: Golden) -> bytes:
    return pickle.dumps(golden, pickle.HIGHEST_PROTOCOL)


def load_runnable(
    directory: Path, seeds: Mapping[str, Seed], store: GoldenStore | None = None
) -> tuple[Shelf, dict[str, int]]:
    """The goldens as runs see them (draft items left out, ``reviewed``) on a ``Shelf``, every file checked
    now with all its problems at once as ``load_goldens`` does; and how many draft items each seed had.
    With a ``store``, a file checked before as it is now is taken from it, and a file checked now is kept."""
    shelf = Shelf()
    drafts: dict[str, int] = {}

    def known(path: Path) -> bool:
        stored = None if store is None else store.get(path)
        if stored is not None:
            shelf.add_pickled(stored.seed, stored.pickled)
            drafts[stored.seed] = stored.drafts
        return stored is not None

    for path, golden in _each_golden(directory, seeds, known):
        kept, drafts[golden.seed] = reviewed(golden)
        shelf.add(kept)
        if store is not None:
            store.put(path, Stored(kept.seed, drafts[kept.seed], pickled(kept)))
    return shelf, drafts
