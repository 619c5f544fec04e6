"""Tasks: what a model is asked to do with an article, one module each, behind the ``Task`` protocol.

    qa.py          answer a question about the article, or decline
    factcheck.py   label a claim supported / refuted / not_enough_info
    summary.py     summarise the main story

A task module reads top to bottom: its output model, the rules that judge one reply, and a class
holding the rest (token budget, prompt slots, the items a golden yields, metrics, the view of a
golden item for reports, the answer text, the lexical baseline's answer). The rest of the package
asks this registry instead of branching on task names, so a task is added by registering it:

    from harness.tasks import register
    register(MyTask())          # any object with the attributes and methods of Task

``tests/test_tasks.py`` defines a task inside the test and runs it end to end that way. The matching
rules tasks share (numbers, dates, text, abstention, grounding) are in ``harness/matching/``.
"""

from __future__ import annotations

from harness.errors import ConfigError
from harness.names import REGISTERED
from harness.tasks import factcheck, qa, summary
from harness.tasks.base import ItemView, Task, TaskItem
from harness.types import GenerationSettings

__all__ = ["TASKS", "ItemView", "Task", "TaskItem", "max_tokens_for", "register", "task", "task_names"]

# name -> task, in the order runs plan them and reports show them.
TASKS: dict[str, Task] = {}


def register(new: Task) -> Task:
    """Add a task (or replace the one of that name); returns it."""
    TASKS[new.name] = new
    REGISTERED[new.name] = None
    return new


def task_names() -> tuple[str, ...]:
    """Every registered task name, in registry order."""
    return tuple(TASKS)


def task(name: str) -> Task:
    """The registered task called ``name``; a ConfigError that lists the known ones otherwise."""
    try:
        return TASKS[name]
    except KeyError:
        raise ConfigError(f"unknown task {name!r}. Fix: use one of {', '.join(TASKS)}") from None


def max_tokens_for(settings: GenerationSettings, task_name: str) -> int:
    """The completion budget of one request: --max-tokens when given, else the task's own."""
    return settings.max_tokens if settings.max_tokens is not None else task(task_name).max_tokens


for _builtin in (qa.TASK, factcheck.TASK, summary.TASK):
    register(_builtin)
