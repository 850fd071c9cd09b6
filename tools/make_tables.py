"""Regenerate ``explorer/physics/data/elements.json`` from periodictable and xraylib.

Run: ``.venv/bin/python tools/make_tables.py`` (after upgrading either library; then run
``tests/physics/test_tables.py``, which compares the file with the libraries).

The dashboard's kernels read the per-element data they need from this file instead of importing
periodictable and xraylib (issue 10: −3.4 MB resident and 0.1–0.2 s per kernel, measured on
2026-12-01). The file holds, for Z = 1…92, exactly what :mod:`explorer.physics.targets` used to
read from the libraries, unrounded:

* ``symbol``, ``name``; ``isotopes``: A → [atomic mass in u, natural abundance in %]
  (periodictable: AME2020 masses, IUPAC/CIAAW abundances; 0 where none);
* ``shells``: [xraylib shell index, ``ElectronConfig(Z, index)``, ``EdgeEnergy(Z, index)`` in keV
  or null where xraylib has no edge] for every index where ``ElectronConfig`` is defined and > 0.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "explorer" / "physics" / "data" / "elements.json"
Z_MAX = 92
N_SHELLS = 31  # xraylib K … Q3 (explorer.physics.targets._SHELL_NAMES)


def build() -> dict:
    import periodictable
    import xraylib

    elements = {}
    for Z in range(1, Z_MAX + 1):
        el = periodictable.elements[Z]
        isotopes = {str(A): [el[A].mass, el[A].abundance] for A in el.isotopes}
        shells = []
        for idx in range(N_SHELLS):
            try:
                occ = xraylib.ElectronConfig(Z, idx)
            except ValueError:
                continue
            if occ <= 0:
                continue
            try:
                edge = xraylib.EdgeEnergy(Z, idx)
            except ValueError:
                edge = None
            shells.append([idx, occ, edge])
        elements[str(Z)] = {
            "symbol": el.symbol,
            "name": el.name,
            "isotopes": isotopes,
            "shells": shells,
        }
    return {
        "generated_by": "tools/make_tables.py",
        "sources": {
            "periodictable": periodictable.__version__,
            "xraylib": xraylib.__version__,
        },
        "elements": elements,
    }


def main() -> int:
    data = build()
    OUT.write_text(json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size / 1024:.0f} kB) from {data['sources']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
