"""The persistent figures: blitted renders equal full draws, and the y axis keeps its decades."""

import io

import numpy as np
import pytest
from PIL import Image

from explorer.app.render.figures import PanelFigure, render_png
from explorer.app.render.style import DPI, FIGSIZE
from explorer.app.state.presets import EXPERIMENTS
from explorer.app.state.traits import ExplorerState
from explorer.app.view.compute import compute_view


def _pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def _count_full_draws(monkeypatch) -> list:
    """A list that gets an entry at every full draw of any figure from now on."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    draws = []
    original = FigureCanvasAgg.draw
    monkeypatch.setattr(FigureCanvasAgg, "draw", lambda self: (draws.append(1), original(self)))
    return draws


@pytest.mark.parametrize("channel", ["electron", "nucleus"])
@pytest.mark.parametrize(
    "changes",
    [
        {"mu": 1e-10},  # moving curves only: blitted over the cached layer
        {"E": 3.0, "q_sign": 1, "r2": -4.0},  # EM < 0 parts, new T_max
        {"target": "Xe", "binding": "free"},  # new title and edges: static layer redrawn
        {"Te_min": 50.0, "TN_min": 5.0},  # nothing in range for CEvNS at 1 MeV: the message
    ],
)
def test_blitted_render_equals_full_draw(channel, changes):
    fig = PanelFigure(channel)
    s = ExplorerState()
    fig.update(compute_view(channel, s))
    fig.render()
    s.update(**changes)
    fig.update(compute_view(channel, s))
    blit = _pixels(fig.render())
    full = _pixels(render_png(fig.figure))
    assert blit.shape == (round(FIGSIZE[1] * DPI), round(FIGSIZE[0] * DPI), 3)
    assert np.array_equal(blit, full)


@pytest.mark.parametrize("channel", ["electron", "nucleus"])
def test_a_new_y_range_pastes_the_legend_and_gives_the_pixels_of_a_full_draw(channel, monkeypatch):
    """μν 3·10⁻¹¹ → 10⁻¹⁰ μB moves the dσ/dT axis (the static layer is drawn again) and leaves the
    legend as it was: its entries are pasted as they were drawn last, and the frame is still a
    full draw's."""
    from explorer.app.render.legend import EntryLegend

    fig = PanelFigure(channel)
    s = ExplorerState()
    s.update(mu=3e-11)
    fig.update(compute_view(channel, s))
    fig.render()
    ylim, keys = fig.ax.get_ylim(), fig.legend.keys
    drawn = []
    original = EntryLegend._draw_entry
    monkeypatch.setattr(
        EntryLegend,
        "_draw_entry",
        lambda self, r, cell: (drawn.append(cell.key), original(self, r, cell)),
    )
    s.update(mu=1e-10)
    fig.update(compute_view(channel, s))
    blit = _pixels(fig.render())
    assert fig.ax.get_ylim() != ylim and fig.legend.keys == keys  # the case of this test
    assert drawn == []  # pasted, not drawn
    assert np.array_equal(blit, _pixels(render_png(fig.figure)))
    assert drawn  # (the full draw for the comparison did draw it)


def test_y_range_keeps_its_decades_while_curves_stay_in_view():
    fig = PanelFigure("electron")
    s = ExplorerState()
    fig.update(compute_view("electron", s))
    before = fig.ax.get_ylim()
    s.mu = 2.5e-11
    fig.update(compute_view("electron", s))
    assert fig.ax.get_ylim() == before
    s.mu = 1e-8  # EM grows by 10⁵: the axis follows
    v = compute_view("electron", s)
    fig.update(v)
    assert fig.ax.get_ylim()[1] >= v.curves.total.max()


def test_empty_range_shows_a_message():
    fig = PanelFigure("nucleus")
    s = ExplorerState()
    s.update(axes="fixed", TN_min=5.0, TN_max=100.0)  # T_max(1 MeV, Ge) ≈ 30 eV
    fig.update(compute_view("nucleus", s))
    assert fig.message.get_visible() and "no recoils" in fig.message.get_text()


def test_off_scale_markers_are_named_at_the_edge_and_the_legend_lists_what_is_drawn():
    """COHERENT-like CsI with the CEvNS axis fixed at 1–100 keV: the crossover (0.213 eV, the
    same as eq. 16's scale at T ≪ Tmax) lies below the axis. It is named at the left edge with
    its value, and the legend drops the crossover, shading and eq. 16 entries it cannot show."""
    s = ExplorerState()
    s.update(**EXPERIMENTS["coherent-csi"].values)
    s.update(axes="fixed", TN_min=1.0, TN_max=100.0)
    fig = PanelFigure("nucleus")
    fig.update(compute_view("nucleus", s))
    left = fig.off_left.get_text()
    assert "◀ crossover 0.213 eV" in left and "eq. 16 scale" in left
    assert fig.off_right.get_text() == ""
    labels = fig.legend.legend.labels
    assert "crossover" not in labels and "|EM| ≥ SM" not in labels
    assert {"SM (weak)", "total", "Tmax", "threshold"} <= set(labels)
    # in fit axes everything is in range again
    s.axes = "fit"
    fig.update(compute_view("nucleus", s))
    assert fig.off_left.get_text() == "" and "crossover" in fig.legend.legend.labels


def test_a_new_legend_below_the_axes_redraws_only_the_legend(monkeypatch):
    """The CEvNS threshold moved past the T axis (Ge at 1 MeV: 0.01 → 0.5 keV) takes "threshold"
    out of the legend and changes nothing else of the static layer: the render draws no full
    frame (the legend is drawn on the layer's blank strip) and gives the pixels of a full draw."""
    fig = PanelFigure("nucleus")
    s = ExplorerState(thr_n=0.01)
    fig.update(compute_view("nucleus", s))
    fig.render()
    key, entries = fig.frame_key(), fig.legend.keys
    s.update(thr_n=0.5)
    fig.update(compute_view("nucleus", s))
    assert fig.frame_key() == key and fig.legend.keys != entries  # the case of this test
    assert "threshold" in dict(entries) and "threshold" not in dict(fig.legend.keys)
    draws = _count_full_draws(monkeypatch)
    blit = _pixels(fig.render())
    assert draws == []
    assert np.array_equal(blit, _pixels(render_png(fig.figure)))


def test_threshold_above_the_axis_is_named_at_the_right_edge():
    s = ExplorerState(thr_n=0.5)  # Ge at 1 MeV: Tmax ≈ 30 eV, the axis ends at 1.5 Tmax
    fig = PanelFigure("nucleus")
    fig.update(compute_view("nucleus", s))
    assert fig.off_right.get_text() == "threshold 500 eV ▶"


def _deuteranope(hex_colour):
    """sRGB colour as a deuteranope sees it (Machado, Oliveira & Fernandes, IEEE TVCG 15, 1291
    (2009), severity 1.0 matrix, applied in linear RGB), returned in linear RGB."""
    rgb = np.array([int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    m = np.array(
        [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
         [-0.011820, 0.042940, 0.968881]]
    )  # fmt: skip
    return np.clip(m @ lin, 0, 1)


def test_curve_colours_stay_apart_for_deuteranopes_and_styles_differ():
    """SM, EM, threshold and edge colours stay distinguishable under simulated deuteranopia
    (linear-RGB distance > 0.15 for every pair), and SM, |EM| and total differ in line style or
    width, so they are told apart without colour at all."""
    from itertools import combinations

    from explorer.app.render.style import COLORS, STYLES

    keys = ("sm", "em", "threshold", "edge", "total")
    for a, b in combinations(keys, 2):
        d = np.linalg.norm(_deuteranope(COLORS[a]) - _deuteranope(COLORS[b]))
        assert d > 0.15, (a, b, d)
    styles = {k: (str(v["ls"]), v["lw"]) for k, v in STYLES.items()}
    assert len(set(styles.values())) == len(styles)


@pytest.mark.parametrize("channel", ["electron", "nucleus"])
def test_an_axis_moved_by_whole_decades_redraws_only_its_labels(channel, monkeypatch):
    """Fixed axes (8 decades), μν 6.4·10⁻¹⁰ → 1.28·10⁻⁹ μB on Xe: the dσ/dT axis moves up by
    whole decades and nothing else of the static layer changes. The render draws no full frame
    (the grid stays where it was; the labels are drawn on the layer's blank strip) and gives the
    pixels of a full draw — the new numbers included."""
    fig = PanelFigure(channel)
    s = ExplorerState()
    s.update(target="Xe", axes="fixed", mu=6.4e-10)
    fig.update(compute_view(channel, s))
    fig.render()
    ylim, key, labels = fig.ax.get_ylim(), fig.frame_key(), fig.y_labels.key()[1]
    s.update(mu=1.28e-9)
    fig.update(compute_view(channel, s))
    assert fig.ax.get_ylim() != ylim and fig.frame_key() == key  # the case of this test
    assert fig.y_labels.key()[1] != labels
    draws = _count_full_draws(monkeypatch)
    texts = fig.y_labels.texts
    drawn, draw_text = [], texts._text.draw
    texts._text.draw = lambda r: (drawn.append(texts._text.get_text()), draw_text(r))
    blit = _pixels(fig.render())
    del texts._text.draw
    assert draws == []
    # the labels of both ranges are pasted at their new places; drawn: the new ones, and the
    # lowest, whose box touches the T axis's first label (not blank: never pasted there)
    now = fig.y_labels.key()[1]
    assert sorted(drawn) == sorted((set(now) - set(labels)) | {now[0]})
    assert len(drawn) < len(now) / 2
    assert np.array_equal(blit, _pixels(render_png(fig.figure)))
    assert draws  # (the full draw for the comparison)


def test_a_legend_too_tall_for_its_strip_redraws_the_whole_frame(monkeypatch):
    """Were a legend to reach above its strip (a band moved down to 40 px here; no real legend
    does), its changes are part of the static layer's key: the frame is drawn in full."""
    from explorer.app.render import labels

    monkeypatch.setattr(labels, "band", lambda ax: 40.0)
    fig = PanelFigure("nucleus")
    s = ExplorerState(thr_n=0.01)
    fig.update(compute_view("nucleus", s))
    fig.render()
    key = fig.frame_key()
    s.update(thr_n=0.5)
    fig.update(compute_view("nucleus", s))
    assert not fig.legend.fits and fig.frame_key() != key
    draws = _count_full_draws(monkeypatch)
    blit = _pixels(fig.render())
    assert draws == [1]
    assert np.array_equal(blit, _pixels(render_png(fig.figure)))


@pytest.mark.parametrize("channel", ["electron", "nucleus"])
def test_a_new_span_of_decades_redraws_only_the_grid_and_labels(channel, monkeypatch):
    """Fit axes on Ge, μν doubled until the dσ/dT axis spans another number of decades (every
    decade moves on screen): the render draws no full frame — the grid lines and tick marks are
    drawn again on the axes' blank strip, the labels on theirs — and gives the pixels of a full
    draw."""
    fig = PanelFigure(channel)
    s = ExplorerState(target="Ge", mu=3.2e-11)
    fig.update(compute_view(channel, s))
    fig.render()
    key, grid = fig.frame_key(), fig.y_grid.key()
    for _ in range(8):
        s.update(mu=2 * s.mu)
        fig.update(compute_view(channel, s))
        if fig.y_grid.key() != grid:
            break
        fig.render()
    assert fig.y_grid.key() != grid and fig.frame_key() == key  # the case of this test
    draws = _count_full_draws(monkeypatch)
    blit = _pixels(fig.render())
    assert draws == []
    assert np.array_equal(blit, _pixels(render_png(fig.figure)))
    assert draws  # (the full draw for the comparison)
