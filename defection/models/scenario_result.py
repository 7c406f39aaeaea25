"""What the scenario chain returns, and how it says it (see ``defection.models.scenario``).

Kept apart from the chain so that the words a student reads (labels, caveats, the
verdict sentence) can be revised without touching the arithmetic, and the other way
round. Every threshold named here is a convention for discussion, not a finding.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from defection.models import calculus as _calculus
from defection.models.scenario_steps import BLOC_THRESHOLD
from defection.models.scenario_top import HOLDS

__all__ = ["CAVEATS", "IGNORES", "LABELS", "MODELS", "ScenarioResult"]

#: One caveat per indicator (shown with its bar and in captions).
CAVEATS: dict[str, str] = {
    "senior_defection": (
        "invented weights; no senior commander has broken with the junta, so nothing "
        "calibrates this share"
    ),
    "senior_softliners": (
        "being cut out of the spoils is not defecting: a softliner may hedge, leak or wait; "
        "and softliners can also be winners who judge the regime needs an opening"
    ),
    "elite_split": (
        "whether an excluded faction acts together is a stated convention (a quarter willing "
        "carries the rest); real factions form around people and events the model lacks"
    ),
    "coup_bloc": (
        "nobody outside knows who is aggrieved at the top; a purge's reach and the faction's "
        "take are settings, not observations"
    ),
    "extrication": (
        "a negotiated exit needs a counterpart the top trusts; the model reads the incentives "
        "setting as that offer"
    ),
    "orders_refused": (
        "armies fighting a civil war rarely refuse orders outright; the weights are invented"
    ),
    "rank_and_file_out": (
        "the cascade assumes every soldier sees the whole army; real units see little "
        "and the regime controls information"
    ),
    "surrenderers_kept": (
        "no source says how many surrendered soldiers went back, or what share armed groups "
        "release, exchange or hold; those rates are guesses"
    ),
}

#: What the whole chain leaves out (shown with every verdict).
IGNORES = (
    "China's pressure and brokered ceasefires, the armed groups' own politics, the "
    "election, foreign funding and arms for the resistance, patrons' money for the regime's "
    "budget (patrons act only on survival), patrons who might pick a new ruler, "
    "conscription and feedback between the steps"
)

#: Indicator labels, in the order of the indicator table.
LABELS = {
    "senior_defection": "Senior officers who would leave one by one",
    "senior_softliners": "Senior officers cut out of the spoils",
    "elite_split": "Senior officers breaking away together (faction exit)",
    "coup_bloc": "Aggrieved commanders still in post (palace coup)",
    "extrication": "Pressure to negotiate the regime's exit",
    "orders_refused": "Pressure to refuse orders",
    "rank_and_file_out": "Rank and file out after the cascade",
    "surrenderers_kept": "Surrendered soldiers kept by the resistance",
}
MODELS = {
    "senior_defection": "calculus",
    "senior_softliners": "spoils",
    "elite_split": "spoils + calculus",
    "coup_bloc": "spoils (rules broken)",
    "extrication": "survival + incentives",
    "orders_refused": "cascade + survival",
    "rank_and_file_out": "cascade",
    "surrenderers_kept": "absorption",
}
_SHORT = {
    "senior_defection": "senior defection",
    "senior_softliners": "softliners",
    "elite_split": "faction exit",
    "coup_bloc": "palace coup",
    "extrication": "extrication",
    "orders_refused": "orders refused",
    "rank_and_file_out": "cascade",
    "surrenderers_kept": "surrenders",
}


@dataclass(frozen=True)
class ScenarioResult:
    """What :func:`defection.models.scenario.scenario` returns.

    ``indicators``: one row per indicator with columns indicator, label, model, value,
    threshold, met (value >= threshold) and caveat. ``outcomes``: the ways the top breaks
    with the ruler that happen here (palace coup, negotiated extrication, orders refused,
    faction exit; empty when the top holds). ``split_at_top`` is true when any of them
    happens; ``top_outcome`` names the first (or "the top holds"). Many senior officers
    leaving one by one are never a split. ``cascade_led_by`` says which rank set off the
    chain's cascade. ``ranks``: the calculus step, one row per rank (rank, share).
    ``links``: every intermediate value passed between steps (step, quantity, value,
    feeds). ``absorbed``: end-of-run figures of the absorption step.
    """

    settings: dict[str, float]
    indicators: pd.DataFrame
    absorbed: dict[str, float]
    split_at_top: bool
    mass_defection: bool
    thresholds: dict[str, float]
    rank_shares: tuple[float, ...]
    steps: tuple[tuple[int, str, float, str], ...] = field(default=(), repr=False)
    cascade_led_by: str | None = None
    outcomes: tuple[str, ...] = ()

    @property
    def top_outcome(self) -> str:
        """The first way the top breaks with the ruler here, or "the top holds"."""
        return self.outcomes[0] if self.outcomes else HOLDS

    @property
    def ranks(self) -> pd.DataFrame:
        """Step 3: the share of each rank that would defect."""
        return pd.DataFrame(
            {
                "rank": pd.Categorical(
                    list(_calculus.RANKS), categories=list(_calculus.RANKS), ordered=True
                ),
                "share": list(self.rank_shares),
            }
        )

    @property
    def links(self) -> pd.DataFrame:
        """Every value passed from one step to the next, in order."""
        return pd.DataFrame(list(self.steps), columns=["step", "quantity", "value", "feeds"])

    def value(self, indicator: str) -> float:
        """The value of one indicator, e.g. ``result.value("senior_defection")``."""
        row = self.indicators.loc[self.indicators["indicator"] == indicator, "value"]
        if row.empty:
            raise KeyError(f"no indicator {indicator!r}; choose from {list(LABELS)}")
        return float(row.iloc[0])

    @property
    def verdict(self) -> str:
        """One paragraph: split at the top or not, by which path, and why, in numbers."""
        v, t = self.value, self.thresholds
        split = v("elite_split")
        bloc = (
            "acts together" if split > 0 else
            f"does not act together (fewer than {BLOC_THRESHOLD:.0%} of it would leave)"
        )
        answer = f"YES, by {' and '.join(self.outcomes)}" if self.outcomes else "NO"
        return (
            f"Split at the top? {answer}. Palace coup: aggrieved commanders still in post "
            f"are {v('coup_bloc'):.0%} of the senior tier (a coup needs "
            f"{t['coup_bloc']:.0%}). Negotiated extrication: pressure {v('extrication'):.2f} "
            f"(needs {t['extrication']:.2f}). Orders refused: pressure "
            f"{v('orders_refused'):.2f} (needs {t['orders_refused']:.2f}). Faction exit: "
            f"{v('senior_softliners'):.0%} of senior officers are cut out of the spoils and "
            f"that faction {bloc}, so {split:.0%} break away together (threshold "
            f"{t['elite_split']:.0%}). Individual exits are a different thing: "
            f"{v('senior_defection'):.0%} of senior officers would leave one by one."
        )

    @property
    def summary(self) -> str:
        """The verdict plus the two other indicators, in plain words."""
        a = self.absorbed
        mass = "reached" if self.mass_defection else "not reached"
        return (
            f"{self.verdict} Mass defection {mass}: {self.value('rank_and_file_out'):.0%} "
            f"of the rank and file out (threshold {self.thresholds['rank_and_file_out']:.0%}). "
            f"Of {a['surrendered']:,.0f} surrendered soldiers, {a['registered']:,.0f} "
            f"registered and {a['waiting']:,.0f} still waiting; {a['held']:,.0f} held as "
            f"prisoners, {a['released']:,.0f} released and {a['exchanged']:,.0f} exchanged "
            f"by the groups that took them; {a['lost']:,.0f} lost (went back or left)."
        )

    @property
    def caveats(self) -> str:
        """Every caveat in one paragraph, for captions."""
        parts = [f"{_SHORT[k]}: {v}" for k, v in CAVEATS.items()]
        return "Caveats: " + "; ".join(parts) + f". The chain ignores {IGNORES}."
