"""Cross-tabs, success rates and odds ratios (defection.comparative), on hand-made tables."""

import math

import pandas as pd
import pytest

from defection.comparative import (
    crosstab,
    decade_of,
    coup_count,
    fell_share,
    filter_cases,
    navco_rates,
    navco_subset,
    navco_summary,
    odds_ratio,
    odds_ratio_from,
    outcomes_by_defection,
    success_rates,
    two_by_two,
)


def campaigns(a, b, c, d, method="nonviol"):
    """A NAVCO-like table with a/b defect successes/failures and c/d without."""
    defect = [1] * (a + b) + [0] * (c + d)
    success = [1] * a + [0] * b + [1] * c + [0] * d
    n = len(defect)
    return pd.DataFrame(
        {
            "defect": pd.array(defect, dtype="Int64"),
            "success": pd.array(success, dtype="Int64"),
            "nonviol": pd.array([1 if method == "nonviol" else 0] * n, dtype="Int64"),
            "viol": pd.array([1 if method == "viol" else 0] * n, dtype="Int64"),
        }
    )


NAVCO_NV = campaigns(40, 12, 54, 63)


def test_odds_ratio_matches_the_hand_computation():
    r = odds_ratio(40, 12, 54, 63)
    assert r.value == pytest.approx(40 * 63 / (12 * 54))
    se = math.sqrt(1 / 40 + 1 / 12 + 1 / 54 + 1 / 63)
    assert r.low == pytest.approx(r.value * math.exp(-1.959964 * se), rel=1e-5)
    assert r.high == pytest.approx(r.value * math.exp(1.959964 * se), rel=1e-5)
    assert (round(r.value, 1), round(r.low, 1), round(r.high, 1)) == (3.9, 1.9, 8.2)
    assert not r.corrected


def test_odds_ratio_is_one_when_groups_match_and_flips_when_swapped():
    assert odds_ratio(10, 10, 5, 5).value == pytest.approx(1.0)
    r, swapped = odds_ratio(8, 2, 3, 7), odds_ratio(3, 7, 8, 2)
    assert swapped.value == pytest.approx(1 / r.value)
    assert r.low < r.value < r.high


def test_zero_cell_uses_the_half_correction():
    r = odds_ratio(5, 0, 2, 3)
    assert r.corrected
    assert r.value == pytest.approx((5.5 * 3.5) / (0.5 * 2.5))
    assert math.isfinite(r.high)


@pytest.mark.parametrize("cells", [(-1, 2, 3, 4), (0, 0, 3, 4), (1, 2, 0, 0)])
def test_odds_ratio_rejects_impossible_tables(cells):
    with pytest.raises(ValueError):
        odds_ratio(*cells)


def test_two_by_two_and_success_rates():
    assert two_by_two(NAVCO_NV) == (40, 12, 54, 63)
    rates = success_rates(NAVCO_NV).set_index("defect")
    assert rates.loc[1, "cases"] == 52 and rates.loc[1, "successes"] == 40
    assert rates.loc[0, "rate"] == pytest.approx(54 / 117)
    assert odds_ratio_from(NAVCO_NV).value == pytest.approx(odds_ratio(40, 12, 54, 63).value)


def test_missing_values_are_left_out_not_counted():
    df = NAVCO_NV.copy()
    df.loc[0, "defect"] = pd.NA
    assert sum(two_by_two(df)) == len(NAVCO_NV) - 1
    assert success_rates(df)["cases"].sum() == len(NAVCO_NV) - 1


def test_crosstab_counts():
    table = crosstab(NAVCO_NV, "defect", "success")
    assert table.loc[1, 1] == 40 and table.loc[0, 0] == 63
    assert table.to_numpy().sum() == len(NAVCO_NV)


def test_navco_subset_and_summary_and_rates():
    both = pd.concat([NAVCO_NV, campaigns(3, 1, 2, 6, method="viol")], ignore_index=True)
    assert len(navco_subset(both, "nonviolent")) == len(NAVCO_NV)
    assert len(navco_subset(both, "violent")) == 12
    assert len(navco_subset(both, None)) == len(both)
    with pytest.raises(ValueError):
        navco_subset(both, "peaceful")
    text = navco_summary(both)
    assert "40 of 52 succeeded (77%)" in text
    assert "54 of 117 succeeded (46%)" in text
    assert "odds ratio 3.9" in text
    rates = navco_rates(both)
    assert set(rates["method"]) == {"nonviolent", "violent"}
    viol = rates[(rates["method"] == "violent") & (rates["defection"] == "with defection")]
    assert viol["rate"].item() == pytest.approx(0.75)


MENA, FELL = "Middle East & North Africa", "ruler_fell"
CASES = pd.DataFrame(
    {
        "country": ["Philippines", "China", "Egypt", "Bahrain", "Myanmar", "Romania"],
        "region": ["Asia", "Asia", MENA, MENA, "Asia", "Europe"],
        "year": pd.array([1986, 1989, 2011, 2011, 2021, 1989], dtype="Int64"),
        "method": ["nonviolent", "nonviolent", "nonviolent", "nonviolent", "mixed", "mixed"],
        "sf_defection": ["major", "none", "major", "none", "partial", "major"],
        "outcome": [FELL, "ruler_survived", FELL, "ruler_survived", "ongoing", FELL],
    }
)


def test_decade_of():
    assert decade_of(pd.Series([1986, 2011, 2020])).tolist() == [1980, 2010, 2020]


def test_filter_cases_by_each_filter():
    assert len(filter_cases(CASES)) == len(CASES)
    asia = filter_cases(CASES, regions=["Asia"])
    assert set(asia["country"]) == {"Philippines", "China", "Myanmar"}
    assert set(filter_cases(CASES, methods=["mixed"])["country"]) == {"Myanmar", "Romania"}
    eighties = filter_cases(CASES, decades=(1980, 1980))
    assert set(eighties["country"]) == {"Philippines", "China", "Romania"}
    assert filter_cases(CASES, regions=[]).empty
    assert len(CASES) == 6, "the input is not changed"


def test_outcomes_by_defection_counts_and_order():
    table = outcomes_by_defection(CASES)
    assert table["cases"].sum() == len(CASES)
    major_fell = table[(table["sf_defection"] == "major") & (table["outcome"] == "ruler_fell")]
    assert major_fell["cases"].item() == 3
    assert "Philippines 1986" in major_fell["examples"].item()
    assert table["sf_defection"].iloc[0] == "none"
    assert outcomes_by_defection(CASES.iloc[0:0]).empty


def test_fell_share_leaves_out_ongoing_cases():
    assert fell_share(CASES, defected=True) == (3, 3)
    assert fell_share(CASES, defected=False) == (0, 2)


def test_a_coup_is_neither_defection_nor_its_absence():
    # Sudan 2019: the generals removed the ruler themselves, nobody changed sides.
    sudan = pd.DataFrame({"country": ["Sudan"], "sf_defection": ["coup"], "outcome": [FELL]})
    with_coup = pd.concat([CASES, sudan], ignore_index=True)
    assert fell_share(with_coup, defected=True) == fell_share(CASES, defected=True)
    assert fell_share(with_coup, defected=False) == fell_share(CASES, defected=False)
    assert coup_count(with_coup) == 1
    assert coup_count(CASES) == 0


def test_code_uses_the_package_definitions_of_split_and_coup():
    # One definition per level: the checks' "split at the top" and the explorer's "no one
    # changed sides" are exactly the levels the data package flags so, and a coup is neither.
    from defection import definitions
    from defection.checks.lesson01 import TOP_SPLIT
    from defection.comparative import DEFECTION_LEVELS, NOT_DEFECTION

    cats = {c["value"]: c for c in definitions.categories("uprisings", "sf_defection")}
    assert set(cats) == set(DEFECTION_LEVELS)
    assert {v for v, c in cats.items() if c["split_at_top"]} == set(TOP_SPLIT)
    assert not cats["coup"]["split_at_top"] and not cats["coup"]["counts_as_defection"]
    assert "neither a split at the top nor defection" in cats["coup"]["definition"]
    assert set(NOT_DEFECTION) == {"none", "coup"}
