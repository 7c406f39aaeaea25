"""A small logistic regression (Newton–Raphson, numpy only) for the replication lab.

Why not statsmodels: it would bring scipy and patsy, about 180 MB on top of a 430 MB
student install, for one model with a handful of regressors. A logit this size is a few
lines of linear algebra, and the course can test it against results it knows exactly: a
logit with one 0/1 regressor must reproduce the 2×2 odds ratio and Woolf's interval.

Intervals are Wald intervals, ``exp(b ± 1.96·se)``, the kind most published logit tables
report. When a regressor predicts the outcome perfectly (complete or quasi-complete
separation) no finite estimate exists; the fit then raises :class:`LogitError` naming the
regressor instead of returning a huge coefficient.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

#: z for a two-sided 95% interval (as in defection.comparative).
Z95 = 1.959963984540054
#: A coefficient this large in absolute value (an odds ratio beyond about 10^6) means the
#: likelihood has no maximum: the regressor separates successes from failures.
SEPARATION_LIMIT = 15.0


class LogitError(ValueError):
    """The model cannot be fitted to these rows; the message says what to change."""


@dataclass(frozen=True)
class OddsRatioEstimate:
    """One regressor's odds ratio with its 95% Wald interval."""

    term: str
    value: float
    low: float
    high: float

    def __str__(self) -> str:
        return f"odds ratio {self.value:.1f} (95% CI {self.low:.1f} to {self.high:.1f})"


@dataclass(frozen=True)
class LogitFit:
    """A fitted logit: coefficients on the log-odds scale, their standard errors, the fit."""

    terms: tuple[str, ...]
    coef: np.ndarray
    se: np.ndarray
    n: int
    successes: int
    log_likelihood: float
    iterations: int

    def odds_ratio(self, term: str) -> OddsRatioEstimate:
        """``exp(coefficient)`` of ``term`` with its Wald interval."""
        if term not in self.terms:
            raise KeyError(f"{term!r} is not in the model; its terms are {list(self.terms)}")
        i = self.terms.index(term)
        b, s = float(self.coef[i]), float(self.se[i])
        return OddsRatioEstimate(term, math.exp(b), math.exp(b - Z95 * s), math.exp(b + Z95 * s))

    def table(self) -> pd.DataFrame:
        """One row per term: coefficient, standard error, z, odds ratio and its interval."""
        z = self.coef / self.se
        return pd.DataFrame(
            {
                "term": list(self.terms),
                "coef": self.coef,
                "se": self.se,
                "z": z,
                "odds_ratio": np.exp(self.coef),
                "low": np.exp(self.coef - Z95 * self.se),
                "high": np.exp(self.coef + Z95 * self.se),
            }
        )


def _design(frame: pd.DataFrame, outcome: str, regressors: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    missing = [c for c in (outcome, *regressors) if c not in frame.columns]
    if missing:
        raise LogitError(f"no column {missing} in the table; its columns are {list(frame.columns)}")
    if len(set(regressors)) != len(regressors):
        raise LogitError(f"a regressor is listed twice: {list(regressors)}")
    for col in (outcome, *regressors):
        blank = frame[col].isna().to_numpy()
        if blank.any():
            row = int(np.flatnonzero(blank)[0])
            raise LogitError(
                f"column {col!r} is blank in {int(blank.sum())} row(s) (first: row {row}, "
                f"{frame.index[row]!r}); drop those rows first, e.g. frame.dropna(subset=[{col!r}])"
            )
    if len(frame) == 0:
        raise LogitError("no rows to fit: the selection left nothing (check the filters and blank controls)")
    y = frame[outcome].astype(float).to_numpy()
    if not np.isin(y, (0.0, 1.0)).all():
        bad = int(np.flatnonzero(~np.isin(y, (0.0, 1.0)))[0])
        raise LogitError(f"the outcome {outcome!r} must be 0 or 1; row {bad} holds {y[bad]!r}")
    x = np.column_stack([np.ones(len(frame))] + [frame[c].astype(float).to_numpy() for c in regressors])
    return x, y


def fit_logit(
    frame: pd.DataFrame,
    outcome: str,
    regressors: Sequence[str],
    *,
    max_iter: int = 100,
    tol: float = 1e-10,
) -> LogitFit:
    """Maximum-likelihood logit of ``outcome`` (0/1) on ``regressors`` plus an intercept.

    >>> import pandas as pd
    >>> rows = pd.DataFrame({"won": [1] * 40 + [0] * 12 + [1] * 54 + [0] * 63,
    ...                      "defect": [1] * 52 + [0] * 117})
    >>> str(fit_logit(rows, "won", ["defect"]).odds_ratio("defect"))
    'odds ratio 3.9 (95% CI 1.9 to 8.2)'
    """
    regressors = list(regressors)
    x, y = _design(frame, outcome, regressors)
    terms = ("const", *regressors)
    n, k = x.shape
    if y.sum() == 0 or y.sum() == n:
        raise LogitError(f"every one of the {n} rows has {outcome} = {int(y[0])}: nothing to explain")
    if n <= k:
        raise LogitError(f"{n} rows cannot fit {k} coefficients; use fewer controls or more rows")
    if np.linalg.matrix_rank(x) < k:
        raise LogitError(
            f"the regressors {regressors} are collinear in these rows (one is constant or a "
            "combination of others): drop one"
        )
    beta = np.zeros(k)
    for iteration in range(1, max_iter + 1):
        p = 1.0 / (1.0 + np.exp(-(x @ beta)))
        w = p * (1.0 - p)
        info = x.T @ (x * w[:, None])
        step = np.linalg.solve(info, x.T @ (y - p))
        beta = beta + step
        if np.abs(beta[1:]).max(initial=0.0) > SEPARATION_LIMIT:
            worst = terms[1 + int(np.abs(beta[1:]).argmax())]
            raise LogitError(
                f"{worst!r} separates successes from failures in these {n} rows (no finite "
                "estimate exists); drop it or widen the sample"
            )
        if np.abs(step).max() < tol:
            break
    else:
        raise LogitError(f"the fit did not settle in {max_iter} steps; the model may be separated")
    eta = x @ beta
    p = 1.0 / (1.0 + np.exp(-eta))
    info = x.T @ (x * (p * (1.0 - p))[:, None])
    se = np.sqrt(np.diag(np.linalg.inv(info)))
    loglik = float(np.sum(y * eta - np.logaddexp(0.0, eta)))
    return LogitFit(terms, beta, se, int(n), int(y.sum()), loglik, iteration)
