"""Small helpers for writing MyST pages safely: escaping, inline links, raw-HTML anchors.

Generated pages put user-facing text from CSV and JSON into Markdown, where a stray ``*``,
``|`` or ``<`` would change the page. Links to the bibliography are inline HTML so that
their ``#ref-<source_id>`` anchors survive exactly as written (Sphinx would rewrite the
underscores of a MyST target into hyphens).
"""

from __future__ import annotations

import html
import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def md_escape(text: object) -> str:
    """``text`` as literal Markdown (no emphasis, links, tables or HTML)."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def table_cell(text: object) -> str:
    """``text`` safe inside a Markdown table cell (one line, pipes escaped)."""
    return md_escape(text) if str(text).strip() else "—"


def anchor(anchor_id: str) -> str:
    """An empty inline element that a link can target as ``#anchor_id``."""
    return f'<span id="{html.escape(anchor_id, quote=True)}"></span>'


def link(href: str, text: str) -> str:
    """An inline HTML link (kept as written by Sphinx)."""
    return f'<a href="{html.escape(href, quote=True)}">{html.escape(text)}</a>'


def ref_id(source_id: str) -> str:
    """The bibliography anchor of a source: ``ref-<source_id>``."""
    return f"ref-{source_id}"
