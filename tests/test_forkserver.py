"""The fork server (helpers/forkserver.py): sandboxed programs started from a pre-imported process
must be exactly as confined as fresh ones, and grade the same."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pytest

from helpers import classgrader, forkserver, grading, sandbox, submissions

PROJECT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(not sandbox.available(), reason="the sandbox needs Linux and root")

PROBE = r'''
import json, os, socket, sys
report = {"uid": os.getuid(), "gid": os.getgid(), "groups": os.getgroups(), "pid": os.getpid(),
          "argv": sys.argv[1:], "cwd": os.getcwd(), "fds": sorted(os.listdir("/proc/self/fd")),
          "caps": [line.split()[1] for line in open("/proc/self/status") if line.startswith("Cap")],
          "no_new_privs": [line.split()[1] for line in open("/proc/self/status")
                           if line.startswith("NoNewPrivs")][0],
          "processes": sorted(p for p in os.listdir("/proc") if p.isdigit())}
seen = {}
for path in sys.argv[1:]:
    try:
        open(path, "rb").read(1)
        seen[path] = "read"
    except OSError as error:
        seen[path] = type(error).__name__
report["seen"] = seen
try:
    socket.create_connection(("1.1.1.1", 53), timeout=2)
    report["network"] = True
except OSError:
    report["network"] = False
import numpy
report["random"] = float(numpy.random.rand())
import helpers
report["helpers"] = list(helpers.__path__)
report["env"] = sorted(os.environ)
with open("report.json", "w") as handle:
    json.dump(report, handle)
sys.exit(7)
'''


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    started = forkserver.Server(tmp_path_factory.mktemp("forkserver"))
    yield started
    started.stop()


def _run(server, work: Path, module: str, argv=(), network=False, timeout=60):
    description, scratch = sandbox.spec(work, limits=sandbox.Limits(), network=network,
                                        log=work / "out.log")
    child = forkserver.spawn(server.path, description, module, list(argv))
    try:
        return child, child.wait(timeout)
    finally:
        child.close()


def test_a_forked_program_is_as_confined_as_a_fresh_one(server, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    (work / "probe.py").write_text(PROBE)
    secrets = [str(PROJECT / "nbgrader_config.py"), str(PROJECT / "helpers" / "reference" / "__init__.py"),
               server.path, "/etc/shadow"]
    _, code = _run(server, work, "probe", secrets)
    assert code == 7, (work / "out.log").read_text()
    report = json.loads((work / "report.json").read_text())
    assert (report["uid"], report["gid"], report["groups"]) == (sandbox.NOBODY, sandbox.NOBODY, [])
    assert report["pid"] == 1 and report["processes"] == ["1"]  # its own PID namespace, alone
    assert set(report["fds"]) <= {"0", "1", "2", "3"}  # 3: the listing's own; the server's socket is closed
    assert set(report["caps"]) == {"0000000000000000"} and report["no_new_privs"] == "1"
    assert all(how != "read" for how in report["seen"].values()), report["seen"]
    assert report["network"] is False
    assert report["helpers"] == ["/opt/course/helpers"]  # the sandbox's helpers, not the server's
    assert report["cwd"] == str(work) and report["argv"] == secrets
    assert "COURSE_FORKSERVER" not in report["env"]


def test_each_program_draws_its_own_global_random_numbers(server, tmp_path):
    draws = []
    for i in range(2):
        work = tmp_path / f"work{i}"
        work.mkdir()
        (work / "probe.py").write_text(PROBE)
        _run(server, work, "probe")
        draws.append(json.loads((work / "report.json").read_text())["random"])
    assert draws[0] != draws[1]  # the server's numpy state is not shared by every child


def test_kill_ends_every_process_of_the_sandbox(server, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    (work / "spin.py").write_text(
        "import subprocess, sys, time\n"
        "child = subprocess.Popen([sys.executable, '-c', 'import time\\nwhile True: time.sleep(0.05)'])\n"
        "open('child.pid', 'w').write(str(child.pid))\n"
        "while True: pass\n")
    description, _ = sandbox.spec(work, limits=sandbox.Limits(), network=False, log=work / "out.log")
    child = forkserver.spawn(server.path, description, "spin", [])
    deadline = time.monotonic() + 30
    while not (work / "child.pid").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert child.wait(timeout=0.5) is None  # still spinning
    assert _processes_running("time.sleep(0.05)")
    started = time.monotonic()
    child.kill()
    assert child.returncode == 128 + signal.SIGKILL
    assert time.monotonic() - started < 5
    assert not _processes_running("time.sleep(0.05)")


def _processes_running(marker: str) -> list:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and marker in (entry / "cmdline").read_bytes().decode(errors="replace"):
                found.append(entry.name)
        except OSError:
            pass
    return found


def test_a_client_that_goes_away_takes_its_sandbox_with_it(server, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    (work / "sleeper.py").write_text(
        "import subprocess, sys, time\n"
        "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(300)  # sleeper-mark'])\n"
        "time.sleep(0.5)\nopen('started', 'w').close()\ntime.sleep(300)\n")
    description, _ = sandbox.spec(work, limits=sandbox.Limits(), network=False, log=work / "out.log")
    child = forkserver.spawn(server.path, description, "sleeper", [])
    deadline = time.monotonic() + 30
    while not (work / "started").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _processes_running("sleeper-mark")
    child.close()  # as when nbgrader kills the kernel's launcher
    deadline = time.monotonic() + 10
    while _processes_running("sleeper-mark") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _processes_running("sleeper-mark")


def test_signals_are_passed_on(server, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    (work / "waiter.py").write_text(
        "import time\nopen('started', 'w').close()\n"
        "try:\n    time.sleep(60)\nexcept KeyboardInterrupt:\n    open('interrupted', 'w').close()\n")
    description, _ = sandbox.spec(work, limits=sandbox.Limits(), network=False, log=work / "out.log")
    child = forkserver.spawn(server.path, description, "waiter", [])
    deadline = time.monotonic() + 30
    while not (work / "started").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    child.send_signal(signal.SIGINT)  # how nbgrader interrupts a kernel
    assert child.wait(timeout=20) == 0
    assert (work / "interrupted").exists()


def test_an_unreachable_server_is_an_error_not_a_hang(tmp_path):
    with pytest.raises(OSError):
        forkserver.spawn(str(tmp_path / "no-such-socket"), {}, "x", [])


def test_grades_are_the_same_with_and_without_the_fork_server(tmp_path):
    assignment = "01_notation"
    course = grading.make_course_copy(PROJECT, tmp_path / "course", [assignment])
    fixture = submissions.fixtures(PROJECT, assignment)[0]
    submissions.place(course, "buggy", assignment,
                      submissions.apply_bugs(submissions.solutions_notebook(PROJECT, assignment),
                                             fixture["replace"]))
    submissions.place(course, "honest", assignment, submissions.solutions_notebook(PROJECT, assignment))
    cells = {}
    for use_server in (True, False):
        settings = classgrader.Settings(forkserver=use_server)
        outcomes = classgrader.grade_class(course, [assignment], workers=1, feedback=False, regrade=True,
                                           settings=settings, log=lambda *_: None, progress=False)
        cells[use_server] = {(o.student, cell): score for o in outcomes for cell, (score, _) in o.cells.items()}
        assert all(not o.notes and o.status == "graded" for o in outcomes), [(o.notes, o.reason) for o in outcomes]
    assert cells[True] == cells[False]
    for (student, cell), score in cells[True].items():
        if student == "buggy" and cell in fixture["expected"]:
            assert score == fixture["expected"][cell], cell
        else:
            assert score > 0, (student, cell)  # full marks: every other cell passes
