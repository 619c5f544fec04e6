"""The one exception tree of harness.

Every error a user can cause carries a message that names the file, item and
field at fault and says what to do. The CLI prints ``str(error)`` and exits with
``error.exit_code``; it never shows a traceback for these.

    HarnessError
    ├── InputError          a file the user gave us is wrong (exit 1)
    │   ├── SeedError       a seed article
    │   ├── GoldenError     a golden file (may carry many Problems)
    │   ├── PromptError     a prompt template or its front matter
    │   └── ReportError     a run folder, results or report file
    ├── ConfigError         a CLI flag or environment variable (exit 2)
    ├── ComparisonError     two runs cannot be compared fairly (exit 2)
    └── ModelError          the model endpoint refused the whole run (exit 3):
                            bad key, unknown model, unreachable server
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import ValidationError


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one input file, located as precisely as we can."""

    file: str
    message: str
    fix: str
    line: int | None = None
    item: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        parts = [where]
        if self.item is not None:
            parts.append(f"item {self.item}")
        if self.field is not None:
            parts.append(f"field {self.field}")
        return f"{': '.join(parts)}: {self.message}. Fix: {self.fix}"


def yaml_problem(
    file: str,
    exc: Exception,
    *,
    first_line: int = 1,
    what: str = "bad YAML",
    fix: str = "correct the YAML syntax at that line (indentation, quotes, colons)",
) -> Problem:
    """One Problem for a YAML syntax error: the line the parser points at (``first_line`` is the file
    line the YAML text starts on) and what it said, on one line."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or "cannot parse it"
    return Problem(file=file, line=mark.line + first_line if mark else None, message=f"{what}: {problem}", fix=fix)


def record_problem(file: str, what: str, exc: ValidationError, fix: str, line: int | None = None) -> Problem:
    """One Problem for a record that failed its model: ``what`` it is not, the first field pydantic names
    and its message, with the fix our own validators give after " Fix: " (e.g. a task name that is not
    registered), else ``fix``."""
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    message, _, own_fix = str(error["msg"]).removeprefix("Value error, ").partition(" Fix: ")
    message = message.rstrip(". ")
    detail = f"{where}: {message}" if where else message
    return Problem(file=file, line=line, message=f"{what} ({detail})", fix=own_fix or fix)


class HarnessError(Exception):
    """Base of every error harness raises on purpose."""

    exit_code = 1


class InputError(HarnessError):
    """A file the user handed us is wrong."""

    def __init__(self, problems: Sequence[Problem] | str) -> None:
        if isinstance(problems, str):
            self.problems: tuple[Problem, ...] = ()
            super().__init__(problems)
        else:
            self.problems = tuple(problems)
            super().__init__("\n".join(str(p) for p in self.problems))


class SeedError(InputError):
    """A seed article is missing, empty, not text, or badly named."""


class GoldenError(InputError):
    """A golden file does not follow the format or disagrees with its seed."""


class PromptError(InputError):
    """A prompt template, its front matter or its schema is wrong."""


class ReportError(InputError):
    """A run folder, results file or report cannot be read."""


class ConfigError(HarnessError):
    """A command-line flag or environment variable has a bad value."""

    exit_code = 2


class ComparisonError(HarnessError):
    """Two runs cannot be compared fairly: other seeds or goldens, no shared items, an incomplete run."""

    exit_code = 2


class ModelError(HarnessError):
    """The model endpoint refused the run as a whole (auth, unknown model, unreachable)."""

    exit_code = 3
