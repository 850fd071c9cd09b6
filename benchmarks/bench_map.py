"""Time the "where EM wins" maps in the kernel: slider change → new image, against the floor.

For each map (ν–e and CEvNS, over μν and over |qν|) at 200 × 200 cells, in one run:

* compute: ``compute_map`` of a new map (its cache cleared: a few vectorised dσ/dT calls on the
  T grid, every crossover row searched and refined, the current row refined as the readout);
* floor: ``MapFigure.render`` with unchanged data (restore the cached frame, draw the cells and
  the lines, encode the PNG), the same figure;
* own slider: compute_map + update + render after a change of the map's own parameter (μν on the
  μν map, |qν| on the |qν| map): the map is reused from the cache, the current row moves;
* Eν slider: the same after a change of Eν: a new map (every cell changes; the fitted T axis
  is kept, as for most key steps).

The floor and the slider changes are timed in turn within each repeat (the floor after a slider
change renders that change's data again). Prints wall-clock medians (quartiles), the median CPU time of this process (less disturbed by
other work on a shared machine) and the ratio of each slider change to the floor, in both.
docs/design.md, "Performance targets": slider change → new image ≤ 1.3 × the floor; the lead's budget for one map is
≈ 30 ms. Timings on a shared machine are noisy: compare within one run.

Run:  .venv/bin/python benchmarks/bench_map.py   (or `make bench-map`)
"""

from __future__ import annotations

import statistics
import time

from explorer.app.render.mapfigure import MapFigure
from explorer.app.state.presets import EXPERIMENTS
from explorer.app.state.traits import ExplorerState
from explorer.app.view import emmap
from explorer.app.view.emmap import compute_map

N = 200
REPEATS = 30

#: (label, preset, channel, axis, extra state)
MAPS = (
    ("ν–e on Ge, μν map (reactor ν̄ₑ)", "gemma-ge", "electron", "mu", {}),
    ("ν–e on Ge, |qν| map", "gemma-ge", "electron", "q", dict(q_sign=1, q=1e-12)),
    ("CEvNS on Xe (9 isotopes, Helm), μν map", "xenon-8b", "nucleus", "mu", {}),
    ("CEvNS on Xe (9 isotopes, Helm), |qν| map", "xenon-8b", "nucleus", "q", dict(q_sign=1)),
)


def timed(*fns, repeats=REPEATS):
    """For each function: (wall median, wall quartiles, CPU median) in ms. The functions are run
    in turn within each repeat, so that a change in the machine's load hits them alike."""
    wall = [[] for _ in fns]
    cpu = [[] for _ in fns]
    for k in range(repeats):
        for w, c, fn in zip(wall, cpu, fns, strict=True):
            t0, c0 = time.perf_counter(), time.process_time()
            fn(k)
            w.append(time.perf_counter() - t0)
            c.append(time.process_time() - c0)
    out = []
    for w, c in zip(wall, cpu, strict=True):
        q = statistics.quantiles(w, n=4)
        out.append(
            (statistics.median(w) * 1e3, q[0] * 1e3, q[-1] * 1e3, statistics.median(c) * 1e3)
        )
    return out


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
    e0, own0 = s.E, getattr(s, axis)

    def compute(_k):
        emmap._surface.cache_clear()
        compute_map(channel, s, axis, n=N)

    def floor(_k):
        fig.render()

    def slider(name, values):
        def step(k):
            setattr(s, name, values[k % 2])
            fig.update(compute_map(channel, s, axis, n=N))
            fig.render()

        return step

    (t_compute,) = timed(compute)
    own_step, e_step = slider(axis, (own0 * 1.05, own0)), slider("E", (e0 * 1.02, e0))
    t_floor, t_own, _, t_e = timed(floor, own_step, floor, e_step)
    print(f"{label}")
    print(f"  compute_map (a new map)    : {fmt(t_compute)}")
    print(f"  floor (render, same data)  : {fmt(t_floor)}")
    own = "μν" if axis == "mu" else "|qν|"
    print(f"  {own + ' slider → new image':<27s}: {fmt(t_own)}   {ratio(t_own, t_floor)}")
    print(f"  Eν slider → new image      : {fmt(t_e)}   {ratio(t_e, t_floor)}")


def main():
    print(f"'where EM wins' maps, {N} × {N} cells, {REPEATS} repeats; medians from one run")
    for row in MAPS:
        bench_one(*row)
    print(
        "design target: slider change → new image ≤ 1.3 × floor (docs/design.md, 'Performance targets'); ≈ 30 ms per map"
    )


if __name__ == "__main__":
    main()
