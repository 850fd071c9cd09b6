"""Every notebook in notebooks/ executes headless (nbclient) without an error, and is committed
without outputs; the teaching notebooks follow Goals → Theory → Tasks → Interactive → Legend."""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
ALL = sorted(NOTEBOOKS.glob("*.ipynb"))
INDEX = "00_start_here.ipynb"  # links every notebook and dashboard view; tests/test_lab.py
TEACHING = [p for p in ALL if p.name not in ("dashboard.ipynb", INDEX)]


def test_there_are_a_dashboard_and_three_teaching_notebooks():
    assert (NOTEBOOKS / "dashboard.ipynb") in ALL
    assert len(TEACHING) >= 3


@pytest.mark.parametrize("path", ALL, ids=[p.name for p in ALL])
def test_notebook_is_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, path.name


@pytest.mark.parametrize("path", ALL, ids=[p.name for p in ALL])
def test_notebook_executes(path, monkeypatch):
    monkeypatch.delenv("QUERY_STRING", raising=False)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}
    )
    client.execute()  # raises CellExecutionError on any error
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    # the interactive part displays the widget
    widget_views = [
        o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})
    ]
    assert widget_views, path.name


def test_dashboard_notebook_is_thin():
    nb = nbformat.read(NOTEBOOKS / "dashboard.ipynb", as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    # two cells: build before the page request (pre-heated kernel), apply the query after it
    assert len(code) == 2 and sum(len(c.splitlines()) for c in code) <= 8
    assert "build_dashboard" in code[0] and "wait_for_page_request()" in code[1]
    assert "apply_query()" in code[1]


def test_a_cold_kernel_draws_its_link_once(monkeypatch):
    """Not pre-heated (plain Voila, the Jupyter route, the pool empty): QUERY_STRING is known
    when the notebook starts, so the dashboard is built for the link and drawn once, not drawn
    with the defaults and then again for the link."""
    for name in ("VOILA_PREHEAT", "VOILA_KERNEL_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("QUERY_STRING", "target=Xe&E=1&mu=3e-11")
    nb = nbformat.read(NOTEBOOKS / "dashboard.ipynb", as_version=4)
    scope: dict = {}
    for cell in (c for c in nb.cells if c.cell_type == "code"):
        exec(cell.source, scope)  # the notebook's own two cells, in order
    dash = scope["dash"]
    assert (dash.state.target, dash.state.E, dash.state.mu) == ("Xe", 1.0, 3e-11)
    assert dash.recomputes == 1


@pytest.mark.parametrize("path", TEACHING, ids=[p.name for p in TEACHING])
def test_teaching_notebook_structure(path):
    nb = nbformat.read(path, as_version=4)
    headings = [
        line
        for c in nb.cells
        if c.cell_type == "markdown"
        for line in c.source.splitlines()
        if line.startswith("## ")
    ]
    assert headings == ["## Goals", "## Theory", "## Tasks", "## Interactive part", "## Legend"]
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert text.count("<details><summary>Solution</summary>") >= 3
    assert "$$" in text  # LaTeX lives in markdown
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "from explorer" in code
