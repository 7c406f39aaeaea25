"""The course agrees with itself: prose figures match data rows, lesson times agree, and a
claim is never restated as fact in key points.

The first test runs the drift checker over the real course. The others feed it a small,
deliberately drifted course in a temporary folder, so each check is shown to fail when it
should (a checker that never fails proves nothing).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from defection import prose

ROOT = Path(__file__).resolve().parents[2]


def test_the_course_has_no_drift():
    problems = prose.all_problems(ROOT)
    assert not problems, "drift found:\n" + "\n".join(map(str, problems))


def test_every_claim_row_exists_and_cites_its_rows_source():
    with (ROOT / "data" / "claims.csv").open(encoding="utf-8", newline="") as f:
        claims = list(csv.DictReader(f))
    assert claims
    for claim in claims:
        with (ROOT / "data" / f"{claim['table']}.csv").open(encoding="utf-8", newline="") as f:
            rows = {next(iter(r.values())): r for r in csv.DictReader(f)}
        assert claim["row_id"] in rows, claim
        assert rows[claim["row_id"]]["source_id"] == claim["source_id"], claim


# --------------------------------------------------------------------------- a toy course

LESSON = """# Lesson 1 — Toy

Estimated time: {minutes} minutes

## Learning objectives
- read a number
"""

BODY = (
    "The MNDAA said 2,389 soldiers surrendered at Laukkai on 4 January 2024 "
    "[@irrawaddy_2024_laukkai]. A battalion of 127 gave up earlier [@ap_2023_laukkai]."
)

KEY_POINTS = """## Key points
- {point}
"""


def _notebook(*cells: str) -> dict:
    return {
        "cells": [{"cell_type": "markdown", "id": f"c{i}", "metadata": {},
                   "source": text.splitlines(keepends=True)} for i, text in enumerate(cells)],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    }


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def make_course(root: Path, *, body: str = BODY, lesson_min: int = 50, readme_min: int = 50,
                guide_min: int = 50, point: str = "The MNDAA counted 2,389 at Laukkai.",
                event_text: str = "The Arakan Army says it took the Western Command.") -> Path:
    (root / "lessons").mkdir(parents=True)
    (root / "data").mkdir()
    nb = _notebook(LESSON.format(minutes=lesson_min), body, KEY_POINTS.format(point=point))
    (root / "lessons" / "01_toy.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    (root / "README.md").write_text(
        "| # | Lesson | You will | Time |\n|---|---|---|---|\n"
        f"| 01 | [Toy](lessons/01_toy.ipynb) | read | {readme_min} min |\n", encoding="utf-8")
    (root / "INSTRUCTORS.md").write_text(
        "| Part | In class | Homework |\n|---|---|---|\n"
        f"| 01 Toy | ~{guide_min} min (45–60) | Set 1 |\n", encoding="utf-8")
    _write_csv(root / "data" / "defection_counts.csv",
               ["count_id", "as_of", "value", "claimant", "verification", "source_id", "notes"],
               [["dc1", "2024-01-04", "2389", "MNDAA", "claimed", "irrawaddy_2024_laukkai", ""],
                ["dc2", "2023-11-12", "127", "MNDAA", "claimed", "ap_2023_laukkai", ""]])
    _write_csv(root / "data" / "events.csv",
               ["event_id", "date", "title", "description", "source_id"],
               [["ev1", "2024-12-20", "Western Command", event_text, "afp_2024_western_command"]])
    _write_csv(root / "data" / "claims.csv",
               ["claim_id", "table", "row_id", "claimant", "phrase", "source_id"],
               [["cl1", "events", "ev1", "Arakan Army; AA", "Western Command",
                 "afp_2024_western_command"],
                ["cl2", "defection_counts", "dc1", "MNDAA", "2,389", "irrawaddy_2024_laukkai"]])
    return root


def test_toy_course_is_clean(tmp_path):
    assert prose.all_problems(make_course(tmp_path)) == []


def test_a_figure_that_drifted_from_its_row_fails(tmp_path):
    root = make_course(tmp_path, body=BODY.replace("2,389", "2,398"))
    problems = prose.figure_problems(root)
    assert len(problems) == 1
    assert "2,398" in str(problems[0]) and "irrawaddy_2024_laukkai" in str(problems[0])
    assert "01_toy.ipynb cell c1" in str(problems[0])


def test_a_figure_cited_to_the_wrong_source_fails(tmp_path):
    body = "A battalion of 127 gave up [@irrawaddy_2024_laukkai]."
    problems = prose.figure_problems(make_course(tmp_path, body=body))
    assert [p.message.split()[0] for p in problems] == ["127"]


def test_uncited_and_small_numbers_are_not_checked(tmp_path):
    body = "About 999 people came, by one estimate. Some 12 units [@ap_2023_laukkai]."
    assert prose.figure_problems(make_course(tmp_path, body=body)) == []


def test_a_date_that_drifted_from_its_row_fails(tmp_path):
    root = make_course(tmp_path, body=BODY.replace("4 January 2024", "5 January 2024"))
    problems = prose.date_problems(root)
    assert len(problems) == 1 and "5 January 2024" in str(problems[0])


@pytest.mark.parametrize("where", ["lesson_min", "readme_min", "guide_min"])
def test_a_lesson_time_that_disagrees_fails(tmp_path, where):
    root = make_course(tmp_path, **{where: 55})
    problems = prose.time_problems(root)
    assert len(problems) == 1 and "times disagree" in str(problems[0])
    assert "55 min" in str(problems[0]) and "50 min" in str(problems[0])


def test_a_missing_lesson_time_fails(tmp_path):
    root = make_course(tmp_path)
    (root / "README.md").write_text("no table here\n", encoding="utf-8")
    problems = prose.time_problems(root)
    assert problems and "README.md" in str(problems[0])


def test_lesson_times_reads_all_three_places(tmp_path):
    times = prose.lesson_times(make_course(tmp_path, guide_min=50))
    assert times == {"01": {"lesson": 50, "README.md": 50, "INSTRUCTORS.md": 50}}


def test_a_claim_restated_as_fact_in_key_points_fails(tmp_path):
    root = make_course(tmp_path, point="Two regional commands fell, the Western Command among them.")
    problems = prose.claim_problems(root)
    assert len(problems) == 1
    assert "key points" in str(problems[0]) and "cl1" in str(problems[0])


def test_a_count_stated_without_its_claimant_fails(tmp_path):
    root = make_course(tmp_path, point="2,389 soldiers surrendered at Laukkai.")
    problems = prose.claim_problems(root)
    assert len(problems) == 1 and "cl2" in str(problems[0])


@pytest.mark.parametrize("point", [
    "The AA says it took the Western Command.",
    "By the Arakan Army's account the Western Command fell.",
    "The Western Command reportedly fell.",
])
def test_a_hedged_claim_passes(tmp_path, point):
    assert prose.claim_problems(make_course(tmp_path, point=point)) == []


def test_a_claim_row_that_states_its_claim_as_fact_fails(tmp_path):
    root = make_course(tmp_path, event_text="The army lost the Western Command.")
    problems = prose.claim_problems(root)
    assert len(problems) == 1 and "data/events.csv ev1" in str(problems[0])


def test_a_claim_pointing_at_a_missing_row_fails(tmp_path):
    root = make_course(tmp_path)
    path = root / "data" / "claims.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("ev1", "ev9"), encoding="utf-8")
    assert any("no row ev9" in str(p) for p in prose.claim_problems(root))


def test_limits_are_stated():
    assert "cannot" in prose.LIMITS and "claims.csv" in prose.LIMITS
