"""Self-checks for exercise set 02, the military economy.

Every expected value is computed from ``defection.data`` (the ``economy`` table) or from
``defection.models.spoils``; nothing is typed in. The solution notebook is
``solutions/02_military_economy.ipynb``.
"""

from __future__ import annotations

import re

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

LESSON = "02"

#: The spoils-model settings the exercise states (q9) and the larger reserves (q10):
#: a shrinking pool plus a purge of 40% of the officers outside the ruling faction.
SPOILS_SETTINGS = dict(
    boycott=0.3, sanctions=0.2, reserves=1.0, repression=0.1, protection=0.8, periods=12,
    purge=0.4,
)
BIGGER_RESERVES = 4.0

#: The dates of the three market exchange-rate rows (q1-q3).
COUP_DAY, SEPTEMBER_START, LATE_SEPTEMBER = "2021-02-01", "2021-09-01", "2021-09-28"

#: The one source that reports defence spending year by year (q5, q6).
SPENDING_SOURCE = "militarycoupmyanmar_2024"
#: q6 compares two full-year budgets. The 2021 row (ec28) probably covers a shorter, interim
#: period (its description and Lesson 2 say so), so the lesson's safe comparison is 2022 with 2023.
EARLIER_YEAR, LATER_YEAR, PARTIAL_YEAR = 2022, 2023, 2021

#: Words in an exit row's description that say where the stake went (q8).
MILITARY_BUYER = re.compile(r"military-linked|buyback", re.I)


# --------------------------------------------------------------------------- helpers


def _economy():
    return data.load("economy")


def _rate_on(day: str) -> float:
    """Market kyat per US dollar on one day (an exchange_rate row of the economy table)."""
    eco = _economy()
    fx = eco[(eco["indicator"] == "exchange_rate") & (eco["date"] == day)]
    return float(fx["value"].iloc[0])


def _rates() -> tuple[float, float]:
    """Kyat per US dollar on coup day and on 28 September 2021."""
    return _rate_on(COUP_DAY), _rate_on(LATE_SEPTEMBER)


def _september_start() -> float:
    return _rate_on(SEPTEMBER_START)


def _dollar_rise() -> float:
    before, after = _rates()
    return after / before - 1


def _value_lost() -> float:
    before, after = _rates()
    return 1 - before / after


def _counts(frame) -> object:
    return frame.groupby("kind", observed=True).size().reset_index(name="rows")


def _rows_by_kind():
    return _counts(_economy())


def _spending():
    eco = _economy()
    rows = eco[(eco["indicator"] == "defence_spending") & (eco["source_id"] == SPENDING_SOURCE)]
    return rows.assign(year=rows["date"].dt.year).sort_values("year")


def _other_2023() -> float:
    """The second report of the 2023 budget (another source, rounded)."""
    eco = _economy()
    rows = eco[(eco["indicator"] == "defence_spending") & (eco["source_id"] != SPENDING_SOURCE)]
    return float(rows["value"].iloc[0])


def _by_year():
    return _spending().set_index("year")["value"]


def _spending_ratio(earlier: int = EARLIER_YEAR) -> float:
    by_year = _by_year()
    return float(by_year[LATER_YEAR] / by_year[earlier])


def _exits():
    eco = _economy()
    return eco[eco["kind"] == "exit"]


def _companies(actors) -> list[str]:
    names = {name.strip() for cell in actors for name in str(cell).split(";")}
    return sorted(n for n in names if n)


def _exited():
    return _companies(_exits()["actor"])


def _military_buyers():
    ex = _exits()
    hit = ex["description"].fillna("").str.contains(MILITARY_BUYER)
    return _companies(ex.loc[hit, "actor"])


def _spoils(**changes):
    from defection.models.spoils import simulate_spoils

    return common.run_with(simulate_spoils, SPOILS_SETTINGS, **changes)


def _final_share(**changes) -> float:
    return float(_spoils(**changes).totals["softliner_share"].iloc[-1])


def _final_tier(tier: str) -> float:
    last = _spoils().by_tier
    last = last[(last["period"] == last["period"].max()) & (last["tier"] == tier)]
    return float(last["excluded_share"].iloc[0])


def _final_excluded(**changes) -> float:
    return float(_spoils(**changes).totals["excluded_share"].iloc[-1])


def _direction() -> str:
    small, big = _final_share(), _final_share(reserves=BIGGER_RESERVES)
    if big < small:
        return "a"
    if big > small:
        return "b"
    return "c"


# --------------------------------------------------------------------------- questions

q1 = NumberQuestion(
    "q1",
    variable="dollar_rise",
    prompt="How much more kyat a US dollar cost on 28 Sep 2021 than on coup day (a share)",
    expected=_dollar_rise,
    decimals=3,
    hints=[
        "The two market rates are in the economy table: rows ec13 (1 February 2021) and "
        "ec24 (28 September 2021), column 'value', unit kyat per US dollar.",
        "'How much more' compares the new price of a dollar with the old one: "
        "(new - old) / old. Give a share (0.25 means 25% more), not a percentage.",
        "Fill in the blanks: rate = eco.set_index('row_id')['value']; before, after = "
        "rate['ec13'], rate[...]; then dollar_rise = after / ... - 1.",
    ],
    solution=(
        'rate = eco.set_index("row_id")["value"]\n'
        'before, after = float(rate["ec13"]), float(rate["ec24"])\n'
        "dollar_rise = after / before - 1"
    ),
    mistakes=[
        (_value_lost, "That is how much value the kyat lost (q2); here divide by the OLD rate."),
        (
            lambda: _dollar_rise() + 1,
            "That is the ratio new / old; subtract 1 to get how much MORE.",
        ),
        (
            lambda: _rates()[1] / _september_start() - 1,
            "That compares with 1 September (row ec23); this question starts on coup day.",
        ),
    ],
)

q2 = NumberQuestion(
    "q2",
    variable="kyat_value_lost",
    prompt="Share of its US-dollar value the kyat lost between coup day and 28 Sep 2021",
    expected=_value_lost,
    decimals=3,
    hints=[
        "Think about one kyat: on coup day it bought 1/1395 of a dollar; later it bought less.",
        "The loss is (old value - new value) / old value, where the value of one kyat is "
        "1 / (kyat per dollar). Give a share between 0 and 1.",
        "Fill in the blanks: with before and after from q1, kyat_value_lost = 1 - ... / ... "
        "(what one kyat was worth after, relative to before).",
    ],
    solution="# before and after are the two rates from q1\nkyat_value_lost = 1 - before / after",
    mistakes=[
        (
            _dollar_rise,
            "That is how much more a dollar cost (q1); the kyat's loss uses a different base.",
        ),
        (
            lambda: 1 - _value_lost(),
            "That is the share of its value the kyat KEPT; the question asks what it lost.",
        ),
        (
            lambda: 1 - _september_start() / _rates()[1],
            "That is September alone (from row ec23); start on coup day.",
        ),
    ],
)

q3 = ChoiceQuestion(
    "q3",
    variable="answer_q3",
    prompt="Why could headlines say the kyat fell 'over 60%' when it lost about half its value?",
    options={
        "a": "The figure is simply wrong: the data show a smaller fall since the coup, so the "
        "headline exaggerated the crisis to make a stronger story.",
        "b": "The headline counted a different period and base: September alone, measured as "
        "how much more kyat a dollar cost from 1 September.",
        "c": "The headline used the official exchange rate, while our rows are market rates, "
        "and the two rates can move quite differently in a crisis.",
        "d": "The headline added the World Bank's 23% (July) to the September fall.",
    },
    expected="b",
    feedback={
        "a": "Before calling a figure wrong, check its period and its base: try 2700 / 1695 - 1.",
        "c": "Reuters quoted money changers, as our rows do; the difference lies elsewhere.",
        "d": "Percentages measured from different starting points cannot be added up.",
    },
    hints=[
        "Compute the rise of the dollar from 1 September (row ec23) to 28 September (ec24).",
        "A percentage always has a base and a period: which ones give a number near 60%?",
    ],
    solution=(
        "september_rise = float(rate['ec24']) / float(rate['ec23']) - 1   # about 0.6\n"
        'answer_q3 = "b"'
    ),
)

q4 = FrameQuestion(
    "q4",
    variable="rows_by_kind",
    prompt="Number of rows of the economy table per kind (columns kind, rows)",
    expected=_rows_by_kind,
    check_index=False,
    ignore_row_order=True,
    hints=[
        "Group the whole table by the column 'kind' and count the rows in each group.",
        "eco.groupby('kind').size() counts rows (also those with an empty 'value'); "
        ".count() would skip empty cells.",
        "Fill in the blanks: rows_by_kind = eco.groupby(..., "
        "observed=True)....().reset_index(name='rows')",
    ],
    solution='rows_by_kind = eco.groupby("kind", observed=True).size().reset_index(name="rows")',
    mistakes=[
        (
            lambda: _counts(_economy()[_economy()["date"] >= "2021-02-01"]),
            "It looks as if you kept only rows from the coup onwards; count every row.",
        ),
        (
            lambda: _economy()
            .groupby("kind", observed=True)["value"]
            .count()
            .reset_index(name="rows"),
            "It looks as if you counted non-empty values: many rows have no 'value'. Use .size().",
        ),
    ],
)

q5 = ChartQuestion(
    "q5",
    variable="spending_chart",
    prompt="Bar chart of defence spending by budget year (x year:O, y value:Q), with a "
    "title, axis titles and a tooltip",
    mark="bar",
    encodings={"x": "year:O", "y": "value:Q"},
    fields=["year", "value"],
    data=_spending,
    data_hint="the table `spending` prepared above (the junta's defence budgets, one row "
    "per year)",
    titles=("x", "y"),
    chart_title=True,
    tooltip=True,
    hints=[
        "Start from the table `spending` prepared above; it has a column 'year'.",
        "A bar chart is alt.Chart(table).mark_bar(); years are ordered categories, so "
        "encode them as ordinal (:O), and the spending as quantitative (:Q).",
        "Fill in the blanks: alt.Chart(spending).mark_bar().encode(x=alt.X('year:O', "
        "title=...), y=alt.Y(..., title=...), tooltip=[...]).properties(title=...)",
    ],
    solution=(
        "spending_chart = (\n"
        "    alt.Chart(spending[['year', 'value', 'title']])\n"
        "    .mark_bar()\n"
        "    .encode(\n"
        '        x=alt.X("year:O", title="Budget year"),\n'
        '        y=alt.Y("value:Q", title="Defence spending (trillion kyat)"),\n'
        '        tooltip=["year", "value", "title"],\n'
        "    )\n"
        '    .properties(title="Junta defence spending, trillion kyat (nominal)")\n'
        ")"
    ),
)

q6 = NumberQuestion(
    "q6",
    variable="spending_ratio",
    prompt="How many times larger defence spending was in 2023 than in 2022 (nominal kyat, "
    "two full-year budgets)",
    expected=_spending_ratio,
    decimals=2,
    hints=[
        "Use the `spending` table: one row per year, from one source. Leave 2021 aside: its "
        "description says it probably covers less than a full year.",
        "'How many times larger' is a ratio: later value / earlier value.",
        "Fill in the blanks: by_year = spending.set_index('year')['value']; then "
        "spending_ratio = by_year[...] / by_year[...].",
    ],
    solution=(
        'by_year = spending.set_index("year")["value"]\n'
        "spending_ratio = float(by_year[2023] / by_year[2022])"
    ),
    mistakes=[
        (
            lambda: _spending_ratio() - 1,
            "That is the increase (ratio minus 1); the question asks 'how many times'.",
        ),
        (lambda: 1 / _spending_ratio(), "You divided the earlier year by the later one."),
        (
            lambda: _spending_ratio(PARTIAL_YEAR),
            "You compared 2023 with 2021. Read the description of row ec28: the 2021 figure "
            "probably covers an interim budget of less than a year, so compare 2023 with 2022.",
        ),
        (
            lambda: _other_2023() / float(_by_year()[EARLIER_YEAR]),
            "You used the rounded Irrawaddy figure (row ec31); stay with one source's series.",
        ),
    ],
)

q7 = SetQuestion(
    "q7",
    variable="exited_companies",
    prompt="Foreign companies with an 'exit' row in the economy table, each once",
    expected=_exited,
    unique=True,  # the task says "each company once"
    hints=[
        "Keep the rows whose kind is 'exit' and look at the column 'actor'.",
        "One actor cell names two companies separated by '; ': list each company once.",
        "Fill in the blanks: exits = eco[eco['kind'] == ...]; then exited_companies = "
        "sorted(exits['actor'].str.split('; ')....().unique()).",
    ],
    solution=(
        'exits = eco[eco["kind"] == "exit"]\n'
        'exited_companies = sorted(exits["actor"].str.split("; ").explode().unique())'
    ),
    mistakes=[
        (
            lambda: sorted(set(_exits()["actor"].astype(str))),
            "One of your items names two companies at once: split it at '; '.",
        ),
    ],
)

q8 = SetQuestion(
    "q8",
    variable="stakes_to_military",
    prompt="Exiting companies whose stakes went, or are reported to have gone, to the military's side",
    expected=_military_buyers,
    hints=[
        "Read the 'description' of each exit row: which ones say where the stake went?",
        "Two mechanisms count: a sale to a buyer that press reports call military-linked (a "
        "reported, unconfirmed link), and a stake sold back (a buyback) to a joint venture "
        "whose other partner is the military.",
        "Fill in the blanks: to_military = exits['description'].str.contains(...); then "
        "stakes_to_military = sorted(exits.loc[to_military, ...].unique()).",
    ],
    solution=(
        'to_military = exits["description"].str.contains("military-linked|buyback")\n'
        'stakes_to_military = sorted(exits.loc[to_military, "actor"].unique())'
    ),
    mistakes=[
        (
            _exited,
            "Not every company that left sold to the military's side: read the descriptions.",
        ),
    ],
)

q9 = NumberQuestion(
    "q9",
    variable="final_softliner_share",
    prompt="Share of the elite (senior officers) excluded in the last period of the stated run",
    expected=_final_share,
    decimals=3,
    hints=[
        "Run simulate_spoils with exactly the seven settings given in the task, purge included.",
        "The result has two tables; `.totals` has one row per period and a column "
        "'softliner_share': the share of the senior tier (the elite) cut out.",
        "Fill in the blanks: run = simulate_spoils(boycott=..., sanctions=..., reserves=..., "
        "repression=..., protection=..., purge=..., periods=...); then run.totals[...].iloc[-1] "
        "is the last period.",
    ],
    solution=(
        "run = simulate_spoils(boycott=0.3, sanctions=0.2, reserves=1.0,\n"
        "                      repression=0.1, protection=0.8, periods=12, purge=0.4)\n"
        'final_softliner_share = float(run.totals["softliner_share"].iloc[-1])'
    ),
    mistakes=[
        (
            lambda: _final_tier("junior"),
            "That is the junior tier; softliners are excluded members of the elite, the "
            "senior tier.",
        ),
        (
            lambda: _final_tier("mid"),
            "That is the mid-ranking tier; softliners are excluded members of the elite, the "
            "senior tier.",
        ),
        (
            _final_excluded,
            "That is every officer cut out ('excluded_share'); the question asks only for "
            "the elite, the senior tier ('softliner_share').",
        ),
        (
            lambda: float(_spoils().totals["softliner_share"].iloc[0]),
            "Period 0 is the pre-coup baseline under the old rules (and a run without the "
            "purge excludes no senior officer either): take the LAST period with purge=0.4.",
        ),
    ],
)

q10 = ChoiceQuestion(
    "q10",
    variable="answer_q10",
    prompt="What larger reserves (4.0 instead of 1.0) do to the final softliner share",
    options={
        "a": "It falls: with larger reserves the regime can top up the pool of rents for "
        "longer, so the cuts come later and fewer officers are left out.",
        "b": "It rises: spending reserves angers the officers who see the money go elsewhere, "
        "so more of them end up cut out of the spoils in later periods.",
        "c": "It stays the same: these officers were purged by the ruling faction, not "
        "squeezed by a shrinking pool, and money does not bring them back.",
    },
    expected=_direction,
    feedback={
        "a": "Compare the two runs' softliner_share columns period by period: does the "
        "senior tier's share move at all? Then compare excluded_share, which does.",
        "b": "Run the model with reserves=4.0 and compare the two final shares.",
        "c": "Run the model with reserves=4.0 and compare; in this model reserves refill the pool.",
    },
    hints=[
        "Run the same model again, changing only reserves to 4.0.",
        "Compare bigger.totals['softliner_share'].iloc[-1] with your answer to q9, and look "
        "at the whole column to see when the senior officers are cut out. Then do the same "
        "for 'excluded_share' (all officers).",
    ],
    solution=(
        "bigger = simulate_spoils(boycott=0.3, sanctions=0.2, reserves=4.0,\n"
        "                         repression=0.1, protection=0.8, periods=12, purge=0.4)\n"
        'print(final_softliner_share, bigger.totals["softliner_share"].iloc[-1])\n'
        f"answer_q10 = {_direction()!r}"
    ),
)

W1_MODEL = (
    "Senior officers have the most to lose. Promotions, perks, pensions and business "
    "concessions add up at the top, continue after retirement and reach their families, so "
    "a general who defects gives up wealth, status and security, and faces the harshest "
    "punishment [@kyed_lynn_2021; @lee_mccarthy_2023]. Junior officers and the rank and "
    "file hold few stakes: many are exploited by superiors through deductions and levies, "
    "and the boycotts hit the small family businesses they do have "
    "[@kyed_lynn_2021; @lee_mccarthy_2023]. For them the economic tie is weak, or becomes a "
    "grievance, so other obstacles (fear, surveillance, family at risk, having nowhere safe "
    "to go) matter more. The evidence mostly comes from defectors of the rank of major or "
    "below, so the senior side is inferred rather than observed [@kyed_lynn_2021]."
)

W2_MODEL = (
    "The model has only money in it. It leaves out fear and surveillance, threats to "
    "families, ideology and loyalty to the institution, the chance of being caught, what "
    "the opposition offers defectors, battlefield events, and the fact that a cut-out "
    "officer may grumble or hedge rather than leave [@kyed_lynn_2021]. Its numbers are "
    "invented and it treats the pool as one pot, while in reality exits handed stakes to "
    "the military's side (Kirin's stake went back to a venture with the military "
    "[@reuters_2022_kirin]; Telenor's buyer is reported, not confirmed, to be "
    "military-linked [@telenor_2022]) and the regime can print "
    "money and squeeze civilians [@lee_mccarthy_2023]. Even in the model a shielded top "
    "is the last to be cut out by a shrinking pool; senior officers are excluded above all "
    "when the sharing rules break and a faction purges rivals, which is a political event, "
    "not an economic one [@lee_mccarthy_2023; @lee_2014]. So economic pressure alone is "
    "unlikely to split the top: "
    "it can widen the pool of discontented juniors and mid-ranking officers, but senior "
    "officers would also need a credible safe exit (guarantees of position, livelihood or "
    "amnesty), which clashes with demands for accountability [@kyed_lynn_2021; "
    "@bociaga_2021]. Sanctions and boycotts also hurt ordinary people, a cost critics stress."
)

w1 = WrittenQuestion(
    "w1",
    prompt="Why are business stakes an obstacle to defection for senior officers, but "
    "perhaps not for junior ones?",
    rubric=(
        "4 pts. 1: what stakes officers hold (promotions, perks, pensions, concessions, "
        "after retirement, families). 1: why losses grow with rank (senior) and why juniors "
        "hold little or are exploited, so the tie is weak for them. 1: names another "
        "obstacle that matters more lower down (fear, surveillance, family, no safe exit). "
        "1: cites the course sources and notes a limit of the evidence (defectors were "
        "mostly major or below)."
    ),
    model_answer=W1_MODEL,
    hints=[
        "A strong answer names the stakes officers hold (promotions, perks, pensions, "
        "business concessions, jobs after retirement, family interests) and explains why what"
        " they would lose grows with rank.",
        "Then turn to junior ranks: what do they hold, and what keeps them in instead (fear, "
        "surveillance, families, no safe way out)? Cite the course sources and say what the "
        "evidence cannot show, e.g. that the defectors researchers met were mostly majors or "
        "below.",
    ],
    points=4,
)

w2 = WrittenQuestion(
    "w2",
    prompt="What does the spoils model leave out, and can economic pressure alone split the top?",
    rubric=(
        "4 pts. 1: names at least two things the model leaves out (coercion, ideology, "
        "family, offers from the opposition, battlefield, assets going to insiders, money "
        "printing). 1: notes the parameters are invented and being cut out is not defecting. "
        "1: a clear, reasoned answer on the top (e.g. unlikely alone, because rents and "
        "protection are concentrated there and seniors lack a safe exit). 1: fairness: the "
        "cost to civilians or the accountability dilemma, with sources."
    ),
    model_answer=W2_MODEL,
    hints=[
        "A strong answer names at least two things the spoils model leaves out (for example "
        "coercion, ideology, family ties, offers from the opposition, the battlefield, money "
        "printing) and says that its numbers are invented and that being cut out is not the "
        "same as defecting.",
        "Then answer the question plainly: could economic pressure alone split the top, and "
        "why or why not (where rents and protection sit, whether seniors have a safe exit)? "
        "Add fairness: who else pays for sanctions and boycotts, with sources.",
    ],
    points=4,
)

QUESTIONS = register(q1, q2, q3, q4, q5, q6, q7, q8, q9, q10, w1, w2, lesson=LESSON)
