"""The class roster: who is in the class, by id, with a name and an email for the records.

A roster is a CSV file, ``roster.csv`` in the course folder by default, with a header row and
the columns ``id`` (the student's id, as their submissions' folder is named), ``name`` and
``email`` (both optional, in that order or any other)::

    id,name,email
    ada,Ada Lovelace,ada@example.org
    alan,Alan Turing,alan@example.org

The reports list every rostered student, with or without a submission (one without is
"missing": listed, and not counted in the statistics), and carry the names and emails into the
wide gradebook and the LMS export.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

#: Where ``course grade`` looks for the roster when none is given.
DEFAULT_NAME = "roster.csv"
#: The largest roster read (a class of tens of thousands fits many times over).
MAX_BYTES = 16 << 20


@dataclass(frozen=True)
class Student:
    id: str
    name: str = ""
    email: str = ""


class RosterError(ValueError):
    """A roster that cannot be used; the message names the file, the line and what is wrong."""


def read(path: Path) -> list[Student]:
    """The students of the roster at ``path``, in its order. Raises :class:`RosterError` for a
    missing ``id`` column, an invalid or repeated id, or a file that is not UTF-8 text."""
    from helpers import submissions

    path = Path(path)
    try:
        raw = path.read_bytes()[:MAX_BYTES + 1]
    except OSError as error:
        raise RosterError(f"{path}: cannot be read ({error.strerror or error})") from None
    if len(raw) > MAX_BYTES:
        raise RosterError(f"{path}: larger than {MAX_BYTES >> 20} MB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise RosterError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from None
    rows = csv.DictReader(text.splitlines())
    fields = [f.strip().lower() for f in rows.fieldnames or []]
    if "id" not in fields:
        raise RosterError(f"{path}: the first line must name the columns, with at least 'id' "
                          f"(id,name,email); found {rows.fieldnames!r}")
    rows.fieldnames = fields
    students, seen = [], set()
    for line, row in enumerate(rows, start=2):
        student_id = (row.get("id") or "").strip()
        if not student_id and not any((v or "").strip() for k, v in row.items() if k):
            continue  # a blank line
        problem = submissions.id_problem(student_id)
        if problem:
            raise RosterError(f"{path}, line {line}: {problem}")
        if student_id in seen:
            raise RosterError(f"{path}, line {line}: {student_id} is listed twice")
        seen.add(student_id)
        students.append(Student(student_id, (row.get("name") or "").strip(), (row.get("email") or "").strip()))
    return students


def find(course_dir: Path, path: Path | None = None) -> list[Student]:
    """The roster given, else ``<course_dir>/roster.csv`` when it exists, else none."""
    if path is not None:
        return read(path)
    default = Path(course_dir) / DEFAULT_NAME
    return read(default) if default.is_file() else []
