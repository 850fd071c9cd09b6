"""Layer 2 of the app, state and links: the state model, the link codecs and reader/writer, pins,
presets. Imports the declarations and :mod:`explorer.physics`."""

from explorer.app.state.traits import R2_UNIT, ExplorerState, normalise_target

__all__ = ["R2_UNIT", "ExplorerState", "normalise_target"]
