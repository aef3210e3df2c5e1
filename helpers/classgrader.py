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
   back, and a record ``autograded/<student>/<assignment>/.course-grade.json`` lets an
   interrupted run resume without grading anything twice.

Back-ends: ``serial``, ``processes`` (default; one worker per core) and ``dask`` (a local
cluster by default, or a scheduler address for a real cluster; the workers must share the
course folder's file system).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from helpers import data as course_data
from helpers import forkserver, grading, notebooks, sandbox

RECORD = ".course-grade.json"


@dataclasses.dataclass
class Settings:
    """How to grade. ``memory_mb``/``cpu_seconds`` limit each kernel and re-check process."""

    feedback: bool = True
    sandboxed: bool | None = None  # None: when the machine allows it
    recheck: bool = True
    memory_mb: int = 3072
    cpu_seconds: int = 900
    recheck_timeout: float = 900.0  # the whole re-check of one submission
    notebook_seconds: int = 900  # wall-clock time of one notebook's kernel (killed after)
    case_timeout: int = 60  # one call in the re-check
    cell_timeout: int | None = None  # per cell under nbgrader (None: nbgrader_config.py's)
    forkserver: bool = True  # start sandboxed processes from a pre-imported fork server


def submission_hash(course_dir: Path, student: str, assignment: str) -> str:
    """SHA256 over the files of one submission (names and contents)."""
    digest = hashlib.sha256()
    folder = Path(course_dir) / "submitted" / student / assignment
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


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
    ``source/<assignment>/``, ``nbgrader_config.py`` and nbgrader's version."""
    import nbgrader

    course_dir = Path(course_dir)
    digest = hashlib.sha256(nbgrader.__version__.encode())
    digest.update((course_dir / "nbgrader_config.py").read_bytes())
    folder = course_dir / "source" / assignment
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                       and ".ipynb_checkpoints" not in p.parts):
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


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
    kernel_name = None
    if settings.sandboxed:
        helpers_copy = work_root / "kernel_helpers"
        shutil.copytree(Path(__file__).resolve().parent, helpers_copy / "helpers",
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"), dirs_exist_ok=True)
        kernel_name = sandbox.kernelspec(
            work_root / "jupyter", helpers_dir=helpers_copy, data_dir=course_data.data_dir(),
            limits=sandbox.Limits(memory_mb=settings.memory_mb, cpu_seconds=settings.cpu_seconds,
                                  wall_seconds=settings.notebook_seconds),
            scratch=work_root / "sandboxes")
    return {"course_dir": str(Path(course_dir).resolve()), "work_root": str(work_root),
            "kernel_name": kernel_name, "templates": templates, "settings": dataclasses.asdict(settings)}


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

    Runs in a worker process (or a Dask worker): everything it needs is in its arguments.
    """
    from helpers import recheck

    started = time.perf_counter()
    settings = Settings(**shared["settings"])
    course_dir, work_root = Path(shared["course_dir"]), Path(shared["work_root"])
    scratch = work_root / "runs" / f"{student}__{assignment}"
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(shared["templates"][assignment], scratch, ignore=shutil.ignore_patterns(".complete"))
    _copy_regular_files(course_dir / "submitted" / student / assignment,
                        scratch / "submitted" / student / assignment)
    server = None
    if shared["kernel_name"]:
        os.environ["JUPYTER_PATH"] = str(work_root / "jupyter")
        if settings.forkserver:
            # This worker's fork server (started once): kernels and re-checks start from it.
            server = forkserver.shared_server(work_root)
        if server:
            os.environ[forkserver.SOCKET_ENV] = server
        else:
            os.environ.pop(forkserver.SOCKET_ENV, None)
    runtime = None
    if shared["kernel_name"]:
        # The kernel's connection file and Unix sockets, in a folder of this submission's own on
        # this machine (short: a socket's path must stay under 108 bytes).
        runtime = Path(tempfile.mkdtemp(prefix="ck-"))
    try:
        outcome = grading.autograde_one(scratch, student, assignment, feedback=False,
                                        kernel_name=shared["kernel_name"], cell_timeout=settings.cell_timeout,
                                        immediate_shutdown=True, ipc_dir=runtime)
    finally:
        if runtime is not None:
            shutil.rmtree(runtime, ignore_errors=True)
    notebook = next((scratch / "submitted" / student / assignment).glob("*.ipynb"), None)
    if settings.recheck and outcome.status != "missing notebook" and recheck.has_spec(assignment) \
            and notebook is not None and _readable(notebook):
        results = recheck.recheck(
            notebook, assignment, test_cell_ids(scratch, assignment),
            folder_files=scratch / "source" / assignment,
            timeout=settings.recheck_timeout, case_timeout=settings.case_timeout,
            cell_timeout=settings.cell_timeout or 120,
            isolate=bool(settings.sandboxed), server=server,
            limits=sandbox.Limits(memory_mb=settings.memory_mb, cpu_seconds=settings.cpu_seconds))
        apply_recheck(outcome, results)
    if outcome.score is not None:
        grading.store_scores(scratch, outcome)
        if settings.feedback and (scratch / "autograded" / student / assignment).exists():
            grading.api(scratch).generate_feedback(assignment, student, force=True)
    outcome.seconds = time.perf_counter() - started
    return {"outcome": dataclasses.asdict(outcome), "scratch": str(scratch)}


def _copy_regular_files(source: Path, target: Path) -> None:
    """Copy a submission, regular files only: a symlink (to the gradebook, say) is left behind."""
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        destination = target / path.relative_to(source)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, destination)


def _readable(path: Path) -> bool:
    try:
        notebooks.read(path)
        return True
    except Exception:
        return False


def _finish(course_dir: Path, report: dict, digest: str) -> grading.Outcome:
    """Bring one graded submission home: files, gradebook, record."""
    outcome = grading.Outcome(**report["outcome"])
    outcome.cells = {k: tuple(v) for k, v in outcome.cells.items()}
    scratch = Path(report["scratch"])
    for folder in ("autograded", "feedback"):
        source = scratch / folder / outcome.student / outcome.assignment
        target = Path(course_dir) / folder / outcome.student / outcome.assignment
        if source.exists():
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(source, target)
    if outcome.score is not None:
        grading.store_scores(course_dir, outcome)
    record = Path(course_dir) / "autograded" / outcome.student / outcome.assignment / RECORD
    if outcome.reason.startswith("the grader failed"):
        shutil.rmtree(scratch, ignore_errors=True)
        return outcome  # no record: the next run grades it again
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(json.dumps({"submission_sha256": digest, "outcome": dataclasses.asdict(outcome)},
                                 indent=1))
    shutil.rmtree(scratch, ignore_errors=True)
    return outcome


def _resumed(course_dir: Path, student: str, assignment: str, digest: str):
    record = Path(course_dir) / "autograded" / student / assignment / RECORD
    if not record.exists():
        return None
    try:
        stored = json.loads(record.read_text())
    except (OSError, ValueError):
        return None
    if stored.get("submission_sha256") != digest:
        return None
    outcome = grading.Outcome(**stored["outcome"])
    outcome.cells = {k: tuple(v) for k, v in outcome.cells.items()}
    return outcome


def grade_class(course_dir: Path, assignment_ids: list | None = None, *, feedback: bool = True,
                workers: int | None = None, backend: str = "processes", scheduler: str | None = None,
                regrade: bool = False, settings: Settings | None = None, log=print,
                progress: bool = True) -> list:
    """Grade every submission of ``assignment_ids`` in ``<course_dir>/submitted``.

    ``backend``: ``"serial"``, ``"processes"`` (``workers`` processes, default the number of
    cores) or ``"dask"`` (``scheduler`` address, default a local cluster of ``workers``).
    Submissions already graded with the same content are not graded again unless ``regrade``.
    Returns one :class:`helpers.grading.Outcome` per submission, in a stable order.
    """
    course_dir = Path(course_dir).resolve()
    settings = settings or Settings()
    settings.feedback = feedback
    if settings.sandboxed is None:
        settings.sandboxed = sandbox.available()
    wanted = assignment_ids or grading.assignments(course_dir)
    pairs = [(s, a) for s, a in grading.submissions(course_dir) if a in wanted]
    for assignment in sorted({a for _, a in pairs}):
        sync_class_gradebook(course_dir, assignment)
    digests = {pair: submission_hash(course_dir, *pair) for pair in pairs}
    results: dict = {}
    todo = []
    for pair in pairs:
        previous = None if regrade else _resumed(course_dir, *pair, digests[pair])
        if previous is not None:
            results[pair] = previous
        else:
            todo.append(pair)
    if results:
        log(f"resuming: {len(results)} submission(s) already graded with the same content "
            f"(use --regrade to grade them again)")
    from helpers import recheck

    unchecked = sorted({a for _, a in todo if not recheck.has_spec(a)})
    if unchecked and settings.recheck:
        log(f"note: no trusted re-check is defined for {', '.join(unchecked)}: "
            f"their scores come from nbgrader alone")
    if not settings.sandboxed:
        log("warning: the sandbox is not available here (it needs root and util-linux); student "
            "code runs as an ordinary process with resource limits only")
    if todo:
        # Workers of a real Dask cluster see the course folder, not this machine's /tmp.
        scratch_parent = cache_dir(course_dir) if (backend == "dask" and scheduler) else None
        if scratch_parent is not None:
            scratch_parent.mkdir(parents=True, exist_ok=True)
        work_root = Path(tempfile.mkdtemp(prefix="course-grade-", dir=scratch_parent))
        try:
            shared = prepare(course_dir, sorted({a for _, a in todo}), work_root, settings)
            _run(shared, todo, digests, results, course_dir, workers, backend, scheduler, log, progress)
        finally:
            forkserver.stop_shared_server()  # the serial back-end's, started in this process
            for scratch in (work_root / "sandboxes").glob("course-sandbox-*"):
                sandbox.release(scratch, wait=0.5)  # kernels killed before they could clean up
            shutil.rmtree(work_root, ignore_errors=True)
    return [results[pair] for pair in pairs]


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
    return f"{outcome.student} / {outcome.assignment}: {score} in {outcome.seconds:.1f} s{note}"


def _run(shared, todo, digests, results, course_dir, workers, backend, scheduler, log, progress):
    from tqdm import tqdm

    workers = max(1, workers or os.cpu_count() or 1)
    bar = tqdm(total=len(todo), unit="submission", desc="grading", disable=not progress,
               file=sys.stderr, dynamic_ncols=True)

    def done(pair, report):
        outcome = _finish(course_dir, report, digests[pair])
        results[pair] = outcome
        if progress:
            bar.write(_line(outcome))
        else:
            log(_line(outcome))
        bar.update(1)

    try:
        if backend == "serial" or (backend == "processes" and workers == 1):
            for pair in todo:
                try:
                    report = grade_job(shared, *pair)
                except Exception as error:  # noqa: BLE001 - the batch must finish
                    report = _crashed(shared, pair, error)
                done(pair, report)
        elif backend == "processes":
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor, as_completed

            context = multiprocessing.get_context("spawn")
            pending, tries = list(todo), {pair: 0 for pair in todo}
            while pending:
                # A worker that dies (killed by the machine, say) breaks its pool: the submissions
                # it held are graded again in a fresh pool, at most twice, then reported.
                retry = []
                with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                    futures = {pool.submit(grade_job, shared, *pair): pair for pair in pending}
                    for future in as_completed(futures):
                        pair = futures[future]
                        try:
                            report = future.result()
                        except Exception as error:  # noqa: BLE001 - the batch must finish
                            tries[pair] += 1
                            if tries[pair] < 3:
                                retry.append(pair)
                                continue
                            report = _crashed(shared, pair, error)
                        done(pair, report)
                pending = retry
        elif backend == "dask":
            from distributed import Client, LocalCluster, as_completed as dask_completed

            cluster = None
            if scheduler is None:
                cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                       dashboard_address=None)
            client = Client(scheduler or cluster)
            try:
                futures = {client.submit(grade_job, shared, *pair, pure=False): pair for pair in todo}
                for future in dask_completed(list(futures)):
                    try:
                        report = future.result()
                    except Exception as error:  # noqa: BLE001 - the batch must finish
                        report = _crashed(shared, futures[future], error)
                    done(futures[future], report)
            finally:
                client.close()
                if cluster is not None:
                    cluster.close()
        else:
            raise ValueError(f"unknown back-end {backend!r}: serial, processes or dask")
    finally:
        bar.close()
