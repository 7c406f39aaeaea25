"""Rebuild (or check) the live charts' offline JavaScript bundle.

The bundle is committed so that a student's install needs neither a network nor the 84 MB
vl-convert package to draw charts; vl-convert is a maintainer's and the test suite's tool.

    python -m defection.charts.bundle          # rewrite js/course_chart.bundle.js
    python -m defection.charts.bundle --check  # exit 1 if it is out of date
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

#: The Vega-Lite version bundled: the one altair emits (altair 6.3 -> Vega-Lite 6.4).
VL_VERSION = "v6_4"

JS_DIR = Path(__file__).resolve().parent / "js"
SOURCE = JS_DIR / "course_chart.js"
TARGET = JS_DIR / "course_chart.bundle.js"


def build() -> str:
    """Bundle ``course_chart.js`` with vega-embed, Vega-Lite and Vega (deterministic output)."""
    try:
        import vl_convert as vlc
    except ImportError as exc:  # pragma: no cover - the test extras always have it
        raise SystemExit(
            "Rebuilding the chart bundle needs vl-convert-python: "
            ".venv/bin/python -m pip install -r tests/requirements.txt"
        ) from exc
    return vlc.javascript_bundle(SOURCE.read_text(encoding="utf-8"), vl_version=VL_VERSION) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the committed bundle is stale")
    args = parser.parse_args(argv)
    fresh = build()
    if args.check:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != fresh:
            print(f"{TARGET} is out of date: run python -m defection.charts.bundle", file=sys.stderr)
            return 1
        print(f"{TARGET.name} is up to date ({len(fresh):,} characters)")
        return 0
    TARGET.write_text(fresh, encoding="utf-8")
    print(f"wrote {TARGET} ({len(fresh):,} characters)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
