"""Benchmark case for the lesson 5 widget: one scenario-panel update at the heaviest settings.

Heaviest = every pressure at 1 (or 0 for repression): the largest surrender wave, the
deepest cut in the spoils and a cascade that runs through the whole army; with a purge,
capture and war rents all on, so the spoils step computes the rents twice (under the
broken and the old rules) and steers war rents. Each call uses
settings never seen before (a tiny offset), so the panel's and the model's caches cannot
hide the cost of the model run; the chart is built and serialised with ``to_dict()``.
The lead's runner calls ``cases()`` and times each callable (target median < 50 ms).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable


def cases() -> dict[str, Callable[[], object]]:
    from defection.widgets.synthesis import scenario_render

    fresh = itertools.count(1)

    def scenario_update():
        eps = (next(fresh) % 10_000) * 1e-7  # new settings each call: no cache hit
        return scenario_render(
            preset="(your own settings)",
            incentives=1.0 - eps,
            economic_pressure=1.0 - eps,
            battlefield_losses=1.0 - eps,
            repression=0.0 + eps,
            absorption=1.0 - eps,
            purge=0.5 - eps,
            capture=1.0 - eps,
            war_rents=1.0 - eps,
            patrons=0.0 + eps,
        ).to_dict()

    return {"synthesis.scenario_panel": scenario_update}


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
        median, worst = statistics.median(times) * 1000, max(times) * 1000
        print(f"{name}: median {median:.1f} ms, max {worst:.1f} ms")
