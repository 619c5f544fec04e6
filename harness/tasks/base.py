"""What every task provides (the ``Task`` protocol) and the small records tasks share."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from harness.stats import Estimate
from harness.types import Details, Verdict, WorkItem
from harness.yaml_problems import FIX_MARK

if TYPE_CHECKING:
    from harness.goldens import Golden
    from harness.outcomes import Outcomes

ITEM_ID = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=80)


class GoldenItem(BaseModel):
    """Base of the golden file's records: frozen, and an unknown field is an error."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Reviewable(GoldenItem):
    """An item a model may propose (`harness draft` writes it with ``draft: true``): runs skip it, and say
    how many they skipped, until a person reviews it and removes the marker (or runs `harness review`)."""

    draft: bool = False


def invalid(message: str, fix: str) -> ValueError:
    """A validator's error that carries its own fix (the loader reports both: file, line, item, field)."""
    return ValueError(f"{message}{FIX_MARK}{fix}")


RequireGroups = tuple[tuple[str, ...], ...]  # an AND of OR-groups of words: [[12, twelve], [killed, dead]]


def require_groups(value: Any) -> RequireGroups:
    """A golden's ``require`` as written (a list of lists of words or numbers) as groups of words."""
    if isinstance(value, list | tuple) and all(isinstance(g, list | tuple) for g in value):
        if any(len(g) == 0 for g in value):
            raise invalid("an OR-group is empty", "put at least one word in every [...] group")
        return tuple(tuple(str(word) for word in group) for group in value)
    raise invalid("require must be a list of lists of words", "write e.g. [[12, twelve], [killed, dead]]")


class TaskItem(BaseModel):
    """One thing a golden asks of a task: the id, what it is about, its tags, what fills the prompt."""

    model_config = ConfigDict(frozen=True)

    id: str
    subject: str  # the question, the claim, or "" when the item is the whole article
    tags: tuple[str, ...] = ()
    slots: dict[str, str | int] = {}


class ItemView(BaseModel):
    """What a person reading a report needs about one golden item: what was asked and what is right."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    question: str
    expected: str
    evidence: str | None = None


class Task(Protocol):
    """A task: what a model is asked to do with an article, and how its answers are judged and counted."""

    @property
    def name(self) -> str:
        """The registry key; also the prompts/<name>/ folder and the <seed>/<name>/<item> ids."""
        ...

    @property
    def output(self) -> type[BaseModel]:
        """What the model must answer (its JSON Schema is sent to servers and checked on our side)."""
        ...

    @property
    def max_tokens(self) -> int:
        """The default completion budget of one request."""
        ...

    @property
    def slots(self) -> frozenset[str]:
        """The prompt placeholders its items fill, beside {{article}} and {{schema}}."""
        ...

    @property
    def metric_info(self) -> Mapping[str, tuple[str, bool]]:
        """Its own metrics: name -> (what it means, higher is better)."""
        ...

    @property
    def graded(self) -> bool:
        """An item's score is a share (0..1), its verdict's ``CoverageDetails.coverage``, not only 1/0."""
        ...

    def describe(self, golden: Golden) -> str:
        """What ``golden`` holds for this task, in a few words (``harness validate`` prints it)."""
        ...

    def items(self, golden: Golden) -> Iterator[TaskItem]:
        """Every item the golden holds for this task, in file order."""
        ...

    def judge(self, golden: Golden, item_id: str, output: Any, article: str) -> Verdict:
        """The verdict on a reply that passed schema validation (``output`` is an ``output`` instance)."""
        ...

    def metrics(self, judged: Outcomes) -> dict[str, Estimate]:
        """This task's own metrics over results the rules judged (no error, no invalid): each one an interval
        function of ``harness.stats`` over ``judged.clusters(value)``."""
        ...

    def checks(self, details: Details) -> dict[str, bool]:
        """Verdicts a result holds beside its outcome, by name ({} when none): ``compare`` pairs each one."""
        ...

    def view(self, golden: Golden, item_id: str) -> ItemView | None:
        """What was asked and what is right, for reports; None if the item is gone from the golden."""
        ...

    def answer_text(self, parsed: Mapping[str, Any]) -> str | None:
        """The part of a parsed reply a reader wants to see as the answer."""
        ...

    def evidence_text(self, parsed: Mapping[str, Any]) -> str | None:
        """The quotes a parsed reply gives, as one line."""
        ...

    def baseline(self, item: WorkItem) -> dict[str, Any]:
        """The ``baseline/lexical`` reply to ``item``: a deterministic floor, in the output's JSON shape."""
        ...


def field_text(parsed: Mapping[str, Any], key: str) -> str | None:
    """A field of a parsed reply as text; None when the reply has no such field."""
    value = parsed.get(key)
    return None if value is None else str(value)


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


_T = TypeVar("_T", bound=_HasId)
# id(section tuple) -> (the tuple, its items by id), built once per section: a linear scan per reply made
# scoring O(items^2). The entry holds the tuple, so its id cannot be reused while the entry lives.
_INDEX: dict[int, tuple[tuple[Any, ...], dict[str, Any]]] = {}


def find(items: tuple[_T, ...], item_id: str) -> _T:
    """The first item of a golden section with this id (KeyError if none)."""
    entry = _INDEX.get(id(items))
    if entry is None:
        if len(_INDEX) > 12:  # a few goldens' sections (goldens.Shelf keeps 8): a long run loads many
            _INDEX.clear()
        entry = _INDEX[id(items)] = (items, {item.id: item for item in reversed(items)})  # the first wins
    found: _T = entry[1][item_id]
    return found
