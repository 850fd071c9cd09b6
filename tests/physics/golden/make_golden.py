"""Regenerate the golden values of ``tests/physics/test_golden.py`` without the explorer package.

Usage: ``python tests/physics/golden/make_golden.py`` prints every table row with its value
recomputed; ``--check`` also compares with the values written in test_golden.py (read with
``ast``, nothing imported from ``explorer``) and exits 1 if any differs by more than the row's
tolerance.

Everything here is written from the paper (Kouzakov & Studenikin, arXiv:1603.02462) and
docs/design.md, "Physics conventions", in 30-digit mpmath:

* ν–e (eqs. 6–8): dσ/dT = G_F² m_e/(2π)[(g_V+g_A)² + (g_V−g_A)²(1−T/E)² + (g_A²−g_V²) m_e T/E²]
  + πα²/m_e² (1/T − 1/E) μ², with g_V → g_V + (√2πα/G_F)[⟨r²⟩/3 − qν/(m_e T)] (Giunti &
  Studenikin, RMP 87 (2015) 531); g_V = 2s² ± ½, g_A = ±½, g_A → −g_A for ν̄.
* CEvNS (eqs. 13–15, Gaussian units, sign of docs/design.md, "Sign of eq. 13"):
  η² G_F² M C_V²/π (1 − T/T_max) F²
  + πα² Z² μ²/m_e² (1/T − 1/E + T/4E²) F², η C_V = C_V − Z(√2πα/G_F)[⟨r²⟩/3 − qν/(M T)],
  C_V = [Z(1 − 4s²) − N]/2; a natural element is Σ_i f_i (per isotope). Helm F (Lewin & Smith
  1996): 3 j₁(q r_n)/(q r_n) e^{−q²s²/2}, r_n² = c² + 7π²a²/3 − 5s², c = 1.23A^{1/3} − 0.60 fm,
  a = 0.52 fm, s = 0.9 fm, |q|² = 2MT + T².
* kinematics: T_max = 2E²/(2E + M); eq. 9, eq. 16, eq. 1 and the recoil scale 2Z^{4/3}α²m_e²/M.
* crossovers: the lowest T where |EM| = SM, found by a 200 000-point log scan of an independent
  float64 evaluation of the same formulas (written below), then refined by mpmath bisection
  (Illinois) on the 30-digit formulas.

Constants (CODATA 2022, typed here): α = 7.2973525643e-3, G_F = 1.1663787e-5 GeV⁻²,
m_e = 0.51099895069 MeV, u = 931.49410372 MeV; ħc = 197.3269804593 MeV fm (exact SI).
Masses: AME2020 atomic masses minus Z m_e; ⁷²Ge and ¹³²Xe typed here, the isotopes and
abundances of natural elements from :mod:`periodictable` (AME2020, IUPAC).
"""

from __future__ import annotations

import ast
import math
import sys
from pathlib import Path

import mpmath as mp
import numpy as np

mp.mp.dps = 30
ALPHA = mp.mpf("7.2973525643e-3")
GF = mp.mpf("1.1663787e-11")  # MeV⁻²
ME = mp.mpf("0.51099895069")  # MeV
U = mp.mpf("931.49410372")  # MeV
HBARC_CM = mp.mpf("197.3269804593e-13")  # MeV cm
FM = mp.mpf("197.3269804593") ** -1  # 1 fm in MeV⁻¹
S2W = mp.mpf("0.23867")
K = mp.sqrt(2) * mp.pi * ALPHA / GF  # MeV²

# AME2020 atomic masses (u): Wang et al., Chin. Phys. C 45, 030003 (2021)
AME2020 = {("Ge", 72): mp.mpf("71.922075826"), ("Xe", 132): mp.mpf("131.904155086")}
Z_OF = {"H": 1, "Ge": 32, "Xe": 54}

GOLDEN = Path(__file__).resolve().parents[1] / "test_golden.py"


def isotopes(name: str) -> list:
    """[(Z, A, M_N [MeV], fraction)] for "Ge72" or "Ge"."""
    sym = name.rstrip("0123456789")
    Z = Z_OF[sym]
    if sym != name:
        A = int(name[len(sym) :])
        atom = AME2020.get((sym, A))
        if atom is None:
            import periodictable

            atom = mp.mpf(repr(getattr(periodictable, sym)[A].mass))
        return [(Z, A, atom * U - Z * ME, mp.mpf(1))]
    import periodictable

    el = getattr(periodictable, sym)
    ab = {A: el[A].abundance for A in el.isotopes if el[A].abundance > 0}
    total = sum(ab.values())
    out = []
    for A, p in sorted(ab.items()):
        atom = AME2020.get((sym, A), mp.mpf(repr(el[A].mass)))
        out.append((Z, A, atom * U - Z * ME, mp.mpf(repr(p)) / mp.mpf(repr(total))))
    return out


def couplings(flavour: str, anti: bool, s2=S2W):
    gv = 2 * s2 + (mp.mpf(1) / 2 if flavour == "e" else -mp.mpf(1) / 2)
    ga = mp.mpf(1) / 2 if flavour == "e" else -mp.mpf(1) / 2
    return gv, (-ga if anti else ga)


def electron_parts(T, E, flavour, anti, mu, q, r2_cm2):
    """(sm, em) per free electron in cm²/MeV; T, E in MeV."""
    T, E = mp.mpf(T), mp.mpf(E)
    gv, ga = couplings(flavour, anti)
    d = K * (mp.mpf(r2_cm2) / HBARC_CM**2 / 3 - mp.mpf(q) / (ME * T))

    def weak(v):
        return (
            GF**2
            * ME
            / (2 * mp.pi)
            * ((v + ga) ** 2 + (v - ga) ** 2 * (1 - T / E) ** 2 + (ga**2 - v**2) * ME * T / E**2)
        )

    sm = weak(gv)
    mag = mp.pi * ALPHA**2 / ME**2 * (1 / T - 1 / E) * mp.mpf(mu) ** 2
    em = weak(gv + d) - sm + mag
    return sm * HBARC_CM**2, em * HBARC_CM**2


def helm(T, M, A):
    c = (mp.mpf("1.23") * mp.mpf(A) ** (mp.mpf(1) / 3) - mp.mpf("0.60")) * FM
    a, s = mp.mpf("0.52") * FM, mp.mpf("0.9") * FM
    rn = mp.sqrt(c**2 + mp.mpf(7) / 3 * mp.pi**2 * a**2 - 5 * s**2)
    qm = mp.sqrt(2 * M * T + T**2)
    x = qm * rn
    j1 = mp.sin(x) / x**2 - mp.cos(x) / x
    return 3 * j1 / x * mp.exp(-(qm**2) * s**2 / 2)


def nucleus_parts(T, E, name, mu, q, r2_cm2, ff=None, s2=S2W):
    """(sm, em) per atom (natural element) or nucleus in cm²/MeV; T, E in MeV."""
    T, E = mp.mpf(T), mp.mpf(E)
    sm = em = mp.mpf(0)
    for Z, A, M, f in isotopes(name):
        tmax = 2 * E**2 / (2 * E + M)
        if not 0 < T <= tmax:
            continue
        cv = (Z * (1 - 4 * s2) - (A - Z)) / 2
        dcv = -Z * K * (mp.mpf(r2_cm2) / HBARC_CM**2 / 3 - mp.mpf(q) / (M * T))
        unit = GF**2 * M / mp.pi * (1 - T / tmax)
        mag = mp.pi * ALPHA**2 * Z**2 * mp.mpf(mu) ** 2 / ME**2 * (1 / T - 1 / E + T / (4 * E**2))
        f2 = helm(T, M, A) ** 2 if ff == "helm" else 1
        sm += f * unit * cv**2 * f2
        em += f * (unit * ((cv + dcv) ** 2 - cv**2) + mag) * f2
    return sm * HBARC_CM**2, em * HBARC_CM**2


def eta(T, E, name, q, r2_cm2):
    """η of eq. 13 (sign of docs/design.md, "Sign of eq. 13"), mean nucleus of a natural element; T
    in MeV."""
    iso = isotopes(name)
    Z = iso[0][0]
    N = sum(f * (A - Z) for _, A, _, f in iso)
    M = sum(f * m for _, _, m, f in iso)
    cv = (Z * (1 - 4 * S2W) - N) / 2
    return 1 - K * Z / cv * (mp.mpf(r2_cm2) / HBARC_CM**2 / 3 - mp.mpf(q) / (M * mp.mpf(T)))


def weak_charge(name):
    iso = isotopes(name)
    Z = iso[0][0]
    return (Z * (1 - 4 * S2W) - sum(f * (A - Z) for _, A, _, f in iso)) / 2


# --- float64 scan (a second, vectorised evaluation of the same formulas) -----------------------


def _scan_ratio_electron(T, E, flavour, anti, mu, q, r2):
    gv, ga = (float(x) for x in couplings(flavour, anti))
    k, me, gf, al = float(K), float(ME), float(GF), float(ALPHA)
    hc2 = float(HBARC_CM) ** 2
    d = k * (r2 / hc2 / 3 - q / (me * T))

    def weak(v):
        return (v + ga) ** 2 + (v - ga) ** 2 * (1 - T / E) ** 2 + (ga**2 - v**2) * me * T / E**2

    sm = gf**2 * me / (2 * math.pi) * weak(gv)
    em = gf**2 * me / (2 * math.pi) * (weak(gv + d) - weak(gv))
    em = em + math.pi * al**2 / me**2 * (1 / T - 1 / E) * mu**2
    return np.abs(em) / sm


def _scan_ratio_nucleus(T, E, name, mu, q, r2):
    k, me, gf, al = float(K), float(ME), float(GF), float(ALPHA)
    hc2 = float(HBARC_CM) ** 2
    sm = np.zeros_like(T)
    em = np.zeros_like(T)
    for Z, A, M, f in isotopes(name):
        M, f = float(M), float(f)
        tmax = 2 * E * E / (2 * E + M)
        inside = T <= tmax
        cv = (Z * (1 - 4 * float(S2W)) - (A - Z)) / 2
        dcv = -Z * k * (r2 / hc2 / 3 - q / (M * T))
        unit = gf**2 * M / math.pi * np.clip(1 - T / tmax, 0, None)
        mag = math.pi * al**2 * Z**2 * mu**2 / me**2 * (1 / T - 1 / E + T / (4 * E * E))
        sm += f * np.where(inside, unit * cv**2, 0)
        em += f * np.where(inside, unit * dcv * (2 * cv + dcv) + mag, 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.abs(em) / sm


def crossover(channel, tgt, nu, E):
    """Lowest T (MeV) in (1e-16 T_max, T_max) where |EM| = SM; T_max if never, 0 if below."""
    flavour, anti, mu, q, r2 = nu
    if channel == "e":
        tmax = 2 * E * E / (2 * E + float(ME))

        def scan(T):
            return _scan_ratio_electron(T, E, flavour, anti, mu, q, r2)

        def exact(t):
            sm, em = electron_parts(t, E, flavour, anti, mu, q, r2)
            return mp.log(abs(em)) - mp.log(sm)
    else:
        tmax = min(2 * E * E / (2 * E + float(m)) for _, _, m, _ in isotopes(tgt)) * (1 - 1e-12)

        def scan(T):
            return _scan_ratio_nucleus(T, E, tgt, mu, q, r2)

        def exact(t):
            sm, em = nucleus_parts(t, E, tgt, mu, q, r2)
            return mp.log(abs(em)) - mp.log(sm)

    T = np.geomspace(tmax * 1e-16, tmax, 200_001)
    below = np.flatnonzero(scan(T) < 1)
    if below.size == 0:
        return tmax
    i = below[0]
    if i == 0:
        return 0.0
    a, b = mp.mpf(T[i - 1]), mp.mpf(T[i])
    return float(mp.findroot(exact, (a, b), solver="illinois", tol=mp.mpf(10) ** -40))


def scale(what, args):
    mu = mp.mpf(args.get("mu", 0))
    if what == "eq9":
        return mp.pi**2 * ALPHA**2 / (GF**2 * ME**3) * mu**2
    if what == "eq16":
        ((Z, A, M, _),) = isotopes(args["iso"])
        cv = (Z * (1 - 4 * S2W) - (A - Z)) / 2
        return mp.pi**2 * ALPHA**2 * Z**2 * mu**2 / (GF**2 * M * ME**2 * cv**2)
    if what == "recoil":
        ((Z, _, M, _),) = isotopes(args["iso"])
        return 2 * mp.mpf(Z) ** (mp.mpf(4) / 3) * ALPHA**2 * ME * ME / M
    if what == "dirac":
        return 3 * GF * ME * mp.mpf(args["m"]) / (4 * mp.sqrt(2) * mp.pi**2)
    E = mp.mpf(args["E"])
    M = ME if args["M"] == "me" else mp.mpf(args["M"])
    return 2 * E**2 / (2 * E + M)


def tables() -> dict:
    """The literal tables of test_golden.py, read with ast (nothing imported from explorer).

    The module-level constants (R = 1e-9) are evaluated first, without builtins, as the tables
    use them."""
    tree = ast.parse(GOLDEN.read_text())
    names: dict = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            try:
                code = compile(ast.Expression(node.value), str(GOLDEN), "eval")
                names[name] = eval(code, {"__builtins__": {}}, names)
            except (NameError, TypeError):  # e.g. PER_MEV = cm2 / MeV: not a table
                continue
    return {k: names[k] for k in ("ELECTRON", "NUCLEUS", "ETA", "CROSSOVERS", "SCALES")}


def rows():
    """(table, row, recomputed value, stored value, tolerance) for every golden row."""
    t = tables()
    R = 1e-9
    for row in t["ELECTRON"]:
        flavour, anti, mu, q, r2, T, E, part, value = row
        sm, em = electron_parts(T, E, flavour, anti, mu, q, r2)
        yield "ELECTRON", row[:-1], sm if part == "sm" else em, value, R
    for row in t["NUCLEUS"]:
        iso, mu, T, E, part, ff, value = row
        sm, em = nucleus_parts(mp.mpf(T) / 1000, E, iso, mu, 0, 0, ff)
        yield "NUCLEUS", row[:-1], sm if part == "sm" else em, value, R
    for row in t["ETA"]:
        tgt, q, r2, T, E, value = row
        yield "ETA", row[:-1], eta(mp.mpf(T) / 1000, E, tgt, q, r2), value, R
    for row in t["CROSSOVERS"]:
        channel, tgt, nu, E, value, rel = row
        yield "CROSSOVERS", row[:4], crossover(channel, tgt, nu, E), value, rel
    for row in t["SCALES"]:
        what, args, value = row
        yield "SCALES", row[:2], scale(what, args), value, R
    yield "WEAK_CHARGE", ("Ge",), weak_charge("Ge"), -19.62868, 1e-6


def main() -> int:
    check = "--check" in sys.argv
    bad = 0
    for table, key, got, stored, tol in rows():
        got = float(got)
        diff = abs(got / stored - 1) if stored else abs(got)
        flag = ""
        if check and diff > tol:
            bad += 1
            flag = "  <-- differs"
        print(
            f"{table:11s} {key!s:60.60s} {got:.10g}  (stored {stored:.10g}, rel {diff:.1e}){flag}"
        )
    if check:
        print(f"\n{'all rows reproduced' if not bad else f'{bad} rows differ'}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
