"""Refresh the baseline comparison in README.md from `harness compare` (run after `make baselines`)."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MD = ROOT / "reports" / "compare-baselines.md"
A, B = "reports/baselines/local-smollm2-135m", "reports/baselines/baseline-lexical"

subprocess.run(
    [sys.executable, "-m", "harness.cli", "compare", A, B, "--md", str(MD)],
    cwd=ROOT,
    check=True,
    stdout=subprocess.DEVNULL,
)
lines = MD.read_text(encoding="utf-8").splitlines()
rows = [line for line in lines if line.startswith("|")]
split = next(i for i, line in enumerate(rows) if line.startswith("| item"))
flips = rows[split + 2 :]
block = "\n".join(
    [
        lines[2],
        "",
        *rows[:split],
        "",
        f"The first flipped items of the {len(flips)} (all are in `reports/compare-baselines.md`):",
        "",
        *rows[split : split + 2],
        *flips[:3],
    ]
)
readme = ROOT / "README.md"
text = readme.read_text(encoding="utf-8")
text = re.sub(
    r"(<!-- compare:start[^\n]*-->\n).*?(<!-- compare:end -->)",
    lambda m: m.group(1) + block + "\n" + m.group(2),
    text,
    flags=re.S,
)
readme.write_text(text, encoding="utf-8")
print(f"README.md: {len(flips)} flipped items; table from {MD.relative_to(ROOT)}")
