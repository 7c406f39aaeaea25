"""The one widget pattern of the course: controls + chart + caption, redrawn on change.

The chart is one ``CourseChart`` view that stays on screen: a slider move sends it a new
spec, and its front end swaps only the data when nothing else changed, instead of clearing
an output and drawing a whole new chart (what made redraws take 180-320 ms).
Widgets stay thin so that what they show can be tested without Jupyter: ``render``
is a plain function of the control values that returns an altair chart, and
``caption`` a plain function that returns the sentence printed under it.
In handout mode (``DEFECTION_STATIC_CHARTS=1``) a panel prints its chart at the
default settings instead of live controls, because a printed page cannot move a slider.
On the course website (``BREAKING_RANKS_STATIC_SITE=1``) there is no kernel to move one
either: a panel shows its chart at the default settings (drawn by the site's own Vega
scripts, tooltips included), its caption, and how to get the live panel.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from typing import Any

import altair as alt
import ipywidgets as widgets
from IPython.display import Markdown, display

from defection.charts.live import CourseChart
from defection.charts.modes import site_mode, static_mode

MODEL_DISCLAIMER = (
    "This is a teaching model: it illustrates an argument under stated assumptions. "
    "It forecasts nothing about Myanmar."
)

#: Where the site's note sends a reader who wants the live panel. The site builder sets
#: these for the kernels it runs (the install page's address relative to a lesson page, and
#: a Binder address when the course's public repository is known).
INSTALL_URL_ENV = "BREAKING_RANKS_SITE_INSTALL_URL"
BINDER_URL_ENV = "BREAKING_RANKS_SITE_BINDER_URL"
DEFAULT_INSTALL_URL = "../install.html"


def _plain(value: Any) -> str:
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d") if getattr(value, "day", 1) != 1 else value.strftime("%b %Y")
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _setting(control: widgets.ValueWidget) -> str:
    """A control's value as a reader would write it: 'all', 'Feb 2021 – Jan 2026', '0.4'."""
    value = control.value
    options = getattr(control, "options", None)
    if isinstance(value, tuple):
        labels = getattr(control, "label", None)
        if isinstance(control, widgets.SelectionRangeSlider) and isinstance(labels, tuple):
            return f"{labels[0]} – {labels[1]}"
        if options is not None and len(value) == len(options) and len(value) > 1:
            return "all"
        if len(value) == 2 and not options:
            return f"{_plain(value[0])} – {_plain(value[1])}"
        return ", ".join(_plain(v) for v in value) or "none"
    label = getattr(control, "label", None)
    if isinstance(label, str):
        return label
    return _plain(value)


class Panel:
    """Controls wired to a chart.

    Parameters
    ----------
    controls:
        Named ipywidgets (sliders, dropdowns, ...). Their names are the keyword
        arguments passed to ``render`` and ``caption``.
    render:
        ``render(**values) -> alt.Chart``; pure, no display side effects.
    caption:
        Optional ``caption(**values) -> str`` shown under the chart (plain text, also
        the text alternative for screen readers). Defaults to the chart's description.
    is_model:
        If true, the panel says on screen that it illustrates and does not forecast.
    title:
        A short heading shown above the controls.

    Example
    -------
    >>> import ipywidgets as w
    >>> p = Panel({"n": w.IntSlider(value=3, min=1, max=9, description="n")},
    ...           render=lambda n: some_chart(n), title="Demo")
    >>> p  # in a notebook cell, shows the panel
    """

    def __init__(
        self,
        controls: Mapping[str, widgets.ValueWidget],
        render: Callable[..., alt.TopLevelMixin],
        caption: Callable[..., str] | None = None,
        *,
        is_model: bool = False,
        title: str = "",
    ) -> None:
        self.controls = dict(controls)
        self.render = render
        self.caption = caption
        self.is_model = is_model
        self.title = title
        self.view = CourseChart()
        self.caption_html = widgets.HTML()
        self.redraws = 0
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        children: list[widgets.Widget] = []
        if title:
            children.append(widgets.HTML(f"<b>{html.escape(title)}</b>"))
        children.append(widgets.VBox(list(self.controls.values())))
        children.append(self.view)
        children.append(self.caption_html)
        if is_model:
            children.append(widgets.HTML(f"<i>{html.escape(MODEL_DISCLAIMER)}</i>"))
        self.box = widgets.VBox(children)
        self.update()

    @property
    def values(self) -> dict[str, Any]:
        """The current value of every control, by name."""
        return {name: control.value for name, control in self.controls.items()}

    def chart(self) -> alt.TopLevelMixin:
        """The chart for the current control values (what the panel shows)."""
        return self.render(**self.values)

    def caption_text(self, chart: alt.TopLevelMixin | None = None) -> str:
        """The caption for the current values: the caption function, else the chart's description."""
        if self.caption is not None:
            return self.caption(**self.values)
        chart = chart if chart is not None else self.chart()
        description = getattr(chart, "description", alt.Undefined)
        return "" if description is alt.Undefined else str(description)

    def update(self) -> None:
        """Redraw the chart and caption for the current control values."""
        chart = self.chart()
        self.view.show(chart, validate=self.redraws == 0)
        self.caption_html.value = f"<p>{html.escape(self.caption_text(chart))}</p>"
        self.redraws += 1

    def _on_change(self, _change: dict) -> None:
        self.update()

    def settings_text(self) -> str:
        """The current settings in words: 'Period: Feb 2021 – May 2026; Categories: all'."""
        return "; ".join(
            f"{(control.description or name).rstrip(':')}: {_setting(control)}"
            for name, control in self.controls.items()
        )

    def site_html(self) -> str:
        """The panel as a static web page shows it: chart at these settings, caption, a note."""
        import os

        from defection.charts.live import chart_spec
        from defection.charts.site_html import chart_html

        chart = self.chart()
        spec = chart_spec(chart)
        caption = self.caption_text(chart)
        same = caption.strip() == str(spec.get("description", "")).strip()
        parts = ['<section class="course-panel">']
        if self.title:
            parts.append(f'<p class="course-panel-title"><strong>{html.escape(self.title)}</strong></p>')
        parts.append(
            '<p class="course-panel-settings">Shown at its starting settings: '
            f"{html.escape(self.settings_text())}.</p>"
        )
        parts.append(chart_html(spec, show_description=not same))
        if caption:
            parts.append(f'<p class="course-panel-caption">{html.escape(caption)}</p>')
        if self.is_model:
            parts.append(f'<p class="course-panel-model"><em>{html.escape(MODEL_DISCLAIMER)}</em></p>')
        install = os.environ.get(INSTALL_URL_ENV) or DEFAULT_INSTALL_URL
        binder = os.environ.get(BINDER_URL_ENV, "")
        # Without a known public repository, the install page's Binder section says how.
        binder = binder or f"{install}#binder"
        binder_link = f'<a href="{html.escape(binder, quote=True)}">open it on Binder</a>'
        parts.append(
            '<p class="course-panel-note">This panel is interactive when you run the lesson: '
            f'<a href="{html.escape(install, quote=True)}">install the course</a> or {binder_link}.</p>'
        )
        parts.append("</section>")
        return "".join(parts)

    def _ipython_display_(self) -> None:
        if site_mode():
            text = f"{self.title}\n" if self.title else ""
            text += f"(shown at its starting settings: {self.settings_text()})\n{self.caption_text()}"
            display({"text/html": self.site_html(), "text/plain": text}, raw=True)
        elif static_mode():
            settings = self.settings_text()
            heading = f"**{self.title}** " if self.title else ""
            display(Markdown(f"{heading}(printed at the default settings: {settings})"))
            chart = self.chart()
            display(chart)
            display(Markdown(self.caption_text(chart)))
            if self.is_model:
                display(Markdown(f"*{MODEL_DISCLAIMER}*"))
        else:
            display(self.box)
