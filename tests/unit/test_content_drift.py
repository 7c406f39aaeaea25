"""The course agrees with itself and with its data: figures, dates, claims and their
claimants, model outputs, codings, the coverage date and lesson times.

The first tests run every drift check over the real course and list what they find. The
others build a small course in a temporary folder and drift it on purpose, one kind at a
time, so each check is shown to fail when it should (a checker that never fails proves
nothing); and two change a figure in a copy of the real data, to show that the real
course's prose is held to it.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from defection import data, definitions, prose
from defection.prose import ModelQuote

ROOT = Path(__file__).resolve().parents[2]

#: Findings on the real course still to be fixed: (where, words of the message, why). Empty:
#: the issue-21 contradictions it once listed are fixed. It must never grow to hide a new
#: finding; the test below fails on any entry that no longer fires.
KNOWN_FINDINGS: tuple[tuple[str, str, str], ...] = ()


def _at(problem: prose.Problem, where: str) -> bool:
    """``where`` names the place exactly, or, ending in ":", any line of that file."""
    return problem.where == where or (where.endswith(":") and problem.where.startswith(where))


def _known(problem: prose.Problem) -> bool:
    return any(_at(problem, where) and words in problem.message
               for where, words, _ in KNOWN_FINDINGS)


@pytest.fixture(scope="module")
def real_problems() -> list[prose.Problem]:
    return prose.all_problems(ROOT)


def test_the_course_has_no_drift(real_problems):
    new = [p for p in real_problems if not _known(p)]
    assert not new, (f"{len(new)} drift finding(s); fix the prose or the data (never the "
                     "check):\n" + "\n".join(f"  - {p}" for p in new))


def test_every_known_finding_is_still_found(real_problems):
    """An entry whose finding is gone must leave the list, so the list cannot hide a
    future drift at the same place."""
    stale = [entry for entry in KNOWN_FINDINGS
             if not any(_at(p, entry[0]) and entry[1] in p.message for p in real_problems)]
    assert not stale, f"fixed, remove from KNOWN_FINDINGS: {stale}"


def test_every_claim_row_exists_and_cites_its_rows_source():
    with (ROOT / "data" / "claims.csv").open(encoding="utf-8", newline="") as f:
        claims = list(csv.DictReader(f))
    assert claims
    for claim in claims:
        with (ROOT / "data" / f"{claim['table']}.csv").open(encoding="utf-8", newline="") as f:
            rows = {next(iter(r.values())): r for r in csv.DictReader(f)}
        assert claim["row_id"] in rows, claim
        assert rows[claim["row_id"]]["source_id"] == claim["source_id"], claim
        assert claim["status"] in prose.claims.STATUSES, claim


def test_every_untabled_and_allowed_figure_is_still_needed():
    """An allow-list entry that a row now backs, or that no passage states, must go."""
    rows = prose.text.fact_rows(ROOT)
    known = prose.text.known_numbers(rows)
    stated = " ".join(p.text for p in prose.text.passages(ROOT))
    for where, value, why in prose.UNTABLED:
        assert value not in known, f"a row now states {value} ({why}): drop it from UNTABLED"
        written = (f"{value / 1e6:g} million" if value >= 1e6 else
                   f"{value:,.0f}" if value >= 1000 else f"{value:g}")
        assert written in stated, f"no passage states {written} any more: drop it ({why})"


# --------------------------------------------------------------------------- the record

def test_one_definition_per_category_in_the_package():
    cats = definitions.categories("uprisings", "sf_defection")
    field = next(f for f in data.schema("uprisings").itertuples() if f.column == "sf_defection")
    assert [c["value"] for c in cats] == field.allowed.split(", ")
    assert all(c["definition"] and c["label"] and "requires" in c for c in cats)


def test_checks_and_charts_count_splits_as_the_package_defines():
    from defection.charts.cohesion import DEFECTION_LABELS
    from defection.checks import lesson01
    from defection.comparative import DEFECTION_LEVELS
    assert set(lesson01.TOP_SPLIT) == set(
        definitions.values_where("uprisings", "sf_defection", split_at_top=True))
    # comparative.fell_share counts every level but "none" as a break with the ruler
    broke = definitions.values_where("uprisings", "sf_defection", broke_with_ruler=False)
    assert broke == ("none",)
    assert set(DEFECTION_LEVELS) == set(DEFECTION_LABELS)
    assert DEFECTION_LABELS == definitions.labels("uprisings", "sf_defection")


def test_definitions_print_for_a_lesson(capsys):
    definitions.show("uprisings", "sf_defection")
    out = capsys.readouterr().out
    assert "partial — " in out and "mid_level" in out and "not a split at the top" in out


def test_the_site_data_page_prints_each_definition():
    from defection.site import datadict
    from defection.site.markup import table_cell
    package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    uprisings = next(r for r in package["resources"] if r["name"] == "uprisings")
    page = datadict.table_page(uprisings, [], {}, bibliography="b.html").text
    for cat in definitions.categories("uprisings", "sf_defection"):
        assert table_cell(cat["definition"]) in page
    assert "| `partial` |" in page and "`rank_and_file`, `mid_level`" in page


def test_the_widgets_span_is_the_data_coverage():
    from defection.widgets import controls
    start, end = data.coverage()
    assert controls.COVERAGE == (f"{start:%Y-%m}", f"{end:%Y-%m}")


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

MODEL_CELL = "At 2021 settings the model has about 7% of the rank and file leaving."

CODING_CELL = "Our hand-coded levels: `partial` (rank and file and mid-level officers) and `coup`."

GUIDE = "# Guide\n\nThe data end in May 2026.\n"


def _notebook(*cells: tuple[str, str]) -> dict:
    return {
        "cells": [{"cell_type": "markdown", "id": cid, "metadata": {},
                   "source": text.splitlines(keepends=True)} for cid, text in cells],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    }


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def _package(end: str = "2026-05-31", maximum: str = "2026-05-31") -> dict:
    real = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    uprisings = next(r for r in real["resources"] if r["name"] == "uprisings")
    return {
        "name": "toy", "coverage": {"start": "2021-02-01", "end": end},
        "resources": [
            {"name": "events", "path": "events.csv", "description": "Events to 31 May 2026.",
             "schema": {"fields": [{"name": "date", "type": "date",
                                    "constraints": {"maximum": maximum}}]}},
            uprisings,
        ],
    }


def make_course(root: Path, *, body: str = BODY, lesson_min: int = 50, readme_min: int = 50,
                guide_min: int = 50, point: str = "The MNDAA counted 2,389 at Laukkai.",
                event_text: str = "The Arakan Army says it took the Western Command.",
                model_cell: str = MODEL_CELL, coding_cell: str = CODING_CELL,
                guide: str = GUIDE, solution: str = "A fair answer names who counted.",
                end: str = "2026-05-31") -> Path:
    (root / "lessons").mkdir(parents=True)
    (root / "solutions").mkdir()
    (root / "data").mkdir()
    nb = _notebook(("c0", LESSON.format(minutes=lesson_min)), ("c1", body),
                   ("c2", model_cell), ("c3", coding_cell),
                   ("c4", KEY_POINTS.format(point=point)))
    (root / "lessons" / "01_toy.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    (root / "solutions" / "01_toy.ipynb").write_text(
        json.dumps(_notebook(("s1", solution))), encoding="utf-8")
    (root / "README.md").write_text(
        "| # | Lesson | You will | Time |\n|---|---|---|---|\n"
        f"| 01 | [Toy](lessons/01_toy.ipynb) | read | {readme_min} min |\n", encoding="utf-8")
    (root / "INSTRUCTORS.md").write_text(
        "| Part | In class | Homework |\n|---|---|---|\n"
        f"| 01 Toy | ~{guide_min} min (45–60) | Set 1 |\n\n{guide}", encoding="utf-8")
    (root / "data" / "datapackage.json").write_text(json.dumps(_package(end)), encoding="utf-8")
    _write_csv(root / "data" / "defection_counts.csv",
               ["count_id", "as_of", "value", "claimant", "verification", "source_id", "notes"],
               [["dc1", "2024-01-04", "2389", "MNDAA", "claimed", "irrawaddy_2024_laukkai", ""],
                ["dc2", "2023-11-12", "127", "MNDAA", "claimed", "ap_2023_laukkai", ""]])
    _write_csv(root / "data" / "events.csv",
               ["event_id", "date", "title", "description", "source_id"],
               [["ev1", "2024-12-20", "Western Command", event_text, "afp_2024_western_command"],
                ["ev2", "2025-07-24", "Sanctions lifted",
                 "The US delists Shwe Byain Phyu, which press reports call military-linked.",
                 "borderlens_2025_sanctions"]])
    _write_csv(root / "data" / "claims.csv",
               ["claim_id", "table", "row_id", "claimant", "status", "subject", "phrase",
                "source_id"],
               [["cl1", "events", "ev1", "Arakan Army; AA", "claimed", "", "Western Command",
                 "afp_2024_western_command"],
                ["cl2", "defection_counts", "dc1", "MNDAA", "claimed", "", "2,389",
                 "irrawaddy_2024_laukkai"],
                ["cl3", "events", "ev2", "press reports", "reported", "Shwe Byain Phyu",
                 "military-linked; tied to the military", "borderlens_2025_sanctions"]])
    prose.clear_cache()
    return root


TOY_QUOTES = (ModelQuote("lessons/01_toy.ipynb cell c2", "2021 as it was", "rank_and_file_out",
                         r"(?P<fig>(?:about )?\d+ ?%) of the rank and file"),)


def test_toy_course_is_clean(tmp_path):
    root = make_course(tmp_path)
    found = [p for name, check in prose.CHECKS.items() if name != "model figures"
             for p in check(root)]
    assert found == []
    assert prose.model_problems(root, TOY_QUOTES) == []


# --- figures in cited sentences (what the checker did before)

def test_a_figure_that_drifted_from_its_row_fails(tmp_path):
    root = make_course(tmp_path, body=BODY.replace("2,389", "2,398"))
    problems = prose.figure_problems(root)
    assert len(problems) == 1
    assert "2,398" in str(problems[0]) and "irrawaddy_2024_laukkai" in str(problems[0])
    assert "lessons/01_toy.ipynb cell c1" in str(problems[0])


def test_a_figure_cited_to_the_wrong_source_fails(tmp_path):
    body = "A battalion of 127 gave up [@irrawaddy_2024_laukkai]."
    problems = prose.figure_problems(make_course(tmp_path, body=body))
    assert [p.message.split()[0] for p in problems] == ["127"]


def test_a_date_that_drifted_from_its_row_fails(tmp_path):
    root = make_course(tmp_path, body=BODY.replace("4 January 2024", "5 January 2024"))
    problems = prose.date_problems(root)
    assert len(problems) == 1 and "5 January 2024" in str(problems[0])


# --- (a) a hedged row restated as plain fact

def test_a_reported_link_restated_as_fact_in_a_solution_fails(tmp_path):
    root = make_course(tmp_path, solution="The buyer, Shwe Byain Phyu, is tied to the military.")
    problems = prose.claim_problems(root)
    assert len(problems) == 1
    assert "solutions/01_toy.ipynb cell s1" in str(problems[0]) and "cl3" in str(problems[0])
    assert "reported" in str(problems[0])


def test_a_hedge_in_the_sentence_before_counts_as_nearby(tmp_path):
    text = ("Press reports link the buyer to the army. Shwe Byain Phyu is military-linked, "
            "they say.")
    assert prose.claim_problems(make_course(tmp_path, solution=text)) == []


def test_a_claimed_count_in_a_guide_without_its_claimant_fails(tmp_path):
    root = make_course(tmp_path, guide="2,389 soldiers surrendered at Laukkai.")
    problems = prose.claim_problems(root)
    assert len(problems) == 1 and "INSTRUCTORS.md" in str(problems[0])
    assert "cl2" in str(problems[0])


def test_a_claim_restated_as_fact_in_key_points_fails(tmp_path):
    point = "Two regional commands fell, the Western Command among them."
    root = make_course(tmp_path, point=point)
    problems = prose.claim_problems(root)
    assert len(problems) == 1 and "cl1" in str(problems[0])


@pytest.mark.parametrize("point", [
    "The AA says it took the Western Command.",
    "By the Arakan Army's account the Western Command fell.",
    "The Western Command reportedly fell.",
    "The North Western Command's chief was removed.",
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
    path.write_text(path.read_text(encoding="utf-8").replace("ev1,", "ev9,"), encoding="utf-8")
    prose.clear_cache()
    assert any("no row ev9" in str(p) for p in prose.claim_problems(root))


# --- (b) a count or date with no row it agrees with

@pytest.mark.parametrize("guide, written", [
    ("About 3,100 soldiers surrendered in 2024.", "3,100"),
    ("The army lost 41 townships.", "41"),
    ("Some 12% of the army had left.", "12%"),
    ("The junta alleged 8.6 million suspect votes.", "8.6 million"),
    ("Lashio fell on 3 August 2024.", "3 August 2024"),
])
def test_an_unbacked_count_or_date_in_a_guide_fails(tmp_path, guide, written):
    problems = prose.unbacked_problems(make_course(tmp_path, guide=guide))
    assert len(problems) == 1 and written in str(problems[0])
    assert str(problems[0]).startswith("INSTRUCTORS.md:")


@pytest.mark.parametrize("guide", [
    "Section 3 takes 45 min; set 2 is worth 4 pts.",
    "Write 1,000–1,500 words.",
    "By 2024 the war had spread; run `cases.head(25)`.",
    "The MNDAA counted 2,389 soldiers.",
    "The scenario model's threshold is 25%.",
    "The data cover 1 February 2021 to 31 May 2026.",
    "- Kyed, H. M. (2024, 9 April). A title. <https://example.org/x>",
])
def test_what_is_not_load_bearing_passes(tmp_path, guide):
    assert prose.unbacked_problems(make_course(tmp_path, guide=guide)) == []


def test_an_unbacked_count_in_a_rubric_fails(tmp_path):
    root = make_course(tmp_path)
    (root / "defection" / "checks").mkdir(parents=True)
    (root / "defection" / "checks" / "lesson01.py").write_text(
        'w1 = dict(rubric=("4 pts. 1: says that about 3,100 soldiers had defected by 2022, "\n'
        '                  "with the claimant and the date of the count."))\n', encoding="utf-8")
    prose.clear_cache()
    problems = prose.unbacked_problems(root)
    assert len(problems) == 1
    assert str(problems[0]).startswith("defection/checks/lesson01.py:1: 3,100")


# --- (c) the same figure attributed to different claimants

def test_a_figure_credited_to_another_claimant_fails(tmp_path):
    root = make_course(tmp_path, guide="The NUG counted 2,389 soldiers at Laukkai.")
    problems = prose.claimant_problems(root)
    assert len(problems) == 1
    assert "credits 2,389 to NUG" in str(problems[0]) and "MNDAA" in str(problems[0])


def test_a_claim_credited_to_another_claimant_fails(tmp_path):
    root = make_course(tmp_path, point="The MNDAA says it took the Western Command.")
    problems = prose.claimant_problems(root)
    assert len(problems) == 1 and "Western Command" in str(problems[0])


@pytest.mark.parametrize("guide", [
    "By the MNDAA's count 2,389 soldiers gave up.",
    "2,389 soldiers gave up (numbered 129 by Myanmar Now in another case), the MNDAA says.",
])
def test_the_right_claimant_passes(tmp_path, guide):
    assert prose.claimant_problems(make_course(tmp_path, guide=guide)) == []


# --- (d) a model figure that differs from the model

def test_a_model_figure_that_differs_from_the_model_fails(tmp_path):
    root = make_course(tmp_path, model_cell=MODEL_CELL.replace("7%", "6%"))
    problems = prose.model_problems(root, TOY_QUOTES)
    assert len(problems) == 1
    assert "about 6%" in str(problems[0]) and "2021 as it was" in str(problems[0])


def test_a_registered_model_quote_that_is_gone_fails(tmp_path):
    root = make_course(tmp_path, model_cell="The model moves few soldiers at 2021 settings.")
    problems = prose.model_problems(root, TOY_QUOTES)
    assert len(problems) == 1 and "no longer there" in str(problems[0])


def test_an_unregistered_model_quote_fails(tmp_path):
    cell = 'In "Economic collapse" about one in three senior officers would leave.'
    problems = prose.model_problems(make_course(tmp_path, model_cell=cell), ())
    assert len(problems) == 1 and "not registered" in str(problems[0])


@pytest.mark.parametrize("words, value, ok", [
    ("about 7%", 0.074, True), ("about 6%", 0.074, False), ("one in eight", 0.124, True),
    ("one in four", 0.124, False), ("three in four", 0.75, True), ("almost none", 0.124, False),
    ("no", 0.0, True), ("no", 0.062, False), ("fewer than one in five", 0.16, True),
])
def test_words_become_ranges(words, value, ok):
    low, high = prose.model_figures.stated_range(words)
    assert (low <= value <= high) is ok


# --- (e) a coding defined one way and used another

def test_a_coding_glossed_against_its_definition_fails(tmp_path):
    cell = "Our hand-coded levels: `partial` (rank and file only) and `coup`."
    problems = prose.coding_problems(make_course(tmp_path, coding_cell=cell))
    assert len(problems) == 1
    assert "partial" in str(problems[0]) and "narrower" in str(problems[0])


def test_a_coding_naming_an_excluded_level_fails(tmp_path):
    cell = "Coded `none` (majors defected)."
    problems = prose.coding_problems(make_course(tmp_path, coding_cell=cell))
    assert len(problems) == 1 and "mid_level" in str(problems[0])


def test_a_coup_said_to_be_a_split_fails(tmp_path):
    # The course codes a coup as its own category, not a split at the top (datapackage).
    cell = "Sudan in 2019 shows a split at the top (a coup)."
    problems = prose.coding_problems(make_course(tmp_path, coding_cell=cell))
    assert len(problems) == 1 and "a split at the top" in str(problems[0])


def test_a_major_case_said_to_be_no_split_fails(tmp_path):
    cell = "The Philippines in 1986 shows no split either (coded `major`)."
    problems = prose.coding_problems(make_course(tmp_path, coding_cell=cell))
    assert len(problems) == 1 and "no split" in str(problems[0])


def test_a_row_that_breaks_its_coding_definition_fails_to_load(tmp_path):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    path = tmp_path / "data" / "uprisings.csv"
    text = path.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("C12,"))
    assert ",partial,mid_level," in row
    path.write_text(text.replace(row, row.replace(",partial,mid_level,", ",none,mid_level,")),
                    encoding="utf-8")
    with pytest.raises(data.DataError) as err:
        data.load("uprisings", root=tmp_path / "data")
    message = str(err.value)
    assert "column 'defector_level'" in message and "'mid_level'" in message
    assert "sf_defection is 'none'" in message and "row 13" in message


# --- (f) one coverage date

@pytest.mark.parametrize("guide", [
    "# Guide\n\nThe data end in January 2026.\n",
    "# Guide\n\nThe regime was still in power in January 2026.\n",
    "# Guide\n\nRead every \"still\" as \"still, as of April 2026\".\n",
    "# Guide\n\nThe course's evidence runs to 30 May 2026.\n",
])
def test_an_as_of_that_differs_from_the_coverage_fails(tmp_path, guide):
    problems = prose.coverage_problems(make_course(tmp_path, guide=guide))
    assert len(problems) == 1 and "31 May 2026" in str(problems[0])


def test_a_coverage_moved_in_data_fails_every_statement(tmp_path):
    root = make_course(tmp_path, end="2026-06-30")
    problems = [str(p) for p in prose.coverage_problems(root)]
    assert any("INSTRUCTORS.md" in p and "May 2026" in p for p in problems)
    assert any("events.date" in p and "maximum 2026-05-31" in p for p in problems)
    assert any("events description" in p for p in problems)


def test_a_latest_item_that_is_not_the_latest_row_fails(tmp_path):
    guide = "# Guide\n\nThe latest item found is dated 22 May 2026.\n"
    problems = prose.coverage_problems(make_course(tmp_path, guide=guide))
    assert len(problems) == 1 and "24 July 2025" in str(problems[0])


@pytest.mark.parametrize("body, found", [
    ("The MNDAA said 2,389 soldiers had surrendered by late 2024 [@irrawaddy_2024_laukkai].",
     True),
    ("The MNDAA said 2,389 soldiers surrendered by January 2024 [@irrawaddy_2024_laukkai].",
     False),
    ("The MNDAA expects 3,000 to surrender by late 2024 [@irrawaddy_2024_laukkai].", False),
])
def test_a_figure_current_to_after_its_source_fails(tmp_path, body, found):
    problems = prose.coverage.later_than_source_problems(make_course(tmp_path, body=body))
    assert bool(problems) is found
    if found:
        assert "by late 2024" in str(problems[0]) and "2024-01-04" in str(problems[0])


def test_a_row_current_to_after_its_own_date_fails(tmp_path):
    root = make_course(tmp_path, event_text="The AA says it took the Western Command by "
                                            "late 2025.")
    problems = prose.coverage.later_than_source_problems(root)
    assert [p.where for p in problems] == ["data/events.csv ev1"]


# --- lesson times (unchanged)

@pytest.mark.parametrize("where", ["lesson_min", "readme_min", "guide_min"])
def test_a_lesson_time_that_disagrees_fails(tmp_path, where):
    root = make_course(tmp_path, **{where: 55})
    problems = prose.time_problems(root)
    assert len(problems) == 1 and "times disagree" in str(problems[0])
    assert "55 min" in str(problems[0]) and "50 min" in str(problems[0])


def test_lesson_times_reads_all_three_places(tmp_path):
    times = prose.lesson_times(make_course(tmp_path, guide_min=50))
    assert times == {"01": {"lesson": 50, "README.md": 50, "INSTRUCTORS.md": 50}}


def test_limits_are_stated():
    assert "cannot" in prose.LIMITS and "claims.csv" in prose.LIMITS


# --------------------------------------------------------------------------- real data moved

@pytest.fixture()
def course_copy(tmp_path) -> Path:
    for folder in ("lessons", "solutions", "data"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    (tmp_path / "defection" / "checks").mkdir(parents=True)
    for path in (ROOT / "defection" / "checks").glob("lesson[0-9][0-9].py"):
        shutil.copy(path, tmp_path / "defection" / "checks" / path.name)
    for name in ("README.md", "INSTRUCTORS.md"):
        shutil.copy(ROOT / name, tmp_path / name)
    prose.clear_cache()
    return tmp_path


def _edit_row(path: Path, key: str, column: str, value: str) -> None:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    header = list(rows[0])
    for row in rows:
        if row[header[0]] == key:
            row[column] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_a_figure_changed_in_data_fails_the_real_course(course_copy, real_problems):
    """Laukkai's 2,389 (row dc029, and the text of ev045 and cl05) is stated in several
    lessons; correct it in the data alone and the prose that still says 2,389 must fail."""
    _edit_row(course_copy / "data" / "defection_counts.csv", "dc029", "value", "2390")
    for name in ("events.csv", "claims.csv", "defection_counts.csv"):
        path = course_copy / "data" / name
        path.write_text(path.read_text(encoding="utf-8").replace("2,389", "2,390"),
                        encoding="utf-8")
    changed = prose.all_problems(course_copy)
    before = {str(p) for p in real_problems}
    new = [str(p) for p in changed if str(p) not in before]
    assert new and all("2,389" in p for p in new), new
    assert any(p.startswith("lessons/") for p in new)

    # ... and changed everywhere it is stated, the course agrees with itself again
    texts = [*course_copy.glob("lessons/*.ipynb"), *course_copy.glob("solutions/*.ipynb"),
             *course_copy.glob("defection/checks/*.py"), course_copy / "README.md",
             course_copy / "INSTRUCTORS.md", course_copy / "data" / "README.md"]
    for path in texts:
        path.write_text(path.read_text(encoding="utf-8").replace("2,389", "2,390"),
                        encoding="utf-8")
    prose.clear_cache()
    assert {str(p) for p in prose.all_problems(course_copy)} <= before


def test_a_coverage_changed_in_data_fails_the_real_course(course_copy, real_problems):
    package = course_copy / "data" / "datapackage.json"
    text = package.read_text(encoding="utf-8")
    package.write_text(text.replace('"end": "2026-05-31"', '"end": "2026-06-30"'),
                       encoding="utf-8")
    before = {str(p) for p in real_problems}
    new = [str(p) for p in prose.all_problems(course_copy) if str(p) not in before]
    places = {p.split(":")[0].split(" cell")[0] for p in new}
    assert {"README.md", "INSTRUCTORS.md", "data/README.md",
            "lessons/00_start_here.ipynb"} <= places, new
