"""docs/scoring.md's agreement tables on EVOUNA are what `harness agree` gives today (a change to the
matcher that moves them fails here until the doc is remade with the commands it shows)."""

from __future__ import annotations

import pytest

from harness.agree import agree
from harness.agree.render import agreement_markdown
from tests.conftest import REPO

EVOUNA = REPO.parent / "shared" / "data" / "evouna"


@pytest.mark.parametrize("name", ["nq", "tq"])
def test_the_published_agreement_is_todays(name: str) -> None:
    path = EVOUNA / f"{name}.jsonl.gz"
    assert path.is_file(), f"{path} is missing: the EVOUNA data ships in ../shared/data/evouna"
    report, problems = agree(path, examples=0)
    assert problems == []
    doc = (REPO / "docs" / "scoring.md").read_text(encoding="utf-8")
    assert agreement_markdown(report) in doc, f"remake docs/scoring.md's {name} tables (commands there)"
