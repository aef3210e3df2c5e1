"""The course's own nbgrader preprocessors (named in ``nbgrader_config.py``)."""

from __future__ import annotations

from nbgrader.preprocessors import NbGraderPreprocessor


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
