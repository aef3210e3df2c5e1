"""Late work (issue 15 item 3): due dates and the late penalty declared in nbgrader_config.py, a
submission's timestamp.txt read as the untrusted input it is, the instructor's --timestamps CSV,
penalties computed on the trusted side and stored where nbgrader keeps them (the same rows
nbgrader's own AssignLatePenalties writes), recomputed on every run, and shown in the reports."""

from __future__ import annotations

import csv
import datetime
import os
import shutil
import signal
import warnings
from pathlib import Path

import pytest

from helpers import classgrader, grading, late, reports, sandbox, submissions
from helpers.nbgrader_plugins import CourseLatePenalty
from conftest import PROJECT, points

A = "01_notation"
DUE = "2025-03-01 12:00:00 UTC"
DUE_AT = datetime.datetime(2025, 3, 1, 12, 0, 0)
HOUR, DAY = 3600.0, 86400.0


def _plugin(**kw):
    return CourseLatePenalty(**kw)


# --- The policy ---------------------------------------------------------------------------------

def test_the_default_policy_takes_nothing_and_no_due_date_is_set():
    course_config = grading.load_config(PROJECT)
    plugin = late.policy(PROJECT)
    assert isinstance(plugin, CourseLatePenalty)
    assert plugin.penalty_method == "none" and dict(plugin.due_dates) == {}
    assert plugin.late_submission_penalty("s", 10.0, 3 * DAY) is None
    assert course_config.AssignLatePenalties.plugin_class == "helpers.nbgrader_plugins.CourseLatePenalty"


@pytest.mark.parametrize("seconds, expected", [(0, None), (HOUR, 1.0), (DAY, 1.0), (DAY + 1, 2.0),
                                               (3 * DAY - HOUR, 3.0), (30 * DAY, 5.0)])
def test_per_day_is_per_started_day_and_capped(seconds, expected):
    plugin = _plugin(penalty_method="per_day", per_day=0.1, max_fraction=0.5)
    got = plugin.late_submission_penalty("s", 10.0, seconds)
    assert got == expected if expected is None else got == pytest.approx(expected)


def test_zero_and_none_are_nbgraders_own():
    from nbgrader.plugins import LateSubmissionPlugin

    for method in ("none", "zero"):
        ours, theirs = _plugin(penalty_method=method), LateSubmissionPlugin(penalty_method=method)
        assert ours.late_submission_penalty("s", 7.0, HOUR) == theirs.late_submission_penalty("s", 7.0, HOUR)


def test_a_fraction_outside_0_1_is_refused():
    from traitlets import TraitError

    with pytest.raises(TraitError):
        _plugin(per_day=1.5)
    with pytest.raises(TraitError):
        _plugin(max_fraction=-0.1)


# --- timestamp.txt: untrusted ----------------------------------------------------------------------

def _folder(course: Path, student="s") -> Path:
    folder = course / "submitted" / student / A
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("text, when", [
    ("2025-03-01 13:00:00.000000 UTC", datetime.datetime(2025, 3, 1, 13)),  # as nbgrader writes it
    ("2025-03-01T14:00:00+01:00", datetime.datetime(2025, 3, 1, 13)),
    ("2025-03-01 08:00:00 America/New_York", datetime.datetime(2025, 3, 1, 13)),
    ("2025-03-01T13:00:00Z\n", datetime.datetime(2025, 3, 1, 13)),
])
def test_a_good_timestamp_is_read_as_nbgrader_reads_it(tmp_path, text, when):
    (_folder(tmp_path) / "timestamp.txt").write_text(text)
    handed = late.read_timestamp(tmp_path, "s", A)
    assert (handed.timestamp, handed.source, handed.note) == (when, late.FROM_FILE, "")


@pytest.mark.parametrize("content, why", [
    (b"not a date \x00\n", "one short line"),
    (b"", "empty"),
    (b"\xff\xfe2\x000\x002\x005\x00", "UTF-8"),
    (b"2025-03-01 13:00:00 UTC\n" * 20, "bytes"),  # longer than the bound
    (b"1970-01-01 00:00:00 UTC", "before 2000"),
    (b"9999-12-31 23:59:59 UTC", "future"),
    (b"2025-03-01 13:00:00 +99999999", "not a date"),
    (b"2025-02-30 12:00:00", "not a date"),
    (b"\x1b[2J2025-03-01", "one short line"),
])
def test_a_forged_or_garbage_timestamp_counts_as_on_time_with_a_note(tmp_path, content, why):
    (_folder(tmp_path) / "timestamp.txt").write_bytes(content)
    handed = late.read_timestamp(tmp_path, "s", A)
    assert handed.timestamp is None and handed.source == ""
    assert "counted as on time" in handed.note and why in handed.note, handed.note


def test_no_timestamp_txt_is_on_time_without_a_note(tmp_path):
    _folder(tmp_path)
    assert late.read_timestamp(tmp_path, "s", A) == late.Handed()
    assert late.read_timestamp(tmp_path, "nobody", A) == late.Handed()


def test_a_linked_timestamp_is_never_followed(tmp_path):
    target = tmp_path / "elsewhere.txt"
    target.write_text("2025-03-01 13:00:00 UTC")
    os.symlink(target, _folder(tmp_path) / "timestamp.txt")
    handed = late.read_timestamp(tmp_path, "s", A)
    assert handed.timestamp is None and "symbolic link" in handed.note
    # a linked submission folder is not followed either
    os.symlink(_folder(tmp_path, "real"), tmp_path / "submitted" / "linked")
    (_folder(tmp_path, "real") / "timestamp.txt").write_text("2025-03-01 13:00:00 UTC")
    assert late.read_timestamp(tmp_path, "linked", A).timestamp is None


def test_a_fifo_timestamp_never_hangs(tmp_path):
    os.mkfifo(_folder(tmp_path) / "timestamp.txt")
    signal.signal(signal.SIGALRM, lambda *_: pytest.fail("reading a FIFO hung"))
    signal.alarm(5)
    try:
        handed = late.read_timestamp(tmp_path, "s", A)
    finally:
        signal.alarm(0)
    assert handed.timestamp is None and "FIFO" in handed.note


# --- The instructor's CSV ---------------------------------------------------------------------------

def test_the_override_csv_wins_over_timestamp_txt(tmp_path):
    (_folder(tmp_path, "forger") / "timestamp.txt").write_text("2025-03-01 11:00:00 UTC")
    (_folder(tmp_path, "honest") / "timestamp.txt").write_text("2025-03-01 13:00:00 UTC")
    table = tmp_path / "collected.csv"
    table.write_text("student,assignment,timestamp,comment\n"
                     f"forger,{A},2025-03-03 10:00:00 UTC,from the exchange\n\n")
    overrides = late.read_overrides(table)
    assert overrides == {("forger", A): datetime.datetime(2025, 3, 3, 10)}
    handed = late.handed(tmp_path, [("forger", A), ("honest", A)], overrides)
    assert handed[("forger", A)] == late.Handed(datetime.datetime(2025, 3, 3, 10), late.FROM_CSV)
    assert handed[("honest", A)] == late.Handed(datetime.datetime(2025, 3, 1, 13), late.FROM_FILE)


def test_a_bad_override_csv_stops_with_its_line(tmp_path):
    table = tmp_path / "t.csv"
    table.write_text(f"student,assignment,timestamp\na,{A},2025-03-01 10:00:00\nb,{A},yesterday-ish\n")
    with pytest.raises(ValueError, match="line 3"):
        late.read_overrides(table)
    table.write_text("student,when\na,2025-03-01\n")
    with pytest.raises(ValueError, match="assignment, timestamp"):
        late.read_overrides(table)


# --- The gradebook: what nbgrader's own AssignLatePenalties writes ---------------------------------

@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """A class gradebook that knows 01_notation, with a due date in nbgrader_config.py."""
    course = grading.make_course_copy(PROJECT, tmp_path_factory.mktemp("late"), [A])
    classgrader.sync_class_gradebook(course, A)
    return course


def _configure(course: Path, method="per_day", per_day=0.1, cap=0.5, due=DUE, plugin=None) -> None:
    text = (PROJECT / "nbgrader_config.py").read_text()
    text += (f"\nc.CourseLatePenalty.due_dates = {{{A!r}: {due!r}}}\n" if due else "")
    text += f"c.CourseLatePenalty.penalty_method = {method!r}\n"
    text += f"c.CourseLatePenalty.per_day = {per_day!r}\nc.CourseLatePenalty.max_fraction = {cap!r}\n"
    if plugin:  # nbgrader's own plugin reads its own section
        text += f"c.AssignLatePenalties.plugin_class = {plugin!r}\nc.LateSubmissionPlugin.penalty_method = {method!r}\n"
    (course / "nbgrader_config.py").write_text(text)


#: (student, handed in, fraction of the cells right)
CLASS = [("on_time", DUE_AT - datetime.timedelta(hours=1), 1.0),
         ("hour_late", DUE_AT + datetime.timedelta(hours=1), 1.0),
         ("days_late", DUE_AT + datetime.timedelta(days=3) - datetime.timedelta(hours=1), 0.5),
         ("month_late", DUE_AT + datetime.timedelta(days=30), 1.0),
         ("late_and_zero", DUE_AT + datetime.timedelta(days=2), 0.0),
         ("unknown", None, 1.0),
         ("extended", DUE_AT + datetime.timedelta(hours=20), 1.0)]


def _outcomes(course: Path) -> list:
    full = points(A)
    out = []
    for student, when, right in CLASS:
        names = sorted(full)
        kept = set(names[:round(len(names) * right)])
        cells = {n: (float(full[n]) if n in kept else 0.0, float(full[n])) for n in names}
        out.append(grading.Outcome(student=student, assignment=A, score=sum(s for s, _ in cells.values()),
                                   max_score=float(sum(full.values())), cells=cells,
                                   timestamp=late.iso(when)))
    return out


def _penalties(course: Path) -> dict:
    from nbgrader.api import Gradebook

    with warnings.catch_warnings(), Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        warnings.simplefilter("ignore")
        out = {}
        for student, _, _ in CLASS:
            submission = gb.find_submission(A, student)
            out[student] = (submission.timestamp, submission.total_seconds_late,
                            [nb.late_submission_penalty for nb in submission.notebooks],
                            submission.score - (submission.late_submission_penalty or 0.0))
        return out


def _nbgraders_own(course: Path) -> None:
    """nbgrader's AssignLatePenalties, run on each submission's notebook as autograde runs it."""
    from nbgrader.preprocessors import AssignLatePenalties

    config = grading.load_config(course)
    for student, _, _ in CLASS:
        for path in (course / "source" / A).glob("*.ipynb"):
            resources = {"nbgrader": {"notebook": path.stem, "assignment": A, "student": student,
                                      "db_url": f"sqlite:///{course / 'gradebook.db'}"}}
            import nbformat

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                AssignLatePenalties(config=config).preprocess(nbformat.read(path, as_version=4), resources)


def _extend(course: Path) -> None:
    from nbgrader.api import Gradebook

    with warnings.catch_warnings(), Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        warnings.simplefilter("ignore")
        gb.grant_extension(A, "extended", days=1)


@pytest.mark.parametrize("method, plugin", [("per_day", None), ("zero", None),
                                            ("zero", "nbgrader.plugins.LateSubmissionPlugin")])
def test_the_gradebook_rows_are_what_nbgraders_own_plugin_writes(base, tmp_path, method, plugin):
    ours, theirs = shutil.copytree(base, tmp_path / "ours"), shutil.copytree(base, tmp_path / "theirs")
    for course in (ours, theirs):
        _configure(course, method=method, plugin=plugin)
        late.apply_due_dates(course, [A])
        grading.store_many_scores(course, _outcomes(course))
        _extend(course)
    outcomes = _outcomes(ours)
    grading.store_late(ours, outcomes)
    _nbgraders_own(theirs)
    mine, nbgrader = _penalties(ours), _penalties(theirs)
    assert mine == nbgrader
    by = {o.student: o for o in outcomes}
    for student, (_, seconds, penalties, after) in mine.items():
        assert by[student].seconds_late == seconds
        assert by[student].penalty == pytest.approx(sum(p or 0.0 for p in penalties))
        assert by[student].after_penalty == pytest.approx(after) and after >= 0
    assert mine["on_time"][2] == [None] and mine["unknown"][2] == [None] and mine["extended"][2] == [None]
    total = by["on_time"].score
    if method == "per_day":
        assert by["hour_late"].penalty == pytest.approx(0.1 * total)
        assert by["days_late"].penalty == pytest.approx(0.3 * by["days_late"].score)
        assert by["month_late"].penalty == pytest.approx(0.5 * total)  # capped
    else:
        assert by["hour_late"].after_penalty == 0 and by["month_late"].after_penalty == 0
    assert by["late_and_zero"].score == 0 and by["late_and_zero"].after_penalty == 0


def test_no_due_date_means_no_penalty(base, tmp_path):
    course = shutil.copytree(base, tmp_path / "c")
    _configure(course, method="zero", due=None)
    assert late.apply_due_dates(course, [A]) == {A: None}
    outcomes = _outcomes(course)
    grading.store_many_scores(course, outcomes)
    grading.store_late(course, outcomes)
    assert all(o.penalty == 0 and o.seconds_late == 0 and o.due is None for o in outcomes)
    assert all(p == [None] for _, _, p, _ in _penalties(course).values())


def test_a_penalty_never_makes_a_score_negative(base, tmp_path):
    class Greedy(CourseLatePenalty):
        def late_submission_penalty(self, student_id, score, total_seconds_late):
            return score + 100.0

    course = shutil.copytree(base, tmp_path / "c")
    _configure(course)
    late.apply_due_dates(course, [A])
    outcomes = _outcomes(course)
    grading.store_many_scores(course, outcomes)
    grading.store_late(course, outcomes, plugin=Greedy())
    for o in outcomes:
        assert o.after_penalty >= 0 and o.penalty <= o.total
    assert {o.student: o.after_penalty for o in outcomes}["month_late"] == 0


def test_nbgrader_export_shows_the_same(base, tmp_path):
    from nbgrader.api import Gradebook
    from nbgrader.plugins import CsvExportPlugin

    course = shutil.copytree(base, tmp_path / "c")
    _configure(course)
    late.apply_due_dates(course, [A])
    outcomes = _outcomes(course)
    grading.store_many_scores(course, outcomes)
    grading.store_late(course, outcomes)
    exported = tmp_path / "export.csv"
    with warnings.catch_warnings(), Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        warnings.simplefilter("ignore")
        CsvExportPlugin(to=str(exported)).export(gb)
    with open(exported, newline="") as handle:
        rows = {r["student_id"]: r for r in csv.DictReader(handle)}
    for o in outcomes:
        row = rows[o.student]
        assert float(row["late_submission_penalty"]) == pytest.approx(o.penalty)
        assert float(row["score"]) == pytest.approx(o.after_penalty)
        assert row["duedate"] == "2025-03-01 12:00:00"
        assert (row["timestamp"] or None) == (o.timestamp and o.timestamp.removesuffix("Z").replace("T", " "))


# --- Reports ----------------------------------------------------------------------------------------

def _graded_class(base, tmp_path):
    course = shutil.copytree(base, tmp_path / "c")
    _configure(course)
    late.apply_due_dates(course, [A])
    outcomes = _outcomes(course)
    grading.store_many_scores(course, outcomes)
    _extend(course)
    grading.store_late(course, outcomes)
    outcomes.append(grading.Outcome(student="garbage", assignment=A, score=12.0, max_score=12.0,
                                    late_note="timestamp.txt not used (it is empty): counted as on time"))
    return outcomes


def test_the_reports_show_timestamp_lateness_penalty_and_the_score_after_it(base, tmp_path):
    outcomes = _graded_class(base, tmp_path)
    by = {o.student: o for o in outcomes}
    with open(reports.write_csv(outcomes, tmp_path / "grades.csv"), newline="") as handle:
        rows = {r["student"]: r for r in csv.DictReader(handle)}
    hour = rows["hour_late"]
    assert hour["timestamp"] == "2025-03-01T13:00:00Z" and hour["due"] == "2025-03-01T12:00:00Z"
    assert hour["late_by"] == "1 h 0 min" and hour["seconds_late"] == "3600"
    assert float(hour["late_penalty"]) == pytest.approx(by["hour_late"].penalty)
    assert float(hour["score_after_penalty"]) == pytest.approx(float(hour["score"]) - by["hour_late"].penalty)
    assert rows["on_time"]["late_by"] == "" and rows["on_time"]["late_penalty"] == "0"
    assert rows["extended"]["due"] == "2025-03-02T12:00:00Z"  # the extension is part of the student's due date
    assert "counted as on time" in rows["garbage"]["late_note"]

    with open(reports.write_gradebook(outcomes, tmp_path / "gradebook.csv"), newline="") as handle:
        wide = {r["student"]: r for r in csv.DictReader(handle)}
    assert float(wide["month_late"][A]) == pytest.approx(by["month_late"].after_penalty)
    assert wide["month_late"][f"{A} (late by)"] == "29 d 12 h" or wide["month_late"][f"{A} (late by)"].startswith("30 d")
    assert float(wide["month_late"][f"{A} (late penalty)"]) == pytest.approx(by["month_late"].penalty)
    assert float(wide["month_late"]["total"]) == pytest.approx(by["month_late"].after_penalty)

    with open(reports.write_canvas(outcomes, tmp_path / "canvas.csv"), newline="") as handle:
        canvas = list(csv.reader(handle))
    row = next(r for r in canvas if r[2] == "days_late")
    assert float(row[5]) == pytest.approx(by["days_late"].after_penalty)

    table = reports.table(outcomes)
    assert "Marked L: 4 submission(s) handed in after the due date" in table
    assert "1 submission(s) with a timestamp.txt that could not be used" in table
    mine = table[table.index("Marked L"):].splitlines()[:4]
    assert max(len(line) for line in mine) <= 100, mine
    summary = reports.summary(outcomes)
    assert f"{A}: due 2025-03-01T12:00:00Z (later for some, by extension); 4 late" in summary
    assert "1 timestamp.txt not used (counted as on time)" in summary


def test_without_due_dates_the_reports_keep_their_shape():
    o = grading.Outcome(student="s", assignment=A, score=3.0, max_score=4.0, cells={"test_x": (3.0, 4.0)})
    assert "Marked L" not in reports.table([o]) and "late" not in reports.summary([o]).lower()
    assert reports.late_cells(o) == ["", "", "", "", "0", "0", "3", ""]


# --- A class run ---------------------------------------------------------------------------------------

def _run(course, messages, **kw):
    return {o.student: o for o in classgrader.grade_class(
        course, [A], workers=1, feedback=False, log=messages.append, progress=False, **kw)}


@pytest.mark.slow
def test_a_class_run_then_a_changed_due_date_updates_penalties_without_regrading(tmp_path):
    course = grading.make_course_copy(PROJECT, tmp_path / "course", [A])
    _configure(course, due="2025-03-10 12:00:00 UTC")
    for student, stamp in (("prompt", "2025-03-01 11:00:00 UTC"), ("tardy", "2025-03-02 13:00:00 UTC"),
                           ("bad_timestamp", "not a date \x00\n")):
        path = submissions.place(course, student, A, submissions.solutions_notebook(PROJECT, A))
        (path.parent / "timestamp.txt").write_text(stamp)
    linked = submissions.place(course, "linked", A, submissions.solutions_notebook(PROJECT, A))
    os.symlink(course / "nbgrader_config.py", linked.parent / "timestamp.txt")
    full = float(sum(points(A).values()))
    messages: list = []
    first = _run(course, messages)
    assert [first[s].penalty for s in ("prompt", "tardy", "bad_timestamp")] == [0, 0, 0]
    assert first["bad_timestamp"].score == full and not first["bad_timestamp"].needs_attention
    assert "counted as on time" in first["bad_timestamp"].late_note
    assert first["linked"].status == "refused" and "symbolic link" in first["linked"].reason

    # The due date moves earlier and the policy changes: nothing is regraded, the penalties follow.
    _configure(course, due="2025-03-01 12:00:00 UTC", per_day=0.25, cap=1.0)
    messages.clear()
    second = _run(course, messages)
    assert any("resuming: 3 submission(s)" in m for m in messages), messages
    assert not any(m.startswith("regrading:") for m in messages), messages
    assert second["prompt"].penalty == 0 and second["tardy"].penalty == pytest.approx(0.5 * full)
    assert second["tardy"].seconds_late == 25 * HOUR and second["tardy"].after_penalty == pytest.approx(0.5 * full)
    assert _stored_penalty(course, "tardy") == pytest.approx(0.5 * full)

    # The instructor's CSV says when the exchange collected it; the due date is back where it was.
    table = tmp_path / "collected.csv"
    table.write_text(f"student,assignment,timestamp\nprompt,{A},2025-03-05 12:00:00 UTC\n")
    messages.clear()
    third = _run(course, messages, timestamps=table)
    assert not any(m.startswith("regrading:") for m in messages), messages
    assert third["prompt"].timestamp_source == late.FROM_CSV and third["prompt"].penalty == pytest.approx(full)
    assert _stored_penalty(course, "prompt") == pytest.approx(full)
    assert third["bad_timestamp"].penalty == 0


def _stored_penalty(course: Path, student: str) -> float:
    from nbgrader.api import Gradebook

    with warnings.catch_warnings(), Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        warnings.simplefilter("ignore")
        return gb.find_submission(A, student).late_submission_penalty


def test_the_late_settings_are_not_part_of_the_source_fingerprint(base, tmp_path):
    course = shutil.copytree(base, tmp_path / "c")
    before = classgrader.source_fingerprint(course, A)
    _configure(course, method="zero", due="2030-01-01 00:00:00 UTC")
    assert classgrader.source_fingerprint(course, A) == before  # no regrade for a new date or policy
    (course / "nbgrader_config.py").write_text((course / "nbgrader_config.py").read_text()
                                               + "\nc.Execute.timeout = 60\n")
    assert classgrader.source_fingerprint(course, A) != before  # any other setting still counts
