"""Lesson 06's panel: the controls build the Spec they show, and a combination that cannot be
fitted is explained on screen instead of raising."""

from __future__ import annotations

import pytest

from defection import data, replication
from defection.replication import Spec
from defection.widgets.replication import LAST_YEAR, comparison, lab_panel, spec_from


@pytest.fixture(scope="module")
def campaigns():
    return data.load("campaigns")


def test_spec_from_reads_every_control():
    spec = spec_from("all", 2006, "drop", "success", ("regviol",))
    assert spec == Spec(campaigns="all", last_year=2006, ongoing="drop", limited="success",
                        controls=("regviol",))
    assert spec_from("nonviolent", LAST_YEAR, "failure", "failure", ()).last_year is None


def test_panel_starts_at_the_baseline_and_redraws_on_a_slider_move(campaigns):
    panel = lab_panel(campaigns)
    base = replication.estimate(campaigns, Spec()).defection.value
    assert f"odds ratio {base:.2f}" in panel.caption_text()
    before = panel.redraws
    panel.controls["last_year"].value = 2006
    assert panel.redraws == before + 1
    expected = replication.estimate(campaigns, Spec(last_year=2006)).defection.value
    assert f"odds ratio {expected:.2f}" in panel.caption_text()
    spec = panel.chart().to_dict()
    assert spec["title"]["text"] and spec["description"]


def test_a_combination_that_cannot_be_fitted_is_explained(campaigns):
    table, caption = comparison(campaigns, Spec(campaigns="violent", controls=("violent_flank",)))
    assert len(table) == 1 and "cannot be estimated" in caption and "collinear" in caption
    panel = lab_panel(campaigns)
    panel.controls["campaign_set"].value = "violent"
    panel.controls["controls"].value = ("violent_flank",)
    assert "cannot be estimated" in panel.caption_text()
