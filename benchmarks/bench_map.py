"""Time the "where EM wins" maps in the kernel: slider change → new image, against the floor.

For each map (ν–e and CEvNS, over μν and over |qν|) at 200 × 200 cells, in one run:

* compute: ``compute_map`` alone (the physics of the map: a few vectorised dσ/dT calls on the T
  grid, the crossover rows searched and refined);
* floor: ``MapFigure.render`` with unchanged data (restore the cached frame, draw the image and
  the lines, encode the PNG), the same figure;
* μν slider / Eν slider: compute_map + update + render after a change of μν (the current row
  moves) or of Eν (every cell changes; the fitted T axis is kept, as for most key steps).

Prints wall-clock medians (quartiles), the median CPU time of this process (less disturbed by
other work on a shared machine) and the ratio of each slider change to the floor, in both.
DESIGN §8: slider change → new image ≤ 1.3 × the floor; the lead's budget for one map is
≈ 30 ms. Timings on a shared machine are noisy: compare within one run.

Run:  .venv/bin/python benchmarks/bench_map.py   (or `make bench-map`)
"""

from __future__ import annotations

import statistics
import time

from explorer.app.emmap import compute_map
from explorer.app.mapfigure import MapFigure
from explorer.app.presets import EXPERIMENTS
from explorer.app.state import ExplorerState

N = 200
REPEATS = 30

#: (label, preset, channel, axis, extra state)
MAPS = (
    ("ν–e on Ge, μν map (reactor ν̄ₑ)", "gemma-ge", "electron", "mu", {}),
    ("ν–e on Ge, |qν| map", "gemma-ge", "electron", "q", dict(q_sign=1, q=1e-12)),
    ("CEvNS on Xe (9 isotopes, Helm), μν map", "xenon-8b", "nucleus", "mu", {}),
    ("CEvNS on Xe (9 isotopes, Helm), |qν| map", "xenon-8b", "nucleus", "q", dict(q_sign=1)),
)


def timed(fn, repeats=REPEATS):
    """(wall median, wall quartiles, CPU median) in ms."""
    wall, cpu = [], []
    for k in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        fn(k)
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    q = statistics.quantiles(wall, n=4)
    return statistics.median(wall) * 1e3, q[0] * 1e3, q[-1] * 1e3, statistics.median(cpu) * 1e3


def fmt(t) -> str:
    return f"{t[0]:7.2f} ms (quartiles {t[1]:6.2f}–{t[2]:6.2f}; CPU {t[3]:6.2f} ms)"


def ratio(t, floor) -> str:
    return f"ratio {t[0] / floor[0]:.2f} (CPU {t[3] / floor[3]:.2f})"


def bench_one(label, preset, channel, axis, extra) -> None:
    s = ExplorerState()
    s.update(**EXPERIMENTS[preset].values)
    s.update(**extra)
    fig = MapFigure(channel, axis)
    fig.update(compute_map(channel, s, axis, n=N))
    fig.render()  # the cached frame
    e0, mu0 = s.E, s.mu

    def compute(_k):
        compute_map(channel, s, axis, n=N)

    def floor(_k):
        fig.render()

    def slider(name, values):
        def step(k):
            setattr(s, name, values[k % 2])
            fig.update(compute_map(channel, s, axis, n=N))
            fig.render()

        return step

    t_compute = timed(compute)
    t_floor = timed(floor)
    t_mu = timed(slider("mu", (mu0 * 1.05, mu0)))
    t_e = timed(slider("E", (e0 * 1.02, e0)))
    print(f"{label}")
    print(f"  compute_map                : {fmt(t_compute)}")
    print(f"  floor (render, same data)  : {fmt(t_floor)}")
    print(f"  μν slider → new image      : {fmt(t_mu)}   {ratio(t_mu, t_floor)}")
    print(f"  Eν slider → new image      : {fmt(t_e)}   {ratio(t_e, t_floor)}")


def main():
    print(f"'where EM wins' maps, {N} × {N} cells, {REPEATS} repeats; medians from one run")
    for row in MAPS:
        bench_one(*row)
    print("design target: slider change → new image ≤ 1.3 × floor (DESIGN §8); ≈ 30 ms per map")


if __name__ == "__main__":
    main()
