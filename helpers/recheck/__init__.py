"""The trusted re-check: grading that student code cannot talk its way around.

nbgrader runs the hidden tests *inside* the student's kernel, where the student's code can
replace ``np.allclose``, the check functions or ``builtins``, call the reference implementation,
or read the gradebook. So every graded test cell is checked a second time, outside that kernel:

1. the student's code cells (not the test cells) run in a sandbox (:mod:`helpers.sandbox`:
   no course files, no reference code, no network, user ``nobody``, resource limits);
2. the grader calls each graded function there on inputs drawn with a fresh secret seed, and
   gets back only data (JSON and ``.npz`` without pickles);
3. the grader compares that data with its own reference values, in its own process.

A test cell keeps nbgrader's score only if its re-check passes; a cell nbgrader could not score
(its kernel died) gets its points if the re-check passes. Each assignment's calls are defined in
``helpers/recheck/<assignment>.py`` as ``cases(rng) -> list[Case]``; this package is never copied
into a sandbox or a student bundle.
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np

from helpers import checks, notebooks, sandbox
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


@dataclass
class CellResult:
    passed: bool
    message: str = ""


def spec(assignment: str):
    """The re-check module of ``assignment`` (ModuleNotFoundError if it has none)."""
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
    """The code the sandbox runs: code cells that are not test cells, up to the last solution cell."""
    cells = []
    last_solution = -1
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade_id") in test_ids or "### BEGIN HIDDEN TESTS" in cell.source:
            continue
        cells.append(cell.source)
        if meta.get("solution"):
            last_solution = len(cells)
    return cells[:last_solution] if last_solution > 0 else cells


def _run_worker(job_dir: Path, timeout: float, limits: sandbox.Limits, isolate: bool, data_dir: Path):
    argv = ["-m", "helpers.recheck_worker", str(job_dir)]
    env = {"NBGRADER_EXECUTION": "autograde"}
    if isolate:
        cmd, scratch = sandbox.command(argv, job_dir, limits=limits, network=False, env=env,
                                       data_dir=data_dir)
    else:  # no namespaces here: a plain process with the same limits (weaker; reported)
        scratch = Path(tempfile.mkdtemp(prefix="course-recheck-"))
        sandbox.safe_helpers(scratch)
        cmd = [sys.executable, "-S", *argv]
        env = dict(os.environ, PYTHONPATH=f"{scratch}:{sandbox.python_paths()['site']}",
                   COURSE_DATA_DIR=str(data_dir), MPLBACKEND="Agg", OPENBLAS_NUM_THREADS="1", **env)
    try:
        process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                   start_new_session=True, env=None if isolate else env)
        try:
            _, err = process.communicate(timeout=timeout)
            return process.returncode, err[-2000:], False
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.communicate()
            return -9, "", True
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _read_result(results: Path, index: int):
    path = results / f"{index}.json"
    if not path.exists():
        return None
    payload = json.loads(path.read_text())
    arrays = {}
    if (results / f"{index}.npz").exists():
        with np.load(results / f"{index}.npz", allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
    if "error" in payload:
        return ("error", str(payload["error"])[:500])
    return ("value", decode(payload.get("value"), arrays))


def recheck(notebook_path: Path, assignment: str, test_ids: set, *, folder_files: Path | None = None,
            seed: int | None = None, timeout: float = 600, limits: sandbox.Limits | None = None,
            data_dir: Path | None = None, isolate: bool | None = None) -> dict:
    """Re-check one submitted notebook; returns ``{test cell id: CellResult}``.

    ``folder_files``: a folder whose non-notebook files the notebook imports (copied beside it).
    ``seed``: the secret seed of the inputs (default: fresh from the OS).
    """
    from helpers import data as course_data

    module = spec(assignment)
    seed = int.from_bytes(os.urandom(4), "little") if seed is None else seed
    cases = module.cases(np.random.default_rng(seed))
    limits = limits or sandbox.Limits()
    isolate = sandbox.available() if isolate is None else isolate
    data_dir = Path(data_dir) if data_dir is not None else course_data.data_dir()
    nb = notebooks.read(notebook_path)
    cells = student_cells(nb, test_ids)
    outcome: dict[str, CellResult] = {}
    with tempfile.TemporaryDirectory(prefix="course-recheck-") as tmp:
        job_dir = Path(tmp) / "job"
        (job_dir / "notebook").mkdir(parents=True)
        if folder_files is not None and Path(folder_files).is_dir():
            for path in Path(folder_files).iterdir():
                if path.is_file() and path.suffix != ".ipynb":
                    shutil.copy(path, job_dir / "notebook" / path.name)
        encoder = Encoder()
        job_cases = [{"index": i, "call": c.call, "args": _encode_args(tuple(c.args), encoder),
                      "kwargs": _encode_args(dict(c.kwargs), encoder)} for i, c in enumerate(cases)]
        buffer = io.BytesIO()
        np.savez(buffer, **encoder.arrays)
        (job_dir / "inputs.npz").write_bytes(buffer.getvalue())
        remaining = list(range(len(cases)))
        attempts = 0
        while remaining and attempts <= len({c.cell for c in cases}):
            attempts += 1
            todo = [job_cases[i] for i in remaining]
            (job_dir / "job.json").write_text(json.dumps({"cells": cells, "cases": todo}))
            code, err, timed_out = _run_worker(job_dir, timeout, limits, isolate, data_dir)
            results = job_dir / "results"
            done = [i for i in remaining if (results / f"{i}.json").exists()]
            missing = [i for i in remaining if i not in done]
            if not missing:
                break
            # The process died (or timed out) during the first missing call: that cell fails,
            # and the remaining calls of other cells are tried again in a fresh process.
            culprit = cases[missing[0]]
            why = "timed out" if timed_out else f"died (exit code {code})"
            outcome.setdefault(culprit.cell, CellResult(False, f"the sandboxed run {why} while "
                                                              f"calling {culprit.call}"))
            remaining = [i for i in missing if cases[i].cell not in outcome]
        for index, case in enumerate(cases):
            if case.cell in outcome and not outcome[case.cell].passed:
                continue
            result = _read_result(job_dir / "results", index)
            verdict = _judge(case, result)
            if verdict:
                outcome[case.cell] = CellResult(False, verdict)
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
