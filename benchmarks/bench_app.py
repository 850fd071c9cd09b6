"""In-kernel benchmark of the dashboard: slider change → new image, against the rendering floor.

Run: ``.venv/bin/python benchmarks/bench_app.py [--moves 200]``

* floor: render the two panel figures again with unchanged data (the same blitting renderer
  and the same PNG encoder as the dashboard uses), per move of a slider that redraws both panels;
* slider → image: set the μν slider's value (as the browser's message does) and wait for the
  observer to recompute both channels, move the artists, render and store both PNGs in the
  ``Image`` widgets; the Eν slider the same way;
* backend: one recompute of both panels' data (Xe, 2000 points each, stepping, isotopes,
  crossovers), for the ≤ 2 ms of docs/design.md, "Performance targets";
* view-only changes: the ν–e and CEvNS threshold sliders (the marker and the EM/SM readout move,
  no physics is recomputed; each redraws one panel, so its floor is that panel's render) and the
  y-decades slider (both panels; a new y range redraws the y grid, tick marks and labels over
  the static layer, so it is compared with the full draw as well as with the blitting floor);
* full draw: a complete matplotlib draw + encode of both figures, for reference (what a
  non-blitting renderer would pay per move).

Medians over many moves, all measured in one run; the design targets are slider/floor ≤ 1.3 and
view-only/floor ≤ 1.05 (docs/design.md, "Performance targets").
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from explorer.app import build_dashboard
from explorer.app.render.figures import render_png
from explorer.app.view.spectra import compute_electron, compute_nucleus


def _median_ms(samples):
    return 1e3 * statistics.median(samples)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--moves", type=int, default=200, help="slider moves per measurement")
    args = ap.parse_args(argv)
    n = args.moves

    # fixed axes: random jumps across the range, comparable with earlier runs
    dash = build_dashboard(query="target=Xe&E=1&mu=2e-11&axes=fixed")
    panels = list(dash.panels.values())
    rng = np.random.default_rng(1)
    clock = time.perf_counter

    # warm-up: caches, fonts, first full draw
    for v in (1.5e-11, 2.5e-11, 2e-11):
        dash.controls.widgets["mu"].value = v

    floor, slider_mu, slider_e, backend, full = [], [], [], [], []
    floor_e, thr_e, thr_n, ydec = [], [], [], []
    mu_values = 10 ** rng.uniform(np.log10(1.1e-11), np.log10(2.9e-11), n)
    e_values = 10 ** rng.uniform(np.log10(0.8), np.log10(1.2), n)
    thr_values = 10 ** rng.uniform(np.log10(1.0), np.log10(5.0), n)
    thrn_values = 10 ** rng.uniform(np.log10(1e-3), np.log10(1e-2), n)
    w = dash.controls.widgets
    w_mu, w_e = w["mu"], w["E"]
    runs = dict(dash.physics_runs)
    for i in range(n):
        # interleave the measurements so that drifts of the machine hit them alike
        t0 = clock()
        for p in panels:
            p.image.value = p.figure.render()
        floor.append(clock() - t0)

        t0 = clock()
        w_mu.value = float(mu_values[i])
        slider_mu.append(clock() - t0)

        t0 = clock()
        w_e.value = float(e_values[i])
        slider_e.append(clock() - t0)

        t0 = clock()
        ep = dash.panels["electron"]
        ep.image.value = ep.figure.render()
        floor_e.append(clock() - t0)

        before = dict(dash.physics_runs)
        t0 = clock()
        w["thr_e"].value = float(thr_values[i])
        thr_e.append(clock() - t0)
        t0 = clock()
        w["thr_n"].value = float(thrn_values[i])
        thr_n.append(clock() - t0)
        if i % 10 == 0:
            t0 = clock()
            w["y_decades"].value = 9.0 if w["y_decades"].value == 8.0 else 8.0
            ydec.append(clock() - t0)
        assert dash.physics_runs == before, "a view-only change recomputed physics"

        t0 = clock()
        compute_electron(dash.state)
        compute_nucleus(dash.state)
        backend.append(clock() - t0)

        if i % 10 == 0:
            t0 = clock()
            for p in panels:
                render_png(p.figure.figure)
            full.append(clock() - t0)

    assert dash.error.value == "", dash.error.value
    f, s_mu, s_e = _median_ms(floor), _median_ms(slider_mu), _median_ms(slider_e)
    print(f"moves per measurement            : {n} (both panels redraw on each move)")
    print(f"floor (render both, same data)   : {f:7.2f} ms median")
    print(
        f"μν slider → new images           : {s_mu:7.2f} ms median   ratio {s_mu / f:.2f}  (target ≤ 1.3)"
    )
    print(f"Eν slider → new images           : {s_e:7.2f} ms median   ratio {s_e / f:.2f}")
    print(
        f"backend recompute (Xe, 2×2000)   : {_median_ms(backend):7.2f} ms median  (target ≤ 2 ms)"
    )
    print(
        f"full draw + encode, both figures : {_median_ms(full):7.2f} ms median  (no blitting, reference)"
    )
    fe = _median_ms(floor_e)
    te, tn, yd = _median_ms(thr_e), _median_ms(thr_n), _median_ms(ydec)
    print(f"floor, one panel (ν–e)           : {fe:7.2f} ms median")
    print(
        f"ν–e threshold → new image        : {te:7.2f} ms median   ratio {te / fe:.2f}  (target ≤ 1.05)"
    )
    print(
        f"CEvNS threshold → new image      : {tn:7.2f} ms median   ratio {tn / fe:.2f}  (vs the ν–e panel floor)"
    )
    print(
        f"y decades → new images (both)    : {yd:7.2f} ms median   ratio {yd / f:.2f} to the blit floor, "
        f"{yd / _median_ms(full):.2f} to the full draw (a new y range: the y grid, marks and labels)"
    )
    print(
        f"physics recomputes over the run  : {dict(dash.physics_runs)} (from {runs}; μν and Eν moves only)"
    )
    # fit axes (the default): Eν by keyboard steps (one slider step, 0.01 in log10, up and down);
    # the recoil axis snaps to 1, 2, 5 × 10ⁿ, so most steps keep the frame, a few redraw it
    fit = build_dashboard(query="target=Xe&E=1&mu=2e-11")
    fpanels = [fit.panels["electron"], fit.panels["nucleus"]]
    w_fit = fit.controls.widgets["E"]
    ffloor, fsteps = [], []
    for i in range(n):
        t0 = clock()
        for p in fpanels:
            p.image.value = p.figure.render()
        ffloor.append(clock() - t0)
        t0 = clock()
        w_fit.value = fit.state.E * (10**0.01 if (i // 20) % 2 == 0 else 10**-0.01)
        fsteps.append(clock() - t0)
    ff, fs = _median_ms(ffloor), _median_ms(fsteps)
    q90 = 1e3 * float(np.percentile(fsteps, 90))
    print(
        f"fit axes: Eν key step → images    : {fs:7.2f} ms median (90th pct {q90:.1f}) vs floor "
        f"{ff:.2f} ms: ratio {fs / ff:.2f}"
    )
    png = sum(len(p.image.value) for p in panels)
    print(f"PNG bytes per move (both panels) : {png}")


if __name__ == "__main__":
    main()
