"""The package stays readable: no module of harness/ over 400 lines, no function over 40."""

from __future__ import annotations

import ast

from tests.conftest import REPO

MODULES = sorted((REPO / "harness").rglob("*.py"))


def test_no_module_is_over_400_lines() -> None:
    sizes = {str(p.relative_to(REPO)): len(p.read_text(encoding="utf-8").splitlines()) for p in MODULES}
    assert {name: n for name, n in sizes.items() if n > 400} == {}


def test_no_function_is_over_40_lines() -> None:
    long = {}
    for path in MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno is not None:
                lines = node.end_lineno - node.lineno + 1
                if lines > 40:
                    long[f"{path.relative_to(REPO)}:{node.name}"] = lines
    assert long == {}
