"""The value returned by every dσ/dT function."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class CrossSection:
    """Differential cross section dσ/dT split into its parts, in area/energy (hepunits).

    Read a value with a unit by dividing: ``xs.total / (cm2 / keV)``.

    Attributes
    ----------
    sm : array     Standard Model (weak) part, ≥ 0.
    em : array     electromagnetic part, em = total − sm; negative where the millicharge or
                   charge-radius interference is destructive.
    total : array  the full cross section, ≥ 0.

    All three are exactly 0 outside 0 < T ≤ T_max.
    """

    sm: np.ndarray
    em: np.ndarray
    total: np.ndarray

    def __truediv__(self, unit: float) -> CrossSection:
        """``xs / (cm2 / keV)`` gives the same three arrays as numbers in that unit."""
        return CrossSection(self.sm / unit, self.em / unit, self.total / unit)
