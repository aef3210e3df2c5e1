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


def write_csv(outcomes, path: Path) -> Path:
    """One row per (student, assignment): score, max, percent, status, reason, then each cell."""
    cell_names = []
    for outcome in outcomes:
        for name in outcome.cells:
            if name not in cell_names:
                cell_names.append(name)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([csv_cell(v) for v in
                         ["student", "assignment", "score", "max_score", "percent", "status", "reason",
                          "sandbox"] + cell_names])
        for o in outcomes:
            percent = "" if o.score is None or not o.max_score else f"{100 * o.score / o.max_score:.1f}"
            cells = []
            for name in cell_names:
                score = o.cells.get(name, (None, None))[0]
                cells.append("" if score is None else f"{score:g}")
            writer.writerow([csv_cell(o.student), csv_cell(o.assignment),
                             "" if o.score is None else f"{o.score:g}", f"{o.max_score:g}", percent,
                             csv_cell(o.status), csv_cell(o.reason), csv_cell(_sandbox_cell(o))] + cells)
    return path


#: The most submissions the table lists by name as graded with less than the full sandbox.
WEAK_LISTED = 10


def _sandbox_cell(outcome) -> str:
    if outcome.status in _NOTHING_RAN:
        return "not run"
    weak = weaker_sandbox(outcome)
    return f"WEAKER: {weak}" if weak else "full sandbox"


def table(outcomes) -> str:
    """A plain-text table: one row a student, one column an assignment (``score/max``)."""
    students = sorted({o.student for o in outcomes})
    assignment_ids = sorted({o.assignment for o in outcomes})
    cell = {(o.student, o.assignment): o for o in outcomes}
    rows = [["student"] + [printable(a) for a in assignment_ids]]
    for student in students:
        row = [printable(student)]
        for assignment in assignment_ids:
            o = cell.get((student, assignment))
            if o is None:
                row.append("-")
            elif o.score is None:
                row.append("NOT GRADED")
            else:
                row.append(f"{o.score:g}/{o.max_score:g}" + (" !" if o.needs_attention else ""))
        rows.append(row)
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
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

    assignment_ids = sorted({o.assignment for o in outcomes})
    fig, axes = plt.subplots(1, max(1, len(assignment_ids)), figsize=(4 * max(1, len(assignment_ids)), 3.2),
                             squeeze=False)
    for ax, assignment in zip(axes[0], assignment_ids):
        scores = [100 * o.score / o.max_score for o in outcomes
                  if o.assignment == assignment and o.score is not None and o.max_score]
        ax.hist(scores, bins=[0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100.01], color="#4c72b0",
                edgecolor="white")
        ax.set_title(f"{assignment} ({len(scores)} graded)")
        ax.set_xlabel("score (%)")
        ax.set_ylabel("students")
        ax.set_xlim(0, 100)
    fig.suptitle("Grade distribution")
    return _save(fig, path)


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

    lines = [f"{'assignment':<20} {'graded':>6} {'attention':>9} {'mean %':>7} {'median %':>8} "
             f"{'min %':>6} {'max %':>6}"]
    for assignment in sorted({o.assignment for o in outcomes}):
        group = [o for o in outcomes if o.assignment == assignment]
        shown = printable(assignment)
        percents = [100 * o.score / o.max_score for o in group if o.score is not None and o.max_score]
        attention = sum(o.needs_attention for o in group)
        if percents:
            lines.append(f"{shown:<20} {len(percents):>6} {attention:>9} {statistics.mean(percents):>7.1f} "
                         f"{statistics.median(percents):>8.1f} {min(percents):>6.1f} {max(percents):>6.1f}")
        else:
            lines.append(f"{shown:<20} {0:>6} {attention:>9}")
    return "\n".join(lines + sandbox_lines(outcomes))


def pass_rates(outcomes) -> dict:
    """``{(assignment, test cell): fraction of graded submissions with full marks on it}``."""
    counts: dict = {}
    for o in outcomes:
        if o.score is None:
            continue
        for cell, (score, maximum) in o.cells.items():
            full, total = counts.get((o.assignment, cell), (0, 0))
            counts[(o.assignment, cell)] = (full + (score == maximum), total + 1)
    return {key: full / total for key, (full, total) in counts.items() if total}


def plot_pass_rates(outcomes, path: Path) -> Path:
    """Save a bar chart of the per-exercise pass rate (which exercises the class found hard)."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    rates = pass_rates(outcomes)
    keys = sorted(rates)
    fig, ax = plt.subplots(figsize=(8, 0.32 * max(4, len(keys)) + 1.2))
    labels = [f"{a} · {c.removeprefix('test_')}" for a, c in keys]
    values = [100 * rates[k] for k in keys]
    colours = ["#c44e52" if v < 50 else "#dd8452" if v < 80 else "#55a868" for v in values]
    ax.barh(range(len(keys)), values, color=colours)
    ax.set_yticks(range(len(keys)), labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("students with full marks on the exercise (%)")
    ax.set_title("Per-exercise pass rate (red: under half the class)")
    return _save(fig, path)
