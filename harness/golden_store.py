"""Checked goldens kept between commands, so the commands that read a run do not check its goldens again.

Parsing and checking a golden file costs ~50 µs a question (the YAML, the model, every quote against its
article): seconds for a hundred thousand questions, paid by every command that reads a run (``batch
import``, ``report``, ``score``, ``--resume``). A golden that passed its checks is kept under
``reports/cache/goldens/`` by a key of everything the checks read: the file's bytes, every seed's id and
text, the harness's own source and the versions of Python, pydantic and PyYAML. Any change to one of
these is another key, so a kept golden is used only where checking the file again would give the same
golden. A file with problems is never kept: every command reports its problems, as before.

Each entry is two pickles: a header (seed id, draft items left out, the blake2b of the second) and the
golden as runs see it. The header is read without the golden; the golden's bytes go to the run's
``goldens.Shelf`` as they are, after their digest is checked. An entry that cannot be read, or whose
digest does not match, is a miss. Like the reply cache, the folder is trusted as the user's own.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import pickle
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pydantic
import yaml

from harness.seeds import Seed

FOLDER = Path("cache") / "goldens"  # under the reports folder
_KEY_CHARS = 32  # a key's hex digits in an entry's name: "<golden file stem>-<key>.pickle"


@functools.cache
def code_fingerprint() -> bytes:
    """The digest of the harness's own source and of what parses and checks a golden beside it."""
    digest = hashlib.blake2b(digest_size=16)
    root = Path(__file__).resolve().parent
    for path in sorted(root.rglob("*.py")):
        digest.update(f"{path.relative_to(root)}\0".encode())
        digest.update(path.read_bytes())
    digest.update(f"{sys.version_info[:2]} {pydantic.VERSION} {yaml.__version__}".encode())
    return digest.digest()


@dataclass(frozen=True)
class Stored:
    """A kept golden: its seed id, the draft items its file has (left out of the golden) and the golden's
    pickle."""

    seed: str
    drafts: int
    pickled: bytes


@dataclass(frozen=True)
class GoldenStore:
    folder: Path
    inputs: bytes  # the digest of the code and of every seed

    @classmethod
    def open(cls, reports_dir: Path, seeds: Mapping[str, Seed]) -> GoldenStore:
        digest = hashlib.blake2b(code_fingerprint(), digest_size=16)
        for seed_id in sorted(seeds):
            digest.update(f"{seed_id}\0{seeds[seed_id].text}\0".encode())
        return cls(reports_dir / FOLDER, digest.digest())

    def _entry(self, golden_file: Path) -> Path:
        key = hashlib.blake2b(self.inputs + golden_file.read_bytes(), digest_size=_KEY_CHARS // 2).hexdigest()
        return self.folder / f"{golden_file.stem}-{key}.pickle"

    def get(self, golden_file: Path) -> Stored | None:
        """The golden kept for ``golden_file`` as it is now; None when there is none (or it cannot be read)."""
        try:
            data = self._entry(golden_file).read_bytes()
            stream = io.BytesIO(data)
            seed, drafts, digest = pickle.load(stream)
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
            return None
        pickled = data[stream.tell() :]
        if hashlib.blake2b(pickled, digest_size=16).digest() != digest:
            return None
        return Stored(seed, drafts, pickled)

    def put(self, golden_file: Path, stored: Stored) -> None:
        """Keep ``stored`` as what checking ``golden_file`` gives, in place of what was kept for an earlier
        version of it. A folder that cannot be written only makes the next command slower."""
        try:
            entry = self._entry(golden_file)
            self.folder.mkdir(parents=True, exist_ok=True)
            header = (stored.seed, stored.drafts, hashlib.blake2b(stored.pickled, digest_size=16).digest())
            part = entry.with_name(f"{entry.name}.{os.getpid()}.part")
            part.write_bytes(pickle.dumps(header, pickle.HIGHEST_PROTOCOL) + stored.pickled)
            os.replace(part, entry)  # whole or not at all, whoever reads it meanwhile
            for old in self.folder.glob("*.pickle"):
                if old != entry and old.name[: -len(f"-{'0' * _KEY_CHARS}.pickle")] == golden_file.stem:
                    old.unlink(missing_ok=True)
        except OSError:
            return
