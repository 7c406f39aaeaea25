"""Self-checks for exercise set 06, the replication lab ("46 times" on NAVCO 1.2).

Every expected value is an estimate from ``defection.replication`` on the ``campaigns``
table, so a change to the data or the fitting moves the answers with it; nothing is typed
in. The solution notebook is ``solutions/06_replication_lab.ipynb``.
"""

from __future__ import annotations

import math

import pandas as pd

from defection import data, replication
from defection.checks import (
    ChartQuestion,
    ChoiceQuestion,
    FrameQuestion,
    NumberQuestion,
    SetQuestion,
    WrittenQuestion,
    register,
)
from defection.replication import ARTICLE_LAST_YEAR, PUBLISHED, Spec

LESSON = "06"

#: q5's model: the defection odds ratio with the five controls the task names.
CONTROLS_Q5 = ("log_participation", "regviol", "log_duration", "regaid", "statesup")
#: q6's columns, in order.
WALK_COLUMNS = ["specification", "campaigns", "odds_ratio"]
#: q9: the single choices compared, each a change to the baseline.
SINGLE_CHOICES = {
    "a": ("every campaign, violent ones too", {"campaigns": "all"}),
    "b": ("only campaigns that ended by 2006", {"last_year": ARTICLE_LAST_YEAR}),
    "c": ("ongoing campaigns dropped", {"ongoing": "drop"}),
    "d": ("limited success counted as success", {"limited": "success"}),
    "e": ("regime-change goals only", {"campaigns": "nonviolent_regime_change"}),
}


# --------------------------------------------------------------------------- helpers


def _campaigns() -> pd.DataFrame:
    return data.load("campaigns")


def _or(spec: Spec = Spec()) -> float:
    return replication.estimate(_campaigns(), spec).defection.value


def _coef(spec: Spec = Spec()) -> float:
    return math.log(_or(spec))


def _rate_ratio() -> float:
    rows = replication.sample(_campaigns(), Spec())
    rates = rows.groupby("defect")["won"].mean()
    return float(rates[1] / rates[0])


def _walk() -> pd.DataFrame:
    return replication.compare(_campaigns(), replication.standard_specs())[WALK_COLUMNS]


def _lower_than_baseline() -> list[str]:
    walk = _walk()
    return sorted(walk.loc[walk["odds_ratio"] < _or(), "specification"])


def _biggest_single_move() -> str:
    """The single change that moves the odds ratio furthest from the baseline on the log
    scale (the larger over the smaller); must be a clear winner."""
    base = _or()
    moves = {k: abs(math.log(_or(Spec(**change)) / base)) for k, (_, change) in SINGLE_CHOICES.items()}
    ranked = sorted(moves, key=moves.get, reverse=True)
    if moves[ranked[0]] - moves[ranked[1]] < 0.05:
        raise ValueError(f"q9 has no clear answer on these data: {moves}; revise the options")
    return ranked[0]


def _what_46_is() -> str:
    """'c' while no specification in the walk comes within a factor of four of 46."""
    if _walk()["odds_ratio"].max() < PUBLISHED / 4:
        return "c"
    raise ValueError("an estimate in the walk comes near 46: revise q10")


# --------------------------------------------------------------------------- questions

q1 = NumberQuestion(
    "q1",
    variable="baseline_or",
    prompt="Odds ratio of success for defection from a logit on the nonviolent campaigns "
    "(no controls)",
    expected=_or,
    decimals=2,
    hints=[
        "Fit the baseline specification, Spec() with nothing changed: nonviolent campaigns, "
        "every end year, ongoing counted as failures, no controls.",
        "replication.estimate(campaigns, spec) returns an estimate; its .defection is the "
        "odds ratio, with .value, .low and .high.",
        "Fill in the blanks: baseline = replication.estimate(campaigns, ...); then "
        "baseline_or = baseline.defection....",
    ],
    solution=(
        "baseline = replication.estimate(campaigns, Spec())\n"
        "baseline_or = baseline.defection.value"
    ),
    mistakes=[
        (_coef, "That is the coefficient (a log of the odds ratio); take exp() of it, or use .value."),
        (lambda: _or(Spec(campaigns="all")), "You used every campaign; the baseline keeps the nonviolent ones."),
        (_rate_ratio, "That is the ratio of the two success rates; the logit gives an odds ratio."),
    ],
)

q2 = NumberQuestion(
    "q2",
    variable="or_to_2006",
    prompt="The same odds ratio using only campaigns that ended in 2006 or earlier",
    expected=lambda: _or(Spec(last_year=ARTICLE_LAST_YEAR)),
    decimals=2,
    hints=[
        "Change one choice of the baseline: the last end year. Spec has a field for it.",
        "Spec(last_year=2006) keeps campaigns whose eyear is 2006 or earlier.",
        "Fill in the blanks: or_to_2006 = replication.estimate(campaigns, Spec(last_year=...))"
        ".defection....",
    ],
    solution="or_to_2006 = replication.estimate(campaigns, Spec(last_year=2006)).defection.value",
    mistakes=[
        (lambda: _or(Spec(last_year=2005)), "That leaves out campaigns that ended in 2006; keep eyear <= 2006."),
        (lambda: _or(Spec(campaigns="all", last_year=ARTICLE_LAST_YEAR)),
         "You used every campaign; keep the nonviolent ones and change only the years."),
        (lambda: _coef(Spec(last_year=ARTICLE_LAST_YEAR)),
         "That is the coefficient; give the odds ratio (exp of it)."),
    ],
)

q3 = NumberQuestion(
    "q3",
    variable="or_ongoing_dropped",
    prompt="The odds ratio with campaigns still ongoing in 2014 left out (nonviolent, all years)",
    expected=lambda: _or(Spec(ongoing="drop")),
    decimals=2,
    hints=[
        "NAVCO codes a campaign still running in 2014 as a failure. The choice here is to "
        "leave those rows out instead.",
        "Spec has an 'ongoing' field: 'failure' (the default) or 'drop'.",
        "Fill in the blanks: or_ongoing_dropped = replication.estimate(campaigns, "
        "Spec(ongoing=...)).defection....",
    ],
    solution='or_ongoing_dropped = replication.estimate(campaigns, Spec(ongoing="drop")).defection.value',
    mistakes=[
        (lambda: _or(Spec(campaigns="all", ongoing="drop")),
         "You used every campaign; keep the nonviolent ones and change only the ongoing rows."),
        (lambda: _or(Spec(ongoing="drop", last_year=ARTICLE_LAST_YEAR)),
         "You also kept only campaigns to 2006; change one choice at a time."),
    ],
)

q4 = NumberQuestion(
    "q4",
    variable="or_limited_success",
    prompt="The odds ratio when a limited success counts as a success (nonviolent, all years)",
    expected=lambda: _or(Spec(limited="success")),
    decimals=2,
    hints=[
        "NAVCO's 'success' is strict; 'limited' marks campaigns that won significant "
        "concessions short of their goal. Count those as successes too.",
        "Spec has a 'limited' field: 'failure' (the default) or 'success'.",
        "Fill in the blanks: or_limited_success = replication.estimate(campaigns, "
        "Spec(limited=...)).defection....",
    ],
    solution='or_limited_success = replication.estimate(campaigns, Spec(limited="success")).defection.value',
    mistakes=[
        (lambda: _or(Spec(campaigns="all", limited="success")),
         "You used every campaign; keep the nonviolent ones and change only the outcome."),
        (lambda: _coef(Spec(limited="success")), "That is the coefficient; give the odds ratio (exp of it)."),
    ],
)

q5 = NumberQuestion(
    "q5",
    variable="or_with_controls",
    prompt="The defection odds ratio holding five controls constant: log participation, "
    "regime violence, log duration, foreign aid to the regime, foreign support for the campaign",
    expected=lambda: _or(Spec(controls=CONTROLS_Q5)),
    decimals=2,
    hints=[
        "Controls go in Spec(controls=(...)) as a tuple of names from replication.CONTROLS.",
        "The five names are log_participation, regviol, log_duration, regaid and statesup. "
        "Campaigns with no participation count are left out, so fewer rows are used.",
        "Fill in the blanks: spec = Spec(controls=(\"log_participation\", ..., ..., ..., ...)); "
        "then or_with_controls = replication.estimate(campaigns, spec).defection....",
    ],
    solution=(
        'spec = Spec(controls=("log_participation", "regviol", "log_duration", "regaid", "statesup"))\n'
        "or_with_controls = replication.estimate(campaigns, spec).defection.value"
    ),
    mistakes=[
        (lambda: _or(Spec(controls=("log_participation", "regviol", "log_duration"))),
         "That model leaves out the two foreign-support controls (regaid, statesup)."),
        (lambda: _coef(Spec(controls=CONTROLS_Q5)), "That is the coefficient; give the odds ratio (exp of it)."),
        (lambda: _or(Spec(campaigns="all", controls=CONTROLS_Q5)),
         "You used every campaign; keep the nonviolent ones."),
    ],
)

q6 = FrameQuestion(
    "q6",
    variable="walk_table",
    prompt="The lab's ten specifications side by side: columns specification, campaigns, "
    "odds_ratio, in the order of replication.standard_specs()",
    expected=_walk,
    check_index=False,
    hints=[
        "replication.compare(campaigns, specs) fits every specification in a list and "
        "returns one row each; replication.standard_specs() is the lab's list.",
        "Keep three columns, in this order: specification, campaigns, odds_ratio.",
        "Fill in the blanks: table = replication.compare(campaigns, replication....()); "
        "then walk_table = table[[..., ..., ...]]",
    ],
    solution=(
        "table = replication.compare(campaigns, replication.standard_specs())\n"
        'walk_table = table[["specification", "campaigns", "odds_ratio"]]'
    ),
    mistakes=[
        (lambda: _walk().iloc[::-1].reset_index(drop=True),
         "The rows are in reverse; keep the order of replication.standard_specs()."),
    ],
)

q7 = ChartQuestion(
    "q7",
    variable="walk_chart",
    prompt="Point chart of walk_table: odds ratio (x, quantitative) for each specification "
    "(y, nominal), with axis titles and a tooltip",
    mark="point",
    encodings={"x": "odds_ratio:Q", "y": "specification:N"},
    fields=["odds_ratio", "specification"],
    data=_walk,
    data_hint="walk_table from q6",
    titles=("x", "y"),
    tooltip=True,
    hints=[
        "alt.Chart(walk_table).mark_point() draws one point per row; encode the odds ratio on "
        "x and the specification on y.",
        "Give each axis a title (alt.X(..., title=...)) and a tooltip list; a log scale "
        "(scale=alt.Scale(type='log')) shows 2 and 1/2 as equally far from 1.",
        "Fill in the blanks: walk_chart = alt.Chart(walk_table).mark_point().encode(x=alt.X("
        "'odds_ratio:Q', title=...), y=alt.Y(..., title=...), tooltip=[...])",
    ],
    solution=(
        "walk_chart = (\n"
        "    alt.Chart(walk_table)\n"
        "    .mark_point(filled=True)\n"
        "    .encode(\n"
        '        x=alt.X("odds_ratio:Q", title="Odds ratio of success with defection",\n'
        '                scale=alt.Scale(type="log")),\n'
        '        y=alt.Y("specification:N", title="Specification", sort=None),\n'
        '        tooltip=["specification:N", "campaigns:Q", alt.Tooltip("odds_ratio:Q", format=".2f")],\n'
        "    )\n"
        '    .properties(title="The defection odds ratio under ten sets of choices")\n'
        ")"
    ),
)

q8 = SetQuestion(
    "q8",
    variable="lower_than_baseline",
    prompt="The specifications in walk_table whose odds ratio is below the baseline (q1)",
    expected=_lower_than_baseline,
    hints=[
        "Compare the odds_ratio column of walk_table with baseline_or.",
        "A boolean mask keeps the rows below it; take their 'specification' names.",
        "Fill in the blanks: lower_than_baseline = set(walk_table.loc[walk_table['odds_ratio'] "
        "< ..., ...])",
    ],
    solution=(
        'lower_than_baseline = set(walk_table.loc[walk_table["odds_ratio"] < baseline_or, '
        '"specification"])'
    ),
    mistakes=[
        (lambda: sorted(_walk().loc[_walk()["odds_ratio"] > _or(), "specification"]),
         "Those are the specifications ABOVE the baseline; the question asks for those below."),
    ],
)

q9 = ChoiceQuestion(
    "q9",
    variable="answer_q9",
    prompt="Which single change to the baseline moves the odds ratio furthest, measured on "
    "the log scale (the larger odds ratio divided by the smaller)?",
    options={k: label for k, (label, _) in SINGLE_CHOICES.items()},
    expected=_biggest_single_move,
    feedback={
        "b": "Check the years again: q2's estimate is close to the baseline.",
        "c": "Dropping ongoing campaigns moves it, but not the furthest.",
        "d": "It moves a lot, but compare the ratios: divide the larger odds ratio by the smaller.",
        "e": "Check again: regime-change goals alone barely move it.",
    },
    hints=[
        "Fit each change on its own (one Spec each) and divide the larger of (its odds ratio, "
        "baseline_or) by the smaller.",
        "The option with the largest ratio wins; 2.6 against 3.9 is a ratio of 1.5, the same "
        "distance as 3.9 against 5.85.",
    ],
    solution=(
        "for change in ({'campaigns': 'all'}, {'last_year': 2006}, {'ongoing': 'drop'},\n"
        "               {'limited': 'success'}, {'campaigns': 'nonviolent_regime_change'}):\n"
        "    value = replication.estimate(campaigns, Spec(**change)).defection.value\n"
        "    print(change, round(max(value, baseline_or) / min(value, baseline_or), 2))\n"
        'answer_q9 = "a"'
    ),
)

Q10_OPTIONS = {
    "a": "NAVCO 1.2 shows that the published 46 is wrong: the effect of defection on "
    "success is really about 3.9, so the article must have slipped in its arithmetic.",
    "b": "With enough controls, or the right window of years, the lab's main set of "
    "specifications reaches 46, so the figure Lee and McCarthy repeat is confirmed.",
    "c": "None of the lab's ten specifications comes near 46; it may rest on another "
    "sample, model or quantity, so without the article's table it stays unverified.",
    "d": "The 46 is a difference in percentage points between success rates, not an odds "
    "ratio, so the lab's 3.9 and the published 46 are one finding in two units.",
}

q10 = ChoiceQuestion(
    "q10",
    variable="answer_q10",
    prompt="After the lab, what can you say about the published 46?",
    options=Q10_OPTIONS,
    expected=_what_46_is,
    feedback={
        "a": "A different estimate on different data does not show the original wrong: you have "
        "not seen the article's model or sample.",
        "b": "Look at q5 and walk_table: which estimate reaches 46?",
        "d": "An odds ratio has no unit, and nothing in the data suggests the 46 is a percentage.",
    },
    hints=[
        "Look at the largest odds ratio in walk_table and at its 95% interval. How far is it from 46?",
        "Then ask what you would need to see to call the 46 right or wrong.",
    ],
    solution='print(walk_table["odds_ratio"].max())   # far below 46\nanswer_q10 = "c"',
)

W1_MODEL = (
    "On NAVCO 1.2's nonviolent campaigns a logit of success on defection alone gives an odds "
    "ratio of about 3.9, exactly the cross-tab of lesson 01, with a 95% interval of roughly 1.9 "
    "to 8.2 [@navco_2019]. None of the choices I tried brings it near the 46 that Lee and "
    "McCarthy report from Stephan and Chenoweth [@lee_mccarthy_2023; @stephan_chenoweth_2008]: "
    "keeping only campaigns that ended by 2006, as the article's data would have, leaves it at "
    "about 4.0; dropping ongoing campaigns lowers it to about 3.6; counting limited success "
    "raises it to about 5.1; adding participation, regime violence, duration and foreign "
    "support gives about 4.4; taking violent campaigns in too lowers it to about 2.6. The "
    "largest estimate in the walk is about a ninth of 46, and 46 lies far outside every "
    "interval. Only windows of campaigns that ended in the 1980s, a few dozen cases, give "
    "estimates above ten, with intervals wide enough to include 46. What the course could verify is only the article's own description of its data "
    "as major campaigns from 1900 to 2006 [@stephan_chenoweth_2008]; it could not read which "
    "model, which controls or which campaigns produced 46. So my result does not show the 46 "
    "wrong: an older data version with other codings, another model (for instance one with "
    "interactions, or a rare-events correction), another quantity, or a slip between the "
    "article and the chapter could each explain the gap. What it shows is that on the data the "
    "course ships, the association is strong but a factor of about four, not 46, and that the "
    "choice of cases moves it more than the choice of years."
)

W2_MODEL = (
    "To settle the question I would first read the article's results table [@stephan_chenoweth_2008]"
    " and write down the exact model: the outcome (full success, or success with limited "
    "success), the sample (nonviolent campaigns only or all, NAVCO 1.0's end years to 2006), "
    "the controls and how each was coded, and whether the 46 is an odds ratio, a change in "
    "predicted probability or a coefficient read as a ratio. Second, I would get the matching "
    "data version, because NAVCO 1.2 covers campaigns ending 1946-2014 [@navco_2019] while "
    "the article describes data from 1900 to 2006, and refit the model exactly as published. If "
    "that reproduces 46, I would then move one choice at a time back to NAVCO 1.2, as in this "
    "lab, to see which revision closes the gap. If it does not, I would write to the authors. "
    "Third, I would check how Lee and McCarthy used the number [@lee_mccarthy_2023]: a chapter "
    "about Myanmar quoting a cross-national association does not tell us what defection would "
    "do there. Even a verified odds ratio is an association across campaigns from the "
    "twentieth century, where defection may follow a regime's visible weakness rather than "
    "cause its fall, and NAVCO's 0/1 code cannot tell privates leaving from a general "
    "changing sides, which is the distinction that matters for Myanmar since 2021. A good "
    "design would therefore also code the rank and scale of defection, as the course's own "
    "cases do."
)

w1 = WrittenQuestion(
    "w1",
    prompt="Report your replication: how close did you get to 46 and to 3.9, and which choices mattered?",
    rubric=(
        "4 pts. 1: reports the baseline (about 3.9, the cross-tab) and at least three other "
        "specifications with their odds ratios. 1: says which choices move the estimate most "
        "(cases: all vs nonviolent; the outcome: limited success) and which barely do (end "
        "year to 2006). 1: states plainly that no specification comes near 46 and that 46 lies "
        "outside every interval, without calling the published figure wrong. 1: says what "
        "the course could and could not verify about the 2008 article (data described as "
        "1900-2006; model, controls and sample not seen) and names possible reasons for the "
        "gap, citing sources."
    ),
    model_answer=W1_MODEL,
    hints=[
        "A strong answer gives numbers: the baseline and the estimates of at least three other "
        "specifications, with what each choice was.",
        "Then it says how far all of them are from 46, what the course could and could not "
        "check in the 2008 article, and what could explain the gap, without claiming more "
        "than the lab shows. Cite sources by key, e.g. [@navco_2019].",
    ],
    points=4,
)

w2 = WrittenQuestion(
    "w2",
    prompt="Design the check that would settle the 46, and say what even a verified figure "
    "would not tell us about Myanmar",
    rubric=(
        "4 pts. 1: names what to read in the article (the table, outcome, sample, controls, "
        "the quantity 46 is). 1: plans to refit on the matching data version and to move one "
        "choice at a time towards NAVCO 1.2 (or to ask the authors). 1: checks the chain of "
        "citation (how Lee & McCarthy used it). 1: explains the limits of a cross-national "
        "association for Myanmar (direction of cause, a 0/1 code that ignores rank and scale), "
        "citing at least two sources."
    ),
    model_answer=W2_MODEL,
    hints=[
        "A strong answer says what you would look for in the article and in which data you "
        "would refit it, then how you would find which difference closes the gap.",
        "Then it asks how the figure travelled to the Myanmar chapter and what an association "
        "across twentieth-century campaigns can and cannot say about one army today. Cite at "
        "least two sources.",
    ],
    points=4,
)

QUESTIONS = register(q1, q2, q3, q4, q5, q6, q7, q8, q9, q10, w1, w2, lesson=LESSON)
