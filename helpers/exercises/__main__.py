"""``python -m helpers.exercises render [--check] ASSIGNMENT ...``: write the test cells of
``source/<assignment>/`` from ``helpers/exercises/<assignment>.py`` (``--check``: only say which
cells are stale, exit 1 if any). Then run ``course generate <assignment>``."""

from __future__ import annotations

import argparse
import sys

from helpers import data, exercises


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.exercises")
    sub = parser.add_subparsers(dest="command", required=True)
    render = sub.add_parser("render", help="write the test cells of source/ from the definitions")
    render.add_argument("assignments", nargs="+")
    render.add_argument("--check", action="store_true", help="only report stale cells")
    args = parser.parse_args(argv)
    project = data.project_root()
    stale = False
    for assignment in args.assignments:
        changed = exercises.render(project, assignment, write=not args.check)
        stale |= bool(changed)
        verb = "stale" if args.check else "rewritten"
        print(f"{assignment}: {len(changed)} test cell(s) {verb}{': ' + ', '.join(changed) if changed else ''}")
    if stale and args.check:
        return 1
    if stale:
        print("now run: .venv/bin/course generate " + " ".join(args.assignments))
    return 0


if __name__ == "__main__":
    sys.exit(main())
