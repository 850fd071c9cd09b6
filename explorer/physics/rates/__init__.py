"""Event rates, counts and counting-experiment sensitivity (paper eq. 9 made quantitative).

One module per job, re-exported here so that ``rates.dR_dT``, ``rates.counts``,
``rates.sensitivity`` … keep working:

* :mod:`~explorer.physics.rates.quadrature`: the Eν integral from E_min(T) exactly (two routes:
  moments in 1/Eν, and a per-T grid) and the log-T nodes of counts;
* :mod:`~explorer.physics.rates.spectra`: dR/dT per kg of detector material (:func:`dR_dT`);
* :mod:`~explorer.physics.rates.response`: Lindhard quenching and efficiency;
* :mod:`~explorer.physics.rates.counting`: expected events in a window (:func:`counts`);
* :mod:`~explorer.physics.rates.exclusion`: the smallest μν, |qν| or |⟨r²⟩| a counting
  experiment excludes (:func:`sensitivity`, :func:`sensitivity_curve`).

μν, qν and ⟨r²⟩ are *effective, flavour-independent* parameters: every flavour component is
scattered with the same values (for ν̄ the sign conventions of :class:`~explorer.physics.Neutrino`
apply; docs/design.md, "Physics conventions").

>>> from hepunits import GW, m, kg, day, keV
>>> from explorer.physics import sources
>>> src = sources.reactor(3 * GW, 13.9 * m)
>>> r = dR_dT(10 * keV, src, "Ge", "electron", mu=2.9e-11)
>>> r.em > 0 and r.sm > 0
True
"""

from .counting import N_T_DEFAULT, Counts, counts
from .exclusion import (
    PARAMETERS,
    Sensitivity,
    SensitivityInput,
    poisson_upper_limit,
    sensitivity,
    sensitivity_curve,
)
from .quadrature import e_min
from .response import lindhard_k, lindhard_quenching
from .spectra import CHANNELS, N_E_DEFAULT, Rate, dR_dT

__all__ = [
    "CHANNELS",
    "N_E_DEFAULT",
    "N_T_DEFAULT",
    "PARAMETERS",
    "Counts",
    "Rate",
    "Sensitivity",
    "SensitivityInput",
    "counts",
    "dR_dT",
    "e_min",
    "lindhard_k",
    "lindhard_quenching",
    "poisson_upper_limit",
    "sensitivity",
    "sensitivity_curve",
]
