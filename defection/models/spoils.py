"""Spoils model: officers share a pool of rents; the pool shrinks or grows, and the rules break.

Idea
----
Lee & McCarthy (2023, source key ``lee_mccarthy_2023``), after Lee (2014, *Defect or
Defend*, ``lee_2014``): an authoritarian regime holds its officer corps together with
*rules* for sharing the spoils of power (posts, promotions, rents). Splits come when those
rules break: a faction purges rivals and captures posts and rents, and those cut out, the
"losers", become the likeliest softliners, while the "winners" harden. A shrinking pool
(boycotts of military brands, foreign partners leaving, sanctions, a junta covering the
gap from reserves) adds pressure, but the mechanism the authors stress is *exclusion*,
which can happen even when the pool is full. Kyed & Ah Lynn (2021, ``kyed_lynn_2021``)
describe the same incentive structure (promotions, benefits, retirement, business
concessions) as a structural obstacle to defection.

Who is a softliner here, and where the model departs from the literature: O'Donnell &
Schmitter (1986, ``odonnell_schmitter_1986``) call softliners (*blandos*) those members of
the regime elite who come to think it needs some opening to survive: a strategic outlook,
not a material position. Lee's "losers" of the share-out are one source of them, not the
same thing: Myanmar's liberalisers of 2011, Thein Sein and Shwe Mann, were winners of the
old share-out. This model can only see the material route, so it counts a senior officer
cut out of the spoils as a **softliner** (the elite's losers, in Lee's sense); cut-out
mid-ranking and junior officers are counted as **excluded** (aggrieved officers,
potential defectors, not regime softliners). Svolik (2012, ``svolik_2012``) is a
different argument: the ruler and his allies cannot commit to sharing power, and an army
the regime needs for repression gains leverage over it; the scenario chain (lesson 5)
uses that idea, this model does not.

War rents (the pool can grow and be steered). A civil war does not only shrink rents: it
creates new ones, and a regime can hand them to the commanders it needs. Examples in the
course's sources and data: fees for exemption from conscription (a paid substitute
reportedly cost up to 8 million kyat, ``cni_2025_conscription``), checkpoint levies,
foreign-exchange and import licences, jade and rare earths in the contested north, and
protection of scam centres. The model does not measure any of them; it adds one invented
stream, ``war_rents``, and lets the regime *steer* a share of it to the senior commanders.

Assumptions (all deliberately simple and invented; the model illustrates, it forecasts
nothing)
---------------------------------------------------------------------------------------
* A seeded population of officers in three rank tiers (senior = the elite, mid, junior).
  Each has an *entitlement* under the old rules (its share of the pre-coup pool, larger
  for higher ranks; entitlements add up to 100) and a *patronage tie* (closeness to the
  top, 0-1).
* The **ruling faction** is, in every tier, the half (``FACTION_SHARE``) of officers with
  the strongest ties: a patronage network reaching down the ranks. The other half of the
  senior tier are elite members outside it.
* The pool each period is ``revenue - repression + war rents + reserve draw``: revenue
  falls with boycott strength (the domestic-business half of rents) and with sanctions
  (the foreign-linked part); the other fifth (land, state contracts, older concessions)
  is left alone by both; repression spending is a fixed slice of the pre-coup pool
  diverted every period; the regime covers any gap below 100 from reserves but spends at
  most ``drawdown`` of what is left each period, so reserves run down.
* **War rents**: ``war_rents`` (0-1) adds up to ``WAR_RENT_MAX`` (40, i.e. 40 % of the
  pre-coup pool) a period, building up evenly over ``WAR_RENT_RAMP`` (4) periods. With
  them the pool can pass its pre-coup size. ``steer`` (0-1) is the share of each period's
  war rents the regime hands straight to senior commanders still in post: first to those
  who would otherwise be cut out, cheapest first (buying back the most loyalty for the
  money), the rest to the senior tier in proportion to entitlement. The other war rents
  join the pool and are shared by the usual rules. Steered rents cannot buy back the
  purged: they have lost their posts.
* **Rule break, capture**: the ruling faction claims ``1 + capture`` times its old
  entitlement (0 = the old rules) and moves up the patronage queue by
  ``CAPTURE_PRIORITY * capture`` ranks. **Rule break, purge**: a share ``purge`` of the
  officers outside the faction (picked by a seeded draw, in every tier) lose their posts;
  the faction takes over their rents, so no other outsider gains from a purge. Both
  exclude officers however full the pool is.
* ``protection`` says how the pool is shared among the claims: 0 = pro rata; 1 = a
  patronage queue in order of rank and ties until the pool runs out. Values in between
  mix the two.
* An officer whose rent falls below a personal reservation level (a seeded share of the
  entitlement under the old rules, 50-90 %) counts as *cut out* in that period.

Properties the unit tests check: shares stay in [0, 1]; stronger boycotts, sanctions or
repression spending never shrink the excluded pool in any period; larger reserves never
enlarge it; more capture or a wider purge never shrinks the excluded share outside the
faction, and a purge never excludes a faction member (the winners gain); a purge or
capture excludes senior officers even with no economic shock at all; rents always add up
to the pool; more war rents never shrink the pool or raise the softliner share, and a
growing, steered pool buys back senior officers cut out by shrinking rents or capture,
but never the purged; the same seed gives the same result.

Example
-------
>>> run = simulate_spoils(boycott=0.6, sanctions=0.4, reserves=1.0, periods=8)
>>> 0 <= float(run.totals["softliner_share"].iloc[-1]) <= 1
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
#: foreign-linked business and trade (hit by sanctions and exits). The rest (land, state
#: contracts, older concessions) is untouched by either; new war rents come on top.
DOMESTIC_SHARE = 0.5
FOREIGN_SHARE = 0.3
BASE_POOL = 100.0
#: War rents at full strength, per period, in pre-coup pools × 100 (invented), and the
#: number of periods they take to build up (invented).
WAR_RENT_MAX = 40.0
WAR_RENT_RAMP = 4
#: Share of each tier (those with the strongest patronage ties) in the ruling faction.
FACTION_SHARE = 0.5
#: How far the ruling faction jumps the patronage queue at full capture (in queue ranks).
CAPTURE_PRIORITY = 3.0


@dataclass(frozen=True)
class SpoilsRun:
    """Result of :func:`simulate_spoils`.

    ``by_tier``: one row per period and group with columns period, tier, officers,
    rent_index (mean rent as % of the entitlement under the old rules; above 100 when a
    group takes more than it used to) and excluded_share (share of that group cut out).
    The groups are the three tiers, ``"all officers"``, ``"ruling faction"`` and
    ``"outside the faction"``.
    ``totals``: one row per period with revenue, repression, war_rents, steered (war
    rents paid straight to senior commanders), reserve_draw, pool, reserves_left,
    excluded_share (all officers cut out) and softliner_share (the elite,
    i.e. the senior tier, cut out). Money columns are on a scale where the pre-coup pool
    is 100. Period 0 is the pre-coup baseline, before any shock or rule break.
    """

    by_tier: pd.DataFrame
    totals: pd.DataFrame
    params: dict = field(default_factory=dict)


def officer_population(n_officers: int = 400, seed: int = 2021) -> pd.DataFrame:
    """Seeded officers: tier, entitlement (sums to 100), patronage tie, reservation ratio.

    Patronage ties are drawn higher for senior officers; the queue priority is the tier
    rank plus 1.5 × tie, so a well-connected junior officer can be paid before a poorly
    connected mid-ranking one. ``in_faction`` marks the ruling faction (strongest ties);
    ``purge_rank`` orders the outsiders for a purge (lowest first).
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
    purge_rank = rng.uniform(0.0, 1.0, n_officers)  # drawn last: earlier draws unchanged
    in_faction = np.zeros(n_officers, dtype=bool)
    for t in range(len(TIERS)):  # in every tier, the members with the strongest ties
        members = np.flatnonzero(tier_idx == t)
        top = members[np.argsort(-tie[members], kind="stable")]
        in_faction[top[: int(round(FACTION_SHARE * members.size))]] = True
    return pd.DataFrame(
        {
            "tier": pd.Categorical(np.array(TIERS)[tier_idx], categories=list(TIERS)),
            "entitlement": weight / weight.sum() * BASE_POOL,
            "tie": tie,
            "reservation": reservation,
            "priority": priority,
            "in_faction": in_faction,
            "purge_rank": purge_rank,
        }
    )


def pool_path(
    boycott: float,
    sanctions: float,
    reserves: float,
    repression: float,
    periods: int,
    drawdown: float = 0.25,
    war_rents: float = 0.0,
) -> pd.DataFrame:
    """The pool of rents over time (period 0 = pre-coup baseline, pool 100).

    ``reserves`` is measured in pre-coup pools (1.0 = one period's worth of rents).
    ``war_rents`` (0-1) adds a stream that builds up to ``WAR_RENT_MAX`` a period; the
    regime draws on reserves only for what is still missing below 100.
    """
    for name, value in {"boycott": boycott, "sanctions": sanctions}.items():
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"{name} must be between 0 and 1, got {value}")
    _check_unit(war_rents=war_rents)
    if reserves < 0 or repression < 0:
        raise ValueError("reserves and repression spending cannot be negative")
    if periods < 1:
        raise ValueError("periods must be at least 1")
    revenue = BASE_POOL * (1.0 - DOMESTIC_SHARE * boycott - FOREIGN_SHARE * sanctions)
    spend = BASE_POOL * repression
    left = reserves * BASE_POOL
    rows = [(0, BASE_POOL, 0.0, 0.0, 0.0, BASE_POOL, left)]
    for t in range(1, periods + 1):
        war = WAR_RENT_MAX * war_rents * min(1.0, t / WAR_RENT_RAMP)
        base = revenue - spend + war
        draw = min(max(0.0, BASE_POOL - base), drawdown * left)
        pool = max(0.0, base + draw)
        left = left - draw
        rows.append((t, revenue, spend, war, draw, pool, left))
    return pd.DataFrame(
        rows,
        columns=["period", "revenue", "repression", "war_rents", "reserve_draw", "pool",
                 "reserves_left"],
    )


def claims(officers: pd.DataFrame, capture: float = 0.0) -> np.ndarray:
    """What each officer claims once the faction takes more (old entitlements at 0).

    The ruling faction claims ``1 + capture`` times its entitlement; everyone else keeps
    the old entitlement.
    """
    _check_unit(capture=capture)
    ent = officers["entitlement"].to_numpy()
    return np.where(officers["in_faction"].to_numpy(), ent * (1.0 + capture), ent)


def purged(officers: pd.DataFrame, purge: float) -> np.ndarray:
    """Which officers a purge of strength ``purge`` removes: outsiders, lowest rank first."""
    _check_unit(purge=purge)
    return ~officers["in_faction"].to_numpy() & (officers["purge_rank"].to_numpy() < purge)


def _hand_to_faction(rents: np.ndarray, officers: pd.DataFrame, removed: np.ndarray,
                     claim: np.ndarray) -> np.ndarray:
    """The purged lose their rents; the faction takes them over in proportion to its claims.

    The purged officers' places in the sharing stay where they were, so nobody else
    outside the faction gains or loses from a purge: the posts are captured, not shared.
    """
    if not removed.any():
        return rents
    faction = officers["in_faction"].to_numpy()
    taken = rents[:, removed].sum(axis=1, keepdims=True)
    weights = np.where(faction, claim, 0.0)
    out = np.where(removed[None, :], 0.0, rents)
    if weights.sum() > 0:
        out = out + taken * (weights / weights.sum())[None, :]
    return out


def _check_unit(**values: float) -> None:
    for name, value in values.items():
        if not 0.0 <= float(value) <= 1.0:  # also rejects NaN
            raise ValueError(f"{name} must be between 0 and 1, got {value}")


def allocate(
    pool: np.ndarray, officers: pd.DataFrame, protection: float,
    claim: np.ndarray | None = None, capture: float = 0.0,
) -> np.ndarray:
    """Rents received, shape (periods, officers), for each period's pool.

    A mix of pro-rata sharing and a patronage queue (highest priority paid first, the
    ruling faction moved up by ``capture``), over each officer's ``claim`` (default: the
    entitlement under the old rules). Each officer's rent never falls when the pool grows.
    """
    _check_unit(protection=protection, capture=capture)
    ent = officers["entitlement"].to_numpy() if claim is None else np.asarray(claim, float)
    priority = officers["priority"].to_numpy() + CAPTURE_PRIORITY * capture * officers[
        "in_faction"
    ].to_numpy()
    order = np.argsort(-priority, kind="stable")
    before = np.empty_like(ent)
    before[order] = np.cumsum(ent[order]) - ent[order]
    pool = np.asarray(pool, dtype=float)[:, None]
    queue = np.clip(pool - before[None, :], 0.0, ent[None, :])
    total = ent.sum()
    pro_rata = ent[None, :] * np.minimum(pool / total, 1.0) if total > 0 else 0.0 * queue
    rents = protection * queue + (1.0 - protection) * pro_rata
    if total > 0:
        rents = rents + np.maximum(pool - total, 0.0) * (ent / total)[None, :]
    return rents


def _steer(rents: np.ndarray, officers: pd.DataFrame, removed: np.ndarray,
           steered: np.ndarray) -> np.ndarray:
    """Add each period's steered war rents to the senior commanders still in post.

    First the shortfalls below each one's reservation level are closed, smallest first
    (the cheapest loyalty is bought first); what is left goes to the senior tier in
    proportion to entitlement. The purged get nothing: they hold no command to buy.
    """
    senior = (officers["tier"].cat.codes.to_numpy() == 0) & ~removed
    if not senior.any() or not np.any(steered > 0):
        return rents
    ent = officers["entitlement"].to_numpy()
    target = officers["reservation"].to_numpy() * ent
    share = np.where(senior, ent, 0.0) / ent[senior].sum()
    out = rents.copy()
    for t in np.flatnonzero(steered > 0):
        gap = np.where(senior, np.maximum(target - out[t], 0.0), 0.0)
        idx = np.flatnonzero(gap > 0)
        order = idx[np.argsort(gap[idx], kind="stable")]
        before = np.cumsum(gap[order]) - gap[order]
        pay = np.clip(steered[t] - before, 0.0, gap[order])
        out[t, order] += pay
        out[t] += max(0.0, steered[t] - pay.sum()) * share
    return out


def rents_under_rules(
    path: pd.DataFrame, officers: pd.DataFrame, protection: float, capture: float,
    purge: float, steer: float,
) -> np.ndarray:
    """Rents for every period of ``path`` under broken rules and steered war rents.

    Shared by :func:`simulate_spoils` and the scenario chain (lesson 5), so that both
    compute the same rents. Period 0 is *not* reset to the old rules here.
    """
    _check_unit(steer=steer)
    pools = path["pool"].to_numpy()
    steered = steer * path["war_rents"].to_numpy()
    claim = claims(officers, capture)
    removed = purged(officers, purge)
    rents = allocate(pools - steered, officers, protection, claim, capture)
    rents = _hand_to_faction(rents, officers, removed, claim)
    return _steer(rents, officers, removed, steered)


def simulate_spoils(
    boycott: float = 0.4,
    sanctions: float = 0.3,
    reserves: float = 1.5,
    repression: float = 0.1,
    protection: float = 0.8,
    periods: int = 12,
    n_officers: int = 400,
    seed: int = 2021,
    *,
    capture: float = 0.0,
    purge: float = 0.0,
    war_rents: float = 0.0,
    steer: float = 0.0,
) -> SpoilsRun:
    """Run the spoils model. All shocks are shares between 0 and 1 except ``reserves``
    (in pre-coup pools) and ``periods`` (any unit; think of quarters). ``capture`` and
    ``purge`` (0-1) break the sharing rules from period 1 on; at 0 the old rules hold.
    ``war_rents`` (0-1) lets the pool grow; ``steer`` (0-1) is the share of war rents
    handed straight to senior commanders."""
    officers = _population(n_officers, seed)
    path = pool_path(boycott, sanctions, reserves, repression, periods, war_rents=war_rents)
    pools = path["pool"].to_numpy()
    ent = officers["entitlement"].to_numpy()
    _check_unit(capture=capture, purge=purge)
    rents = rents_under_rules(path, officers, protection, capture, purge, steer)
    rents[0] = allocate(pools[:1], officers, protection)[0]  # period 0: the old rules
    cut = rents < officers["reservation"].to_numpy()[None, :] * ent[None, :] - 1e-12
    tier_codes = officers["tier"].cat.codes.to_numpy()
    faction = officers["in_faction"].to_numpy()
    # Group sums with one matrix product: senior, mid, junior, all, faction, outsiders.
    labels = [*TIERS, "all officers", "ruling faction", "outside the faction"]
    groups = np.zeros((len(ent), len(labels)))
    groups[np.arange(len(ent)), tier_codes] = 1.0
    groups[:, len(TIERS)] = 1.0
    groups[:, len(TIERS) + 1] = faction
    groups[:, len(TIERS) + 2] = ~faction
    counts = groups.sum(axis=0)
    rent_index = 100.0 * (rents @ groups) / np.maximum(ent @ groups, 1e-12)
    share = (cut.astype(float) @ groups) / np.maximum(counts, 1)
    n_periods = len(path)
    by_tier = pd.DataFrame(
        {
            "period": np.tile(path["period"].to_numpy(), len(labels)),
            "tier": pd.Categorical.from_codes(
                np.repeat(np.arange(len(labels)), n_periods), categories=labels
            ),
            "officers": np.repeat(counts.astype(int), n_periods),
            "rent_index": rent_index.T.ravel(),
            "excluded_share": share.T.ravel(),
        }
    )
    totals = path.assign(
        steered=steer * path["war_rents"].to_numpy(),
        excluded_share=share[:, len(TIERS)],
        softliner_share=share[:, 0],
    )
    totals = totals[["period", "revenue", "repression", "war_rents", "steered", "reserve_draw",
                     "pool", "reserves_left", "excluded_share", "softliner_share"]]
    params = dict(
        boycott=boycott,
        sanctions=sanctions,
        reserves=reserves,
        repression=repression,
        protection=protection,
        periods=periods,
        n_officers=n_officers,
        seed=seed,
        capture=capture,
        purge=purge,
        war_rents=war_rents,
        steer=steer,
    )
    return SpoilsRun(by_tier=by_tier, totals=totals, params=params)


@lru_cache(maxsize=8)
def _population(n_officers: int, seed: int) -> pd.DataFrame:
    """The seeded population, built once per (size, seed); callers only read it."""
    return officer_population(n_officers, seed)
