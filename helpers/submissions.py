"""Building submissions: the demo class, fixture submissions with known bugs, unpacking a class.

A fixture lives in ``fixtures/<assignment>.py`` at the top of the course and defines
``FIXTURES``, a list of dicts::

    {"student": "forgot_keepdims",            # folder name in submitted/
     "description": "normalize_rows drops the axis",
     "replace": {"normalize_rows": "def normalize_rows(x): ..."},  # solution cell id -> code
     "expected": {"test_normalize_rows": 0},  # test cells that lose points (others: full marks)
     "demo": True}                             # part of the demo class's "typical_bugs" student

The submission is the source notebook (the solutions) with those solution cells replaced.
"""

from __future__ import annotations

import runpy
import shutil
import zipfile
from pathlib import Path, PurePosixPath

from helpers import notebooks

SOLUTIONS_STUDENT = "solutions_student"
STUBS_STUDENT = "stubs_student"
BUGS_STUDENT = "typical_bugs"


def fixtures(project: Path, assignment: str) -> list[dict]:
    """The fixture submissions of ``assignment`` (``[]`` when it has none)."""
    path = Path(project) / "fixtures" / f"{assignment}.py"
    if not path.exists():
        return []
    return list(runpy.run_path(str(path))["FIXTURES"])


def _notebook_name(course_dir: Path, assignment: str) -> str:
    names = sorted(p.name for p in (Path(course_dir) / "source" / assignment).glob("*.ipynb"))
    if len(names) != 1:
        raise ValueError(f"source/{assignment} must hold exactly one notebook, found {names}")
    return names[0]


def apply_bugs(nb, replace: dict):
    """Replace the source of the solution cells named in ``replace`` (id -> code); in place."""
    found = set()
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in replace:
            cell.source = replace[grade_id]
            found.add(grade_id)
    missing = set(replace) - found
    if missing:
        raise KeyError(f"fixture names cells that the notebook does not have: {sorted(missing)}")
    return nb


def place(course_dir: Path, student: str, assignment: str, nb) -> Path:
    """Write ``nb`` as ``submitted/<student>/<assignment>/<notebook>.ipynb``."""
    name = _notebook_name(course_dir, assignment)
    path = Path(course_dir) / "submitted" / student / assignment / name
    notebooks.write(nb, path)
    return path


def solutions_notebook(project: Path, assignment: str):
    """The source notebook (solutions and hidden tests in place), read fresh."""
    return notebooks.read(Path(project) / "source" / assignment / _notebook_name(project, assignment))


def stubs_notebook(project: Path, assignment: str):
    """The released stub notebook, read fresh."""
    return notebooks.read(Path(project) / "release" / assignment / _notebook_name(project, assignment))


def make_demo_class(project: Path, course_dir: Path, assignment_ids: list[str]) -> list[str]:
    """Submissions of three demo students for each assignment; returns the students' ids.

    ``solutions_student`` hands in the solutions, ``stubs_student`` the untouched release, and
    ``typical_bugs`` the solutions with every fixture marked ``demo`` applied.
    """
    for assignment in assignment_ids:
        place(course_dir, SOLUTIONS_STUDENT, assignment, solutions_notebook(project, assignment))
        place(course_dir, STUBS_STUDENT, assignment, stubs_notebook(project, assignment))
        bugs = {}
        for fixture in fixtures(project, assignment):
            if fixture.get("demo"):
                bugs.update(fixture["replace"])
        place(course_dir, BUGS_STUDENT, assignment,
              apply_bugs(solutions_notebook(project, assignment), bugs))
    return [SOLUTIONS_STUDENT, STUBS_STUDENT, BUGS_STUDENT]


def unpack(source: Path, course_dir: Path) -> Path:
    """Copy a class's submissions into ``<course_dir>/submitted``.

    ``source`` is a folder or a ``.zip`` laid out as ``<student>/<assignment>/<notebook>.ipynb``
    (an enclosing ``submitted/`` folder is accepted too). Zip entries that would land outside
    the target (``../``, absolute paths) are refused.
    """
    source, target = Path(source), Path(course_dir) / "submitted"
    if not source.exists():
        raise FileNotFoundError(f"{source} does not exist: give a folder or a .zip of submissions")
    target.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        root = source / "submitted" if (source / "submitted").is_dir() else source
        if root.resolve() != target.resolve():
            shutil.copytree(root, target, dirs_exist_ok=True)
        return target
    if not zipfile.is_zipfile(source):
        raise ValueError(f"{source} is neither a folder nor a zip file")
    with zipfile.ZipFile(source) as archive:
        names = [n for n in archive.namelist()
                 if not n.endswith("/") and "__MACOSX" not in PurePosixPath(n).parts]
        strip = 1 if names and all(PurePosixPath(n).parts[0] == "submitted" for n in names) else 0
        for name in names:
            parts = PurePosixPath(name).parts[strip:]
            if "__MACOSX" in parts or (parts and parts[-1] == ".DS_Store"):
                continue
            if not parts or PurePosixPath(name).is_absolute() or ".." in parts:
                raise ValueError(f"refusing unsafe or foreign zip entry: {name!r}")
            destination = target.joinpath(*parts)
            destination.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(name) as src, open(destination, "wb") as out:
                shutil.copyfileobj(src, out)
    return target
