"""Threshold model of a defection cascade inside an army (teaching model, forecasts nothing).

Idea: Granovetter (1978) showed that a crowd's behaviour can hinge on the spread of
individual *thresholds* - how many others must act before each person will. Kurzman
(1996) added that what matters is *perceived* opportunity: people act when they see
that others already have. Lee & McCarthy (2023) apply this to soldiers: visible
defections lower the risk others perceive and can snowball down the chain of command.

Assumptions (deliberately simple):

* Every soldier has a personal threshold in [0, 1]: the share of the force that must
  already have defected before they will. A threshold of 0 marks a first mover.
* Thresholds are ``mean + spread * z`` clipped to [0, 1], with ``z`` standard normal
  draws fixed by ``seed``. The mean rises with repression (punishment, surveillance)
  and falls with incentives (rewards, pay, protection) and exit options (somewhere to
  go: defector networks, borders, armed allies). The weights are illustrative.
* Rounds are synchronous: in round ``k`` everyone whose threshold is at or below the
  share defected after round ``k - 1`` defects. Nobody returns.
* Soldiers watch the whole force equally; real units see only their neighbours, and
  commanders can hide or fake the numbers.

Because the same ``z`` draws are reused for every setting, raising repression raises
every threshold and can never raise the final share; raising incentives or exit
options can never lower it.
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


@dataclass(frozen=True)
class CascadeResult:
    """What one run of :func:`cascade` returns.

    ``rounds`` has columns ``round`` (0..max_rounds) and ``share`` (defected share after
    that round; round 0 is before anyone moves, so 0). ``tipping_round`` and
    ``tipping_share`` locate the tipping point: on the way to a majority, the round
    that added the fewest new defectors (the bottleneck), after which the cascade runs
    on its own. Both are ``None`` when fewer than ``MAJORITY`` defect within
    ``max_rounds``. ``final_share`` is the exact end point of the process.
    """

    rounds: pd.DataFrame
    thresholds: np.ndarray
    mean_threshold: float
    final_share: float
    tipping_round: int | None
    tipping_share: float | None
    converged: bool

    @property
    def tipped(self) -> bool:
        """True when the cascade took off (a majority defected)."""
        return self.tipping_round is not None


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
    if population < 1:
        raise ValueError("population must be at least 1 soldier")
    if spread < 0:
        raise ValueError("spread cannot be negative")
    z = np.random.default_rng(seed).standard_normal(int(population))
    return np.sort(np.clip(mean + spread * z, 0.0, 1.0))


def equilibrium_share(sorted_thresholds: np.ndarray) -> float:
    """Where the cascade stops, computed directly from sorted thresholds.

    With ``k`` soldiers out, the next one in line (the ``k``-th smallest threshold)
    moves only if their threshold is at most ``k / n``; the process stops at the first
    ``k`` where that fails.
    """
    n = len(sorted_thresholds)
    blocked = np.flatnonzero(sorted_thresholds > np.arange(n) / n)
    return float((blocked[0] if blocked.size else n) / n)


def cascade(
    repression: float = 0.5,
    incentives: float = 0.3,
    exit_options: float = 0.3,
    spread: float = 0.2,
    population: int = 1000,
    seed: int = 2021,
    max_rounds: int = 40,
) -> CascadeResult:
    """Run the threshold model and report the defecting share round by round.

    Parameters are on 0..1 scales except ``population`` (soldiers) and ``max_rounds``.

    >>> r = cascade(repression=0.2, incentives=0.5, exit_options=0.5)
    >>> r.tipped, r.final_share > 0.9
    (True, True)
    >>> cascade(repression=0.9).tipped
    False
    """
    mean = mean_threshold(repression, incentives, exit_options)
    thresholds = draw_thresholds(mean, spread, population, seed)
    n = thresholds.size
    counts = np.zeros(max_rounds + 1, dtype=np.int64)
    for k in range(1, max_rounds + 1):
        # everyone whose threshold is at or below the share already out defects now
        counts[k] = np.searchsorted(thresholds, counts[k - 1] / n, side="right")
        if counts[k] == counts[k - 1]:
            counts[k:] = counts[k]
            break
    shares = counts / n
    final = equilibrium_share(thresholds)
    converged = bool(np.isclose(shares[-1], final))

    tipping_round: int | None = None
    tipping_share: float | None = None
    if final >= MAJORITY and shares[-1] >= MAJORITY:
        # The tipping point is the bottleneck: on the way to a majority, the round that
        # brought the fewest new defectors. Past it, the cascade feeds itself.
        new = np.diff(shares)  # new defectors in rounds 1..max_rounds
        reach = int(np.argmax(shares >= MAJORITY))  # first round with a majority out
        window = new[:reach]  # rounds 1..reach
        k = int(window.size - 1 - np.argmin(window[::-1])) + 1  # last round with the fewest
        tipping_round = k
        tipping_share = float(shares[k])

    rounds = pd.DataFrame({"round": np.arange(max_rounds + 1), "share": shares})
    return CascadeResult(
        rounds=rounds,
        thresholds=thresholds,
        mean_threshold=mean,
        final_share=final,
        tipping_round=tipping_round,
        tipping_share=tipping_share,
        converged=converged,
    )


def threshold_curve(result: CascadeResult, points: int = 101) -> pd.DataFrame:
    """Granovetter's diagram: share with threshold at or below ``x`` for x in [0, 1].

    Where this curve lies above the diagonal, each round pulls in more soldiers; the
    cascade stops where it first meets the diagonal.
    """
    x = np.linspace(0.0, 1.0, points)
    ready = np.searchsorted(result.thresholds, x, side="right") / result.thresholds.size
    return pd.DataFrame({"share_out": x, "share_ready": ready})
