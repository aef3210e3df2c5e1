"""Running nbgrader for the course: generate release/solutions, autograde a class, feedback.

Everything goes through nbgrader's Python API with the course's ``nbgrader_config.py`` (the
command line costs 4-7 s of start-up per call; the API a fraction of that). Each submission is
autograded on its own, so one broken notebook is reported and never stops the others.

Course folder layout (nbgrader's): ``source/<assignment>/<assignment>.ipynb``,
``release/``, ``solutions/``, ``submitted/<student>/<assignment>/``, ``autograded/``,
``feedback/``, ``gradebook.db``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from helpers import notebooks

#: Environment for every kernel the grader starts: one BLAS thread, no GUI backend.
KERNEL_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
              "MPLBACKEND": "Agg", "PYTHONWARNINGS": "default"}


@dataclass
class Outcome:
    """What happened to one (student, assignment) submission.

    ``cells`` maps each graded test cell's id to ``(score, max_score)``; ``score`` is None when
    the submission could not be graded (then ``reason`` says why).
    """

    student: str
    assignment: str
    score: float | None = None
    max_score: float = 0.0
    cells: dict = field(default_factory=dict)
    status: str = "graded"  # graded | missing notebook | ungradable | graded by re-check
    reason: str = ""
    seconds: float = 0.0
    notes: list = field(default_factory=list)  # per-cell remarks (re-check disagreements, credits)

    @property
    def needs_attention(self) -> bool:
        return (self.status != "graded" or bool(self.notes)
                or any(s is None for s, _ in self.cells.values()))


def assignments(course_dir: Path) -> list[str]:
    """Assignment ids: the folders of ``source/`` that hold a notebook, sorted."""
    source = Path(course_dir) / "source"
    return sorted(p.name for p in source.iterdir() if p.is_dir() and any(p.glob("*.ipynb")))


@contextlib.contextmanager
def environment(values: dict):
    """Set the environment variables ``values`` (which kernels started inside inherit) for the
    duration of the block, then restore what was there before."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _kernel_env():
    return environment(KERNEL_ENV)


def load_config(course_dir: Path):
    """The traitlets Config of ``<course_dir>/nbgrader_config.py``, rooted at ``course_dir``."""
    from traitlets.config.loader import PyFileConfigLoader

    course_dir = Path(course_dir).resolve()
    config = PyFileConfigLoader("nbgrader_config.py", path=str(course_dir)).load_config()
    config.CourseDirectory.root = str(course_dir)
    config.NbGraderAPI.log_level = logging.ERROR
    return config


def api(course_dir: Path, kernel_name: str | None = None, cell_timeout: int | None = None,
        immediate_shutdown: bool = False, ipc_dir: Path | None = None, **overrides):
    """An ``NbGraderAPI`` for ``course_dir``; ``overrides`` set CourseDirectory traits and
    ``kernel_name`` replaces the configured kernel (the sandboxed one, when grading a class).
    ``immediate_shutdown`` kills the kernel once the notebook has run instead of asking it to
    shut down (saves about 0.4 s per notebook; the outputs are already collected by then).
    ``ipc_dir``: nbgrader talks to its kernel over Unix sockets in this (private, empty) folder,
    where it also writes the connection file, instead of loopback TCP (so a sandboxed kernel can
    live without any network, see :func:`helpers.sandbox.kernelspec`)."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    _tools_on_path()
    config = load_config(course_dir)
    if kernel_name:
        config.Execute.kernel_name = kernel_name
    if cell_timeout:
        config.Execute.timeout = int(cell_timeout)
    if immediate_shutdown:
        config.Execute.shutdown_kernel = "immediate"
    if ipc_dir is not None:
        config.KernelManager.transport = "ipc"
        config.KernelManager.connection_file = str(Path(ipc_dir) / "kernel.json")
        config.KernelManager.ip = str(Path(ipc_dir) / "kernel-ipc")
    for key, value in overrides.items():
        setattr(config.CourseDirectory, key, value)
    coursedir = CourseDirectory(config=config)
    return NbGraderAPI(coursedir=coursedir, config=config)


def _tools_on_path() -> None:
    """nbgrader runs ``alembic`` from PATH when it creates a gradebook: make it this Python's."""
    bindir = str(Path(sys.executable).parent)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")


def _run(app) -> dict:
    from nbgrader.apps.api import capture_log

    return capture_log(app)


def _check(result: dict, what: str) -> None:
    if not result.get("success"):
        detail = (result.get("log", "") + (result.get("error") or "")).strip().splitlines()
        raise RuntimeError(f"{what} failed: " + ("\n".join(detail[-15:]) if detail else "no detail"))


def sync_gradebook(course_dir: Path, assignment: str) -> None:
    """Record ``assignment`` (its cells and points) in the gradebook from ``source/``.

    Runs nbgrader's generate_assignment into a throw-away release folder, so the committed
    ``release/`` is left untouched.
    """
    with tempfile.TemporaryDirectory() as scratch:
        grader = api(course_dir, release_directory=str(Path(scratch) / "release"))
        _check(grader.generate_assignment(assignment, force=True, create=True),
               f"generate_assignment {assignment}")


def generate(course_dir: Path, assignment_ids: list[str] | None = None, solutions: bool = True,
             log=print) -> None:
    """Regenerate ``release/<a>/`` (stubs, no outputs) and ``solutions/<a>/`` (executed).

    Generated notebooks are written the course's way (see :mod:`helpers.notebooks`):
    release without outputs, solutions with their outputs (plots included) for self-learners.
    """
    from nbgrader.converters import GenerateSolution

    course_dir = Path(course_dir).resolve()
    for assignment in assignment_ids or assignments(course_dir):
        started = time.perf_counter()
        grader = api(course_dir)
        _check(grader.generate_assignment(assignment, force=True, create=True),
               f"generate_assignment {assignment}")
        release = course_dir / "release" / assignment
        for path in sorted(release.glob("*.ipynb")):
            notebooks.write(notebooks.read(path), path)
        _remove_junk(release)
        if solutions:
            with _kernel_env():
                grader.coursedir.assignment_id = assignment
                app = GenerateSolution(coursedir=grader.coursedir, parent=grader)
                app.force = True
                _check(_run(app), f"generate_solution {assignment}")
            target = course_dir / "solutions" / assignment
            for path in sorted(target.glob("*.ipynb")):
                notebooks.write(notebooks.read(path), path, keep_outputs=True)
            _remove_junk(target)
        log(f"generated {assignment} in {time.perf_counter() - started:.1f} s")


def _remove_junk(folder: Path) -> None:
    for pattern in ("__pycache__", ".ipynb_checkpoints"):
        for path in folder.rglob(pattern):
            shutil.rmtree(path, ignore_errors=True)


def submissions(course_dir: Path) -> list[tuple[str, str]]:
    """``(student, assignment)`` pairs found in ``submitted/``, sorted, for known assignments."""
    known = set(assignments(course_dir))
    root = Path(course_dir) / "submitted"
    if not root.is_dir():
        return []
    found = []
    for student in sorted(p for p in root.iterdir() if p.is_dir()):
        for folder in sorted(p for p in student.iterdir() if p.is_dir()):
            if folder.name in known:
                found.append((student.name, folder.name))
    return found


def _precheck(course_dir: Path, student: str, assignment: str) -> str | None:
    """Reasons nbgrader cannot grade a submission at all (checked before it runs)."""
    folder = Path(course_dir) / "submitted" / student / assignment
    expected = sorted(p.name for p in (Path(course_dir) / "source" / assignment).glob("*.ipynb"))
    for name in expected:
        path = folder / name
        if not path.exists():
            return f"missing notebook: {name} is not in the submission"
        try:
            notebooks.read(path)
        except ValueError:
            return f"{name} is not a valid notebook (broken JSON); nothing could be graded"
        except Exception as error:  # nbformat validation and friends
            return f"{name} could not be read: {type(error).__name__}: {error}"
    return None


def autograde_one(course_dir: Path, student: str, assignment: str, feedback: bool = True,
                  kernel_name: str | None = None, cell_timeout: int | None = None,
                  immediate_shutdown: bool = False, ipc_dir: Path | None = None) -> Outcome:
    """Autograde (and make feedback for) one submission; never raises for a bad submission."""
    started = time.perf_counter()
    outcome = Outcome(student=student, assignment=assignment)
    problem = _precheck(course_dir, student, assignment)
    if problem:
        outcome.status = "missing notebook" if problem.startswith("missing") else "ungradable"
        outcome.reason = problem
    if outcome.status == "graded":
        grader = api(course_dir, kernel_name=kernel_name, cell_timeout=cell_timeout,
                     immediate_shutdown=immediate_shutdown, ipc_dir=ipc_dir)
        with _kernel_env(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SQLAlchemy chatter from nbgrader's gradebook
            result = grader.autograde(assignment, student, force=True, create=True)
            if not result.get("success"):
                outcome.status = "ungradable"
                outcome.reason = "nbgrader autograde failed: " + failure_reason(result)
            elif feedback:
                grader.generate_feedback(assignment, student, force=True)
    _collect_scores(course_dir, outcome)
    outcome.seconds = time.perf_counter() - started
    return outcome


def failure_reason(result: dict) -> str:
    """The most telling line of a failed nbgrader API call (not its generic last words)."""
    text = (result.get("log") or "") + "\n" + (result.get("error") or "")
    generic = ("Please see the", "There was an error processing", "NbGraderException")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    errors = [line for line in lines
              if re.match(r"^(\[ERROR\] )?[\w.]*(Error|Exception|Exit|Interrupt)\b", line)
              and not any(g in line for g in generic)]
    if errors:
        return errors[-1][:300]
    logged = [line for line in lines if line.startswith("[ERROR]") and not any(g in line for g in generic)]
    return (logged[-1] if logged else (lines[-1] if lines else "no detail"))[:300]


def _collect_scores(course_dir: Path, outcome: Outcome) -> None:
    """Fill ``outcome`` from the gradebook: per test cell (score, max) and the total."""
    from nbgrader.api import Gradebook, MissingEntry

    config = load_config(course_dir)
    db_url = f"sqlite:///{Path(course_dir).resolve() / 'gradebook.db'}"
    with Gradebook(db_url, config.CourseDirectory.course_id) as gb:
        assignment = gb.find_assignment(outcome.assignment)
        for nb in assignment.notebooks:
            for cell in nb.grade_cells:  # the course's graded cells are all test cells
                outcome.cells[cell.name] = (None, float(cell.max_score))
        outcome.max_score = sum(m for _, m in outcome.cells.values())
        if outcome.status == "missing notebook":
            outcome.cells = {name: (0.0, m) for name, (_, m) in outcome.cells.items()}
            outcome.score = 0.0
            return
        if outcome.status == "ungradable":
            return
        try:
            submission = gb.find_submission(outcome.assignment, outcome.student)
        except MissingEntry:
            outcome.status = "ungradable"
            outcome.reason = outcome.reason or "no submission recorded in the gradebook"
            return
        for nb in submission.notebooks:
            for grade in nb.grades:
                if grade.name in outcome.cells:
                    score = grade.auto_score if grade.manual_score is None else grade.manual_score
                    outcome.cells[grade.name] = (None if score is None else float(score),
                                                 float(grade.max_score))
        ungraded = [name for name, (s, _) in outcome.cells.items() if s is None]
        if ungraded and outcome.status == "graded":
            outcome.reason = (f"{len(ungraded)} test cell(s) were not graded ({', '.join(ungraded)}): "
                              "the kernel probably died or the notebook stopped running")
        outcome.score = sum(s or 0.0 for s, _ in outcome.cells.values())


def store_scores(course_dir: Path, outcome: Outcome) -> None:
    """Write ``outcome``'s per-cell scores into the gradebook of ``course_dir`` (creating the
    student and the submission when nbgrader could not)."""
    from nbgrader.api import Gradebook

    config = load_config(course_dir)
    db_url = f"sqlite:///{Path(course_dir).resolve() / 'gradebook.db'}"
    with warnings.catch_warnings(), Gradebook(db_url, config.CourseDirectory.course_id) as gb:
        warnings.simplefilter("ignore")
        gb.update_or_create_student(outcome.student)
        submission = gb.update_or_create_submission(outcome.assignment, outcome.student)
        for nb in submission.notebooks:
            for grade in nb.grades:
                score = outcome.cells.get(grade.name, (None, None))[0]
                if score is not None:
                    grade.auto_score = score
                    grade.needs_manual_grade = False
        gb.db.commit()


def make_course_copy(project: Path, target: Path, assignment_ids: list[str] | None = None) -> Path:
    """A fresh course folder at ``target``: the config and ``source/`` (all or some assignments)."""
    project, target = Path(project), Path(target)
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(project / "nbgrader_config.py", target / "nbgrader_config.py")
    for assignment in assignment_ids or assignments(project):
        shutil.copytree(project / "source" / assignment, target / "source" / assignment,
                        ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"),
                        dirs_exist_ok=True)
    return target
