"""What each limit bounds (issue 22): the probes of explorer.physics.limits, allowed regions in the
(|Λa|, |Λb|) plane, and rates with the effective moment of a moment matrix under the Eν integral.
Reference values by hand (pointwise moments, PDG 2022 literals, a line source); atol = 0."""

import cmath
import math

import numpy as np
import pytest
from hepunits import GW, MeV, day, keV, kg, m
from numpy.testing import assert_allclose

from explorer.physics import limits, probes, rates, sources
from explorer.physics.mixing import mixing, solar_mass_fractions
from explorer.physics.moments import MomentMatrix, beam_moment_squared, effective_moment
from explorer.physics.probes import (
    PROBES,
    allowed_region,
    allowed_region_dirac,
    counts_with_moments,
    dR_dT_with_moments,
    magnetic_source,
    probe_for,
    probe_moment_squared,
)

# ---------------------------------------------------------------------------------------------
# probes and the allowed region


def test_every_limit_has_a_probe():
    assert set(limits.LIMITS) <= set(PROBES)
    assert probe_for("gemma").kind == "beam" and probe_for("gemma").anti
    assert probe_for("borexino").kind == probe_for("xenonnt").kind == "solar"
    assert probe_for("red-giant").kind == "astrophysical"


def test_allowed_region_matches_the_pointwise_moments():
    x = np.linspace(0, 6e-11, 7)
    y = np.linspace(0, 5e-11, 6)
    for key in PROBES:
        region = allowed_region(
            3e-11, PROBES[key], x, y, fixed=1e-11, axes=(1, 3), phases=(0, 1, 2)
        )
        assert region.allowed.shape == region.mu_eff.shape == (6, 7)
        for i, j in ((0, 0), (2, 5), (5, 3)):
            vec = [x[j] * cmath.exp(0j), 1e-11 * cmath.exp(1j), y[i] * cmath.exp(2j)]
            mu2 = probe_moment_squared(PROBES[key], MomentMatrix.majorana_from_lambda(vec))
            assert region.mu_eff[i, j] == pytest.approx(math.sqrt(mu2), rel=1e-13, abs=0)
            assert region.allowed[i, j] == (math.sqrt(mu2) <= 3e-11)


def test_dirac_region_is_the_incoherent_sum_written_by_hand():
    # diagonal Dirac moments: no interference, so with PDG 2022 literals (sin²θ12 = 0.307,
    # sin²θ13 = 0.0220) the reactor sees c12²c13² μ11² + s12²c13² μ22² + s13² μ33² at any
    # baseline; the Sun Σ P_k μ_kk² with P_k of mixing.solar_mass_fractions; stars Σ μ_kk²
    x, y, fixed = np.array([0.0, 2e-11, 5e-11]), np.array([1e-11, 4e-11]), 3e-11
    weights = {
        "gemma": ((1 - 0.307) * (1 - 0.0220), 0.307 * (1 - 0.0220), 0.0220),
        "borexino": tuple(solar_mass_fractions(0.8613 * MeV)),
        "red-giant-2020": (1.0, 1.0, 1.0),
    }
    for key, (w1, w2, w3) in weights.items():
        region = allowed_region_dirac(3e-11, PROBES[key], x, y, fixed=fixed, axes=(1, 2))
        for i, j in ((0, 0), (1, 2), (0, 1)):
            want = math.sqrt(w1 * x[j] ** 2 + w2 * y[i] ** 2 + w3 * fixed**2)
            assert region.mu_eff[i, j] == pytest.approx(want, rel=1e-12, abs=0)
            assert region.allowed[i, j] == (want <= 3e-11)
    # the axes put the fixed moment where they say: (μ33, μ11) with μ22 fixed
    r = allowed_region_dirac(1e-11, PROBES["red-giant-2020"], [1e-11], [2e-11], 3e-11, (3, 1))
    assert r.mu_eff[0, 0] == pytest.approx(math.sqrt(14e-22), rel=1e-12, abs=0)


def test_reactor_and_solar_bounds_cut_different_directions():
    # |Λ₁| alone: the reactor sees |Λ₁|²(1 − |U_e1|²), the Sun (pp) |Λ₁|²(1 − P₁): both ∝ |Λ₁|, but
    # |Λ₃| alone costs the reactor (1 − |U_e3|²) and the Sun (1 − sin²θ₁₃): different ratios
    one = MomentMatrix.majorana_from_lambda([1e-11, 0, 0])
    reactor = probe_moment_squared(PROBES["gemma"], one, energy=1 * MeV)
    at_zero = 1e-22 * (1 - (1 - 0.307) * (1 - 0.0220))  # 1 − |U_e1|², PDG 2022 c12² c13²
    assert reactor == pytest.approx(at_zero, rel=1e-3, abs=0)  # 13.9 m: phases ≲ 0.1 rad
    solar = probe_moment_squared(PROBES["xenonnt"], one)
    P1 = solar_mass_fractions(0.2647 * MeV)[0]
    assert solar == pytest.approx(1e-22 * (1 - P1), rel=1e-13, abs=0)


# ---------------------------------------------------------------------------------------------
# rates with a moment matrix


def test_rate_with_equal_diagonal_moments_equals_the_single_mu_rate():
    mu = 2.9e-11
    mm = MomentMatrix.dirac_diagonal(mu, mu, mu)
    T = np.geomspace(1, 100, 6) * keV
    reactor = sources.reactor(3 * GW, 13.9 * m)
    for src, baseline, mat in ((reactor, 13.9 * m, "Ge"), (sources.solar(), "solar", "Xe")):
        got = dR_dT_with_moments(T, src, mat, "electron", mm, baseline)
        ref = rates.dR_dT(T, src, mat, "electron", mu=mu)
        assert_allclose(got.em, ref.em, rtol=1e-12, atol=0)
        assert_allclose(got.total, ref.total, rtol=1e-12, atol=0)
        assert_allclose(got.sm, ref.sm, rtol=0, atol=0)


def test_rate_with_energy_dependent_moment_is_the_weighted_integral():
    # a line source: the magnetic rate is exactly that of one μ = μ_eff(E₀, L)
    mm = MomentMatrix.majorana_from_lambda([2e-11, 3e-11 * cmath.exp(0.5j), 0])
    E0, L = 1.0 * MeV, 3.0e4 * m
    src = sources.line(E0, 1e10 / (m * m), flavour="e", anti=True)
    T = np.geomspace(1, 300, 5) * keV
    mu = effective_moment(E0, L, mm, "e", anti=True)
    got = dR_dT_with_moments(T, src, "Ge", "electron", mm, L)
    ref = rates.dR_dT(T, src, "Ge", "electron", mu=mu)
    assert_allclose(got.em, ref.em, rtol=1e-12, atol=0)
    # a spectrum: the μ² weight sits inside the Eν integral (grid route, hand weight)
    spec = sources.from_function(lambda E: np.ones_like(E), 0.5 * MeV, 3 * MeV, 1e10 / (m * m))
    weighted = magnetic_source(spec, mm, L)
    E = np.linspace(0.6, 2.9, 5) * MeV
    ratio = weighted.dphi_dE(E) / spec.dphi_dE(E)
    assert_allclose(ratio * 1e-20, beam_moment_squared(E, L, mm, "e"), rtol=1e-13, atol=0)


def test_counts_with_equal_diagonal_moments_equal_the_single_mu_counts():
    # unitarity: Σ_j |U_ℓj|² μ² = μ² at every Eν, so the counts are those of one μ
    mu = 2.9e-11
    mm = MomentMatrix.dirac_diagonal(mu, mu, mu)
    src = sources.reactor(3 * GW, 13.9 * m)
    exposure = 1.5 * kg * 365 * day
    got = counts_with_moments(src, "Ge", exposure, 2.8 * keV, 10 * keV, "electron", mm, 13.9 * m)
    ref = rates.counts(src, "Ge", exposure, 2.8 * keV, 10 * keV, "electron", mu=mu)
    assert got.em == pytest.approx(ref.em, rel=1e-12, abs=0)
    assert got.sm == ref.sm


def test_counts_of_a_line_use_the_moment_at_its_energy_and_the_chosen_ordering():
    # a line at a baseline where Δm²₃₂ matters: the counts are those of one μ = μ_eff(E₀, L) of
    # the ordering passed (moments.effective_moment, a pointwise route), and the orderings differ
    mm = MomentMatrix.majorana_from_lambda([2e-11, 3e-11 * cmath.exp(1.0j), 1e-11])
    E0, L = 3.0 * MeV, 1.0e3 * m
    src = sources.line(E0, 1e10 / (m * m), flavour="e", anti=True)
    exposure = 10 * kg * 100 * day
    seen = {}
    for order in ("normal", "inverted"):
        mix = mixing(order)
        mu = effective_moment(E0, L, mm, "e", anti=True, mix=mix)
        got = counts_with_moments(src, "Ge", exposure, 1 * keV, 100 * keV, "electron", mm, L,
                                  mix=mix)  # fmt: skip
        ref = rates.counts(src, "Ge", exposure, 1 * keV, 100 * keV, "electron", mu=mu)
        assert got.em == pytest.approx(ref.em, rel=1e-12, abs=0)
        T = np.geomspace(1, 100, 4) * keV
        r = dR_dT_with_moments(T, src, "Ge", "electron", mm, L, mix=mix)
        assert_allclose(r.em, rates.dR_dT(T, src, "Ge", "electron", mu=mu).em, rtol=1e-12, atol=0)
        seen[order] = got.em
    assert abs(seen["normal"] / seen["inverted"] - 1) > 1e-3


def test_counts_with_moments_are_the_integral_of_the_rate():
    # a second route: the trapezoid rule over a fine T grid of dR_dT_with_moments
    mm = MomentMatrix.majorana_from_lambda([2e-11, 3e-11 * cmath.exp(0.5j), 1e-11])
    src = sources.reactor(3 * GW, 13.9 * m)
    exposure = 1.0 * kg * 1.0 * day
    got = counts_with_moments(src, "Ge", exposure, 3 * keV, 30 * keV, "electron", mm, 13.9 * m,
                              binding="free")  # fmt: skip
    T = np.geomspace(3, 30, 4001) * keV
    r = dR_dT_with_moments(T, src, "Ge", "electron", mm, 13.9 * m, binding="free")
    em = float(np.sum(0.5 * (r.em[1:] + r.em[:-1]) * np.diff(T))) * exposure
    assert got.em == pytest.approx(em, rel=1e-4, abs=0)


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: allowed_region(0.0, PROBES["gemma"], [0, 1e-11], [0, 1e-11]), "limit must be > 0"),
        (lambda: allowed_region(3e-11, PROBES["gemma"], [-1e-11], [0]), "x must be ≥ 0"),
        (lambda: allowed_region(3e-11, PROBES["gemma"], [0], [0], axes=(1, 1)), "axes"),
        (lambda: allowed_region(3e-11, "gemma", [0], [0]), "Probe"),
        (lambda: allowed_region_dirac(3e-11, PROBES["gemma"], [0], [-1.0]), "y must be ≥ 0"),
        (lambda: allowed_region_dirac(-1.0, PROBES["gemma"], [0], [0]), "limit must be > 0"),
        (
            lambda: magnetic_source(
                sources.line(1 * MeV, 1.0),
                MomentMatrix.majorana_from_lambda([2e-11, 1e-11, 0]),
                "lunar",
            ),
            "baseline",
        ),
        (
            lambda: magnetic_source(
                sources.line(1 * MeV, 1.0),
                MomentMatrix.majorana_from_lambda([2e-11, 1e-11, 0]),
                -1.0,
            ),
            "baseline must be ≥ 0",
        ),
        (
            lambda: magnetic_source(
                "reactor", MomentMatrix.majorana_from_lambda([2e-11, 1e-11, 0]), 1.0
            ),
            "Source",
        ),
        (
            lambda: probe_moment_squared(
                PROBES["gemma"], MomentMatrix.majorana_from_lambda([2e-11, 1e-11, 0]), mix="NuFIT"
            ),
            "Mixing",
        ),
        (
            lambda: beam_moment_squared(
                np.ones(3), np.ones(2), MomentMatrix.majorana_from_lambda([2e-11, 1e-11, 0])
            ),
            "broadcast",
        ),
        (lambda: probes.Probe("beam", "x", "e", True, None, 1.0), "baseline"),
        (lambda: probes.Probe("beam", "x", "e", "yes", 1.0, 1.0), "anti"),
        (lambda: probes.Probe("solar", "x"), "energy"),
        (lambda: probes.Probe("solar", "x", energy=-1.0), "energy must be > 0"),
        (lambda: probes.Probe("lunar", "x"), "kind"),
    ],
)
def test_bad_input_raises_value_error_naming_it(call, words):
    with pytest.raises(ValueError, match=words):
        call()
