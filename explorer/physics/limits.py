"""Upper limits on the effective neutrino magnetic moment: a dated table, each entry with its source.

One home for every limit the explorer shows: the dashboard's readouts, its μν buttons, its presets
and the teaching notebooks import them from here. Values are in units of the Bohr magneton μ_B.

An "effective" magnetic moment is what a given experiment constrains: a reactor experiment sees
the moment of the ν̄_e it detects, a solar-neutrino experiment a combination weighted by the
flavour mixture that arrives at Earth, and the stellar-cooling bounds a sum over all mass
states. Comparing one μν with several limits is therefore an order-of-magnitude comparison, not a
like-for-like one; ``constrains`` says in short which moment each limit bounds (the precise
probe — source, flavour, baseline or mass-state mixture — is :data:`explorer.physics.probes.PROBES`,
the one home of that fact, which the dashboard's limits table shows), ``caveats`` what else to
keep in mind. Direct (laboratory) and astrophysical limits are kept apart (``kind``); the best
of each kind is computed from the table (:func:`best`), never typed.

Entries are taken from the papers' abstracts or results as cited. Results considered and left
out because their number could not be confirmed here (no access to the papers): the LZ
collaboration's own μν limit (arXiv:2307.15753), PandaX-4T (arXiv:2408.07641), and the latest
CONUS datasets (arXiv:2605.22815).

>>> LIMITS["gemma"].value
2.9e-11
>>> [lim.key for lim in LIMITS.values()][:2]          # the paper's two, refs. [15] and [16]
['gemma', 'red-giant']
>>> best("direct").key, best("astrophysical").key
('xenonnt', 'red-giant-2020')
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["KINDS", "LIMITS", "Limit", "best"]

#: The kinds of limit: laboratory (reactor, solar or accelerator neutrinos in a detector) and
#: astrophysical (stellar energy loss).
KINDS = ("direct", "astrophysical")


@dataclass(frozen=True)
class Limit:
    """An upper limit on an effective neutrino magnetic moment (one row of the table).

    Parameters
    ----------
    key : str           short name used in links and code (``"gemma"``)
    label : str         name on the page
    value : float       the limit, in units of μ_B
    cl : str            confidence level or kind of bound (``"90% CL"``)
    constrains : str    which effective moment (flavour or combination) the experiment bounds
    source : str        citation (journal)
    experiment : str    experiment or analysis (``"GEMMA"``)
    year : int          year of publication
    arxiv : str         arXiv identifier ("" where the paper has none)
    kind : str          "direct" or "astrophysical" (:data:`KINDS`)
    caveats : str       what the number assumes or what questions it ("" if none stated)
    """

    key: str
    label: str
    value: float
    cl: str
    constrains: str
    source: str
    experiment: str
    year: int
    arxiv: str
    kind: str
    caveats: str = ""

    def __post_init__(self):
        if not (0.0 < self.value < 1e-6):
            raise ValueError(f"Limit value must lie in (0, 1e-6) μ_B, got {self.value!r}")
        if self.kind not in KINDS:
            raise ValueError(f"Limit kind must be one of {KINDS!r}, got {self.kind!r}")
        if not 1950 <= self.year <= 2100:
            raise ValueError(f"Limit year must lie in [1950, 2100], got {self.year!r}")


_RGB_CAVEAT = (
    "stellar energy loss by plasmon decay; bounds √(Σ|μ_ij|²) over all mass states (Dirac or "
    "Majorana, transition moments included); depends on the red-giant-branch tip calibration "
    "and stellar modelling, which later analyses revisit"
)

_TABLE = (
    Limit(
        "gemma", "GEMMA (reactor ν̄ₑ on Ge)", 2.9e-11, "90% CL", "reactor ν̄ₑ",
        "A. G. Beda et al., Adv. High Energy Phys. 2012, 350150 (paper ref. 15)",
        "GEMMA", 2012, "", "direct",
        "Ge, 2.8 keV threshold, 13.9 m from a 3 GW core; no arXiv version of this paper "
        "(the 2010 result, 3.2×10⁻¹¹, is arXiv:1005.2736)",
    ),
    Limit(
        "red-giant", "Red giants, 1990 (plasmon decay)", 3e-12, "astrophysical bound",
        "all flavours (sum over mass states)",
        "G. G. Raffelt, Phys. Rev. Lett. 64, 2856 (1990) (paper ref. 16)",
        "globular-cluster red giants", 1990, "", "astrophysical", _RGB_CAVEAT,
    ),
    Limit(
        "red-giant-2020", "Red giants, 2020 (tip of the RGB)", 1.2e-12,
        "95% CL (1.2–1.5×10⁻¹² by distance calibration)", "all flavours (sum over mass states)",
        "F. Capozzi and G. Raffelt, Phys. Rev. D 102, 083007 (2020), arXiv:2007.03694",
        "RGB tip (ω Centauri and others)", 2020, "2007.03694", "astrophysical", _RGB_CAVEAT,
    ),
    Limit(
        "m5-2013", "Globular cluster M5, 2013 (RGB tip)", 4.5e-12, "95% CL",
        "all flavours (sum over mass states)",
        "N. Viaux et al., Astron. Astrophys. 558, A12 (2013), arXiv:1308.4627",
        "M5 red-giant branch", 2013, "1308.4627", "astrophysical", _RGB_CAVEAT,
    ),
    Limit(
        "texono", "TEXONO (reactor ν̄ₑ on Ge)", 7.4e-11, "90% CL", "reactor ν̄ₑ",
        "H. T. Wong et al. (TEXONO), Phys. Rev. D 75, 012001 (2007), arXiv:hep-ex/0605006",
        "TEXONO", 2007, "hep-ex/0605006", "direct", "Ge at the Kuo-Sheng reactor",
    ),
    Limit(
        "borexino", "Borexino (solar ν on e⁻)", 2.8e-11, "90% CL",
        "solar ν flavour mixture at Earth",
        "M. Agostini et al. (Borexino), Phys. Rev. D 96, 091103(R) (2017), arXiv:1707.09355",
        "Borexino", 2017, "1707.09355", "direct",
        "assumes the SSM fluxes and the LMA flavour mixture",
    ),
    Limit(
        "conus-2022", "CONUS (reactor ν̄ₑ on Ge)", 7.5e-11, "90% CL", "reactor ν̄ₑ",
        "H. Bonet et al. (CONUS), Eur. Phys. J. C 82, 813 (2022), arXiv:2201.12257",
        "CONUS", 2022, "2201.12257", "direct",
        "electron recoils in Ge at the Brokdorf reactor (17.1 m)",
    ),
    Limit(
        "xenonnt", "XENONnT (solar ν on e⁻ in Xe)", 6.4e-12, "90% CL",
        "solar ν flavour mixture at Earth",
        "E. Aprile et al. (XENON), Phys. Rev. Lett. 129, 161805 (2022), arXiv:2207.11330",
        "XENONnT", 2022, "2207.11330", "direct",
        "assumes the SSM pp and ⁷Be fluxes and the LMA flavour mixture",
    ),
    Limit(
        "lz-2022-reanalysis", "LZ data, reanalysis (solar ν on e⁻ in Xe)", 1.1e-11, "90% CL",
        "solar ν flavour mixture at Earth",
        "M. Atzori Corona et al., arXiv:2207.05036 (2022)",
        "LZ (first results, analysed by Atzori Corona et al.)", 2022, "2207.05036", "direct",
        "a phenomenological analysis of LZ's published spectrum, not the LZ collaboration's "
        "own result; depends on the treatment of atomic binding",
    ),
)  # fmt: skip

#: Every limit, keyed by its short name, in the order of the table above.
LIMITS: dict[str, Limit] = {lim.key: lim for lim in _TABLE}


def best(kind: str, limits=None) -> Limit:
    """The most stringent (smallest) limit of one kind ("direct" or "astrophysical").

    >>> best("direct").value
    6.4e-12
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS!r}, got {kind!r}")
    rows = [lim for lim in (LIMITS if limits is None else limits).values() if lim.kind == kind]
    return min(rows, key=lambda lim: lim.value)
