"""Honest layouts get full marks, in the kernel and in the trusted re-check: helpers defined in a
cell the student added (reading a constant another added cell computes), and a small Python
module handed in beside the notebook."""

from __future__ import annotations

from pathlib import Path

import nbformat

from helpers import classgrader, grading, submissions

PROJECT = Path(__file__).resolve().parents[1]
ASSIGNMENT = "01_notation"

HELPER_CELLS = [
    "POWER = int(np.sqrt(4.0))   # a constant computed with a call",
    "def row_lengths(x):\n    return np.sum(x ** POWER, axis=1, keepdims=True) ** (1 / POWER)",
]
WITH_HELPER = "def normalize_rows(x):\n    return x / row_lengths(x)\n"
WITH_MODULE = "from rowtools import unit_rows\n\ndef normalize_rows(x):\n    return unit_rows(x)\n"
MODULE = "import numpy as np\n\n\ndef unit_rows(x):\n    return x / np.linalg.norm(x, axis=1, keepdims=True)\n"


def _with_added_cells(nb):
    at = next(i for i, c in enumerate(nb.cells)
              if c.metadata.get("nbgrader", {}).get("grade_id") == "normalize_rows")
    for offset, source in enumerate(HELPER_CELLS):
        nb.cells.insert(at + offset, nbformat.v4.new_code_cell(source))  # no nbgrader metadata
    return submissions.apply_bugs(nb, {"normalize_rows": WITH_HELPER})


def test_helpers_in_added_cells_and_a_module_beside_the_notebook_score_full_marks(tmp_path):
    course = grading.make_course_copy(PROJECT, tmp_path / "course", [ASSIGNMENT])
    solved = submissions.solutions_notebook(PROJECT, ASSIGNMENT)
    submissions.place(course, "cells", ASSIGNMENT, _with_added_cells(solved))
    path = submissions.place(course, "module", ASSIGNMENT,
                             submissions.apply_bugs(submissions.solutions_notebook(PROJECT, ASSIGNMENT),
                                                    {"normalize_rows": WITH_MODULE}))
    (path.parent / "rowtools.py").write_text(MODULE)
    outcomes = classgrader.grade_class(course, [ASSIGNMENT], workers=1, feedback=False,
                                       log=lambda *_: None, progress=False)
    for outcome in outcomes:
        assert outcome.score == outcome.max_score, (outcome.student, outcome.cells, outcome.notes)
        assert not outcome.notes, (outcome.student, outcome.notes)  # nothing flagged as tampering


def test_a_notebook_handed_in_under_another_name_is_graded_and_two_need_a_person(tmp_path):
    """A browser saves a second download as '01_notation (1).ipynb': that notebook alone in its
    folder is graded (full marks for the solutions) and the rename is reported; two notebooks
    are listed for a person, with both names, and the reason is said once."""
    course = grading.make_course_copy(PROJECT, tmp_path / "course", [ASSIGNMENT])
    solved = submissions.solutions_notebook(PROJECT, ASSIGNMENT)
    path = submissions.place(course, "renamed", ASSIGNMENT, solved)
    path.rename(path.with_name(f"{ASSIGNMENT} (1).ipynb"))
    path = submissions.place(course, "two", ASSIGNMENT, solved)
    nbformat.write(submissions.stubs_notebook(PROJECT, ASSIGNMENT), path.with_name("draft.ipynb"))
    path.rename(path.with_name("final.ipynb"))
    outcomes = {o.student: o for o in classgrader.grade_class(
        course, [ASSIGNMENT], workers=1, feedback=False, log=lambda *_: None, progress=False)}
    renamed, two = outcomes["renamed"], outcomes["two"]
    assert renamed.status == "graded" and renamed.score == renamed.max_score, (renamed.cells, renamed.reason)
    assert any(f"{ASSIGNMENT} (1).ipynb" in note and "renamed" in note for note in renamed.notes), renamed.notes
    assert two.status == "missing notebook" and two.score == 0
    assert "draft.ipynb" in two.reason and "final.ipynb" in two.reason and "needs a person" in two.reason
    assert "missing notebook" not in two.reason, "the status is not repeated in the reason"
