"""Records an instructor hands on (issue 15): exercise columns named NN_topic:exercise (02's and
05's predict never share a column), a wide gradebook with the roster, Canvas's import format,
missing work listed but not counted, a table that fits 100 columns, plots in notebook order with
every colour explained, and `course grade --student`."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from helpers import classgrader, grading, reports, roster, submissions
from helpers.grading import Outcome

PROJECT = Path(__file__).resolve().parents[1]


def _o(student, assignment, cells, status="graded", reason=""):
    score = None if status in ("ungradable", "refused") else sum(s for s, _ in cells.values())
    if status == "missing notebook":
        cells = {k: (0.0, m) for k, (_, m) in cells.items()}
        score = 0.0
    return Outcome(student=student, assignment=assignment, score=score,
                   max_score=sum(m for _, m in cells.values()), cells=dict(cells), status=status, reason=reason)


CLASS = [
    _o("ada", "02_vectorization", {"test_sigmoid": (1.0, 1.0), "test_predict": (1.0, 1.0)}),
    _o("ada", "05_shallow_network", {"test_layer_sizes": (1.0, 1.0), "test_predict": (0.0, 1.0)}),
    _o("bob", "02_vectorization", {"test_sigmoid": (0.0, 1.0), "test_predict": (1.0, 1.0)}),
    _o("bob", "05_shallow_network", {"test_layer_sizes": (0.0, 1.0), "test_predict": (0.0, 1.0)},
       status="missing notebook", reason="05_shallow_network.ipynb is not in the submission"),
    _o("=cmd", "02_vectorization", {"test_sigmoid": (1.0, 1.0), "test_predict": (0.0, 1.0)}),
]
ROSTER = [roster.Student("ada", "Ada Lovelace", "ada@example.org"),
          roster.Student("bob", "=HYPERLINK(1)", "bob@example.org"),
          roster.Student("cy", "Cy Young", "")]


def _rows(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def test_exercise_columns_are_named_by_assignment_and_never_mixed(tmp_path):
    rows = _rows(reports.write_csv(CLASS, tmp_path / "grades.csv"))
    header = rows[0]
    assert header[-4:] == ["02_vectorization:sigmoid", "02_vectorization:predict",
                           "05_shallow_network:layer_sizes", "05_shallow_network:predict"]
    ada_02 = dict(zip(header, rows[1]))
    assert ada_02["02_vectorization:predict"] == "1" and ada_02["05_shallow_network:predict"] == ""
    ada_05 = dict(zip(header, rows[2]))
    assert ada_05["05_shallow_network:predict"] == "0" and ada_05["02_vectorization:predict"] == ""


def test_missing_work_is_listed_but_not_counted():
    text = reports.summary(CLASS)
    line = next(l for l in text.splitlines() if l.startswith("05_shallow_network"))
    graded, missing = line.split()[1:3]
    assert (graded, missing) == ("1", "1"), line
    assert line.split()[4] == "50.0", "the mean is over the one graded submission, not the missing one"
    assert "not counted" in text
    assert reports.pass_rates(CLASS)[("05_shallow_network", "test_layer_sizes")] == 1.0


def test_the_wide_gradebook_lists_every_rostered_student(tmp_path):
    rows = _rows(reports.write_gradebook(CLASS, tmp_path / "gradebook.csv", ROSTER))
    header, possible, body = rows[0], rows[1], rows[2:]
    assert header[:4] == ["student", "name", "email", "02_vectorization"]
    assert "05_shallow_network:layer_sizes" in header and header[-2:] == ["total", "max_total"]
    assert possible[0] == "(points possible)" and possible[-2] == "4"
    by = {row[0]: dict(zip(header, row)) for row in body}
    assert [row[0] for row in body] == ["ada", "bob", "cy", "'=cmd"], "roster order first, then the rest"
    assert by["ada"]["name"] == "Ada Lovelace" and by["ada"]["total"] == "3" and by["ada"]["max_total"] == "4"
    assert by["bob"]["05_shallow_network"] == "missing" and by["bob"]["name"] == "'=HYPERLINK(1)"
    assert by["cy"]["02_vectorization"] == "missing" and by["cy"]["05_shallow_network"] == "missing"
    assert reports.missing_from_roster(CLASS, ROSTER) == [("cy", "02_vectorization"), ("cy", "05_shallow_network")]


def test_the_canvas_export_has_its_import_columns_and_leaves_missing_work_empty(tmp_path):
    rows = _rows(reports.write_canvas(CLASS, tmp_path / "canvas.csv", ROSTER))
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section",
                       "02_vectorization", "05_shallow_network"]
    assert rows[1][0].strip() == "Points Possible" and rows[1][5:] == ["2", "2"]
    by = {row[2]: row for row in rows[2:]}
    assert by["ada"][0] == "Ada Lovelace" and by["ada"][3] == "ada@example.org" and by["ada"][5:] == ["2", "1"]
    assert by["bob"][5:] == ["1", ""], "a missing notebook is not imported as 0"
    assert by["cy"][5:] == ["", ""]
    for row in rows:
        assert not any(c.startswith(("=", "+", "-", "@")) for c in row), row


def test_the_printed_table_fits_100_columns_for_eight_assignments():
    names = ["01_notation", "02_vectorization", "03_activations", "04_derivatives", "05_shallow_network",
             "06_initialization", "07_deep_network", "08_cat_classifier"]
    outcomes = [_o(student, a, {"test_x": (13.0, 14.0)}, status="graded") for a in names
                for student in ("a_student_with_a_very_long_identifier_from_the_lms", "bo")]
    outcomes[0].notes.append("flagged")
    text = reports.table(outcomes)
    table_part = text.split("\n\nNeeds attention")[0]
    assert max(len(line) for line in table_part.splitlines()) <= 100, table_part
    assert "05 = 05_shallow_network" in text  # the legend of the short headers


def test_plots_are_drawn_in_notebook_order_with_every_colour_explained(tmp_path):
    assert reports._columns(CLASS) == [("02_vectorization", "test_sigmoid"), ("02_vectorization", "test_predict"),
                                       ("05_shallow_network", "test_layer_sizes"), ("05_shallow_network", "test_predict")]
    from PIL import Image

    grid = Image.open(reports.plot_distribution(CLASS * 3, tmp_path / "grades.png"))
    assert grid.size[0] <= 1500, "a grid, not a strip"
    reports.plot_pass_rates(CLASS, tmp_path / "rates.png")


@pytest.mark.parametrize("text, error", [
    ("name,email\nAda,a@x\n", "at least 'id'"),
    ("id,name\nada,Ada\nada,Again\n", "listed twice"),
    ("id,name\n=cmd,Bad\n", "not a valid id"),
    (b"id\n\xff\n", "not UTF-8"),
])
def test_a_bad_roster_is_refused_with_the_line(tmp_path, text, error):
    path = tmp_path / "roster.csv"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    with pytest.raises(roster.RosterError, match=error):
        roster.read(path)


def test_a_roster_reads_any_column_order_a_bom_and_blank_lines(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes("\ufeffEmail,ID,Name\nada@example.org,ada,Ada Lovelace\n,,\nbob@example.org,bob,\n".encode())
    assert roster.read(path) == [roster.Student("ada", "Ada Lovelace", "ada@example.org"),
                                 roster.Student("bob", "", "bob@example.org")]
    assert roster.find(tmp_path) == roster.read(path) and roster.find(tmp_path / "nowhere") == []


def test_grading_one_student_leaves_the_others_alone(tmp_path):
    assignment = "01_notation"
    course = grading.make_course_copy(PROJECT, tmp_path / "course", [assignment])
    for student in ("ada", "bob"):
        submissions.place(course, student, assignment, submissions.solutions_notebook(PROJECT, assignment))
    outcomes = classgrader.grade_class(course, [assignment], workers=1, feedback=False,
                                       log=lambda *_: None, progress=False, students=["bob"])
    assert [o.student for o in outcomes] == ["bob"] and outcomes[0].score == outcomes[0].max_score
    assert not (course / "autograded" / "ada").exists()
