"""Time a 200-bin event-rate spectrum dR/dT, as the rates panel computes it (docs/design.md, "Performance targets").

Work per spectrum: a reactor source (3 GW at 13.9 m, Huber/Mueller fission spectra), 200 recoil
energies for each channel — ν–e on Xe with the stepping approximation and CEvNS on natural Xe
(9 isotopes, each with its own E_min(T)) — μν = 2.9e-11. Three ways, in one run:

* rates.dR_dT (default "moments" route, 2000 Eν tabulation nodes);
* rates.dR_dT(method="grid", n_E=2000): a literal 200 × 2000 (T, Eν) grid per channel and isotope;
* per-bin adaptive quadrature (scipy.integrate.quad over Eν of the public dσ/dT × dΦ/dE, with
  the isotopes' E_min and the 2 MeV join as break points) at epsrel = 1e-8.

Prints medians (and quartiles) and the ratios, and the largest relative difference between the
routes (the accuracy they share). Design target: ≤ 5 ms for the spectrum, ≥ 20× faster than
quadrature. Timings on a shared machine are noisy: read the medians, compare within one run.

Run:  .venv/bin/python benchmarks/bench_rates.py   (or `make bench-rates`)
"""

from __future__ import annotations

import statistics
import time

import numpy as np
from hepunits import GW, keV, m
from scipy.integrate import quad

from explorer.physics import Neutrino, electron, kinematics, nucleus, rates, sources, target
from explorer.physics.constants import ME
from explorer.physics.materials import material

N_BINS = 200
N_E = 2000
MU = 2.9e-11


def time_it(fn, repeats, warm=True):
    """(median, first quartile, third quartile, last result) of ``repeats`` timed calls."""
    if warm:
        fn()  # warm caches (targets, materials, Gauss–Legendre nodes)
    samples = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        samples.append(time.perf_counter() - t0)
    q = statistics.quantiles(samples, n=4) if len(samples) >= 2 else samples * 3
    return statistics.median(samples), q[0], q[-1], out


def quad_spectrum(T_e, T_n, src, xe):
    """Per-bin adaptive quadrature of both channels (sm + em via .total, per kg)."""
    c = src.components[0]
    nu = Neutrino(c.flavour, anti=c.anti, mu=MU)
    n_t = material("Xe").per_mass
    out_e = np.empty(len(T_e))
    for i, T in enumerate(T_e):
        lo = float(rates.e_min(T, ME))
        pts = [p for p in c.breaks if lo < p < c.E_hi]
        out_e[i] = quad(
            lambda E, T=T: electron.dsigma_dT(T, E, nu, xe).total * c.dphi_dE(E),
            lo,
            c.E_hi,
            points=pts or None,
            epsabs=0,
            epsrel=1e-8,
            limit=200,
        )[0]
    out_n = np.empty(len(T_n))
    masses = [i.mass for i in xe.isotopes]
    for i, T in enumerate(T_n):
        emins = [float(rates.e_min(T, M)) for M in masses]
        lo = min(emins)
        pts = sorted({p for p in [*emins, *c.breaks] if lo < p < c.E_hi})
        out_n[i] = (
            quad(
                lambda E, T=T: nucleus.dsigma_dT(T, E, nu, xe).total * c.dphi_dE(E),
                lo,
                c.E_hi,
                points=pts or None,
                epsabs=0,
                epsrel=1e-8,
                limit=200,
            )[0]
            if lo < c.E_hi
            else 0.0
        )
    return out_e * n_t, out_n * n_t


def main():
    src = sources.reactor(3 * GW, 13.9 * m)
    xe = target("Xe")
    T_e = np.geomspace(1.0, 100.0, N_BINS) * keV
    t_end = kinematics.t_max(src.E_max, min(i.mass for i in xe.isotopes))
    T_n = np.geomspace(1e-3 * keV, 0.999 * t_end, N_BINS)

    def moments():
        return (
            rates.dR_dT(T_e, src, "Xe", "electron", mu=MU).total,
            rates.dR_dT(T_n, src, "Xe", "nucleus", mu=MU).total,
        )

    def grid():
        return (
            rates.dR_dT(T_e, src, "Xe", "electron", mu=MU, method="grid", n_E=N_E).total,
            rates.dR_dT(T_n, src, "Xe", "nucleus", mu=MU, method="grid", n_E=N_E).total,
        )

    rows = [
        ("rates.dR_dT, moments route (2000 Eν nodes)", moments, 60),
        ("rates.dR_dT, method='grid' (200 × 2000 per isotope)", grid, 5),
        # one timed call (tens of seconds here); its caches were warmed by the two rows above
        ("per-bin scipy.integrate.quad (epsrel 1e-8)", lambda: quad_spectrum(T_e, T_n, src, xe), 1),
    ]
    print(
        f"dR/dT spectrum: {N_BINS} bins per channel, reactor 3 GW at 13.9 m, μν = {MU:g} μ_B; "
        "ν–e on Xe (stepping) + CEvNS on natural Xe (9 isotopes)"
    )
    results = {}
    for label, fn, repeats in rows:
        med, q1, q3, out = time_it(fn, repeats, warm=repeats > 1)
        results[label] = (med, out)
        print(
            f"  {label:<55s} median {med * 1e3:9.2f} ms   (quartiles {q1 * 1e3:.2f}–{q3 * 1e3:.2f})"
        )
    vals = list(results.values())
    (t_mom, (m_e, m_n)), (t_grid, (g_e, g_n)), (t_quad, (q_e, q_n)) = vals

    def worst(a, b):
        ok = b != 0
        return float(np.max(np.abs(a[ok] / b[ok] - 1))) if np.any(ok) else 0.0

    print(
        f"  ratio quad / moments: {t_quad / t_mom:8.1f}×    ratio quad / grid: {t_quad / t_grid:6.1f}×"
    )
    print(
        "  largest relative difference vs quad: "
        f"moments {max(worst(m_e, q_e), worst(m_n, q_n)):.1e}, "
        f"grid {max(worst(g_e, q_e), worst(g_n, q_n)):.1e}"
    )
    print("  design target: ≤ 5 ms for the spectrum, ≥ 20× faster than quadrature")


if __name__ == "__main__":
    main()
