"""Snapshot of the public physics API of docs/design.md, "Physics API": the names and signatures
that code outside the package (notebooks, users' scripts, these tests) relies on. A change here is
a change of contract: update docs/design.md, "Physics API" and this snapshot together."""

import inspect

import pytest

import explorer.physics as phys

#: (module, function) → parameter list as written in docs/design.md, "Physics API".
SIGNATURES = {
    ("electron", "dsigma_dT"): "(T, E, nu, target=None, binding='stepping', sin2w=0.23867)",
    ("electron", "crossover"): "(E, nu, target=None, binding='stepping', sin2w=0.23867)",
    ("electron", "crossover_estimate"): "(nu)",
    # issue 20: where the crossover search runs (the app's map runs the same search)
    ("electron", "crossover_range"): "(E, target=None, binding='stepping')",
    ("nucleus", "crossover_range"): "(E, target)",
    ("nucleus", "dsigma_dT"): "(T, E, nu, target, form_factor=None, sin2w=0.23867)",
    ("nucleus", "crossover"): "(E, nu, target, form_factor=None, sin2w=0.23867)",
    ("nucleus", "crossover_estimate"): "(nu, target, sin2w=0.23867)",
    ("nucleus", "weak_charge"): "(target, sin2w=0.23867)",
    ("nucleus", "eta"): "(T, E, nu, target, sin2w=0.23867)",
    ("kinematics", "t_max"): "(E, mass)",
    ("kinematics", "cos_recoil_angle"): "(T, E, mass)",
    ("atomic", "step_factor"): "(T, target)",
    ("atomic", "recoil_scale"): "(target)",
    ("constants", "dirac_magnetic_moment"): "(m_nu)",
    # issue 22: the effective magnetic moment from a moment matrix, mixing and the baseline
    ("mixing", "mixing"): "(ordering='normal', **overrides)",
    ("mixing", "solar_mass_fractions"): "(E, n_e=None)",
    ("moments", "beam_moment_squared"): "(E, L, moments, flavour='e', anti=False, mix=None)",
    ("moments", "solar_moment_squared"): "(E, moments, n_e=None)",
    ("moments", "astrophysical_moment_squared"): "(moments)",
    ("moments", "effective_moment"): "(E, L, moments, flavour='e', anti=False, mix=None)",
    ("moments", "dirac_moments_from_masses"): "(m_lightest, ordering='normal', mix=None)",
    ("probes", "probe_for"): "(key)",
    ("probes", "probe_moment_squared"): "(probe, moments, mix=None, energy=None)",
    ("probes", "allowed_region"): (
        "(limit, probe, x, y, fixed=0.0, axes=(1, 2), phases=(0.0, 0.0, 0.0), mix=None)"
    ),
    ("probes", "allowed_region_dirac"): "(limit, probe, x, y, fixed=0.0, axes=(1, 2), mix=None)",
    ("probes", "magnetic_source"): "(src, moments, baseline, mix=None)",
    ("probes", "dR_dT_with_moments"): (
        "(T, src, material, channel, moments, baseline, q=0.0, r2=0.0, mix=None, **kwargs)"
    ),
    ("probes", "counts_with_moments"): (
        "(src, material, exposure, T_min, T_max, channel, moments, baseline, q=0.0, r2=0.0,"
        " mix=None, **options)"
    ),
    # sources (docs/design.md, "Physics API"; keyword additions of issue 21 at the end)
    ("sources", "pion_dar"): "(distance, proton_rate, nu_per_proton=0.08)",
    (
        "sources",
        "solar",
    ): "(components=('pp', '7Be', 'pep', '8B'), p_ee=None, b8_shape='winter2006')",
    (
        "sources",
        "reactor",
    ): "(power, distance, fractions=None, capture_rate=None, low_energy_scale=1.0)",
    ("sources", "reactor_band"): "(power, distance, fractions=None, capture_rate=None, rel=None)",
    # rates (issue 20: one module per job behind rates/__init__; the counting options keyword-only)
    ("rates", "dR_dT"): (
        "(T, src, material, channel, mu=0.0, q=0.0, r2=0.0, binding='stepping', form_factor=None,"
        " sin2w=0.23867, n_E=2000, method='moments')"
    ),
    ("rates", "counts"): (
        "(src, material, exposure, T_min, T_max=None, channel='electron', mu=0.0, q=0.0, r2=0.0, *,"
        " binding='stepping', form_factor=None, sin2w=0.23867, quenching=None, k=None,"
        " efficiency=None, n_E=2000, n_T=24)"
    ),
    ("rates", "sensitivity"): (
        "(src, material, exposure, threshold, background, channel, parameter='mu', cl=0.9,"
        " T_max=None, sign=1, *, binding='stepping', form_factor=None, sin2w=0.23867,"
        " quenching=None, k=None, efficiency=None, n_E=2000, n_T=24)"
    ),
    ("rates", "e_min"): "(T, mass)",
    ("rates", "poisson_upper_limit"): "(b, cl=0.9)",
}


def test_public_names():
    expected = {
        "CrossSection", "Neutrino", "Target", "atomic", "available_elements", "constants",
        "electron", "kinematics", "nucleus", "target",
    }  # fmt: skip
    assert expected <= set(phys.__all__)
    for name in phys.__all__:
        assert hasattr(phys, name), name


def test_public_names_of_the_moment_matrix():
    # issue 22
    assert {"MomentMatrix", "mixing", "moments", "probes"} <= set(phys.__all__)
    mm = phys.MomentMatrix.majorana_from_lambda([1e-11, 0, 0])
    for attr in ("kind", "mu", "eps", "lam", "Lambda"):
        assert hasattr(mm, attr), attr
    assert set(phys.limits.LIMITS) <= set(phys.probes.PROBES)


@pytest.mark.parametrize("module, name", sorted(SIGNATURES))
def test_signature(module, name):
    fn = getattr(getattr(phys, module), name)
    assert str(inspect.signature(fn)) == SIGNATURES[(module, name)]


def test_neutrino_and_target_fields():
    nu = phys.Neutrino("e", anti=True, mu=2.9e-11, q=0.0, r2=0.0)
    assert (nu.flavour, nu.anti, nu.mu, nu.q, nu.r2) == ("e", True, 2.9e-11, 0.0, 0.0)
    ge = phys.target("Ge")
    for attr in ("Z", "N", "mass", "shells", "isotopes"):
        assert hasattr(ge, attr), attr
