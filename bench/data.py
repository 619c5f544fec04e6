"""Synthetic seeds and goldens for the stub benchmarks, validated with the harness's own loaders.

``make_dataset(folder, items)`` writes ``seeds/`` and ``goldens/`` with ``SEEDS`` articles
whose goldens hold ``items`` work items in all (questions, claims and one summary per seed),
so ``harness run --limit N`` can take any N <= items. Articles are about 14 KB (between the
shipped El País and AP seeds); every evidence quote is a sentence of its article.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from harness.goldens import load_runnable
from harness.seeds import load_seeds

SEEDS = 4
SENTENCES = 120
CLAIMS_PER_SEED = 49
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml: a million-item dataset in seconds


def _sentence(seed: int, k: int) -> str:
    return (
        f"In district {k} of region {seed}, {100 + 7 * k} people attended the council meeting "
        f"on day {k % 28 + 1}, and {k + 3} speakers addressed the hall."
    )


def article(seed: int, sentences: int = SENTENCES) -> str:
    lines = [f"Regional council report number {seed}."]
    lines += [_sentence(seed, k) for k in range(sentences)]
    return "\n".join(lines) + "\n"


def golden(seed: int, questions: int, claims: int, sentences: int = SENTENCES) -> dict[str, Any]:
    qs: list[dict[str, Any]] = []
    for i in range(questions):
        k = i % sentences
        if i % 10 == 9:
            qs.append(
                {
                    "id": f"q{i}",
                    "question": f"How many journalists covered meeting {i} of region {seed}?",
                    "type": "number",
                    "answerable": False,
                    "tags": ["unanswerable"],
                }
            )
            continue
        qs.append(
            {
                "id": f"q{i}",
                "question": f"How many people attended the council meeting in district {k} of region {seed}? ({i})",
                "type": "number",
                "answer": 100 + 7 * k,
                "wrong": [k + 3],
                "evidence": _sentence(seed, k),
                "tags": ["number", "critical"] if i % 5 == 0 else ["number"],
            }
        )
    cs = [
        {
            "id": f"c{i}",
            "claim": f"{100 + 7 * (i % sentences)} people attended the meeting in district {i % sentences}. ({i})",
            "label": "supported",
            "evidence": _sentence(seed, i % sentences),
        }
        for i in range(claims)
    ]
    return {
        "seed": f"bench-{seed:02d}",
        "as_of": "2025-01-01",
        "questions": qs,
        "claims": cs,
        "summary": {
            "max_words": 80,
            "key_facts": [{"id": "attendance", "fact": "people attended", "require": [["attended"], ["people"]]}],
            "forbidden": [{"id": "cancelled", "fact": "meeting cancelled", "require": [["cancelled"]]}],
        },
    }


def make_dataset(folder: Path, items: int = 2000, seeds: int = SEEDS, sentences: int = SENTENCES) -> tuple[Path, Path]:
    """Write ``folder/seeds`` and ``folder/goldens`` with ``items`` work items over ``seeds`` articles of
    ``sentences`` sentences (~130 bytes each); check them; return both folders."""
    per_seed = -(-items // seeds)
    claims = max(1, min(CLAIMS_PER_SEED, per_seed // 10))
    questions = per_seed - claims - 1
    if questions < 1:
        raise ValueError(f"need at least {seeds * 3} items")
    seeds_dir, goldens_dir = folder / "seeds", folder / "goldens"
    seeds_dir.mkdir(parents=True, exist_ok=True)
    goldens_dir.mkdir(parents=True, exist_ok=True)
    for s in range(seeds):
        (seeds_dir / f"bench-{s:02d}.txt").write_text(article(s, sentences), encoding="utf-8")
        data = golden(s, questions, claims, sentences)
        text = yaml.dump(data, Dumper=_DUMPER, sort_keys=False, allow_unicode=True)
        (goldens_dir / f"bench-{s:02d}.yaml").write_text(text, encoding="utf-8")
    goldens = load_runnable(goldens_dir, load_seeds(seeds_dir))[0]  # raises GoldenError with the problems
    total = sum(len(g.questions) + len(g.claims) + (g.summary is not None) for g in goldens.values())
    if total < items:
        raise ValueError(f"the synthetic goldens hold {total} items, fewer than {items}")
    return seeds_dir, goldens_dir
