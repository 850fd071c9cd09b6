"""The controller: one state, the one observer, the stale sets, and the actions.

state → compute (physics, only for panels whose physics inputs changed) → view model → figures
and readouts. A view-only change (threshold, decades) rebuilds the view from the physics already
computed.

>>> dash = build_dashboard(query="target=Xe&mu=3e-11&E=1&channel=electron")
>>> dash.state.target, dash.state.channel, dash.recomputes
('Xe', 'electron', 1)
>>> dash.state.mu = 1e-10          # one trait: one recompute, only the visible panel redraws
>>> dash.recomputes, dash.panels["electron"].draws, dash.panels["nucleus"].draws
(2, 2, 0)
>>> dash.state.thr_e = 5.0         # a view input: redrawn, no physics recomputed
>>> dash.panels["electron"].draws, dash.physics_runs["electron"]
(3, 2)
"""

from __future__ import annotations

import html
import os

import ipywidgets as widgets

from explorer.app.declare import dom
from explorer.app.declare.channels import CHANNELS, SHOWN, resolve
from explorer.app.declare.params import (
    NAMES,
    PAGE_INPUTS,
    PANELS,
    PARAMS,
    PHYSICS_INPUTS,
    REGISTRY,
    STICKY,
    VIEW_INPUTS,
    applies,
)
from explorer.app.render.loop import export_png
from explorer.app.render.style import render_scale
from explorer.app.state import pins
from explorer.app.state.presets import EXPERIMENTS, RATE_PRESETS, apply_experiment
from explorer.app.state.traits import ExplorerState
from explorer.app.state.urlstate import set_from_query, to_query
from explorer.app.view import moments_mode
from explorer.app.view import region as allowed_region
from explorer.app.view.compute import compute_view, dirac_moment, physics_of
from explorer.app.view.export import caption, data_link, views_csv
from explorer.app.view.readouts import error_html, headline_html, notes_html, page_html
from explorer.app.widgets.controls import TOGGLED_GROUPS, Controls, make, share_models, shared
from explorer.app.widgets.layout import Page
from explorer.app.widgets.panels import ChannelPanel, RegionPanel
from explorer.physics.limits import LIMITS


class Dashboard(widgets.VBox):
    """The whole explorer. ``state`` is the model; change it (or a widget) and the page follows.

    Attributes useful in tests: ``panels`` (channel → :class:`ChannelPanel`, for the panels
    shown so far: a panel's widgets are made when it is first shown), ``controls``
    (:class:`Controls`), ``page`` (:class:`~explorer.app.widgets.layout.Page`), ``recomputes`` (refreshes),
    ``physics_runs`` (channel → physics computations), and the page widgets ``notice``, ``error``,
    ``link``, ``link_text``.
    """

    def __init__(self, state: ExplorerState | None = None, query: str | None = None):
        self.state = state = state or ExplorerState()
        self.recomputes = 0
        self.physics_runs = dict.fromkeys(PANELS, 0)
        self._physics: dict = {}
        self._stale_physics, self._stale_view = set(PANELS), set(PANELS)
        self.scale = 1.0
        # every panel's figure is made now (a pre-heated kernel does it before the page asks);
        # a panel's widgets when it is first shown, so that a page sends the browser only the
        # widget models of the panels it shows (the default view's are made now)
        self._figures = {name: resolve(CHANNELS[name].figure)(CHANNELS[name]) for name in PANELS}
        self.panels: dict = {}
        for name in SHOWN[REGISTRY["channel"].default]:
            self._panel(name)
        self.region: RegionPanel | None = None  # made when a matrix mode is first shown
        self.matrix_readout = make(widgets.HTML)
        self.controls = Controls(state)
        self.page = page = Page()
        for name in ("notice", "error", "link", "link_text", "preset_info", "export_links"):
            setattr(self, name, getattr(page, name))
        self._wire(page)
        self.panel_box = make(widgets.Box, list(self.panels.values()),
                              layout=dict(flex_flow="row wrap", width="100%"),
                              _dom_classes=(dom.PANELS,))  # fmt: skip
        self.groups = self.controls.boxes(extra={"rates": page.rate_presets()})
        # the page script (explorer/page/pixels.js) writes the screen's pixel ratio in here
        self.pixels = make(widgets.Text, layout=dict(display="none"), own_layout=True,
                           _dom_classes=(dom.PIXEL_RATIO,))  # fmt: skip
        self.pixels.observe(lambda change: self.set_pixels(change["new"]), names="value")
        super().__init__(
            [*page.children(self.groups.values(), self.panel_box, self.controls.header(),
                            [*self.controls.moment(), self.matrix_readout]),
             self.pixels],
            layout=shared(widgets.Layout, width="100%"),
            _dom_classes=(dom.DASHBOARD,),
        )  # fmt: skip
        share_models(self, own_layout=self._toggled())  # a safety net: built shared, it frees none
        self._show_page_readout()
        state.observe(self._on_revision, names="revision")
        self.apply_query(query or "")
        if self.recomputes == 0:
            self.refresh(frozenset(NAMES))

    def _toggled(self) -> list:
        """The widgets whose ``layout.display`` is set after the build (see :func:`_display`)."""
        conditional = [self.controls.widgets[p.name] for p in _CONDITIONAL]
        pin_maps = [w for p in self.panels.values() for w in p.toggled()]
        return [*self.panels.values(), *(self.groups[k] for k in TOGGLED_GROUPS), self.notice, self.error,
                *conditional, *pin_maps, self.pixels]  # fmt: skip

    def _wire(self, page: Page) -> None:
        for key, b in page.preset_buttons.items():
            b.on_click(self._guard(lambda _b, k=key: self.apply_preset(k)))
        for key, b in page.limit_buttons.items():
            v = LIMITS[key].value
            b.on_click(self._guard(lambda _b, v=v: self.state.update(mm_mode="single", mu_on=True,
                                                                     mu=v)))  # fmt: skip
        for key, b in page.rate_buttons.items():
            b.on_click(self._guard(lambda _b, k=key: self.apply_rate_preset(k)))
        for name, panel in self.panels.items():
            self._wire_panel(name, panel)
        page.reset.on_click(self._guard(lambda _b: self.reset()))
        page.export_button.on_click(self._guard(lambda _b: self.prepare_downloads()))

    def _wire_panel(self, name: str, panel: ChannelPanel) -> None:
        if panel.record.pins:
            panel.pin_button.on_click(self._guard(lambda _b, n=name: self.pin(n)))
            for i, b in enumerate(panel.unpin_buttons):
                b.on_click(self._guard(lambda _b, n=name, i=i: self.unpin(n, i)))

    def _panel(self, name: str) -> ChannelPanel:
        """The panel ``name``, its widgets made (and put on the page in page order) on first use."""
        panel = self.panels.get(name)
        if panel is None:
            panel = self.panels[name] = ChannelPanel(name, figure=self._figures.pop(name))
            panel.scale = self.scale
            if hasattr(self, "panel_box"):  # after the build: wired and shown now
                self._wire_panel(name, panel)
                self.panel_box.children = tuple(self.panels[n] for n in PANELS if n in self.panels)
        return panel

    def apply_query(self, query: str | None = None) -> None:
        """Set the state from a link's query string (default: ``QUERY_STRING`` from Voila).

        Unknown or out-of-range values are ignored or clamped, and say so in the notice.
        The dashboard notebook builds the dashboard before the page is requested (Voila's
        pre-heated kernels) and calls this once the request, and so its query string, is known.
        """
        if query is None:
            query = os.environ.get("QUERY_STRING", "")
        # a link's first view is the same whatever the figures showed before (the defaults, in a
        # pre-heated kernel): its dσ/dT axes from its curves alone, also for a panel drawn later
        figures = [*(p.figure for p in self.panels.values()), *self._figures.values()]
        for f in figures:
            f.forget_limits()
        revision = self.state.revision
        self.set_notes(set_from_query(self.state, query))
        if self.state.revision == revision:  # nothing changed: nothing to forget
            for f in figures:
                f.forget_limits(False)

    # -- the one observer ----------------------------------------------------------------------
    def _on_revision(self, change) -> None:
        self.refresh(self.state.last_changed)

    def refresh(self, changed: frozenset) -> None:
        """Recompute and redraw what ``changed`` affects; show any error on the page."""
        self.recomputes += 1
        changed = moments_mode.widen(changed, self.state)  # μ_eff of a matrix moves with Eν, L
        try:
            for name in PANELS:
                if changed & PHYSICS_INPUTS[name]:
                    self._stale_physics.add(name)
                if changed & VIEW_INPUTS[name]:
                    self._stale_view.add(name)
            shown = SHOWN[self.state.channel]
            for name in shown:
                self._panel(name)
            for name, panel in self.panels.items():
                _display(panel, name in shown)
                if name in shown:
                    self._bring_up_to_date(name)
            for group in TOGGLED_GROUPS:  # a panel's own controls, shown with it
                _display(self.groups[group], any(CHANNELS[n].controls == group for n in shown))
            for p in _CONDITIONAL:
                _display(self.controls.widgets[p.name], applies(p, self.state))
            if changed & PAGE_INPUTS:
                self._show_page_readout()
            self._show_matrix(changed)
            self._show_headline(shown)
            self._show_preset_note()
            self._show_link()
            self._set_error(None)
        except Exception as exc:  # never silent: the page shows it
            self._set_error(exc)

    def _bring_up_to_date(self, name: str) -> None:
        """Recompute ``name``'s physics if stale, rebuild its view if stale, and show it: the
        one state → view path (:func:`~explorer.app.view.compute.compute_view`), given the
        physics it keeps while only view inputs change."""
        if name in self._stale_physics:
            self._physics[name] = self.physics(name, self.state)
            self.physics_runs[name] += 1
            self._stale_physics.discard(name)
            self._stale_view.add(name)
        if name in self._stale_view:
            view = compute_view(name, self.state, physics=self._physics[name])
            self.panels[name].show(view)
            self._stale_view.discard(name)

    #: the physics step of a channel (:func:`~explorer.app.view.compute.physics_of`)
    physics = staticmethod(physics_of)

    def _show_headline(self, shown: tuple) -> None:
        """The crossover line above the plots, and presentation mode's class on the page."""
        text = headline_html(self.panels[n].view for n in shown)
        if self.page.headline.value != text:
            self.page.headline.value = text
        (self.add_class if self.state.present else self.remove_class)(dom.PRESENT)

    def _show_page_readout(self) -> None:
        s = self.state
        seen = moments_mode.probe_moments(s)
        self.page.global_readout.value = page_html(s.mu_eff, s.m_nu, dirac_moment(s.m_nu), seen)

    def _show_matrix(self, changed: frozenset) -> None:
        """The moment-matrix mode's readout and allowed-region figure (hidden in single mode)."""
        self.matrix_readout.value = moments_mode.matrix_html(self.state)  # sent only if new
        view = None
        if moments_mode.active(self.state):
            if self.region is None:  # a page that never leaves single mode never builds it
                self.region = RegionPanel()
                self.panel_box.children = (*self.panel_box.children, self.region)
            elif not changed & allowed_region.INPUTS and self.region.mode == self.state.mm_mode:
                return  # Eν, the source, the flavour: the plane does not depend on them
            view = allowed_region.region_view(self.state)
        if self.region is not None:
            self.region.show(view)

    def _show_link(self) -> None:
        qs = to_query(self.state.as_dict())
        self.link_text.value = "?" + qs
        self.link.value = (
            f'<a class="{dom.VIEW_LINK}" href="?{html.escape(qs, quote=True)}" target="_top">'
            "Open this view as a link</a> (copy the address, or the query string above)"
        )
        if self.export_links.value:
            self.export_links.value = ""

    # -- actions -----------------------------------------------------------------------------
    def apply_preset(self, key: str) -> None:
        """Set every control to the experiment preset ``key`` (one recompute)."""
        apply_experiment(self.state, key)

    def set_pixels(self, report: str) -> None:
        """Render the plots for the page's screen: ``report`` is ``"<pixel ratio>:<plot width in
        CSS px>"`` (:func:`~explorer.app.render.style.render_scale`); a report that cannot be read is ignored."""
        try:
            scale = render_scale(report)
        except ValueError:
            return
        if scale != self.scale:
            self.scale = scale
            for panel in self.panels.values():
                panel.set_scale(scale)
            for fig in self._figures.values():  # the panels not made yet
                fig.set_scale(scale)
            self._stale_view |= set(PANELS)
            self.refresh(frozenset())

    def reset(self) -> None:
        """Every control to its default (presentation mode and pins stay)."""
        self.state.update(**{k: v for k, v in ExplorerState.defaults().items() if k not in STICKY})

    def pin(self, channel: str) -> None:
        """Pin the current curves of ``channel`` (the oldest pin goes when there are too many)."""
        name = CHANNELS[channel].pins
        spec = pins.encode(channel, self.state.as_dict())
        setattr(self.state, name, pins.added(getattr(self.state, name), spec))

    def unpin(self, channel: str, index: int) -> None:
        """Remove pin ``index`` (from 0) of ``channel``."""
        name = CHANNELS[channel].pins
        setattr(self.state, name, pins.removed(getattr(self.state, name), index))

    def _show_preset_note(self) -> None:
        """The set-up's note, as long as the view comes from one (it travels in the link)."""
        exp = EXPERIMENTS.get(self.state.preset)
        if exp is None:
            self.preset_info.value = ""
            return
        moved = any(getattr(self.state, k) != v for k, v in exp.values.items())
        since = " <span class='nac-source'>(controls changed since)</span>" if moved else ""
        rates = RATE_PRESETS.get(exp.rates)
        also = f" Rates panel: <i>{html.escape(rates.label)}</i>." if rates else ""
        self.preset_info.value = (
            f"Set-up: <i>{html.escape(exp.label)}</i> — {html.escape(exp.description)}{also}{since}"
        )
        if rates and not moved:
            self.page.rate_info.value = _rate_note(rates)

    def apply_rate_preset(self, key: str) -> None:
        """Show the rates panel with the detector set-up ``key`` (one recompute)."""
        r = RATE_PRESETS[key]
        self.state.update(channel="rates", **r.changes)
        self.page.rate_info.value = _rate_note(r)

    def prepare_downloads(self) -> None:
        """Fill ``export_links`` with CSV and PNG download links for the visible panels."""
        shown = SHOWN[self.state.channel]
        for name in shown:  # make sure nothing shown is stale
            self._bring_up_to_date(name)
        views = {n: self.panels[n].view for n in shown}
        csv = views_csv(self.state.as_dict(), views).encode("utf-8")
        filename, label = CHANNELS[shown[0]].csv
        links = [data_link(filename, "text/csv", csv, label)]
        for n in shown:
            panel = self.panels[n]
            figures = {f"neutrino_atom_{n}": panel.figure}
            if panel.record.map and self.state.map != "off":
                figures[f"neutrino_atom_{n}_map_{self.state.map}"] = panel.map_figures[
                    self.state.map
                ]
            for stem, fig in figures.items():
                png = export_png(fig.figure, self.caption(n))
                fig.forget_frame()
                links.append(data_link(f"{stem}.png", "image/png", png, f"{stem[14:]} (PNG)"))
        self.export_links.value = " · ".join(links)

    def caption(self, channel: str = "electron") -> str:
        """One line that says what the view shows, for an exported figure of ``channel``."""
        return caption(self.state, channel)

    def set_notes(self, notes: list) -> None:
        """Show plain-text notes (about the link's parameters) on the page, escaped."""
        self.notice.value = notes_html(notes)
        self.notice.layout.display = "block" if notes else "none"

    # -- helpers ------------------------------------------------------------------------------
    def _set_error(self, exc: BaseException | None) -> None:
        if exc is None:
            if self.error.value:
                self.error.value = ""
                self.error.layout.display = "none"
            return
        self.error.value = error_html(exc)
        self.error.layout.display = "block"

    def _guard(self, fn):
        """Wrap a button callback so that an exception is shown on the page, not lost."""

        def run(*args):
            try:
                fn(*args)
            except Exception as exc:
                self._set_error(exc)

        return run


def _rate_note(r) -> str:
    """The note of a rates set-up: what it sets, its numbers and their sources (HTML)."""
    return (
        f"<i>{html.escape(r.label)}</i>: {html.escape(r.note)} "
        f"<span class='nac-source'>({html.escape(r.source)})</span>"
    )


def _display(widget, visible: bool) -> None:
    want = "flex" if visible else "none"
    if widget.layout.display != want:
        widget.layout.display = want


#: controls shown only in some case (Param.only_when)
_CONDITIONAL = tuple(p for p in PARAMS if p.only_when)


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
