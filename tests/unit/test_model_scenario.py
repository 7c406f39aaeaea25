"""Properties of the scenario explorer (lesson 5): bounds, direction, determinism, presets."""

import itertools

import numpy as np
import pandas as pd
import pytest

from defection.models import calculus as calc
from defection.models import scenario as sc
from defection.models import spoils

GRID = (0.0, 0.35, 0.7, 1.0)
INDICATORS = ["senior_defection", "senior_softliners", "elite_split", "rank_and_file_out",
              "surrenderers_kept"]


def others(skip):
    """Every combination of the other four settings on a coarse grid."""
    names = [s for s in sc.SETTINGS if s != skip]
    for combo in itertools.product((0.0, 0.5, 1.0), repeat=len(names)):
        yield dict(zip(names, combo))


def senior(**kw):
    return sc.scenario(**kw).value("senior_defection")


def test_indicator_table_shape():
    res = sc.scenario()
    assert list(res.indicators["indicator"]) == INDICATORS
    assert list(res.indicators.columns) == [
        "indicator", "label", "model", "value", "threshold", "met", "caveat"
    ]
    assert set(res.indicators["model"]) == {
        "calculus", "spoils", "spoils + calculus", "cascade", "absorption"
    }
    assert res.indicators["caveat"].str.len().min() > 20
    assert list(res.ranks["rank"].astype(str)) == list(calc.RANKS)
    assert list(res.links["step"]) == sorted(res.links["step"])


@pytest.mark.parametrize(
    "values", [(0,) * 5, (1,) * 5, (0.5,) * 5, (1, 1, 1, 0, 1), (0, 0, 0, 1, 0)]
)
def test_bounds(values):
    res = sc.scenario(**dict(zip(sc.SETTINGS, values)))
    v = res.indicators["value"].to_numpy()
    assert np.all((v >= 0) & (v <= 1))
    assert np.all((res.ranks["share"] >= 0) & (res.ranks["share"] <= 1))
    a = res.absorbed
    parts = ("registered", "waiting", "held", "released", "exchanged", "lost")
    assert sum(a[k] for k in parts) == pytest.approx(a["surrendered"])
    assert 0.05 <= res.links.loc[0, "value"] <= 0.95  # expected survival


@pytest.mark.parametrize(
    "name,bad", [("incentives", -0.1), ("repression", 1.5), ("absorption", float("nan"))]
)
def test_rejects_settings_outside_0_1(name, bad):
    with pytest.raises(ValueError, match=name):
        sc.scenario(**{name: bad})


def test_more_incentives_never_lower_senior_defection():
    for rest in others("incentives"):
        s = [senior(incentives=x, **rest) for x in GRID]
        assert np.all(np.diff(s) >= -1e-12), rest


def test_more_repression_never_raises_senior_defection():
    for rest in others("repression"):
        s = [senior(repression=x, **rest) for x in GRID]
        assert np.all(np.diff(s) <= 1e-12), rest


def test_more_absorption_never_increases_returns():
    for rest in others("absorption"):
        lost = [sc.scenario(absorption=x, **rest).absorbed["lost"] for x in GRID]
        assert np.all(np.diff(lost) <= 1e-9), rest
        kept = [sc.scenario(absorption=x, **rest).value("surrenderers_kept") for x in GRID]
        assert np.all(np.diff(kept) >= -1e-12), rest


def test_more_economic_pressure_never_shrinks_softliners():
    s = [sc.scenario(economic_pressure=x).value("senior_softliners") for x in np.linspace(0, 1, 11)]
    assert np.all(np.diff(s) >= 0)
    assert s[-1] > s[0]  # the link actually does something


def test_more_losses_lower_expected_survival_and_raise_surrenders():
    surv = [sc.expected_survival(b, 0.5) for b in GRID]
    assert np.all(np.diff(surv) < 0)
    inflow = [sc.scenario(battlefield_losses=b).absorbed["surrendered"] for b in GRID]
    assert np.all(np.diff(inflow) > 0)


def test_incentives_move_senior_officers_at_all():
    assert senior(incentives=1.0, repression=0.0) > senior(incentives=0.0, repression=1.0) + 0.1


def test_deterministic_and_seeded():
    a = sc.scenario(**sc.PRESETS["After Operation 1027 (2024)"])
    b = sc.scenario(**sc.PRESETS["After Operation 1027 (2024)"])
    pd.testing.assert_frame_equal(a.indicators, b.indicators)
    assert a.summary == b.summary
    c = sc.scenario(**sc.PRESETS["After Operation 1027 (2024)"], seed=7)
    assert not np.allclose(a.ranks["share"], c.ranks["share"])


def test_spoils_step_matches_the_spoils_model():
    for p in (0.0, 0.6, 1.0):
        soft, senior_rent, all_rent, excluded_rent = sc.spoils_step(p)
        run = spoils.simulate_spoils(boycott=p, sanctions=p, periods=sc.SPOILS_PERIODS)
        last = run.by_tier[run.by_tier["period"] == sc.SPOILS_PERIODS].set_index("tier", drop=False)
        assert soft == pytest.approx(float(last.loc["senior", "excluded_share"]))
        assert senior_rent == pytest.approx(min(1.0, float(last.loc["senior", "rent_index"]) / 100))
        everyone = float(last.loc["all officers", "rent_index"]) / 100
        assert all_rent == pytest.approx(min(1.0, everyone))
        assert 0.0 <= excluded_rent <= senior_rent + 1e-12 or soft == 0.0


def test_calculus_step_matches_the_calculus_model_when_spoils_are_intact():
    # with no economic pressure nobody loses rent, so the stake is unscaled
    res = sc.scenario(
        economic_pressure=0.0, battlefield_losses=0.3, repression=0.6, incentives=0.3
    )
    assert sc.spoils_step(0.0)[1:] == (1.0, 1.0, 1.0)
    direct = calc.calculus(0.6, 0.6, 0.3, sc.MORAL_COST, sc.expected_survival(0.3, 0.0))
    np.testing.assert_allclose(res.ranks["share"], direct["share"])


def test_cascade_step_starts_from_first_movers():
    # nobody ready and no first movers: nobody out; everyone out at the start: all out
    assert sc._cascade_from(0.0, 0.0, 1.0, 2021).final_share == 0.0
    assert sc._cascade_from(1.0, 1.0, 1.0, 2021).final_share == 1.0
    grid = np.linspace(0, 1, 11)
    lows = [sc._cascade_from(f, 0.0, 0.4, 2021).rank_and_file_out for f in grid]
    assert np.all(np.diff(lows) >= 0)
    assert all(out >= f - 1e-9 for out, f in zip(lows, grid))
    tops = [sc._cascade_from(0.0, f, 0.45, 2021).final_share for f in grid]
    assert np.all(np.diff(tops) >= 0)


def test_the_chain_can_tip_from_the_top_or_from_the_bottom():
    # officers leaving (an elite split, say) pull the ranks along ...
    top = sc._cascade_from(0.02, 0.8, 0.4, 2021)
    assert top.tipped and top.led_by == "officers"
    assert not sc._cascade_from(0.02, 0.0, 0.4, 2021).tipped
    # ... and mass desertion can pull officers along
    bottom = sc._cascade_from(0.3, 0.0, 0.38, 2021)
    assert bottom.tipped and bottom.officers_out > 0.5
    assert bottom.led_by in ("rank and file", "both")
    # and scenarios report which way their cascade ran
    # (junior officers leave first when the regime looks safe; privates when it does not)
    assert sc.scenario(0.3, 0.5, 0.0, 0.6, 0.4).cascade_led_by == "officers"
    assert sc.scenario(0.3, 0.5, 0.6, 0.3, 0.8).cascade_led_by == "rank and file"


def test_elite_split_needs_a_faction_acting_together():
    assert sc.elite_split_step(0.6, sc.BLOC_THRESHOLD) == 0.6
    assert sc.elite_split_step(0.6, sc.BLOC_THRESHOLD - 0.01) == 0.0
    assert sc.elite_split_step(0.0, 0.9) == 0.0


def test_split_at_top_is_the_elite_split_not_individual_exits():
    res = sc.scenario(**sc.PRESETS["Everything at once (hypothetical)"])
    met = dict(zip(res.indicators["indicator"], res.indicators["met"]))
    assert res.split_at_top and met["elite_split"]
    # here fewer seniors would leave one by one than the 25 % mark: a split without it
    assert not met["senior_defection"]
    strict = sc.scenario(**sc.PRESETS["Everything at once (hypothetical)"],
                         softliner_threshold=0.99)
    assert not strict.split_at_top and "NO" in strict.verdict
    for name, values in sc.PRESETS.items():
        r = sc.scenario(**values)
        assert r.split_at_top == (r.value("elite_split") >= r.thresholds["elite_split"]), name
        assert r.value("elite_split") in (0.0, r.value("senior_softliners"))


def test_many_individual_exits_do_not_make_a_split():
    # generous incentives, shrunken spoils but no faction cut out: seniors leave one by one
    for x in (0.8, 1.0):
        r = sc.scenario(incentives=x, economic_pressure=0.0, battlefield_losses=1.0,
                        repression=0.0, absorption=1.0)
        assert r.value("senior_softliners") == 0.0
        assert not r.split_at_top
    r = sc.scenario(incentives=1.0, economic_pressure=0.0, battlefield_losses=1.0,
                    repression=0.0, absorption=1.0)
    assert r.value("senior_defection") >= sc.SENIOR_THRESHOLD
    assert "one by one" in r.verdict


def test_more_economic_pressure_never_shrinks_the_elite_split_for_willing_factions():
    splits = [sc.scenario(**{**sc.PRESETS["Everything at once (hypothetical)"],
                             "economic_pressure": p}).value("elite_split")
              for p in (0.9, 0.95, 1.0)]
    assert all(b >= a for a, b in zip(splits, splits[1:]))


def test_presets_valid():
    assert len(sc.PRESETS) >= 4
    assert set(sc.PRESETS) == set(sc.PRESET_NOTES)
    for name, values in sc.PRESETS.items():
        assert set(values) == set(sc.SETTINGS), name
        assert all(0 <= v <= 1 for v in values.values()), name
        sc.scenario(**values)
    table = sc.preset_table()
    assert list(table["preset"]) == list(sc.PRESETS)
    # The 2021 preset must not show a split at the top: none happened (lessons 1-4)
    assert not table.set_index("preset").loc["2021 as it was", "split_at_top"]


def test_text_carries_verdict_and_caveats():
    res = sc.scenario()
    assert res.verdict.startswith("Split at the top? NO")
    for word in ("China", "election", "funding"):
        assert word in res.caveats
    assert "surrendered soldiers" in res.summary
    with pytest.raises(KeyError):
        res.value("nonsense")
