"""Grade reports: the grades CSV, the printed table, and a picture of the distribution.

Student ids, reasons and notes can carry text a student chose (the reason of a failed run quotes
the kernel). Printed text goes through :func:`printable` (no control or escape character reaches
the terminal, so no line can be forged) and every CSV cell through :func:`csv_cell` (no cell is
read as a formula by a spreadsheet).

Each graded submission carries the record of what the sandbox actually enforced on the processes
that ran its code (:class:`helpers.sandbox.Enforcement`): the CSV has it per submission, and the
table and the summary say, per class, when it was weaker than the full sandbox (never silently).
"""

from __future__ import annotations

import csv
from pathlib import Path

from helpers.sandbox import record as sandbox_record

_FORMULA = ("=", "+", "-", "@", "\t", "\r", "\n")


def printable(text) -> str:
    """``text`` with every control, format or separator character other than a space (newlines,
    escape sequences, bidirectional overrides...) written as a Python escape (``\\n``,
    ``\\x1b``, ``\\u202e``)."""
    text = str(text)
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def csv_cell(value) -> str:
    """``value`` as a CSV cell a spreadsheet shows as text: :func:`printable`, and prefixed with
    ``'`` when it starts with ``= + - @`` (or a tab or a line break), which would make it a
    formula. Numbers are written by the caller and never pass here."""
    text = printable(value)
    return "'" + text if text.startswith(_FORMULA) else text


#: Statuses of a submission whose code never ran (so no sandbox record is expected).
_NOTHING_RAN = ("refused", "missing notebook")


def weaker_sandbox(outcome) -> str:
    """What was weaker than the full sandbox for ``outcome`` ("" when nothing was, or when none
    of its code ran): a plain process, a missing namespace, no cgroups, no record at all..."""
    if outcome.status in _NOTHING_RAN:
        return ""
    return "; ".join(sandbox_record.weaker(getattr(outcome, "sandbox", [])))


def sandbox_lines(outcomes) -> list:
    """Per assignment, one line on how its submissions' code was confined: the full sandbox, or
    how many ran weaker and how."""
    lines = []
    for assignment in sorted({o.assignment for o in outcomes}):
        ran = [o for o in outcomes if o.assignment == assignment and o.status not in _NOTHING_RAN]
        weak: dict = {}
        for o in ran:
            text = weaker_sandbox(o)
            if text:
                weak[text] = weak.get(text, 0) + 1
        if not weak:
            lines.append(printable(f"sandbox {assignment}: full sandbox for all {len(ran)} (a user of its own, "
                                   f"mount/pid/net namespaces, chroot, no capabilities, cgroups, rlimits)"))
        for text, count in sorted(weak.items(), key=lambda item: -item[1]):
            lines.append(printable(f"sandbox {assignment}: WEAKER for {count} of {len(ran)}: {text}"))
    return lines


def exercise_column(assignment: str, cell: str) -> str:
    """How a test cell is named in every report: ``NN_topic:exercise`` (``02_vectorization:predict``;
    the cell's ``test_`` prefix dropped), unique across the course's assignments."""
    return f"{assignment}:{cell.removeprefix('test_')}"


def _columns(outcomes) -> list:
    """``[(assignment, cell)]`` of every graded cell, assignments in order, cells in notebook order
    (the autograded cells, then the written answers a person grades)."""
    out = []
    for assignment in sorted({o.assignment for o in outcomes}):
        for o in outcomes:
            if o.assignment == assignment:
                out += [(assignment, c) for c in _every_cell(o) if (assignment, c) not in out]
    return out


def _every_cell(o) -> dict:
    """``{cell: (score or None, max)}``: the autograded cells and the written answers."""
    return {**o.cells, **getattr(o, "written", {})}


def _percent(o) -> str:
    return "" if o.total is None or not o.total_max else f"{100 * o.total / o.total_max:.1f}"


#: The late-work columns of grades.csv (see :func:`late_cells`).
LATE_COLUMNS = ["timestamp", "timestamp_source", "due", "late_by", "seconds_late", "late_penalty",
                "score_after_penalty", "late_note"]


def late_cells(o) -> list:
    """The :data:`LATE_COLUMNS` of one outcome: when it was handed in (UTC) and from where
    (``timestamp.txt`` or ``--timestamps``), its due date (extension included; empty: none),
    how late (``3 d 2 h``; empty when on time), the points taken off, the score after them, and
    why a ``timestamp.txt`` was not used."""
    from helpers import late

    return [csv_cell(o.timestamp or ""), csv_cell(o.timestamp_source), csv_cell(o.due or ""),
            late.describe(o.seconds_late) if o.seconds_late else "", f"{o.seconds_late:g}",
            f"{o.penalty:g}", "" if o.after_penalty is None else f"{o.after_penalty:g}", csv_cell(o.late_note)]


def write_csv(outcomes, path: Path) -> Path:
    """One row per (student, assignment): score, max, percent (written answers included as far as a
    person has graded them; before any late penalty), status, reason, sandbox, the written answers
    waiting for a person, the late-work columns (:data:`LATE_COLUMNS`, :func:`late_cells`), then
    each exercise's score (columns :func:`exercise_column`; empty for another assignment's and for
    an answer no one has graded yet)."""
    columns = _columns(outcomes)
    cell_names = [exercise_column(a, c) for a, c in columns]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([csv_cell(v) for v in
                         ["student", "assignment", "score", "max_score", "percent", "status", "reason",
                          "sandbox", "waiting_for_a_person"] + LATE_COLUMNS + cell_names])
        for o in outcomes:
            cells = []
            for assignment, name in columns:
                score = _every_cell(o).get(name, (None, None))[0] if assignment == o.assignment else None
                cells.append("" if score is None else f"{score:g}")
            writer.writerow([csv_cell(o.student), csv_cell(o.assignment),
                             "" if o.total is None else f"{o.total:g}", f"{o.total_max:g}", _percent(o),
                             csv_cell(o.status), csv_cell(o.reason), csv_cell(_sandbox_cell(o)),
                             csv_cell(" ".join(o.waiting))] + late_cells(o) + cells)
    return path


#: The most submissions the table lists by name as graded with less than the full sandbox.
WEAK_LISTED = 10


def _sandbox_cell(outcome) -> str:
    if outcome.status in _NOTHING_RAN:
        return "not run"
    weak = weaker_sandbox(outcome)
    return f"WEAKER: {weak}" if weak else "full sandbox"


#: The widest student id the printed table shows whole (longer ones are cut, with "~"; the CSV
#: files hold them whole): with eight assignments the table fits in 100 columns.
TABLE_ID_WIDTH = 24


def _short_assignment(assignment: str) -> str:
    """``05`` for ``05_shallow_network`` (the table's column header), else the id itself."""
    head = assignment.split("_", 1)[0]
    return head if head.isdigit() else assignment


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "~"


def table(outcomes) -> str:
    """A plain-text table: one row a student, one column an assignment (``score/max``), headed
    by the assignment's number; at most about 100 columns wide for eight assignments."""
    students = sorted({o.student for o in outcomes})
    assignment_ids = sorted({o.assignment for o in outcomes})
    cell = {(o.student, o.assignment): o for o in outcomes}
    rows = [["student"] + [printable(_short_assignment(a)) for a in assignment_ids]]
    for student in students:
        row = [_cut(printable(student), TABLE_ID_WIDTH)]
        for assignment in assignment_ids:
            o = cell.get((student, assignment))
            if o is None:
                row.append("-")
            elif o.score is None:
                row.append("NOT GRADED")
            else:
                row.append(f"{o.after_penalty:g}/{o.total_max:g}" + (" L" if o.seconds_late else "")
                           + (" ?" if o.waiting else "") + (" !" if o.needs_attention else ""))
        rows.append(row)
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    if any(_short_assignment(a) != a for a in assignment_ids):
        lines.append("")
        line = "Columns:"
        for a in assignment_ids:  # whole entries per line, at most 99 characters
            entry = printable(f"  {_short_assignment(a)} = {a}")
            if len(line) + len(entry) > 99:
                lines.append(line)
                line = "         "
            line += entry
        lines.append(line)
    late = [o for o in outcomes if o.seconds_late]
    if late:
        lines.append("")
        lines.append(f"Marked L: {len(late)} submission(s) handed in after the due date; scores after the late")
        lines.append(f"penalty ({sum(o.penalty for o in late):g} point(s) in all; grades.csv has each).")
    unused = [o for o in outcomes if o.late_note]
    if unused:
        lines.append(f"{len(unused)} submission(s) with a timestamp.txt that could not be used: counted as on time")
        lines.append("(grades.csv: late_note; `course grade --timestamps FILE` overrides timestamp.txt).")
    waiting = [o for o in outcomes if o.waiting]
    if waiting:
        lines.append("")
        lines.append(f"Marked ?: {len(waiting)} submission(s) with written answers no person has graded yet "
                     f"(nbgrader's formgrader, Manual Grading); their scores count what is graded so far.")
    attention = [o for o in outcomes if o.needs_attention]
    if attention:
        lines.append("")
        lines.append("Needs attention (marked !):")
        for o in attention:
            lines.append(printable(f"  {o.student} / {o.assignment}: {o.status}"
                                   + (f": {o.reason}" if o.reason else "")))
            for note in o.notes:
                lines.append("      - " + printable(note))
    weak = [o for o in outcomes if weaker_sandbox(o)]
    if weak:
        lines.append("")
        lines.append("Graded with less than the full sandbox:")
        for o in weak[:WEAK_LISTED]:
            lines.append(printable(f"  {o.student} / {o.assignment}: {weaker_sandbox(o)}"))
        if len(weak) > WEAK_LISTED:
            lines.append(f"  ... and {len(weak) - WEAK_LISTED} more (the sandbox column of the grades CSV)")
    return "\n".join(lines)


def plot_distribution(outcomes, path: Path) -> Path:
    """Save a histogram of percent scores, one panel per assignment, to ``path`` (PNG)."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    from matplotlib.ticker import MaxNLocator

    assignment_ids = sorted({o.assignment for o in outcomes}) or ["(none)"]
    ncols = min(4, len(assignment_ids))
    nrows = -(-len(assignment_ids) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.6 * ncols, 2.9 * nrows + 0.6), squeeze=False)
    for ax in axes.flat[len(assignment_ids):]:
        ax.set_visible(False)
    for ax, assignment in zip(axes.flat, assignment_ids):
        scores = [100 * o.after_penalty / o.total_max for o in outcomes
                  if o.assignment == assignment and _counted(o) and o.total_max]
        missing = sum(o.assignment == assignment and o.status == "missing notebook" for o in outcomes)
        ax.hist(scores, bins=[0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100.01], color="#4c72b0",
                edgecolor="white")
        ax.set_title(f"{assignment}\n{len(scores)} graded" + (f", {missing} missing" if missing else ""),
                     fontsize=9)
        ax.set_xlabel("score (%)")
        ax.set_ylabel("students")
        ax.set_xlim(0, 100)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    fig.suptitle("Grade distribution (missing notebooks are not counted)")
    return _save(fig, path)


def _counted(outcome) -> bool:
    """Whether a submission enters the statistics: graded (a score), and not a missing notebook
    (which is listed, and scores 0 in the gradebook, but says nothing about what was learnt)."""
    return outcome.score is not None and outcome.status != "missing notebook"


def _save(fig, path: Path) -> Path:
    """Lay out, save as PNG (creating the folder) and close a figure; return its path."""
    import matplotlib.pyplot as plt

    fig.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def summary(outcomes) -> str:
    """Per assignment: how many were graded, needed attention, and the mean / median / min / max %."""
    import statistics

    lines = [f"{'assignment':<20} {'graded':>6} {'missing':>7} {'attention':>9} {'mean %':>7} {'median %':>8} "
             f"{'min %':>6} {'max %':>6}"]
    waiting, lateness = {}, {}
    for assignment in sorted({o.assignment for o in outcomes}):
        group = [o for o in outcomes if o.assignment == assignment]
        shown = printable(assignment)
        percents = [100 * o.after_penalty / o.total_max for o in group if _counted(o) and o.total_max]
        late = [o for o in group if o.seconds_late]
        if late or any(o.due for o in group) or any(o.late_note for o in group):
            lateness[assignment] = (late, [o for o in group if o.late_note])
        if any(o.waiting for o in group):
            waiting[assignment] = (sum(bool(o.waiting) for o in group), sum(len(o.waiting) for o in group))
        missing = sum(o.status == "missing notebook" for o in group)
        attention = sum(o.needs_attention for o in group)
        if percents:
            lines.append(f"{shown:<20} {len(percents):>6} {missing:>7} {attention:>9} "
                         f"{statistics.mean(percents):>7.1f} {statistics.median(percents):>8.1f} "
                         f"{min(percents):>6.1f} {max(percents):>6.1f}")
        else:
            lines.append(f"{shown:<20} {0:>6} {missing:>7} {attention:>9}")
    penalised = any(o.penalty for o in outcomes)
    lines.append("(statistics over graded submissions" + (", after late penalties" if penalised else "")
                 + "; a missing notebook is listed, not counted)")
    for assignment, (late, unused) in lateness.items():
        dues = sorted({o.due for o in outcomes if o.assignment == assignment and o.due})
        due = f"due {dues[0]}" + (" (later for some, by extension)" if len(dues) > 1 else "") if dues else "no due date"
        text = (f"{assignment}: {due}; {len(late)} late, {sum(o.penalty for o in late):g} point(s) "
                f"taken off in all")
        if unused:
            text += f"; {len(unused)} timestamp.txt not used (counted as on time)"
        lines.append(printable(text))
    for assignment, (submissions, answers) in waiting.items():
        lines.append(printable(f"{assignment}: {answers} written answer(s) in {submissions} submission(s) wait for a "
                               f"person: grade them in the formgrader, then run `course grade` again (it resumes) "
                               f"to refresh the reports"))
    return "\n".join(lines + sandbox_lines(outcomes))


def pass_rates(outcomes) -> dict:
    """``{(assignment, test cell): fraction of graded submissions with full marks on it}``."""
    counts: dict = {}
    for o in outcomes:
        if not _counted(o):
            continue
        for cell, (score, maximum) in _every_cell(o).items():
            if score is None:
                continue  # a written answer no one has graded yet
            full, total = counts.get((o.assignment, cell), (0, 0))
            counts[(o.assignment, cell)] = (full + (score == maximum), total + 1)
    return {key: full / total for key, (full, total) in counts.items() if total}


def plot_pass_rates(outcomes, path: Path) -> Path:
    """Save a bar chart of the per-exercise pass rate (which exercises the class found hard)."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    from matplotlib.patches import Patch

    rates = pass_rates(outcomes)
    keys = [key for key in _columns(outcomes) if key in rates]  # assignments in order, cells in notebook order
    fig, ax = plt.subplots(figsize=(8, 0.3 * max(4, len(keys)) + 1.6))
    labels = [exercise_column(a, c) for a, c in keys]
    values = [100 * rates[k] for k in keys]
    bands = [("#c44e52", "under 50 % of the class"), ("#dd8452", "50 % to 80 %"), ("#55a868", "80 % or more")]
    colours = [bands[0][0] if v < 50 else bands[1][0] if v < 80 else bands[2][0] for v in values]
    ax.barh(range(len(keys)), values, color=colours)
    ax.set_yticks(range(len(keys)), labels, fontsize=8)
    ax.set_ylim(len(keys) - 0.5, -0.5)  # the first exercise on top, no empty margin
    ax.set_xlim(0, 100)
    ax.set_xlabel("graded submissions with full marks on the exercise (%)")
    ax.set_title("Per-exercise pass rate, in notebook order", pad=24)
    ax.legend(handles=[Patch(color=c, label=t) for c, t in bands], loc="lower center",
              bbox_to_anchor=(0.5, 1.0), ncol=3, fontsize=8, frameon=False)  # above the bars, never on one
    return _save(fig, path)


# --- Records an instructor hands on: the wide gradebook and the LMS export -------------------------

def _by_student(outcomes, roster) -> tuple[list, dict]:
    """``(student ids: the roster's first, in its order, then the others sorted, {(student,
    assignment): outcome})``."""
    cell = {(o.student, o.assignment): o for o in outcomes}
    ids = [s.id for s in roster]
    ids += sorted({o.student for o in outcomes} - set(ids))
    return ids, cell


def _assignment_value(o) -> str:
    """An assignment's column: its score, or why there is none (never a silent 0)."""
    if o is None:
        return "missing"
    if o.status == "missing notebook":
        return "missing"
    if o.score is None:
        return "not graded" if o.status != "refused" else "refused"
    return f"{o.after_penalty:g}"


def _late_header(assignment: str) -> list:
    """The wide gradebook's late-work columns of an assignment with a due date (a space and
    parentheses: never an exercise's column name)."""
    return [f"{assignment} (submitted)", f"{assignment} (late by)", f"{assignment} (late penalty)"]


def write_gradebook(outcomes, path: Path, roster=()) -> Path:
    """The wide gradebook: one row per student (every rostered one, with or without a
    submission), with ``name`` and ``email`` from the roster; per assignment its score (or
    ``missing`` / ``not graded`` / ``refused``) and each exercise's score
    (:func:`exercise_column`); then ``total`` and ``max_total`` over the assignments graded. An
    assignment's score and the total are after the late penalty; an assignment with a due date
    also has the columns ``<assignment> (submitted)`` (UTC), ``(late by)`` and ``(late penalty)``."""
    names = {s.id: s for s in roster}
    ids, cell = _by_student(outcomes, roster)
    assignment_ids = sorted({o.assignment for o in outcomes})
    columns = _columns(outcomes)
    maxima = {a: max((o.total_max for o in outcomes if o.assignment == a), default=0) for a in assignment_ids}
    header = ["student", "name", "email"]
    dated = {o.assignment for o in outcomes if o.due}
    for assignment in assignment_ids:
        header += [assignment] + (_late_header(assignment) if assignment in dated else []) \
            + [exercise_column(a, c) for a, c in columns if a == assignment]
    header += ["total", "max_total"]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([csv_cell(h) for h in header])
        writer.writerow(["(points possible)", "", ""]
                        + [v for a in assignment_ids
                           for v in [f"{maxima[a]:g}"] + (["", "", ""] if a in dated else [])
                           + [_max_of(outcomes, a, c) for b, c in columns if b == a]]
                        + [f"{sum(maxima.values()):g}", ""])
        for student in ids:
            person = names.get(student)
            row = [csv_cell(student), csv_cell(person.name if person else ""), csv_cell(person.email if person else "")]
            total = maximum = 0.0
            for assignment in assignment_ids:
                o = cell.get((student, assignment))
                row.append(_assignment_value(o))
                if assignment in dated:
                    row += _late_values(o)
                for a, c in columns:
                    if a == assignment:
                        score = _every_cell(o).get(c, (None, None))[0] if o is not None and o.score is not None else None
                        row.append("" if score is None else f"{score:g}")
                if o is not None and o.score is not None:
                    total += o.after_penalty
                maximum += maxima[assignment]
            row += [f"{total:g}", f"{maximum:g}"]
            writer.writerow(row)
    return path


def _late_values(o) -> list:
    from helpers import late

    if o is None or o.score is None:
        return ["", "", ""]
    return [csv_cell(o.timestamp or ""), late.describe(o.seconds_late) if o.seconds_late else "",
            f"{o.penalty:g}"]


def _max_of(outcomes, assignment: str, cell: str) -> str:
    for o in outcomes:
        if o.assignment == assignment and cell in _every_cell(o):
            return f"{_every_cell(o)[cell][1]:g}"
    return ""


def write_canvas(outcomes, path: Path, roster=()) -> Path:
    """The grades as Canvas's gradebook import reads them: the columns ``Student``, ``ID``,
    ``SIS User ID``, ``SIS Login ID``, ``Section``, then one per assignment; a ``Points
    Possible`` row; one row per student (the course's id as the SIS User ID, the roster's email
    as the SIS Login ID). A missing or ungraded submission, and one whose written answers still
    wait for a person, is left empty (Canvas keeps the cell as it is) rather than imported as 0
    or as a partial grade. A score is after the late penalty; the timestamps and penalties are not
    columns here (Canvas would import an unknown column as a new assignment): grades.csv has them."""
    names = {s.id: s for s in roster}
    ids, cell = _by_student(outcomes, roster)
    assignment_ids = sorted({o.assignment for o in outcomes})
    maxima = [max((o.total_max for o in outcomes if o.assignment == a), default=0) for a in assignment_ids]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
                        + [csv_cell(a) for a in assignment_ids])
        writer.writerow(["    Points Possible", "", "", "", ""] + [f"{m:g}" for m in maxima])
        for student in ids:
            person = names.get(student)
            display = person.name if person and person.name else student
            row = [csv_cell(display), "", csv_cell(student), csv_cell(person.email if person else ""), ""]
            for assignment in assignment_ids:
                o = cell.get((student, assignment))
                row.append("" if o is None or not _counted(o) or o.waiting else f"{o.after_penalty:g}")
            writer.writerow(row)
    return path


def missing_from_roster(outcomes, roster) -> list:
    """``[(student, assignment)]`` of rostered students with no submission at all of an assignment
    graded in this run (listed in the reports; never a 0 in the statistics)."""
    have = {(o.student, o.assignment) for o in outcomes}
    return [(s.id, a) for a in sorted({o.assignment for o in outcomes}) for s in roster if (s.id, a) not in have]
