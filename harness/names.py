"""Task names as checked keys: ``harness.tasks.register`` adds each name here, and every record that
carries a task name (work items, results, report items, metrics, flips) checks it against this set
when it is built or read, so a misspelt or unregistered task is an error, never a silent new key.

It sits apart from ``harness.tasks`` because the records (``harness.types``) are imported by the task
modules themselves.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator

REGISTERED: dict[str, None] = {}  # an ordered set, in registry order


def registered(name: str) -> str:
    """``name`` if a task of that name is registered; a ValueError that says how to fix it otherwise."""
    if name not in REGISTERED:
        raise ValueError(
            f"unknown task {name!r} (registered: {', '.join(REGISTERED)}). "
            "Fix: register the task with harness.register(...) before reading its results"
        )
    return name


TaskName = Annotated[str, AfterValidator(registered)]
