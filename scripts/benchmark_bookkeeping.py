"""Benchmark: the main process's own cost per submission in a class run (grading stubbed out).

    .venv/bin/python scripts/benchmark_bookkeeping.py [--students 10000] [--assignment 01_notation]

Whatever the number of workers or Dask machines, one process takes every result in turn: it
records the outcome, writes the scores to the class gradebook and prints a line. That serial step
caps the throughput of a class run at 1 / (its cost per submission). This script measures it on a
simulated class: N submissions placed in a course folder, graded by ``classgrader.grade_class``
with ``grade_job`` replaced by a stub that returns a finished report at once (no kernel, no
copy: the workers do those). It prints, with the machine's load average beside each figure:

- finding and inspecting the class (hashing every submission, once per run);
- the main process's time per result (``_finish``, the resume record, the batched gradebook
  writes, the progress line) and the throughput ceiling it implies (submissions per second);
- for comparison, one gradebook session per submission (how the scores were written before).

Timings are wall-clock on a shared machine: read them with the load printed beside them.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from helpers import classgrader, grading, submissions  # noqa: E402


def load() -> str:
    return "load %.2f %.2f %.2f" % os.getloadavg()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=10000)
    parser.add_argument("--assignment", default="01_notation")
    args = parser.parse_args()
    assignment = args.assignment
    work = Path(tempfile.mkdtemp(prefix="bookkeeping-"))
    course = grading.make_course_copy(ROOT, work / "course", [assignment])
    notebook = submissions.stubs_notebook(ROOT, assignment)
    print(f"placing {args.students} submissions of {assignment} in {course} ({load()})", flush=True)
    for i in range(args.students):
        submissions.place(course, f"s{i:05d}", assignment, notebook)
    cells = {cell: (1.0, 1.0) for cell in classgrader.test_cell_ids(course, assignment)} \
        if hasattr(classgrader, "test_cell_ids") else {}

    taken, calls = [], []

    def stub_job(shared, student, assignment):
        started = time.perf_counter()
        calls.append(started)
        outcome = grading.Outcome(student=student, assignment=assignment, status="graded",
                                  score=float(len(cells)), max_score=float(len(cells)), cells=dict(cells))
        taken.append(time.perf_counter() - started)
        return {"outcome": dataclasses.asdict(outcome), "scratch": str(work / "none"), "warnings": [],
                "home": True}

    classgrader.grade_job = stub_job
    settings = classgrader.Settings(sandboxed=False, recheck=False)
    lines = []
    started = time.perf_counter()
    inspected = []

    def log(line):
        if line.startswith("resuming") or not inspected:
            inspected.append(time.perf_counter())
        lines.append(line)

    outcomes = classgrader.grade_class(course, [assignment], workers=1, backend="serial", feedback=False,
                                       settings=settings, log=log, progress=False)
    total = time.perf_counter() - started
    graded = [o for o in outcomes if o.status == "graded"]
    assert len(graded) == args.students, (len(graded), outcomes[:3])
    ended = started + total
    per = (calls[-1] - calls[0]) / (len(calls) - 1)
    print(f"grade_class with a stub grader: {args.students} submissions in {total:.1f} s "
          f"(everything: discovery, inspection, templates, the loop, waiting for the gradebook writer)")
    print(f"  main process per result (taking it, progress line, handing it to the writer): "
          f"{per * 1000:.2f} ms -> ceiling about {1 / per:.0f} submissions per second ({load()})")
    print(f"  the gradebook writer (its own process) finished {ended - calls[-1]:.1f} s after the last "
          f"result: {(ended - calls[0]) / len(calls) * 1000:.2f} ms per submission, in the background")
    # The same outcomes, scores written one gradebook session per submission (as before batching).
    sample = outcomes[:200]
    started = time.perf_counter()
    for outcome in sample:
        grading.store_scores(course, outcome)
    single = (time.perf_counter() - started) / len(sample)
    started = time.perf_counter()
    grading.store_many_scores(course, sample)
    batched = (time.perf_counter() - started) / len(sample)
    print(f"  gradebook: one session per submission {single * 1000:.1f} ms each; "
          f"batched {batched * 1000:.2f} ms each ({load()})")
    again = time.perf_counter()
    classgrader.grade_class(course, [assignment], workers=1, backend="serial", feedback=False,
                            settings=settings, log=lambda *_: None, progress=False)
    print(f"  a second run (everything resumed from its records): {time.perf_counter() - again:.1f} s "
          f"({load()})")
    import shutil

    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
