"""Citations: author-year links in the text, a generated reference list, kept in step."""

from __future__ import annotations

import nbformat
import pandas as pd
import pytest

from defection import citations
from defection.sources import UnknownSourceError, keys_in_text

TABLE = pd.DataFrame([
    {"source_id": "kyed_2024", "short": "Kyed 2024", "url": "https://example.org/k",
     "citation": "Kyed, H. M. (2024). Defectors' lives. Report."},
    {"source_id": "lee_mccarthy_2023", "short": "Lee & McCarthy 2023", "url": None,
     "citation": "Lee, T., & McCarthy, G. (2023). Fracturing the Monolith. Springer."},
    {"source_id": "okabe_ito_2008", "short": "Okabe & Ito 2008", "url": "https://jfly.example",
     "citation": "Okabe, M., & Ito, K. (2008). Colour design. J*Fly_web."},
])
SOURCES = citations.load_sources(TABLE)


def notebook(*markdown: str, code: str = "x = 1"):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(m) for m in markdown] + [nbformat.v4.new_code_cell(code)]
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"c{i}"
    return nb


def test_key_groups_become_author_year_links():
    text = "One [@kyed_2024]. Two [@lee_mccarthy_2023; @kyed_2024]."
    assert citations.convert(text, SOURCES) == (
        "One ([Kyed 2024](#ref-kyed_2024)). Two ([Lee & McCarthy 2023](#ref-lee_mccarthy_2023); "
        "[Kyed 2024](#ref-kyed_2024)).")


def test_a_changed_short_form_is_refreshed_in_the_text():
    assert citations.convert("As ([Kyed 2023](#ref-kyed_2024)) says", SOURCES) == (
        "As ([Kyed 2024](#ref-kyed_2024)) says")


def test_an_unknown_key_names_where_it_is_and_suggests_the_near_one():
    with pytest.raises(UnknownSourceError) as err:
        citations.convert("See [@kyed_2042].", SOURCES, "lessons/x.ipynb, cell c3: ")
    message = str(err.value)
    assert "lessons/x.ipynb, cell c3" in message and "kyed_2042" in message and "kyed_2024" in message


def test_reference_list_is_alphabetical_with_anchors_urls_and_escaped_markup():
    text = citations.reference_list(["okabe_ito_2008", "kyed_2024", "lee_mccarthy_2023", "kyed_2024"],
                                    SOURCES)
    lines = text.splitlines()
    assert lines[0] == "## References" and citations.MARKER in lines
    entries = [line for line in lines if line.startswith("- ")]
    assert [e.split('"')[1] for e in entries] == ["ref-kyed_2024", "ref-lee_mccarthy_2023", "ref-okabe_ito_2008"]
    assert entries[0].endswith("<https://example.org/k>")
    assert "J\\*Fly\\_web" in entries[2]  # literal, not emphasis
    assert "<http" not in entries[1]  # no URL recorded


def test_notebook_gets_one_closing_reference_list_and_sync_is_idempotent():
    nb = notebook("# Lesson", "Counts differ [@kyed_2024].", "Also [@lee_mccarthy_2023].")
    assert citations.sync_notebook(nb, SOURCES)
    last = nb.cells[-1]
    assert last.cell_type == "markdown" and last.metadata["tags"] == ["references"]
    assert last.source.count("<a id=") == 2
    assert not citations.sync_notebook(nb, SOURCES)  # second run: nothing to change
    assert citations.notebook_problems(nb, SOURCES, "x.ipynb") == []
    assert sum(citations.is_reference_cell(c) for c in nb.cells) == 1


def test_a_notebook_that_cites_nothing_gets_no_list():
    nb = notebook("# Lesson", "No sources here.")
    assert not citations.sync_notebook(nb, SOURCES)
    assert citations.notebook_problems(nb, SOURCES, "x.ipynb") == []


def problems_after(change) -> list[str]:
    nb = notebook("# Lesson", "Counts differ [@kyed_2024].", "Also [@lee_mccarthy_2023].")
    citations.sync_notebook(nb, SOURCES)
    change(nb)
    return citations.notebook_problems(nb, SOURCES, "lessons/x.ipynb")


def test_check_reports_a_raw_key_with_its_cell():
    def add_raw(nb):
        nb.cells[1].source += " And [@kyed_2024]."
    (problem,) = problems_after(add_raw)
    assert "lessons/x.ipynb, cell c1" in problem and "raw citation key" in problem


def test_check_reports_a_new_citation_missing_from_the_list():
    def cite_more(nb):
        nb.cells[1].source += " ([Okabe & Ito 2008](#ref-okabe_ito_2008))"
    (problem,) = problems_after(cite_more)
    assert "missing okabe_ito_2008" in problem


def test_check_reports_an_entry_no_longer_cited():
    def drop(nb):
        nb.cells[2].source = "Also nothing."
    (problem,) = problems_after(drop)
    assert "not cited any more: lee_mccarthy_2023" in problem


def test_check_reports_stale_link_text_and_unknown_keys():
    def stale(nb):
        nb.cells[2].source = "Also ([Lee 2023](#ref-lee_mccarthy_2023)) and ([X](#ref-nobody_1999))."
    found = problems_after(stale)
    assert any("should read 'Lee & McCarthy 2023'" in p for p in found)
    assert any("'nobody_1999', which is not in data/sources.csv" in p for p in found)


def test_check_reports_a_list_that_is_not_last():
    def move(nb):
        nb.cells.append(nbformat.v4.new_markdown_cell("After the list."))
    (problem,) = problems_after(move)
    assert "last cell" in problem


def test_markdown_file_gets_its_list_after_the_marker_and_sync_is_idempotent():
    text = "# Guide\n\nRead [@kyed_2024].\n"
    once = citations.sync_markdown(text, SOURCES)
    assert once.startswith("# Guide\n\nRead ([Kyed 2024](#ref-kyed_2024)).\n\n## References")
    assert citations.sync_markdown(once, SOURCES) == once
    uncited = once.replace("Read ([Kyed 2024](#ref-kyed_2024)).", "Nothing cited.")
    assert citations.sync_markdown(uncited, SOURCES) == "# Guide\n\nNothing cited.\n"


def test_keys_in_text_reads_both_forms_and_ignores_anchors():
    text = 'a [@lee_mccarthy_2023] b ([Kyed 2024](#ref-kyed_2024)) - <a id="ref-okabe_ito_2008"></a>'
    assert keys_in_text(text) == ["lee_mccarthy_2023", "kyed_2024"]


def test_the_course_is_in_step():
    # Every notebook and guide: no raw key, every citation resolvable, each reference list
    # exactly what its text cites. `python -m defection.citations` repairs all of this.
    assert citations.check() == []


def test_command_line_check_and_repair(tmp_path, capsys):
    path = tmp_path / "guide.md"
    path.write_text("See [@kyed_2024].\n", encoding="utf-8")
    assert citations.main(["--check", str(path)]) == 1
    assert "guide.md: citations or reference list out of date" in capsys.readouterr().out
    assert citations.main([str(path)]) == 0
    assert citations.main(["--check", str(path)]) == 0
    path.write_text("See [@nobody_1999].\n", encoding="utf-8")
    assert citations.main([str(path)]) == 2
    assert "no source 'nobody_1999'" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == "See [@nobody_1999].\n"  # nothing lost
    assert citations.main(["--check", str(tmp_path / "missing.ipynb")]) == 2


def test_written_answer_cells_keep_the_keys_students_type():
    nb = notebook("# Set", "Read [@kyed_2024].", "**Your answer (w1):** As [@lee_mccarthy_2023] says.")
    nb.cells[2].metadata["defection"] = {"answer": "w1"}
    citations.sync_notebook(nb, SOURCES)
    assert nb.cells[2].source == "**Your answer (w1):** As [@lee_mccarthy_2023] says."
    assert "ref-lee_mccarthy_2023" not in nb.cells[-1].source  # a student's key is not the notebook's citation
    assert citations.notebook_problems(nb, SOURCES, "x.ipynb") == []
