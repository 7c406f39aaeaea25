"""Scenario explorer: the course's four teaching models chained into one "what would it take?".

It feeds nine scenario settings into the four models of lessons 1-4 (``cascade``,
``spoils``, ``calculus``, ``absorption``, with their sources: ``lee_mccarthy_2023``,
``kyed_lynn_2021``, ``kyed_2024``, ``granovetter_1978``), adds one step of its own, what
the top does as a body (``models.scenario_top``, after ``svolik_2012``,
``geddes_wright_frantz_2018``, ``odonnell_schmitter_1986``, ``lee_2014`` and
``barany_2016``), and reports eight indicators, each beside a stated threshold and with
its own caveat. It illustrates how the arguments of the course fit together; it
forecasts nothing about Myanmar.

Where it departs from the literature: the sources describe coups, pacts and refusals as
bargains among named people under uncertainty; here each is one number crossing an
invented threshold, and the chain runs once, with no bargaining, no timing and no
feedback.

Settings (all between 0 and 1)
------------------------------
incentives
    What the opposition offers a soldier who leaves: help to escape, allowances, rewards,
    and credible guarantees of position, livelihood and amnesty (Kyed & Ah Lynn 2021;
    Lee & McCarthy 2023 on concessions to softliners).
economic_pressure
    Boycotts of military businesses, foreign exits and sanctions (Lee & McCarthy 2023).
battlefield_losses
    How badly the army is losing: it lowers the regime's expected survival and sets the
    size of the wave of surrenders (Kyed 2024, after Operation 1027).
repression
    Punishment of defectors and threats to their families, surveillance and confinement
    (Kyed & Ah Lynn 2021).
absorption
    The resistance's capacity and funding to vet, shelter and support those who come over
    (Kyed 2024 calls this a major difficulty because outside money is scarce).
purge
    How far the ruling faction removes senior and other officers outside it (Lee &
    McCarthy 2023, after Lee 2014: broken sharing rules make "losers"). Default 0.
capture
    How much more than its old share the ruling faction takes. Default 0.
war_rents
    New rents of the war economy (conscription-exemption fees, checkpoint levies,
    licences, jade, rare earths, scam-centre protection); half are steered straight to
    senior commanders (``SPOILS_STEER``). Default 0.
patrons
    Foreign patrons' support for the regime: arms, aircraft, jet fuel, diplomatic cover.
    Default 0.5, the level the first five settings were calibrated at.

The chain, step by step (every constant below is invented for teaching, not estimated)
-------------------------------------------------------------------------------------
1. **Expected regime survival** (shared by everyone)::

       survival = clip(0.75 + 0.2 * patrons - 0.5 * battlefield_losses
                       - 0.2 * economic_pressure, 0.05, 0.95)

   Idea: Kyed & Ah Lynn (2021) expect pragmatic soldiers to leave if the resistance looks
   able to win; foreign patrons make a regime harder to beat. At 2021-like settings
   (losses 0.1, pressure 0.5, patrons 0.5) this gives 0.70, the default of
   ``models.calculus``.
2. **Spoils** (``models.spoils.simulate_spoils``): boycott = sanctions =
   ``economic_pressure``; ``purge``, ``capture`` and ``war_rents`` as set (steering
   ``SPOILS_STEER`` = 0.5); reserves, repression spending (0.1), the top's protection
   (0.8) and the horizon (12 quarters) stay at the lesson-2 defaults. So a split can come
   from broken sharing rules with no economic collapse at all, as lesson 2 reads Lee.
   Outputs after the last period: the share of *senior* officers cut out (softliners,
   the purged among them), each tier's rent as a share of its pre-coup entitlement, the
   rent left to the senior officers who are cut out, and, for step 6, the senior officers
   cut out but still in post and the outsiders still paid.
3. **Calculus** (``models.calculus.calculus``): punishment risk = family risk =
   ``repression``; exit support = ``incentives``; moral cost stays at 0.5; expected
   survival from step 1; stakes and penalties grow with rank (the calculus's default
   assumption). The economic stake shrinks with the spoils: senior officers' stake is
   scaled by the senior tier's remaining rent (step 2), everyone else's by the rent left
   to all officers. Outputs: the share of each rank that would leave *one by one*, and
   the share of the *excluded* senior officers (those cut out in step 2) who would leave,
   with their stake scaled by their own, smaller rent and their capture risk lowered by
   the share of the senior tier moving with them (safety in numbers).
3b. **Elite split** (``elite_split_step``): Lee & McCarthy (2023) distinguish officers
   leaving one at a time from a split in the elite, a faction breaking away together; in
   their cases rulers fell after the second. Here the excluded senior officers are the
   faction that could split. It acts as one when at least ``BLOC_THRESHOLD`` (25 %) of its
   members would leave on their own reckoning; then the whole faction goes. Otherwise
   there is no split, however many seniors slip away individually.
4. **Cascade** (the two-rank threshold model of ``models.cascade``, with its own seeded
   draws): the threshold mean comes from ``cascade.mean_threshold`` with repression =
   ``repression``, incentives = ``incentives`` and exit options = ``absorption``
   (somewhere to go). The rank-and-file share from step 3 and the officers who leave
   (junior officers one by one; senior officers one by one or as a faction) start the
   cascade as first movers; an officer's exit counts as ``CASCADE_OFFICER_WEIGHT`` (3)
   soldiers' for the others. So the chain can tip top-down (an elite split or officers
   leaving first) or bottom-up (mass desertion); ``ScenarioResult.cascade_led_by`` says
   which. Output: the final share of the rank and file out.
5. **Absorption** (``models.absorption.absorption``): a six-month wave of
   ``2,000 * battlefield_losses`` surrenders a month (losses 0.5 gives about 1,000 a
   month, the pace Kyed 2024 reports after Operation 1027), followed for 24 months in all.
   Vetting capacity = ``100 + 1,900 * absorption`` cases a month (100 is roughly the pace
   at which the NUG registered soldiers before 2024), funded places =
   ``1,000 + 11,000 * absorption``. Outputs: surrendered, registered, still waiting, and
   the outflows: released, handed over in exchanges, held as prisoners (at the absorption
   model's default shares), and lost (went back to the army, left or dropped out of reach).
6. **The top acts as a body** (``models.scenario_top``, which gives the sources): a
   **palace coup** when aggrieved commanders still in post reach ``COUP_THRESHOLD`` (10 %)
   of the senior tier; a **negotiated extrication** when ``(1 - survival) * incentives``
   reaches ``EXTRICATION_THRESHOLD`` (0.5); **orders refused** when
   ``rank_and_file_out * (1 - survival)`` reaches ``REFUSAL_THRESHOLD`` (0.6).

Indicators and the verdict
--------------------------
* ``senior_defection`` (calculus, senior officers leaving one by one) against
  ``SENIOR_THRESHOLD`` = 25 %: shown for comparison, it does not decide the verdict;
* ``senior_softliners`` (spoils, senior tier cut out) against ``SOFTLINER_THRESHOLD`` = 50 %;
* ``elite_split`` (step 3b, senior officers breaking away together: the faction exit)
  against the same 50 %;
* ``coup_bloc``, ``extrication`` and ``orders_refused`` (step 6) against their thresholds;
* ``rank_and_file_out`` (cascade) against ``cascade.MAJORITY`` = 50 %;
* ``surrenderers_kept`` (absorption: registered or still waiting to be vetted, so not
  released, exchanged, held as prisoners or lost) against ``KEPT_THRESHOLD`` = 60 %
  (at the absorption model's default shares, 30 % of surrenders never reach the
  resistance's pipeline, so more than 70 % cannot be kept).

**"Split at the top?"** is *yes* when the top breaks with the ruler in any of four ways:
a palace coup, a negotiated extrication, orders refused, or a faction exit (at least half
the senior tier cut out of the spoils *and* acting together). Many seniors leaving one by
one is not a split. This follows Lee & McCarthy (2023, ``lee_mccarthy_2023``): in the
cases they compare, rulers fell after a part of the elite broke with them. The thresholds
are a stated convention for discussion, not findings; move them (keyword arguments or the
constants) and the verdict moves.

What the chain ignores (on purpose, to stay readable)
-----------------------------------------------------
China's pressure on armed groups and its brokered ceasefires; the politics of the ethnic
armed organisations and their own interests; the junta's election and the legitimacy it
seeks; foreign funding and arms for the resistance, and patrons' money in the regime's
budget (patrons act on survival only); conscription refilling the ranks; the
regime adapting its policy in response; feedback loops (defections weakening the army and
so raising losses); and every difference between units, regions and years. Each model
keeps its own assumptions (see their docstrings).

Guarantees the unit tests check: shares stay in [0, 1]; more incentives never lower
senior defection; more repression never raises it; more absorption never increases the
number lost; the elite split is either zero or the whole excluded faction, and many
senior officers leaving one by one never make a split; a purge or capture can produce a
split with no economic pressure at all, and a palace coup with almost no rank-and-file
defection; a sweeping purge leaves too few aggrieved commanders for a coup; war rents
never enlarge the excluded faction; stronger patrons never raise the pressure to
extricate or refuse; the chain's cascade can be set off from the top or from the bottom;
the same inputs (and seed) always give the same result.

>>> r = scenario(**PRESETS["2021 as it was"])
>>> r.split_at_top
False
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from defection.models import calculus as _calculus
from defection.models import cascade as _cascade
from defection.models import scenario_top as _top
from defection.models.scenario_presets import PRESET_NOTES, PRESETS
from defection.models.scenario_result import CAVEATS, IGNORES, LABELS, MODELS, ScenarioResult
from defection.models.scenario_steps import (  # noqa: F401  (re-exported for callers)
    BLOC_THRESHOLD,
    CALCULUS_UNIT,
    CAPACITY_BASE,
    CAPACITY_RANGE,
    CASCADE_OFFICER_WEIGHT,
    CASCADE_POPULATION,
    CASCADE_SPREAD,
    FUNDING_BASE,
    FUNDING_RANGE,
    HORIZON,
    MAX_INFLOW,
    MORAL_COST,
    SPOILS_OFFICERS,
    SPOILS_PERIODS,
    SPOILS_PROTECTION,
    SPOILS_RESERVES,
    SPOILS_REPRESSION,
    SPOILS_STEER,
    SURVIVAL_BASE,
    SURVIVAL_LOSSES,
    SURVIVAL_PATRONS,
    SURVIVAL_PRESSURE,
    VETTING_SPEED,
    WAVE_MONTHS,
    _cascade_from,
    absorption_step,
    elite_split_step,
    expected_survival,
    spoils_step,
)
from defection.models.scenario_top import (  # noqa: F401  (re-exported for callers)
    COUP_THRESHOLD,
    EXTRICATION_THRESHOLD,
    HOLDS,
    OUTCOMES,
    REFUSAL_THRESHOLD,
)

__all__ = [
    "SETTINGS",
    "PRESSURES",
    "REGIME_SETTINGS",
    "DEFAULTS",
    "PRESETS",
    "PRESET_NOTES",
    "SENIOR_THRESHOLD",
    "SOFTLINER_THRESHOLD",
    "KEPT_THRESHOLD",
    "BLOC_THRESHOLD",
    "COUP_THRESHOLD",
    "EXTRICATION_THRESHOLD",
    "REFUSAL_THRESHOLD",
    "OUTCOMES",
    "CASCADE_OFFICER_WEIGHT",
    "elite_split_step",
    "CAVEATS",
    "IGNORES",
    "ScenarioResult",
    "expected_survival",
    "spoils_step",
    "absorption_step",
    "scenario",
    "preset_table",
    "preset_report",
    "top_paths",
]

#: The five pressures on the army (from outside and below), in the panel's order.
PRESSURES: tuple[str, ...] = (
    "incentives",
    "economic_pressure",
    "battlefield_losses",
    "repression",
    "absorption",
)
#: The four settings of the regime's own politics and backers (added with the coup path).
REGIME_SETTINGS: tuple[str, ...] = ("purge", "capture", "war_rents", "patrons")
#: All nine scenario settings, in the order the panel shows them.
SETTINGS: tuple[str, ...] = PRESSURES + REGIME_SETTINGS
#: Defaults of the four regime settings: the old rules hold, no war rents, patrons as in 2021.
DEFAULTS: dict[str, float] = {"purge": 0.0, "capture": 0.0, "war_rents": 0.0, "patrons": 0.5}

#: Thresholds of the verdict (conventions for discussion, not findings).
SENIOR_THRESHOLD = 0.25
SOFTLINER_THRESHOLD = 0.50
KEPT_THRESHOLD = 0.60

# the indicator that decides each way the top can break with the ruler
_DECIDES = {
    "palace coup": "coup_bloc",
    "negotiated extrication": "extrication",
    "orders refused": "orders_refused",
    "faction exit": "elite_split",
}


def _check(name: str, value: float) -> float:
    value = float(value)
    if not 0.0 <= value <= 1.0:  # also rejects NaN
        raise ValueError(f"{name} must be between 0 and 1, got {value}")
    return value


def scenario(
    incentives: float = 0.3,
    economic_pressure: float = 0.5,
    battlefield_losses: float = 0.1,
    repression: float = 0.7,
    absorption: float = 0.1,
    purge: float = 0.0,
    capture: float = 0.0,
    war_rents: float = 0.0,
    patrons: float = 0.5,
    *,
    senior_threshold: float = SENIOR_THRESHOLD,
    softliner_threshold: float = SOFTLINER_THRESHOLD,
    kept_threshold: float = KEPT_THRESHOLD,
    bloc_threshold: float = BLOC_THRESHOLD,
    coup_threshold: float = COUP_THRESHOLD,
    seed: int = 2021,
) -> ScenarioResult:
    """Run the six steps described in the module docstring and return the indicators.

    All nine settings run from 0 to 1; the defaults are the "2021 as it was" preset.

    >>> r = scenario(incentives=0.8, absorption=0.8, battlefield_losses=0.6)
    >>> 0.0 <= r.value("senior_defection") <= 1.0
    True
    """
    x = _check("incentives", incentives)
    p = _check("economic_pressure", economic_pressure)
    b = _check("battlefield_losses", battlefield_losses)
    r = _check("repression", repression)
    a = _check("absorption", absorption)
    purge = _check("purge", purge)
    capture = _check("capture", capture)
    war = _check("war_rents", war_rents)
    patrons = _check("patrons", patrons)
    thresholds = {
        "senior_defection": _check("senior_threshold", senior_threshold),
        "senior_softliners": _check("softliner_threshold", softliner_threshold),
        "elite_split": _check("softliner_threshold", softliner_threshold),
        "coup_bloc": _check("coup_threshold", coup_threshold),
        "extrication": EXTRICATION_THRESHOLD,
        "orders_refused": REFUSAL_THRESHOLD,
        "rank_and_file_out": float(_cascade.MAJORITY),
        "surrenderers_kept": _check("kept_threshold", kept_threshold),
    }
    seed = int(seed)

    # 1. expected survival, shared by every soldier; foreign patrons raise it
    survival = expected_survival(b, p, patrons)

    # 2. spoils: who is cut out (by shrinking rents or broken rules), what is left to them
    link = spoils_step(p, seed, purge, capture, war)
    senior_soft = link.softliners

    # 3. calculus: senior officers' stake scaled by their own rents, everyone else's by
    #    the rents left to all officers
    common = dict(
        punishment_risk=r, family_risk=r, exit_support=x, moral_cost=MORAL_COST,
        regime_survival=survival, n=CALCULUS_UNIT, seed=seed,
        survival_weighted=False,  # models-b: keeps the chain's numbers until it adopts it
    )
    prob = _calculus.defection_probability(**common, stake_scale=link.officer_rent)
    prob_top = _calculus.defection_probability(**common, stake_scale=link.senior_rent)
    # a faction that moves together is harder to punish: capture risk falls with the
    # share of the senior tier that would move with it (safety in numbers)
    prob_excluded = _calculus.defection_probability(
        **{**common, "punishment_risk": r * (1.0 - senior_soft)},
        stake_scale=link.excluded_rent,
    )
    rank = _calculus._unit(CALCULUS_UNIT, seed)[0]
    top = len(_calculus.RANKS) - 1
    prob = np.where(rank == top, prob_top, prob)
    soldiers = np.bincount(rank, minlength=top + 1)
    shares = np.bincount(rank, weights=prob, minlength=top + 1) / np.maximum(soldiers, 1)
    low = rank <= 1  # privates and sergeants
    rank_and_file = float(prob[low].mean())
    faction_willing = float(prob_excluded[rank == top].mean())

    # 3b. faction exit: the excluded senior faction leaves together, or not at all
    split = elite_split_step(senior_soft, faction_willing,
                             _check("bloc_threshold", bloc_threshold))

    # 4. cascade with two ranks: the rank and file's own defectors move first, and so do
    #    officers (junior officers one by one, senior ones one by one or as a faction)
    officers = rank >= 2
    senior_out = max(float(shares[top]), split)
    officer_first = float(
        (prob[rank == 2].sum() + senior_out * soldiers[top]) / max(officers.sum(), 1)
    )
    mean = _cascade.mean_threshold(r, x, a)
    run = _cascade_from(rank_and_file, officer_first, mean, seed)
    out = run.rank_and_file_out

    # 5. absorption of a wave of surrenders
    absorbed = dict(absorption_step(b, a))
    kept = absorbed["share_kept"]

    # 6. the top as a body: coup, extrication, refusal
    bloc = _top.coup_bloc(link.aggrieved_in_post, link.outsiders_in_post_paid, purge)
    extricate = _top.extrication_pressure(survival, x)
    refuse = _top.refusal_pressure(survival, out)

    values = {
        "senior_defection": float(shares[top]),
        "senior_softliners": senior_soft,
        "elite_split": split,
        "coup_bloc": bloc,
        "extrication": extricate,
        "orders_refused": refuse,
        "rank_and_file_out": out,
        "surrenderers_kept": kept,
    }
    keys = list(LABELS)
    vals = np.clip(np.array([values[k] for k in keys], dtype=float), 0.0, 1.0)
    limits = np.array([thresholds[k] for k in keys])
    met = vals >= limits - 1e-12
    indicators = pd.DataFrame(
        {
            "indicator": keys,
            "label": [LABELS[k] for k in keys],
            "model": [MODELS[k] for k in keys],
            "value": vals,
            "threshold": limits,
            "met": met,
            "caveat": [CAVEATS[k] for k in keys],
        }
    )
    is_met = dict(zip(keys, met.tolist(), strict=True))
    outcomes = _top.top_outcomes({name: is_met[k] for name, k in _DECIDES.items()})
    steps = (
        (1, "expected regime survival", survival, "calculus; extrication; refusal"),
        (1, "foreign patrons' support", patrons, "survival"),
        (2, "senior officers' rent left (share of entitlement)", link.senior_rent,
         "calculus (senior stake)"),
        (2, "all officers' rent left (share of entitlement)", link.officer_rent,
         "calculus (other stakes)"),
        (2, "senior officers cut out (softliners, purged included)", senior_soft,
         "faction exit"),
        (2, "senior officers purged (no command left)", link.purged, "coup bloc (excluded)"),
        (2, "senior officers cut out but still in post", link.aggrieved_in_post,
         "coup bloc"),
        (2, "outsiders in post and paid (may fear they are next)",
         link.outsiders_in_post_paid, "coup bloc (times the purge)"),
        (2, "rent left to the senior officers cut out", link.excluded_rent,
         "calculus (the excluded faction's stake)"),
        (3, "rank-and-file share defecting (calculus)", rank_and_file, "cascade (first movers)"),
        (3, "senior officers leaving one by one (calculus)", float(shares[top]),
         "cascade (first movers)"),
        (3, "excluded senior officers willing to leave (calculus)", faction_willing,
         "faction exit"),
        (3, "senior officers breaking away together (faction exit)", split,
         "verdict; cascade (first movers)"),
        (4, "officers moving first (junior and senior)", officer_first, "cascade"),
        (4, "cascade mean threshold", mean, "cascade"),
        (4, "rank and file out after the cascade", out, "refusal; verdict"),
        (5, "surrenders per month during the wave", MAX_INFLOW * b, "absorption"),
        (5, "vetting capacity (cases a month)", CAPACITY_BASE + CAPACITY_RANGE * a,
         "absorption"),
        (5, "funded support places", FUNDING_BASE + FUNDING_RANGE * a, "absorption"),
        (5, "share of surrendered soldiers lost", absorbed["share_lost"], "kept"),
        (5, "share of surrendered soldiers kept", kept, "verdict"),
        (6, "aggrieved commanders still in post (coup bloc)", bloc, "verdict (palace coup)"),
        (6, "pressure to negotiate an exit", extricate, "verdict (extrication)"),
        (6, "pressure to refuse orders", refuse, "verdict (orders refused)"),
    )
    return ScenarioResult(
        settings=dict(
            incentives=x, economic_pressure=p, battlefield_losses=b, repression=r,
            absorption=a, purge=purge, capture=capture, war_rents=war, patrons=patrons,
        ),
        indicators=indicators,
        absorbed=absorbed,
        split_at_top=bool(outcomes),
        mass_defection=bool(is_met["rank_and_file_out"]),
        thresholds=thresholds,
        rank_shares=tuple(float(v) for v in shares),
        steps=steps,
        cascade_led_by=run.led_by,
        outcomes=outcomes,
    )


def preset_table(
    presets: dict[str, dict[str, float]] | None = None, seed: int = 2021
) -> pd.DataFrame:
    """Every preset run through :func:`scenario`: one row per preset with the indicator
    values, the number lost, the two verdicts (``split_at_top``, ``mass_defection``) and
    ``top_outcome`` (the way the top breaks with the ruler, or "the top holds")."""
    rows = []
    for name, values in (presets or PRESETS).items():
        res = scenario(**values, seed=seed)
        row = {"preset": name}
        row.update(dict(zip(res.indicators["indicator"], res.indicators["value"], strict=True)))
        row["lost"] = res.absorbed["lost"]
        row["split_at_top"] = res.split_at_top
        row["mass_defection"] = res.mass_defection
        row["top_outcome"] = res.top_outcome
        rows.append(row)
    return pd.DataFrame(rows)


def preset_report(presets: dict[str, dict[str, float]] | None = None, seed: int = 2021) -> str:
    """The preset verdicts as a plain-text table (what the lesson prints and checks).

    Columns: senior officers leaving one by one, senior officers cut out of the spoils,
    senior officers breaking away together (faction exit), the coup bloc, the pressures
    to extricate and to refuse orders, rank and file out after the cascade, surrendered
    soldiers kept, mass defection, and what the top does.
    """
    table = preset_table(presets, seed)
    width = max(len(str(p)) for p in table["preset"])
    head = (
        f"{'preset':<{width}}  1-by-1  softl.  exit  coup  extr.  refus.  r&f out  kept  "
        "mass?  the top"
    )
    lines = [head, "-" * len(head)]
    for row in table.itertuples(index=False):
        lines.append(
            f"{row.preset:<{width}}  {row.senior_defection:>6.0%}  {row.senior_softliners:>6.0%}  "
            f"{row.elite_split:>4.0%}  {row.coup_bloc:>4.0%}  {row.extrication:>5.2f}  "
            f"{row.orders_refused:>6.2f}  {row.rank_and_file_out:>7.0%}  "
            f"{row.surrenderers_kept:>4.0%}  {'YES' if row.mass_defection else 'no':>5}  "
            f"{row.top_outcome}"
        )
    lines.append(
        f"thresholds: faction exit {SOFTLINER_THRESHOLD:.0%} of senior officers (a faction "
        f"moves once {BLOC_THRESHOLD:.0%} of it would leave), coup bloc {COUP_THRESHOLD:.0%}, "
        f"extrication {EXTRICATION_THRESHOLD:.2f}, refusal {REFUSAL_THRESHOLD:.2f}, rank and "
        f"file {_cascade.MAJORITY:.0%}, kept {KEPT_THRESHOLD:.0%}; senior officers leaving "
        f"one by one ({SENIOR_THRESHOLD:.0%} mark) do not decide the verdict"
    )
    return "\n".join(lines)


def top_paths(
    base: dict[str, float], purges: tuple[float, ...] = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0),
    captures: tuple[float, ...] = (0.0, 0.25, 0.5, 0.75, 1.0), seed: int = 2021,
) -> pd.DataFrame:
    """What the top does over a grid of purges (rows) and captures (columns).

    ``base`` holds the other settings (a preset, say). Each cell names the first way the
    top breaks with the ruler, or "the top holds": the "what would have to be true?"
    table of lesson 5.
    """
    cells = {
        f"capture {c:.2f}": [
            scenario(**{**base, "purge": pu, "capture": c}, seed=seed).top_outcome
            for pu in purges
        ]
        for c in captures
    }
    return pd.DataFrame(cells, index=pd.Index([f"purge {pu:.1f}" for pu in purges], name=""))
