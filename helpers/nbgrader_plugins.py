"""The course's own nbgrader preprocessors and plugins (named in ``nbgrader_config.py``)."""

from __future__ import annotations

import math

from nbgrader.plugins import LateSubmissionPlugin
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Dict, Enum, Float, TraitError, validate


class StripCellTags(NbGraderPreprocessor):
    """Remove every cell tag from a submission before it runs.

    nbclient skips cells tagged ``skip-execution`` and nbgrader then credits such a test cell
    without running it; other tags (``raises-exception``) change how errors are recorded.
    No tag a student adds may change how a notebook is graded, so none survive sanitising.
    """

    def preprocess_cell(self, cell, resources, cell_index):
        if "tags" in cell.metadata:
            del cell.metadata["tags"]
        return cell, resources


class CourseLatePenalty(LateSubmissionPlugin):
    """The course's late-submission plugin: nbgrader's own (``penalty_method`` ``'none'`` or
    ``'zero'``) plus ``'per_day'``: ``per_day`` of the notebook's score per started day late
    (late by one minute or by 24 h: one day), at most ``max_fraction`` of it.

    nbgrader calls it with the notebook's score and the seconds late (after the due date and the
    student's extension) and keeps the penalty between 0 and the score; ``course grade`` calls
    the same method (:mod:`helpers.late`), so both write the same ``late_submission_penalty``.
    The due dates live here too (``due_dates``): ``course grade`` writes them into the
    gradebook's ``Assignment.duedate``, where nbgrader itself reads a due date (see
    docs/late_work.md).
    """

    penalty_method = Enum(("none", "zero", "per_day"), default_value="none",
                          help="'none': no penalty; 'zero': the whole score; 'per_day': "
                               "per_day of the score per started day late, at most max_fraction").tag(config=True)
    per_day = Float(0.1, help="with 'per_day': the fraction of the score taken per started day late").tag(config=True)
    max_fraction = Float(1.0, help="with 'per_day': the most of the score a late submission loses").tag(config=True)
    due_dates = Dict(help="{assignment: due date} as nbgrader parses it ('2026-03-13 23:59:00 Europe/Berlin'; "
                          "no time zone: UTC); course grade writes them into the gradebook").tag(config=True)

    @validate("per_day", "max_fraction")
    def _fraction(self, proposal):
        value = proposal["value"]
        if not (0.0 <= value <= 1.0) or value != value:
            raise TraitError(f"{proposal['trait'].name} must be between 0 and 1, not {value!r}")
        return value

    def fraction(self, total_seconds_late: float) -> float:
        """The fraction of the score a submission this late loses (0 when on time)."""
        if not total_seconds_late or total_seconds_late <= 0 or self.penalty_method == "none":
            return 0.0
        if self.penalty_method == "zero":
            return 1.0
        days = math.ceil(total_seconds_late / 86400)
        return min(self.max_fraction, self.per_day * days)

    def late_submission_penalty(self, student_id: str, score: float, total_seconds_late: float):
        if self.penalty_method in ("none", "zero"):
            return super().late_submission_penalty(student_id, score, total_seconds_late)
        if not total_seconds_late or total_seconds_late <= 0:
            return None
        return max(0.0, score) * self.fraction(total_seconds_late)
