"""The dashboard: state + controls + two channel panels + readouts, with one observer.

>>> dash = build_dashboard(query="target=Xe&mu=3e-11&E=1&channel=electron")
>>> dash.state.target, dash.state.channel, dash.recomputes
('Xe', 'electron', 1)
>>> dash.state.mu = 1e-10          # one trait: one recompute, only the visible panel redraws
>>> dash.recomputes, dash.panels["electron"].draws, dash.panels["nucleus"].draws
(2, 2, 0)
"""

from __future__ import annotations

import html
import os
import traceback

import ipywidgets as widgets

from .compute import COMPUTE, DEPENDS, dirac_moment
from .controls import Controls
from . import dom
from .export import curves_csv, data_link
from .figures import render_png
from .fmt import sci
from .panels import ChannelPanel
from .presets import EXPERIMENTS, LIMITS, apply_experiment
from .state import ExplorerState
from .urlstate import parse_query, to_query

#: Readouts that depend only on these parameters (the rest of the page does not).
_GLOBAL_DEPS = frozenset({"mu", "mu_on", "m_nu"})

_CSS = """
<style>
.nac-notice {background:#fff4e5;border-left:4px solid #e69500;padding:4px 8px;margin:4px 0}
.nac-error {background:#fdecea;border-left:4px solid #c0392b;padding:4px 8px;margin:4px 0}
.nac-panel img {max-width:100%;height:auto}
</style>
"""


class Dashboard(widgets.VBox):
    """The whole explorer. ``state`` is the model; change it (or a widget) and the page follows.

    Attributes useful in tests: ``panels`` (channel → :class:`ChannelPanel`), ``controls``
    (:class:`Controls`), ``recomputes`` (number of refreshes), ``notice`` and ``error`` (HTML),
    ``link`` (HTML) and ``link_text`` (the query string).
    """

    def __init__(self, state: ExplorerState | None = None, query: str | None = None):
        self.state = state = state or ExplorerState()
        self.recomputes = 0
        self._stale = {"electron", "nucleus"}
        self.panels = {name: ChannelPanel(name) for name in ("electron", "nucleus")}
        self.controls = Controls(state)
        self.notice = widgets.HTML(layout=widgets.Layout(display="none"))
        self.error = widgets.HTML(layout=widgets.Layout(display="none"))
        self.global_readout = widgets.HTML()
        self.link = widgets.HTML()
        self.link_text = widgets.Text(
            description="Link to this view",
            disabled=False,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="98%"),
        )
        self.export_button = widgets.Button(
            description="Prepare downloads (CSV, PNG)",
            icon="download",
            layout=widgets.Layout(width="auto"),
        )
        self.export_links = widgets.HTML()
        self.export_button.on_click(self._guard(lambda _b: self.prepare_downloads()))
        self.preset_info = widgets.HTML()
        preset_buttons = []
        for key, exp in EXPERIMENTS.items():
            b = widgets.Button(
                description=exp.label, tooltip=exp.description, layout=widgets.Layout(width="auto")
            )
            b.on_click(self._guard(lambda _b, k=key: self.apply_preset(k)))
            preset_buttons.append(b)
        limit_buttons = []
        for lim in LIMITS:
            b = widgets.Button(
                description=f"μν = {sci(lim.value)} ({lim.key})",
                tooltip=f"{lim.label}: {lim.source}",
                layout=widgets.Layout(width="auto"),
            )
            b.on_click(self._guard(lambda _b, v=lim.value: self.state.update(mu_on=True, mu=v)))
            limit_buttons.append(b)
        reset = widgets.Button(
            description="Reset",
            tooltip="all controls to their defaults",
            layout=widgets.Layout(width="auto"),
        )
        reset.on_click(self._guard(lambda _b: self.state.update(**ExplorerState.defaults())))
        wrap = widgets.Layout(flex_flow="row wrap", width="100%")
        header = widgets.HTML(
            _CSS + "<h2 style='margin:0.2em 0'>Neutrino–atom collisions: electromagnetic properties"
            "</h2><div style='color:#555'>How a neutrino magnetic moment μν, millicharge qν and charge "
            "radius ⟨r²⟩ show up in ν–e scattering on atoms and in CEvNS — Kouzakov &amp; "
            "Studenikin, <i>Neutrino-atom collisions</i>, arXiv:1603.02462. Shaded: where the "
            "electromagnetic term |EM| beats the Standard Model term.</div>"
        )
        self.panel_box = widgets.Box(list(self.panels.values()), layout=wrap)
        super().__init__(
            [
                header,
                self.notice,
                self.error,
                widgets.HTML("<b>Experiment set-ups</b> (each sets every control):"),
                widgets.Box([*preset_buttons, reset], layout=wrap),
                self.preset_info,
                # controls above the plots: on a projector or laptop screen the sliders and
                # the curves they move are visible together
                widgets.Box(self.controls.boxes(), layout=wrap),
                self.panel_box,
                widgets.HTML("<b>Magnetic moment: theory and limits</b>"),
                self.global_readout,
                widgets.Box(limit_buttons, layout=wrap),
                self.link_text,
                self.link,
                widgets.Box([self.export_button, self.export_links], layout=wrap),
            ],
            layout=widgets.Layout(width="100%"),
        )
        self.add_class(dom.DASHBOARD)
        self.global_readout.value = self._global_html()
        state.observe(self._on_revision, names="revision")
        self.apply_query(query or "")
        if self.recomputes == 0:
            self.refresh(frozenset(ExplorerState.PARAMS))

    def apply_query(self, query: str | None = None) -> None:
        """Set the state from a link's query string (default: ``QUERY_STRING`` from Voila).

        Unknown or out-of-range values are ignored or clamped, and say so in the notice.
        The dashboard notebook builds the dashboard before the page is requested (Voila's
        pre-heated kernels) and calls this once the request, and so its query string, is known.
        """
        if query is None:
            query = os.environ.get("QUERY_STRING", "")
        notes = []
        if query:
            values, notes = parse_query(query)
            try:
                self.state.update(**values)
            except Exception as exc:  # a combination the validators refuse: keep the defaults
                notes.append(
                    f"The link's values could not be applied ({exc}); showing the defaults."
                )
        self.set_notes(notes)

    # -- the one observer ----------------------------------------------------------------------
    def _on_revision(self, change) -> None:
        self.refresh(self.state.last_changed)

    def refresh(self, changed: frozenset) -> None:
        """Recompute and redraw what ``changed`` affects; show any error on the page."""
        self.recomputes += 1
        try:
            for name in self.panels:
                if changed & DEPENDS[name]:
                    self._stale.add(name)
            ch = self.state.channel
            for name, panel in self.panels.items():
                visible = ch in ("both", name)
                want = "flex" if visible else "none"
                if panel.layout.display != want:
                    panel.layout.display = want
                if visible and name in self._stale:
                    panel.show(COMPUTE[name](self.state), self.state)
                    self._stale.discard(name)
            if changed & _GLOBAL_DEPS:
                self.global_readout.value = self._global_html()
            qs = to_query(self.state.as_dict())
            self.link_text.value = "?" + qs
            self.link.value = (
                f'<a class="{dom.VIEW_LINK}" href="?{html.escape(qs, quote=True)}" target="_top">Open this '
                "view as a link</a> (copy the address, or the query string above)"
            )
            if self.export_links.value:
                self.export_links.value = ""
            self._set_error(None)
        except Exception as exc:  # never silent: the page shows it
            self._set_error(exc)

    # -- actions -----------------------------------------------------------------------------
    def apply_preset(self, key: str) -> None:
        """Set every control to the experiment preset ``key`` (one recompute)."""
        apply_experiment(self.state, key)
        exp = EXPERIMENTS[key]
        self.preset_info.value = f"<i>{html.escape(exp.label)}</i>: {html.escape(exp.description)}"

    def prepare_downloads(self) -> None:
        """Fill ``export_links`` with CSV and PNG download links for the visible panels."""
        shown = [n for n in self.panels if self.state.channel in ("both", n)]
        for name in shown:  # make sure nothing shown is stale
            if name in self._stale:
                self.panels[name].show(COMPUTE[name](self.state), self.state)
                self._stale.discard(name)
        datas = {n: self.panels[n].data for n in shown}
        csv = curves_csv(self.state.as_dict(), datas).encode("utf-8")
        links = [data_link("neutrino_atom_curves.csv", "text/csv", csv, "Curves (CSV)")]
        for n in shown:
            png = render_png(self.panels[n].figure.figure)
            links.append(data_link(f"neutrino_atom_{n}.png", "image/png", png, f"{n} figure (PNG)"))
        self.export_links.value = " · ".join(links)

    def set_notes(self, notes: list) -> None:
        """Show plain-text notes (about the link's parameters) on the page, escaped."""
        if notes:
            items = "".join(f"<li>{html.escape(n)}</li>" for n in notes)
            self.notice.value = (
                f"<div class='nac-notice' role='status'><b>Some link parameters "
                f"were adjusted:</b><ul style='margin:0'>{items}</ul></div>"
            )
            self.notice.layout.display = "block"
        else:
            self.notice.value = ""
            self.notice.layout.display = "none"

    # -- helpers ------------------------------------------------------------------------------
    def _set_error(self, exc: BaseException | None) -> None:
        if exc is None:
            if self.error.value:
                self.error.value = ""
                self.error.layout.display = "none"
            return
        tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        self.error.value = (
            f"<div class='nac-error' role='alert'><b>Could not redraw:</b> "
            f"{html.escape(type(exc).__name__)}: {html.escape(str(exc))}"
            f"<details><summary>Details</summary><pre style='white-space:pre-wrap'>"
            f"{html.escape(tb)}</pre></details></div>"
        )
        self.error.layout.display = "block"

    def _guard(self, fn):
        """Wrap a button callback so that an exception is shown on the page, not lost."""

        def run(*args):
            try:
                fn(*args)
            except Exception as exc:
                self._set_error(exc)

        return run

    def _global_html(self) -> str:
        s = self.state
        m = s.m_nu
        mu_d = dirac_moment(m)
        now = s.mu_eff
        comp = (
            f" — {sci(now / mu_d)} times below the current μν = {sci(now)} μ_B" if now > 0 else ""
        )
        rows = []
        for lim in LIMITS:
            ratio = f"{now / lim.value:.2g}" if now > 0 else "—"
            rows.append(
                f"<tr><td style='padding:1px 8px 1px 0'>{html.escape(lim.label)}</td>"
                f"<td style='padding:1px 8px 1px 0'>{sci(lim.value)} μ_B ({html.escape(lim.note)})</td>"
                f"<td style='padding:1px 8px 1px 0'>μν/limit = {ratio}</td>"
                f"<td style='color:#555'>{html.escape(lim.source)}</td></tr>"
            )
        return (
            f"<div>Eq. 1 (minimally extended SM, Dirac ν): m_ν = {sci(m)} eV gives "
            f"μν = <b>{sci(mu_d)} μ_B</b>{comp}.</div>"
            f"<table style='font-size:0.92em;border-collapse:collapse'>{''.join(rows)}</table>"
        )


def build_dashboard(query: str | None = None, **values) -> Dashboard:
    """Build the dashboard; the page's query string (``QUERY_STRING`` in Voila) sets the state.

    Parameters
    ----------
    query : str, optional
        A query string such as ``"target=Xe&mu=3e-11&E=1&channel=electron"``; by default the
        ``QUERY_STRING`` environment variable that Voila sets for the page's kernel.
    **values
        State parameters applied after the query (e.g. ``channel="electron"`` in a teaching
        notebook).
    """
    if query is None:
        query = os.environ.get("QUERY_STRING", "")
    dash = Dashboard(query=query)
    if values:
        dash.state.update(**values)
    return dash
