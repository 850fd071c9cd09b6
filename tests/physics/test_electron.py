"""Neutrino–electron scattering (eqs. 3–11): independent routes, limits and published numbers.

Tolerances: 1e-10 relative against the mpmath g_L/g_R route, 1e-6 against numerical integration,
and the precision of the quoted number for published values (said at each test).
"""

import math

import mpmath as mp
import numpy as np
import pytest
from hepunits import MeV, cm2, eV, keV
from scipy import constants as sc
from scipy import integrate

from explorer.physics import Neutrino, atomic, electron, target
from explorer.physics.constants import ALPHA, G_FERMI, HBARC2, ME

mp.mp.dps = 30
STATES = [(f, a) for f in ("e", "mu", "tau") for a in (False, True)]


def gl_gr(flavour, anti, s2):
    """Chiral couplings in the textbook form (e.g. Giunti & Kim, Fundamentals of Neutrino Physics,
    §5.x; Vogel & Engel 1989): ν_e: g_L = ½ + s², g_R = s²; ν_μ,τ: g_L = −½ + s², g_R = s²;
    antineutrinos exchange g_L and g_R."""
    gl = (mp.mpf(1) / 2 if flavour == "e" else -mp.mpf(1) / 2) + s2
    gr = mp.mpf(s2)
    return (gr, gl) if anti else (gl, gr)


def sm_gl_gr(T, E, flavour, anti, s2):
    """dσ/dT = (2 G_F² m_e/π)[g_L² + g_R²(1 − T/E)² − g_L g_R m_e T/E²] in cm²/MeV (mpmath)."""
    gl, gr = gl_gr(flavour, anti, mp.mpf(s2))
    T, E = mp.mpf(T), mp.mpf(E)
    gf, me = mp.mpf(G_FERMI), mp.mpf(ME)
    val = 2 * gf**2 * me / mp.pi * (gl**2 + gr**2 * (1 - T / E) ** 2 - gl * gr * me * T / E**2)
    return val * mp.mpf(HBARC2) / mp.mpf(cm2)


@pytest.mark.parametrize(("flavour", "anti"), STATES)
@pytest.mark.parametrize(
    ("T", "E"), [(10 * keV, 1 * MeV), (1 * MeV, 10 * MeV), (1 * eV, 20 * keV), (0.7 * MeV, 1 * MeV)]
)
@pytest.mark.parametrize("s2", [0.23867, 0.2312])
def test_sm_equals_gl_gr_form(flavour, anti, T, E, s2):
    nu = Neutrino(flavour, anti=anti)
    got = electron.dsigma_dT(T, E, nu, sin2w=s2).sm / (cm2 / MeV)
    assert got == pytest.approx(float(sm_gl_gr(T, E, flavour, anti, s2)), rel=1e-10, abs=0)


@pytest.mark.parametrize(
    ("flavour", "anti", "published"),
    # E ≫ m_e slopes of σ/E at sin²θ_W = 0.2312, quoted to two digits (×10⁻⁴⁵ cm²/MeV), e.g.
    # Marciano & Parsa, J. Phys. G 29, 2629 (2003); Formaggio & Zeller, RMP 84, 1307 (2012), Table.
    [("e", False, 9.5), ("e", True, 4.0), ("mu", False, 1.6), ("mu", True, 1.3)],
)
def test_total_cross_section_slopes(flavour, anti, published):
    E = 300 * MeV
    nu = Neutrino(flavour, anti=anti)
    tmax = 2 * E * E / (2 * E + ME)
    sigma, _ = integrate.quad(
        lambda t: electron.dsigma_dT(t, E, nu, sin2w=0.2312).sm, 0, tmax, epsrel=1e-10, limit=200
    )
    slope = sigma / E / (cm2 / MeV)
    assert slope / 1e-45 == pytest.approx(published, abs=0.06)  # two-digit published value
    # Tighter: the same integral done in mpmath on the independent g_L/g_R form (rel 1e-8).
    exact = mp.quad(lambda t: sm_gl_gr(t, E, flavour, anti, 0.2312), [0, tmax])
    assert sigma / cm2 == pytest.approx(float(exact), rel=1e-8, abs=0)


def test_magnetic_term_is_classical_electron_radius_form():
    # Eq. 8: πα²/m_e² = π r_e² with r_e the classical electron radius (CODATA, second route).
    r_e = sc.physical_constants["classical electron radius"][0] * 100  # cm
    mu, T, E = 1e-10, 10 * keV, 1 * MeV
    nu = Neutrino("e", mu=mu)
    xs = electron.dsigma_dT(T, E, nu)
    expected = math.pi * r_e**2 * (1 / (T / MeV) - 1 / (E / MeV)) * mu**2  # cm²/MeV
    assert xs.em / (cm2 / MeV) == pytest.approx(expected, rel=1e-8, abs=0)
    assert xs.total == pytest.approx(xs.sm + xs.em, rel=1e-14, abs=0)


def test_magnetic_term_is_flavour_and_helicity_blind():
    T, E = 3 * keV, 2 * MeV
    ems = {electron.dsigma_dT(T, E, Neutrino(f, anti=a, mu=1e-11)).em for f, a in STATES}
    assert len({round(v / (cm2 / MeV), 60) for v in ems}) == 1


def test_charge_radius_is_a_shift_of_the_weak_mixing_angle():
    # Giunti & Studenikin RMP 87 (2015), §VI: the charge radius enters ν–e scattering as
    # sin²θ_W → sin²θ_W + (√2 π α /(3 G_F)) ⟨r²⟩ / 2 = sin²θ_W (1 + m_W² ⟨r²⟩/3) [g_A untouched].
    r2 = 3e-32 * cm2
    ds2 = math.pi * ALPHA / (3 * math.sqrt(2) * G_FERMI) * (r2 / HBARC2)
    T, E = np.geomspace(1 * keV, 0.5 * MeV, 7), 1 * MeV
    for f, a in STATES:
        with_r2 = electron.dsigma_dT(T, E, Neutrino(f, anti=a, r2=r2)).total
        shifted = electron.dsigma_dT(T, E, Neutrino(f, anti=a), sin2w=0.23867 + ds2).sm
        np.testing.assert_allclose(with_r2, shifted, rtol=1e-10)
        # and em = total − sm, without cancellation loss
        xs = electron.dsigma_dT(T, E, Neutrino(f, anti=a, r2=r2))
        np.testing.assert_allclose(xs.em, xs.total - xs.sm, rtol=1e-9, atol=1e-70)


def test_pure_millicharge_term_is_rutherford_like():
    # Giunti & Studenikin RMP 87 (2015), eq. (6.x): (dσ/dT)_q ≈ 2πα² qν²/(m_e T²) for T ≪ E.
    # The q-odd interference cancels in the average of +q and −q.
    q, T, E = 1e-12, 1 * eV, 10 * MeV
    ep = electron.dsigma_dT(T, E, Neutrino("mu", q=q)).em
    em_ = electron.dsigma_dT(T, E, Neutrino("mu", q=-q)).em
    expected = 2 * math.pi * ALPHA**2 * q**2 / (ME * T**2) * HBARC2
    assert 0.5 * (ep + em_) == pytest.approx(expected, rel=1e-6, abs=0)


@pytest.mark.parametrize(("flavour", "anti"), STATES)
def test_zero_properties_give_zero_em(flavour, anti):
    T = np.geomspace(1e-3, 500, 50) * keV
    xs = electron.dsigma_dT(T, 1 * MeV, Neutrino(flavour, anti=anti))
    assert np.all(xs.em == 0) and np.array_equal(xs.total, xs.sm)


def test_zero_outside_kinematic_region_and_at_t_zero():
    E = 1 * MeV
    tmax = 2 * E * E / (2 * E + ME)
    nu = Neutrino("e", anti=True, mu=1e-10, q=1e-12, r2=1e-31 * cm2)
    T = np.array([0.0, tmax * (1 + 1e-12), 2 * tmax, 100 * MeV])
    xs = electron.dsigma_dT(T, E, nu, target="Xe")
    for part in (xs.sm, xs.em, xs.total):
        assert np.array_equal(part, np.zeros(4))
    assert electron.dsigma_dT(tmax, E, nu).sm > 0  # T_max itself is inside


def test_stepping_and_free_binding_per_atom():
    ge = target("Ge")
    nu = Neutrino("e", anti=True, mu=2.9e-11)
    T = np.array([5 * eV, 10 * eV, 100 * eV, 5 * keV, 20 * keV])
    free = electron.dsigma_dT(T, 1 * MeV, nu)
    step = electron.dsigma_dT(T, 1 * MeV, nu, target=ge)
    allz = electron.dsigma_dT(T, 1 * MeV, nu, target=ge, binding="free")
    n = np.array(
        [0, 4, 14, 30, 32]
    )  # Ge: below I₁, n = 4 shell, + 3d, all but K, all (see targets)
    np.testing.assert_allclose(step.total, n * free.total, rtol=1e-14)
    np.testing.assert_allclose(allz.sm, 32 * free.sm, rtol=1e-14)
    np.testing.assert_array_equal(atomic.step_factor(T, ge), n)


def test_broadcasting_over_t_and_e():
    T = np.geomspace(1, 100, 4)[:, None] * keV
    E = np.array([0.5, 1.0, 2.0])[None, :] * MeV
    xs = electron.dsigma_dT(T, E, Neutrino(mu=1e-11), target="Si")
    assert xs.sm.shape == xs.em.shape == xs.total.shape == (4, 3)
    for j in range(3):
        col = electron.dsigma_dT(T[:, 0], E[0, j], Neutrino(mu=1e-11), target="Si")
        np.testing.assert_array_equal(xs.total[:, j], col.total)


def test_crossover_estimate_eq9_by_hand():
    # Eq. 9 by hand: π² α² /(G_F² m_e³) μ² with α = 1/137.036, G_F = 1.1663788e-11 MeV⁻²,
    # m_e = 0.51099895 MeV: 2.89529e19 MeV × (2.9e-11)² = 24.349 keV.
    est = electron.crossover_estimate(Neutrino("e", anti=True, mu=2.9e-11))
    assert est / keV == pytest.approx(24.349, rel=1e-4, abs=0)
    assert electron.crossover_estimate(Neutrino()) == 0


@pytest.mark.parametrize("mu", [1e-12, 3e-12, 1e-11, 2.9e-11, 1e-10])
@pytest.mark.parametrize(("flavour", "anti"), [("e", True), ("e", False), ("mu", False)])
def test_crossover_is_root_of_independent_formulas(mu, flavour, anti):
    # Second route: mpmath findroot of eq. 8 = g_L/g_R eq. 6 (independent of the package).
    E = 1 * MeV
    got = electron.crossover(E, Neutrino(flavour, anti=anti, mu=mu))

    def f(t):
        mag = mp.pi * mp.mpf(ALPHA) ** 2 / mp.mpf(ME) ** 2 * (1 / t - 1 / mp.mpf(E)) * mu**2
        return mp.log(mag * mp.mpf(HBARC2) / mp.mpf(cm2)) - mp.log(
            sm_gl_gr(t, E, flavour, anti, 0.23867)
        )

    root = mp.findroot(f, got)
    assert got == pytest.approx(float(root), rel=1e-8, abs=0)
    # it is the *edge* of the low-T region: EM ≥ SM just below, EM < SM just above
    lo = electron.dsigma_dT(got * 0.999, E, Neutrino(flavour, anti=anti, mu=mu))
    hi = electron.dsigma_dT(got * 1.001, E, Neutrino(flavour, anti=anti, mu=mu))
    assert lo.em > lo.sm and hi.em < hi.sm


def test_crossover_low_t_limit_is_eq9_over_gv2_plus_ga2():
    # For T ≪ E the exact crossing tends to eq. 9 /(g_V² + g_A²) (docs/design.md, "EM term and
    # crossover") — derived by hand from eq. 6 at T → 0: G_F² m_e (g_V² + g_A²)/π = πα² μ²/(m_e² T).
    nu = Neutrino("e", anti=True, mu=1e-12)
    gv, ga = 2 * 0.23867 + 0.5, -0.5
    got = electron.crossover(300 * MeV, nu)
    assert got == pytest.approx(electron.crossover_estimate(nu) / (gv**2 + ga**2), rel=1e-4, abs=0)


def test_crossover_edge_cases():
    E = 1 * MeV
    assert electron.crossover(E, Neutrino()) == 0.0
    tmax = 2 * E * E / (2 * E + ME)
    assert electron.crossover(E, Neutrino(mu=1e-6)) == pytest.approx(
        tmax, rel=1e-12, abs=0
    )  # EM wins everywhere
    # millicharge: the 1/T² term wins at low T too
    c = electron.crossover(E, Neutrino(q=1e-12))
    assert 0 < c < tmax
    xs = electron.dsigma_dT(np.array([c * 0.99, c * 1.01]), E, Neutrino(q=1e-12))
    assert abs(xs.em[0]) > xs.sm[0] and abs(xs.em[1]) < xs.sm[1]
    # vectorised over E, and binding cancels in the ratio
    cs = electron.crossover(np.array([0.5, 1, 2]) * MeV, Neutrino(mu=1e-11), target="Ge")
    assert cs.shape == (3,) and np.all(np.diff(cs) > 0)
    # (the stepping search starts at I₁ on its own grid: equal to rounding)
    assert cs[1] == pytest.approx(electron.crossover(E, Neutrino(mu=1e-11)), rel=1e-12, abs=0)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"T": -1.0}, "T must be ≥ 0"),
        ({"T": float("nan")}, "T must be finite"),
        ({"E": 0.0}, "E must be > 0"),
        ({"E": float("inf")}, "E must be finite"),
        ({"sin2w": 1.2}, r"sin2w must lie in the open interval \(0, 1\)"),
        ({"sin2w": 0.0}, r"sin2w must lie in the open interval"),
        ({"binding": "exact"}, "binding must be one of"),
        ({"target": "Qq"}, "target must name an element"),
        ({"nu": "nu_e"}, "nu must be an explorer.physics.Neutrino"),
    ],
)
def test_bad_input(kwargs, match):
    args = {"T": 1 * keV, "E": 1 * MeV, "nu": Neutrino(), "target": "Ge"} | kwargs
    with pytest.raises(ValueError, match=match):
        electron.dsigma_dT(**args)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"flavour": "muon"}, "flavour must be one of"),
        ({"mu": -1e-11}, r"mu must lie in \[0"),
        ({"mu": float("nan")}, "mu must be finite"),
        ({"q": 1.0}, "q must lie in"),
        ({"r2": 1e-20 * cm2}, "r2 must lie in"),
        ({"anti": "yes"}, "anti must be True or False"),
    ],
)
def test_bad_neutrino(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Neutrino(**kwargs)


def test_crossover_below_first_ionisation_energy_leaves_no_region():
    # μν = 3e-13: the free-electron edge is 2.162 eV (independent mpmath evaluation), below
    # I₁(Ge) = 7.90 eV, where the stepping approximation ionises nothing.
    nu = Neutrino("e", anti=True, mu=3e-13)
    free = electron.crossover(1 * MeV, nu)
    assert free / eV == pytest.approx(2.162, abs=1e-3)
    assert electron.crossover(1 * MeV, nu, target="Ge") == 0.0
    assert electron.crossover(1 * MeV, nu, target="Ge", binding="free") == free


def test_crossover_finds_narrow_dip_where_shifts_cancel():
    # qν > 0 and ⟨r²⟩ > 0: the g_V shift d(T) = K[⟨r²⟩/3 − qν/(m_e T)] passes 0 at
    # T₀ = 3 qν (ħc)²/(m_e ⟨r²⟩), where EM ≈ 0 in a band ≈ 1/|d_plateau| wide in ln T; a plain
    # log grid steps over it. The edge must be the first T where |EM| < SM (dense scan: 6.2185e-5).
    nu = Neutrino("e", q=3e-13, r2=1e-29 * cm2)
    E = 10 * MeV
    c = electron.crossover(E, nu)
    tmax = 2 * E * E / (2 * E + ME)
    T = np.geomspace(tmax * 1e-16, tmax, 400_000)
    xs = electron.dsigma_dT(T, E, nu)
    first = T[np.flatnonzero(np.abs(xs.em) < xs.sm)[0]]
    assert c == pytest.approx(first, rel=1e-4, abs=0)


def shifted_ratio(T, E, flavour, anti, q, r2_cm2, s2=0.23867):
    """|EM|/SM per free electron from the g_L/g_R form with g_V → g_V + d (both chiral couplings
    move by d/2), d = (√2 π α/G_F)[⟨r²⟩/3 − qν/(m_e T)] (Giunti & Studenikin RMP 87 (2015)), in
    30-digit mpmath with CODATA 2022 constants typed here."""
    alpha, gf, me = mp.mpf("7.2973525643e-3"), mp.mpf("1.1663787e-11"), mp.mpf("0.51099895069")
    hbarc_cm = mp.mpf("197.3269804593e-13")  # MeV cm
    T, E = mp.mpf(T), mp.mpf(E)
    d = mp.sqrt(2) * mp.pi * alpha / gf * (mp.mpf(r2_cm2) / hbarc_cm**2 / 3 - mp.mpf(q) / (me * T))
    gl, gr = gl_gr(flavour, anti, mp.mpf(s2))

    def sm(gl, gr):
        return gl**2 + gr**2 * (1 - T / E) ** 2 - gl * gr * me * T / E**2

    base = sm(gl, gr)
    return abs(sm(gl + d / 2, gr + d / 2) - base) / base


def test_stepping_crossover_starts_at_first_ionisation_energy():
    # Issue 8 / docs/design.md, "Crossover with stepping": ν̄_e on Ge at 1 MeV, qν = +6.6e-16, ⟨r²⟩
    # = 50e-32 cm². Per free electron |EM| < SM only in a dip at 0.99–5.15 eV (roots of the
    # independent mpmath ratio above); on [I₁ = 7.90 eV, T_max] the ratio stays ≥ 1.64, so with
    # stepping the edge is T_max.
    q, r2, E = 6.6e-16, 50e-32, 1 * MeV
    nu = Neutrino("e", anti=True, q=q, r2=r2 * cm2)

    def f(t):
        return mp.log(shifted_ratio(t, E / MeV, "e", True, q, r2))

    brackets = ((0.9e-6, 1.1e-6), (5.0e-6, 5.3e-6))  # MeV; f changes sign in each
    lo, hi = (float(mp.findroot(f, b, solver="illinois")) * MeV for b in brackets)
    assert lo / eV == pytest.approx(0.99, abs=0.005) and hi / eV == pytest.approx(5.15, abs=0.005)
    np.testing.assert_allclose(electron.crossings(E, nu), [lo, hi], rtol=1e-8, atol=0)
    assert electron.crossover(E, nu) == pytest.approx(lo, rel=1e-8, abs=0)  # free electron
    tmax = 2 * E * E / (2 * E + ME)
    i1 = 7.899435 * eV  # Ge first ionisation energy, NIST ASD
    ratios = [shifted_ratio(t, E / MeV, "e", True, q, r2) for t in np.geomspace(i1, tmax, 300)]
    assert min(ratios) >= 1.64
    assert electron.crossover(E, nu, target="Ge") == pytest.approx(tmax, rel=1e-12, abs=0)
    assert electron.crossings(E, nu, target="Ge").size == 0
    # binding="free" (Z free electrons) has no threshold: the dip counts again
    assert electron.crossover(E, nu, target="Ge", binding="free") == pytest.approx(
        lo, rel=1e-8, abs=0
    )
    # an explicit range: both crossings inside [0.5 eV, 10 eV], none in [6 eV, 1 keV]
    assert electron.crossings(E, nu, T_lo=0.5 * eV, T_hi=10 * eV).size == 2
    assert electron.crossings(E, nu, T_lo=6 * eV, T_hi=1 * keV).size == 0
    # with stepping the range never starts below I₁
    assert electron.crossings(E, nu, target="Ge", T_lo=0.5 * eV, T_hi=10 * eV).size == 0


def test_crossover_is_zero_when_ratio_below_one_at_first_level():
    # ν̄_e, μν = 1e-12: the free edge is ≈ eq. 9/(g_V² + g_A²) = 28.95 eV/1.205 = 24 eV
    # (docs/design.md, "EM term and crossover"), above I₁(Ge) = 7.90 eV, so stepping keeps it. At E
    # = 40 eV, T_max = 2E²/(2E + m_e) = 6.3e-3 eV lies below I₁: nothing is ionised, so there is no
    # region (0).
    nu = Neutrino("e", anti=True, mu=1e-12)
    free = electron.crossover(1 * MeV, nu)
    assert free > 7.9 * eV
    assert electron.crossover(1 * MeV, nu, target="Ge") == pytest.approx(free, rel=1e-12, abs=0)
    e_small = 40 * eV
    assert electron.crossover(e_small, nu) > 0  # free electron: a region below T_max
    assert electron.crossover(e_small, nu, target="Ge") == 0.0
    assert electron.crossings(e_small, nu, target="Ge").size == 0


def test_crossings_bad_input():
    nu = Neutrino(mu=1e-11)
    with pytest.raises(ValueError, match="E must be a single energy"):
        electron.crossings(np.array([1.0, 2.0]) * MeV, nu)
    with pytest.raises(ValueError, match="T_lo must be ≥ 0"):
        electron.crossings(1 * MeV, nu, T_lo=-1.0)


def test_crossings_of_the_narrow_dip():
    # The dip where the qν and ⟨r²⟩ shifts cancel (test above): the ratio falls below 1 at the
    # edge, 6.2185e-5 MeV (dense scan), and rises above 1 again at the far side of the dip.
    nu = Neutrino("e", q=3e-13, r2=1e-29 * cm2)
    E = 10 * MeV
    cs = electron.crossings(E, nu)
    assert cs.size == 2
    assert cs[0] == pytest.approx(electron.crossover(E, nu), rel=1e-12, abs=0)
    lo = electron.dsigma_dT(cs * (1 - 1e-6), E, nu)
    hi = electron.dsigma_dT(cs * (1 + 1e-6), E, nu)
    assert np.all((np.abs(lo.em) >= lo.sm) != (np.abs(hi.em) >= hi.sm))


@pytest.mark.parametrize("flavour", ["e", "mu"])
def test_antineutrino_takes_the_neutrinos_charge_and_radius(flavour):
    # docs/design.md, "Antineutrinos": nu.q, nu.r2 are the neutrino's; the g_V shift is the same for
    # ν and ν̄. In the g_L/g_R form ν̄ swaps g_L ↔ g_R, and at T ≪ E eq. 6 is ∝ g_L² + g_R² (the
    # other terms are O(T/E), O(m_e T/E²) = 1e-7 here), so the shifted cross sections of ν and ν̄
    # agree to 1e-6. Had ν̄ used −qν, −⟨r²⟩, they would differ by far more (≥ 1 %: the q-odd
    # interference).
    T, E = 1 * eV, 10 * MeV
    for q, r2 in ((1e-16, 0.0), (0.0, 5e-32 * cm2), (-1e-16, 5e-32 * cm2)):  # shifts d ~ 0.1–0.5
        nu = electron.dsigma_dT(T, E, Neutrino(flavour, q=q, r2=r2)).total
        bar = electron.dsigma_dT(T, E, Neutrino(flavour, anti=True, q=q, r2=r2)).total
        wrong = electron.dsigma_dT(T, E, Neutrino(flavour, anti=True, q=-q, r2=-r2)).total
        assert bar == pytest.approx(nu, rel=1e-6, abs=0)
        assert abs(wrong / nu - 1) > 0.01
