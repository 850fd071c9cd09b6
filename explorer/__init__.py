"""Neutrino–atom collisions explorer.

``explorer.physics`` is the numpy backend for Kouzakov & Studenikin, "Neutrino-atom collisions",
J. Phys.: Conf. Ser. (2016), arXiv:1603.02462; ``explorer.app`` is the widget dashboard built on it.
"""

__version__ = "0.1.0"
