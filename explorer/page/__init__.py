"""Page assets that :mod:`explorer.serving` puts into every dashboard page (package data)."""
