"""The trusted re-check agrees with the hidden tests on honest submissions, for every assignment:
the solutions pass every cell, the stubs fail every cell, and each fixture fails exactly the cells
its expected scores take to zero (and passes the cells it keeps in full)."""

from __future__ import annotations

import pytest

from helpers import exercises, notebooks, recheck, submissions
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
    # Concept questions are judged on the submitted text (exercises.question_checks), not by a case.
    cells |= {q.cell for q in exercises.questions(assignment)}
    assert cells == _test_ids(assignment), (f"cells without a re-check: {_test_ids(assignment) - cells}; "
                                            f"re-checks without a cell: {cells - _test_ids(assignment)}")


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


REFERENCE_MODULES = {"01_notation": "notation", "02_vectorization": "vectorization", "03_activations": "activations",
                     "04_derivatives": "derivatives", "05_shallow_network": "shallow",
                     "06_initialization": "initialization", "07_deep_network": "deep_network",
                     "08_cat_classifier": "deep_network"}
# Seeds per assignment: as many as a few seconds allow (08's cases train networks).
SEEDS = {"05_shallow_network": 60, "06_initialization": 60, "08_cat_classifier": 20}


def _materialise(value):
    if isinstance(value, (recheck.Fn, recheck.Rng)):
        return value.make()
    if isinstance(value, (tuple, list)):
        return type(value)(_materialise(v) for v in value)
    if isinstance(value, dict):
        return {k: _materialise(v) for k, v in value.items()}
    return value


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_reference_passes_the_recheck_whatever_the_seed(assignment):
    """The re-check draws fresh inputs for every grading run, so a case that the reference itself
    fails on some draws would take points from a correct student now and then (04's gradient check
    did, on 3 % of draws, before its inputs were kept out of tanh's saturation)."""
    import importlib
    import warnings

    import numpy as np

    reference = importlib.import_module(f"helpers.reference.{REFERENCE_MODULES[assignment]}")
    failures = []
    for seed in range(SEEDS.get(assignment, 150)):
        for case in recheck.spec(assignment).cases(np.random.default_rng(seed)):
            args, kwargs = _materialise(case.args), _materialise(case.kwargs)
            with warnings.catch_warnings(), np.errstate(all="raise" if case.strict else "warn"):
                warnings.simplefilter("error" if case.strict else "ignore")
                try:
                    got = ("ok", getattr(reference, case.call)(*args, **kwargs))
                except Exception as error:
                    got = ("error", f"{type(error).__name__}: {error}")
            verdict = recheck._judge(case, got)
            if verdict:
                failures.append(f"seed {seed}: {verdict}")
    assert not failures, f"{len(failures)} failures, first: " + "\n".join(failures[:3])
