"""Re-estimate the "46 times" logit on NAVCO 1.2 under one named set of choices at a time.

Stephan & Chenoweth (2008) reported, by Lee & McCarthy's (2023) account, that campaigns
were 46 times more likely to succeed with security-force defections. The course cannot
read the article's tables, so lesson 06 asks which analytic choices move an estimate on
the data it has: which campaigns, which end years, what to do with ongoing campaigns and
with "limited" successes, and which controls. A :class:`Spec` names one set of choices;
:func:`sample` applies it to the ``campaigns`` table, :func:`estimate` fits the logit and
:func:`compare` lines several specifications up for a table or a chart. The fitting
itself is :func:`defection.logit.fit_logit`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from defection.logit import LogitError, LogitFit, OddsRatioEstimate, fit_logit

#: The published figure, as Lee & McCarthy (2023) report it.
PUBLISHED = 46.0
#: The last end year the 2008 article's data could hold (its data run to 2006).
ARTICLE_LAST_YEAR = 2006

#: Which campaigns a specification keeps: a short name -> (description, row filter).
CAMPAIGNS = {
    "nonviolent": "nonviolent campaigns",
    "all": "every campaign, nonviolent and violent",
    "violent": "violent campaigns",
    "nonviolent_regime_change": "nonviolent campaigns whose goal was regime change",
    "regime_change": "campaigns of either method whose goal was regime change",
}
ONGOING = {
    "failure": "ongoing campaigns counted as failures (as NAVCO codes them)",
    "drop": "ongoing campaigns left out",
}
LIMITED = {
    "failure": "limited success counted as failure (NAVCO's strict success)",
    "success": "limited success counted as success",
}
#: Controls a specification can add: a name -> (column built from, description).
CONTROLS = {
    "log_participation": "log of peak participants (campaigns with no count left out)",
    "log_participation_share": "log of peak participants as a share of population",
    "regviol": "the regime used violent repression (1/0)",
    "log_duration": "log of the campaign's length in days",
    "violent_flank": "a nonviolent campaign had an armed flank (1/0; coded for nonviolent campaigns)",
    "regaid": "a foreign state aided the regime (1/0)",
    "statesup": "a foreign state supported the campaign (1/0)",
}
#: Smallest positive participation share in NAVCO is about 1e-6; zeros (no count) are
#: left out rather than given an invented floor.
OUTCOME = "won"


class ReplicationError(ValueError):
    """A specification asks for something the data or the model cannot give."""


@dataclass(frozen=True)
class Spec:
    """One set of analytic choices. The default reproduces lesson 01's cross-tab (3.9).

    >>> Spec(campaigns="all", last_year=2006).describe()
    'every campaign, nonviolent and violent; ended by 2006; ongoing campaigns counted as failures (as NAVCO codes them); limited success counted as failure (NAVCO's strict success); no controls'
    """

    campaigns: str = "nonviolent"
    last_year: int | None = None
    ongoing: str = "failure"
    limited: str = "failure"
    controls: tuple[str, ...] = ()
    label: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        for name, value, allowed in (
            ("campaigns", self.campaigns, CAMPAIGNS),
            ("ongoing", self.ongoing, ONGOING),
            ("limited", self.limited, LIMITED),
        ):
            if value not in allowed:
                raise ReplicationError(f"Spec({name}={value!r}): choose one of {sorted(allowed)}")
        if isinstance(self.controls, str):
            raise ReplicationError(
                f"Spec(controls={self.controls!r}): give a tuple of names, e.g. ({self.controls!r},)"
            )
        unknown = [c for c in self.controls if c not in CONTROLS]
        if unknown:
            raise ReplicationError(f"Spec(controls=...): unknown {unknown}; choose from {sorted(CONTROLS)}")
        if self.last_year is not None and not 1946 <= int(self.last_year) <= 2014:
            raise ReplicationError(
                f"Spec(last_year={self.last_year!r}): NAVCO 1.2's campaigns end 1946-2014"
            )

    def describe(self) -> str:
        """The choices in words, for tables and chart tooltips."""
        parts = [
            CAMPAIGNS[self.campaigns],
            f"ended by {self.last_year}" if self.last_year else "every end year (1946-2014)",
            ONGOING[self.ongoing],
            LIMITED[self.limited],
            ("controls: " + ", ".join(self.controls)) if self.controls else "no controls",
        ]
        return "; ".join(parts)

    def name(self) -> str:
        """The label if one was given, else a short description."""
        return self.label or self.describe()

    def but(self, **changes) -> Spec:
        """A copy with some choices changed (and no label unless one is given)."""
        changes.setdefault("label", "")
        return replace(self, **changes)


@dataclass(frozen=True)
class Estimate:
    """The fit of one specification and what it kept."""

    spec: Spec
    fit: LogitFit
    rows: int
    left_out_blank: int

    @property
    def defection(self) -> OddsRatioEstimate:
        """The odds ratio of success with vs without defection (other terms held)."""
        return self.fit.odds_ratio("defect")


def _keep_campaigns(campaigns: pd.DataFrame, which: str) -> pd.Series:
    nonviol = campaigns["nonviol"].astype("Int64") == 1
    regchange = campaigns["regchange"].astype("Int64") == 1
    return {
        "nonviolent": nonviol,
        "all": pd.Series(True, index=campaigns.index),
        "violent": ~nonviol,
        "nonviolent_regime_change": nonviol & regchange,
        "regime_change": regchange,
    }[which].fillna(False).astype(bool)


def _log_positive(column: pd.Series) -> pd.Series:
    """Natural log; blanks and values <= 0 (no count) become NaN, with no warning."""
    values = column.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    out = np.full(values.shape, np.nan)
    positive = values > 0
    out[positive] = np.log(values[positive])
    return pd.Series(out, index=column.index)


_LOGGED = {"log_participation": "participation", "log_participation_share": "participation_share",
           "log_duration": "duration"}


def _control_column(rows: pd.DataFrame, name: str) -> pd.Series:
    if name in _LOGGED:
        return _log_positive(rows[_LOGGED[name]])
    return rows[name].astype("Float64")


def sample(campaigns: pd.DataFrame, spec: Spec = Spec()) -> pd.DataFrame:
    """The rows a specification uses: ``won`` (0/1), ``defect`` and one column per control.

    Rows with a blank control are left out (the count is in ``attrs["left_out_blank"]``).
    """
    needed = {"nonviol", "regchange", "eyear", "ongoing", "success", "limited", "defect"}
    missing = sorted(needed - set(campaigns.columns))
    if missing:
        raise ReplicationError(f"the campaigns table has no column(s) {missing}: load it with data.load('campaigns')")
    rows = campaigns[_keep_campaigns(campaigns, spec.campaigns)]
    if spec.last_year is not None:
        rows = rows[rows["eyear"].astype(int) <= int(spec.last_year)]
    if spec.ongoing == "drop":
        rows = rows[rows["ongoing"].astype(int) == 0]
    won = rows["success"].astype(int)
    if spec.limited == "success":
        won = won | rows["limited"].astype(int)
    out = pd.DataFrame({"campaign": rows["campaign"], OUTCOME: won.astype(int), "defect": rows["defect"].astype(int)})
    for name in spec.controls:
        out[name] = _control_column(rows, name).astype(float)
    blank = out[list(spec.controls)].isna().any(axis=1) if spec.controls else pd.Series(False, index=out.index)
    out = out[~blank]
    out.attrs["left_out_blank"] = int(blank.sum())
    return out


def estimate(campaigns: pd.DataFrame, spec: Spec = Spec()) -> Estimate:
    """Fit the logit of success on defection (plus the spec's controls) to the spec's rows."""
    rows = sample(campaigns, spec)
    try:
        fit = fit_logit(rows, OUTCOME, ["defect", *spec.controls])
    except LogitError as err:
        raise ReplicationError(f"{spec.name()}: {err}") from err
    return Estimate(spec, fit, len(rows), rows.attrs["left_out_blank"])


def compare(campaigns: pd.DataFrame, specs: Iterable[Spec]) -> pd.DataFrame:
    """One row per specification: its name, rows used, odds ratio of defection and interval.

    ``times_published`` says how far each estimate is from 46 (46 / estimate).
    """
    records = []
    for spec in specs:
        est = estimate(campaigns, spec)
        orr = est.defection
        records.append(
            {
                "specification": spec.name(),
                "choices": spec.describe(),
                "campaigns": est.rows,
                "successes": est.fit.successes,
                "odds_ratio": orr.value,
                "low": orr.low,
                "high": orr.high,
                "times_published": PUBLISHED / orr.value,
            }
        )
    return pd.DataFrame.from_records(records)


def standard_specs() -> list[Spec]:
    """The lab's walk from lesson 01's cross-tab towards the 2008 article's likely set-up,
    one choice at a time, then with controls."""
    base = Spec(label="1. Lesson 01's cross-tab: nonviolent, all years")
    return [
        base,
        base.but(campaigns="all", label="2. Every campaign, both methods"),
        base.but(campaigns="nonviolent_regime_change", label="3. Nonviolent, regime-change goals only"),
        base.but(last_year=ARTICLE_LAST_YEAR, label="4. Nonviolent, ended by 2006"),
        base.but(ongoing="drop", label="5. Nonviolent, ongoing campaigns dropped"),
        base.but(limited="success", label="6. Nonviolent, limited success counts"),
        base.but(controls=("log_participation",), label="7. + log participation"),
        base.but(
            controls=("log_participation", "regviol", "log_duration"),
            label="8. + participation, regime violence, duration",
        ),
        base.but(
            controls=("log_participation", "regviol", "log_duration", "regaid", "statesup"),
            label="9. + foreign aid to regime and to campaign",
        ),
        base.but(
            campaigns="all", last_year=ARTICLE_LAST_YEAR, ongoing="drop",
            controls=("log_participation", "regviol", "log_duration"),
            label="10. Every campaign to 2006, ongoing dropped, controls",
        ),
    ]
