"""Altair chart builders for the course, one module per subject, sharing one theme.

``theme`` holds the palette, the renderer choice and ``finish()``, which every builder
calls so each chart has a title, axis labels, tooltips and a text description.
"""

from defection.charts.theme import CATEGORY_COLORS, PALETTE, finish, setup

__all__ = ["CATEGORY_COLORS", "PALETTE", "finish", "setup"]
