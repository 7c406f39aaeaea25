"""Lesson 1 panels: the defection-cascade simulator and the comparative-case explorer."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import pandas as pd

from defection.charts.cohesion import (
    cascade_chart,
    cascade_summary,
    outcomes_chart,
    threshold_chart,
)
from defection.comparative import (
    coup_count, decade_of, fell_share, filter_cases, outcomes_by_defection,
)
from defection.models.cascade import cascade, threshold_curve
from defection.widgets.controls import choice_range, pick_many, slider
from defection.widgets.core import Panel


#: Slider defaults of the cascade panel (the first five keep the original panel's values).
CASCADE_DEFAULTS = dict(repression=0.5, incentives=0.3, exit_options=0.3, spread=0.2,
                        population=1000, information_control=0.0, officer_shift=0.0,
                        officer_weight=1.0)


@lru_cache(maxsize=64)
def _cascade_run(repression, incentives, exit_options, spread, population,
                 information_control, officer_shift, officer_weight):
    return cascade(repression=repression, incentives=incentives, exit_options=exit_options,
                   spread=spread, population=int(population),
                   information_control=information_control, officer_shift=officer_shift,
                   officer_weight=officer_weight)


def _run_for(values: dict):
    settings = {**CASCADE_DEFAULTS, **values}
    return _cascade_run(*(round(float(settings[k]), 6) for k in CASCADE_DEFAULTS))


def cascade_render(**values):
    """The panel's chart for one set of slider values (rounds, both ranks, critical mass).

    Missing settings take ``CASCADE_DEFAULTS``; the chart and caption share one cached run.
    The threshold diagram (:func:`cascade_diagram`) is drawn in its own cell of the
    lesson: two charts per slider move would cost twice the redraw time.
    """
    return cascade_chart(_run_for(values))


def cascade_diagram(**values):
    """Granovetter's diagram for the same settings, with stop and critical mass marked."""
    run = _run_for(values)
    return threshold_chart(threshold_curve(run), run)


def cascade_caption(*args, **values) -> str:
    """Whether the cascade tipped, where it stalled, its critical mass and which rank led.

    Positional arguments follow the order of ``CASCADE_DEFAULTS``.
    """
    values = {**dict(zip(CASCADE_DEFAULTS, args)), **values}
    r = _run_for(values)
    first = int(round(r.rounds["share"].iloc[1] * r.population))
    lead = (
        f"{r.population:,} soldiers ({r.officer_thresholds.size:,} officers), mean threshold "
        f"{r.mean_threshold:.2f}; {first:,} move in round 1. "
    )
    return lead + cascade_summary(r)


def cascade_panel() -> Panel:
    """Sliders for the levers, spread, information control, the two ranks and size."""
    d = CASCADE_DEFAULTS
    controls = {
        "repression": slider(d["repression"], 0.0, 1.0, 0.05,
                             "Repression (punishment, surveillance)"),
        "incentives": slider(d["incentives"], 0.0, 1.0, 0.05,
                             "Incentives to defect (rewards, protection)"),
        "exit_options": slider(d["exit_options"], 0.0, 1.0, 0.05,
                               "Exit options (somewhere to go)"),
        "spread": slider(d["spread"], 0.0, 0.5, 0.01,
                         "Spread of thresholds (how different soldiers are)"),
        "information_control": slider(d["information_control"], 0.0, 1.0, 0.05,
                                      "Information control (defections hidden from soldiers)"),
        "officer_shift": slider(d["officer_shift"], -0.3, 0.3, 0.05,
                                "Officers' thresholds minus the others' (below 0: bolder)"),
        "officer_weight": slider(d["officer_weight"], 1.0, 20.0, 1.0,
                                 "Weight of an officer's defection (in soldiers)"),
        "population": slider(d["population"], 100, 5000, 100, "Soldiers in the model",
                             integer=True),
    }
    return Panel(controls, render=cascade_render, caption=cascade_caption, is_model=True,
                 title="Defection cascade simulator (threshold model, two ranks)")


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
    coups = coup_count(shown)
    if coups:
        parts.append(f"{coups} coup{'s' if coups > 1 else ''} by the army's own leadership "
                     "counted apart: a coup is neither defection nor a split.")
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
