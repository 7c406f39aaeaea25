"""Which of the three display modes charts are in: live widget, static SVG, or website HTML.

Why a module of its own: the theme (which enables a renderer for the mode) and the website
renderer (which must know the site mode's switch) both need these switches; kept in the theme,
``site_html`` imported ``theme`` while ``theme`` imported ``site_html``. Here they depend on
nothing but the environment, so any module may ask which mode is on.
"""

from __future__ import annotations

import os

#: ``DEFECTION_STATIC_CHARTS=1``: charts become static SVG (printable handouts).
STATIC_ENV = "DEFECTION_STATIC_CHARTS"
#: ``BREAKING_RANKS_STATIC_SITE=1``: charts become HTML the website's own Vega scripts draw.
SITE_ENV = "BREAKING_RANKS_STATIC_SITE"

_OFF = ("", "0", "false", "False")


def static_mode() -> bool:
    """True when charts should be drawn as static SVG (handouts), not live Vega views."""
    return os.environ.get(STATIC_ENV, "") not in _OFF


def site_mode() -> bool:
    """True while the course is executed for its static website (``python -m defection.site``)."""
    return os.environ.get(SITE_ENV, "") not in _OFF
