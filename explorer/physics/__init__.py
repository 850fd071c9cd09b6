"""Physics backend (numpy only): cross sections of Kouzakov & Studenikin, arXiv:1603.02462.

Units follow hepunits (MeV = mm = ns = 1): multiply to attach a unit, divide to read it back.

>>> from hepunits import keV, MeV, cm2
>>> from explorer.physics import Neutrino, target, electron
>>> nu = Neutrino("e", anti=True, mu=2.9e-11)
>>> xs = electron.dsigma_dT(10 * keV, 1 * MeV, nu, target("Ge"))
>>> xs.total > xs.sm > 0
True
"""

from . import (
    atomic,
    constants,
    electron,
    kinematics,
    mixing,
    moments,
    nucleus,
    probes,
    rates,
    sources,
)
from .moments import MomentMatrix
from .neutrino import Neutrino
from .result import CrossSection
from .targets import Target, available_elements, target

__all__ = [
    "CrossSection",
    "MomentMatrix",
    "Neutrino",
    "Target",
    "atomic",
    "available_elements",
    "constants",
    "electron",
    "kinematics",
    "mixing",
    "moments",
    "nucleus",
    "probes",
    "rates",
    "sources",
    "target",
]
