"""A soldier's defection calculus: who in an imagined unit would leave, by rank.

Idea
----
Kyed & Ah Lynn (2021, source key ``kyed_lynn_2021``) find that decisions to defect mix
moral, material, family-security and pragmatic reckonings, and that drivers and obstacles
fall unevenly across ranks: lower ranks suffer the exploitation of the internal system,
officers are bound by promotions, benefits, retirement schemes and business access, and
everyone weighs punishment and the safety of their family. Lee & McCarthy (2023,
``lee_mccarthy_2023``) add that the army's punishments grow more severe with rank. The
model turns that argument into arithmetic so a student can see how the pieces trade off.
It illustrates an argument; it forecasts nothing.

How it works
------------
A seeded unit of soldiers (default 1,000: 70% privates, 20% sergeants, 8% junior
officers, 2% senior officers; a rough pyramid, not a Tatmadaw figure) gets personal
traits drawn once:

* ``moral``    - how much complicity in violence against civilians weighs on them (0-1);
* ``family``   - how exposed their family is to reprisals (0-1; officers' families are
                 better known to the army, so a little higher);
* ``stake``    - the economic stake they lose by leaving (pay, promotion, pension,
                 business access);
* ``grievance``- exploitation inside the army (low pay, deductions, forced labour,
                 beatings): highest for privates, none for senior officers;
* ``taste``    - everything else (loyalty, ideology, habit, luck), a normal draw.

Each soldier compares defecting with staying. With the five slider settings
P (punishment risk), F (family risk), X (exit support), M (moral cost) and S (expected
regime survival), all between 0 and 1, the two optional settings R (reckoning) and
I (identity), and the soldier's rank-dependent ``penalty`` and ``exposure``, the
advantage of defecting is::

    gain = X * W_SUPPORT                       # help to escape and to live afterwards
         + (1 - S) * W_FUTURE                  # a place on the winning side if the regime falls
         - S * P * (1 - X / 2) * W_PUNISH * penalty  # only a regime that survives punishes
         - F * family * W_FAMILY               # reprisals against the family
         + (1 - S) * R * W_RECKON * exposure   # the reckoning the stayers face if it falls
         + I * W_IDENTITY * (1 - 2 * in_group) # core-group members find leaving costlier
         + M * moral * W_MORAL                 # the moral cost of staying complicit
         + grievance                           # escaping exploitation
         - S * stake                           # the stake, kept only if the regime survives
         + taste - BASELINE

and defects with probability ``1 / (1 + exp(-gain / SPREAD))``. The share defecting in a
rank is the mean of those probabilities.

With ``desertion=True`` a third choice is open: slipping away home or into hiding. A
deserter earns no place with the other side (no ``W_FUTURE`` term), gets less organised
help (``DESERT_SUPPORT``), is punished more lightly if caught (``DESERT_PUNISH``; the
army punishes defection more harshly than desertion, ``kyed_lynn_2021``), exposes the
family less, escapes half of the reckoning, and has a taste draw of its own. The three
choices then follow a multinomial logit with staying as the baseline.

Literature followed, and where the model departs from it
--------------------------------------------------------
* Survival weighting: punishment and the stake both count only if the regime survives.
  ``W_PUNISH`` is set to 2.0 / 0.7 so that at the default survival (0.7) a unit is
  exactly what it was before the weighting; at lower survival punishment shrinks.
* The reckoning (a cost of *staying*): Lee & McCarthy (2023) expect officers to try to
  "get ahead of the curve" when the regime looks likely to fall; McLauchlin (2010,
  ``mclauchlin_2010``)
  puts expectations of the regime's fate at the centre of the choice. In Myanmar the
  live example is the ICC prosecutor's November 2024 request for an arrest warrant
  against Min Aung Hlaing (events row ``ev127``). Exposure grows with rank (command
  responsibility); the sizes are invented. The model departs from the literature in
  making the reckoning certain once the regime falls; real transitions often grant
  amnesties, which is what a negotiated extrication bargains for (lesson 5).
* Group identity: McLauchlin (2010) argues that regimes tie soldiers to themselves by
  group identity (loyalty strategies, ethnic stacking), so that members of the core group
  fear the other side's victory and outsiders are likelier to leave. The model has one
  core group whose share grows with rank (``IN_GROUP_SHARE``, invented); it ignores
  splits within the core group and the regime's nationalist teaching (a taste, here).
* Desertion: long common in Myanmar and uncounted since the coup (Kyed & Ah Lynn 2021);
  the model makes it the commoner exit for privates at the defaults, an invented
  calibration. Its weights are invented.

When do senior officers move? Without the reckoning, hardly ever: their stake and
penalty hold them (at survival 0.35 and otherwise harsh settings, under 1 %). With the
reckoning, low expected survival turns the stake they would keep into a prosecution
they would face, and seniors, the most exposed, move fastest once survival is low enough.
The unit tests hold this (``test_seniors_move_at_low_survival_with_a_reckoning``).

Parameters by rank, and where each comes from
---------------------------------------------
==================  =========================  ==========================================
parameter           values (private ... senior) status
==================  =========================  ==========================================
``PENALTY_BY_RANK`` 1.0, 1.2, 1.5, 2.0         direction sourced (punishment grows with
                                               rank, ``lee_mccarthy_2023``); sizes invented
``STAKE_MEAN``      0.15, 0.35, 0.9, 2.2       direction sourced (officers' incentive
                                               structure, ``kyed_lynn_2021``); sizes invented
``GRIEVANCE``       0.45, 0.30, 0.10, 0.0      direction sourced (exploitation of the lower
                                               ranks, ``kyed_lynn_2021``); sizes invented
``FAMILY_MEAN``     0.50, 0.50, 0.60, 0.65     invented
reckoning exposure  0.3, 0.5, 1.0, 2.0         direction sourced (accountability aims at
                                               commanders, ``ev127``); sizes invented
``IN_GROUP_SHARE``  0.75, 0.85, 0.95, 0.99     direction sourced (ethnic stacking,
                                               ``mclauchlin_2010``); sizes invented
``DESERT_*``                                   invented
all ``W_*`` weights, ``BASELINE``, ``SPREAD``  invented round numbers, not estimates
==================  =========================  ==========================================

What the model can and cannot show about senior officers
--------------------------------------------------------
At the default settings (no reckoning) senior officers almost never defect. That follows from the
assumed stake and penalty profiles, not from evidence: the course's sources observe
defectors mostly from the rank of major downwards and cannot say whether senior officers
stay because of their stake, their convictions or closer surveillance. To make the point
visible, ``stake_profile`` and ``penalty_profile`` can be set to ``"flat"``: every rank
then gets the unit's average stake (or penalty), so the unit as a whole has the same
average but ranks no longer differ. Compare the two (the lesson's panel shows both).

Other assumptions: soldiers decide alone (no cascade - see ``models.cascade``); the
regime's survival is one number everyone shares; the settings are the same for every
rank, but soldiers differ in how much they weigh.

Because the traits are drawn once and each term moves every soldier's ``gain`` the same
way, the model is monotone by construction: more punishment risk, family risk or
expected regime survival never raises defection; more exit support, moral cost or
reckoning never lowers it; a larger stake or a steeper penalty never raises it; more
identity never raises a core-group member's defection. Desertion's terms are at most
as strong as defection's, so the directions hold for defection with desertion open.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

#: Ranks from lowest to highest, as shown in charts.
RANKS: tuple[str, ...] = ("private", "sergeant", "junior officer", "senior officer")
#: Share of each rank in the imagined unit (a rough pyramid, not a Tatmadaw figure).
RANK_SHARES: tuple[float, ...] = (0.70, 0.20, 0.08, 0.02)

# Mean traits by rank, in the order of RANKS (see the module docstring for their status).
STAKE_MEAN = np.array([0.15, 0.35, 0.9, 2.2])
GRIEVANCE = np.array([0.45, 0.30, 0.10, 0.0])
FAMILY_MEAN = np.array([0.50, 0.50, 0.60, 0.65])
#: How much harsher the punishment of a caught defector is, by rank (private = 1).
PENALTY_BY_RANK = np.array([1.0, 1.2, 1.5, 2.0])
#: The two ways to set up stakes and penalties: graded by rank, or the same for everyone.
PROFILES: tuple[str, ...] = ("by_rank", "flat")

W_SUPPORT = 1.6
W_FUTURE = 1.0
#: Calibrated so that at the default expected survival (0.7) the survival-weighted
#: punishment equals the former unweighted one (2.0): the default unit is unchanged.
W_PUNISH = 2.0 / 0.7
W_FAMILY = 1.5
W_MORAL = 2.2
BASELINE = 1.45
SPREAD = 0.4
#: Weight of the reckoning after the regime falls (prosecution, reprisals), and how
#: exposed each rank is to it (command responsibility: the higher, the more exposed).
W_RECKON = 1.5
RECKONING_EXPOSURE = np.array([0.3, 0.5, 1.0, 2.0])
#: Weight of group identity (McLauchlin's loyalty strategies) and the share of each rank
#: drawn from the regime's core group (ethnic stacking: higher towards the top).
W_IDENTITY = 1.0
IN_GROUP_SHARE = np.array([0.75, 0.85, 0.95, 0.99])
#: Desertion against defection: support, capture-and-punishment, family reprisals,
#: identity and the reckoning escaped, as factors of the defector's terms; and its own
#: baseline. A deserter gets no credit with the other side (no ``W_FUTURE`` term).
DESERT_SUPPORT = 0.25
DESERT_PUNISH = 0.5
DESERT_FAMILY = 0.5
DESERT_IDENTITY = 0.5
DESERT_RECKON = 0.5
DESERT_BASELINE = 1.2

DEFAULTS = {
    "punishment_risk": 0.6,
    "family_risk": 0.6,
    "exit_support": 0.3,
    "moral_cost": 0.5,
    "regime_survival": 0.7,
}
#: Where the lesson's panel starts the three extensions (invented middle values); the
#: functions' own defaults leave them out, so older calls give the same numbers.
EXTENSIONS = {"reckoning": 0.5, "identity": 0.5, "desertion": True}


@lru_cache(maxsize=8)
def _unit(n: int, seed: int) -> tuple[np.ndarray, ...]:
    """Draw the unit once per (n, seed): rank index and the traits of every soldier."""
    rng = np.random.default_rng(seed)
    counts = np.floor(np.asarray(RANK_SHARES) * n).astype(int)
    counts[0] += n - counts.sum()
    rank = np.repeat(np.arange(len(RANKS)), counts)
    moral = rng.beta(2.0, 2.0, n)
    fam_mean = FAMILY_MEAN[rank]
    family = rng.beta(4.0 * fam_mean, 4.0 * (1 - fam_mean))
    stake = STAKE_MEAN[rank] * rng.lognormal(0.0, 0.35, n)
    grievance = GRIEVANCE[rank] * rng.uniform(0.5, 1.5, n)
    taste = rng.normal(0.0, 0.5, n)
    # Drawn after the original traits so that those stay the same for a seed.
    in_group = (rng.uniform(0.0, 1.0, n) < IN_GROUP_SHARE[rank]).astype(float)
    taste_desert = rng.normal(0.0, 0.5, n)
    arrays = (rank, moral, family, stake, grievance, taste, in_group, taste_desert)
    for a in arrays:
        a.setflags(write=False)
    return arrays


def simulate_unit(n: int = 1000, seed: int = 2021) -> pd.DataFrame:
    """The imagined unit, one row per soldier, with the traits the calculus uses.

    >>> unit = simulate_unit()
    >>> unit.groupby("rank", observed=True)["stake"].mean().round(2)  # doctest: +SKIP
    """
    _check_n(n)
    rank, moral, family, stake, grievance, taste, in_group, _ = _unit(int(n), int(seed))
    return pd.DataFrame(
        {
            "rank": pd.Categorical.from_codes(rank, categories=list(RANKS), ordered=True),
            "moral": moral,
            "family": family,
            "stake": stake,
            "grievance": grievance,
            "taste": taste,
            "in_group": in_group.astype(bool),
        }
    )


def _profile_factor(name: str, profile: str, by_rank: np.ndarray, rank: np.ndarray) -> np.ndarray:
    """1 for ``"by_rank"``; for ``"flat"``, what turns each rank's mean into the unit mean.

    The unit mean weights ranks by ``RANK_SHARES``, so a flat profile keeps the unit's
    average stake (or penalty) and only removes the differences between ranks.
    """
    if profile not in PROFILES:
        raise ValueError(f"{name} must be one of {list(PROFILES)}, got {profile!r}")
    if profile == "by_rank":
        return np.ones(rank.size)
    average = float(np.dot(RANK_SHARES, by_rank))
    return average / by_rank[rank]


def _check_n(n: int) -> None:
    if int(n) < len(RANKS) * 10:
        raise ValueError(f"n must be at least {len(RANKS) * 10} soldiers, got {n}")


def _check_unit_interval(**values: float) -> None:
    for name, value in values.items():
        if not 0.0 <= float(value) <= 1.0:
            raise ValueError(f"{name} must be between 0 and 1, got {value}")


def _check_settings(settings: dict, reckoning: float, identity: float, stake_scale: float,
                    n: int) -> None:
    _check_unit_interval(**settings, reckoning=reckoning, identity=identity)
    if stake_scale < 0:
        raise ValueError(f"stake_scale must be 0 or more, got {stake_scale}")
    _check_n(n)


def exit_probabilities(
    punishment_risk: float = DEFAULTS["punishment_risk"],
    family_risk: float = DEFAULTS["family_risk"],
    exit_support: float = DEFAULTS["exit_support"],
    moral_cost: float = DEFAULTS["moral_cost"],
    regime_survival: float = DEFAULTS["regime_survival"],
    *,
    reckoning: float = 0.0,
    identity: float = 0.0,
    desertion: bool = False,
    survival_weighted: bool = True,
    stake_scale: float = 1.0,
    stake_profile: str = "by_rank",
    penalty_profile: str = "by_rank",
    n: int = 1000,
    seed: int = 2021,
) -> tuple[np.ndarray, np.ndarray]:
    """Each soldier's probabilities of defecting and of deserting (two arrays, rank order).

    Without ``desertion`` the choice is stay or defect and the second array is zeros;
    with it, stay, defect or desert (a multinomial logit with staying as the baseline).
    """
    settings = dict(punishment_risk=punishment_risk, family_risk=family_risk,
                    exit_support=exit_support, moral_cost=moral_cost,
                    regime_survival=regime_survival)
    _check_settings(settings, reckoning, identity, stake_scale, n)
    rank, moral, family, stake, grievance, taste, in_group, taste_desert = _unit(
        int(n), int(seed))
    stake = stake * stake_scale * _profile_factor("stake_profile", stake_profile,
                                                  STAKE_MEAN, rank)
    penalty = PENALTY_BY_RANK[rank] * _profile_factor(
        "penalty_profile", penalty_profile, PENALTY_BY_RANK, rank
    )
    p, f, x, m, s = punishment_risk, family_risk, exit_support, moral_cost, regime_survival
    weight = s if survival_weighted else DEFAULTS["regime_survival"]
    punish = weight * p * (1.0 - x / 2.0) * W_PUNISH * penalty  # a fallen regime punishes no one
    family_cost = f * family * W_FAMILY
    reckon = (1.0 - s) * reckoning * W_RECKON * RECKONING_EXPOSURE[rank]
    belonging = identity * W_IDENTITY * (1.0 - 2.0 * in_group)  # core -1, others +1
    common = m * moral * W_MORAL + grievance - s * stake
    gain = (x * W_SUPPORT + (1.0 - s) * W_FUTURE - punish - family_cost + reckon
            + belonging + common + taste - BASELINE)
    if not desertion:
        return 1.0 / (1.0 + np.exp(-gain / SPREAD)), np.zeros(gain.size)
    gain_desert = (x * W_SUPPORT * DESERT_SUPPORT - punish * DESERT_PUNISH
                   - family_cost * DESERT_FAMILY + reckon * DESERT_RECKON
                   + belonging * DESERT_IDENTITY + common + taste_desert - DESERT_BASELINE)
    top = np.maximum(np.maximum(gain, gain_desert), 0.0)  # for numerical safety
    e_stay = np.exp(-top / SPREAD)
    e_defect = np.exp((gain - top) / SPREAD)
    e_desert = np.exp((gain_desert - top) / SPREAD)
    total = e_stay + e_defect + e_desert
    return e_defect / total, e_desert / total


def defection_probability(
    punishment_risk: float = DEFAULTS["punishment_risk"],
    family_risk: float = DEFAULTS["family_risk"],
    exit_support: float = DEFAULTS["exit_support"],
    moral_cost: float = DEFAULTS["moral_cost"],
    regime_survival: float = DEFAULTS["regime_survival"],
    *,
    reckoning: float = 0.0,
    identity: float = 0.0,
    desertion: bool = False,
    survival_weighted: bool = True,
    stake_scale: float = 1.0,
    stake_profile: str = "by_rank",
    penalty_profile: str = "by_rank",
    n: int = 1000,
    seed: int = 2021,
) -> np.ndarray:
    """Each soldier's probability of defecting (array of length ``n``, in rank order).

    ``stake_scale`` multiplies every soldier's economic stake (1 = the default unit;
    0 = a thought experiment in which nobody has anything material to lose).
    ``stake_profile`` and ``penalty_profile`` are ``"by_rank"`` (the default: both grow
    with rank) or ``"flat"`` (every rank gets the unit's average; see the module
    docstring). ``reckoning``, ``identity`` and ``desertion`` are described in
    :func:`calculus`; their defaults leave them out.
    """
    return exit_probabilities(
        punishment_risk, family_risk, exit_support, moral_cost, regime_survival,
        reckoning=reckoning, identity=identity, desertion=desertion,
        survival_weighted=survival_weighted,
        stake_scale=stake_scale, stake_profile=stake_profile,
        penalty_profile=penalty_profile, n=n, seed=seed,
    )[0]


def calculus(
    punishment_risk: float = DEFAULTS["punishment_risk"],
    family_risk: float = DEFAULTS["family_risk"],
    exit_support: float = DEFAULTS["exit_support"],
    moral_cost: float = DEFAULTS["moral_cost"],
    regime_survival: float = DEFAULTS["regime_survival"],
    *,
    reckoning: float = 0.0,
    identity: float = 0.0,
    desertion: bool = False,
    survival_weighted: bool = True,
    stake_scale: float = 1.0,
    stake_profile: str = "by_rank",
    penalty_profile: str = "by_rank",
    n: int = 1000,
    seed: int = 2021,
) -> pd.DataFrame:
    """Share of an imagined unit that would defect (and desert), by rank.

    All seven settings run from 0 to 1:

    punishment_risk
        How likely a defector is to be caught and punished (0 = never, 1 = almost surely)
        while the regime stands; weighted by ``regime_survival``, since a fallen regime
        punishes no one.
    family_risk
        How likely the family is to suffer reprisals.
    exit_support
        How much help there is to escape and to live afterwards (defector groups, NUG
        allowances, shelter in liberated areas). It also halves the risk of capture at 1.
    moral_cost
        How heavily complicity in violence against civilians weighs (the cost of staying).
    regime_survival
        How likely soldiers think the regime is to survive: it keeps the value of the
        stake for those who stay, makes punishment likelier and lowers the value of
        joining the other side.
    reckoning
        The cost of *staying* if the regime falls (prosecution, reprisals), weighted by
        ``1 - regime_survival`` and growing with rank; a defector escapes it, a deserter
        half of it. 0 (default) leaves it out.
    identity
        How strongly group identity ties soldiers to the regime (loyalty strategies,
        ethnic stacking): soldiers from the regime's core group find leaving costlier,
        the others cheaper. 0 (default) leaves it out.
    survival_weighted
        ``True`` (default) weights punishment by ``regime_survival``; ``False`` gives the
        earlier, unweighted model (punishment as at survival 0.7 whatever the survival).
    desertion
        ``True`` adds desertion as a third choice (going home or into hiding: no credit
        with the other side, lighter punishment). The result then has two more columns.
    stake_profile, penalty_profile
        ``"by_rank"`` (default) or ``"flat"``: the assumption about how the economic stake
        and the punishment of a caught defector differ between ranks.

    Returns one row per rank with columns ``rank`` (ordered categorical), ``soldiers``,
    ``share`` (0-1, the mean probability of defecting) and ``expected_defectors``; with
    ``desertion``, also ``desert_share`` and ``expected_deserters``.

    >>> calculus().set_index("rank")["share"].round(3)  # doctest: +SKIP
    """
    prob, desert = exit_probabilities(
        punishment_risk, family_risk, exit_support, moral_cost, regime_survival,
        reckoning=reckoning, identity=identity, desertion=desertion,
        survival_weighted=survival_weighted,
        stake_scale=stake_scale, stake_profile=stake_profile,
        penalty_profile=penalty_profile, n=n, seed=seed,
    )
    rank = _unit(int(n), int(seed))[0]
    soldiers = np.bincount(rank, minlength=len(RANKS))
    expected = np.bincount(rank, weights=prob, minlength=len(RANKS))
    out = pd.DataFrame(
        {
            "rank": pd.Categorical(list(RANKS), categories=list(RANKS), ordered=True),
            "soldiers": soldiers.astype(int),
            "share": expected / np.maximum(soldiers, 1),
            "expected_defectors": expected,
        }
    )
    if desertion:
        deserters = np.bincount(rank, weights=desert, minlength=len(RANKS))
        out["desert_share"] = deserters / np.maximum(soldiers, 1)
        out["expected_deserters"] = deserters
    return out


def overall_share(result: pd.DataFrame) -> float:
    """The share of the whole unit that would defect, from a ``calculus()`` result."""
    return float(result["expected_defectors"].sum() / result["soldiers"].sum())
