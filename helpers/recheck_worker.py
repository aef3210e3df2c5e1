"""Runs inside the sandbox for the trusted re-check (see ``helpers.recheck``). Holds no secret.

``python -m helpers.recheck_worker JOB_DIR`` reads ``JOB_DIR/job.json`` (the student's code
cells and the calls to make) and ``JOB_DIR/inputs.npz`` (the arrays of the arguments), runs the
cells in an IPython shell, then calls each function (under the rules a case names, with
:func:`helpers.checks.call`, the visible checks' own code) and writes each result as
``JOB_DIR/results/<index>.json`` (+ ``.npz`` for its arrays), one file per call, as soon as it
is done. Nothing it writes is trusted: the grader parses it with ``json`` and
``numpy.load(allow_pickle=False)`` only and compares it with reference values of its own.

Encoding of values (both ways): JSON numbers, strings, booleans and null as themselves;
``{"__nd__": key}`` an array stored in the npz; ``{"__tuple__": [...]}``; ``{"__dict__": [[k, v], ...]}``;
``{"__np__": dtype, "v": value}`` a numpy scalar; in arguments only, ``{"__rng__": [kind, seed]}``
a fresh random generator and ``{"__fn__": source}`` a function given as a lambda's source.
A case's optional ``"using"`` ({name: function}, encoded the same way) is bound among the
student's globals for that call only (:func:`helpers.checks.call`'s ``using``).
"""

from __future__ import annotations

import io
import json
import os
import signal
import sys
from pathlib import Path

import numpy as np

# Taken before any student code runs: a cell that rebinds helpers.checks.call cannot change it.
from helpers.checks import call as _call_under_rules

class Encoder:
    """Turn a result into JSON + arrays; anything else becomes an ``__unsupported__`` marker."""

    def __init__(self):
        self.arrays = {}

    def encode(self, value, depth=0):
        if depth > 20:
            return {"__unsupported__": "nested too deeply"}
        if value is None or isinstance(value, (bool, str)):
            return value
        if isinstance(value, int):
            return value
        if isinstance(value, float):
            return value
        if isinstance(value, np.ndarray):
            if value.dtype.kind not in "biuf":
                return {"__unsupported__": f"array of dtype {value.dtype}"}
            key = f"a{len(self.arrays)}"
            self.arrays[key] = value
            return {"__nd__": key}
        if isinstance(value, np.generic):
            if value.dtype.kind not in "biuf":
                return {"__unsupported__": f"numpy scalar of dtype {value.dtype}"}
            return {"__np__": str(value.dtype), "v": value.item()}
        if isinstance(value, tuple):
            return {"__tuple__": [self.encode(v, depth + 1) for v in value]}
        if isinstance(value, list):
            return [self.encode(v, depth + 1) for v in value]
        if isinstance(value, dict):
            return {"__dict__": [[self.encode(k, depth + 1), self.encode(v, depth + 1)]
                                 for k, v in value.items()]}
        return {"__unsupported__": type(value).__name__}


def decode(value, arrays, namespace=None):
    """Inverse of :class:`Encoder` (also used by the grader on results; no code runs for those)."""
    if isinstance(value, list):
        return [decode(v, arrays, namespace) for v in value]
    if not isinstance(value, dict):
        return value
    if "__nd__" in value:
        return np.array(arrays[value["__nd__"]])
    if "__tuple__" in value:
        return tuple(decode(v, arrays, namespace) for v in value["__tuple__"])
    if "__dict__" in value:
        return {_hashable(decode(k, arrays, namespace)): decode(v, arrays, namespace)
                for k, v in value["__dict__"]}
    if "__np__" in value:
        dtype = np.dtype(str(value["__np__"]))
        if dtype.kind not in "biuf":
            return Unsupported(f"numpy scalar of dtype {dtype}")
        return dtype.type(value["v"])
    if "__rng__" in value and namespace is not None:
        kind, seed = value["__rng__"]
        return np.random.RandomState(seed) if kind == "legacy" else np.random.default_rng(seed)
    if "__fn__" in value and namespace is not None:
        return eval(value["__fn__"], {"np": np})  # the grader's own lambda, not student code
    if "__unsupported__" in value:
        return Unsupported(value["__unsupported__"])
    return value


def _hashable(key):
    return tuple(key) if isinstance(key, list) else key


class Unsupported:
    """A result the sandbox could not encode (for example a function or an object array)."""

    def __init__(self, what):
        self.what = what

    def __repr__(self):
        return f"<a value of type {self.what}>"


def _write(results: Path, index: int, payload: dict, arrays: dict) -> None:
    if arrays:
        buffer = io.BytesIO()
        np.savez(buffer, **arrays)
        (results / f"{index}.npz.part").write_bytes(buffer.getvalue())
        os.replace(results / f"{index}.npz.part", results / f"{index}.npz")
    (results / f"{index}.json.part").write_text(json.dumps(payload))
    os.replace(results / f"{index}.json.part", results / f"{index}.json")


def _on_alarm(signum, frame):
    raise TimeoutError("this call took too long")


def main(job_dir: str) -> int:
    job_dir = Path(job_dir)
    job = json.loads((job_dir / "job.json").read_text())
    inputs = dict(np.load(job_dir / "inputs.npz", allow_pickle=False)) if (job_dir / "inputs.npz").exists() else {}
    results = job_dir / "results"
    results.mkdir(exist_ok=True)
    os.chdir(job_dir / "notebook")
    sys.path.insert(0, os.getcwd())  # as in a notebook's kernel: modules beside it import

    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    log = open(job_dir / "cells.log", "w")
    real_stdout, real_stderr = sys.stdout, sys.stderr
    sys.stdout = sys.stderr = log  # the student's prints go to a file the grader may ignore
    progress = job_dir / "progress"
    signal.signal(signal.SIGALRM, _on_alarm)
    try:
        for index, source in enumerate(job["cells"]):
            if source is None:  # a cell the grader skips (it hung or killed an earlier run)
                continue
            progress.write_text(f"cell {index}")
            signal.alarm(int(job.get("cell_timeout", 120)))
            try:
                shell.run_cell(source, store_history=False, silent=True)
            except BaseException:  # noqa: BLE001 - a cell's failure is the student's, go on
                pass
            finally:
                signal.alarm(0)
    finally:
        sys.stdout, sys.stderr = real_stdout, real_stderr
    namespace = shell.user_ns
    for case in job["cases"]:
        progress.write_text(f"case {case['index']}")
        encoder = Encoder()
        func = namespace.get(case["call"])
        if not callable(func):
            payload = {"error": f"NameError: no function named {case['call']!r} is defined"}
        else:
            try:
                args = decode(case["args"], inputs, namespace)
                kwargs = decode(case["kwargs"], inputs, namespace)
                sys.stdout = sys.stderr = log
                signal.alarm(int(job.get("case_timeout", 60)))
                try:
                    if case.get("rules"):  # the exercise's rules, as the visible check enforces them
                        using = decode(case["using"], inputs, namespace) if case.get("using") else None
                        value = _call_under_rules(func, *args, rules=tuple(case["rules"]), using=using,
                                                  **kwargs)
                    elif case.get("strict"):  # a numpy warning is an error for this call
                        import warnings

                        with warnings.catch_warnings(), np.errstate(all="raise"):
                            warnings.simplefilter("error")
                            value = func(*args, **kwargs)
                    else:
                        value = func(*args, **kwargs)
                finally:
                    signal.alarm(0)
                    sys.stdout, sys.stderr = real_stdout, real_stderr
                payload = {"value": encoder.encode(value)}
            except BaseException as error:  # noqa: BLE001 - report whatever the student's code raised
                sys.stdout, sys.stderr = real_stdout, real_stderr
                payload = {"error": f"{type(error).__name__}: {str(error)[:500]}"}
        _write(results, case["index"], payload, encoder.arrays)
    progress.write_text("done")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
