"""The visible checks explain: coarse to fine, expected vs got, and a hint for known mistakes."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import checks


def failure(got, expected, **kwargs) -> str:
    with pytest.raises(checks.CheckFailure) as error:
        checks.compare(got, expected, "f(x)", **kwargs)
    return str(error.value)


def test_equal_values_pass_and_return_none():
    assert checks.compare(np.ones((2, 3)), np.ones((2, 3)), "f") is None
    assert checks.compare({"a": 1.0, "b": (1, 2)}, {"a": 1.0 + 1e-12, "b": (1, 2)}, "f") is None
    assert checks.compare(0.5, 0.5, "f") is None
    assert checks.compare(np.float64(0.5), 0.5, "f") is None


def test_none_says_the_return_line_is_missing():
    message = failure(None, np.zeros((2, 1)))
    assert "nothing came back" in message and "return" in message


def test_list_instead_of_array():
    message = failure([1.0, 2.0], np.array([1.0, 2.0]))
    assert "wrong type" in message and "numpy array" in message


def test_rank1_shape_hint_mentions_keepdims():
    message = failure(np.zeros(4), np.zeros((4, 1)))
    assert "wrong shape" in message and "(4, 1)" in message and "(4,)" in message
    assert "rank-1" in message and "keepdims" in message


def test_transposed_shape_hint():
    message = failure(np.zeros((3, 5)), np.zeros((5, 3)))
    assert "transposed" in message


def test_non_finite_values_are_named_before_values():
    got = np.array([[1.0, np.nan], [0.0, 2.0]])
    message = failure(got, np.ones((2, 2)))
    assert "not finite" in message and "(0, 1)" in message


def test_value_difference_reports_largest_difference_and_tolerance():
    message = failure(np.array([1.0, 2.0, 3.5]), np.array([1.0, 2.0, 3.0]))
    assert "largest difference 0.5 at index (2,)" in message
    assert "expected: [1., 2., 3.]" in message and "got:      [1. , 2. , 3.5]" in message


def test_known_mistake_hint_is_shown():
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    message = failure(x * 2, x + 1, mistakes={"you doubled instead of adding one": x * 2})
    assert "hint: you doubled instead of adding one" in message


def test_dict_keys_are_checked_before_values():
    message = failure({"W1": np.ones((2, 2))}, {"W1": np.ones((2, 2)), "b1": np.zeros((2, 1))})
    assert "missing key(s) ['b1']" in message


def test_dict_values_name_the_key():
    message = failure({"W1": np.ones((2, 2)), "b1": np.zeros(2)},
                      {"W1": np.ones((2, 2)), "b1": np.zeros((2, 1))})
    assert "f(x)['b1']: wrong shape" in message


def test_tuple_length_and_elements():
    assert "wrong number of items" in failure((1.0,), (1.0, 2.0))
    assert "f(x)[1]: wrong value" in failure((1.0, 3.0), (1.0, 2.0))


def test_number_expected_array_given():
    message = failure(np.array([[0.5]]), 0.5)
    assert "wrong type" in message and "float(...)" in message


def test_integer_array_where_fractions_expected():
    message = failure(np.array([0, 1]), np.array([0.5, 1.0]))
    assert "integer values" in message


def test_run_turns_a_stub_into_a_clear_failure_and_keeps_other_errors():
    def stub(x):
        raise NotImplementedError("Replace this line with your code.")

    def buggy(x):
        return x.no_such_attribute

    with pytest.raises(checks.CheckFailure, match="stub\\(\\) is not written yet"):
        checks.run(stub, 1)
    with pytest.raises(AttributeError):
        checks.run(buggy, np.zeros(1))


def test_gradient_table_names_the_broken_key(capsys):
    good = {"dW1": np.ones((2, 2)), "db1": np.ones((2, 1))}
    bad = {"dW1": np.ones((2, 2)), "db1": np.ones((2, 1)) * 1.1}
    assert set(checks.gradient_table(good, good)) == {"dW1", "db1"}
    with pytest.raises(checks.CheckFailure, match=r"\['db1'\]"):
        checks.gradient_table(bad, good)
    out = capsys.readouterr().out
    assert "dW1" in out and "ok" in out and "db1  differs by" in out


def test_relative_difference():
    assert checks.relative_difference(np.zeros(3), np.zeros(3)) == 0.0
    assert checks.relative_difference(np.ones(3), np.ones(3)) == 0.0
    assert checks.relative_difference(np.ones(3), -np.ones(3)) == pytest.approx(1.0)


def test_run_by_name_tells_which_cell_to_run():
    namespace = {"checks": checks}
    exec("def square(x):\n    return x * x\n", namespace)
    exec("value = checks.run('square', 3)", namespace)
    assert namespace["value"] == 9
    with pytest.raises(checks.CheckFailure, match="cube is not defined yet: run the cell that defines it"):
        exec("checks.run('cube', 3)", namespace)


def test_the_global_random_rule_sees_a_reseed_to_the_state_it_already_had():
    """np.random.seed(0) when the global state already was seed 0's leaves the state as it was:
    the rule must see it anyway, whatever ran before (the checks put a fresh state in first)."""
    def reseeds(shape):
        np.random.seed(0)
        return np.zeros(shape)

    np.random.seed(0)
    with pytest.raises(checks.CheckFailure, match="global random generator"):
        checks.call(reseeds, (2, 2), rules=("global_random_untouched",))
    assert np.random.randint(1 << 30) == np.random.RandomState(0).randint(1 << 30), \
        "the caller's global state is restored after the check"
    checks.call(lambda shape: np.zeros(shape), (2, 2), rules=("global_random_untouched",))


def test_the_global_random_rule_restores_the_state_when_the_function_raises():
    def broken(shape):
        raise ValueError("operands could not be broadcast together")

    np.random.seed(5)
    expected = np.random.RandomState(5).randint(1 << 30)
    with pytest.raises(ValueError):
        checks.call(broken, (2, 2), rules=("global_random_untouched",))
    assert np.random.randint(1 << 30) == expected


# --- no_loops: the function's text, and the Python lines it runs for m and 4m examples ----------

NO_LOOPS = checks.DEFAULT_RULES + ("no_loops",)


def _cell(source: str) -> dict:
    """Run ``source`` as a notebook cell would (no file to read the source back from)."""
    space = {"np": np}
    exec(compile(source, "<cell>", "exec"), space)
    return space


def _problem(m=5, n_x=3, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((n_x, 1)), 0.1, rng.standard_normal((n_x, m)),
            (rng.random((1, m)) > 0.5).astype(int))


def _no_loops_failure(func, *args) -> str:
    with pytest.raises(checks.CheckFailure) as error:
        checks.call(func, *args, rules=NO_LOOPS)
    return str(error.value)


def test_loops_over_a_fixed_handful_of_items_are_allowed_in_the_text():
    import ast

    allowed = ["c, d = map(float, (x.sum(), y.sum()))", "t = [float(v) for v in (x.sum(), y.sum())]",
               "for key in ('dw', 'db'):\n    pass", "for i in range(3):\n    pass",
               "for i, key in enumerate(['a', 'b']):\n    pass", "t = {k: 0 for k in ('w', 'b')}"]
    refused = ["for i in range(x.shape[1]):\n    pass", "for v in x:\n    pass", "t = list(map(float, x))",
               "for i in range(1000):\n    pass", "while True:\n    break", "t = [v for v in (x, y) for w in x]",
               "f = np.vectorize(float)"]
    for text in allowed:
        assert checks.loops_in_tree(ast.parse(text), "f")[0] == [], text
    for text in refused:
        assert checks.loops_in_tree(ast.parse(text), "f")[0], text


def test_whole_array_code_passes_the_measured_rule_and_costs_little():
    def propagate(w, b, X, Y):
        m = X.shape[1]
        A = 1 / (1 + np.exp(-(w.T @ X + b)))
        cost, db = map(float, (-np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m, np.sum(A - Y) / m))
        return {"dw": X @ (A - Y).T / m, "db": db}, cost

    checks.call(propagate, *_problem(), rules=NO_LOOPS)
    checks.call(propagate, *_problem(m=1), rules=NO_LOOPS)   # m = 1: nothing to measure


def test_a_loop_over_the_examples_is_measured_wherever_it_hides():
    """The text of the function shows no loop; the lines it runs grow with m."""
    helper = _cell("def column_sigmoid(w, b, X):\n"
                   "    return np.array([[1 / (1 + np.exp(-(float(w[:, 0] @ X[:, i]) + b)))\n"
                   "                      for i in range(X.shape[1])]])\n")
    other_cell = _cell("def predict(w, b, X):\n    return (column_sigmoid(w, b, X) > 0.5).astype(float)\n")
    other_cell["column_sigmoid"] = helper["column_sigmoid"]
    made_by_exec = _cell("src = 'def predict(w, b, X):\\n    out = []\\n    for x in X.T:\\n        out.append(float(w[:, 0] @ x + b > 0))\\n    return np.array([out])\\n'\n"
                         "exec(compile(src, 'made', 'exec'))\n")
    wrapped = _cell("def wrap(f):\n    def inner(*args):\n        return f(*args)\n    return inner\n"
                    "def slow(w, b, X):\n    return np.array([[float(w[:, 0] @ x + b > 0) for x in X.T]])\n"
                    "predict = wrap(slow)\n")
    w, b, X, _ = _problem()
    for space in (other_cell, made_by_exec, wrapped):
        message = _no_loops_failure(space["predict"], w, b, X)
        first = message.splitlines()[0]
        assert "a Python loop over the examples (rule no_loops)" in first[:70] or \
            "a Python loop where the lesson is vectorization" in first[:80], message
    first = _no_loops_failure(other_cell["predict"], w, b, X).splitlines()[0]
    assert first.startswith("predict: a Python loop over the examples") and "column_sigmoid" in first


def test_the_measured_rule_refuses_a_function_that_removes_the_tracer():
    space = _cell("import sys\nst = sys.settrace\n"
                  "def predict(w, b, X):\n    st(None)\n    return (w.T @ X + b > 0).astype(float)\n")
    assert "changed Python's tracer" in _no_loops_failure(space["predict"], *_problem()[:3]).splitlines()[0]
    import sys
    import types

    assert isinstance(sys.settrace, types.BuiltinFunctionType) and sys.gettrace() is None  # put back


def test_the_measured_rule_keeps_the_callers_tracer():
    import sys

    def debugger(frame, event, arg):
        return None

    previous = sys.gettrace()
    sys.settrace(debugger)
    try:
        checks.call(lambda w, b, X: (w.T @ X + b > 0).astype(float), *_problem()[:3], rules=NO_LOOPS)
        assert sys.gettrace() is debugger
    finally:
        sys.settrace(previous)


def test_a_function_written_for_the_example_only_fails_the_measured_rule_clearly():
    space = _cell("def predict(w, b, X):\n    return np.zeros((1, 5)) + (w.T @ X + b > 0)\n")
    first = _no_loops_failure(space["predict"], *_problem()[:3]).splitlines()[0]
    assert first.startswith("predict: failed on the same examples repeated 4 times")


# --- callers of graded functions: the registry of visible checks, and pure callees ------------

_TRAINING = '''
def update(parameters, grads, rate):
    return {k: parameters[k] - rate * grads["d" + k] for k in parameters}

def update_in_place(parameters, grads, rate):
    for k in parameters:
        parameters[k] -= rate * grads["d" + k]
    return parameters

def train(parameters, grads, rate, steps):
    for _ in range(steps):
        parameters = update(parameters, grads, rate)
    return parameters

def train_ignoring_the_result(parameters, grads, rate, steps):
    parameters = {k: v.copy() for k, v in parameters.items()}
    for _ in range(steps):
        update(parameters, grads, rate)
    return parameters
'''


def _space():
    space = {"np": np}
    exec(_TRAINING, space)
    return space


def _expected_training():
    return {"W": np.array([[0.7]])}


def test_a_caller_whose_callee_failed_its_check_says_fix_that_first():
    space = _space()
    space["update"] = lambda parameters, grads, rate: {k: parameters[k] + rate * grads["d" + k] for k in parameters}
    space["update"].__name__ = "update"
    checks.CHECKED.clear()
    with pytest.raises(checks.CheckFailure):  # the callee's own check fails
        checks.expect(space["update"], {"W": np.array([[1.0]])}, {"dW": np.array([[1.0]])}, 0.1,
                      expected={"W": np.array([[0.9]])}, label="update(...)")
    with pytest.raises(checks.CheckFailure) as failure:
        checks.expect(space["train"], {"W": np.array([[1.0]])}, {"dW": np.array([[1.0]])}, 0.1, 3,
                      expected=_expected_training(), label="train(...)", pure=("update",))
    first = str(failure.value).splitlines()[0]
    assert first == "train: fix update first (its check failed)" and len(first) <= 56
    assert "the course's update" in str(failure.value) and "values differ" in str(failure.value)


def test_a_callee_that_passed_or_was_redefined_is_not_blamed():
    space = _space()
    checks.CHECKED.clear()
    checks.expect(space["update"], {"W": np.array([[1.0]])}, {"dW": np.array([[1.0]])}, 0.1,
                  expected={"W": np.array([[0.9]])}, label="update(...)")
    checks.passed("update")
    assert checks.CHECKED["update"][1] is True
    wrong = {"W": np.array([[0.5]])}
    with pytest.raises(checks.CheckFailure) as failure:
        checks.expect(space["train"], {"W": np.array([[1.0]])}, {"dW": np.array([[1.0]])}, 0.1, 3,
                      expected=wrong, label="train(...)")
    assert str(failure.value).startswith("train['W']: values differ")
    checks.CHECKED["update"] = (space["update"], False)  # failed, but then redefined:
    exec(_TRAINING, space)
    assert checks.failed_callees(space["train"]) == []


def test_pure_callees_get_copies_and_a_caller_relying_on_an_in_place_update_is_told():
    space = _space()
    space["update"] = space["update_in_place"]
    checks.CHECKED.clear()
    args = ({"W": np.array([[1.0]])}, {"dW": np.array([[1.0]])}, 0.1, 3)
    checks.expect(space["train"], *args, expected=_expected_training(), label="train(...)", pure=("update",))
    with pytest.raises(checks.CheckFailure) as failure:
        checks.expect(space["train_ignoring_the_result"], *args, expected=_expected_training(),
                      label="train_ignoring_the_result(...)", pure=("update",))
    first = str(failure.value).splitlines()[0]
    assert first.startswith("train_ignoring_the_result: uses what update returns?")
    assert space["update"] is space["update_in_place"]  # the caller's bindings are restored
    # without pure, the in-place update hides the mistake (the gap the wrapper closes)
    checks.expect(space["train_ignoring_the_result"], *args, expected=_expected_training(), label="t")


def test_pure_passes_generators_on_and_keeps_the_no_loops_measure():
    space = {"np": np}
    exec("def draw(rng, n):\n    return rng.standard_normal(n)\n"
         "def twice(rng):\n    return np.concatenate([draw(rng, 2), draw(rng, 2)])\n", space)
    got = checks.call(space["twice"], np.random.default_rng(0), pure=("draw",))
    assert np.array_equal(got, np.random.default_rng(0).standard_normal(4))


def test_the_in_place_diagnosis_replays_the_call_with_the_generator_as_it_was():
    space = {"np": np}
    exec("def init(rng):\n    return {'W': rng.standard_normal((1, 1))}\n"
         "def update(p, rate):\n    p['W'] -= rate\n    return p\n"
         "def train(rng, rate):\n    p = init(rng)\n    update(p, rate)\n    return p\n", space)
    expected = {"W": np.random.default_rng(5).standard_normal((1, 1)) - 0.5}
    with pytest.raises(checks.CheckFailure, match="^train: uses what update returns"):
        checks.expect(space["train"], np.random.default_rng(5), 0.5, expected=expected, label="train",
                      pure=("init", "update"))


def test_no_warnings_refuses_silencing_not_only_warnings():
    # Switching numpy's warnings off inside the function (or a helper) hides the overflow the
    # rule is about: refused, visibly and in the sandbox; numpy's own internal use is not counted.
    def silenced(z):
        with np.errstate(all="ignore"):
            return 1 / (1 + np.exp(-z))

    def stable(z):
        t = np.exp(-np.abs(z))
        return np.nanmean(np.stack([np.where(z >= 0, 1, t) / (1 + t)]), axis=0)

    z = np.array([-1000.0, 0.0, 1000.0])
    with pytest.raises(checks.CheckFailure, match=r"^silenced: silences numpy's warnings \(np.errstate\)"):
        checks.call(silenced, z, rules=("no_warnings",))
    assert np.allclose(checks.call(stable, z, rules=("no_warnings",)), [0, 0.5, 1])
    assert np.errstate.__name__ == "errstate"  # restored after the call
    assert checks.silencing_in_text("with np.errstate(over='ignore'):") == ["errstate"]
    assert checks.silencing_in_text("t = np.exp(-np.abs(z))") == []
