"""How long the site takes to build and how big it is: numbers for tests/benchmarks/.

    python -m defection.site.benchmark [--out DIR] [--no-execute] [--json PATH]

``measure_build()`` is what the site benchmark calls: it builds once and returns plain
numbers (seconds, pages, files, bytes, the heaviest pages and what ``_static/`` weighs). It
reports; it never fails because a build is slow or large.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from defection.site.builder import build_report


def sizes(site: Path, *, top: int = 8) -> dict[str, Any]:
    """Sizes of a built site: total, by top-level folder, and the largest HTML pages."""
    files = [p for p in site.rglob("*") if p.is_file()]
    by_folder: dict[str, int] = {}
    for path in files:
        rel = path.relative_to(site)
        key = rel.parts[0] if len(rel.parts) > 1 else "(top level)"
        by_folder[key] = by_folder.get(key, 0) + path.stat().st_size
    pages = sorted((p for p in files if p.suffix == ".html"), key=lambda p: p.stat().st_size, reverse=True)
    return {
        "bytes": sum(p.stat().st_size for p in files),
        "files": len(files),
        "pages": len(pages),
        "by_folder_bytes": dict(sorted(by_folder.items(), key=lambda kv: -kv[1])),
        "largest_pages": [
            {"page": str(p.relative_to(site)), "bytes": p.stat().st_size} for p in pages[:top]
        ],
    }


def measure_build(out_dir: Path | None = None, *, execute: bool = True) -> dict[str, Any]:
    """Build the site (into a temporary folder unless ``out_dir``) and return its numbers."""
    with tempfile.TemporaryDirectory(prefix="breaking-ranks-site-bench-") as tmp:
        target = Path(out_dir) if out_dir is not None else Path(tmp) / "site"
        report = build_report(target, execute=execute)
        result = {"build_seconds": round(report.seconds, 2), "executed": execute,
                  "sphinx_warnings": len(report.warnings), **sizes(report.out_dir)}
        result["site"] = str(report.out_dir) if out_dir is not None else None
    return result


def format_report(result: dict[str, Any]) -> str:
    """The numbers as a short table for a terminal."""
    lines = [
        f"site build: {result['build_seconds']:.1f} s ({'lessons executed' if result['executed'] else 'not executed'})",
        f"site size: {result['bytes'] / 1e6:.2f} MB in {result['files']} files, {result['pages']} HTML pages",
        "by folder:",
    ]
    lines += [f"  {name:<14} {size / 1e6:7.2f} MB" for name, size in result["by_folder_bytes"].items()]
    lines.append("largest pages:")
    lines += [f"  {p['page']:<44} {p['bytes'] / 1e3:7.0f} KB" for p in result["largest_pages"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time the site build and measure the site.")
    parser.add_argument("--out", type=Path, default=None, help="keep the site in this folder")
    parser.add_argument("--no-execute", action="store_true", help="do not run the lessons")
    parser.add_argument("--json", type=Path, default=None, help="also write the numbers as JSON")
    args = parser.parse_args(argv)
    result = measure_build(args.out, execute=not args.no_execute)
    print(format_report(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
