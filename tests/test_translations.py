"""The editions in other languages (helpers.translations): complete, current, and the same course.

- every translation covers every markdown cell of its English master and none is stale;
- a translated notebook (source, release, solutions) has the master's cells, ids and metadata,
  identical test cells, and code that differs only in comments and docstrings (the same syntax
  tree once docstrings are dropped); a written answer's cell keeps the stub in the release (the
  model answer is translated in the master only) and a student's own text is never replaced;
- the mathematics is untouched: every $...$ formula of a markdown cell appears in its translation;
- the machinery itself: a changed English cell is stale, a moved one is re-keyed by its text.

That each edition grades exactly like the English one is tested where the course grades itself
(tests/test_course_grades_itself.py), in one mixed class run.
"""

from __future__ import annotations

import ast
import re
from collections import Counter

import nbformat
import pytest

from helpers import notebooks, submissions, translations
from conftest import ASSIGNMENTS, PROJECT

EDITIONS = [(language, assignment) for language in sorted(translations.LANGUAGES) for assignment in ASSIGNMENTS]


def _master(assignment):
    return submissions.solutions_notebook(PROJECT, assignment)


@pytest.mark.parametrize("language,assignment", EDITIONS)
def test_translation_is_complete_and_current(language, assignment):
    cells = translations.load(PROJECT, language, assignment)
    found = translations.problems(_master(assignment), cells)
    assert not found, (f"translations/{language}/{assignment}.json: {len(found)} problem(s) "
                       f"(`python scripts/translate.py skeleton {language} {assignment}` refreshes it):\n  "
                       + "\n  ".join(found[:20]))


def _without_docstrings(source: str) -> str:
    from IPython.core.inputtransformer2 import TransformerManager

    tree = ast.parse(TransformerManager().transform_cell(source))  # %matplotlib and friends
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) \
                    and isinstance(body[0].value.value, str):
                node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree)


def _formulas(text: str) -> Counter:
    """Every $...$ and $$...$$ of a markdown text (an inline formula may wrap a line), with its
    white space made single."""
    text = re.sub(r"```.*?```|`[^`]*`", "", text, flags=re.S)  # a $ inside code is not maths
    return Counter(" ".join(m.split()) for m in re.findall(r"\$\$(.+?)\$\$|\$([^$]+?)\$", text, flags=re.S)
                   for m in m if m)


@pytest.mark.parametrize("language,assignment", EDITIONS)
def test_an_edition_is_the_same_notebook_in_another_language(language, assignment):
    try:
        cells = translations.load(PROJECT, language, assignment)
    except translations.TranslationError as error:
        pytest.fail(str(error))
    for kind in ("source", "release", "solutions"):
        english = notebooks.read(next((PROJECT / kind / assignment).glob("*.ipynb")))
        edition = translations.apply(english, cells)
        assert len(edition.cells) == len(english.cells)
        for a, b in zip(english.cells, edition.cells):
            where = f"{kind}/{assignment} cell {a.get('id')}"
            assert (a.cell_type, a.get("id"), a.metadata) == (b.cell_type, b.get("id"), b.metadata), where
            meta = a.metadata.get("nbgrader", {})
            if (meta.get("grade") and not meta.get("solution")) or meta.get("locked"):
                assert a.source == b.source, f"{where}: a test or read-only cell was translated"
            elif a.cell_type == "code":
                try:
                    same = _without_docstrings(a.source) == _without_docstrings(b.source)
                except SyntaxError as error:
                    pytest.fail(f"{where}: the translated code does not parse: {error}")
                assert same, f"{where}: the translation changed code, not only comments and docstrings"
            elif meta.get("solution"):  # a written answer: translated in the master only
                if kind == "release":
                    assert a.source == b.source, f"{where}: the edition's release shows the model answer"
            elif kind == "source" and a.source != b.source:
                missing = _formulas(a.source) - _formulas(b.source)
                assert not missing, f"{where}: formulas missing or changed in the translation: {list(missing)[:5]}"


def _toy():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Title"), nbformat.v4.new_code_cell("x = 1  # one"),
                nbformat.v4.new_markdown_cell("Some $a^2$ text.")]
    return notebooks.clean(nb)


def test_a_changed_english_cell_makes_its_translation_stale():
    nb = _toy()
    data = translations.skeleton(nb, "toy", "zh")
    data["cells"]["cell-000"]["markdown"] = "# 标题"
    data["cells"]["cell-002"]["markdown"] = "一些 $a^2$ 文本。"
    data["cells"]["cell-001"]["replace"] = [["# one", "# 一"]]
    assert translations.problems(nb, data["cells"]) == []
    assert translations.apply(nb, data["cells"]).cells[1].source == "x = 1  # 一"
    nb.cells[2].source = "Some $a^3$ text."
    assert translations.problems(nb, data["cells"]) == [
        "cell-002: stale (the English cell changed since it was translated)"]
    refreshed = translations.skeleton(nb, "toy", "zh", data["cells"])["cells"]
    assert refreshed["cell-002"]["markdown"] is None
    assert refreshed["cell-002"]["previous"] == {"markdown": "一些 $a^2$ 文本。"}


def test_a_moved_cell_keeps_its_translation_and_bad_entries_are_named():
    nb = _toy()
    data = translations.skeleton(nb, "toy", "zh")
    data["cells"]["cell-000"]["markdown"] = "# 标题"
    data["cells"]["cell-002"]["markdown"] = "一些 $a^2$ 文本。"
    nb.cells.insert(1, nbformat.v4.new_markdown_cell("New."))
    notebooks.clean(nb)  # ids follow the position: the old cell-002 is now cell-003
    problems = translations.problems(nb, data["cells"])
    assert "cell-003: markdown cell not translated" in problems
    assert "cell-002: its translation belongs to cell-003 now (cells moved: run scripts/translate.py skeleton)" in problems
    refreshed = translations.skeleton(nb, "toy", "zh", data["cells"])["cells"]
    assert refreshed["cell-003"]["markdown"] == "一些 $a^2$ 文本。"
    assert refreshed["cell-001"]["markdown"] is None
    bad = {"cell-000": {"en_sha256": translations.digest("# Title"), "markdown": "# 标题"},
           "cell-009": {"en_sha256": "0", "markdown": "?"},
           "cell-002": {"en_sha256": translations.digest("x = 1  # one"), "replace": [["# two", "# 二"]]}}
    found = translations.problems(nb, bad)
    assert any("cell-009: no such cell" in p for p in found)
    assert any("'# two' is not in the English cell" in p for p in found)


def test_a_students_own_text_is_never_replaced():
    nb = _toy()
    data = translations.skeleton(nb, "toy", "zh")
    data["cells"]["cell-000"]["markdown"] = "# 标题"
    nb.cells[0].source = "# My own title"
    assert translations.apply(nb, data["cells"]).cells[0].source == "# My own title"


def test_an_unknown_language_or_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(translations.TranslationError, match="no edition in 'xx'"):
        translations.load(PROJECT, "xx", ASSIGNMENTS[0])
    with pytest.raises(translations.TranslationError, match="is missing"):
        translations.load(tmp_path, "zh", ASSIGNMENTS[0])
    (tmp_path / "translations" / "zh").mkdir(parents=True)
    (tmp_path / "translations" / "zh" / f"{ASSIGNMENTS[0]}.json").write_text("{not json")
    with pytest.raises(translations.TranslationError, match="not valid JSON"):
        translations.load(tmp_path, "zh", ASSIGNMENTS[0])
