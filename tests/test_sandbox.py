"""The sandbox package (helpers/sandbox/): one limits spec with its defaults declared once, one way
to start a confined process, imports in one direction, and the record of what was actually
enforced, made on the trusted side, attached to every graded submission and shown when weaker."""

from __future__ import annotations

import ast
import csv
import dataclasses
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import classgrader, grading, reports, sandbox, submissions
from helpers.sandbox import core, forkserver, launch, record

PROJECT = Path(__file__).resolve().parents[1]
PACKAGE = PROJECT / "helpers" / "sandbox"

needs_sandbox = pytest.mark.skipif(not sandbox.available(), reason="the sandbox needs Linux and root")


# --- the limits spec ------------------------------------------------------------------------------

def test_the_grader_settings_take_their_limits_from_the_one_spec():
    settings, limits = classgrader.Settings(), sandbox.Limits()
    assert (settings.memory_mb, settings.cpu_seconds) == (limits.memory_mb, limits.cpu_seconds)
    assert settings.limits(wall_seconds=7) == dataclasses.replace(limits, wall_seconds=7)
    # No other module declares a default of its own for these limits.
    declared = re.compile(r"\b(memory_mb|cpu_seconds|file_mb|open_files|processes)\s*(:\s*[\w |]+)?=\s*\d")
    found = [str(p.relative_to(PROJECT)) for p in (PROJECT / "helpers").rglob("*.py")
             if declared.search(p.read_text())]
    assert found == ["helpers/sandbox/core.py"], found


def test_limits_are_typed_and_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        sandbox.Limits().memory_mb = 1
    for bad in ({"memory_mb": 0}, {"cpu_seconds": -1}, {"processes": "256"}, {"open_files": True},
                {"wall_seconds": 1.5}):
        with pytest.raises(ValueError):
            sandbox.Limits(**bad)
    with pytest.raises(TypeError):
        launch.spec(Path("/nonexistent"), limits={"memory_mb": 1}, network=False)


# --- one module graph, no cycle ------------------------------------------------------------------

def _imports(path: Path) -> set:
    """Every module of the sandbox that ``path`` imports, at any depth of its code."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        found |= {n for n in names if n.startswith("helpers.sandbox.") or n == "helpers.forkserver"}
    return found


def test_the_package_imports_in_one_direction_and_each_module_alone():
    modules = {f"helpers.sandbox.{p.stem}": p for p in PACKAGE.glob("*.py") if p.stem not in ("__init__", "__main__")}
    modules["helpers.forkserver"] = PROJECT / "helpers" / "forkserver.py"
    graph = {name: _imports(path) & set(modules) for name, path in modules.items()}
    order, left = [], dict(graph)
    while left:
        ready = [n for n, deps in left.items() if not deps - set(order)]
        assert ready, f"an import cycle among {sorted(left)}: {left}"
        order += sorted(ready)
        for n in ready:
            del left[n]
    assert order.index("helpers.sandbox.record") < order.index("helpers.sandbox.core") \
        < order.index("helpers.sandbox.launch") < order.index("helpers.sandbox.forkserver") \
        < order.index("helpers.sandbox.kernel")
    for name in [*modules, "helpers.sandbox", "helpers.classgrader", "helpers.recheck"]:
        result = subprocess.run([sys.executable, "-c", f"import {name}"], capture_output=True, text=True,
                                cwd=PROJECT)
        assert result.returncode == 0, (name, result.stderr[-500:])
    from helpers import forkserver as alias

    assert alias is forkserver  # one module, one state (its running server, its folders)


# --- the enforcement record ---------------------------------------------------------------------

#: Student code that tries to forge the record: it writes a record of its own to every file
#: descriptor it might have inherited, to its outputs, and to the record's path (given as argv).
FORGER = r'''
import json, os, sys
fake = json.dumps({"mode": "sandbox", "program": "forged", "uid": 4242, "namespaces": ["mnt", "pid", "net"],
                   "chroot": True, "no_new_privs": True, "capabilities_dropped": True,
                   "cgroups": {"memory": 1, "pids": 1}, "rlimits": {"as": 1}, "reason": ""}).encode() + b"\n"
written = []
for fd in range(3, 1024):
    try:
        os.write(fd, fake)
        written.append(fd)
    except OSError:
        pass
for path in sys.argv[1:]:
    try:
        with open(path, "ab") as handle:
            handle.write(fake)
        written.append(path)
    except OSError:
        pass
sys.stdout.buffer.write(fake)
sys.stderr.buffer.write(fake)
with open("report.json", "w") as handle:
    json.dump({"uid": os.getuid(), "written": written}, handle)
'''


def _expect_full(found: record.Enforcement, uid: int, limits: sandbox.Limits, program: str) -> None:
    assert found.mode == "sandbox" and found.program == program and found.uid == uid
    assert sandbox.SANDBOX_UIDS[0] <= uid <= sandbox.SANDBOX_UIDS[1]
    assert found.namespaces == ["mnt", "pid", "net"] and found.chroot
    assert found.no_new_privs and found.capabilities_dropped
    assert found.rlimits["as"] == limits.memory_mb * 1024 * 1024 and found.rlimits["cpu"] == limits.cpu_seconds
    assert found.rlimits["nproc"] == limits.processes and found.rlimits["nofile"] == limits.open_files
    if sandbox.cgroups_available():
        assert found.cgroups == {"memory": limits.memory_mb * 1024 * 1024, "pids": limits.processes}
        assert found.weaknesses() == [] and found.summary().startswith("sandbox (uid ")
    else:
        assert all(isinstance(v, str) for v in found.cgroups.values()) and found.summary().startswith("WEAKER")


@needs_sandbox
def test_a_fresh_sandbox_records_what_was_enforced_and_cannot_forge_it(tmp_path):
    work, path = tmp_path / "work", tmp_path / "enforced.jsonl"
    work.mkdir()
    limits = sandbox.Limits(memory_mb=1536, cpu_seconds=100, processes=64)
    result = sandbox.run_python(FORGER, work, timeout=60, limits=limits, record=str(path))
    assert result.returncode == 0, result.stderr
    report = json.loads((work / "report.json").read_text())
    assert report["written"] == []  # no channel back: every inherited descriptor is closed
    lines = path.read_text().splitlines()
    assert len(lines) == 1  # one record, the trusted side's
    (found,) = sandbox.read_records(path)
    _expect_full(found, report["uid"], limits, "python -c")
    assert found.uid != 4242


@needs_sandbox
def test_the_fork_server_records_the_same_way_and_cannot_be_forged(tmp_path):
    server = forkserver.Server(tmp_path)
    try:
        work, path = tmp_path / "work", tmp_path / "enforced.jsonl"
        work.mkdir()
        (work / "forger.py").write_text(FORGER)
        limits = sandbox.Limits(memory_mb=1536, cpu_seconds=100, processes=64)
        description, scratch = sandbox.spec(work, limits=limits, network=False, log=work / "out.log",
                                            record=str(path), scratch_root=tmp_path)
        child = forkserver.spawn(server.path, description, "forger", [str(path)])
        try:
            assert child.wait(60) == 0, (work / "out.log").read_text()
        finally:
            child.close()
        report = json.loads((work / "report.json").read_text())
        assert report["written"] == []  # not the socket, not the record file (outside its root)
        (found,) = sandbox.read_records(path)
        _expect_full(found, report["uid"], limits, "forger")
        assert child.enforcement == dataclasses.asdict(found)  # what the client was told
    finally:
        server.stop()


@needs_sandbox
def test_a_sandbox_that_cannot_be_entered_records_a_failure_and_runs_nothing(tmp_path):
    work, path = tmp_path / "work", tmp_path / "enforced.jsonl"
    work.mkdir()
    cmd, scratch = sandbox.command(["-c", "open('ran', 'w').close()"], work, limits=sandbox.Limits(),
                                   network=False, record=str(path), chdir="/no/such/folder")
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    sandbox.release(scratch)
    assert result.returncode == 127 and "No such file" in result.stderr
    (found,) = sandbox.read_records(path)
    assert found.mode == "failed" and found.weaknesses()[0].startswith("the sandbox failed")
    assert not (work / "ran").exists()


@needs_sandbox
def test_the_one_supervisor_keeps_the_wall_clock_and_passes_signals_on(tmp_path):
    # A fresh sandbox (python -m helpers.sandbox run) under the same supervisor as the fork server's.
    work = tmp_path / "work"
    work.mkdir()
    started = time.monotonic()
    result = sandbox.run_python("import time; time.sleep(120)", work, timeout=60, record="",
                                limits=sandbox.Limits(wall_seconds=2))
    assert result.returncode == 128 + 9 and time.monotonic() - started < 20
    code = ("import os, signal, time\n"
            "signal.signal(signal.SIGTERM, lambda *_: (open('terminated', 'w').close(), os._exit(3)))\n"
            "open('started', 'w').close()\ntime.sleep(60)\n")
    cmd, scratch = sandbox.command(["-c", code], work, limits=sandbox.Limits(), network=False, record="")
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while not (work / "started").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 3 and (work / "terminated").exists()
    finally:
        process.kill()
        sandbox.release(scratch)


def test_without_root_the_sandbox_is_unavailable_and_says_why(monkeypatch):
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    assert launch.why_unavailable.__wrapped__() == "not root"
    plain = sandbox.plain("ipykernel_launcher", "not root", {"as": 1 << 30})
    assert plain.mode == "plain-process" and plain.namespaces == [] and not plain.chroot
    assert "plain process (not root): no namespaces" in plain.summary() and "rlimits only" in plain.summary()
    assert "no limits at all" in sandbox.plain("helpers.recheck_worker", "not root").summary()


def test_records_are_read_only_from_a_regular_file_and_bad_lines_are_skipped(tmp_path):
    good = record.Enforcement(mode="plain-process", program="p", uid=0, reason="r")
    path = tmp_path / "records.jsonl"
    record.write_record(path, good)
    with open(path, "a") as handle:
        handle.write("not json\n{\"mode\": \"sandbox\", \"bogus\": 1}\n")
    assert sandbox.read_records(path) == [good]
    (tmp_path / "link").symlink_to(path)
    assert sandbox.read_records(tmp_path / "link") == []  # never followed
    with pytest.raises(OSError):
        record.write_record(tmp_path / "link", good)


# --- attached to every graded submission, shown when weaker ---------------------------------------

ASSIGNMENT = "01_notation"


def _grade(tmp_path: Path, sandboxed: bool):
    course = grading.make_course_copy(PROJECT, tmp_path / "course", [ASSIGNMENT])
    submissions.place(course, "s1", ASSIGNMENT, submissions.solutions_notebook(PROJECT, ASSIGNMENT))
    lines = []
    outcomes = classgrader.grade_class(course, [ASSIGNMENT], workers=1, feedback=False, log=lines.append,
                                       progress=False, settings=classgrader.Settings(sandboxed=sandboxed))
    path = reports.write_csv(outcomes, course / "grades.csv")
    with open(path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    return outcomes, lines, rows


@needs_sandbox
@pytest.mark.slow
def test_every_graded_submission_carries_the_record_of_its_kernel_and_recheck(tmp_path):
    (outcome,), lines, rows = _grade(tmp_path, sandboxed=True)
    assert outcome.score == outcome.max_score
    found = [record.Enforcement(**r) for r in outcome.sandbox]
    assert sorted(r.program for r in found) == ["helpers.recheck_worker", "ipykernel_launcher"]
    limits = classgrader.Settings().limits()
    for item in found:
        _expect_full(item, item.uid, limits, item.program)
    assert len({item.uid for item in found}) == 2  # each sandbox a user of its own
    if sandbox.cgroups_available():
        assert rows[0]["sandbox"] == "full sandbox" and "[sandbox:" not in classgrader._line(outcome)
        assert f"sandbox {ASSIGNMENT}: full sandbox for all 1" in reports.summary([outcome])
        assert "less than the full sandbox" not in reports.table([outcome])
    assert not any("no sandbox" in line for line in lines)


@pytest.mark.slow
def test_the_weaker_mode_is_recorded_and_shown_never_silent(tmp_path):
    (outcome,), lines, rows = _grade(tmp_path, sandboxed=False)
    assert outcome.score == outcome.max_score  # grading itself is the same
    found = {r["program"]: record.Enforcement(**r) for r in outcome.sandbox}
    assert set(found) == {"helpers.recheck_worker", "ipykernel_launcher"}
    assert all(r.mode == "plain-process" and r.namespaces == [] and not r.chroot for r in found.values())
    kernel = found["ipykernel_launcher"]
    assert kernel.rlimits["as"] == classgrader.Settings().memory_mb * 1024 * 1024  # the plain kernel's rlimits
    assert kernel.rlimits["cpu"] == classgrader.Settings().cpu_seconds
    why = "turned off: Settings.sandboxed=False" if sandbox.available() else sandbox.why_unavailable()
    assert all(r.reason == why for r in found.values())
    assert found["helpers.recheck_worker"].rlimits == dict(kernel.rlimits)  # the plain re-check: the same
    # Shown in the run's log, the per-submission line, the CSV, the table and the summary.
    assert any(line.startswith(f"warning: no sandbox ({why})") for line in lines), lines
    assert "[sandbox: " in classgrader._line(outcome) and "plain process" in classgrader._line(outcome)
    assert rows[0]["sandbox"].startswith("WEAKER: ") and "no namespaces" in rows[0]["sandbox"]
    assert f"s1 / {ASSIGNMENT}: ipykernel_launcher: plain process" in reports.table([outcome])
    summary = reports.summary([outcome])
    assert f"sandbox {ASSIGNMENT}: WEAKER for 1 of 1: ipykernel_launcher: plain process ({why}): " \
           f"no namespaces, no chroot" in summary
    assert "helpers.recheck_worker: plain process" in summary and "rlimits only" in summary


def test_reports_show_a_missing_or_weaker_record_and_nothing_for_code_that_never_ran():
    full = dataclasses.asdict(record.Enforcement(
        mode="sandbox", program="k", uid=sandbox.SANDBOX_UIDS[0], namespaces=["mnt", "pid", "net"], chroot=True,
        no_new_privs=True, capabilities_dropped=True, cgroups={"memory": 1, "pids": 1}, rlimits={"as": 1}))
    no_net = dict(full, namespaces=["mnt", "pid"], cgroups={"memory": "not applied: EACCES", "pids": 1})
    outcomes = [grading.Outcome("a", "x", 1, 1, sandbox=[full]), grading.Outcome("b", "x", 1, 1, sandbox=[no_net]),
                grading.Outcome("c", "x", 1, 1), grading.Outcome("d", "x", status="refused", reason="r")]
    assert [reports.weaker_sandbox(o) for o in outcomes] == [
        "", "k: no net namespace; k: no memory cgroup (not applied: EACCES)",
        "no record of what was enforced", ""]
    summary = reports.summary(outcomes)
    assert "sandbox x: WEAKER for 1 of 3: k: no net namespace" in summary
    assert "sandbox x: WEAKER for 1 of 3: no record of what was enforced" in summary
    table = reports.table(outcomes)
    assert "  b / x: k: no net namespace" in table and "  c / x: no record" in table and "d / x: k" not in table


@pytest.mark.slow
def test_a_plain_kernel_talks_over_unix_sockets_and_prints_no_transport_warning(tmp_path, capfd):
    """Without the sandbox the kernel still gets a private folder of Unix sockets: no TCP port,
    and no ipykernel "running over TCP without encryption" line per submission."""
    (outcome,), lines, _ = _grade(tmp_path, sandboxed=False)
    assert outcome.score == outcome.max_score, outcome.cells
    captured = capfd.readouterr()
    text = captured.out + captured.err + "\n".join(lines)
    assert "without encryption" not in text, text[-2000:]
