"""The widget application: one state model, two channel panels and a rates panel, readouts,
presets, links, export.

>>> from explorer.app import build_dashboard
>>> dash = build_dashboard(query="")
>>> dash.state.target, sorted(dash.panels)
('Ge', ['electron', 'nucleus', 'rates'])

Modules: :mod:`.params` (the parameter registry), :mod:`.state` (the model), :mod:`.compute` (physics →
view model, :mod:`.model`), :mod:`.figures`
(persistent Agg figures), :mod:`.panels`, :mod:`.controls`, :mod:`.presets`, :mod:`.urlstate`,
:mod:`.export`, :mod:`.readouts`, :mod:`.ratepanel` and :mod:`.ratefigure` (event rates),
:mod:`.layout` (page assembly), :mod:`.dashboard` (the controller), :mod:`.dom` (CSS class
names).
"""

from explorer.physics.limits import LIMITS

from .dashboard import Dashboard, build_dashboard
from .presets import EXPERIMENTS
from .state import ExplorerState

__all__ = ["EXPERIMENTS", "LIMITS", "Dashboard", "ExplorerState", "build_dashboard"]
