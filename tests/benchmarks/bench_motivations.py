"""Benchmarks for lesson 3 widgets: one update each at the heaviest settings.

Each case runs the model (or filter), builds the chart and serialises it with
``chart.to_dict()``, as a slider release does in the notebook.
"""

from __future__ import annotations

import pandas as pd

from defection.charts.motivations import calculus_bars, counts_timeline
from defection.models.calculus import calculus
from defection.widgets.motivations import filter_counts


def _calculus_update() -> dict:
    # every setting away from its default, desertion open, drawn beside the flat alternative (two runs)
    from defection.widgets.motivations import calculus_render

    _calculus_update.calls += 1
    return calculus_render(
        punishment_risk=0.95 - (_calculus_update.calls % 50) / 1000, family_risk=0.95,
        exit_support=0.95, moral_cost=0.95, regime_survival=0.95,
        reckoning=0.95, identity=0.95, desertion=True,
        alternative="same stake and penalty for every rank",
    ).to_dict()


_calculus_update.calls = 10_000


_COUNTS: list[pd.DataFrame] = []


def _counts_update() -> dict:
    # the panel loads the table once; an update only filters and redraws
    if not _COUNTS:
        from defection import data

        _COUNTS.append(data.load("defection_counts"))
    counts = _COUNTS[0]
    shown = filter_counts(counts, measure="all")
    first, last = pd.to_datetime(counts["as_of"]).min(), pd.to_datetime(counts["as_of"]).max()
    return counts_timeline(
        shown, log_scale=True, date_range=(first, last),
        claimants=sorted(counts["claimant"].astype(str).unique()),
    ).to_dict()


def cases() -> dict:
    """Name -> callable performing one widget update."""
    return {"calculus_update": _calculus_update, "counts_update": _counts_update}


if __name__ == "__main__":
    import statistics
    import timeit

    import defection

    defection.setup()
    for name, fn in cases().items():
        fn()
        times = timeit.repeat(fn, number=1, repeat=30)
        print(f"{name}: median {1000 * statistics.median(times):.1f} ms")
