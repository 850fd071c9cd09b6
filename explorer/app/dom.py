"""The DOM contract: CSS class names the page carries, for the browser tests and the page scripts.

Written once here; the app adds these classes and the browser tests and the serving layer's page
script (kernel-death banner, reload to the current view) import them.
"""

#: The whole dashboard (a VBox).
DASHBOARD = "nac-dashboard"
#: One panel (a VBox) and its channel-specific class (``PANEL + "-" + channel``).
PANEL = "nac-panel"
#: The anchor whose ``href`` is the current view's query string (``?target=Xe&mu=…``).
VIEW_LINK = "nac-view-link"
