"""Absorption model: can the resistance vet, register and keep the soldiers who surrender?

A monthly stock-and-flow teaching model of the problem Kyed (2024, source key
``kyed_2024``) names: after Operation 1027, resistance groups received far more
surrendered soldiers than they could vet, house and support, and with little outside
funding some surrenderers may drift back to the army or leave the country. Not every
surrendered soldier is the resistance's to keep, either: the armed group that takes a
surrender may release its prisoners (the Arakan Army has freed groups of prisoners of war
against a pledge not to serve again, ``dmg_2025_aa_releases``), hand them back in a
prisoner exchange (``rfa_2023_aa_swap``), or hold them as prisoners of war (the AA
said in 2024 it held thousands, ``dmg_2024_aa_pows``). The model illustrates that
argument. It forecasts nothing.

Stocks (people, end of each month)
    queue       surrendered, waiting to be vetted
    registered  vetted and registered as defectors
    held        kept as prisoners of war by the group that took them
Flows (people per month)
    inflow      new surrenders
    released    inflow -> out: a share ``release`` let go by the group that took them
    exchanged   inflow -> out: a share ``exchange`` handed back to the army in swaps
    taken_prisoner  inflow -> held: a share ``hold`` kept as prisoners of war
    vetted      queue -> registered: ``min(vetting_speed * waiting, capacity)``
    gave_up     queue -> lost: a share ``give_up`` of those still waiting after vetting
    drifted     registered -> lost: a share ``drift`` of the registered who have no
                funded support place (``unsupported = max(registered - funding, 0)``)

"Lost" means went back to the army, escaped abroad or simply dropped out of reach after
entering the resistance's pipeline; the model does not tell these apart. Released and
exchanged soldiers are counted apart from the lost: they never entered the pipeline.
Order within a month: arrivals and their sorting (release, exchange, prisoners, the rest
to the queue), vetting, giving up, drift.

Who receives the surrenders
    Most large surrenders after Operation 1027 went to ethnic armies that are not under
    the NUG, each with incentives of its own. The model therefore starts one step
    earlier: each ``Receiver`` takes a share of the surrenders and releases (or sends on),
    returns to the army, holds as prisoners, or passes on to the NUG's vetting pipeline.
    ``RECEIVERS`` holds the course's three, calibrated against its own rows:

    ====================================  =====  =======  ========  ====  ==========
    receiver                              share  release  returned  hold  to the NUG
    ====================================  =====  =======  ========  ====  ==========
    northern Shan armies (MNDAA, TNLA)     0.60     0.85      0.10  0.05        0.00
    Arakan Army                            0.17     0.35      0.05  0.60        0.00
    NUG, PDFs and allied ethnic armies     0.23     0.05      0.00  0.15        0.80
    ====================================  =====  =======  ========  ====  ==========

    * Shares: the monitor's regional breakdown of the more than 6,000 surrenders from
      October 2023 to April 2024 (``dc033``-``dc041``): about 4,000 in northern Shan, 1,101
      in Rakhine, the rest (about 1,550) spread over Kayin, Mon, Kachin, Kayah, Chin and
      Bago.
    * Northern Shan: the MNDAA paid a surrendered battalion and let it go (``ev042``); after
      the Laukkai surrender (``ev045``) local media saw troops and relatives leave for
      Lashio (``ev070``), and the six surrendered generals ended up in junta custody
      (``ev071``). So nearly all are released or sent back; none reach the NUG.
    * Arakan Army: it frees prisoners against a pledge not to serve again (``ev082``),
      swaps some (``rfa_2023_aa_swap``) and said it held thousands (``dmg_2024_aa_pows``).
    * NUG side: groups that treat surrendered soldiers as CDM (``ev008``) pass most on to
      vetting; some are detained as prisoners of war (``ev125``).
    The directions come from those rows; every number in the table is invented.
    ``RELEASE``, ``EXCHANGE`` and ``HOLD`` (about 58 %, 7 % and 17 %) are the shares the
    table implies for all surrenders together: only about 18 % enter the NUG's pipeline.
    Before this calibration the defaults were 10 %, 5 % and 15 %, which put 70 % of all
    surrenders, most of whom had left for army-held towns, in the NUG's queue.

Assumptions (all deliberately simple; every default is invented)
    * ``release``, ``exchange`` and ``hold`` are fixed shares of each month's surrenders
      (by default those implied by ``RECEIVERS``); their sum cannot pass 1. The held stay
      held for the run (no later exchange or release). A receiver's ``returned`` share
      counts as ``exchange`` (back to the army, by swap or by deal).
    * Everyone else who surrenders is willing to be vetted; nobody is rejected by vetting.
    * Vetting speed is the share of the waiting list a vetting team could clear in a
      month if it had no limit; capacity caps the cases completed per month.
    * Funding is a number of support places (monthly allowance, food, shelter); the
      registered beyond that number are unsupported and some of them drift away.
    * Those still waiting are at least as likely to leave as the unsupported registered
      (``drift <= give_up``). Under this assumption more capacity, vetting speed or
      funding never increases the number lost, and more inflow never shrinks the queue.
      More release, exchange or holding never increases the number lost either (fewer
      enter the pipeline), but it shrinks the number kept.
    * Deterministic: no randomness, so the same inputs always give the same table.

The stock-and-flow form is a standard system-dynamics device.

Example
-------
>>> from defection.models.absorption import absorption
>>> run = absorption(inflow=1000, vetting_speed=0.5, capacity=300, funding=2000, months=24)
>>> int(run["cumulative_inflow"].iloc[-1])
24000
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["absorption", "summary", "COLUMNS", "RELEASE", "EXCHANGE", "HOLD", "Receiver",
           "RECEIVERS", "NUG_SIDE", "receiver_shares", "receiver_table", "with_outside_share"]

#: Columns of the table returned by :func:`absorption`, in order.
COLUMNS = [
    "month",
    "inflow",
    "released",
    "exchanged",
    "taken_prisoner",
    "vetted",
    "gave_up",
    "drifted",
    "queue",
    "registered",
    "supported",
    "unsupported",
    "held",
    "cumulative_inflow",
    "cumulative_released",
    "cumulative_exchanged",
    "cumulative_lost",
]


def _check_share(name: str, value: float) -> float:
    value = float(value)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} is a share per month and must be between 0 and 1, got {value}")
    return value


def _check_nonnegative(name: str, value: float) -> float:
    value = float(value)
    if not value >= 0.0:  # also catches NaN
        raise ValueError(f"{name} must be zero or more, got {value}")
    return value


@dataclass(frozen=True)
class Receiver:
    """An armed group (or group of groups) that takes surrenders, and what it does with
    them: shares of what it takes that it releases, returns to the army, or holds; the
    rest it passes on to the NUG's vetting pipeline. ``rows`` names the evidence."""

    name: str
    share: float
    release: float
    returned: float
    hold: float
    outside_nug: bool
    rows: str = ""

    def __post_init__(self):
        for field in ("share", "release", "returned", "hold"):
            _check_share(f"{self.name}: {field}", getattr(self, field))
        if self.release + self.returned + self.hold > 1.0 + 1e-12:
            raise ValueError(f"{self.name}: release + returned + hold cannot pass 1")

    @property
    def to_pipeline(self) -> float:
        """Share of what it takes that goes on to the NUG's vetting."""
        rest = 1.0 - self.release - self.returned - self.hold
        return rest if rest > 1e-12 else 0.0


#: Who received the surrenders (see the module docstring for the rows behind each).
RECEIVERS: tuple[Receiver, ...] = (
    Receiver("northern Shan armies (MNDAA, TNLA)", 0.60, 0.85, 0.10, 0.05, True,
             "dc034, ev042, ev045, ev070, ev071"),
    Receiver("Arakan Army", 0.17, 0.35, 0.05, 0.60, True,
             "dc035, ev082, rfa_2023_aa_swap, dmg_2024_aa_pows"),
    Receiver("NUG, PDFs and allied ethnic armies", 0.23, 0.05, 0.00, 0.15, False,
             "dc036-dc041, ev008, ev125"),
)

#: Only the NUG side, taking every surrender: a wave that has already reached NUG-allied
#: groups (the lesson-4 exercise's runs).
NUG_SIDE: tuple[Receiver, ...] = tuple(
    Receiver(r.name, 1.0, r.release, r.returned, r.hold, r.outside_nug, r.rows)
    for r in RECEIVERS if not r.outside_nug
)


def _check_receivers(receivers: Sequence[Receiver]) -> tuple[Receiver, ...]:
    receivers = tuple(receivers)
    if not receivers:
        raise ValueError("receivers must hold at least one receiver")
    total = sum(r.share for r in receivers)
    if abs(total - 1.0) > 1e-9:
        raise ValueError(f"the receivers' shares must add up to 1, got {total:g}")
    return receivers


def receiver_shares(receivers: Sequence[Receiver] = RECEIVERS) -> dict[str, float]:
    """The shares of all surrenders released, exchanged (returned) and held, and the
    share that reaches the NUG's pipeline, for a set of receivers.

    >>> round(receiver_shares()["pipeline"], 3)
    0.184
    """
    receivers = _check_receivers(receivers)
    out = {
        "release": sum(r.share * r.release for r in receivers),
        "exchange": sum(r.share * r.returned for r in receivers),
        "hold": sum(r.share * r.hold for r in receivers),
    }
    out["pipeline"] = max(0.0, 1.0 - sum(out.values()))
    return out


def with_outside_share(outside: float, receivers: Sequence[Receiver] = RECEIVERS):
    """The receivers with the armies outside the NUG taking ``outside`` of all surrenders
    between them (in their original proportions) and the others the rest."""
    outside = _check_share("outside", outside)
    receivers = _check_receivers(receivers)
    out_total = sum(r.share for r in receivers if r.outside_nug)
    in_total = 1.0 - out_total
    changed = []
    for r in receivers:
        base, target = (out_total, outside) if r.outside_nug else (in_total, 1.0 - outside)
        share = min(1.0, r.share / base * target) if base > 0 else 0.0
        changed.append(Receiver(r.name, share, r.release, r.returned, r.hold,
                                r.outside_nug, r.rows))
    if (outside > 0 and out_total == 0) or (outside < 1 and in_total == 0):
        raise ValueError("the receivers have no group on one side of the NUG to take that share")
    return tuple(changed)


def receiver_table(surrendered: float, receivers: Sequence[Receiver] = RECEIVERS):
    """Where ``surrendered`` people end up, one row per receiver (people, not shares)."""
    receivers = _check_receivers(receivers)
    rows = []
    for r in receivers:
        taken = surrendered * r.share
        rows.append({"receiver": r.name, "outside_nug": r.outside_nug, "taken": taken,
                     "released": taken * r.release, "returned": taken * r.returned,
                     "held": taken * r.hold, "to_nug_vetting": taken * r.to_pipeline,
                     "rows": r.rows})
    return pd.DataFrame(rows)


_DEFAULT_SHARES = receiver_shares(RECEIVERS)
#: Default shares of each month's surrenders released, exchanged and held: those implied
#: by ``RECEIVERS`` (before the recalibration they were 0.10, 0.05 and 0.15).
RELEASE = _DEFAULT_SHARES["release"]
EXCHANGE = _DEFAULT_SHARES["exchange"]
HOLD = _DEFAULT_SHARES["hold"]


def absorption(
    inflow: float | Sequence[float] = 1000,
    vetting_speed: float = 0.5,
    capacity: float = 300,
    funding: float = 2000,
    months: int = 24,
    *,
    give_up: float = 0.10,
    drift: float = 0.05,
    release: float | None = None,
    exchange: float | None = None,
    hold: float | None = None,
    receivers: Sequence[Receiver] | None = None,
) -> pd.DataFrame:
    """Run the absorption model month by month and return one row per month.

    Parameters
    ----------
    inflow:
        Surrenders per month: one number (the same every month) or one number per month.
    vetting_speed:
        Share of the waiting list that could be vetted in a month (0 to 1).
    capacity:
        Most cases the vetting teams can complete in a month (people).
    funding:
        Funded support places for registered defectors (people supported each month).
    months:
        How many months to run (ignored if ``inflow`` is a sequence: its length rules).
    give_up:
        Share of those still waiting who leave the queue each month (0 to 1).
    drift:
        Share of unsupported registered defectors who leave each month (0 to 1). Keep it
        at or below ``give_up`` for the direction guarantees in the module docstring.
    release, exchange, hold:
        Shares of each month's surrenders that the armed group that took them releases,
        hands back to the army in a prisoner exchange, or keeps as prisoners of war (each
        0 to 1, together at most 1). The rest join the vetting queue. Left out (``None``),
        they come from ``receivers``.
    receivers:
        Who takes the surrenders (default :data:`RECEIVERS`); it sets ``release``,
        ``exchange`` and ``hold`` and cannot be given together with them.

    Returns
    -------
    pandas.DataFrame with the columns in :data:`COLUMNS`: flows during each month and
    stocks at its end. ``queue + registered + held + cumulative_released +
    cumulative_exchanged + cumulative_lost == cumulative_inflow``.
    """
    if np.ndim(inflow) == 0:
        months = int(months)
        if months < 1:
            raise ValueError(f"months must be at least 1, got {months}")
        arrivals = np.full(months, _check_nonnegative("inflow", inflow))
    else:
        arrivals = np.asarray(inflow, dtype=float).ravel()
        if arrivals.size == 0:
            raise ValueError("inflow must hold at least one month")
        if not np.all(arrivals >= 0):
            raise ValueError("every monthly inflow must be zero or more")
        months = arrivals.size
    speed = _check_share("vetting_speed", vetting_speed)
    cap = _check_nonnegative("capacity", capacity)
    places = _check_nonnegative("funding", funding)
    q = _check_share("give_up", give_up)
    d = _check_share("drift", drift)
    given = {"release": release, "exchange": exchange, "hold": hold}
    if receivers is not None and any(v is not None for v in given.values()):
        raise ValueError("give either receivers or release/exchange/hold shares, not both")
    implied = receiver_shares(RECEIVERS if receivers is None else receivers)
    shares = {name: _check_share(name, implied[name] if value is None else value)
              for name, value in given.items()}
    if sum(shares.values()) > 1.0 + 1e-12:
        raise ValueError(
            "release + exchange + hold is the share of surrenders that leave the pipeline "
            f"at once and cannot pass 1, got {sum(shares.values()):g}"
        )
    released = arrivals * shares["release"]
    exchanged = arrivals * shares["exchange"]
    prisoners = arrivals * shares["hold"]
    entering = arrivals - released - exchanged - prisoners

    # The months are sequential (each depends on the last), so this loop is the model;
    # columns: vetted, gave_up, drifted, queue, registered, supported, unsupported.
    out = np.zeros((months, 7))
    queue = 0.0
    registered = 0.0
    for t in range(months):
        waiting = queue + entering[t]
        vetted = min(speed * waiting, cap)
        waiting -= vetted
        gave_up = q * waiting
        queue = waiting - gave_up
        registered += vetted
        unsupported = max(registered - places, 0.0)
        drifted = d * unsupported
        registered -= drifted
        unsupported_end = max(registered - places, 0.0)
        out[t] = (
            vetted,
            gave_up,
            drifted,
            queue,
            registered,
            registered - unsupported_end,
            unsupported_end,
        )

    lost = out[:, 1] + out[:, 2]
    frame = pd.DataFrame(
        {
            "month": np.arange(1, months + 1),
            "inflow": arrivals,
            "released": released,
            "exchanged": exchanged,
            "taken_prisoner": prisoners,
            "vetted": out[:, 0],
            "gave_up": out[:, 1],
            "drifted": out[:, 2],
            "queue": out[:, 3],
            "registered": out[:, 4],
            "supported": out[:, 5],
            "unsupported": out[:, 6],
            "held": np.cumsum(prisoners),
            "cumulative_inflow": np.cumsum(arrivals),
            "cumulative_released": np.cumsum(released),
            "cumulative_exchanged": np.cumsum(exchanged),
            "cumulative_lost": np.cumsum(lost),
        }
    )
    return frame[COLUMNS]


def summary(run: pd.DataFrame) -> dict[str, float]:
    """The end-of-run figures a caption needs: surrendered; registered, supported and
    waiting (the resistance's to keep); held, released and exchanged (never in its
    pipeline); lost; and the shares lost and kept.

    >>> summary(absorption(inflow=0, months=3))["share_lost"]
    0.0
    """
    last = run.iloc[-1]
    total = float(last["cumulative_inflow"])
    lost = float(last["cumulative_lost"])
    kept = float(last["registered"]) + float(last["queue"])
    return {
        "months": int(last["month"]),
        "surrendered": total,
        "registered": float(last["registered"]),
        "supported": float(last["supported"]),
        "waiting": float(last["queue"]),
        "held": float(last["held"]),
        "released": float(last["cumulative_released"]),
        "exchanged": float(last["cumulative_exchanged"]),
        "lost": lost,
        "share_lost": lost / total if total > 0 else 0.0,
        "share_kept": kept / total if total > 0 else 1.0,
        "share_kept_of_entered": kept / (kept + lost) if kept + lost > 0 else 1.0,
    }
