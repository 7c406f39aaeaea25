"""Lesson 5 panel: the scenario explorer (nine sliders, named presets, one chart)."""

from __future__ import annotations

from functools import lru_cache

import ipywidgets as widgets

from defection.charts.synthesis import scenario_chart
from defection.models.scenario import PRESETS, SETTINGS, scenario
from defection.widgets.controls import STYLE, slider
from defection.widgets.core import Panel

__all__ = ["CUSTOM", "LABELS", "scenario_panel", "scenario_render", "scenario_caption"]

_WIDTH = "480px"

#: Dropdown entry shown once a slider has moved away from the chosen preset.
CUSTOM = "(your own settings)"

#: Slider labels, in the order of ``SETTINGS``.
LABELS = {
    "incentives": "Incentives and guarantees for defectors",
    "economic_pressure": "Economic pressure (boycotts, exits, sanctions)",
    "battlefield_losses": "Battlefield losses of the army",
    "repression": "Repression of would-be defectors",
    "absorption": "Resistance capacity to absorb (vetting, funding)",
    "purge": "Rule break: purge of officers outside the ruling faction",
    "capture": "Rule break: ruling faction takes more",
    "war_rents": "War rents (fees, levies, licences, jade) half steered to commanders",
    "patrons": "Foreign patrons (arms, aircraft, fuel, diplomatic cover)",
}


@lru_cache(maxsize=128)
def _run(*values: float):
    return scenario(**dict(zip(SETTINGS, values, strict=True)))


def _settings(values: dict) -> tuple[float, ...]:
    return tuple(round(float(values[k]), 4) for k in SETTINGS)


def scenario_render(**values):
    """The chart for one set of slider values (``preset`` is ignored: sliders rule)."""
    result = _run(*_settings(values))
    return scenario_chart(result.indicators, result.verdict, result.caveats)


def scenario_caption(**values) -> str:
    """The verdict, the other indicators and every caveat, in plain text."""
    result = _run(*_settings(values))
    return f"{result.summary} {result.caveats}"


def scenario_panel(preset: str = "2021 as it was") -> Panel:
    """A preset dropdown and nine sliders wired to the scenario chart.

    Choosing a preset moves the sliders to its values; moving a slider afterwards turns
    the dropdown to "(your own settings)".
    """
    if preset not in PRESETS:
        raise ValueError(f"unknown preset {preset!r}; choose from {list(PRESETS)}")
    start = PRESETS[preset]
    dropdown = widgets.Dropdown(
        options=[CUSTOM, *PRESETS], value=preset, description="Preset scenario", style=STYLE,
        layout=widgets.Layout(width=_WIDTH),
    )
    sliders = {
        name: slider(start[name], 0.0, 1.0, 0.05, LABELS[name], width=_WIDTH) for name in SETTINGS
    }
    panel = Panel(
        {"preset": dropdown, **sliders},
        render=scenario_render,
        caption=scenario_caption,
        is_model=True,
        title="Scenario explorer: could the top break with the ruler?",
    )
    applying = {"on": False}

    def apply_preset(change) -> None:
        if change["new"] == CUSTOM:
            return
        applying["on"] = True
        try:
            for name, value in PRESETS[change["new"]].items():
                sliders[name].value = value
        finally:
            applying["on"] = False

    def slider_moved(_change) -> None:
        if applying["on"] or dropdown.value == CUSTOM:
            return
        chosen = PRESETS[dropdown.value]
        if any(abs(sliders[k].value - chosen[k]) > 1e-9 for k in SETTINGS):
            dropdown.value = CUSTOM

    dropdown.observe(apply_preset, names="value")
    for control in sliders.values():
        control.observe(slider_moved, names="value")
    return panel
