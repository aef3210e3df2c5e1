"""The ``course`` command: set-up, generation and grading, one sub-command each.

    course data                  place and verify the cat data
    course generate [A ...]      regenerate release/ and solutions/ from source/
    course grade [PATH]          grade submitted/ (or PATH: a folder or zip of submissions);
                                 with no submissions at all, grade a demo class made on the fly
    course demo                  grade the demo class (in demo_class/)
    course bundle [A ...] [--out DIR]  build what students receive: one zip per assignment (bundles/)
    course nbtext to-text NB     print a notebook in the authoring text format
    course nbtext from-text TXT NB   write a notebook from that text format
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

from helpers import classgrader, data, grading, notebooks, reports, roster, submissions, translations


DEMO_MARKER = ".course-demo"


def _project(args) -> Path:
    root = Path(args.course).resolve() if args.course else data.project_root()
    if root is None or not (root / "nbgrader_config.py").exists():
        sys.exit("course: run this inside the course folder (where nbgrader_config.py is), "
                 "or pass --course PATH")
    return root


def cmd_data(args) -> int:
    try:
        folder = data.place_cat_data()
        data.verify(folder)
    except data.DataError as error:
        print(f"course data: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("course data: interrupted; no partial file was kept", file=sys.stderr)
        return 130
    print(f"cat data ready in {folder}")
    return 0


def cmd_generate(args) -> int:
    project = _project(args)
    grading.generate(project, args.assignments or None, solutions=not args.no_solutions)
    return 0


#: Where ``course grade`` writes its reports, inside the course folder: a folder of their own, so
#: that nothing collides with nbgrader's outputs (``nbgrader export`` writes ``grades.csv`` in
#: the course folder itself).
REPORTS = "reports"


def _report(outcomes, course_dir: Path, started: float, roster=()) -> int:
    if not outcomes:
        print("no submissions were graded")
        return 1
    folder = course_dir / REPORTS
    csv_path = reports.write_csv(outcomes, folder / "grades.csv")
    book_path = reports.write_gradebook(outcomes, folder / "gradebook.csv", roster)
    canvas_path = reports.write_canvas(outcomes, folder / "canvas.csv", roster)
    png_path = reports.plot_distribution(outcomes, folder / "grades.png")
    rates_path = reports.plot_pass_rates(outcomes, folder / "grades_exercises.png")
    print()
    print(reports.table(outcomes))
    missing = reports.missing_from_roster(outcomes, roster)
    if missing:
        print()
        print(f"On the roster, with no submission ({len(missing)}; listed as missing, not counted):")
        for student, assignment in missing[:20]:
            print(reports.printable(f"  {student} / {assignment}"))
        if len(missing) > 20:
            print(f"  ... and {len(missing) - 20} more (the gradebook lists them all)")
    print()
    print(reports.summary(outcomes))
    print()
    print(f"grades:       {csv_path}  (one row per submission)")
    print(f"gradebook:    {book_path}  (one row per student{', with the roster' if roster else ''})")
    print(f"for Canvas:   {canvas_path}  (its gradebook import)")
    print(f"distribution: {png_path}")
    print(f"exercises:    {rates_path}")
    print(f"feedback:     {course_dir / 'feedback'}/<student>/<assignment>/*.html")
    print(f"graded {len(outcomes)} submission(s) in {time.perf_counter() - started:.1f} s")
    return 0


def _require_data() -> None:
    problems = data.problems()
    if problems:
        sys.exit(f"course: the cat data is not ready ({'; '.join(problems)}). "
                 f"Run `make data` (or `course data`) first.")


def _grading_options(args) -> dict:
    settings = classgrader.Settings(memory_mb=args.memory_mb, cpu_seconds=args.cpu_seconds,
                                    notebook_seconds=args.notebook_seconds)
    return {"workers": args.workers, "backend": args.backend, "scheduler": args.scheduler,
            "regrade": args.regrade, "settings": settings,
            "students": getattr(args, "students", None), "timestamps": getattr(args, "timestamps", None)}


def _add_grading_options(p) -> None:
    p.add_argument("-a", "--assignment", dest="assignments", action="append",
                   help="grade only this assignment (repeatable)")
    p.add_argument("-j", "--workers", type=int, default=None,
                   help="parallel grading workers (default: the number of cores)")
    p.add_argument("--backend", choices=["processes", "serial", "dask"], default="processes",
                   help="where submissions are graded (default: worker processes on this machine)")
    p.add_argument("--scheduler", help="with --backend dask: a scheduler address (default: a local cluster)")
    p.add_argument("--regrade", action="store_true",
                   help="grade again the submissions already graded with the same content")
    defaults = classgrader.Settings()
    p.add_argument("--memory-mb", type=int, default=defaults.memory_mb,
                   help=f"memory of each kernel and re-check (default: {defaults.memory_mb})")
    p.add_argument("--cpu-seconds", type=int, default=defaults.cpu_seconds,
                   help=f"CPU time of each kernel and re-check process (default: {defaults.cpu_seconds})")
    p.add_argument("--notebook-seconds", type=int, default=defaults.notebook_seconds,
                   help=f"wall-clock time of one notebook's kernel (default: {defaults.notebook_seconds})")


def cmd_demo(args) -> int:
    project = _project(args)
    _require_data()
    started = time.perf_counter()
    course_dir = Path(args.out).resolve() if getattr(args, "out", None) else project / "demo_class"
    if course_dir.exists() and any(course_dir.iterdir()):
        if not (course_dir / DEMO_MARKER).exists():
            sys.exit(f"course demo: {course_dir} exists and is not a demo class; choose another --out")
        shutil.rmtree(course_dir)
    course_dir.mkdir(parents=True, exist_ok=True)
    (course_dir / DEMO_MARKER).write_text("made by `course demo`; deleted by the next one\n")
    wanted = args.assignments or grading.assignments(project)
    grading.make_course_copy(project, course_dir, wanted)
    students = submissions.make_demo_class(project, course_dir, wanted)
    print(f"demo class in {course_dir}: {', '.join(students)}; assignments: {', '.join(wanted)}")
    outcomes = _grade(course_dir, wanted, args, "course demo")
    return 130 if outcomes is None else _report(outcomes, course_dir, started)


def _grade(course_dir: Path, wanted, args, command: str):
    """The class's outcomes, or None after Ctrl-C (said how to resume)."""
    try:
        return classgrader.grade_class(course_dir, wanted, **_grading_options(args))
    except classgrader.Interrupted as stopped:
        again = "`course demo` starts the demo class afresh" if command == "course demo" else \
            "run the same command again to grade the rest (graded ones are not graded twice)"
        print(f"\n{command}: {stopped}; {again}", file=sys.stderr)
        return None


def cmd_grade(args) -> int:
    project = _project(args)
    if args.path is None and not grading.submissions(project):
        print("no submissions in submitted/: grading the demo class instead "
              "(pass a folder or a zip of submissions to grade a real class)")
        return cmd_demo(args)
    _require_data()
    try:
        class_roster = roster.find(project, Path(args.roster) if args.roster else None)
    except roster.RosterError as error:
        print(f"course grade: {error}", file=sys.stderr)
        return 2
    if args.timestamps:
        from helpers import late

        try:
            args.timestamps = late.read_overrides(Path(args.timestamps))
        except (OSError, ValueError) as error:
            print(f"course grade: --timestamps: {error}", file=sys.stderr)
            return 2
    for student in args.students or ():
        if submissions.id_problem(student):
            print(f"course grade: --student {submissions.id_problem(student)}", file=sys.stderr)
            return 2
    started = time.perf_counter()
    if args.path is not None:
        submissions.unpack(Path(args.path), project)
    outcomes = _grade(project, args.assignments or None, args, "course grade")
    if outcomes is not None and args.students:
        unknown = sorted(set(args.students) - {o.student for o in outcomes})
        if unknown:
            print(f"course grade: no submission from {', '.join(unknown)}", file=sys.stderr)
    if args.students:
        class_roster = [s for s in class_roster if s.id in set(args.students)]
    return 130 if outcomes is None else _report(outcomes, project, started, class_roster)


def cmd_bundle(args) -> int:
    from helpers import bundles

    project = _project(args)
    try:
        bundles.build_all(project, args.assignments or None,
                          Path(args.out).resolve() if args.out else None, language=args.language)
    except (bundles.BundleError, data.DataError) as error:
        print(f"course bundle: {error}", file=sys.stderr)
        return 1
    return 0


def cmd_nbtext(args) -> int:
    if args.direction == "to-text":
        sys.stdout.write(notebooks.to_text(notebooks.read(Path(args.paths[0]))))
    else:
        text_path, nb_path = args.paths
        notebooks.write(notebooks.from_text(Path(text_path).read_text(encoding="utf-8")), Path(nb_path))
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="course", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--course", help="the course folder (default: the checkout of this package)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("data", help="place and verify the cat data").set_defaults(func=cmd_data)
    p = sub.add_parser("generate", help="regenerate release/ and solutions/ from source/")
    p.add_argument("assignments", nargs="*")
    p.add_argument("--no-solutions", action="store_true", help="only release/")
    p.set_defaults(func=cmd_generate)
    p = sub.add_parser("grade", help="autograde a class, write feedback, the reports (reports/) and a table")
    p.add_argument("path", nargs="?", help="a folder or zip of submissions (default: submitted/)")
    p.add_argument("--student", dest="students", action="append",
                   help="grade (and report) only this student's submissions (repeatable)")
    p.add_argument("--roster", help="the class roster, a CSV with the columns id,name,email "
                                    "(default: roster.csv in the course folder, when there is one)")
    _add_grading_options(p)
    p.add_argument("--timestamps", help="a CSV student,assignment,timestamp of when submissions were handed in "
                   "(e.g. the exchange's collection times): wins over each submission's timestamp.txt")
    p.set_defaults(func=cmd_grade)
    p = sub.add_parser("demo", help="grade a demo class made on the fly")
    _add_grading_options(p)
    p.add_argument("--out", help="folder for the demo class (default: demo_class/; emptied first)")
    p.set_defaults(func=cmd_demo)
    p = sub.add_parser("bundle", help="build what students receive: one zip per released assignment")
    p.add_argument("assignments", nargs="*", metavar="ASSIGNMENT")
    p.add_argument("--out", help="folder for the zips (default: bundles/)")
    p.add_argument("--language", choices=sorted(translations.LANGUAGES),
                   help="the notebooks in another language (zips named <assignment>.<language>.zip)")
    p.set_defaults(func=cmd_bundle)
    p = sub.add_parser("nbtext", help="convert a notebook to or from the authoring text format")
    p.add_argument("direction", choices=["to-text", "from-text"])
    p.add_argument("paths", nargs="+")
    p.set_defaults(func=cmd_nbtext)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
