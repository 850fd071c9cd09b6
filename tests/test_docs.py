"""The design lives in the repository (issue 20): docs/design.md exists, every citation of it names
one of its headings, and no file points at a document outside the repository."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DESIGN = ROOT / "docs" / "design.md"
SKIP = {".git", ".venv", "__pycache__", "node_modules", ".ipynb_checkpoints", ".pytest_cache"}
# spelled in two pieces so that this file does not cite them itself
OUTSIDE = ("DESIGN" + " §", "../" + "shared")
SELF = Path(__file__).resolve().relative_to(ROOT)
CITATION = re.compile(r'docs/design\.md, "([^"]+)"(?: and "([^"]+)")?')


def _text_files():
    for path in sorted(ROOT.rglob("*")):
        rel = path.relative_to(ROOT)
        if any(part in SKIP or part.endswith(".egg-info") for part in rel.parts):
            continue
        if not path.is_file() or path.stat().st_size > 2_000_000:
            continue
        try:
            yield rel, path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue


def _headings() -> set[str]:
    return {
        line.lstrip("#").strip() for line in DESIGN.read_text().splitlines() if line.startswith("#")
    }


def _joined(text: str) -> str:
    """The text with line breaks (and the comment markers of continued comments) as spaces."""
    return re.sub(r"\s*\n\s*(?:#:?\s*)?", " ", text)


def test_no_file_cites_a_document_outside_the_repository():
    bad = [
        f"{rel}:{n}: {line.strip()}"
        for rel, text in _text_files()
        for n, line in enumerate(text.splitlines(), 1)
        if any(s in line for s in OUTSIDE)
    ]
    assert bad == []


def test_every_citation_of_the_design_names_one_of_its_headings():
    headings = _headings()
    assert {"Layers", "Data path", "Physics conventions", "Serving", "Decisions"} <= headings
    cited, unknown = 0, []
    for rel, text in _text_files():
        if rel == SELF:  # its examples below are not citations
            continue
        for m in CITATION.finditer(_joined(text)):
            for name in filter(None, m.groups()):
                cited += 1
                if name not in headings:
                    unknown.append(f"{rel}: {name!r}")
    assert unknown == []
    assert cited >= 51  # the 51 lines that cited the brief outside the repository, and more


def test_the_citation_check_has_teeth():
    assert not CITATION.search('docs/design.md "Layers"')
    m = CITATION.search(_joined('see (docs/design.md, "Sign of eq.\n    # 13") here'))
    assert m and m[1] == "Sign of eq. 13" and m[1] in _headings()
    assert "Sign of eq. 14" not in _headings()
