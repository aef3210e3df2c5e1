"""The grading pipeline holds up to nbgrader's measured weak spots (COURSE.md), on 01_notation:

- a correct answer that prints a warning keeps its marks;
- a deleted test cell is restored and graded (it does not vanish, nor give free marks);
- test cells tagged ``skip-execution`` still run;
- a broken (non-JSON) notebook, a missing notebook and a dead kernel are reported, and every
  other student's grades are intact;
- a class arrives as a zip; the demo command and nbgrader's own command line agree.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from helpers import classgrader, grading, notebooks, submissions
from conftest import PROJECT, points

pytestmark = pytest.mark.slow

ASSIGNMENT = "01_notation"
FULL = float(sum(points(ASSIGNMENT).values()))  # from the source notebook


def _solutions():
    return submissions.solutions_notebook(PROJECT, ASSIGNMENT)


def _stubs():
    return submissions.stubs_notebook(PROJECT, ASSIGNMENT)


def _build_class(course: Path) -> None:
    place = lambda student, nb: submissions.place(course, student, ASSIGNMENT, nb)  # noqa: E731
    place("alice_correct", _solutions())

    nb = submissions.apply_bugs(_solutions(), {"image2vector": (
        "import warnings\n"
        "def image2vector(image):\n"
        "    warnings.warn('a harmless warning printed by a correct answer')\n"
        "    return image.reshape(-1, 1)\n")})
    place("warns_but_correct", nb)

    nb = submissions.apply_bugs(_solutions(), {"normalize_rows": "def normalize_rows(x):\n    return x\n"})
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "test_normalize_rows"]
    place("deleted_test_cell", nb)

    nb = _stubs()
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade"):
            cell.metadata["tags"] = ["skip-execution"]
    place("skip_tags", nb)

    broken = course / "submitted" / "broken_json" / ASSIGNMENT
    broken.mkdir(parents=True)
    (broken / f"{ASSIGNMENT}.ipynb").write_text('{"cells": [ this is not json')

    (course / "submitted" / "missing_notebook" / ASSIGNMENT).mkdir(parents=True)

    nb = submissions.apply_bugs(_solutions(), {"parameter_shapes": (
        "import os\n"
        "def parameter_shapes(layer_dims):\n"
        "    os._exit(1)\n")})
    place("kills_kernel", nb)

    place("zed_correct_after_others", _solutions())


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    course = grading.make_course_copy(PROJECT, tmp_path_factory.mktemp("class"), [ASSIGNMENT])
    _build_class(course)
    return {o.student: o for o in classgrader.grade_class(course, [ASSIGNMENT], log=lambda *_: None,
                                                               progress=False)}


def test_every_student_is_reported(outcomes):
    assert set(outcomes) == {"alice_correct", "warns_but_correct", "deleted_test_cell", "skip_tags",
                             "broken_json", "missing_notebook", "kills_kernel", "zed_correct_after_others"}


def test_correct_students_get_full_marks_before_and_after_broken_ones(outcomes):
    for student in ("alice_correct", "zed_correct_after_others"):
        assert outcomes[student].score == FULL, outcomes[student].cells


def test_a_warning_from_correct_code_does_not_zero_the_test(outcomes):
    assert outcomes["warns_but_correct"].score == FULL, outcomes["warns_but_correct"].cells


def test_a_deleted_test_cell_is_restored_and_graded(outcomes):
    outcome = outcomes["deleted_test_cell"]
    assert outcome.cells["test_normalize_rows"] == (0.0, 2.0)
    assert outcome.score == FULL - 2


def test_skip_execution_tags_do_not_skip_grading(outcomes):
    assert outcomes["skip_tags"].score == 0
    assert all(s == 0 for s, _ in outcomes["skip_tags"].cells.values())


def test_a_broken_notebook_is_listed_with_its_reason(outcomes):
    outcome = outcomes["broken_json"]
    assert outcome.status == "ungradable" and outcome.score is None
    assert "not a valid notebook" in outcome.reason and outcome.needs_attention


def test_a_missing_notebook_scores_zero_and_is_listed(outcomes):
    outcome = outcomes["missing_notebook"]
    assert outcome.status == "missing notebook" and outcome.score == 0
    assert outcome.needs_attention


def test_a_killed_kernel_never_earns_credit_and_is_flagged(outcomes):
    outcome = outcomes["kills_kernel"]
    assert outcome.cells["test_parameter_shapes"][0] in (0.0, None)
    assert (outcome.score or 0) <= FULL - 2
    # cells after the death are either zero or listed as ungraded: never silently credited
    assert outcome.needs_attention or outcome.score < FULL


def test_a_zip_of_submissions_is_unpacked_safely(tmp_path):
    archive = tmp_path / "class.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(f"submitted/amy/{ASSIGNMENT}/{ASSIGNMENT}.ipynb", "{}")
        zf.writestr("__MACOSX/._junk", "")
    course = tmp_path / "course"
    submissions.unpack(archive, course)
    assert (course / "submitted" / "amy" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").exists()
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as zf:
        zf.writestr("../../escape.ipynb", "{}")
    with pytest.raises(ValueError, match="unsafe"):
        submissions.unpack(evil, tmp_path / "course2")


def _bin(name: str) -> str:
    return str(Path(sys.executable).parent / name)


def test_demo_command_prints_the_grades(tmp_path):
    result = subprocess.run([_bin("course"), "demo", "-a", ASSIGNMENT, "--out", str(tmp_path / "demo")],
                            capture_output=True, text=True, cwd=PROJECT, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    full = f"{FULL:g}/{FULL:g}"
    assert any(line.split()[:2] == ["solutions_student", full] for line in lines), result.stdout
    assert any(line.split()[:2] == ["stubs_student", f"0/{FULL:g}"] for line in lines), result.stdout
    bugs = next(line for line in lines if line.startswith("typical_bugs"))
    assert bugs.split()[1] not in (f"0/{FULL:g}", full), result.stdout
    assert (tmp_path / "demo" / "reports" / "grades.csv").exists() and (tmp_path / "demo" / "reports" / "grades.png").exists()
    assert list((tmp_path / "demo" / "feedback" / "solutions_student").rglob("*.html"))


def test_nbgrader_command_line_grades_like_the_course(tmp_path):
    """An independent run of nbgrader's own commands on source/ and release/ of 01_notation."""
    course = grading.make_course_copy(PROJECT, tmp_path / "course", [ASSIGNMENT])
    env = dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"])
    run = lambda *args: subprocess.run([_bin("nbgrader"), *args], cwd=course, env=env,  # noqa: E731
                                       capture_output=True, text=True, timeout=600)
    result = run("generate_assignment", ASSIGNMENT, "--force")
    assert result.returncode == 0, result.stderr[-2000:]
    for student, folder in (("sol", "source"), ("stub", "release")):
        target = course / "submitted" / student / ASSIGNMENT
        target.mkdir(parents=True)
        shutil.copy(PROJECT / folder / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", target)
    result = run("autograde", ASSIGNMENT, "--force")
    assert result.returncode == 0, result.stderr[-2000:]
    result = run("export", "--to", str(tmp_path / "grades.csv"))
    assert result.returncode == 0, result.stderr[-2000:]
    rows = (tmp_path / "grades.csv").read_text().splitlines()
    header = rows[0].split(",")
    by_student = {r.split(",")[header.index("student_id")]: r.split(",") for r in rows[1:]}
    assert float(by_student["sol"][header.index("score")]) == FULL
    assert float(by_student["stub"][header.index("score")]) == 0.0


@pytest.fixture(scope="module")
def small_class(tmp_path_factory):
    """solutions, stubs and one buggy fixture of 01_notation, in a course folder of their own."""
    course = grading.make_course_copy(PROJECT, tmp_path_factory.mktemp("small"), [ASSIGNMENT])
    submissions.place(course, "sol", ASSIGNMENT, _solutions())
    submissions.place(course, "stub", ASSIGNMENT, _stubs())
    fixture = submissions.fixtures(PROJECT, ASSIGNMENT)[0]
    submissions.place(course, "bug", ASSIGNMENT, submissions.apply_bugs(_solutions(), fixture["replace"]))
    return course


def _scores(outcomes):
    return {o.student: (o.score, dict(o.cells)) for o in outcomes}


def test_backends_agree_and_runs_resume(small_class, tmp_path):
    serial = classgrader.grade_class(small_class, [ASSIGNMENT], backend="serial", feedback=False,
                                     log=lambda *_: None, progress=False)
    assert _scores(serial)["sol"][0] == FULL and _scores(serial)["stub"][0] == 0
    messages = []
    again = classgrader.grade_class(small_class, [ASSIGNMENT], workers=2, feedback=False,
                                    log=messages.append, progress=False)
    assert _scores(again) == _scores(serial)
    assert any("resuming: 3 submission(s)" in m for m in messages), messages
    parallel = classgrader.grade_class(small_class, [ASSIGNMENT], workers=2, regrade=True,
                                       feedback=False, log=lambda *_: None, progress=False)
    assert _scores(parallel) == _scores(serial)
    distributed = classgrader.grade_class(small_class, [ASSIGNMENT], backend="dask", workers=2,
                                          regrade=True, feedback=False, log=lambda *_: None,
                                          progress=False)
    assert _scores(distributed) == _scores(serial)
    # a changed submission is graded again, the others are not
    submissions.place(small_class, "stub", ASSIGNMENT, _solutions())
    messages.clear()
    changed = classgrader.grade_class(small_class, [ASSIGNMENT], workers=1, feedback=False,
                                      log=messages.append, progress=False)
    assert any("resuming: 2 submission(s)" in m for m in messages), messages
    assert _scores(changed)["stub"][0] == FULL


def test_templates_and_gradebook_sync_are_reused_until_the_source_changes(tmp_path, monkeypatch):
    """Grading builds each assignment's template once per version of its source, and syncs the
    class gradebook only when the source changed (or the gradebook lost the assignment)."""
    monkeypatch.delenv(classgrader.CACHE_ENV, raising=False)
    course = grading.make_course_copy(PROJECT, tmp_path / "course", ["01_notation"])
    first = classgrader.template(course, "01_notation")
    assert (first / ".complete").exists() and (first / "gradebook.db").exists()
    assert first.parent == course / ".course-cache" / "templates"
    assert classgrader.template(course, "01_notation") == first
    assert classgrader.sync_class_gradebook(course, "01_notation") is True
    assert classgrader.sync_class_gradebook(course, "01_notation") is False

    path = course / "source" / "01_notation" / "01_notation.ipynb"
    nb = notebooks.read(path)
    nb.cells[0].source += "\n\n(An instructor's edit.)"
    notebooks.write(nb, path)
    second = classgrader.template(course, "01_notation")
    assert second != first and (second / ".complete").exists()
    assert not first.exists(), "the template of the old source should be removed"
    assert classgrader.sync_class_gradebook(course, "01_notation") is True

    (course / "gradebook.db").unlink()
    assert classgrader.sync_class_gradebook(course, "01_notation") is True, \
        "a gradebook that lost the assignment must be synced again"
