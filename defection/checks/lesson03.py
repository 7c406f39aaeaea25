"""Self-checks for exercise set 03, why soldiers defect.

Every expected value is computed from ``defection.data`` (the ``defection_counts``,
``motivations`` and ``statements`` tables), from ``defection.coding`` or from
``defection.models.calculus``; nothing is typed in. Only the *inputs* the exercise
states are constants here (the pair of counts, the second coder's codes and the model
settings), and a unit test checks that the notebook states the same ones. The solution
notebook is ``solutions/03_defection_motivations.ipynb``.
"""

from __future__ import annotations

import pandas as pd

from defection import coding, data
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

LESSON = "03"

#: q1: the group whose two running totals of soldiers the exercise compares.
CLAIMANT = "People's Embrace"
COUP_DAY = "2021-02-01"

#: q6-q7 and the free coding task: five statements and a fixed second coder's codes,
#: in the order of the ids.
CODING_IDS = ("st05", "st11", "st13", "st17", "st18")
SECOND_CODER = ("moral", "organised_support", "ideology", "exploitation", "hierarchy_patronage")

#: q8-q10: the calculus settings the exercise states, and the step of q10.
MODEL_SETTINGS = dict(
    punishment_risk=0.5, family_risk=0.5, exit_support=0.5, moral_cost=0.6, regime_survival=0.6
)
STEP = 0.2
#: The direction in which each slider favours defection (+1 up, -1 down).
FAVOURS_DEFECTION = {
    "punishment_risk": -1,
    "family_risk": -1,
    "exit_support": +1,
    "moral_cost": +1,
    "regime_survival": -1,
}


# --------------------------------------------------------------------------- helpers


def _counts() -> pd.DataFrame:
    return data.load("defection_counts")


def _soldier_totals() -> pd.DataFrame:
    """q4's rows: the running totals of soldiers, as the notebook prepares them."""
    c = _counts()
    return c[(c["who_counted"] == "soldiers") & (c["measure"] == "cumulative")]


def _pair() -> pd.DataFrame:
    """The two cumulative counts of soldiers by People's Embrace, oldest first."""
    c = _counts()
    keep = (
        c["claimant"].astype(str).str.startswith(CLAIMANT)
        & (c["who_counted"] == "soldiers")
        & (c["measure"] == "cumulative")
    )
    pair = c[keep].sort_values("as_of")
    if len(pair) != 2:
        raise ValueError(f"expected two running totals by {CLAIMANT}, found {len(pair)}")
    return pair


def _gap() -> tuple[float, int, float, float]:
    """(extra soldiers, days between, earlier value, later value)."""
    pair = _pair()
    first, last = pair.iloc[0], pair.iloc[-1]
    days = int((last["as_of"] - first["as_of"]).days)
    return float(last["value"] - first["value"]), days, float(first["value"]), float(last["value"])


def _daily_rate() -> float:
    extra, days, _, _ = _gap()
    return extra / days


def _daily_rate_both_ends() -> float:
    """The same rate when both end days are counted (one day more): also accepted."""
    extra, days, _, _ = _gap()
    return extra / (days + 1)


def _days_since_coup() -> int:
    return int((_pair()["as_of"].iloc[-1] - pd.Timestamp(COUP_DAY)).days)


def _figures(frame: pd.DataFrame, observed: bool = True) -> pd.DataFrame:
    return frame.groupby("claimant_type", observed=observed).size().reset_index(name="figures")


def _by_type_column(column: str, how: str) -> pd.DataFrame:
    """A wrong way to count: aggregate one column per claimant_type."""
    grouped = _counts().groupby("claimant_type", observed=True)[column]
    return grouped.agg(how).reset_index(name="figures")


def _figures_by_type() -> pd.DataFrame:
    return _figures(_counts())


def _codebook() -> pd.DataFrame:
    return data.load("motivations")


def _obstacles(immediacy: str | None = None) -> list[str]:
    m = _codebook()
    keep = m["type"] == "obstacle"
    if immediacy is not None:
        keep &= m["immediacy"] == immediacy
    return sorted(m.loc[keep, "code"].astype(str))


def _structural() -> list[str]:
    return _obstacles("structural")


def _structural_labels() -> list[str]:
    m = _codebook()
    keep = (m["type"] == "obstacle") & (m["immediacy"] == "structural")
    return sorted(m.loc[keep, "label"].astype(str))


def _reference_codes() -> list[str]:
    s = data.load("statements").set_index("statement_id")
    return [str(s.loc[i, "reference_code"]) for i in CODING_IDS]


def _second_agreement() -> float:
    return coding.agreement(list(SECOND_CODER), _reference_codes())


def _second_chance() -> float:
    return coding.chance_agreement(list(SECOND_CODER), _reference_codes())


def _second_kappa() -> float:
    return coding.cohens_kappa(list(SECOND_CODER), _reference_codes())


def _run(**changes):
    from defection.models.calculus import calculus

    return common.run_with(calculus, MODEL_SETTINGS, **changes).set_index("rank")


def _share(rank: str, **changes) -> float:
    return float(_run(**changes).loc[rank, "share"])


def _defectors(rank: str) -> float:
    return float(_run().loc[rank, "expected_defectors"])


def _overall() -> float:
    from defection.models.calculus import overall_share

    return overall_share(_run().reset_index())


def _default_share(rank: str) -> float:
    from defection.models.calculus import calculus

    return float(calculus().set_index("rank").loc[rank, "share"])


def slider_effects(rank: str = "senior officer") -> dict[str, float]:
    """How much ``rank``'s defecting share rises when each slider moves ``STEP`` towards
    defection from ``MODEL_SETTINGS`` (one slider at a time)."""
    base = _share(rank)
    return {
        name: _share(rank, **{name: MODEL_SETTINGS[name] + sign * STEP}) - base
        for name, sign in FAVOURS_DEFECTION.items()
    }


def _strongest_for(rank: str) -> str:
    effects = slider_effects(rank)
    return max(effects, key=effects.get)


# --------------------------------------------------------------------------- questions

q1 = NumberQuestion(
    "q1",
    variable="daily_rate",
    prompt="Average number of soldiers per day joining People's Embrace's count between "
    "its two running totals",
    expected=_daily_rate,
    decimals=2,
    also=[_daily_rate_both_ends],
    hints=[
        "Keep the rows whose claimant starts with \"People's Embrace\" (one of them says "
        "'via VOA'), whose who_counted is 'soldiers' and whose measure is 'cumulative'. "
        "You should get two rows.",
        "A running total grows: the soldiers added between the two dates are the later "
        "value minus the earlier value. Divide by the number of days between the dates.",
        "Fill in the blanks: embrace = counts[... & ... & ...].sort_values('as_of') (the "
        "two rows themselves, not the True/False mask); earlier, later = embrace.iloc[0], "
        "embrace.iloc[...]; days = (later['as_of'] - earlier[...]).days; then daily_rate = "
        "(later['value'] - ...) / days.",
    ],
    solution=(
        "embrace = counts[\n"
        "    counts[\"claimant\"].str.startswith(\"People's Embrace\")\n"
        '    & (counts["who_counted"] == "soldiers")\n'
        '    & (counts["measure"] == "cumulative")\n'
        '].sort_values("as_of")\n'
        "earlier, later = embrace.iloc[0], embrace.iloc[-1]\n"
        'days = (later["as_of"] - earlier["as_of"]).days\n'
        'daily_rate = float(later["value"] - earlier["value"]) / days'
    ),
    mistakes=[
        (
            lambda: _gap()[3] / _gap()[1],
            "You divided the whole later total by the days: the later total also counts "
            "everyone who had joined BEFORE the first date. Use the difference of the two totals.",
        ),
        (
            lambda: _gap()[3] / _days_since_coup(),
            "That is the average since the coup. The question asks about the stretch between "
            "the group's two figures: use their difference and the days between them.",
        ),
        (
            lambda: _gap()[0] / 365,
            "The two dates are not exactly a year apart: count the days between them.",
        ),
        (
            lambda: _gap()[0] / (_gap()[1] / 30.44),
            "That looks like a rate per month; the question asks per day.",
        ),
        (
            lambda: _gap()[1] / _gap()[0],
            "You divided days by soldiers: the rate is soldiers per day, so soldiers go on top.",
        ),
    ],
)

q2 = ChoiceQuestion(
    "q2",
    variable="answer_q2",
    prompt="What the People's Embrace daily rate hides",
    options={
        "a": "Nothing important: both figures come from the same group, counted the same way, "
        "so the rate between them is exact and needs no caveat.",
        "b": "It averages about thirteen months: it cannot show whether soldiers came steadily"
        " or mostly early on, and \"more than 2,000\" at the start makes the increase "
        "itself uncertain.",
        "c": "It mixes soldiers and police, so it overstates how many soldiers left.",
        "d": "It proves that People's Soldier's claim of 5 to 10 soldiers a day in August 2021"
        " was false, since the average we computed over the whole stretch is well below "
        "that, and an average cannot hide a faster month.",
    },
    expected="b",  # an interpretation; the unit test checks the facts it rests on
    feedback={
        "a": "The same claimant makes the two figures comparable, but an average over many "
        "months still smooths away when people left, and read the 'qualifier' column.",
        "c": "Look at who_counted in your two rows: the group reported police separately.",
        "d": "That figure came from another group, at another time, counting something else: "
        "a rate from one group cannot refute another group's claim.",
    },
    hints=[
        "An average per day spreads the increase evenly over every day of the stretch. Did "
        "defections come evenly? Re-read section 7 of the lesson.",
        "Look at the 'qualifier' and 'notes' columns of your two rows.",
    ],
    solution=(
        'embrace[["as_of", "value", "qualifier", "who_counted", "notes"]]\n'
        "# the later row says most left in June-December 2021; the earlier value is a floor\n"
        'answer_q2 = "b"'
    ),
)

q3 = FrameQuestion(
    "q3",
    variable="figures_by_type",
    prompt="Number of figures (rows) in defection_counts per claimant_type "
    "(columns claimant_type, figures)",
    expected=_figures_by_type,
    check_index=False,
    ignore_row_order=True,
    hints=[
        "Group the whole counts table by 'claimant_type' and count the rows in each group.",
        ".groupby('claimant_type').size() counts rows; summing the 'value' column would add "
        "up numbers that count different things.",
        "Fill in the blanks: counts.groupby(..., "
        "observed=True)....().reset_index(name='figures')",
    ],
    solution=(
        "figures_by_type = (\n"
        '    counts.groupby("claimant_type", observed=True).size().reset_index(name="figures")\n'
        ")"
    ),
    mistakes=[
        (
            lambda: _figures(_counts(), observed=False),
            "You kept a row for a type of claimant with no figures at all (0 rows): group "
            "with observed=True, and note which type is missing for w2.",
        ),
        (
            lambda: _by_type_column("value", "sum"),
            "You added up the values. Count the rows (.size()) instead: summing figures that "
            "count different people over different periods gives a meaningless total.",
        ),
        (
            lambda: _by_type_column("period_start", "count"),
            ".count() skips empty cells, and many rows have no period_start: use .size().",
        ),
    ],
)

q4 = ChartQuestion(
    "q4",
    variable="counts_chart",
    prompt="Points of soldiers' running totals over time, coloured by claimant, with axis "
    "titles and a tooltip showing claimant, status and qualifier",
    mark={"point", "circle"},
    encodings={"x": "as_of:T", "y": "value:Q", "color": "claimant:N"},
    fields=["as_of", "value", "claimant"],
    data=_soldier_totals,
    data_hint="`soldier_totals`, prepared above (the running totals of soldiers only)",
    titles=("x", "y"),
    tooltip=["claimant", "status", "qualifier"],
    hints=[
        "Start from `soldier_totals`, prepared above. One point per figure: "
        "alt.Chart(soldier_totals).mark_point().",
        "Dates go on x as temporal (:T), the figure on y as quantitative (:Q) and the "
        "claimant in colour as nominal (:N).",
        "Fill in the blanks: "
        "alt.Chart(soldier_totals).mark_point(size=80).encode(x=alt.X('as_of:T', title=...), "
        "y=alt.Y(..., title=...), color=alt.Color('claimant:N', title=...), "
        "tooltip=['claimant', ..., ...])",
    ],
    solution=(
        "counts_chart = (\n"
        "    alt.Chart(soldier_totals)\n"
        "    .mark_point(size=80, filled=True)\n"
        "    .encode(\n"
        '        x=alt.X("as_of:T", title="Date of the figure"),\n'
        '        y=alt.Y("value:Q", title="Soldiers (running total)"),\n'
        '        color=alt.Color("claimant:N", title="Who claimed it"),\n'
        '        tooltip=["as_of", "value", "qualifier", "status", "claimant"],\n'
        "    )\n"
        '    .properties(title="Running totals of soldiers who left, by claimant")\n'
        ")"
    ),
)

q5 = SetQuestion(
    "q5",
    variable="structural_obstacles",
    prompt="The codes of the codebook's structural obstacles",
    expected=_structural,
    hints=[
        "The codebook is data.load('motivations'); the columns 'type' and 'immediacy' "
        "tell drivers from obstacles and immediate from structural obstacles.",
        "Keep rows where type is 'obstacle' AND immediacy is 'structural', then take the "
        "'code' column.",
        "Fill in the blanks: keep = (codebook['type'] == ...) & (codebook['immediacy'] == "
        "...); then structural_obstacles = codebook.loc[keep, ...].tolist().",
    ],
    solution=(
        "structural = codebook[\n"
        '    (codebook["type"] == "obstacle") & (codebook["immediacy"] == "structural")\n'
        "]\n"
        'structural_obstacles = structural["code"].tolist()'
    ),
    mistakes=[
        (lambda: _obstacles(), "You listed every obstacle; keep only the structural ones."),
        (
            lambda: _obstacles("immediate"),
            "Those are the IMMEDIATE obstacles (they stop soldiers who already want to go).",
        ),
        (_structural_labels, "Give the short codes from the 'code' column, not the labels."),
    ],
)

q6 = NumberQuestion(
    "q6",
    variable="second_agreement",
    prompt="Share of the five statements on which the second coder matches the reference",
    expected=_second_agreement,
    decimals=2,
    hints=[
        "First build `reference_codes`: the reference_code of each id in `five`, in the "
        "same order as `second_coder`.",
        "coding.agreement(a, b) takes two lists of the same length and returns a share "
        "between 0 and 1.",
        "Fill in the blanks: reference_codes = statements.set_index('statement_id').loc[five,"
        " ...].tolist(); then second_agreement = coding.agreement(second_coder, ...).",
    ],
    solution=(
        'reference_codes = (\n'
        '    statements.set_index("statement_id").loc[five, "reference_code"].tolist()\n'
        ")\n"
        "second_agreement = coding.agreement(second_coder, reference_codes)"
    ),
    mistakes=[
        (lambda: 1 - _second_agreement(), "That is the share of DISagreement."),
        (
            lambda: coding.agreement(list(SECOND_CODER), sorted(_reference_codes())),
            "Your reference codes are not in the order of `five`: did you sort them?",
        ),
    ],
)

q7 = NumberQuestion(
    "q7",
    variable="second_kappa",
    prompt="Cohen's kappa between the second coder and the reference",
    expected=_second_kappa,
    decimals=2,
    hints=[
        "Use the same two lists as in q6.",
        "kappa = (observed agreement - chance agreement) / (1 - chance agreement); "
        "coding.cohens_kappa does all of it.",
        "Fill in the blank: second_kappa = coding.cohens_kappa(second_coder, ...), with the "
        "same reference list as in q6.",
    ],
    solution=(
        "second_kappa = coding.cohens_kappa(second_coder, reference_codes)\n"
        "print(coding.report(second_coder, reference_codes))"
    ),
    mistakes=[
        (_second_agreement, "That is the plain agreement (q6); kappa corrects it for chance."),
        (
            _second_chance,
            "That is the agreement expected by chance, one ingredient of kappa, not kappa itself.",
        ),
        (
            lambda: _second_agreement() - _second_chance(),
            "You subtracted chance agreement but did not divide by (1 - chance agreement).",
        ),
        (
            1.0,
            "A kappa of 1 means perfect agreement: did you compare a coding with itself, or "
            "your own reference-based codes with the reference?",
        ),
    ],
)

q8 = NumberQuestion(
    "q8",
    variable="share_privates",
    prompt="Defecting share of privates in the calculus run with the stated settings",
    expected=lambda: _share("private"),
    decimals=3,
    hints=[
        "Run calculus(**settings): one row per rank.",
        "The column 'share' is the share of that rank that would defect (0 to 1); "
        "'expected_defectors' is a number of soldiers.",
        "Fill in the blanks: run = calculus(**settings); shares = run.set_index('rank')[...];"
        " then share_privates = shares[...].",
    ],
    solution=(
        "run = calculus(**settings)\n"
        'shares = run.set_index("rank")["share"]\n'
        'share_privates = float(shares["private"])'
    ),
    mistakes=[
        (lambda: _defectors("private"), "That is a number of soldiers; give the share (0 to 1)."),
        (
            lambda: _default_share("private"),
            "That is the run at the default settings; use `settings`.",
        ),
        (_overall, "That is the share of the whole unit; the question asks about privates."),
        (lambda: _share("sergeant"), "That is the sergeants' row; take the privates'."),
    ],
)

q9 = NumberQuestion(
    "q9",
    variable="share_senior",
    prompt="Defecting share of senior officers in the same run",
    expected=lambda: _share("senior officer"),
    decimals=4,
    hints=[
        "Same run as q8, another row.",
        "The rank is written 'senior officer' (singular, lower case).",
        "Fill in the blank: shares = calculus(**settings).set_index('rank')['share'] (as in "
        "q8); then share_senior = shares[...] (the rank is written as in the 'rank' column).",
    ],
    solution='share_senior = float(shares["senior officer"])',
    mistakes=[
        (
            lambda: _defectors("senior officer"),
            "That is a number of soldiers (there are only 20 senior officers); give the share.",
        ),
        (lambda: _share("junior officer"), "That is the junior officers' row."),
        (
            lambda: _default_share("senior officer"),
            "That is the run at the default settings; use `settings`.",
        ),
    ],
)

q10 = ChoiceQuestion(
    "q10",
    variable="answer_q10",
    prompt="Which slider, moved 0.2 towards defection, raises senior officers' share most",
    options={
        "punishment_risk": "lower punishment risk",
        "family_risk": "lower family risk",
        "exit_support": "more exit support",
        "moral_cost": "higher moral cost",
        "regime_survival": "lower expected regime survival",
    },
    expected=lambda: _strongest_for("senior officer"),
    feedback={
        "exit_support": "Exit support moves privates strongly, but check senior officers' "
        "row: what do they stand to lose if the regime survives?",
        "punishment_risk": "Compare the rise in senior officers' share for every slider, "
        "not only this one.",
        "moral_cost": "Compare the rise in senior officers' share for every slider; the model "
        "gives every rank the same moral weights.",
        "family_risk": "Compare the rise for every slider; family risk moves senior officers "
        "little.",
    },
    hints=[
        "Run the model five times, each time changing ONE setting by 0.2 in the direction "
        "that favours defection (punishment risk 0.3, family risk 0.3, exit support 0.7, "
        "moral cost 0.8, regime survival 0.4), and compare senior officers' share with q9.",
        "calculus(**{**settings, 'exit_support': 0.7}) changes one setting and keeps the "
        "rest; loop over the five changes and print the senior officers' share each time.",
    ],
    solution=(
        "moves = {\"punishment_risk\": 0.3, \"family_risk\": 0.3, \"exit_support\": 0.7,\n"
        "         \"moral_cost\": 0.8, \"regime_survival\": 0.4}\n"
        "for name, value in moves.items():\n"
        "    moved = calculus(**{**settings, name: value}).set_index(\"rank\")\n"
        "    print(name, round(moved.loc[\"senior officer\", \"share\"] - share_senior, 4))\n"
        'answer_q10 = "regime_survival"'
    ),
)


W1_MODEL = (
    "A defector leaves and changes sides, here by joining the CDM; a deserter leaves and "
    "hides; a surrenderer gives up to the enemy, usually in battle, and has not yet chosen "
    "a side [@kyed_lynn_2021; @kyed_2024]. For counting, the three must be kept apart. "
    "Defectors can be counted by the groups that receive and register them; deserters "
    "cannot, because they stay out of sight, so their number since the coup is unknown "
    "[@kyed_lynn_2021]. Some figures merge categories, such as the estimate of about 8,000 "
    "who deserted or defected [@usip_2023], and one battlefield surrender can add hundreds "
    "at once [@ap_2023_laukkai]. Adding surrenders to defector totals would inflate them "
    "and blur what they mean. For transitional justice the labels carry different claims: "
    "an early defector who refused to shoot civilians was promised protection and a place "
    "in a future army, while a soldier who surrendered after years of fighting may have "
    "taken part in abuses and needs vetting; debates over whom to trust and whom to hold "
    "to account grew after 2023 [@kyed_2024; @bociaga_2021]. The army itself punishes "
    "defection more harshly than desertion [@kyed_lynn_2021], so the label can decide a "
    "person's fate."
)

W2_MODEL = (
    "For the junta, leaving is a crime, and a soldier who joins the resistance sides with "
    "what its training calls internal enemies and terrorists; it punishes "
    "defection more harshly than desertion [@kyed_lynn_2021]. After mid-2022 it sentenced "
    "defectors in hiding to death and spread stories that the resistance killed them "
    "[@kyed_2024], yet it also offered pardons to deserters who returned "
    "[@thanlwin_2023_dec] and rewards to fighters who switched to its side "
    "[@irrawaddy_2023_rewards]. It publishes no defection figures in the course's table: no "
    "row has a junta claimant. Most numbers come from defector groups and the NUG, who "
    "campaign for defection and have reasons to report large totals; they often merge "
    "soldiers and police, and the NUG's own total fell from about 20,000 to about 15,000 "
    "in about three months [@thanlwin_2023_may; @thanlwin_2023_sep]. A fair analyst neither "
    "dismisses nor repeats them: she states who claimed what, when and counting whom; "
    "prefers registered figures, such as about 4,000 soldiers on the NUG's register by "
    "mid-2024 [@kyed_2024]; compares them with researchers' estimates, such as about 2,000 "
    "by late 2021 [@kyed_lynn_2021]; and reports ranges. The regime's silence is not "
    "evidence that the numbers are small."
)

W3_MODEL = (
    "My coding matched the reference on every statement, but the second coder disagreed "
    "on two, and they are the interesting ones. Statement st05 (corruption and oppression "
    "are so ingrained that only a split in the army can restore democracy) could be moral "
    "revulsion, because the codebook's moral code includes criticism of a corrupt "
    "leadership, but its point is political: democracy. Statement st13 (the coup used "
    "fraud claims as a pretext and serves only the commander-in-chief) sounds political, "
    "yet the reference codes it as moral, because it attacks the leadership's legitimacy "
    "rather than calling for a shared struggle. Both coders had reasons: the moral and "
    "ideology codes overlap, as motives do [@kyed_lynn_2021]. A rule such as 'ideology "
    "only when the statement names a political goal' would help. With five statements, "
    "each disagreement moves kappa a lot."
)

w1 = WrittenQuestion(
    "w1",
    prompt="Defector, deserter, surrenderer: why does the distinction matter for counting "
    "and for transitional justice?",
    rubric=(
        "4 pts. 1: defines the three correctly (changes sides / leaves and hides / gives up "
        "to the enemy). 1: counting: deserters are invisible, figures merge categories, "
        "surrenders must not be added to defector totals (uses an example). 1: transitional "
        "justice: different claims to protection, vetting and accountability (early moral "
        "defectors vs later surrenderers; trust debate). 1: cites course sources."
    ),
    model_answer=W1_MODEL,
    hints=[
        "A strong answer defines the three terms (changes sides / leaves and hides / gives up"
        " to the enemy) and shows, with an example from the counts table, how mixing them "
        "changes a count.",
        "Then say why the difference matters after a conflict: protection, vetting and "
        "accountability may differ for early defectors and later surrenderers. Cite the "
        "course sources.",
    ],
    points=4,
)

w2 = WrittenQuestion(
    "w2",
    prompt="How does the junta frame defectors, and how should a fair analyst weigh "
    "defector groups' own numbers?",
    rubric=(
        "4 pts. 1: the junta's framing with evidence (crime/treason, harsher punishment, "
        "death sentences, rumours, pardon offers, 'terrorists'). 1: why defector groups' and "
        "the NUG's numbers need care (interest, merged categories, contradictions). 1: a "
        "fair method (who/whom/when/claimed vs registered, independent estimates, ranges, "
        "neither dismiss nor repeat). 1: notes the absence of regime figures and cites "
        "sources."
    ),
    model_answer=W2_MODEL,
    hints=[
        "A strong answer shows how the junta describes those who leave, with evidence (the "
        "words it uses, the punishments it threatens, the pardons it offers), and why numbers"
        " from defector groups and the NUG need care too (their interest, merged categories, "
        "figures that disagree).",
        "Then describe a fair method: who counted whom and when, claimed or registered, "
        "independent estimates, ranges rather than single numbers, neither dismissing nor "
        "repeating a claim. Note that the regime publishes no figures of its own, and cite "
        "sources.",
    ],
    points=4,
)

w3 = WrittenQuestion(
    "w3",
    prompt="Where did you (and the second coder) disagree with the reference coding, and why?",
    rubric=(
        "3 pts. 1: names the statements where codes differed (own coding or the second "
        "coder's). 1: a reason rooted in the codebook's definitions (overlapping codes, "
        "several motives in one statement). 1: a lesson for coding (a decision rule, more "
        "statements, why kappa moves a lot with five items)."
    ),
    model_answer=W3_MODEL,
    hints=[
        "A strong answer names the statements where your codes (or the second coder's) "
        "differed from the reference, and for each gives a reason based on the codebook's "
        "definitions (codes that overlap, several motives in one statement).",
        "Then draw a lesson for coding: a decision rule you would add, why more statements "
        "would help, and why kappa moves a lot with only five statements.",
    ],
    points=3,
)

QUESTIONS = register(q1, q2, q3, q4, q5, q6, q7, q8, q9, q10, w1, w2, w3, lesson=LESSON)
