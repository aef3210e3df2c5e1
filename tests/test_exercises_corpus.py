"""What the student sees is what the grade is: a corpus of variants of the graded functions of the
assignments converted to one definition per exercise (helpers/exercises), each run both ways.

- **visible**: the released test cells (what students run: no hidden block) in one real kernel,
  after the notebook's own cells, with the variant's code in place of the solution;
- **graded**: ``course grade`` (helpers.classgrader: sandboxed nbgrader, then the trusted re-check)
  on one class holding one student per variant.

Correct alternatives must pass visibly and keep every point; mistakes must fail visibly and lose
the exercise's points. Any disagreement fails the suite, with the table of verdicts.
"""

from __future__ import annotations

import re
import runpy

import pytest

from helpers import classgrader, grading, submissions
from conftest import PROJECT

pytestmark = pytest.mark.slow


# One file per assignment converted to one definition per exercise: tests/corpus/<assignment>.py
# defines CORPUS, a list of (variant id, "correct" or "mistake", {solution cell: code}, what it is)
# and, optionally, a fifth item {solution cell: code} of correct functions the variant needs beside
# its mistake (05's nn_model that ignores what update_parameters returns needs an in-place
# update_parameters to pass visibly at all): their cells are judged as correct ones.
_MODULES = {path.stem: runpy.run_path(str(path))
            for path in sorted((PROJECT / "tests" / "corpus").glob("[0-9]*.py"))}
CORPUS = {name: [tuple(entry) + ({},) * (5 - len(entry)) for entry in module["CORPUS"]]
          for name, module in _MODULES.items()}

#: solution cell -> test cell, per assignment (from the definitions)
ASSIGNMENTS = sorted(CORPUS)


def _test_cell(assignment):
    from helpers import exercises

    return {ex.solution: ex.cell for ex in exercises.graded(assignment)}


def _visible_cell(source: str) -> str:
    """The test cell as released: nbgrader removes the hidden block."""
    return re.sub(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS\n?", "", source, flags=re.S)


def _visible_verdicts(assignment) -> dict:
    """{(variant, test cell): (passed, first line of the failure)}, all in one kernel."""
    from jupyter_client.manager import start_new_kernel

    nb = submissions.solutions_notebook(PROJECT, assignment)
    cells = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells}
    test_of = _test_cell(assignment)
    km, kc = start_new_kernel(kernel_name="python3", cwd=str(PROJECT / "source" / assignment))

    def run(code):
        msg_id = kc.execute(code, store_history=True)  # as a student runs it: concept questions read the history
        error = None
        while True:
            msg = kc.get_iopub_msg(timeout=120)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "error":
                error = f"{msg['content']['ename']}: {msg['content']['evalue']}".splitlines()[0]
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                return error

    try:
        for cell in nb.cells:  # the whole notebook once, as a student runs it
            if cell.cell_type == "code":
                run(_visible_cell(cell.source) if "### BEGIN HIDDEN TESTS" in cell.source else cell.source)
        out = {}
        for variant, _, replace, _, beside in CORPUS[assignment]:
            placed = {**beside, **replace}
            for solution, code in placed.items():
                run(code)
            for solution in placed:
                test = test_of[solution]
                error = run(_visible_cell(cells[test].source))
                out[(variant, test)] = (error is None, error or "")
            for solution in placed:  # back to the solutions for the next variant
                run(cells[solution].source)
        return out
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def verdicts(request, tmp_path_factory):
    assignment = request.param
    visible = _visible_verdicts(assignment)
    course = grading.make_course_copy(PROJECT, tmp_path_factory.mktemp(assignment), [assignment])
    for variant, _, replace, _, beside in CORPUS[assignment]:
        nb = submissions.apply_bugs(submissions.solutions_notebook(course, assignment), {**beside, **replace})
        submissions.place(course, variant, assignment, nb)
    outcomes = {o.student: o for o in classgrader.grade_class(
        course, [assignment], feedback=False, log=lambda *_: None, progress=False)}
    return assignment, visible, outcomes


def table(assignment, visible, outcomes) -> list:
    """[(variant, kind, test cell, visible verdict, graded verdict, problem or "")]"""
    test_of = _test_cell(assignment)
    rows = []
    for variant, kind, replace, what, beside in CORPUS[assignment]:
        outcome = outcomes[variant]
        judged = {test_of[s] for s in {**beside, **replace}}
        for solution, cell_kind in [(s, kind) for s in replace] + [(s, "correct") for s in beside]:
            test = test_of[solution]
            passed, message = visible[(variant, test)]
            score, maximum = outcome.cells.get(test, (None, None))
            full = score is not None and score == maximum
            # One check judges one function: a mistake costs its own cell only (the functions
            # that call it are graded with the reference's version, Exercise(uses=,
            # graded_with_reference=True)); no other cell may lose points.
            others = {n: s for n, (s, m) in outcome.cells.items() if n not in judged and s != m}
            problem = []
            if passed != full:
                problem.append("visible and graded disagree")
            if cell_kind == "correct" and not (passed and full):
                problem.append("a correct alternative is refused")
            if cell_kind == "mistake" and (passed or score != 0):
                problem.append("a mistake keeps points or passes visibly")
            if others:
                problem.append(f"other cells lose points: {others}")
            rows.append((variant, cell_kind, test, "pass" if passed else f"FAIL ({message[:70]})",
                         f"{score}/{maximum}", "; ".join(problem)))
    return rows


def test_visible_verdict_is_the_graded_verdict(verdicts):
    assignment, visible, outcomes = verdicts
    bad = [o for o in outcomes.values() if o.status != "graded"]
    assert not bad, [(o.student, o.reason) for o in bad]
    rows = table(assignment, visible, outcomes)
    text = "\n".join(f"  {v:<28} {k:<8} {t:<24} {vis:<90} {g:<6} {p}" for v, k, t, vis, g, p in rows)
    print(f"\n{assignment}: variant, kind, test cell, visible, graded\n{text}")
    wrong = [row for row in rows if row[-1]]
    assert not wrong, f"{assignment}: {len(wrong)} disagreement(s):\n{text}"


def test_every_exercise_has_correct_and_buggy_variants(verdicts):
    assignment, _, _ = verdicts
    test_of = _test_cell(assignment)
    kinds = {(test_of[s], kind) for _, kind, replace, _, _ in CORPUS[assignment] for s in replace}
    missing = [(cell, kind) for cell in test_of.values() for kind in ("correct", "mistake")
               if (cell, kind) not in kinds]
    assert not missing, f"{assignment}: no corpus variant for {missing}"


def test_visible_failures_put_the_essential_words_first(verdicts):
    """nbgrader's Validate keeps ~80 characters: the first 70 name the function and the problem."""
    assignment, visible, _ = verdicts
    test_of = _test_cell(assignment)
    bad = []
    for variant, kind, replace, _, beside in CORPUS[assignment]:
        for solution in {**beside, **replace}:
            passed, message = visible[(variant, test_of[solution])]
            if not passed and message.startswith("CheckFailure") and solution not in message[:70]:
                bad.append(f"{variant}: {message[:100]}")
    assert not bad, "\n".join(bad)
