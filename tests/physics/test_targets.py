"""Targets: isotopes, masses, abundances and atomic subshells (docs/design.md, "Stepping and binding
energies" and "CEvNS cross section and nuclear masses")."""

import periodictable
import pytest
from hepunits import eV, keV

from explorer.physics import atomic, available_elements, target
from explorer.physics.constants import ATOMIC_MASS_UNIT, ME

ALL = available_elements()

# IUPAC 2021 standard atomic weights given as intervals (periodictable lists a conventional value).
IUPAC_INTERVALS = {"Li": (6.938, 6.997), "B": (10.806, 10.821), "S": (32.059, 32.076)}


def test_every_element_with_natural_composition_is_available():
    # periodictable + the CIAAW uranium override: Z = 1…92 less Tc, Pm, Po, At, Rn, Fr, Ra, Ac.
    missing = {"Tc", "Pm", "Po", "At", "Rn", "Fr", "Ra", "Ac"}
    assert len(ALL) == 92 - len(missing)
    assert not missing & set(ALL)
    assert "U" in ALL and "Th" in ALL


@pytest.mark.parametrize("sym", ALL)
def test_shell_table_is_complete_and_physical(sym):
    t = target(sym)
    occ = sum(s.occupancy for s in t.shells)
    assert occ == pytest.approx(t.Z, abs=1e-9)
    assert all(s.occupancy > 0 for s in t.shells)
    # docs/design.md, "Stepping and binding energies": no level below the first ionisation energy
    # (NIST ASD)
    assert min(s.binding for s in t.shells) >= t.ionization_energy
    assert sum(i.fraction for i in t.isotopes) == pytest.approx(1.0, abs=1e-12)
    # step factor reaches Z above the deepest level
    assert atomic.step_factor(max(s.binding for s in t.shells) * 1.0001, t) == pytest.approx(t.Z)


@pytest.mark.parametrize("sym", ALL)
def test_mean_atomic_mass_is_standard_atomic_weight(sym):
    # Second route: the abundance-weighted nuclear mass + Z m_e is the standard atomic weight that
    # periodictable tabulates separately (IUPAC), to its rounding (≤ 2e-4 relative; U from CIAAW).
    t = target(sym)
    atomic_mass_u = (t.mass + t.Z * ME) / ATOMIC_MASS_UNIT
    if sym in IUPAC_INTERVALS:  # elements whose natural composition varies: check the interval
        lo, hi = IUPAC_INTERVALS[sym]
        assert lo <= atomic_mass_u <= hi
    else:
        assert atomic_mass_u == pytest.approx(periodictable.elements[t.Z].mass, rel=2e-4, abs=0)


@pytest.mark.parametrize(
    ("sym", "edge_kev"),
    [
        # K-shell binding energies, X-ray Data Booklet (LBNL 2009), Table 1-1, in eV:
        # Na 1070.8, Si 1839, Ar 3205.9, Ge 11103, I 33169, Xe 34561, Cs 35985.
        ("Na", 1.0708),
        ("Si", 1.839),
        ("Ar", 3.2059),
        ("Ge", 11.103),
        ("I", 33.169),
        ("Xe", 34.561),
        ("Cs", 35.985),
    ],
)
def test_k_edges_match_xray_data_booklet(sym, edge_kev):
    k = next(s for s in target(sym).shells if s.name == "K")
    assert k.occupancy == 2
    assert k.binding / keV == pytest.approx(edge_kev, rel=2e-3, abs=0)


def test_ge_outer_shells_sit_at_the_ionisation_energy():
    # xraylib's Ge 4p edge is 2.3 eV (solid state); NIST ASD I₁(Ge) = 7.899435 eV.
    ge = target("Ge")
    assert ge.ionization_energy / eV == pytest.approx(7.899435, rel=1e-7, abs=0)
    outer = [s for s in ge.shells if s.name in ("N1", "N2", "N3")]
    assert sum(s.occupancy for s in outer) == pytest.approx(4)
    assert all(s.binding == ge.ionization_energy for s in outer)
    # Ge L3 edge, X-ray Data Booklet: 1217.0 eV; M5 (3d5/2): 29.3 eV (booklet) – xraylib 28.7
    assert next(s for s in ge.shells if s.name == "L3").binding / eV == pytest.approx(1217.0, abs=2)


def test_cs_has_its_6s_electron():
    # xraylib has no 6s edge for Cs: it must sit at I₁(Cs) = 3.893905727 eV (NIST ASD).
    cs = target("Cs")
    p1 = next(s for s in cs.shells if s.name == "P1")
    assert p1.occupancy == 1
    assert p1.binding / eV == pytest.approx(3.893905727, rel=1e-8, abs=0)


def test_isotope_spellings_and_properties():
    a, b, c = target("Ge72"), target("Ge-72"), target("72Ge")
    assert a == b == c
    assert a.Z == 32 and a.N == 40 and len(a.isotopes) == 1 and a.single_isotope
    # AME2020: m(⁷²Ge) = 71.922075826 u; M_N = m − Z m_e.
    assert a.mass == pytest.approx(71.922075826 * ATOMIC_MASS_UNIT - 32 * ME, rel=1e-9, abs=0)
    assert target("ge") == target("Germanium") == target("Ge")
    xe = target("Xe")
    assert len(xe.isotopes) == 9
    # IUPAC: ¹³²Xe 26.909 %, ¹²⁹Xe 26.401 %
    frac = {i.A: i.fraction for i in xe.isotopes}
    assert frac[132] == pytest.approx(0.26909, abs=1e-4)
    assert frac[129] == pytest.approx(0.26401, abs=1e-4)
    assert "Ge" in repr(target("Ge")) and target("Ge72").label == "⁷²Ge"


@pytest.mark.parametrize(
    ("name", "match"),
    [
        ("Xx", "target must name an element"),
        ("", "target must name an element"),
        ("Ge999", "no isotope with A = 999"),
        ("Tc", "no natural isotopic composition"),
        ("Pu", "target must name an element with Z = 1…92"),
        (32, "target must be a string"),
        (None, "target must be a string"),
    ],
)
def test_bad_target_names(name, match):
    with pytest.raises(ValueError, match=match):
        target(name)


def test_unstable_isotope_is_its_own_target():
    tc = target("Tc99")
    assert tc.Z == 43 and tc.N == 56


def test_step_factor_edges_ge():
    ge = target("Ge")
    # below I₁ nothing; at 7.9 eV the four n = 4 electrons; between M4/5 (28.7 eV) and M3 the 3d;
    # just below the K edge 30 electrons; above, 32.
    assert atomic.step_factor(7.0 * eV, ge) == 0
    assert atomic.step_factor(ge.ionization_energy, ge) == 4  # θ(0) = 1
    assert atomic.step_factor(50 * eV, ge) == 14
    assert atomic.step_factor(11.0 * keV, ge) == 30
    assert atomic.step_factor(11.2 * keV, ge) == 32


def test_atomic_recoil_scale_matches_paper():
    # Paper after eq. 11: T − I ≲ 2 Z^{4/3} E_h m_e / M_N ≈ 0.04 eV for germanium.
    assert atomic.recoil_scale("Ge") / eV == pytest.approx(0.04, abs=0.005)
    # Second route by hand: 2 · 32^{4/3} · 27.211 eV · 0.51100 MeV / (72.630 u − 32 m_e)
    m_n = 72.630 * 931.49410372 - 32 * 0.51099895
    assert atomic.recoil_scale("Ge") / eV == pytest.approx(
        2 * 32 ** (4 / 3) * 27.211386 * 0.51099895 / m_n, rel=2e-5, abs=0
    )
    # Xe: heavier nucleus, larger Z: 2 · 54^{4/3} · 27.211 eV · m_e / M_N(Xe)
    m_xe = 131.293 * 931.49410372 - 54 * 0.51099895
    assert atomic.recoil_scale("Xe") / eV == pytest.approx(
        2 * 54 ** (4 / 3) * 27.211386 * 0.51099895 / m_xe, rel=2e-5, abs=0
    )


def test_j_split_occupancies_are_exact_fractions():
    # xraylib writes the 3d₃/₂ : 3d₅/₂ split of Fe (3d⁶) as 2.4 : 3.6 (fifths) and Ce 4f as
    # sevenths; the thirds of p shells are 0.666667 : 1.333333.
    fe = {s.name: s.occupancy for s in target("Fe").shells}
    assert (fe["M4"], fe["M5"]) == (pytest.approx(2.4, abs=1e-12), pytest.approx(3.6, abs=1e-12))
    ge = {s.name: s.occupancy for s in target("Ge").shells}
    assert ge["N2"] == pytest.approx(2 / 3, abs=1e-12)
