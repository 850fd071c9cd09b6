"""The control widgets, generated from the parameter registry and each linked to one state trait.

A widget's kind, label, unit, bounds, step, readout format, options and help text all come from
its :class:`~explorer.app.declare.params.Param`; this module only builds and links.
"""

from __future__ import annotations

import json
import math

import ipywidgets as widgets

from explorer.app.declare import dom
from explorer.app.declare.channels import CHANNELS
from explorer.app.declare.fmt import number
from explorer.app.declare.params import FEATURED_LIMITS, PARAMS, REGISTRY
from explorer.app.state.presets import TARGET_PRESETS
from explorer.app.state.traits import ExplorerState, elements, isotopes_of
from explorer.physics.limits import LIMITS

_STYLE = {"description_width": "10.5em"}
#: A log slider's label carries its value: wide enough for "μν = 2.9×10⁻¹¹ μB", never cut.
_LOG_STYLE = {"description_width": "15em"}
_WIDTH = "98%"


def _log_style(p) -> dict:
    """A log slider's label width: 15em, or more for a long label and unit ("Background =
    4.3×10⁻⁵ /(kg·day·keV)" was cut), ≈ 0.62em per character with room for "×10⁻¹¹"."""
    width = math.ceil(0.62 * (len(p.label) + len(p.unit) + 13))
    return {"description_width": f"{width if width > 20 else 15}em"}


# -- fewer widget models per page -------------------------------------------------------------
# ipywidgets 8 gives every widget its own Layout model and (most) their own Style model: ~2/3 of a
# page's models, each one a comm opened by the kernel and a model fetched and built by the page.
# Widgets that look the same can share one: nothing changes a Style after the build, and a Layout
# is shared only by widgets whose display is never toggled (a shared Layout hidden for one widget
# would hide them all): those keep their own (``own_layout`` below, Param.only_when controls).
# The shared models are given at construction (:func:`make`): a model made and then replaced
# costs the kernel a comm open, an update and a close, each parsed again by Voila's server.


def _key(model) -> str:
    state = {k: v for k, v in model.get_state().items() if not k.startswith("_")}
    return json.dumps([type(model).__name__, state], sort_keys=True, default=str)


_SHARED: dict = {}


def shared(cls, **kw):
    """One shared ``cls`` (a Layout or Style class) instance per distinct set of attributes.

    >>> shared(widgets.Layout, width="auto") is shared(widgets.Layout, width="auto")
    True
    """
    key = (cls.__name__, tuple(sorted(kw.items())))
    model = _SHARED.get(key)
    if model is None or model.comm is None:  # a closed model is not reused
        model = _SHARED[key] = cls(**kw)
    return model


def make(cls, *args, layout=None, style=None, own_layout: bool = False, **kw):
    """``cls(*args, **kw)`` built with a shared Layout (attributes ``layout``, a dict) and, if
    ``cls`` has one, a shared Style (attributes ``style``); ``own_layout``: a Layout of its own,
    for a widget whose ``layout.display`` is toggled later.

    >>> a, b = make(widgets.HTML, "a", layout={"width": "auto"}), make(widgets.HTML, "b", layout={"width": "auto"})
    >>> a.layout is b.layout and a.style is b.style, make(widgets.Box, own_layout=True).layout is a.layout
    (True, False)
    """
    attrs = dict(layout or {})
    kw["layout"] = widgets.Layout(**attrs) if own_layout else shared(widgets.Layout, **attrs)
    if "style" in cls.class_traits():
        kw["style"] = shared(_style(cls), **(style or {}))
    return cls(*args, **kw)


def _style(widget_cls):
    """The Style class a widget class uses (not all are exported by ipywidgets)."""
    return widget_cls.class_traits()["style"].klass


def _tree(root):
    """Every widget under ``root`` (Box children), depth first, ``root`` first."""
    seen, stack = set(), [root]
    while stack:
        w = stack.pop()
        if id(w) in seen:
            continue
        seen.add(id(w))
        yield w
        stack.extend(reversed(getattr(w, "children", ())))


def share_models(root, own_layout=()) -> int:
    """Give widgets under ``root`` with identical Layout (or Style) attributes one shared model,
    and close the models this frees; returns how many were closed.

    ``own_layout``: widgets whose ``layout.display`` is toggled later: they keep their own Layout.
    Run it once the page is built, before it is shown (a closed model is never fetched).
    """
    keep = {id(w) for w in own_layout}
    kept = {id(w.layout) for w in _tree(root) if id(w) in keep}
    canonical: dict = {}
    freed: dict = {}
    for w in _tree(root):
        for attr in ("layout", "style"):
            if attr == "layout" and id(w) in keep:
                continue
            model = getattr(w, attr, None)
            if not isinstance(model, widgets.Widget) or id(model) in kept:
                continue
            first = canonical.setdefault(_key(model), model)
            if first is not model:
                setattr(w, attr, first)
                freed[id(model)] = model
    users = {id(getattr(w, a, None)) for w in _tree(root) for a in ("layout", "style")}
    closed = 0
    for mid, model in freed.items():
        if mid not in users and mid not in kept:
            model.close()
            closed += 1
    return closed


_GROUP_LAYOUT = dict(flex="1 1 30%", min_width="280px", margin="0 0.5% 0.5em 0.5%", padding="4px",
                     border="1px solid #ddd")  # fmt: skip
#: Control groups that the dashboard shows or hides (their Layout is their own).
TOGGLED_GROUPS = tuple(ch.controls for ch in CHANNELS.values() if ch.controls)

#: Control groups, in page order, with their titles.
GROUPS = {
    "neutrino": "Neutrino",
    "target": "Target and model",
    "view": "View and readouts",
    "rates": "Event rates in a detector",
}


class Binding:
    """Two-way sync of ``state.<name>`` and ``widget.value`` that ignores slider snapping.

    A browser slider rounds a value it is given to its step and sends the rounded value back
    (a preset's Eν = 1.5 MeV would come back as 10^0.18 = 1.51 MeV). A change from the widget
    that lies within half a step of the state's value is that echo, not a user's move, so it is
    not written to the state; everything else is.
    """

    def __init__(self, state, name: str, widget):
        self.state, self.name, self.widget = state, name, widget
        self.log = isinstance(widget, widgets.FloatLogSlider)
        step = getattr(widget, "step", None)
        self.tol = 0.5 * step * (1 + 1e-9) if isinstance(step, float) else 0.0
        widget.value = getattr(state, name)
        # a switched parameter (μν with its "off"): the label says when it is off
        self.switch = f"{name}_on" if REGISTRY[name].codec == "switch" else None
        self._describe(widget.value)
        state.observe(self._to_widget, names=name)
        if self.switch:
            state.observe(lambda _c: self._describe(self.widget.value), names=self.switch)
        widget.observe(self._to_state, names="value")

    def _describe(self, value) -> None:
        """A log slider shows the state's value in its label (its own readout would show the
        slider's rounding to its step, not the value the physics uses)."""
        if self.log:
            text = describe(REGISTRY[self.name], value)
            if self.switch and not getattr(self.state, self.switch):
                text = f"{REGISTRY[self.name].label} off (slider: {text.split(' = ', 1)[1]})"
            if self.widget.description != text:
                self.widget.description = text

    def _to_widget(self, change):
        self._describe(change["new"])
        if self.widget.value != change["new"]:
            self.widget.value = change["new"]

    def _to_state(self, change):
        new, cur = change["new"], getattr(self.state, self.name)
        if new == cur:
            return
        if self.tol:
            if self._gap(new, cur) <= self.tol:
                return
            # a marked value (a limit on μν) lies between two slider steps: a step that lands
            # within half a step of it lands on it (down and back up by keyboard returns there)
            new = next((v for v in SNAP.get(self.name, ()) if self._gap(new, v) <= self.tol), new)
        setattr(self.state, self.name, new)

    def _gap(self, a: float, b: float) -> float:
        return abs(math.log10(a) - math.log10(b)) if self.log else abs(a - b)


#: Values a slider lands on when a step brings it within half a step (parameter → values): the
#: μν limits of the buttons, whose values are not on the slider's log grid.
SNAP = {"mu": tuple(LIMITS[k].value for k in FEATURED_LIMITS)}


def target_options() -> list:
    """(label, value) of every natural element with data, each followed by its isotopes."""
    from explorer.physics.targets import atomic_number

    out = []
    for sym in elements():
        out.append((f"{sym} (Z = {atomic_number(sym)})", sym))
        out += [(f"   {name[len(sym) :]}{sym}", name) for name in isotopes_of(sym)]
    return out


def describe(p, value) -> str:
    """The label of a log slider with the value it stands for: ``Eν = 1.5 MeV``."""
    unit = f" {p.unit}" if p.unit else ""
    return f"{p.label} = {number(value, p.fmt)}{unit}"


def make_widget(p, value=None, classes=(), toggled=None):
    """The widget of one registry entry (not yet linked), showing ``value`` if given (as the
    state will: built with it, the link to the state sends nothing) and carrying the CSS
    ``classes``. ``toggled``: a dict in which controls shown in the same case (the same
    ``only_when``) share one Layout, whose display the dashboard toggles for all of them."""
    desc = p.label + p.unit_suffix

    def layout(width):  # a control shown only in some case has its own (its display toggles)
        if not p.only_when:
            return shared(widgets.Layout, width=width)
        if toggled is None:
            return widgets.Layout(width=width)
        key = (p.only_when, width)
        if key not in toggled:
            toggled[key] = widgets.Layout(width=width)
        return toggled[key]

    common = dict(description=desc, tooltip=p.help, _dom_classes=tuple(classes))
    if value is not None:
        common["value"] = value
        if p.kind == "log":
            common["description"] = describe(p, value)
    if p.kind == "log":
        lo, hi = p.bounds
        return widgets.FloatLogSlider(
            base=10, min=math.log10(lo), max=math.log10(hi), step=p.step, readout=False,
            layout=layout(_WIDTH), continuous_update=True,
            style=shared(widgets.SliderStyle, **_log_style(p)), **common,
        )  # fmt: skip
    if p.kind == "lin":
        lo, hi = p.bounds
        return widgets.FloatSlider(
            min=lo,
            max=hi,
            step=p.step,
            readout_format=p.fmt,
            layout=layout(_WIDTH),
            style=shared(widgets.SliderStyle, **_STYLE),
            **common,
        )
    if p.kind == "check":
        return widgets.Checkbox(indent=False, layout=layout("auto"),
                                style=shared(_style(widgets.Checkbox)), **common)  # fmt: skip
    if p.kind == "dropdown":
        options = target_options() if p.name == "target" else list(p.options)
        return widgets.Dropdown(options=options, layout=layout("auto"),
                                style=shared(_style(widgets.Dropdown), **_STYLE), **common)  # fmt: skip
    return widgets.ToggleButtons(
        options=list(p.options), tooltips=[p.help] * len(p.options), layout=layout("auto"),
        style=shared(widgets.ToggleButtonsStyle, **_STYLE, button_width="auto"), **common,
    )  # fmt: skip


class Controls:
    """Builds every control and links it to ``state``; ``widgets`` maps trait name → widget."""

    def __init__(self, state: ExplorerState):
        self.state = state
        self.widgets = {}
        toggled: dict = {}  # one Layout per case a control is shown in (Param.only_when)
        for p in PARAMS:
            if p.kind == "none":
                continue
            # presentation mode folds these away (a CSS class, no kernel work)
            parent = REGISTRY[p.only_when[0]] if p.only_when else p
            classes = (dom.ADVANCED,) if p.advanced or parent.advanced else ()
            self.widgets[p.name] = make_widget(p, getattr(state, p.name), classes, toggled)
        self.links = [Binding(state, name, widget) for name, widget in self.widgets.items()]
        self.target_buttons = []
        for sym in TARGET_PRESETS:
            b = widgets.Button(
                description=sym,
                tooltip=f"target {sym}",
                layout=shared(widgets.Layout, width="auto", min_width="3em"),
                style=shared(widgets.ButtonStyle),
            )
            b.on_click(lambda _b, s=sym: setattr(state, "target", s))
            self.target_buttons.append(b)

    def header(self) -> list:
        """The controls of the page's top bar (registry group ``"header"``)."""
        return [self.widgets[p.name] for p in PARAMS if p.group == "header"]

    def moment(self) -> list:
        """The controls of the μν bar above the plots (registry group ``"moment"``), slider first."""
        group = [p for p in PARAMS if p.group == "moment"]
        return [self.widgets[p.name] for p in sorted(group, key=lambda p: p.kind != "log")]

    def boxes(self, extra: dict | None = None) -> dict:
        """The control groups as wrapping boxes, group key → box; ``extra`` maps a group key to
        widgets put at the top of that group (e.g. its preset buttons)."""
        extra = extra or {}

        def group(key, title):
            children = [
                *extra.get(key, ()),
                *(
                    self.widgets[p.name]
                    for p in PARAMS
                    if p.group == key and p.name in self.widgets
                ),
            ]
            if key == "target":
                quick = make(widgets.HBox, self.target_buttons, layout=dict(flex_flow="row wrap"))
                children.insert(0, quick)
            return make(
                widgets.VBox,
                [make(widgets.HTML, f"<b>{title}</b>"), *children],
                layout=_GROUP_LAYOUT,
                own_layout=key in TOGGLED_GROUPS,
            )

        return {key: group(key, title) for key, title in GROUPS.items()}


__all__ = [
    "GROUPS",
    "REGISTRY",
    "TOGGLED_GROUPS",
    "Binding",
    "Controls",
    "make",
    "make_widget",
    "share_models",
    "shared",
]
