"""One module per question kind; each only says how to compare an answer with the expected value."""

from defection.checks.kinds.chart import ChartQuestion
from defection.checks.kinds.choice import ChoiceQuestion
from defection.checks.kinds.frame import FrameQuestion
from defection.checks.kinds.number import NumberQuestion
from defection.checks.kinds.sets import SetQuestion
from defection.checks.kinds.text import KeywordQuestion
from defection.checks.kinds.written import WrittenQuestion

__all__ = [
    "ChartQuestion",
    "ChoiceQuestion",
    "FrameQuestion",
    "KeywordQuestion",
    "NumberQuestion",
    "SetQuestion",
    "WrittenQuestion",
]
