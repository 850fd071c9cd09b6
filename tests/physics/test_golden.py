"""Golden values from an independent evaluation.

Every number below was computed from the paper's formulas (and docs/design.md, "Physics
conventions") in a separate mpmath script at 30 digits, written from scratch by a reviewer who did
not use this package: CODATA 2022 constants (α = 7.2973525643e-3, G_F = 1.1663787e-5 GeV⁻², m_e =
0.51099895069 MeV, u = 931.49410372 MeV), exact ħc = 197.3269804593 MeV fm, AME2020 atomic masses
minus Z m_e, sin²θ_W = 0.23867 unless stated. Tolerance 1e-9 relative (periodictable's isotope
masses differ from AME2020 by up to 9e-9 for ¹²⁷I, ~1e-10 for the ones used here).

``golden/make_golden.py`` regenerates the value column of every table below from the other
columns (mpmath, its own formulas and constants; ``--check`` compares with this file).
"""

import pytest
from hepunits import MeV, cm2, keV

from explorer.physics import Neutrino, atomic, constants, electron, kinematics, nucleus

R = 1e-9
PER_MEV = cm2 / MeV

ELECTRON = [
    # (flavour, anti, mu, q, r2 [cm²], T [MeV], E [MeV], part, value [cm²/MeV])
    ("e", False, 0, 0, 0, 0.01, 1, "sm", 1.034928356e-44),
    ("e", False, 0, 0, 0, 1, 10, "sm", 1.018230827e-44),
    ("e", True, 0, 0, 0, 0.01, 1, "sm", 1.018170403e-44),
    ("e", True, 0, 0, 0, 1, 10, "sm", 8.582302642e-45),
    ("mu", False, 0, 0, 0, 0.01, 1, "sm", 2.144464265e-45),
    ("mu", False, 0, 0, 0, 1, 10, "sm", 1.977488973e-45),
    ("mu", True, 0, 0, 0, 0.01, 1, "sm", 2.140578869e-45),
    ("mu", True, 0, 0, 0, 1, 10, "sm", 1.940392233e-45),
    ("e", False, 1e-10, 0, 0, 0.01, 1, "em", 2.469725294e-43),
    ("e", False, 1e-10, 0, 0, 1, 10, "em", 2.245204813e-45),
    ("e", True, 0, 1e-12, 0, 0.01, 1, "em", -6.482672836e-45),
    ("e", False, 0, 0, 1e-32, 0.01, 1, "em", 4.026154444e-46),
    ("mu", False, 0, -1e-12, -1e-32, 0.01, 1, "em", 2.057038714e-45),
    ("mu", True, 0, 1e-10, 3e-32, 0.01, 1, "em", 2.512692794e-41),
]


@pytest.mark.parametrize(("flavour", "anti", "mu", "q", "r2", "T", "E", "part", "value"), ELECTRON)
def test_electron_golden(flavour, anti, mu, q, r2, T, E, part, value):
    nu = Neutrino(flavour, anti=anti, mu=mu, q=q, r2=r2 * cm2)
    xs = electron.dsigma_dT(T * MeV, E * MeV, nu)
    assert getattr(xs, part) / PER_MEV == pytest.approx(value, rel=R, abs=0)


NUCLEUS = [
    # (isotope, mu, T [keV], E [MeV], part, form factor, value [cm²/MeV])
    ("Xe132", 0, 0.1, 10, "sm", None, 2.774278612e-36),
    ("Xe132", 0, 1, 10, "sm", None, 1.140069064e-36),
    ("Xe132", 0, 1, 30, "sm", None, 2.754037499e-36),
    ("Ge72", 0, 0.1, 10, "sm", None, 4.055310086e-37),
    ("Ge72", 0, 1, 10, "sm", None, 2.790281356e-37),
    ("Ge72", 0, 1, 30, "sm", None, 4.039599205e-37),
    ("Xe132", 1e-10, 0.1, 10, "em", None, 7.274390849e-38),
    ("Xe132", 1e-10, 1, 10, "em", None, 7.273736166e-39),
    ("Ge72", 1e-10, 0.1, 10, "em", None, 2.554518597e-38),
    ("Ge72", 1e-10, 1, 10, "em", None, 2.554288695e-39),
    ("Xe132", 0, 10, 50, "sm", "helm", 1.355392205e-36),
    ("Ge72", 0, 10, 50, "sm", "helm", 3.019379877e-37),
]


@pytest.mark.parametrize(("iso", "mu", "T", "E", "part", "ff", "value"), NUCLEUS)
def test_nucleus_golden(iso, mu, T, E, part, ff, value):
    xs = nucleus.dsigma_dT(T * keV, E * MeV, Neutrino(mu=mu), iso, form_factor=ff)
    assert getattr(xs, part) / PER_MEV == pytest.approx(value, rel=R, abs=0)


ETA = [
    # (target, q, r2 [cm²], T [keV], E [MeV], η)
    ("Ge", 0, 1e-32, 1, 1, 1.038793173),
    ("Ge", 1e-12, 0, 1, 1, 0.9999330024),
    ("Ge", 1e-12, 1e-32, 1, 1, 1.038726176),
    ("Ge72", 1e-12, 1e-32, 1, 1, 1.039436342),
]


@pytest.mark.parametrize(("tgt", "q", "r2", "T", "E", "value"), ETA)
def test_eta_golden(tgt, q, r2, T, E, value):
    got = nucleus.eta(T * keV, E * MeV, Neutrino(q=q, r2=r2 * cm2), tgt)
    assert got == pytest.approx(value, rel=R, abs=0)


def test_weak_charge_golden():
    # natural Ge: mean N over IUPAC abundances (7 significant digits)
    assert nucleus.weak_charge("Ge") == pytest.approx(-19.62868, rel=1e-6, abs=0)


CROSSOVERS = [
    # channel, target, (flavour, anti, mu, q, r2), E [MeV], value [MeV], tolerance
    ("e", None, ("e", True, 2.9e-11, 0, 0), 1, 0.02061222617, R),
    ("e", None, ("e", False, 1e-10, 0, 0), 1, 0.2044608026, R),
    ("e", None, ("mu", False, 1e-10, 0, 0), 10, 1.131575691, R),
    ("e", None, ("e", True, 0, 1e-12, 0), 1, 0.002225108145, R),
    ("e", None, ("e", True, 0, -1e-12, 0), 1, 0.01107587539, R),
    # a narrow dip where the qν and ⟨r²⟩ shifts cancel (dense scan, then mpmath root)
    ("e", None, ("e", False, 0, 3e-13, 1e-29), 10, 6.218453052e-5, R),
    ("n", "Ge72", ("e", False, 2.9e-11, 0, 0), 10, 5.121085101e-7, R),
    ("n", "Ge", ("e", False, 2.9e-11, 0, 0), 10, 4.869628647e-7, R),
    ("n", "Ge72", ("e", False, 0, 1e-12, 0), 10, 2.853887967e-8, R),
    ("n", "Ge72", ("e", False, 0, -1e-12, 0), 10, 1.663367804e-7, R),
    ("n", "Ge", ("e", False, 0, -1e-14, -3e-30), 10, 5.56815655e-11, R),
    # natural Xe: the ratio dips below 1 where the heavier isotopes reach their T_max
    ("n", "Xe", ("e", True, 0, 3.162e-12, -5e-31), 0.1, 1.514187472e-7, R),
]


@pytest.mark.parametrize(("channel", "tgt", "nu", "E", "value", "rel"), CROSSOVERS)
def test_crossover_golden(channel, tgt, nu, E, value, rel):
    f, a, mu, q, r2 = nu
    n = Neutrino(f, anti=a, mu=mu, q=q, r2=r2 * cm2)
    got = electron.crossover(E * MeV, n) if channel == "e" else nucleus.crossover(E * MeV, n, tgt)
    assert got / MeV == pytest.approx(value, rel=rel, abs=0)


SCALES = [
    # (quantity, arguments, value [MeV, or μ_B for "dirac"]); masses and energies in MeV
    ("eq9", {"mu": 2.9e-11}, 0.02434934115),
    ("eq9", {"mu": 1e-10}, 0.2895284322),
    ("eq16", {"mu": 2.9e-11, "iso": "Ge72"}, 5.120206826e-7),
    ("recoil", {"iso": "Ge72"}, 4.218237219e-8),
    ("dirac", {"m": 1e-6}, 3.202625141e-19),
    ("tmax", {"E": 1, "M": "me"}, 0.796495753),
    ("tmax", {"E": 10, "M": 122840.3488}, 0.001627864498),
]


@pytest.mark.parametrize(("what", "args", "value"), SCALES)
def test_scales_golden(what, args, value):
    if what == "eq9":
        got = electron.crossover_estimate(Neutrino(mu=args["mu"])) / MeV
    elif what == "eq16":
        got = nucleus.crossover_estimate(Neutrino(mu=args["mu"]), args["iso"]) / MeV
    elif what == "recoil":
        got = atomic.recoil_scale(args["iso"]) / MeV
    elif what == "dirac":
        got = constants.dirac_magnetic_moment(args["m"] * MeV)
    else:
        mass = constants.ME if args["M"] == "me" else args["M"] * MeV
        got = kinematics.t_max(args["E"] * MeV, mass) / MeV
    assert got == pytest.approx(value, rel=R, abs=0)
