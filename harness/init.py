"""`harness init ARTICLE`: start goldens for your own article.

Copies the article into ``seeds/<id>.txt`` byte for byte, writes ``seeds/<id>.meta.yaml`` and a golden
skeleton ``goldens/<id>.yaml`` that validates as written: empty sections, with one commented example
of each kind of item to copy, fill in from the article and uncomment. Nothing is overwritten.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from harness.errors import ConfigError
from harness.seeds import SEED_ID, SEED_ID_RULE

SKELETON = """\
# Golden facts for seeds/{id}.txt: write what the article says, quote it verbatim as evidence.
# `harness validate` checks every quote against the article (and offers the closest passage when
# one is not verbatim); the format is in the README ("Seeds and goldens") and golden.schema.json.
seed: {id}
as_of: {today}               # the facts are true as of this date
questions: []
#  - id: injured-count        # unique in the file
#    question: How many people were injured?
#    type: number             # number | entity | text | date | boolean
#    answer: 90
#    wrong: [12]              # numbers the article tempts a model to give instead
#    evidence: "At least 12 people were killed and 90 were injured"
#    tags: [casualties]
#  - id: drone-count
#    question: How many drones were launched?
#    answerable: false        # the article does not say: the right answer is to decline
claims: []
#  - id: border-length
#    claim: Norway shares a border of about 300 miles with Russia.
#    label: refuted           # supported | refuted | not_enough_info
#    evidence: "shares a roughly 123-mile (198-kilometer) border with Russia"
#    correction: {{type: number, answer: 123, unit: mi, aliases: ["198 km"]}}   # refuted claims: the true fact
# summary:
#   max_words: 120
#   key_facts:               # each: every OR-group of `require` must be stated
#     - {{id: casualties, fact: At least 12 killed and 90 injured, weight: 2, require: [[12, twelve], [killed, dead]]}}
#   forbidden:
#     - {{id: praise, fact: Trump praised the strikes, require: [[praised], [strike, strikes]]}}
"""


def seed_id_for(path: Path) -> str:
    """A seed id from a file name: "Kyiv Strike (AP).txt" -> "kyiv-strike-ap"."""
    return re.sub(r"[^a-z0-9_]+", "-", path.stem.lower()).strip("-_")[:100]


def init_article(article: Path, seeds: Path, goldens: Path, seed_id: str | None, title: str | None) -> list[Path]:
    """Write the seed, its meta file and a golden skeleton; the paths written."""
    if not article.is_file():
        raise ConfigError(f"{article}: no such file. Fix: pass the article as a UTF-8 text file")
    text = article.read_bytes()
    try:
        text.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{article}: not UTF-8 (byte {exc.start}). Fix: save the article as UTF-8 text") from None
    name = seed_id or seed_id_for(article)
    if not SEED_ID.match(name):
        raise ConfigError(f"seed id {name!r} is not valid. Fix: pass --id using {SEED_ID_RULE}")
    targets = [seeds / f"{name}.txt", seeds / f"{name}.meta.yaml", goldens / f"{name}.yaml"]
    taken = [str(p) for p in targets if p.exists()]
    if taken:
        raise ConfigError(f"{', '.join(taken)} already exist. Fix: pass another --id, or remove them first")
    seeds.mkdir(parents=True, exist_ok=True)
    goldens.mkdir(parents=True, exist_ok=True)
    targets[0].write_bytes(text)  # byte for byte: evidence quotes are checked against exactly this
    meta = f"title: {json.dumps(title or name, ensure_ascii=False)}\n"
    meta += f"source: {json.dumps(article.name, ensure_ascii=False)}\n"
    targets[1].write_text(meta, encoding="utf-8")
    targets[2].write_text(SKELETON.format(id=name, today=dt.date.today().isoformat()), encoding="utf-8")
    return targets
