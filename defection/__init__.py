"""Breaking Ranks helper package: data, models, charts, widgets, checks and grading.

Every notebook starts with ``import defection; defection.setup()`` so that charts
render offline with the course theme, the same way in every lesson.
"""

from defection.charts.theme import setup

__all__ = ["setup"]
__version__ = "0.1.0"
