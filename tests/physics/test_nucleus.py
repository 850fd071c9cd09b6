"""CEvNS (eqs. 12–16): textbook limits, second routes, and the conventions of docs/design.md,
"Gaussian units in Section 3" and "Sign of eq. 13".

Tolerances: 1e-10 relative for algebraic second routes, 1e-8 for numerical integrals, and the
size of the neglected term for limits (said at each test).
"""

import math

import numpy as np
import pytest
from hepunits import MeV, cm2, eV, fermi, keV
from scipy import integrate
from scipy.special import spherical_jn

from explorer.physics import Neutrino, electron, nucleus, target
from explorer.physics.constants import ALPHA, G_FERMI, HBARC, HBARC2, ME


def test_weak_charge_by_hand():
    # C_V = [Z(1 − 4 s²) − N]/2; ¹³²Xe at s² = 0.23867: [54·0.04532 − 78]/2 = −37.77636
    assert nucleus.weak_charge("Xe132") == pytest.approx(
        (54 * (1 - 4 * 0.23867) - 78) / 2, rel=1e-14, abs=0
    )
    assert nucleus.weak_charge("Xe132") == pytest.approx(-37.77636, rel=1e-6, abs=0)
    # natural Ge: mean N from the abundances, 40.708 (IUPAC composition)
    assert nucleus.weak_charge("Ge") == pytest.approx(
        (32 * (1 - 4 * 0.23867) - 40.7075) / 2, abs=2e-3
    )


@pytest.mark.parametrize("iso", ["Ge72", "Xe132", "Cs133", "Ar40", "Na23"])
@pytest.mark.parametrize("E", [1 * MeV, 10 * MeV, 30 * MeV])
def test_total_sm_is_heavy_nucleus_formula(iso, E):
    # Textbook: σ = G_F² Q_W² E²/(4π) for M_N → ∞ (Q_W = −2 C_V, F = 1). Integrating eq. 14 over
    # [0, T_max] gives exactly that times M/(M + 2E) (derived by hand); check both.
    tgt = target(iso)
    qw = -2 * nucleus.weak_charge(tgt)
    tmax = 2 * E * E / (2 * E + tgt.mass)
    sigma, _ = integrate.quad(
        lambda t: nucleus.dsigma_dT(t, E, Neutrino(), tgt).sm, 0, tmax, epsrel=1e-12
    )
    heavy = G_FERMI**2 * qw**2 * E**2 / (4 * math.pi) * HBARC2
    assert sigma == pytest.approx(heavy * tgt.mass / (tgt.mass + 2 * E), rel=1e-9, abs=0)
    assert sigma == pytest.approx(
        heavy, rel=2.5 * E / tgt.mass, abs=0
    )  # the finite-mass correction


def test_published_cevns_scale():
    # Drukier & Stodolsky (1984) scale: σ ≈ 0.42e-44 cm² N² (E/MeV)² for N² ≫ … ; here check the
    # commonly quoted σ ≈ G_F² N² E²/(4π) = 0.4e-44 N² (E/MeV)² cm² to its two digits, for ¹³²Xe at
    # sin²θ_W = 0.25 (Z term vanishes exactly, Q_W = N).
    E = 1 * MeV
    tgt = target("Xe132")
    tmax = 2 * E * E / (2 * E + tgt.mass)
    sigma, _ = integrate.quad(
        lambda t: nucleus.dsigma_dT(t, E, Neutrino(), tgt, sin2w=0.25).sm, 0, tmax, epsrel=1e-10
    )
    assert sigma / cm2 / 78**2 == pytest.approx(0.42e-44, rel=0.03, abs=0)


def test_magnetic_term_gaussian_units():
    # Eq. 15 with μν = (μν/μ_B) e/(2 m_e) and Gaussian e² = α (docs/design.md, "Gaussian units in
    # Section 3"): 4πα μ² Z²/T (…) = π α² Z² (μν/μ_B)²/(m_e² T) (1 − T/E + T²/4E²). Second route: at
    # T ≪ E it equals Z² × eq. 8 for a free electron (same πα²/m_e² prefactor).
    mu, E = 1e-10, 10 * MeV
    T = np.array([1e-3, 1e-2, 0.1]) * keV
    xs = nucleus.dsigma_dT(T, E, Neutrino(mu=mu), "Ge72")
    e_mag = electron.dsigma_dT(T, E, Neutrino(mu=mu)).em
    np.testing.assert_allclose(xs.em / (32**2 * e_mag), 1.0, rtol=2e-5)  # T/E ≤ 1e-5
    # explicit Gaussian-unit evaluation of the printed eq. 15 (e² = α, μ_B = e/2m_e)
    e = math.sqrt(ALPHA)
    mu_nat = mu * e / (2 * ME)
    Tk = 0.5 * keV
    printed = 4 * math.pi * ALPHA * mu_nat**2 * 32**2 / Tk * (1 - Tk / E + Tk**2 / (4 * E**2))
    got = nucleus.dsigma_dT(Tk, E, Neutrino(mu=mu), "Ge72").em
    # the reading of eq. 15 with e² = α is (4πα)·(α/4m_e²) = πα²/m_e²:
    assert got == pytest.approx(printed * HBARC2, rel=1e-12, abs=0)


def test_charge_radius_sign_raises_cevns_and_matches_sin2w_shift():
    # Cadeddu et al., PRD 98, 113010 (2018): ⟨r²⟩ enters CEvNS through the proton coupling,
    # sin²θ_W → sin²θ_W + (√2 π α /(3 G_F)) ⟨r²⟩ / 2, and a positive ⟨r²⟩ raises the rate.
    r2 = 2e-32 * cm2
    ds2 = math.pi * ALPHA / (3 * math.sqrt(2) * G_FERMI) * (r2 / HBARC2)
    T, E = np.geomspace(1e-3, 1, 9) * keV, 10 * MeV
    for iso in ("Ge72", "Xe132", "Ar40"):
        with_r2 = nucleus.dsigma_dT(T, E, Neutrino(r2=r2), iso)
        shifted = nucleus.dsigma_dT(T, E, Neutrino(), iso, sin2w=0.23867 + ds2)
        np.testing.assert_allclose(with_r2.total, shifted.sm, rtol=1e-10)
        assert np.all(with_r2.em > 0)
        assert np.all(nucleus.dsigma_dT(T, E, Neutrino(r2=-r2), iso).em < 0)
    # η: the paper's printed eq. 13 has the opposite sign; ours gives η > 1 for ⟨r²⟩ > 0
    assert nucleus.eta(1 * keV, E, Neutrino(r2=r2), "Ge") > 1


def test_eta_by_hand_and_millicharge_rutherford_limit():
    # η − 1 = −(√2 π α Z /(G_F C_V)) [⟨r²⟩/3 − qν/(M_N T)] (docs/design.md, "Sign of eq. 13"): with
    # qν only, η − 1 = K Z qν /(C_V M_N T), K = √2 π α/G_F. Worked by hand for ⁷²Ge, qν = 1e-12, T =
    # 1 keV, from CODATA 2022 and AME2020 numbers typed here (not the package's constants):
    #   K = √2 π · 7.2973525643e-3 / 1.1663787e-11 MeV⁻² = 2.7796532294e9 MeV²
    #   C_V = [32 (1 − 4 · 0.23867) − 40]/2 = −19.27488
    #   M_N = 71.922075826 u · 931.49410372 MeV/u − 32 · 0.51099895069 MeV = 66978.637593 MeV
    #   η − 1 = 2.7796532294e9 · 32 · 1e-12 /(−19.27488 · 66978.637593 · 1e-3) = −6.8898950e-5
    # Negative: destructive interference at positive qν (C_V < 0).
    ge = target("Ge72")
    q, T = 1e-12, 1 * keV
    assert nucleus.eta(T, 1 * MeV, Neutrino(q=q), ge) - 1 == pytest.approx(
        -6.8898950362e-5, rel=1e-9, abs=0
    )
    # pure millicharge (q-even part) is Rutherford-like: 2πα² Z² q²/(M T²) (1 − T/T_max)
    E, t = 10 * MeV, 0.01 * keV
    avg = 0.5 * (
        nucleus.dsigma_dT(t, E, Neutrino(q=q), ge).em
        + nucleus.dsigma_dT(t, E, Neutrino(q=-q), ge).em
    )
    tmax = 2 * E * E / (2 * E + ge.mass)
    ruth = 2 * math.pi * ALPHA**2 * 32**2 * q**2 / (ge.mass * t**2) * (1 - t / tmax) * HBARC2
    assert avg == pytest.approx(ruth, rel=1e-9, abs=0)


def test_eta_is_one_without_em_properties():
    assert nucleus.eta(
        np.geomspace(1e-3, 1, 5) * keV, 1 * MeV, Neutrino(mu=1e-10), "Xe"
    ) == pytest.approx(1.0, rel=0, abs=0)  # exactly 1: the bracket of eq. 13 is 0


def test_natural_target_is_abundance_weighted_sum():
    xe = target("Xe")
    nu = Neutrino(mu=3e-11, q=1e-13, r2=1e-32 * cm2)
    T, E = np.geomspace(1e-4, 5, 40) * keV, 20 * MeV
    got = nucleus.dsigma_dT(T, E, nu, xe)
    tot = sum(i.fraction * nucleus.dsigma_dT(T, E, nu, f"Xe{i.A}").total for i in xe.isotopes)
    np.testing.assert_allclose(got.total, tot, rtol=1e-12)
    # each isotope stops at its own T_max: between the heaviest's and the lightest's T_max the sum
    # is positive, holds the lightest isotope's share, and ¹³⁶Xe (the heaviest) adds nothing;
    # beyond the lightest's T_max it is exactly 0
    light, heavy = xe.isotopes[0], xe.isotopes[-1]  # sorted by A
    t_light = 2 * E * E / (2 * E + light.mass)
    t_heavy = 2 * E * E / (2 * E + heavy.mass)
    t_mid = 0.5 * (t_heavy + t_light)
    share = light.fraction * nucleus.dsigma_dT(t_mid, E, nu, f"Xe{light.A}").total
    assert nucleus.dsigma_dT(t_mid, E, nu, f"Xe{heavy.A}").total == 0.0
    assert 0 < share <= nucleus.dsigma_dT(t_mid, E, nu, xe).total
    assert nucleus.dsigma_dT(t_light * 1.000001, E, nu, xe).total == 0.0


def test_helm_form_factor_second_route():
    # Lewin & Smith (1996) eq. 4.7 with scipy's spherical Bessel j₁; |q|² = 2MT + T².
    tgt = target("Xe132")
    A = 132
    c = (1.23 * A ** (1 / 3) - 0.60) * fermi
    rn = math.sqrt(c**2 + 7 / 3 * math.pi**2 * (0.52 * fermi) ** 2 - 5 * (0.9 * fermi) ** 2)
    for T in np.array([0.1, 1, 10, 30, 60]) * keV:
        q = math.sqrt(2 * tgt.mass * T + T * T) / HBARC
        expected = 3 * spherical_jn(1, q * rn) / (q * rn) * math.exp(-((q * 0.9 * fermi) ** 2) / 2)
        assert nucleus.helm_form_factor(T, tgt) == pytest.approx(expected, rel=1e-10, abs=1e-14)
    # the first zero of j₁ (x = 4.4934) makes F vanish
    t0 = ((4.493409457909064 / rn * HBARC) ** 2) / (2 * tgt.mass)
    assert abs(nucleus.helm_form_factor(t0, tgt)) < 1e-4
    assert nucleus.helm_form_factor(0.0, tgt) == 1.0


def test_helm_applies_to_every_part():
    nu = Neutrino(mu=1e-10, r2=1e-32 * cm2)
    T, E = np.array([1, 10, 20]) * keV, 50 * MeV
    f2 = nucleus.helm_form_factor(T, "Xe132") ** 2
    plain = nucleus.dsigma_dT(T, E, nu, "Xe132")
    helm = nucleus.dsigma_dT(T, E, nu, "Xe132", form_factor="helm")
    for a, b in ((helm.sm, plain.sm), (helm.em, plain.em), (helm.total, plain.total)):
        np.testing.assert_allclose(a, f2 * b, rtol=1e-12)


def test_zero_outside_kinematic_region():
    nu = Neutrino(mu=1e-10, q=1e-12, r2=-1e-31 * cm2)
    E = 10 * MeV
    tmax = 2 * E * E / (2 * E + target("Ge72").mass)
    T = np.array([0.0, tmax * (1 + 1e-9), 10 * tmax])
    xs = nucleus.dsigma_dT(T, E, nu, "Ge72", form_factor="helm")
    for part in (xs.sm, xs.em, xs.total):
        assert np.array_equal(part, np.zeros(3))


def test_crossover_estimate_eq16_by_hand_and_limit():
    # Eq. 16 by hand for ⁷²Ge, μ = 2.9e-11: π²α²/(G_F² M m_e²) (Z/C_V)² μ²
    ge = target("Ge72")
    cv = (32 * (1 - 4 * 0.23867) - 40) / 2
    m = 71.922075826 * 931.49410372 - 32 * 0.51099895  # MeV, AME2020 mass
    by_hand = (
        math.pi**2
        / 137.035999084**2
        / ((1.1663788e-11) ** 2 * m * 0.51099895**2)
        * (32 / cv) ** 2
        * (2.9e-11) ** 2
    )
    nu = Neutrino(mu=2.9e-11)
    assert nucleus.crossover_estimate(nu, ge) / MeV == pytest.approx(by_hand, rel=1e-6, abs=0)
    # The exact crossing tends to eq. 16 when it lies far below T_max (T/T_max ~ 1e-6 here)
    assert nucleus.crossover(50 * MeV, nu, ge) == pytest.approx(
        nucleus.crossover_estimate(nu, ge), rel=1e-5, abs=0
    )
    # and eq. 16 is orders of magnitude below eq. 9 (paper, last paragraph): ratio = m_e Z²/(M C_V²)
    ratio = nucleus.crossover_estimate(nu, ge) / electron.crossover_estimate(nu)
    assert ratio == pytest.approx(0.51099895 * 32**2 / (m * cv**2), rel=1e-6, abs=0)
    assert ratio < 1e-4


def test_crossover_is_the_edge():
    nu = Neutrino(mu=1e-10)
    E = 1 * MeV
    c = nucleus.crossover(E, nu, "Xe")
    xs = nucleus.dsigma_dT(np.array([c * 0.999, c * 1.001]), E, nu, "Xe")
    assert xs.em[0] > xs.sm[0] and xs.em[1] < xs.sm[1]
    assert nucleus.crossover(E, Neutrino(), "Xe") == 0.0
    # charge radius alone: constant ratio; |EM| < SM for small ⟨r²⟩ → no region
    assert nucleus.crossover(E, Neutrino(r2=1e-32 * cm2), "Xe") == 0.0
    # a millicharge always wins at low T (1/T² against a constant)
    cq = nucleus.crossover(E, Neutrino(q=1e-9), "Xe")
    assert cq > 0
    xs = nucleus.dsigma_dT(np.array([cq * 0.99, cq * 1.01]), E, Neutrino(q=1e-9), "Xe")
    assert abs(xs.em[0]) >= xs.sm[0] and abs(xs.em[1]) < xs.sm[1]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"T": -1 * eV}, "T must be ≥ 0"),
        ({"E": -1.0}, "E must be > 0"),
        ({"target": "Ge-1"}, "no isotope with A = 1"),
        ({"form_factor": "klein"}, "form_factor must be one of"),
        ({"sin2w": float("nan")}, "sin2w must lie in the open interval"),
    ],
)
def test_bad_input(kwargs, match):
    args = {"T": 1 * keV, "E": 1 * MeV, "nu": Neutrino(), "target": "Ge"} | kwargs
    with pytest.raises(ValueError, match=match):
        nucleus.dsigma_dT(**args)


def test_eta_rejects_t_zero():
    with pytest.raises(ValueError, match="T must be > 0"):
        nucleus.eta(0.0, 1 * MeV, Neutrino(q=1e-12), "Ge")


def test_units_scale():
    # Sanity of units: the T → 0 SM plateau of natural Ge at 10 MeV (4.4e-40 cm²/keV) is Σ_i f_i G_F² M_i C_V,i²/π
    # (eq. 14 per isotope), × (1 − T/T_max) with T/T_max ≈ 3.4e-4 at T = 1 eV. The mean nucleus
    # M̄ C̄_V² differs from the isotope sum by 0.38 % (C_V² is convex in N), so it is checked to 0.5 %.
    ge = target("Ge")
    T, E = 1e-3 * keV, 10 * MeV
    xs = nucleus.dsigma_dT(T, E, Neutrino(), ge)
    s2 = 0.23867
    iso_sum = sum(
        i.fraction
        * i.mass
        * ((32 * (1 - 4 * s2) - (i.A - 32)) / 2) ** 2
        * (1 - T * (2 * E + i.mass) / (2 * E * E))
        for i in ge.isotopes
    )
    np.testing.assert_allclose(xs.sm, G_FERMI**2 / math.pi * iso_sum * HBARC2, rtol=1e-12, atol=0)
    mean = G_FERMI**2 / math.pi * ge.mass * nucleus.weak_charge(ge) ** 2 * HBARC2
    assert xs.sm == pytest.approx(mean, rel=5e-3, abs=0)
    assert 1e-40 < xs.sm / (cm2 / keV) < 1e-39  # 4.4e-40 cm²/keV


def test_vanishing_weak_charge():
    # ³He at sin²θ_W = 1/8 has C_V = [2(1 − ½) − 1]/2 = 0: no weak scattering, the photon exchange
    # alone remains (Rutherford-like 2πα² Z² q²/(M T²)(1 − T/T_max), derived by hand from eq. 12),
    # and no NaN.
    he = target("He3")
    q, T, E, s2 = 1e-12, 1 * eV, 10 * MeV, 0.125
    xs = nucleus.dsigma_dT(T, E, Neutrino(q=q), he, sin2w=s2)
    tmax = 2 * E * E / (2 * E + he.mass)
    ruth = 2 * math.pi * ALPHA**2 * 2**2 * q**2 / (he.mass * T**2) * (1 - T / tmax) * HBARC2
    assert xs.sm == 0.0
    assert xs.total == pytest.approx(ruth, rel=1e-9, abs=0) and xs.em == xs.total
    assert nucleus.crossover(E, Neutrino(q=q), he, sin2w=s2) == pytest.approx(tmax, rel=1e-9, abs=0)
    assert nucleus.crossover_estimate(Neutrino(mu=1e-11), he, sin2w=s2) == math.inf
    with pytest.raises(ValueError, match="C_V is 0"):
        nucleus.eta(T, E, Neutrino(q=q), he, sin2w=s2)


@pytest.mark.parametrize("name", ["H", "H1"])
@pytest.mark.parametrize(
    "call",
    [
        lambda t: nucleus.dsigma_dT(1 * keV, 10 * MeV, Neutrino(mu=2.9e-11), t),
        # issue 8: eq. 14 gave 26.6 keV here, where ν–p elastic scattering with its axial term
        # gives about 30 eV
        lambda t: nucleus.crossover(10 * MeV, Neutrino(mu=2.9e-11), t),
        lambda t: nucleus.crossings(10 * MeV, Neutrino(mu=2.9e-11), t),
        lambda t: nucleus.crossover_estimate(Neutrino(mu=2.9e-11), t),
        lambda t: nucleus.eta(1 * keV, 10 * MeV, Neutrino(q=1e-12), t),
    ],
)
def test_cevns_refuses_free_proton(name, call):
    # docs/design.md, "Hydrogen and odd-A nuclei": for ¹H the axial current dominates the SM term,
    # g_A²/C_V² ≈ (1.27/2)²/ ((1 − 4 · 0.23867)/2)² = 0.403/5.13e-4 ≈ 785; eq. 14 (vector only) does
    # not apply.
    with pytest.raises(ValueError, match=r"contains ¹H, a free proton.*axial"):
        call(name)


def test_deuterium_and_weak_charge_of_hydrogen_still_work():
    # deuterium is no free proton: CEvNS on "H2" is computed; C_V of hydrogen is a plain number
    # (the proton's weak charge, (1 − 4 sin²θ_W)/2 = 0.02266 for ¹H), not a cross section.
    assert nucleus.dsigma_dT(1 * keV, 10 * MeV, Neutrino(), "H2").sm > 0
    assert nucleus.weak_charge("H1") == pytest.approx((1 - 4 * 0.23867) / 2, rel=1e-12, abs=0)


def test_no_nan_at_absurdly_small_recoil():
    # Far below any slider range the 1/T and 1/T² terms overflow: +inf, never NaN.
    nu = Neutrino(mu=1e-8, q=1e-6, r2=1e-29 * cm2)
    for T in (1e-200, 1e-310):
        for xs in (electron.dsigma_dT(T, 10.0, nu), nucleus.dsigma_dT(T, 10.0, nu, "Xe")):
            assert not any(np.isnan([xs.sm, xs.em, xs.total]))
            assert xs.total > 0


def test_crossings_lists_every_crossing():
    # Natural Ge, ν_e at 10 MeV, qν = −1e-14, ⟨r²⟩ = −3e-30 cm² (the golden crossover case): at
    # low T the millicharge wins; η − 1 = A + B/T then passes the values where |η² − 1| = 1, so the
    # ratio crosses 1 twice: down at the edge (5.568e-11 MeV, golden), up again near 7.26e-11 MeV.
    # Each crossing is checked as a change of |EM| ≥ SM at ±1e-6 relative.
    nu = Neutrino("e", q=-1e-14, r2=-3e-30 * cm2)
    E = 10 * MeV
    cs = nucleus.crossings(E, nu, "Ge")
    assert cs.size == 2
    assert cs[0] / MeV == pytest.approx(5.568e-11, rel=1e-3, abs=0)
    assert cs[0] == pytest.approx(nucleus.crossover(E, nu, "Ge"), rel=1e-12, abs=0)
    lo = nucleus.dsigma_dT(cs * (1 - 1e-6), E, nu, "Ge")
    hi = nucleus.dsigma_dT(cs * (1 + 1e-6), E, nu, "Ge")
    assert np.all((np.abs(lo.em) >= lo.sm) != (np.abs(hi.em) >= hi.sm))
    # on ⁷²Ge alone the ratio also *touches* 1 where η = 0 (total = 0, |EM| = SM from below):
    # that is no crossing, so still two
    assert nucleus.crossings(E, nu, "Ge72").size == 2
    # magnetic moment alone: the edge T_c, and a second crossing just below T_max, where eq. 14
    # vanishes as (1 − T/T_max) but eq. 15 does not: there EM/SM ≈ (T_c/T)/(1 − T/T_max) = 1 at
    # 1 − T/T_max ≈ T_c/T_max (to O(T_c/T_max) = 2e-4)
    mag = Neutrino(mu=2.9e-11)
    two = nucleus.crossings(E, mag, "Ge72")
    assert two.size == 2
    assert two[0] == pytest.approx(nucleus.crossover(E, mag, "Ge72"), rel=1e-12, abs=0)
    tmax = 2 * E * E / (2 * E + target("Ge72").mass)
    assert 1 - two[1] / tmax == pytest.approx(two[0] / tmax, rel=1e-3, abs=0)
    assert nucleus.crossings(E, Neutrino(), "Ge").size == 0
    # a range that holds only the second crossing
    assert nucleus.crossings(E, nu, "Ge", T_lo=6e-11 * MeV).size == 1


def test_crossover_of_a_natural_element_runs_to_the_lightest_isotopes_t_max():
    """Xe at Eν = 10 MeV with μν = 10⁻⁸ μB: |EM|/SM > 60 at every recoil (checked on a grid
    here), so the low-T region where |EM| ≥ SM runs to T_max of ¹²⁴Xe, the lightest isotope
    (eq. 4 written out), not to that of ¹³⁶Xe where the heaviest isotope drops out."""
    xe, nu, E = target("Xe"), Neutrino("e", mu=1e-8), 10 * MeV
    m_light = float(xe.arrays["mass"].min())
    t_light = 2 * E**2 / (m_light + 2 * E)
    T = np.geomspace(1e-16 * t_light, t_light * (1 - 1e-9), 4000)
    xs = nucleus.dsigma_dT(T, E, nu, xe)
    assert (np.abs(xs.em) / xs.sm).min() > 60
    np.testing.assert_allclose(nucleus.crossover(E, nu, xe) / t_light, 1.0, rtol=1e-9, atol=0)
