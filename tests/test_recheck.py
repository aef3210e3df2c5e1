"""The trusted re-check agrees with the hidden tests on honest submissions, for every assignment:
the solutions pass every cell, the stubs fail every cell, and each fixture fails exactly the cells
its expected scores take to zero (and passes the cells it keeps in full)."""

from __future__ import annotations

import pytest

from helpers import notebooks, recheck, submissions
from conftest import ASSIGNMENTS, PROJECT

pytestmark = pytest.mark.slow


def _test_ids(assignment):
    return set(notebooks.graded_cells(submissions.solutions_notebook(PROJECT, assignment)))


def _run(tmp_path, assignment, nb, name):
    path = tmp_path / f"{name}.ipynb"
    notebooks.write(nb, path)
    return recheck.recheck(path, assignment, _test_ids(assignment),
                           folder_files=PROJECT / "source" / assignment, seed=12345)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_assignment_has_a_recheck_for_every_graded_cell(assignment):
    assert recheck.has_spec(assignment), f"helpers/recheck/{assignment}.py is missing"
    import numpy as np

    cells = {case.cell for case in recheck.spec(assignment).cases(np.random.default_rng(0))}
    assert cells == _test_ids(assignment), f"cells without a re-check: {_test_ids(assignment) - cells}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_recheck_agrees_with_the_hidden_tests(assignment, tmp_path):
    if not recheck.has_spec(assignment):
        pytest.skip(f"no re-check for {assignment} (the coverage test above fails for it)")
    solutions = _run(tmp_path, assignment, submissions.solutions_notebook(PROJECT, assignment), "solutions")
    failed = {cell: r.message for cell, r in solutions.items() if not r.passed}
    assert not failed, f"the solutions fail the re-check: {failed}"
    stubs = _run(tmp_path, assignment, submissions.stubs_notebook(PROJECT, assignment), "stubs")
    passed = [cell for cell, r in stubs.items() if r.passed]
    assert not passed, f"the stubs pass the re-check on {passed}"
    for fixture in submissions.fixtures(PROJECT, assignment):
        nb = submissions.apply_bugs(submissions.solutions_notebook(PROJECT, assignment), fixture["replace"])
        result = _run(tmp_path, assignment, nb, fixture["student"])
        for cell, verdict in result.items():
            expected = fixture["expected"].get(cell)
            if expected == 0:
                assert not verdict.passed, f"{fixture['student']}: {cell} passes the re-check"
            elif expected is None:
                assert verdict.passed, f"{fixture['student']}: {cell} fails the re-check: {verdict.message}"
