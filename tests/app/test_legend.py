"""The panels' own legend (explorer.app.render.legend): its layout, cells that hold their ink,
and entries pasted from earlier draws that give the pixels of a full draw."""

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from explorer.app.declare.channels import channel
from explorer.app.render.legend import EntryLegend
from explorer.app.render.style import DPI, FIGSIZE, FONT, legend_handles

HANDLES = legend_handles(channel("electron"))
LONG = "pin 2: Xe, μν off (= SM) ▲ above the axis"  # a pin's long kind


def _legend(dpi=DPI):
    fig = Figure(figsize=FIGSIZE, dpi=dpi)
    FigureCanvasAgg(fig)
    legend = EntryLegend(fig, HANDLES, FONT["legend"])
    fig.add_artist(legend)
    return fig, legend


def _entries(*keys):
    return tuple((k, LONG if k.startswith("pin") else HANDLES[k].get_label()) for k in keys)


def _ink(rgba) -> np.ndarray:
    return (rgba[..., :3] < 255).any(axis=-1)


def test_entries_fill_columns_first_and_the_block_is_centred():
    """Seven entries in three columns: 3, 2, 2 rows, column by column; rows a pitch apart; the
    block centred on the figure within a pixel."""
    fig, legend = _legend()
    keys = ("sm", "em_pos", "total", "shade", "cross", "estimate", "tmax")
    legend.set_entries(_entries(*keys))
    cells = legend.layout(fig.canvas.get_renderer())
    assert [c.key for c in cells] == list(keys)
    xs = [c.x for c in cells]
    assert xs[0] == xs[1] == xs[2] < xs[3] == xs[4] < xs[5] == xs[6]
    ys = [c.y for c in cells]
    assert ys[0] > ys[1] > ys[2] and ys[3] == ys[0] and ys[5] == ys[0] and ys[4] == ys[1]
    assert ys[0] - ys[1] == ys[1] - ys[2] == round(1.28 * FONT["legend"] * DPI / 72)
    box = legend.get_window_extent()
    assert abs((box.x0 + box.x1) / 2 - fig.bbox.width / 2) <= 1 + FONT["legend"] * DPI / 72


def test_long_labels_take_fewer_columns_within_the_figure():
    """Three pins with long labels would make three columns wider than the figure: the legend
    uses fewer columns, every cell inside the figure."""
    fig, legend = _legend()
    legend.set_entries(_entries("sm", "total", "pin0_above", "pin1_below", "pin2"))
    cells = legend.layout(fig.canvas.get_renderer())
    assert len({c.x for c in cells}) < 3
    assert min(c.box[0] for c in cells) >= 0 and max(c.box[2] for c in cells) <= fig.bbox.width


def test_unknown_entries_are_refused():
    _, legend = _legend()
    with pytest.raises(ValueError, match="legend entries \\['nope'\\]"):
        legend.set_entries((("sm", "SM"), ("nope", "?")))


@pytest.mark.parametrize("dpi", [DPI, 2 * DPI])
@pytest.mark.parametrize(
    "keys", [tuple(HANDLES)[:10], ("sm", "total", "pin0_above", "pin1_below", "pin2")]
)
def test_every_entry_draws_inside_its_own_cell_and_cells_do_not_overlap(dpi, keys):
    """Every handle kind (line, dashes, line with marker, shaded box, pins with ▲ and ▼, long
    labels): drawn alone on a blank figure, no pixel of it lies outside its cell, and it has
    ink. The cells of a full legend do not overlap (what makes pasting an entry safe)."""
    fig, legend = _legend(dpi)
    legend.set_entries(_entries(*keys))
    renderer = fig.canvas.get_renderer()
    cells = legend.layout(renderer)
    height = int(fig.bbox.height)
    assert min(c.box[0] for c in cells) >= 0 and max(c.box[2] for c in cells) <= fig.bbox.width
    for cell in cells:
        fig.canvas.draw()  # blank (the legend is the figure's only artist; drawn over below)
        rgba = np.asarray(fig.canvas.buffer_rgba())
        rgba[...] = 255
        legend._draw_entry(renderer, cell)
        ink = _ink(rgba)
        x0, y0, x1, y1 = cell.box
        inside = np.zeros_like(ink)
        inside[height - y1 : height - y0, x0:x1] = True
        assert ink[inside].sum() > 50, cell.key
        assert not ink[~inside].any(), (cell.key, np.argwhere(ink & ~inside)[:3])
    area = np.zeros((height, int(fig.bbox.width)), int)
    for c in cells:
        area[height - c.box[3] : height - c.box[1], c.box[0] : c.box[2]] += 1
    assert area.max() == 1


def test_a_blit_pastes_entries_at_their_new_cells_with_the_pixels_of_a_full_draw():
    """Entries drawn once are pasted when the legend changes (one removed: the others move to
    other columns and rows): each blit equals a full draw, and the second time round no entry is
    drawn at all."""
    fig, legend = _legend()
    sets = [
        _entries("sm", "em_pos", "total", "shade", "cross", "estimate", "tmax", "threshold"),
        _entries("sm", "em_pos", "total", "cross", "estimate", "tmax", "threshold"),
        _entries("sm", "total", "tmax"),
    ]
    drawn = []
    original = legend._draw_entry
    legend._draw_entry = lambda r, cell: (drawn.append(cell.key), original(r, cell))
    for _ in range(2):
        for entries in sets:
            legend.set_entries(entries)
            legend.set_animated(True)
            fig.canvas.draw()  # the blank figure: the legend is skipped
            legend.blit(fig.canvas)
            blit = np.asarray(fig.canvas.buffer_rgba()).copy()
            legend.set_animated(False)
            fig.canvas.draw()
            assert np.array_equal(blit, np.asarray(fig.canvas.buffer_rgba())), entries
    assert "shade" in drawn  # (drawn: the first blit and every full draw)
    legend.set_entries(sets[0])
    drawn.clear()
    legend.set_animated(True)
    fig.canvas.draw()
    legend.blit(fig.canvas)
    assert drawn == []
