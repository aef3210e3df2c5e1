"""nbgrader configuration of the course (nbgrader 0.9.x).

Every setting below answers a fact measured on nbgrader 0.9.6 (see COURSE.md, "Grading facts").
The grading tools in ``helpers.grading`` load this same file, so the command line
(``nbgrader autograde ...``) and ``course grade`` grade identically.
"""

c = get_config()  # noqa: F821  (provided by traitlets when nbgrader loads this file)

# --- Layout -----------------------------------------------------------------------------------
c.CourseDirectory.course_id = "nn-from-first-principles"
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "release"
c.CourseDirectory.solution_directory = "solutions"
c.CourseDirectory.submitted_directory = "submitted"
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"
# Never copy caches or checkpoints into what students receive.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", ".DS_Store"]

# --- Student stubs ------------------------------------------------------------------------------
# One phrasing for every stub in the course; the line above each solution block says
# what to write and about how many lines it takes.
c.ClearSolutions.code_stub = {
    "python": "# YOUR CODE HERE\nraise NotImplementedError(\"Replace this line with your code.\")"
}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# --- Execution during autograde (and when solutions are generated) --------------------------
# A fixed kernel, whatever kernelspec a submission claims: the Python that runs nbgrader,
# where the course's `helpers` package is installed.
c.Execute.kernel_name = "python3"
# The heaviest cell (training in 08 under grading) takes a few seconds; 180 s leaves room
# for a slow shared machine while still stopping a stuck loop.
c.Execute.timeout = 180
c.Execute.interrupt_on_timeout = True
# A correct answer may print a numpy RuntimeWarning (for example exp overflow in a
# naive sigmoid of a huge input is not an error). nbgrader zeroes any test cell that
# writes to stderr; here stderr never changes a grade: only a raised error does.
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = r"(?s)."
# A deleted or renamed test cell is put back from the gradebook and graded.
c.OverwriteCells.add_missing_cells = True
# No cell is ever skipped: nbclient's skip tag is set to a name the course never uses, and the
# sanitising step below strips every tag from submitted cells anyway.
c.Execute.skip_cells_with_tag = "course-internal-never-skip"
c.Autograde.sanitize_preprocessors = [
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "nbgrader.preprocessors.OverwriteCells",
    "helpers.nbgrader_plugins.StripCellTags",
    "nbgrader.preprocessors.CheckCellMetadata",
]
# Keep a few MB of output per cell at most: a print loop cannot bloat the feedback.
c.LimitOutput.max_lines = 1000

# --- Late work (docs/late_work.md) ------------------------------------------------------------
# Due dates and the late penalty, declared once here. nbgrader reads a due date from its
# gradebook (Assignment.duedate), not from this file: `course grade` writes `due_dates` there on
# every run, so formgrader, `nbgrader autograde`, `nbgrader collect --before-duedate` and
# `nbgrader export` see the same dates. An assignment not listed keeps the gradebook's own due
# date (none unless someone set one with `nbgrader db assignment add --duedate`).
# A date without a time zone is UTC; e.g. {"05_shallow_network": "2026-03-13 23:59:00 Europe/Berlin"}.
# The penalty is nbgrader's own plugin hook: the course's plugin adds 'per_day' to nbgrader's
# 'none' and 'zero' (per started day late, `per_day` of the score, at most `max_fraction`).
# Changing a date or the policy regrades nothing: `course grade` recomputes every penalty.
c.AssignLatePenalties.plugin_class = "helpers.nbgrader_plugins.CourseLatePenalty"
c.CourseLatePenalty.due_dates = {}
c.CourseLatePenalty.penalty_method = "none"
c.CourseLatePenalty.per_day = 0.1
c.CourseLatePenalty.max_fraction = 0.5
