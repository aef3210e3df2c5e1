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


@pytest.fixture(scope="session")
def project() -> Path:
    return PROJECT
