"""Self-checks for exercise set 05, synthesis: could defections end the dictatorship?

Every expected value is computed from ``defection.models.scenario`` (its ``PRESETS``, its
pure function ``scenario`` and ``preset_table``) or from ``defection.data``
(``defection_counts`` and ``force_strength``); nothing is typed in. The solution notebook
is ``solutions/05_synthesis.ipynb``.

A pandas 3 trap the set steers around: ``df.query("as_of == '2021-10-31'")`` compares a
datetime column with a string and silently returns no rows. The checks (and the notebook)
pick rows by their id with boolean masks instead.
"""

from __future__ import annotations

import pandas as pd

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

LESSON = "05"

#: q1 and q2: one indicator of one named preset each.
Q1_PRESET, Q1_INDICATOR = "Strong external support", "senior_defection"
Q2_PRESET, Q2_INDICATOR = "Economic collapse", "senior_softliners"
#: The columns of the preset table of q3 (in this order).
TABLE_COLUMNS = (
    "preset", "senior_defection", "senior_softliners", "elite_split", "rank_and_file_out",
    "split_at_top",
)  # fmt: skip
#: q6: the record in late 2021 (defectors, and the army they left).
RECORD_COUNT, RECORD_STRENGTH = "dc007", "fs03"
#: q7: the sensitivity run (hold a preset, vary one setting over given options).
SENSITIVITY_PRESET = "Economic collapse"
SENSITIVITY_SETTING = "incentives"
SENSITIVITY_OPTIONS = (0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)


# --------------------------------------------------------------------------- helpers


def _presets() -> dict[str, dict[str, float]]:
    from defection.models.scenario import PRESETS

    return PRESETS


def _run(preset: str, **changes: float):
    from defection.models.scenario import scenario

    return common.run_with(scenario, _presets()[preset], **changes)


def _indicator(preset: str, indicator: str) -> float:
    return _run(preset).value(indicator)


def _senior_defection() -> float:
    return _indicator(Q1_PRESET, Q1_INDICATOR)


def _softliners() -> float:
    return _indicator(Q2_PRESET, Q2_INDICATOR)


def _rank_share(preset: str, rank: str) -> float:
    ranks = _run(preset).ranks
    return float(ranks.loc[ranks["rank"] == rank, "share"].iloc[0])


def _table(split_column: str = "split_at_top") -> pd.DataFrame:
    from defection.models.scenario import preset_table

    full = preset_table()
    table = full[list(TABLE_COLUMNS[:-1])].copy()
    table["split_at_top"] = full[split_column].astype(bool)
    return table.reset_index(drop=True)


def _table_in_percent() -> pd.DataFrame:
    table = _table()
    for col in TABLE_COLUMNS[1:-1]:
        table[col] = 100 * table[col]
    return table


def _split_presets(split_column: str = "split_at_top") -> list[str]:
    from defection.models.scenario import preset_table

    full = preset_table()
    return sorted(full.loc[full[split_column].astype(bool), "preset"].astype(str))


def _either_condition_presets() -> list[str]:
    from defection.models.scenario import SENIOR_THRESHOLD, SOFTLINER_THRESHOLD, preset_table

    full = preset_table()
    either = (full["senior_defection"] >= SENIOR_THRESHOLD) | (
        full["senior_softliners"] >= SOFTLINER_THRESHOLD
    )
    return sorted(full.loc[either, "preset"].astype(str))


def _value(table: str, id_column: str, row_id: str, column: str) -> float:
    return common.cell(table, id_column, row_id, column)


def _record_share(strength_column: str = "low") -> float:
    defectors = _value("defection_counts", "count_id", RECORD_COUNT, "value")
    return defectors / _value("force_strength", "estimate_id", RECORD_STRENGTH, strength_column)


def _record_share_usip() -> float:
    defectors = _value("defection_counts", "count_id", RECORD_COUNT, "value")
    return defectors / _value("force_strength", "estimate_id", "fs07", "low")


#: q7 asks when the excluded faction breaks away together (one of the top's four paths).
FACTION_EXIT = "faction exit"


def _turns_on(value: float, flag: str = FACTION_EXIT) -> bool:
    result = _run(SENSITIVITY_PRESET, **{SENSITIVITY_SETTING: float(value)})
    if flag == FACTION_EXIT:
        return FACTION_EXIT in result.outcomes
    return bool(getattr(result, flag))


def _smallest_setting(flag: str = FACTION_EXIT) -> float:
    return common.smallest_option(
        SENSITIVITY_OPTIONS,
        lambda value: _turns_on(value, flag),
        "no option in the list turns the indicator on",
    )


def _option_below() -> float:
    best = _smallest_setting()
    return float(max(v for v in SENSITIVITY_OPTIONS if v < best))


# --------------------------------------------------------------------------- questions

q1 = NumberQuestion(
    "q1",
    variable="senior_share_support",
    prompt="Share of senior officers who would leave one by one in the 'Strong external "
    "support' preset",
    expected=_senior_defection,
    decimals=3,
    hints=[
        "Run the chain with the preset's settings: scenario(**PRESETS['Strong external "
        "support']). The ** unpacks the dictionary into keyword arguments.",
        "The result has a .value(...) method that returns one indicator by its name; the "
        "five names are in result.indicators['indicator'].",
        "Fill in the blanks: support = scenario(**PRESETS[...]); then senior_share_support = "
        "support.value(...).",
    ],
    solution=(
        'support = scenario(**PRESETS["Strong external support"])\n'
        'senior_share_support = support.value("senior_defection")'
    ),
    mistakes=[
        (
            lambda: _indicator(Q1_PRESET, "rank_and_file_out"),
            "That is the rank and file out after the cascade; the question asks about "
            "SENIOR officers (the indicator 'senior_defection').",
        ),
        (
            lambda: _rank_share(Q1_PRESET, "private"),
            "That is the share of privates; the question asks about senior officers.",
        ),
        (
            lambda: _indicator("Everything at once (hypothetical)", Q1_INDICATOR),
            "That is the 'Everything at once' preset; use 'Strong external support'.",
        ),
        (
            lambda: _indicator("2021 as it was", Q1_INDICATOR),
            "That looks like scenario() with its default settings (2021); pass the preset's "
            "settings with scenario(**PRESETS[...]).",
        ),
    ],
)

q2 = NumberQuestion(
    "q2",
    variable="softliner_share_collapse",
    prompt="Share of senior officers cut out of the spoils in the 'Economic collapse' preset",
    expected=_softliners,
    decimals=2,
    hints=[
        "Same method as q1, with the 'Economic collapse' preset.",
        "Softliners are the senior officers cut out of the spoils; the indicator is called "
        "'senior_softliners'.",
        "Fill in the blanks: collapse = scenario(**PRESETS[...]); then "
        "softliner_share_collapse = collapse.value(...).",
    ],
    solution=(
        'collapse = scenario(**PRESETS["Economic collapse"])\n'
        'softliner_share_collapse = collapse.value("senior_softliners")'
    ),
    mistakes=[
        (
            lambda: _indicator(Q2_PRESET, "senior_defection"),
            "That is the share of senior officers who would DEFECT; softliners are those cut "
            "out of the spoils (indicator 'senior_softliners').",
        ),
        (
            lambda: 1 - _softliners(),
            "That is the share still receiving their rents; the question asks for those cut "
            "out.",
        ),
        (
            lambda: _indicator("After Operation 1027 (2024)", Q2_INDICATOR),
            "That is the 'After Operation 1027' preset; use 'Economic collapse'.",
        ),
    ],
)

q3 = FrameQuestion(
    "q3",
    variable="preset_outputs",
    prompt="One row per preset, in the order of PRESETS: preset, senior_defection, "
    "senior_softliners, elite_split, rank_and_file_out, split_at_top",
    expected=_table,
    check_index=False,
    ignore_row_order=False,  # the task says "in the order of PRESETS"
    order="the task asks for the order of PRESETS: loop over PRESETS.items() as it is.",
    rtol=1e-6,
    atol=1e-9,
    hints=[
        "Loop over PRESETS.items(): each item is a name and a dictionary of settings. Run "
        "scenario(**settings) for each and keep one dictionary per preset.",
        "Each dictionary needs the six keys: 'preset' (the name), the four indicators "
        "read with result.value(...), and 'split_at_top' (the result's attribute "
        "result.split_at_top). Collect them in a list.",
        "Fill in the blanks: rows = []; for name, settings in PRESETS.items(): r = "
        "scenario(**settings); rows.append({'preset': name, 'senior_defection': r.value(...),"
        " 'senior_softliners': ..., 'elite_split': ..., 'rank_and_file_out': ..., 'split_at_top': "
        "r....}); then "
        "preset_outputs = pd.DataFrame(rows).",
    ],
    solution=(
        "rows = []\n"
        "for name, settings in PRESETS.items():\n"
        "    result = scenario(**settings)\n"
        "    rows.append({\n"
        '        "preset": name,\n'
        '        "senior_defection": result.value("senior_defection"),\n'
        '        "senior_softliners": result.value("senior_softliners"),\n'
        '        "elite_split": result.value("elite_split"),\n'
        '        "rank_and_file_out": result.value("rank_and_file_out"),\n'
        '        "split_at_top": result.split_at_top,\n'
        "    })\n"
        "preset_outputs = pd.DataFrame(rows)"
    ),
    mistakes=[
        (
            _table_in_percent,
            "The shares look like percentages: keep them between 0 and 1, as .value() "
            "returns them.",
        ),
        (
            lambda: _table("mass_defection"),
            "Your 'split_at_top' column holds the MASS defection verdict "
            "(result.mass_defection); use result.split_at_top.",
        ),
    ],
)

q4 = SetQuestion(
    "q4",
    variable="split_presets",
    prompt="The presets whose verdict is a split at the top",
    expected=_split_presets,
    hints=[
        "Use your table from q3: keep the rows where the column 'split_at_top' is True.",
        "preset_outputs[preset_outputs['split_at_top']] keeps those rows; then take the "
        "'preset' column.",
        "Fill in the blanks: split_presets = list(preset_outputs.loc[preset_outputs[...], "
        "...])",
    ],
    solution=(
        'split_presets = list(preset_outputs.loc[preset_outputs["split_at_top"], "preset"])'
    ),
    mistakes=[
        (
            lambda: _split_presets("mass_defection"),
            "Those are the presets with MASS defection of the rank and file; a split at the "
            "top is about senior officers.",
        ),
        (
            _either_condition_presets,
            "You kept presets where many senior officers would leave one by one or many are "
            "cut out of the spoils; a split at the top needs the top to break with the ruler: "
            "a palace coup, a negotiated exit, orders refused, or the excluded faction "
            "breaking away together (result.outcomes lists them; result.split_at_top is True "
            "when there is at least one).",
        ),
    ],
)

q5 = ChartQuestion(
    "q5",
    variable="senior_chart",
    prompt="Horizontal bars: senior_defection (x, :Q) for each preset (y, :N), with axis "
    "titles and a tooltip",
    mark="bar",
    encodings={"x": "senior_defection:Q", "y": "preset:N"},
    fields=["preset", "senior_defection"],
    data=_table,
    data_hint="your table `preset_outputs` (one row per preset)",
    titles=("x", "y"),
    tooltip=True,
    hints=[
        "Start from your table `preset_outputs`: alt.Chart(preset_outputs).mark_bar().",
        "Horizontal bars put the number on x and the category on y: x is "
        "'senior_defection' (quantitative, :Q), y is 'preset' (nominal, :N).",
        "Fill in the blanks: "
        "alt.Chart(preset_outputs).mark_bar().encode(x=alt.X('senior_defection:Q', "
        "title=...), y=alt.Y(..., title=...), tooltip=[...])",
    ],
    solution=(
        "senior_chart = (\n"
        "    alt.Chart(preset_outputs)\n"
        "    .mark_bar()\n"
        "    .encode(\n"
        '        x=alt.X("senior_defection:Q", title="Senior officers who would defect",\n'
        '                axis=alt.Axis(format="%")),\n'
        '        y=alt.Y("preset:N", title="Preset", sort="-x"),\n'
        '        tooltip=["preset:N", alt.Tooltip("senior_defection:Q", format=".1%")],\n'
        "    )\n"
        '    .properties(title="Senior defection in the six presets (illustration, not a '
        'forecast)")\n'
        ")"
    ),
)

q6 = NumberQuestion(
    "q6",
    variable="record_share_2021",
    prompt="Share of the army that had defected by late 2021: row dc007 / low end of row fs03",
    expected=_record_share,
    decimals=4,
    hints=[
        "Pick each row by its id with a boolean mask, e.g. "
        "counts[counts['count_id'] == 'dc007'].",
        "You need two numbers: the 'value' of dc007 (defectors) and the 'low' of fs03 "
        "(the smaller estimate of the army). A share is part / whole.",
        "Fill in the blanks: defectors = float(counts.loc[counts['count_id'] == ..., "
        "'value'].iloc[0]); army = float(strength.loc[strength['estimate_id'] == ..., "
        "...].iloc[0]); then record_share_2021 = ... / ...",
    ],
    solution=(
        'defectors = float(counts.loc[counts["count_id"] == "dc007", "value"].iloc[0])\n'
        'army = float(strength.loc[strength["estimate_id"] == "fs03", "low"].iloc[0])\n'
        "record_share_2021 = defectors / army"
    ),
    mistakes=[
        (
            lambda: _record_share("high"),
            "You used the HIGH end of the estimate; the task asks for the low end (column "
            "'low').",
        ),
        (
            _record_share_usip,
            "You used the 2023 USIP estimate (fs07); the task asks for Kyed & Ah Lynn's "
            "2021 estimate, row fs03.",
        ),
        (
            lambda: 1 / _record_share(),
            "You divided the army by the defectors; a share is defectors / army.",
        ),
    ],
)

q7 = NumberQuestion(
    "q7",
    variable="smallest_incentives",
    prompt="Smallest incentives among the options at which the excluded faction breaks away "
    "together ('faction exit' in result.outcomes), other settings at 'Economic collapse'",
    expected=_smallest_setting,
    options=SENSITIVITY_OPTIONS,
    recheck=(
        "run the scenario for each value in the list (other settings at 'Economic collapse') "
        "and look for 'faction exit' in result.outcomes; the question asks for the smallest "
        "value at which it appears."
    ),
    hints=[
        "Copy the preset's settings and change only 'incentives': "
        "scenario(**{**PRESETS['Economic collapse'], 'incentives': 0.6}).",
        "Loop over the options in increasing order; for each, run the scenario and test "
        "'faction exit' in result.outcomes (True or False). Keep the options where it is True.",
        "Fill in the blanks: turns_on = [x for x in [0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0] if "
        "'faction exit' in scenario(**{**PRESETS['Economic collapse'], 'incentives': ...})"
        ".outcomes]; then "
        "smallest_incentives = ...(turns_on).",
    ],
    solution=(
        "options = [0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]\n"
        "turns_on = []\n"
        "for x in options:\n"
        '    settings = {**PRESETS["Economic collapse"], "incentives": x}\n'
        '    if "faction exit" in scenario(**settings).outcomes:\n'
        "        turns_on.append(x)\n"
        "smallest_incentives = min(turns_on)"
    ),
    mistakes=[
        (
            lambda: float(max(SENSITIVITY_OPTIONS)),
            "That value turns the split on, but it is not the SMALLEST option that does.",
        ),
        (
            _option_below,
            "At that value the excluded faction does not yet break away: 'faction exit' is "
            "not in result.outcomes there.",
        ),
        (
            lambda: _smallest_setting("split_at_top"),
            "That is where the top first breaks with the ruler in any way (here the rank and "
            "file leave en masse and the commanders refuse orders); the question asks when the "
            "excluded faction breaks away together ('faction exit' in result.outcomes).",
        ),
    ],
)

q8 = ChoiceQuestion(
    "q8",
    variable="answer_q8",
    prompt="What does the sensitivity run of q7 show, and what does it not show?",
    options={
        "a": "It shows that the opposition must raise its incentives to about the value you "
        "found before senior officers break away, so donors and exile groups know how "
        "much support to offer defectors, how soon it starts to pay off, and when to "
        "stop.",
        "b": "It shows how far one setting must move, inside this model with its invented "
        "weights and conventions (half the senior tier cut out, a quarter willing to go),"
        " before the excluded faction breaks away; it measures no real tipping point.",
        "c": "It proves that incentives matter more than repression or battlefield losses for "
        "ending the dictatorship, since changing the incentives alone was enough to turn "
        "the split at the top on in the model's runs.",
        "d": "Nothing at all: the model draws random numbers, so another run would give "
        "another answer.",
    },
    expected="b",
    feedback={
        "a": "The 0-1 settings are not money or any measured quantity, and the weights and "
        "thresholds were chosen for teaching: the model cannot tell anyone how much to do.",
        "c": "You moved only one setting; to compare settings you would have to move the "
        "others too, and even then the answer would come from invented weights.",
        "d": "The model is seeded: the same settings always give the same result.",
    },
    hints=[
        "Read the docstring of the scenario module: help(scenario) or the lesson's section 2. "
        "Where do its constants and thresholds come from?",
        "Run the q7 options twice: do the results change? Then run the scratch cell: what "
        "happens to the verdict if a fifth of the excluded faction, instead of a quarter, "
        "is enough to carry the rest (bloc_threshold=0.2)?",
    ],
    solution=(
        "# one option below your q7 answer, with a lower bar for acting together\n"
        'trial = {**PRESETS["Economic collapse"], "incentives": 0.6}\n'
        'print("faction exit" in scenario(**trial).outcomes)                      # False\n'
        'print("faction exit" in scenario(**trial, bloc_threshold=0.2).outcomes)  # True\n'
        "# the convention decides\n"
        'answer_q8 = "b"'
    ),
)

q9 = ChoiceQuestion(
    "q9",
    variable="answer_q9",
    prompt="Which row of the course data, if independent sources confirmed more about it, "
    "would most change the verdict 'no split at the top'?",
    options={
        "a": "dc024 and dc025: the NUG's two totals of soldiers and police who joined the CDM "
        "(about 20,000 in May 2023, about 15,000 in September 2023).",
        "b": "ev045: the mass surrender at Laukkai, six brigadier generals among the soldiers.",
        "c": "ev026: the North Western commander removed amid rumours that he planned to "
        "defect.",
        "d": "dc052: the 56 conscripts a defector group counted as defecting in the first nine "
        "months of 2025.",
        "e": "fs07: the USIP estimate that the army had shrunk to about 150,000 personnel.",
    },
    expected="c",
    feedback={
        "a": "Settling which NUG total is right would tell us about the rank and file, not "
        "about the senior officers on whom the verdict turns.",
        "b": "The generals gave up in a lost battle, were then detained by their own side, and "
        "the deal was reportedly approved in advance by the commander-in-chief (ev071): a "
        "surrender, not a faction crossing over.",
        "d": "Conscripts are the bottom of the army; even many more of them would feed the "
        "cascade, not the split at the top.",
        "e": "A smaller army changes the weight of every count and the battlefield, but says "
        "nothing about whether its commanders would turn.",
    },
    hints=[
        "The verdict 'split at the top' rests on what SENIOR officers do (a coup, a "
        "negotiated exit, refused orders, a faction leaving). Which rows are about senior "
        "officers choosing a side?",
        "Of the rows about senior officers, which one describes a choice to change sides "
        "rather than a defeat? Read ev071 too.",
    ],
    solution=(
        'rows = events[events["event_id"].isin(["ev026", "ev045", "ev071"])]\n'
        'print(rows[["event_id", "title", "description"]].to_string())\n'
        'answer_q9 = "c"'
    ),
)

#: q10: the coup path on the 2025 preset (purge options the task names).
COUP_PRESET = "2025: ceasefires and the election"
COUP_PURGES = (0.4, 1.0)


def _coup_run(purge: float):
    return _run(COUP_PRESET, purge=float(purge))


q10 = ChoiceQuestion(
    "q10",
    variable="answer_q10",
    prompt="From the 2025 preset, a purge of 0.4 ends in a palace coup and a purge of 1.0 "
    "does not. Which explanation fits the model?",
    options={
        "a": "The larger purge makes more losers, so the coup bloc ought to be larger under "
        "1.0 than under 0.4; the result shows that the model contradicts itself.",
        "b": "A partial purge leaves threatened commanders in post, able to remove the ruler "
        "with almost no one leaving below; a sweeping purge removes them, and the purged "
        "have no troops.",
        "c": "The coup happens because the rank and file leave in large numbers after the "
        "purge, and the commanders, left with too few troops to command, follow them out "
        "and turn on the ruler.",
        "d": "A purge shrinks the pool of rents the officers share, and the palace coup comes "
        "from the economic collapse that follows once the pool has shrunk far enough.",
    },
    expected="b",
    feedback={
        "a": "Run both and read coup_bloc: the purged count as losers (senior_softliners "
        "grows) but not in the coup bloc, because they have lost their commands.",
        "c": "Read rank_and_file_out for the purge of 0.4: almost nobody in the ranks has "
        "left. In the model a coup needs no defection from below.",
        "d": "The purge leaves the pool as it was (the faction takes over the purged rents), "
        "and officers cut out by a shrinking pool alone are not counted in the coup bloc.",
    },
    hints=[
        "Run scenario(**{**PRESETS['2025: ceasefires and the election'], 'purge': 0.4}) and "
        "then with 1.0; compare value('coup_bloc'), value('senior_softliners') and "
        "value('rank_and_file_out').",
        "Who counts in the coup bloc? Read section 2 of lesson 5: the purged are losers of the "
        "share-out, but they have no troops.",
    ],
    solution=(
        'base = PRESETS["2025: ceasefires and the election"]\n'
        "for purge in (0.4, 1.0):\n"
        '    r = scenario(**{**base, "purge": purge})\n'
        '    print(purge, r.top_outcome, round(r.value("coup_bloc"), 2),\n'
        '          round(r.value("senior_softliners"), 2),\n'
        '          round(r.value("rank_and_file_out"), 2))\n'
        'answer_q10 = "b"'
    ),
)

W1_MODEL = """\
**To:** National Unity Government, Ministry of Defence. **Subject:** Can defections end \
military rule, and what would it take?

1. **Bottom line.** Defections weaken the army but have not divided it. Past regimes fell when \
senior officers broke away [@lee_mccarthy_2023]; in Myanmar no senior commander has publicly \
done so. Make \
the senior tier the target, and keep the rank-and-file programme funded.
2. **What the record shows.** About 2,000 soldiers had defected by late 2021, out of an army \
then put at 300,000 or more [@kyed_lynn_2021]. After Operation 1027 more than 6,000 gave up in \
about six months, whole battalions among them, and about 4,000 soldiers and 10,000 police had \
registered with the NUG [@kyed_2024]. Nonviolent campaigns in the NAVCO data that saw security-force defections \
succeeded more often (an odds ratio near 3.9): a correlation, not proof of cause \
[@navco_2019].
3. **Why the top holds.** Senior officers have the most to lose from the military's businesses \
and face the harshest punishment [@kyed_lynn_2021; @lee_mccarthy_2023]. The Laukkai generals \
were detained by their own side and reportedly sentenced, which the army denied \
[@irrawaddy_2024_generals; @afp_2024_generals]. China supervised the return of Lashio, and the \
regime has new conscripts and an election to point to [@mizzima_2025_lashio; \
@irrawaddy_2024_conscription; @ap_2026_election].
4. **Recommendations.** (a) Publish credible guarantees: amnesty rules, posts, livelihoods and \
a transitional-justice framework, which Kyed and Ah Lynn expect to draw defectors \
[@kyed_lynn_2021]. (b) Fund vetting and shelter with the armed groups: host organisations \
lack the money to take in those who come over [@kyed_2024]. (c) Reconcile our own counts, which contradict each other \
[@thanlwin_2023_may; @thanlwin_2023_sep], and publish how they are made.
5. **Model illustration.** In the course's scenario explorer, only the hypothetical \
"Everything at once" preset (incentives 0.8, economic pressure 0.9, losses 0.8, repression \
0.5, absorption 0.8) gives a split at the top; it shows which links matter, and predicts \
nothing.
6. **Watch for.** A commander crossing over with his troops, purges after the election, unpaid \
officers, and any change in China's stance.
"""

W2_MODEL = """\
My position: defections can end military rule, but only if they reach the senior officer \
corps. The strongest case against it is that they will not, and that even a split might not \
end the dictatorship. First, the regime's own case: it justified the coup with claims of \
electoral fraud and corruption against the elected government [@lee_mccarthy_2023], treats \
defection as a crime worse than desertion [@kyed_lynn_2021], offers a pardon to deserters who \
come back [@thanlwin_2023_dec], and now points to an election its allied party says it won \
[@ap_2026_election]. It refills its ranks by conscription [@irrawaddy_2024_conscription], and \
the army closed ranks after earlier crises [@lee_mccarthy_2023]. Second, critics of the \
resistance: the NUG's own totals of defectors contradict each other [@thanlwin_2023_may; \
@thanlwin_2023_sep]; The Diplomat reported that the NUG's defence ministry found some local \
armed groups to exist only on Facebook or to be military fronts, and quoted a Yangon teacher \
who said PDF fighters kill civilians who disagree with them [@bociaga_2021]. If the opposition \
cannot offer credible justice and safety, senior officers have little reason to trust it. \
Third, outsiders: China pressed armed groups into ceasefires and oversaw the return of Lashio \
[@irrawaddy_2025_mndaa_ceasefire; @mizzima_2025_lashio], so a split could be contained by \
foreign pressure, or produce a new military strongman rather than civilian rule. What would \
change my mind? If years pass after the election with no senior break, while conscripts stay \
and loyal commanders receive new rents, I would conclude that defections cannot end the regime \
on their own. If a regional commander changed sides with his troops, confirmed by independent \
reporting, or officers went unpaid, or China stopped brokering truces that favour the army, I \
would grow more confident.
"""

w1 = WrittenQuestion(
    "w1",
    prompt="A 300-400 word policy memo outline for the NUG, ASEAN or a defector group: could "
    "defections end the dictatorship, and what would it take?",
    rubric=(
        "5 pts. 1: names one audience (NUG, ASEAN or a defector group) and gives a clear "
        "bottom line that answers the course question for THAT audience. 1: uses the record "
        "accurately (defections by rank, surrenders after Operation 1027, no split at the "
        "top), with contested figures attributed to who claimed them. 1: at least four "
        "citations by source key from data/sources.csv, at least two of them core readings "
        "(lee_mccarthy_2023, kyed_lynn_2021, kyed_2024, bociaga_2021, irrawaddy_2021). 1: "
        "recommendations the audience can actually act on, and what to watch for. 1: uses "
        "the scenario explorer, if at all, as an illustration with its settings, never as a "
        "forecast; 300-400 words in an outline a busy reader can follow."
    ),
    model_answer=W1_MODEL,
    hints=[
        "A strong memo names ONE audience (the NUG, ASEAN or a defector group) and opens with"
        " a bottom line that answers the course question for that audience. It uses the "
        "record accurately (defections by rank, surrenders after Operation 1027, no split at "
        "the top) and attributes contested figures to whoever claimed them.",
        "Then give recommendations that audience can act on and what to watch for, with at "
        "least four citations by source key (two of them core readings). If you use the "
        "scenario explorer, give its settings and treat it as an illustration, never a "
        "forecast. Keep to 300-400 words in an outline a busy reader can follow.",
    ],
    points=5,
    min_words=100,
)

w2 = WrittenQuestion(
    "w2",
    prompt="The strongest argument against your own position, including the junta's stated "
    "case or critics of the resistance, and what evidence would change your mind",
    rubric=(
        "4 pts. 1: states the writer's own position in one sentence and then argues against "
        "it in good faith (the strongest version, not a caricature). 1: presents the junta's "
        "stated case and/or critics of the resistance accurately, with sources. 1: at least "
        "one further point against (control, conscription, China, the election, thin "
        "support, or a split producing a new strongman). 1: names specific, checkable "
        "evidence that would change the writer's mind, in both directions if possible, and "
        "says who could produce it."
    ),
    model_answer=W2_MODEL,
    hints=[
        "A strong answer states your own position in one sentence and then argues against it "
        "in good faith: the strongest version of the other side, including the junta's stated"
        " case or critics of the resistance, accurately and with sources.",
        "Add at least one further point against you (control, conscription, China, the "
        "election, thin support, a split that produces a new strongman), and name specific, "
        "checkable evidence that would change your mind, in both directions if you can, and "
        "who could produce it.",
    ],
    points=4,
    min_words=60,
)

QUESTIONS = register(q1, q2, q3, q4, q5, q6, q7, q8, q9, q10, w1, w2, lesson=LESSON)
