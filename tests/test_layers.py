"""Imports point one way: ui → agent → tracking → retrieval; evaluation uses the core; nothing imports ui.

Checked on the source (every ``import``/``from`` statement, including ones inside functions), so
a lazy import cannot slip a breach past the rule.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("retrieval", "tracking", "agent", "ui", "evaluation")
FORBIDDEN = {
    "retrieval": {"tracking", "agent", "ui", "evaluation"},
    "tracking": {"agent", "ui", "evaluation"},
    "agent": {"ui", "evaluation"},
    "evaluation": {"ui"},
    "ui": set(),  # the top: the CLI also runs `driftrec eval`
}


def imported_packages(path: Path) -> set[str]:
    """Top-level names that ``path`` imports (absolute imports only; the project uses no relative ones)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}:{node.lineno}: relative import"
            names.add((node.module or "").split(".")[0])
    return names


@pytest.mark.parametrize("package", PACKAGES)
def test_imports_point_one_way(package: str):
    breaches = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in sorted((ROOT / package).rglob("*.py"))
        for name in sorted(imported_packages(path) & FORBIDDEN[package])
    ]
    assert not breaches, "\n".join(breaches)


def test_the_checker_sees_lazy_imports(tmp_path: Path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from ui.app import build_app\n    import agent.llm\n")
    assert imported_packages(module) == {"ui", "agent"}
