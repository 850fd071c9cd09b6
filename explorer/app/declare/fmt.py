"""Unicode number formatting for labels and readouts (no LaTeX outside markdown cells)."""

from __future__ import annotations

import math

_SUP = str.maketrans("0123456789-+", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺")


def sup(text) -> str:
    """Superscript digits and signs: ``sup(-32)`` → ``'⁻³²'``.

    >>> "10" + sup(-32)
    '10⁻³²'
    """
    return str(text).translate(_SUP)


def sci(x: float, digits: int = 2) -> str:
    """A number in Unicode scientific notation, ``2.9×10⁻¹¹``; plain form for 0.01 ≤ |x| < 1000.

    >>> sci(2.9e-11), sci(0.0), sci(12.345), sci(-3e-14, 1), sci(1e-19, 3)
    ('2.9×10⁻¹¹', '0', '12.3', '−3×10⁻¹⁴', '1×10⁻¹⁹')
    >>> sci(float("nan"))
    '—'
    """
    if x is None or not math.isfinite(x):
        return "—"
    if x == 0:
        return "0"
    sign = "−" if x < 0 else ""
    a = abs(x)
    if 1e-2 <= a < 1e3:
        text = f"{a:.{digits + 1}g}"
        return sign + text
    exp = math.floor(math.log10(a))
    mant = a / 10**exp
    if round(mant, digits - 1) >= 10:
        mant, exp = mant / 10, exp + 1
    m = f"{mant:.{max(digits - 1, 0)}f}".rstrip("0").rstrip(".")
    return f"{sign}{m}×10{sup(exp)}"


def number(x: float, spec: str = ".3g") -> str:
    """``x`` formatted with ``spec``, an exponent written in Unicode: ``2.9×10⁻¹¹``, ``1.5``.

    >>> number(2.9e-11, ".2g"), number(1.5), number(0.0123, ".2e"), number(-4.0, ".1f")
    ('2.9×10⁻¹¹', '1.5', '1.23×10⁻²', '−4.0')
    """
    text = format(x, spec)
    if "e" in text:
        mant, exp = text.split("e")
        text = f"{mant}×10{sup(int(exp))}"
    return text.replace("-", "−", 1) if text.startswith("-") else text


def energy(x_kev: float) -> str:
    """An energy given in keV, written with a convenient unit: ``energy(0.0412)`` → ``'41.2 eV'``.

    >>> energy(20.61), energy(0.0412), energy(3e-5), energy(1500.0), energy(0.0)
    ('20.6 keV', '41.2 eV', '0.03 eV', '1.5 MeV', '0 eV')
    """
    if not math.isfinite(x_kev):
        return "—"
    a = abs(x_kev)
    if a == 0:
        return "0 eV"
    if a >= 1e3:
        return f"{x_kev / 1e3:.3g} MeV"
    if a >= 1.0:
        return f"{x_kev:.3g} keV"
    if a >= 1e-3:
        return f"{x_kev * 1e3:.3g} eV"
    return f"{sci(x_kev * 1e3)} eV"


_FLAV = {"e": "ₑ", "mu": "μ", "tau": "τ"}


def neutrino_label(flavour: str, anti: bool) -> str:
    """Plain-text label for the figure: ``ν̄ₑ``, ``νμ``.

    >>> neutrino_label("e", True), neutrino_label("mu", False)
    ('ν̄ₑ', 'νμ')
    """
    return ("ν̄" if anti else "ν") + _FLAV[flavour]
