"""Benchmark case for lesson 6's panel: one uncached update at the heaviest settings.

The lead's runner calls ``cases()`` and times each callable (two logit fits + chart build +
``chart.to_dict()``). The panel caches fits per combination, so this times the fit path by
calling the pure functions, not the cached panel.
"""

from __future__ import annotations

from collections.abc import Callable


def cases() -> dict[str, Callable[[], object]]:
    from defection import data
    from defection.charts.replication import specification_chart
    from defection.replication import CONTROLS
    from defection.widgets.replication import comparison, spec_from

    campaigns = data.load("campaigns")
    # every campaign and every control that applies to both methods: the largest fit
    heavy = spec_from("all", 2014, "failure", "success", [c for c in CONTROLS if c != "violent_flank"])

    def lab_update():
        table, _ = comparison(campaigns, heavy)
        return specification_chart(table, course_value=float(table.iloc[0]["odds_ratio"])).to_dict()

    return {"lab_panel": lab_update}


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
