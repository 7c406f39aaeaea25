"""INSTRUCTORS.md agrees with the course: its outcome table names real questions, and the
numbers an instructor plans with (weights, points, rubric scale, time limits, late policy,
the dated calendar, session timings, study times) match the code, the lessons and README."""

from __future__ import annotations

import importlib
import json
import re
from datetime import date, timedelta
from pathlib import Path

from defection.grading import late
from defection.grading.merge import WEIGHTS
from defection.grading.report import WRITTEN_OUT_OF
from defection.grading.run import CELL_TIMEOUT, NOTEBOOK_TIMEOUT

ROOT = Path(__file__).resolve().parents[2]
GUIDE = (ROOT / "INSTRUCTORS.md").read_text(encoding="utf-8")
SETS = sorted(p.name[:2] for p in (ROOT / "solutions").glob("*.ipynb"))


def mapped() -> dict[str, set[str]]:
    table = GUIDE[GUIDE.index("| # | Outcome |") :].split("\n\n", 1)[0]
    found: dict[str, set[str]] = {}
    for part in re.findall(r"Set (\d+): ([^·|]+)", table):
        number, ids = f"{int(part[0]):02d}", part[1]
        for first, last in re.findall(r"([qw]\d+)(?:–([qw]\d+))?", ids):
            if last:
                kind, lo, hi = first[0], int(first[1:]), int(last[1:])
                found.setdefault(number, set()).update(f"{kind}{i}" for i in range(lo, hi + 1))
            else:
                found.setdefault(number, set()).add(first)
    return found


def questions(number: str) -> set[str]:
    return {q.name for q in importlib.import_module(f"defection.checks.lesson{number}").QUESTIONS}


def test_outcome_table_names_only_existing_questions():
    for number, ids in mapped().items():
        assert ids <= questions(number), f"set {number}: {sorted(ids - questions(number))} do not exist"


def test_every_question_serves_an_outcome():
    table = mapped()
    for number in SETS:
        missing = questions(number) - table.get(number, set())
        assert not missing, f"set {number}: questions {sorted(missing)} are in no learning outcome"


# ---------------------------------------------------------------- the guide's numbers
# Each number a planner relies on is checked against where it really comes from: the
# grader's code, the check modules, the lessons and README.md.

README = (ROOT / "README.md").read_text(encoding="utf-8")
MONTHS = {m: i for i, m in enumerate(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
                                      "Sep", "Oct", "Nov", "Dec"], start=1)}  # fmt: skip


def section(heading: str) -> str:
    """The text under ``heading`` up to the next heading of the same or a higher level."""
    level = heading.split(" ", 1)[0]
    start = GUIDE.index(heading + "\n")
    rest = GUIDE[start + len(heading) + 1 :]
    stops = [m.start() for m in re.finditer(r"^#{1,%d} " % len(level), rest, re.M)]
    return rest[: stops[0]] if stops else rest


QUICK = section("## Quick start: a four-week module on one page")


def quick_table(first_header: str) -> list[list[str]]:
    block = QUICK[QUICK.index(f"| {first_header} |") :].split("\n\n", 1)[0]
    return [[c.strip() for c in line.strip("|").split("|")] for line in block.splitlines()[2:]]


def minutes(clock: str) -> int:
    hours, mins = clock.split(":")
    return int(hours) * 60 + int(mins)


def test_quick_start_is_one_page():
    words = len(QUICK.split())
    assert 300 < words <= 700, f"the quick start has {words} words; one page is at most 700"


def test_weights_are_the_ones_merge_applies():
    expected = [f"{WEIGHTS[k]:g}%" for k in ("auto", "written", "memo", "participation")]
    assert [row[-1] for row in quick_table("Part")] == expected
    parts = section("### How the parts fit")
    table = parts[parts.index("| Component |") :].split("\n\n", 1)[0].splitlines()[2:]
    assert [line.strip("|").split("|")[-1].strip() for line in table] == expected
    assert "pooled" in QUICK and "pooled within a part" in parts


def test_points_per_set_match_the_check_modules():
    table = GUIDE[GUIDE.index("| Set | Auto-checked questions |") :].split("\n\n", 1)[0]
    auto_total, written_total = 0, 0
    for line in table.splitlines()[2:]:
        number, auto, points, written, written_points = (c.strip() for c in line.strip("|").split("|"))
        qs = importlib.import_module(f"defection.checks.lesson{int(number):02d}").QUESTIONS
        first, last = auto.split("–")
        assert [q.name for q in qs.auto] == [f"q{i}" for i in range(int(first[1:]), int(last[1:]) + 1)]
        assert float(points) == sum(q.points for q in qs.auto)
        assert [w.strip() for w in written.split(",")] == [q.name for q in qs.written]
        assert int(written_points) == WRITTEN_OUT_OF * len(qs.written)
        auto_total += float(points)
        written_total += len(qs.written)
    auto_row, written_row = quick_table("Part")[:2]
    assert auto_row[1].startswith(f"{auto_total:g} points")
    assert written_row[1] == (f"{written_total} answers, each out of {WRITTEN_OUT_OF} with Rubric A: "
                              f"{written_total * WRITTEN_OUT_OF} points")  # fmt: skip


def test_one_rubric_scale_for_written_answers():
    for found in re.findall(r"Rubric A[^.|]*?out of (\d+)", GUIDE):
        assert int(found) == WRITTEN_OUT_OF
    for found in re.findall(r"score \(0-(\d+)\)", GUIDE):
        assert int(found) == WRITTEN_OUT_OF
    assert "four criteria scored 0–4, so 16 per answer" in QUICK
    assert 4 * 4 == WRITTEN_OUT_OF


def test_time_limits_are_the_graders_defaults():
    cell = re.findall(r"--cell-timeout (\d+)|cell_timeout = (\d+)|cell after (\d+) seconds|"
                      r"stopped after (\d+) s\b|(\d+) seconds unless you change|(\d+)-second",
                      GUIDE)  # fmt: skip
    assert len(cell) >= 5
    assert {int(next(g for g in groups if g)) for groups in cell} == {int(CELL_TIMEOUT)}
    notebook = re.findall(r"--timeout (\d+)|any notebook after (\d+) seconds", GUIDE)
    assert notebook and {int(a or b) for a, b in notebook} == {int(NOTEBOOK_TIMEOUT)}


def test_the_late_policy_stated_is_the_one_merge_applies():
    stated = set(re.findall(r"--late-policy\s+(per_day=[\d.]+,cap=[\d.]+,grace=[\d.]+)", GUIDE))
    assert len(stated) == 1
    policy = late.parse(stated.pop())
    assert policy == late.LatePolicy()  # the guide's policy is also merge's default
    toml = section("### 5. Written answers and final totals")
    block = toml[toml.index("[late_policy]") :]
    for key in late.KEYS:
        assert float(re.search(rf"^{key} = ([\d.]+)", block, re.M).group(1)) == getattr(policy, key)
    text = f"{policy.per_day:g}% of that set's points for each\nstarted day late, after {policy.grace:g} minutes of grace, and at most {policy.cap:g}%"
    assert text in QUICK
    assert policy.penalty(11) == 0 and policy.penalty(21) == 0.1 and policy.penalty(2 * 1440 + 60) == 0.3


def _date(text: str, year: int = 2026) -> date:
    m = re.search(r"(\d{1,2}) (" + "|".join(MONTHS) + r")", text)
    return date(year, MONTHS[m.group(2)], int(m.group(1)))


def test_quick_start_calendar_is_consistent():
    rows = quick_table("Week")
    sessions = {int(re.match(r"(\d+) \(", r[1]).group(1)): _date(r[1]) for r in rows if "(" in r[1]}
    assert list(sessions) == list(range(1, 9))
    assert list(sessions.values()) == sorted(sessions.values())
    weeks = [int(r[0]) for r in rows]
    assert weeks == sorted(weeks) and max(int(r[0]) for r in rows if "(" in r[1]) == 4
    handed = {}
    for r in rows:
        for n in re.findall(r"Set (\d)", r[3]):
            handed[int(n)] = sessions[int(re.match(r"(\d+)", r[1]).group(1))]
    due = {}
    for r in rows:
        if r[4] == "—":
            continue
        when = _date(r[4])
        rule = re.search(r"the day before session (\d)", r[4])
        if rule:
            assert when == sessions[int(rule.group(1))] - timedelta(days=1), r
        if "one week after session 8" in r[4]:
            assert when == sessions[8] + timedelta(days=7), r
        for n in re.findall(r"[Ss]et (\d)", r[4]):
            due[int(n)] = when
    assert sorted(handed) == sorted(due) == [1, 2, 3, 4, 5]
    assert all(due[n] > handed[n] for n in due)
    session8 = " ".join(GUIDE[GUIDE.index("#### Session 8") :].split("\n### ", 1)[0].split())
    assert "Set 4, set 5 and the memo are all due one week after this session" in session8
    assert not re.search(r"one to two weeks|memo: two weeks", GUIDE)


def test_session_timings_add_up():
    blocks = re.findall(r"\*\*The 90 minutes:\*\*(.*?)(?:\n- \*\*|\n\n)", GUIDE, re.S)
    assert len(blocks) >= 2
    for block in blocks:
        spans = [(minutes(a), minutes(b)) for a, b in re.findall(r"(\d:\d\d)–(\d:\d\d)", block)]
        assert spans[0][0] == 0 and spans[-1][1] == 90, block
        assert all(spans[i][1] == spans[i + 1][0] for i in range(len(spans) - 1)), block
    workshop = section("### A. One 3-hour workshop")
    spans = [(minutes(a), minutes(b)) for a, b in re.findall(r"^\| (\d:\d\d)–(\d:\d\d)", workshop, re.M)]
    assert spans[0][0] == 0 and spans[-1][1] == 180
    assert all(spans[i][1] == spans[i + 1][0] for i in range(len(spans) - 1))


def test_session_8_holds_lesson_05s_debate():
    cells = json.loads((ROOT / "lessons" / "05_synthesis.ipynb").read_text(encoding="utf-8"))["cells"]
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    stated = int(re.search(r"Timings \((\d+) minutes\)", text).group(1))
    table = text[text.index("| minutes | step |") :].split("\n\n", 1)[0]
    assert sum(int(m) for m in re.findall(r"^\| (\d+) \|", table, re.M)) == stated
    session8 = GUIDE[GUIDE.index("#### Session 8") :].split("\n### ", 1)[0]
    block = re.search(r"\*\*The 90 minutes:\*\*(.*?)\n- \*\*", session8, re.S).group(1)
    debate = next((a, b) for a, b, what in re.findall(r"(\d:\d\d)–(\d:\d\d) ([^;]*)", block)
                  if what.startswith("the debate"))  # fmt: skip
    assert minutes(debate[1]) - minutes(debate[0]) == stated
    assert f"({stated} minutes" in block


def _readme_times() -> tuple[list[int], list[int]]:
    lessons = [int(m) for m in re.findall(r"^\| 0\d \|.*\| (\d+) min \|$", README, re.M)]
    line = README[README.index("Time per set:") :].split("\n\n", 1)[0]
    sets = [int(m) for m in re.findall(r"0\d about (\d+) min", line)]
    return lessons, sets


def test_times_match_readme_and_the_lessons():
    lessons, sets = _readme_times()
    assert len(lessons) == len(list((ROOT / "lessons").glob("*.ipynb"))) and len(sets) == len(SETS)
    table = section("### Time")
    assert [int(m) for m in re.findall(r"^\| 0\d [^|]*\| ~(\d+) min", table, re.M)] == lessons
    assert [int(m) for m in re.findall(r"Set \d: about (\d+) min", table)] == sets
    for number, expected in enumerate(lessons):
        path = next((ROOT / "lessons").glob(f"{number:02d}_*.ipynb"))
        stated = re.search(r"Estimated time: (\d+) minutes", path.read_text(encoding="utf-8"))
        assert int(stated.group(1)) == expected, path.name
    selfstudy = section("### C. Self-study path")
    assert f"({sum(lessons)} minutes" in selfstudy and f"({sum(sets)} minutes" in selfstudy
    assert f"about {round(sum(lessons) / 60)} hours" in selfstudy
    assert f"about {round(sum(sets) / 60)} hours" in selfstudy
    low, high = re.search(r"Plan on (\w+) to (\w+) hours a week for four weeks", selfstudy).groups()
    words = {"three": 3, "four": 4, "five": 5, "six": 6}
    memo = re.search(r"memo (\d)–(\d) hours", selfstudy).groups()
    total = (sum(lessons) + sum(sets)) / 60
    assert words[low] * 4 <= total + int(memo[0]) and total + int(memo[1]) <= words[high] * 4 + 1


def test_grading_time_is_the_benchmarks_measured_figure():
    scale = section("### Scale: a class of 300")
    assert "tests/benchmarks/README.md" in scale
    assert not re.search(r"(?:hour|minutes)\b", section("## Grading submissions").split("\n### ", 1)[0])
    assert not re.search(r"300 submissions take|roughly an hour|about 50 minutes", GUIDE)
