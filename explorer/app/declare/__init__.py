"""Layer 1 of the app, declarations: the parameter registry, the channel records, CSS class names,
number formats. Imports only :mod:`explorer.physics`."""
