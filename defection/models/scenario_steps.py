"""The steps of the scenario chain, one function each (see ``defection.models.scenario``).

The chain's module docstring explains every step and its sources; this module holds the
step functions and their constants so the chain itself stays short. Every constant here
is invented for teaching, not estimated.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from defection.models import absorption as _absorption
from defection.models import cascade as _cascade
from defection.models import spoils as _spoils

__all__ = [
    "BLOC_THRESHOLD", "CASCADE_OFFICER_WEIGHT", "absorption_step", "elite_split_step",
    "expected_survival", "spoils_step",
]

#: A faction of the excluded elite acts as one when this share of it would leave anyway.
BLOC_THRESHOLD = 0.25
#: How many soldiers one officer's defection counts as in the chain's cascade (step 4).
CASCADE_OFFICER_WEIGHT = 3.0

# Step constants (invented, documented in the module docstring).
SURVIVAL_BASE, SURVIVAL_LOSSES, SURVIVAL_PRESSURE = 0.85, 0.5, 0.2
MORAL_COST = 0.5
SPOILS_PERIODS = 12
# lesson-2 defaults of ``simulate_spoils`` kept fixed here
SPOILS_RESERVES, SPOILS_REPRESSION, SPOILS_PROTECTION, SPOILS_OFFICERS = 1.5, 0.1, 0.8, 400
CALCULUS_UNIT = 1000
CASCADE_SPREAD, CASCADE_POPULATION = 0.2, 1000
MAX_INFLOW, WAVE_MONTHS, HORIZON = 2000.0, 6, 24
CAPACITY_BASE, CAPACITY_RANGE = 100.0, 1900.0
FUNDING_BASE, FUNDING_RANGE = 1000.0, 11000.0
VETTING_SPEED = 0.5


def expected_survival(battlefield_losses: float, economic_pressure: float) -> float:
    """Step 1: the regime's expected survival that every soldier shares (0.05-0.95).

    >>> expected_survival(0.1, 0.5)
    0.7
    """
    s = (
        SURVIVAL_BASE
        - SURVIVAL_LOSSES * battlefield_losses
        - SURVIVAL_PRESSURE * economic_pressure
    )
    return round(float(np.clip(s, 0.05, 0.95)), 10)


@lru_cache(maxsize=256)
def spoils_step(economic_pressure: float, seed: int = 2021) -> tuple[float, float, float, float]:
    """Step 2: senior softliner share, senior rent left, all officers' rent left, and the
    rent left to the senior officers who are cut out (the excluded elite), last period.

    The same numbers as ``simulate_spoils(boycott=p, sanctions=p, periods=12)`` at its
    default reserves, repression spending and protection, computed for the last period
    only (a unit test checks they agree). Cached: it depends on one setting.
    """
    path = _spoils.pool_path(
        economic_pressure, economic_pressure, SPOILS_RESERVES, SPOILS_REPRESSION, SPOILS_PERIODS
    )
    officers = _spoils._population(SPOILS_OFFICERS, seed)
    pool = np.array([float(path["pool"].iloc[-1])])
    rents = _spoils.allocate(pool, officers, SPOILS_PROTECTION)[0]
    ent = officers["entitlement"].to_numpy()
    cut = rents < officers["reservation"].to_numpy() * ent - 1e-12
    senior = (officers["tier"] == _spoils.TIERS[0]).to_numpy()
    excluded = senior & cut
    excluded_rent = (
        min(1.0, float(rents[excluded].sum() / ent[excluded].sum())) if excluded.any() else 1.0
    )
    return (
        float(cut[senior].mean()),
        min(1.0, float(rents[senior].sum() / ent[senior].sum())),
        min(1.0, float(rents.sum() / ent.sum())),
        excluded_rent,
    )


@lru_cache(maxsize=256)
def absorption_step(
    battlefield_losses: float, absorption: float
) -> tuple[tuple[str, float], ...]:
    """Step 5: the absorption model's end-of-run summary for a six-month wave (cached)."""
    inflow = np.where(np.arange(HORIZON) < WAVE_MONTHS, MAX_INFLOW * battlefield_losses, 0.0)
    run = _absorption.absorption(
        inflow=inflow,
        vetting_speed=VETTING_SPEED,
        capacity=CAPACITY_BASE + CAPACITY_RANGE * absorption,
        funding=FUNDING_BASE + FUNDING_RANGE * absorption,
        release=0.10, exchange=0.05, hold=0.15,  # models-b: pre-recalibration shares, kept
    )
    return tuple(_absorption.summary(run).items())


def _cascade_from(
    troop_first: float, officer_first: float, mean: float, seed: int,
    officer_weight: float = CASCADE_OFFICER_WEIGHT,
) -> _cascade.CascadeResult:
    """Step 4: the two-rank cascade when given shares of each rank leave first.

    Thresholds come from ``cascade``'s own draws (officers are its first
    ``OFFICER_SHARE`` of soldiers); the first movers of each rank get threshold 0, the
    others follow once the weighted share out reaches their threshold. Officers' exits
    count ``officer_weight`` times, so officers leaving can start a top-down cascade and
    mass desertion a bottom-up one.
    """
    raw = _cascade._raw_thresholds(mean, CASCADE_SPREAD, CASCADE_POPULATION, seed)
    n_off = int(round(_cascade.OFFICER_SHARE * raw.size))
    officers, troops = raw[:n_off].copy(), raw[n_off:].copy()
    officers[: min(n_off, int(np.ceil(officer_first * n_off - 1e-9)))] = 0.0
    troops[: min(troops.size, int(np.ceil(troop_first * troops.size - 1e-9)))] = 0.0
    return _cascade.run_thresholds(troops, officers, officer_weight=officer_weight, mean=mean)


def elite_split_step(
    softliners: float, faction_willing: float, bloc_threshold: float = BLOC_THRESHOLD
) -> float:
    """The share of the senior tier that breaks away *together*.

    The senior officers cut out of the spoils (``softliners``) are the faction that could
    split. It acts as one when at least ``BLOC_THRESHOLD`` of its members would leave on
    their own reckoning (``faction_willing``, from the calculus with their shrunken
    stake); then the whole faction goes, carrying its hesitant members. Otherwise there is
    no split, only individual exits.

    >>> elite_split_step(0.6, 0.3), elite_split_step(0.6, 0.1)
    (0.6, 0.0)
    """
    return float(softliners) if faction_willing >= bloc_threshold - 1e-12 else 0.0
