"""The persistent figures: blitted renders equal full draws, and the y axis keeps its decades."""

import io

import numpy as np
import pytest
from PIL import Image

from explorer.app.compute import compute_view
from explorer.app.figures import PanelFigure, render_png
from explorer.app.state import ExplorerState


def _pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


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
    assert blit.shape == (460, 640, 3)
    assert np.array_equal(blit, full)


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
    s.update(TN_min=5.0, TN_max=100.0)  # T_max(1 MeV, Ge) ≈ 30 eV
    fig.update(compute_view("nucleus", s))
    assert fig.message.get_visible() and "no recoils" in fig.message.get_text()
