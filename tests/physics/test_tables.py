"""``explorer/physics/data/elements.json`` (made by tools/make_tables.py) holds exactly the
periodictable and xraylib values that explorer.physics.targets reads: compared here, for every
element Z = 1…92, with the installed libraries themselves (the independent source)."""

import periodictable
import pytest
import xraylib

from explorer.physics import targets

Z_ALL = range(1, targets.Z_MAX + 1)


@pytest.mark.parametrize("Z", Z_ALL)
def test_isotopes_agree_with_periodictable(Z):
    el, ref = targets._elements()[Z], periodictable.elements[Z]
    assert (el.number, el.symbol, el.name) == (ref.number, ref.symbol, ref.name)
    assert sorted(el.isotopes) == sorted(ref.isotopes)
    for A, (mass, abundance) in el.isotopes.items():
        # exact: the file stores the library's floats (JSON keeps a float's shortest repr)
        assert mass == ref[A].mass and abundance == ref[A].abundance, A


@pytest.mark.parametrize("Z", Z_ALL)
def test_shells_agree_with_xraylib(Z):
    el = targets._elements()[Z]
    listed = {idx: (occ, edge) for idx, occ, edge in el.shells}
    for idx in range(len(targets._SHELL_NAMES)):
        try:
            occ = xraylib.ElectronConfig(Z, idx)
        except ValueError:
            assert idx not in listed
            continue
        if occ <= 0:
            assert idx not in listed
            continue
        try:
            edge = xraylib.EdgeEnergy(Z, idx)
        except ValueError:
            edge = None
        assert listed[idx] == (occ, edge), (Z, targets._SHELL_NAMES[idx])


def test_file_names_its_sources_and_matches_these_versions():
    import json
    from importlib import resources

    raw = json.loads(
        resources.files("explorer.physics").joinpath("data/elements.json").read_text("utf-8")
    )
    assert raw["generated_by"] == "tools/make_tables.py"
    assert raw["sources"] == {
        "periodictable": periodictable.__version__,
        "xraylib": xraylib.__version__,
    }
