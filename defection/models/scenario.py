"""Scenario explorer: the course's four teaching models chained into one "what would it take?".

This module adds no new theory (its sources are those of the four models: source keys
``lee_mccarthy_2023``, ``kyed_lynn_2021``, ``kyed_2024``, ``granovetter_1978``). It feeds
five scenario settings into the four models of lessons 1-4 (``cascade``, ``spoils``,
``calculus``, ``absorption``), passes results from one to the next in a fixed, documented
order, and reports five indicators, each beside a stated threshold and with its own
caveat. It illustrates how the arguments of the course fit together; it forecasts nothing
about Myanmar.

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

The chain, step by step (every constant below is invented for teaching, not estimated)
-------------------------------------------------------------------------------------
1. **Expected regime survival** (shared by everyone)::

       survival = clip(0.85 - 0.5 * battlefield_losses - 0.2 * economic_pressure, 0.05, 0.95)

   Idea: Kyed & Ah Lynn (2021) expect pragmatic soldiers to leave if the resistance looks
   able to win. At 2021-like settings (losses 0.1, pressure 0.5) this gives 0.70, the
   default of ``models.calculus``.
2. **Spoils** (``models.spoils.simulate_spoils``): boycott = sanctions =
   ``economic_pressure``; reserves, repression spending (0.1), the top's protection (0.8)
   and the horizon (12 quarters) stay at the lesson-2 defaults, and the sharing rules hold
   (no capture, no purge: a purge is a political event the five settings do not cover;
   lesson 2's panel explores it). Outputs after the last period: the share of *senior*
   officers cut out (softliners), each tier's rent as a share of its pre-coup
   entitlement, and the rent left to the senior officers who are cut out.
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

Indicators and the verdict
--------------------------
* ``senior_defection`` (calculus, senior officers leaving one by one) against
  ``SENIOR_THRESHOLD`` = 25 %: shown for comparison, it does not decide the verdict;
* ``senior_softliners`` (spoils, senior tier cut out) against ``SOFTLINER_THRESHOLD`` = 50 %;
* ``elite_split`` (step 3b, senior officers breaking away together) against the same 50 %;
* ``rank_and_file_out`` (cascade) against ``cascade.MAJORITY`` = 50 %;
* ``surrenderers_kept`` (absorption: registered or still waiting to be vetted, so not
  released, exchanged, held as prisoners or lost) against ``KEPT_THRESHOLD`` = 60 %
  (at the absorption model's default shares, 30 % of surrenders never reach the
  resistance's pipeline, so more than 70 % cannot be kept).

**"Split at the top?"** is *yes* only when the elite split is met: at least half the
senior tier is cut out of the spoils *and* that faction acts together. Many seniors
leaving one by one is not a split. This follows Lee & McCarthy (2023, ``lee_mccarthy_2023``):
in the cases they compare, rulers fell after a part of the elite broke away, and softliners
come from the "losers" of the spoils. The thresholds are a stated convention for
discussion, not findings; move them (keyword arguments) and the verdict moves.

What the chain ignores (on purpose, to stay readable)
-----------------------------------------------------
China's pressure on armed groups and its brokered ceasefires; the politics of the ethnic
armed organisations and their own interests; the junta's election and the legitimacy it
seeks; foreign funding and arms for either side; conscription refilling the ranks; the
regime adapting its policy in response; feedback loops (defections weakening the army and
so raising losses); and every difference between units, regions and years. Each model
keeps its own assumptions (see their docstrings).

Guarantees the unit tests check: shares stay in [0, 1]; more incentives never lower
senior defection; more repression never raises it; more absorption never increases the
number lost; the verdict follows the elite split alone, which is either zero or the whole
excluded faction, so many senior officers leaving one by one never make a split; the
chain's cascade can be set off from the top or from the bottom; the same inputs (and
seed) always give the same result.

>>> r = scenario(**PRESETS["2021 as it was"])
>>> r.split_at_top
False
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from defection.models import calculus as _calculus
from defection.models import cascade as _cascade
from defection.models.scenario_presets import PRESET_NOTES, PRESETS
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
    SURVIVAL_BASE,
    SURVIVAL_LOSSES,
    SURVIVAL_PRESSURE,
    VETTING_SPEED,
    WAVE_MONTHS,
    _cascade_from,
    absorption_step,
    elite_split_step,
    expected_survival,
    spoils_step,
)

__all__ = [
    "SETTINGS",
    "PRESETS",
    "PRESET_NOTES",
    "SENIOR_THRESHOLD",
    "SOFTLINER_THRESHOLD",
    "KEPT_THRESHOLD",
    "BLOC_THRESHOLD",
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
]

#: The five scenario settings, in the order the panel shows them.
SETTINGS: tuple[str, ...] = (
    "incentives",
    "economic_pressure",
    "battlefield_losses",
    "repression",
    "absorption",
)

#: Thresholds of the verdict (conventions for discussion, not findings).
SENIOR_THRESHOLD = 0.25
SOFTLINER_THRESHOLD = 0.50
KEPT_THRESHOLD = 0.60

#: One caveat per indicator (shown with its bar and in captions).
CAVEATS: dict[str, str] = {
    "senior_defection": (
        "invented weights; no senior commander has broken with the junta, so nothing "
        "calibrates this share"
    ),
    "senior_softliners": (
        "being cut out of the spoils is not defecting: a softliner may hedge, leak or wait"
    ),
    "elite_split": (
        "whether an excluded faction acts together is a stated convention (a quarter willing "
        "carries the rest); real factions form around people and events the model lacks"
    ),
    "rank_and_file_out": (
        "the cascade assumes every soldier sees the whole army; real units see little "
        "and the regime controls information"
    ),
    "surrenderers_kept": (
        "no source says how many surrendered soldiers went back, or what share armed groups "
        "release, exchange or hold; those rates are guesses"
    ),
}

#: What the whole chain leaves out (shown with every verdict).
IGNORES = (
    "China's pressure and brokered ceasefires, the armed groups' own politics, the "
    "election, foreign funding and arms, conscription and feedback between the steps"
)

_LABELS = {
    "senior_defection": "Senior officers who would leave one by one",
    "senior_softliners": "Senior officers cut out of the spoils",
    "elite_split": "Senior officers breaking away together (elite split)",
    "rank_and_file_out": "Rank and file out after the cascade",
    "surrenderers_kept": "Surrendered soldiers kept by the resistance",
}
_MODELS = {
    "senior_defection": "calculus",
    "senior_softliners": "spoils",
    "elite_split": "spoils + calculus",
    "rank_and_file_out": "cascade",
    "surrenderers_kept": "absorption",
}


@dataclass(frozen=True)
class ScenarioResult:
    """What :func:`scenario` returns.

    ``indicators``: one row per indicator with columns indicator, label, model, value,
    threshold, met (value >= threshold) and caveat. ``split_at_top`` is true only when the
    ``elite_split`` indicator is met: a faction acting together, not individual exits.
    ``cascade_led_by`` says which rank set off the chain's cascade (see ``cascade``).
    ``ranks``: the calculus step, one row per rank (rank, share).
    ``links``: every intermediate value passed between models (step, quantity, value,
    feeds) so a reader can follow the chain.
    ``absorbed``: end-of-run figures of the absorption step (surrendered, registered,
    waiting, lost, share_lost).
    """

    settings: dict[str, float]
    indicators: pd.DataFrame
    absorbed: dict[str, float]
    split_at_top: bool
    mass_defection: bool
    thresholds: dict[str, float]
    rank_shares: tuple[float, ...]
    steps: tuple[tuple[int, str, float, str], ...] = field(default=(), repr=False)
    cascade_led_by: str | None = None

    @property
    def ranks(self) -> pd.DataFrame:
        """Step 3: the share of each rank that would defect."""
        return pd.DataFrame(
            {
                "rank": pd.Categorical(
                    list(_calculus.RANKS), categories=list(_calculus.RANKS), ordered=True
                ),
                "share": list(self.rank_shares),
            }
        )

    @property
    def links(self) -> pd.DataFrame:
        """Every value passed from one step to the next, in order."""
        return pd.DataFrame(list(self.steps), columns=["step", "quantity", "value", "feeds"])

    def value(self, indicator: str) -> float:
        """The value of one indicator, e.g. ``result.value("senior_defection")``."""
        row = self.indicators.loc[self.indicators["indicator"] == indicator, "value"]
        if row.empty:
            raise KeyError(f"no indicator {indicator!r}; choose from {list(_LABELS)}")
        return float(row.iloc[0])

    @property
    def verdict(self) -> str:
        """One sentence: split at the top or not, and why, in numbers."""
        sd, ss = self.value("senior_defection"), self.value("senior_softliners")
        split = self.value("elite_split")
        t = self.thresholds
        answer = "YES" if self.split_at_top else "NO"
        bloc = (
            "acts together" if split > 0 else
            f"does not act together (fewer than {BLOC_THRESHOLD:.0%} of it would leave)"
        )
        return (
            f"Split at the top? {answer}: {ss:.0%} of senior officers are cut out of the "
            f"spoils and that faction {bloc}, so {split:.0%} break away together "
            f"(threshold {t['elite_split']:.0%}). Individual exits are a different thing: "
            f"{sd:.0%} of senior officers would leave one by one."
        )

    @property
    def summary(self) -> str:
        """The verdict plus the two other indicators, in plain words."""
        a = self.absorbed
        mass = "reached" if self.mass_defection else "not reached"
        return (
            f"{self.verdict} Mass defection {mass}: {self.value('rank_and_file_out'):.0%} "
            f"of the rank and file out (threshold {self.thresholds['rank_and_file_out']:.0%}). "
            f"Of {a['surrendered']:,.0f} surrendered soldiers, {a['registered']:,.0f} "
            f"registered and {a['waiting']:,.0f} still waiting; {a['held']:,.0f} held as "
            f"prisoners, {a['released']:,.0f} released and {a['exchanged']:,.0f} exchanged "
            f"by the groups that took them; {a['lost']:,.0f} lost (went back or left)."
        )

    @property
    def caveats(self) -> str:
        """Every caveat in one paragraph, for captions."""
        parts = [f"{_SHORT[k]}: {v}" for k, v in CAVEATS.items()]
        return "Caveats: " + "; ".join(parts) + f". The chain ignores {IGNORES}."


_SHORT = {
    "senior_defection": "senior defection",
    "senior_softliners": "softliners",
    "elite_split": "elite split",
    "rank_and_file_out": "cascade",
    "surrenderers_kept": "surrenders",
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
    *,
    senior_threshold: float = SENIOR_THRESHOLD,
    softliner_threshold: float = SOFTLINER_THRESHOLD,
    kept_threshold: float = KEPT_THRESHOLD,
    bloc_threshold: float = BLOC_THRESHOLD,
    seed: int = 2021,
) -> ScenarioResult:
    """Run the five steps described in the module docstring and return the indicators.

    All five settings run from 0 to 1; the defaults are the "2021 as it was" preset.

    >>> r = scenario(incentives=0.8, absorption=0.8, battlefield_losses=0.6)
    >>> 0.0 <= r.value("senior_defection") <= 1.0
    True
    """
    x = _check("incentives", incentives)
    p = _check("economic_pressure", economic_pressure)
    b = _check("battlefield_losses", battlefield_losses)
    r = _check("repression", repression)
    a = _check("absorption", absorption)
    thresholds = {
        "senior_defection": _check("senior_threshold", senior_threshold),
        "senior_softliners": _check("softliner_threshold", softliner_threshold),
        "elite_split": _check("softliner_threshold", softliner_threshold),
        "rank_and_file_out": float(_cascade.MAJORITY),
        "surrenderers_kept": _check("kept_threshold", kept_threshold),
    }
    seed = int(seed)

    # 1. expected survival, shared by every soldier
    survival = expected_survival(b, p)

    # 2. spoils: who is cut out, and how much of their rents is left
    senior_soft, senior_rent, officer_rent, excluded_rent = spoils_step(p, seed)

    # 3. calculus: senior officers' stake scaled by their own rents, everyone else's by
    #    the rents left to all officers
    common = dict(
        punishment_risk=r, family_risk=r, exit_support=x, moral_cost=MORAL_COST,
        regime_survival=survival, n=CALCULUS_UNIT, seed=seed,
        survival_weighted=False,  # models-b: keeps the chain's numbers until it adopts it
    )
    prob = _calculus.defection_probability(**common, stake_scale=officer_rent)
    prob_top = _calculus.defection_probability(**common, stake_scale=senior_rent)
    # a faction that moves together is harder to punish: capture risk falls with the
    # share of the senior tier that would move with it (safety in numbers)
    prob_excluded = _calculus.defection_probability(
        **{**common, "punishment_risk": r * (1.0 - senior_soft)}, stake_scale=excluded_rent
    )
    rank = _calculus._unit(CALCULUS_UNIT, seed)[0]
    top = len(_calculus.RANKS) - 1
    prob = np.where(rank == top, prob_top, prob)
    soldiers = np.bincount(rank, minlength=top + 1)
    shares = np.bincount(rank, weights=prob, minlength=top + 1) / np.maximum(soldiers, 1)
    low = rank <= 1  # privates and sergeants
    rank_and_file = float(prob[low].mean())
    faction_willing = float(prob_excluded[rank == top].mean())

    # 3b. elite split: the excluded senior faction leaves together, or not at all
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

    values = {
        "senior_defection": float(shares[top]),
        "senior_softliners": senior_soft,
        "elite_split": split,
        "rank_and_file_out": out,
        "surrenderers_kept": kept,
    }
    keys = list(_LABELS)
    vals = np.clip(np.array([values[k] for k in keys], dtype=float), 0.0, 1.0)
    limits = np.array([thresholds[k] for k in keys])
    met = vals >= limits - 1e-12
    indicators = pd.DataFrame(
        {
            "indicator": keys,
            "label": [_LABELS[k] for k in keys],
            "model": [_MODELS[k] for k in keys],
            "value": vals,
            "threshold": limits,
            "met": met,
            "caveat": [CAVEATS[k] for k in keys],
        }
    )
    steps = (
        (1, "expected regime survival", survival, "calculus"),
        (2, "senior officers' rent left (share of entitlement)", senior_rent,
         "calculus (senior stake)"),
        (2, "all officers' rent left (share of entitlement)", officer_rent,
         "calculus (other stakes)"),
        (2, "senior officers cut out (softliners)", senior_soft, "elite split"),
        (2, "rent left to the senior officers cut out", excluded_rent,
         "calculus (the excluded faction's stake)"),
        (3, "rank-and-file share defecting (calculus)", rank_and_file, "cascade (first movers)"),
        (3, "senior officers leaving one by one (calculus)", float(shares[top]),
         "cascade (first movers)"),
        (3, "excluded senior officers willing to leave (calculus)", faction_willing,
         "elite split"),
        (3, "senior officers breaking away together (elite split)", split,
         "verdict; cascade (first movers)"),
        (4, "officers moving first (junior and senior)", officer_first, "cascade"),
        (4, "cascade mean threshold", mean, "cascade"),
        (4, "rank and file out after the cascade", out, "verdict"),
        (5, "surrenders per month during the wave", MAX_INFLOW * b, "absorption"),
        (5, "vetting capacity (cases a month)", CAPACITY_BASE + CAPACITY_RANGE * a,
         "absorption"),
        (5, "funded support places", FUNDING_BASE + FUNDING_RANGE * a, "absorption"),
        (5, "share of surrendered soldiers lost", absorbed["share_lost"], "kept"),
        (5, "share of surrendered soldiers kept", kept, "verdict"),
    )
    return ScenarioResult(
        settings=dict(
            incentives=x, economic_pressure=p, battlefield_losses=b, repression=r, absorption=a
        ),
        indicators=indicators,
        absorbed=absorbed,
        split_at_top=bool(met[keys.index("elite_split")]),
        mass_defection=bool(met[keys.index("rank_and_file_out")]),
        thresholds=thresholds,
        rank_shares=tuple(float(v) for v in shares),
        steps=steps,
        cascade_led_by=run.led_by,
    )


def preset_table(
    presets: dict[str, dict[str, float]] | None = None, seed: int = 2021
) -> pd.DataFrame:
    """Every preset run through :func:`scenario`: one row per preset with the four values
    and the two verdicts (``split_at_top``, ``mass_defection``)."""
    rows = []
    for name, values in (presets or PRESETS).items():
        res = scenario(**values, seed=seed)
        row = {"preset": name}
        row.update(dict(zip(res.indicators["indicator"], res.indicators["value"], strict=True)))
        row["lost"] = res.absorbed["lost"]
        row["split_at_top"] = res.split_at_top
        row["mass_defection"] = res.mass_defection
        rows.append(row)
    return pd.DataFrame(rows)


def preset_report(presets: dict[str, dict[str, float]] | None = None, seed: int = 2021) -> str:
    """The preset verdicts as a plain-text table (what the lesson prints and checks).

    Columns: senior officers leaving one by one, senior officers cut out of the spoils,
    senior officers breaking away together (the elite split, which decides the verdict),
    rank and file out after the cascade, surrendered soldiers kept, and the two verdicts.
    """
    table = preset_table(presets, seed)
    width = max(len(str(p)) for p in table["preset"])
    head = f"{'preset':<{width}}  1-by-1  softl.  elite  r&f out  kept  split?  mass?"
    lines = [head, "-" * len(head)]
    for row in table.itertuples(index=False):
        lines.append(
            f"{row.preset:<{width}}  {row.senior_defection:>6.0%}  {row.senior_softliners:>6.0%}  "
            f"{row.elite_split:>5.0%}  {row.rank_and_file_out:>7.0%}  "
            f"{row.surrenderers_kept:>4.0%}  "
            f"{'YES' if row.split_at_top else 'no':>6}  {'YES' if row.mass_defection else 'no':>5}"
        )
    lines.append(
        f"thresholds: elite split {SOFTLINER_THRESHOLD:.0%} of senior officers (a faction "
        f"moves once {BLOC_THRESHOLD:.0%} of it would leave), rank and file "
        f"{_cascade.MAJORITY:.0%}, kept {KEPT_THRESHOLD:.0%}; senior officers leaving one by "
        f"one ({SENIOR_THRESHOLD:.0%} mark) do not decide the verdict"
    )
    return "\n".join(lines)
