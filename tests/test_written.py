"""Written answers graded by a person (nbgrader's manually graded answer cells), end to end on
03_activations with `course grade`'s own class run and nbgrader's gradebook:

- an answer waits for a person; the untouched stub gets nbgrader's 0 and does not wait;
- a person's grade (what the formgrader stores) enters the totals and the reports after the next
  run, and survives a regrade of the same answer;
- an answer handed in again with other text waits for a person again (the person's last score is
  kept in the gradebook, and shown once they grade it again);
- the reports say who waits (grades.csv's waiting column, `?` in the table, the summary), and the
  Canvas export leaves a waiting grade empty rather than importing a partial one.
"""

from __future__ import annotations

import csv

import pytest

from helpers import classgrader, grading, notebooks, reports, submissions
from conftest import PROJECT, points

pytestmark = pytest.mark.slow

A = "03_activations"
AUTO = float(sum(points(A).values()))


def _written_id():
    [name] = notebooks.written_cells(submissions.solutions_notebook(PROJECT, A))
    return name


def _with_answer(text):
    nb = submissions.solutions_notebook(PROJECT, A)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == _written_id():
            cell.source = text
    return nb


def _grade(course, **options):
    return {o.student: o for o in classgrader.grade_class(course, [A], feedback=False, log=lambda *_: None,
                                                          progress=False, **options)}


def _give(course, student, score):
    """What the formgrader's grade handler stores when a person saves a score."""
    from nbgrader.api import Gradebook

    config = grading.load_config(course)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", config.CourseDirectory.course_id) as gb:
        grade = gb.find_grade(_written_id(), A, A, student)
        grade.manual_score = score
        grade.needs_manual_grade = False
        gb.db.commit()


def test_written_answers_wait_for_a_person_and_their_grades_count(tmp_path):
    course = grading.make_course_copy(PROJECT, tmp_path / "class", [A])
    grading.generate(course, [A], solutions=False, log=lambda *_: None)
    name = _written_id()
    submissions.place(course, "model", A, submissions.solutions_notebook(course, A))
    submissions.place(course, "blank", A, submissions.stubs_notebook(course, A))
    submissions.place(course, "own", A, _with_answer("Linear layers compose into one linear layer."))

    first = _grade(course)
    model, blank, own = first["model"], first["blank"], first["own"]
    assert model.cells and model.score == AUTO, model.cells
    assert model.written == {name: (None, 2.0)} and model.waiting == [name]
    assert model.total == AUTO and model.total_max == AUTO + 2
    assert blank.written == {name: (0.0, 2.0)} and blank.waiting == [], "an untouched stub gets nbgrader's 0"
    assert own.waiting == [name]

    folder = tmp_path / "reports"
    rows = {r["student"]: r for r in csv.DictReader(open(reports.write_csv(list(first.values()), folder / "g.csv")))}
    assert rows["model"]["waiting_for_a_person"] == name and rows["blank"]["waiting_for_a_person"] == ""
    assert rows["model"]["max_score"] == f"{AUTO + 2:g}"
    canvas = list(csv.reader(open(reports.write_canvas(list(first.values()), folder / "c.csv"))))
    by_id = {row[2]: row for row in canvas[2:]}
    assert by_id["model"][5] == "" and by_id["blank"][5] == "0", "a waiting grade is not exported"
    assert "?" in reports.table(list(first.values()))
    assert "wait for a person" in reports.summary(list(first.values()))

    _give(course, "model", 1.5)
    second = _grade(course)  # resumes: nothing is graded again, the person's grade is read
    assert second["model"].written == {name: (1.5, 2.0)} and second["model"].total == AUTO + 1.5
    assert second["own"].waiting == [name]

    third = _grade(course, regrade=True)  # graded again, the same answer: the grade stays
    assert third["model"].written == {name: (1.5, 2.0)}, third["model"].written

    submissions.place(course, "model", A, _with_answer("A new answer, handed in after the grade."))
    fourth = _grade(course)
    assert fourth["model"].waiting == [name], "a changed answer must be read again"
    assert fourth["model"].total == AUTO
    _give(course, "model", 2)
    assert _grade(course)["model"].written == {name: (2.0, 2.0)}
