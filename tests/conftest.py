"""Shared fixtures of the course's test suite."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from helpers import data, grading

PROJECT = Path(__file__).resolve().parents[1]
ASSIGNMENTS = grading.assignments(PROJECT)

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MPLBACKEND", "Agg")


def pytest_configure(config):
    problems = data.problems()
    if problems:
        raise pytest.UsageError(
            "the cat data is not ready (" + "; ".join(problems) + "): run `make data` first"
        )


def points(assignment: str) -> dict:
    """``{test cell: points}`` of an assignment, read from its source notebook (so that a test
    never repeats a total that changes when an exercise or a concept question is added)."""
    from helpers import notebooks

    [path] = sorted((PROJECT / "source" / assignment).glob("*.ipynb"))
    return {cell.metadata["nbgrader"]["grade_id"]: cell.metadata["nbgrader"].get("points", 0)
            for cell in notebooks.read(path).cells
            if cell.metadata.get("nbgrader", {}).get("grade") and not cell.metadata["nbgrader"].get("solution")}


@pytest.fixture(scope="session")
def project() -> Path:
    return PROJECT


def pytest_terminal_summary(terminalreporter):
    """Each reason for skipping said once, with how many tests it skipped (a machine without
    root, cgroups or a browser skips dozens of tests for three reasons)."""
    from collections import Counter

    reasons = Counter()
    for report in terminalreporter.stats.get("skipped", []):
        longrepr = report.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)
        reasons[reason.removeprefix("Skipped: ")] += 1
    if reasons:
        terminalreporter.section("skipped, by reason")
        for reason, count in reasons.most_common():
            terminalreporter.write_line(f"{count:4d} test(s): {reason}")
