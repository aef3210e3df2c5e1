"""Unit tests of 03_activations: the reference module, the notebook's solutions, the no-warning check."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from helpers import checks, notebooks
from helpers.reference import activations as reference
from conftest import PROJECT

LARGE = np.array([-1e300, -1e4, -1000.0, -745.5, -709.9, -50.0, 0.0, 50.0, 709.9, 745.5, 1000.0, 1e4, 1e300])


def solution_functions(assignment: str = "03_activations") -> dict:
    """The graded functions as written in the source notebook's solution cells."""
    nb = notebooks.read(PROJECT / "source" / assignment / f"{assignment}.ipynb")
    namespace = {"np": np}
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution"):
            exec(compile(cell.source, cell.metadata["nbgrader"]["grade_id"], "exec"), namespace)
    return namespace


def strict(func, *args, **kwargs):
    """Call func with every numpy floating-point warning turned into an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", divide="raise", invalid="raise"):
            return func(*args, **kwargs)


IMPLEMENTATIONS = {"reference": reference.__dict__, "solutions": solution_functions()}


@pytest.fixture(params=sorted(IMPLEMENTATIONS))
def impl(request):
    return IMPLEMENTATIONS[request.param]


def test_sigmoid_known_values_and_symmetry(impl):
    z = np.array([[-1.0, 0.0, 2.0]])
    np.testing.assert_allclose(impl["sigmoid"](z), [[1 / (1 + np.e), 0.5, 1 / (1 + np.exp(-2.0))]], rtol=1e-15)
    z = np.linspace(-30, 30, 121)
    np.testing.assert_allclose(impl["sigmoid"](-z), 1 - impl["sigmoid"](z), atol=1e-15)
    with np.errstate(over="ignore"):
        np.testing.assert_allclose(impl["sigmoid"](z), 1 / (1 + np.exp(-z)), rtol=1e-14)


def test_sigmoid_and_tanh_are_warning_free_for_large_inputs(impl):
    s = strict(impl["sigmoid"], LARGE)
    t = strict(impl["tanh"], LARGE)
    assert np.all(np.isfinite(s)) and np.all(np.isfinite(t))
    assert s[0] == 0.0 and s[-1] == 1.0 and s[6] == 0.5
    np.testing.assert_allclose(t, np.tanh(LARGE), rtol=1e-15, atol=1e-300)
    # the tail keeps full relative precision (1 - sigma(z) would not)
    np.testing.assert_allclose(strict(impl["sigmoid"], np.array([-50.0, -700.0])),
                               [np.exp(-50.0) / (1 + np.exp(-50.0)), np.exp(-700.0)], rtol=1e-13)


def test_tanh_matches_numpy_and_the_sigmoid_identity(impl):
    z = np.random.default_rng(0).standard_normal((4, 6)) * 5
    np.testing.assert_allclose(impl["tanh"](z), np.tanh(z), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(2 * impl["sigmoid"](2 * z) - 1, np.tanh(z), atol=1e-15)
    # near 0 the formula loses relative (not absolute) precision: 1 - t cancels
    np.testing.assert_allclose(impl["tanh"](np.array([1e-10, -1e-12])), [1e-10, -1e-12], rtol=0, atol=1e-16)


@pytest.mark.parametrize("shape", [(1, 1), (5,), (3, 4), (2, 3, 4)])
def test_shapes_are_kept_and_inputs_not_changed(impl, shape):
    z = np.random.default_rng(1).standard_normal(shape)
    before = z.copy()
    for name in ("sigmoid", "tanh", "relu", "leaky_relu"):
        assert impl[name](z).shape == shape, name
        np.testing.assert_array_equal(z, before, err_msg=name)


def test_relu_and_leaky_relu(impl):
    z = np.array([[-2.0, -0.5, 0.0, 0.5, 3.0]])
    np.testing.assert_array_equal(impl["relu"](z), [[0.0, 0.0, 0.0, 0.5, 3.0]])
    np.testing.assert_allclose(impl["leaky_relu"](z), [[-0.02, -0.005, 0.0, 0.5, 3.0]])
    np.testing.assert_allclose(impl["leaky_relu"](z, alpha=0.2), [[-0.4, -0.1, 0.0, 0.5, 3.0]])
    np.testing.assert_allclose(impl["leaky_relu"](z, 0.3), np.maximum(0.3 * z, z))
    strict(impl["relu"], LARGE)
    strict(impl["leaky_relu"], LARGE[1:-1])


@pytest.mark.parametrize("dims", [[1, 1, 1], [2, 3, 2], [5, 1, 4], [3, 7, 1]])
def test_collapse_linear_gives_the_same_outputs(impl, dims):
    rng = np.random.default_rng(sum(dims))
    n0, n1, n2 = dims
    W1, b1 = rng.standard_normal((n1, n0)), rng.standard_normal((n1, 1))
    W2, b2 = rng.standard_normal((n2, n1)), rng.standard_normal((n2, 1))
    W, b = impl["collapse_linear"](W1, b1, W2, b2)
    assert W.shape == (n2, n0) and b.shape == (n2, 1)
    X = rng.standard_normal((n0, 9))
    np.testing.assert_allclose(W @ X + b, W2 @ (W1 @ X + b1) + b2, rtol=1e-12, atol=1e-12)


def test_collapse_linear_hand_worked_example():
    W1 = np.array([[1.0, 2.0], [0.0, -1.0], [3.0, 1.0]])
    b1 = np.array([[1.0], [0.0], [-2.0]])
    W2 = np.array([[1.0, 0.0, 2.0], [-1.0, 1.0, 0.0]])
    b2 = np.array([[0.5], [-1.0]])
    W, b = reference.collapse_linear(W1, b1, W2, b2)
    np.testing.assert_array_equal(W, [[7.0, 4.0], [-1.0, -3.0]])
    np.testing.assert_array_equal(b, [[-2.5], [-2.0]])


def test_run_without_warnings_fails_a_naive_sigmoid_and_passes_the_reference():
    def naive(z):
        return 1 / (1 + np.exp(-z))

    with pytest.raises(checks.CheckFailure, match="overflow"):
        checks.run_without_warnings(naive, np.array([-1000.0]))
    with pytest.raises(checks.CheckFailure, match="my hint"):
        checks.run_without_warnings(lambda z: np.exp(z) / np.exp(z), np.array([1000.0]), hint="my hint")
    np.testing.assert_array_equal(checks.run_without_warnings(reference.sigmoid, np.array([-1e4, 1e4])), [0.0, 1.0])
    # underflow is allowed; the warning state is restored afterwards
    assert checks.run_without_warnings(np.exp, -1000.0) == 0.0
    with pytest.raises(checks.CheckFailure, match="not written yet"):
        checks.run_without_warnings(lambda z: (_ for _ in ()).throw(NotImplementedError()), 1.0)
    assert np.geterr()["over"] == "warn"


# --- section 6: a linear hidden layer against a tanh hidden layer ----------------------------

def test_linear_versus_tanh_experiment_prints_what_the_notebook_says():
    # The solutions print, per data set and hidden activation: the cost before the first step,
    # after 3000 steps, and the accuracy. Spread across OpenBLAS kernels (default, Haswell,
    # SkylakeX, Sandybridge, Zen; 2026-11-26): 2e-16 on the costs, none on the accuracies
    # (counts of 200 points); so 1e-9 and exact.
    from helpers import data, experiments

    expected = {("two rings", "linear"): (0.699282175461974, 0.690758614120491, 53.0),
                ("two rings", "tanh"): (0.696415876017493, 0.019065816687239, 99.5),
                ("two moons", "linear"): (0.766146963756681, 0.285596116579733, 88.0),
                ("two moons", "tanh"): (0.750134420766044, 0.022846212755848, 99.0)}
    datasets = {"two rings": data.make_circles(m=200, seed=0), "two moons": data.make_moons(m=200, seed=0)}
    for (name, hidden), (cost0, cost_end, accuracy) in expected.items():
        X, Y = datasets[name]
        rng = np.random.default_rng(2)
        start = {"W1": rng.standard_normal((6, 2)) * 0.5, "b1": np.zeros((6, 1)),
                 "W2": rng.standard_normal((1, 6)) * 0.5, "b2": np.zeros((1, 1))}
        trained, costs = experiments.train(X, Y, start, hidden, learning_rate=1.0, num_iterations=3000)
        assert len(costs) == 3001
        assert costs[0] == pytest.approx(cost0, abs=1e-9), (name, hidden)
        assert costs[-1] == pytest.approx(cost_end, abs=1e-9), (name, hidden)
        assert experiments.accuracy(trained, X, Y, hidden) == accuracy, (name, hidden)
        if hidden == "linear":
            # the trained linear network is one logistic-regression layer (collapse_linear)
            W, b = reference.collapse_linear(trained["W1"], trained["b1"], trained["W2"], trained["b2"])
            direct = experiments.forward(X, trained, hidden)[1][-1]
            assert np.allclose(reference.sigmoid(W @ X + b), direct, rtol=1e-12, atol=1e-14)


def test_the_notebook_shows_no_backward_pass():
    # 05 grades backward_propagation: 03 trains through helpers.experiments and writes no gradient
    # of its own (no dZ/dW, no "1 - A1 ** 2" slope) in any demonstration cell a student sees.
    nb = notebooks.read(PROJECT / "release" / "03_activations" / "03_activations.ipynb")
    code = "\n".join(cell.source for cell in nb.cells
                     if cell.cell_type == "code" and not cell.metadata.get("nbgrader", {}).get("grade")
                     and not cell.metadata.get("nbgrader", {}).get("solution"))
    assert "experiments.train(" in code
    for marker in ("dZ", "dW", "dA1", "1 - A1 ** 2", ".T @"):
        assert marker not in code, marker
