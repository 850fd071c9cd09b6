"""The table of μν limits: each value against its paper (typed here again with its source), the
kinds kept apart, and "the best" computed from the table."""

import dataclasses

import pytest

from explorer.physics import limits
from explorer.physics.limits import LIMITS, Limit, best

# key: (value in μ_B, CL, year, arXiv, kind), as printed in the cited papers
PUBLISHED = {
    "gemma": (2.9e-11, "90% CL", 2012, "", "direct"),  # Beda et al., AHEP 2012, 350150
    "red-giant": (3e-12, "astrophysical bound", 1990, "", "astrophysical"),  # Raffelt 1990
    "red-giant-2020": (1.2e-12, "95% CL", 2020, "2007.03694", "astrophysical"),
    "m5-2013": (4.5e-12, "95% CL", 2013, "1308.4627", "astrophysical"),  # Viaux et al. 2013
    "texono": (7.4e-11, "90% CL", 2007, "hep-ex/0605006", "direct"),  # Wong et al. 2007
    "borexino": (2.8e-11, "90% CL", 2017, "1707.09355", "direct"),  # Agostini et al. 2017
    "conus-2022": (7.5e-11, "90% CL", 2022, "2201.12257", "direct"),  # Bonet et al. 2022
    "xenonnt": (6.4e-12, "90% CL", 2022, "2207.11330", "direct"),  # Aprile et al. 2022
    "lz-2022-reanalysis": (1.1e-11, "90% CL", 2022, "2207.05036", "direct"),  # Atzori Corona
}


def test_every_limit_is_the_published_number():
    assert set(LIMITS) == set(PUBLISHED)
    for key, (value, cl, year, arxiv, kind) in PUBLISHED.items():
        lim = LIMITS[key]
        assert lim.value == pytest.approx(value, rel=1e-12, abs=0), key
        assert lim.cl.startswith(cl) and lim.year == year and lim.arxiv == arxiv, key
        assert lim.kind == kind and lim.key == key, key
        assert lim.source and lim.constrains and lim.experiment, key
        if arxiv:
            assert arxiv in lim.source, key


def test_best_is_computed_per_kind():
    direct = [v[0] for v in PUBLISHED.values() if v[4] == "direct"]
    astro = [v[0] for v in PUBLISHED.values() if v[4] == "astrophysical"]
    assert best("direct").value == min(direct) == 6.4e-12
    assert best("astrophysical").value == min(astro) == 1.2e-12
    # computed, not typed: a better entry added to the table becomes the best
    extra = dataclasses.replace(LIMITS["texono"], key="new", value=5e-12)
    table = {**LIMITS, "new": extra}
    assert best("direct", table).key == "new"
    assert best("astrophysical", table).key == "red-giant-2020"
    with pytest.raises(ValueError, match="kind"):
        best("solar")


def test_limit_rows_are_checked_and_frozen():
    row = dict(key="x", label="x", value=1e-11, cl="90% CL", constrains="x", source="x",
               experiment="x", year=2020, arxiv="", kind="direct")  # fmt: skip
    Limit(**row)
    for field, bad in (("value", 0.0), ("value", 1e-3), ("kind", "stellar"), ("year", 20)):
        with pytest.raises(ValueError, match=field):
            Limit(**{**row, field: bad})
    with pytest.raises(dataclasses.FrozenInstanceError):
        LIMITS["gemma"].value = 1e-12
    assert limits.KINDS == ("direct", "astrophysical")
    assert all(lim.kind in limits.KINDS for lim in LIMITS.values())
