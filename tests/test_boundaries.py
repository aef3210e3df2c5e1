"""The grader's boundaries: it runs as root, and nothing a submission or its sandboxed kernel made
may make it write, chmod, copy or read through a link, hang it, stop the class, be trusted as a
grade, or inject text into its reports.

One class of 01_notation holds an attacker's corpus beside honest students, and is graded twice
(the second run resumes): the batch finishes, the honest students get their full grade, every
bad submission is listed with a reason, and the sentinel files outside the course are untouched.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import html.parser
import json
import os
import stat
import zipfile
from pathlib import Path

import pytest

from helpers import classgrader, grading, notebooks, reports, sandbox, submissions
from conftest import PROJECT, points

A = "01_notation"
NB = f"{A}.ipynb"
FULL = float(sum(points(A).values()))  # from the source notebook
SENTINEL = b"SENTINEL-b0undar1es-7f3e"  # in the files outside the course, nowhere else
XSS = ('<script>alert(1)</script> <img src=x onerror="alert(2)"> <a href="javascript:alert(3)">x</a> '
       '<meta http-equiv="refresh" content="0;url=https://example.com">')

needs_sandbox = pytest.mark.skipif(not sandbox.available(), reason="the sandbox needs Linux and root")


def _solutions():
    return submissions.solutions_notebook(PROJECT, A)


def _with_cell(nb, code: str, first: bool = False):
    cell = notebooks.nbformat.v4.new_code_cell(code)
    nb.cells.insert(0, cell) if first else nb.cells.append(cell)
    return nb


def _outside(tmp: Path) -> dict:
    """Files outside the course, owner-only, with known content: none may change or leak."""
    outside = tmp / "outside"
    (outside / "dir").mkdir(parents=True)
    secret, inner = outside / "secret.txt", outside / "dir" / "inner.txt"
    secret.write_bytes(SENTINEL + b" secret\n")
    inner.write_bytes(SENTINEL + b" inner\n")
    for path in (secret, inner):
        path.chmod(0o600)
    return {"dir": outside / "dir", "secret": secret, "inner": inner}


def _snapshot(paths) -> dict:
    return {p: (p.read_bytes(), stat.S_IMODE(p.stat().st_mode), p.stat().st_mtime_ns) for p in paths}


KERNEL_LINKS = """
import os
os.remove({nb!r})                       # its own notebook becomes a link to a file outside
os.symlink({secret!r}, {nb!r})
os.symlink({secret!r}, 'evil_link.txt')
os.symlink({outdir!r}, 'evil_dir')
os.symlink('.', 'loop')                  # a folder link loop
os.mkdir('sub'); os.symlink('../sub', 'sub/up')
os.mkfifo('pipe')                        # copying a FIFO back would hang
open('hard_a.txt', 'w').write('x'); os.link('hard_a.txt', 'hard_b.txt')
open('other.ipynb', 'w').write('{{}}')
open('plain.txt', 'w').write('kept')
"""

FORGER = """
import json, os
seen = [p for p in [{course!r}, {course!r} + '/.course-cache', {records!r}] if os.path.exists(p)]
open('seen.txt', 'w').write('\\n'.join(seen))
forged = {{"submission_sha256": "0" * 64, "mac": "0" * 64, "payload": {{"outcome": {outcome}}},
           "outcome": {outcome}}}
for path in ['.course-grade.json', '../.course-grade.json', '../../.course-grade.json',
             {course!r} + '/autograded/forger/01_notation/.course-grade.json', {record!r}]:
    try:
        os.makedirs(os.path.dirname(path) or '.', exist_ok=True)
        open(path, 'w').write(json.dumps(forged))
    except OSError:
        pass  # (the sandbox's /tmp is its own: what it makes there vanishes with it)
"""


def _zip_class(path: Path) -> None:
    """A class's zip: an honest student, entries escaping the folder, a bomb and a link."""
    solutions = json.dumps(_solutions())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"submitted/zipped_honest/{A}/{NB}", solutions)
        zf.writestr(f"submitted/../escaper/{A}/{NB}", solutions)
        zf.writestr("/tmp/absolute_entry.ipynb", "{}")
        zf.writestr(f"submitted/sneaky/{A}/../../victim/{A}/{NB}", solutions)
        # 200 MB of zeros (about 200 KB in the zip) in one entry
        zf.writestr(f"submitted/bomb/{A}/{NB}", b"\0" * (200 * submissions.MB))
        # five entries each under the per-file bound, together over the per-submission bound
        for index in range(5):
            zf.writestr(f"submitted/bomb_total/{A}/part{index}.bin", b"\0" * (60 * submissions.MB))
        link = zipfile.ZipInfo(f"submitted/zip_link/{A}/{NB}")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "/etc/shadow")


def _folder_class(root: Path, outside: dict) -> None:
    """A class's folder whose submissions link to files outside."""
    notebooks.write(_solutions(), root / "honest_folder" / A / NB)
    (root / "linked_notebook" / A).mkdir(parents=True)
    (root / "linked_notebook" / A / NB).symlink_to(outside["secret"])
    (root / "linked_folder").mkdir()
    (root / "linked_folder" / A).symlink_to(outside["dir"])
    (root / "linked_student").symlink_to(outside["dir"])
    (root / "looped" / A).mkdir(parents=True)
    notebooks.write(_solutions(), root / "looped" / A / NB)
    (root / "looped" / A / "loop").symlink_to("loop")


def _build(course: Path, tmp: Path, outside: dict) -> None:
    place = lambda student, nb: submissions.place(course, student, A, nb)  # noqa: E731
    place("honest_a", _solutions())
    nb = _solutions()
    nb.cells.insert(1, notebooks.nbformat.v4.new_markdown_cell(XSS))
    place("xss", nb)
    place("kernel_links", _with_cell(_solutions(), KERNEL_LINKS.format(
        nb=NB, secret=str(outside["secret"]), outdir=str(outside["dir"]))))
    forged_outcome = json.dumps(dataclasses.asdict(grading.Outcome(
        student="forger", assignment=A, score=FULL, max_score=FULL,
        cells={"test_image2vector": (1.0, 1.0)})))
    place("forger", _with_cell(submissions.stubs_notebook(PROJECT, A), FORGER.format(
        outcome=forged_outcome, course=str(course), records=str(classgrader.records_dir(course)),
        record=str(classgrader.record_path(course, "forger", A))), first=True))
    # in the course's own submitted/: links, a loop, a FIFO, invalid ids
    submitted = course / "submitted"
    (submitted / "notebook_link" / A).mkdir(parents=True)
    (submitted / "notebook_link" / A / NB).symlink_to(outside["secret"])
    (submitted / "folder_link").mkdir()
    (submitted / "folder_link" / A).symlink_to(outside["dir"])
    (submitted / "link_loop" / A).mkdir(parents=True)
    notebooks.write(_solutions(), submitted / "link_loop" / A / NB)
    (submitted / "link_loop" / A / "self").symlink_to("self")
    (submitted / "link_loop" / A / "up").symlink_to("..")
    (submitted / "fifo_notebook" / A).mkdir(parents=True)
    os.mkfifo(submitted / "fifo_notebook" / A / NB)
    for bad in ("=2+5", "a\nb", ".hidden", "-rf"):
        notebooks.write(_solutions(), submitted / bad / A / NB)
    # a zip and a folder of submissions unpacked into the course
    _zip_class(tmp / "class.zip")
    submissions.unpack(tmp / "class.zip", course)
    _folder_class(tmp / "class_folder", outside)
    submissions.unpack(tmp / "class_folder", course)


HONEST = ("honest_a", "xss", "kernel_links", "zipped_honest", "honest_folder")
REFUSED = {  # student as the report shows it: what its reason must mention
    "notebook_link": "symbolic link", "folder_link": "symbolic link", "link_loop": "symbolic link",
    "fifo_notebook": "FIFO", repr("=2+5"): "not a valid id", repr("a\nb"): "not a valid id",
    repr(".hidden"): "not a valid id", repr("-rf"): "not a valid id",
    repr(".."): "unsafe zip entry", repr("/"): "absolute path", "sneaky": "unsafe zip entry",
    "bomb": "larger than", "bomb_total": "together pass", "zip_link": "symbolic link",
    "linked_notebook": "symbolic link", "linked_folder": "symbolic link",
    "linked_student": "symbolic link", "looped": "symbolic link",
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    if not sandbox.available():
        pytest.skip("the sandbox needs Linux and root")
    tmp = tmp_path_factory.mktemp("boundaries")
    outside = _outside(tmp)
    before = _snapshot([outside["secret"], outside["inner"]])
    course = grading.make_course_copy(PROJECT, tmp / "course", [A])
    _build(course, tmp, outside)
    settings = classgrader.Settings(cell_timeout=30, notebook_seconds=60, case_timeout=10, recheck_timeout=120)
    first = classgrader.grade_class(course, [A], workers=2, settings=settings, log=lambda *_: None,
                                    progress=False)
    # the attacker's best case: a record where the grader keeps them, with this content's hash
    # and the current source, claiming full marks, without the grader's key
    by_student = {o.student: o for o in first}
    forged_path = classgrader.record_path(course, "forger", A)
    stored = json.loads(forged_path.read_text())
    stored["payload"]["outcome"].update(score=FULL, cells={k: [v[1], v[1]] for k, v in
                                                           stored["payload"]["outcome"]["cells"].items()})
    forged_path.write_text(json.dumps(stored))
    # and a genuine record edited (the score) keeps its MAC: it must not be trusted either
    honest_path = classgrader.record_path(course, "honest_a", A)
    stored = json.loads(honest_path.read_text())
    stored["payload"]["outcome"]["score"] = 0.0
    honest_path.write_text(json.dumps(stored))
    messages = []
    second = classgrader.grade_class(course, [A], workers=2, settings=settings, log=messages.append,
                                     progress=False)
    return {"course": course, "outside": outside, "before": before, "first": by_student,
            "second": {o.student: o for o in second}, "messages": messages, "tmp": tmp}


def _files_under(folder: Path):
    for parent, folders, names in os.walk(folder):
        for name in folders + names:
            yield Path(parent) / name


def test_the_batch_finishes_and_the_honest_students_get_their_grade(graded):
    for run in ("first", "second"):
        outcomes = graded[run]
        for student in HONEST:
            assert outcomes[student].score == FULL, (run, student, outcomes[student])
        assert outcomes["forger"].score == 0, (run, outcomes["forger"])


def test_files_outside_the_course_are_never_written_chmodded_or_copied_in(graded):
    outside = graded["outside"]
    assert _snapshot([outside["secret"], outside["inner"]]) == graded["before"]
    assert sorted(p.name for p in outside["dir"].iterdir()) == ["inner.txt"]
    course = graded["course"]
    for path in _files_under(course):
        mode = path.lstat().st_mode
        if "submitted" not in path.relative_to(course).parts:  # (the class's links are there)
            assert stat.S_ISREG(mode) or stat.S_ISDIR(mode), f"not a file or folder: {path}"
        if stat.S_ISREG(mode):
            assert SENTINEL not in path.read_bytes(), f"{path} holds the content of a file outside"


# --- 1. Grade forgery via resume records ------------------------------------------------------

@needs_sandbox
def test_1_no_record_a_submission_writes_is_trusted(graded):
    course = graded["course"]
    seen = course / "autograded" / "forger" / A / "seen.txt"
    assert seen.exists() and seen.read_text() == "", f"the kernel saw: {seen.read_text()}"
    assert graded["second"]["forger"].score == 0, "a forged record was trusted"
    records = classgrader.Records(course, {A: classgrader.source_fingerprint(course, A)})
    digest = classgrader.submission_hash(course, "forger", A)
    assert records.read("forger", A, digest).score == 0, "the grader's own record was replaced"
    assert graded["second"]["honest_a"].score == FULL, "an edited record was trusted"
    resumed = next(m for m in graded["messages"] if m.startswith("resuming:"))
    assert resumed.startswith(f"resuming: {len(HONEST) - 1} submission(s)"), graded["messages"]
    key = classgrader.records_dir(course).parent / ".key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600


def test_1_records_depend_on_the_source_and_the_grader_version(tmp_path, monkeypatch):
    course = grading.make_course_copy(PROJECT, tmp_path / "course", [A])
    outcome = grading.Outcome(student="amy", assignment=A, score=FULL, max_score=FULL,
                              cells={"test_image2vector": (1.0, 1.0)})
    records = classgrader.Records(course, {A: "source-1"})
    records.write("amy", A, "digest", outcome)
    assert records.read("amy", A, "digest").score == FULL
    assert records.read("amy", A, "other digest") is None
    assert classgrader.Records(course, {A: "source-2"}).read("amy", A, "digest") is None
    monkeypatch.setattr(classgrader, "_GRADER_FINGERPRINT", "another grader")  # the grader's code changed
    assert classgrader.Records(course, {A: "source-1"}).read("amy", A, "digest") is None
    monkeypatch.undo()
    (classgrader.records_dir(course).parent / ".key").write_bytes(os.urandom(32))
    assert classgrader.Records(course, {A: "source-1"}).read("amy", A, "digest") is None, \
        "a record under another key was trusted"
    records = classgrader.Records(course, {A: "source-1"})
    records.write("amy", A, "digest", None)
    assert not classgrader.record_path(course, "amy", A).exists()


# --- 2. Links followed as root ----------------------------------------------------------------

@needs_sandbox
def test_2_what_the_kernel_left_in_its_folder_is_never_followed(graded):
    course, outcome = graded["course"], graded["first"]["kernel_links"]
    folder = course / "autograded" / "kernel_links" / A
    names = {p.name for p in folder.iterdir()}
    assert "plain.txt" in names and NB in names
    assert not names & {"evil_link.txt", "evil_dir", "loop", "pipe", "hard_a.txt", "hard_b.txt",
                        "other.ipynb"}, names
    assert not (folder / "sub" / "up").exists()
    graded_nb = folder / NB
    assert stat.S_ISREG(graded_nb.lstat().st_mode)
    assert grading.notebook_problem(notebooks.read(graded_nb)) is None
    text = " ".join(outcome.notes)
    for what in ("symbolic link", "FIFO", "hard link", "other.ipynb"):
        assert what in text, (what, outcome.notes)
    assert outcome.needs_attention


def test_2_unpacking_a_folder_never_follows_its_links(graded):
    course = graded["course"]
    assert (course / "submitted" / "honest_folder" / A / NB).is_file()
    for student in ("linked_notebook", "linked_folder", "linked_student", "looped"):
        assert not (course / "submitted" / student).exists(), student


def test_2_copy_tree_takes_regular_files_only(tmp_path):
    source, target = tmp_path / "source", tmp_path / "target"
    (source / "deep").mkdir(parents=True)
    (source / "deep" / "ok.txt").write_text("ok")
    (source / "link").symlink_to("/etc/passwd")
    os.mkfifo(source / "fifo")
    (source / "big.bin").write_bytes(b"\0" * 2048)
    target.mkdir()
    small = submissions.Bounds(files=10, file_bytes=1024, total_bytes=4096, depth=4)
    source_fd, target_fd = submissions.open_folder(source), submissions.open_folder(target)
    try:
        problems = dict(submissions.copy_tree(source_fd, target_fd, small))
    finally:
        os.close(source_fd)
        os.close(target_fd)
    assert (target / "deep" / "ok.txt").read_text() == "ok"
    assert sorted(p.name for p in target.iterdir()) == ["deep"]
    assert problems == {"big.bin": "larger than 1024 bytes", "fifo": "a FIFO", "link": "a symbolic link"}


# --- 3. One submission never stops the class ---------------------------------------------------

def test_3_every_bad_submission_is_listed_with_its_reason(graded):
    for run in ("first", "second"):
        outcomes = graded[run]
        for student, reason in REFUSED.items():
            outcome = outcomes.get(student)
            assert outcome is not None, (run, student, sorted(outcomes))
            assert outcome.status == "refused" and outcome.score is None, (student, outcome)
            assert reason in outcome.reason, (student, outcome.reason)
            assert outcome.needs_attention
    table = reports.table(list(graded["first"].values()))
    assert "Needs attention" in table and "  'a\\nb' / 01_notation: refused: " in table


def test_3_a_zip_with_only_unsafe_entries_is_refused_and_a_bomb_is_bounded(tmp_path):
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as zf:
        zf.writestr("../../escape.ipynb", "{}")
        zf.writestr("/abs/x/y.ipynb", "{}")
    with pytest.raises(ValueError, match="unsafe"):
        submissions.unpack(evil, tmp_path / "course")
    assert not (tmp_path / "escape.ipynb").exists() and not Path("/abs").exists()
    # a zip whose header lies about the size: extraction is counted, never trusted
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"ok/{A}/{NB}", "{}")
        zf.writestr(f"liar/{A}/{NB}", b"\0" * (8 * submissions.MB))
    data = bytearray(bomb.read_bytes())
    small = submissions.Bounds(file_bytes=submissions.MB)
    with zipfile.ZipFile(bomb) as zf:
        info = zf.getinfo(f"liar/{A}/{NB}")
    local = info.header_offset + 22  # the local header's uncompressed size
    central = data.find(f"liar/{A}/{NB}".encode(), data.find(b"PK\x01\x02")) - 46 + 24  # the central one
    for offset in (local, central):
        data[offset:offset + 4] = (1000).to_bytes(4, "little")
    bomb.write_bytes(bytes(data))
    refusals = submissions.unpack(bomb, tmp_path / "course3", small)
    assert (tmp_path / "course3" / "submitted" / "ok" / A / NB).exists()
    assert not (tmp_path / "course3" / "submitted" / "liar").exists()
    assert [r["student"] for r in refusals] == ["liar"] and "extracted" in refusals[0]["reason"], refusals


# --- 4. Injection in reports ---------------------------------------------------------------------

def test_4_reports_cannot_be_injected(graded):
    course = graded["course"]
    outcomes = list(graded["first"].values())
    path = reports.write_csv(outcomes, course / "grades.csv")
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.reader(handle):
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row
                assert cell.isprintable(), row
    for text in (reports.table(outcomes), reports.summary(outcomes),
                 "\n".join(classgrader._line(o) for o in outcomes)):
        for line in text.splitlines():
            assert line.isprintable(), repr(line)
        assert not any(line.startswith("b / ") for line in text.splitlines())
    assert reports.csv_cell("=2+5") == "'=2+5" and reports.csv_cell("@SUM(A1)") == "'@SUM(A1)"
    assert reports.csv_cell("-1+2") == "'-1+2" and reports.printable("a\x1b[2Jb\nc") == "a\\x1b[2Jb\\nc"


class _Head(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.in_head, self.first, self.after_head = False, None, []

    def handle_starttag(self, tag, attrs):
        if tag == "head":
            self.in_head = True
        elif self.in_head and self.first is None:
            self.first = (tag, dict(attrs))
        elif not self.in_head and self.first is not None:
            self.after_head.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False


@needs_sandbox
def test_4_feedback_pages_run_no_student_script(graded):
    page = graded["course"] / "feedback" / "xss" / A / f"{A}.html"
    text = page.read_text()
    assert "alert(1)" in text, "the student's markdown should still be shown"
    parser = _Head()
    parser.feed(text)
    tag, attrs = parser.first
    assert tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy", parser.first
    policy = attrs["content"]
    assert "default-src 'none'" in policy and "script-src" not in policy
    assert not any(t in ("meta", "base", "link") for t, _ in parser.after_head), \
        [t for t in parser.after_head if t[0] in ("meta", "base", "link")]
    for other in (graded["course"] / "feedback").rglob("*.html"):
        parser = _Head()
        parser.feed(other.read_text())
        assert parser.first[1].get("http-equiv") == "Content-Security-Policy", other


def test_4_lock_feedback_on_a_page(tmp_path):
    page = tmp_path / "page.html"
    page.write_text('<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>t</title></head>'
                    f'<body>{XSS}<link rel="stylesheet" href="https://example.com/x.css"></body></html>')
    grading.lock_feedback(page)
    parser = _Head()
    parser.feed(page.read_text())
    assert parser.first == ("meta", {"http-equiv": "Content-Security-Policy", "content": grading.FEEDBACK_CSP})
    assert [t for t, _ in parser.after_head if t in ("meta", "link", "base")] == []
    bare = tmp_path / "bare.html"
    bare.write_text("<p>no head</p><script>alert(1)</script>")
    grading.lock_feedback(bare)
    parser = _Head()
    parser.feed(bare.read_text())
    assert parser.first[1].get("http-equiv") == "Content-Security-Policy"


def test_4_ids_are_validated(tmp_path):
    for good in ("alice", "a.b@uni.edu", "s_01", "x-y+z", "A" * 64):
        assert submissions.id_problem(good) is None, good
    for bad in ("=2+5", "a\nb", "..", ".", "-rf", ".hidden", "+1", "@x", "a/b", "a b", "A" * 65, "é", ""):
        assert submissions.id_problem(bad), bad
    assert submissions.shown_id("a\nb") == "'a\\nb'"


def test_hashing_a_submission_never_opens_a_fifo(tmp_path):
    """The hash of a submission is taken without following links or opening FIFOs (it used to
    hang on a FIFO)."""
    folder = tmp_path / "course" / "submitted" / "amy" / A
    folder.mkdir(parents=True)
    (folder / NB).write_text("{}")
    os.mkfifo(folder / "pipe")
    digest, problems = submissions.inspect(tmp_path / "course", "amy", A)
    assert problems == [("pipe", "a FIFO")]
    expected = hashlib.sha256(NB.encode() + b"\0" + b"{}").hexdigest()
    assert digest == expected
