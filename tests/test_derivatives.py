"""Unit tests of 04_derivatives: the reference module and the notebook's solutions, against
numerical derivatives, known values and the documented conventions."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from helpers import checks, notebooks
from helpers.reference import activations
from helpers.reference import derivatives as reference
from conftest import PROJECT


def notebook_functions(assignment: str = "04_derivatives") -> dict:
    """The given activations and the graded functions as written in the source notebook."""
    nb = notebooks.read(PROJECT / "source" / assignment / f"{assignment}.ipynb")
    namespace = {"np": np}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        given = cell.cell_type == "code" and not meta and "def sigmoid(z):" in cell.source
        if given or (cell.cell_type == "code" and meta.get("solution")):
            exec(compile(cell.source, meta.get("grade_id", "given"), "exec"), namespace)
    return namespace


IMPLEMENTATIONS = {"reference": reference.__dict__, "solutions": notebook_functions()}
ACTIVATIONS = {"sigmoid": activations.sigmoid, "tanh": activations.tanh,
               "relu": activations.relu, "leaky_relu": activations.leaky_relu}


@pytest.fixture(params=sorted(IMPLEMENTATIONS))
def impl(request):
    return IMPLEMENTATIONS[request.param]


def strict(func, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", divide="raise", invalid="raise"):
            return func(*args, **kwargs)


def test_graph_forward_and_backward_known_values(impl):
    J, cache = impl["graph_forward"](5.0, 3.0, 2.0)
    assert J == 33.0 and cache == (5.0, 3.0, 2.0, 6.0, 11.0)
    assert impl["graph_backward"](1.0, cache) == {"dv": 3.0, "du": 3.0, "da": 3.0, "db": 6.0, "dc": 9.0}
    assert impl["graph_backward"](0.5, cache) == {"dv": 1.5, "du": 1.5, "da": 1.5, "db": 3.0, "dc": 4.5}


def test_graph_backward_matches_numerical_derivatives(impl):
    rng = np.random.default_rng(0)
    a, b, c, dJ = (rng.standard_normal((3, 4)) for _ in range(4))
    _, cache = impl["graph_forward"](a, b, c)
    grads = impl["graph_backward"](dJ, cache)
    eps = 1e-6
    for name, index in (("da", 0), ("db", 1), ("dc", 2)):
        up, down = [a, b, c], [a, b, c]
        up[index], down[index] = up[index] + eps, down[index] - eps
        numeric = dJ * (impl["graph_forward"](*up)[0] - impl["graph_forward"](*down)[0]) / (2 * eps)
        np.testing.assert_allclose(grads[name], numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "leaky_relu"])
def test_activation_derivatives_match_numerical_derivatives(impl, name):
    rng = np.random.default_rng(1)
    z = rng.uniform(-8, 8, size=(5, 40))
    z = np.where(np.abs(z) < 1e-3, 0.5, z)          # away from the kink of the ReLUs
    analytic = impl[name + "_derivative"](z)
    assert analytic.shape == z.shape and analytic.dtype.kind == "f"
    np.testing.assert_allclose(analytic, reference.numerical_derivative(ACTIVATIONS[name], z, 1e-5),
                               rtol=1e-6, atol=1e-9)


def test_leaky_relu_derivative_uses_alpha_and_conventions_at_zero(impl):
    z = np.array([-3.0, -1e-9, 0.0, 1e-9, 2.0])
    np.testing.assert_array_equal(impl["relu_derivative"](z), [0.0, 0.0, 0.0, 1.0, 1.0])
    np.testing.assert_array_equal(impl["leaky_relu_derivative"](z), [0.01, 0.01, 0.01, 1.0, 1.0])
    np.testing.assert_array_equal(impl["leaky_relu_derivative"](z, alpha=0.2), [0.2, 0.2, 0.2, 1.0, 1.0])


def test_known_values_and_no_warnings_for_large_inputs(impl):
    np.testing.assert_allclose(impl["sigmoid_derivative"](np.array([0.0])), [0.25])
    np.testing.assert_allclose(impl["tanh_derivative"](np.array([0.0])), [1.0])
    large = np.array([-1e300, -1000.0, -40.0, 40.0, 1000.0, 1e300])
    for name in ("sigmoid", "tanh", "relu", "leaky_relu"):
        out = strict(impl[name + "_derivative"], large)
        assert np.all(np.isfinite(out)), name
    np.testing.assert_array_equal(strict(impl["sigmoid_derivative"], np.array([-1000.0, 1000.0])), [0.0, 0.0])


def test_derivatives_do_not_change_their_input(impl):
    z = np.random.default_rng(2).standard_normal((3, 3))
    before = z.copy()
    for name in ("sigmoid", "tanh", "relu", "leaky_relu"):
        impl[name + "_derivative"](z)
        np.testing.assert_array_equal(z, before, err_msg=name)


def test_numerical_derivative_is_centred(impl):
    z = np.array([[1.0, 2.0]])
    np.testing.assert_allclose(impl["numerical_derivative"](lambda t: t ** 3, z, epsilon=0.1), [[3.01, 12.01]])
    np.testing.assert_array_equal(z, [[1.0, 2.0]])
    z = np.random.default_rng(3).standard_normal((2, 3, 4))
    np.testing.assert_allclose(impl["numerical_derivative"](np.sin, z), np.cos(z), atol=1e-8)


def test_gradient_check_known_values(impl):
    x = np.array([[1.0], [-2.0], [3.0]])
    f = lambda v: float(np.sum(v ** 3))
    exact = 3 * x ** 2
    good = impl["gradient_check"](f, exact, x)
    assert isinstance(good, float) and good < 1e-7
    bump = np.array([[0.5], [0.0], [0.0]])
    expected = 0.5 / (np.linalg.norm(exact + bump) + np.linalg.norm(exact))
    assert impl["gradient_check"](f, exact + bump, x) == pytest.approx(expected, rel=1e-6)
    assert impl["gradient_check"](f, -exact, x) == pytest.approx(1.0, rel=1e-8)
    assert impl["gradient_check"](lambda v: 0.0, np.zeros((2, 2)), np.ones((2, 2))) == 0.0
    np.testing.assert_array_equal(x, [[1.0], [-2.0], [3.0]])


def test_gradient_check_on_a_matrix_and_a_forgotten_one_over_m(impl):
    rng = np.random.default_rng(4)
    X, Y = rng.standard_normal((3, 5)), np.array([[1.0, 0.0, 0.0, 1.0, 1.0]])
    w = rng.standard_normal((3, 1)) * 0.5

    def cost(w):
        A = activations.sigmoid(w.T @ X)
        return float(-np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A)))

    dw = X @ (activations.sigmoid(w.T @ X) - Y).T / 5
    assert impl["gradient_check"](cost, dw, w) < 1e-7
    assert impl["gradient_check"](cost, 5 * dw, w) == pytest.approx(4 / 6, rel=1e-6)
    v = rng.standard_normal((3, 1))
    W = rng.standard_normal((2, 3))
    grad = (1 - np.tanh(W @ v) ** 2) @ v.T
    assert impl["gradient_check"](lambda M: float(np.sum(np.tanh(M @ v))), grad, W) < 1e-7
    # rows moved together (the classic range(len(x)) bug) would give a large difference
    assert impl["gradient_check"](lambda M: float(np.sum(np.tanh(M @ v))), grad.sum(axis=1, keepdims=True)
                                  * np.ones((1, 3)), W) > 1e-2


def test_reference_gradient_check_agrees_with_checks_relative_difference():
    x = np.random.default_rng(5).standard_normal((4, 2))
    f = lambda v: float(np.sum(np.sin(v)))
    grad = np.cos(x) + 0.01
    numeric = reference.numerical_gradient(f, x)
    assert reference.gradient_check(f, grad, x) == pytest.approx(checks.relative_difference(grad, numeric))
