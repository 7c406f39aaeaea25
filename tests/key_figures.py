"""Record the key figures that lessons print, for nbval to compare on every test run.

Run after a deliberate change to data or a lesson: ``python tests/key_figures.py``.
It executes every notebook with cells tagged ``nbval-check-output`` in a fresh kernel,
stores those cells' text outputs in ``tests/key_figures.json`` and prints what changed,
so a reviewer sees every changed number in the diff.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "key_figures.json"
TAG = "nbval-check-output"


def tagged_notebooks() -> list[Path]:
    found = []
    for folder in ("lessons", "exercises", "solutions"):
        for path in sorted((ROOT / folder).glob("*.ipynb")):
            nb = nbformat.read(path, as_version=4)
            if any(TAG in c.metadata.get("tags", []) for c in nb.cells):
                found.append(path)
    return found


def record(path: Path) -> dict[str, list[dict]]:
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    figures = {}
    for cell in nb.cells:
        if cell.cell_type == "code" and TAG in cell.metadata.get("tags", []):
            outputs = []
            for out in cell.outputs:
                if out.output_type == "stream":
                    outputs.append({"output_type": "stream", "name": out.name, "text": out.text})
                elif out.output_type in ("execute_result", "display_data") and "text/plain" in out.data:
                    outputs.append({"output_type": out.output_type, "data": {"text/plain": out.data["text/plain"]},
                                    "metadata": {}, **({"execution_count": None} if out.output_type == "execute_result" else {})})
            figures[cell.id] = outputs
    return figures


def main(argv: list[str]) -> int:
    only = {Path(a).resolve() for a in argv}
    old = json.loads(OUT.read_text(encoding="utf-8")) if OUT.exists() else {}
    new = dict(old)
    for path in tagged_notebooks():
        if only and path.resolve() not in only:
            continue
        rel = path.relative_to(ROOT).as_posix()
        print(f"recording {rel} …", flush=True)
        new[rel] = record(path)
        if old.get(rel) != new[rel]:
            print(f"  changed: {rel}")
    existing = {p.relative_to(ROOT).as_posix() for p in tagged_notebooks()}
    new = {k: v for k, v in sorted(new.items()) if k in existing}
    OUT.write_text(json.dumps(new, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
