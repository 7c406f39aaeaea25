"""No numeric question in the five sets lets its feedback be turned into the answer.

Feedback once said "too high by about 20%": a student could divide by 1.2 and pass, and
on questions whose answer is one of a short list the direction alone gave it away in one
or two tries. For every number question in all five sets this tries plausible wrong
values (the predicted mistakes, the other options of a list, and the expected value
scaled up and down) and runs a simple search on the feedback: read any percentage or
"N times" it states, invert it, check the estimate, and repeat. The search must never
reach a passing answer. (Values 100 times too large or small are left out: they are the
student's own right answer given as a percentage instead of a share, or the reverse, and
the feedback says so on purpose.)
"""

from __future__ import annotations

import copy
import math
import re

import check_harness as H
import numpy as np
import pandas as pd
import pytest

from defection.checks import CORRECT, INCORRECT, NumberQuestion, SetQuestion, load_questions
from defection.checks.question import SEARCH_TRIES
from defection.checks.answers import expected_value, judge, predicted_mistakes
from defection.checks.values import _norm_item

LESSONS = ("01", "02", "03", "04", "05", "06")
NUMBERS = [
    (lesson, q)
    for lesson in LESSONS
    for q in load_questions(f"defection.checks.lesson{lesson}", fresh=False).auto
    if q.kind == "number"
]
IDS = [f"{lesson}-{q.name}" for lesson, q in NUMBERS]
FACTORS = (0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 1.005, 1.01, 1.02, 1.05,
           1.1, 1.2, 1.3, 1.5, 2, 3, 5, 20)  # fmt: skip
DIRECTION_WORDS = ("too high", "too low", "higher", "lower", "larger", "smaller", "%", "times")
PERCENT = re.compile(r"(?:by|about|than)\s+(?:about\s+)?(\d+(?:\.\d+)?)\s*%")
TIMES = re.compile(r"(\d+(?:\.\d+)?)\s+times")


def wrong_values(q) -> list[float]:
    expected = float(expected_value(q))
    values = [expected * f for f in FACTORS] + [expected + d for d in (-1, 1, -0.1, 0.1)]
    for wrong, _ in predicted_mistakes(q):
        try:
            values.append(float(wrong() if callable(wrong) else wrong))
        except Exception:
            continue
    if q.options is not None:
        values += list(q.options)
    out = []
    for v in values:
        if not math.isfinite(v) or judge(q, v).status == CORRECT:
            continue
        if expected and (math.isclose(v / expected, 100, rel_tol=0.02)
                         or math.isclose(v / expected, 0.01, rel_tol=0.02)):
            continue
        out.append(v)
    return out


def estimate(value: float, message: str) -> float | None:
    """What a student could compute from the feedback alone (None: nothing to invert)."""
    text = message.casefold()
    high = "too high" in text or "too large" in text
    low = "too low" in text or "too small" in text
    m = PERCENT.search(text)
    if m and (high or low):
        p = float(m.group(1)) / 100
        return value / (1 + p) if high else value / (1 - p) if p < 1 else None
    m = TIMES.search(text)
    if m and (high or low):
        t = float(m.group(1))
        return value / t if high else value * t
    return None


def simple_search_recovers(q, start: float, rounds: int = 3) -> bool:
    value = start
    for _ in range(rounds):
        result = judge(q, value)
        if result.status == CORRECT:
            return True
        guess = estimate(value, result.message)
        if guess is None or not math.isfinite(guess):
            return False
        value = guess
    return judge(q, value).status == CORRECT


@pytest.mark.parametrize("lesson,q", NUMBERS, ids=IDS)
def test_feedback_cannot_be_inverted_into_the_answer(lesson, q):
    values = wrong_values(q)
    assert len(values) >= 10, (q.name, values)
    expected = float(expected_value(q))
    for value in values:
        result = H.assert_fails_without_revealing(q, value, expected)
        assert not simple_search_recovers(q, value), (lesson, q.name, value, result.message)


@pytest.mark.parametrize("lesson,q", [c for c in NUMBERS if c[1].options is not None],
                         ids=[i for i, c in zip(IDS, NUMBERS) if c[1].options is not None])
def test_pick_from_a_list_feedback_never_says_how_far_or_which_way(lesson, q):
    expected = float(expected_value(q))
    assert any(math.isclose(expected, o) for o in q.options), q.name
    generic = set()
    for option in q.options:
        result = judge(q, option)
        if result.status == CORRECT:
            continue
        assert result.status == INCORRECT
        text = result.message.casefold()
        for word in DIRECTION_WORDS:
            assert word not in text, (lesson, q.name, option, word, result.message)
        assert "is in the list" in text
        generic.add(text.split("is in the list", 1)[1].split(".", 1)[0])
    assert len(generic) == 1, (q.name, generic)  # the same words whichever wrong pick


def test_every_number_question_states_its_precision():
    for lesson, q in NUMBERS:
        assert q.precision_text, (lesson, q.name)
        assert q.precision_text in q.prompt, (lesson, q.name)


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_number_task_in_the_notebook_states_the_precision(lesson):
    stem = next(p.name for p in (H.ROOT / "solutions").glob(f"{lesson}_*.ipynb"))
    text = H.notebook_text(H.solution_path(stem), "markdown")
    tasks = re.split(r"(?=\*\*Task q\d+\.\*\*)", text)
    for _, q in [c for c in NUMBERS if c[0] == lesson]:
        task = " ".join(next((t for t in tasks if t.startswith(f"**Task {q.name}.**")), "").split())
        assert task, (lesson, q.name)
        words = {
            "a whole number": ("whole number",),
            "a number from the list": ("from the list", "in the list"),
        }.get(q.precision_text, (q.precision_text,))
        assert any(w in task for w in words), (lesson, q.name, q.precision_text)


def test_the_rounding_cases_from_the_issue():
    """The lesson's rounded figures pass where the prompt allows them; loose answers do not."""
    s01 = load_questions("defection.checks.lesson01", fresh=False)
    s04 = load_questions("defection.checks.lesson04", fresh=False)
    assert judge(s01.by_name("q4"), 3.9).status == CORRECT  # the lesson's rounded odds ratio
    lost = float(expected_value(s04.by_name("q9")))
    assert judge(s04.by_name("q9"), round(lost)).status == CORRECT  # a whole number of people
    q1 = s04.by_name("q1")
    rate = float(expected_value(q1))
    assert judge(q1, round(rate, 1)).status == CORRECT
    assert judge(q1, rate * 1.005).status == INCORRECT  # 0.5% off is no longer accepted
    assert judge(q1, rate * 186 / 187).status == CORRECT  # both end days counted


def test_pick_from_a_list_questions_cannot_be_found_by_direction():
    """Set 01 q10 and set 04 q10 once said 'too high by about N%' for a wrong pick."""
    for lesson, name in (("01", "q10"), ("04", "q10"), ("05", "q7")):
        q = load_questions(f"defection.checks.lesson{lesson}", fresh=False).by_name(name)
        assert q.options is not None, (lesson, name)


# ------------------------------------------------------------------ searches (issue 19, 3)
#
# A student who does not do the task can still search: bisect a number on "too high / too
# low", list every candidate and delete what the feedback names, drop one item at a time
# and watch a count, flip table cells until "differs in 0 rows", or pick the longest
# option. Each search below runs on a fresh copy of every auto-checked question of all
# five sets, through ``check`` as a student calls it, and may use anything the messages
# say; none may reach ✓ within 20 checks. The first guess of a search is made before any
# feedback, so a pass there would say nothing about the feedback and is not counted.

SEARCH_BUDGET = 20
AUTO = [
    (lesson, q)
    for lesson in LESSONS
    for q in load_questions(f"defection.checks.lesson{lesson}", fresh=False).auto
    if q.kind != "chart"
]


def fresh(q):
    """A copy with its own count of tries (the computed expected value is shared)."""
    return copy.copy(q)


def _ids(kind):
    return [f"{lesson}-{q.name}" for lesson, q in AUTO if q.kind == kind]


def _of(kind):
    return [(lesson, q) for lesson, q in AUTO if q.kind == kind]


# ---- numbers: bisection on direction, narrowing on every band the messages name

BANDS = {"very close": 0.02, "in the right range": 0.25}
HIGH = ("too high", "too large", "more than twice", "more than ten times")
LOW = ("too low", "too small", "less than half", "less than a tenth")


def _snap(q, x: float) -> float:
    return round(x, q.decimals) if q.decimals is not None else float(f"{x:.6g}")


def _narrow(lo: float, hi: float, guess: float, message: str) -> tuple[float, float, bool]:
    """What a wrong guess's message says about where the answer lies (for a positive one)."""
    text = message.casefold()
    if any(w in text for w in HIGH):
        return lo, min(hi, guess), True
    if any(w in text for w in LOW):
        return max(lo, guess), hi, True
    for words, rel in BANDS.items():
        if words in text:
            return max(lo, guess / (1 + rel)), min(hi, guess / (1 - rel)), True
    if "right order of size" in text:
        return max(lo, guess / 2), min(hi, guess * 2), True
    return lo, hi, False


def _bracket(q) -> tuple[float, float]:
    exp = float(expected_value(q))
    assert exp >= 0, q.name  # every number in the five sets is a count, share or ratio
    return (0.0, 1.0) if exp <= 1 else (0.0, 10.0 ** math.ceil(math.log10(exp) + 1))


def _walk(q, lo: float, hi: float, tried: set):
    """Every value of the bracket at the asked precision, from its middle outwards."""
    step = 10.0 ** -(q.decimals if q.decimals is not None else 4)
    mid = _snap(q, (lo + hi) / 2)
    for k in range(0, 10**6):
        for x in {_snap(q, mid + k * step), _snap(q, mid - k * step)}:
            if lo <= x <= hi and x not in tried:
                tried.add(x)
                yield x


def bisection_checks_to_pass(q) -> int | None:
    """Checks a feedback-led search needs to reach ✓ (None: not within the budget).

    It starts from a generous bracket (0 to 1 for a share, else zero to well past the
    answer's order of magnitude), halves it on every direction and intersects it with
    every band the messages name. Once the messages stop narrowing, it walks the bracket
    from its middle outwards at the asked precision — except on a pick from a list, where
    a walk is plain enumeration of a short list, like trying the letters of a choice.
    """
    q = fresh(q)
    lo, hi = _bracket(q)
    tried: set = set()
    walk = None
    for n in range(1, SEARCH_BUDGET + 1):
        guess = _snap(q, (lo + hi) / 2) if walk is None else next(walk, None)
        if guess is None:
            return None
        tried.add(guess)
        result = q.check(guess)
        if result.status == CORRECT:
            return n if n > 1 else None
        if walk is None:
            lo, hi, informed = _narrow(lo, hi, guess, result.message)
            if not informed or _snap(q, (lo + hi) / 2) in tried:
                if q.options is not None:
                    return None
                walk = _walk(q, lo, hi, tried)
    return None


def blind_checks_to_pass(q) -> int:
    """Checks the same walk needs from the start, reading no feedback at all."""
    lo, hi = _bracket(q)
    for n, guess in enumerate(_walk(q, lo, hi, set()), 1):
        if judge(q, guess).status == CORRECT:
            return n
    raise AssertionError(q.name)


@pytest.mark.parametrize("lesson,q", _of("number"), ids=_ids("number"))
def test_bisection_on_the_feedback_does_not_reach_the_answer(lesson, q):
    """An answer near the middle of its bracket is found by walking, feedback or not
    (03 q6: 0.60 is ten steps from 0.50); such a pass is the walk's, not the feedback's,
    and only a search faster than the blind walk counts as steered."""
    checks = bisection_checks_to_pass(q)
    if checks is not None and q.options is None:
        assert checks >= blind_checks_to_pass(q), (lesson, q.name, checks)
    else:
        assert checks is None, (lesson, q.name, checks)


def test_bisection_would_have_found_the_answers_the_old_feedback_steered_to():
    """The same search against a question that always answers with a direction passes in
    a handful of checks: the search is real, and it is the feedback that stops it."""
    q = NumberQuestion("qb", "x", expected=0.4183, decimals=3)
    q._feedback_guard = False
    q._size_message = lambda value, exp: "too high" if value > exp else "too low"
    assert bisection_checks_to_pass(q) is not None


# ---- lists and sets: superset, then drop one item at a time


def _universe(q) -> list[str]:
    """Every candidate a student could list without doing the task: all the values of the
    course table column (split at '; ') that holds every item of the answer."""
    from defection import data
    from defection.models.scenario import PRESETS

    from defection import replication

    want = {_norm_item(x) for x in expected_value(q)}
    found = [list(PRESETS)] if want <= {_norm_item(p) for p in PRESETS} else []
    specs = [s.name() for s in replication.standard_specs()]  # set 06 lists the lab's specifications
    if want <= {_norm_item(s) for s in specs}:
        found.append(specs)
    for name in ("campaigns", "claims", "defection_counts", "economy", "events",
                 "force_strength", "motivations", "repression", "statements", "uprisings"):  # fmt: skip
        frame = data.load(name)
        for column in frame.columns:
            text = frame[column].dropna().astype(str)
            # set 04 prepares a column of the regions written in the monitor's notes
            region = text.str.extract(r"Region: (.+?)\.", expand=False).dropna()
            for values in (text.str.split("; ").explode().unique(), region.unique()):
                if len(values) and want <= {_norm_item(v) for v in values}:
                    found.append(sorted(values))
    assert found, q.name
    return min(found, key=len)


NAMED = re.compile(r"'([^']+)'")
RIGHT = re.compile(r"(\d+) of your \d+ item")


def superset_checks_to_pass(q, universe: list[str]) -> int | None:
    q = fresh(q)
    answer = list(universe)
    for n in range(1, SEARCH_BUDGET + 1):
        result = q.check(answer)
        if result.status == CORRECT:
            return n if n > 1 else None
        text = result.message.split("belong")[0] if "belong" in result.message else ""
        named = set(NAMED.findall(text))
        if not named:
            return None
        answer = [a for a in answer if a not in named]
    return None


def drop_one_checks_to_pass(q, universe: list[str]) -> int | None:
    q = fresh(q)
    first = q.check(list(universe))
    m = RIGHT.search(first.message)
    if first.status == CORRECT or not m:
        return None
    base, keep, n = int(m.group(1)), [], 1
    for item in universe:
        if n >= SEARCH_BUDGET - 1:
            return None
        n += 1
        m = RIGHT.search(q.check([u for u in universe if u != item]).message)
        if not m:
            return None
        if int(m.group(1)) < base:
            keep.append(item)
    return n + 1 if q.check(keep).status == CORRECT else None


@pytest.mark.parametrize("lesson,q", _of("set"), ids=_ids("set"))
def test_listing_everything_and_deleting_what_is_named_does_not_pass(lesson, q):
    universe = _universe(q)
    assert len(universe) > len(expected_value(q)) + 2, (lesson, q.name, universe)
    assert superset_checks_to_pass(q, universe) is None, (lesson, q.name)
    assert drop_one_checks_to_pass(q, universe) is None, (lesson, q.name)


def test_the_list_searches_work_against_the_old_feedback():
    q = SetQuestion("qs", "x", expected=["b", "d"])
    q._feedback_guard = False
    old = "{} of your {} item(s) are right; {} do not belong in the list."
    q._compare = lambda answer, exp: (
        set(answer) == set(exp),
        old.format(len(set(answer) & set(exp)), len(answer),
                   ", ".join(repr(a) for a in answer if a not in exp)),
    )  # fmt: skip
    assert superset_checks_to_pass(q, list("abcdefg")) == 2
    assert drop_one_checks_to_pass(q, list("abcdefg")) is not None


# ---- tables: flip cells while "differs in k rows" goes down

DIFFERS = re.compile(r"differs in (\d+) of")


def _flipped(frame, row: int, col: int, way: int):
    out = frame.copy()
    value = out.iat[row, col]
    if isinstance(value, (bool, np.bool_)):
        out.iat[row, col] = not value
    else:
        out.iat[row, col] = value + way
    return out


def cell_flip_checks_to_pass(q, start) -> int | None:
    """Flip one value cell at a time; keep a flip when the count of differing rows drops."""
    q = fresh(q)
    current = start
    result = q.check(current)
    m = DIFFERS.search(result.message)
    if result.status == CORRECT or not m:
        return None
    k, n = int(m.group(1)), 1
    cells = [(r, c) for c in range(current.shape[1]) for r in range(current.shape[0])
             if pd.api.types.is_numeric_dtype(current.iloc[:, c])
             or pd.api.types.is_bool_dtype(current.iloc[:, c])]  # fmt: skip
    for r, c in cells:
        for way in (1, -1):
            if n >= SEARCH_BUDGET:
                return None
            trial = _flipped(current, r, c, way)
            n += 1
            result = q.check(trial)
            if result.status == CORRECT:
                return n
            m = DIFFERS.search(result.message)
            if not m:
                return None  # the feedback stopped counting: nothing left to steer by
            if int(m.group(1)) < k:
                current, k = trial, int(m.group(1))
                break
            if pd.api.types.is_bool_dtype(current.iloc[:, c]):
                break
    return None


def _wrong_cells(frame, how_many: int = 3):
    """The expected table with a few value cells wrong, as a nearly finished answer is."""
    out = frame.copy()
    rng = np.random.default_rng(19)
    cells = [(r, c) for c in range(out.shape[1]) for r in range(out.shape[0])
             if pd.api.types.is_numeric_dtype(out.iloc[:, c])
             or pd.api.types.is_bool_dtype(out.iloc[:, c])]  # fmt: skip
    for i in rng.choice(len(cells), size=min(how_many, len(cells)), replace=False):
        r, c = cells[i]
        out = _flipped(out, r, c, 1)
    return out


@pytest.mark.parametrize("lesson,q", _of("frame"), ids=_ids("frame"))
def test_flipping_cells_on_the_count_of_differing_rows_does_not_pass(lesson, q):
    exp = expected_value(q)
    start = _wrong_cells(exp.to_frame() if isinstance(exp, pd.Series) else exp)
    if isinstance(exp, pd.Series):
        start = start.iloc[:, 0]
    assert cell_flip_checks_to_pass(q, start) is None, (lesson, q.name)
    q2, frame = fresh(q), start.to_frame() if isinstance(start, pd.Series) else start
    cells = [(r, c) for c in range(frame.shape[1]) for r in range(frame.shape[0])
             if pd.api.types.is_numeric_dtype(frame.iloc[:, c])
             or pd.api.types.is_bool_dtype(frame.iloc[:, c])]  # fmt: skip
    assert len(cells) > SEARCH_TRIES, (lesson, q.name)
    for r, c in cells[: SEARCH_TRIES + 1]:  # four different wrong tables
        trial = _flipped(frame, r, c, 1)
        message = q2.check(trial.iloc[:, 0] if isinstance(start, pd.Series) else trial).message
    assert not DIFFERS.search(message), message  # no count left to steer by


# ---- choices: the longest option


def _option_texts(lesson: str, q) -> dict[str, str]:
    stem = next(p.name for p in (H.ROOT / "solutions").glob(f"{lesson}_*.ipynb"))
    text = H.notebook_text(H.solution_path(stem), "markdown")
    task = text[text.index(f"**Task {q.name}.**"):]
    found = re.findall(r"^- \*\*`?(\w+)`?\*\* — (.*)$", task, re.M)
    if not found:  # options that are words themselves (03 q10: the motives' names)
        return {str(k): str(k) for k in q.options}
    return dict(found[: len(q.options)])


@pytest.mark.parametrize("lesson,q", _of("choice"), ids=_ids("choice"))
def test_the_right_option_is_not_the_longest(lesson, q):
    """Once the right option was the longest in 4 of 5 lettered questions: a blind rule."""
    texts = _option_texts(lesson, q)
    assert set(texts) == {str(k) for k in q.options}, (lesson, q.name, sorted(texts))
    right = len(texts[str(expected_value(q))])
    wrong = [len(t) for k, t in texts.items() if k != str(expected_value(q))]
    assert right <= max(wrong), (lesson, q.name, right, wrong)


def test_longest_option_wins_at_most_by_chance_across_the_sets():
    wins = 0
    for lesson, q in _of("choice"):
        texts = _option_texts(lesson, q)
        if texts and max(texts, key=lambda k: len(texts[k])) == str(expected_value(q)):
            wins += 1
    assert wins == 0


# ---- the wrong diagnoses and the cells that told the answer (issue 19, 6)


def test_the_wrong_diagnoses_from_the_issue_are_gone():
    s02 = load_questions("defection.checks.lesson02", fresh=False)
    s03 = load_questions("defection.checks.lesson03", fresh=False)
    s05 = load_questions("defection.checks.lesson05", fresh=False)
    percent = judge(s02.by_name("q6"), 152.17).message
    assert "100 times" in percent and "share" not in percent  # the answer is about 1.52
    for name in ("q1", "q2"):
        for near_zero in (0.0, 0.0004, 0.002):
            message = judge(s05.by_name(name), near_zero).message
            assert "default settings" not in message, (name, near_zero, message)
    default = float(predicted_mistakes(s05.by_name("q1"))[-1][0]())
    assert "default settings" in judge(s05.by_name("q1"), default).message
    assert "four decimal places" in judge(s03.by_name("q9"), 0.0).message
    assert "four decimal places" in judge(s03.by_name("q9"), 0.00).message


def _cell_after_check(stem: str, name: str) -> str:
    import nbformat

    cells = nbformat.read(H.solution_path(stem), as_version=4).cells
    at = next(i for i, c in enumerate(cells) if c.source.startswith(f"{name}.check("))
    return cells[at + 1].source.casefold()


def test_the_limits_cells_after_the_checks_do_not_give_the_answer():
    after_q3 = _cell_after_check("02_military_economy.ipynb", "q3")
    assert "what this cannot tell us" in after_q3
    assert "period" not in after_q3 and "base" not in after_q3  # option b's two words
    after_q10 = _cell_after_check("03_defection_motivations.ipynb", "q10")
    assert "what this cannot tell us" in after_q10
    assert "survival" not in after_q10 and "survives" not in after_q10


# ---- rules a prompt states are the rules a check applies (issue 19, 4)


def _task(lesson: str, name: str) -> str:
    stem = next(p.name for p in (H.ROOT / "solutions").glob(f"{lesson}_*.ipynb"))
    text = H.notebook_text(H.solution_path(stem), "markdown")
    start = text.index(f"**Task {name}.**")
    ends = [text.find(m, start + 10) for m in ("**Task ", "\n#", "**What this cannot")]
    end = min([e for e in ends if e > 0], default=len(text))
    return " ".join(text[start:end].split()).casefold()


ORDER_FREE = ("any order", "order does not matter", "row order does not matter")


@pytest.mark.parametrize("lesson,q", _of("set") + _of("frame"), ids=_ids("set") + _ids("frame"))
def test_every_order_and_each_once_rule_is_stated_and_checked(lesson, q):
    task = _task(lesson, q.name)
    free = any(w in task for w in ORDER_FREE)
    if q.kind == "set":
        assert free, (lesson, q.name, "a list checked in any order says so")
        each_once = re.search(r"\beach [\w ]{1,20} once\b", task) is not None
        assert each_once == q.unique, (lesson, q.name, "'each ... once' stated iff checked")
        return
    if q.ignore_row_order:
        assert free, (lesson, q.name, "a table checked in any row order says so")
    elif not q.check_index:
        assert "in the order of" in task and not free, (lesson, q.name)
