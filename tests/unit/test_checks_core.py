"""Checks of the checks: right answers pass, plausible wrong ones fail helpfully, never raise."""

from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd
import pytest

from defection.checks import (
    CORRECT,
    INCORRECT,
    NOT_ANSWERED,
    RECORDED,
    SELF_CHECK_NOTE,
    ChartQuestion,
    CheckResult,
    ChoiceQuestion,
    FrameQuestion,
    KeywordQuestion,
    NumberQuestion,
    QuestionSet,
    SetQuestion,
    WrittenQuestion,
    register,
)
from defection.checks.answers import expected_value, judge

# ---------------------------------------------------------------- a test-local lesson

RATE = 0.5238095238
TABLE = pd.DataFrame(
    {"claimant": ["People's Embrace", "NUG", "junta"], "value": [2000.0, 10000.0, 350.0]},
    index=pd.Index([10, 11, 12], name="row"),
)
CHART_DATA = pd.DataFrame({"as_of": pd.to_datetime(["2021-10-01", "2022-10-01"]), "value": [2, 8]})


def _counts() -> pd.Series:
    return pd.Series([3, 2, 1], index=pd.Index(["defection", "surrender", "regime"]), name="n")


q1 = NumberQuestion(
    "q1", "success_rate_with", "share of successes", expected=lambda: RATE,
    hints=["Filter the rows.", "Take the mean.", "Use .mean() on success."],
    solution="success_rate_with = df.success.mean()",
    mistakes=[(lambda: 1 - RATE, "You computed the failure rate.")],
)  # fmt: skip
q2 = ChoiceQuestion(
    "q2", "answer_q2", "pick", options={"a": "Philippines 1986", "b": "China 1989"},
    expected="a", feedback={"b": "In 1989 the army held together."},
)  # fmt: skip
q3 = SetQuestion("q3", "cases", "cases", expected=lambda: ["Egypt", "Philippines", "Indonesia"])
q4 = FrameQuestion("q4", "table", "table", expected=lambda: TABLE.copy())
q5 = FrameQuestion("q5", "counts", "counts", expected=_counts)
q6 = ChartQuestion(
    "q6", "chart", "line chart", mark="line", encodings={"x": "as_of:T", "y": "value:Q"},
    fields=["as_of", "value"],
)  # fmt: skip
q7 = KeywordQuestion("q7", "word", "a key word", expected=[("cohesion", "unity"), "army"])
w1 = WrittenQuestion("w1", "Could defections end the dictatorship?", min_words=5)
QUESTIONS = register(q1, q2, q3, q4, q5, q6, q7, w1, lesson="99")


def good_chart():
    return alt.Chart(CHART_DATA).mark_line().encode(x="as_of:T", y="value:Q", tooltip=["value"])


RIGHT = {
    "q1": [RATE, np.float64(RATE), 0.52381, pd.Series([RATE])],
    "q2": ["a", "A", " philippines  1986 "],
    "q3": [["Egypt", "Philippines", "Indonesia"], {"indonesia", "EGYPT", "philippines "},
           ("Egypt", "Egypt", "Philippines", "Indonesia"), pd.Series(["Egypt", "Indonesia", "Philippines"])],
    "q4": [TABLE.copy(), TABLE[["value", "claimant"]], TABLE.astype({"value": "Int64"})],
    "q5": [_counts(), _counts().rename("other"), _counts().to_frame()],
    "q6": [good_chart(), good_chart().to_dict(), good_chart() + good_chart().mark_point()],
    "q7": ["The army's cohesion held.", "UNITY of the ARMY"],
}  # fmt: skip

# plausible wrong answers, with words the message must contain
WRONG = {
    "q1": [(0.6, "not right"), (0.1, "less than half"), (52.38095238, "100 times"), (1 - RATE, "failure rate"),
           ("0.52", "quotes"), (pd.Series([0.1, 0.2]), "single number"), (0.52, "do not round")],
    "q2": [("b", "army held together"), ("d", "not one of the options"), (["a"], "one option")],
    "q3": [(["Egypt", "Philippines"], "missing"), (["Egypt", "Philippines", "Indonesia", "China"], "'China' does not belong"),
           ("Egypt", "list")],
    "q4": [(TABLE.drop(columns="claimant"), "missing column"), (TABLE.assign(extra=1), "unexpected column"),
           (TABLE.head(2), "too few"), (TABLE.assign(value=[2000.0, 10000.0, 351.0]), "'value'"),
           (TABLE["value"], "Series"), (TABLE.reset_index(drop=True), "index"),
           (TABLE.iloc[::-1], "order"), (TABLE.assign(value=TABLE["value"].astype(str)), "text")],
    "q5": [(_counts().iloc[:2], "too few"), (_counts().sort_values(), "order"),
           (_counts().reset_index(drop=True), "index"), (TABLE, "columns")],
    "q6": [(good_chart().mark_bar(), "mark"), (alt.Chart(CHART_DATA).mark_line().encode(x="as_of:T"), "'y'"),
           (alt.Chart(CHART_DATA).mark_line().encode(x="value:Q", y="as_of:T"), "field"),
           (alt.Chart(CHART_DATA).mark_line().encode(x="as_of:N", y="value:Q"), "typed"),
           (good_chart() | good_chart(), "one chart"), (TABLE, "altair chart"),
           (alt.Chart(CHART_DATA.rename(columns={"value": "v"})).mark_line().encode(x="as_of:T", y="value:Q"),
            "no column of that name")],
    "q7": [("nothing relevant", "key ideas"), (5, "text")],
}  # fmt: skip


def _expected_strings(q) -> list[str]:
    """Renderings of the expected value that a failure message must never contain."""
    exp = expected_value(q)
    if isinstance(exp, float):
        return [f"{exp:.2f}", f"{exp:.3f}", f"{100 * exp:.1f}"]
    if isinstance(exp, pd.DataFrame):
        return ["10000", "350"]
    return []


@pytest.mark.parametrize("name", sorted(RIGHT))
def test_right_answers_pass(name):
    q = QUESTIONS.by_name(name)
    for answer in RIGHT[name]:
        result = judge(q, answer)
        assert result.status == CORRECT, (name, answer, str(result))
        assert result.points == q.points


@pytest.mark.parametrize("name", sorted(WRONG))
def test_wrong_answers_fail_with_helpful_message(name):
    q = QUESTIONS.by_name(name)
    assert len(WRONG[name]) >= 2
    for answer, words in WRONG[name]:
        result = judge(q, answer)
        assert result.status == INCORRECT, (name, answer, str(result))
        assert result.points == 0
        assert words.casefold() in result.message.casefold(), (name, words, result.message)
        for secret in _expected_strings(q):
            if secret in str(answer):  # echoing the student's own answer is fine
                continue
            assert secret not in result.message, (name, secret, result.message)


@pytest.mark.parametrize("q", [q for q in QUESTIONS if q.auto], ids=lambda q: q.name)
def test_placeholder_is_not_answered(q):
    result = q.check(...)
    assert result.status == NOT_ANSWERED
    assert "not answered" in str(result).casefold()


def test_size_of_error_is_a_band_never_an_invertible_number_nor_a_near_direction():
    for factor in (0.6, 0.9, 0.99, 1.01, 1.2, 1.9):
        message = judge(q1, RATE * factor).message.casefold()
        assert not any(w in message for w in ("high", "low", "large", "small")), message
    assert "not right" in judge(q1, RATE * 1.01).message.casefold()
    assert "more than twice too large" in judge(q1, RATE * 3).message
    assert "less than half" in judge(q1, RATE * 0.3).message
    assert "wrong sign" in judge(q1, -RATE).message
    for factor in (0.5, 0.9, 0.99, 1.01, 1.2, 3, 30):
        message = judge(q1, RATE * factor).message
        assert "%" not in message and not any(ch.isdigit() for ch in message), message


def test_decimals_accept_exactly_the_stated_precision():
    q = NumberQuestion("qd", "x", expected=3.888888, decimals=1)
    assert q.precision_text == "one decimal place"
    assert judge(q, 3.9).passed and judge(q, 3.85).passed and judge(q, 3.888888).passed
    assert not judge(q, 3.95).passed and not judge(q, 3.8).passed
    whole = NumberQuestion("qw", "x", expected=2877.63, decimals=0)
    assert whole.precision_text == "a whole number"
    assert judge(whole, 2878).passed and judge(whole, 2877.63).passed
    assert not judge(whole, 2877).passed and not judge(whole, 2879).passed
    three = NumberQuestion("q3d", "x", expected=0.76923, decimals=3)
    assert judge(three, 0.769).passed and not judge(three, 0.77).passed
    assert "three decimal places" in judge(three, 0.77).message


def test_also_accepts_another_defensible_reading_at_the_same_precision():
    q = NumberQuestion("qa", "x", expected=6000 / 186, decimals=1, also=[lambda: 6000 / 187])
    assert judge(q, 32.3).passed and judge(q, 32.1).passed
    assert not judge(q, 32.2).passed


def test_options_say_in_the_list_or_not_never_how_far():
    q = NumberQuestion("qo", "x", expected=0.7, options=[0.55, 0.6, 0.7, 0.8],
                       recheck="look at .tipped for each.")
    assert q.precision_text == "a number from the list"
    assert judge(q, 0.7).passed
    near, far = judge(q, 0.6).message, judge(q, 0.8).message
    assert "in the list" in near and "look at .tipped" in near
    for message in (near, far):
        assert "high" not in message and "low" not in message and "%" not in message
    assert near == far
    assert "not one of the options" in judge(q, 0.65).message


def test_check_reads_the_callers_variable():
    success_rate_with = RATE  # noqa: F841 - read through the frame? no: globals only
    globals()["success_rate_with"] = RATE
    try:
        assert q1.check().status == CORRECT
    finally:
        del globals()["success_rate_with"]
    missing = q1.check()
    assert missing.status == NOT_ANSWERED and "success_rate_with" in missing.message


def test_hints_advance_then_repeat_last():
    q = NumberQuestion("qh", "x", expected=1, hints=["one", "two"])
    shown = [str(q.hint()) for _ in range(4)]
    assert "one" in shown[0] and "two" in shown[1] and "two" in shown[3]
    assert "Hint 2 of 2" in shown[2]
    assert "No hint" in str(NumberQuestion("qz", "x", expected=1).hint())
    sol = q1.solution()
    assert "success_rate_with = df.success.mean()" in str(sol)
    assert "<pre>" in sol._repr_html_()


def test_display_plain_and_html_say_the_same():
    for result in (q1.check(RATE), q1.check(0.9), q1.check(...), w1.check("one two three four five six")):
        text = str(result)
        assert repr(result) == text
        assert SELF_CHECK_NOTE in text and SELF_CHECK_NOTE in result._repr_html_()
        assert result.symbol in text and result.symbol in result._repr_html_()
        assert result.label in text and result.label in result._repr_html_()
    assert "✓" in str(q1.check(RATE)) and "✗" in str(q1.check(0.9))
    assert isinstance(q1.check(RATE), CheckResult)
    assert q1.check(RATE).to_dict()["status"] == "correct"


def test_html_escapes_student_text():
    result = q2.check("<script>alert(1)</script>")
    assert "<script>" not in result._repr_html_()


def test_written_question():
    assert w1.check("").status == NOT_ANSWERED
    assert w1.check(None).status == NOT_ANSWERED
    assert w1.check("**Your answer (w1):**\n_Write your answer here._").status == NOT_ANSWERED
    assert w1.check("too short").status == NOT_ANSWERED
    long = "**Your answer (w1):**\nDefections matter only when whole units leave together, I think."
    result = w1.check(long)
    text = result.message.casefold()
    assert result.status == RECORDED and "keeps no copy" in text and "recorded" not in text
    assert "Ready to hand in" in str(result)
    assert result.points == 0
    assert w1.check().status == NOT_ANSWERED
    assert not w1.auto and w1 in QUESTIONS.written


def test_question_set_validates_and_summarises():
    assert QUESTIONS.names[:2] == ["q1", "q2"] and QUESTIONS.lesson == "99"
    assert QUESTIONS.max_points == 7
    with pytest.raises(ValueError):
        QuestionSet([q1, NumberQuestion("q1", "other", expected=1)])
    with pytest.raises(ValueError):
        QuestionSet([q1, NumberQuestion("q9", "success_rate_with", expected=1)])
    summary = QUESTIONS.check_all({"success_rate_with": RATE, "answer_q2": "b"})
    text = str(summary)
    assert "✓ q1" in text and "✗ q2" in text and "○ q3" in text and SELF_CHECK_NOTE in text


def test_expected_is_lazy():
    calls = []
    q = NumberQuestion("ql", "x", expected=lambda: calls.append(1) or 2.0)
    assert calls == []
    q.check(2.0)
    q.check(3.0)
    assert calls == [1]


def test_broken_expected_never_raises():
    q = NumberQuestion("qb", "x", expected=lambda: 1 / 0)
    result = q.check(1)
    assert result.status == INCORRECT and "could not check" in result.message.casefold()


# ---------------------------------------------------------------- junk battery


class Evil:
    def __eq__(self, other):
        raise RuntimeError("eq")

    def __bool__(self):
        raise RuntimeError("bool")

    def __len__(self):
        raise RuntimeError("len")

    def __iter__(self):
        raise RuntimeError("iter")

    def __repr__(self):
        raise RuntimeError("repr")

    def __str__(self):
        raise RuntimeError("str")

    def __hash__(self):
        raise RuntimeError("hash")

    def __float__(self):
        raise RuntimeError("float")

    def to_dict(self, *a, **k):
        raise RuntimeError("to_dict")


class EvilFrame(pd.DataFrame):
    def __eq__(self, other):
        raise RuntimeError("eq")


def _junk():
    big = pd.DataFrame(np.zeros((200_000, 3)), columns=["claimant", "value", "x"])
    return [
        None, math.nan, math.inf, -math.inf, "", "text", b"bytes", [], [1, "a", None], {}, {"a": 1},
        (), set(), 0, -1, 10**400, True, 1j, object(), Evil(), [Evil()], {"mark": Evil()},
        pd.DataFrame(), big, pd.Series(dtype=float), pd.NA, np.array([]), np.array([[1, 2]]),
        pd.DataFrame({"a": [1]}).style, alt.Chart(), alt.Chart(CHART_DATA).mark_text(),
        alt.layer(), alt.hconcat(), {"layer": "nope"}, {"hconcat": [1, 2]}, {"encoding": 5, "mark": {}},
        EvilFrame({"claimant": ["a"], "value": [1.0]}), type, print, pd, Ellipsis, iter([1, 2]),
        pd.Timestamp("2021-02-01"), np.datetime64("NaT"), [[1, 2], [3]], {"values": list(range(5))},
    ]  # fmt: skip


@pytest.mark.parametrize("q", list(QUESTIONS), ids=lambda q: q.name)
def test_junk_never_raises(q):
    for junk in _junk():
        result = judge(q, junk)
        assert isinstance(result, CheckResult)
        assert result.status in (CORRECT, INCORRECT, NOT_ANSWERED, RECORDED)
        assert isinstance(str(result), str) and isinstance(result._repr_html_(), str)
        if junk is not Ellipsis and result.status == INCORRECT:
            assert result.message


def test_evil_object_reports_could_not_check():
    result = judge(q1, Evil())
    assert result.status == INCORRECT
    assert "evil" in result.message.casefold() or "number" in result.message.casefold()


def test_chart_expected_from_a_builder_and_layers():
    def builder():
        return good_chart().encode(color="value:Q").properties(title="t")

    q = ChartQuestion("qc", "chart", expected=builder, channels=("x", "y"))
    assert judge(q, good_chart()).status == CORRECT
    assert judge(q, good_chart().mark_area()).status == INCORRECT
    layered = ChartQuestion(
        "ql", "chart", layers=[{"mark": "line", "encodings": {"x": "as_of:T"}},
                               {"mark": "rule", "encodings": {"y": "value:Q"}}],
    )  # fmt: skip
    rule = alt.Chart(CHART_DATA).mark_rule().encode(y="mean(value):Q")
    assert judge(layered, good_chart() + rule).status == CORRECT
    result = judge(layered, good_chart())
    assert result.status == INCORRECT and "2 layers" in result.message
    assert "rule" not in result.message  # says the structure, not the answer
    wrong_layer = judge(layered, good_chart() + good_chart().mark_point())
    assert wrong_layer.status == INCORRECT and "layers" in wrong_layer.message


def test_faceted_chart_and_aggregate():
    q = ChartQuestion("qa", "chart", mark="bar", encodings={"x": "count():Q", "y": "kind:N"})
    data = pd.DataFrame({"kind": ["a", "b", "a"]})
    right = alt.Chart(data).mark_bar().encode(x="count()", y="kind:N")
    assert judge(q, right).status == CORRECT
    assert "summarised" in judge(q, alt.Chart(data).mark_bar().encode(x="sum(kind):Q", y="kind:N")).message
    faceted = right.facet(column="kind:N")
    assert judge(q, faceted).status == CORRECT


def test_set_feedback_names_the_students_own_extra_items_only():
    q = SetQuestion("qs", "x", expected=["Egypt", "Philippines"])
    message = q.check(["Egypt", "China", "Peru"]).message
    assert "'China', 'Peru' do not belong" in message and "1 item(s) are missing" in message
    assert "Philippines" not in message
    joined = q.check(["Egypt; Philippines"]).message
    assert "Philippines" not in joined and "should not be there" in joined


def test_the_nearest_predicted_mistake_names_the_slip_when_two_match():
    q = NumberQuestion(
        "qx", variable="x", prompt="How many people were lost", expected=1548.0, decimals=0,
        mistakes=[(0.258, "That is a share."), (0.002, "That is the last month only.")],
    )
    assert "last month only" in q.check(0.002).message
    assert "a share" in q.check(0.26).message


# ---------------------------------------------------------------- search-proof feedback


def test_after_three_wrong_values_a_question_stops_steering():
    q = NumberQuestion("qs", "x", expected=0.4, decimals=3, hints=["Read the table again."],
                       mistakes=[(0.04, "A tenth of the answer: did you divide twice?")])
    first = [q.check(v).message for v in (0.9, 0.1, 0.3)]
    assert "more than twice too large" in first[0] and "less than half" not in first[1]
    later = q.check(5.0).message
    assert "stops saying" in later and "qs.hint()" in later and "large" not in later
    assert "divide twice" in q.check(0.04).message  # a predicted slip is still named
    assert "expected a number" in q.check("abc").message.casefold()  # form problems always speak
    assert q.check(0.4).passed
    assert "more than ten times" in judge(q, 5.0).message  # the grader's verdict is whole


def test_written_and_chart_questions_are_not_guarded():
    w = WrittenQuestion("wg", prompt="Why?")
    for _ in range(5):
        assert "write at least" in w.check("too short").message


def test_a_list_of_everything_hears_no_names_and_no_count_to_drop_from():
    q = SetQuestion("qn", "x", expected=["a", "b", "c"])
    everything = list("abcdefgh")
    msg = judge(q, everything).message
    assert not any(f"'{c}'" in msg for c in "defgh"), msg
    same = [judge(q, [c for c in everything if c != drop]).message.split(":")[1] for drop in "ah"]
    assert same[0] == same[1] == msg.split(":")[1]
    near = judge(q, ["a", "b", "c", "x"]).message
    assert "'x' does not belong" in near  # nearly right: the one slip is named


def test_each_once_is_checked_when_the_prompt_says_so():
    q = SetQuestion("qu", "x", expected=["a", "b"], unique=True)
    result = judge(q, ["a", "b", "a"])
    assert not result.passed and "more than once" in result.message
    assert judge(q, ["b", "a"]).passed
    assert judge(SetQuestion("qd", "x", expected=["a", "b"]), ["a", "b", "a"]).passed


def test_rounding_and_zero_are_named_as_such():
    q = NumberQuestion("qr", "x", expected=0.0024694, decimals=4)
    assert "four decimal places" in judge(q, 0.0).message
    assert "rounded to two decimal places" in NumberQuestion(
        "qr2", "x", expected=0.76923, decimals=3
    ).check(0.77).message


def test_a_percentage_of_a_ratio_is_not_called_a_share():
    q = NumberQuestion("qp", "x", expected=1.5217, decimals=2)
    message = judge(q, 152.17).message
    assert "100 times" in message and "share" not in message


def test_a_near_zero_slip_is_named_only_for_that_value():
    q = NumberQuestion("qz", "x", expected=0.009, decimals=3,
                       mistakes=[(3.9e-05, "That is the default run.")])
    assert "default run" in judge(q, 3.9e-05).message
    assert "default run" not in judge(q, 0.0004).message


def test_a_series_of_missing_values_is_explained_not_sent_to_sum():
    q = NumberQuestion("qnan", "x", expected=0.0067, decimals=4)
    a, b = pd.Series([1.0], index=[3]), pd.Series([150.0], index=[7])
    message = judge(q, a / b).message
    assert "NaN" in message and "by label" in message and ".sum()" not in message


def test_a_method_given_as_the_answer_is_told_to_call_it():
    q = NumberQuestion("qm", "x", expected=1.5, decimals=1)
    assert ".mean()" in judge(q, pd.Series([1.0, 2.0]).mean).message


def test_running_the_cell_again_for_a_hint_is_not_a_new_try():
    q = NumberQuestion("qa", "x", expected=0.4, decimals=3, hints=["One.", "Two."])
    first = q.check(5.0).message
    for _ in range(5):  # the same wrong value, cell run again for the next hint
        assert q.check(5.0).message == first
    for value in (0.9, 0.1, 0.2):
        q.check(value)
    assert "stops saying" in q.check(0.3).message
    frames = FrameQuestion("qf", "x", expected=pd.DataFrame({"a": [1, 2]}), check_index=False)
    wrong = pd.DataFrame({"a": [1, 3]})
    for _ in range(6):
        assert "differs in 1 of 2 rows" in frames.check(wrong.copy()).message
