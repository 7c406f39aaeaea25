"""Threshold model of a defection cascade inside an army (teaching model, forecasts nothing).

Idea
----
Granovetter (1978, source key ``granovetter_1978``) showed that a crowd's behaviour can
hinge on the spread of individual *thresholds*: how many others must act before each
person will. Plot, for every share already acting, the share whose threshold is met at
that point: where this curve lies above the diagonal each round pulls in more people; the
process stops where the curve first meets the diagonal. The point where the curve crosses
the diagonal *from below* is the **critical mass**: once that many have acted, for
whatever reason, the cascade feeds itself. His two crowds of 100 show it: thresholds
0, 1, ..., 99 riot to the last person; replace the 1 by a 2 and the riot stops with its
instigator, although a second person out at the start (a critical mass of 2 %) would have
set off all hundred.

Kurzman (1996, ``kurzman_1996``) added that people act on the opportunity they *perceive*,
not on the one outside observers measure; a regime that hides defections changes what
soldiers see. Lee & McCarthy (2023, ``lee_mccarthy_2023``) apply both ideas to armies:
visible defection lowers the risk others perceive, and a defection by officers can run
down the chain of command (top-down) while mass desertion can also pull officers along
(bottom-up).

Assumptions (deliberately simple; every number is invented for teaching)
-----------------------------------------------------------------------
* Every soldier has a personal threshold in [0, 1]: the share of the force that must
  already have defected before they will. A threshold of 0 marks a first mover.
* Thresholds are ``mean + spread * z`` clipped to [0, 1], with ``z`` standard normal
  draws fixed by ``seed``. The mean rises with repression (punishment, surveillance) and
  falls with incentives (rewards, pay, protection) and exit options (somewhere to go).
  The weights in ``WEIGHTS`` are illustrative, not estimates.
* Two ranks: ``OFFICER_SHARE`` of the soldiers (5 %, an invented round number) are
  officers; their thresholds are shifted by ``officer_shift`` (negative: officers are
  bolder than their men, e.g. because they are cut out of the spoils; positive: they have
  more to lose).
* What soldiers react to is a *weighted* share: each officer who has defected counts as
  ``officer_weight`` soldiers (1 = officers count like anyone else; 10 = an officer's
  defection weighs like ten privates'). The same weighted share drives officers and men.
* Information control (Kurzman): soldier ``i`` sees only a fraction
  ``1 - information_control * u_i`` of the defections that happened, with ``u_i`` uniform
  in [0, 1) and fixed by ``seed`` (some units hear everything, isolated ones little). A
  soldier acts when the share they *see* reaches their threshold, so their effective
  threshold is ``threshold / seen_fraction``. The model has no rumours that exaggerate
  defection: the regime can only hide it.
* Rounds are synchronous: in round ``k`` everyone whose effective threshold is at or below
  the weighted share after round ``k - 1`` defects. Nobody returns, and the regime does not
  change its policy during a run.

Reference groups and surprise (``unit_cascade``, ``kuran_table``)
-----------------------------------------------------------------
Here every soldier reacts to one force-wide share. Granovetter discussed how people may
weigh friends' acts more than strangers', and Koehler, Ohl & Albrecht (2016,
``koehler_ohl_albrecht_2016``) found soldiers' close ties decisive for desertion in
Syria. :func:`unit_cascade` adds one reference group, the soldier's own unit: each
reacts to a weighted mix of the unit's share and the (seen) force-wide share, and units
differ in mood by a seeded shift of their members' thresholds (``UNIT_SPREAD``,
invented). It departs from the literature in having only one kind of group (no officers
as a separate reference, no ties across units) and fixed, equal units. It shows pockets:
units that go almost entirely while the force as a whole stalls.

Kuran (1991, ``kuran_1991``) argued that preference falsification makes revolutions
unpredictable. :func:`kuran_table` shows it with this model: armies that look identical
from outside (nobody out before the first move) end in a full cascade or a stall after
a change of 0.01 in repression, or with another draw from the same distribution.

Properties the unit tests check: shares stay in [0, 1]; because the same draws are reused
for every setting, more repression, a higher officer shift or more information control
never raise the final share; more incentives or exit options never lower it; the same seed
gives the same result; Granovetter's two crowds give a full cascade and a stall with a
critical mass of 2 %; without units the unit model is the force-wide one; units can
tip where the force-wide model stalls; a step of 0.01 in repression can flip an outcome.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

#: Mean threshold with no repression, incentives or exit options.
BASE_MEAN = 0.25
#: How much each lever moves the mean threshold (per unit of the lever, 0..1).
WEIGHTS = {"repression": 0.5, "incentives": -0.25, "exit_options": -0.2}
#: A cascade "takes off" when at least this share of the force ends up defecting.
MAJORITY = 0.5
#: Share of the force who are officers (an invented round number, not a Tatmadaw figure).
OFFICER_SHARE = 0.05
#: Safety cap on rounds when computing the end point exactly (one soldier a round at worst).
_MAX_EXACT = 1_000_000


@dataclass(frozen=True)
class CascadeResult:
    """What one run of :func:`cascade` (or :func:`run_thresholds`) returns.

    ``rounds`` has columns ``round`` (0..max_rounds), ``share`` (share of all soldiers out
    after that round), ``officers`` and ``rank_and_file`` (share of each rank out) and
    ``weighted`` (the weighted share soldiers react to). Round 0 is before anyone moves.

    ``final_share`` is the exact end point (share of all soldiers), ``officers_out`` and
    ``rank_and_file_out`` the same per rank. ``stall_point`` is the weighted share at which
    the threshold curve first meets the diagonal (where the cascade stops).
    ``critical_mass`` is the weighted share at which the curve crosses the diagonal from
    below for the last time before a majority: push that share out and the cascade feeds
    itself past a majority. It is ``0.0`` when the first movers alone are enough, and
    ``None`` when the curve never climbs back above the diagonal before a majority.
    ``rounds_to_majority`` counts the rounds until a majority is out (``None`` if never);
    ``rounds_to_stop`` the rounds until nobody new moves. ``led_by`` names the rank that
    had half of its members out first (``"officers"``, ``"rank and file"``, ``"both"``
    when in the same round, ``None`` when neither did).
    """

    rounds: pd.DataFrame
    officer_thresholds: np.ndarray
    troop_thresholds: np.ndarray
    officer_weight: float
    mean_threshold: float
    final_share: float
    officers_out: float
    rank_and_file_out: float
    stall_point: float
    critical_mass: float | None
    rounds_to_majority: int | None
    rounds_to_stop: int
    converged: bool
    led_by: str | None

    @property
    def tipped(self) -> bool:
        """True when the cascade took off (a majority of all soldiers defected)."""
        return self.final_share >= MAJORITY

    @property
    def thresholds(self) -> np.ndarray:
        """Every soldier's effective threshold, sorted (both ranks together)."""
        return np.sort(np.concatenate([self.officer_thresholds, self.troop_thresholds]))

    @property
    def population(self) -> int:
        """Number of soldiers in the run."""
        return int(self.officer_thresholds.size + self.troop_thresholds.size)


def mean_threshold(repression: float, incentives: float, exit_options: float) -> float:
    """Mean threshold implied by the three levers (each on a 0..1 scale).

    >>> round(mean_threshold(0.5, 0.3, 0.3), 3)
    0.365
    """
    return float(
        BASE_MEAN
        + WEIGHTS["repression"] * repression
        + WEIGHTS["incentives"] * incentives
        + WEIGHTS["exit_options"] * exit_options
    )


def draw_thresholds(mean: float, spread: float, population: int, seed: int = 2021) -> np.ndarray:
    """Sorted thresholds: ``mean + spread * z`` clipped to [0, 1] (same ``z`` for a seed)."""
    return np.sort(_raw_thresholds(mean, spread, population, seed))


def _raw_thresholds(mean: float, spread: float, population: int, seed: int) -> np.ndarray:
    if population < 1:
        raise ValueError(f"population must be at least 1 soldier, got {population}")
    if spread < 0:
        raise ValueError(f"spread cannot be negative, got {spread}")
    z = np.random.default_rng(seed).standard_normal(int(population))
    return np.clip(mean + spread * z, 0.0, 1.0)


def seen_fraction(information_control: float, population: int, seed: int = 2021) -> np.ndarray:
    """Share of the real defections each soldier sees: ``1 - control * u`` (``u`` seeded).

    The draws come from their own stream, so changing the control never changes anyone's
    threshold, only what they see.
    """
    _check_unit("information_control", information_control)
    u = np.random.default_rng([int(seed), 1978]).uniform(0.0, 1.0, int(population))
    return 1.0 - information_control * u


def granovetter_crowd(replace_one_with_two: bool = False) -> np.ndarray:
    """Granovetter's crowd of 100 as shares: thresholds 0, 1, ..., 99 people out of 100.

    With ``replace_one_with_two=True`` the person whose threshold was 1 gets 2 instead.

    >>> run_thresholds(granovetter_crowd()).final_share
    1.0
    >>> run_thresholds(granovetter_crowd(True)).final_share
    0.01
    """
    people = np.arange(100)
    if replace_one_with_two:
        people[1] = 2
    return np.sort(people) / 100


def _check_unit(name: str, value: float) -> None:
    if not 0.0 <= float(value) <= 1.0:  # also rejects NaN
        raise ValueError(f"{name} must be between 0 and 1, got {value}")


def _ready(officers: np.ndarray, troops: np.ndarray, x: np.ndarray | float):
    """Counts of officers and of rank and file whose effective threshold is <= ``x``."""
    return (np.searchsorted(officers, x, side="right"),
            np.searchsorted(troops, x, side="right"))


def _weighted(c_off, c_troops, n_off: int, n_troops: int, weight: float):
    return (c_troops + weight * c_off) / (n_troops + weight * n_off)


def _critical_mass(officers, troops, weight, target=MAJORITY) -> float | None:
    """The last crossing of the diagonal from below, short of a weighted share ``target``.

    The curve ``F`` is a step function that jumps at each threshold. On a step
    ``[a, b)`` where it stays at ``F(a)``, the cascade can stop only if ``F(a) < b``; the
    critical mass is the right end ``b`` of the last such step that starts below the
    target (where the curve jumps back above the diagonal for good).
    """
    n_off, n_troops = officers.size, troops.size
    points = np.unique(np.concatenate([[0.0], officers, troops]))
    points = points[points <= 1.0]
    c_off, c_troops = _ready(officers, troops, points)
    curve = _weighted(c_off, c_troops, n_off, n_troops, weight)
    ends = np.append(points[1:], np.inf)
    can_stop = (curve < ends) & (np.maximum(points, curve) < target)
    if not can_stop.any():
        return 0.0
    last = int(np.flatnonzero(can_stop)[-1])
    end = float(ends[last])
    return end if end < target else None


def run_thresholds(
    troop_thresholds,
    officer_thresholds=(),
    *,
    officer_weight: float = 1.0,
    max_rounds: int = 40,
    mean: float | None = None,
) -> CascadeResult:
    """Run the cascade on given (effective) thresholds, as shares in [0, 1] or above.

    This is the model's engine; :func:`cascade` draws the thresholds and calls it. Use it
    directly for hand-made crowds such as :func:`granovetter_crowd`.
    """
    troops = np.sort(np.asarray(troop_thresholds, dtype=float).ravel())
    officers = np.sort(np.asarray(officer_thresholds, dtype=float).ravel())
    n_off, n_troops = officers.size, troops.size
    n = n_off + n_troops
    if n < 1:
        raise ValueError("a cascade needs at least one soldier")
    if np.isnan(troops).any() or np.isnan(officers).any() or (troops < 0).any() or (
        officers < 0
    ).any():
        raise ValueError("thresholds must be numbers of 0 or more (shares of the force)")
    if not officer_weight > 0:
        raise ValueError(f"officer_weight must be above 0, got {officer_weight}")
    if max_rounds < 1:
        raise ValueError(f"max_rounds must be at least 1, got {max_rounds}")

    # Run until nobody new moves (exact end point); keep the first max_rounds for the table.
    history = [(0, 0)]
    c_off = c_troops = 0
    while len(history) <= _MAX_EXACT:
        x = _weighted(c_off, c_troops, n_off, n_troops, officer_weight)
        new_off, new_troops = _ready(officers, troops, x)
        if new_off == c_off and new_troops == c_troops:
            break
        c_off, c_troops = int(new_off), int(new_troops)
        history.append((c_off, c_troops))
    rounds_to_stop = len(history) - 1
    steps = np.array(history, dtype=float)
    table = np.vstack([steps[: max_rounds + 1],
                       np.repeat(steps[-1:], max(0, max_rounds + 1 - len(steps)), axis=0)])
    off_share = table[:, 0] / max(n_off, 1)
    troop_share = table[:, 1] / max(n_troops, 1)
    share = (table[:, 0] + table[:, 1]) / n
    weighted = _weighted(table[:, 0], table[:, 1], n_off, n_troops, officer_weight)
    all_shares = (steps[:, 0] + steps[:, 1]) / n

    majority = np.flatnonzero(all_shares >= MAJORITY)
    led_by = _leader(steps, n_off, n_troops)
    final_off = c_off / n_off if n_off else 0.0
    final_troops = c_troops / n_troops if n_troops else 0.0
    rounds = pd.DataFrame({
        "round": np.arange(max_rounds + 1),
        "share": share,
        "officers": off_share,
        "rank_and_file": troop_share,
        "weighted": weighted,
    })
    return CascadeResult(
        rounds=rounds,
        officer_thresholds=officers,
        troop_thresholds=troops,
        officer_weight=float(officer_weight),
        mean_threshold=float(np.mean(np.concatenate([officers, troops])) if mean is None else mean),
        final_share=float((c_off + c_troops) / n),
        officers_out=float(final_off),
        rank_and_file_out=float(final_troops),
        stall_point=float(_weighted(c_off, c_troops, n_off, n_troops, officer_weight)),
        critical_mass=_critical_mass(officers, troops, officer_weight),
        rounds_to_majority=int(majority[0]) if majority.size else None,
        rounds_to_stop=rounds_to_stop,
        converged=rounds_to_stop <= max_rounds,
        led_by=led_by,
    )


def _leader(steps: np.ndarray, n_off: int, n_troops: int) -> str | None:
    """Which rank had half of its members out first (see :class:`CascadeResult`)."""
    def first_half(column: int, size: int) -> float:
        if size == 0:
            return np.inf
        hit = np.flatnonzero(steps[:, column] >= size / 2)
        return float(hit[0]) if hit.size else np.inf

    off, troops = first_half(0, n_off), first_half(1, n_troops)
    if off == troops:
        return None if np.isinf(off) else "both"
    return "officers" if off < troops else "rank and file"


def cascade(
    repression: float = 0.5,
    incentives: float = 0.3,
    exit_options: float = 0.3,
    spread: float = 0.2,
    population: int = 1000,
    seed: int = 2021,
    max_rounds: int = 40,
    *,
    information_control: float = 0.0,
    officer_shift: float = 0.0,
    officer_weight: float = 1.0,
    officer_share: float = OFFICER_SHARE,
) -> CascadeResult:
    """Run the threshold model and report the defecting share round by round.

    Parameters are on 0..1 scales except ``population`` (soldiers), ``max_rounds`` (rows
    of the round table; the end point is always computed exactly), ``officer_shift``
    (added to officers' thresholds, -0.5..0.5) and ``officer_weight`` (how many soldiers
    one officer's defection counts as, 1 or more in the lesson).

    >>> r = cascade(repression=0.2, incentives=0.5, exit_options=0.5)
    >>> r.tipped, r.final_share > 0.9, r.critical_mass
    (True, True, 0.0)
    >>> cascade(repression=0.9).tipped
    False
    """
    for name, value in dict(repression=repression, incentives=incentives,
                            exit_options=exit_options).items():
        _check_unit(name, value)
    _check_unit("officer_share", officer_share)
    if not -1.0 <= float(officer_shift) <= 1.0:
        raise ValueError(f"officer_shift must be between -1 and 1, got {officer_shift}")
    mean = mean_threshold(repression, incentives, exit_options)
    raw = _raw_thresholds(mean, spread, population, seed)
    n = raw.size
    n_off = int(round(officer_share * n))
    raw[:n_off] = np.clip(raw[:n_off] + officer_shift, 0.0, 1.0)
    seen = seen_fraction(information_control, n, seed)
    effective = np.divide(raw, seen, out=np.zeros_like(raw), where=raw > 0)
    return run_thresholds(
        effective[n_off:], effective[:n_off], officer_weight=officer_weight,
        max_rounds=max_rounds, mean=mean,
    )


def threshold_curve(result: CascadeResult, points: int = 101) -> pd.DataFrame:
    """Granovetter's diagram: weighted share ready to defect at each weighted share out.

    Columns ``share_out`` (x, 0..1) and ``share_ready``. With ``officer_weight`` 1 both are
    plain shares of the force. Where the curve lies above the diagonal each round pulls in
    more soldiers; the cascade stops where it first meets the diagonal
    (``result.stall_point``) and feeds itself beyond ``result.critical_mass``.
    """
    x = np.linspace(0.0, 1.0, points)
    extra = [v for v in (result.stall_point, result.critical_mass) if v is not None]
    x = np.unique(np.concatenate([x, extra]))
    officers, troops = result.officer_thresholds, result.troop_thresholds
    c_off, c_troops = _ready(officers, troops, x)
    ready = _weighted(c_off, c_troops, officers.size, troops.size, result.officer_weight)
    return pd.DataFrame({"share_out": x, "share_ready": ready})


def equilibrium_share(sorted_thresholds: np.ndarray) -> float:
    """Where a one-rank cascade stops, computed directly from sorted thresholds.

    With ``k`` soldiers out, the next one in line (the ``k``-th smallest threshold)
    moves only if their threshold is at most ``k / n``; the process stops at the first
    ``k`` where that fails (where the curve first meets the diagonal).
    """
    n = len(sorted_thresholds)
    blocked = np.flatnonzero(np.asarray(sorted_thresholds) > np.arange(n) / n)
    return float((blocked[0] if blocked.size else n) / n)


# --- reference groups: one's own unit ---------------------------------------------------

#: Invented spread of unit-level differences in mood (added to every member's threshold).
UNIT_SPREAD = 0.1


@dataclass(frozen=True)
class UnitCascadeResult:
    """What :func:`unit_cascade` returns.

    ``final_share`` is the share of all soldiers out at the end; ``unit_shares`` the share
    out in each unit; ``units_tipped`` the share of units with a majority out;
    ``rounds_to_stop`` the rounds until nobody new moved; ``shares`` the force-wide share
    after each round (round 0 first).
    """

    final_share: float
    unit_shares: np.ndarray
    units_tipped: float
    rounds_to_stop: int
    shares: np.ndarray

    @property
    def tipped(self) -> bool:
        """True when a majority of the whole force defected."""
        return self.final_share >= MAJORITY


def _unit_effects(units: int, population: int, seed: int, unit_spread: float):
    """Unit membership (equal blocks) and each unit's seeded shift of thresholds."""
    membership = np.arange(population) * units // population
    shift = unit_spread * np.random.default_rng([int(seed), 2019]).standard_normal(units)
    return membership, shift


def unit_cascade(
    repression: float = 0.5,
    incentives: float = 0.3,
    exit_options: float = 0.3,
    spread: float = 0.2,
    population: int = 1000,
    seed: int = 2021,
    *,
    units: int = 20,
    unit_weight: float = 0.7,
    unit_spread: float = UNIT_SPREAD,
    information_control: float = 0.0,
) -> UnitCascadeResult:
    """The cascade when soldiers watch their own unit as well as the whole force.

    Each soldier reacts to ``(1 - unit_weight) * seen force-wide share + unit_weight *
    own unit's share``: information control hides distant defections, never those in
    one's own unit. Units differ in mood: every member's threshold is shifted by the
    unit's seeded draw (``unit_spread``, invented). The thresholds are the same draws as
    :func:`cascade` for the same seed, so with ``unit_weight=0`` and ``unit_spread=0``
    the end point is the force-wide model's.
    """
    for name, value in dict(repression=repression, incentives=incentives,
                            exit_options=exit_options, unit_weight=unit_weight).items():
        _check_unit(name, value)
    population, units = int(population), int(units)
    if not 1 <= units <= population:
        raise ValueError(f"units must be between 1 and the population ({population}), "
                         f"got {units}")
    if unit_spread < 0:
        raise ValueError(f"unit_spread cannot be negative, got {unit_spread}")
    raw = _raw_thresholds(mean_threshold(repression, incentives, exit_options), spread,
                          population, seed)
    member, shift = _unit_effects(units, population, seed, unit_spread)
    threshold = np.clip(raw + shift[member], 0.0, 1.0)
    seen = seen_fraction(information_control, population, seed)
    size = np.bincount(member, minlength=units).astype(float)
    out = threshold <= 0.0
    shares = [0.0]
    while True:
        unit_share = np.bincount(member, weights=out, minlength=units) / size
        perceived = ((1.0 - unit_weight) * seen * out.mean()
                     + unit_weight * unit_share[member])
        new = out | (threshold <= perceived + 1e-12)
        shares.append(float(out.mean()))
        if new.sum() == out.sum():
            break
        out = new
    unit_share = np.bincount(member, weights=out, minlength=units) / size
    return UnitCascadeResult(
        final_share=float(out.mean()),
        unit_shares=unit_share,
        units_tipped=float(np.mean(unit_share >= MAJORITY)),
        rounds_to_stop=len(shares) - 1,
        shares=np.asarray(shares),
    )


# --- Kuran: preference falsification makes the outcome unpredictable ---------------------

def kuran_table(
    repression: tuple[float, ...] = (0.46, 0.47, 0.48, 0.49, 0.50),
    seeds: tuple[int, ...] = (2021, 2022, 2023, 2024, 2025),
    **settings,
) -> pd.DataFrame:
    """Final defecting share for nearly identical armies: small steps of repression (rows)
    and different draws of the same threshold distribution (columns, one per seed).

    Every army in the table looks the same from outside before the first move: nobody
    has defected in public (round 0 is 0 everywhere), because thresholds are private.
    Other ``settings`` go to :func:`cascade`.
    """
    rows = {
        r: [cascade(repression=r, seed=s, **settings).final_share for s in seeds]
        for r in repression
    }
    table = pd.DataFrame.from_dict(rows, orient="index", columns=[f"seed {s}" for s in seeds])
    table.index.name = "repression"
    return table
