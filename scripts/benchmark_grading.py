"""Benchmark: grading a synthetic class with plain nbgrader and with `course grade`.

    .venv/bin/python scripts/benchmark_grading.py [--students 40] [--assignment A ...] [--workers 2]

Builds a class of N students over the real notebooks (a mix: 50 % hand in the solutions, 25 % a
fixture with known bugs, 25 % the untouched stubs), then prints:

- plain serial nbgrader: one `nbgrader autograde <assignment>` command per assignment (the
  command line, as an instructor would run it), in its own copy of the class;
- the course's grading (`classgrader.grade_class`: sandboxed kernels, the trusted re-check,
  parallel workers), in another copy;
- the ratio of the two times (the issue's target: >= 1.8 on 2 cores);
- the time to grade the whole course for one student (the solutions, every assignment): cold
  (templates built for the first time), warm with the default workers, warm with one worker;
- whether the two gradings agree on every student's score.

Every figure is printed with the machine's load average beside it: timings are wall-clock on a
shared machine and the ratio falls as the load rises, so read each with its load. ``--feedback`` also times the class with HTML feedback, which
``course grade`` makes by default (about 1.2 CPU-s more per submission).
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from helpers import classgrader, grading, submissions  # noqa: E402


def build_class(course: Path, assignments: list, students: int) -> None:
    for assignment in assignments:
        fixtures = submissions.fixtures(ROOT, assignment)
        for i in range(students):
            student = f"student{i:03d}"
            kind = i % 4
            if kind in (0, 1) or not fixtures:
                nb = submissions.solutions_notebook(ROOT, assignment)
            elif kind == 2:
                fixture = fixtures[i % len(fixtures)]
                nb = submissions.apply_bugs(submissions.solutions_notebook(ROOT, assignment), fixture["replace"])
            else:
                nb = submissions.stubs_notebook(ROOT, assignment)
            submissions.place(course, student, assignment, nb)


def plain_nbgrader(course: Path, assignments: list) -> tuple[float, dict]:
    env = dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"])
    nbgrader = str(Path(sys.executable).parent / "nbgrader")
    for assignment in assignments:
        subprocess.run([nbgrader, "generate_assignment", assignment, "--force"], cwd=course, env=env,
                       check=True, capture_output=True)
    started = time.perf_counter()
    for assignment in assignments:
        subprocess.run([nbgrader, "autograde", assignment, "--force"], cwd=course, env=env,
                       capture_output=True)
    seconds = time.perf_counter() - started
    subprocess.run([nbgrader, "export", "--to", str(course / "export.csv")], cwd=course, env=env,
                   check=True, capture_output=True)
    scores = {}
    with open(course / "export.csv") as handle:
        for row in csv.DictReader(handle):
            scores[(row["student_id"], row["assignment"])] = float(row["score"] or 0)
    return seconds, scores


def load() -> str:
    """The machine's load average (1, 5, 15 min): the figures beside it depend on it."""
    return "load %.2f %.2f %.2f" % os.getloadavg()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--assignment", action="append", dest="assignments")
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    parser.add_argument("--skip-plain", action="store_true", help="do not time plain nbgrader")
    parser.add_argument("--feedback", action="store_true",
                        help="also time the class with HTML feedback, as `course grade` does by default")
    args = parser.parse_args()
    assignments = args.assignments or grading.assignments(ROOT)
    work = Path(tempfile.mkdtemp(prefix="bench-grading-"))
    print(f"class: {args.students} students x {len(assignments)} assignments "
          f"({args.students * len(assignments)} submissions); workers: {args.workers}; "
          f"OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}; load: {os.getloadavg()[0]:.1f}")
    try:
        ours = grading.make_course_copy(ROOT, work / "ours", assignments)
        build_class(ours, assignments, args.students)
        plain = None
        if not args.skip_plain:
            plain = grading.make_course_copy(ROOT, work / "plain", assignments)
            shutil.copytree(ours / "submitted", plain / "submitted")
            plain_seconds, plain_scores = plain_nbgrader(plain, assignments)
            print(f"plain serial nbgrader autograde:  {plain_seconds:8.1f} s   ({load()})")
        started = time.perf_counter()
        outcomes = classgrader.grade_class(ours, assignments, workers=args.workers, feedback=False,
                                           log=lambda *_: None, progress=True)
        course_seconds = time.perf_counter() - started
        print(f"course grading ({args.workers} workers):   {course_seconds:8.1f} s   "
              f"(no feedback, like plain autograde; {load()})")
        if args.feedback:
            started = time.perf_counter()
            classgrader.grade_class(ours, assignments, workers=args.workers, feedback=True, regrade=True,
                                    log=lambda *_: None, progress=True)
            print(f"  with feedback (course grade's default): {time.perf_counter() - started:8.1f} s   ({load()})")
        if plain is not None:
            print(f"ratio (plain / course):           {plain_seconds / course_seconds:8.2f}   (target >= 1.8)")
            ours_scores = {(o.student, o.assignment): o.score or 0.0 for o in outcomes}
            differ = {k: (plain_scores.get(k), v) for k, v in ours_scores.items() if plain_scores.get(k) != v}
            print(f"grades agree:                     {'yes' if not differ else 'NO'}"
                  + ("" if not differ else f"  ({len(differ)} differ, e.g. {list(differ.items())[:3]})"))
        one = grading.make_course_copy(ROOT, work / "one", assignments)
        for assignment in assignments:
            submissions.place(one, "solo", assignment, submissions.solutions_notebook(ROOT, assignment))
        # Cold: a course folder graded for the first time builds its per-assignment templates
        # (cached in .course-cache/ from then on). Warm: the same submissions graded again.
        for label, workers, regrade in (("cold, default workers", args.workers, False),
                                        ("warm, default workers", args.workers, True),
                                        ("warm, 1 worker", 1, True)):
            started = time.perf_counter()
            solo = classgrader.grade_class(one, assignments, workers=workers, feedback=False,
                                           log=lambda *_: None, progress=False, regrade=regrade)
            print(f"one student, whole course ({label}): {time.perf_counter() - started:6.1f} s   "
                  f"(target <= 45 s; {load()})")
        print("    per assignment (last run): " + ", ".join(
            f"{o.assignment[:2]} {o.score:g}/{o.max_score:g} {o.seconds:.1f} s" for o in solo))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
