"""Lesson 1 panels: the defection-cascade simulator and the comparative-case explorer."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from defection.charts.cohesion import cascade_chart, outcomes_chart
from defection.comparative import decade_of, fell_share, filter_cases, outcomes_by_defection
from defection.models.cascade import cascade
from defection.widgets.controls import choice_range, pick_many, slider
from defection.widgets.core import Panel


def cascade_render(
    repression: float, incentives: float, exit_options: float, spread: float, population: int
):
    """The cascade chart for one set of slider values (what the panel draws)."""
    return cascade_chart(
        cascade(repression=repression, incentives=incentives, exit_options=exit_options,
                spread=spread, population=population)
    )


def cascade_caption(
    repression: float, incentives: float, exit_options: float, spread: float, population: int
) -> str:
    """One sentence saying whether the cascade tipped, when, and where it ended."""
    r = cascade(repression=repression, incentives=incentives, exit_options=exit_options,
                spread=spread, population=population)
    first = int(round(r.rounds["share"].iloc[1] * population))
    lead = (
        f"{population:,} soldiers, mean threshold {r.mean_threshold:.2f}; "
        f"{first:,} move first (threshold 0). "
    )
    if r.tipped:
        return lead + (
            f"Tipping point at round {r.tipping_round} with {r.tipping_share:.0%} out; "
            f"the cascade ends with {r.final_share:.0%} defected."
        )
    return lead + f"No tipping point: defection stalls at {r.final_share:.0%}."


def cascade_panel() -> Panel:
    """Sliders for repression, incentives, exit options, spread and size -> cascade chart."""
    controls = {
        "repression": slider(0.5, 0.0, 1.0, 0.05, "Repression (punishment, surveillance)"),
        "incentives": slider(0.3, 0.0, 1.0, 0.05, "Incentives to defect (rewards, protection)"),
        "exit_options": slider(0.3, 0.0, 1.0, 0.05, "Exit options (somewhere to go)"),
        "spread": slider(0.2, 0.0, 0.5, 0.01, "Spread of thresholds (how different soldiers are)"),
        "population": slider(1000, 10, 5000, 10, "Soldiers in the model", integer=True),
    }
    return Panel(controls, render=cascade_render, caption=cascade_caption, is_model=True,
                 title="Defection cascade simulator (threshold model)")


def _decade_labels(cases: pd.DataFrame) -> list[str]:
    decades = sorted(int(d) for d in decade_of(cases["year"]).dropna().unique())
    return [f"{d}s" for d in decades]


def _options(series: pd.Series) -> list[str]:
    if isinstance(series.dtype, pd.CategoricalDtype):
        return [str(c) for c in series.cat.categories if (series == c).any()]
    return sorted(series.dropna().astype(str).unique())


def cases_selection(cases: pd.DataFrame, regions: Sequence[str], methods: Sequence[str],
                    decades: tuple[str, str]) -> pd.DataFrame:
    """The cases the explorer shows for the chosen regions, methods and decade range."""
    span = (int(decades[0][:4]), int(decades[1][:4]))
    return filter_cases(cases, regions=regions, methods=methods, decades=span)


def cases_caption_text(shown: pd.DataFrame) -> str:
    """Caption counts: cases shown, and how often the ruler fell with and without defection."""
    if shown.empty:
        return "No case matches these filters: widen the decades or pick more regions or methods."
    fell_d, n_d = fell_share(shown, defected=True)
    fell_n, n_n = fell_share(shown, defected=False)
    ongoing = int((shown["outcome"].astype(str) == "ongoing").sum())
    parts = [f"{len(shown)} cases shown."]
    parts.append(
        f"With some security-force defection the ruler fell in {fell_d} of {n_d};"
        if n_d else "No case with security-force defection;"
    )
    parts.append(
        f"with none, in {fell_n} of {n_n}." if n_n else "no case without defection."
    )
    if ongoing:
        parts.append(f"{ongoing} still ongoing (left out of those counts).")
    parts.append("A handful of chosen cases: a prompt for discussion, not a statistical test.")
    return " ".join(parts)


def cases_panel(cases: pd.DataFrame | None = None) -> Panel:
    """Filter comparative cases by decade, region and method; chart outcomes by defection level.

    ``cases`` defaults to ``data.load("uprisings")``.
    """
    if cases is None:
        from defection import data

        cases = data.load("uprisings")
    labels = _decade_labels(cases)
    regions = _options(cases["region"])
    methods = _options(cases["method"])
    controls = {
        "decades": choice_range(labels, "Decades"),
        "regions": pick_many(regions, "Regions"),
        "methods": pick_many(methods, "Method"),
    }

    def render(decades, regions, methods):
        shown = cases_selection(cases, regions, methods, decades)
        return outcomes_chart(outcomes_by_defection(shown))

    def caption(decades, regions, methods):
        return cases_caption_text(cases_selection(cases, regions, methods, decades))

    return Panel(controls, render=render, caption=caption,
                 title="Comparative cases: did the ruler fall?")
