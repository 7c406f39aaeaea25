// The course's live chart view (an anywidget front end for defection.charts.live.CourseChart).
//
// Why not altair's own JupyterChart: on every new spec it re-embeds the whole chart, so a
// slider move re-parses and re-draws everything. Panels only ever change the data, so when a
// new spec differs from the drawn one in its `datasets` alone, this view swaps the data in the
// existing Vega view and re-runs it, which is several times faster. Anything else (a new title,
// a new mark) is drawn afresh. Updates are queued so that fast slider moves never interleave.
// Python bumps `revision` after every new spec (even an identical one), and that is the one
// event this view redraws on, so a slider move always shows as a redraw.
//
// This file holds no imports on purpose: `python -m defection.charts.bundle` bundles it with
// vega-embed, Vega-Lite and Vega (via vl-convert) into course_chart.bundle.js, so charts draw
// with no internet connection.

// What may change without a full redraw: the rows, the top-level title (drawn here as HTML
// above the chart, so it can change in place), the description (the SVG's aria-label), and
// the values of top-level params named live_* (pushed into the view as Vega signals).
const LIVE_PREFIX = "live_";

function splitSpec(spec) {
  const { datasets, title, description, params, ...rest } = spec ?? {};
  const signals = {};
  const shapeParams = (params ?? []).map((p) => {
    if (p && typeof p.name === "string" && p.name.startsWith(LIVE_PREFIX) && !p.select && !p.bind) {
      signals[p.name] = p.value;
      return { ...p, value: null };
    }
    return p;
  });
  const shape = JSON.stringify({ ...rest, params: shapeParams });
  return { datasets: datasets ?? {}, title, description, signals, shape };
}

function titleParts(title) {
  if (title === undefined || title === null) return { text: [], subtitle: [] };
  const lines = (value) => (value === undefined || value === null ? [] : Array.isArray(value) ? value.map(String) : [String(value)]);
  if (typeof title === "object" && !Array.isArray(title)) {
    return { text: lines(title.text), subtitle: lines(title.subtitle) };
  }
  return { text: lines(title), subtitle: [] };
}

function drawTitle(node, title) {
  const { text, subtitle } = titleParts(title);
  node.replaceChildren();
  node.hidden = text.length === 0 && subtitle.length === 0;
  for (const line of text) {
    const div = document.createElement("div");
    div.className = "course-chart-title-text";
    div.textContent = line;
    node.appendChild(div);
  }
  for (const line of subtitle) {
    const div = document.createElement("div");
    div.className = "course-chart-subtitle";
    div.textContent = line;
    node.appendChild(div);
  }
}

function describeSvg(host, description) {
  const svg = host.querySelector("svg");
  if (svg && description) svg.setAttribute("aria-label", String(description));
}

const STYLE = `
.course-chart-title { font-family: sans-serif; margin: 0 0 4px 0; }
.course-chart-title-text { font-size: 15px; font-weight: bold; color: #000; }
.course-chart-subtitle { font-size: 12px; color: #444; }
`;

function addStyle(el) {
  const root = el.getRootNode ? el.getRootNode() : document;
  const where = root instanceof ShadowRoot ? root : document.head;
  if (!where.querySelector || !where.querySelector("style[data-course-chart]")) {
    const style = document.createElement("style");
    style.setAttribute("data-course-chart", "");
    style.textContent = STYLE;
    where.appendChild(style);
  }
}

function showError(el, error) {
  const box = document.createElement("div");
  box.className = "course-chart-error";
  box.setAttribute("role", "alert");
  box.style.color = "#b00020";
  box.textContent = "This chart could not be drawn: " + (error && error.message ? error.message : error);
  el.replaceChildren(box);
}

async function render({ model, el }) {
  addStyle(el);
  const heading = document.createElement("div");
  heading.className = "course-chart-title";
  heading.setAttribute("role", "heading");
  heading.setAttribute("aria-level", "4");
  const host = document.createElement("div");
  el.classList.add("course-chart");
  el.append(heading, host);
  let api = null;
  let drawnShape = null;
  let queue = Promise.resolve();
  let draws = 0;

  async function draw() {
    const spec = model.get("spec");
    if (!spec || Object.keys(spec).length === 0) {
      return;
    }
    const parts = splitSpec(spec);
    const started = performance.now();
    let mode;
    try {
      if (api !== null && parts.shape === drawnShape) {
        for (const [name, value] of Object.entries(parts.signals)) {
          api.view.signal(name, structuredClone(value));
        }
        for (const [name, values] of Object.entries(parts.datasets)) {
          api.view.data(name, structuredClone(values));
        }
        await api.view.runAsync();
        mode = "data";
      } else {
        if (api !== null) {
          api.finalize();
          api = null;
        }
        if (!el.contains(host)) {
          el.replaceChildren(heading, host);
        }
        const { title, ...untitled } = structuredClone(spec);
        api = await vegaEmbed(host, untitled, structuredClone(model.get("embed_options") ?? {}));
        drawnShape = parts.shape;
        mode = "full";
      }
      drawTitle(heading, parts.title);
      describeSvg(host, parts.description);
    } catch (error) {
      api = null;
      drawnShape = null;
      showError(el, error);
      return;
    }
    draws += 1;
    // Read by the real-browser test to time redraws; harmless elsewhere.
    el.dataset.draws = String(draws);
    el.dataset.drawMode = mode;
    el.dataset.drawMs = (performance.now() - started).toFixed(1);
  }

  const schedule = () => {
    queue = queue.then(draw);
    return queue;
  };
  model.on("change:revision", schedule);
  await schedule();
  return () => {
    model.off("change:revision", schedule);
    if (api !== null) {
      api.finalize();
    }
  };
}

export default { render };
