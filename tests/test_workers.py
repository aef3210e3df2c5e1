"""Grading processes end with the run (helpers/workers.py), Ctrl-C stops a class run cleanly, and
a real Dask cluster with default settings grades exactly like a local run, even when a worker
is killed mid-run."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import grading, submissions, workers

PROJECT = Path(__file__).resolve().parents[1]
ASSIGNMENT = "01_notation"


def _full() -> str:
    """A solutions notebook's score as the progress prints it (from the source notebook's points;
    imported here, not at module level: pool processes import this module without tests/ on their path)."""
    from conftest import points

    total = sum(points(ASSIGNMENT).values())
    return f"{total:g}/{total:g}"
COURSE = [str(PROJECT / ".venv" / "bin" / "course")] if (PROJECT / ".venv" / "bin" / "course").exists() \
    else [sys.executable, "-m", "helpers.cli"]


def _alive(pid: int) -> bool:
    """Running (not a zombie waiting for a parent that does not reap)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            return handle.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except OSError:
        return False


def _wait_until(condition, seconds=20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def _in_session(sid: int) -> list:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.getsid(int(entry)) == sid and _alive(int(entry)):
                    found.append(int(entry))
            except OSError:
                pass
    return found


def _sleeper():
    """A job that starts a grandchild in a session of its own (as a kernel launcher does)."""
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"], start_new_session=True)
    time.sleep(120)
    return child.pid


PARENT = r'''
import sys, time
sys.path.insert(0, sys.argv[1])
from helpers import workers
import tests.test_workers as t
pool = workers.pool(1)
pool.submit(t._sleeper)
time.sleep(2.5)
print(" ".join(map(str, [p for p in workers.descendants(__import__("os").getpid())])), flush=True)
time.sleep(120)
'''


def test_pool_processes_and_what_they_started_end_with_their_parent(tmp_path):
    parent = subprocess.Popen([sys.executable, "-c", PARENT, str(PROJECT)], stdout=subprocess.PIPE,
                              text=True, cwd=PROJECT, env=dict(os.environ, PYTHONPATH=str(PROJECT)))
    try:
        started = [int(p) for p in parent.stdout.readline().split()]
        assert len(started) >= 2, started  # the pool process and the job's grandchild (at least)
        parent.kill()  # as a Dask worker killed by the machine
        parent.wait()
        assert _wait_until(lambda: not any(_alive(p) for p in started)), \
            [p for p in started if _alive(p)]
    finally:
        parent.kill()


def test_stop_ends_a_pool_and_what_its_processes_started():
    pool = workers.pool(2)
    futures = [pool.submit(_sleeper) for _ in range(3)]

    def started():  # the pool's processes and the grandchildren they started
        own = list(pool._processes)
        return own + [p for pid in own for p in workers.descendants(pid)]

    assert _wait_until(lambda: len(started()) >= 4)
    started = started()
    workers.stop(pool)
    assert _wait_until(lambda: not any(_alive(p) for p in started)), [p for p in started if _alive(p)]
    assert _wait_until(lambda: all(f.done() for f in futures), 10)  # cancelled or broken, never left hanging


# --- Ctrl-C ----------------------------------------------------------------------------------

def _class(tmp_path: Path, n: int) -> Path:
    course = grading.make_course_copy(PROJECT, tmp_path / "course", [ASSIGNMENT])
    notebook = submissions.solutions_notebook(PROJECT, ASSIGNMENT)
    for i in range(n):
        submissions.place(course, f"s{i:02d}", ASSIGNMENT, notebook)
    return course


@pytest.mark.parametrize("presses", [1, 2])
def test_ctrl_c_stops_a_class_run_within_seconds_and_leaves_nothing(tmp_path, presses):
    course = _class(tmp_path, 8)
    FULL = _full()
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", TMPDIR=str(scratch))
    run = subprocess.Popen(COURSE + ["--course", str(course), "grade", "-j", "2"], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, env=env, start_new_session=True)
    try:
        for line in run.stdout:
            if f"/ {ASSIGNMENT}: {FULL}" in line:
                break
        pressed = time.monotonic()
        os.killpg(run.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: the whole group
        if presses == 2:
            time.sleep(0.2)
            os.killpg(run.pid, signal.SIGINT)
        rest = run.stdout.read()
        assert run.wait(timeout=60) == 130
        stopped_after = time.monotonic() - pressed
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
    assert stopped_after < 15, stopped_after  # generous on a loaded machine; measured about 1 s
    if presses == 1:
        assert "stopped:" in rest and "run the same command again" in rest, rest[-600:]
    assert _wait_until(lambda: not _in_session(run.pid), 10), _in_session(run.pid)
    assert not list(scratch.iterdir()), list(scratch.iterdir())  # no scratch folder left behind
    if presses == 1:
        # What was graded was recorded: the next run resumes it and grades the rest.
        again = subprocess.run(COURSE + ["--course", str(course), "grade", "-j", "2"], capture_output=True,
                               text=True, env=dict(env, TMPDIR="/tmp"), timeout=600)
        assert again.returncode == 0, again.stdout[-800:] + again.stderr[-800:]
        assert "resuming:" in again.stdout
        assert again.stdout.count(FULL) >= 8


# --- a real Dask cluster -----------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _scores(course: Path) -> dict:
    import csv

    with open(course / "reports" / "grades.csv", newline="") as handle:
        return {row["student"]: row for row in csv.DictReader(handle)}


def _files(course: Path) -> set:
    return {str(p.relative_to(course)) for folder in ("autograded", "feedback")
            for p in (course / folder).rglob("*") if p.is_file()}


@pytest.mark.slow
def test_a_real_dask_cluster_with_default_workers_grades_like_a_local_run(tmp_path):
    pytest.importorskip("distributed")
    dask = PROJECT / ".venv" / "bin" / "dask"
    if not dask.exists():
        pytest.skip("the dask command is not installed")
    fixture = submissions.fixtures(PROJECT, ASSIGNMENT)[0]
    courses = {}
    for name in ("local", "dask"):
        course = grading.make_course_copy(PROJECT, tmp_path / name, [ASSIGNMENT])
        solved = submissions.solutions_notebook(PROJECT, ASSIGNMENT)
        for i in range(6):
            notebook = submissions.apply_bugs(solved, fixture["replace"]) if i % 2 else solved
            submissions.place(course, f"s{i:02d}", ASSIGNMENT, notebook)
        courses[name] = course
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    local = subprocess.run(COURSE + ["--course", str(courses["local"]), "grade", "-j", "2"],
                           capture_output=True, text=True, env=env, timeout=900)
    assert local.returncode == 0, local.stdout[-800:] + local.stderr[-800:]

    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    started = [subprocess.Popen([str(dask), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                 "--no-dashboard"], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)]
    try:
        time.sleep(3)
        # Default settings: one worker process per `dask worker`, as many threads as cores.
        for _ in range(2):
            started.append(subprocess.Popen([str(dask), "worker", address, "--no-dashboard"], env=env,
                                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                            start_new_session=True))
        time.sleep(6)
        run = subprocess.Popen(COURSE + ["--course", str(courses["dask"]), "grade", "--backend", "dask",
                                         "--scheduler", address], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, env=env)
        killed, orphans, output = False, [], []
        for line in run.stdout:
            output.append(line)
            if not killed and f"/ {ASSIGNMENT}: " in line:
                # Kill one worker process (not its nanny: the nanny's child that has started
                # grading processes, not its resource tracker) with everything in flight on it.
                candidates = [(len(workers.descendants(child)), child) for nanny in started[1:]
                              for child in workers.children(nanny.pid) if _alive(child)]
                _, worker = max(candidates)
                orphans = workers.descendants(worker)
                os.kill(worker, signal.SIGKILL)
                killed = True
        assert run.wait(timeout=900) == 0, "".join(output)[-1500:]
        assert killed and orphans  # its pool processes, fork server, kernels...
    finally:
        for process in started:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except OSError:
                pass
    # Everything the killed worker had started ended with it.
    assert _wait_until(lambda: not any(_alive(p) for p in orphans), 15), [p for p in orphans if _alive(p)]
    local_scores, dask_scores = _scores(courses["local"]), _scores(courses["dask"])
    assert local_scores == dask_scores
    assert _files(courses["local"]) == _files(courses["dask"])
    assert len(dask_scores) == 6


# --- the gradebook writer ----------------------------------------------------------------------

def test_the_class_gradebook_holds_every_score_written_by_the_writer_process(tmp_path):
    from nbgrader.api import Gradebook

    from helpers import classgrader

    course = grading.make_course_copy(PROJECT, tmp_path / "course", [ASSIGNMENT])
    fixture = submissions.fixtures(PROJECT, ASSIGNMENT)[0]
    solved = submissions.solutions_notebook(PROJECT, ASSIGNMENT)
    for i in range(3):
        submissions.place(course, f"s{i}", ASSIGNMENT,
                          submissions.apply_bugs(solved, fixture["replace"]) if i == 1 else solved)
    outcomes = classgrader.grade_class(course, [ASSIGNMENT], workers=1, feedback=False,
                                       log=lambda *_: None, progress=False)
    assert {o.student: o.score for o in outcomes}["s1"] < outcomes[0].max_score
    config = grading.load_config(course)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", config.CourseDirectory.course_id) as gb:
        for outcome in outcomes:
            submission = gb.find_submission(ASSIGNMENT, outcome.student)
            assert submission.score == pytest.approx(outcome.score), outcome.student
            cells = {g.name: g.score for nb in submission.notebooks for g in nb.grades}
            assert cells == {name: score for name, (score, _) in outcome.cells.items()}
    for outcome in outcomes:  # and every record after its scores: the next run resumes them all
        assert classgrader.record_path(course, outcome.student, ASSIGNMENT).exists()
