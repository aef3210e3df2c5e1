"""The trusted re-check: grading that student code cannot talk its way around.

nbgrader runs the hidden tests *inside* the student's kernel, where the student's code can
replace ``np.allclose``, the check functions or ``builtins``, call the reference implementation,
or read the gradebook. So every graded test cell is checked a second time, outside that kernel:

1. the student's code cells (not the test cells) run in a sandbox (:mod:`helpers.sandbox`:
   no course files, no reference code, no network, a user of its own, resource limits);
2. the grader calls each graded function there on inputs drawn with a fresh secret seed (under
   the rules its exercise declares, enforced by :func:`helpers.checks.call`), and gets back only data (JSON and ``.npz`` without pickles);
3. the grader compares that data with its own reference values, in its own process.

A spec may also define ``source_checks(sources, code) -> {test cell id: message or None}``,
judging the submitted text itself (``sources`` maps solution cell ids to their code, ``code`` is
every code cell but the test cells, in order), for rules about *how* a function is written (no
Python loops over examples) that values cannot show, and for concept questions (the literal
answer in the text); a cell judged there with None and no call passes.

A test cell keeps nbgrader's score only if its re-check passes; a cell nbgrader could not score
(its kernel died) gets its points if the re-check passes. Each assignment's calls are defined in
``helpers/recheck/<assignment>.py`` as ``cases(rng) -> list[Case]``; this package is never copied
into a sandbox or a student bundle. Assignments converted to one definition per exercise
(``helpers/exercises/<assignment>.py``) need no module here: :func:`spec` builds it from the
definition (the same cases and rules as the visible check and the hidden tests).
"""

from __future__ import annotations

import importlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np

from helpers import checks, notebooks, sandbox, submissions
from helpers.sandbox import forkserver
from helpers.recheck_worker import Encoder, Unsupported, decode


@dataclass
class Rng:
    """An argument the sandbox turns into a fresh generator: ``default_rng(seed)`` or, with
    ``kind="legacy"``, ``RandomState(seed)``. Build the same one with :meth:`make`."""

    seed: int
    kind: str = "default"

    def make(self):
        return np.random.RandomState(self.seed) if self.kind == "legacy" else np.random.default_rng(self.seed)


@dataclass
class Fn:
    """A function argument, given as the source of a lambda over ``np`` (the grader's own code)."""

    source: str

    def make(self):
        return eval(self.source, {"np": np})


@dataclass
class Case:
    """One call of a student's function and how to judge what comes back.

    Positional order: ``Case(cell, call, args, expected)``. ``expected`` is compared with :func:`helpers.checks.compare` (``rtol``/``atol``); or
    ``check(got)`` judges the value itself (it raises :class:`helpers.checks.CheckFailure`).
    """

    cell: str
    call: str
    args: tuple = ()
    expected: Any = None
    kwargs: dict = field(default_factory=dict)
    check: Callable | None = None
    rtol: float = 1e-6
    atol: float = 1e-8
    label: str = ""
    strict: bool = False  # the call runs with numpy warnings turned into errors
    rules: tuple = ()  # rules of helpers.checks.RULES the sandbox enforces on the call
    #: {name: Fn}: functions bound among the student's globals for this call only (the reference's
    #: building blocks under a training loop: helpers.checks.call(using=)); needs ``rules``
    using: dict = field(default_factory=dict)


@dataclass
class CellResult:
    passed: bool
    message: str = ""


def spec(assignment: str):
    """The re-check of ``assignment``: made from its exercise definitions
    (``helpers/exercises/<assignment>.py``) when it has them, else the module
    ``helpers.recheck.<assignment>`` (ModuleNotFoundError if it has neither)."""
    from helpers import exercises

    if exercises.has_definition(assignment):
        return exercises.RecheckSpec(assignment)
    return importlib.import_module(f"helpers.recheck.{assignment}")


def has_spec(assignment: str) -> bool:
    try:
        spec(assignment)
        return True
    except ModuleNotFoundError:
        return False


def _encode_args(value, encoder: Encoder):
    if isinstance(value, Rng):
        return {"__rng__": [value.kind, value.seed]}
    if isinstance(value, Fn):
        return {"__fn__": value.source}
    if isinstance(value, tuple):
        return {"__tuple__": [_encode_args(v, encoder) for v in value]}
    if isinstance(value, list):
        return [_encode_args(v, encoder) for v in value]
    if isinstance(value, dict):
        return {"__dict__": [[k, _encode_args(v, encoder)] for k, v in value.items()]}
    return encoder.encode(value)


def student_cells(nb, test_ids: set) -> list[str]:
    """The code the sandbox runs before the calls, in notebook order (test cells left out).

    Solution cells run whole: they are the student's answer. Every other code cell (provided, or
    added by the student) is cut down to what the answers can depend on: imports, function and
    class definitions, assignments without calls, and any statement that defines a global name
    a solution cell uses. Demonstrations, plots and training runs are left out, so the re-check
    costs seconds even for the notebooks that train models.
    """
    import ast

    code_cells = [c for c in nb.cells if c.cell_type == "code"
                  and c.metadata.get("nbgrader", {}).get("grade_id") not in test_ids
                  and "### BEGIN HIDDEN TESTS" not in c.source]
    solutions = [c for c in code_cells if c.metadata.get("nbgrader", {}).get("solution")]

    def names(node) -> set:
        return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}

    used = set()
    for cell in solutions:
        tree = _parse(cell.source)
        if tree is not None:
            used |= names(tree)
    trees = {id(cell): _parse(cell.source) for cell in code_cells if cell not in solutions}
    # What the kept statements use is needed too (a helper in a cell the student added that
    # reads a constant computed in another): grow the set until nothing new is needed.
    while True:
        grown = set(used)
        for tree in trees.values():
            for stmt in tree.body if tree is not None else ():
                if _needed(stmt, grown):
                    grown |= names(stmt)
        if grown == used:
            break
        used = grown
    kept = []
    for cell in code_cells:
        if cell in solutions:
            kept.append(cell.source)
            continue
        tree = trees[id(cell)]
        if tree is None:
            continue
        body = [stmt for stmt in tree.body if _needed(stmt, used)]
        if body:
            kept.append(ast.unparse(ast.Module(body=body, type_ignores=[])))
    return kept


def _parse(source: str):
    import ast

    from IPython.core.inputtransformer2 import TransformerManager

    try:
        return ast.parse(TransformerManager().transform_cell(source))
    except (SyntaxError, ValueError):
        return None


def _needed(stmt, used: set) -> bool:
    import ast

    if isinstance(stmt, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return True
    if isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        names = {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
        has_call = any(isinstance(n, ast.Call) for n in ast.walk(stmt))
        return (not has_call) or bool(names & used)
    return False


def solution_sources(nb) -> dict:
    """``{solution cell id: source}`` of a notebook (what the student wrote, as text)."""
    return {cell.metadata["nbgrader"]["grade_id"]: cell.source for cell in nb.cells
            if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution")}


#: The most Python modules handed in beside a notebook that the re-check copies, and their size.
STUDENT_MODULES, STUDENT_MODULE_BYTES = 20, 1 << 20

#: The most the grader reads of one file the re-check sandbox wrote (its folder is writable
#: from inside): the progress line, and a case's result (JSON and arrays).
PROGRESS_BYTES = 200
RESULT_BYTES = 256 << 20


def _read_back(job_dir: Path, path: str, limit: int) -> bytes | None:
    """Bytes of the regular file ``job_dir/path`` written by the sandbox, or None when it is
    missing, not a regular file (a link, a FIFO that would block...), under a folder that is a
    link, or larger than ``limit``: the grader never follows, blocks on or trusts the size of
    what student code left there. ``job_dir`` is the grader's own folder."""
    *parts, name = path.split("/")
    try:
        fd = submissions.open_folder(job_dir, parts)
    except OSError:
        return None
    try:
        return submissions.read_file(fd, name, limit)
    except (OSError, submissions.Refused):
        return None
    finally:
        os.close(fd)


def _write_job_file(path: Path, payload: bytes) -> None:
    """Write ``payload`` to ``path`` in the job folder, which the sandbox can write: whatever
    the last run left under that name (a link to a file of the grader's, say) is removed, never
    written through."""
    try:
        os.unlink(path)  # removes a link itself, not what it points to
    except FileNotFoundError:
        pass
    except IsADirectoryError:
        shutil.rmtree(path)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(payload)


def _progress(job_dir: Path) -> str | None:
    raw = _read_back(job_dir, "progress", PROGRESS_BYTES)
    return None if raw is None else raw.decode("utf-8", "replace")[:40]


def _worker_command(job_dir: Path, limits: sandbox.Limits, isolate: bool, data_dir: Path):
    argv = ["-m", "helpers.recheck_worker", str(job_dir)]
    env = {"NBGRADER_EXECUTION": "autograde"}
    if isolate:
        cmd, scratch = sandbox.command(argv, job_dir, limits=limits, network=False, env=env,
                                       data_dir=data_dir)
        return cmd, scratch, None
    # No namespaces here: a plain process under rlimits (weaker; its record and the grade command
    # say so, see helpers.sandbox.launch.plain_process).
    scratch = Path(tempfile.mkdtemp(prefix="course-recheck-"))
    sandbox.safe_helpers(scratch)
    env = dict(os.environ, PYTHONPATH=f"{scratch}:{sandbox.python_paths()['site']}",
               COURSE_DATA_DIR=str(data_dir), MPLBACKEND="Agg", OPENBLAS_NUM_THREADS="1", **env)
    return [sys.executable, "-S", *argv], scratch, env


def _run_worker(job_dir: Path, *, deadline: float, cell_limit: float, case_limit: float,
                limits: sandbox.Limits, isolate: bool, data_dir: Path, server: str | None = None):
    """Run the worker once, watching its progress file.

    Returns ``(where, why)``: ``where`` is the worker's last reported step (``"cell 3"``,
    ``"case 7"`` or ``"done"``) and ``why`` is None when it finished, else ``"timed out"`` /
    ``"died (exit code N)"``. A step that outlives its limit (the student's code swallowing the
    alarm) gets the process killed.
    """
    import time

    (job_dir / "progress").unlink(missing_ok=True)
    process = None
    if isolate and server:
        description, scratch = sandbox.spec(job_dir, limits=limits, network=False, data_dir=data_dir,
                                            env={"NBGRADER_EXECUTION": "autograde"}, log=Path(os.devnull))
        try:
            process = forkserver.spawn(server, description, "helpers.recheck_worker", [job_dir])
        except OSError:  # the server is gone: a fresh process does the same, slower
            shutil.rmtree(scratch, ignore_errors=True)
    if process is None:
        cmd, scratch, env = _worker_command(job_dir, limits, isolate, data_dir)
        if isolate:
            process = _Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             start_new_session=True, env=env)
        else:
            process = sandbox.launch.plain_process(
                cmd, limits, "helpers.recheck_worker", sandbox.why_plain(),
                popen=_Popen, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        step, since = None, time.monotonic()
        while True:
            code = process.wait(timeout=0.2)
            if code is not None:
                break
            current = _progress(job_dir)
            now = time.monotonic()
            if current != step:
                step, since = current, now
            limit = case_limit if (step or "").startswith("case") else cell_limit
            if now - since > limit or now > deadline:
                process.kill()
                return step or "start", "timed out"
        step = _progress(job_dir) or step or "start"
        return step, None if code == 0 else f"died (exit code {code})"
    finally:
        if isinstance(process, forkserver.Child):
            process.close()
        sandbox.release(scratch)
        shutil.rmtree(scratch, ignore_errors=True)


class _Popen(subprocess.Popen):
    """A fresh worker process, with the fork server's child interface (wait, kill)."""

    def wait(self, timeout=None):
        try:
            return super().wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def kill(self):
        os.killpg(self.pid, 9)
        super().wait()


def _read_result(job_dir: Path, index: int):
    raw = _read_back(job_dir, f"results/{index}.json", RESULT_BYTES)
    if raw is None:
        return None
    try:
        payload = json.loads(raw)
    except ValueError:
        return ("error", "the sandboxed run left an unreadable result")
    if not isinstance(payload, dict):
        return ("error", "the sandboxed run left an unreadable result")
    arrays = {}
    packed = _read_back(job_dir, f"results/{index}.npz", RESULT_BYTES)
    if packed is not None:
        try:
            with np.load(io.BytesIO(packed), allow_pickle=False) as data:
                arrays = {k: data[k] for k in data.files}
        except (ValueError, OSError, EOFError):
            return ("error", "the sandboxed run left unreadable arrays")
    if "error" in payload:
        return ("error", str(payload["error"])[:500])
    return ("value", decode(payload.get("value"), arrays))


def recheck(notebook_path: Path, assignment: str, test_ids: set, *, folder_files: Path | None = None,
            seed: int | None = None, timeout: float = 600, case_timeout: int = 60,
            cell_timeout: int = 120,
            limits: sandbox.Limits | None = None,
            data_dir: Path | None = None, isolate: bool | None = None,
            server: str | None = None) -> dict:
    """Re-check one submitted notebook; returns ``{test cell id: CellResult}``.

    ``folder_files``: a folder whose non-notebook files the notebook imports (copied beside it).
    ``seed``: the secret seed of the inputs (default: fresh from the OS).
    ``server``: a :mod:`helpers.forkserver` socket to start the sandboxed run from (faster);
    None starts a fresh process.
    """
    from helpers import data as course_data

    module = spec(assignment)
    seed = int.from_bytes(os.urandom(4), "little") if seed is None else seed
    cases = module.cases(np.random.default_rng(seed))
    # The sandbox is killed at the re-check's deadline even if the grader's watch were held up.
    limits = dataclasses.replace(limits or sandbox.Limits(), wall_seconds=int(timeout) + 30)
    isolate = sandbox.available() if isolate is None else isolate
    data_dir = Path(data_dir) if data_dir is not None else course_data.data_dir()
    nb = notebooks.read(notebook_path)
    cells = student_cells(nb, test_ids)
    outcome: dict[str, CellResult] = {}
    with tempfile.TemporaryDirectory(prefix="course-recheck-") as tmp:
        job_dir = Path(tmp) / "job"
        (job_dir / "notebook").mkdir(parents=True)
        # Beside the notebook, as in its kernel: the Python modules the student handed in with it
        # (regular files only, nothing followed), then the course's own files over them.
        student_folder = Path(notebook_path).parent
        for name in sorted(os.listdir(student_folder)):
            if name.endswith(".py") and len(os.listdir(job_dir / "notebook")) < STUDENT_MODULES:
                try:
                    fd = submissions.open_folder(student_folder, [])
                    try:
                        data = submissions.read_file(fd, name, STUDENT_MODULE_BYTES)
                    finally:
                        os.close(fd)
                except (OSError, submissions.Refused):
                    data = None
                if data is not None:
                    (job_dir / "notebook" / name).write_bytes(data)
        if folder_files is not None and Path(folder_files).is_dir():
            for path in Path(folder_files).iterdir():
                if path.is_file() and path.suffix != ".ipynb":
                    shutil.copy(path, job_dir / "notebook" / path.name)
        encoder = Encoder()
        job_cases = [{"index": i, "call": c.call, "args": _encode_args(tuple(c.args), encoder),
                      "kwargs": _encode_args(dict(c.kwargs), encoder), "strict": c.strict,
                      "rules": list(c.rules),
                      **({"using": _encode_args(dict(c.using), encoder)} if c.using else {})}
                     for i, c in enumerate(cases)]
        buffer = io.BytesIO()
        np.savez(buffer, **encoder.arrays)
        (job_dir / "inputs.npz").write_bytes(buffer.getvalue())
        remaining = list(range(len(cases)))
        skipped: set = set()
        deadline = time.monotonic() + timeout
        for _attempt in range(len(cells) + len(cases) + 1):
            todo = [job_cases[i] for i in remaining]
            job_cells = [None if k in skipped else source for k, source in enumerate(cells)]
            _write_job_file(job_dir / "job.json", json.dumps({
                "cells": job_cells, "cases": todo, "case_timeout": case_timeout,
                "cell_timeout": cell_timeout}).encode())
            where, why = _run_worker(job_dir, deadline=deadline, cell_limit=cell_timeout + 10,
                                     case_limit=case_timeout + 10, limits=limits, isolate=isolate,
                                     data_dir=data_dir, server=server)
            missing = [i for i in remaining if _read_back(job_dir, f"results/{i}.json", RESULT_BYTES) is None]
            if not missing or time.monotonic() > deadline:
                break
            kind, _, number = (where or "").partition(" ")
            if kind == "cell" and number.isdigit() and why and int(number) not in skipped:
                # A notebook cell hung or killed the process before any call: skip that cell next
                # time (the functions it defines, if any, are then missing and fail their cells).
                skipped.add(int(number))
            else:
                index = int(number) if kind == "case" and number.isdigit() else missing[0]
                culprit = cases[index] if index < len(cases) else cases[missing[0]]
                outcome.setdefault(culprit.cell, CellResult(
                    False, f"the sandboxed run {why or 'stopped'} while calling {culprit.call}"))
            remaining = [i for i in missing if cases[i].cell not in outcome]
            if not remaining:
                break
        for index, case in enumerate(cases):
            if case.cell in outcome and not outcome[case.cell].passed:
                continue
            result = _read_result(job_dir, index)
            verdict = _judge(case, result)
            if verdict:
                outcome[case.cell] = CellResult(False, verdict)
    if hasattr(module, "source_checks"):
        # Judged on the submitted text, in the grader's process: nothing the student's code does
        # at run time can change it.
        code = [c.source for c in nb.cells if c.cell_type == "code"
                and c.metadata.get("nbgrader", {}).get("grade_id") not in test_ids
                and "### BEGIN HIDDEN TESTS" not in c.source]
        judged = module.source_checks(solution_sources(nb), code)
        for cell, message in judged.items():
            if message and (cell not in outcome or outcome[cell].passed):
                outcome[cell] = CellResult(False, message)
            elif message is None and cell in test_ids:
                # judged on the text alone (a concept question): passed, unless a call failed
                outcome.setdefault(cell, CellResult(True))
    for case in cases:
        outcome.setdefault(case.cell, CellResult(True))
    for test_id in test_ids:
        outcome.setdefault(test_id, CellResult(False, "no re-check is defined for this cell"))
    return outcome


def _judge(case: Case, result) -> str | None:
    """None when the result is right, else what is wrong (one line or a short block)."""
    label = case.label or f"{case.call}(...)"
    if result is None:
        return f"{label}: no result came back"
    kind, value = result
    if kind == "error":
        if value.startswith("CheckFailure: "):  # a rule the call broke, explained
            return value[len("CheckFailure: "):]
        return f"{label} raised {value}"
    if isinstance(value, Unsupported):
        return f"{label} returned {value!r}, which is not a value the exercise asks for"
    try:
        if case.check is not None:
            case.check(value)
        else:
            checks.compare(value, case.expected, label, rtol=case.rtol, atol=case.atol)
    except checks.CheckFailure as failure:
        return str(failure)
    except Exception as error:  # a malformed value that breaks the check itself
        return f"{label}: the result could not be checked ({type(error).__name__}: {error})"
    return None
