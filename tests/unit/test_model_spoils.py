"""Properties of the spoils model: bounds, direction (monotonicity) and determinism."""

import numpy as np
import pytest

from defection.models.spoils import TIERS, allocate, officer_population, pool_path, simulate_spoils

PERIODS = 10


def shares(run, tier="all officers"):
    df = run.by_tier[run.by_tier["tier"] == tier]
    return df["softliner_share"].to_numpy()


def settings():
    rng = np.random.default_rng(7)
    for _ in range(12):
        yield dict(
            boycott=float(rng.uniform(0, 1)),
            sanctions=float(rng.uniform(0, 1)),
            reserves=float(rng.uniform(0, 4)),
            repression=float(rng.uniform(0, 0.5)),
            protection=float(rng.uniform(0, 1)),
        )


def test_population_shape_and_entitlements():
    pop = officer_population(400, seed=3)
    assert len(pop) == 400
    assert pop["entitlement"].sum() == pytest.approx(100.0)
    assert set(pop["tier"].astype(str)) == set(TIERS)
    mean = pop.groupby("tier", observed=True)["entitlement"].mean()
    assert mean["senior"] > mean["mid"] > mean["junior"]
    assert pop["reservation"].between(0.5, 0.9).all()


def test_bounds():
    for kw in settings():
        run = simulate_spoils(periods=PERIODS, **kw)
        bt = run.by_tier
        assert bt["softliner_share"].between(0, 1).all()
        assert bt["rent_index"].between(-1e-9, 100 + 1e-9).all()
        t = run.totals
        assert (t["pool"] >= 0).all() and (t["pool"] <= 100 + 1e-9).all()
        assert (t["reserves_left"] >= -1e-9).all()
        assert (np.diff(t["reserves_left"]) <= 1e-9).all()
        assert len(t) == PERIODS + 1
        assert shares(run)[0] == 0.0  # nobody is cut out before the coup


def test_rents_add_up_to_the_pool():
    pop = officer_population(200, seed=1)
    pools = np.array([100.0, 80.0, 35.0, 0.0])
    for p in (0.0, 0.4, 1.0):
        rents = allocate(pools, pop, p)
        assert rents.sum(axis=1) == pytest.approx(pools)


def test_no_shock_no_softliners():
    run = simulate_spoils(boycott=0, sanctions=0, repression=0, reserves=0, periods=PERIODS)
    assert shares(run).max() == 0.0


@pytest.mark.parametrize("name,lo,hi", [("boycott", 0.1, 0.7), ("sanctions", 0.0, 0.9), ("repression", 0.0, 0.4)])
def test_bigger_shocks_never_shrink_softliner_pool(name, lo, hi):
    for kw in settings():
        kw_lo, kw_hi = dict(kw, **{name: lo}), dict(kw, **{name: hi})
        a, b = simulate_spoils(periods=PERIODS, **kw_lo), simulate_spoils(periods=PERIODS, **kw_hi)
        for tier in (*TIERS, "all officers"):
            assert (shares(b, tier) >= shares(a, tier) - 1e-12).all(), (name, kw, tier)


def test_larger_reserves_never_enlarge_softliner_pool():
    for kw in settings():
        previous = None
        for reserves in (0.0, 0.5, 1.5, 3.0):
            run = simulate_spoils(periods=PERIODS, **dict(kw, reserves=reserves))
            s = shares(run)
            if previous is not None:
                assert (s <= previous + 1e-12).all(), kw
            previous = s


def test_reserves_matter_somewhere():
    poor = shares(simulate_spoils(reserves=0.0, periods=PERIODS))
    rich = shares(simulate_spoils(reserves=4.0, periods=PERIODS))
    assert rich[1] < poor[1]


def test_softliner_pool_grows_as_reserves_run_down():
    for kw in settings():
        s = shares(simulate_spoils(periods=PERIODS, **kw))
        assert (np.diff(s) >= -1e-12).all()


def test_protection_shields_the_top():
    shielded = simulate_spoils(protection=1.0, periods=PERIODS)
    shared = simulate_spoils(protection=0.0, periods=PERIODS)
    assert shares(shielded, "senior")[-1] < shares(shared, "senior")[-1]
    assert shares(shielded, "junior")[-1] >= shares(shared, "junior")[-1]


def test_determinism_and_seed():
    a = simulate_spoils(seed=11, periods=PERIODS)
    b = simulate_spoils(seed=11, periods=PERIODS)
    c = simulate_spoils(seed=12, periods=PERIODS)
    assert a.by_tier.equals(b.by_tier) and a.totals.equals(b.totals)
    assert not officer_population(400, 11)["entitlement"].equals(officer_population(400, 12)["entitlement"])
    assert c.params["seed"] == 12


@pytest.mark.parametrize("bad", [dict(boycott=1.5), dict(sanctions=-0.1), dict(reserves=-1), dict(periods=0), dict(protection=2)])
def test_invalid_inputs_raise(bad):
    with pytest.raises(ValueError):
        simulate_spoils(**bad)


def test_pool_path_draws_down_reserves():
    path = pool_path(boycott=0.5, sanctions=0.5, reserves=1.0, repression=0.1, periods=6)
    assert path["reserves_left"].iloc[0] == 100.0
    assert path["reserves_left"].iloc[-1] < path["reserves_left"].iloc[1]
    assert (np.diff(path["pool"].iloc[1:]) <= 1e-9).all()
    assert path["pool"].iloc[-1] < 100
