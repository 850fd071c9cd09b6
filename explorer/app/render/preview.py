"""Pictures of a view before its kernel is ready: the first plots of a link, drawn by the server.

A page's kernel can take seconds to start (a cold kernel, a class opening the link together);
the page's server (:mod:`explorer.serving`) shows these pictures in place of the plots meanwhile.
They are the dashboard's own first plots, by the dashboard's own code:

* the state: :func:`~explorer.app.state.urlstate.set_from_query`, the dashboard's reading of its link (clamping,
  presets, pins; the notes are the same, the page shows them once live);
* the panels shown: :data:`~explorer.app.declare.channels.SHOWN` for the state's ``channel``,
  those whose record asks for a preview (the dσ/dT panels; the rates panel waits for its kernel);
* the view model: :func:`~explorer.app.view.compute.compute_view`, the one state → view path
  (without the maps); the figure: the record's, drawn once for the link's view (a link's first
  view does not depend on what a figure showed before), rendered at scale 1 (before the page
  reports its pixel ratio).

>>> p = plan("target=Xe&channel=electron&E=1e9")
>>> sorted(p.views), p.notes
(['electron'], ('E=1e9 is outside 0.01…100 MeV; using 100.',))
>>> render("electron", p.views["electron"])[:8]
b'\\x89PNG\\r\\n\\x1a\\n'
"""

from __future__ import annotations

from dataclasses import dataclass

from explorer.app.declare.channels import CHANNELS, SHOWN, resolve
from explorer.app.render.style import DPI, FIGSIZE
from explorer.app.state.traits import ExplorerState
from explorer.app.state.urlstate import set_from_query
from explorer.app.view.compute import compute_view
from explorer.app.view.model import PanelView

#: Width and height in px of a preview, as of the live plot before the page reports its pixel
#: ratio (the size of render.style at scale 1).
SIZE = (round(FIGSIZE[0] * DPI), round(FIGSIZE[1] * DPI))
#: The panels that have previews (their record's ``preview``), in page order.
PREVIEWED = tuple(name for name, ch in CHANNELS.items() if ch.preview)


@dataclass(frozen=True)
class Plan:
    """What a link's page shows first: its normalised state, the views of its shown panels."""

    key: tuple  # the state as sorted (name, value) pairs: equal for links that show the same
    views: dict  # channel → view model, for the shown channels of PREVIEWED, in page order
    notes: tuple  # the dashboard's notes about the link (clamped or ignored values)


def plan(query: str | None) -> Plan:
    """The state and the views of a page's link ``query`` (its query string)."""
    state = ExplorerState()
    notes = set_from_query(state, query or "")
    views = {c: compute_view(c, state, maps=False) for c in SHOWN[state.channel] if c in PREVIEWED}
    return Plan(tuple(sorted(state.as_dict().items())), views, tuple(notes))


def render(channel: str, view: PanelView) -> bytes:
    """The PNG the dashboard's panel ``channel`` shows first for ``view`` (same size and pixels).

    A new figure per call (figures are not thread-safe; the full draw is most of the cost).
    """
    fig = resolve(CHANNELS[channel].figure)(CHANNELS[channel])
    fig.update(view)
    return fig.render()


def alt_text(channel: str, view: PanelView) -> str:
    """The preview's alt text: the live plot's (its view's), marked as a preview.

    >>> alt_text("nucleus", plan("target=Ge").views["nucleus"])[:40]
    'Preview (the live plot follows): CEvNS o'
    """
    return f"Preview (the live plot follows): {view.alt_text or view.physics.title}"


__all__ = ["PREVIEWED", "SIZE", "Plan", "alt_text", "plan", "render"]
