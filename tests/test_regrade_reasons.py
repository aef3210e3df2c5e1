"""Recorded grades are reused only while the submission, the assignment's source and the grader
are the same: a fix to a hidden test (it lives in helpers/exercises, not in source/) or to the
source makes the affected submissions due again, and the run says how many and why."""

from __future__ import annotations

from pathlib import Path

import nbformat

from helpers import classgrader, grading, submissions

PROJECT = Path(__file__).resolve().parents[1]
ASSIGNMENT = "01_notation"


def _run(course, messages):
    return {o.student: o for o in classgrader.grade_class(
        course, [ASSIGNMENT], workers=1, feedback=False, log=messages.append, progress=False)}


def test_a_changed_grader_or_source_regrades_and_says_why(tmp_path, monkeypatch):
    course = grading.make_course_copy(PROJECT, tmp_path / "course", [ASSIGNMENT])
    submissions.place(course, "sol", ASSIGNMENT, submissions.solutions_notebook(PROJECT, ASSIGNMENT))
    submissions.place(course, "stub", ASSIGNMENT, submissions.stubs_notebook(PROJECT, ASSIGNMENT))
    messages: list = []
    first = _run(course, messages)
    assert not any(m.startswith("regrading:") for m in messages), messages

    messages.clear()
    _run(course, messages)
    assert any("resuming: 2 submission(s)" in m for m in messages), messages

    # The grader's code changed (as when a definition in helpers/exercises is fixed).
    monkeypatch.setattr(classgrader, "_GRADER_FINGERPRINT", "another grader")
    messages.clear()
    again = _run(course, messages)
    assert [m for m in messages if m.startswith("regrading:")] == [
        "regrading: 2 submission(s) graded before: 2 because the grader changed"], messages
    assert {s: o.cells for s, o in again.items()} == {s: o.cells for s, o in first.items()}
    monkeypatch.undo()

    # The source changed: a sentence added to the notebook's prose.
    path = next((course / "source" / ASSIGNMENT).glob("*.ipynb"))
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("One more remark."))
    nbformat.write(nb, path)
    messages.clear()
    _run(course, messages)
    assert any(m == "regrading: 2 submission(s) graded before: 2 because the assignment's source changed"
               for m in messages), messages


def test_the_grader_fingerprint_covers_every_module_of_the_grader(tmp_path):
    import shutil

    package = Path(classgrader.__file__).resolve().parent
    copy = tmp_path / "helpers"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert classgrader.grader_fingerprint(copy) == classgrader.grader_fingerprint()
    definition = copy / "exercises" / f"{ASSIGNMENT}.py"
    definition.write_text(definition.read_text() + "\n# a fixed hidden test\n")
    changed = classgrader.grader_fingerprint(copy)
    assert changed != classgrader.grader_fingerprint()
    (copy / "reference" / "notation.py").write_text("# another reference\n")
    assert classgrader.grader_fingerprint(copy) not in (changed, classgrader.grader_fingerprint())
