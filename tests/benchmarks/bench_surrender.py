"""Benchmark: one widget update of each lesson-4 panel at its heaviest settings.

Each case runs the model or the selection, builds the chart and serialises it with
``to_dict()`` -- what a slider release costs. The lead's runner times ``cases()``.
"""

from __future__ import annotations

from collections.abc import Callable


def cases() -> dict[str, Callable[[], object]]:
    from defection import data
    from defection.widgets.surrender import absorption_view, month_options, surrender_panel

    def absorption_update():
        # Longest wave and the largest numbers the sliders allow.
        chart = absorption_view(inflow=3000, wave_months=24, vetting_speed=1.0, capacity=3000,
                                funding=20000, outside_nug=0.3)
        return chart.to_dict()

    events = data.load("events")
    counts = data.load("defection_counts")
    panel = surrender_panel(events, counts)
    whole = (0, len(month_options(events, counts)) - 1)

    def surrender_update():
        # The whole period and both categories: the most rows to select and draw.
        panel.controls["period"].index = whole
        return panel.render(**panel.values).to_dict()

    return {
        "absorption_panel_update": absorption_update,
        "surrender_panel_update": surrender_update,
    }


if __name__ == "__main__":
    import statistics
    import timeit

    for name, fn in cases().items():
        fn()
        times = timeit.repeat(fn, number=1, repeat=30)
        print(f"{name}: median {statistics.median(times) * 1000:.1f} ms, "
              f"max {max(times) * 1000:.1f} ms")
