"""JavaScript the real-browser test runs in the page, in JupyterLab and in Notebook 7.

Kept apart from browser_helpers.py (the server and the pure decisions) because it is one
job: reading the notebook from the application object. Both front ends expose it as
``window.jupyterapp`` when started with ``expose_app_in_browser`` (LabApp / JupyterNotebookApp),
and both show the notebook as the shell's ``currentWidget``, so one set of snippets serves
both. Where the two shells differ (side panels, the element that scrolls), the snippets
check for each.
"""

#: True once the notebook at ``path`` is the current widget of the shell.
JS_PANEL = """(path) => {
  const a = window.jupyterapp, w = a && a.shell && a.shell.currentWidget;
  return !!(w && w.sessionContext && w.content && w.context && w.context.path === path);
}"""

#: Text of an open dialog (kernel chooser, error...), or "".
JS_DIALOG = "() => { const d = document.querySelector('.jp-Dialog'); return d ? d.innerText : ''; }"

#: Kernel connected and idle, and "Run All Cells" enabled (Run All silently does nothing
#: before the kernel is connected).
JS_READY = """() => {
  const app = window.jupyterapp, w = app.shell.currentWidget;
  const k = w.sessionContext.session && w.sessionContext.session.kernel;
  return !!(k && k.status === 'idle' && k.connectionStatus === 'connected'
            && app.commands.isEnabled('notebook:run-all-cells'));
}"""

#: Start Run All; the command's promise resolves when every cell has run (or one failed).
JS_RUN_ALL = """() => {
  window.__btRunDone = false;
  window.jupyterapp.commands.execute('notebook:run-all-cells')
    .then(r => { window.__btRunResult = String(r); })
    .catch(e => { window.__btRunResult = 'error: ' + e; })
    .finally(() => { window.__btRunDone = true; });
}"""

#: Finished: the command resolved, the kernel is idle, and no prompt shows [*].
JS_RUN_FINISHED = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const k = w.sessionContext.session && w.sessionContext.session.kernel;
  const busy = Array.from(w.content.node.querySelectorAll('.jp-InputPrompt'))
                    .some(p => p.textContent.includes('*'));
  return window.__btRunDone === true && !!k && k.status === 'idle' && !busy;
}"""

#: Collapse the side panels so screenshots show the notebook.
JS_TIDY = """() => {
  const s = window.jupyterapp.shell;  // Notebook 7's shell has side panels too, closed already
  if (s.collapseLeft) s.collapseLeft();
  if (s.collapseRight) s.collapseRight();
}"""

#: A report on every code cell and its outputs, read from the notebook model (what the
#: kernel sent) and from the DOM (what the page shows). Python decides what is a failure.
JS_REPORT = r"""() => {
  const w = window.jupyterapp.shell.currentWidget;
  const WIDGET = 'application/vnd.jupyter.widget-view+json';
  const VEGA = /^application\/vnd\.vega(lite)?\.v\d+\+json$/;
  const cells = [];
  w.content.widgets.forEach((cell, index) => {
    if (cell.model.type !== 'code') return;
    const src = cell.model.sharedModel.getSource();
    const outs = cell.model.outputs.toJSON();
    const children = cell.outputArea ? cell.outputArea.widgets : [];
    const outputs = outs.map((o, i) => {
      const node = children[i] ? children[i].node : null;
      const keys = Object.keys(o.data || {});
      const embeds = node ? Array.from(node.querySelectorAll('.vega-embed')) : [];
      return {
        output_type: o.output_type,
        name: o.name || null,
        ename: o.ename || null,
        evalue: o.evalue || null,
        text: o.output_type === 'stream' ? String(Array.isArray(o.text) ? o.text.join('') : o.text).slice(0, 2000) : null,
        is_widget: keys.includes(WIDGET),
        // A course chart is a widget output (defection.charts.live) holding one chart view.
        is_chart: keys.some(k => VEGA.test(k)) ||
                  (!!node && !!node.querySelector('.course-chart') && !node.querySelector('.widget-box')),
        rendered: !!node,
        dom_text: node ? node.innerText.slice(0, 4000) : '',
        widget_views: node ? node.querySelectorAll('.jupyter-widgets, .course-chart').length : 0,
        // Every course chart carries its title (drawn as HTML above the SVG).
        charts_untitled: node ? Array.from(node.querySelectorAll('.course-chart'))
          .filter(c => c.querySelector('.vega-embed') &&
                       !(c.querySelector('.course-chart-title-text') || {}).textContent).length : 0,
        charts: embeds.length,
        charts_drawn: embeds.filter(e => {
          const svg = e.querySelector('svg');
          return !!svg && !!svg.querySelector('.role-title-text, .role-mark, .mark-line, .mark-rect, .mark-symbol, .mark-area, .mark-text, .mark-rule');
        }).length,
        sliders: node ? node.querySelectorAll('.widget-slider .noUi-handle').length : 0,
      };
    });
    cells.push({index, exec: cell.model.executionCount,
                source: src.split('\n').slice(0, 2).join(' / ').slice(0, 120), outputs});
  });
  const all = Array.from(w.content.node.querySelectorAll('.vega-embed'));
  return {
    cells,
    page_charts: all.length,
    page_charts_drawn: all.filter(e => { const s = e.querySelector('svg'); return !!s && !!s.querySelector('.role-title-text, .role-mark'); }).length,
    loading_widgets: (w.content.node.innerText.match(/Loading widget/g) || []).length,
  };
}"""

#: Mark the first slider handle and the chart(s) of each panel that has both; returns
#: one entry per panel. A panel is a top-level widget output of a cell (a Panel's VBox).
JS_MARK_PANELS = r"""() => {
  const w = window.jupyterapp.shell.currentWidget;
  const WIDGET = 'application/vnd.jupyter.widget-view+json';
  const panels = [];
  w.content.widgets.forEach((cell, index) => {
    if (cell.model.type !== 'code' || !cell.outputArea) return;
    const outs = cell.model.outputs.toJSON();
    cell.outputArea.widgets.forEach((child, i) => {
      const o = outs[i];
      if (!o || !Object.keys(o.data || {}).includes(WIDGET)) return;
      if (!child.node.querySelector('.widget-box')) return;  // a lone chart, not a panel
      const k = panels.length;
      const handle = child.node.querySelector('.widget-slider .noUi-handle');
      const embeds = Array.from(child.node.querySelectorAll('.vega-embed'));
      const title = child.node.querySelector('.widget-html b');
      const entry = {k, cell: index, title: title ? title.innerText : '',
                     has_slider: !!handle, charts: embeds.length};
      child.node.setAttribute('data-bt-panel', String(k));
      if (handle) {
        handle.setAttribute('data-bt-slider', String(k));
        entry.value = handle.getAttribute('aria-valuenow');
        entry.max = handle.getAttribute('aria-valuemax');
        const label = handle.closest('.widget-slider').querySelector('.widget-label');
        entry.label = label ? label.innerText : '';
      }
      embeds.forEach(e => e.setAttribute('data-bt-stale', String(k)));
      entry.svg = embeds.map(e => (e.querySelector('svg') || {}).innerHTML || '').join('|').length;
      panels.push(entry);
    });
  });
  return panels;
}"""

#: Arm the redraw timer for panel k: the clock starts at the key press or the pointer press
#: on its slider (capture-phase listeners) and stops when any of its charts reports a new draw
#: (the view bumps its data-draws attribute once the new SVG is in the page).
JS_ARM_REDRAW = r"""(k) => {
  const p = document.querySelector(`[data-bt-panel="${k}"]`);
  const handle = document.querySelector(`[data-bt-slider="${k}"]`);
  const total = () => Array.from(p.querySelectorAll('.course-chart'))
                          .reduce((n, e) => n + Number(e.dataset.draws || 0), 0);
  const r = {k, before: total(), t0: null, t1: null, mode: null};
  window.__btRedraw = r;
  const start = () => { if (r.t0 === null) r.t0 = performance.now(); };
  handle.addEventListener('keydown', start, {once: true, capture: true});
  handle.addEventListener('pointerdown', start, {once: true, capture: true});
  const obs = new MutationObserver(() => {
    if (r.t1 === null && total() > r.before) {
      r.t1 = performance.now();
      const charts = Array.from(p.querySelectorAll('.course-chart'));
      r.mode = charts.map(e => e.dataset.drawMode).join(',');
      r.draw_ms = Math.max(...charts.map(e => Number(e.dataset.drawMs || 0)));
      obs.disconnect();
    }
  });
  obs.observe(p, {attributes: true, subtree: true, attributeFilter: ['data-draws']});
}"""

#: Has the armed panel redrawn, with a drawn SVG? Then the redraw time in ms, else null.
JS_REDRAW_MS = r"""() => {
  const r = window.__btRedraw;
  if (!r || r.t1 === null || r.t0 === null) return null;
  const p = document.querySelector(`[data-bt-panel="${r.k}"]`);
  const ok = Array.from(p.querySelectorAll('.vega-embed')).every(e => {
    const s = e.querySelector('svg'); return !!s && !!s.querySelector('.role-title-text, .role-mark'); });
  return ok ? {ms: r.t1 - r.t0, mode: r.mode, draw_ms: r.draw_ms} : null;
}"""


#: Hover the marks of the first drawn chart until Vega's tooltip shows; returns its text
#: (or null). Marks are tried in order: points and bars answer anywhere, a line only on it.
JS_SHOW_FIRST_CHART = r"""() => {
  const svg = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .course-chart .vega-embed svg');
  if (svg) svg.scrollIntoView({block: 'center'});
  return !!svg;
}"""

#: Centres of the first chart's marks, to hover. Call after JS_SHOW_FIRST_CHART and a
#: frame or two: JupyterLab skips laying out cells off screen (content-visibility), so
#: their marks have no size until they are scrolled into view and drawn.
JS_MARK_TARGETS = r"""() => {
  const svg = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .course-chart .vega-embed svg');
  if (!svg) return [];
  // Points, bars and areas first (a tooltip answers anywhere on them), rules last.
  const order = ['.mark-symbol > path', '.mark-rect > path', '.mark-area > path', '.mark-arc > path',
                 '.mark-line > path', '.mark-text > text', '.mark-rule > line'];
  const items = order.flatMap(sel => Array.from(svg.querySelectorAll(sel)))
    .map(e => e.getBoundingClientRect()).filter(r => r.width > 0 || r.height > 0).slice(0, 60);
  return items.map(r => ({x: r.x + r.width / 2, y: r.y + r.height / 2}));
}"""

JS_TOOLTIP_TEXT = r"""() => {
  const t = document.querySelector('#vg-tooltip-element');
  return t && t.classList.contains('visible') && t.innerText.trim() ? t.innerText.trim() : null;
}"""


#: Height of the notebook's content, for a screenshot of the whole notebook.
JS_CONTENT_HEIGHT = r"""() => {
  const w = window.jupyterapp.shell.currentWidget;
  const scroller = w.content.node.querySelector('.jp-WindowedPanel-outer') || w.content.node;
  scroller.scrollTop = 0;
  const top = w.content.node.getBoundingClientRect().top;
  const bottom = document.querySelector('#jp-bottom-panel, .jp-LabShell-statusBar, #jp-main-statusbar');
  return Math.ceil(scroller.scrollHeight + top + (bottom ? bottom.getBoundingClientRect().height : 30) + 40);
}"""



#: Scroll the notebook to its first cell.
JS_SCROLL_TOP = r"""() => {
  const w = window.jupyterapp.shell.currentWidget;
  const scroller = w.content.node.querySelector('.jp-WindowedPanel-outer') || w.content.node;
  scroller.scrollTop = 0;
}"""

#: Code cells still running or queued ("[*]"), as "cell N: first line".
JS_BUSY_CELLS = r"""() => {
  const w = window.jupyterapp.shell.currentWidget, out = [];
  w.content.widgets.forEach((cell, index) => {
    const p = cell.node.querySelector('.jp-InputPrompt');
    if (cell.model.type === 'code' && p && p.textContent.includes('*'))
      out.push(`cell ${index}: ${cell.model.sharedModel.getSource().split('\n')[0].slice(0, 80)}`);
  });
  return out;
}"""
