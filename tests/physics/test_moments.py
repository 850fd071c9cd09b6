"""Effective magnetic moment from a moment matrix, mixing and the baseline (issue 22).

Every reference value is written out by hand here — loops over indices, the PMNS matrix as a
product of rotations, oscillation phases from eV², metres and MeV with ħc from the exact SI h, c, e —
independently of the vectorised code in explorer.physics.moments / mixing / probes. Tolerances
are relative (atol = 0).
"""

import cmath
import math

import numpy as np
import pytest
from hepunits import MeV, eV, keV, m
from numpy.testing import assert_allclose

from explorer.physics import sources
from explorer.physics.constants import dirac_magnetic_moment
from explorer.physics.mixing import Mixing, mixing, solar_mass_fractions
from explorer.physics.moments import (
    MomentMatrix,
    astrophysical_moment_squared,
    beam_moment_squared,
    dirac_moments_from_masses,
    effective_moment,
    solar_moment_squared,
)
from explorer.physics.probes import probe_for

# PDG 2022 (Workman et al., PTEP 2022, 083C01), "Neutrino mixing" summary table, as literals
PDG = {
    "s12": 0.307, "s13": 0.0220, "dm21": 7.53e-5, "delta": 1.36 * math.pi,
    "normal": (0.546, 2.453e-3), "inverted": (0.539, -2.536e-3),
}  # fmt: skip
#: ħc in MeV fm from the exact SI values of h, c and e (2019 SI): 197.32698045930…
HBARC_MEV_FM = 6.62607015e-34 * 299792458 / (2 * math.pi) / 1.602176634e-19 * 1e9


def pmns_by_hand(ordering="normal", alpha21=0.0, alpha31=0.0):
    """U = R23 · U13(δ) · R12 · diag(1, e^{iα21/2}, e^{iα31/2}), as a product of rotations."""
    s23sq = PDG[ordering][0]
    t12, t13, t23 = (math.asin(math.sqrt(x)) for x in (PDG["s12"], PDG["s13"], s23sq))
    c, s = math.cos, math.sin
    d = PDG["delta"]
    r23 = np.array([[1, 0, 0], [0, c(t23), s(t23)], [0, -s(t23), c(t23)]], dtype=complex)
    u13 = np.array(
        [
            [c(t13), 0, s(t13) * cmath.exp(-1j * d)],
            [0, 1, 0],
            [-s(t13) * cmath.exp(1j * d), 0, c(t13)],
        ]
    )
    r12 = np.array([[c(t12), s(t12), 0], [-s(t12), c(t12), 0], [0, 0, 1]], dtype=complex)
    maj = np.diag([1, cmath.exp(0.5j * alpha21), cmath.exp(0.5j * alpha31)])
    return r23 @ u13 @ r12 @ maj


def m2_by_hand(ordering="normal"):
    """m_k² − m_1² in eV²."""
    return [0.0, PDG["dm21"], PDG["dm21"] + PDG[ordering][1]]


def mu2_by_hand(mm, U, m2_ev2, flavour, E_MeV, L_m, anti=False):
    """Σ_j |Σ_k c(U_ℓk) e^{−iΔm²_kj L/2E} g_jk|² with explicit loops: ν: c(U) = U*, g_jk =
    μ_jk − iε_jk; ν̄: c(U) = U, g_jk = −(μ_kj + iε_kj) (index swapped, γ₅ = +1 on the ν̄ spinor)."""
    mu, eps = mm.mu, mm.eps
    total = 0.0
    for j in range(3):
        amp = 0j
        for k in range(3):
            dm2 = (m2_ev2[k] - m2_ev2[j]) * 1e-12  # MeV²
            phase = dm2 * (L_m * 1e15) / (2.0 * E_MeV * HBARC_MEV_FM)
            u = U[flavour][k] if anti else U[flavour][k].conjugate()
            g = -(mu[k][j] + 1j * eps[k][j]) if anti else mu[j][k] - 1j * eps[j][k]
            amp += u * cmath.exp(-1j * phase) * g
        total += abs(amp) ** 2
    return total


RNG = np.random.default_rng(22)
A = RNG.normal(size=(3, 3)) + 1j * RNG.normal(size=(3, 3))
B = RNG.normal(size=(3, 3)) + 1j * RNG.normal(size=(3, 3))


def dirac():
    """One numerical Dirac matrix: hermitian μ and ε with entries ~10⁻¹¹ μ_B (built in each test,
    so that a mutant fails a test rather than the import of this module)."""
    return MomentMatrix.dirac(1e-11 * (A + A.conj().T) / 2, 1e-11 * (B + B.conj().T) / 2)


LAMBDA = 1e-11 * np.array([2.0, 3.0 * cmath.exp(0.7j), 1.5 * cmath.exp(-2j)])


def majorana():
    """One numerical Majorana matrix: Λ = (2, 3e^{0.7i}, 1.5e^{−2i}) × 10⁻¹¹ μ_B."""
    return MomentMatrix.majorana_from_lambda(LAMBDA)


FLAVOURS = ("e", "mu", "tau")


# ---------------------------------------------------------------------------------------------
# PMNS


@pytest.mark.parametrize("ordering", ["normal", "inverted"])
def test_pmns_is_pdg_2022_as_a_product_of_rotations(ordering):
    mix = mixing(ordering)
    assert_allclose(mix.U, pmns_by_hand(ordering), rtol=1e-13, atol=0)
    assert_allclose(mix.m2, np.array(m2_by_hand(ordering)) * eV**2, rtol=1e-13, atol=0)
    assert mix.ordering == ordering


def test_pmns_with_majorana_phases_and_unitarity():
    mix = mixing("normal", alpha21=0.4, alpha31=-1.1)
    U = mix.U
    assert_allclose(U, pmns_by_hand("normal", 0.4, -1.1), rtol=1e-13, atol=0)
    assert_allclose(U @ U.conj().T, np.eye(3), rtol=0, atol=1e-15)


def test_jarlskog_invariant_by_hand():
    # J = Im(U_e1 U_μ2 U*_e2 U*_μ1) = c12 s12 c23 s23 c13² s13 sin δ (PDG review, eq. 14.?)
    U = mixing().U
    J = (U[0, 0] * U[1, 1] * U[0, 1].conjugate() * U[1, 0].conjugate()).imag
    s12, s13, s23 = (math.sqrt(x) for x in (PDG["s12"], PDG["s13"], PDG["normal"][0]))
    c12, c13, c23 = (math.sqrt(1 - x * x) for x in (s12, s13, s23))
    expected = c12 * s12 * c23 * s23 * c13**2 * s13 * math.sin(PDG["delta"])
    assert J == pytest.approx(expected, rel=1e-12, abs=0)


def test_mixing_shares_the_solar_parameters_of_sources():
    mix = mixing()
    assert (mix.sin2_theta12, mix.sin2_theta13, mix.dm2_21) == (
        sources.LMA["sin2_theta12"],
        sources.LMA["sin2_theta13"],
        sources.LMA["dm2_21"],
    )


# ---------------------------------------------------------------------------------------------
# unitarity: equal diagonal Dirac moments


@pytest.mark.parametrize("ordering", ["normal", "inverted"])
@pytest.mark.parametrize("anti", [False, True])
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_equal_diagonal_dirac_moments_give_mu_everywhere(flavour, anti, ordering):
    mu = 2.9e-11
    mm = MomentMatrix.dirac_diagonal(mu, mu, mu)
    E = np.geomspace(0.01, 50, 7)[:, None] * MeV
    L = np.array([0.0, 13.9, 1e3, 1.8e5, 1.5e11])[None, :] * m
    got = effective_moment(E, L, mm, flavour, anti, mixing(ordering))
    assert got.shape == (7, 5)
    assert_allclose(got, mu, rtol=1e-14, atol=0)
    assert_allclose(effective_moment(E, "solar", mm), mu, rtol=1e-14, atol=0)
    assert astrophysical_moment_squared(mm) == pytest.approx(3 * mu**2, rel=1e-15, abs=0)


# ---------------------------------------------------------------------------------------------
# the sum written out by hand


@pytest.mark.parametrize("anti", [False, True])
@pytest.mark.parametrize("flavour", [0, 1, 2])
def test_l_to_zero_is_u_lambda_dagger_lambda_u_dagger_by_hand(flavour, anti):
    # L → 0, ν: Σ_j |Σ_k U*_ℓk λ_jk|² = (U λ†λ U†)_ℓℓ, written as a triple loop;
    # ν̄: Σ_j |Σ_k U_ℓk λ*_jk|² = (U λ†λ U†)*_ℓℓ — the same real number
    U = pmns_by_hand()
    lam = dirac().lam
    expected = 0.0
    for a in range(3):
        for b in range(3):
            lam_dag_lam = sum(lam[j, a].conjugate() * lam[j, b] for j in range(3))
            expected += (U[flavour, a] * lam_dag_lam * U[flavour, b].conjugate()).real
    got = beam_moment_squared(1 * MeV, 0.0, dirac(), FLAVOURS[flavour], anti)
    assert got == pytest.approx(expected, rel=1e-13, abs=0)


@pytest.mark.parametrize("make", [dirac, majorana], ids=["dirac", "majorana"])
@pytest.mark.parametrize("ordering", ["normal", "inverted"])
@pytest.mark.parametrize("anti", [False, True])
def test_beam_moment_with_phases_by_hand(make, ordering, anti):
    moments = make()
    U, m2 = pmns_by_hand(ordering), m2_by_hand(ordering)
    cases = [(0.3, 13.9), (1.0, 500.0), (3.0, 1.8e5), (0.8, 2.0e3)]  # (E/MeV, L/m)
    for f in range(3):
        got = beam_moment_squared(
            np.array([e for e, _ in cases]) * MeV,
            np.array([L for _, L in cases]) * m,
            moments,
            FLAVOURS[f],
            anti,
            mixing(ordering),
        )
        want = [mu2_by_hand(moments, U, m2, f, e, L, anti) for e, L in cases]
        assert_allclose(got, want, rtol=1e-11, atol=0)


def test_majorana_two_lambdas_interfere_with_the_solar_splitting():
    # Λ₁, Λ₂ only: μ²(ν_e) = (|Λ₁|² + |Λ₂|²)|U_e3|² + |Λ₂ v₁ − Λ₁ v₂|², v_k = U*_ek e^{−i m_k² x}
    # (rows 1, 2 and 3 of λ v); the interference carries Δm²₂₁ L/2E
    L1, L2 = 2e-11, 3e-11 * cmath.exp(0.5j)
    mm = MomentMatrix.majorana_from_lambda([L1, L2, 0])
    U = pmns_by_hand()
    E_MeV, L_m = 1.0, 3.0e4
    x = L_m * 1e15 / (2 * E_MeV * HBARC_MEV_FM) * 1e-12  # per eV²
    v = [U[0, k].conjugate() * cmath.exp(-1j * m2_by_hand()[k] * x) for k in range(3)]
    expected = (abs(L1) ** 2 + abs(L2) ** 2) * abs(U[0, 2]) ** 2 + abs(L2 * v[0] - L1 * v[1]) ** 2
    got = beam_moment_squared(E_MeV * MeV, L_m * m, mm, "e")
    assert got == pytest.approx(expected, rel=1e-12, abs=0)
    # and it changes with L (the phase is ~1 rad here): a reactor limit depends on the distance
    assert abs(beam_moment_squared(E_MeV * MeV, 0.0, mm, "e") / got - 1) > 0.01


def test_antineutrino_conventions():
    E, L = 0.7 * MeV, 4.0e4 * m
    U, m2 = pmns_by_hand(), m2_by_hand()
    for mm in (dirac(), majorana()):
        # ν̄ is the ν formula at −L (the ν formula written by hand at −L)
        by_hand = mu2_by_hand(mm, U, m2, 0, 0.7, -4.0e4)
        assert beam_moment_squared(E, L, mm, "e", anti=True) == pytest.approx(
            by_hand, rel=1e-12, abs=0
        )
        # ... and not the ν formula at +L: the phases matter at 40 km
        assert abs(beam_moment_squared(E, L, mm, "e") / by_hand - 1) > 1e-3
    # CP conserved (real U and real λ): ν and ν̄ see the same moment
    real_mix = mixing(delta_cp=0.0)
    real = MomentMatrix.dirac(dirac().mu.real)
    nu = beam_moment_squared(E, L, real, "mu", False, real_mix)
    nubar = beam_moment_squared(E, L, real, "mu", True, real_mix)
    assert nubar == pytest.approx(nu, rel=1e-13, abs=0)


def test_purely_electric_matrix_equals_magnetic_with_mu_and_eps_swapped():
    magnetic = MomentMatrix.dirac(dirac().mu)
    electric = MomentMatrix.dirac(np.zeros((3, 3)), dirac().mu)
    E = np.geomspace(0.1, 10, 5) * MeV
    for f in FLAVOURS:
        for anti in (False, True):
            a = beam_moment_squared(E, 2e3 * m, magnetic, f, anti)
            b = beam_moment_squared(E, 2e3 * m, electric, f, anti)
            assert_allclose(b, a, rtol=1e-14, atol=0)
    assert_allclose(
        solar_moment_squared(E, electric), solar_moment_squared(E, magnetic), rtol=1e-14, atol=0
    )
    maj_m = MomentMatrix.majorana(majorana().mu)
    maj_e = MomentMatrix.majorana(np.zeros((3, 3)), majorana().mu)
    assert_allclose(
        beam_moment_squared(E, 13.9 * m, maj_e, "e", True),
        beam_moment_squared(E, 13.9 * m, maj_m, "e", True),
        rtol=1e-14,
        atol=0,
    )


# ---------------------------------------------------------------------------------------------
# solar mass states


def test_solar_mass_fractions_sum_to_one_and_reproduce_p_ee():
    E = np.geomspace(1 * keV, 20 * MeV, 200)
    P = solar_mass_fractions(E)
    assert P.shape == (200, 3)
    assert_allclose(P.sum(axis=-1), 1.0, rtol=1e-15, atol=0)
    U2 = np.abs(pmns_by_hand()[0]) ** 2
    assert_allclose(P @ U2, sources.lma_survival(E), rtol=1e-13, atol=0)
    # low energy: vacuum-averaged, P_k → |U_ek|²; P₃ = sin²θ₁₃ at every energy
    assert_allclose(solar_mass_fractions(1e-9 * MeV), U2, rtol=1e-6, atol=0)
    assert_allclose(P[:, 2], PDG["s13"], rtol=1e-15, atol=0)


def test_solar_majorana_moment_by_hand():
    # Σ_k P_k Σ_j |λ_jk|² with Σ_j |λ_jk|² = |Λ|² − |Λ_k|² (Cañas et al. 2016)
    E = 0.8613 * MeV
    P = solar_mass_fractions(E)
    norm2 = sum(abs(x) ** 2 for x in LAMBDA)
    expected = sum(P[k] * (norm2 - abs(LAMBDA[k]) ** 2) for k in range(3))
    assert solar_moment_squared(E, majorana()) == pytest.approx(expected, rel=1e-13, abs=0)
    assert astrophysical_moment_squared(majorana()) == pytest.approx(norm2, rel=1e-13, abs=0)


def test_published_lambda3_bound_from_borexino():
    """Cañas et al., Phys. Lett. B 753, 191 (2016), arXiv:1510.01684, abstract: from Borexino,
    μ_eff ≤ 3.1×10⁻¹¹ μ_B (90 % CL) ⇒ |Λ₃| ≤ 3.1×10⁻¹¹ μ_B. With Λ₃ alone,
    μ²_eff = |Λ₃|² (1 − P₃), P₃ = sin²θ₁₃ at every solar energy, so |Λ₃| ≤ μ_eff/√(1 − sin²θ₁₃).
    Inputs: μ_eff bound 3.1e-11 μ_B; sin²θ₁₃ = 0.0220 (PDG 2022; Cañas used the 2014 fit
    ≈ 0.0234, which gives 3.137e-11: the same two digits). Their |Λ₁| ≤ 5.6 and |Λ₂| ≤ 4.0
    (×10⁻¹¹) come from a spectral χ² fit of Borexino data that is not reproduced here: one
    energy gives |Λ₁| ≤ 5.45 → 4.90 and |Λ₂| ≤ 3.71 → 3.93 from the low-energy limit to the ⁷Be
    line, so their 5.6 and 4.0 are not confirmed by this simple relation."""
    mu_eff = 3.1e-11
    per_unit = solar_moment_squared(0.8613 * MeV, MomentMatrix.majorana_from_lambda([0, 0, 1e-11]))
    bound = mu_eff / math.sqrt(per_unit) * 1e-11
    assert bound == pytest.approx(mu_eff / math.sqrt(1 - 0.0220), rel=1e-13, abs=0)
    assert f"{bound:.1e}" == "3.1e-11"
    for E in (0.2647, 0.8613, 1.442):  # pp mean, ⁷Be, pep: the same for every energy
        assert solar_moment_squared(
            E * MeV, MomentMatrix.majorana_from_lambda([0, 0, 1e-11])
        ) == pytest.approx(per_unit, rel=1e-14, abs=0)


# ---------------------------------------------------------------------------------------------
# matrices and validation


def test_majorana_diagonal_is_refused():
    with pytest.raises(ValueError, match=r"Majorana mu .*transition moments only.*diagonal"):
        MomentMatrix.majorana(np.diag([1e-11j, 0, 0]))
    with pytest.raises(ValueError, match=r"Majorana eps .*diagonal"):
        MomentMatrix.majorana(np.zeros((3, 3)), np.diag([0, 0, 2e-11j]))


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: MomentMatrix.dirac([[0, 1e-11, 0], [0, 0, 0], [0, 0, 0]]), "hermitian"),
        (lambda: MomentMatrix.dirac(np.eye(2) * 1e-11), "3×3"),
        (lambda: MomentMatrix.dirac(np.eye(3) * 1e-3), "1e-06"),
        (lambda: MomentMatrix.dirac(np.eye(3) * np.nan), "finite"),
        (lambda: MomentMatrix.majorana([[0, 1e-11, 0], [-1e-11, 0, 0], [0, 0, 0]]), "imaginary"),
        (lambda: MomentMatrix("sterile", np.zeros((3, 3)), np.zeros((3, 3))), "kind"),
        (lambda: MomentMatrix.majorana_from_lambda([1e-11, 2e-11]), "Lambda"),
        (lambda: beam_moment_squared(0.0, 1.0, dirac()), "E must be > 0"),
        (lambda: beam_moment_squared(1.0, -1.0, dirac()), "L must be ≥ 0"),
        (lambda: beam_moment_squared(1.0, 1.0, dirac(), "muon"), "flavour"),
        (lambda: beam_moment_squared(1.0, 1.0, "μ"), "MomentMatrix"),
        (lambda: effective_moment(1.0, "lunar", dirac()), "one of"),
        (lambda: mixing("flat"), "ordering"),
        (lambda: mixing(sin2_theta12=1.2), "sin2_theta12"),
        (lambda: Mixing(0.3, 0.02, 0.5, 0.0, 7e-5 * eV**2, 0.0), "dm2_32"),
        (lambda: dirac_moments_from_masses(-1 * eV), "m_lightest"),
        (lambda: probe_for("kamland"), "key"),
    ],
)
def test_bad_input_raises_value_error_naming_it(call, words):
    with pytest.raises(ValueError, match=words):
        call()


def test_lambda_vector_convention():
    # λ_jk = ε_jkl Λ_l: Λ₁ = λ₂₃, Λ₂ = λ₃₁, Λ₃ = λ₁₂; μ = i Im λ, ε = i Re λ
    lam = majorana().lam
    assert (lam[1, 2], lam[2, 0], lam[0, 1]) == tuple(LAMBDA)
    assert_allclose(lam, -lam.T, rtol=0, atol=0)
    assert_allclose(majorana().Lambda, LAMBDA, rtol=0, atol=0)
    assert_allclose(majorana().mu, 1j * lam.imag, rtol=0, atol=0)


def test_dirac_moments_from_masses_eq1():
    # normal: m₁ = 0.01 eV, m₂ = √(m₁² + Δm²₂₁), m₃ = √(m₁² + Δm²₂₁ + Δm²₃₂); μ_kk = eq. 1
    mm = dirac_moments_from_masses(0.01 * eV, "normal")
    masses = [math.sqrt(0.01**2 + x) for x in m2_by_hand("normal")]
    assert_allclose(np.diag(mm.mu).real, [3.2028e-19 * mk for mk in masses], rtol=2e-4, atol=0)
    assert_allclose(np.diag(mm.mu).real, dirac_magnetic_moment(np.array(masses) * eV), rtol=1e-14)
    inv = dirac_moments_from_masses(0.0, "inverted")  # m₃ = 0 is the lightest
    assert inv.mu[2, 2] == 0.0 and inv.mu[0, 0].real > 1e-20
