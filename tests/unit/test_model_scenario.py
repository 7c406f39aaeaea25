"""Properties of the scenario explorer (lesson 5): bounds, direction, determinism, presets."""

import itertools

import numpy as np
import pandas as pd
import pytest

from defection.models import calculus as calc
from defection.models import scenario as sc
from defection.models import spoils

GRID = (0.0, 0.35, 0.7, 1.0)
INDICATORS = ["senior_defection", "senior_softliners", "elite_split", "coup_bloc",
              "extrication", "orders_refused", "rank_and_file_out", "surrenderers_kept"]


def others(skip):
    """Every combination of the other four pressures on a coarse grid."""
    names = [s for s in sc.PRESSURES if s != skip]
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
        "calculus", "spoils", "spoils + calculus", "spoils (rules broken)",
        "survival + incentives", "cascade + survival", "cascade", "absorption"
    }
    assert res.indicators["caveat"].str.len().min() > 20
    assert list(res.ranks["rank"].astype(str)) == list(calc.RANKS)
    assert list(res.links["step"]) == sorted(res.links["step"])


@pytest.mark.parametrize(
    "values", [(0,) * 9, (1,) * 9, (0.5,) * 9, (1, 1, 1, 0, 1), (0, 0, 0, 1, 0),
               (0.2, 0, 0.3, 0.6, 0.2, 0.4, 0.7, 1, 0)]
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
    "name,bad", [("incentives", -0.1), ("repression", 1.5), ("absorption", float("nan")),
                 ("purge", 1.2), ("war_rents", -0.5), ("patrons", float("nan"))]
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


@pytest.mark.parametrize("rules", [{}, {"purge": 0.4}, {"capture": 0.7, "war_rents": 0.6},
                                   {"purge": 0.3, "capture": 0.3, "war_rents": 1.0}])
def test_spoils_step_matches_the_spoils_model(rules):
    for p in (0.0, 0.6, 1.0):
        link = sc.spoils_step(p, 2021, rules.get("purge", 0.0), rules.get("capture", 0.0),
                              rules.get("war_rents", 0.0))
        run = spoils.simulate_spoils(boycott=p, sanctions=p, periods=sc.SPOILS_PERIODS,
                                     steer=sc.SPOILS_STEER, **rules)
        last = run.by_tier[run.by_tier["period"] == sc.SPOILS_PERIODS].set_index("tier", drop=False)
        assert link.softliners == pytest.approx(float(last.loc["senior", "excluded_share"]))
        assert link.senior_rent == pytest.approx(
            min(1.0, float(last.loc["senior", "rent_index"]) / 100))
        everyone = float(last.loc["all officers", "rent_index"]) / 100
        assert link.officer_rent == pytest.approx(min(1.0, everyone))
        assert 0.0 <= link.excluded_rent <= link.senior_rent + 1e-12 or link.softliners == 0.0
        # the purged and the aggrieved in post are parts of the cut-out senior tier
        assert link.purged + link.aggrieved_in_post <= link.softliners + 1e-12


def test_calculus_step_matches_the_calculus_model_when_spoils_are_intact():
    # with no economic pressure nobody loses rent, so the stake is unscaled
    res = sc.scenario(
        economic_pressure=0.0, battlefield_losses=0.3, repression=0.6, incentives=0.3
    )
    assert sc.spoils_step(0.0)[1:4] == (1.0, 1.0, 1.0)
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


def test_split_at_top_is_the_top_breaking_with_the_ruler_not_individual_exits():
    res = sc.scenario(**sc.PRESETS["Everything at once (hypothetical)"])
    met = dict(zip(res.indicators["indicator"], res.indicators["met"]))
    assert res.split_at_top and met["elite_split"] and "faction exit" in res.outcomes
    # here fewer seniors would leave one by one than the 25 % mark: a split without it
    assert not met["senior_defection"]
    strict = sc.scenario(**sc.PRESETS["Everything at once (hypothetical)"],
                         softliner_threshold=0.99)
    assert "faction exit" not in strict.outcomes
    for name, values in sc.PRESETS.items():
        r = sc.scenario(**values)
        assert r.split_at_top == bool(r.outcomes), name
        assert ("faction exit" in r.outcomes) == (
            r.value("elite_split") >= r.thresholds["elite_split"]), name
        assert r.value("elite_split") in (0.0, r.value("senior_softliners"))
        assert r.top_outcome == (r.outcomes[0] if r.outcomes else sc.HOLDS)


def test_many_individual_exits_do_not_make_a_split():
    # generous incentives, shrunken spoils but no faction cut out: seniors leave one by one
    for x in (0.8, 1.0):
        r = sc.scenario(incentives=x, economic_pressure=0.0, battlefield_losses=1.0,
                        repression=0.0, absorption=1.0)
        assert r.value("senior_softliners") == 0.0
        assert "faction exit" not in r.outcomes
    r = sc.scenario(incentives=1.0, economic_pressure=0.0, battlefield_losses=1.0,
                    repression=0.0, absorption=1.0)
    assert r.value("senior_defection") >= sc.SENIOR_THRESHOLD
    assert "one by one" in r.verdict
    # with the war lost and a safe exit on offer the top may still act, as a body
    assert set(r.outcomes) <= {"negotiated extrication", "orders refused"}


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
    assert set(table["top_outcome"]) <= {*sc.OUTCOMES, sc.HOLDS}
    # no preset breaks the sharing rules: the course has no row showing a purge at the top
    assert all(v["purge"] == 0 and v["capture"] == 0 for v in sc.PRESETS.values())


def test_text_carries_verdict_and_caveats():
    res = sc.scenario()
    assert res.verdict.startswith("Split at the top? NO")
    for word in ("China", "election", "funding"):
        assert word in res.caveats
    assert "surrendered soldiers" in res.summary
    with pytest.raises(KeyError):
        res.value("nonsense")


# ------------------------------------------------------- the top acting as a body (step 6)

CALM = dict(incentives=0.3, economic_pressure=0.0, battlefield_losses=0.1, repression=0.7,
            absorption=0.1)


def test_a_purge_can_produce_a_split_without_economic_collapse():
    calm = sc.scenario(**CALM)
    assert not calm.split_at_top
    purge = sc.scenario(**CALM, purge=0.4)
    assert purge.split_at_top and purge.top_outcome == "palace coup"
    assert purge.value("senior_softliners") > 0  # the purged are losers of the share-out
    grab = sc.scenario(**CALM, capture=1.0)
    assert grab.top_outcome == "palace coup"


def test_a_coup_can_happen_with_almost_no_rank_and_file_defection():
    r = sc.scenario(**CALM, purge=0.4)
    assert r.top_outcome == "palace coup"
    assert r.value("rank_and_file_out") < 0.1
    assert not r.mass_defection


def test_the_coup_bloc_counts_only_those_the_ruler_wronged():
    # a collapsing pool cuts out three senior officers in four, but they blame the war:
    # no coup bloc without broken rules
    collapse = sc.scenario(**sc.PRESETS["Economic collapse"])
    assert collapse.value("senior_softliners") > 0.5
    assert collapse.value("coup_bloc") == 0.0


def test_a_sweeping_purge_leaves_no_one_to_stage_a_coup():
    bloc = [sc.scenario(**CALM, purge=x).value("coup_bloc") for x in np.linspace(0, 1, 11)]
    assert bloc[0] == 0.0 and bloc[-1] == 0.0
    assert max(bloc) >= sc.COUP_THRESHOLD
    assert not sc.scenario(**CALM, purge=1.0).outcomes  # the established autocrat


def test_more_capture_never_shrinks_the_coup_bloc():
    for purge in (0.0, 0.3):
        bloc = [sc.scenario(**CALM, purge=purge, capture=c).value("coup_bloc")
                for c in np.linspace(0, 1, 6)]
        assert np.all(np.diff(bloc) >= -1e-12), purge


def test_extrication_needs_a_lost_war_and_a_safe_exit():
    losing = dict(economic_pressure=1.0, battlefield_losses=1.0, repression=0.5, absorption=0.5)
    assert "negotiated extrication" in sc.scenario(incentives=0.9, **losing).outcomes
    assert "negotiated extrication" not in sc.scenario(incentives=0.1, **losing).outcomes
    safe = dict(economic_pressure=0.0, battlefield_losses=0.0, repression=0.5, absorption=0.5)
    assert "negotiated extrication" not in sc.scenario(incentives=1.0, **safe).outcomes


def test_mass_desertion_under_a_surviving_regime_is_not_orders_refused():
    r = sc.scenario(**sc.PRESETS["Strong external support"])
    assert r.mass_defection and not r.split_at_top  # Syria 2011, not Egypt 2011
    losing = sc.scenario(incentives=0.9, economic_pressure=1.0, battlefield_losses=1.0,
                         repression=0.2, absorption=1.0, patrons=0.0)
    assert "orders refused" in losing.outcomes


def test_stronger_patrons_raise_survival_and_never_raise_the_pressure_on_the_top():
    base = sc.PRESETS["Everything at once (hypothetical)"]
    runs = [sc.scenario(**{**base, "patrons": x}) for x in np.linspace(0, 1, 6)]
    survival = [r.links.loc[0, "value"] for r in runs]
    assert np.all(np.diff(survival) > 0)
    for k in ("extrication", "orders_refused"):
        v = [r.value(k) for r in runs]
        assert np.all(np.diff(v) <= 1e-12), k


def test_war_rents_never_enlarge_the_excluded_faction_and_can_buy_it_back():
    for p in (0.5, 0.8, 1.0):
        soft = [sc.scenario(economic_pressure=p, war_rents=w).value("senior_softliners")
                for w in np.linspace(0, 1, 6)]
        assert np.all(np.diff(soft) <= 1e-12), p
    collapse = sc.PRESETS["Economic collapse"]
    bought = sc.scenario(**{**collapse, "war_rents": 1.0}).value("senior_softliners")
    assert bought < sc.scenario(**collapse).value("senior_softliners") / 2


def test_top_paths_is_the_what_would_have_to_be_true_table():
    table = sc.top_paths(sc.PRESETS["2025: ceasefires and the election"])
    assert table.shape == (6, 5)
    assert set(table.to_numpy().ravel()) <= {*sc.OUTCOMES, sc.HOLDS}
    assert table.iloc[0, 0] == sc.HOLDS  # the preset itself: the rules hold
    assert (table.to_numpy() == "palace coup").any()
