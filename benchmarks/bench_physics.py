"""Time one full recompute of both panels, as the dashboard does it on a slider move.

Work per recompute (docs/design.md, "Performance targets"): ν–e on Xe with the stepping approximation over 2000 recoil
energies, CEvNS on natural Xe (9 isotopes) over 2000 recoil energies, and both crossovers.
Design target: ≤ 2 ms. Prints the median and quartiles of many repeats measured in this run.

Run:  .venv/bin/python benchmarks/bench_physics.py   (or `make bench`)
"""

from __future__ import annotations

import statistics
import time

import numpy as np
from hepunits import MeV, cm2, keV

from explorer.physics import Neutrino, electron, nucleus, target

N_POINTS = 2000
REPEATS = 400


def recompute(T_e, T_n, E, nu, xe):
    xe_e = electron.dsigma_dT(T_e, E, nu, xe, binding="stepping")
    xe_n = nucleus.dsigma_dT(T_n, E, nu, xe)
    c_e = electron.crossover(E, nu, xe)
    c_n = nucleus.crossover(E, nu, xe)
    return xe_e, xe_n, c_e, c_n


def time_it(fn, repeats=REPEATS):
    fn()  # warm caches (target tables, imports)
    samples = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    q = statistics.quantiles(samples, n=4)
    return statistics.median(samples), q[0], q[2]


def main():
    xe = target("Xe")
    E = 1.0 * MeV
    nu = Neutrino("e", anti=True, mu=2.9e-11, q=1e-13, r2=1e-32 * cm2)
    T_e = np.geomspace(1e-3, 1e3, N_POINTS) * keV
    T_n = np.geomspace(1e-6, 1.0, N_POINTS) * keV
    rows = [
        ("electron.dsigma_dT (Xe, stepping, 2000 T)", lambda: electron.dsigma_dT(T_e, E, nu, xe)),
        (
            "nucleus.dsigma_dT (natural Xe, 9 isotopes, 2000 T)",
            lambda: nucleus.dsigma_dT(T_n, E, nu, xe),
        ),
        ("electron.crossover", lambda: electron.crossover(E, nu, xe)),
        ("nucleus.crossover (natural Xe)", lambda: nucleus.crossover(E, nu, xe)),
        ("full recompute of both panels", lambda: recompute(T_e, T_n, E, nu, xe)),
    ]
    print(f"{'work':55s} {'median':>10s} {'q1':>9s} {'q3':>9s}")
    results = {}
    for name, fn in rows:
        med, q1, q3 = time_it(fn)
        results[name] = med
        print(f"{name:55s} {med * 1e3:8.3f} ms {q1 * 1e3:7.3f} {q3 * 1e3:7.3f}")
    full = results["full recompute of both panels"]
    print(
        f"\nfull recompute median {full * 1e3:.3f} ms; design target 2 ms; ratio to target {full / 2e-3:.2f}"
    )


if __name__ == "__main__":
    main()
