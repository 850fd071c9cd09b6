"""Layer 5 of the app, widgets: the controls, the panels and the page's layout (ipywidgets)."""
