"""The look of the panel figures: sizes, colours, tick labels, the fixed frame, the legend, and
the PNG encoder. :mod:`explorer.app.render.figures` builds the moving artists on top of :func:`new_figure`.

One encoder, :func:`encode_png`, with fixed settings, serves the dashboard, the export and the
benchmark floor.
"""

from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

from explorer.app.declare.fmt import sup

#: Figure size in inches and resolution (648 × 540 px). Text on the plot is at least
#: ``MIN_FONT`` pt, and a pt is ``1/72`` of an inch of the figure, so on screen a pt measures
#: ``displayed width / (72 · FIGSIZE[0])`` CSS pixels: with a 4.8 in wide figure, 10 pt text is
#: 19 px in a 660 px half of a 1366 px projector screen and 10.4 px across a 360 px phone
#: (issue 11: ≥ 18 px and ≥ 10 px). The image is rendered at ``DPI`` × the screen's scale
#: (:func:`set_scale`), so that it is sharp without being scaled up.
FIGSIZE = (4.8, 4.0)
DPI = 135
#: Render scales (× DPI) the screen can ask for (:func:`render_scale`): up to 2 device pixels per
#: image pixel at 1, none scaled up by more than 1.25 below 2.
SCALES = (1.0, 1.25, 1.5, 1.75, 2.0)


def render_scale(report: str) -> float:
    """The render scale for a page's report ``"<devicePixelRatio>:<plot width in CSS px>"``: the
    smallest of SCALES that gives the plot at least 0.8 image pixels per device pixel, at most
    the largest (a projector at ratio 1 keeps 1). ValueError for anything else.

    >>> render_scale("1:683"), render_scale("2:683"), render_scale("3.00:370"), render_scale("1:400")
    (1.0, 1.75, 1.5, 1.0)
    """
    ratio, _, width = report.partition(":")
    r, w = float(ratio), float(width)
    if not (0.5 <= r <= 8 and 50 <= w <= 10000):
        raise ValueError(f"pixel report {report!r}: expected ratio 0.5–8 and width 50–10000 px")
    need = 0.8 * r * w / (FIGSIZE[0] * DPI)
    return next((s for s in SCALES if s >= need), SCALES[-1])


#: Font sizes in pt of every text on the panel figures (none below MIN_FONT).
FONT = {"axis": 11, "tick": 11, "title": 11, "legend": 10, "note": 10, "small": 10}
MIN_FONT = min(FONT.values())
#: PNG encoder settings (zlib level 1: the fastest; the image is sent over a local socket).
PNG_COMPRESS_LEVEL = 1
#: Colours of a live plot's PNG (a palette image). A panel holds ≈ 2 400 distinct colours, nearly
#: all of them anti-aliased edges; 256 chosen by octree keep every flat colour and put an edge
#: pixel within 35/255 of its own (mean 1.2/255, 2026-12-03): the same picture to the eye in
#: 24 kB instead of 85 kB, in less encoder time (6.1 ms instead of 6.6 ms). Exports
#: (:func:`export_png`) keep every colour.
PNG_PALETTE_COLOURS = 256
#: Number of binding-edge labels kept ready (K, L1, M1, N1, O1, P1 …).
N_EDGE_LABELS = 8

#: Colours from the Okabe–Ito palette (M. Okabe and K. Ito, "Color Universal Design", 2008;
#: also B. Wong, Nature Methods 8, 441 (2011)), chosen to stay apart under the common colour-vision
#: deficiencies; black and greys for the rest. Line styles separate SM, EM and total without
#: colour (see STYLES).
COLORS = {
    "sm": "#0072B2",  # blue
    "em": "#D55E00",  # vermillion
    "total": "#000000",
    "cross": "#D55E00",
    "estimate": "#7f7f7f",
    "tmax": "#444444",
    "threshold": "#009E73",  # bluish green
    "edge": "#CC79A7",  # reddish purple
}

#: Pinned reference curves (pin 1, 2, 3): Okabe–Ito orange, sky blue and a grey, drawn wide and
#: faint under the live curves (orange first: a pin under the blue SM line stays visible as a
#: halo; the legend also says when a pin lies on a live curve).
PIN_COLORS = ("#E69F00", "#56B4E9", "#8c8c8c")
PIN_STYLE = dict(ls="-", lw=4.0, alpha=0.45, solid_capstyle="butt")

#: Line styles and widths: SM solid, |EM| dash-dot (dashed where EM < 0), total thin solid.
STYLES = {
    "sm": dict(ls="-", lw=2.0),
    "em_pos": dict(ls=(0, (7, 2, 1.5, 2)), lw=2.0),
    "em_neg": dict(ls="--", lw=2.0),
    "total": dict(ls="-", lw=1.0),
}


def decade_label(x, _pos=None) -> str:
    """Tick label for a power of ten in Unicode (``10⁻⁴³``), cheaper to draw than mathtext.

    >>> decade_label(1e-43), decade_label(1.0), decade_label(10.0)
    ('10⁻⁴³', '1', '10')
    """
    if x <= 0:
        return ""
    e = round(float(np.log10(x)))
    if e == 0:
        return "1"
    if e == 1:
        return "10"
    return "10" + sup(e)


#: Resolution of exported figures (slide quality).
EXPORT_DPI = 200


#: Caption text of exported figures, in pt (the figure's own text is ≥ MIN_FONT).
CAPTION_FONT = 8


def caption_lines(caption: str, width_in: float, fontsize: float = CAPTION_FONT) -> list:
    """``caption`` broken at ", " into lines that fit ``width_in`` inches of ``fontsize`` pt text
    (a character is at most ≈ 0.6 em wide)."""
    per_line = max(20, int(width_in * 72 / (0.6 * fontsize)))
    lines, line = [], ""
    for part in caption.split(", "):
        piece = part if not line else f"{line}, {part}"
        if line and len(piece) > per_line:
            lines.append(line + ",")
            line = part
        else:
            line = piece
    return [*lines, line]


def new_figure(channel):
    """A figure on an Agg canvas with its log–log axes, fixed labels and ticks: ``(fig, ax)``."""
    fig = Figure(figsize=FIGSIZE, dpi=DPI, layout=None)
    FigureCanvasAgg(fig)
    fig.subplots_adjust(left=0.19, right=0.965, top=0.905, bottom=0.32)
    ax = fig.add_subplot()
    # Axis labels and the title are plain texts at fixed places: matplotlib's automatic
    # placement measures every tick label on each draw, which costs more than the curves.
    fig.text(
        0.58,
        0.245,
        f"{channel.recoil} recoil energy T (keV)",
        ha="center",
        va="center",
        fontsize=FONT["axis"],
    )
    fig.text(
        0.012,
        0.635,
        "dσ/dT (cm²/keV per atom)",
        rotation=90,
        ha="left",
        va="center",
        fontsize=FONT["axis"],
    )
    log_axes(ax, numticks=12)
    ax.set_axisbelow(True)  # static layer entirely under the moving artists (zorder ≥ 3)
    return fig, ax


def log_axes(ax, numticks: int = 8) -> None:
    """Log–log axes with a tick at each decade (at most ``numticks``), labelled 10ⁿ, no minor
    ticks, and a light grid: the axes of every figure of the app."""
    ax.set_xscale("log")
    ax.set_yscale("log")
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_locator(LogLocator(base=10.0, numticks=numticks))
        axis.set_minor_locator(NullLocator())
        axis.set_major_formatter(FuncFormatter(decade_label))
    ax.tick_params(labelsize=FONT["tick"])
    ax.grid(True, which="major", alpha=0.25)


def legend_handles(channel) -> dict:
    """Every legend entry of the panel of ``channel`` (its record), key → handle, in legend
    order."""
    est = f"{channel.estimate_eq} scale"
    return {
        "sm": Line2D([], [], color=COLORS["sm"], **STYLES["sm"], label="SM (weak)"),
        "em_pos": Line2D([], [], color=COLORS["em"], **STYLES["em_pos"], label="|EM|, EM > 0"),
        "em_neg": Line2D([], [], color=COLORS["em"], **STYLES["em_neg"], label="|EM|, EM < 0"),
        "total": Line2D([], [], color=COLORS["total"], **STYLES["total"], label="total"),
        "shade": Patch(facecolor=COLORS["em"], alpha=0.15, label="|EM| ≥ SM"),
        "cross": Line2D([], [], color=COLORS["cross"], ls="-.", marker="o", mfc="white",
                        label="crossover"),
        "estimate": Line2D([], [], color=COLORS["estimate"], ls=":", lw=1.2, label=est),
        "tmax": Line2D([], [], color=COLORS["tmax"], ls=(0, (6, 2, 1, 2)), lw=1.2, label="Tmax"),
        "threshold": Line2D([], [], color=COLORS["threshold"], lw=1.2, label="threshold"),
        "edges": Line2D([], [], color=COLORS["edge"], ls=":", lw=0.8, label="binding edges"),
        **{f"pin{i}{key}": Line2D([], [], color=c, **PIN_STYLE, label=f"pin {i + 1}{text}")
           for i, c in enumerate(PIN_COLORS)
           for key, text in (("", ""), ("_above", " ▲ above the axis"),
                             ("_below", " ▼ below the axis"))},
    }  # fmt: skip
