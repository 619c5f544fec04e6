"""Seeds: the source articles, verbatim, one ``<seed-id>.txt`` per article."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from harness.errors import Problem, SeedError, yaml_problem

SEED_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,99}$")
SEED_ID_RULE = "lowercase letters, digits, '-' and '_' only, starting with a letter or digit"


class SeedMeta(BaseModel):
    """Optional ``<seed-id>.meta.yaml`` beside the article."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str
    source: str
    url: str | None = None
    published: dt.date | None = None


class Seed(BaseModel):
    """One article. Its identity in every report is ``id`` plus ``sha256``."""

    model_config = ConfigDict(frozen=True)

    id: str
    text: str
    sha256: str
    meta: SeedMeta | None = None


def check_seed_id(seed_id: str, where: str) -> None:
    """Reject ids that could escape a folder or break a file name."""
    if not SEED_ID.match(seed_id):
        raise SeedError(
            [
                Problem(
                    file=where,
                    message=f"seed id {seed_id!r} is not allowed",
                    fix=f"rename it using {SEED_ID_RULE}",
                )
            ]
        )


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SeedError(
            [Problem(file=str(path), message=f"cannot read it ({exc.strerror})", fix="check it exists and is readable")]
        ) from None
    if b"\x00" in data:
        raise SeedError(
            [
                Problem(
                    file=str(path), message="it is a binary file, not text", fix="save the article as UTF-8 plain text"
                )
            ]
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SeedError(
            [
                Problem(
                    file=str(path),
                    message=f"it is not UTF-8 (byte {exc.start})",
                    fix="re-save the article as UTF-8",
                )
            ]
        ) from None
    if not text.strip():
        raise SeedError([Problem(file=str(path), message="the article is empty", fix="paste the article text into it")])
    return text


def _read_meta(path: Path) -> SeedMeta | None:
    if not path.exists():
        return None
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        return SeedMeta.model_validate(raw)
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else f"not UTF-8 (byte {exc.start})"
        raise SeedError(
            [Problem(file=str(path), message=f"cannot read it ({reason})", fix="save it as UTF-8 YAML")]
        ) from None
    except yaml.YAMLError as exc:
        raise SeedError([yaml_problem(str(path), exc)]) from None
    except ValidationError as exc:
        problems = [
            Problem(
                file=str(path),
                field=".".join(str(p) for p in err["loc"]) or None,
                message=err["msg"],
                fix="use the keys title, source, url, published (YYYY-MM-DD)",
            )
            for err in exc.errors()
        ]
        raise SeedError(problems) from None


def load_seed(path: Path) -> Seed:
    """Load one seed file; its id is the file name without ``.txt``."""
    seed_id = path.name.removesuffix(".txt")
    check_seed_id(seed_id, str(path))
    text = _read_text(path)
    meta = _read_meta(path.with_name(f"{seed_id}.meta.yaml"))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Seed(id=seed_id, text=text, sha256=digest, meta=meta)


def load_seeds(directory: Path) -> dict[str, Seed]:
    """Load every ``*.txt`` in ``directory``, keyed by seed id, in id order."""
    if not directory.is_dir():
        raise SeedError(
            [Problem(file=str(directory), message="no such seeds folder", fix="pass --seeds DIR with your articles")]
        )
    seeds = {p.name.removesuffix(".txt"): load_seed(p) for p in sorted(directory.glob("*.txt"))}
    if not seeds:
        raise SeedError(
            [
                Problem(
                    file=str(directory), message="no seed articles (*.txt) found", fix="add one .txt file per article"
                )
            ]
        )
    return seeds
