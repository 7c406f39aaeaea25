"""Properties of the defection-cascade threshold model (defection.models.cascade)."""

import itertools

import numpy as np
import pytest

from defection.models.cascade import (
    MAJORITY,
    cascade,
    draw_thresholds,
    equilibrium_share,
    mean_threshold,
    threshold_curve,
)

GRID = [0.0, 0.25, 0.5, 0.75, 1.0]


def test_shares_stay_in_bounds_and_never_fall():
    for rep, inc, ext, spread in itertools.product(GRID, GRID, [0.0, 1.0], [0.0, 0.1, 0.3, 0.5]):
        r = cascade(repression=rep, incentives=inc, exit_options=ext, spread=spread, population=300)
        s = r.rounds["share"].to_numpy()
        assert s[0] == 0.0
        assert ((s >= 0) & (s <= 1)).all()
        assert (np.diff(s) >= 0).all(), "nobody returns, so the share can only grow"
        assert 0.0 <= r.final_share <= 1.0
        assert (r.thresholds >= 0).all() and (r.thresholds <= 1).all()


@pytest.mark.parametrize(
    "inc,ext,spread", [(0.0, 0.0, 0.2), (0.3, 0.3, 0.2), (0.6, 0.2, 0.35), (0.2, 0.9, 0.1)]
)
def test_more_repression_never_raises_the_final_share(inc, ext, spread):
    finals = [
        cascade(repression=rep, incentives=inc, exit_options=ext, spread=spread, seed=7).final_share
        for rep in np.linspace(0, 1, 21)
    ]
    assert all(b <= a for a, b in zip(finals, finals[1:]))
    assert finals[0] > finals[-1], "the grid should span a cascade and a stall"


@pytest.mark.parametrize("lever", ["incentives", "exit_options"])
@pytest.mark.parametrize("rep", [0.2, 0.5, 0.8])
def test_more_incentives_or_exit_never_lower_the_final_share(lever, rep):
    finals = [
        cascade(repression=rep, spread=0.2, seed=11, **{lever: v}).final_share
        for v in np.linspace(0, 1, 21)
    ]
    assert all(b >= a for a, b in zip(finals, finals[1:]))


def test_every_round_is_monotone_in_repression():
    low = cascade(repression=0.3, seed=3).rounds["share"].to_numpy()
    high = cascade(repression=0.4, seed=3).rounds["share"].to_numpy()
    assert (high <= low).all()


def test_same_seed_same_result_other_seed_differs():
    a = cascade(repression=0.35, seed=5)
    b = cascade(repression=0.35, seed=5)
    c = cascade(repression=0.35, seed=6)
    assert a.rounds.equals(b.rounds)
    assert np.array_equal(a.thresholds, b.thresholds)
    assert a.tipping_round == b.tipping_round
    assert not np.array_equal(a.thresholds, c.thresholds)


def test_iteration_reaches_the_direct_equilibrium():
    for rep in GRID:
        r = cascade(repression=rep, population=2000, max_rounds=200)
        assert r.converged
        assert r.rounds["share"].iloc[-1] == pytest.approx(r.final_share)


def test_equilibrium_share_on_hand_made_thresholds():
    # Granovetter's riot: thresholds 0, 1, 2, ... (as shares of 4) -> everyone goes
    assert equilibrium_share(np.array([0, 0.25, 0.5, 0.75])) == 1.0
    # remove the person with threshold 1/4: the chain breaks after the first mover
    assert equilibrium_share(np.array([0, 0.5, 0.5, 0.75])) == 0.25
    assert equilibrium_share(np.array([0.1, 0.2])) == 0.0


def test_levers_move_the_mean_threshold_the_stated_way():
    base = mean_threshold(0.5, 0.5, 0.5)
    assert mean_threshold(0.6, 0.5, 0.5) > base
    assert mean_threshold(0.5, 0.6, 0.5) < base
    assert mean_threshold(0.5, 0.5, 0.6) < base


def test_tipping_point_found_for_a_cascade_and_absent_for_a_stall():
    tipped = cascade(repression=0.3, incentives=0.3, exit_options=0.3, spread=0.2)
    assert tipped.tipped and tipped.final_share >= MAJORITY
    assert 1 <= tipped.tipping_round < len(tipped.rounds) - 1
    share_at = tipped.rounds["share"].iloc[tipped.tipping_round]
    assert tipped.tipping_share == pytest.approx(share_at)
    assert tipped.tipping_share < tipped.final_share
    stalled = cascade(repression=0.9, incentives=0.0, exit_options=0.0, spread=0.2)
    assert not stalled.tipped
    assert stalled.tipping_round is None and stalled.tipping_share is None


@pytest.mark.parametrize("rep", [0.2, 0.3, 0.4, 0.45])
def test_tipping_round_is_the_bottleneck_before_a_majority(rep):
    r = cascade(repression=rep, spread=0.2, seed=2021)
    s = r.rounds["share"].to_numpy()
    new = np.diff(s)
    k = r.tipping_round
    assert 1 <= k and s[k] < MAJORITY <= s[-1]
    before_majority = new[: int(np.argmax(s >= MAJORITY))]
    assert new[k - 1] == before_majority.min()
    # after the bottleneck the cascade reaches a majority without stalling
    assert (new[k - 1 : int(np.argmax(s >= MAJORITY))] > 0).all()


def test_population_of_one():
    brave = cascade(repression=0.0, incentives=1.0, exit_options=1.0, spread=0.0, population=1)
    assert brave.final_share == 1.0 and brave.rounds["share"].iloc[1] == 1.0
    loyal = cascade(repression=1.0, spread=0.0, population=1)
    assert loyal.final_share == 0.0 and not loyal.tipped
    assert set(loyal.rounds["share"]) == {0.0}


def test_zero_spread_is_all_or_nothing():
    # everyone has the same threshold: if it is above 0 nobody moves first, so nobody moves
    none = cascade(repression=0.2, incentives=0.0, exit_options=0.0, spread=0.0)
    assert none.final_share == 0.0
    assert np.unique(none.thresholds).size == 1
    # a mean threshold at or below 0 means everyone moves in round 1
    everyone = cascade(repression=0.0, incentives=1.0, exit_options=1.0, spread=0.0)
    assert everyone.final_share == 1.0 and everyone.tipping_round == 1


def test_more_spread_can_start_a_cascade_that_uniform_soldiers_never_start():
    # Granovetter's point: the same average can give opposite outcomes
    flat = cascade(repression=0.3, spread=0.0)
    varied = cascade(repression=0.3, spread=0.2)
    assert flat.mean_threshold == varied.mean_threshold
    assert flat.final_share == 0.0 and varied.final_share > MAJORITY


def test_bad_arguments_raise():
    with pytest.raises(ValueError):
        draw_thresholds(0.3, 0.1, 0)
    with pytest.raises(ValueError):
        draw_thresholds(0.3, -0.1, 10)


def test_threshold_curve_is_a_cdf():
    curve = threshold_curve(cascade(repression=0.4))
    assert curve["share_out"].is_monotonic_increasing
    assert curve["share_ready"].is_monotonic_increasing
    assert curve["share_ready"].between(0, 1).all()
    assert curve["share_ready"].iloc[-1] == 1.0
