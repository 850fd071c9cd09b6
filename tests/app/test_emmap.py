"""The map of where EM wins (explorer.app.view.emmap, explorer.app.render.mapfigure).

Reference numbers come from other routes than the map's vectorised one: the panel readout
(compute_view → electron/nucleus.crossover, its own root search), scalar calls of the public
dσ/dT with each cell's μν or qν, and eqs. 6 and 8 typed out here with CODATA constants.
"""

import io
import math

import numpy as np
import pytest
from hepunits import MeV, cm2, keV
from matplotlib.text import Text
from PIL import Image
from scipy import constants as sc

from explorer.app.declare.fmt import energy
from explorer.app.declare.params import REGISTRY
from explorer.app.render.loop import export_png, render_png
from explorer.app.render.mapfigure import MapFigure
from explorer.app.render.style import DPI, EXPORT_DPI, FIGSIZE, FONT, MIN_FONT
from explorer.app.state.presets import EXPERIMENTS
from explorer.app.state.traits import ExplorerState
from explorer.app.view.compute import compute_view
from explorer.app.view.emmap import compute_map
from explorer.physics import Neutrino, electron, nucleus, target

N = 60  # map size in the tests (the dashboard uses 200; the code paths are the same)


def state_of(preset, **changes):
    s = ExplorerState()
    s.update(**EXPERIMENTS[preset].values)
    s.update(**changes)
    return s


# Ge reactor ν̄ₑ, Xe solar pp νₑ (stepping), CsI (Cs) at a π-DAR source νμ 29.8 MeV, Xe ⁸B
# (9 isotopes, Helm); each also with a millicharge of either sign for the |qν| map.
CASES = [
    ("gemma-ge", "electron"),
    ("xenon-pp", "electron"),
    ("gemma-ge", "nucleus"),
    ("coherent-csi", "nucleus"),
    ("xenon-8b", "nucleus"),
]
Q_CHANGES = [dict(q_sign=1, q=1e-12), dict(q_sign=-1, q=3e-13), dict(q_sign=1, q=2e-14, r2=3.0)]


def neutrino(s, **over):
    kw = dict(mu=s.mu_eff, q=s.q_eff, r2=s.r2 * 1e-32 * cm2)
    kw.update(over)
    return Neutrino(s.flavour, anti=s.anti, **kw)


def direct(channel, s, T_kev, nu):
    """dσ/dT at one T by a scalar call of the public physics (SM, EM)."""
    if channel == "electron":
        x = electron.dsigma_dT(T_kev * keV, s.E * MeV, nu, target(s.target), binding=s.binding,
                               sin2w=s.sin2w)  # fmt: skip
    else:
        x = nucleus.dsigma_dT(T_kev * keV, s.E * MeV, nu, target(s.target),
                              form_factor=s.form_factor, sin2w=s.sin2w)  # fmt: skip
    return x.sm, x.em


# -- (1) the crossover line where the panel's readout puts it ---------------------------------
# The map searches each row on the readout's own 257-point grid from I₁ (stepping) or 10⁻¹⁶ T_max
# and refines the current row as the readout does (two rounds of 129 points, then interpolation
# in log–log), so the two agree to the readout's own accuracy (1e-9 relative): the only
# difference is the rounding of the map's route (EM from a few coefficients, not one call).
@pytest.mark.parametrize("preset, channel", CASES)
def test_current_row_crossover_is_the_readout_mu(preset, channel):
    s = state_of(preset)
    ref = compute_view(channel, s).physics.crossover
    d = compute_map(channel, s, "mu", n=N)
    assert ref.kind == "edge"
    assert d.current == s.mu
    np.testing.assert_allclose(d.current_cross, ref.value, rtol=1e-9, atol=0)


@pytest.mark.parametrize("preset, channel", CASES)
@pytest.mark.parametrize("changes", Q_CHANGES)
def test_current_row_crossover_is_the_readout_q(preset, channel, changes):
    s = state_of(preset, **changes)
    ref = compute_view(channel, s).physics.crossover
    d = compute_map(channel, s, "q", n=N)
    assert d.current == s.q
    if ref.kind == "edge":
        np.testing.assert_allclose(d.current_cross, ref.value, rtol=1e-9, atol=0)
    else:
        assert ref.kind == "all"
        assert d.current_cross == pytest.approx(d.t_top, rel=1e-12, abs=0)


def test_no_region_reads_zero_as_the_readout():
    # μν = 10⁻¹³ μB: the free-electron edge lies below Ge's I₁ = 7.9 eV, so the readout says
    # "nowhere" (0); so does the map's current row
    s = state_of("gemma-ge", mu=1e-13)
    assert compute_view("electron", s).physics.crossover.kind == "none"
    assert compute_map("electron", s, "mu", n=N).current_cross == 0.0


@pytest.mark.parametrize("preset, channel", CASES)
@pytest.mark.parametrize("axis", ["mu", "q"])
def test_every_row_of_the_line_is_the_physics_crossover(preset, channel, axis):
    # Other rows get a cheaper refinement (one 5-point round, then interpolation): within
    # 1e-3 relative of the physics' crossover for that row's μν or |qν| — far below the map's
    # T step (5 decades in 199 steps: 6 %) and below a pixel (≈ 3 %). Rows whose crossover lies
    # outside the drawn T range are only interpolated on the 257-point search grid: 2 %.
    s = state_of(preset, q_sign=-1, q=1e-12)
    d = compute_map(channel, s, axis, n=N)
    fn = electron.crossover if channel == "electron" else nucleus.crossover
    kw = (
        dict(target=target(s.target), binding=s.binding, sin2w=s.sin2w)
        if channel == "electron"
        else dict(target=target(s.target), form_factor=s.form_factor, sin2w=s.sin2w)
    )
    for i in range(0, N, 7):
        y = d.y[i]
        nu = neutrino(s, mu=y) if axis == "mu" else neutrino(s, q=-y)
        ref = fn(s.E * MeV, nu, **kw) / keV
        if ref == 0.0:
            assert d.cross[i] == 0.0
        else:
            drawn = d.T[0] <= ref <= d.T[-1]
            np.testing.assert_allclose(d.cross[i], ref, rtol=1e-3 if drawn else 2e-2, atol=0)


# -- (2) cells against scalar calls -------------------------------------------------------------
@pytest.mark.parametrize("preset, channel", CASES)
@pytest.mark.parametrize("axis", ["mu", "q"])
def test_cells_equal_scalar_physics(preset, channel, axis):
    s = state_of(preset, q_sign=1, q=1e-12, r2=2.0)
    d = compute_map(channel, s, axis, n=N)
    checked = 0
    for i, j in [(0, 5), (7, 20), (N // 2, N // 2), (N - 1, 3), (45, 40), (20, 50), (N - 5, 30)]:
        y, T = d.y[i], d.T[j]
        nu = neutrino(s, mu=y) if axis == "mu" else neutrino(s, q=y)
        sm, em = direct(channel, s, T, nu)
        if sm == 0.0:
            assert math.isnan(d.ratio[i, j])
            continue
        # μν map: EM = EM(μ=0) + μ² M with M from one reference call, rounding only (1e-12).
        # |qν| map: c₀ + c₁ qν + c₂ qν² with c₁, c₂ from qν = ±10⁻¹³; the rounding of the
        # differences grows with the size of the shift at q_ref, hence 1e-7 relative to SM
        tol = 1e-12 if axis == "mu" else 1e-7
        assert abs(d.ratio[i, j] - abs(em) / sm) <= tol * max(1.0, abs(em) / sm)
        checked += 1
    assert checked >= 4


# -- (3) pure magnetic moment: the ratio scales as μ² ------------------------------------------
def test_ratio_scales_as_mu_squared_and_matches_eqs_6_and_8():
    s = state_of("gemma-ge", binding="free")  # qν = ⟨r²⟩ = 0
    d = compute_map("electron", s, "mu", n=N)
    ok = np.isfinite(d.ratio[0])
    # EM = μ² × eq. 8 when qν = ⟨r²⟩ = 0: each column is ratio[0] · (y/y₀)²
    expect = d.ratio[0][None, ok] * (d.y[:, None] / d.y[0]) ** 2
    np.testing.assert_allclose(d.ratio[:, ok], expect, rtol=1e-12, atol=0)
    # eq. 8 over eq. 6 written out (CODATA via scipy; the ratio is dimensionless, no ħc):
    # πα²/mₑ² (1/T − 1/E) μ² / [G_F² mₑ/(2π) ((g_V+g_A)² + (g_V−g_A)²(1−T/E)² + (g_A²−g_V²) mₑT/E²)]
    alpha = sc.fine_structure
    gf = sc.physical_constants["Fermi coupling constant"][0] * 1e-6  # MeV⁻²
    me = sc.physical_constants["electron mass energy equivalent in MeV"][0]
    gv, ga = 2 * s.sin2w + 0.5, -0.5  # ν̄ₑ (eq. 7, g_A → −g_A)
    E = s.E
    j = int(np.flatnonzero(ok)[len(np.flatnonzero(ok)) // 2])
    T = d.T[j] / 1e3  # MeV
    i = N // 2
    mu = d.y[i]
    mag = math.pi * alpha**2 / me**2 * (1 / T - 1 / E) * mu**2
    bracket = (gv + ga) ** 2 + (gv - ga) ** 2 * (1 - T / E) ** 2 + (ga**2 - gv**2) * me * T / E**2
    weak = gf**2 * me / (2 * math.pi) * bracket
    assert d.ratio[i, j] == pytest.approx(mag / weak, rel=1e-8, abs=0)


# -- (4) masked where nothing is detected ----------------------------------------------------
def test_masked_below_first_level_and_beyond_tmax_never_negative():
    # fixed T axis from 10⁻⁴ keV: Ge's I₁ = 7.9 eV and T_max = 796.5 keV at 1 MeV both inside
    s = ExplorerState(axes="fixed", Te_min=1e-4, Te_max=1e4, E=1.0, q_sign=-1, q=1e-12)
    for axis in ("mu", "q"):
        d = compute_map("electron", s, axis, n=N)
        below = d.T < 7.899435e-3 * (1 - 1e-9)  # keV (Ge 4p, = NIST I₁)
        beyond = d.T > 796.496
        assert below.any() and beyond.any()
        assert np.isnan(d.ratio[:, below | beyond]).all()
        inside = d.ratio[:, ~(below | beyond)]
        assert np.isfinite(inside).all() and (inside >= 0).all()
    s.update(binding="free")
    d = compute_map("electron", s, "mu", n=N)
    assert np.isfinite(d.ratio[:, d.T < 7.8e-3]).all()


def test_masked_beyond_tmax_cevns_and_hydrogen_refused():
    s = ExplorerState(target="Xe", E=10.0, axes="fixed", TN_min=1e-3, TN_max=100.0)
    d = compute_map("nucleus", s, "q", n=N)
    beyond = d.T > d.tmax  # T_max of the lightest isotope, Xe124
    assert beyond.any()
    assert np.isnan(d.ratio[:, beyond]).all()
    assert np.isfinite(d.ratio[:, ~beyond]).all() and (d.ratio[:, ~beyond] >= 0).all()
    h = compute_map("nucleus", ExplorerState(target="H"), "mu", n=N)
    assert np.isnan(h.ratio).all() and "proton" in h.notice


# -- (5) the eq. 9 / eq. 16 scale ----------------------------------------------------------------
@pytest.mark.parametrize("preset, channel", CASES)
def test_scale_line_is_the_estimate_of_each_row(preset, channel):
    s = state_of(preset)
    d = compute_map(channel, s, "mu", n=N)
    for i in range(0, N, 11):
        nu = Neutrino(mu=d.y[i])
        if channel == "electron":
            ref = electron.crossover_estimate(nu)
        else:
            ref = nucleus.crossover_estimate(nu, target(s.target), sin2w=s.sin2w)
        np.testing.assert_allclose(d.scale[i], ref / keV, rtol=1e-12, atol=0)
    q = compute_map(channel, s, "q", n=N)  # a μν scale: the current μν's, on every row
    np.testing.assert_allclose(q.scale, compute_view(channel, s).physics.estimate, rtol=1e-12)


def test_axes_limits_and_current_value():
    s = state_of("gemma-ge")
    d = compute_map("electron", s, "mu", n=N, mark_T=3.0)
    assert (d.y[0], d.y[-1]) == pytest.approx(REGISTRY["mu"].bounds, rel=1e-12, abs=0)
    assert d.mark == (3.0, s.mu)
    assert ("GEMMA", 2.9e-11) in d.limits
    q = compute_map("electron", s, "q", n=N)
    assert (q.y[0], q.y[-1]) == pytest.approx(REGISTRY["q"].bounds, rel=1e-12, abs=0)
    assert q.limits == () and q.current is None  # qν is off: the live plot is not on this map
    s.update(mu_on=False)
    assert compute_map("electron", s, "mu", n=N).current is None
    with pytest.raises(ValueError, match="axis"):
        compute_map("electron", s, "r2")
    with pytest.raises(ValueError, match="channel"):
        compute_map("rates", s, "mu")


# -- (6) the figure --------------------------------------------------------------------------
def _pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


@pytest.mark.parametrize("channel", ["electron", "nucleus"])
@pytest.mark.parametrize("axis", ["mu", "q"])
def test_figure_renders_and_changes_with_data(channel, axis):
    fig = MapFigure(channel, axis)
    s = state_of("gemma-ge", q_sign=1, q=1e-12)
    fig.update(compute_map(channel, s, axis, n=N))
    first = _pixels(fig.render())
    w, h = FIGSIZE
    assert first.shape == (round(h * DPI), round(w * DPI), 3)
    s.update(mu=1e-9, q=1e-11)  # the current row and (q map) the image move, T range kept
    fig.update(compute_map(channel, s, axis, n=N, mark_T=1e-2))
    second = _pixels(fig.render())
    assert (second != first).any(axis=2).sum() > 100
    # the blitted frame gives the pixels of a full draw
    assert np.array_equal(second, _pixels(render_png(fig.figure)))
    s.update(target="Xe", E=10.0)  # new T range and title: the frame is drawn again
    fig.update(compute_map(channel, s, axis, n=N))
    assert np.array_equal(_pixels(fig.render()), _pixels(render_png(fig.figure)))


def test_figure_refuses_other_data():
    fig = MapFigure("electron", "mu")
    with pytest.raises(ValueError, match="electron/mu"):
        fig.update(compute_map("nucleus", ExplorerState(), "mu", n=N))


def test_export_at_slide_resolution_then_back():
    fig = MapFigure("nucleus", "mu")
    s = state_of("coherent-csi")
    d = compute_map("nucleus", s, "mu", n=N)
    fig.update(d)
    fig.render()
    big = _pixels(export_png(fig.figure, "caption"))
    assert big.shape[1:] == (round(FIGSIZE[0] * EXPORT_DPI), 3)  # under a caption strip
    assert round(FIGSIZE[1] * EXPORT_DPI) < big.shape[0] < 1.2 * FIGSIZE[1] * EXPORT_DPI
    fig.forget_frame()
    assert np.array_equal(_pixels(fig.render()), _pixels(render_png(fig.figure)))


def test_alt_text_names_the_view_and_the_crossover():
    s = state_of("gemma-ge")
    d = compute_map("electron", s, "mu", n=N)
    ref = compute_view("electron", s).physics.crossover.value
    assert d.title in d.alt and f"below {energy(ref)}" in d.alt
    s.update(mu_on=False)
    assert compute_map("electron", s, "mu", n=N).alt.endswith("μν is switched off.")


def test_moving_the_maps_own_slider_reuses_the_map():
    # μν on the μν map moves only the current row: the map is reused, the row is searched anew
    s = state_of("gemma-ge")
    d1 = compute_map("electron", s, "mu", n=N)
    s.update(mu=1e-10)
    d2 = compute_map("electron", s, "mu", n=N)
    assert d2.ratio is d1.ratio and d2.cross is d1.cross
    ref = compute_view("electron", s).physics.crossover.value
    np.testing.assert_allclose(d2.current_cross, ref, rtol=1e-9, atol=0)
    s.update(q_sign=1, q=1e-12)  # another parameter: a new map
    d3 = compute_map("electron", s, "mu", n=N)
    assert d3.ratio is not d1.ratio and not np.array_equal(d3.ratio, d1.ratio, equal_nan=True)
    with pytest.raises(ValueError):
        d3.ratio[0, 0] = 1.0  # shared between maps: read-only


def _drawn_texts(fig):
    """Every text a full draw of ``fig`` shows (tick labels only of the ticks in view; the
    names of the limits, drawn as stamps)."""
    figure = fig.figure
    ticks, shown = set(), []
    for axis in (fig.ax.xaxis, fig.ax.yaxis, fig.cax.yaxis):
        lo, hi = sorted(axis.get_view_interval())
        locs = axis.get_majorticklocs()
        for tick in axis.get_major_ticks(len(locs)):
            ticks.update((id(tick.label1), id(tick.label2)))
            if lo - 1e-9 <= tick.get_loc() <= hi + 1e-9:
                shown += [t for t in (tick.label1, tick.label2) if t.get_visible()]
    for t in figure.findobj(Text):
        if id(t) not in ticks and t.get_visible() and t.get_text():
            shown.append(t)
    return shown + fig.limit_names


@pytest.mark.parametrize("preset", ["gemma-ge", "coherent-csi", "xenon-pp"])
def test_every_text_inside_the_canvas_and_none_overlapping(preset):
    for channel in ("electron", "nucleus"):
        for axis in ("mu", "q"):
            fig = MapFigure(channel, axis)
            fig.update(compute_map(channel, state_of(preset), axis, n=N))
            render_png(fig.figure)  # a full draw: every artist in place
            renderer = fig.figure.canvas.get_renderer()
            width, height = fig.figure.bbox.width, fig.figure.bbox.height
            texts = _drawn_texts(fig)
            assert len(texts) > 25  # ticks, labels, title, held, legend, colour bar (, limits)
            if axis == "mu":
                assert len(fig.limit_names) >= 3  # the five limits, near-equal ones together
            boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
            for text, b in boxes:
                where = f"{channel}/{axis}: {text!r} at {b.extents}"
                assert b.x0 >= 0 and b.y0 >= 0, where
                assert b.x1 <= width and b.y1 <= height, where
            for i, (ta, a) in enumerate(boxes):
                for tb, b in boxes[i + 1 :]:
                    overlap = min(a.x1, b.x1) - max(a.x0, b.x0), min(a.y1, b.y1) - max(a.y0, b.y0)
                    assert min(overlap) <= 0, f"{channel}/{axis}: {ta!r} overlaps {tb!r}"


def test_text_sizes_from_the_house_style():
    fig = MapFigure("electron", "mu")
    fig.update(compute_map("electron", state_of("gemma-ge"), "mu", n=N))
    render_png(fig.figure)
    sizes = {t.get_fontsize() for t in _drawn_texts(fig)}
    assert min(sizes) >= MIN_FONT and sizes <= set(FONT.values())


@pytest.mark.parametrize("axis", ["mu", "q"])
def test_set_scale_renders_larger_and_blits_as_a_full_draw(axis):
    fig = MapFigure("electron", axis)
    s = state_of("gemma-ge", q_sign=1, q=1e-12)
    fig.update(compute_map("electron", s, axis, n=N))
    first = _pixels(fig.render())
    fig.set_scale(1.5)
    big = _pixels(fig.render())
    assert big.shape == (round(first.shape[0] * 1.5), round(first.shape[1] * 1.5), 3)
    assert np.array_equal(big, _pixels(render_png(fig.figure)))
    for mu in (1e-10, 2.9e-11, 1e-10):  # a new held text, then the kept strips again
        s.update(mu=mu)
        fig.update(compute_map("electron", s, axis, n=N))
        assert np.array_equal(_pixels(fig.render()), _pixels(render_png(fig.figure)))
    fig.set_scale(1.0)
    assert _pixels(fig.render()).shape == first.shape
