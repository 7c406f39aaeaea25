// Draws every course chart on a page of the course website, with no network and no kernel.
//
// Each chart arrives in the page (from defection.charts.site_html) as an empty host element
// whose data-course-chart-spec attribute names a <script type="application/json"> holding the
// chart's Vega-Lite spec. This file hands each one to the same render function JupyterLab's
// live chart uses (course_chart.js, bundled with Vega, Vega-Lite and vega-embed into
// course_chart.site.js and loaded just before this file), through a stand-in for the widget
// model: a site page never changes a spec, so nothing ever needs to listen for changes.
(function () {
  "use strict";
  var EMBED_OPTIONS = { renderer: "svg", actions: false };

  function standInModel(spec) {
    var values = { spec: spec, embed_options: EMBED_OPTIONS, revision: 1 };
    return {
      get: function (name) { return values[name]; },
      on: function () {},
      off: function () {},
    };
  }

  // course_chart.js marks a chart's title as a heading of level 4, which suits a notebook.
  // On a site page the chart sits in a lesson section of level 2 or 3, so its title takes
  // the level just below the nearest heading before it: no gap in the page's outline.
  var HEADINGS = "h1, h2, h3, h4, h5, h6, [role=heading][aria-level]";

  function levelOf(heading) {
    var aria = Number(heading.getAttribute("aria-level"));
    return aria || Number(heading.tagName.charAt(1)) || 0;
  }

  function fitTitleLevel(host) {
    var title = host.querySelector(".course-chart-title[role=heading]");
    if (!title) return;
    var before = 0;
    document.querySelectorAll(HEADINGS).forEach(function (heading) {
      if (heading.closest(".course-chart-title, .bd-sidebar-primary, .bd-header")) return;
      if (heading.compareDocumentPosition(host) & Node.DOCUMENT_POSITION_FOLLOWING) {
        before = levelOf(heading);
      }
    });
    if (before) title.setAttribute("aria-level", String(Math.min(6, before + 1)));
  }

  function drawOne(host) {
    if (host.dataset.courseChartDrawn) return Promise.resolve();
    host.dataset.courseChartDrawn = "pending";
    var source = document.getElementById(host.getAttribute("data-course-chart-spec"));
    var fail = function (message) {
      host.dataset.courseChartDrawn = "error";
      var box = document.createElement("p");
      box.className = "course-chart-error";
      box.setAttribute("role", "alert");
      box.textContent = "This chart could not be drawn: " + message;
      host.appendChild(box);
    };
    if (!source) { fail("its data are missing from the page."); return Promise.resolve(); }
    if (!window.BreakingRanksChart) { fail("the chart script did not load."); return Promise.resolve(); }
    var spec;
    try {
      spec = JSON.parse(source.textContent);
    } catch (error) {
      fail("its data are not valid JSON (" + error.message + ").");
      return Promise.resolve();
    }
    var noscript = host.querySelector("noscript");
    if (noscript) noscript.remove();
    return Promise.resolve(window.BreakingRanksChart.render({ model: standInModel(spec), el: host }))
      .then(function () {
        fitTitleLevel(host);
        host.dataset.courseChartDrawn = host.querySelector(".course-chart-error") ? "error" : "yes";
      })
      .catch(function (error) { fail(error && error.message ? error.message : String(error)); });
  }

  function drawAll() {
    var hosts = document.querySelectorAll("[data-course-chart-spec]");
    return Promise.all(Array.prototype.map.call(hosts, drawOne)).then(function () {
      // Read by the site's browser test and benchmark: every chart on the page has finished.
      document.documentElement.dataset.courseChartsDrawn = String(hosts.length);
    });
  }

  window.BreakingRanksDrawCharts = drawAll;
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
