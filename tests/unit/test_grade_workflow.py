"""The grading workflow around the grader: LMS names and zips in, roster flags, LMS
gradebooks, feedback files, class summary and final totals out."""

from __future__ import annotations

import csv
import stat
import sys
import zipfile
from datetime import datetime
from pathlib import Path, PurePosixPath

import nbformat
import pytest

from defection.checks import load_questions
from defection.grading.collect import CollectError, Source, parse_name
from defection.grading.identify import identify
from defection.grading.late import parse as parse_late
from defection.grading.merge import MergeError, merge, parse_weights
from defection.grading.pipeline import grade
from defection.grading.roster import RosterError, load_config, load_roster, match, parse_time

FIXTURES = Path(__file__).parent / "grading_fixtures"
if str(FIXTURES) not in sys.path:
    sys.path.insert(0, str(FIXTURES))

from notebooks import FULL_GOOD, LIGHT_GOOD, W1_TEXT, notebook  # noqa: E402

ROSTER = """student_id,name,email,login,lms_id,submitted_at
s1,Ana Lopez,ana@uni.example,,48213,
s2,Min Thu,,mthu,,
s3,Zoe Park,,,,2026-10-06 09:15
s4,Never Sent,,,,
"""


def read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize(
    "path, expected",
    [
        ("lopezana_48213_901234_01_fixture.ipynb", ("lopezana", "01_fixture.ipynb", "canvas", "48213", False)),
        ("lopezana_LATE_48213_901234_01_fixture-1.ipynb", ("lopezana", "01_fixture.ipynb", "canvas", "48213", True)),
        ("Ana Lopez_1234567_assignsubmission_file_01_fixture.ipynb", ("Ana Lopez", "01_fixture.ipynb", "moodle", "1234567", False)),
        ("Ana Lopez_1234567_assignsubmission_file_/good.ipynb", ("Ana Lopez", "good.ipynb", "moodle", "1234567", False)),
        ("Set 01_mthu_attempt_2026-10-06-10-30-00_01_fixture.ipynb", ("mthu", "01_fixture.ipynb", "blackboard", "mthu", False)),
        ("ana__01_fixture.ipynb", ("ana", "01_fixture.ipynb", "", "", False)),
        ("ana/01_fixture.ipynb", ("ana", "01_fixture.ipynb", "", "", False)),
        ("01_fixture.ipynb", ("01_fixture", "01_fixture.ipynb", "", "", False)),
    ],
)  # fmt: skip
def test_lms_export_names(path, expected):
    sub = parse_name(PurePosixPath(path))
    assert (sub.student, sub.notebook, sub.lms, sub.lms_id, sub.late_by_lms) == expected


def test_blackboard_receipts_are_skipped_and_times_read():
    assert parse_name(PurePosixPath("Set 01_mthu_attempt_2026-10-06-10-30-00.txt")) is None
    sub = parse_name(PurePosixPath("Set 01_mthu_attempt_2026-10-06-10-30-00_x.ipynb"))
    assert sub.submitted_at == datetime(2026, 10, 6, 10, 30)


def test_lesson_from_metadata_then_content_then_name():
    nb = notebook({})
    assert identify(nb, "good.ipynb") == ("01", "metadata")
    del nb.metadata["defection"]
    nb.cells[1].source = "from defection.checks.lesson03 import q1\nanswer_total = 1"
    assert identify(nb, "02_x.ipynb") == ("03", "content")
    nb.cells[1].source = "answer_total = 1"
    assert identify(nb, "02_x.ipynb") == ("02", "file name")
    assert identify(nb, "good.ipynb") == ("", "")


def test_roster_matching_and_its_errors(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER, encoding="utf-8")
    students = load_roster(path)
    assert match(students, "48213", "lopezana").student_id == "s1"  # Canvas id
    assert match(students, "", "lopezana").student_id == "s1"  # Canvas lastfirst
    assert match(students, "", "Ana Lopez").student_id == "s1"  # Moodle full name
    assert match(students, "mthu", "mthu").student_id == "s2"  # Blackboard login
    assert match(students, "", "nobody") is None
    assert students[2].submitted_at == datetime(2026, 10, 6, 9, 15)
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name\n1,A\n", encoding="utf-8")
    with pytest.raises(RosterError, match="missing column.*student_id"):
        load_roster(bad)
    bad.write_text("student_id,name\ns1,A\ns1,B\n", encoding="utf-8")
    with pytest.raises(RosterError, match="row 3, column student_id.*already on row 2"):
        load_roster(bad)
    bad.write_text("student_id,name,submitted_at\ns1,A,next tuesday\n", encoding="utf-8")
    with pytest.raises(RosterError, match="row 2, column submitted_at"):
        load_roster(bad)


def test_due_dates_and_config(tmp_path):
    assert parse_time("2026-10-05", "x") == datetime(2026, 10, 5, 23, 59, 59)
    assert parse_time("2026-10-05T23:59", "x") == datetime(2026, 10, 5, 23, 59)
    with pytest.raises(RosterError, match="--due: cannot read"):
        parse_time("soon", "--due")
    cfg = tmp_path / "grading.toml"
    cfg.write_text('due = "2026-10-05T23:59"\nroster = "roster.csv"\ncell_timeout = 20\n')
    data = load_config(cfg)
    assert data["due"] == datetime(2026, 10, 5, 23, 59) and data["roster"] == tmp_path / "roster.csv"
    cfg.write_text("deu = 1\n")
    with pytest.raises(RosterError, match="unknown setting.*deu"):
        load_config(cfg)


def test_unsafe_or_broken_zips_are_refused(tmp_path):
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as zf:
        zf.writestr("../outside.ipynb", "{}")
    with pytest.raises(CollectError, match="outside the archive"), Source(evil):
        pass
    assert not (tmp_path / "outside.ipynb").exists()
    junk = tmp_path / "junk.zip"
    junk.write_text("not a zip")
    with pytest.raises(CollectError, match="neither a folder nor a .zip"), Source(junk):
        pass


def test_weights_and_merge_into_final_totals(tmp_path):
    gb = tmp_path / "gradebook.csv"
    gb.write_text("\ufeffstudent,student_id,name,total,max\nlopezana,s1,Ana Lopez,3,6\n"
                  "mthu,s2,Min Thu,6,6\n", encoding="utf-8")  # fmt: skip
    ws = tmp_path / "written_scores.csv"
    ws.write_text("student,student_id,lesson,question,status,words,score (0-16),comment\n"
                  "lopezana,s1,lesson 01,w1,recorded,40,12,\nmthu,s2,lesson 01,w1,short,8,,\n",
                  encoding="utf-8")  # fmt: skip
    other = tmp_path / "other.csv"
    other.write_text("student_id,memo,participation\ns1,80,100\ns2,70,\n", encoding="utf-8")
    rows = {r["student"]: r for r in merge([gb], ws, other, tmp_path / "final.csv")}
    # s1: auto 50%, written 75%, memo 80, participation 100
    assert rows["s1"]["final"] == pytest.approx((50 * 15 + 75 * 35 + 80 * 35 + 100 * 15) / 100)
    assert any("no score, counted 0" in n for n in rows["s2"]["notes"])
    assert any("no participation score" in n for n in rows["s2"]["notes"])
    text = (tmp_path / "final.csv").read_text(encoding="utf-8-sig")
    assert 'weights used,"auto 15%, written 35%, memo 35%, participation 15%"' in text
    only = {r["student"]: r for r in merge([gb], None, None, tmp_path / "f2.csv")}
    assert only["s1"]["final"] == pytest.approx(50)  # the other parts left out, re-weighted
    assert "left out (no scores): written, memo, participation" in (tmp_path / "f2.csv").read_text(
        encoding="utf-8-sig")  # fmt: skip
    ws.write_text("student,student_id,lesson,question,status,words,score (0-16),comment\n"
                  "a,s1,l,w1,recorded,1,17,\n", encoding="utf-8")  # fmt: skip
    with pytest.raises(MergeError, match=r"row 2, column score \(0-16\): 17 is outside 0 to 16"):
        merge([gb], ws, None, tmp_path / "f3.csv")
    with pytest.raises(MergeError, match="unknown part 'exam'"):
        parse_weights("exam=10")


def _class(folder: Path) -> None:
    """A Canvas-style export: good, renamed, tampered, endless, duplicate, late, stranger."""
    folder.mkdir(parents=True)
    put = lambda name, nb: nbformat.write(nb, folder / name)  # noqa: E731
    put("lopezana_48213_901234_01_fixture.ipynb", notebook(FULL_GOOD))
    renamed = notebook({**LIGHT_GOOD, "c4": "**Your answer (w1):**\nArmies split over money."})
    put("thumin_LATE_48214_901235_good.ipynb", renamed)  # renamed, short answer, late
    tampered = notebook({**LIGHT_GOOD, "c1": "answer_total = 0"})
    tampered.cells.insert(2, nbformat.v4.new_code_cell(
        "import fixture_checks\nfixture_checks.q1.check = lambda *a, **k: 'correct'"))
    tampered.cells[1].outputs = [nbformat.v4.new_output(
        "stream", name="stdout", text="✓ q1: Correct (2/2 points). Well done.")]
    put("parkzoe_48215_901236_01_fixture.ipynb", tampered)
    put("parkzoe_48215_901299_01_fixture-1.ipynb", notebook(LIGHT_GOOD))  # a second attempt
    put("strangerx_99999_901237_01_fixture.ipynb", notebook({**LIGHT_GOOD, "c2": "while True:\n    pass"}))


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    root = tmp_path_factory.mktemp("class")
    _class(root / "export")
    (root / "roster.csv").write_text(ROSTER.replace("s2,Min Thu,,mthu,,", "s2,Min Thu,,,48214,"),
                                     encoding="utf-8")  # fmt: skip
    archive = root / "submissions.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for p in sorted((root / "export").iterdir()):
            zf.write(p, f"export/{p.name}")
    results = {}
    for kind, source in (("folder", root / "export"), ("zip", archive)):
        out = root / f"out_{kind}" / "gradebook.csv"
        rows = grade(source, out, registry=load_questions("fixture_checks"), timeout=90,
                     cell_timeout=20, jobs=2, extra_path=[FIXTURES], templates=None,
                     roster=root / "roster.csv", due=datetime(2026, 10, 5, 23, 59),
                     progress=lambda m: None)  # fmt: skip
        results[kind] = {"rows": rows, "out": out.parent,
                         "table": read_csv(out), "status": read_csv(out.parent / "status.csv")}
    return results


@pytest.mark.slow
def test_folder_and_zip_give_the_same_gradebook(graded_class):
    strip = lambda t: [{k: v for k, v in r.items()} for r in t]  # noqa: E731
    assert strip(graded_class["folder"]["table"]) == strip(graded_class["zip"]["table"])
    assert graded_class["folder"]["status"] == graded_class["zip"]["status"]


@pytest.mark.slow
def test_every_student_has_a_row_ids_and_flags(graded_class):
    table = graded_class["zip"]["table"]
    by_id = {}
    for r in table:
        by_id.setdefault(r["student_id"] or r["student"], []).append(r)
    assert set(by_id) == {"s1", "s2", "s3", "s4", "strangerx"}
    assert by_id["s1"][0]["total"] == "6" and by_id["s1"][0]["lms_id"] == "48213"
    assert by_id["s2"][0]["late"] == "late (marked by Canvas)"
    assert by_id["s2"][0]["notebook"] == "good.ipynb" and by_id["s2"][0]["total"] == "4"
    assert by_id["s2"][0]["w1"] == "short (4 words)"
    assert by_id["s3"][0]["late"].startswith("late by 9 h 16 min")  # roster's submitted_at
    assert len(by_id["s3"]) == 2 and sorted(r["attempt"] for r in by_id["s3"]) == ["1", "2"]
    counted = {r["notebook"] + r["attempt"]: r["counted"] for r in by_id["s3"]}
    assert counted == {"01_fixture.ipynb1": "no (superseded)", "01_fixture.ipynb2": "yes"}
    assert all("attempt" in r["notes"] and "the latest attempt counts" in r["notes"]
               for r in by_id["s3"])
    assert by_id["s1"][0]["attempt"] == "1" and by_id["s1"][0]["counted"] == "yes"
    assert by_id["s1"][0]["due"] == "2026-10-05 23:59:00"
    assert "missing: no submission" in by_id["s4"][0]["notes"]
    assert "not on the roster" in by_id["strangerx"][0]["notes"]
    assert all(r["lesson"] == "lesson 01" for r in table)


@pytest.mark.slow
def test_endless_loop_and_tampering_in_the_class(graded_class):
    rows = {(r.key, r.notebook): r for r in graded_class["zip"]["rows"]}
    loop = rows[("strangerx", "01_fixture.ipynb")]
    assert loop.statuses["q2"] == "error" and loop.statuses["q1"] == "correct"
    assert loop.total == 4 and any("stopped after 20 s (endless loop?)" in n for n in loop.notes)
    cheat = next(r for r in graded_class["zip"]["rows"] if r.key == "s3" and r.tampering)
    assert any("rebinds fixture_checks.q1.check" in t for t in cheat.tampering)
    assert any("saved output shows q1 correct; the re-check says wrong" in t for t in cheat.tampering)
    assert cheat.scores["q1"] == 0
    table = [r for r in graded_class["zip"]["table"] if r["student_id"] == "s3"]
    assert sorted(r["tampering"] for r in table) == ["", "yes"]


@pytest.mark.slow
def test_statuses_feedback_lms_files_and_summary(graded_class):
    out = graded_class["zip"]["out"]
    status = {r["student_id"]: r for r in graded_class["zip"]["status"] if r["student_id"] in ("s1", "s2")}
    assert [status["s1"][q] for q in ("q1", "q2", "q3", "q4", "q5", "w1")] == ["correct"] * 5 + ["recorded"]
    assert status["s2"]["q2"] == "not answered" and status["s2"]["w1"] == "short"
    files = sorted(p.name for p in (out / "feedback").iterdir())
    assert files == ["s1.md", "s2.md", "s3.md", "strangerx.md"]
    ana = (out / "feedback" / "s1.md").read_text(encoding="utf-8")
    assert "# Feedback for Ana Lopez (s1)" in ana and "Auto-checked points: 6 of 6" in ana
    assert W1_TEXT in ana and "Instructor's comments:" in ana
    for text in (p.read_text(encoding="utf-8") for p in (out / "feedback").iterdir()):
        assert "45" not in text and "sum(range" not in text  # q1's expected value, its solution
        assert "tampering" not in text
    canvas = read_csv(out / "canvas_import.csv")
    assert list(canvas[0]) == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section",
                               "Exercise set 01 (auto-checked)"]  # fmt: skip
    assert {r["SIS User ID"]: r["Exercise set 01 (auto-checked)"] for r in canvas}["s3"] == "4"
    moodle = read_csv(out / "moodle_import.csv")
    assert list(moodle[0])[:4] == ["ID number", "Email address", "Full name",
                                   "Exercise set 01 (auto-checked)"]  # fmt: skip
    feedback_col = {r["ID number"]: r["Exercise set 01 (auto-checked) feedback"] for r in moodle}
    assert feedback_col["s4"] == "no submission received"
    assert feedback_col["s1"].startswith("5 of 5 auto-checked question(s) correct")
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert "| 01 | q2 |" in summary and "Sandbox:" in summary and "missing" in summary
    svg = (out / "summary_chart.svg").read_text(encoding="utf-8")
    assert "<svg" in svg and "Where the class struggled" in svg
    sheet = read_csv(out / "written_scores.csv")
    assert {r["student_id"] for r in sheet} >= {"s1", "s2"} and "score (0-16)" in sheet[0]
    mode = (out / "gradebook.csv").stat().st_mode
    assert mode & stat.S_IRGRP, "outputs must not be private to the grading account"
    assert (out / "gradebook.csv").read_bytes().startswith(b"\xef\xbb\xbf")


@pytest.mark.slow
def test_resubmitter_counts_once_everywhere_with_the_late_policy(graded_class, tmp_path):
    """s3 sent a tampered file, then a resubmission (Canvas ``-1``), both 9 h 16 min late by
    the roster's time. The latest attempt counts in the gradebook, both LMS imports and
    merge; the first is listed, never pooled."""
    out = graded_class["zip"]["out"]
    book = [r for r in read_csv(out / "gradebook.csv") if r["student_id"] == "s3"]
    counted = [r for r in book if r["counted"] == "yes"]
    assert len(book) == 2 and len(counted) == 1 and counted[0]["attempt"] == "2"
    assert counted[0]["total"] == "4" and counted[0]["submitted_at"] == "2026-10-06 09:15:00"
    canvas = {r["SIS User ID"]: r for r in read_csv(out / "canvas_import.csv")}
    moodle = {r["ID number"]: r for r in read_csv(out / "moodle_import.csv")}
    assert canvas["s3"]["Exercise set 01 (auto-checked)"] == "4"
    assert moodle["s3"]["Exercise set 01 (auto-checked)"] == "4"
    sheet = read_csv(out / "written_scores.csv")
    assert [r["student_id"] for r in sheet].count("s3") == 1  # the superseded answer is not scored
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert "## Resubmissions" in summary and "s3, lesson 01: attempt 1" in summary
    told = (out / "feedback" / "s3.md").read_text(encoding="utf-8")
    assert "Not counted" in told and "Exercise set 01, attempt 1:" in told
    assert told.count("Auto-checked points:") == 1  # only the counted attempt is marked
    scores = tmp_path / "written_scores.csv"
    with open(scores, "w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(sheet[0]))
        writer.writeheader()
        writer.writerows({**r, "score (0-16)": "12"} for r in sheet)
    other = tmp_path / "other.csv"
    other.write_text("student_id,memo,participation\ns1,80,100\ns2,80,100\ns3,80,100\n")
    final = tmp_path / "final.csv"
    rows = {r["student"]: r for r in merge([out / "gradebook.csv"], scores, other, final,
                                           late_policy=parse_late("per_day=10,cap=30,grace=15"),
                                           roster=out.parent / "roster.csv")}  # fmt: skip
    # The latest attempt's 4 of 6, less 10% for starting a day late; Rubric A 12 of 16, less 10%.
    assert rows["s3"]["auto"] == pytest.approx(60.0)
    assert rows["s3"]["written"] == pytest.approx(67.5)
    assert rows["s3"]["final"] == pytest.approx(75.625)  # (60*15 + 67.5*35 + 80*35 + 100*15)/100
    assert any("an attempt with 2/6 not counted" in n for n in rows["s3"]["notes"])
    assert rows["s1"]["final"] == pytest.approx((100 * 15 + 75 * 35 + 80 * 35 + 100 * 15) / 100)
    problems = " | ".join(rows_problems(final))
    assert "strangerx: has scores but is not on the roster" in problems
    assert "s2, lesson 01: marked 'late (marked by Canvas)' but the export gives no submission time" in problems
    assert "s4: no memo score" in problems
    canvas_final = read_csv(final.with_name("final_canvas_import.csv"))
    assert canvas_final[0]["Student"] == "Points Possible" and canvas_final[0]["Final grade"] == "100"
    assert {r["SIS User ID"]: r["Final grade"] for r in canvas_final[1:]}["s3"] == "75.6"
    assert "strangerx" not in {r["SIS User ID"] for r in canvas_final}
    moodle_final = {r["ID number"]: r for r in read_csv(final.with_name("final_moodle_import.csv"))}
    assert moodle_final["s3"]["Final grade (out of 100)"] == "75.6"
    assert moodle_final["s1"]["Email address"] == "ana@uni.example"
    best = {r["student"]: r for r in merge([out / "gradebook.csv"], scores, other,
                                           tmp_path / "best" / "f.csv", attempts="best")}  # fmt: skip
    assert best["s3"]["auto"] == pytest.approx(100 * 4 / 6)  # the better attempt is the latest too


def rows_problems(final: Path) -> list[str]:
    text = final.read_text(encoding="utf-8-sig")
    return [r[1] for r in csv.reader(text.splitlines()) if r[:1] == ["could not apply"]]


def test_cli_merge_and_bad_input_messages(tmp_path, capsys):
    from defection.grade import main

    assert main(["merge"]) == 2
    assert "give at least one" in capsys.readouterr().err
    assert main(["merge", "--gradebook", str(tmp_path / "none.csv")]) == 2
    assert "does not exist" in capsys.readouterr().err
    subs = tmp_path / "subs"
    subs.mkdir()
    assert main([str(subs), "--out", str(tmp_path / "g.csv"), "--due", "whenever"]) == 2
    assert "--due: cannot read 'whenever'" in capsys.readouterr().err
    assert main([str(subs), "--out", str(tmp_path / "g.csv"), "--roster", str(tmp_path / "r.csv")]) == 2
    assert "roster" in capsys.readouterr().err


def test_grading_benchmark_builds_a_mixed_canvas_class(tmp_path):
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "benchmarks" / "grading.py"
    spec = importlib.util.spec_from_file_location("bench_grading_under_test", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    bench.make_class.write(7, tmp_path / "c")  # the mix itself: test_benchmarks_smoke.py
    names = sorted(p.name for p in (tmp_path / "c").iterdir())
    assert len(names) == 7 and all(parse_name(PurePosixPath(n)).lms == "canvas" for n in names)
    with bench.PeakMemory(every=0.01) as mem:
        bytearray(10_000_000)
        import time

        time.sleep(0.05)
    assert mem.peak > 10_000_000
