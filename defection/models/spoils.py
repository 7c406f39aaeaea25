"""Spoils model: officers share a pool of rents; shocks shrink it; those cut out become softliners.

The idea comes from the "winners and losers" argument of Lee & McCarthy (2023), which
builds on Lee (2014, *Defect or Defend*): an authoritarian regime holds its officer corps
together by sharing the spoils of power; when the shared pool shrinks, the officers who
are pushed out of it ("losers") are the likeliest softliners, while those who keep their
place ("winners") harden. Kyed & Ah Lynn (2021) describe the same incentive structure
(promotions, benefits, retirement, business concessions) as a structural obstacle to
defection. Lee & McCarthy list the post-coup shocks the model abstracts: consumer
boycotts of military brands, foreign partners leaving joint ventures, sanctions, and a
junta that covers the gap by drawing on reserves and printing money while spending more
on repression.

Assumptions (all deliberately simple; the model illustrates, it forecasts nothing):

* A seeded population of officers in three rank tiers (senior, mid, junior). Each has an
  *entitlement* (its share of the pre-coup pool, larger for higher ranks) and a
  *patronage tie* (closeness to the top, 0–1). Entitlements add up to a pool of 100.
* Each period the pool is ``revenue - repression + reserve draw``, capped at 100:
  revenue falls with boycott strength (the domestic-business half of rents) and with
  sanctions (the foreign-linked part); repression spending is a fixed slice of the
  pre-coup pool diverted every period; the regime covers the gap from reserves but spends
  at most ``drawdown`` of what is left each period, so reserves run down.
* ``protection`` says how the pool is shared when it shrinks: 0 = cuts shared pro rata;
  1 = a patronage queue where officers are paid in order of rank and ties until the pool
  runs out. Values in between mix the two.
* An officer whose rent falls below a personal reservation level (a seeded share of the
  entitlement, 50–90 %) counts as *cut out*: a potential softliner in that period.

Properties the unit tests check: shares stay in [0, 1]; stronger boycotts, sanctions or
repression spending never shrink the softliner pool in any period; larger reserves never
enlarge it; the same seed gives the same result.

Example
-------
>>> run = simulate_spoils(boycott=0.6, sanctions=0.4, reserves=1.0, periods=8)
>>> round(float(run.totals["softliner_share"].iloc[-1]), 2) >= 0
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

#: Rank tiers, from the top down, with their share of officers and relative entitlement.
TIERS: tuple[str, ...] = ("senior", "mid", "junior")
TIER_SHARES = np.array([0.04, 0.26, 0.70])
TIER_WEIGHT = np.array([25.0, 5.0, 1.0])

#: Share of rents that comes from domestic consumer business (hit by boycotts) and from
#: foreign-linked business and trade (hit by sanctions and exits). The rest (land, jade,
#: state contracts) is untouched by either in this model.
DOMESTIC_SHARE = 0.5
FOREIGN_SHARE = 0.3
BASE_POOL = 100.0


@dataclass(frozen=True)
class SpoilsRun:
    """Result of :func:`simulate_spoils`.

    ``by_tier``: one row per period and tier (plus tier ``"all officers"``) with columns
    period, tier, officers, rent_index (mean rent as % of the pre-coup entitlement) and
    softliner_share (share of that tier cut out).
    ``totals``: one row per period with revenue, repression, reserve_draw, pool,
    reserves_left and softliner_share (all officers). Money columns are on a scale where
    the pre-coup pool is 100. Period 0 is the pre-coup baseline.
    """

    by_tier: pd.DataFrame
    totals: pd.DataFrame
    params: dict = field(default_factory=dict)


def officer_population(n_officers: int = 400, seed: int = 2021) -> pd.DataFrame:
    """Seeded officers: tier, entitlement (sums to 100), patronage tie, reservation ratio.

    Patronage ties are drawn higher for senior officers; the queue priority is the tier
    rank plus 1.5 × tie, so a well-connected junior officer can be paid before a poorly
    connected mid-ranking one.
    """
    if n_officers < len(TIERS):
        raise ValueError("need at least one officer per tier")
    rng = np.random.default_rng(seed)
    counts = np.maximum(1, np.round(TIER_SHARES * n_officers).astype(int))
    counts[-1] = n_officers - counts[:-1].sum()
    tier_idx = np.repeat(np.arange(len(TIERS)), counts)
    weight = TIER_WEIGHT[tier_idx] * rng.lognormal(0.0, 0.3, n_officers)
    tie = rng.beta(np.array([5.0, 3.0, 2.0])[tier_idx], np.array([2.0, 3.0, 5.0])[tier_idx])
    reservation = rng.uniform(0.5, 0.9, n_officers)
    priority = (len(TIERS) - 1 - tier_idx) + 1.5 * tie
    return pd.DataFrame(
        {
            "tier": pd.Categorical(np.array(TIERS)[tier_idx], categories=list(TIERS)),
            "entitlement": weight / weight.sum() * BASE_POOL,
            "tie": tie,
            "reservation": reservation,
            "priority": priority,
        }
    )


def pool_path(
    boycott: float,
    sanctions: float,
    reserves: float,
    repression: float,
    periods: int,
    drawdown: float = 0.25,
) -> pd.DataFrame:
    """The pool of rents over time (period 0 = pre-coup baseline, pool 100).

    ``reserves`` is measured in pre-coup pools (1.0 = one period's worth of rents).
    """
    for name, value in {"boycott": boycott, "sanctions": sanctions}.items():
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"{name} must be between 0 and 1, got {value}")
    if reserves < 0 or repression < 0:
        raise ValueError("reserves and repression spending cannot be negative")
    if periods < 1:
        raise ValueError("periods must be at least 1")
    revenue = BASE_POOL * (1.0 - DOMESTIC_SHARE * boycott - FOREIGN_SHARE * sanctions)
    spend = BASE_POOL * repression
    need = max(0.0, BASE_POOL - (revenue - spend))
    left = reserves * BASE_POOL
    rows = [(0, BASE_POOL, 0.0, 0.0, BASE_POOL, left)]
    for t in range(1, periods + 1):
        draw = min(need, drawdown * left)
        pool = min(BASE_POOL, max(0.0, revenue - spend + draw))
        left = left - draw
        rows.append((t, revenue, spend, draw, pool, left))
    return pd.DataFrame(
        rows, columns=["period", "revenue", "repression", "reserve_draw", "pool", "reserves_left"]
    )


def allocate(pool: np.ndarray, officers: pd.DataFrame, protection: float) -> np.ndarray:
    """Rents received, shape (periods, officers), for each period's pool.

    A mix of pro-rata sharing and a patronage queue (highest priority paid first).
    Each officer's rent never falls when the pool grows.
    """
    if not 0.0 <= protection <= 1.0:
        raise ValueError(f"protection must be between 0 and 1, got {protection}")
    ent = officers["entitlement"].to_numpy()
    order = np.argsort(-officers["priority"].to_numpy(), kind="stable")
    before = np.empty_like(ent)
    before[order] = np.cumsum(ent[order]) - ent[order]
    pool = np.asarray(pool, dtype=float)[:, None]
    queue = np.clip(pool - before[None, :], 0.0, ent[None, :])
    pro_rata = ent[None, :] * np.minimum(pool / ent.sum(), 1.0)
    return protection * queue + (1.0 - protection) * pro_rata


def simulate_spoils(
    boycott: float = 0.4,
    sanctions: float = 0.3,
    reserves: float = 1.5,
    repression: float = 0.1,
    protection: float = 0.8,
    periods: int = 12,
    n_officers: int = 400,
    seed: int = 2021,
) -> SpoilsRun:
    """Run the spoils model. All shocks are shares between 0 and 1 except ``reserves``
    (in pre-coup pools) and ``periods`` (any unit; think of quarters)."""
    officers = _population(n_officers, seed)
    path = pool_path(boycott, sanctions, reserves, repression, periods)
    rents = allocate(path["pool"].to_numpy(), officers, protection)
    ent = officers["entitlement"].to_numpy()
    cut = rents < officers["reservation"].to_numpy()[None, :] * ent[None, :] - 1e-12
    tier_codes = officers["tier"].cat.codes.to_numpy()
    # Group sums by tier with one matrix product: columns = senior, mid, junior, all.
    groups = np.zeros((len(ent), len(TIERS) + 1))
    groups[np.arange(len(ent)), tier_codes] = 1.0
    groups[:, -1] = 1.0
    counts = groups.sum(axis=0)
    rent_index = 100.0 * (rents @ groups) / (ent @ groups)
    share = (cut.astype(float) @ groups) / counts
    n_periods = len(path)
    labels = [*TIERS, "all officers"]
    by_tier = pd.DataFrame(
        {
            "period": np.tile(path["period"].to_numpy(), len(labels)),
            "tier": pd.Categorical.from_codes(
                np.repeat(np.arange(len(labels)), n_periods), categories=labels
            ),
            "officers": np.repeat(counts.astype(int), n_periods),
            "rent_index": rent_index.T.ravel(),
            "softliner_share": share.T.ravel(),
        }
    )
    totals = path.assign(softliner_share=cut.mean(axis=1))
    params = dict(
        boycott=boycott,
        sanctions=sanctions,
        reserves=reserves,
        repression=repression,
        protection=protection,
        periods=periods,
        n_officers=n_officers,
        seed=seed,
    )
    return SpoilsRun(by_tier=by_tier, totals=totals, params=params)


@lru_cache(maxsize=8)
def _population(n_officers: int, seed: int) -> pd.DataFrame:
    """The seeded population, built once per (size, seed); callers only read it."""
    return officer_population(n_officers, seed)
