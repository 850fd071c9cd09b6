"""The package's layout rules (issue 20), checked on the source text with the ast module:

* no module of ``explorer`` imports a private name (``_x``) from another module of the package,
  or reaches one as ``module._x``. A private *module* (``_validate``) is a helper
  of its own package: its siblings may import its public names.
* in the whole package: no module over 400 lines except data tables, and no function over 60
  lines of code (its docstring not counted: a formula's documentation is never cut to fit).
* layers import downward only (docs/design.md, "Layers"): ``explorer.physics`` imports nothing of
  the explorer above it; inside ``explorer.app`` the subpackages are ranked declare → state →
  view → render → widgets → control, and a module imports only from its own rank and below; the
  server (``explorer.serving``, ``explorer.page``) reads the app below its widgets only. Imports
  inside functions count too.
* no import cycle among the package's modules (function-level imports included).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "explorer"
PHYSICS = PACKAGE / "physics"
#: modules of explorer that are data tables (exempt from the 400-line rule), relative to explorer/
DATA_TABLES: set[str] = set()
#: the app's layers, lowest first: a module of one may import from it and the ones before it
APP_LAYERS = ("declare", "state", "view", "render", "widgets", "control")
#: what the server may read of the app: the layers below the widgets
SERVER_MAY_READ = APP_LAYERS[:4]
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


@pytest.mark.parametrize("path", _modules(PACKAGE), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_size(path):
    if str(path.relative_to(PACKAGE)) in DATA_TABLES:
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


def test_functions_at_most_60_lines_of_code():
    long = []
    for path in _modules(PACKAGE):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if _code_lines(node) > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.name}")
    assert long == []


# -- layers and cycles --------------------------------------------------------------------------
def imported_modules(path: Path) -> set[str]:
    """The explorer modules that the module at ``path`` imports, at any depth of its code: for
    ``from P import n`` the module ``P.n`` when it is one, else ``P``."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.split(".")[0] == "explorer"}
        elif isinstance(node, ast.ImportFrom):
            source = _resolve(path, node)
            if source.split(".")[0] != "explorer":
                continue
            for a in node.names:
                full = f"{source}.{a.name}"
                out.add(full if _is_module(full) else source)
    return out


def _rank(module: str):
    """(area, rank) of a module: ("physics", 0), ("app", i) for the i-th layer, ("app", None)
    for explorer.app itself, ("server", 0), or ("top", 0)."""
    parts = module.split(".")
    if parts[1:2] == ["physics"]:
        return "physics", 0
    if parts[1:2] == ["app"]:
        return "app", APP_LAYERS.index(parts[2]) if len(parts) > 2 else None
    if parts[1:2] in (["serving"], ["page"]):
        return "server", 0
    return "top", 0


def layer_violations(path: Path) -> list[str]:
    """The imports of the module at ``path`` that go up a layer (or sideways out of its area)."""
    here = _dotted(path)
    area, rank = _rank(here)
    bad = []
    for target in sorted(imported_modules(path)):
        if target == here or here.startswith(target + "."):  # its own package(s)
            continue
        t_area, t_rank = _rank(target)
        if area == "physics":
            ok = t_area == "physics"
        elif area == "app" and rank is not None:
            ok = t_area == "physics" or (t_area == "app" and t_rank is not None and t_rank <= rank)
        elif area == "server":
            ok = t_area in ("physics", "server") or (
                t_area == "app" and t_rank is not None and APP_LAYERS[t_rank] in SERVER_MAY_READ
            )
        else:  # explorer/__init__, explorer.app/__init__ (lazy: it names modules, imports none)
            ok = True
        if not ok:
            bad.append(f"{here} imports {target}")
    return bad


def test_the_layer_check_has_teeth():
    view = PACKAGE / "app" / "view" / "compute.py"
    assert _rank("explorer.app.view.compute") == ("app", 2)
    assert _rank("explorer.app.widgets.panels") == ("app", 4)
    assert "explorer.app.state.traits" in imported_modules(view)
    assert layer_violations(view) == []


def test_layers_import_downward_only():
    bad = [v for path in _modules(PACKAGE) for v in layer_violations(path)]
    assert bad == []


def test_every_app_module_is_in_a_layer():
    app = PACKAGE / "app"
    loose = [p.name for p in app.glob("*.py") if p.name != "__init__.py"]
    assert loose == []
    assert sorted(p.name for p in app.iterdir() if (p / "__init__.py").is_file()) == sorted(
        APP_LAYERS
    )


def _cycles(graph: dict) -> list:
    """The strongly connected components of more than one module (Tarjan), or self-loops."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def import_graph() -> dict:
    graph = {}
    for path in _modules(PACKAGE):
        here = _dotted(path)
        graph[here] = {t for t in imported_modules(path)
                       if t != here and not here.startswith(t + ".")}  # fmt: skip
    return graph


def test_the_cycle_check_has_teeth():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycle():
    assert _cycles(import_graph()) == []


# -- the server ----------------------------------------------------------------------------------
def _third_party_imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_only_one_module_of_the_server_touches_voila():
    touching = [p.name for p in _modules(PACKAGE / "serving") if "voila" in _third_party_imports(p)]
    assert touching == ["voila_internals.py"]


#: What the server reads of the app (explorer.serving imports them lazily, when it serves).
SERVER_READS = (
    "explorer.serving",
    "explorer.serving.previews",
    "explorer.serving.pages",
    "explorer.app",
    "explorer.app.declare.channels",
    "explorer.app.declare.dom",
    "explorer.app.render.preview",
    "explorer.app.render.style",
)


def test_the_server_never_imports_ipywidgets():
    import subprocess

    code = (
        "import importlib, sys\n"
        f"for m in {SERVER_READS!r}: importlib.import_module(m)\n"
        "from explorer.app.render import preview\n"
        "preview.render('electron', preview.plan('target=Xe').views['electron'])\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('ipywidgets', 'ipykernel'))\n"
        "assert not bad, bad\n"
        "import explorer.app\n"
        "assert 'explorer.app.control.dashboard' not in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]


# -- the channel records -------------------------------------------------------------------------
def test_each_channel_names_its_code_in_the_right_layer():
    from explorer.app.declare.channels import CHANNELS, resolve

    for ch in CHANNELS.values():
        for field, layer in (("compute", "view"), ("present", "view"), ("figure", "render")):
            module = getattr(ch, field).partition(":")[0]
            assert module.startswith(f"explorer.app.{layer}."), (ch.name, field, module)
            assert callable(resolve(getattr(ch, field))), (ch.name, field)


def test_no_code_tests_a_channel_by_its_name():
    """Outside the records, code asks a channel's record, never compares its name."""
    names = {"electron", "nucleus", "rates"}
    bad = []
    for path in _modules(PACKAGE / "app"):
        if path.name in ("channels.py", "params.py", "presets.py"):  # the declarations
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Compare):
                consts = [c for c in (node.left, *node.comparators) if isinstance(c, ast.Constant)]
                if any(c.value in names for c in consts):
                    bad.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
                for c in node.comparators:
                    if isinstance(c, ast.Tuple | ast.Set | ast.List) and any(
                        isinstance(e, ast.Constant) and e.value in names for e in c.elts
                    ):
                        bad.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert bad == []
