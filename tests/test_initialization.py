"""Unit tests of 06_initialization: the reference module and the notebook's solutions, the
property judge ``checks.random_parameters`` (with ``checks.call``'s global-random rule and
``checks.check_parameter_layout``), and the ready-made network of
``helpers.experiments`` (gradients against centred differences, no warnings, the figures the
notebook reports)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from helpers import checks, data, experiments, notebooks
from helpers.reference import initialization as reference
import figures
from conftest import PROJECT

ASSIGNMENT = "06_initialization"


def solution_functions() -> dict:
    """The graded functions as written in the source notebook's solution cells."""
    nb = notebooks.read(PROJECT / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    namespace = {"np": np}
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution"):
            exec(compile(cell.source, cell.metadata["nbgrader"]["grade_id"], "exec"), namespace)
    return namespace


IMPLEMENTATIONS = {"reference": reference.__dict__, "solutions": solution_functions()}


@pytest.fixture(params=sorted(IMPLEMENTATIONS))
def impl(request):
    return IMPLEMENTATIONS[request.param]


def strict(func, *args, **kwargs):
    """Call func with every warning, and numpy's overflow, division and invalid-value events (the
    ones numpy reports by default), turned into errors."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", divide="raise", invalid="raise"):
            return func(*args, **kwargs)


# --- the graded functions ------------------------------------------------------------------


@pytest.mark.parametrize("dims", [[1, 1], [3, 2, 1], [5, 1], [4, 7, 3, 6, 1]])
def test_initialize_zeros(impl, dims):
    parameters = impl["initialize_zeros"](dims)
    assert sorted(parameters) == sorted([f"{k}{l}" for l in range(1, len(dims)) for k in "Wb"])
    for l in range(1, len(dims)):
        assert parameters[f"W{l}"].shape == (dims[l], dims[l - 1])
        assert parameters[f"b{l}"].shape == (dims[l], 1)
        assert not parameters[f"W{l}"].any() and not parameters[f"b{l}"].any()


VISIBLE_W = np.array([[1.0, -1.0, 2.0], [0.5, 0.5, 0.0], [1.0, -1.0, 2.0], [-1.0, 1.0, 2.0],
                      [-1.0, 1.0, 2.0 + 1e-12], [1.0, 0.0, 0.0], [2.0, 2.0, 2.0]])


def test_symmetric_units_on_the_visible_example(impl):
    got = impl["symmetric_units"](VISIBLE_W)
    assert got.shape == (7, 1) and got.dtype == bool
    assert got.ravel().tolist() == [True, False, True, True, True, False, False]


def test_symmetric_units_edge_cases(impl):
    f = impl["symmetric_units"]
    rng = np.random.default_rng(0)
    assert f(rng.standard_normal((1, 5))).tolist() == [[False]]                    # one unit: no twin
    assert f(np.zeros((4, 3))).all()                                                 # all zeros: all twins
    assert not f(rng.standard_normal((50, 20)) * 0.01).any()                        # random: no twins
    W = rng.standard_normal((6, 1))
    W[5] = W[0] + 0.05
    assert f(W, tol=0.1).ravel().tolist() == [True, False, False, False, False, True]
    assert not f(W, tol=0.01).any()
    W = rng.standard_normal((9, 4))
    W[3] = W[7] = W[1]
    assert f(W).ravel().tolist() == [False, True, False, True, False, False, False, True, False]


def test_symmetric_units_finds_the_twins_that_training_from_a_constant_keeps():
    X, Y = data.load_flower()
    start = {key: np.full_like(value, 0.5) if key.startswith("W") else value
             for key, value in reference.initialize_zeros([2, 4, 1]).items()}
    trained, _ = experiments.train(X, Y, start, "tanh", 1.2, 300)
    assert not np.allclose(trained["W1"], 0.5)                                       # they moved ...
    assert reference.symmetric_units(trained["W1"]).all()                           # ... together
    random_start = reference.initialize_random([2, 4, 1], 0.01, np.random.default_rng(1))
    trained, _ = experiments.train(X, Y, random_start, "tanh", 1.2, 300)
    assert not reference.symmetric_units(trained["W1"]).any()


RANDOM_CASES = [([3000, 1], 0.01), ([40, 1000, 2000, 3], 2.5), ([600, 4000, 1], 40.0), ([700] * 5, 1.0)]
SCALED_CASES = [[5000, 1], [50, 2000, 300, 1500, 10], [3, 4000, 700, 2], [1000, 500, 250, 1]]


def judge_random(init, dims, stds, name, mistakes=None, seed=0):
    """How the course judges a random initialisation: called with ``np.random.default_rng(seed)``
    under the global-random rule (checks.call), the result judged by checks.random_parameters
    (layout, zero biases, distinct units, the seed's standard normal draws times ``stds``)."""
    __tracebackhide__ = True
    got = checks.call(init, np.random.default_rng(seed), rules=("global_random_untouched",), label=name)
    checks.compare(got, checks.random_parameters(dims, stds, seed), name, mistakes=mistakes)


@pytest.mark.parametrize("dims, scale", RANDOM_CASES)
def test_initialize_random_has_the_intended_properties(impl, dims, scale):
    judge_random(lambda rng: impl["initialize_random"](dims, scale, rng), dims,
                 reference.intended_std(dims, "random", scale), "initialize_random")


@pytest.mark.parametrize("dims", SCALED_CASES)
@pytest.mark.parametrize("method", ["he", "xavier"])
def test_scaled_initialisations_have_the_intended_properties(impl, dims, method):
    init = impl[f"initialize_{method}"]
    judge_random(lambda rng: init(dims, rng), dims, reference.intended_std(dims, method), f"initialize_{method}")


def test_intended_std():
    assert reference.intended_std([4, 2, 1], "random", 0.3) == [0.3, 0.3]
    assert np.allclose(reference.intended_std([4, 2, 1], "he"), [np.sqrt(0.5), 1.0])
    assert np.allclose(reference.intended_std([4, 2, 1], "xavier"), [0.5, np.sqrt(0.5)])


def test_initialisations_use_only_the_generator_given(impl):
    state = np.random.get_state()
    a = impl["initialize_he"]([20, 10, 1], np.random.default_rng(3))
    b = impl["initialize_he"]([20, 10, 1], np.random.default_rng(3))
    assert all(np.array_equal(a[k], b[k]) for k in a)
    after = np.random.get_state()
    assert np.array_equal(state[1], after[1]) and state[2:] == after[2:]


# --- the property checker ------------------------------------------------------------------

DIMS = [1000, 500, 250, 1]


def _he_like(rng, dims=DIMS, std=lambda n_prev, n: np.sqrt(2 / n_prev), draw=None):
    parameters = {}
    for l in range(1, len(dims)):
        shape = (dims[l], dims[l - 1])
        values = draw(rng, shape) if draw else rng.standard_normal(shape)
        parameters[f"W{l}"] = values * std(dims[l - 1], dims[l])
        parameters[f"b{l}"] = np.zeros((dims[l], 1))
    return parameters


BAD = {
    "current layer": (lambda rng: _he_like(rng, std=lambda n_prev, n: np.sqrt(2 / n)), "wrong spread"),
    "xavier": (lambda rng: _he_like(rng, std=lambda n_prev, n: np.sqrt(1 / n_prev)), "wrong spread"),
    "global generator": (lambda rng: _he_like(rng, draw=lambda r, shape: np.random.randn(*shape)),
                         "used numpy's global random generator"),
    "own seeded generator": (lambda rng: _he_like(np.random.default_rng(1)),
                             "not standard normal draws from the generator passed in"),
    "global seed": (lambda rng: (np.random.seed(0), _he_like(rng))[1], "used numpy's global random generator"),
    "uniform": (lambda rng: _he_like(rng, draw=lambda r, shape: r.random(shape)), "not centred on 0"),
    "one row for all units": (lambda rng: _he_like(rng, draw=lambda r, shape: np.ones(shape) * r.standard_normal(shape[1])),
                              "some rows are identical"),
    "biases not zero": (lambda rng: {k: v + 0.1 if k[0] == "b" else v for k, v in _he_like(rng).items()},
                        "the biases are not zero"),
    "rank-1 biases": (lambda rng: {k: v.ravel() if k[0] == "b" else v for k, v in _he_like(rng).items()},
                      "wrong shape"),
    "transposed weights": (lambda rng: {k: v.T if k[0] == "W" else v for k, v in _he_like(rng).items()},
                           "wrong shape"),
    "missing layer": (lambda rng: {k: v for k, v in _he_like(rng).items() if not k.endswith("3")}, "wrong keys"),
    "not a dict": (lambda rng: list(_he_like(rng).values()), "wrong type"),
    "nan": (lambda rng: {k: v * np.nan if k == "W2" else v for k, v in _he_like(rng).items()}, "not all entries are finite"),
}


def test_the_checker_passes_a_correct_initialisation():
    judge_random(_he_like, DIMS, reference.intended_std(DIMS, "he"), "he")
    checks.check_parameter_layout(_he_like(np.random.default_rng(0)), DIMS, "he")


@pytest.mark.parametrize("bug", sorted(BAD))
def test_the_checker_catches_typical_bugs(bug):
    init, message = BAD[bug]
    state = np.random.get_state()
    try:
        with pytest.raises(checks.CheckFailure, match=message):
            judge_random(init, DIMS, reference.intended_std(DIMS, "he"), "he")
    finally:
        np.random.set_state(state)


def test_the_checker_names_the_known_mistake():
    mistakes = {"used n[l]": [np.sqrt(2 / n) for n in DIMS[1:]], "Xavier": reference.intended_std(DIMS, "xavier")}
    with pytest.raises(checks.CheckFailure, match="hint: used n\\[l\\]"):
        judge_random(BAD["current layer"][0], DIMS, reference.intended_std(DIMS, "he"), "he", mistakes)
    with pytest.raises(checks.CheckFailure, match="hint: Xavier"):
        judge_random(BAD["xavier"][0], DIMS, reference.intended_std(DIMS, "he"), "he", mistakes)


def test_the_checker_reports_a_stub_clearly():
    def stub(rng):
        raise NotImplementedError("Replace this line with your code.")

    with pytest.raises(checks.CheckFailure, match="not written yet"):
        judge_random(stub, DIMS, reference.intended_std(DIMS, "he"), "he")


# --- the ready-made network ----------------------------------------------------------------


def _numerical_gradients(X, Y, parameters, hidden, epsilon=1e-6):
    numeric = {}
    for key, value in parameters.items():
        grad = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            plus = {k: v.copy() for k, v in parameters.items()}
            minus = {k: v.copy() for k, v in parameters.items()}
            plus[key][index] += epsilon
            minus[key][index] -= epsilon
            cost_plus = experiments.cost_from_output_z(experiments.forward(X, plus, hidden)[0][-1], Y)
            cost_minus = experiments.cost_from_output_z(experiments.forward(X, minus, hidden)[0][-1], Y)
            grad[index] = (cost_plus - cost_minus) / (2 * epsilon)
        numeric["d" + key] = grad
    return numeric


@pytest.mark.parametrize("hidden", experiments.HIDDEN)
@pytest.mark.parametrize("dims", [[3, 1], [3, 4, 1], [2, 5, 3, 4, 1]])
def test_experiment_gradients_match_centred_differences(hidden, dims):
    rng = np.random.default_rng(7)
    X = rng.standard_normal((dims[0], 5))
    Y = (rng.random((1, 5)) > 0.5).astype(float)
    parameters = reference.initialize_xavier(dims, rng)
    for key in parameters:
        if key.startswith("b"):
            parameters[key] = rng.standard_normal(parameters[key].shape) * 0.3   # away from ReLU's kink
    Zs, As = experiments.forward(X, parameters, hidden)
    grads = experiments.gradients(Y, parameters, Zs, As, hidden)
    numeric = _numerical_gradients(X, Y, parameters, hidden)
    for key, value in numeric.items():
        assert grads[key].shape == value.shape
        assert checks.relative_difference(grads[key], value) < 1e-6, key
    for l in range(1, len(dims)):
        assert grads[f"dZ{l}"].shape == (dims[l], 5)


def test_experiment_shapes_and_cost():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((2, 7))
    Y = (rng.random((1, 7)) > 0.5).astype(float)
    parameters = reference.initialize_he([2, 3, 4, 1], rng)
    Zs, As = experiments.forward(X, parameters, "relu")
    assert [Z.shape for Z in Zs] == [(3, 7), (4, 7), (1, 7)]
    assert [A.shape for A in As] == [(2, 7), (3, 7), (4, 7), (1, 7)]
    AL = As[-1]
    naive = -np.mean(Y * np.log(AL) + (1 - Y) * np.log(1 - AL))
    assert np.isclose(experiments.cost_from_output_z(Zs[-1], Y), naive)
    assert experiments.predict(parameters, X, "relu").shape == (1, 7)
    assert 0 <= experiments.accuracy(parameters, X, Y, "relu") <= 100
    with pytest.raises(ValueError):
        experiments.forward(X, parameters, "softplus")


def test_experiment_is_silent_and_finite_with_huge_weights():
    X, Y = data.load_flower()
    start = reference.initialize_random([2, 20, 20, 20, 20, 1], 10.0, np.random.default_rng(1))
    trained, costs = strict(experiments.train, X, Y, start, "tanh", 0.3, 50)
    assert np.all(np.isfinite(costs)) and costs[0] > 10
    start = reference.initialize_random([2, 20, 1], 1000.0, np.random.default_rng(1))
    Zs, As = strict(experiments.forward, X, start, "sigmoid")
    assert np.isfinite(strict(experiments.cost_from_output_z, Zs[-1], Y.astype(float)))


def test_train_leaves_the_start_alone_and_records_every_cost():
    X, Y = data.make_moons(m=40)
    start = reference.initialize_he([2, 5, 1], np.random.default_rng(0))
    copy = {k: v.copy() for k, v in start.items()}
    trained, costs = experiments.train(X, Y, start, "relu", 0.5, 25)
    assert all(np.array_equal(start[k], copy[k]) for k in start)
    assert len(costs) == 26 and costs[-1] < costs[0]
    assert trained is not start


# --- the figures the notebook reports -----------------------------------------------------


def test_zero_start_never_moves_on_the_balanced_flower():
    X, Y = data.load_flower()
    trained, costs = experiments.train(X, Y, reference.initialize_zeros([2, 4, 1]), "tanh", 1.2, 200)
    assert all(not v.any() for v in trained.values())
    assert np.allclose(costs, np.log(2))
    assert experiments.accuracy(trained, X, Y, "tanh") == 50.0


@pytest.mark.figures
def test_the_figures_the_notebook_reports():
    """Sections 2-3: [2, 4, 1] tanh on the flower, rate 1.2, 5000 iterations; sections 5-6:
    [2, 20, 20, 20, 20, 1] tanh, rate 0.3, 3000 iterations. Each tolerance is the spread
    measured across BLAS kernels (tests/figures.py): Xavier's 92.50 % is 93.25 % on Haswell/Zen."""
    values = figures.initialization_figures()
    for name in ("06_constant_accuracy", "06_small_accuracy", "06_x10_cost0", "06_small_cost_final",
                 "06_xavier_accuracy"):
        figures.assert_figure(name, values[name])
    # What the notebook's prose draws from them, on every kernel:
    assert values["_06_x10_accuracy"] < values["06_xavier_accuracy"]
    assert values["_06_x10_cost_final"] > 2 * values["_06_xavier_cost_final"]
