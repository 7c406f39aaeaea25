"""Final grades: which attempt counts, the late policy, the merge's settings and LMS
imports, and the class summary chart on an install without vl-convert."""

from __future__ import annotations

import builtins
import csv
import sys
import xml.dom.minidom
from datetime import datetime
from pathlib import Path

import pytest

from defection.checks import load_questions
from defection.grading import attempts, late, summary
from defection.grading.collect import Submission
from defection.grading.merge import MergeError, load_settings, merge
from defection.grading.pipeline import number_attempts
from defection.grading.recheck import Row
from defection.grading.roster import RosterError, parse_time

FIXTURES = Path(__file__).parent / "grading_fixtures"
if str(FIXTURES) not in sys.path:
    sys.path.insert(0, str(FIXTURES))

HEADER = "student,student_id,name,lms,lms_id,notebook,lesson,late,submitted_at,due,attempt,counted,total,max"


def read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def test_pick_latest_and_best():
    items = [("a", 1, 8.0), ("b", 2, 5.0), ("c", 3, 5.0)]
    ranked, chosen = attempts.pick(items, lambda i: i[1], lambda i: i[2], "latest")
    assert [i[0] for i in ranked] == ["a", "b", "c"] and chosen[0] == "c"
    assert attempts.pick(items, lambda i: i[1], lambda i: i[2], "best")[1][0] == "a"
    tie = [("a", 1, 5.0), ("b", 2, 5.0)]
    assert attempts.pick(tie, lambda i: i[1], lambda i: i[2], "best")[1][0] == "b"
    with pytest.raises(attempts.AttemptsError, match="'newest' is not a policy; use latest or best"):
        attempts.check_policy("newest")


def _rows_and_subs(specs):
    qs = load_questions("fixture_checks")
    rows, subs = [], {}
    for name, canvas_attempt, when, file_time, total in specs:
        row = Row(student="s9", notebook="01_fixture.ipynb", lesson="01", questions=qs,
                  total=total, maximum=6, submitted_at=when)  # fmt: skip
        subs[id(row)] = Submission(Path(name), "s9", "01_fixture.ipynb", attempt=canvas_attempt,
                                   file_time=file_time)  # fmt: skip
        rows.append(row)
    return rows, subs


def test_attempts_follow_the_lms_number_before_the_file_time():
    early, late_ = datetime(2026, 10, 1, 9), datetime(2026, 10, 2, 9)
    # Canvas's -1 is the second attempt even though the archive gives it the earlier time.
    rows, subs = _rows_and_subs([("b-1.ipynb", 1, None, early, 3.0), ("a.ipynb", 0, None, late_, 6.0)])
    flags = number_attempts(rows, subs, "latest")
    by_name = {subs[id(r)].path.name: r for r in rows}
    assert (by_name["a.ipynb"].attempt, by_name["b-1.ipynb"].attempt) == (1, 2)
    assert by_name["b-1.ipynb"].counted and not by_name["a.ipynb"].counted
    assert "attempt 1 of 2: not counted (the latest attempt counts)" in by_name["a.ipynb"].notes
    assert flags == ["s9: 2 attempts at lesson 01; attempt 2 counts (the latest attempt counts); "
                     "attempt(s) 1 listed, not counted"]  # fmt: skip
    rows, subs = _rows_and_subs([("b-1.ipynb", 1, None, early, 3.0), ("a.ipynb", 0, None, late_, 6.0)])
    number_attempts(rows, subs, "best")
    assert [r.total for r in rows if r.counted] == [6.0]


def test_attempts_without_number_or_time_are_ordered_by_file_time_and_flagged():
    early, late_ = datetime(2026, 10, 1, 9), datetime(2026, 10, 2, 9)
    rows, subs = _rows_and_subs([("x.ipynb", 0, None, late_, 2.0), ("y.ipynb", 0, None, early, 6.0)])
    flags = number_attempts(rows, subs, "latest")
    assert [r.total for r in rows if r.counted] == [2.0]
    assert any("ordered by the files' times (check them)" in f for f in flags)
    # One roster time for both files says nothing about their order: still flagged.
    same = datetime(2026, 10, 3, 9)
    rows, subs = _rows_and_subs([("x.ipynb", 0, same, late_, 2.0), ("y.ipynb", 0, same, early, 6.0)])
    assert any("ordered by the files' times" in f for f in number_attempts(rows, subs, "latest"))
    # Blackboard: each attempt has its own time, which decides.
    rows, subs = _rows_and_subs([("x.ipynb", 0, late_, early, 2.0), ("y.ipynb", 0, early, late_, 6.0)])
    flags = number_attempts(rows, subs, "latest")
    assert [r.total for r in rows if r.counted] == [2.0] and not any("files' times" in f for f in flags)


def test_late_policy_per_started_day_with_grace_and_cap():
    policy = late.parse("per_day=10,cap=30,grace=15")
    assert [policy.penalty(m) for m in (-5, 15, 16, 15 + 1440, 15 + 1441, 10_000)] == [
        0, 0, 0.1, 0.1, 0.2, 0.3]  # fmt: skip
    assert late.parse("per_day=5").cap == 30  # unnamed settings keep their defaults
    with pytest.raises(late.LatePolicyError, match="--late-policy: 'ten' needs the form name=number"):
        late.parse("ten")
    with pytest.raises(late.LatePolicyError, match="unknown setting.*perday"):
        late.parse("perday=10")
    with pytest.raises(late.LatePolicyError, match="cap: 120 is outside 0 to 100"):
        late.parse("cap=120")


def test_due_with_a_time_zone_offset_is_refused_not_dropped():
    with pytest.raises(RosterError, match=r"--due: '2026-10-05T23:59\+07:00' has a time-zone offset"):
        parse_time("2026-10-05T23:59+07:00", "--due")
    assert parse_time("2026-10-05T23:59", "--due") == datetime(2026, 10, 5, 23, 59)


def _gradebook(path: Path, lines: list[str]) -> Path:
    path.write_text("\ufeff" + HEADER + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_merge_counts_one_attempt_and_applies_the_late_policy(tmp_path):
    gb = _gradebook(tmp_path / "gradebook.csv", [
        # a resubmitter: 10 of 10 first, 4 of 10 in the latest attempt, both on time
        "kyawmin,s1,Kyaw Min,canvas,501,01_x.ipynb,lesson 01,,2026-10-05 20:00:00,2026-10-05 23:59:00,1,no (superseded),10,10",
        "kyawmin,s1,Kyaw Min,canvas,501,01_x.ipynb,lesson 01,,2026-10-05 22:00:00,2026-10-05 23:59:00,2,yes,4,10",
        # 1 day and 1 minute after the grace: two started days, 20%
        "aye,s2,Aye Aye,canvas,502,01_x.ipynb,lesson 01,late by 1 d 0 h 16 min,2026-10-07 00:15:00,2026-10-05 23:59:00,1,yes,10,10",
        # no due date given when grading
        "nan,s3,Nan Nan,,,01_x.ipynb,lesson 01,,2026-10-09 00:00:00,,1,yes,10,10",
    ])  # fmt: skip
    policy = late.parse("per_day=10,cap=30,grace=15")
    rows = merge([gb], None, None, tmp_path / "final.csv", late_policy=policy)
    got = {r["student"]: r for r in rows}
    assert got["s1"]["final"] == pytest.approx(40.0)  # latest: 4 of 10, never (10+4)/20
    assert got["s2"]["final"] == pytest.approx(80.0)
    assert got["s3"]["final"] == pytest.approx(100.0)
    assert any("lesson 01: the gradebook has no due date" in p for p in rows.problems)
    assert not any("counted another attempt" in p for p in rows.problems)
    best = merge([gb], None, None, tmp_path / "best" / "f.csv", attempts="best")
    assert {r["student"]: r for r in best}["s1"]["final"] == pytest.approx(100.0)
    assert any("s1, lesson 01: the gradebook counted another attempt than --attempts best" in p
               for p in best.problems)
    text = (tmp_path / "final.csv").read_text(encoding="utf-8-sig")
    assert "attempts,the latest attempt counts" in text
    assert ("late policy,\"10% of the set's points per started day late after 15 min of grace, "
            "at most 30%\"") in text
    table = {r["student"]: r for r in read_csv(tmp_path / "final.csv") if r["student"].startswith("s")}
    assert table["s2"]["late penalty"] == "lesson 01 -20%"
    canvas = read_csv(tmp_path / "final_canvas_import.csv")
    assert list(canvas[0]) == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section",
                               "Final: auto-checked questions", "Final grade"]  # fmt: skip
    assert canvas[0]["Student"] == "Points Possible" and canvas[0]["Final grade"] == "100"
    assert {r["ID"]: r["Final grade"] for r in canvas[1:]} == {"501": "40", "502": "80", "": "100"}
    moodle = read_csv(tmp_path / "final_moodle_import.csv")
    assert list(moodle[0])[-2:] == ["Final grade (out of 100)", "Final grade feedback"]
    assert moodle[0]["Final grade feedback"].startswith("Weighted: auto-checked questions 100%.")


def test_merge_settings_file_and_its_messages(tmp_path):
    cfg = tmp_path / "grading.toml"
    cfg.write_text('attempts = "best"\n\n[weights]\nauto = 20\nwritten = 30\n\n'
                   "[late_policy]\nper_day = 5\ncap = 20\ngrace = 0\n")  # fmt: skip
    settings = load_settings(cfg)
    assert settings["attempts"] == "best" and settings["weights"]["auto"] == 20
    assert settings["weights"]["memo"] == 35 and settings["late_policy"].cap == 20
    cfg.write_text("[weights]\nauto = 15\nexam = 10\n")
    with pytest.raises(MergeError, match=r"grading.toml, line 3, \[weights\] exam: unknown part"):
        load_settings(cfg)
    cfg.write_text("[late_policy]\nper_day = 10\ncap = 'lots'\n")
    with pytest.raises(MergeError, match=r"\[late_policy\], cap: 'lots' is not a number \(line 3\)"):
        load_settings(cfg)
    cfg.write_text('attempts = "first"\n')
    with pytest.raises(MergeError, match="line 1, attempts: 'first' is not a policy"):
        load_settings(cfg)


def test_cli_merge_writes_final_imports_and_reports_what_it_could_not_apply(tmp_path, capsys):
    from defection.grade import main

    gb = _gradebook(tmp_path / "gradebook.csv", [
        "aye,s2,Aye Aye,canvas,502,01_x.ipynb,lesson 01,late (marked by Canvas),,2026-10-05 23:59:00,1,yes,10,10",
    ])  # fmt: skip
    out = tmp_path / "final.csv"
    assert main(["merge", "--gradebook", str(gb), "--late-policy", "per_day=10", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "final_canvas_import.csv and final_moodle_import.csv" in err
    assert "s2, lesson 01: marked 'late (marked by Canvas)' but the export gives no submission time" in err
    gb2 = _gradebook(tmp_path / "gradebook2.csv", [
        "aye,s2,Aye Aye,canvas,502,02_x.ipynb,lesson 02,,2026-10-12 10:00:00,2026-10-12 23:59:00,1,yes,0,10",
    ])  # fmt: skip
    assert main(["merge", "--gradebook", str(gb), str(gb2), "--out", str(out)]) == 0
    assert read_csv(out)[0]["auto %"] == "50"  # both sets pooled: 10 of 20 points
    capsys.readouterr()
    assert main(["merge", "--gradebook", str(gb), "--late-policy", "per_day=ten"]) == 2
    assert "--late-policy, per_day: 'ten' is not a number" in capsys.readouterr().err


def test_summary_chart_is_drawn_without_vl_convert(tmp_path, monkeypatch):
    real_import = builtins.__import__

    def no_vl_convert(name, *args, **kwargs):
        if name.split(".")[0] == "vl_convert":
            raise ImportError("No module named 'vl_convert'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_vl_convert)
    monkeypatch.delitem(sys.modules, "vl_convert", raising=False)
    qs = load_questions("fixture_checks")
    rows = []
    for i, status in enumerate(["correct", "wrong", "not answered", "error"]):
        row = Row(student=f"s{i}", notebook="01_fixture.ipynb", lesson="01", questions=qs,
                  graded=True, statuses={q.name: status for q in qs.auto} | {"w1": "recorded"})
        rows.append(row)
    rows.append(Row(student="s0", notebook="old.ipynb", lesson="01", questions=qs, attempt=1,
                    counted=False, statuses={q.name: "wrong" for q in qs}))  # fmt: skip
    path, text = summary.write(rows, tmp_path, sandbox="test", flags=[])
    assert "chart not drawn" not in text and "![Where the class struggled](summary_chart.svg)" in text
    svg = (tmp_path / "summary_chart.svg").read_text(encoding="utf-8")
    doc = xml.dom.minidom.parseString(svg)
    assert doc.getElementsByTagName("title")[0].firstChild.data == "Where the class struggled"
    assert "Most trouble:" in doc.getElementsByTagName("desc")[0].firstChild.data
    bars = [r for r in doc.getElementsByTagName("rect") if r.getElementsByTagName("title")]
    labels = [b.getElementsByTagName("title")[0].firstChild.data for b in bars]
    assert "01:q1: 1 correct" in labels and "01:w1: 4 recorded" in labels
    assert not any(": 2 wrong" in lab for lab in labels)  # the superseded attempt is not counted
    colour = {summary.STATUS_ORDER[i]: c for i, c in enumerate(summary.STATUS_COLOURS)}
    assert all(b.getAttribute("fill") == colour[lab.rsplit(" ", 1)[-1]] for b, lab in zip(bars, labels)
               if not lab.endswith("answered"))  # fmt: skip
    assert "## Resubmissions" in text and "s0, lesson 01: attempt 1 (`old.ipynb`)" in text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Student,ID,SIS User ID,SIS Login ID,Section,Set 1\n    Points Possible,,,,,10\n"
         '"Lopez, Ana",48213,s1001,alopez,A,\n"Student, Test",9,,,A,\n',
         ("s1001", "Lopez, Ana", "", "alopez", "48213")),
        ("First name,Last name,ID number,Institution,Department,Email address\n"
         "Ana,Lopez,s1001,,,ana@uni.example\n", ("s1001", "Ana Lopez", "ana@uni.example", "", "")),
        ("Last Name,First Name,Username,Student ID,Last Access,Availability\n"
         "Lopez,Ana,alopez,s1001,,Yes\n", ("s1001", "Ana Lopez", "", "alopez", "")),
    ],
)  # fmt: skip
def test_an_lms_gradebook_export_is_a_roster(tmp_path, text, expected):
    from defection.grading.roster import load_roster

    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8")
    (st,) = load_roster(path)
    assert (st.student_id, st.name, st.email, st.login, st.lms_id) == expected


def test_an_lms_export_without_an_id_is_named_by_its_own_column(tmp_path):
    from defection.grading.roster import load_roster

    path = tmp_path / "export.csv"
    path.write_text("First name,Last name,ID number,Email address\nAna,Lopez,,a@x\n", encoding="utf-8")
    with pytest.raises(RosterError, match=r"row 2, column student_id \(ID number\): empty for 'Ana Lopez'"):
        load_roster(path)
