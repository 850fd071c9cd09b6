"""Dipole-moment matrices and the *effective* magnetic moment an experiment sees.

The paper (Kouzakov & Studenikin, arXiv:1603.02462, line after eq. 8) calls μν in eq. 8 "the
effective magnetic moment": it depends on the flavour produced, the path to the detector and the
full 3×3 matrices of magnetic (μ) and electric (ε) dipole moments in the mass basis (Giunti &
Studenikin, Rev. Mod. Phys. 87, 531 (2015), Sec. VI; Grimus et al., Nucl. Phys. B 648, 376
(2003)). With λ = μ − iε:

* a beam of flavour ℓ produced at distance L with energy Eν (reactor, π-DAR, any source with a
  baseline):  μ²_eff(L, Eν) = Σ_j |Σ_k U*_ℓk exp(−i Δm²_kj L / 2Eν) λ_jk|²   (RMP Sec. VI);
* solar neutrinos, an incoherent mixture of mass states at the Earth:
  μ²_eff(Eν) = Σ_k P(νe → νk) Σ_j |λ_jk|²   (Grimus et al. 2003; RMP Sec. VI).

Antineutrinos (the convention used here, stated once): |ν̄_ℓ⟩ = Σ_k U_ℓk |ν̄_k⟩, so U* → U.
With the vertex ν̄_j σ^{αβ}(μ_jk + iε_jk γ₅) ν_k F_αβ, an incoming ν_k (left-handed chirality,
γ₅ u = −u) scatters into ν_j with λ_jk = μ_jk − iε_jk; an incoming ν̄_k is annihilated by the
barred field of index k (so the indices swap) and its spinor has γ₅ v = +v on the outgoing side,
so it scatters into ν̄_j with −(μ_kj + iε_kj) = −λ*_jk (μ, ε hermitian). The antineutrino's
matrix is λ̄ = −λ*: its diagonal moments are −μ_kk and −ε_kk, and μ²_eff of ν̄_ℓ is the ν_ℓ
formula at −L (for Dirac and Majorana alike). At L = 0, or with CP conserved (real U and λ),
ν and ν̄ see the same moment.

Units: moments in units of μ_B (dimensionless); Eν and L in hepunits (MeV = mm = 1); Δm² as an
energy² (``7.53e-5 * eV**2``); the phase is Δm² L / (2 Eν ħc) with ħc from
:mod:`~explorer.physics.constants`.

>>> from hepunits import MeV, m
>>> mm = MomentMatrix.dirac([[1e-11, 0, 0], [0, 1e-11, 0], [0, 0, 1e-11]])
>>> f"{effective_moment(1 * MeV, 13.9 * m, mm, 'e', anti=True):.4g}"
'1e-11'
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validate import (
    as_float_array,
    check_choice,
    check_finite_nonneg,
    check_flavour,
    check_instance,
    check_positive,
)
from .constants import HBARC, dirac_magnetic_moment
from .mixing import as_mixing, mixing, solar_mass_fractions
from .neutrino import FLAVOURS, MU_MAX

__all__ = [
    "KINDS",
    "MomentMatrix",
    "astrophysical_moment_squared",
    "astrophysical_moment_squared_lite",
    "beam_moment_squared",
    "beam_moment_squared_lite",
    "dirac_moments_from_masses",
    "effective_moment",
    "lambda_matrix",
    "solar_moment_squared",
    "solar_moment_squared_lite",
]

KINDS = ("dirac", "majorana")
# ----------------------------------------------------------------------------------------------
# moment matrices


def _matrix(name, value) -> np.ndarray:
    a = as_float_array(name, value, complex, "a 3×3 matrix of numbers (units of μ_B)").copy()
    if a.shape != (3, 3):
        raise ValueError(f"{name} must be a 3×3 matrix (units of μ_B), got shape {a.shape}")
    if np.abs(a).max() > MU_MAX:
        raise ValueError(
            f"{name} entries must lie in |x| ≤ {MU_MAX:g} μ_B, got max {np.abs(a).max()!r}"
        )
    return a


def _close(a, b) -> bool:
    scale = max(np.abs(a).max(), np.abs(b).max(), 1e-300)
    return bool(np.all(np.abs(a - b) <= 1e-12 * scale))


@dataclass(frozen=True, eq=False)
class MomentMatrix:
    """Magnetic (μ) and electric (ε) dipole-moment matrices in the mass basis, units of μ_B.

    Giunti & Studenikin, RMP 87, 531 (2015), Sec. VI: the interaction is
    ν̄_j σ^{αβ}(μ_jk + ε_jk γ₅) ν_k F_αβ (with a factor ½ for Majorana fields), λ = μ − iε.

    * ``kind="dirac"``: μ and ε hermitian (any 3×3 hermitian pair); diagonal moments allowed.
    * ``kind="majorana"``: μ and ε antisymmetric and purely imaginary — transition moments only,
      the diagonal must vanish. λ is then a complex antisymmetric matrix, written with the
      Λ-vector of Grimus et al. (2003) and Cañas et al., Phys. Lett. B 753, 191 (2016):
      λ_jk = Σ_l ε_jkl Λ_l, i.e. Λ₁ = λ₂₃, Λ₂ = λ₃₁, Λ₃ = λ₁₂ (Λ_i = ½ ε_ijk λ_jk), and
      μ = i Im λ, ε = i Re λ.

    Use :meth:`dirac`, :meth:`dirac_diagonal`, :meth:`majorana` or :meth:`majorana_from_lambda`.
    """

    kind: str
    mu: np.ndarray
    eps: np.ndarray

    def __post_init__(self):
        check_choice("kind", self.kind, set(KINDS))
        mu, eps = _matrix("mu", self.mu), _matrix("eps", self.eps)
        for name, a in (("mu", mu), ("eps", eps)):
            if self.kind == "dirac" and not _close(a, a.conj().T):
                raise ValueError(
                    f"a Dirac {name} matrix must be hermitian ({name} = {name}†), got {a!r}"
                )
            if self.kind == "majorana":
                if np.any(np.diag(a) != 0):
                    raise ValueError(
                        f"a Majorana {name} matrix has transition moments only: its diagonal "
                        f"must be 0, got diag({name}) = {np.diag(a)!r}"
                    )
                if not (_close(a, -a.T) and _close(a, a.conj().T)):
                    raise ValueError(
                        f"a Majorana {name} matrix must be antisymmetric and purely imaginary "
                        f"({name} = −{name}ᵀ = {name}†), got {a!r}"
                    )
            a.setflags(write=False)
        object.__setattr__(self, "mu", mu)
        object.__setattr__(self, "eps", eps)

    @classmethod
    def dirac(cls, mu, eps=None) -> MomentMatrix:
        """Dirac moments: hermitian 3×3 μ (and ε, default 0), units of μ_B."""
        return cls("dirac", mu, np.zeros((3, 3)) if eps is None else eps)

    @classmethod
    def dirac_diagonal(cls, mu11, mu22, mu33) -> MomentMatrix:
        """Dirac diagonal magnetic moments μ₁₁, μ₂₂, μ₃₃ (units of μ_B), no transitions."""
        return cls.dirac(np.diag([float(mu11), float(mu22), float(mu33)]))

    @classmethod
    def majorana(cls, mu, eps=None) -> MomentMatrix:
        """Majorana moments: antisymmetric, purely imaginary μ (and ε), units of μ_B."""
        return cls("majorana", mu, np.zeros((3, 3)) if eps is None else eps)

    @classmethod
    def majorana_from_lambda(cls, Lambda) -> MomentMatrix:
        """Majorana moments from the complex vector (Λ₁, Λ₂, Λ₃), λ_jk = ε_jkl Λ_l (μ_B)."""
        L = np.array(Lambda, dtype=complex)
        if L.shape != (3,) or not np.all(np.isfinite(L)):
            raise ValueError(f"Lambda must be three finite complex numbers (μ_B), got {Lambda!r}")
        lam = lambda_matrix(L)
        return cls.majorana(1j * lam.imag, 1j * lam.real)

    @property
    def lam(self) -> np.ndarray:
        """λ = μ − iε (3×3 complex, μ_B)."""
        return self.mu - 1j * self.eps

    @property
    def Lambda(self) -> np.ndarray:
        """(Λ₁, Λ₂, Λ₃) = (λ₂₃, λ₃₁, λ₁₂) — meaningful for Majorana moments."""
        lam = self.lam
        return np.array([lam[1, 2], lam[2, 0], lam[0, 1]])

    def __repr__(self) -> str:
        return (
            f"MomentMatrix({self.kind}, λ = μ − iε = {np.array2string(self.lam, precision=3)} μ_B)"
        )


def check_moments(moments):
    """``moments`` must be a :class:`MomentMatrix`."""
    return check_instance("moments", moments, MomentMatrix, "explorer.physics.moments.MomentMatrix")


def lambda_matrix(Lambda) -> np.ndarray:
    """λ_jk = Σ_l ε_jkl Λ_l for Λ of shape (..., 3): the antisymmetric (..., 3, 3) matrix
    [[0, Λ₃, −Λ₂], [−Λ₃, 0, Λ₁], [Λ₂, −Λ₁, 0]] (Grimus et al. 2003; Cañas et al. 2016). Unchecked."""
    L = np.asarray(Lambda, dtype=complex)
    L1, L2, L3 = L[..., 0], L[..., 1], L[..., 2]
    zero = np.zeros_like(L1)
    rows = ((zero, L3, -L2), (-L3, zero, L1), (L2, -L1, zero))
    return np.stack([np.stack(r, axis=-1) for r in rows], axis=-2)


def dirac_moments_from_masses(m_lightest, ordering="normal", mix=None):
    """Diagonal Dirac moments μ_kk of the minimally extended SM (paper eq. 1) for the three masses.

    m_k from the lightest mass and the splittings of ``mix`` (default :func:`mixing`):
    normal m₁ = m_lightest, inverted m₃ = m_lightest. m_lightest: energy, ≥ 0.
    Each μ_kk = :func:`explorer.physics.constants.dirac_magnetic_moment` (m_k) ≈ 3.2×10⁻¹⁹ (m_k/eV).
    """
    m0 = float(check_finite_nonneg("m_lightest", m_lightest))
    mix = mixing(ordering) if mix is None else mix
    m2 = mix.m2 - mix.m2.min()  # relative to the lightest state
    masses = np.sqrt(m0 * m0 + m2)
    return MomentMatrix.dirac_diagonal(*dirac_magnetic_moment(masses))


# ----------------------------------------------------------------------------------------------
# effective moments


def beam_moment_squared_lite(E, L, lam, U_row, m2, anti):
    """μ²_eff for arrays E, L (broadcast): Σ_j |Σ_k λ_jk v_k|² (module docstring); no validation:
    :func:`beam_moment_squared` validates.

    v_k = c(U_ℓk) exp(−i m_k² L / 2E ħc), c = conjugation for ν, none for ν̄, and λ̄ = −λ* for ν̄;
    the phase of m_j² is common to row j and drops out of |·|², leaving Δm²_kj. ``lam`` is (3, 3)
    or a stack (..., 3, 3) that broadcasts with E and L.
    """
    x = np.asarray(L / (2.0 * E * HBARC))[..., None]  # 1/energy²
    v = (U_row if anti else U_row.conj()) * np.exp(-1j * m2 * x)
    lam_used = -lam.conj() if anti else lam
    amp = np.einsum("...jk,...k->...j", lam_used, v)
    return np.sum(amp.real**2 + amp.imag**2, axis=-1)


def _out(a):
    return float(a) if np.ndim(a) == 0 else a


def beam_moment_squared(E, L, moments, flavour="e", anti=False, mix=None):
    """μ²_eff(L, Eν) of a ν_ℓ (or ν̄_ℓ) beam produced at distance L (Giunti & Studenikin, RMP 87,
    531 (2015), Sec. VI): Σ_j |Σ_k U*_ℓk exp(−iΔm²_kj L/2Eν)(μ_jk − iε_jk)|²; ν̄: module docstring.

    Parameters
    ----------
    E : float or array, energy, > 0;  L : float or array, length, ≥ 0 (broadcast with E)
    moments : MomentMatrix;  flavour : {"e", "mu", "tau"};  anti : bool
    mix : Mixing or None (PDG 2022 normal ordering)

    Returns μ²_eff in units of μ_B² (float or array of the broadcast shape).
    """
    E = check_positive("E", E)
    L = check_finite_nonneg("L", L)
    try:
        np.broadcast_shapes(E.shape, L.shape)
    except ValueError:
        raise ValueError(f"E and L must broadcast, got shapes {E.shape} and {L.shape}") from None
    check_moments(moments)
    check_flavour(flavour, anti, FLAVOURS)
    mix = as_mixing(mix)
    row = mix.U[FLAVOURS.index(flavour)]
    return _out(beam_moment_squared_lite(E, L, moments.lam, row, mix.m2, anti))


def solar_moment_squared(E, moments, n_e=None):
    """μ²_eff of solar neutrinos (an incoherent mass-state mixture): Σ_k P(νe→νk) Σ_j |λ_jk|²
    (Grimus et al. 2003; Giunti & Studenikin RMP Sec. VI). E: energy > 0. Units μ_B².
    Majorana: |Λ|² − Σ_k P_k |Λ_k|² (Cañas et al. 2016)."""
    check_moments(moments)
    return _out(solar_moment_squared_lite(solar_mass_fractions(E, n_e), moments.lam))


def solar_moment_squared_lite(P, lam):
    """Σ_k P_k Σ_j |λ_jk|² for P (..., 3) and λ (3, 3) or (..., 3, 3); no validation:
    :func:`solar_moment_squared` validates."""
    column = np.sum(lam.real**2 + lam.imag**2, axis=-2)  # Σ_j |λ_jk|² for each k
    return np.sum(P * column, axis=-1)


def astrophysical_moment_squared(moments):
    """μ²_eff bounded by plasmon decay γ* → νν̄ in stars (Raffelt, Phys. Rev. Lett. 64, 2856
    (1990); Giunti & Studenikin RMP Sec. VIII): a sum over all final pairs of mass states.
    Dirac: Σ_jk |λ_jk|² (ordered pairs ν_j ν̄_k). Majorana: each unordered pair j < k is one
    final state with coupling λ_jk, so Σ_{j<k} |λ_jk|² = |Λ|². Units μ_B²."""
    check_moments(moments)
    return float(astrophysical_moment_squared_lite(moments.lam, moments.kind))


def astrophysical_moment_squared_lite(lam, kind):
    """Σ over pairs of |λ_jk|² for λ (..., 3, 3): all ordered pairs (Dirac), j < k (Majorana,
    = ½ Σ_jk for an antisymmetric λ); no validation: :func:`astrophysical_moment_squared`
    validates."""
    total = np.sum(lam.real**2 + lam.imag**2, axis=(-2, -1))
    return 0.5 * total if kind == "majorana" else total


def effective_moment(E, L, moments, flavour="e", anti=False, mix=None):
    """√μ²_eff: ``L`` a length (beam, :func:`beam_moment_squared`) or ``"solar"``
    (:func:`solar_moment_squared`). Units of μ_B."""
    if isinstance(L, str):
        check_choice("L", L, {"solar"})
        return _out(np.sqrt(solar_moment_squared(E, moments)))
    return _out(np.sqrt(beam_moment_squared(E, L, moments, flavour, anti, mix)))
