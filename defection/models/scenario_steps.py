"""The steps of the scenario chain, one function each (see ``defection.models.scenario``).

The chain's module docstring explains every step and its sources; this module holds the
step functions and their constants so the chain itself stays short. Every constant here
is invented for teaching, not estimated.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import numpy as np

from defection.models import absorption as _absorption
from defection.models import cascade as _cascade
from defection.models import spoils as _spoils

__all__ = [
    "BLOC_THRESHOLD", "CASCADE_OFFICER_WEIGHT", "SpoilsLink", "absorption_step",
    "elite_split_step", "expected_survival", "spoils_step",
]

#: A faction of the excluded elite acts as one when this share of it would leave anyway.
BLOC_THRESHOLD = 0.25
#: How many soldiers one officer's defection counts as in the chain's cascade (step 4).
CASCADE_OFFICER_WEIGHT = 3.0

# Step constants (invented, documented in the module docstring).
SURVIVAL_BASE, SURVIVAL_LOSSES, SURVIVAL_PRESSURE = 0.75, 0.5, 0.2
#: Weight of foreign patrons in survival; at the default 0.5 they add 0.1 (invented).
SURVIVAL_PATRONS = 0.2
#: Share of war rents the regime steers straight to senior commanders (invented).
SPOILS_STEER = 0.5
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


def expected_survival(
    battlefield_losses: float, economic_pressure: float, patrons: float = 0.5
) -> float:
    """Step 1: the regime's expected survival that every soldier shares (0.05-0.95).

    Foreign patrons (arms, aircraft, jet fuel, diplomatic cover) raise it; at the
    default 0.5 the formula gives what the chain gave before patrons were added.

    >>> expected_survival(0.1, 0.5)
    0.7
    """
    s = (
        SURVIVAL_BASE
        + SURVIVAL_PATRONS * patrons
        - SURVIVAL_LOSSES * battlefield_losses
        - SURVIVAL_PRESSURE * economic_pressure
    )
    return round(float(np.clip(s, 0.05, 0.95)), 10)


class SpoilsLink(NamedTuple):
    """What step 2 passes on; every share is of the senior tier unless it says otherwise."""

    softliners: float  #: senior officers cut out (purged or paid below their reservation)
    senior_rent: float  #: senior tier's rent as a share of its old entitlement (max 1)
    officer_rent: float  #: all officers' rent as a share of their old entitlement (max 1)
    excluded_rent: float  #: rent left to the senior officers cut out (1 if none)
    purged: float  #: senior officers purged (they lose their commands)
    aggrieved_in_post: float  #: cut out by the broken rules, not purged: grievance + command
    outsiders_in_post_paid: float  #: outside the faction, in post, not cut out


@lru_cache(maxsize=1024)
def spoils_step(
    economic_pressure: float, seed: int = 2021, purge: float = 0.0, capture: float = 0.0,
    war_rents: float = 0.0,
) -> SpoilsLink:
    """Step 2: the spoils model's last period, reduced to what the later steps need.

    The same rents as ``simulate_spoils(boycott=p, sanctions=p, periods=12, purge=...,
    capture=..., war_rents=..., steer=SPOILS_STEER)`` at its default reserves,
    repression spending and protection, computed for the last period only (a unit test
    checks they agree). Cached: it depends on five numbers.
    """
    path = _spoils.pool_path(
        economic_pressure, economic_pressure, SPOILS_RESERVES, SPOILS_REPRESSION,
        SPOILS_PERIODS, war_rents=war_rents,
    )
    officers = _spoils._population(SPOILS_OFFICERS, seed)
    rents = _spoils.rents_under_rules(
        path.iloc[[-1]], officers, SPOILS_PROTECTION, capture, purge, SPOILS_STEER
    )[0]
    ent = officers["entitlement"].to_numpy()
    floor = officers["reservation"].to_numpy() * ent - 1e-12
    cut = rents < floor
    if purge or capture:  # who would be cut out anyway, by the pool alone
        old = _spoils.rents_under_rules(
            path.iloc[[-1]], officers, SPOILS_PROTECTION, 0.0, 0.0, SPOILS_STEER
        )[0]
        by_rules = cut & ~(old < floor)
    else:
        by_rules = np.zeros_like(cut)
    senior = (officers["tier"] == _spoils.TIERS[0]).to_numpy()
    removed = _spoils.purged(officers, purge)
    outsider = ~officers["in_faction"].to_numpy()
    excluded = senior & cut
    excluded_rent = (
        min(1.0, float(rents[excluded].sum() / ent[excluded].sum())) if excluded.any() else 1.0
    )
    n_senior = senior.sum()
    return SpoilsLink(
        float(cut[senior].mean()),
        min(1.0, float(rents[senior].sum() / ent[senior].sum())),
        min(1.0, float(rents.sum() / ent.sum())),
        excluded_rent,
        float((senior & removed).sum() / n_senior),
        float((senior & by_rules & ~removed).sum() / n_senior),
        float((senior & outsider & ~removed & ~cut).sum() / n_senior),
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
