"""Refresh docs/scoring.md's agreement tables on EVOUNA from `harness agree` (`make scoring-docs`)."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVOUNA = ROOT.parent / "shared" / "data" / "evouna"
DOC = ROOT / "docs" / "scoring.md"

text = DOC.read_text(encoding="utf-8")
for name in ("nq", "tq"):
    md = ROOT / "reports" / f"agree-{name}.md"
    data = EVOUNA / f"{name}.jsonl.gz"
    command = ["agree", str(data.relative_to(ROOT.parent)), "--ablation", "--examples", "0", "--md", str(md)]
    subprocess.run([sys.executable, "-m", "harness.cli", *command], cwd=ROOT.parent, check=True, stdout=subprocess.DEVNULL)
    block = md.read_text(encoding="utf-8").replace(str(data.relative_to(ROOT.parent)), f"../shared/data/evouna/{name}.jsonl.gz")
    text = re.sub(
        rf"(<!-- agree:{name} -->\n).*?(<!-- /agree:{name} -->)",
        lambda m, block=block: m.group(1) + block + m.group(2),
        text,
        flags=re.S,
    )
    print(f"docs/scoring.md: {name} tables from {md.relative_to(ROOT)}")
DOC.write_text(text, encoding="utf-8")
