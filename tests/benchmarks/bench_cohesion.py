"""Benchmark cases for lesson 1 widgets: one widget update each, at the heaviest settings.

The lead's runner calls ``cases()`` and times each callable (model run + chart build +
``chart.to_dict()``); the target is a median well under 50 ms.
"""

from __future__ import annotations

from collections.abc import Callable


def cases() -> dict[str, Callable[[], object]]:
    from defection.widgets.cohesion import cascade_panel, cases_panel

    cascade = cascade_panel()
    explorer = cases_panel()
    labels = explorer.controls["decades"].options

    def cascade_update():
        # largest population, two ranks, information control on: the most work per redraw
        return cascade.render(**{
            **cascade.values, "repression": 0.5, "spread": 0.2, "population": 5000,
            "information_control": 0.5, "officer_shift": -0.15, "officer_weight": 20.0,
        }).to_dict()

    def explorer_update():
        # every case selected: the most bars and the longest tooltips
        return explorer.render(
            decades=(labels[0], labels[-1]),
            regions=explorer.controls["regions"].options,
            methods=explorer.controls["methods"].options,
        ).to_dict()

    return {"cascade_panel": cascade_update, "cases_panel": explorer_update}


if __name__ == "__main__":
    import statistics
    import time

    import defection

    defection.setup()
    for name, fn in cases().items():
        fn()
        times = []
        for _ in range(30):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        print(f"{name}: median {statistics.median(times) * 1000:.1f} ms")
