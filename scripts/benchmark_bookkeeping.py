"""Benchmark: the main process's own cost per submission in a class run (grading stubbed out).

    .venv/bin/python scripts/benchmark_bookkeeping.py [--students 10000] [--assignment 01_notation]

Whatever the number of workers or Dask machines, one process takes every result in turn: it
records the outcome, writes the scores to the class gradebook and prints a line. That serial step
caps the throughput of a class run at 1 / (its cost per submission). This script measures it on a
simulated class: N submissions placed in a course folder, graded by ``classgrader.grade_class``
with ``grade_job`` replaced by a stub that returns a finished report at once (no kernel, no
copy: the workers do those). It prints, with the machine's load average beside each figure:

- finding and inspecting the class (hashing every submission, once per run);
- the main process's time per result (taking it, the progress line, handing it to the writer)
  and the throughput ceiling it implies (submissions per second);
- the gradebook writer's rate (its own process: scores in batches, then the resume records),
  from the first result to the last batch written, against the 200 submissions per second a
  large class needs (issue 17);
- for comparison, the gradebook writes alone per submission: bulk statements (how the writer
  writes them) and nbgrader's ORM (how they were written before), new and re-recorded.

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
    # The writer's own CPU time (its process is reaped in _Scores.close): a figure that depends
    # far less on the machine's load than its wall-clock rate.
    import resource

    def children_cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    writer_cpu, opened, closed = [], classgrader._Scores.__init__, classgrader._Scores.close

    def opening(self, *a, **k):
        writer_cpu.append(children_cpu())
        opened(self, *a, **k)

    def closing(self):
        closed(self)
        writer_cpu.append(children_cpu())

    classgrader._Scores.__init__, classgrader._Scores.close = opening, closing
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
    writer = (ended - calls[0]) / len(calls)
    print(f"  the gradebook writer (its own process: scores, then resume records, in batches of "
          f"{classgrader.SCORE_BATCH}) finished {ended - calls[-1]:.1f} s after the last result: "
          f"{writer * 1000:.2f} ms per submission = {1 / writer:.0f} submissions per second "
          f"({'keeps up with' if 1 / writer >= 200 else 'BELOW'} 200/s; {load()})")
    cpu = (writer_cpu[1] - writer_cpu[0]) / len(calls)
    print(f"  the writer's own CPU time: {writer_cpu[1] - writer_cpu[0]:.1f} CPU-s (its start-up included) = "
          f"{cpu * 1000:.2f} ms per submission: about {1 / cpu:.0f} submissions per second "
          f"with a core to itself")
    classgrader._Scores.__init__, classgrader._Scores.close = opened, closed
    # The gradebook writes alone, one batch of 200, new submissions then the same re-recorded.
    for label, store in (("bulk statements (the writer)", grading.store_many_scores),
                         ("nbgrader's ORM (before)", grading._store_many_scores_orm)):
        sample = [dataclasses.replace(o, student=f"{o.student}-{label[:4]}") for o in outcomes[:200]]
        times = []
        for _ in range(2):
            started = time.perf_counter()
            store(course, sample)
            times.append((time.perf_counter() - started) / len(sample))
        print(f"  gradebook holding {len(outcomes)} submissions, a batch of {len(sample)} by {label}: "
              f"{times[0] * 1000:.2f} ms each new, {times[1] * 1000:.2f} ms each re-recorded ({load()})")
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
