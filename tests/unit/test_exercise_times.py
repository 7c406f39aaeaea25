"""Each exercise set states one time, and the notebook and INSTRUCTORS.md agree on it."""

from __future__ import annotations

import re

import check_harness as H
import nbformat
import pytest

GUIDE = (H.ROOT / "INSTRUCTORS.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5])
def test_notebooks_and_guide_state_the_same_time(n):
    stem = next(p.name for p in (H.ROOT / "solutions").glob(f"0{n}_*.ipynb"))
    times = set()
    for path in (H.solution_path(stem), H.exercise_path(stem)):
        first = nbformat.read(path, as_version=4).cells[0].source
        m = re.search(r"Estimated time: (\d+) minutes", first)
        assert m, path
        times.add(int(m.group(1)))
    assert len(times) == 1, times
    m = re.search(rf"Set {n}: about (\d+) min\b", GUIDE)
    assert m, f"INSTRUCTORS.md gives no time for set {n}"
    assert int(m.group(1)) in times, (n, m.group(1), times)
