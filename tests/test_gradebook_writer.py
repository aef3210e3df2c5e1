"""The class gradebook's writer (grading.store_many_scores) writes with bulk statements exactly what
nbgrader's ORM writes (grading._store_many_scores_orm, the reference: how the scores were written
before): the same scores go both ways, batch after batch, into two copies of one gradebook, and
everything nbgrader reads back is compared (students, submissions, notebooks, grades, comments,
scores, max scores, needs_manual_grade, timestamps, `nbgrader export`'s CSV), as are the raw rows
with their ids replaced by what they point to.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import warnings
from contextlib import closing
from pathlib import Path

import pytest

from helpers import classgrader, grading
from conftest import PROJECT

ASSIGNMENTS = ["01_notation", "02_vectorization"]
UUID = re.compile(r"[0-9a-f]{32}")


def _gradebook(course: Path):
    from nbgrader.api import Gradebook

    return Gradebook(f"sqlite:///{course / 'gradebook.db'}",
                     grading.load_config(course).CourseDirectory.course_id)


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """A class gradebook as a run leaves it before writing scores, plus what an instructor may have
    added by hand: a task cell, a student with a name, a submission with a timestamp and an
    extension, a manual score and a manual comment (both paths must keep them)."""
    course = grading.make_course_copy(PROJECT, tmp_path_factory.mktemp("base"), ASSIGNMENTS)
    for assignment in ASSIGNMENTS:
        classgrader.sync_class_gradebook(course, assignment)
    from sqlalchemy.exc import SAWarning

    with _gradebook(course) as gb, warnings.catch_warnings():
        warnings.simplefilter("ignore", SAWarning)  # nbgrader's add_submission warns of its own autoflush
        notebook = gb.find_assignment(ASSIGNMENTS[0]).notebooks[0]
        gb.add_task_cell("extra_task", notebook.name, ASSIGNMENTS[0], max_score=2.0, cell_type="markdown")
        gb.add_task_cell("test_image2vector", notebook.name, ASSIGNMENTS[0], max_score=1.0,
                         cell_type="markdown")  # a task cell sharing a test cell's name gets its score too
        gb.add_student("named", first_name="Ada", last_name="Byron", email="ada@example.org")
        gb.add_student("early")
        gb.update_or_create_assignment(ASSIGNMENTS[0], duedate="2024-03-01 08:00:00 UTC")
        gb.add_submission(ASSIGNMENTS[0], "early", timestamp="2024-03-01 09:30:00.123456 UTC")
        gb.grant_extension(ASSIGNMENTS[0], "early", hours=1)
        submission = gb.find_submission(ASSIGNMENTS[0], "early")
        grade = submission.notebooks[0].grades[0]
        grade.manual_score = 0.5
        submission.notebooks[0].comments[0].manual_comment = "see me"
        submission.notebooks[0].late_submission_penalty = 0.5
        gb.db.commit()
    return course


def _copy(base: Path, target: Path) -> Path:
    shutil.copytree(base, target)
    return target


def _cells(course: Path, assignment: str) -> list:
    return sorted(classgrader.test_cell_ids(course, assignment))


def _outcome(student, assignment, cells, score=None):
    total = None if score is False else sum(s or 0.0 for s, _ in cells.values())
    return grading.Outcome(student=student, assignment=assignment, score=total,
                           max_score=float(len(cells)), cells=cells)


def _batches(course: Path) -> list:
    """Batches as a class run sends them, with the cases that matter: new and known students,
    scores of 0, cells without a score (a dead kernel), an ungradable submission (no score: not
    written), one submission twice in a batch, two assignments in a batch, then regrades."""
    first, second = (_cells(course, a) for a in ASSIGNMENTS)

    def scores(names, pattern):
        return {name: ((float(pattern(i)) if pattern(i) is not None else None), 1.0)
                for i, name in enumerate(names)}

    one = [
        _outcome("s000", ASSIGNMENTS[0], scores(first, lambda i: 1)),
        _outcome("s001", ASSIGNMENTS[0], scores(first, lambda i: 0)),
        _outcome("s002", ASSIGNMENTS[0], scores(first, lambda i: None if i % 3 == 0 else i % 2)),
        _outcome("s003", ASSIGNMENTS[0], scores(first, lambda i: None), score=False),  # ungradable
        _outcome("named", ASSIGNMENTS[0], scores(first, lambda i: 0.25 * i)),
        _outcome("early", ASSIGNMENTS[0], scores(first, lambda i: 1 - (i % 2))),
        _outcome("s000", ASSIGNMENTS[1], scores(second, lambda i: i % 2)),
        _outcome("s004", ASSIGNMENTS[0], scores(first, lambda i: 0)),
        _outcome("s004", ASSIGNMENTS[0], scores(first, lambda i: 1 if i < 2 else None)),  # again
    ]
    many = [_outcome(f"m{i:03d}", ASSIGNMENTS[i % 2], scores(first if i % 2 == 0 else second,
                                                               lambda j, i=i: (i + j) % 2))
            for i in range(23)]
    regrade = [
        _outcome("s000", ASSIGNMENTS[0], scores(first, lambda i: 0)),
        _outcome("s002", ASSIGNMENTS[0], scores(first, lambda i: 1)),
        _outcome("s001", ASSIGNMENTS[0], scores(first, lambda i: None if i == 0 else 1)),  # keeps cell 0
        _outcome("early", ASSIGNMENTS[0], scores(first, lambda i: 0.5)),
        _outcome("s003", ASSIGNMENTS[0], scores(first, lambda i: 1)),  # graded this time
        _outcome("m001", ASSIGNMENTS[1], scores(second, lambda i: 0)),
        _outcome("new", ASSIGNMENTS[1], scores(second, lambda i: 1)),
    ] + [_outcome(f"m{i:03d}", ASSIGNMENTS[i % 2], scores(first if i % 2 == 0 else second, lambda j: 1))
         for i in range(4, 20, 3)]
    return [one, many, regrade, []]


def _api_view(course: Path) -> dict:
    """Everything nbgrader's Gradebook returns about the class, ids left out (they are random)."""
    from nbgrader.plugins.export import CsvExportPlugin

    def clean(row: dict) -> dict:
        return {k: v for k, v in row.items() if k != "id"}

    view = {}
    with _gradebook(course) as gb:
        view["students"] = sorted((s.to_dict() for s in gb.students), key=lambda d: d["id"])
        view["student_dicts"] = sorted(gb.student_dicts(), key=lambda d: d["id"])
        for assignment in gb.assignments:
            name = assignment.name
            view[name, "assignment"] = clean(assignment.to_dict())
            view[name, "submission_dicts"] = sorted((clean(d) for d in gb.submission_dicts(name)),
                                                    key=lambda d: d["student"])
            for notebook in assignment.notebooks:
                view[name, notebook.name, "dicts"] = sorted(
                    (clean(d) for d in gb.notebook_submission_dicts(notebook.name, name)),
                    key=lambda d: d["student"])
            for submission in gb.assignment_submissions(name):
                key = (name, submission.student.id)
                view[key] = dict(clean(submission.to_dict()), extension=submission.extension,
                                 duedate=submission.duedate, total_seconds_late=submission.total_seconds_late,
                                 late_submission_penalty=submission.late_submission_penalty)
                for nb in submission.notebooks:
                    view[key + (nb.name,)] = dict(clean(nb.to_dict()),
                                                  late_submission_penalty=nb.late_submission_penalty)
                    view[key + (nb.name, "grades")] = sorted(
                        (dict(clean(g.to_dict()), score=g.score, cell=g.cell.type) for g in nb.grades),
                        key=lambda d: (d["name"], d["cell"]))
                    view[key + (nb.name, "comments")] = sorted(
                        (dict(clean(c.to_dict()), cell=c.cell.type) for c in nb.comments),
                        key=lambda d: (d["name"], d["cell"]))
        export = CsvExportPlugin(to=str(course / "export.csv"))
        export.export(gb)
    view["export"] = (course / "export.csv").read_text()
    return view


def _raw_rows(course: Path) -> dict:
    """The rows of nbgrader's tables written by a run, each id replaced by what it stands for
    (student, assignment, notebook, cell), with SQLite's storage type of every value."""
    with closing(sqlite3.connect(course / "gradebook.db")) as db:
        def rows(sql):
            return sorted(tuple(map(repr, row)) for row in db.execute(sql))

        return {
            "student": rows("SELECT id, first_name, last_name, email, lms_user_id, typeof(id) FROM student"),
            "submitted_assignment": rows(
                "SELECT a.name, s.student_id, s.timestamp, typeof(s.timestamp), s.extension, "
                "typeof(s.extension), length(s.id) FROM submitted_assignment s JOIN assignment a "
                "ON s.assignment_id = a.id"),
            "submitted_notebook": rows(
                "SELECT a.name, s.student_id, n.name, sn.flagged, typeof(sn.flagged), length(sn.id) "
                "FROM submitted_notebook sn JOIN submitted_assignment s ON sn.assignment_id = s.id "
                "JOIN assignment a ON s.assignment_id = a.id JOIN notebook n ON sn.notebook_id = n.id"),
            "grade": rows(
                "SELECT a.name, s.student_id, n.name, c.name, c.type, g.auto_score, typeof(g.auto_score), "
                "g.manual_score, g.extra_credit, g.needs_manual_grade, typeof(g.needs_manual_grade), "
                "length(g.id) FROM grade g JOIN submitted_notebook sn ON g.notebook_id = sn.id "
                "JOIN submitted_assignment s ON sn.assignment_id = s.id JOIN assignment a "
                "ON s.assignment_id = a.id JOIN notebook n ON sn.notebook_id = n.id "
                "JOIN base_cell c ON g.cell_id = c.id"),
            "comment": rows(
                "SELECT a.name, s.student_id, n.name, c.name, c.type, m.auto_comment, m.manual_comment, "
                "length(m.id) FROM comment m JOIN submitted_notebook sn ON m.notebook_id = sn.id "
                "JOIN submitted_assignment s ON sn.assignment_id = s.id JOIN assignment a "
                "ON s.assignment_id = a.id JOIN notebook n ON sn.notebook_id = n.id "
                "JOIN base_cell c ON m.cell_id = c.id"),
            "counts": [db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                       for t in ("student", "submitted_assignment", "submitted_notebook", "grade", "comment")],
        }


def _ids_well_formed(course: Path) -> None:
    """Every id a run writes has nbgrader's form (uuid4 hex) and every reference resolves."""
    with closing(sqlite3.connect(course / "gradebook.db")) as db:
        for table in ("submitted_assignment", "submitted_notebook", "grade", "comment"):
            ids = [row[0] for row in db.execute(f"SELECT id FROM {table}")]
            assert all(UUID.fullmatch(i) for i in ids), table
            assert len(set(ids)) == len(ids), table
        for sql in ("SELECT count(*) FROM submitted_assignment WHERE student_id NOT IN (SELECT id FROM student)"
                    " OR assignment_id NOT IN (SELECT id FROM assignment)",
                    "SELECT count(*) FROM submitted_notebook WHERE assignment_id NOT IN "
                    "(SELECT id FROM submitted_assignment) OR notebook_id NOT IN (SELECT id FROM notebook)",
                    "SELECT count(*) FROM grade WHERE notebook_id NOT IN (SELECT id FROM submitted_notebook)"
                    " OR cell_id NOT IN (SELECT id FROM grade_cells UNION SELECT id FROM task_cells)",
                    "SELECT count(*) FROM comment WHERE notebook_id NOT IN (SELECT id FROM submitted_notebook)"
                    " OR cell_id NOT IN (SELECT id FROM solution_cells UNION SELECT id FROM task_cells)"):
            assert db.execute(sql).fetchone()[0] == 0, sql


def test_bulk_writes_are_what_nbgrader_orm_writes(base, tmp_path, monkeypatch):
    monkeypatch.setattr(grading, "_SQL_CHUNK", 4)  # several statements per batch, as a large class has
    orm, bulk = _copy(base, tmp_path / "orm"), _copy(base, tmp_path / "bulk")
    assert _api_view(orm) == _api_view(bulk)
    for number, batch in enumerate(_batches(base)):
        grading._store_many_scores_orm(orm, batch)
        grading.store_many_scores(bulk, batch)
        assert _api_view(orm) == _api_view(bulk), f"batch {number}"
        assert _raw_rows(orm) == _raw_rows(bulk), f"batch {number}"
        _ids_well_formed(bulk)
    view = _api_view(bulk)
    # The comparison has something to compare: the batches reached the gradebook.
    assert len(view["students"]) == 2 + 5 + 23 + 1
    early = view[ASSIGNMENTS[0], "early"]
    assert early["timestamp"] == "2024-03-01T09:30:00.123456" and early["extension"].total_seconds() == 3600
    assert early["total_seconds_late"] == 1800.123456 and early["late_submission_penalty"] == 0.5
    assert any(c["manual_comment"] == "see me" for c in view[ASSIGNMENTS[0], "early", ASSIGNMENTS[0], "comments"])
    assert "export" in view and view["export"].count("\n") == 1 + 2 * len(view["students"])


def test_a_regrade_replaces_the_scores_and_keeps_the_rows(base, tmp_path):
    course = _copy(base, tmp_path / "course")
    cells = _cells(course, ASSIGNMENTS[0])
    grading.store_many_scores(course, [_outcome("s", ASSIGNMENTS[0], {c: (1.0, 1.0) for c in cells})])
    before = _raw_rows(course)["counts"]
    with closing(sqlite3.connect(course / "gradebook.db")) as db:
        ids = sorted(db.execute("SELECT id FROM grade").fetchall())
    grading.store_many_scores(course, [_outcome("s", ASSIGNMENTS[0], {c: (0.0, 1.0) for c in cells})])
    assert _raw_rows(course)["counts"] == before
    with closing(sqlite3.connect(course / "gradebook.db")) as db:
        assert sorted(db.execute("SELECT id FROM grade").fetchall()) == ids
    with _gradebook(course) as gb:
        submission = gb.find_submission(ASSIGNMENTS[0], "s")
        assert submission.score == 0.0
        grades = {g.name: (g.auto_score, g.needs_manual_grade)
                  for nb in submission.notebooks for g in nb.grades if g.cell.type == "GradeCell"}
        assert grades == {c: (0.0, False) for c in cells}


def test_a_failed_batch_leaves_the_gradebook_as_it_was(base, tmp_path, monkeypatch):
    """An error or a Ctrl-C in the middle of a batch writes none of it (one transaction); the same
    batch written again afterwards is complete."""
    import nbgrader.api
    from nbgrader.api import MissingEntry

    course = _copy(base, tmp_path / "course")
    batch = _batches(base)[1]
    before = (_api_view(course), _raw_rows(course))
    real, made = nbgrader.api.new_uuid, []

    def counted():
        made.append(1)
        if len(made) == stop:
            raise KeyboardInterrupt
        return real()

    monkeypatch.setattr(nbgrader.api, "new_uuid", counted)
    stop = 0  # a dry run on a copy counts the ids the batch needs
    grading.store_many_scores(_copy(base, tmp_path / "dry"), batch)
    # Ctrl-C while making the last rows: the first assignment's rows and the students are in.
    stop, made = len(made) - 3, []
    with pytest.raises(KeyboardInterrupt):
        grading.store_many_scores(course, batch)
    monkeypatch.setattr(nbgrader.api, "new_uuid", real)
    assert (_api_view(course), _raw_rows(course)) == before
    with pytest.raises(MissingEntry):  # as the ORM path: an assignment the gradebook lacks
        grading.store_many_scores(course, batch + [_outcome("x", "no_such_assignment", {"a": (1.0, 1.0)})])
    assert (_api_view(course), _raw_rows(course)) == before
    grading.store_many_scores(course, batch)
    reference = _copy(base, tmp_path / "reference")
    grading._store_many_scores_orm(reference, batch)
    assert _api_view(course) == _api_view(reference) and _raw_rows(course) == _raw_rows(reference)
