"""Grade reports: the grades CSV, the printed table, and a picture of the distribution.

Student ids, reasons and notes can carry text a student chose (the reason of a failed run quotes
the kernel). Printed text goes through :func:`printable` (no control or escape character reaches
the terminal, so no line can be forged) and every CSV cell through :func:`csv_cell` (no cell is
read as a formula by a spreadsheet).
"""

from __future__ import annotations

import csv
from pathlib import Path

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
                         ["student", "assignment", "score", "max_score", "percent", "status", "reason"]
                         + cell_names])
        for o in outcomes:
            percent = "" if o.score is None or not o.max_score else f"{100 * o.score / o.max_score:.1f}"
            cells = []
            for name in cell_names:
                score = o.cells.get(name, (None, None))[0]
                cells.append("" if score is None else f"{score:g}")
            writer.writerow([csv_cell(o.student), csv_cell(o.assignment),
                             "" if o.score is None else f"{o.score:g}", f"{o.max_score:g}", percent,
                             csv_cell(o.status), csv_cell(o.reason)] + cells)
    return path


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
    return "\n".join(lines)


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
