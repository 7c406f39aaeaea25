"""Benchmark cases for lesson 2's panels: one widget update each at the heaviest settings.

Each callable runs the model (cache bypassed), builds the chart and serialises it, which
is what a slider release costs. The lead's runner times them; they never fail on time.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from defection.charts.economy import economy_timeline, spoils_chart
from defection.models.spoils import simulate_spoils

_counter = itertools.count()


def _spoils_update() -> None:
    # A fresh protection value each call so no cache can hide the model's cost.
    protection = 0.5 + (next(_counter) % 50) / 100
    run = simulate_spoils(
        boycott=1.0, sanctions=1.0, reserves=4.0, repression=0.5, protection=protection, periods=24,
        capture=1.0, purge=0.5, war_rents=1.0, steer=1.0,
    )
    spoils_chart(run.by_tier).to_dict()


_table: dict = {}


def _timeline_update() -> None:
    from defection import data
    from defection.widgets.economy import filter_economy, month_options

    # The panel loads the table once when it is built; an update only filters and redraws.
    if "economy" not in _table:
        _table["economy"] = data.load("economy")
    df = _table["economy"]
    months = month_options(df)
    rows = filter_economy(df, df["kind"].astype(str).unique(), (months[0][1], months[-1][1]))
    economy_timeline(rows).to_dict()


def cases() -> dict[str, Callable[[], None]]:
    return {"economy.spoils_panel": _spoils_update, "economy.timeline_panel": _timeline_update}


if __name__ == "__main__":
    import statistics
    import time

    for name, fn in cases().items():
        fn()
        times = []
        for _ in range(30):
            t = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t) * 1000)
        print(f"{name}: median {statistics.median(times):.1f} ms")
