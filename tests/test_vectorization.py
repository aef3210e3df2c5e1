"""02_vectorization: the reference implementations, the published figures they reproduce, and
the helpers the notebook added (checks.python_loops, plots.broadcasting_picture)."""

from __future__ import annotations

import importlib.util
import textwrap
import warnings

import numpy as np
import pytest

from helpers import checks, data, notebooks
from helpers.reference import vectorization as reference
from conftest import PROJECT
import figures


def _cat_data():
    train_images, train_y, test_images, test_y, _ = data.load_cat_data()
    X_train = train_images.reshape(train_images.shape[0], -1).T / 255.0
    X_test = test_images.reshape(test_images.shape[0], -1).T / 255.0
    return X_train, train_y, X_test, test_y


def _small_problem(seed=0, n_x=4, m=7):
    rng = np.random.default_rng(seed)
    w = 0.5 * rng.standard_normal((n_x, 1))
    b = float(rng.standard_normal())
    X = rng.standard_normal((n_x, m))
    Y = (rng.random((1, m)) > 0.5).astype(int)
    return w, b, X, Y


# --- The published figures -------------------------------------------------------------------

@pytest.mark.figures
def test_reference_model_reproduces_the_published_figures():
    # COURSE.md: cat data, 2000 iterations, learning rate 0.005: cost 0.693147 at iteration 0,
    # train accuracy 99.04 %, test 70 %. Tolerances: tests/figures.py (all three are the same
    # on every BLAS kernel measured).
    values = figures.vectorization_figures()
    for name in ("02_cost0", "02_train_accuracy", "02_test_accuracy"):
        figures.assert_figure(name, values[name])
    assert f"{values['02_cost0']:.6f}" == "0.693147"
    assert f"{values['02_train_accuracy']:.2f}" == "99.04" and f"{values['02_test_accuracy']:.2f}" == "70.00"
    assert values["_02_costs"] == sorted(values["_02_costs"], reverse=True), "the cost should fall at every checkpoint"


def test_reference_model_returns_what_its_docstring_says():
    X_train, Y_train, X_test, Y_test = _cat_data()
    d = reference.model(X_train, Y_train, X_test, Y_test, num_iterations=200, learning_rate=0.005)
    assert len(d["costs"]) == 2
    assert d["w"].shape == (12288, 1) and isinstance(d["b"], float)
    assert d["learning_rate"] == 0.005 and d["num_iterations"] == 200


# --- sigmoid and softmax ---------------------------------------------------------------------

def test_sigmoid_matches_the_textbook_formula_and_does_not_overflow():
    z = np.linspace(-30, 30, 2001).reshape(3, 667)
    assert reference.sigmoid(z).shape == z.shape
    assert np.max(np.abs(reference.sigmoid(z) - 1 / (1 + np.exp(-z)))) < 1e-12
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        extreme = reference.sigmoid(np.array([-1000.0, -800.0, 800.0, 1000.0]))
    assert np.array_equal(extreme, [0.0, 0.0, 1.0, 1.0])
    assert reference.sigmoid(0.0) == 0.5 and isinstance(reference.sigmoid(0.0), float)


def test_softmax_rows_are_probabilities_and_shift_invariant():
    rng = np.random.default_rng(1)
    x = 3 * rng.standard_normal((5, 4))
    s = reference.softmax(x)
    assert s.shape == (5, 4) and np.all(s > 0)
    np.testing.assert_allclose(s.sum(axis=1), 1.0)
    np.testing.assert_allclose(s, np.exp(x) / np.exp(x).sum(axis=1, keepdims=True))
    np.testing.assert_allclose(reference.softmax(x + 1000.0), s)
    # with two classes and scores (z, 0), softmax gives the sigmoid
    z = rng.standard_normal(6)
    two = reference.softmax(np.column_stack([z, np.zeros(6)]))
    np.testing.assert_allclose(two[:, 0], reference.sigmoid(z))


def test_losses_known_values():
    yhat = np.array([[0.8, 0.1, 0.6, 0.3]])
    y = np.array([[1.0, 0.0, 1.0, 0.0]])
    assert reference.L1(yhat, y) == pytest.approx(1.0) and isinstance(reference.L1(yhat, y), float)
    assert reference.L2(yhat, y) == pytest.approx(0.3) and isinstance(reference.L2(yhat, y), float)
    assert reference.L2(yhat.ravel(), y.ravel()) == pytest.approx(0.3)


# --- logistic regression ---------------------------------------------------------------------

def test_initialize_with_zeros_shapes_and_types():
    w, b = reference.initialize_with_zeros(5)
    assert w.shape == (5, 1) and not w.any()
    assert isinstance(b, float) and b == 0.0


def test_propagate_cost_at_zero_is_log_2_and_shapes_match_docstring():
    _, _, X, Y = _small_problem(m=9)
    grads, cost = reference.propagate(np.zeros((4, 1)), 0.0, X, Y)
    assert cost == pytest.approx(np.log(2), abs=1e-15)
    assert set(grads) == {"dw", "db"} and grads["dw"].shape == (4, 1)
    assert isinstance(grads["db"], float) and isinstance(cost, float)


@pytest.mark.parametrize("n_x, m", [(1, 1), (4, 7), (10, 3)])
def test_propagate_gradients_match_centred_differences(n_x, m):
    w, b, X, Y = _small_problem(seed=n_x + m, n_x=n_x, m=m)
    grads, _ = reference.propagate(w, b, X, Y)
    eps = 1e-6
    numeric_dw = np.zeros_like(w)
    for j in range(n_x):
        step = np.zeros_like(w)
        step[j] = eps
        numeric_dw[j] = (reference.propagate(w + step, b, X, Y)[1]
                         - reference.propagate(w - step, b, X, Y)[1]) / (2 * eps)
    numeric_db = (reference.propagate(w, b + eps, X, Y)[1] - reference.propagate(w, b - eps, X, Y)[1]) / (2 * eps)
    assert checks.relative_difference(grads["dw"], numeric_dw) < 1e-7
    assert checks.relative_difference(grads["db"], numeric_db) < 1e-7


def test_propagate_agrees_with_a_loop_over_examples():
    w, b, X, Y = _small_problem(seed=3, n_x=5, m=11)
    dw, db, cost = np.zeros((5, 1)), 0.0, 0.0
    for i in range(X.shape[1]):
        a = 1 / (1 + np.exp(-(float(w[:, 0] @ X[:, i]) + b)))
        cost -= Y[0, i] * np.log(a) + (1 - Y[0, i]) * np.log(1 - a)
        dw[:, 0] += X[:, i] * (a - Y[0, i])
        db += a - Y[0, i]
    grads, got_cost = reference.propagate(w, b, X, Y)
    np.testing.assert_allclose(grads["dw"], dw / 11)
    assert grads["db"] == pytest.approx(db / 11) and got_cost == pytest.approx(cost / 11)


def test_optimize_records_every_100_iterations_from_0_and_leaves_arguments_alone():
    w, b, X, Y = _small_problem(seed=4)
    w_before = w.copy()
    params, grads, costs = reference.optimize(w, b, X, Y, num_iterations=301, learning_rate=0.1)
    assert np.array_equal(w, w_before)
    assert len(costs) == 4 and all(isinstance(c, float) for c in costs)
    assert costs[0] == reference.propagate(w, b, X, Y)[1]
    assert params["w"].shape == (4, 1) and isinstance(params["b"], float)
    assert grads["dw"].shape == (4, 1) and isinstance(grads["db"], float)
    assert costs == sorted(costs, reverse=True)
    _, _, costs = reference.optimize(w, b, X, Y, num_iterations=100)
    assert len(costs) == 1


def test_predict_thresholds_at_one_half():
    w = np.array([[1.0]])
    X = np.array([[-2.0, -1e-9, 1e-9, 3.0]])
    got = reference.predict(w, 0.0, X)
    assert got.shape == (1, 4) and got.dtype == float
    assert got.tolist() == [[0.0, 0.0, 1.0, 1.0]]


def test_model_returns_the_documented_dict():
    w, b, X, Y = _small_problem(seed=5, m=12)
    d = reference.model(X[:, :8], Y[:, :8], X[:, 8:], Y[:, 8:], num_iterations=150, learning_rate=0.05)
    assert set(d) == {"costs", "Y_prediction_test", "Y_prediction_train", "w", "b",
                      "learning_rate", "num_iterations"}
    assert d["Y_prediction_train"].shape == (1, 8) and d["Y_prediction_test"].shape == (1, 4)
    assert len(d["costs"]) == 2 and d["w"].shape == (4, 1)


# --- the notebook's solutions agree with the reference ----------------------------------------

def _notebook_namespace():
    nb = notebooks.read(PROJECT / "source" / "02_vectorization" / "02_vectorization.ipynb")
    namespace = {"np": np}
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution"):
            exec(compile(cell.source, f"<{cell.metadata['nbgrader']['grade_id']}>", "exec"), namespace)
    return namespace


def test_notebook_solutions_agree_with_the_reference():
    ns = _notebook_namespace()
    w, b, X, Y = _small_problem(seed=6, n_x=6, m=13)
    checks.compare(ns["propagate"](w, b, X, Y), reference.propagate(w, b, X, Y), "propagate")
    checks.compare(ns["optimize"](w, b, X, Y, 250, 0.05), reference.optimize(w, b, X, Y, 250, 0.05), "optimize")
    checks.compare(ns["predict"](w, b, X), reference.predict(w, b, X), "predict")
    checks.compare(ns["model"](X[:, :9], Y[:, :9], X[:, 9:], Y[:, 9:], 120, 0.1),
                   reference.model(X[:, :9], Y[:, :9], X[:, 9:], Y[:, 9:], 120, 0.1), "model")
    checks.compare(ns["softmax"](X), reference.softmax(X), "softmax")
    checks.compare(ns["sigmoid"](X), reference.sigmoid(X), "sigmoid", rtol=0, atol=1e-12)


# --- checks.python_loops ---------------------------------------------------------------------

def _module_from_source(tmp_path, source: str):
    path = tmp_path / "student_code.py"
    path.write_text("import numpy as np\n" + textwrap.dedent(source))
    spec = importlib.util.spec_from_file_location("student_code", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_python_loops_finds_loops_and_follows_notebook_functions(tmp_path):
    module = _module_from_source(tmp_path, """
        def slow_sigmoid(z):
            return np.array([[1 / (1 + np.exp(-v)) for v in row] for row in z])

        def vectorized(w, b, X, Y):
            A = slow_sigmoid(np.dot(w.T, X) + b)
            return np.sum(A - Y)

        def looped(w, b, X, Y):
            total = 0.0
            for i in range(X.shape[1]):
                total += float(w[:, 0] @ X[:, i])
            i = 0
            while i < 3:
                i += 1
            return total

        def disguised(z):
            return np.vectorize(lambda v: v + 1)(z) + sum(map(float, z))

        def clean(w, b, X):
            return (np.dot(w.T, X) + b > 0).astype(float)
        """)
    assert checks.python_loops(module.clean) == []
    found = checks.python_loops(module.vectorized)
    assert found and all(text.startswith("slow_sigmoid") for text in found)
    assert checks.python_loops(module.vectorized, follow=False) == []
    looped = checks.python_loops(module.looped)
    assert any("for loop" in text for text in looped) and any("while loop" in text for text in looped)
    assert looped[0].startswith("looped, line 3:")
    assert len(checks.python_loops(module.disguised)) == 2


def test_python_loops_raises_oserror_without_source():
    namespace = {}
    exec("def made_by_exec(x):\n    return x\n", namespace)
    with pytest.raises(OSError):
        checks.python_loops(namespace["made_by_exec"])


def test_python_loops_flags_the_loop_fixture_and_passes_the_solution(tmp_path):
    import runpy

    fixtures = runpy.run_path(str(PROJECT / "fixtures" / "02_vectorization.py"))["FIXTURES"]
    loop_fixture = next(f for f in fixtures if f["student"] == "loops_over_examples")
    nb = notebooks.read(PROJECT / "source" / "02_vectorization" / "02_vectorization.ipynb")
    solutions = {c.metadata["nbgrader"]["grade_id"]: c.source for c in nb.cells
                 if c.metadata.get("nbgrader", {}).get("solution")}
    clean = _module_from_source(tmp_path, solutions["sigmoid"] + "\n\n" + solutions["propagate"]
                                + "\n\n" + solutions["predict"])
    assert checks.python_loops(clean.propagate) == [] and checks.python_loops(clean.predict) == []
    (tmp_path / "student_code.py").unlink()
    buggy = _module_from_source(tmp_path, solutions["sigmoid"] + "\n\n" + loop_fixture["replace"]["propagate"]
                                + "\n\n" + loop_fixture["replace"]["predict"])
    assert checks.python_loops(buggy.propagate) and checks.python_loops(buggy.predict)
    w, b, X, Y = _small_problem(seed=8)
    checks.compare(buggy.propagate(w, b, X, Y), reference.propagate(w, b, X, Y), "looped propagate")


def test_the_measured_no_loops_rule_flags_the_loop_fixture_and_passes_the_solution(tmp_path):
    """checks.loops_over_examples: the Python lines run for m and for 4m examples (02's no_loops)."""
    import runpy

    fixtures = runpy.run_path(str(PROJECT / "fixtures" / "02_vectorization.py"))["FIXTURES"]
    loop_fixture = next(f for f in fixtures if f["student"] == "loops_over_examples")
    nb = notebooks.read(PROJECT / "source" / "02_vectorization" / "02_vectorization.ipynb")
    solutions = {c.metadata["nbgrader"]["grade_id"]: c.source for c in nb.cells
                 if c.metadata.get("nbgrader", {}).get("solution")}
    clean, buggy = {"np": np}, {"np": np}
    for space, cells in ((clean, [solutions["propagate"], solutions["predict"]]),
                         (buggy, [loop_fixture["replace"]["propagate"], loop_fixture["replace"]["predict"]])):
        exec(solutions["sigmoid"], space)
        for cell in cells:   # as exec-made functions: no source to read, only the lines they run
            exec(cell, space)
    w, b, X, Y = _small_problem(seed=9, m=6)
    checks.loops_over_examples(clean["propagate"], (w, b, X, Y), {}, "propagate")
    checks.loops_over_examples(clean["predict"], (w, b, X), {}, "predict")
    for name, args in (("propagate", (w, b, X, Y)), ("predict", (w, b, X))):
        with pytest.raises(checks.CheckFailure, match=f"^{name}: a Python loop over the examples"):
            checks.loops_over_examples(buggy[name], args, {}, name)


# --- plots.broadcasting_picture --------------------------------------------------------------

def test_broadcasting_picture_draws_one_row_per_pair():
    import matplotlib

    matplotlib.use("Agg")
    from helpers import plots

    A = np.arange(12).reshape(3, 4)
    fig = plots.broadcasting_picture([(A, np.array([[1, 2, 3, 4]])), (np.array([[1], [2]]), 5)], op="*")
    assert len(fig.axes) == 6
    titles = [ax.get_title() for ax in fig.axes]
    assert titles[:3] == ["a: shape (3, 4)", "b: shape (1, 4)", "a * b: shape (3, 4)"]
    assert titles[5] == "a * b: shape (2, 1)"
    # the (1, 4) operand drawn at the result's shape: 12 cells, 4 of them its own
    assert len(fig.axes[1].patches) == 12
    import matplotlib.pyplot as plt

    plt.close(fig)


# --- the notebook's demonstrations: steepest descent and float64 ------------------------------

def _steepest_descent_demo():
    """Section 5's picture, with the reference propagate: (first cost, last cost, w, b, grid minimum)."""
    sd_rng = np.random.default_rng(3)
    Y_sd = (np.arange(40) % 2).reshape(1, 40)
    X_sd = 1.0 + 1.2 * Y_sd + 0.8 * sd_rng.standard_normal((1, 40))
    W_grid, B_grid = np.meshgrid(np.linspace(-3, 5, 161), np.linspace(-7, 5, 241))
    A_grid = reference.sigmoid(W_grid[..., None] * X_sd[0] + B_grid[..., None])
    J_grid = -np.mean(Y_sd[0] * np.log(A_grid) + (1 - Y_sd[0]) * np.log(1 - A_grid), axis=-1)
    w, b = 4.0, 3.0
    first = None
    for _ in range(100):
        grads, cost = reference.propagate(np.array([[w]]), b, X_sd, Y_sd)
        first = cost if first is None else first
        w, b = w - 1.2 * grads["dw"][0, 0], b - 1.2 * grads["db"]
    last = reference.propagate(np.array([[w]]), b, X_sd, Y_sd)[1]
    return first, last, w, b, float(J_grid.min())


def test_steepest_descent_demo_prints_what_the_notebook_says():
    # The solutions print: cost at the start 3.3949, after 100 steps 0.4778 at w = 1.669,
    # b = -2.604; lowest cost on the grid 0.4774. Spread across OpenBLAS kernels (default,
    # Haswell, SkylakeX, Sandybridge, Zen; 2026-11-26): none, every kernel gives the same digits; 1e-9 leaves room
    # for another summation order, far below the printed digits.
    first, last, w, b, grid_min = _steepest_descent_demo()
    assert first == pytest.approx(3.39494872526435, abs=1e-9)
    assert last == pytest.approx(0.477780121256526, abs=1e-9)
    assert (w, b) == (pytest.approx(1.66903600, abs=1e-7), pytest.approx(-2.60357642, abs=1e-7))
    assert grid_min == pytest.approx(0.477432518601292, abs=1e-9)
    # The descent ends near the bottom of the valley, above the grid's lowest point by little.
    assert 0 < last - grid_min < 1e-3


def test_float_limits_the_notebook_prints():
    # 02 says: exp overflows past 709.8 (float64) and 88.7 (float32); sigmoid(z) rounds to
    # exactly 1 from z = 36.74 (float64) and 16.64 (float32), on a grid of step 0.01.
    expected = {np.float64: (709.8, 36.74), np.float32: (88.7, 16.64)}
    for dtype, (overflow, ones_from) in expected.items():
        info = np.finfo(dtype)
        z = np.arange(0, 60, 0.01).astype(dtype)
        with np.errstate(over="ignore"):
            first_one = float(z[1 / (1 + np.exp(-z)) == 1][0])
        assert round(float(np.log(info.max)), 1) == overflow
        assert round(first_one, 2) == ones_from
        with np.errstate(over="ignore"):
            assert np.isinf(np.exp(dtype(overflow + 0.1)))
