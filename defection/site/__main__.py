"""``python -m defection.site [--out DIR] [--no-execute] [--verbose]``: build the website.

Prints a few lines of progress, then the absolute path of the folder holding ``index.html``
as its last line (scripts and the README's command read that line).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m defection.site",
        description="Build the Breaking Ranks course as a static website (offline).",
    )
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: build/site/)")
    parser.add_argument(
        "--no-execute", action="store_true", help="do not run the lessons (quick structural build)"
    )
    parser.add_argument("--verbose", action="store_true", help="show Sphinx's full log")
    args = parser.parse_args(argv)

    from defection.site import builder
    from defection.site.deps import MissingSiteDependencies

    def progress(message: str) -> None:
        print(message, flush=True)

    try:
        report = builder.build_report(args.out, execute=not args.no_execute, verbose=args.verbose, progress=progress)
    except (MissingSiteDependencies, builder.SiteBuildError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if report.warnings:
        print(f"{len(report.warnings)} warning(s) from Sphinx:", file=sys.stderr)
        for line in report.warnings[:20]:
            print(f"  {line}", file=sys.stderr)
    print(
        f"Built {report.pages} pages ({report.bytes / 1e6:.1f} MB in {report.files} files) "
        f"in {report.seconds:.0f} s."
    )
    print(report.out_dir, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
