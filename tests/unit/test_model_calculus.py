"""Properties of the defection-calculus model (lesson 3): bounds, direction, determinism."""

import numpy as np
import pytest

from defection.models import calculus as calc

SETTINGS = ("punishment_risk", "family_risk", "exit_support", "moral_cost", "regime_survival")
GRID = np.linspace(0.0, 1.0, 6)
# +1: raising the setting never lowers defection; -1: never raises it.
DIRECTION = {
    "punishment_risk": -1,
    "family_risk": -1,
    "regime_survival": -1,
    "exit_support": +1,
    "moral_cost": +1,
}


def shares(**kw):
    return calc.calculus(**kw)["share"].to_numpy()


def test_shape_and_columns():
    res = calc.calculus()
    assert list(res["rank"].astype(str)) == list(calc.RANKS)
    assert list(res.columns) == ["rank", "soldiers", "share", "expected_defectors"]
    assert res["soldiers"].sum() == 1000
    assert list(res["soldiers"]) == [700, 200, 80, 20]
    np.testing.assert_allclose(res["expected_defectors"], res["share"] * res["soldiers"])


@pytest.mark.parametrize("values", [(0, 0, 1, 1, 0), (1, 1, 0, 0, 1), (0.5,) * 5, (0.6, 0.6, 0.3, 0.5, 0.7)])
def test_bounds(values):
    s = shares(**dict(zip(SETTINGS, values)))
    assert np.all((s >= 0) & (s <= 1))
    p = calc.defection_probability(*values)
    assert p.shape == (1000,) and np.all((p >= 0) & (p <= 1))


def test_extremes_span_the_range():
    assert shares(punishment_risk=0, family_risk=0, exit_support=1, moral_cost=1, regime_survival=0).min() > 0.9
    assert shares(punishment_risk=1, family_risk=1, exit_support=0, moral_cost=0, regime_survival=1).max() < 0.01


@pytest.mark.parametrize("name", SETTINGS)
def test_direction_each_setting(name):
    rng = np.random.default_rng(7)
    for _ in range(15):
        base = dict(zip(SETTINGS, rng.uniform(0, 1, len(SETTINGS))))
        series = []
        for v in GRID:
            base[name] = float(v)
            series.append(shares(**base))
        diffs = np.diff(np.array(series), axis=0) * DIRECTION[name]
        assert np.all(diffs >= -1e-12), (name, base)
        # and it matters: moving the setting end to end changes something
        assert np.abs(series[-1] - series[0]).max() > 1e-4


def test_direction_per_soldier():
    low = calc.defection_probability(exit_support=0.1)
    high = calc.defection_probability(exit_support=0.9)
    assert np.all(high >= low)


def test_determinism_and_seed():
    a = calc.calculus(seed=5)
    b = calc.calculus(seed=5)
    c = calc.calculus(seed=6)
    assert a.equals(b)
    assert not np.allclose(a["share"], c["share"])


def test_unit_is_not_mutable_through_results():
    unit = calc.simulate_unit()
    unit.loc[0, "stake"] = 1e9
    assert calc.simulate_unit().loc[0, "stake"] < 1e9


def test_senior_stake_makes_defection_less_likely_at_defaults():
    s = calc.calculus().set_index(calc.calculus()["rank"].astype(str))["share"]
    assert s["senior officer"] < s["junior officer"] < s["sergeant"] < s["private"]
    # the assumed stake and penalty gradients are what hold seniors back: remove the stake
    # and flatten the penalty, and the gap between privates and seniors shrinks
    no_stake = calc.calculus(stake_scale=0, penalty_profile="flat")
    no_stake = no_stake.set_index(no_stake["rank"].astype(str))["share"]
    assert no_stake["senior officer"] > 5 * s["senior officer"]
    assert (s["private"] - s["senior officer"]) > (no_stake["private"] - no_stake["senior officer"])


def test_stake_scale_direction():
    a = shares(stake_scale=0.0)
    b = shares(stake_scale=2.0)
    assert np.all(a >= b)


def test_senior_stake_largest_in_unit():
    unit = calc.simulate_unit()
    means = unit.groupby("rank", observed=True)["stake"].mean()
    assert list(means.sort_values().index.astype(str)) == list(calc.RANKS)


@pytest.mark.parametrize("bad", [-0.1, 1.5])
def test_rejects_out_of_range(bad):
    with pytest.raises(ValueError, match="between 0 and 1"):
        calc.calculus(moral_cost=bad)


def test_rejects_tiny_unit_and_negative_stake():
    with pytest.raises(ValueError, match="at least"):
        calc.calculus(n=10)
    with pytest.raises(ValueError, match="stake_scale"):
        calc.calculus(stake_scale=-1)


def test_overall_share_is_weighted_mean():
    res = calc.calculus()
    expected = (res["share"] * res["soldiers"]).sum() / res["soldiers"].sum()
    assert calc.overall_share(res) == pytest.approx(expected)
    assert 0 < calc.overall_share(res) < 0.5


# --------------------------------------------------------------- rank-dependent parameters


def test_penalty_and_stake_grow_with_rank_by_default():
    assert (np.diff(calc.PENALTY_BY_RANK) > 0).all() and calc.PENALTY_BY_RANK[0] == 1.0
    assert (np.diff(calc.STAKE_MEAN) > 0).all()


def test_flat_profiles_keep_the_unit_average_and_remove_rank_differences():
    unit = calc.simulate_unit()
    rank = unit["rank"].cat.codes.to_numpy()
    for name, by_rank in (("stake_profile", calc.STAKE_MEAN),
                          ("penalty_profile", calc.PENALTY_BY_RANK)):
        factor = calc._profile_factor(name, "flat", by_rank, rank)
        flat_means = by_rank[rank] * factor
        assert np.allclose(flat_means, np.dot(calc.RANK_SHARES, by_rank))
        assert (calc._profile_factor(name, "by_rank", by_rank, rank) == 1).all()


@pytest.mark.parametrize("profile", ["stake_profile", "penalty_profile"])
def test_graded_profiles_hold_senior_officers_back(profile):
    graded = calc.calculus().set_index("rank")["share"]
    flat = calc.calculus(**{profile: "flat"}).set_index("rank")["share"]
    assert flat["senior officer"] > graded["senior officer"]
    # the lowest rank carries less than the average stake and penalty, so flattening
    # (which raises theirs to the average) lowers privates' defection
    assert flat["private"] < graded["private"]


def test_senior_officers_staying_is_an_assumption_not_a_result():
    graded = calc.calculus().set_index("rank")["share"]
    flat = calc.calculus(stake_profile="flat", penalty_profile="flat").set_index("rank")["share"]
    # under the default, senior officers defect at well under a tenth of the privates' rate
    assert graded["senior officer"] < 0.1 * graded["private"]
    # with the same stake and penalty for every rank the gap shrinks to grievance and
    # family exposure alone: senior officers defect at over a third of the privates' rate
    assert flat["senior officer"] > 0.3 * flat["private"]


@pytest.mark.parametrize("name", list(calc.DEFAULTS))
def test_direction_holds_under_the_flat_assumption_too(name):
    sign = {"punishment_risk": -1, "family_risk": -1, "regime_survival": -1,
            "exit_support": 1, "moral_cost": 1}[name]
    shares = [
        calc.overall_share(calc.calculus(**{name: v}, stake_profile="flat",
                                         penalty_profile="flat"))
        for v in np.linspace(0, 1, 6)
    ]
    assert all(sign * (b - a) >= -1e-12 for a, b in zip(shares, shares[1:]))


def test_unknown_profile_names_the_choices():
    with pytest.raises(ValueError, match=r"stake_profile must be one of \['by_rank', 'flat'\]"):
        calc.calculus(stake_profile="steep")
    with pytest.raises(ValueError, match="penalty_profile"):
        calc.defection_probability(penalty_profile=None)


# --- survival weighting, reckoning, identity, desertion (issue 22, item 2) -------------

HARSH = dict(punishment_risk=0.75, family_risk=0.75, exit_support=0.35, moral_cost=0.5)


def _senior(**kw):
    return float(calc.calculus(**kw).set_index("rank").loc["senior officer", "share"])


def test_default_unit_is_unchanged_by_survival_weighting():
    # W_PUNISH * 0.7 equals the former unweighted weight 2.0
    assert calc.W_PUNISH * calc.DEFAULTS["regime_survival"] == pytest.approx(2.0)


def test_a_fallen_regime_punishes_no_one():
    # at survival 0 punishment risk no longer matters
    low = calc.defection_probability(punishment_risk=0.0, regime_survival=0.0)
    high = calc.defection_probability(punishment_risk=1.0, regime_survival=0.0)
    np.testing.assert_allclose(low, high)
    # while the regime stands it does
    assert calc.defection_probability(punishment_risk=1.0).mean() < \
        calc.defection_probability(punishment_risk=0.0).mean()


def test_seniors_hardly_move_without_a_reckoning():
    assert _senior(**HARSH, regime_survival=0.35) < 0.02


def test_seniors_move_at_low_survival_with_a_reckoning():
    with_reckoning = _senior(**HARSH, regime_survival=0.35, reckoning=1.0)
    assert with_reckoning > 0.2
    assert with_reckoning > 10 * _senior(**HARSH, regime_survival=0.35)
    # and at very low survival they move faster than the privates
    run = calc.calculus(**HARSH, regime_survival=0.1, reckoning=1.0).set_index("rank")
    assert run.loc["senior officer", "share"] > run.loc["private", "share"]


def test_reckoning_matters_only_if_the_regime_may_fall():
    a = calc.defection_probability(regime_survival=1.0, reckoning=0.0)
    b = calc.defection_probability(regime_survival=1.0, reckoning=1.0)
    np.testing.assert_allclose(a, b)


@pytest.mark.parametrize("desertion", [False, True])
def test_more_reckoning_never_lowers_defection(desertion):
    shares = [calc.defection_probability(**HARSH, regime_survival=0.4, reckoning=r,
                                         desertion=desertion) for r in np.linspace(0, 1, 6)]
    for lo, hi in zip(shares, shares[1:]):
        assert np.all(hi >= lo - 1e-12)


def test_identity_holds_the_core_group_and_loosens_the_others():
    unit = calc.simulate_unit()
    core = unit["in_group"].to_numpy()
    assert 0 < core.mean() < 1
    none = calc.defection_probability(identity=0.0)
    strong = calc.defection_probability(identity=1.0)
    assert np.all(strong[core] <= none[core] + 1e-12)
    assert np.all(strong[~core] >= none[~core] - 1e-12)


def test_core_group_share_grows_with_rank():
    unit = calc.simulate_unit(n=20000)
    by_rank = unit.groupby("rank", observed=True)["in_group"].mean().to_numpy()
    assert np.all(np.diff(by_rank) > 0)


def test_old_traits_unchanged_by_the_new_draws():
    unit = calc.simulate_unit()
    # the first draws of the seed still give the same moral trait as before the extension
    rng = np.random.default_rng(2021)
    np.testing.assert_allclose(unit["moral"], rng.beta(2.0, 2.0, 1000))


def test_desertion_is_the_commoner_exit_for_privates_at_defaults():
    run = calc.calculus(desertion=True).set_index("rank")
    assert run.loc["private", "desert_share"] > run.loc["private", "share"]
    total = run["share"] + run["desert_share"]
    assert ((total >= 0) & (total <= 1)).all()


def test_desertion_adds_two_columns_and_only_with_the_option():
    assert "desert_share" not in calc.calculus().columns
    assert list(calc.calculus(desertion=True).columns)[-2:] == ["desert_share",
                                                                 "expected_deserters"]


@pytest.mark.parametrize("name,sign", [("punishment_risk", -1), ("family_risk", -1),
                                       ("regime_survival", -1), ("exit_support", 1),
                                       ("moral_cost", 1)])
def test_directions_hold_with_every_extension_on(name, sign):
    shares = []
    for v in np.linspace(0, 1, 6):
        kw = {**calc.DEFAULTS, **calc.EXTENSIONS, name: v}
        shares.append(calc.defection_probability(**kw))
    for lo, hi in zip(shares, shares[1:]):
        assert np.all(sign * (hi - lo) >= -1e-12)


@pytest.mark.parametrize("bad", [dict(reckoning=1.5), dict(identity=-0.1)])
def test_rejects_out_of_range_extensions(bad):
    with pytest.raises(ValueError, match=next(iter(bad))):
        calc.calculus(**bad)
