"""Self-checks for exercise set 01, regime cohesion and the comparative record.

Every expected value is computed from ``defection.data`` (the NAVCO ``campaigns`` table
and the course's ``uprisings`` cases), from ``defection.comparative`` or from the
threshold model ``defection.models.cascade``; nothing is typed in. The solution notebook
is ``solutions/01_regime_cohesion.ipynb``.

The set filters with boolean masks (``df[df["col"] == 1]``) throughout. In pandas 3,
``df.query("col == 'text'")`` on a date column silently returns no rows; masks behave
the same on every kind of column.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from defection import comparative, data, definitions
from defection.checks import (
    ChartQuestion,
    ChoiceQuestion,
    FrameQuestion,
    NumberQuestion,
    SetQuestion,
    WrittenQuestion,
    common,
    register,
)

LESSON = "01"

#: The second-hand figure the set examines (Lee & McCarthy 2023, citing Stephan & Chenoweth 2008).
CLAIMED_FACTOR = 46

#: Course levels of ``uprisings.sf_defection`` that mean a split at the top (q8), from their one
#: definition in data/datapackage.json. A coup is its own category there, not a split.
TOP_SPLIT = definitions.values_where("uprisings", "sf_defection", split_at_top=True)

#: The cascade run of q9 and the search of q10.
RUN_SETTINGS = dict(repression=0.6, incentives=0.3, exit_options=0.3, spread=0.25)
EXIT_OPTIONS_Q10 = 0.6
REPRESSION_OPTIONS = (0.55, 0.6, 0.65, 0.7, 0.75, 0.8)


# --------------------------------------------------------------------------- helpers


def _campaigns() -> pd.DataFrame:
    return data.load("campaigns")


def _subset(method: str | None = "nonviolent") -> pd.DataFrame:
    return comparative.navco_subset(_campaigns(), method)


def _rate(defect: int, method: str | None = "nonviolent") -> float:
    rows = _subset(method)
    return float(rows.loc[rows["defect"] == defect, "success"].astype(float).mean())


def _rate_with() -> float:
    return _rate(1)


def _rate_without() -> float:
    return _rate(0)


def _rate_ratio(method: str | None = "nonviolent") -> float:
    return _rate(1, method) / _rate(0, method)


def _odds(p: float) -> float:
    return p / (1 - p)


def _odds_ratio(method: str | None = "nonviolent") -> float:
    return comparative.odds_ratio_from(_subset(method)).value


def _why_not_46() -> str:
    """'c' when the data show why: no rate can be 46 times the no-defection rate, and
    neither the rate ratio nor the odds ratio is anywhere near 46."""
    impossible_as_rates = CLAIMED_FACTOR * _rate_without() > 1
    far_below = max(_rate_ratio(), _odds_ratio()) < CLAIMED_FACTOR / 4
    if impossible_as_rates and far_below:
        return "c"
    raise ValueError("the NAVCO table no longer shows why 46 does not fit: revise q5")


def _crosstab(method: str | None = "nonviolent", **kw: Any) -> pd.DataFrame:
    rows = _subset(method)
    return pd.crosstab(rows["defect"], rows["success"], **kw)


def _cases() -> pd.DataFrame:
    return data.load("uprisings")


def _disagreements(levels=TOP_SPLIT, column: str = "country") -> list[str]:
    # Treating a blank NAVCO code as 0 is a wrong method but, since no case without a NAVCO
    # row is coded as a split at the top, it gives the right list: so it is no longer a
    # mistake the check can tell apart, and the first hint teaches it instead.
    cases = _cases()
    navco = cases["navco_defect"].astype("Float64")
    coded = cases[navco.notna()]
    navco_says = (navco[navco.notna()] == 1).astype(bool)
    course_says = coded["sf_defection"].astype(str).isin(list(levels))
    return sorted(coded.loc[(course_says != navco_says).to_numpy(), column].astype(str))


def _run(**changes):
    from defection.models.cascade import cascade

    return common.run_with(cascade, RUN_SETTINGS, **changes)


def _final_share(**changes) -> float:
    return float(_run(**changes).final_share)


def _lowest_stalling(exit_options: float = EXIT_OPTIONS_Q10) -> float:
    return common.smallest_option(
        REPRESSION_OPTIONS,
        lambda rep: not _run(repression=rep, exit_options=exit_options).tipped,
        "the cascade tips at every repression level in the options",
    )


def _highest_tipping(exit_options: float = EXIT_OPTIONS_Q10) -> float:
    tips = [r for r in REPRESSION_OPTIONS if _run(repression=r, exit_options=exit_options).tipped]
    return float(max(tips))


def _rates_table() -> pd.DataFrame:
    """q7's small table: one row per value of defect, the success rate in 'rate'."""
    return _subset().groupby("defect")["success"].mean().reset_index(name="rate")


def _chart_spec(x: str, y: str, mark: str = "bar") -> list:
    return [ChartQuestion("_", None, mark=mark, encodings={"x": x, "y": y})._expected_value()]


# --------------------------------------------------------------------------- questions

q1 = NumberQuestion(
    "q1",
    variable="success_rate_with",
    prompt="Share of nonviolent NAVCO campaigns WITH security-force defection that succeeded",
    expected=_rate_with,
    decimals=3,
    hints=[
        "Start from `nonviolent` (prepared above). Keep the rows where the security forces "
        "defected: defect == 1.",
        "`success` is 1 for a campaign that succeeded and 0 otherwise, so the mean of that "
        "column over some rows is the share of those rows that succeeded.",
        "Fill in the blanks: with_defection = nonviolent[nonviolent['defect'] == ...]; then "
        "success_rate_with = with_defection[...].mean()",
    ],
    solution=(
        'with_defection = nonviolent[nonviolent["defect"] == 1]\n'
        'success_rate_with = float(with_defection["success"].mean())'
    ),
    mistakes=[
        (
            lambda: _rate(1, None),
            "You used every campaign; keep the nonviolent ones (`nonviolent`).",
        ),
        (
            lambda: _rate(1,
            "violent"), "You used the violent campaigns; this set is about nonviolent ones.",
        ),
        (
            lambda: 1 - _rate_with(),
            "That is the share that did NOT succeed; take the mean of 'success'.",
        ),
        (
            lambda: float(_subset().loc[_subset()["success"] == 1, "defect"].mean()),
            "That is the share of successful campaigns that had defection; the question asks "
            "the reverse: among campaigns with defection, the share that succeeded.",
        ),
        (
            lambda: float(_subset().loc[_subset()["defect"] == 1, "success"].sum()),
            "That is a number of campaigns; divide by how many had defection to get a share.",
        ),
        (
            _rate_without,
            "That is the rate WITHOUT defection (defect == 0); this one asks for defect == 1.",
        ),
    ],
)

q2 = NumberQuestion(
    "q2",
    variable="success_rate_without",
    prompt="Share of nonviolent NAVCO campaigns WITHOUT security-force defection that succeeded",
    expected=_rate_without,
    decimals=3,
    hints=[
        "The same as q1, but for the rows where defect == 0.",
        "Take the mean of 'success' over those rows: a number between 0 and 1.",
        "Fill in the blanks: without_defection = nonviolent[nonviolent[...] == 0]; then "
        "success_rate_without = without_defection['success']....()",
    ],
    solution=(
        'without_defection = nonviolent[nonviolent["defect"] == 0]\n'
        'success_rate_without = float(without_defection["success"].mean())'
    ),
    mistakes=[
        (
            lambda: _rate(0, None),
            "You used every campaign; keep the nonviolent ones (`nonviolent`).",
        ),
        (
            lambda: _rate(0,
            "violent"), "You used the violent campaigns; this set is about nonviolent ones.",
        ),
        (
            lambda: 1 - _rate_without(),
            "That is the share that did NOT succeed; take the mean of 'success'.",
        ),
        (_rate_with, "That is the rate WITH defection (q1); this one asks for defect == 0."),
        (
            lambda: float(_subset().loc[_subset()["defect"] == 0, "success"].sum()),
            "That is a number of campaigns; divide by how many had no defection to get a share.",
        ),
    ],
)

q3 = NumberQuestion(
    "q3",
    variable="rate_ratio",
    prompt="How many times larger the success rate is with defection than without (ratio of rates)",
    expected=_rate_ratio,
    decimals=2,
    hints=[
        "Use your answers to q1 and q2.",
        "A ratio of rates divides one rate by the other: the rate WITH defection goes on top.",
        "Fill in the blank: rate_ratio = success_rate_with / ... (the rate WITHOUT defection "
        "goes underneath).",
    ],
    solution="rate_ratio = success_rate_with / success_rate_without",
    mistakes=[
        (
            lambda: 1 / _rate_ratio(),
            "You divided the other way round: put the rate WITH defection on top.",
        ),
        (
            lambda: _rate_with() - _rate_without(),
            "That is a difference between the two rates; the question asks for a ratio (divide).",
        ),
        (_odds_ratio, "That is the odds ratio (q4); here divide the two success RATES."),
        (lambda: _rate_ratio(None), "You used every campaign; keep the nonviolent ones."),
    ],
)

q4 = NumberQuestion(
    "q4",
    variable="odds_ratio",
    prompt="Odds ratio of success, with vs without security-force defection (nonviolent campaigns)",
    expected=_odds_ratio,
    decimals=1,
    hints=[
        "The odds of success in a group are successes / failures, which is the same as "
        "rate / (1 - rate).",
        "Compute the odds with defection and the odds without, then divide the first by "
        "the second.",
        "Fill in the blanks: odds_with = success_rate_with / (1 - ...); odds_without = ... / "
        "(1 - success_rate_without); then odds_ratio = odds_with / ...",
    ],
    solution=(
        "odds_with = success_rate_with / (1 - success_rate_with)\n"
        "odds_without = success_rate_without / (1 - success_rate_without)\n"
        "odds_ratio = odds_with / odds_without\n"
        "# The same from counts: comparative.odds_ratio_from(nonviolent).value"
    ),
    mistakes=[
        (_rate_ratio, "That is the ratio of the two RATES (q3); odds are successes / failures."),
        (
            lambda: 1 / _odds_ratio(),
            "You divided the other way round: put the odds WITH defection on top.",
        ),
        (
            lambda: _odds(_rate_with()),
            "That is the odds in one group only; divide it by the odds WITHOUT defection.",
        ),
        (lambda: _odds_ratio(None), "You used every campaign; keep the nonviolent ones."),
        (
            lambda: _odds_ratio("violent"),
            "You used the violent campaigns; keep the nonviolent ones.",
        ),
    ],
)

Q5_OPTIONS = {
    "a": "The NAVCO data must be wrong: a published book gives 46, and a book has passed "
    "through editors and reviewers, so its figure should be trusted over a table that we "
    "computed ourselves from a downloaded file.",
    "b": "Both numbers are rounded; with enough decimal places, and with every campaign "
    "counted rather than only the nonviolent ones, the odds ratio would climb all the way"
    " to 46.",
    "c": "A ratio of success rates, an odds ratio and a model estimate (other factors held "
    "constant, perhaps on older data) are different quantities; the 46 reaches us second-"
    "hand, so we cannot tell which it is.",
    "d": "46% of campaigns without defection succeeded, so '46 times' is surely a misprint of "
    "46%, the kind of slip that happens when a percentage is retold from one text to the "
    "next.",
}

q5 = ChoiceQuestion(
    "q5",
    variable="answer_q5",
    prompt='Why is neither of your ratios "46 times"?',
    options=Q5_OPTIONS,
    expected=_why_not_46,
    feedback={
        "a": "A different number does not make the data wrong: first ask whether the two "
        "numbers measure the same thing.",
        "b": "Rounding moves a number in its last digit, not by a factor of ten.",
        "d": "A tempting coincidence, but nothing shows it: a guessed misprint is no better "
        "checked than the claim itself.",
    },
    hints=[
        "Multiply your q2 answer by 46. Could any share of campaigns be that large?",
        "So '46 times' cannot be a ratio of rates in this table. What other kinds of "
        "comparison could produce it, and how did the figure reach Lee and McCarthy's chapter?",
    ],
    solution=(
        "print(46 * success_rate_without)   # more than 1: no rate can be 46 times larger\n"
        "print(rate_ratio, odds_ratio)       # neither is close to 46\n"
        'answer_q5 = "c"'
    ),
)

q6 = FrameQuestion(
    "q6",
    variable="defect_by_success",
    prompt="Cross-tab of defect (rows) by success (columns), counts, nonviolent campaigns",
    expected=_crosstab,
    check_index=True,
    hints=[
        "pd.crosstab(rows, columns) counts how often each pair of values occurs.",
        "Pass two columns of `nonviolent`: first 'defect' (it becomes the rows), then "
        "'success' (the columns). No margins, no normalising: plain counts.",
        "Fill in the blanks: defect_by_success = pd.crosstab(nonviolent[...], "
        "nonviolent[...]), rows first, then columns.",
    ],
    solution='defect_by_success = pd.crosstab(nonviolent["defect"], nonviolent["success"])',
    mistakes=[
        (
            lambda: _crosstab().T,
            "Rows and columns are swapped: 'defect' goes down the side (first argument), "
            "'success' across the top.",
        ),
        (lambda: _crosstab(None), "You counted every campaign; keep the nonviolent ones."),
        (
            lambda: _crosstab(normalize="index"),
            "Those are shares of each row; the question asks for counts (no normalize=).",
        ),
        (
            lambda: _crosstab(margins=True),
            "Leave out the totals (margins=True adds an 'All' row and column).",
        ),
    ],
)

q7 = ChartQuestion(
    "q7",
    variable="rate_chart",
    prompt="Bar chart: success rate (y, quantitative) by defection (x, nominal or ordinal), "
    "with axis titles and a tooltip",
    alternatives=[
        {"mark": "bar", "encodings": {"x": f"defect:{t}", "y": y}, "data": data_of}
        for y, data_of in (("rate:Q", _rates_table), ("mean(success):Q", _subset))
        for t in ("N", "O")
    ],
    fields=["defect"],
    data_hint="the nonviolent campaigns: the small table of their two rates (one row per "
    "value of defect), or `nonviolent` itself with y='mean(success):Q'",
    titles=("x", "y"),
    tooltip=True,
    hints=[
        "First make a small table with one row per value of 'defect' and a column 'rate': "
        "group `nonviolent` by 'defect' and take the mean of 'success'.",
        "Then alt.Chart(table).mark_bar().encode(x=..., y=...). 'defect' is a category "
        "here (0 or 1), so type it nominal ':N' (or ordinal ':O'); the rate is ':Q'.",
        "Follow the worked example above with nonviolent and 'defect': rates = "
        "nonviolent.groupby(...)['success'].mean().reset_index(name='rate'); then "
        "alt.Chart(rates).mark_bar().encode(x=alt.X('defect:N', title=...), y=alt.Y(..., "
        "title=...), tooltip=[...])",
    ],
    solution=(
        "rates = (\n"
        '    nonviolent.groupby("defect")["success"].mean().reset_index(name="rate")\n'
        ")\n"
        "rate_chart = (\n"
        "    alt.Chart(rates)\n"
        "    .mark_bar()\n"
        "    .encode(\n"
        '        x=alt.X("defect:N", title="Security forces defected (1 = yes)"),\n'
        '        y=alt.Y("rate:Q", title="Share of campaigns that succeeded",\n'
        '                scale=alt.Scale(domain=[0, 1])),\n'
        '        tooltip=[alt.Tooltip("defect:N", title="Defected"),\n'
        '                 alt.Tooltip("rate:Q", title="Success rate", format=".0%")],\n'
        "    )\n"
        '    .properties(title="Nonviolent campaigns in NAVCO 1.2: success by defection")\n'
        ")\n"
        '# y="mean(success):Q" on alt.Chart(nonviolent) works too.'
    ),
    mistakes=[
        (
            _chart_spec("rate:Q", "defect:N") + _chart_spec("rate:Q", "defect:O"),
            "Your bars lie on their side: put 'defect' on x and the rate on y.",
        ),
    ],
)

q8 = SetQuestion(
    "q8",
    variable="coding_disagreements",
    prompt="Countries where NAVCO's defection code and the course's split-at-the-top code differ",
    expected=_disagreements,
    hints=[
        "Keep the cases that HAVE a NAVCO code: cases['navco_defect'].notna().",
        "For those rows make two True/False columns: the course sees a split at the top "
        "(sf_defection is 'major' or 'elite_withdrawal', use .isin(...)), and "
        "NAVCO says defection (navco_defect == 1). A disagreement is where they differ (!=).",
        "Fill in the blanks: coded = cases[cases['navco_defect'].notna()]; split = "
        "coded['sf_defection'].isin([...]); navco = coded['navco_defect'] == ...; then "
        "coding_disagreements = sorted(coded.loc[split ... navco, 'country']).",
    ],
    solution=(
        'coded = cases[cases["navco_defect"].notna()]\n'
        'course_split = coded["sf_defection"].isin(["major", "elite_withdrawal"])\n'
        'navco_says = coded["navco_defect"] == 1\n'
        'coding_disagreements = sorted(coded.loc[course_split != navco_says, "country"])'
    ),
    mistakes=[
        (
            lambda: _disagreements(levels=("partial", *TOP_SPLIT)),
            "You counted 'partial' as a split at the top. The task asks for the levels major and "
            "elite_withdrawal only: departures below the top are not a split at the top.",
        ),
        (
            lambda: _disagreements(column="case_id"),
            "Give country names (the 'country' column), not case ids.",
        ),
    ],
)

q9 = NumberQuestion(
    "q9",
    variable="final_share",
    prompt="Final defecting share of the cascade at the given settings",
    expected=_final_share,
    decimals=3,
    hints=[
        "Call cascade(...) with the four settings given in the task: repression, "
        "incentives, exit_options and spread.",
        "The result is an object with attributes; the share of the force that has defected "
        "when the process stops is one of them.",
        "Fill in the blanks: run = cascade(repression=..., incentives=..., exit_options=..., "
        "spread=...); then final_share = run.... (the attribute for the share that defected).",
    ],
    solution=(
        "run = cascade(repression=0.6, incentives=0.3, exit_options=0.3, spread=0.25)\n"
        "final_share = run.final_share"
    ),
    mistakes=[
        (
            lambda: _final_share(spread=0.2),
            "That is the run with the default spread (0.2); set spread=0.25 as the task says.",
        ),
        (
            lambda: float(_run().mean_threshold),
            "That is the average threshold, not the share that defected.",
        ),
        (
            lambda: 1000 * _final_share(),
            "That is a number of soldiers; give the share of the force (a number between 0 and 1).",
        ),
    ],
)

q10 = NumberQuestion(
    "q10",
    variable="lowest_stalling_repression",
    prompt="Lowest repression in the options at which the cascade stops tipping (exit options 0.6)",
    expected=_lowest_stalling,
    options=REPRESSION_OPTIONS,
    recheck=(
        "run the cascade at each level in the list with exit_options=0.6 and look at .tipped;"
        " the question asks for the lowest level where it is False."
    ),
    hints=[
        "Keep the q9 settings but set exit_options=0.6; then try each repression level in "
        "the list.",
        "A run has an attribute .tipped (True when a majority ends up defecting). Collect "
        "the repression levels where it is False.",
        "Fill in the blanks: stalled = [r for r in options if not cascade(repression=r, "
        "incentives=0.3, exit_options=..., spread=0.25)....]; then lowest_stalling_repression"
        " = ...(stalled).",
    ],
    solution=(
        "stalled = []\n"
        "for r in options:\n"
        "    trial = cascade(repression=r, incentives=0.3, exit_options=0.6, spread=0.25)\n"
        "    if not trial.tipped:\n"
        "        stalled.append(r)\n"
        "lowest_stalling_repression = min(stalled)"
    ),
    mistakes=[
        (
            _highest_tipping,
            "At that level the cascade still tips: run it and look at .tipped.",
        ),
        (
            lambda: float(max(REPRESSION_OPTIONS)),
            "The cascade stalls there, but is it the LOWEST level in the list where it does?",
        ),
        (
            lambda: _lowest_stalling(exit_options=RUN_SETTINGS["exit_options"]),
            "That is the answer with exit_options=0.3; this task raises exit options to 0.6.",
        ),
    ],
)

W1_MODEL = (
    "In NAVCO's nonviolent campaigns, those with security-force defection succeeded about "
    "77% of the time and those without about 46% [@navco_2019]. The ratio of these rates is "
    "under 2 and the odds ratio about 3.9. Neither can be 46: a rate 46 times 0.46 would be "
    "far above 1, so a claim of '46 times more likely' cannot be a ratio of probabilities in "
    "this table. Lee and McCarthy give the figure citing Stephan and Chenoweth's 2008 "
    "article [@lee_mccarthy_2023; @stephan_chenoweth_2008], and the course has not checked it "
    "against that article, so for now it is a second-hand claim. The article is openly "
    "available, so I can check it myself; I would look for: "
    "which table or model the number comes from; whether it is an odds ratio, a ratio of "
    "probabilities or a coefficient from a regression with other variables held constant; "
    "which version of the data and which campaigns (nonviolent only, or all) it used; and "
    "how defection and success were coded then. I would also ask whether Lee and McCarthy "
    "reported it in the sense the authors meant. Until then I would say that defection goes "
    "with a much higher success rate, not that it makes success 46 times more likely."
)

W2_MODEL = (
    "Myanmar since 2021 is a case of partial defection: thousands of soldiers and police left, "
    "the defectors researchers met were majors and below, mostly privates and sergeants "
    "[@kyed_lynn_2021], a defector group said at least ten majors had joined the "
    "resistance by late 2021 [@myanmarnow_2021_embrace], and the NUG said a lieutenant "
    "colonel came over in May 2024 [@newday_2024]. No senior commander has broken away, and "
    "the regime was still in power when the course's evidence ends in May 2026, its leader "
    "sworn in as president on 10 April 2026 [@ap_2026_election; @ap_2026_wangyi]. In the "
    "course's comparative cases, rulers such as Marcos in 1986, Suharto in 1998 and Mubarak "
    "in 2011 fell after senior officers turned away from them [@lee_mccarthy_2023], while "
    "rulers facing only defection below the top survived, as in Syria in 2011 and Venezuela "
    "in 2019 [@oxford_re_arab_spring; @ap_2019_venezuela]; even a Syrian general and prime "
    "minister who left in 2012 went without their units [@ap_2012_hijab], and Syria's regime "
    "fell only in December 2024 after years of war [@ap_2024_syria]. "
    "In the threshold model a cascade needs enough soldiers with low thresholds to set off "
    "the next group [@granovetter_1978]; in the q10 runs, wider exit options let it tip "
    "against stronger repression. In Myanmar that would mean safer and better-funded routes "
    "out, visible defections that others can see, and above all a senior officer or faction "
    "breaking first, which Lee and McCarthy treat as the decisive step [@lee_mccarthy_2023]. "
    "Limits: the model's numbers are invented, the cases are not a random sample, and the "
    "junta can answer with more surveillance, punishment and rewards."
)

w1 = WrittenQuestion(
    "w1",
    prompt='Why is your ratio not "46 times", and what would you need to check the claim?',
    rubric=(
        "4 pts. 1: reports the two rates and at least one of the ratios correctly, and "
        "explains that no probability can be 46 times the no-defection rate (or otherwise "
        "shows that 46 cannot be a ratio of rates here). 1: distinguishes a ratio of rates, "
        "an odds ratio and a model estimate with controls. 1: presents 46 as a second-hand "
        "claim (Lee & McCarthy citing Stephan & Chenoweth 2008) that the course has not "
        "checked, and says the article itself is open to check. 1: names concrete things to check (original article, table or model, "
        "quantity, data version and sample, coding), citing sources."
    ),
    model_answer=W1_MODEL,
    hints=[
        "A strong answer does four things: gives your two rates and at least one ratio; shows"
        " why 46 cannot be a ratio of rates here (multiply the no-defection rate by 46); says"
        " which different quantities a '46 times' could be (ratio of rates, odds ratio, an "
        "estimate from a model with other factors held constant); and says where the figure "
        "comes from and how it reached us.",
        "Then list what you would look up to check it: the original article, the table or "
        "model the number comes from, which quantity it is, which data version and which "
        "campaigns, and how defection and success were coded. Cite the sources by key, e.g. "
        "[@navco_2019].",
    ],
    points=4,
)

w2 = WrittenQuestion(
    "w2",
    prompt="Where does Myanmar 2021 sit in the record, and what would a cascade require?",
    rubric=(
        "4 pts. 1: places Myanmar as partial defection (rank and file and officers up to major, "
        "a lieutenant colonel by the NUG's count; no senior split; regime in power in May 2026, "
        "its leader president from April 2026) with sources. 1: compares it with cases in "
        "the record (rulers fell after splits at the top; partial cases survived) and notes "
        "that the cases are not a sample. 1: uses the threshold model to say what a cascade "
        "would need (low-threshold first movers, visible defections, exit options, "
        "incentives, less repression, a senior break) and that the model forecasts nothing. "
        "1: considers the regime's response or another limit of the evidence, citing at "
        "least two different sources."
    ),
    model_answer=W2_MODEL,
    hints=[
        "A strong answer places Myanmar first (who has defected, up to which rank, and "
        "whether any senior commander has broken away; is the regime still in power?), then "
        "compares it with the course's cases: where did rulers fall, and where did they "
        "survive?",
        "Then use the cascade model: what would have to change for it to tip (first movers, "
        "visible defections, exit options, incentives, repression, a senior break)? End with "
        "a limit: the model forecasts nothing, the cases are not a sample, and the junta "
        "responds. Cite at least two different sources.",
    ],
    points=4,
)

QUESTIONS = register(q1, q2, q3, q4, q5, q6, q7, q8, q9, q10, w1, w2, lesson=LESSON)
