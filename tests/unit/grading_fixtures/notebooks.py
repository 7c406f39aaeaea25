"""Notebook builders shared by the grading tests: the fixture exercise with cells replaced."""

from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
W1_TEXT = "Armies split when officers lose their share of the spoils and fear the future."


def notebook(sources: dict[str, str]) -> nbformat.NotebookNode:
    """The fixture exercise with some cells replaced (keys are cell ids)."""
    cells = [
        ("c0", "markdown", "# Fixture lesson 01"),
        ("c1", "code", "answer_total = ..."),
        ("c2", "code", "answer_table = ..."),
        ("c3", "code", "answer_choice = ..."),
        ("c4", "markdown", "**Your answer (w1):**\n_Write your answer here._"),
        ("c5", "code", "answer_items = ..."),
        ("c6", "code", "answer_chart = ..."),
    ]
    nb = new_notebook(metadata={"kernelspec": KERNELSPEC, "defection": {"lesson": "01"}})
    for cid, kind, source in cells:
        source = sources.get(cid, source)
        cell = new_code_cell(source) if kind == "code" else new_markdown_cell(source)
        if cid == "c4":
            cell.metadata["defection"] = {"answer": "w1"}
        cell["id"] = cid
        nb.cells.append(cell)
    return nb


LIGHT_GOOD = {"c1": "answer_total = sum(range(10))", "c3": "answer_choice = 'B'",
              "c5": "answer_items = {'tunisia', 'Egypt'}"}  # fmt: skip
FULL_GOOD = {
    **LIGHT_GOOD,
    "c2": "import pandas as pd\nanswer_table = pd.DataFrame({'x': [1, 2], "
    "'when': pd.to_datetime(['2021-02-01', '2023-10-27'])})",
    "c4": f"**Your answer (w1):**\n{W1_TEXT}",
    "c6": "import altair as alt\nimport pandas as pd\nanswer_chart = alt.Chart(pd.DataFrame("
    "{'a': [1, 2], 'b': [3, 4]})).mark_line().encode(x='a:Q', y='b:Q')",
}
