"""Sphinx configuration of the course website (used by ``defection.site.builder``).

The source folder is a staging copy that the builder writes (lessons, exercise sets, data
pages, generated pages); this file only says how to turn it into HTML. Everything the
pages load is served from the site itself: the ipywidgets and require.js scripts that
MyST-NB would take from a CDN are switched off (the course's panels display as static
charts on the site), MathJax is not loaded (no lesson uses TeX), and the theme's fonts and
icons ship inside the theme.
"""

from __future__ import annotations

project = "Breaking Ranks"
author = "The Breaking Ranks course authors"
copyright = "the Breaking Ranks course authors; text CC-BY-4.0, code MIT"
language = "en"

# githubpages writes .nojekyll: without it GitHub Pages hides every folder whose name starts
# with "_", which is where Sphinx puts the scripts and styles (_static/).
extensions = ["myst_nb", "sphinx.ext.githubpages"]
root_doc = "index"
exclude_patterns = ["_build", "**.ipynb_checkpoints", ".jupyter_cache", "jupyter_execute"]

# --- MyST and notebooks -------------------------------------------------------------------
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
# Lessons are run afresh on every build (deterministic, no cache to go stale); the builder
# switches this to "off" for a quick build of the pages' structure (execute=False).
nb_execution_mode = "force"
nb_execution_timeout = 600
nb_execution_raise_on_error = True
nb_execution_show_tb = True
# Exercise sets are shown as questions, not run: their outputs would only be "not answered
# yet" from the self-checks, which a reader of a web page cannot answer.
nb_execution_excludepatterns = ["exercises/*"]
nb_merge_streams = True
# No CDN scripts: panels show as static charts on the site, so no widget manager is needed.
nb_ipywidgets_js = {}
# A widget's view is meaningless without a kernel; show its other forms instead.
nb_mime_priority_overrides = [("html", "application/vnd.jupyter.widget-view+json", None)]

# --- HTML ---------------------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = "Breaking Ranks"
html_favicon = "_static/favicon.svg"  # else browsers ask for /favicon.ico and log a 404
html_static_path = ["_static"]  # the builder adds the staged _static/ (chart script)
html_css_files = ["course_site.css", "a11y.css"]
html_js_files = [
    ("course_chart.site.js", {"defer": "defer"}),
    ("course_site_charts.js", {"defer": "defer"}),
]
# The theme follows the reader's light/dark preference ("auto"); without a value its script
# logs an error on every page. Charts keep a light card in dark mode (course_site.css).
html_context = {"default_mode": "auto"}
html_use_index = False  # the course has no index entries: an empty genindex page no link reaches
html_copy_source = False
html_show_sourcelink = False
html_last_updated_fmt = None
html_theme_options = {
    "home_page_in_toc": True,
    "show_toc_level": 2,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "navigation_with_keys": False,
    "search_bar_text": "Search the course…",
}
html_sidebars = {"**": ["navbar-logo.html", "sbt-sidebar-nav.html"]}  # one search box: the header's
# No TeX in the course (MyST's dollar-math is off), so Sphinx adds MathJax to no page; the
# site test fails if any page ever loads a remote script.
suppress_warnings = ["mystnb.unknown_mime_type"]

#: The chart bundle (about 900 KB) is only worth loading on pages that hold a chart. The
#: small course_site_charts.js stays on every page, so every page reports
#: ``data-course-charts-drawn`` (0 where there is none) for the browser test.
CHART_SCRIPTS = ("course_chart.site.js",)


def _charts_only_where_drawn(app, pagename, templatename, context, doctree):
    """Drop the chart bundle from pages with no chart (data dictionary, bibliography, ...)."""
    if "data-course-chart-spec" in context.get("body", ""):
        return
    scripts = context.get("script_files")
    if scripts:
        context["script_files"] = [
            js for js in scripts if not str(getattr(js, "filename", js)).endswith(CHART_SCRIPTS)
        ]


def setup(app):
    app.connect("html-page-context", _charts_only_where_drawn)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
