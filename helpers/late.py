"""Late work: when a submission was handed in, how late it is and what it costs (docs/late_work.md).

Declared once, in ``nbgrader_config.py`` (``c.CourseLatePenalty``, the course's subclass of
nbgrader's ``LateSubmissionPlugin`` in :mod:`helpers.nbgrader_plugins`): the due dates and the
penalty. nbgrader reads a due date from its gradebook (``Assignment.duedate``; a student's
``extension`` is added to it), so :func:`apply_due_dates` writes the configured ones there.

When a submission was handed in:

1. the instructor's CSV (``course grade --timestamps FILE``: ``student,assignment,timestamp``,
   e.g. the exchange's collection times) when it has a row for the submission;
2. else nbgrader's ``timestamp.txt`` in the submission's folder. The student's side writes that
   file, so it is **untrusted**: it is read with the link-refusing, bounded helpers of
   :mod:`helpers.submissions` (never followed, a FIFO never opened, at most
   :data:`TIMESTAMP_BYTES`), must be UTF-8 text nbgrader's ``parse_utc`` reads, and a date
   outside :data:`EARLIEST` .. now + :data:`FUTURE_SLACK` is not believed;
3. else (no file, or one that is not usable): **on time**, with a note in the reports
   (``late_note``). A student can forge this file: see docs/late_work.md for what to do.

The penalty is computed on the trusted side, after the re-check, from the points as they stand in
the gradebook, by the same plugin method nbgrader's ``AssignLatePenalties`` calls, and stored
where nbgrader keeps it (``SubmittedAssignment.timestamp``, ``SubmittedNotebook.
late_submission_penalty``: see :func:`helpers.grading.store_late`), on every run: nothing of it
is taken from a resume record.
"""

from __future__ import annotations

import csv
import datetime
import os
from dataclasses import dataclass
from pathlib import Path

from helpers import submissions as files

#: The most of ``timestamp.txt`` that is read (nbgrader writes about 30 bytes).
TIMESTAMP_BYTES = 256
#: Timestamps before this are not believed (no course ran before it).
EARLIEST = datetime.datetime(2000, 1, 1)
#: How far in the future (of the grading machine's clock) a timestamp may be and still be believed.
FUTURE_SLACK = datetime.timedelta(days=1)
#: Where a timestamp came from (``Outcome.timestamp_source``).
FROM_FILE, FROM_CSV = "timestamp.txt", "--timestamps"


@dataclass
class Handed:
    """When one submission was handed in: ``timestamp`` (naive UTC, None: unknown), where it came
    from, and why a ``timestamp.txt`` was not used (``note``, "" when it was or there was none)."""

    timestamp: datetime.datetime | None = None
    source: str = ""
    note: str = ""


def policy(course_dir: Path):
    """The course's late-penalty plugin, configured from ``nbgrader_config.py`` (nbgrader's
    ``AssignLatePenalties.plugin_class``, as nbgrader makes it)."""
    from nbgrader.preprocessors import AssignLatePenalties

    from helpers import grading

    config = grading.load_config(course_dir)
    assigner = AssignLatePenalties(config=config)
    assigner.init_plugin()
    return assigner.plugin_inst


def parse(text: str, now: datetime.datetime | None = None) -> datetime.datetime:
    """A timestamp as nbgrader reads it (``nbgrader.utils.parse_utc``: naive UTC), within
    :data:`EARLIEST` .. ``now`` + :data:`FUTURE_SLACK`; ``ValueError`` (with a short reason)
    for anything else."""
    from nbgrader.utils import parse_utc

    text = text.strip()
    if not text:
        raise ValueError("it is empty")
    if len(text) > 64 or not text.isprintable():
        raise ValueError("it is not one short line of text")
    try:
        value = parse_utc(text)
    except Exception as error:  # noqa: BLE001 - dateutil raises several kinds on garbage
        raise ValueError("it is not a date nbgrader reads") from error
    if not isinstance(value, datetime.datetime):
        raise ValueError("it is not a date nbgrader reads")
    now = now or datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    if value < EARLIEST:
        raise ValueError(f"its date ({value:%Y-%m-%d}) is before {EARLIEST:%Y}")
    if value > now + FUTURE_SLACK:
        raise ValueError(f"its date ({value:%Y-%m-%d %H:%M}) is in the future")
    return value


def read_timestamp(course_dir: Path, student: str, assignment: str) -> Handed:
    """The ``timestamp.txt`` of ``submitted/<student>/<assignment>/`` (untrusted: nothing
    followed, a FIFO or device never opened, bounded), as a :class:`Handed`."""
    try:
        folder = files.open_folder(Path(course_dir), ("submitted", student, assignment))
    except OSError:
        return Handed()
    try:
        raw = files.read_file(folder, "timestamp.txt", TIMESTAMP_BYTES)
    except FileNotFoundError:
        return Handed()
    except files.Refused as refused:
        return Handed(note=f"timestamp.txt not used ({refused.args[1]}): counted as on time")
    except OSError as error:
        return Handed(note=f"timestamp.txt not used ({error.strerror or error}): counted as on time")
    finally:
        os.close(folder)
    try:
        return Handed(parse(raw.decode("utf-8")), FROM_FILE)
    except UnicodeDecodeError:
        return Handed(note="timestamp.txt not used (it is not UTF-8 text): counted as on time")
    except ValueError as error:
        return Handed(note=f"timestamp.txt not used ({error}): counted as on time")


def read_overrides(path: Path) -> dict:
    """``{(student, assignment): naive UTC datetime}`` from the instructor's CSV (columns
    ``student,assignment,timestamp``; other columns ignored). The file is the instructor's own,
    so a bad row stops the run with its line number (``ValueError``) rather than being skipped."""
    out = {}
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = {"student", "assignment", "timestamp"} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: the columns {', '.join(sorted(missing))} are missing "
                             f"(wanted: student,assignment,timestamp)")
        for row in reader:
            student, assignment = (row["student"] or "").strip(), (row["assignment"] or "").strip()
            if not student and not assignment:
                continue
            try:
                value = parse(row["timestamp"] or "")
            except ValueError as error:
                raise ValueError(f"{path}, line {reader.line_num}: the timestamp "
                                 f"{row['timestamp']!r} is not usable ({error})") from None
            out[(student, assignment)] = value
    return out


def handed(course_dir: Path, pairs, overrides: dict | None = None) -> dict:
    """``{(student, assignment): Handed}`` for ``pairs``: the instructor's CSV first, else the
    submission's ``timestamp.txt``."""
    overrides = overrides or {}
    out = {}
    for pair in pairs:
        if pair in overrides:
            out[pair] = Handed(overrides[pair], FROM_CSV)
        else:
            out[pair] = read_timestamp(course_dir, *pair)
    return out


def apply_due_dates(course_dir: Path, assignment_ids) -> dict:
    """Write the configured due dates (``c.CourseLatePenalty.due_dates``) of ``assignment_ids``
    into the class gradebook's ``Assignment.duedate`` (where nbgrader reads them); returns
    ``{assignment: due date or None}`` as the gradebook has it afterwards. ``ValueError`` for a
    configured date nbgrader cannot parse."""
    import warnings

    from nbgrader.api import Assignment, Gradebook
    from nbgrader.utils import parse_utc
    from sqlalchemy import select, update

    from helpers import grading

    from helpers.nbgrader_plugins import CourseLatePenalty

    # read from the course's section whichever plugin class computes the penalty
    declared = CourseLatePenalty(config=grading.load_config(course_dir)).due_dates
    wanted = {}
    for name, value in dict(declared or {}).items():
        try:
            wanted[name] = parse_utc(value)
        except Exception as error:  # noqa: BLE001
            raise ValueError(f"nbgrader_config.py: the due date of {name} ({value!r}) is not a date "
                             f"nbgrader reads ({error})") from None
    config = grading.load_config(course_dir)
    db_url = f"sqlite:///{Path(course_dir).resolve() / 'gradebook.db'}"
    table = Assignment.__table__
    with warnings.catch_warnings(), Gradebook(db_url, config.CourseDirectory.course_id) as gb:
        warnings.simplefilter("ignore")
        db = gb.db.connection()
        for name in assignment_ids:
            if name in wanted:
                db.execute(update(table).where(table.c.name == name).values(duedate=wanted[name]))
        found = {name: due for name, due in db.execute(
            select(table.c.name, table.c.duedate).where(table.c.name.in_(list(assignment_ids))))}
        gb.db.commit()
        return found


def stamp(outcome, when: Handed | None) -> None:
    """Put when ``outcome`` was handed in on it (``when`` None: unknown), its late figures reset
    (:func:`helpers.grading.store_late` computes them)."""
    forget(outcome)
    if when is not None:
        outcome.timestamp, outcome.timestamp_source, outcome.late_note = iso(when.timestamp), when.source, when.note
        if when.timestamp is None:
            outcome.timestamp_source = ""


def forget(outcome) -> None:
    """Clear every late figure of ``outcome`` (as read from a resume record: they are never reused)."""
    outcome.timestamp, outcome.timestamp_source, outcome.due = None, "", None
    outcome.seconds_late, outcome.penalty, outcome.late_note = 0.0, 0.0, ""


def iso(value: datetime.datetime | None) -> str | None:
    """A naive UTC datetime as the reports write it (``2026-03-13T22:59:00Z``)."""
    return None if value is None else value.isoformat() + "Z"


def describe(seconds: float) -> str:
    """``3 d 2 h``, ``1 h 5 min``, ``40 s``: how late, for the reports."""
    seconds = int(round(seconds))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    if minutes:
        return f"{minutes} min"
    return f"{secs} s"
