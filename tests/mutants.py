"""``make mutate``: mutation testing of the modules that produce published numbers (docs/testing.md).

mutmut (configured in pyproject.toml, ``[tool.mutmut]``) makes broken copies of every function in
scoring, statistics, report metrics, compare/check and the cache key, and runs the fast tests that
pin those numbers against each. This prints the tally per module, writes every mutant no test
killed (with its diff) to ``mutants/survivors.txt``, and exits 1 when fewer than ``--target`` of the
mutants were killed. It also applies, one at a time, the hand-written mutants in ``NAMED`` (bugs
that once survived the whole suite) and fails if the tests pass with any of them. Too slow for CI
(minutes); run it after changing those modules.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTMUT = Path(sys.executable).parent / "mutmut"
_LINE = re.compile(r"^\s*(?P<name>\S+?): (?P<status>.+)$")


# (file, original, mutant, what it breaks): each survived the full suite once (issue 20).
NAMED: tuple[tuple[str, str, str, str], ...] = (
    (
        "harness/compare.py",
        "if m.binary and m.p_value is not None and m.p_value < alpha:",
        "if m.binary:",
        "check ignores McNemar's p",
    ),
    (
        "harness/compare.py",
        "elif not m.binary and m.diff.hi is not None and m.diff.hi < 0:",
        "elif False:",
        "check ignores the coverage interval",
    ),
    (
        "harness/tasks/qa.py",
        "lambda r: _answer(r).hallucinated",
        'lambda r: r.outcome == "correct"',
        "hallucination_rate computed as abstention accuracy",
    ),
    (
        "harness/tasks/factcheck.py",
        "lambda cells: cells_macro_f1(cells, present)",
        "lambda cells: sum(n for (g, p), n in cells.items() if g == p) / cells.total()",
        "factcheck macro-F1 computed as plain accuracy",
    ),
    (
        "harness/cache.py",
        "if reply.error is not None or reply.text is None:",
        "if False:",
        "the cache stores and replays errors",
    ),
    ("harness/cache.py", '"sample": item.sample,', "", "sample left out of the cache key"),
    ("harness/matching/evidence.py", "GROUNDING_THRESHOLD = 0.8", "GROUNDING_THRESHOLD = 0.5", "grounding at 50%"),
)
# The tests mutmut runs (pyproject.toml): the fast ones that pin the numbers.
FAST_TESTS: list[str] = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mutmut"][
    "pytest_add_cli_args_test_selection"
]


def check_named() -> list[str]:
    """The NAMED mutants the fast tests fail to kill (each applied alone to a copy of the tree)."""
    survivors = []
    for file, original, mutant, what in NAMED:
        with tempfile.TemporaryDirectory() as tmp:
            tree = Path(tmp)
            for part in ("harness", "tests", "prompts", "goldens", "seeds", "pyproject.toml", "README.md"):
                copy = shutil.copytree if (ROOT / part).is_dir() else shutil.copy
                copy(ROOT / part, tree / part)
            source = (tree / file).read_text(encoding="utf-8")
            if source.count(original) != 1:
                raise SystemExit(f"{file}: the code of named mutant {what!r} changed; update NAMED in {__file__}")
            (tree / file).write_text(source.replace(original, mutant), encoding="utf-8")
            cmd = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *FAST_TESTS]
            done = subprocess.run(cmd, cwd=tree, capture_output=True, text=True, check=False)
        print(f"named mutant: {what}: {'killed' if done.returncode else 'SURVIVED'}")
        if done.returncode == 0:
            survivors.append(what)
    return survivors


def _mutmut(*args: str) -> str:
    done = subprocess.run([str(MUTMUT), *args], cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0 and args[0] != "run":
        raise SystemExit(f"mutmut {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return done.stdout


def _diff(name: str) -> list[str]:
    """The changed lines of a mutant; a note instead when mutmut cannot show it (it fails on some)."""
    done = subprocess.run([str(MUTMUT), "show", name], cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return [f"(mutmut show failed: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else '?'})"]
    return [ln for ln in done.stdout.splitlines() if ln[:1] in "+-" and ln[:3] not in ("+++", "---")]


def _module(name: str) -> str:
    """harness.stats.x_bootstrap__mutmut_3 -> harness.stats."""
    return name.split(".x_")[0].split(".xǁ")[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.mutants", description=__doc__.splitlines()[0])
    parser.add_argument("--target", type=float, default=0.95, help="share of mutants that must be killed")
    parser.add_argument("--children", type=int, default=os.cpu_count() or 2, help="mutants tested at once")
    parser.add_argument("--keep", action="store_true", help="reuse mutants/ from the last run (only changes)")
    args = parser.parse_args(argv)
    if not args.keep:
        shutil.rmtree(ROOT / "mutants", ignore_errors=True)
    _mutmut("run", "--max-children", str(args.children))
    statuses: dict[str, str] = {}
    for line in _mutmut("results", "--all", "true").splitlines():
        match = _LINE.match(line)
        if match:
            statuses[match["name"]] = match["status"].strip()
    if not statuses:
        raise SystemExit("mutmut produced no results: see `.venv/bin/mutmut run` output")
    tally: dict[str, Counter[str]] = defaultdict(Counter)
    for name, status in statuses.items():
        tally[_module(name)][status] += 1
    width = max(len(m) for m in tally)
    print(f"{'module':<{width}}  mutants  killed  survived  other")
    for module, counts in sorted(tally.items()):
        total = sum(counts.values())
        other = total - counts["killed"] - counts["survived"]
        print(f"{module:<{width}}  {total:7}  {counts['killed']:6}  {counts['survived']:8}  {other:5}")
    killed = sum(status == "killed" for status in statuses.values())
    share = killed / len(statuses)
    print(f"{'all':<{width}}  {len(statuses):7}  {killed:6}  ({share:.1%} killed, target {args.target:.0%})")
    survivors = sorted(name for name, status in statuses.items() if status != "killed")
    report = ROOT / "mutants" / "survivors.txt"
    with report.open("w", encoding="utf-8") as out:
        for name in survivors:
            out.write(f"## {name}: {statuses[name]}\n" + "\n".join(_diff(name)) + "\n\n")
    print(f"{len(survivors)} not killed, with their diffs, in {report.relative_to(ROOT)}")
    named = check_named()
    return 0 if share >= args.target and not named else 1


if __name__ == "__main__":
    sys.exit(main())
