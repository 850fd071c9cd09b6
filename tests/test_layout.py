"""The package's layout rules (issue 20), checked on the source text with the ast module:

* no module of ``explorer`` imports a private name (``_x``) from another module of the package,
  or reaches one as ``module._x``. A private *module* (``_validate``, ``_crossing``) is a helper
  of its own package: its siblings may import its public names.
* in ``explorer/physics`` (the layer this test owns; the app and the server have their own
  limits): no module over 400 lines except data tables, and no function over 60 lines of code
  (its docstring not counted: a formula's documentation is never cut to fit).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "explorer"
PHYSICS = PACKAGE / "physics"
#: modules of explorer/physics that are data tables (exempt from the 400-line rule)
DATA_TABLES: set[str] = set()
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def _modules(root: Path):
    return sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts)


def _dotted(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_module(dotted: str) -> bool:
    base = ROOT.joinpath(*dotted.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _resolve(path: Path, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    package = _dotted(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def private_uses(path: Path) -> list[str]:
    """Private names of other explorer modules that the module at ``path`` imports or reads."""
    tree = ast.parse(path.read_text(), str(path))
    here = _dotted(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    bad, module_aliases = [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("explorer") and a.asname:
                    module_aliases.add(a.asname)
        if not isinstance(node, ast.ImportFrom):
            continue
        source = _resolve(path, node)
        if not source.startswith("explorer"):
            continue
        for a in node.names:
            full = f"{source}.{a.name}"
            if _is_module(full):
                module_aliases.add(a.asname or a.name)
                if _private(a.name) and source != package:  # a private module leaves its package
                    bad.append(f"{here}: from {source} import {a.name}")
            elif _private(a.name):
                bad.append(f"{here}: from {source} import {a.name}")
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in module_aliases
            and _private(node.attr)
        ):
            bad.append(f"{here}:{node.lineno}: {node.value.id}.{node.attr}")
    return bad


def test_the_private_name_check_has_teeth(tmp_path, monkeypatch):
    pkg = tmp_path / "explorer" / "physics"
    pkg.mkdir(parents=True)
    (pkg / "a.py").write_text("def _k():\n    return 1\n")
    (pkg / "_h.py").write_text("def f():\n    return 1\n")
    (pkg / "b.py").write_text(
        "from .a import _k\nfrom . import a as m\nfrom . import _h\nx = m._k()\n"
    )
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    found = private_uses(pkg / "b.py")
    assert found == ["explorer.physics.b: from explorer.physics.a import _k",
                     "explorer.physics.b:4: m._k"]  # fmt: skip


def test_no_module_imports_a_private_name_of_another():
    bad = [use for path in _modules(PACKAGE) for use in private_uses(path)]
    assert bad == []


@pytest.mark.parametrize("path", _modules(PHYSICS), ids=lambda p: str(p.relative_to(PHYSICS)))
def test_physics_module_size(path):
    if path.name in DATA_TABLES:
        pytest.skip("data table")
    n = len(path.read_text().splitlines())
    assert n <= MAX_MODULE_LINES, f"{path.name}: {n} lines"


def _code_lines(fn: ast.FunctionDef) -> int:
    n = fn.end_lineno - fn.lineno + 1
    first = fn.body[0]
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
        if isinstance(first.value.value, str):
            n -= first.end_lineno - first.lineno + 1
    return n


def test_physics_functions_at_most_60_lines_of_code():
    long = []
    for path in _modules(PHYSICS):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if _code_lines(node) > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(PHYSICS)}:{node.lineno} {node.name}")
    assert long == []
