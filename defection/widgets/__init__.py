"""ipywidgets panels: each is controls wired to a pure model and a chart builder.

``core.Panel`` does the wiring once; each topic module only says which controls,
which function draws the chart, and what the caption says.
"""

from defection.widgets.core import MODEL_DISCLAIMER, Panel

__all__ = ["MODEL_DISCLAIMER", "Panel"]
