"""Grade reports: the grades CSV, the printed table, and a picture of the distribution."""

from __future__ import annotations

import csv
from pathlib import Path


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
        writer.writerow(["student", "assignment", "score", "max_score", "percent", "status", "reason"]
                        + cell_names)
        for o in outcomes:
            percent = "" if o.score is None or not o.max_score else f"{100 * o.score / o.max_score:.1f}"
            cells = []
            for name in cell_names:
                score = o.cells.get(name, (None, None))[0]
                cells.append("" if score is None else f"{score:g}")
            writer.writerow([o.student, o.assignment, "" if o.score is None else f"{o.score:g}",
                             f"{o.max_score:g}", percent, o.status, o.reason] + cells)
    return path


def table(outcomes) -> str:
    """A plain-text table: one row a student, one column an assignment (``score/max``)."""
    students = sorted({o.student for o in outcomes})
    assignment_ids = sorted({o.assignment for o in outcomes})
    cell = {(o.student, o.assignment): o for o in outcomes}
    rows = [["student"] + assignment_ids]
    for student in students:
        row = [student]
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
            lines.append(f"  {o.student} / {o.assignment}: {o.status}: {o.reason}")
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
    fig.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
