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


def _scratch_root(work: Path) -> Path:
    """A folder beside ``work`` for the sandbox's scratch files (deleted with pytest's tmp_path)."""
    folder = work.parent / f"{work.name}-sandboxes"
    folder.mkdir(exist_ok=True)
    return folder


def _run(server, work: Path, module: str, argv=(), network=False, timeout=60):
    description, scratch = sandbox.spec(work, limits=sandbox.Limits(), network=network,
                                        log=work / "out.log", scratch_root=_scratch_root(work))
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
    assert report["uid"] == report["gid"] and report["groups"] == []
    assert sandbox.SANDBOX_UIDS[0] <= report["uid"] <= sandbox.SANDBOX_UIDS[1]  # a user of its own
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


def _start(server, work: Path, source: str, limits: sandbox.Limits):
    (work / "prog.py").write_text(source)
    description, scratch = sandbox.spec(work, limits=limits, network=False, log=work / "out.log",
                                        scratch_root=_scratch_root(work))
    return forkserver.spawn(server.path, description, "prog", []), scratch


def _wait_until(condition, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    return bool(condition())


def test_kill_ends_every_process_of_the_sandbox(server, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    child, _ = _start(server, work, "import subprocess, sys, time\n"
                      "child = subprocess.Popen([sys.executable, '-c', 'import time\\nwhile True: time.sleep(0.05)'])\n"
                      "open('child.pid', 'w').write(str(child.pid))\n"
                      "while True: pass\n", sandbox.Limits())
    assert _wait_until((work / "child.pid").exists)
    assert child.wait(timeout=0.5) is None  # still spinning
    assert _processes_running("time.sleep(0.05)")
    child.kill()
    assert child.returncode == 128 + signal.SIGKILL
    assert _wait_until(lambda: not _processes_running("time.sleep(0.05)"))


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
    child, _ = _start(server, work, "import subprocess, sys, time\n"
                      "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(300)  # sleeper-mark'])\n"
                      "time.sleep(0.5)\nopen('started', 'w').close()\ntime.sleep(300)\n", sandbox.Limits())
    assert _wait_until((work / "started").exists)
    assert _processes_running("sleeper-mark")
    child.close()  # as when nbgrader kills the kernel's launcher
    assert _wait_until(lambda: not _processes_running("sleeper-mark"), seconds=10)


def test_signals_are_passed_on(server, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    child, _ = _start(server, work, "import time\nopen('started', 'w').close()\n"
                      "try:\n    time.sleep(60)\nexcept KeyboardInterrupt:\n"
                      "    open('interrupted', 'w').close()\n", sandbox.Limits())
    assert _wait_until((work / "started").exists)
    child.send_signal(signal.SIGINT)  # how nbgrader interrupts a kernel
    assert child.wait(timeout=20) == 0
    assert (work / "interrupted").exists()


def test_an_unreachable_server_is_an_error_not_a_hang(tmp_path):
    with pytest.raises(OSError):
        forkserver.spawn(str(tmp_path / "no-such-socket"), {}, "x", [])


def test_the_server_starts_from_a_course_folder_of_any_length(tmp_path):
    # A Unix socket's path holds about 108 bytes: the socket must not depend on the course's path.
    deep = tmp_path / ("a-long-course-folder-name-" * 6) / "cache"
    deep.mkdir(parents=True)
    assert len(str(deep)) > 150
    started = forkserver.Server(deep)
    try:
        assert started.alive() and len(os.fsencode(started.path)) <= forkserver.SOCKET_PATH_MAX
        assert os.stat(Path(started.path).parent).st_mode & 0o777 == 0o700  # only its owner reaches it
        work = tmp_path / "work"
        work.mkdir()
        description, _ = sandbox.spec(work, limits=sandbox.Limits(), network=False,
                                      log=work / "out.log", scratch_root=_scratch_root(work))
        (work / "prog.py").write_text("import sys\nsys.exit(5)\n")
        child = forkserver.spawn(started.path, description, "prog", [])
        assert child.wait(60) == 5
        child.close()
    finally:
        started.stop()
    assert not Path(started.path).exists() and not Path(started.path).parent.exists()


def test_a_server_that_cannot_start_is_reported_with_its_reason(tmp_path, monkeypatch):
    def broken(folder, **_):
        raise OSError("the fork server did not start: something precise")

    forkserver.stop_shared_server()
    monkeypatch.setattr(forkserver, "Server", broken)
    assert forkserver.shared_server(tmp_path) is None
    assert "something precise" in forkserver.FAILURE
    # ...and a class run says so, once, with the reason (then grades without it).
    assignment = "01_notation"
    course = grading.make_course_copy(PROJECT, tmp_path / "course", [assignment])
    for student in ("s1", "s2"):
        submissions.place(course, student, assignment, submissions.solutions_notebook(PROJECT, assignment))
    lines = []
    outcomes = classgrader.grade_class(course, [assignment], workers=1, feedback=False,
                                       log=lines.append, progress=False)
    warned = [line for line in lines if "fork server could not start" in line]
    assert len(warned) == 1 and "something precise" in warned[0], lines
    assert all(o.score == o.max_score for o in outcomes)


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


def test_two_sandboxes_never_share_a_user(server, tmp_path):
    uids = set()
    for i in range(3):
        work = tmp_path / f"w{i}"
        work.mkdir()
        child, _ = _start(server, work, "import os\nopen('uid', 'w').write(str(os.getuid()))\n", sandbox.Limits())
        assert child.wait(30) == 0
        uids.add(int((work / "uid").read_text()))
    assert len(uids) == 3  # so one sandbox's processes never count against another's limits


@pytest.mark.skipif(not sandbox.cgroups_available(), reason="no writable memory and pids cgroups here")
def test_a_fork_bomb_stops_at_the_sandbox_limit_and_dies_with_it(server, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    bomb = ("import os, time\n"
            "made = 0\n"
            "for _ in range(500):\n"
            "    try:\n"
            "        if os.fork() == 0:\n"
            "            time.sleep(300)  # fork-bomb-child\n"
            "            os._exit(0)\n"
            "        made += 1\n"
            "    except OSError:\n"
            "        break\n"
            "open('made', 'w').write(str(made))\n"
            "time.sleep(300)\n")
    child, scratch = _start(server, work, bomb, sandbox.Limits(processes=40))
    assert _wait_until((work / "made").exists, seconds=60)
    made = int((work / "made").read_text())
    assert 10 <= made < 40, made  # stopped by the limit (the program itself counts too)
    groups = (scratch / "cgroups").read_text().split()
    assert len(groups) == 2 and all(Path(g).is_dir() for g in groups)
    child.kill()
    assert all(not Path(g).exists() for g in groups)  # released once the sandbox is gone


HOG = ("import json, os, time\n"
       "children = []\n"
       "for i in range(4):\n"
       "    pid = os.fork()\n"
       "    if pid == 0:\n"
       "        block = b'x' * (200 * 2**20)\n"
       "        time.sleep(2)\n"
       "        os._exit(0)\n"
       "    children.append(pid)\n"
       "ends = [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in children]\n"
       "open('ends.json', 'w').write(json.dumps(ends))\n")


@pytest.mark.skipif(not sandbox.cgroups_available(), reason="no writable memory and pids cgroups here")
@pytest.mark.parametrize("sandbox_mb, all_survive", [(2048, True), (400, False)])
def test_memory_is_bounded_for_the_whole_sandbox_not_only_per_process(server, tmp_path, sandbox_mb,
                                                                     all_survive):
    """Four processes of 200 MB each, each allowed 2 GB: they all fit in a 2 GB sandbox, and a
    400 MB sandbox kills some of them (or the program itself)."""
    work = tmp_path / "work"
    work.mkdir()
    child, _ = _start(server, work, HOG, sandbox.Limits(memory_mb=2048, sandbox_memory_mb=sandbox_mb))
    code = child.wait(60)
    child.close()
    if all_survive:
        assert code == 0 and json.loads((work / "ends.json").read_text()) == [0, 0, 0, 0]
    else:
        killed = code != 0 or -signal.SIGKILL in json.loads((work / "ends.json").read_text())
        assert killed, "all four 200 MB blocks fit in a 400 MB sandbox"


def test_a_sandbox_is_killed_when_its_wall_clock_time_is_up(server, tmp_path):
    """Sleeping costs no CPU time, so only a wall-clock limit stops a notebook that waits."""
    child, _ = _start(server, tmp_path, "import time\ntime.sleep(120)\n", sandbox.Limits(wall_seconds=2))
    code = child.wait(60)  # None if nothing stopped the 120 s sleep within 60 s
    child.close()
    assert code == 128 + signal.SIGKILL
