"""The widget application: one state model, the channel panels (ν–e, CEvNS, event rates), readouts,
presets, links, export.

>>> from explorer.app import build_dashboard
>>> dash = build_dashboard(query="")
>>> dash.state.target, sorted(dash.panels)
('Ge', ['electron', 'nucleus', 'rates'])

The application is six layers, one subpackage each; a module imports only from its own layer and
the layers below it (``tests/test_layout.py`` holds the rule; docs/design.md, "Layers"):

1. :mod:`.declare` — what exists: the parameter registry (``params``), the channel records
   (``channels``), CSS class names (``dom``), number formats (``fmt``), the controls' legend;
2. :mod:`.state` — the state model (``traits``), links (``codecs``, ``urlstate``), pins, presets;
3. :mod:`.view` — physics → view models: ``compute`` (the one state → view path), ``model``
   (every view model), ``rates``, ``emmap``, ``readouts``, ``export`` (CSV, captions);
4. :mod:`.render` — Agg figures on one render loop (``loop``), ``style``, ``preview``;
5. :mod:`.widgets` — ipywidgets: controls, panels, the page layout;
6. :mod:`.control` — the controller (``dashboard``) and the kernel's wait for its page.

This package imports nothing until a name is asked for (PEP 562): the server reads the
declarations and draws previews without loading ipywidgets.
"""

from __future__ import annotations

import importlib

#: name → module that defines it (imported on first access)
_LAZY = {
    "Dashboard": "explorer.app.control.dashboard",
    "build_dashboard": "explorer.app.control.dashboard",
    "EXPERIMENTS": "explorer.app.state.presets",
    "ExplorerState": "explorer.app.state.traits",
    "LIMITS": "explorer.physics.limits",
}

__all__ = ["EXPERIMENTS", "LIMITS", "Dashboard", "ExplorerState", "build_dashboard"]


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted([*globals(), *_LAZY])
