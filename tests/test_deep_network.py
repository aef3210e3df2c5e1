"""The reference implementation of 07_deep_network (helpers.reference.deep_network) and the
helpers 07 adds: known values, shapes as documented, numerical gradients of whole networks,
no dA0, no global seeding, and the notebook's given activation helpers agreeing with it."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from helpers import checks, notebooks, plots
from helpers.reference import deep_network as ref
from conftest import PROJECT

NETWORKS = [([5, 1], 1), ([5, 1], 4), ([3, 4, 1], 1), ([3, 4, 1], 7), ([6, 5, 4, 3, 1], 1),
            ([6, 5, 4, 3, 1], 5), ([20, 30, 1], 2)]


def _network(dims, m, seed):
    rng = np.random.default_rng(seed)
    parameters = ref.initialize_parameters_deep(dims, np.random.RandomState(seed))
    for key in parameters:
        if key.startswith("b"):
            parameters[key] = 0.1 * rng.standard_normal(parameters[key].shape)
    X = rng.standard_normal((dims[0], m))
    Y = (rng.random((1, m)) > 0.5).astype(int)
    return X, Y, parameters


def test_initialize_parameters_deep_draws_from_RandomState_1_in_order_and_leaves_the_global_generator():
    before = np.random.get_state()
    parameters = ref.initialize_parameters_deep([3, 2, 1])
    after = np.random.get_state()
    assert np.array_equal(before[1], after[1]) and before[2] == after[2]
    draws = np.random.RandomState(1).randn(8)
    np.testing.assert_array_equal(parameters["W1"], draws[:6].reshape(2, 3) / np.sqrt(3))
    np.testing.assert_array_equal(parameters["W2"], draws[6:].reshape(1, 2) / np.sqrt(2))
    assert parameters["b1"].shape == (2, 1) and not parameters["b1"].any()
    other = ref.initialize_parameters_deep([3, 2, 1], np.random.RandomState(2))
    assert not np.allclose(other["W1"], parameters["W1"])


def test_initialize_parameters_of_the_2_layer_model_draws_W1_then_W2_times_0_01():
    parameters = ref.initialize_parameters(4, 3, 1)
    draws = np.random.RandomState(1).randn(15)
    np.testing.assert_array_equal(parameters["W1"], draws[:12].reshape(3, 4) * 0.01)
    np.testing.assert_array_equal(parameters["W2"], draws[12:].reshape(1, 3) * 0.01)
    assert parameters["b2"].shape == (1, 1)


def test_linear_and_activation_forward_on_hand_computed_values():
    A = np.array([[1.0, 2.0], [3.0, 4.0], [0.0, -1.0]])
    W = np.array([[1.0, 0.0, -1.0], [2.0, 1.0, 0.0]])
    Z, cache = ref.linear_forward(A, W, np.array([[1.0], [-1.0]]))
    np.testing.assert_array_equal(Z, [[2.0, 4.0], [4.0, 7.0]])
    assert cache[0] is A and cache[1] is W
    A_out, (linear_cache, Z_cache) = ref.linear_activation_forward(A, W, np.array([[1.0], [-6.0]]), "relu")
    np.testing.assert_array_equal(A_out, [[2.0, 4.0], [0.0, 2.0]])
    np.testing.assert_array_equal(Z_cache, [[2.0, 4.0], [-1.0, 2.0]])
    with pytest.raises(ValueError):
        ref.linear_activation_forward(A, W, np.zeros((2, 1)), "tanh")


@pytest.mark.parametrize("dims, m", NETWORKS)
def test_forward_shapes_and_caches_are_as_documented(dims, m):
    X, _, parameters = _network(dims, m, 1)
    AL, caches = ref.L_model_forward(X, parameters)
    assert AL.shape == (1, m) and np.all((AL > 0) & (AL < 1))
    assert len(caches) == len(dims) - 1
    assert caches[0][0][0] is X
    for l, ((A_prev, W, b), Z) in enumerate(caches, start=1):
        assert A_prev.shape == (dims[l - 1], m) and W is parameters[f"W{l}"] and b is parameters[f"b{l}"]
        assert Z.shape == (dims[l], m)


def test_compute_cost_known_value_and_float():
    cost = ref.compute_cost(np.array([[0.8, 0.1, 0.6]]), np.array([[1, 0, 1]]))
    assert type(cost) is float
    assert cost == pytest.approx(-(np.log(0.8) + np.log(0.9) + np.log(0.6)) / 3, rel=1e-15)


def test_linear_backward_hand_values_and_no_dA_prev_without_W():
    A_prev = np.array([[1.0, 2.0, 0.0, -1.0], [3.0, -1.0, 2.0, 0.0], [0.0, 1.0, 1.0, 2.0]])
    W = np.array([[1.0, -2.0, 0.5], [0.0, 1.0, -1.0]])
    b = np.array([[0.5], [-1.0]])
    dZ = np.array([[1.0, -1.0, 2.0, 0.0], [0.5, 2.0, -1.0, 1.0]])
    dA_prev, dW, db = ref.linear_backward(dZ, (A_prev, W, b))
    np.testing.assert_allclose(dA_prev, W.T @ dZ)
    np.testing.assert_allclose(dW, [[-0.25, 2.0, 0.25], [0.875, -0.625, 0.75]])
    np.testing.assert_allclose(db, [[0.5], [0.625]])
    none, dW1, db1 = ref.linear_backward(dZ, (A_prev, None, None), need_dA_prev=False)
    assert none is None
    np.testing.assert_array_equal(dW1, dW)
    np.testing.assert_array_equal(db1, db)


@pytest.mark.parametrize("dims, m", NETWORKS)
def test_L_model_backward_agrees_with_numerical_gradients_of_the_whole_network(dims, m):
    X, Y, parameters = _network(dims, m, 2)
    saved = copy.deepcopy(parameters)
    AL, caches = ref.L_model_forward(X, parameters)
    grads = ref.L_model_backward(AL, Y, caches)
    numeric = ref.numerical_gradients(X, Y, parameters)
    for key in parameters:
        np.testing.assert_array_equal(parameters[key], saved[key])   # left as it was
    L = len(dims) - 1
    expected_keys = {f"dW{l}" for l in range(1, L + 1)} | {f"db{l}" for l in range(1, L + 1)} \
        | {f"dA{l}" for l in range(1, L)}
    assert set(grads) == expected_keys == set(numeric)
    assert "dA0" not in grads
    table = checks.gradient_table(grads, numeric, threshold=1e-7, show=False)
    assert max(table.values()) < 1e-7
    for key, value in grads.items():
        assert value.shape == numeric[key].shape


@pytest.mark.parametrize("dims, m", NETWORKS)
def test_backward_never_reads_W1(dims, m):
    X, Y, parameters = _network(dims, m, 3)
    AL, caches = ref.L_model_forward(X, parameters)
    (A0, _, b1), Z1 = caches[0]
    grads = ref.L_model_backward(AL, Y, [((A0, None, b1), Z1)] + caches[1:])
    checks.compare(grads, ref.L_model_backward(AL, Y, caches), "grads", rtol=0, atol=0)


def test_gradient_table_names_the_first_broken_layer():
    X, Y, parameters = _network([4, 3, 2, 1], 6, 4)
    AL, caches = ref.L_model_forward(X, parameters)
    grads = ref.L_model_backward(AL, Y, caches)
    grads["dW2"] = 2 * grads["dW2"]
    with pytest.raises(checks.CheckFailure) as failure:
        checks.gradient_table(grads, ref.numerical_gradients(X, Y, parameters), show=False)
    assert "['dW2']" in str(failure.value)


def test_update_parameters_updates_in_place_and_returns_the_dict():
    params = {"W1": np.ones((2, 3)), "b1": np.zeros((2, 1))}
    grads = {"dW1": np.full((2, 3), 2.0), "db1": np.ones((2, 1)), "dA0": None}
    W1 = params["W1"]
    out = ref.update_parameters(params, grads, 0.5)
    assert out is params and out["W1"] is W1
    np.testing.assert_array_equal(out["W1"], np.zeros((2, 3)))
    np.testing.assert_array_equal(out["b1"], np.full((2, 1), -0.5))


def test_the_notebooks_given_activation_helpers_agree_with_the_reference():
    nb = notebooks.read(PROJECT / "source" / "07_deep_network" / "07_deep_network.ipynb")
    cell = next(c for c in nb.cells if c.cell_type == "code" and "def relu_backward(" in c.source)
    namespace = {"np": np}
    exec(cell.source, namespace)
    rng = np.random.default_rng(5)
    Z = rng.standard_normal((4, 6))
    Z[0, 0] = 0.0
    dA = rng.standard_normal((4, 6))
    for name in ("sigmoid", "relu"):
        np.testing.assert_array_equal(namespace[name](Z), getattr(ref, name)(Z))
    for name in ("sigmoid_backward", "relu_backward"):
        np.testing.assert_array_equal(namespace[name](dA, Z), getattr(ref, name)(dA, Z))


@pytest.mark.parametrize("L", [1, 2, 4])
def test_cache_flow_figure_draws_for_any_depth(L):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plots.cache_flow(L)
    ax = fig.axes[0]
    # A diagram: a title, no invented axis labels, and the audit's named exemption says so.
    assert ax.get_title() and not ax.get_xlabel() and not ax.get_ylabel()
    assert plots.is_diagram(ax) and plots.missing_labels(fig) == []
    texts = " ".join(t.get_text() for t in ax.texts)
    assert f"dW{L}, db{L}" in texts and "dA0\nnot computed" in texts
    plt.close(fig)


def test_the_diagram_exemption_is_named_not_blanket():
    """missing_labels exempts from axis labels only axes declared diagrams (plots.mark_diagram),
    never an ordinary plot without labels, and a diagram still needs its title."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (plot, diagram) = plt.subplots(1, 2)
    plot.plot([0, 1], [1, 0])
    plot.set_title("a plot")
    plots.mark_diagram(diagram)
    problems = plots.missing_labels(fig)
    assert any("'a plot'" in p and "x label" in p for p in problems)
    assert any("'a plot'" in p and "y label" in p for p in problems)
    assert any("axes 2" in p and "no title" in p for p in problems)
    assert not any("axes 2" in p and "label" in p for p in problems)
    diagram.set_title("a diagram")
    assert all("axes 2" not in p for p in plots.missing_labels(fig))
    plt.close(fig)
