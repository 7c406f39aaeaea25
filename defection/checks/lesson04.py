"""Self-checks for exercise set 04, surrender and absorption.

Every expected value is computed from ``defection.data`` (the ``defection_counts`` and
``events`` tables) or from ``defection.models.absorption``; nothing is typed in. The
solution notebook is ``solutions/04_surrender_dynamics.ipynb``.

A pandas 3 trap this set steers around: ``counts.query("as_of == '2024-04-05'")``
compares a datetime column with a string and silently returns no rows. The checks (and
the notebook) filter dates with boolean masks and ``pd.Timestamp`` instead.
"""

from __future__ import annotations

import pandas as pd

from defection import data
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

LESSON = "04"

#: The monitor's nationwide count since Operation 1027 (q1, q2) and the rival one (q1 mistake).
MONITOR_TOTAL, ALLIANCE_TOTAL, KYED_TOTAL = "dc033", "dc030", "dc045"
#: The single Laukkai surrender of January 2024 (q2) and the November 2023 battalion.
LAUKKAI_JAN, LAUKKAI_NOV = "dc029", "dc027"
#: The monitor's northern Shan row (a predictable wrong row for q1).
MONITOR_SHAN = "dc034"
#: Family members who surrendered with the Laukkai garrison, not counted in dc029 (its notes).
LAUKKAI_FAMILIES = 1601

#: The Myawaddy surrender, counted twice (q4, q5).
MYAWADDY_DAY = pd.Timestamp("2024-04-05")

#: The monitor whose regional breakdown q7 reads, and its threshold.
MONITOR_SOURCE = "dmg_2024_surrenders"
REGION_THRESHOLD = 500
REGION_PATTERN = r"Region: (.+?)\."

#: The absorption run of q9: six months of 1,000 surrenders, then none, two years in all.
SURGE = [1000] * 6 + [0] * 18
#: The wave has reached NUG-allied groups, so every run also passes
#: ``receivers=NUG_SIDE`` (``models.absorption``).
RUN_SETTINGS = dict(inflow=SURGE, vetting_speed=0.5, capacity=200, funding=3000)
#: q10: more support places; which capacity keeps the number lost under the limit?
CAPACITY_FUNDING = 5000
CAPACITY_OPTIONS = (200, 300, 400, 500, 600, 800, 1000)
LOST_LIMIT = 1500
#: q11: two capacities that give the same result.
BIG_CAPACITIES = (1000, 1500)


# --------------------------------------------------------------------------- helpers


def _counts() -> pd.DataFrame:
    return data.load("defection_counts")


def _row(count_id: str) -> pd.Series:
    return common.row("defection_counts", "count_id", count_id)


def _days(count_id: str, inclusive: bool = False) -> int:
    row = _row(count_id)
    return int((row["as_of"] - row["period_start"]).days) + (1 if inclusive else 0)


def _value(count_id: str) -> float:
    return float(_row(count_id)["value"])


def _rate(count_id: str = MONITOR_TOTAL, inclusive: bool = False) -> float:
    return _value(count_id) / _days(count_id, inclusive)


def _daily_rate() -> float:
    return _rate(MONITOR_TOTAL)


def _laukkai_share() -> float:
    return _value(LAUKKAI_JAN) / _value(MONITOR_TOTAL)


def _myawaddy() -> pd.Series:
    c = _counts()
    same_day = c[(c["as_of"] == MYAWADDY_DAY) & (c["status"] == "surrendered")]
    return same_day["value"].astype(float)


def _gap_share() -> float:
    v = _myawaddy()
    return float((v.max() - v.min()) / v.max())


def _events() -> pd.DataFrame:
    return data.load("events")


def _by_region(categories=("surrender",)) -> pd.DataFrame:
    ev = _events()
    rows = ev[ev["category"].isin(list(categories))]
    return rows.groupby("region", observed=True).size().reset_index(name="events")


def _monitor_regions() -> pd.DataFrame:
    c = _counts()
    rows = c[c["source_id"] == MONITOR_SOURCE].copy()
    rows["region"] = rows["notes"].str.extract(REGION_PATTERN, expand=False)
    return rows[rows["region"].notna()]


def _big_regions(threshold: float = REGION_THRESHOLD) -> list[str]:
    rows = _monitor_regions()
    return sorted(rows.loc[rows["value"] >= threshold, "region"].astype(str))


def _claimed() -> pd.DataFrame:
    """q8's rows: every count of surrendered people, as the notebook's `claimed`."""
    from defection.surrender import surrender_counts

    return surrender_counts(_counts())


def _run(**changes) -> pd.DataFrame:
    from defection.models.absorption import NUG_SIDE, absorption

    settings = {**RUN_SETTINGS, "receivers": NUG_SIDE}
    return common.run_with(absorption, settings, **changes)


def _lost(**changes) -> float:
    return float(_run(**changes)["cumulative_lost"].iloc[-1])


def _last(column: str, **changes) -> float:
    return float(_run(**changes)[column].iloc[-1])


def _smallest_capacity(limit: float = LOST_LIMIT) -> float:
    return common.smallest_option(
        CAPACITY_OPTIONS,
        lambda cap: _lost(capacity=cap, funding=CAPACITY_FUNDING) < limit,
        "no capacity in the options keeps the loss under the limit",
    )


def _why_capacity_stops_mattering() -> str:
    small, big = BIG_CAPACITIES
    same = abs(_lost(capacity=small) - _lost(capacity=big)) < 1e-9
    never_reached = float(_run(capacity=big)["vetted"].max()) < small
    return "b" if same and never_reached else "a"


# --------------------------------------------------------------------------- questions

q1 = NumberQuestion(
    "q1",
    variable="daily_rate",
    prompt="Surrenders per day behind the monitor's 'more than 6,000' (row dc033)",
    expected=_daily_rate,
    decimals=1,
    also=[lambda: _rate(MONITOR_TOTAL, inclusive=True)],
    hints=[
        "Row dc033 has a value, a period_start (the first day) and an as_of date (the last).",
        "A daily rate is people / days. Subtracting two dates gives a Timedelta; its .days "
        "attribute is the number of days between them.",
        "Fill in the blanks, as in the worked example: row = counts[counts['count_id'] == "
        "...].iloc[0]; days = (row['as_of'] - row[...]).days; then daily_rate = row['value'] "
        "/ ...",
    ],
    solution=(
        'row = counts[counts["count_id"] == "dc033"].iloc[0]\n'
        'days = (row["as_of"] - row["period_start"]).days   # 27 Oct 2023 to 30 Apr 2024\n'
        'daily_rate = float(row["value"]) / days\n'
        "# Counting both the first and the last day (days + 1) is accepted too."
    ),
    mistakes=[
        (
            lambda: _value(MONITOR_TOTAL) / (_days(MONITOR_TOTAL) / 30.44),
            "That looks like a rate per MONTH; the question asks per day.",
        ),
        (
            lambda: _value(MONITOR_TOTAL) / 6,
            "That looks like a rate per MONTH; the question asks per day.",
        ),
        (
            lambda: 7 * _daily_rate(),
            "That looks like a rate per WEEK; the question asks per day.",
        ),
        (
            lambda: _rate(MONITOR_SHAN),
            "You used the northern Shan row (dc034); take the nationwide row dc033.",
        ),
        (
            lambda: _rate(ALLIANCE_TOTAL),
            "You used the Brotherhood Alliance's row (dc030), which ends on 31 January 2024; "
            "take the monitor's row dc033.",
        ),
        (
            lambda: _rate(KYED_TOTAL),
            "You used Kyed's row (dc045), which covers a different six months; take dc033.",
        ),
    ],
)

q2 = NumberQuestion(
    "q2",
    variable="laukkai_share",
    prompt="Share of the monitor's 6,000 made up by the one Laukkai surrender of January 2024",
    expected=_laukkai_share,
    decimals=3,
    hints=[
        "The Laukkai surrender of 4 January 2024 is row dc029; the monitor's total is dc033.",
        "A share is part / whole, a number between 0 and 1.",
        "Fill in the blanks: value = counts.set_index('count_id')['value']; then "
        "laukkai_share = value[...] / value[...] (part / whole, soldiers only).",
    ],
    solution=(
        'value = counts.set_index("count_id")["value"]\n'
        'laukkai_share = float(value["dc029"] / value["dc033"])'
    ),
    mistakes=[
        (
            lambda: 1 / _laukkai_share(),
            "You divided the whole by the part; a share is part / whole.",
        ),
        (
            lambda: (_value(LAUKKAI_JAN) + LAUKKAI_FAMILIES) / _value(MONITOR_TOTAL),
            "You added the family members; the monitor counted soldiers only.",
        ),
        (
            lambda: _value(LAUKKAI_NOV) / _value(MONITOR_TOTAL),
            "That is the November 2023 battalion (dc027); the question asks about January 2024.",
        ),
        (
            lambda: 1 - _laukkai_share(),
            "That is the share of everyone ELSE; the question asks for Laukkai's share.",
        ),
    ],
)

q3 = ChoiceQuestion(
    "q3",
    variable="answer_q3",
    prompt="What does the average daily rate of q1 hide?",
    options={
        "a": "Nothing important: soldiers gave up at a steady pace through the whole period, "
        "so every week saw about seven times the daily rate, and the average describes "
        "any single month of it as well as the whole period.",
        "b": "Surrenders came in blocks (one January day at Laukkai is much of the total), and"
        " 'more than 6,000' is a claimed floor, also given by the Brotherhood Alliance, "
        "which gains from high numbers: pace and size are both uncertain.",
        "c": "Nothing, because two different sources both reported more than 6,000: the figure"
        " is verified twice over, so the total is firm, the daily rate computed from it "
        "is exact, and no caveat about either the pace or the total is needed.",
        "d": "The rate is too high because the monitor counted the soldiers' families too.",
    },
    expected="b",
    feedback={
        "a": "Look at your answer to q2: could a single day make up such a share if the pace "
        "were steady?",
        "c": "Two reports can relay the same claimants; the data's 'verification' column says "
        "'claimed' for both rows.",
        "d": "Read the notes and who_counted of dc033: the monitor counted soldiers.",
    },
    hints=[
        "Compare your q2 answer with the share of the total that one average day holds "
        "(the scratch cell prints it).",
        "Look at the qualifier and claimant_type columns of the rows you used.",
    ],
    solution=(
        "print(laukkai_share, 1 / days)   # one day holds far more than an average day's share\n"
        'cols = ["qualifier", "claimant_type", "verification"]\n'
        'print(counts[counts["count_id"] == "dc033"][cols])\n'
        'answer_q3 = "b"'
    ),
)

q4 = NumberQuestion(
    "q4",
    variable="myawaddy_gap_share",
    prompt="Gap between the two Myawaddy counts as a share of the larger count",
    expected=_gap_share,
    decimals=3,
    hints=[
        "Keep the rows dated 5 April 2024 with a boolean mask, as in part 0: "
        "counts[counts['as_of'] == pd.Timestamp('2024-04-05')]. There should be two.",
        "The gap is the larger value minus the smaller one; the share divides the gap by "
        "the LARGER value. Give a number between 0 and 1.",
        "Fill in the blanks: myawaddy = counts[counts['as_of'] == pd.Timestamp(...)]; v = "
        "myawaddy['value']; then myawaddy_gap_share = (v.max() - ...) / ...",
    ],
    solution=(
        'myawaddy = counts[counts["as_of"] == pd.Timestamp("2024-04-05")]\n'
        'v = myawaddy["value"].astype(float)\n'
        "myawaddy_gap_share = float((v.max() - v.min()) / v.max())"
    ),
    mistakes=[
        (
            lambda: float((_myawaddy().max() - _myawaddy().min()) / _myawaddy().min()),
            "You divided by the smaller count; the question asks for a share of the larger one.",
        ),
        (
            lambda: float(_myawaddy().max() - _myawaddy().min()),
            "That is the gap in people; divide it by the larger count to get a share.",
        ),
        (
            lambda: float(_myawaddy().min() / _myawaddy().max()),
            "That is the ratio of the two counts; the question asks for the GAP as a share.",
        ),
    ],
)

q5 = ChoiceQuestion(
    "q5",
    variable="answer_q5",
    prompt="Why do the KNLA and Myanmar Now give different numbers for the Myawaddy surrender?",
    options={
        "a": "They describe two different surrenders on different days.",
        "b": "They counted different people: the KNLA's figure includes family members and "
        "female personnel, Myanmar Now's troops only.",
        "c": "Myanmar Now relied on the junta's own figures, which always play losses down, so"
        " its count is the lower of the two.",
        "d": "One of the two made an arithmetic error when adding up the groups that gave up; "
        "the notes cannot tell us which of them it was.",
    },
    expected="b",
    feedback={
        "a": "Both rows carry the same date and the same place in their notes.",
        "c": "Nothing in the rows says Myanmar Now used junta figures: read claimant and notes.",
        "d": "Read the notes of dc031: add up the family members and female personnel it "
        "lists, and compare with the gap.",
    },
    hints=[
        "Print the 'who_counted' and 'notes' columns of the two rows dated 5 April 2024.",
        "Add the family members and the female personnel the KNLA row lists, and compare "
        "the sum with the gap in people.",
    ],
    solution=(
        'print(myawaddy[["claimant", "who_counted", "value", "notes"]])\n'
        "print(81 + 59)   # family members + female personnel in the KNLA's breakdown\n"
        'answer_q5 = "b"'
    ),
)

q6 = FrameQuestion(
    "q6",
    variable="surrenders_by_region",
    prompt="Number of surrender events per region (columns region, events)",
    expected=_by_region,
    check_index=False,
    ignore_row_order=True,
    hints=[
        "Keep the rows of `events` whose category is 'surrender' (not 'defection').",
        "Group them by 'region' and count rows with .size(). Careful: value_counts() on a "
        "category column also lists every region with 0 events.",
        "Fill in the blanks: rows = events[events['category'] == ...]; then rows.groupby(...,"
        " observed=True).size().reset_index(name='events')",
    ],
    solution=(
        'surrender_rows = events[events["category"] == "surrender"]\n'
        "surrenders_by_region = (\n"
        '    surrender_rows.groupby("region", observed=True).size().reset_index(name="events")\n'
        ")"
    ),
    mistakes=[
        (
            lambda: _by_region(("surrender", "defection")),
            "It looks as if you kept the defection events too; keep category 'surrender' only.",
        ),
        (
            lambda: _events()[_events()["category"] == "surrender"]
            .groupby("region", observed=False)
            .size()
            .reset_index(name="events"),
            "Your table lists regions with 0 events: keep only regions that have at least one "
            "(groupby(..., observed=True), or drop the zero rows).",
        ),
    ],
)

q7 = SetQuestion(
    "q7",
    variable="big_regions",
    prompt="Regions where the monitor counted at least 500 surrendered soldiers",
    expected=_big_regions,
    hints=[
        "Start from the table `monitor` prepared above: one row per region, with the "
        "region in its own column (the nationwide row has no region).",
        "Keep the rows whose 'value' is at least 500 (>=) and whose 'region' is not missing "
        "(.notna()), then take the 'region' column.",
        "Fill in the blanks: keep = monitor['region'].notna() & (monitor['value'] >= ...); "
        "then big_regions = sorted(monitor.loc[keep, ...]).",
    ],
    solution=(
        'keep = monitor["region"].notna() & (monitor["value"] >= 500)\n'
        'big_regions = sorted(monitor.loc[keep, "region"])'
    ),
    mistakes=[
        (
            lambda: _big_regions(REGION_THRESHOLD + 100),
            "Some regions with at least 500 are missing from your list: check your threshold "
            "(at least 500 means >= 500) and compare each region's value with it.",
        ),
        (
            lambda: sorted(
                _monitor_regions().drop_duplicates("value").loc[
                    lambda rows: rows["value"] >= REGION_THRESHOLD, "region"
                ]
            ),
            "One region is missing: two regions in the breakdown carry exactly the same "
            "figure, and each counts. Did you drop duplicate values?",
        ),
        (
            lambda: _big_regions(0),
            "You listed every region in the breakdown; keep those with at least 500 only.",
        ),
    ],
)

q8 = ChartQuestion(
    "q8",
    variable="surrender_chart",
    prompt="Points of surrender counts over time (x as_of:T, y value:Q, colour "
    "claimant_type:N), with axis titles and a tooltip",
    mark=["point", "circle"],
    encodings={"x": "as_of:T", "y": "value:Q", "color": "claimant_type:N"},
    fields=["as_of", "value", "claimant_type"],
    data=_claimed,
    data_hint="the table `claimed` prepared above (the surrender counts only, not every "
    "row of `counts`)",
    titles=("x", "y"),
    tooltip=True,
    hints=[
        "Start from the table `claimed` prepared above (one row per claimed count).",
        "A dot per count is .mark_point(); dates are temporal (:T), counts quantitative "
        "(:Q) and the kind of claimant nominal (:N).",
        "Fill in the blanks: alt.Chart(claimed).mark_point().encode(x=alt.X('as_of:T', "
        "title=...), y=alt.Y(..., title=...), color=alt.Color(..., title=...), tooltip=[...])",
    ],
    solution=(
        "surrender_chart = (\n"
        "    alt.Chart(claimed)\n"
        "    .mark_point(filled=True, size=80)\n"
        "    .encode(\n"
        '        x=alt.X("as_of:T", title="Date of the count"),\n'
        '        y=alt.Y("value:Q", title="Soldiers surrendered (claimed)"),\n'
        '        color=alt.Color("claimant_type:N", title="Who claimed it"),\n'
        '        tooltip=["as_of:T", "value:Q", "qualifier:N", "claimant:N", "source_id:N"],\n'
        "    )\n"
        '    .properties(title="Claimed surrender counts, 2023-2025")\n'
        ")"
    ),
)

q9 = NumberQuestion(
    "q9",
    variable="lost_by_month_24",
    prompt="People lost (back to the army, abroad or out of reach) by month 24 of the stated run",
    expected=_lost,
    decimals=0,
    hints=[
        "Run absorption(...) with exactly the five settings given in the task.",
        "The table has one row per month; 'cumulative_lost' adds up everyone who gave up "
        "waiting or drifted away so far. Released, exchanged and held soldiers have their "
        "own columns: they are not lost.",
        "Fill in the blanks: run = absorption(inflow=[1000] * 6 + [0] * 18, "
        "vetting_speed=..., capacity=..., funding=..., receivers=NUG_SIDE); then lost_by_month_24 = "
        "run[...].iloc[-1].",
    ],
    solution=(
        "run = absorption(inflow=[1000] * 6 + [0] * 18, vetting_speed=0.5,\n"
        "                 capacity=200, funding=3000, receivers=NUG_SIDE)\n"
        'lost_by_month_24 = float(run["cumulative_lost"].iloc[-1])'
    ),
    mistakes=[
        (
            lambda: _lost() / 6000,
            "That is a share of everyone who surrendered; the question asks for a number "
            "of people.",
        ),
        (
            lambda: _last("gave_up") + _last("drifted"),
            "That is the last month's losses only; take the running total 'cumulative_lost'.",
        ),
        (
            lambda: _last("registered"),
            "That is the number registered at the end; the question asks how many were lost.",
        ),
        (
            lambda: _lost(capacity=100, funding=2000),
            "That is the lesson's run (capacity 100, funding 2,000); use the settings in the task.",
        ),
        (
            lambda: _lost() + _last("cumulative_released") + _last("cumulative_exchanged"),
            "That adds the soldiers released or handed back in exchanges by the groups that "
            "took them; they never entered the resistance's pipeline. Take only "
            "'cumulative_lost'.",
        ),

    ],
)

q10 = NumberQuestion(
    "q10",
    variable="smallest_capacity",
    prompt="Smallest capacity among the options that keeps the number lost under 1,500",
    expected=_smallest_capacity,
    options=CAPACITY_OPTIONS,
    recheck=(
        "run the model with funding=5000 for each capacity in the list and compare the last "
        "'cumulative_lost' with 1,500; the question asks for the smallest capacity that stays"
        " under it."
    ),
    hints=[
        "Keep the q9 settings but set funding=5000; then try each capacity in the list.",
        "A loop does it: for cap in options: run the model and look at the last "
        "'cumulative_lost'. Keep the capacities whose loss is below 1,500.",
        "Fill in the blanks: passing = [cap for cap in options if absorption(inflow=[1000] * "
        "6 + [0] * 18, vetting_speed=0.5, capacity=cap, "
        "funding=..., receivers=NUG_SIDE)['cumulative_lost'].iloc[-1] < ...]; then smallest_capacity = "
        "...(passing).",
    ],
    solution=(
        "options = [200, 300, 400, 500, 600, 800, 1000]\n"
        "passing = []\n"
        "for cap in options:\n"
        "    run = absorption(inflow=[1000] * 6 + [0] * 18, vetting_speed=0.5,\n"
        "                     capacity=cap, funding=5000, receivers=NUG_SIDE)\n"
        '    if run["cumulative_lost"].iloc[-1] < 1500:\n'
        "        passing.append(cap)\n"
        "smallest_capacity = min(passing)"
    ),
    mistakes=[
        (
            lambda: float(max(CAPACITY_OPTIONS)),
            "That capacity works, but it is not the SMALLEST one that does.",
        ),
        (
            lambda: _smallest_capacity(1000),
            "That is the smallest capacity that keeps the loss under 1,000; the limit in "
            "this question is 1,500.",
        ),
        (
            lambda: max(c for c in CAPACITY_OPTIONS if c < _smallest_capacity()),
            "With that capacity 1,500 or more people are still lost: check with funding=5000.",
        ),
    ],
)

q11 = ChoiceQuestion(
    "q11",
    variable="answer_q11",
    prompt="Why does raising capacity from 1,000 to 1,500 change nothing in the q9 run?",
    options={
        "a": "Because funding is the only thing that matters in this model, and both runs were"
        " given the same amount of it in the end.",
        "b": "Because vetting speed is now the limit: at most half of those waiting can be "
        "vetted in a month, and that never reaches 1,000 cases.",
        "c": "Because the model is random, and the two runs happened to give the same result.",
        "d": "Because everyone who surrendered is already registered by month 6, so after that"
        " there is no one left waiting for the extra funding to help.",
    },
    expected=_why_capacity_stops_mattering,
    feedback={
        "a": "Funding matters, but in your q10 runs capacity did change the result, from 200 "
        "up to 800: why does it stop mattering at some point?",
        "c": "The model has no randomness: the same settings always give the same table.",
        "d": "Look at the 'queue' column of the run in month 6.",
    },
    hints=[
        "Run the q9 settings with capacity=1500 and look at the largest value in 'vetted'.",
        "Capacity is a cap on cases per month. If the monthly number vetted never reaches "
        "the cap, what limits it?",
    ],
    solution=(
        "wide = absorption(inflow=[1000] * 6 + [0] * 18, vetting_speed=0.5,\n"
        "                  capacity=1500, funding=3000, receivers=NUG_SIDE)\n"
        'print(wide["vetted"].max())   # below 1,000: the cap is never reached\n'
        'answer_q11 = "b"'
    ),
)

W1_MODEL = (
    "Kyed describes a shift: soldiers who left in 2021 mostly cited conscience, while many "
    "who gave up after 2023 seem to have been moved by exhaustion and fear of dying in "
    "battle, which has set off a debate among early defectors, ethnic armed groups and the "
    "NUG about whether they should be accepted and trusted [@kyed_2024]. A pragmatic motive "
    "is not proof of bad faith: someone who surrenders to survive may also reject the "
    "army's violence, and early defectors also feared for their lives. Vetting helps: "
    "People's Embrace checks people before giving the registration code that unlocks an "
    "allowance [@kyed_2024], and defector groups checked backgrounds because they had to "
    "watch for military spies [@bociaga_2021]. But vetting has limits. It can confirm "
    "identity, unit and rank, and compare a story with other accounts; it cannot read "
    "motives or guarantee future loyalty, and it struggles to establish what someone did "
    "in battle when records and witnesses are out of reach. With thousands arriving and "
    "little money, it is also slow [@kyed_2024]. Trust is therefore built over time, with "
    "support and safety, and questions of justice for those involved in atrocities need a "
    "separate process."
)

W2_MODEL = (
    "Mass surrender shows real weakness at the bottom and middle of the army: whole "
    "battalions and six brigadier generals gave up at Laukkai [@irrawaddy_2024_laukkai], "
    "more than 6,000 soldiers surrendered in about six months [@kyed_2024], the "
    "Northeastern Command fell in 2024 and the Arakan Army says it took the Western Command "
    "too [@nation_2024_lashio; @afp_2024_western_command]. It "
    "costs the army trained soldiers and shows low morale. But Lee and McCarthy argue that "
    "regimes break when the armed forces split at the top and commanders side with the "
    "opposition [@lee_mccarthy_2023]. That has not happened: the Laukkai generals did not "
    "lead a faction but were detained by their own side, and reportedly sentenced, which "
    "the army denied [@irrawaddy_2024_generals; @afp_2024_generals]. Surrenderers are not "
    "automatically defectors, and many may drift back if they are not absorbed "
    "[@kyed_2024]. The regime also refilled its ranks through conscription "
    "[@irrawaddy_2025_peoples_goal], and China-brokered deals handed Lashio back "
    "[@mizzima_2025_lashio]. So surrender weakens the army's capacity but has not yet "
    "divided the institution; and the counts are claims by the side that took the "
    "surrenders, so even the scale is uncertain."
)

w1 = WrittenQuestion(
    "w1",
    prompt="Can late, pragmatic defectors be trusted? What can vetting do, and what can it not do?",
    rubric=(
        "4 pts. 1: states the shift from moral to pragmatic motives and the debate it "
        "caused, with a source. 1: a reasoned position on trust that avoids treating a "
        "pragmatic motive as proof of bad faith (or argues the opposite with evidence). "
        "1: what vetting can do (identity, unit, background, spies, registration and "
        "support) AND what it cannot (motives, future loyalty, past conduct in battle, "
        "scale with little money). 1: mentions justice for atrocities or the limits of the "
        "evidence (motives read from outside), citing sources."
    ),
    model_answer=W1_MODEL,
    hints=[
        "A strong answer states the shift in motives from 2021 to after 2023 and the debate "
        "about trust it set off, with a source, and takes a reasoned position without "
        "treating a pragmatic motive as proof of bad faith (or argues the opposite with "
        "evidence).",
        "Then say what vetting can do (identity, unit, background, spotting spies, "
        "registration for support) and what it cannot (read motives, guarantee loyalty, "
        "establish conduct in battle, keep up with numbers on little money). Mention justice "
        "for atrocities or the limits of the evidence, citing sources.",
    ],
    points=4,
)

w2 = WrittenQuestion(
    "w2",
    prompt="What does mass surrender mean, and not mean, for the regime's cohesion? "
    "Cite two sources.",
    rubric=(
        "4 pts. 1: what surrender does show (losses, low morale, units giving up, commands "
        "lost), with evidence. 1: the Lesson 1 test (a split at the top) applied: no "
        "faction of commanders changed sides; the Laukkai generals were detained. 1: at "
        "least one further limit (surrenderers are not defectors; conscription refills "
        "ranks; China-brokered handbacks; counts are claims). 1: cites at least two "
        "different sources correctly and reaches a clear, balanced conclusion."
    ),
    model_answer=W2_MODEL,
    hints=[
        "A strong answer says what mass surrender does show (losses, low morale, whole units "
        "giving up, commands lost), with evidence, and then applies Lesson 1's test: has any "
        "faction of commanders changed sides?",
        "Add at least one further limit (surrenderers are not defectors, conscription refills"
        " the ranks, handbacks brokered by China, the counts are claims) and end with a "
        "clear, balanced conclusion that cites at least two different sources.",
    ],
    points=4,
)

QUESTIONS = register(q1, q2, q3, q4, q5, q6, q7, q8, q9, q10, q11, w1, w2, lesson=LESSON)
