"""One visit of one page of the built site in chromium: what loaded, what failed, what it shows.

The test (test_site_in_browser.py) visits every page once and judges the records; the
benchmark (tests/benchmarks/site.py) visits each page a few times for the time to first
chart. Both need the same page set-up (every other host blocked, every failure recorded,
a clock for the first drawn chart), so it lives here once.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))
import browser_support as bs  # noqa: E402

#: What counts as one chart on a page: the course's chart container (the live widget's and,
#: on the site, the static chart's), and any other Vega embed. Nested matches count once.
CHART_SELECTOR = "[data-course-chart-spec], .course-chart, .course-static-chart, [data-course-chart]:not(style):not(script), .vega-embed"

#: Seconds.
LOAD_TIMEOUT = 30
CHART_TIMEOUT = 20

_CHART_FUNCTIONS = r"""
window.__brSel = %r;
window.__brCharts = function () {
  const all = Array.from(document.querySelectorAll(__brSel));
  return all.filter(e => !all.some(o => o !== e && o.contains(e)));
}
window.__brDrawn = function (el) {
  const svg = el.querySelector('svg');
  if (svg) {
    return Array.from(svg.querySelectorAll('.role-mark')).some(g => g.childElementCount > 0);
  }
  const canvas = el.querySelector('canvas');
  return !!canvas && canvas.width > 0 && canvas.height > 0;
}
""" % CHART_SELECTOR

#: Installed before any of the page's scripts: a clock that notes when the first chart has
#: marks drawn (performance.now() counts from the start of the navigation).
JS_FIRST_CHART_CLOCK = _CHART_FUNCTIONS + r"""
window.__brFirstChartMs = null;
(function poll() {
  if (window.__brFirstChartMs !== null) return;
  if (document.readyState !== 'loading' && __brCharts().some(__brDrawn)) {
    window.__brFirstChartMs = performance.now();
    return;
  }
  if (performance.now() < 120000) requestAnimationFrame(poll);
})();
"""

#: True when every chart on the page has drawn marks or shows an error.
JS_CHARTS_SETTLED = r"""() => {
  const charts = __brCharts();
  return charts.every(el => __brDrawn(el) || /could not be drawn/i.test(el.textContent || ''));
}"""

#: Everything the checks need from the rendered page.
JS_PAGE_REPORT = r"""() => {
  const ids = Array.from(document.querySelectorAll('[id]')).map(e => e.id)
    .concat(Array.from(document.querySelectorAll('a[name]')).map(e => e.getAttribute('name')));
  const links = Array.from(document.querySelectorAll('a[href], area[href]'))
    .map(a => ({raw: a.getAttribute('href'), url: a.href}))
    .concat(Array.from(document.querySelectorAll('form[action]'))
      .map(f => ({raw: f.getAttribute('action'), url: f.action})));
  const textOf = (idrefs) => (idrefs || '').split(/\s+/).filter(Boolean)
    .map(id => document.getElementById(id)).filter(Boolean)
    .map(e => e.textContent.trim()).join(' ').trim();
  const charts = __brCharts().map((el, index) => {
    const svg = el.querySelector('svg');
    const alternatives = [];
    const add = (how, text) => { if (text && text.trim()) alternatives.push(`${how}: ${text.trim().slice(0, 200)}`); };
    for (const node of [el, svg].filter(Boolean)) {
      add('aria-label', node.getAttribute('aria-label'));
      add('aria-labelledby', textOf(node.getAttribute('aria-labelledby')));
      add('aria-describedby', textOf(node.getAttribute('aria-describedby')));
    }
    if (svg) {
      const desc = svg.querySelector(':scope > desc, :scope > title');
      if (desc) add('svg desc/title', desc.textContent);
    }
    const figure = el.closest('figure');
    if (figure) {
      const cap = figure.querySelector('figcaption');
      if (cap) add('figcaption', cap.textContent);
    }
    const described = el.querySelector('.course-chart-description, [data-chart-description]');
    if (described) add('description element', described.textContent);
    const title = el.querySelector('.course-chart-title-text, .role-title-text');
    return {
      index,
      drawn: __brDrawn(el),
      error: /could not be drawn/i.test(el.textContent || '') ? el.textContent.trim().slice(0, 300) : null,
      marks: svg ? svg.querySelectorAll('.role-mark > *').length : 0,
      title: title ? title.textContent.trim() : '',
      alternatives,
    };
  });
  return {title: document.title, ids, links, charts, firstChartMs: window.__brFirstChartMs};
}"""

#: Centres of chart k's marks (points, bars and areas first: a tooltip answers anywhere on
#: them), after scrolling it into view.
JS_MARK_TARGETS = r"""(k) => {
  const el = __brCharts()[k];
  const svg = el && el.querySelector('svg');
  if (!svg) return [];
  svg.scrollIntoView({block: 'center'});
  const order = ['.mark-symbol > path', '.mark-rect > path', '.mark-area > path', '.mark-arc > path',
                 '.mark-line > path', '.mark-text > text', '.mark-rule > line'];
  return order.flatMap(sel => Array.from(svg.querySelectorAll(sel)))
    .map(e => e.getBoundingClientRect()).filter(r => r.width > 0 || r.height > 0).slice(0, 40)
    .map(r => ({x: r.x + r.width / 2, y: r.y + r.height / 2}));
}"""

JS_TOOLTIP_TEXT = r"""() => {
  const t = document.querySelector('#vg-tooltip-element');
  return t && t.classList.contains('visible') && t.innerText.trim() ? t.innerText.trim() : null;
}"""

#: axe-core over the whole page; only what the report needs comes back. ``preload: false``:
#: axe's stylesheet preloading resolves an @import against the page rather than the sheet
#: that holds it (the theme's ``@import "../basic.css"`` becomes a 404 for /basic.css),
#: which would be a failed request of the audit's own making. It serves one rule only
#: (css-orientation-lock).
JS_AXE = r"""async () => {
  const r = await axe.run(document, {resultTypes: ['violations'], preload: false});
  return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary || ''}))}));
}"""


@dataclass
class Visit:
    """What one page load showed."""

    page: str
    problems: list[str] = field(default_factory=list)  # failed requests, console errors
    blocked: list[str] = field(default_factory=list)  # requests to other hosts
    report: dict = field(default_factory=dict)  # JS_PAGE_REPORT
    charts_settled: bool = True
    violations: list[dict] | None = None  # axe, if run
    tooltip: str | None = None
    tooltip_tried: bool = False
    load_ms: float = 0.0


def new_page(context, origin: str):
    """A page with the offline rule, the failure recorders and the first-chart clock."""
    page = context.new_page()
    page.add_init_script(JS_FIRST_CHART_CLOCK)
    problems: list[str] = []
    blocked = bs.block_other_hosts(page, origin)
    bs.record_page_problems(page, origin, problems.append)
    return page, problems, blocked


def visit(context, origin: str, rel: str, *, axe: Path | None = None, hover: bool = False) -> Visit:
    """Load ``rel`` from the server at ``origin``, wait for its charts, and record the page;
    then run axe (if ``axe`` is the path of axe.min.js) and try a tooltip (if ``hover``)."""
    page, problems, blocked = new_page(context, origin)
    record = Visit(page=rel, problems=problems, blocked=blocked)
    try:
        started = time.perf_counter()
        try:
            page.goto(f"{origin}/{rel}", wait_until="load", timeout=LOAD_TIMEOUT * 1000)
            page.wait_for_load_state("networkidle", timeout=LOAD_TIMEOUT * 1000)
        except Exception as exc:  # noqa: BLE001 - a page that does not load is a finding
            problems.append(f"page did not load: {exc}".splitlines()[0])
            return record
        record.load_ms = (time.perf_counter() - started) * 1000
        try:
            page.wait_for_function(JS_CHARTS_SETTLED, timeout=CHART_TIMEOUT * 1000, polling=100)
        except Exception:  # noqa: BLE001 - reported per chart below
            record.charts_settled = False
        record.report = page.evaluate(JS_PAGE_REPORT)
        if axe is not None:
            page.add_script_tag(path=str(axe))
            record.violations = page.evaluate(JS_AXE)
        if hover and record.report["charts"]:
            record.tooltip_tried = True
            record.tooltip = hover_for_tooltip(page, len(record.report["charts"]))
        return record
    finally:
        page.close()


def hover_for_tooltip(page, n_charts: int) -> str | None:
    """Move the mouse over the marks of each chart in turn until Vega's tooltip shows;
    return its text, or ``None`` if no mark of any chart answered."""
    for k in range(n_charts):
        targets = page.evaluate(JS_MARK_TARGETS, k)
        page.wait_for_timeout(100)  # let the scroll settle before measuring again
        targets = page.evaluate(JS_MARK_TARGETS, k) or targets
        for point in targets:
            page.mouse.move(point["x"], point["y"])
            try:
                page.wait_for_function(JS_TOOLTIP_TEXT, timeout=400, polling=50)
            except Exception:  # noqa: BLE001 - no tooltip on this mark; try the next
                continue
            return page.evaluate(JS_TOOLTIP_TEXT)
    return None
