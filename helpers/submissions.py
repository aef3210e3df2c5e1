"""Building submissions: the demo class, fixture submissions with known bugs, unpacking a class,
and handling files that a submission or a sandboxed kernel made (see "Files the grader did not
make" below).

A fixture lives in ``fixtures/<assignment>.py`` at the top of the course and defines
``FIXTURES``, a list of dicts::

    {"student": "forgot_keepdims",            # folder name in submitted/
     "description": "normalize_rows drops the axis",
     "replace": {"normalize_rows": "def normalize_rows(x): ..."},  # solution cell id -> code
     "expected": {"test_normalize_rows": 0},  # test cells that lose points (others: full marks)
     "demo": True}                             # part of the demo class's "typical_bugs" student

The submission is the source notebook (the solutions) with those solution cells replaced.
"""

from __future__ import annotations

import dataclasses
import errno
import hashlib
import json
import os
import re
import runpy
import shutil
import stat
import tempfile
import zipfile
from pathlib import Path

from helpers import notebooks

SOLUTIONS_STUDENT = "solutions_student"
STUBS_STUDENT = "stubs_student"
BUGS_STUDENT = "typical_bugs"


def fixtures(project: Path, assignment: str) -> list[dict]:
    """The fixture submissions of ``assignment`` (``[]`` when it has none)."""
    path = Path(project) / "fixtures" / f"{assignment}.py"
    if not path.exists():
        return []
    return list(runpy.run_path(str(path))["FIXTURES"])


def _notebook_name(course_dir: Path, assignment: str) -> str:
    names = sorted(p.name for p in (Path(course_dir) / "source" / assignment).glob("*.ipynb"))
    if len(names) != 1:
        raise ValueError(f"source/{assignment} must hold exactly one notebook, found {names}")
    return names[0]


def apply_bugs(nb, replace: dict):
    """Replace the source of the solution cells named in ``replace`` (id -> code); in place."""
    found = set()
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in replace:
            cell.source = replace[grade_id]
            found.add(grade_id)
    missing = set(replace) - found
    if missing:
        raise KeyError(f"fixture names cells that the notebook does not have: {sorted(missing)}")
    return nb


def place(course_dir: Path, student: str, assignment: str, nb) -> Path:
    """Write ``nb`` as ``submitted/<student>/<assignment>/<notebook>.ipynb``."""
    name = _notebook_name(course_dir, assignment)
    path = Path(course_dir) / "submitted" / student / assignment / name
    notebooks.write(nb, path)
    return path


def solutions_notebook(project: Path, assignment: str):
    """The source notebook (solutions and hidden tests in place), read fresh."""
    return notebooks.read(Path(project) / "source" / assignment / _notebook_name(project, assignment))


def stubs_notebook(project: Path, assignment: str):
    """The released stub notebook, read fresh."""
    return notebooks.read(Path(project) / "release" / assignment / _notebook_name(project, assignment))


def make_demo_class(project: Path, course_dir: Path, assignment_ids: list[str]) -> list[str]:
    """Submissions of three demo students for each assignment; returns the students' ids.

    ``solutions_student`` hands in the solutions, ``stubs_student`` the untouched release, and
    ``typical_bugs`` the solutions with every fixture marked ``demo`` applied.
    """
    for assignment in assignment_ids:
        place(course_dir, SOLUTIONS_STUDENT, assignment, solutions_notebook(project, assignment))
        place(course_dir, STUBS_STUDENT, assignment, stubs_notebook(project, assignment))
        bugs = {}
        for fixture in fixtures(project, assignment):
            if fixture.get("demo"):
                bugs.update(fixture["replace"])
        place(course_dir, BUGS_STUDENT, assignment,
              apply_bugs(solutions_notebook(project, assignment), bugs))
    return [SOLUTIONS_STUDENT, STUBS_STUDENT, BUGS_STUDENT]


# --- Files the grader did not make -------------------------------------------------------------
#
# The grader runs as root. Whatever a student or a sandboxed kernel made (a class's folder or zip,
# a notebook's folder after its kernel ran) may hold symbolic links to anything on the machine,
# hard links, FIFOs (opening one blocks), devices, sockets, link loops, or be huge. Such a tree is
# only ever walked with directory file descriptors, ``lstat`` first and ``O_NOFOLLOW`` always
# (``O_NONBLOCK`` too, then ``fstat`` again), regular files and folders only, within
# :data:`BOUNDS`; everything left out is reported with its reason.

MB = 1024 * 1024


@dataclasses.dataclass(frozen=True)
class Bounds:
    """The most the grader takes of one submission (a class's folder or zip, ``submitted/``) or
    takes back from one sandboxed kernel's folder; ``class_bytes``: of a whole class."""

    files: int = 1000  # files and folders of one submission
    file_bytes: int = 64 * MB  # one file (counted while reading or extracting)
    total_bytes: int = 256 * MB  # all the files of one submission together
    depth: int = 16  # folders inside folders
    class_bytes: int = 8192 * MB  # everything unpacked from one class's folder or zip


#: The bounds used everywhere (unpacking, copying a submission, taking back a kernel's files).
BOUNDS = Bounds()

#: Student and assignment ids: what may appear in a path, a spreadsheet and a terminal.
ID_PATTERN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.@+-]{0,63}")
#: Names of junk that archivers and Jupyter leave in a class's folder (skipped, never reported).
JUNK = frozenset({"__MACOSX", ".DS_Store", ".ipynb_checkpoints", "__pycache__"})
#: Refused submissions of the last unpacks (``submitted/.refused.json``), shown by ``course grade``.
REFUSED = ".refused.json"

_DIR = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_FILE = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


def id_problem(name) -> str | None:
    """Why ``name`` cannot be a student or assignment id (None when it can): 1 to 64 of
    ``A-Z a-z 0-9 _ . @ + -``, not starting with ``. - + @``."""
    if isinstance(name, str) and ID_PATTERN.fullmatch(name):
        return None
    return (f"{name!r} is not a valid id (1 to 64 letters, digits, _ . @ + -; "
            f"not starting with . - + @)")


def shown_id(name) -> str:
    """``name`` as the reports show it: itself when it is a valid id, else its ``repr``."""
    if name is None:
        return "*"
    return name if id_problem(name) is None else repr(name)


class Refused(Exception):
    """A file that is not taken: ``(relative path, reason)``."""


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file or folder"


def _same(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino, stat.S_IFMT(a.st_mode)) == (b.st_dev, b.st_ino, stat.S_IFMT(b.st_mode))


def open_folder(base: Path, parts=(), create: bool = False) -> int:
    """A descriptor of the folder ``base/parts...``: ``base`` is the grader's own (trusted), and
    no link is followed in ``parts`` (``OSError`` if one is a link or not a folder). ``create``
    makes the missing ones (mode 0755)."""
    fd = os.open(base, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        for part in parts:
            inner = open_child(fd, part, create)
            os.close(fd)
            fd = inner
        return fd
    except BaseException:
        os.close(fd)
        raise


def open_child(dir_fd: int, name: str, create: bool = False) -> int:
    """A descriptor of the folder ``name`` in the folder ``dir_fd`` (made when ``create``);
    ``OSError`` when it is a link or not a folder."""
    if name in ("", ".", "..") or "/" in name:
        raise OSError(f"refusing the path component {name!r}")
    if create:
        try:
            os.mkdir(name, 0o755, dir_fd=dir_fd)
        except FileExistsError:
            pass
    return os.open(name, _DIR, dir_fd=dir_fd)


def remove_entry(dir_fd: int, name: str) -> None:
    """Remove ``name`` from the folder ``dir_fd`` (a folder with all it holds), following nothing."""
    try:
        st = os.lstat(name, dir_fd=dir_fd)
    except FileNotFoundError:
        return
    if stat.S_ISDIR(st.st_mode):
        shutil.rmtree(name, dir_fd=dir_fd)  # descriptor-based: never follows a link
    else:
        os.unlink(name, dir_fd=dir_fd)


def read_file(dir_fd: int, name: str, limit: int) -> bytes:
    """The bytes of the regular file ``name`` in ``dir_fd`` (at most ``limit``); ``Refused``
    when it is anything else or larger."""
    st = os.lstat(name, dir_fd=dir_fd)
    if not stat.S_ISREG(st.st_mode):
        raise Refused(name, _kind(st.st_mode))
    fd = os.open(name, _FILE, dir_fd=dir_fd)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise Refused(name, "changed while it was read")
        blocks, size = [], 0
        while block := os.read(fd, 1 << 16):
            size += len(block)
            if size > limit:
                raise Refused(name, f"larger than {limit} bytes")
            blocks.append(block)
        return b"".join(blocks)
    finally:
        os.close(fd)


class Walk:
    """One walk of a tree the grader did not make, within ``bounds``; ``problems`` collects
    ``(relative path, reason)`` of everything left out."""

    def __init__(self, bounds: Bounds = BOUNDS):
        self.bounds, self.problems = bounds, []
        self.entries = self.bytes = 0
        self.stopped = False

    def refuse(self, rel, reason: str) -> None:
        self.problems.append(("/".join(rel) if isinstance(rel, tuple) else str(rel), reason))

    def count(self, rel) -> bool:
        """Count one more entry; False (and the walk stops) past ``bounds.files``."""
        self.entries += 1
        if self.entries > self.bounds.files:
            self.refuse(rel, f"more than {self.bounds.files} files and folders: the rest was not read")
            self.stopped = True
        return not self.stopped

    def chunks(self, fd: int, rel):
        """The content of an open regular file, counted against the bounds while it is read."""
        size = 0
        while block := os.read(fd, 1 << 16):
            size += len(block)
            self.bytes += len(block)
            if size > self.bounds.file_bytes:
                raise Refused(rel, f"larger than {self.bounds.file_bytes} bytes")
            if self.bytes > self.bounds.total_bytes:
                self.stopped = True
                raise Refused(rel, f"the files together pass {self.bounds.total_bytes} bytes")
            yield block

    def tree(self, dir_fd: int, parts: tuple = ()):
        """Yield ``("dir", rel, None)``, then what it holds, then ``("end", rel, None)``, and
        ``("file", rel, fd)`` for each regular file (``fd`` open for reading, closed after)."""
        try:
            with os.scandir(dir_fd) as entries:
                names = sorted(entry.name for entry in entries)
        except OSError as error:
            self.refuse(parts or ".", f"could not be listed ({error.strerror})")
            return
        for name in names:
            rel = parts + (name,)
            if self.stopped or not self.count(rel):
                return
            try:
                st = os.lstat(name, dir_fd=dir_fd)
            except FileNotFoundError:
                continue
            except OSError as error:
                self.refuse(rel, f"could not be examined ({error.strerror})")
                continue
            if stat.S_ISDIR(st.st_mode):
                if len(rel) > self.bounds.depth:
                    self.refuse(rel, f"folders nested deeper than {self.bounds.depth}")
                    continue
                try:
                    inner = os.open(name, _DIR, dir_fd=dir_fd)
                except OSError as error:
                    self.refuse(rel, f"could not be opened ({error.strerror})")
                    continue
                try:
                    if not _same(os.fstat(inner), st):
                        self.refuse(rel, "changed while it was read")
                        continue
                    yield "dir", rel, None
                    yield from self.tree(inner, rel)
                    yield "end", rel, None
                finally:
                    os.close(inner)
            elif stat.S_ISREG(st.st_mode):
                if st.st_nlink > 1:
                    self.refuse(rel, "a hard link (the same file has another name, perhaps outside)")
                    continue
                if st.st_size > self.bounds.file_bytes:
                    self.refuse(rel, f"larger than {self.bounds.file_bytes} bytes")
                    continue
                try:
                    fd = os.open(name, _FILE, dir_fd=dir_fd)
                except OSError as error:
                    self.refuse(rel, f"could not be opened ({error.strerror})")
                    continue
                try:
                    now = os.fstat(fd)
                    if not _same(now, st) or now.st_nlink > 1:
                        self.refuse(rel, "changed while it was read")
                        continue
                    yield "file", rel, fd
                finally:
                    os.close(fd)
            else:
                self.refuse(rel, _kind(st.st_mode))


def copy_tree(source_fd: int, target_fd: int, bounds: Bounds = BOUNDS, *, keep_existing: bool = False,
              accept=None, walk: Walk | None = None) -> list:
    """Copy the regular files and folders of the folder ``source_fd`` into the folder
    ``target_fd`` (see :class:`Walk`); returns ``[(relative path, reason)]`` of what was left out.

    Files are created new (``O_EXCL | O_NOFOLLOW``, mode 0644) and folders 0755, owned by the
    grader: no mode, owner or link comes along. ``keep_existing``: a file already in the target
    stays as it is (silently); otherwise it is reported. ``accept(rel)`` may return a reason to
    leave a file out (``""``: leave it out silently). ``walk``: a :class:`Walk` to use (its
    ``bytes`` then tell what was copied).
    """
    walk = walk or Walk(bounds)
    folders = {(): target_fd}
    try:
        for what, rel, fd in walk.tree(source_fd):
            parent = folders.get(rel[:-1])
            if parent is None:  # its folder was refused
                continue
            if what == "end":
                inner = folders.pop(rel, None)
                if inner is not None:
                    os.close(inner)
                continue
            if what == "dir":
                try:
                    try:
                        os.mkdir(rel[-1], 0o755, dir_fd=parent)
                    except FileExistsError:
                        pass
                    folders[rel] = os.open(rel[-1], _DIR, dir_fd=parent)
                except OSError as error:
                    walk.refuse(rel, f"could not be made ({error.strerror})")
                continue
            reason = accept(rel) if accept else None
            if reason is not None:
                if reason:
                    walk.refuse(rel, reason)
                continue
            try:
                out = os.open(rel[-1], _NEW, 0o644, dir_fd=parent)
            except FileExistsError:
                if not keep_existing:
                    walk.refuse(rel, "is there twice")
                continue
            except OSError as error:
                walk.refuse(rel, f"could not be written ({error.strerror})")
                continue
            try:
                with os.fdopen(out, "wb", closefd=False) as handle:
                    for block in walk.chunks(fd, rel):
                        handle.write(block)
            except Refused as refused:
                walk.refuse(*refused.args)
                os.unlink(rel[-1], dir_fd=parent)
            finally:
                os.close(out)
    finally:
        for rel, inner in folders.items():
            if rel:
                os.close(inner)
    return walk.problems


def tree_digest(source_fd: int, bounds: Bounds = BOUNDS) -> tuple[str, list]:
    """SHA256 over the names and contents of the regular files of ``source_fd``, and the
    problems of the walk (see :class:`Walk`)."""
    walk = Walk(bounds)
    digest = hashlib.sha256()
    for what, rel, fd in walk.tree(source_fd):
        if what == "file":
            digest.update("/".join(rel).encode("utf-8", "surrogateescape") + b"\0")
            try:
                for block in walk.chunks(fd, rel):
                    digest.update(block)
            except Refused as refused:
                walk.refuse(*refused.args)
    return digest.hexdigest(), walk.problems


def summarise(problems: list, limit: int = 3) -> str:
    """``problems`` (``[(relative path, reason)]``) in one line."""
    text = "; ".join(f"{rel!r}: {reason}" if rel else reason for rel, reason in problems[:limit])
    return text + (f" (and {len(problems) - limit} more)" if len(problems) > limit else "")


def inspect(course_dir: Path, student: str, assignment: str, bounds: Bounds = BOUNDS) -> tuple[str, list]:
    """``(SHA256, problems)`` of ``submitted/<student>/<assignment>`` (see :func:`tree_digest`)."""
    try:
        fd = open_folder(course_dir, ("submitted", student, assignment))
    except OSError as error:
        return "", [("", f"the submission's folder could not be opened ({error.strerror or error})")]
    try:
        return tree_digest(fd, bounds)
    finally:
        os.close(fd)


def scan_class(root_fd: int) -> tuple[list, list]:
    """The submissions of a class's folder (``<student>/<assignment>/``): ``(pairs, refusals)``.

    ``pairs`` are the ``(student, assignment)`` folders whose ids are valid (links are never
    followed); ``refusals`` are dicts ``{"student", "assignment" (None: any), "reason"}`` for
    links, FIFOs, devices and sockets where a student's or an assignment's folder should be, and
    for invalid ids. Plain files beside the folders, junk (:data:`JUNK`) and :data:`REFUSED` are
    skipped.
    """
    pairs, refusals = [], []

    def entries(fd):
        with os.scandir(fd) as found:
            for name in sorted(e.name for e in found):
                if name in JUNK or name == REFUSED:
                    continue
                try:
                    yield name, os.lstat(name, dir_fd=fd)
                except OSError:
                    continue

    for student, st in entries(root_fd):
        if stat.S_ISREG(st.st_mode):
            continue
        if not stat.S_ISDIR(st.st_mode):
            refusals.append({"student": student, "assignment": None,
                             "reason": f"the student's folder is {_kind(st.st_mode)}"})
            continue
        if id_problem(student):
            refusals.append({"student": student, "assignment": None, "reason": id_problem(student)})
            continue
        try:
            student_fd = os.open(student, _DIR, dir_fd=root_fd)
        except OSError as error:
            refusals.append({"student": student, "assignment": None,
                             "reason": f"the student's folder could not be opened ({error.strerror})"})
            continue
        try:
            for assignment, inner in entries(student_fd):
                if stat.S_ISREG(inner.st_mode):
                    continue
                if not stat.S_ISDIR(inner.st_mode):
                    refusals.append({"student": student, "assignment": assignment,
                                     "reason": f"the submission's folder is {_kind(inner.st_mode)}"})
                elif id_problem(assignment):
                    refusals.append({"student": student, "assignment": assignment,
                                     "reason": id_problem(assignment)})
                else:
                    pairs.append((student, assignment))
        finally:
            os.close(student_fd)
    return pairs, refusals


def refused(course_dir: Path) -> list[dict]:
    """The submissions that :func:`unpack` refused and that no later unpack delivered."""
    try:
        fd = open_folder(course_dir, ("submitted",))
    except OSError:
        return []
    try:
        entries = json.loads(read_file(fd, REFUSED, 16 * MB))
    except (OSError, ValueError, Refused):
        return []
    finally:
        os.close(fd)
    return [e for e in entries if isinstance(e, dict) and isinstance(e.get("reason"), str)]


def unpack(source: Path, course_dir: Path, bounds: Bounds = BOUNDS) -> list[dict]:
    """Copy a class's submissions into ``<course_dir>/submitted``; return the refused ones.

    ``source`` is a folder or a ``.zip`` laid out as ``<student>/<assignment>/<notebook>.ipynb``
    (an enclosing ``submitted/`` folder is accepted too). Each submission is taken or refused on
    its own: refused are ids that fail :func:`id_problem`, zip entries with ``..`` or an absolute
    path, links of any kind, FIFOs, devices, sockets, encrypted entries, and more than ``bounds``
    allow (bytes are counted while extracting, not taken from the zip's header). A submission
    taken replaces the one of the same student and assignment in ``submitted/``; a refused one is
    not copied at all and is recorded in ``submitted/.refused.json``, where ``course grade`` finds
    it and lists it under "Needs attention" (until a later unpack delivers that submission).
    Raises ``ValueError`` only when the source held submissions and none could be taken.
    """
    source, course_dir = Path(source), Path(course_dir).resolve()
    target = course_dir / "submitted"
    if not source.exists():
        raise FileNotFoundError(f"{source} does not exist: give a folder or a .zip of submissions")
    if not source.is_dir() and not zipfile.is_zipfile(source):
        raise ValueError(f"{source} is neither a folder nor a zip file")
    target.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        root = source / "submitted" if (source / "submitted").is_dir() else source
        if root.resolve() == target.resolve():
            return []  # the course's own folder: checked when it is graded
    staging = Path(tempfile.mkdtemp(prefix=".course-unpacking-", dir=course_dir))
    try:
        if source.is_dir():
            taken, refusals = _stage_folder(root, staging, bounds)
        else:
            taken, refusals = _stage_zip(source, staging, bounds)
        delivered = _deliver(staging, target, taken, refusals)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _record_refusals(target, delivered, refusals)
    if refusals and not delivered:
        raise ValueError("refusing unsafe or foreign content; nothing could be unpacked: " + "; ".join(
            f"{shown_id(r['student'])} / {shown_id(r['assignment'])}: {r['reason']}" for r in refusals[:5]))
    return refusals


def _stage_folder(root: Path, staging: Path, bounds: Bounds) -> tuple[list, list]:
    """Copy each submission of the folder ``root`` into ``staging`` (see :func:`copy_tree`)."""
    root_fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)  # the instructor's choice
    try:
        pairs, refusals = scan_class(root_fd)
    finally:
        os.close(root_fd)
    taken, total = [], 0
    for student, assignment in pairs:
        refuse = lambda reason: refusals.append(  # noqa: E731
            {"student": student, "assignment": assignment, "reason": reason})
        if total > bounds.class_bytes:
            refuse(f"the class's submissions together pass {bounds.class_bytes} bytes: not read")
            continue
        walk = Walk(bounds)
        try:
            source_fd = open_folder(root, (student, assignment))
        except OSError as error:
            refuse(f"the submission's folder could not be opened ({error.strerror or error})")
            continue
        try:
            target_fd = open_folder(staging, (student, assignment), create=True)
            try:
                copy_tree(source_fd, target_fd, bounds, walk=walk)
            finally:
                os.close(target_fd)
        finally:
            os.close(source_fd)
        total += walk.bytes
        if walk.problems:
            refuse(summarise(walk.problems))
        else:
            taken.append((student, assignment))
    return taken, refusals


def _zip_key(name: str, strip: int):
    """``(student, assignment or None, rest or None, problem)`` of a zip entry's name."""
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:[/\\]", name):
        return "/", None, None, f"unsafe zip entry {name!r} (an absolute path)"
    parts = name.split("/")
    if strip and parts[0] == "submitted":
        parts = parts[1:]
    if any(part in ("", ".", "..") for part in parts) or "\0" in name:
        # the student's whole upload is refused (None: every assignment)
        return parts[0], None, None, f"unsafe zip entry {name!r} (it leads out of its folder)"
    if len(parts) < 3:
        return None, None, None, None  # not inside <student>/<assignment>/: not a submission
    return parts[0], parts[1], parts[2:], None


def _stage_zip(source: Path, staging: Path, bounds: Bounds) -> tuple[list, list]:
    """Extract each submission of the zip ``source`` into ``staging``, counting bytes."""
    with zipfile.ZipFile(source) as archive:
        infos = [i for i in archive.infolist()
                 if not (i.filename.endswith("/") and i.file_size == 0)
                 and not JUNK.intersection(i.filename.split("/"))]
        plain = [i.filename for i in infos if _zip_key(i.filename, 0)[3] is None]
        strip = 1 if plain and all(n.split("/")[0] == "submitted" for n in plain) else 0
        groups: dict = {}
        for info in infos:
            student, assignment, rest, problem = _zip_key(info.filename, strip)
            if student is None:
                continue
            if id_problem(student):
                assignment = None  # (what follows an invalid id means nothing either)
            group = groups.setdefault((student, assignment), {"entries": [], "problems": []})
            mode = info.external_attr >> 16
            if problem:
                group["problems"].append(("", problem))
            elif assignment is None or id_problem(student) or id_problem(assignment):
                group["problems"].append(("", id_problem(student) or id_problem(assignment)))
            elif info.is_dir():
                continue
            elif stat.S_IFMT(mode) and not stat.S_ISREG(mode):  # (no type bits: a plain file)
                group["problems"].append(("/".join(rest), _kind(mode)))
            elif info.flag_bits & 0x1:
                group["problems"].append(("/".join(rest), "encrypted"))
            else:
                group["entries"].append((info, rest))
        taken, refusals, total = [], [], 0
        for (student, assignment), group in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
            problems = group["problems"]
            if not problems and total > bounds.class_bytes:
                problems = [("", f"the class's submissions together pass {bounds.class_bytes} bytes: not read")]
            walk = Walk(bounds)
            if not problems:
                total += _extract(archive, group["entries"], staging, student, assignment, walk)
                problems = walk.problems
            if problems:
                refusals.append({"student": student, "assignment": assignment, "reason": summarise(problems)})
            else:
                taken.append((student, assignment))
    return taken, refusals


def _extract(archive, entries, staging: Path, student: str, assignment: str, walk: Walk) -> int:
    """Extract one submission's entries below ``staging/student/assignment`` (no link, no
    ``..``, counted); problems go to ``walk``; returns the bytes written."""
    top = open_folder(staging, (student, assignment), create=True)  # even when it stays empty
    try:
        for info, rest in entries:
            if walk.stopped or not walk.count(rest):
                break
            if len(rest) > walk.bounds.depth:
                walk.refuse(tuple(rest), f"folders nested deeper than {walk.bounds.depth}")
                continue
            if info.file_size > walk.bounds.file_bytes:
                walk.refuse(tuple(rest), f"larger than {walk.bounds.file_bytes} bytes")
                continue
            try:
                folder = open_folder(staging, (student, assignment, *rest[:-1]), create=True)
            except OSError as error:
                walk.refuse(tuple(rest), f"could not be made ({error.strerror or error})")
                continue
            try:
                out = os.open(rest[-1], _NEW, 0o644, dir_fd=folder)
            except FileExistsError:
                walk.refuse(tuple(rest), "is in the archive twice")
                os.close(folder)
                continue
            except OSError as error:
                walk.refuse(tuple(rest), f"could not be written ({error.strerror})")
                os.close(folder)
                continue
            try:
                with archive.open(info) as member, os.fdopen(out, "wb", closefd=False) as handle:
                    for block in _counted(member, walk, tuple(rest)):
                        handle.write(block)
            except Refused as refused:
                walk.refuse(*refused.args)
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError) as error:
                walk.refuse(tuple(rest), f"could not be extracted ({type(error).__name__}: {error})"[:200])
            finally:
                os.close(out)
                os.close(folder)
    finally:
        os.close(top)
    return walk.bytes


def _counted(member, walk: Walk, rel):
    """A zip member's content, counted against ``walk``'s bounds while it is decompressed."""
    size = 0
    while block := member.read(1 << 16):
        size += len(block)
        walk.bytes += len(block)
        if size > walk.bounds.file_bytes:
            raise Refused(rel, f"larger than {walk.bounds.file_bytes} bytes once decompressed")
        if walk.bytes > walk.bounds.total_bytes:
            walk.stopped = True
            raise Refused(rel, f"the files together pass {walk.bounds.total_bytes} bytes once decompressed")
        yield block


def _deliver(staging: Path, target: Path, taken: list, refusals: list) -> list:
    """Move each taken submission from ``staging`` to ``target`` (replacing the one there)."""
    delivered = []
    for student, assignment in taken:
        try:
            source = open_folder(staging, (student,))
            try:
                folder = open_folder(target, (student,), create=True)
                try:
                    remove_entry(folder, assignment)
                    try:
                        os.rename(assignment, assignment, src_dir_fd=source, dst_dir_fd=folder)
                    except OSError as error:
                        if error.errno != errno.EXDEV:
                            raise
                        _copy_over(source, folder, assignment)  # submitted/ is on another disk
                finally:
                    os.close(folder)
            finally:
                os.close(source)
            delivered.append((student, assignment))
        except OSError as error:
            refusals.append({"student": student, "assignment": assignment,
                             "reason": f"could not be placed in submitted/ ({error.strerror or error})"})
    return delivered


def _copy_over(source_dir: int, target_dir: int, name: str) -> None:
    os.mkdir(name, 0o755, dir_fd=target_dir)
    inner_source = os.open(name, _DIR, dir_fd=source_dir)
    try:
        inner_target = os.open(name, _DIR, dir_fd=target_dir)
        try:
            problems = copy_tree(inner_source, inner_target)
        finally:
            os.close(inner_target)
    finally:
        os.close(inner_source)
    if problems:
        remove_entry(target_dir, name)
        raise OSError(summarise(problems))


def _record_refusals(target: Path, delivered: list, refusals: list) -> None:
    """Keep ``submitted/.refused.json`` up to date: a delivered submission leaves it, a refused
    one replaces its earlier entry."""
    keys = {(r["student"], r["assignment"]) for r in refusals}
    done = set(delivered) | {(s, None) for s, _ in delivered}
    kept = [r for r in refused(target.parent)
            if (r.get("student"), r.get("assignment")) not in keys | done]
    entries = kept + [dict(r) for r in refusals]
    fd = os.open(target, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        if not entries:
            try:
                os.unlink(REFUSED, dir_fd=fd)
            except FileNotFoundError:
                pass
            return
        scratch = f".refused-{os.getpid()}.tmp"
        remove_entry(fd, scratch)
        out = os.open(scratch, _NEW, 0o644, dir_fd=fd)
        with os.fdopen(out, "w", encoding="utf-8") as handle:
            json.dump(entries, handle, indent=1)
        os.replace(scratch, REFUSED, src_dir_fd=fd, dst_dir_fd=fd)
    finally:
        os.close(fd)
