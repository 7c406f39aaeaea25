"""Benchmark case for lesson 00's timeline panel: one redraw with every category and the
whole period selected (the most points the chart ever draws), built and serialised."""

from __future__ import annotations

from collections.abc import Callable


def cases() -> dict[str, Callable[[], object]]:
    from defection.widgets.timeline import timeline_panel

    panel = timeline_panel()
    period = panel.controls["period"]
    last = len(period.options) - 1

    def timeline_update():
        # alternate between two full-range settings so every call is a real redraw
        period.index = (0, last) if period.index != (0, last) else (0, last - 1)
        panel.controls["categories"].value = tuple(panel.controls["categories"].options)
        return panel.chart().to_dict()

    return {"timeline_panel": timeline_update}
