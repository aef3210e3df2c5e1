"""Grading a whole class: isolated, checked twice, in parallel, resumable.

For every submission in ``submitted/<student>/<assignment>/``:

1. a private scratch course folder is made from a per-assignment template (config, ``source/``
   of that assignment, and a gradebook that knows only that assignment), so no submission can
   see another's files or the class gradebook; templates are built once per version of the
   assignment's source and kept in ``.course-cache/`` (see :func:`template`);
2. nbgrader autogrades it there, its kernel running in the sandbox (:mod:`helpers.sandbox`:
   a user of its own, memory, CPU and time limits, only the notebook's own folder visible);
3. the trusted re-check (:mod:`helpers.recheck`) calls every graded function again outside
   that kernel and can only take points away (from tampering) or give back the points of a
   correct answer that nbgrader could not run (a dead kernel);
4. the scores go into the class gradebook, the autograded notebook and HTML feedback are copied
   back, and a record (see :func:`record_path`: in the grader's own cache, authenticated with a
   key no sandbox sees) lets an interrupted run resume without grading anything twice.

The grader runs as root; nothing a submission or its kernel made is followed, opened unless it is
a regular file, or trusted as a grade (see :mod:`helpers.submissions`, "Files the grader did not
make"): submissions whose ids, links, FIFOs, devices or size the grader refuses are listed under
"Needs attention" with the reason, and the rest of the class is graded.

Back-ends: ``serial``, ``processes`` (default; one worker per core) and ``dask`` (a local
cluster by default, or a scheduler address for a real cluster; the workers must share the
course folder's file system).
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import os
import secrets
import shutil
import socket
import stat
import sys
import tempfile
import time
from pathlib import Path

from helpers import data as course_data
from helpers import forkserver, grading, late, notebooks, reports, sandbox
from helpers import workers as processes
from helpers import submissions as files

#: Part of every resume record's key: bump it when a change to the grader should grade again
#: what was graded before (a changed source/ of an assignment does that by itself).
GRADER_VERSION = "2026-11-boundaries"


@dataclasses.dataclass
class Settings:
    """How to grade. ``memory_mb``/``cpu_seconds`` limit each kernel and re-check process (their
    defaults are :class:`helpers.sandbox.Limits`'s, declared there only)."""

    feedback: bool = True
    sandboxed: bool | None = None  # None: when the machine allows it
    recheck: bool = True
    memory_mb: int = sandbox.Limits.memory_mb
    cpu_seconds: int = sandbox.Limits.cpu_seconds
    recheck_timeout: float = 900.0  # the whole re-check of one submission
    notebook_seconds: int = 900  # wall-clock time of one notebook's kernel (killed after)
    case_timeout: int = 60  # one call in the re-check
    cell_timeout: int | None = None  # per cell under nbgrader (None: nbgrader_config.py's)
    forkserver: bool = True  # start sandboxed processes from a pre-imported fork server

    def limits(self, wall_seconds: int | None = None) -> sandbox.Limits:
        """The sandbox limits of a kernel or re-check under these settings."""
        return sandbox.Limits(memory_mb=self.memory_mb, cpu_seconds=self.cpu_seconds, wall_seconds=wall_seconds)


def plain_reason(settings: Settings) -> str:
    """Why student code runs without the sandbox under ``settings`` ("" when it does not)."""
    if settings.sandboxed:
        return ""
    return sandbox.why_plain()


def submission_hash(course_dir: Path, student: str, assignment: str) -> str:
    """SHA256 over the files of one submission (names and contents; nothing followed, see
    :func:`helpers.submissions.inspect`)."""
    return files.inspect(Path(course_dir), student, assignment)[0]


def test_cell_ids(course_dir: Path, assignment: str) -> set:
    path = next((Path(course_dir) / "source" / assignment).glob("*.ipynb"))
    return set(notebooks.graded_cells(notebooks.read(path)))


CACHE_ENV = "COURSE_CACHE_DIR"


def cache_dir(course_dir: Path) -> Path:
    """Where grading keeps what it can reuse between runs: ``$COURSE_CACHE_DIR``, else
    ``<course_dir>/.course-cache`` (never committed; safe to delete)."""
    return Path(os.environ.get(CACHE_ENV) or Path(course_dir) / ".course-cache")


def source_fingerprint(course_dir: Path, assignment: str) -> str:
    """SHA256 over what an assignment's gradebook entry depends on: the files of
    ``source/<assignment>/``, ``nbgrader_config.py`` (its settings, late work left out: see
    :func:`config_fingerprint`) and nbgrader's version."""
    import nbgrader

    course_dir = Path(course_dir)
    digest = hashlib.sha256(nbgrader.__version__.encode())
    digest.update(config_fingerprint(course_dir).encode())
    folder = course_dir / "source" / assignment
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                       and ".ipynb_checkpoints" not in p.parts):
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


#: Sections of ``nbgrader_config.py`` that change no grade, only the late penalty, which every
#: run recomputes (helpers.late): a new due date or policy regrades nothing.
LATE_SECTIONS = ("AssignLatePenalties", "CourseLatePenalty")


def config_fingerprint(course_dir: Path) -> str:
    """SHA256 over the settings of ``nbgrader_config.py`` as nbgrader loads them, without
    :data:`LATE_SECTIONS` and the course folder's own path."""
    config = grading.load_config(course_dir)
    settings = {section: dict(values) for section, values in config.items()
                if section not in LATE_SECTIONS and hasattr(values, "items")}
    settings.get("CourseDirectory", {}).pop("root", None)
    text = json.dumps(settings, sort_keys=True, default=repr)
    return hashlib.sha256(text.encode()).hexdigest()


def grader_fingerprint(package: Path | None = None) -> str:
    """SHA256 over the grader's own code: every ``.py`` file of the ``helpers`` package (the
    exercise definitions, the reference, the checks, the re-check, the grader). A fix an
    instructor makes to a hidden test lives there, not in ``source/``: it makes every recorded
    grade due for regrading. This process's package is read once; ``package``: another copy."""
    global _GRADER_FINGERPRINT
    if package is None and _GRADER_FINGERPRINT is not None:
        return _GRADER_FINGERPRINT
    folder = Path(package or Path(__file__).resolve().parent)
    digest = hashlib.sha256(GRADER_VERSION.encode())
    for path in sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    if package is None:
        _GRADER_FINGERPRINT = digest.hexdigest()
    return digest.hexdigest()


_GRADER_FINGERPRINT = None


def _gradebook_knows(course_dir: Path, assignment: str) -> bool:
    import sqlite3

    path = Path(course_dir) / "gradebook.db"
    if not path.exists():
        return False
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            return db.execute("SELECT 1 FROM assignment WHERE name = ?", (assignment,)).fetchone() is not None
    except sqlite3.Error:
        return False


def sync_class_gradebook(course_dir: Path, assignment: str) -> bool:
    """Record ``assignment`` in the class gradebook unless it is already there from the same
    source (see :func:`source_fingerprint`); returns True when it synced."""
    course_dir = Path(course_dir)
    record = cache_dir(course_dir) / "synced.json"
    fingerprint = source_fingerprint(course_dir, assignment)
    try:
        synced = json.loads(record.read_text())
    except (OSError, ValueError):
        synced = {}
    if synced.get(assignment) == fingerprint and _gradebook_knows(course_dir, assignment):
        return False
    if not (course_dir / "gradebook.db").exists():
        shutil.copyfile(empty_gradebook(course_dir), course_dir / "gradebook.db")
    grading.sync_gradebook(course_dir, assignment)
    synced[assignment] = fingerprint
    record.parent.mkdir(parents=True, exist_ok=True)
    scratch = record.with_suffix(f".{os.getpid()}.tmp")
    scratch.write_text(json.dumps(synced, indent=1, sort_keys=True))
    os.replace(scratch, record)
    return True


def empty_gradebook(course_dir: Path) -> Path:
    """An empty gradebook for this course and nbgrader version, made once in :func:`cache_dir`.

    nbgrader makes a new gradebook by running ``alembic heads`` in a subprocess (about 3.5 s);
    copying this file instead makes a scratch course's gradebook in milliseconds.
    """
    import uuid

    import nbgrader
    from nbgrader.api import Gradebook

    course_id = grading.load_config(course_dir).CourseDirectory.course_id
    key = hashlib.sha256(f"{nbgrader.__version__}\0{course_id}".encode()).hexdigest()[:16]
    path = cache_dir(course_dir) / f"gradebook-empty-{key}.db"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    building = path.with_name(f".building-{uuid.uuid4().hex[:8]}.db")
    grading._tools_on_path()
    try:
        with Gradebook(f"sqlite:///{building}", course_id):
            pass
        os.replace(building, path)
    finally:
        building.unlink(missing_ok=True)
    return path


def template(course_dir: Path, assignment: str) -> Path:
    """A scratch-course template for ``assignment`` (its config, its ``source/`` and a gradebook
    that knows only this assignment), built once per source fingerprint and kept in
    :func:`cache_dir`. Safe when several processes ask at once (built aside, then renamed)."""
    import uuid

    course_dir = Path(course_dir).resolve()
    fingerprint = source_fingerprint(course_dir, assignment)
    root = cache_dir(course_dir) / "templates"
    path = root / f"{assignment}-{fingerprint[:16]}"
    if (path / ".complete").exists():
        return path
    root.mkdir(parents=True, exist_ok=True)
    building = root / f".building-{assignment}-{uuid.uuid4().hex[:8]}"
    try:
        grading.make_course_copy(course_dir, building, [assignment])
        shutil.copyfile(empty_gradebook(course_dir), building / "gradebook.db")
        grading.sync_gradebook(building, assignment)
        (building / ".complete").write_text(fingerprint + "\n")
        try:
            building.rename(path)
        except OSError:  # another process finished first: use its template
            pass
    finally:
        shutil.rmtree(building, ignore_errors=True)
    for stale in root.glob(f"{assignment}-*"):  # templates of an older source
        if stale != path and stale.name[len(assignment) + 1:].isalnum():
            shutil.rmtree(stale, ignore_errors=True)
    return path


def _templates(course_dir: Path, assignment_ids: list) -> dict:
    """``{assignment: template path}``, building the missing ones (a fraction of a second each:
    their gradebooks start as a copy of :func:`empty_gradebook`)."""
    return {a: str(template(course_dir, a)) for a in assignment_ids}


def prepare(course_dir: Path, assignment_ids: list, work_root: Path, settings: Settings) -> dict:
    """Templates (cached, see :func:`template`), the kernel's copy of ``helpers`` and the
    sandboxed kernelspec; returns the job fields shared by every submission."""
    work_root = Path(work_root)
    templates = _templates(course_dir, assignment_ids)
    helpers_copy = work_root / "kernel_helpers"
    if settings.sandboxed:
        shutil.copytree(Path(__file__).resolve().parent, helpers_copy / "helpers",
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"), dirs_exist_ok=True)
    # Without the sandbox, the kernel is a plain process under the same per-process limits.
    kernel_name = sandbox.kernelspec(
        work_root / "jupyter", helpers_dir=helpers_copy, data_dir=course_data.data_dir(),
        limits=settings.limits(wall_seconds=settings.notebook_seconds), scratch=work_root / "sandboxes",
        plain=plain_reason(settings))
    return {"course_dir": str(Path(course_dir).resolve()), "work_root": str(work_root),
            "kernel_name": kernel_name, "templates": templates, "settings": dataclasses.asdict(settings),
            "plain": plain_reason(settings)}


def apply_recheck(outcome: grading.Outcome, results: dict) -> None:
    """Combine nbgrader's per-cell scores with the re-check's verdicts (in place)."""
    nbgrader_failed = outcome.status == "ungradable"
    for cell, (score, maximum) in list(outcome.cells.items()):
        verdict = results.get(cell)
        if verdict is None:
            continue
        if verdict.passed and score is None:
            score = maximum
            outcome.notes.append(f"{cell}: credited by the trusted re-check (nbgrader could not run it)")
        elif not verdict.passed:
            if score:
                outcome.notes.append(f"{cell}: passed inside the student's kernel but FAILED the "
                                     f"trusted re-check ({verdict.message.splitlines()[0]})")
            score = 0.0
        outcome.cells[cell] = (score, maximum)
    if nbgrader_failed:
        outcome.status = "graded by re-check"
    outcome.score = sum(s or 0.0 for s, _ in outcome.cells.values())


def grade_job(shared: dict, student: str, assignment: str) -> dict:
    """Grade one submission in its own scratch course folder; returns a JSON-able report.

    Runs in a worker process (or a Dask worker): everything it needs is in its arguments. On the
    machine that started the run, every temporary folder it makes (kernel files, the re-check's
    job and sandbox) lives in the run's own folder, removed at the end whatever happened.
    """
    run_tmp = shared["tmp"] if shared.get("tmp") and os.path.isdir(shared["tmp"]) else None
    previous = tempfile.tempdir
    if run_tmp:
        tempfile.tempdir = run_tmp
    try:
        return _grade_job(shared, student, assignment)
    finally:
        tempfile.tempdir = previous
        os.environ.pop(sandbox.RECORD_ENV, None)


def _grade_job(shared: dict, student: str, assignment: str) -> dict:
    from helpers import recheck

    started = time.perf_counter()
    settings = Settings(**shared["settings"])
    # On the machine that started the run, its short-lived files go in the run's own folder.
    run_tmp = shared["tmp"] if shared.get("tmp") and os.path.isdir(shared["tmp"]) else None
    course_dir, work_root = Path(shared["course_dir"]), Path(shared["work_root"])
    scratch = work_root / "runs" / f"{student}__{assignment}"
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(shared["templates"][assignment], scratch, ignore=shutil.ignore_patterns(".complete"))
    problems = _copy_submission(course_dir, scratch, student, assignment)
    if problems:  # it changed since the class was inspected
        outcome = grading.refusal(student, assignment, files.summarise(problems))
        return {"outcome": dataclasses.asdict(outcome), "scratch": str(scratch)}
    _course_timestamp(scratch, student, assignment)
    server, warnings = None, []
    if shared["kernel_name"]:
        os.environ["JUPYTER_PATH"] = str(work_root / "jupyter")
        if settings.forkserver and settings.sandboxed:
            # This worker's fork server (started once): kernels and re-checks start from it.
            server = forkserver.shared_server(work_root, short=run_tmp)
            if server is None and forkserver.FAILURE:
                warnings.append(f"the fork server could not start on {socket.gethostname()} "
                                f"({forkserver.FAILURE.splitlines()[-1]}): each kernel and re-check "
                                f"there starts fresh, at about 75% more CPU per submission")
        if server:
            os.environ[forkserver.SOCKET_ENV] = server
        else:
            os.environ.pop(forkserver.SOCKET_ENV, None)
    runtime = None
    if shared["kernel_name"]:
        # The kernel's connection file and Unix sockets, in a folder of this submission's own on
        # this machine (short: a socket's path must stay under 108 bytes). Sandboxed or plain,
        # no TCP port is opened (and ipykernel has no "running over TCP without encryption"
        # warning to print for every submission).
        runtime = Path(tempfile.mkdtemp(prefix="ck-", dir=run_tmp))
        processes.scratch(runtime)  # removed even if this process is stopped
    # What each sandbox enforced, appended by the trusted side (its supervisor, as root) to a file
    # beside the scratch course: no sandbox sees it, and no sandbox inherits this variable.
    enforced = scratch.parent / f"{scratch.name}.sandbox.jsonl"
    enforced.unlink(missing_ok=True)
    os.environ[sandbox.RECORD_ENV] = str(enforced)
    try:
        outcome = grading.autograde_one(scratch, student, assignment, feedback=False,
                                        kernel_name=shared["kernel_name"], cell_timeout=settings.cell_timeout,
                                        immediate_shutdown=True, ipc_dir=runtime, kernel_dir=scratch / "kernel")
    finally:
        if runtime is not None:
            shutil.rmtree(runtime, ignore_errors=True)
            processes.scratch(runtime, keep=False)
    graded = scratch / "autograded" / student / assignment
    _take_back(scratch / "kernel", graded, outcome,
               {p.name for p in (scratch / "source" / assignment).glob("*.ipynb")})
    _check_graded_notebooks(graded, outcome)
    notebook = next((scratch / "submitted" / student / assignment).glob("*.ipynb"), None)
    if settings.recheck and outcome.status != "missing notebook" and recheck.has_spec(assignment) \
            and notebook is not None and _readable(notebook):
        results = recheck.recheck(
            notebook, assignment, test_cell_ids(scratch, assignment),
            folder_files=scratch / "source" / assignment,
            timeout=settings.recheck_timeout, case_timeout=settings.case_timeout,
            cell_timeout=settings.cell_timeout or 120,
            isolate=bool(settings.sandboxed), server=server, limits=settings.limits())
        apply_recheck(outcome, results)
    os.environ.pop(sandbox.RECORD_ENV, None)
    outcome.sandbox = [dataclasses.asdict(r) for r in sandbox.read_records(enforced)
                       if settings.sandboxed or r.mode == "plain-process"]  # the most a plain run can be
    enforced.unlink(missing_ok=True)
    if outcome.score is not None:
        grading.store_scores(scratch, outcome)
        if settings.feedback and any(graded.glob("*.ipynb")):
            grading.generate_feedback(scratch, assignment, student)
    for folder in ("autograded", "feedback"):  # here, not in the main process: no serial step
        _bring_home(scratch, course_dir, folder, outcome)
    shutil.rmtree(scratch, ignore_errors=True)
    outcome.seconds = time.perf_counter() - started
    return {"outcome": dataclasses.asdict(outcome), "scratch": str(scratch), "warnings": warnings,
            "home": True}


def _copy_submission(course_dir: Path, scratch: Path, student: str, assignment: str) -> list:
    """Copy ``submitted/<student>/<assignment>`` into the scratch course (regular files and
    folders only, nothing followed, within :data:`helpers.submissions.BOUNDS`); the problems."""
    try:
        source = files.open_folder(course_dir, ("submitted", student, assignment))
    except OSError as error:
        return [("", f"the submission's folder could not be opened ({error.strerror or error})")]
    try:
        target = files.open_folder(scratch, ("submitted", student, assignment), create=True)
        try:
            return files.copy_tree(source, target)
        finally:
            os.close(target)
    finally:
        os.close(source)


def _course_timestamp(scratch: Path, student: str, assignment: str) -> None:
    """Put a ``timestamp.txt`` the course wrote in place of the student's, in the scratch copy:
    nbgrader would parse the student's (and fail the whole autograde on garbage), and its feedback
    release needs the file in every feedback folder. The student's is read as untrusted input
    (:func:`helpers.late.read_timestamp`: bounded, nothing followed); when it is missing or
    unusable, the time of grading stands in (nbgrader's release only prints it; the late penalty
    is the trusted side's, :mod:`helpers.late`)."""
    import datetime

    when = late.read_timestamp(scratch, student, assignment).timestamp
    when = when or datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    folder = files.open_folder(scratch, ("submitted", student, assignment))
    try:
        files.remove_entry(folder, "timestamp.txt")
        fd = os.open("timestamp.txt", os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644, dir_fd=folder)
        try:
            os.write(fd, when.strftime("%Y-%m-%d %H:%M:%S.%f UTC").encode())
        finally:
            os.close(fd)
    finally:
        os.close(folder)

def _take_back(kernel_dir: Path, graded: Path, outcome: grading.Outcome, notebook_names: set) -> None:
    """Add what the kernel wrote in its folder to the graded folder: new regular files only
    (not notebooks, not what is there already), nothing followed, within the bounds. Anything
    else left out is noted (the submission is then listed under "Needs attention")."""
    if not graded.is_dir() or not kernel_dir.is_dir():
        return

    def accept(rel):
        if rel == (rel[-1],) and rel[-1] in notebook_names:
            return ""  # the kernel's copy of the notebook: nbgrader wrote the graded one
        return "a notebook written by the notebook's code" if rel[-1].endswith(".ipynb") else None

    source, target = files.open_folder(kernel_dir), files.open_folder(graded)
    try:
        problems = files.copy_tree(source, target, keep_existing=True, accept=accept)
    finally:
        os.close(source)
        os.close(target)
    if problems:
        outcome.notes.append(f"not kept from the notebook's folder after its run: "
                             f"{files.summarise(problems, limit=10)}")


def _check_graded_notebooks(graded: Path, outcome: grading.Outcome) -> None:
    """The graded notebook holds the kernel's outputs: it must still be a valid notebook before
    feedback is made from it or it is kept (an invalid one is removed and noted)."""
    for path in sorted(graded.glob("*.ipynb")) if graded.is_dir() else []:
        try:
            problem = grading.notebook_problem(notebooks.read(path))
        except Exception as error:  # noqa: BLE001 - any failure to read it is a problem
            problem = f"{type(error).__name__}: {error}"[:200]
        if problem:
            outcome.notes.append(f"the graded {path.name} is not a valid notebook ({problem}): "
                                 f"not kept, no feedback")
            path.unlink()


def _readable(path: Path) -> bool:
    try:
        notebooks.read(path)
        return True
    except Exception:
        return False


def _finish(report: dict) -> grading.Outcome:
    """One graded submission's report, taken in the main process. Its files were brought home by
    the worker (:func:`_bring_home`, nothing followed); its scores and resume record are written
    in batches (:class:`_Scores`)."""
    outcome = grading.Outcome(**report["outcome"])
    outcome.cells = {k: tuple(v) for k, v in outcome.cells.items()}
    outcome.written = {k: tuple(v) for k, v in outcome.written.items()}
    if not report.get("home"):  # a job that failed before it could clean up
        shutil.rmtree(report["scratch"], ignore_errors=True)
    return outcome


#: Outcomes written to the class gradebook per batch, and the longest wait of a batch (s).
SCORE_BATCH, SCORE_SECONDS = 200, 2.0


def _write_batch(course_dir: Path, records: "Records", batch: list) -> None:
    """Scores of ``[(pair, digest, outcome)]`` into the gradebook in one session, then their
    records (a record means the gradebook has the scores)."""
    grading.store_many_scores(course_dir, [o for _, _, o in batch])
    for pair, digest, outcome in batch:
        failed = outcome.reason.startswith("the grader failed") or outcome.status == "refused"
        records.write(*pair, digest, None if failed else outcome)  # none: graded again next run


def _scribe(course_dir: str, fingerprints: dict, inbox, parent: int) -> None:
    """The gradebook writer's process: batches from ``inbox`` until None."""
    import queue

    processes.watch_parent(parent)  # ends with the run, never outlives it
    records, batch, done = Records(Path(course_dir), fingerprints), [], False
    while not done:
        try:
            item = inbox.get(timeout=SCORE_SECONDS if batch else None)
        except queue.Empty:
            item = "flush"
        if item is None:
            done = True
        elif item != "flush":
            pair, digest, outcome = item
            outcome = grading.Outcome(**outcome)
            outcome.cells = {k: tuple(v) for k, v in outcome.cells.items()}
            batch.append((tuple(pair), digest, outcome))
        if batch and (done or item == "flush" or len(batch) >= SCORE_BATCH):
            _write_batch(Path(course_dir), records, batch)
            batch = []


class _Scores:
    """Outcomes on their way to the class gradebook and the resume records. nbgrader's gradebook
    costs about 10-20 ms per new submission, the slowest step of the main process, so a writer
    process of its own (:func:`_scribe`) takes them, in batches of at most :data:`SCORE_BATCH`
    or :data:`SCORE_SECONDS` apart, each record after its scores (a run killed outright loses at
    most what the writer had not written yet: graded again next time). :meth:`close` waits for
    the writer. With ``background=False`` (one submission, tests) the writes happen in place."""

    def __init__(self, course_dir: Path, records: "Records", digests: dict, background: bool = True):
        self.course_dir, self.records, self.digests = course_dir, records, digests
        self.pending, self.writer = [], None
        if background:
            import multiprocessing

            context = multiprocessing.get_context("spawn")
            self.inbox = context.Queue()
            self.writer = context.Process(target=_scribe, name="course-gradebook",
                                          args=(str(course_dir), records.fingerprints, self.inbox,
                                                os.getpid()))
            self.writer.start()
            processes.spare(self.writer.pid)  # Ctrl-C stops the grading, not the writing

    def add(self, pair: tuple, outcome: grading.Outcome) -> None:
        if self.writer is not None and self.writer.is_alive():
            self.inbox.put((pair, self.digests[pair], dataclasses.asdict(outcome)))
        else:
            self.pending.append((pair, self.digests[pair], outcome))

    def close(self) -> None:
        """Everything written (the writer's share too); the writer ended."""
        if self.writer is not None:
            if self.writer.is_alive():
                self.inbox.put(None)
            self.writer.join()
            processes.spare(self.writer.pid, keep=False)
            failed = self.writer.exitcode != 0
            self.writer = None
            if failed:
                raise RuntimeError("the gradebook writer failed: the scores and records of this run's "
                                   "last submissions may be missing (run again to grade them)")
        if self.pending:
            _write_batch(self.course_dir, self.records, self.pending)
            self.pending = []


def _bring_home(scratch: Path, course_dir: Path, folder: str, outcome: grading.Outcome) -> None:
    """Replace ``<course_dir>/<folder>/<student>/<assignment>`` with the scratch course's (when
    it has one): a fresh copy of regular files and folders, made without following any link
    (neither in the scratch course nor in the course folder)."""
    parts = (folder, outcome.student, outcome.assignment)
    try:
        source = files.open_folder(scratch, parts)
    except FileNotFoundError:
        return
    except OSError as error:
        outcome.notes.append(f"{folder}/ could not be read back ({error.strerror or error})")
        return
    try:
        parent = files.open_folder(course_dir, parts[:2], create=True)
        try:
            files.remove_entry(parent, outcome.assignment)
            os.mkdir(outcome.assignment, 0o755, dir_fd=parent)
            target = files.open_child(parent, outcome.assignment)
        finally:
            os.close(parent)
        try:
            problems = files.copy_tree(source, target)
        finally:
            os.close(target)
        if problems:
            outcome.notes.append(f"{folder}/ not copied in full: {files.summarise(problems)}")
    except OSError as error:
        outcome.notes.append(f"{folder}/ could not be stored in the course ({error.strerror or error})")
    finally:
        os.close(source)


# --- Resume records ----------------------------------------------------------------------------
#
# A record says "this submission, with this SHA256, under this source and grader version, got this
# outcome". It lives in the grader's cache, outside anything a sandbox can see, and carries an
# HMAC whose key is kept beside the records in a 0600 file: a record written anywhere else, or
# edited, or for other content, source or grader, is ignored and the submission is graded again.


def records_dir(course_dir: Path) -> Path:
    """Where the resume records of ``course_dir`` live: ``<cache>/records/<course key>/``."""
    course_dir = Path(course_dir).resolve()
    return cache_dir(course_dir) / "records" / hashlib.sha256(str(course_dir).encode()).hexdigest()[:16]


def record_path(course_dir: Path, student: str, assignment: str) -> Path:
    """The resume record of one submission (see :func:`records_dir`)."""
    return records_dir(course_dir) / student / f"{assignment}.json"


def _record_secret(course_dir: Path) -> bytes:
    """The records' HMAC key: 32 random bytes in ``<cache>/records/.key`` (mode 0600, the
    grader's own, made once; a key file that is anything else is replaced)."""
    base = cache_dir(course_dir)
    base.mkdir(parents=True, exist_ok=True)
    folder = files.open_folder(base, ("records",), create=True)
    try:
        os.fchmod(folder, 0o700)
        for _ in range(3):
            try:
                fd = os.open(".key", os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=folder)
                try:
                    st, key = os.fstat(fd), os.read(fd, 64)
                finally:
                    os.close(fd)
                if (len(key) == 32 and st.st_uid == os.geteuid() and not st.st_mode & 0o077
                        and stat.S_ISREG(st.st_mode)):
                    return key
                files.remove_entry(folder, ".key")  # not one the grader made: never trusted
            except FileNotFoundError:
                pass
            except OSError:
                files.remove_entry(folder, ".key")
            scratch = f".key-{secrets.token_hex(8)}"
            fd = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600,
                         dir_fd=folder)
            try:
                os.write(fd, secrets.token_bytes(32))
                os.fsync(fd)
            finally:
                os.close(fd)
            try:
                os.link(scratch, ".key", src_dir_fd=folder, dst_dir_fd=folder, follow_symlinks=False)
            except FileExistsError:
                pass  # another grader made it first: read theirs
            finally:
                os.unlink(scratch, dir_fd=folder)
        raise RuntimeError(f"could not make the resume records' key in {base / 'records'}")
    finally:
        os.close(folder)


class Records:
    """The resume records of one course, for one run (see :func:`record_path`)."""

    def __init__(self, course_dir: Path, fingerprints: dict):
        self.course_dir = Path(course_dir).resolve()
        self.fingerprints = fingerprints
        self.secret = _record_secret(self.course_dir)

    def _payload(self, student: str, assignment: str, digest: str) -> dict:
        return {"grader": grader_fingerprint(), "course": str(self.course_dir), "student": student,
                "assignment": assignment, "submission_sha256": digest,
                "source": self.fingerprints[assignment]}

    def _mac(self, payload: dict) -> str:
        text = json.dumps(payload, sort_keys=True, separators=(",", ":"))
        return hmac.new(self.secret, text.encode(), hashlib.sha256).hexdigest()

    def stale(self, student: str, assignment: str, digest: str) -> str | None:
        """Why this submission's record (if any) no longer holds, in a few words, or None when
        there is none. Read only to explain a regrade: :meth:`read` decides what is reused."""
        try:
            folder = files.open_folder(records_dir(self.course_dir), (student,))
        except OSError:
            return None
        try:
            stored = json.loads(files.read_file(folder, f"{assignment}.json", 4 * files.MB))["payload"]
        except (OSError, ValueError, KeyError, TypeError, files.Refused):
            return None
        finally:
            os.close(folder)
        now = self._payload(student, assignment, digest)
        if not isinstance(stored, dict):
            return None
        for key, why in (("submission_sha256", "the submission changed"),
                         ("source", "the assignment's source changed"),
                         ("grader", "the grader changed")):
            if stored.get(key) != now[key]:
                return why
        return None

    def read(self, student: str, assignment: str, digest: str):
        """The outcome recorded for this content under this source and grader, or None."""
        try:
            folder = files.open_folder(records_dir(self.course_dir), (student,))
        except OSError:
            return None
        try:
            stored = json.loads(files.read_file(folder, f"{assignment}.json", 4 * files.MB))
            payload = dict(self._payload(student, assignment, digest), outcome=stored["payload"]["outcome"])
            if stored["payload"] != payload or not hmac.compare_digest(str(stored["mac"]), self._mac(payload)):
                return None
            outcome = grading.Outcome(**payload["outcome"])
            outcome.cells = {k: tuple(v) for k, v in outcome.cells.items()}
            late.forget(outcome)  # recomputed on every run, never taken from a record
            return outcome
        except (OSError, ValueError, KeyError, TypeError, files.Refused):
            return None
        finally:
            os.close(folder)

    def write(self, student: str, assignment: str, digest: str, outcome) -> None:
        """Record ``outcome`` for this content (None: remove the record)."""
        base = records_dir(self.course_dir)
        base.mkdir(parents=True, exist_ok=True)
        folder = files.open_folder(base, (student,), create=True)
        try:
            name = f"{assignment}.json"
            if outcome is None:
                files.remove_entry(folder, name)
                return
            payload = dict(self._payload(student, assignment, digest), outcome=dataclasses.asdict(outcome))
            scratch = f".{name}.{os.getpid()}.tmp"
            files.remove_entry(folder, scratch)
            fd = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600,
                         dir_fd=folder)
            with os.fdopen(fd, "w") as handle:
                json.dump({"payload": payload, "mac": self._mac(payload)}, handle, indent=1)
            os.replace(scratch, name, src_dir_fd=folder, dst_dir_fd=folder)
        finally:
            os.close(folder)


def grade_class(course_dir: Path, assignment_ids: list | None = None, *, feedback: bool = True,
                workers: int | None = None, backend: str = "processes", scheduler: str | None = None,
                regrade: bool = False, settings: Settings | None = None, log=print,
                progress: bool = True, students: list | None = None, timestamps=None) -> list:
    """Grade every submission of ``assignment_ids`` in ``<course_dir>/submitted``.

    ``backend``: ``"serial"``, ``"processes"`` (``workers`` processes, default the number of
    cores) or ``"dask"`` (``scheduler`` address, default a local cluster of ``workers``).
    Submissions already graded with the same content are not graded again unless ``regrade``.
    ``students``: grade (and report) only these students' submissions (``course grade --student``).
    ``timestamps``: the instructor's CSV of when submissions were handed in (a path, see
    :func:`helpers.late.read_overrides`, or its ``{(student, assignment): datetime}``); it wins
    over a submission's own ``timestamp.txt``. Late penalties are recomputed for every submission
    on every run (:func:`helpers.grading.store_late`), resumed ones too.
    Returns one :class:`helpers.grading.Outcome` per submission, in a stable order.
    """
    course_dir = Path(course_dir).resolve()
    settings = settings or Settings()
    settings.feedback = feedback
    if timestamps is not None and not isinstance(timestamps, dict):
        timestamps = late.read_overrides(Path(timestamps))  # the instructor's file: errors stop here
    if settings.sandboxed is None:
        settings.sandboxed = sandbox.available()
    wanted = list(assignment_ids or grading.assignments(course_dir))
    pairs, refused = _submissions(course_dir, wanted)
    if students is not None:
        chosen = set(students)
        pairs = {pair: digest for pair, digest in pairs.items() if pair[0] in chosen}
        refused = [o for o in refused if o.student in chosen]
    fingerprints = {}
    for assignment in sorted({a for _, a in pairs}):
        sync_class_gradebook(course_dir, assignment)
        fingerprints[assignment] = source_fingerprint(course_dir, assignment)
    digests = {pair: digest for pair, digest in pairs.items()}
    pairs = list(pairs)
    late.apply_due_dates(course_dir, sorted(fingerprints))
    handed = late.handed(course_dir, pairs, timestamps)
    records = Records(course_dir, fingerprints)
    results: dict = {}
    todo = []
    scores = None
    stale: dict = {}
    for pair in pairs:
        previous = None if regrade else records.read(*pair, digests[pair])
        if previous is not None:
            results[pair] = previous
        else:
            todo.append(pair)
            why = None if regrade else records.stale(*pair, digests[pair])
            if why:
                stale[why] = stale.get(why, 0) + 1
    if refused:
        log(f"refused: {len(refused)} submission(s), listed under \"Needs attention\" with the reason")
        for outcome in refused:
            log(_line(outcome))
    if results:
        log(f"resuming: {len(results)} submission(s) already graded with the same content "
            f"(use --regrade to grade them again)")
    if stale:
        log(f"regrading: {sum(stale.values())} submission(s) graded before: "
            + ", ".join(f"{count} because {why}" for why, count in sorted(stale.items())))
    from helpers import recheck

    unchecked = sorted({a for _, a in todo if not recheck.has_spec(a)})
    if unchecked and settings.recheck:
        log(f"note: no trusted re-check is defined for {', '.join(unchecked)}: "
            f"their scores come from nbgrader alone")
    if not settings.sandboxed:
        log(f"warning: no sandbox ({plain_reason(settings)}): student code runs as plain processes of "
            f"the grader's user: no namespaces, no chroot, rlimits only (each submission's record says so)")
    if todo:
        # Workers of a real Dask cluster see the course folder, not this machine's /tmp.
        scratch_parent = cache_dir(course_dir) if (backend == "dask" and scheduler) else None
        if scratch_parent is not None:
            scratch_parent.mkdir(parents=True, exist_ok=True)
        work_root = Path(tempfile.mkdtemp(prefix="course-grade-", dir=scratch_parent))
        # This machine's short-lived files of the run (kernel connection files, fork server
        # sockets): one short folder, removed at the end whatever happened to the workers.
        run_tmp = Path(tempfile.mkdtemp(prefix="cg-"))
        try:
            shared = prepare(course_dir, sorted({a for _, a in todo}), work_root, settings)
            shared["tmp"] = str(run_tmp)

            def finish(pair, report):
                outcome = results[pair] = _finish(report)
                late.stamp(outcome, handed.get(pair))  # the writer stores when it was handed in
                scores.add(pair, outcome)
                return outcome

            scores = _Scores(course_dir, records, digests, background=len(todo) > 1)
            try:
                _run(shared, todo, finish, workers, backend, scheduler, log, progress)
            finally:
                scores.close()  # what was graded is in the gradebook, even after Ctrl-C
        finally:
            forkserver.stop_shared_server()  # the serial back-end's, started in this process
            for scratch in (work_root / "sandboxes").glob("course-sandbox-*"):
                sandbox.release(scratch, wait=0.5)  # kernels killed before they could clean up
            shutil.rmtree(work_root, ignore_errors=True)
            shutil.rmtree(run_tmp, ignore_errors=True)
    outcomes = sorted([results[pair] for pair in pairs] + refused, key=lambda o: (o.student, o.assignment))
    grading.attach_written(course_dir, outcomes)  # what a person graded in the formgrader, as it is now
    for outcome in outcomes:
        late.stamp(outcome, handed.get((outcome.student, outcome.assignment)))
    grading.store_late(course_dir, outcomes)  # every penalty, from the points as they stand now
    if feedback:
        _refresh_written_feedback(course_dir, outcomes, log)
    return outcomes


def _refresh_written_feedback(course_dir: Path, outcomes: list, log) -> None:
    """A feedback page is made when its submission is graded, before a person reads the written
    answers. When the scores people gave them differ from those the page was made with, the page
    is made again from the course's gradebook (nbgrader's feedback: a conversion, nothing of the
    submission runs). The scores each page was made with: ``feedback/.written-scores.json`` (the
    course's own feedback folder: nbgrader releases only its HTML pages)."""
    path = Path(course_dir) / "feedback" / ".written-scores.json"
    try:
        made = json.loads(path.read_text(encoding="utf-8"))
        made = made if isinstance(made, dict) else {}
    except (OSError, ValueError):
        made = {}
    redone = 0
    for o in outcomes:
        if not o.written or o.score is None or o.status == "missing notebook":
            continue
        key = json.dumps([o.student, o.assignment])
        now = sorted([name, score] for name, (score, _) in o.written.items())
        # first seen: the page was just made, unless a person had already graded an answer
        before = made.get(key, sorted([name, 0.0 if score == 0 else None] for name, score in now))
        if before != now and (Path(course_dir) / "autograded" / o.student / o.assignment).is_dir():
            try:
                grading.generate_feedback(course_dir, o.assignment, o.student)
                redone += 1
            except Exception as error:  # one page that cannot be made never stops the run
                log(reports.printable(f"feedback of {o.student} / {o.assignment} not remade: {error}"))
                continue
        made[key] = now
    if redone:
        log(f"feedback remade for {redone} submission(s) whose written answers a person graded")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(made), encoding="utf-8")
    except OSError as error:
        log(f"could not record which feedback pages hold the written scores ({error})")


def _submissions(course_dir: Path, wanted: list) -> tuple[dict, list]:
    """``({(student, assignment): SHA256}, refused outcomes)`` of the class: what
    :func:`helpers.grading.discover` finds and the refusals of the last unpacks
    (:func:`helpers.submissions.refused`), then each submission inspected without following
    anything (:func:`helpers.submissions.inspect`)."""
    pairs, refused = grading.discover(course_dir, wanted)
    for problem in files.refused(course_dir):
        refused += grading.refusals(problem, set(wanted))
    unique: dict = {}
    for outcome in refused:
        unique.setdefault((outcome.student, outcome.assignment), outcome)
    found = {}
    for pair in pairs:
        if pair in unique:
            continue
        digest, problems = files.inspect(course_dir, *pair)
        if problems:
            unique[pair] = grading.refusal(*pair, files.summarise(problems))
        else:
            found[pair] = digest
    return found, list(unique.values())


def _crashed(shared: dict, pair: tuple, error: Exception) -> dict:
    """The report of a submission whose grading itself failed (listed, never silently zeroed)."""
    student, assignment = pair
    outcome = grading.Outcome(student=student, assignment=assignment, status="ungradable",
                              reason=f"the grader failed on it: {type(error).__name__}: {error}"[:300])
    scratch = Path(shared["work_root"]) / "runs" / f"{student}__{assignment}"
    return {"outcome": dataclasses.asdict(outcome), "scratch": str(scratch)}


def _line(outcome: grading.Outcome) -> str:
    score = "not graded" if outcome.score is None else f"{outcome.score:g}/{outcome.max_score:g}"
    note = f"  ({outcome.reason})" if outcome.reason else ""
    weaker = reports.weaker_sandbox(outcome)
    return reports.printable(f"{outcome.student} / {outcome.assignment}: {score} in "
                             f"{outcome.seconds:.1f} s{note}" + (f"  [sandbox: {weaker}]" if weaker else ""))


class Interrupted(Exception):
    """Ctrl-C stopped a class run: ``done`` of ``total`` submissions were graded and recorded."""

    def __init__(self, done: int, total: int):
        super().__init__(f"stopped: {done} of {total} submission(s) graded and recorded")
        self.done, self.total = done, total


def _stop(stopping: list, everything: bool = True, scratch: list = ()) -> None:
    """After Ctrl-C (``everything``) or a failure: nothing new starts, what runs is killed with
    every process it started. A second Ctrl-C meanwhile ends this process at once, after killing
    everything under it and removing the ``scratch`` folders."""
    import signal

    def at_once(*_):
        processes.kill_descendants()
        for folder in scratch:
            shutil.rmtree(folder, ignore_errors=True)
        os._exit(130)

    try:
        previous = signal.signal(signal.SIGINT, at_once)
    except ValueError:  # not the main thread: no second Ctrl-C to catch here
        previous = None
    try:
        for thing in stopping:
            if hasattr(thing, "submit") and hasattr(thing, "_processes"):
                processes.stop(thing)
            elif callable(thing):
                thing()
        if everything:
            processes.kill_descendants()  # a serial run's kernel, fork server, a local cluster
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)


def _run_dask(shared, todo, done, workers, scheduler, stopping):
    """Grade on Dask: each submission in a process of its own on the worker
    (:func:`helpers.workers.run_isolated`, safe whatever ``--nthreads``), results taken and
    recorded as they come, and released at once (a lost worker then costs only its work in
    flight, not the finished work it held)."""
    import secrets as tokens

    from distributed import Client, LocalCluster, as_completed as dask_completed

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
    client = Client(scheduler or cluster)
    flag_name = f"course-stop-{tokens.token_hex(8)}"
    flag = processes.stop_flag(flag_name)
    futures = {}

    def stop():
        flag.set()  # the tasks in flight kill their job within STOP_POLL_SECONDS
        client.cancel(list(futures), force=True)

    def close():
        client.close()
        if cluster is not None:
            cluster.close()

    stopping[:] = [stop, close]  # on any exception, _stop calls them in this order
    futures = {client.submit(processes.run_isolated, flag_name, grade_job, shared, *pair,
                             pure=False, retries=1): pair for pair in todo}
    for future in dask_completed(list(futures)):
        pair = futures.pop(future)
        try:
            report = future.result()
        except Exception as error:  # noqa: BLE001 - the batch must finish
            report = _crashed(shared, pair, error)
        future.release()
        done(pair, report)
    stopping.clear()
    close()


def _run(shared, todo, finish, workers, backend, scheduler, log, progress):
    from tqdm import tqdm

    workers = max(1, workers or os.cpu_count() or 1)
    # A bar on a terminal; without one (a CI log, a file, a pipe) plain lines that count instead,
    # so that no bar frame is interleaved with them.
    live = progress and sys.stderr.isatty()
    bar = tqdm(total=len(todo), unit="submission", desc="grading", disable=not live,
               file=sys.stderr, dynamic_ncols=True)
    say = bar.write if live else log

    warned, finished = set(), []

    def done(pair, report):
        finished.append(pair)
        for warning in report.get("warnings", ()):
            if warning not in warned:  # once per run, not once per submission
                warned.add(warning)
                say(f"warning: {reports.printable(warning)}")
        outcome = finish(pair, report)
        counter = f"[{len(finished)}/{len(todo)}] " if progress and not live else ""
        say(counter + _line(outcome))
        bar.update(1)

    stopping = []  # what to stop on Ctrl-C: a pool, a Dask client and its futures

    try:
        if backend == "serial" or (backend == "processes" and workers == 1):
            for pair in todo:
                try:
                    report = grade_job(shared, *pair)
                except Exception as error:  # noqa: BLE001 - the batch must finish
                    report = _crashed(shared, pair, error)
                done(pair, report)
        elif backend == "processes":
            from concurrent.futures import as_completed

            pending, tries = list(todo), {pair: 0 for pair in todo}
            while pending:
                # A worker that dies (killed by the machine, say) breaks its pool: the submissions
                # it held are graded again in a fresh pool, at most twice, then reported.
                retry = []
                pool = processes.pool(workers)
                stopping[:] = [pool]  # on any exception, _stop ends it with what it started
                futures = {pool.submit(grade_job, shared, *pair): pair for pair in pending}
                for future in as_completed(futures):
                    pair = futures.pop(future)
                    try:
                        report = future.result()
                    except Exception as error:  # noqa: BLE001 - the batch must finish
                        tries[pair] += 1
                        if tries[pair] < 3:
                            retry.append(pair)
                            continue
                        report = _crashed(shared, pair, error)
                    done(pair, report)
                stopping.clear()
                pool.shutdown(wait=True)
                pending = retry
        elif backend == "dask":
            _run_dask(shared, todo, done, workers, scheduler, stopping)
        else:
            raise ValueError(f"unknown back-end {backend!r}: serial, processes or dask")
    except BaseException as error:
        _stop(stopping, isinstance(error, KeyboardInterrupt),
              [Path(shared["work_root"])] + ([Path(shared["tmp"])] if shared.get("tmp") else []))
        if isinstance(error, KeyboardInterrupt):
            raise Interrupted(len(finished), len(todo)) from None
        raise
    finally:
        bar.close()
