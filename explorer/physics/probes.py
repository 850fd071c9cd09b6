"""What each limit bounds: the effective moment each experiment of :mod:`~explorer.physics.limits`
probes, the region of moment space a limit allows, and rates with a moment matrix.

An experiment bounds μ²_eff of :mod:`explorer.physics.moments` for its own source (Giunti &
Studenikin, Rev. Mod. Phys. 87, 531 (2015), Sec. VI; Cañas et al., Phys. Lett. B 753, 191 (2016)):

* a reactor (GEMMA): a ν̄_e beam at its baseline, μ²_eff(L, Eν), which depends on the phases;
* solar ν on electrons (Borexino, XENONnT): the mass-state mixture, Σ_k P_k Σ_j |λ_jk|²;
* red giants (plasmon decay): a sum over all moments.

The limits themselves stay in :mod:`~explorer.physics.limits` (one home); :data:`PROBES` maps
each limit's key to its probe.

>>> from hepunits import MeV
>>> region = allowed_region(LIMITS["borexino"].value, PROBES["borexino"],
...                         np.linspace(0, 8e-11, 5), np.linspace(0, 8e-11, 5))
>>> region.allowed.shape, bool(region.allowed[0, 0])
((5, 5), True)
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from hepunits import MeV, m

from ._validate import (
    as_float_array,
    check_choice,
    check_finite_nonneg,
    check_positive,
)
from .limits import LIMITS
from .mixing import as_mixing, solar_mass_fractions
from .moments import (
    astrophysical_moment_squared,
    astrophysical_moment_squared_lite,
    beam_moment_squared,
    beam_moment_squared_lite,
    check_moments,
    lambda_matrix,
    solar_moment_squared,
    solar_moment_squared_lite,
)
from .neutrino import FLAVOURS
from .sources import Source

__all__ = [
    "PROBES",
    "Probe",
    "Region",
    "allowed_region",
    "allowed_region_dirac",
    "counts_with_moments",
    "dR_dT_with_moments",
    "magnetic_source",
    "probe_for",
    "probe_moment_squared",
]

PROBE_KINDS = ("beam", "solar", "astrophysical")


@dataclass(frozen=True)
class Probe:
    """Which effective moment an experiment bounds.

    kind : "beam" (a flavour at a baseline), "solar" (mass-state mixture) or "astrophysical"
    flavour, anti : the beam's flavour state (beam only)
    baseline : length (beam only)
    energy : representative Eν (energy) at which μ²_eff is evaluated for the allowed region —
        the flux-weighted mean of the source that dominates the magnetic signal (stated per probe)
    description : text for the limits table
    """

    kind: str
    description: str
    flavour: str | None = None
    anti: bool = False
    baseline: float | None = None
    energy: float | None = None

    def __post_init__(self):
        check_choice("kind", self.kind, set(PROBE_KINDS))
        if self.kind == "beam":
            check_choice("flavour", self.flavour, set(FLAVOURS))
            if not isinstance(self.anti, bool):
                raise ValueError(f"anti must be True or False, got {self.anti!r}")
            object.__setattr__(
                self, "baseline", float(check_finite_nonneg("baseline", self.baseline))
            )
        if self.kind != "astrophysical":
            if self.energy is None:
                raise ValueError(f"a {self.kind} probe needs an energy > 0, got None")
            object.__setattr__(self, "energy", float(check_positive("energy", self.energy)))


#: Probe of each limit in :data:`explorer.physics.limits.LIMITS` (every key of LIMITS is here;
#: TEXONO, CONUS, M5 and the LZ reanalysis are the rows of the limits table being rewritten).
PROBES: dict[str, Probe] = {
    # GEMMA: Kalinin NPP, detector 13.9 m below the core (Beda et al. 2012); the magnetic signal at
    # T ≪ Eν counts every ν̄ above E_min, so the flux-weighted mean energy of the reactor spectrum
    # of sources.reactor (≈ 1.5 MeV with its low-energy extension) represents it
    "gemma": Probe(
        "beam", "reactor ν̄ₑ, 13.9 m: beam at its baseline", "e", True, 13.9 * m, 1.5 * MeV
    ),
    # TEXONO: Kuo-Sheng reactor, germanium 28 m from the core (Wong et al., PRD 75, 012001 (2007))
    "texono": Probe(
        "beam", "reactor ν̄ₑ, 28 m: beam at its baseline", "e", True, 28.0 * m, 1.5 * MeV
    ),
    # CONUS: Brokdorf reactor, 17.1 m (Bonet et al., EPJC 82, 813 (2022))
    "conus-2022": Probe(
        "beam", "reactor ν̄ₑ, 17.1 m: beam at its baseline", "e", True, 17.1 * m, 1.5 * MeV
    ),
    "red-giant": Probe("astrophysical", "astrophysical: Σ over all moments"),
    "red-giant-2020": Probe("astrophysical", "astrophysical: Σ over all moments"),
    "m5-2013": Probe("astrophysical", "astrophysical: Σ over all moments"),
    # Borexino Phase II: pp and ⁷Be dominate the magnetic fit; the ⁷Be line represents it
    "borexino": Probe("solar", "solar: mass-state mixture (⁷Be, 0.862 MeV)", energy=0.8613 * MeV),
    # XENONnT: pp neutrinos (mean 0.265 MeV, sources.solar) dominate the keV recoils
    "xenonnt": Probe("solar", "solar: mass-state mixture (pp, 0.265 MeV)", energy=0.2647 * MeV),
    "lz-2022-reanalysis": Probe(
        "solar", "solar: mass-state mixture (pp, 0.265 MeV)", energy=0.2647 * MeV
    ),
}


def probe_for(key):
    """The probe of the limit ``LIMITS[key]`` (a key of :data:`explorer.physics.limits.LIMITS`)."""
    check_choice("key", key, set(LIMITS) & set(PROBES))
    return PROBES[key]


def _check_probe(probe):
    if not isinstance(probe, Probe):
        raise ValueError(f"probe must be an explorer.physics.probes.Probe, got {probe!r}")


def probe_moment_squared(probe, moments, mix=None, energy=None):
    """μ²_eff (μ_B²) that ``probe`` bounds for ``moments``: beam → :func:`beam_moment_squared` at
    its baseline, solar → :func:`solar_moment_squared`, astrophysical →
    :func:`astrophysical_moment_squared`. ``energy`` (energy > 0) overrides the probe's."""
    _check_probe(probe)
    E = probe.energy if energy is None else energy
    if probe.kind == "beam":
        mix = as_mixing(mix)
        return beam_moment_squared(E, probe.baseline, moments, probe.flavour, probe.anti, mix)
    if probe.kind == "solar":
        return solar_moment_squared(E, moments)
    return astrophysical_moment_squared(moments)


@dataclass(frozen=True)
class Region:
    """Grid data of an allowed region in the plane (|Λ_a|, |Λ_b|), the third |Λ| fixed.

    x, y : 1-D grids (μ_B);  mu_eff : (len(y), len(x)) effective moment (μ_B);
    allowed : boolean (len(y), len(x)), mu_eff ≤ limit;  limit : the bound (μ_B);
    axes : the two Λ indices (1-based) on x and y.  Contour data: mu_eff at level ``limit``.
    """

    x: np.ndarray
    y: np.ndarray
    mu_eff: np.ndarray
    allowed: np.ndarray
    limit: float
    axes: tuple


def _lambda_grid(x, y, fixed, axes, phases):
    """Λ vectors on the grid: shape (len(y), len(x), 3)."""
    third = ({1, 2, 3} - set(axes)).pop()
    lam = np.zeros((y.size, x.size, 3), dtype=complex)
    lam[..., axes[0] - 1] = x[None, :]
    lam[..., axes[1] - 1] = y[:, None]
    lam[..., third - 1] = fixed
    return lam * np.exp(1j * np.asarray(phases, dtype=float))


def allowed_region(limit, probe, x, y, fixed=0.0, axes=(1, 2), phases=(0.0, 0.0, 0.0), mix=None):
    """Region of Majorana transition moments (|Λ_a|, |Λ_b|) that a limit on μ_eff allows.

    Λ_i = |Λ_i| e^{iζ_i} with ζ = ``phases`` (radians); λ_jk = ε_jkl Λ_l (Grimus et al. 2003;
    Cañas et al., PLB 753, 191 (2016)); μ²_eff from :func:`probe_moment_squared` at the probe's
    energy. For solar and astrophysical probes the phases drop out (incoherent sums).

    Parameters
    ----------
    limit : float, μ_B, > 0;  probe : Probe (e.g. ``PROBES["gemma"]``)
    x, y : 1-D arrays of |Λ_a|, |Λ_b| ≥ 0 (μ_B);  fixed : |Λ_c| of the third, ≥ 0
    axes : two distinct indices in {1, 2, 3};  phases : three angles (radians)
    """
    lim, x, y, fixed, axes = _region_args(limit, x, y, fixed, axes)
    _check_probe(probe)
    grid = _lambda_grid(x, y, fixed, axes, as_float_array("phases", phases))
    mu2 = _mu2_grid(lambda_matrix(grid), probe, mix)  # the Majorana λ of every point at once
    mu_eff = np.sqrt(mu2)
    return Region(x, y, mu_eff, mu_eff <= lim, lim, axes)


def allowed_region_dirac(limit, probe, x, y, fixed=0.0, axes=(1, 2), mix=None):
    """Region of diagonal Dirac moments (μ_aa, μ_bb), the third μ_cc = ``fixed``, that a limit on
    μ_eff allows: the Dirac counterpart of :func:`allowed_region` (same arguments, no phases).

    With λ = diag(μ₁₁, μ₂₂, μ₃₃) every probe sees an incoherent sum (Giunti & Studenikin RMP
    Sec. VI): a beam of flavour ℓ Σ_k |U_ℓk|² μ_kk² at any baseline, solar ν Σ_k P_k μ_kk², stars
    Σ_k μ_kk². x, y, fixed: μ_B, ≥ 0. Returns a :class:`Region` (``axes``: the two indices).
    """
    lim, x, y, fixed, axes = _region_args(limit, x, y, fixed, axes)
    _check_probe(probe)
    third = ({1, 2, 3} - set(axes)).pop()
    diag = np.zeros((y.size, x.size, 3))
    diag[..., axes[0] - 1] = x[None, :]
    diag[..., axes[1] - 1] = y[:, None]
    diag[..., third - 1] = fixed
    lam = diag[..., :, None] * np.eye(3)  # (ny, nx, 3, 3)
    mu_eff = np.sqrt(_mu2_grid(lam.astype(complex), probe, mix, "dirac"))
    return Region(x, y, mu_eff, mu_eff <= lim, lim, axes)


def _region_args(limit, x, y, fixed, axes):
    lim = float(as_float_array("limit", limit))
    if not lim > 0:
        raise ValueError(f"limit must be > 0 (μ_B), got {limit!r}")
    x = check_finite_nonneg("x", np.atleast_1d(x)).ravel()
    y = check_finite_nonneg("y", np.atleast_1d(y)).ravel()
    fixed = float(check_finite_nonneg("fixed", fixed))
    axes = tuple(axes)
    if len(axes) != 2 or axes[0] == axes[1] or not set(axes) <= {1, 2, 3}:
        raise ValueError(f"axes must be two distinct indices of {{1, 2, 3}}, got {axes!r}")
    return lim, x, y, fixed, axes


def _mu2_grid(lam, probe, mix, kind="majorana"):
    """μ²_eff of every λ (..., 3, 3) on a grid (vectorised over the grid's points)."""
    if probe.kind == "astrophysical":
        return astrophysical_moment_squared_lite(lam, kind)
    if probe.kind == "solar":
        return solar_moment_squared_lite(solar_mass_fractions(probe.energy), lam)
    mix = as_mixing(mix)
    row = mix.U[FLAVOURS.index(probe.flavour)]
    return beam_moment_squared_lite(probe.energy, probe.baseline, lam, row, mix.m2, probe.anti)


# ----------------------------------------------------------------------------------------------
# rates with a moment matrix


#: Reference moment at which the magnetic rate is evaluated and rescaled (the magnetic term is
#: ∝ μ² exactly and adds incoherently to the weak one, eq. 8 and eq. 15).
MU_REF = 1e-10


def magnetic_source(src, moments, baseline, mix=None):
    """A source whose every component's dΦ/dE is multiplied by μ²_eff(Eν)/MU_REF² (μ_B²).

    Use with ``rates.dR_dT(..., mu=MU_REF)``: its ``.em`` (with q = r2 = 0) is then the magnetic
    rate of ``src`` with the Eν-dependent effective moment under the Eν integral. Not a physical
    flux (its ``total_flux`` is meaningless). ``baseline``: a length ≥ 0 (each component's
    flavour and ν/ν̄ at that distance) or ``"solar"`` (mass-state mixture, every component).
    """
    if not isinstance(src, Source):
        raise ValueError(f"src must be an explorer.physics.sources.Source, got {src!r}")
    check_moments(moments)
    if isinstance(baseline, str):
        check_choice("baseline", baseline, {"solar"})
    else:
        baseline = float(check_finite_nonneg("baseline", baseline))
    mix = as_mixing(mix)
    return Source(tuple(_weighted(c, moments, baseline, mix) for c in src.components))


def _weighted(c, moments, baseline, mix):
    def weight(E):
        E = np.asarray(E, dtype=float)
        if baseline == "solar":
            return solar_moment_squared(E, moments) / MU_REF**2
        row = mix.U[FLAVOURS.index(c.flavour)]
        return beam_moment_squared_lite(E, baseline, moments.lam, row, mix.m2, c.anti) / MU_REF**2

    if c.is_line:
        return replace(c, flux=c.flux * float(weight(c.energy)))

    def shape(E, shape=c._shape):
        return shape(E) * weight(E)

    return replace(c, _shape=shape)


def dR_dT_with_moments(
    T, src, material, channel, moments, baseline, q=0.0, r2=0.0, mix=None, **kwargs
):
    """dR/dT with the effective moment of a moment matrix under the Eν integral.

    dR/dT = rates.dR_dT(T, src, …, mu=0, q, r2) + [magnetic rate of μ²_eff(Eν)], the second from
    :func:`magnetic_source` at MU_REF (the magnetic term is ∝ μ² and adds incoherently: paper
    eqs. 8 and 15). Arguments as :func:`explorer.physics.rates.dR_dT` (``kwargs``: binding,
    form_factor, sin2w, n_E, method); ``moments``, ``baseline``, ``mix`` as
    :func:`magnetic_source`. Returns a :class:`~explorer.physics.rates.Rate` (em = total − sm).
    """
    from . import rates

    base = rates.dR_dT(T, src, material, channel, mu=0.0, q=q, r2=r2, **kwargs)
    mag = rates.dR_dT(
        T, magnetic_source(src, moments, baseline, mix), material, channel, mu=MU_REF, **kwargs
    )
    return rates.Rate(base.sm, base.em + mag.em, base.total + mag.em)


def counts_with_moments(
    src, material, exposure, T_min, T_max, channel, moments, baseline, q=0.0, r2=0.0, mix=None,
    **options,
):  # fmt: skip
    """Expected events in [T_min, T_max] with the effective moment of a moment matrix under the
    Eν integral: :func:`explorer.physics.rates.counts` at mu = 0 plus the magnetic counts of
    :func:`magnetic_source` at MU_REF (as :func:`dR_dT_with_moments`, integrated over T).
    Arguments as :func:`explorer.physics.rates.counts` (``options``: binding, form_factor, sin2w,
    quenching, efficiency, n_E, n_T …); ``moments``, ``baseline``, ``mix`` as
    :func:`magnetic_source`. Returns a :class:`~explorer.physics.rates.Counts` (em = total − sm).
    """
    from . import rates

    base = rates.counts(src, material, exposure, T_min, T_max, channel, 0.0, q, r2, **options)
    mag = rates.counts(
        magnetic_source(src, moments, baseline, mix), material, exposure, T_min, T_max, channel,
        MU_REF, **options,
    )  # fmt: skip
    return rates.Counts(base.sm, base.em + mag.em, base.total + mag.em)
