"""One definition per exercise (helpers/exercises): the test cells of a converted assignment are
generated from its definition and never edited by hand; the reference passes every visible case
(the literals in the notebook) and every hidden case on many seeds; what students receive runs
no reference code; the rules and messages of helpers.checks.call work as documented."""

from __future__ import annotations

import copy

import re
import warnings

import numpy as np
import pytest

from helpers import checks, exercises, notebooks, recheck
from conftest import ASSIGNMENTS, PROJECT

CONVERTED = [a for a in ASSIGNMENTS if exercises.has_definition(a)]
HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.S)


def _notebook(folder, assignment):
    [path] = sorted((PROJECT / folder / assignment).glob("*.ipynb"))
    return notebooks.read(path)


def test_at_least_one_assignment_is_converted():
    assert "01_notation" in CONVERTED


@pytest.mark.parametrize("assignment", CONVERTED)
def test_test_cells_are_generated_from_the_definition(assignment):
    stale = exercises.render(PROJECT, assignment, write=False)
    assert not stale, (f"{assignment}: test cells {stale} differ from helpers/exercises/{assignment}.py: "
                       f"run `python -m helpers.exercises render {assignment}` and "
                       f"`course generate {assignment}`")


@pytest.mark.parametrize("assignment", CONVERTED)
def test_every_graded_cell_has_one_definition_and_no_hand_written_hidden_test(assignment):
    nb = _notebook("source", assignment)
    graded = set(notebooks.graded_cells(nb))
    defined = [ex.cell for ex in exercises.graded(assignment)]
    assert len(defined) == len(set(defined)), f"{assignment}: a test cell is defined twice"
    assert set(defined) == graded, f"{assignment}: graded cells without a definition: {graded - set(defined)}"
    for cell in nb.cells:
        for block in HIDDEN.findall(cell.source):
            code = [line for line in block.splitlines() if line.strip() and not line.startswith("#")]
            assert code[-1].startswith(("exercises.hidden(", "exercises.use_reference(")) and len(code) == 2, (
                f"{assignment}: a hidden block holds hand-written code:\n{block}")


@pytest.mark.parametrize("assignment", CONVERTED)
def test_the_reference_passes_every_visible_case(assignment):
    """The literals written into the notebook are what the reference computes (or what the author
    typed, and then the reference agrees with it), under the exercise's rules."""
    for ex in exercises.exercises(assignment):
        reference = exercises.reference_function(assignment, ex)
        for case in ex.visible:
            space, args = exercises.visible_inputs(case)
            expected = exercises.visible_expected(assignment, ex, case)
            if case.expected == exercises.REFERENCE:  # as the notebook holds it: a literal
                expected = eval(exercises.literal(expected), {"np": np})
            checks.expect(reference, *args, expected=expected, label=case.label or ex.function,
                          rules=ex.rules, rtol=ex.rtol, atol=ex.atol)


@pytest.mark.parametrize("assignment", CONVERTED)
def test_the_reference_passes_the_hidden_cases_under_the_rules_whatever_the_seed(assignment):
    for ex in exercises.exercises(assignment):
        reference = exercises.reference_function(assignment, ex)
        for seed in range(30):
            for case in exercises.hidden_cases(ex, np.random.default_rng(seed)):
                # on copies, as exercises.hidden calls: a generator argument or an in-place update
                # (07's RandomState, update_parameters) must not change the case the judge reads
                got = checks.call(reference, *copy.deepcopy(case.args), rules=ex.rules,
                                  **copy.deepcopy(case.kwargs))
                exercises.judge(assignment, ex, case, got)


@pytest.mark.parametrize("assignment", CONVERTED)
def test_the_recheck_is_made_from_the_definition(assignment):
    spec = recheck.spec(assignment)
    assert isinstance(spec, exercises.RecheckSpec)
    cases = spec.cases(np.random.default_rng(0))
    assert {c.cell for c in cases} == {ex.cell for ex in exercises.exercises(assignment)}
    assert all(c.rules for c in cases), "every re-check call carries its exercise's rules"


@pytest.mark.parametrize("assignment", CONVERTED)
def test_what_students_receive_runs_no_reference_and_no_definition(assignment):
    from helpers.reference import deep_network

    for cell in _notebook("release", assignment).cells:
        assert "helpers.exercises" not in cell.source and "exercises." not in cell.source
        if cell.source == deep_network.export_blocks():
            continue  # 08's generated read-only blocks name their source in a comment (tests/test_cat_classifier.py)
        assert "reference" not in cell.source


# --- checks.call: the rules, as students meet them ------------------------------------------------

def _failure(func, *args, rules=checks.DEFAULT_RULES, **kwargs) -> str:
    with pytest.raises(checks.CheckFailure) as error:
        checks.call(func, *args, rules=rules, **kwargs)
    return str(error.value)


train_x = np.ones((2, 2))  # a notebook global, for the arguments_only rule


def uses_global(x):
    return train_x + x


def test_rules_explain_themselves_in_the_first_line():
    def in_place(x):
        x += 1
        return x

    def seeds(x):
        np.random.seed(0)
        return x

    def overflows(z):
        return 1 / (1 + np.exp(-z))

    def loops(x):
        return np.array([v * 2 for v in x])

    cases = [(uses_global, "reads the notebook's global array(s) ['train_x']", checks.DEFAULT_RULES),
             (in_place, "modified its input (argument 1)", checks.DEFAULT_RULES),
             (seeds, "used numpy's global random generator", checks.DEFAULT_RULES),
             (overflows, "numpy reported a floating-point problem", ("no_warnings",)),
             (loops, "a Python loop where the lesson is vectorization", ("no_loops",))]
    for func, words, rules in cases:
        arg = np.array([-1000.0, 0.0]) if func is overflows else np.ones((2, 2))
        first = _failure(func, arg, rules=rules).splitlines()[0]
        assert first.startswith(func.__name__) and words in first[:80], first


def test_correct_code_passes_every_rule_and_generators_may_advance():
    def fine(x, rng):
        return x * rng.standard_normal(x.shape)

    state = np.random.get_state()
    got = checks.call(fine, np.ones(3), np.random.default_rng(0), rules=tuple(checks.RULES))
    assert got.shape == (3,) and np.random.get_state()[1].tolist() == state[1].tolist()


def test_a_shape_error_gets_a_note_with_the_shapes():
    def bad(W, X):
        return W * X

    with pytest.raises(ValueError) as error:
        checks.call(bad, np.ones((3, 2)), np.ones((2, 3)), label="bad(W, X)", expected_shape=(3, 3))
    notes = " ".join(getattr(error.value, "__notes__", []))
    assert "shape (3, 2), shape (2, 3)" in notes and "(3, 3)" in notes


def test_expect_names_the_function_and_the_problem_first():
    def image2vector(image):
        return image.ravel()

    with pytest.raises(checks.CheckFailure) as error:
        checks.expect(image2vector, np.zeros((2, 2, 3)), expected=np.zeros((12, 1)),
                      label="image2vector(np.zeros((2, 2, 3)))")
    first, second = str(error.value).splitlines()[:2]
    assert first.startswith("image2vector: wrong shape") and "call:" in second


def test_a_check_failure_shows_its_message_first_in_a_notebook():
    failure = checks.CheckFailure("f: wrong shape\n  expected: (2, 1)")
    assert failure._render_traceback_() == ["CheckFailure: f: wrong shape", "  expected: (2, 1)"]


def test_literals_round_trip():
    values = [np.arange(6).reshape(2, 3), np.array([[0.1], [1 / 3]]), {"W1": (4, 3)}, (1.5, 2),
              np.array([True, False]), np.float64(0.25), [1, 2]]
    for value in values:
        back = eval(exercises.literal(value), {"np": np})
        with warnings.catch_warnings():
            checks.compare(back, value, "literal")


# --- Concept questions ---------------------------------------------------------------------------

def test_answers_are_compared_as_a_student_means_them():
    letters = ("a", "b", "c", "d")
    assert checks.answer_text(" B", letters) == ("b", None)
    assert checks.answer_text("e", letters)[1].startswith("'e' is not one of the choices")
    assert "a letter in quotes" in checks.answer_text(2, letters)[1]
    assert checks.answer_text(261, ()) == ("261", None)
    assert checks.answer_text(261.0, ()) == ("261", None)
    assert checks.answer_text(np.int64(261), ()) == ("261", None)
    assert "whole number" in checks.answer_text(261.5, ())[1]
    assert 'not "261"' in checks.answer_text("261", ())[1]
    assert checks.answer_text(True, ())[1].startswith("answer with a number")
    assert checks.answer_text(0.2501, (), decimals=2) == ("0.25", None)
    assert checks.answer_text(float("nan"), (), decimals=2)[1].startswith("answer with a finite")


def test_the_literal_answer_is_read_from_the_text_never_run():
    assert checks.literal_answer('q = "b"\nq = "c"', "q") == (True, "c", None)
    assert checks.literal_answer("q: int = -3", "q") == (True, -3, None)
    found, value, problem = checks.literal_answer('q = "B".lower()', "q")
    assert found and value is None and "not an expression" in problem
    assert checks.literal_answer("def f():\n    q = 1\n", "q") == (False, None, None)  # not top level
    assert checks.literal_answer("q = (", "q") == (False, None, None)


def _question(**kwargs):
    return exercises.Question(**{"name": "q_test", "cell": "test_q_test", "answer": "b",
                                 "explanation": "Think about the range of the output.",
                                 "choices": ("a", "b", "c"), **kwargs})


def test_a_question_whose_own_answer_is_not_acceptable_is_refused():
    with pytest.raises(ValueError, match="not one of the choices"):
        _question(answer="z")


def _run_rendered(q, code: str) -> str:
    """Run the answer code, then the rendered test cell without its hidden block, in a fresh
    namespace (no IPython: the value itself is judged); returns what was printed or the failure."""
    import contextlib
    import io

    cell = HIDDEN.sub("", exercises.render_question("01_notation", q))
    space = {"checks": checks, "np": np}
    exec(code, space)
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            exec(cell, space)
    except checks.CheckFailure as failure:
        return str(failure)
    return out.getvalue()


def test_the_released_check_of_a_question_holds_no_answer_and_explains_a_wrong_one():
    q = _question()
    visible = HIDDEN.sub("", exercises.render_question("01_notation", q))
    other = HIDDEN.sub("", exercises.render_question("01_notation", _question(answer="c")))
    digest = checks.answer_digest("q_test", "b")
    assert digest in visible and visible.replace(digest, "") == other.replace(checks.answer_digest("q_test", "c"), ""), (
        "the released cell depends on the answer through its fingerprint only")
    assert _run_rendered(q, 'q_test = "b"').strip() == "All checks passed: q_test."
    assert _run_rendered(q, 'q_test = " B "').strip() == "All checks passed: q_test."
    wrong = _run_rendered(q, 'q_test = "a"')
    assert wrong.startswith("q_test: 'a' is not the answer") and "range of the output" in wrong
    assert "no answer yet" in _run_rendered(q, "")
    assert "not one of the choices" in _run_rendered(q, 'q_test = "e"')


def test_the_grader_judges_a_question_on_the_text_of_the_notebook():
    import types

    q = _question()
    fake = types.SimpleNamespace(QUESTIONS=[q], EXERCISES=[])
    original = exercises.definition
    exercises.definition = lambda assignment: fake
    try:
        judge = lambda code: exercises.question_checks("x", code)["test_q_test"]
        assert judge(['import numpy as np', 'q_test = "b"']) is None
        assert judge(['q_test = "b"', 'q_test = "c"']) == "q_test: 'c' is not the answer"
        assert "no answer" in judge(['raise NotImplementedError("Replace this line with your code.")'])
        assert "not an expression" in judge(['q_test = chr(98)'])
        assert "no answer" in judge(['def f():\n    q_test = "b"'])
    finally:
        exercises.definition = original
