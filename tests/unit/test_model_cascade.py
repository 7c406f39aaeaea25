"""Properties of the defection-cascade threshold model (defection.models.cascade)."""

import itertools

import numpy as np
import pytest

from defection.models.cascade import (
    MAJORITY,
    OFFICER_SHARE,
    cascade,
    draw_thresholds,
    equilibrium_share,
    granovetter_crowd,
    mean_threshold,
    run_thresholds,
    seen_fraction,
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
    assert a.rounds_to_majority == b.rounds_to_majority
    assert a.critical_mass == b.critical_mass
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
    assert everyone.final_share == 1.0 and everyone.rounds_to_majority == 1


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


# --------------------------------------------------------------- Granovetter's crowds


def test_granovetters_first_crowd_riots_to_the_last_person():
    run = run_thresholds(granovetter_crowd())
    assert run.final_share == 1.0 and run.tipped
    # one more person each round: the instigator, then thresholds 1, 2, ...
    assert run.rounds_to_stop == 100 and run.rounds_to_majority == 50
    assert run.critical_mass == 0.0, "the first mover alone is enough"
    assert run.stall_point == 1.0


def test_granovetters_second_crowd_stalls_with_its_instigator():
    run = run_thresholds(granovetter_crowd(replace_one_with_two=True))
    assert run.final_share == pytest.approx(0.01) and not run.tipped
    # the curve first meets the diagonal at 1 % (the stop) and crosses it from below at
    # 2 %: with two people out, everyone else follows
    assert run.stall_point == pytest.approx(0.01)
    assert run.critical_mass == pytest.approx(0.02)
    pushed = granovetter_crowd(True)
    pushed[1] = 0.0  # a second person is pushed out from the start: 2 % out
    assert run_thresholds(pushed).final_share == 1.0


def test_crowds_differ_by_one_person_only():
    a, b = granovetter_crowd(), granovetter_crowd(True)
    assert (a != b).sum() == 1 and abs(a.mean() - b.mean()) < 0.0002


def test_stall_point_is_where_the_curve_first_meets_the_diagonal():
    for rep in [0.5, 0.6, 0.9]:
        run = cascade(repression=rep)
        curve_at = np.searchsorted(run.thresholds, np.arange(run.population) / run.population,
                                   side="right") / run.population
        grid = np.arange(run.population) / run.population
        first_meet = grid[np.flatnonzero(curve_at <= grid)[0]]
        assert run.stall_point == pytest.approx(first_meet)
        assert run.final_share == pytest.approx(equilibrium_share(run.thresholds))


@pytest.mark.parametrize("rep,spread", [(0.5, 0.2), (0.6, 0.25), (0.55, 0.15)])
def test_critical_mass_is_the_push_that_tips_a_stalled_cascade(rep, spread):
    run = cascade(repression=rep, spread=spread)
    assert not run.tipped and run.critical_mass is not None
    assert run.stall_point < run.critical_mass < MAJORITY
    n = run.population
    t = run.thresholds
    k = int(np.ceil(run.critical_mass * n - 1e-9))

    def from_start(start: int) -> float:
        c = start
        while True:
            nxt = max(c, int(np.searchsorted(t, c / n, side="right")))
            if nxt == c:
                return c / n
            c = nxt

    assert from_start(k) >= MAJORITY, "pushing the critical mass out tips the army"
    assert from_start(k - 1) < MAJORITY, "one soldier fewer and it stalls again"
    # crossing from below: the curve is at or under the diagonal just before, above at it
    assert np.searchsorted(t, (k - 1) / n, side="right") <= k - 1
    assert np.searchsorted(t, k / n, side="right") > k


def test_no_critical_mass_when_the_curve_stays_below_the_diagonal():
    run = cascade(repression=1.0, incentives=0.0, exit_options=0.0, spread=0.1)
    assert run.critical_mass is None and run.final_share < 0.01


def test_critical_mass_is_zero_when_the_first_movers_are_enough():
    run = cascade(repression=0.3)
    assert run.tipped and run.critical_mass == 0.0


def test_critical_mass_rises_with_repression_while_it_exists():
    masses = [cascade(repression=r).critical_mass for r in np.linspace(0.5, 0.8, 13)]
    known = [m for m in masses if m is not None]
    assert len(known) >= 5
    assert all(b >= a for a, b in zip(known, known[1:]))


# --------------------------------------------------------------- information control


def test_information_control_never_raises_the_final_share():
    for rep in [0.3, 0.4, 0.5]:
        finals = [cascade(repression=rep, information_control=c).final_share
                  for c in np.linspace(0, 1, 11)]
        assert all(b <= a for a, b in zip(finals, finals[1:]))


def test_information_control_can_stop_a_cascade_that_would_tip():
    free = cascade(repression=0.4)
    hidden = cascade(repression=0.4, information_control=0.6)
    assert free.tipped and not hidden.tipped
    # what soldiers believe changed, not who they are: same draws, same mean
    assert free.mean_threshold == hidden.mean_threshold
    assert (hidden.thresholds >= free.thresholds - 1e-12).all()


def test_seen_fraction_is_seeded_and_bounded():
    a = seen_fraction(0.5, 1000, seed=3)
    assert np.array_equal(a, seen_fraction(0.5, 1000, seed=3))
    assert ((a > 0.5) & (a <= 1.0)).all()
    assert (seen_fraction(0.0, 10) == 1.0).all()
    with pytest.raises(ValueError, match="information_control"):
        seen_fraction(1.5, 10)


# --------------------------------------------------------------- two ranks


def test_officers_are_a_fixed_share_and_tiers_add_up():
    run = cascade(repression=0.4, population=2000)
    assert run.officer_thresholds.size == round(OFFICER_SHARE * 2000)
    s = run.rounds
    n_off = run.officer_thresholds.size
    total = (s["officers"] * n_off + s["rank_and_file"] * (2000 - n_off)) / 2000
    assert np.allclose(total, s["share"])


def test_neutral_ranks_reproduce_the_one_rank_model():
    # officers like everyone else and weighted like anyone: the plain Granovetter model
    run = cascade(repression=0.45, spread=0.2)
    one_rank = run_thresholds(draw_thresholds(run.mean_threshold, 0.2, 1000))
    assert run.final_share == one_rank.final_share
    assert run.rounds["share"].equals(one_rank.rounds["share"])


def test_cascade_can_tip_from_the_top():
    # bold officers whose defection weighs like three soldiers pull the ranks along ...
    top = cascade(repression=0.5, officer_shift=-0.15, officer_weight=3)
    assert top.tipped and top.led_by == "officers"
    # ... the same bold officers counted like anyone else do not
    flat = cascade(repression=0.5, officer_shift=-0.15, officer_weight=1)
    assert not flat.tipped


def test_cascade_can_tip_from_the_bottom():
    run = cascade(repression=0.4, officer_shift=0.3)
    assert run.tipped and run.led_by == "rank and file"
    assert run.officers_out > MAJORITY, "officers follow their men"


def test_higher_officer_thresholds_never_raise_the_final_share():
    for w in [1, 5]:
        finals = [cascade(repression=0.45, officer_shift=s, officer_weight=w).final_share
                  for s in np.linspace(-0.3, 0.3, 13)]
        assert all(b <= a for a, b in zip(finals, finals[1:]))


def test_weighted_curve_counts_officers_by_their_weight():
    run = cascade(repression=0.5, officer_shift=-0.5, officer_weight=10)
    curve = threshold_curve(run)
    assert curve["share_ready"].between(0, 1).all()
    n_off, n_troops = run.officer_thresholds.size, run.troop_thresholds.size
    # at x = 0 the first movers of each rank are ready; an officer counts as ten
    ready0 = curve.loc[curve["share_out"] == 0, "share_ready"].iloc[0]
    troops0 = (run.troop_thresholds <= 0).sum()
    officers0 = (run.officer_thresholds <= 0).sum()
    assert officers0 > troops0 * n_off / n_troops, "bold officers move first more often"
    assert ready0 == pytest.approx((troops0 + 10 * officers0) / (n_troops + 10 * n_off))


def test_bad_cascade_settings_say_which_and_what():
    with pytest.raises(ValueError, match="repression must be between 0 and 1"):
        cascade(repression=1.2)
    with pytest.raises(ValueError, match="officer_weight"):
        cascade(officer_weight=0)
    with pytest.raises(ValueError, match="officer_shift"):
        cascade(officer_shift=2)
    with pytest.raises(ValueError, match="at least one soldier"):
        run_thresholds([])
    with pytest.raises(ValueError, match="thresholds must be numbers"):
        run_thresholds([0.1, float("nan")])


# --- unit reference groups and Kuran's unpredictability (issue 22, item 5) -------------

from defection.models.cascade import kuran_table, unit_cascade  # noqa: E402


@pytest.mark.parametrize("repression", [0.2, 0.46, 0.5, 0.7])
def test_unit_model_without_units_is_the_force_wide_model(repression):
    plain = cascade(repression=repression)
    flat = unit_cascade(repression=repression, unit_weight=0.0, unit_spread=0.0)
    assert flat.final_share == pytest.approx(plain.final_share)


def test_units_tip_where_the_force_wide_cascade_stalls():
    force = cascade(repression=0.58)
    local = unit_cascade(repression=0.58)
    assert not force.tipped and force.final_share < 0.05
    assert 0 < local.units_tipped < 1  # pockets: some units go, others hold
    assert local.final_share > 5 * force.final_share
    assert not local.tipped


def test_more_repression_never_raises_the_unit_cascade():
    shares = [unit_cascade(repression=r).final_share for r in np.linspace(0, 1, 11)]
    assert all(b <= a + 1e-12 for a, b in zip(shares, shares[1:]))


def test_unit_cascade_shares_are_consistent():
    r = unit_cascade(repression=0.58, units=25)
    assert r.unit_shares.size == 25
    assert r.final_share == pytest.approx(r.unit_shares.mean())
    assert r.shares[0] == 0.0 and np.all(np.diff(r.shares) >= 0)


def test_unit_cascade_rejects_bad_units():
    with pytest.raises(ValueError, match="units must be between 1"):
        unit_cascade(units=0)
    with pytest.raises(ValueError, match="unit_weight"):
        unit_cascade(unit_weight=1.5)


def test_kuran_small_changes_flip_the_outcome():
    table = kuran_table()
    tipped = table >= 0.5
    # one step of 0.01 in repression flips at least one army from full cascade to a stall
    flips = (tipped.to_numpy()[:-1] & ~tipped.to_numpy()[1:]).any()
    assert flips
    # and at one repression level, armies drawn from the same distribution part ways
    assert (tipped.any(axis=1) & ~tipped.all(axis=1)).any()
    # yet every army looks the same from outside before the first move: nobody out
    for r in table.index:
        assert cascade(repression=r).rounds["share"].iloc[0] == 0.0
