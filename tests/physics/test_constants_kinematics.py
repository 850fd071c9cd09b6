"""Constants (eq. 1, E_h) and kinematics (eqs. 3, 4), checked against the paper and a second route."""

import math
import subprocess
import sys

import mpmath as mp
import numpy as np
import pytest
from hepunits import GeV, MeV, cm2, eV, keV
from scipy import constants as sc

from explorer.physics import constants, kinematics
from explorer.physics.constants import ME


def test_dirac_magnetic_moment_matches_paper():
    # Paper eq. 1: μ_ii ≈ 3.2×10⁻¹⁹ μ_B (m_i / 1 eV) (two significant digits in the paper).
    assert constants.dirac_magnetic_moment(1 * eV) == pytest.approx(3.2e-19, rel=0.01, abs=0)
    # Linear in the mass; vectorised.
    out = constants.dirac_magnetic_moment(np.array([0.1, 1.0, 10.0]) * eV)
    assert out == pytest.approx([3.2e-20, 3.2e-19, 3.2e-18], rel=0.01, abs=0)


def test_dirac_magnetic_moment_second_route():
    # Second route, in SI: μ = 3 e G_F m_ν /(8√2 π²) with G_F/(ħc)³ converted to J⁻² and e ħ/(2 m_e)
    # for μ_B in J/T: μ [J/T] = 3 e G_F m c² ħ c... here done with dimensionless ratios:
    # μ/μ_B = 3 G_F m_ν m_e /(4√2 π²) with G_F in GeV⁻² from CODATA and masses in GeV.
    gf = sc.physical_constants["Fermi coupling constant"][0]  # GeV⁻²
    me_gev = sc.physical_constants["electron mass energy equivalent in MeV"][0] / 1e3
    expected = 3 * gf * 1e-9 * me_gev / (4 * math.sqrt(2) * math.pi**2)
    assert constants.dirac_magnetic_moment(1 * eV) == pytest.approx(expected, rel=1e-12, abs=0)


def test_hartree_energy_matches_paper_and_codata():
    # Paper (after eq. 11): E_h = α² m_e = 27.2 eV. CODATA: 27.211386245981 eV.
    assert constants.E_HARTREE / eV == pytest.approx(27.2, abs=0.05)
    assert constants.E_HARTREE / eV == pytest.approx(
        sc.physical_constants["Hartree energy in eV"][0], rel=1e-9, abs=0
    )


def test_constant_values_against_pdg():
    # PDG 2024: G_F/(ħc)³ = 1.1663788(6)e-5 GeV⁻²; α⁻¹ = 137.035999; m_e = 0.51099895 MeV;
    # (ħc)² = 0.3893793721 GeV² mb.
    assert constants.G_FERMI * GeV**2 == pytest.approx(1.1663788e-5, rel=1e-6, abs=0)
    assert 1 / constants.ALPHA == pytest.approx(137.035999, rel=1e-8, abs=0)
    assert constants.ME / MeV == pytest.approx(0.51099895, rel=1e-8, abs=0)
    millibarn = 1e-27 * cm2
    assert constants.HBARC2 / (GeV**2 * millibarn) == pytest.approx(0.3893793721, rel=1e-9, abs=0)
    assert constants.SIN2W_DEFAULT == 0.23867


# CODATA 2022 (Tiesinga et al., Rev. Mod. Phys. 97, 025002 (2025); physics.nist.gov/constants),
# typed from the NIST tables: (package constant in its unit, CODATA 2022 value, scipy name).
CODATA_2022 = [
    ("ALPHA", 1.0, 7.2973525643e-3, "fine-structure constant"),
    ("G_FERMI", 1 / GeV**2, 1.1663787e-5, "Fermi coupling constant"),  # GeV⁻²
    ("ME", MeV, 0.51099895069, "electron mass energy equivalent in MeV"),
    ("ATOMIC_MASS_UNIT", MeV, 931.49410372, "atomic mass constant energy equivalent in MeV"),
]


@pytest.mark.parametrize(("name", "unit", "value", "scipy_name"), CODATA_2022)
def test_constants_are_codata_2022(name, unit, value, scipy_name):
    # Exact equality with the literal: the module writes the CODATA 2022 digits, nothing derived.
    assert getattr(constants, name) / unit == pytest.approx(value, rel=1e-15, abs=0)
    # and scipy (≥ 1.15, the pyproject floor) ships the same CODATA 2022 set; CODATA 2018's m_e,
    # 0.51099895000 MeV, differs by 1.4e-9 and would fail here.
    assert sc.physical_constants[scipy_name][0] == pytest.approx(value, rel=1e-15, abs=0)


def test_importing_the_physics_does_not_import_scipy():
    # The dashboard kernel stays light: scipy costs ~0.4 s and ~25 MB at import (measured).
    code = "import sys, explorer.physics; print('scipy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("mass", [ME, 67 * GeV, 122 * GeV])
@pytest.mark.parametrize("E", [10 * keV, 1 * MeV, 30 * MeV, 300 * MeV])
def test_t_max_is_backscattering(E, mass):
    # Second route: the Compton-like formula E' = E /(1 + (E/M)(1 − cos θ)) at θ = π, T = E − E'.
    # Evaluated in 30-digit mpmath: E − E' cancels ~log10(M/E) digits in floats.
    with mp.workdps(30):
        e, m = mp.mpf(E), mp.mpf(mass)
        expected = float(e - e / (1 + 2 * e / m))
    assert kinematics.t_max(E, mass) == pytest.approx(expected, rel=1e-12, abs=0)


def test_t_max_broadcasts():
    E = np.array([1.0, 2.0, 3.0])[:, None] * MeV
    M = np.array([ME, 100 * GeV])[None, :]
    assert kinematics.t_max(E, M).shape == (3, 2)


@pytest.mark.parametrize("frac", [1e-6, 0.01, 0.3, 0.9, 1.0])
@pytest.mark.parametrize("E", [0.1 * MeV, 1 * MeV, 10 * MeV])
def test_cos_recoil_angle_from_momentum_conservation(E, frac):
    # Second route: recoil momentum p = √(T² + 2MT), outgoing ν energy E' = E − T;
    # E'² = E² + p² − 2 E p cos χ.
    T = frac * kinematics.t_max(E, ME)
    p = math.sqrt(T * T + 2 * ME * T)
    expected = (E * E + p * p - (E - T) ** 2) / (2 * E * p)
    assert kinematics.cos_recoil_angle(T, E, ME) == pytest.approx(expected, rel=1e-10, abs=0)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: kinematics.t_max(0.0, ME), "E must be > 0"),
        (lambda: kinematics.t_max(-1.0, ME), "E must be > 0"),
        (lambda: kinematics.t_max(float("nan"), ME), "E must be finite"),
        (lambda: kinematics.t_max(1.0, 0.0), "mass must be > 0"),
        (lambda: kinematics.cos_recoil_angle(-1.0, 1.0, ME), "T must be ≥ 0"),
        (lambda: kinematics.cos_recoil_angle(1.0, 1.0, ME), r"T must lie in \[0, T_max\]"),
        (lambda: kinematics.t_max("abc", ME), "E must be a real number"),
        (lambda: constants.dirac_magnetic_moment(-1.0), "m_nu must be ≥ 0"),
        (lambda: constants.dirac_magnetic_moment(float("inf")), "m_nu must be finite"),
    ],
)
def test_bad_input_raises_clear_value_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()
