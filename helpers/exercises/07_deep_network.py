"""07_deep_network: the one definition of each graded function's checks (see helpers/exercises).

The test cells of source/07_deep_network are generated from this file:
``python -m helpers.exercises render 07_deep_network``, then ``course generate 07_deep_network``.

Every check judges one function: a bug costs only the function that has it. Where that function
needs the results of others (``L_model_backward`` needs ``AL`` and the caches of a forward pass),
the inputs are the reference's, written into the notebook as literals: a check never runs a
student's ``L_model_forward``, ``compute_cost`` or ``numerical_gradients`` to judge another
function (a cost that forgets 1/m costs compute_cost's point, not L_model_backward's three). The
functions that call other graded ones (``linear_activation_forward`` -> ``linear_forward``,
``L_model_forward`` -> ``linear_activation_forward``, ``linear_activation_backward`` ->
``linear_backward``, ``L_model_backward`` -> ``linear_activation_backward``) are judged with the
reference's callee by the hidden tests, the re-check and (when graded) the visible cases
(``Exercise(uses=, graded_with_reference=True)``); the visible check in the released notebook runs
the student's callee, given copies of its arguments, and says "fix <callee> first" when that one's
check failed.

- ``initialize_parameters_deep``: the docstring fixes the values (``rng.standard_normal`` draws of
  the ``RandomState`` passed in, W1 first, divided by sqrt(n[l-1]); ``rng.randn`` gives the same
  numbers and passes too), so they are compared with the
  reference's; numpy's global generator must stay untouched (``global_random_untouched``).
- ``linear_backward`` / ``linear_activation_backward``: with ``need_dA_prev=False`` and no W in the
  cache, ``dA_prev`` is ``None`` (the docstring), a visible case.
- ``compute_cost``: a Python float, a numpy scalar or a 0-d array (``checks.scalar``).
- ``L_model_backward``: judged by ``checks.gradients``: exactly the keys the docstring lists, plus
  ``"dA0"`` if the student stores it (DLAI's vocabulary; leaving it out is a saving the notebook
  times in section 5, not a rule that costs points), every gradient within 1e-6 (relative
  difference per key, the gradient table) of the numerical gradients of the reference's forward
  pass and cost (visible) or of the reference's gradients (hidden cases and the re-check).
- ``update_parameters``: the text allows in-place updates, so no ``inputs_unchanged``; the
  reference is computed on its own copies.
"""

import copy

import numpy as np

from helpers import checks
from helpers.exercises import Exercise, Hidden, Visible, literal, Question
from helpers.reference import deep_network as reference

REFERENCE = "helpers.reference.deep_network"

ANOTHER_SHAPE = "Another shape, drawn from a seeded generator: an answer written for the example above fails here."

IN_PLACE_ALLOWED = ("arguments_only", "global_random_untouched")

#: Where a case's expected value is written, the continuation lines start this far in.
PAD = len("checks.expect(") + len("expected=")


# --- Rendering values that share arrays with the setup --------------------------------------------

def _names(setup: str) -> list:
    """[(source name, array)] of the arrays the setup defines (also the entries of its dicts)."""
    space = {"np": np, "checks": checks}
    exec(setup, space)
    out = []
    for name, value in space.items():
        if isinstance(value, np.ndarray):
            out.append((name, value))
        elif isinstance(value, dict) and not name.startswith("__"):
            out += [(f'{name}["{k}"]', v) for k, v in value.items() if isinstance(v, np.ndarray)]
    return out


def _source(value, names, indent=PAD) -> str:
    """``literal(value)``, but an array the setup defines is written as its name."""
    if isinstance(value, np.ndarray):
        for name, array in names:
            if array.shape == value.shape and array.dtype == value.dtype and np.array_equal(array, value):
                return name
        return literal(value, indent=indent)
    if isinstance(value, tuple):
        return "(" + ", ".join(_source(v, names, indent) for v in value) + ("," if len(value) == 1 else "") + ")"
    if isinstance(value, list):
        return "[" + f",\n{' ' * (indent + 1)}".join(_source(v, names, indent + 1) for v in value) + "]"
    if isinstance(value, dict):
        inner = f",\n{' ' * (indent + 1)}".join(f"{literal(k)}: {_source(v, names, indent + 1)}"
                                                for k, v in value.items())
        return "{" + inner + "}"
    return literal(value, indent=indent)


def _expected(function, setup, call, **extra) -> str:
    """The source of the reference's result for a visible case (arrays of the setup by name)."""
    space = {"np": np, "checks": checks}
    exec(setup, space)
    args = eval(f"({call},)", space)
    return _source(getattr(reference, function)(*copy.deepcopy(args)), _names(setup))


def _rows(array, indent) -> str:
    return literal(np.asarray(array), indent=indent)


# --- initialize_parameters_deep -------------------------------------------------------------------

def _init_mistakes() -> dict:
    draws = np.random.RandomState(1).randn(8)
    W1, W2 = draws[:6].reshape(2, 3), draws[6:].reshape(1, 2)
    pad = PAD + 4
    def src(a, b):
        return "{" + f'"W1": {_rows(a, pad + 7)}, "W2": {_rows(b, pad + 7)}' + "}"
    return {
        "the weights are the raw draws: divide W[l] by np.sqrt(n[l-1]), the size of the layer before.":
            src(W1, W2),
        "divide by the square root of n[l-1] (the inputs of the layer), not of n[l].":
            src(W1 / np.sqrt(2), W2 / np.sqrt(1)),
        "this notebook scales by 1/sqrt(n[l-1]), not by 0.01.": src(W1 * 0.01, W2 * 0.01),
    }


INIT_OTHER = "layer_dims = [int(n) for n in np.random.default_rng(7).integers(1, 6, size=4)]"


def _init_ignores_rng() -> str:
    space = {"np": np}
    exec(INIT_OTHER, space)
    return _source(reference.initialize_parameters_deep(space["layer_dims"]), [], PAD + 8)


def _init_hidden(rng):
    out = []
    for dims in ([5, 1], [3, 4, 1], [12, 8, 6, 4, 1], [7, 7], [1, 1, 1],
                 [int(v) for v in rng.integers(1, 15, int(rng.integers(2, 6)))]):
        out.append(Hidden((list(dims),), f"initialize_parameters_deep({dims})"))
        seed = int(rng.integers(0, 2 ** 31))
        out.append(Hidden((list(dims), np.random.RandomState(seed)),
                          f"initialize_parameters_deep({dims}, rng=np.random.RandomState({seed}))"))
    return out


# --- one layer ------------------------------------------------------------------------------------

def _layer_shapes(rng):
    return [(1, 1, 1), (3, 5, 1), (4, 2, 7), (1, 6, 3), (5, 5, 5),
            tuple(int(v) for v in rng.integers(1, 9, 3)),
            (int(rng.integers(1, 5)), int(rng.integers(5, 30)), int(rng.integers(2, 20)))]


def _linear_forward_hidden(rng):
    out = []
    for n, n_prev, m in _layer_shapes(rng):
        A, W, b = (rng.standard_normal((n_prev, m)), rng.standard_normal((n, n_prev)),
                   rng.standard_normal((n, 1)))
        out.append(Hidden((A, W, b), f"linear_forward(A {A.shape}, W {W.shape}, b {b.shape})"))
    return out


def _activation_forward_hidden(rng):
    out = []
    for n, n_prev, m in _layer_shapes(rng):
        A, W, b = (rng.standard_normal((n_prev, m)), rng.standard_normal((n, n_prev)),
                   rng.standard_normal((n, 1)))
        for activation in ("relu", "sigmoid"):
            out.append(Hidden((A, W, b, activation),
                              f'linear_activation_forward(A_prev {A.shape}, W {W.shape}, b, "{activation}")'))
    return out


def _linear_backward_hidden(rng):
    out = []
    for n, n_prev, m in _layer_shapes(rng):
        A, W, b, dZ = (rng.standard_normal((n_prev, m)), rng.standard_normal((n, n_prev)),
                       rng.standard_normal((n, 1)), rng.standard_normal((n, m)))
        out.append(Hidden((dZ, (A, W, b)), f"linear_backward(dZ {dZ.shape}, cache with A_prev {A.shape})"))
        out.append(Hidden((dZ, (A, None, b), False),
                          f"linear_backward(dZ {dZ.shape}, cache without W, need_dA_prev=False)"))
    return out


def _activation_backward_hidden(rng):
    out = []
    for n, n_prev, m in _layer_shapes(rng):
        A, W, b = (rng.standard_normal((n_prev, m)), rng.standard_normal((n, n_prev)),
                   rng.standard_normal((n, 1)))
        Z, dA = rng.standard_normal((n, m)), rng.standard_normal((n, m))
        for activation in ("relu", "sigmoid"):
            out.append(Hidden((dA, ((A, W, b), Z), activation),
                              f'linear_activation_backward(dA {dA.shape}, cache, "{activation}")'))
            out.append(Hidden((dA, ((A, None, b), Z), activation, False),
                              f'linear_activation_backward(dA {dA.shape}, cache without W, "{activation}", '
                              f'need_dA_prev=False)'))
    return out


LAF_SETUP = ("A_prev = np.array([[1.0, 2.0], [3.0, 4.0], [0.0, -1.0]])\n"
             "W = np.array([[1.0, 0.0, -1.0], [2.0, 1.0, 0.0]])\n"
             "b = np.array([[1.0], [-6.0]])\n"
             "Z = np.array([[2.0, 4.0], [-1.0, 2.0]])")


def _sigmoid_cache_mistake() -> str:
    """The sigmoid case's result with A, not Z, as the activation cache."""
    space = {"np": np}
    exec(LAF_SETUP, space)
    A, ((A_prev, W, b), _) = reference.linear_activation_forward(space["A_prev"], space["W"], space["b"], "sigmoid")
    return _source((A, ((A_prev, W, b), A)), _names(LAF_SETUP), PAD + 8)


COST_OTHER = ("rng = np.random.default_rng(5)\n"
              "AL_other = rng.uniform(0.05, 0.95, size=(1, 7))\n"
              "Y_other = np.array([[0, 1, 1, 0, 1, 0, 0]])")


LB_SETUP = ("A_prev = np.array([[1.0, 2.0, 0.0, -1.0], [3.0, -1.0, 2.0, 0.0], [0.0, 1.0, 1.0, 2.0]])\n"
            "W = np.array([[1.0, -2.0, 0.5], [0.0, 1.0, -1.0]])\n"
            "b = np.array([[0.5], [-1.0]])\n"
            "dZ = np.array([[1.0, -1.0, 2.0, 0.0], [0.5, 2.0, -1.0, 1.0]])\n"
            "dA_prev = np.array([[1.0, -1.0, 2.0, 0.0], [-1.5, 4.0, -5.0, 1.0], [0.0, -2.5, 2.0, -1.0]])\n"
            "dW = np.array([[-0.25, 2.0, 0.25], [0.875, -0.625, 0.75]])\n"
            "db = np.array([[0.5], [0.625]])")

_LAB_INPUTS = ("A_prev = np.array([[1.0, 2.0, 0.0, -1.0], [3.0, -1.0, 2.0, 0.0], [0.0, 1.0, 1.0, 2.0]])\n"
               "W = np.array([[1.0, -2.0, 0.5], [0.0, 1.0, -1.0]])\n"
               "b = np.array([[0.5], [-1.0]])\n"
               "Z = np.array([[1.5, -0.5, 0.2, -2.0], [-1.0, 0.3, 2.5, 0.0]])\n"
               "dA = np.array([[1.0, -1.0, 2.0, 0.5], [0.5, 2.0, -1.0, 1.0]])\n"
               "cache = ((A_prev, W, b), Z)")


def _lab_results() -> str:
    space = {"np": np}
    exec(_LAB_INPUTS, space)
    lines = []
    for activation in ("relu", "sigmoid"):
        name = f"{activation}_result = "
        value = reference.linear_activation_backward(space["dA"], space["cache"], activation)
        lines.append(name + literal(value, indent=len(name)))
    return "\n".join(lines)


LAB_SETUP = _LAB_INPUTS + "\n" + _lab_results()


# --- whole networks -------------------------------------------------------------------------------

def _dims(rng):
    """Depths L = 1, 2 and 4 (m = 1 included), and one drawn."""
    return [([5, 1], 1), ([5, 1], 4), ([3, 4, 1], 7), ([3, 4, 1], 1), ([6, 5, 4, 3, 1], 1),
            ([6, 5, 4, 3, 1], 5), ([20, 30, 1], 2),
            ([int(v) for v in rng.integers(1, 9, int(rng.integers(2, 5)))] + [1], int(rng.integers(1, 12)))]


def _network(rng, dims, m):
    parameters = reference.initialize_parameters_deep(dims, np.random.RandomState(int(rng.integers(0, 2 ** 31))))
    for key in parameters:
        if key.startswith("b"):
            parameters[key] = 0.1 * rng.standard_normal(parameters[key].shape)
    X = rng.standard_normal((dims[0], m))
    Y = (rng.random((1, m)) > 0.5).astype(int)
    return X, Y, parameters


def _forward_hidden(rng):
    out = []
    for dims, m in _dims(rng):
        X, _, parameters = _network(rng, dims, m)
        out.append(Hidden((X, parameters), f"L_model_forward(X {X.shape}, parameters of {dims})"))
    return out


def _cost_hidden(rng):
    out = []
    for m in (1, 2, 9, 50, int(rng.integers(3, 80))):
        AL = rng.uniform(0.02, 0.98, (1, m))
        Y = (rng.random((1, m)) > 0.5).astype(int)
        out.append(Hidden((AL, Y), f"compute_cost(AL, Y) with m = {m}"))
    AL = np.array([[1e-12, 1 - 1e-12, 0.5]])
    out.append(Hidden((AL, np.array([[1, 0, 1]])), "compute_cost(AL, Y) with AL close to 0 and 1"))
    return out


def _cost_check(got, args, kwargs):
    __tracebackhide__ = True
    AL, Y = args
    checks.scalar(reference.compute_cost(AL, Y)).judge(got, f"compute_cost(AL, Y) with m = {AL.shape[1]}")


def _backward_hidden(rng):
    out = []
    for dims, m in _dims(rng):
        X, Y, parameters = _network(rng, dims, m)
        AL, caches = reference.L_model_forward(X, parameters)
        out.append(Hidden((AL, Y, caches), f"L_model_backward for layer_dims {dims}, m = {m}"))
    return out


def _dA0(AL, Y, caches):
    """The gradient with respect to X that a backward pass may store as "dA0" (not required)."""
    L = len(caches)
    Y = np.asarray(Y).reshape(AL.shape)
    dA = (reference.L_model_backward(AL, Y, caches)["dA1"] if L > 1
          else -(Y / AL - (1 - Y) / (1 - AL)))
    return reference.linear_activation_backward(dA, caches[0], "sigmoid" if L == 1 else "relu")[0]


def _backward_check(got, args, kwargs):
    __tracebackhide__ = True
    AL, Y, caches = args
    dims = [caches[0][0][0].shape[0]] + [Z.shape[0] for _, Z in caches]
    label = f"L_model_backward for layer_dims {dims}, m = {AL.shape[1]}"
    expected = reference.L_model_backward(AL, Y, caches)
    checks.gradients(expected, optional={"dA0": _dA0(AL, Y, caches)}, show=False).judge(got, label)


HAND_NETWORK = (
    "X_check = np.array([[1.0, -2.0, 0.5], [0.0, 1.0, -1.0], [2.0, 0.5, 1.0], [-1.0, 1.0, 0.0]])\n"
    "parameters_check = {\n"
    "    \"W1\": np.array([[0.5, -0.2, 0.1, 0.3], [-0.4, 0.6, 0.2, -0.1], [0.3, 0.1, -0.5, 0.2]]),\n"
    "    \"b1\": np.array([[0.6], [0.3], [0.85]]),\n"
    "    \"W2\": np.array([[0.7, -0.3, 0.4], [-0.6, 0.5, 0.8]]),\n"
    "    \"b2\": np.array([[0.2], [0.1]]),\n"
    "    \"W3\": np.array([[1.2, -0.9]]),\n"
    "    \"b3\": np.array([[-0.1]]),\n"
    "}")

FORWARD_OTHER = ("rng = np.random.default_rng(17)\n"
                 "X_other = rng.standard_normal((2, 5))\n"
                 "network = {\"W1\": rng.standard_normal((3, 2)), \"b1\": rng.standard_normal((3, 1)),\n"
                 "           \"W2\": rng.standard_normal((2, 3)), \"b2\": rng.standard_normal((2, 1)),\n"
                 "           \"W3\": rng.standard_normal((2, 2)), \"b3\": rng.standard_normal((2, 1)),\n"
                 "           \"W4\": rng.standard_normal((1, 2)), \"b4\": rng.standard_normal((1, 1))}")

_FORWARD_MISTAKES = {
    "the hidden layers must use relu, only the last layer sigmoid.": "np.array([[0.5451022608, 0.5091888531, 0.5533293616]])",
    "the last layer must use sigmoid, so that AL is a probability.": "np.array([[0.836, 0.0, 1.298]])",
    "the hidden layers apply no activation at all: use relu.": "np.array([[0.7536175486, 0.1488055726, 0.8561900825]])",
}


def _backward_setup(network_setup, X, parameters, Y_source, suffix=""):
    """Setup text of a backward case: the network, its labels, and the reference's forward pass
    written out as literals (AL and the caches): the check never runs a student's forward pass."""
    space = {"np": np}
    exec(network_setup, space)
    X, parameters = space[X], space[parameters]
    AL, caches = reference.L_model_forward(X, parameters)
    lines = [network_setup, f"Y{suffix} = {Y_source}",
             "# The forward pass of this network (the course's own), written out: AL and the caches."]
    names = _names(network_setup)
    entries = []
    for l, ((A_prev, W, b), Z) in enumerate(caches, start=1):
        lines.append(f"Z{l}{suffix} = {literal(Z, indent=len(f'Z{l}{suffix} = '))}")
        names.append((f"Z{l}{suffix}", Z))
        if l < len(caches):
            A = caches[l][0][0]
            lines.append(f"A{l}{suffix} = {literal(A, indent=len(f'A{l}{suffix} = '))}")
            names.append((f"A{l}{suffix}", A))
        entries.append(f"(({_source(A_prev, names)}, {_source(W, names)}, {_source(b, names)}), Z{l}{suffix})")
    lines.append(f"AL{suffix} = {literal(AL, indent=len(f'AL{suffix} = '))}")
    lines.append(f"caches{suffix} = [" + (",\n" + " " * len(f"caches{suffix} = [")).join(entries) + "]")
    return "\n".join(lines)


def _gradients_expected(network_setup, X, parameters, Y_source) -> str:
    """``checks.gradients(<numerical gradients of the reference>, optional={"dA0": ...})``."""
    space = {"np": np}
    exec(network_setup, space)
    X, parameters = space[X], space[parameters]
    Y = eval(Y_source, {"np": np})
    numeric = reference.numerical_gradients(X, Y, copy.deepcopy(parameters))
    AL, caches = reference.L_model_forward(X, parameters)
    pad = PAD + len("checks.gradients(") + 1
    body = f",\n{' ' * pad}".join(f"{literal(k)}: {literal(v, indent=pad + len(literal(k)) + 2)}"
                                  for k, v in numeric.items())
    dA0 = literal(_dA0(AL, Y, caches), indent=PAD + len('checks.gradients(optional={"dA0": ') + 4)
    return (f"checks.gradients({{{body}}},\n{' ' * (PAD + len('checks.gradients('))}"
            f"optional={{\"dA0\": {dA0}}})")


BACKWARD_OTHER = ("rng = np.random.default_rng(27)\n"
                  "X_b = rng.standard_normal((2, 4))\n"
                  "network_b = {\"W1\": rng.standard_normal((3, 2)), \"b1\": rng.standard_normal((3, 1)),\n"
                  "             \"W2\": rng.standard_normal((1, 3)), \"b2\": rng.standard_normal((1, 1))}")


# --- update_parameters ----------------------------------------------------------------------------

UPDATE_SETUP = (
    "params = {\"W1\": np.array([[1.0, 2.0, 3.0], [0.0, -1.0, 2.0]]), \"b1\": np.array([[0.5], [-0.5]]),\n"
    "          \"W2\": np.array([[1.0, -1.0]]), \"b2\": np.array([[0.0]])}\n"
    "grads = {\"dW1\": np.array([[1.0, 0.0, -1.0], [2.0, 1.0, 0.0]]), \"db1\": np.array([[1.0], [2.0]]),\n"
    "         \"dW2\": np.array([[-2.0, 3.0]]), \"db2\": np.array([[4.0]]),\n"
    "         \"dA1\": np.array([[9.0], [9.0]])}          # extra entries of grads are not parameters")


def _update_hidden(rng):
    out = []
    for dims, rate in [([5, 1], 0.5), ([3, 4, 1], 0.01), ([6, 5, 4, 3, 1], 1.2), ([2, 9, 1], 0.0075),
                       ([int(v) for v in rng.integers(1, 9, 3)] + [1], float(rng.choice([0.0075, 0.1, 1.2])))]:
        params, grads = {}, {}
        for l in range(1, len(dims)):
            params[f"W{l}"] = rng.standard_normal((dims[l], dims[l - 1]))
            params[f"b{l}"] = rng.standard_normal((dims[l], 1))
            grads[f"dW{l}"] = rng.standard_normal((dims[l], dims[l - 1]))
            grads[f"db{l}"] = rng.standard_normal((dims[l], 1))
        out.append(Hidden((params, grads, rate), f"update_parameters for layer_dims {dims}, learning_rate = {rate}"))
    return out


EXERCISES = [
    Exercise(
        "initialize_parameters_deep", cell="test_initialize_parameters_deep",
        visible=[
            Visible(
                comment="layer_dims = [3, 2, 1]: W1 is (2, 3) and W2 is (1, 2). Without rng, the draws are those of\n"
                        "np.random.RandomState(1).standard_normal: 1.62434536, -0.61175641, ..., -0.7612069.",
                setup="", call="[3, 2, 1]",
                label="initialize_parameters_deep([3, 2, 1])",
                mistakes=_init_mistakes()),
            Visible(
                comment=ANOTHER_SHAPE + "\nThe generator passed as rng is the one to draw from.",
                setup=INIT_OTHER, call="layer_dims, np.random.RandomState(2)",
                label="initialize_parameters_deep(layer_dims of 4 sizes, rng=np.random.RandomState(2))",
                mistakes={"the weights ignore the generator passed as rng: draw with rng.standard_normal(...), not "
                          "np.random.randn(...) or a generator of your own.": _init_ignores_rng()}),
        ],
        hidden=_init_hidden,
    ),
    Exercise(
        "linear_forward", cell="test_linear_forward",
        visible=[
            Visible(
                comment="n[l-1] = 3 inputs, m = 2 examples, n[l] = 2 units: W A = [[1, 3], [5, 8]], plus b.",
                setup="A = np.array([[1.0, 2.0], [3.0, 4.0], [0.0, -1.0]])\n"
                      "W = np.array([[1.0, 0.0, -1.0], [2.0, 1.0, 0.0]])\n"
                      "b = np.array([[1.0], [-1.0]])",
                call="A, W, b", expected="(np.array([[2.0, 4.0], [4.0, 7.0]]), (A, W, b))",
                label="linear_forward(A, W, b)",
                mistakes={"the bias is missing: Z = W A + b.": "(np.array([[1.0, 3.0], [5.0, 8.0]]), (A, W, b))"}),
            Visible(
                comment=ANOTHER_SHAPE,
                setup="rng = np.random.default_rng(2)\n"
                      "A_other = rng.standard_normal((4, 5))\n"
                      "W_other = rng.standard_normal((3, 4))\n"
                      "b_other = rng.standard_normal((3, 1))",
                call="A_other, W_other, b_other",
                expected=_expected("linear_forward", "rng = np.random.default_rng(2)\n"
                                   "A_other = rng.standard_normal((4, 5))\nW_other = rng.standard_normal((3, 4))\n"
                                   "b_other = rng.standard_normal((3, 1))", "A_other, W_other, b_other"),
                label="linear_forward(A of shape (4, 5), W of shape (3, 4), b)"),
        ],
        hidden=_linear_forward_hidden,
    ),
    Exercise(
        "linear_activation_forward", cell="test_linear_activation_forward",
        uses=("linear_forward",), graded_with_reference=True,
        visible=[
            Visible(
                comment="Z = W A_prev + b = [[2, 4], [-1, 2]]; relu keeps the positive entries.",
                setup=LAF_SETUP,
                call='A_prev, W, b, "relu"',
                expected="(np.array([[2.0, 4.0], [0.0, 2.0]]), ((A_prev, W, b), Z))",
                label='linear_activation_forward(A_prev, W, b, "relu")',
                mistakes={
                    "relu and sigmoid are swapped: follow the string `activation`.":
                        _expected("linear_activation_forward", LAF_SETUP, 'A_prev, W, b, "sigmoid"'),
                    "the activation cache must be Z (what the backward step needs), not A.":
                        "(np.array([[2.0, 4.0], [0.0, 2.0]]), ((A_prev, W, b), np.array([[2.0, 4.0], [0.0, 2.0]])))",
                }),
            Visible(
                comment="The same layer with the sigmoid.",
                setup=LAF_SETUP,
                call='A_prev, W, b, "sigmoid"',
                expected=_expected("linear_activation_forward", LAF_SETUP, 'A_prev, W, b, "sigmoid"'),
                label='linear_activation_forward(A_prev, W, b, "sigmoid")',
                mistakes={
                    "relu and sigmoid are swapped: follow the string `activation`.":
                        "(np.array([[2.0, 4.0], [0.0, 2.0]]), ((A_prev, W, b), Z))",
                    "the activation cache must be Z (what the backward step needs), not A.":
                        _sigmoid_cache_mistake(),
                }),
            Visible(
                comment=ANOTHER_SHAPE,
                setup="rng = np.random.default_rng(3)\n"
                      "A_other = rng.standard_normal((4, 6))\n"
                      "W_other = rng.standard_normal((2, 4))\n"
                      "b_other = rng.standard_normal((2, 1))",
                call='A_other, W_other, b_other, "relu"',
                expected=_expected("linear_activation_forward", "rng = np.random.default_rng(3)\n"
                                   "A_other = rng.standard_normal((4, 6))\nW_other = rng.standard_normal((2, 4))\n"
                                   "b_other = rng.standard_normal((2, 1))", 'A_other, W_other, b_other, "relu"'),
                label='linear_activation_forward(A_prev of shape (4, 6), W of shape (2, 4), b, "relu")'),
        ],
        hidden=_activation_forward_hidden,
    ),
    Exercise(
        "L_model_forward", cell="test_L_model_forward",
        uses=("linear_activation_forward",), graded_with_reference=True,
        visible=[
            Visible(
                comment="A 3-layer network [4, 3, 2, 1] on m = 3 examples, with hand-picked parameters:\n"
                        "AL, then the caches ((A_prev, W, b), Z) of layers 1, 2 and 3.",
                setup=HAND_NETWORK, call="X_check, parameters_check",
                expected=_expected("L_model_forward", HAND_NETWORK, "X_check, parameters_check"),
                label="L_model_forward(X, parameters) for layer_dims [4, 3, 2, 1]",
                mistakes={hint: f"({value},)" for hint, value in _FORWARD_MISTAKES.items()},
                hint="one cache per layer, the output layer included; L = len(parameters) // 2."),
            Visible(
                comment=ANOTHER_SHAPE + "\nFour layers [2, 3, 2, 2, 1], m = 5.",
                setup=FORWARD_OTHER, call="X_other, network",
                expected=_expected("L_model_forward", FORWARD_OTHER, "X_other, network"),
                label="L_model_forward(X of shape (2, 5), parameters of [2, 3, 2, 2, 1])"),
        ],
        hidden=_forward_hidden,
    ),
    Exercise(
        "compute_cost", cell="test_compute_cost",
        intro="The cost may come back as a Python float, a numpy float or a 0-d array: the same number.",
        visible=[
            Visible(
                comment="-(log 0.8 + log 0.9 + log 0.6) / 3, about 0.2798.",
                setup="Y = np.array([[1, 0, 1]])\nAL = np.array([[0.8, 0.1, 0.6]])",
                call="AL, Y", expected=f"checks.scalar({float(-(np.log(0.8) + np.log(0.9) + np.log(0.6)) / 3)!r})",
                label="compute_cost([[0.8, 0.1, 0.6]], [[1, 0, 1]])",
                mistakes={
                    "the cost is an average: divide the sum by m.": repr(float(-(np.log(0.8) + np.log(0.9) + np.log(0.6)))),
                    "the sign is wrong: log of a probability is negative, and the cost must be positive.":
                        repr(float((np.log(0.8) + np.log(0.9) + np.log(0.6)) / 3)),
                    "for y = 0 the loss is -log(1 - a), not -log(a).":
                        repr(float(-(np.log(0.8) + np.log(0.1) + np.log(0.6)) / 3)),
                }),
            Visible(
                comment=ANOTHER_SHAPE,
                setup=COST_OTHER,
                call="AL_other, Y_other",
                expected=f"checks.scalar({_expected('compute_cost', COST_OTHER, 'AL_other, Y_other')})",
                label="compute_cost(AL of shape (1, 7), Y)"),
        ],
        hidden=_cost_hidden,
        check=_cost_check,
    ),
    Exercise(
        "linear_backward", cell="test_linear_backward",
        visible=[
            Visible(
                comment="m = 4 examples, n[l-1] = 3, n[l] = 2: (dA_prev, dW, db).",
                setup=LB_SETUP,
                call="dZ, (A_prev, W, b)", expected="(dA_prev, dW, db)",
                label="linear_backward(dZ, (A_prev, W, b))",
                mistakes={
                    "dW is an average over the examples: divide dZ A_prev^T by m.": "(dA_prev, 4 * dW, db)",
                    "db is an average over the examples: divide the sum by m.": "(dA_prev, dW, 4 * db)",
                    "dA_prev = W^T dZ has no 1/m: each column is one example's own derivative.":
                        "(dA_prev / 4, dW, db)",
                }),
            Visible(
                comment="Layer 1: need_dA_prev=False, so dA_prev is None and W is not used (the cache holds None).",
                setup="A_prev = np.array([[1.0, 2.0, 0.0, -1.0], [3.0, -1.0, 2.0, 0.0], [0.0, 1.0, 1.0, 2.0]])\n"
                      "b = np.array([[0.5], [-1.0]])\n"
                      "dZ = np.array([[1.0, -1.0, 2.0, 0.0], [0.5, 2.0, -1.0, 1.0]])",
                call="dZ, (A_prev, None, b), False",
                expected="(None, np.array([[-0.25, 2.0, 0.25], [0.875, -0.625, 0.75]]), np.array([[0.5], [0.625]]))",
                label="linear_backward(dZ, (A_prev, None, b), need_dA_prev=False)",
                hint="compute dA_prev only under `if need_dA_prev:`; leave it None otherwise."),
            Visible(
                comment=ANOTHER_SHAPE,
                setup="rng = np.random.default_rng(6)\n"
                      "A_other = rng.standard_normal((5, 3))\n"
                      "W_other = rng.standard_normal((2, 5))\n"
                      "dZ_other = rng.standard_normal((2, 3))",
                call="dZ_other, (A_other, W_other, np.zeros((2, 1)))",
                label="linear_backward(dZ of shape (2, 3), cache with A_prev of shape (5, 3))"),
        ],
        hidden=_linear_backward_hidden,
    ),
    Exercise(
        "linear_activation_backward", cell="test_linear_activation_backward",
        uses=("linear_backward",), graded_with_reference=True,
        visible=[
            Visible(
                comment="relu: dZ = dA where Z > 0, then linear_backward.",
                setup=LAB_SETUP,
                call='dA, cache, "relu"', expected="relu_result",
                label='linear_activation_backward(dA, cache, "relu")',
                mistakes={"this is the result for sigmoid: use the backward helper that matches `activation`.":
                          "sigmoid_result"}),
            Visible(
                comment="sigmoid: dZ = dA * s * (1 - s), then linear_backward.",
                setup=LAB_SETUP, call='dA, cache, "sigmoid"', expected="sigmoid_result",
                label='linear_activation_backward(dA, cache, "sigmoid")',
                mistakes={"this is the result for relu: use the backward helper that matches `activation`.":
                          "relu_result"}),
            Visible(
                comment="Layer 1: need_dA_prev=False is passed on to linear_backward (no W in the cache).",
                setup=LAB_SETUP, call='dA, ((A_prev, None, b), Z), "relu", False',
                expected="(None, relu_result[1], relu_result[2])",
                label='linear_activation_backward(dA, cache without W, "relu", need_dA_prev=False)',
                hint="pass need_dA_prev on to linear_backward."),
            Visible(
                comment=ANOTHER_SHAPE,
                setup="rng = np.random.default_rng(7)\n"
                      "A_other = rng.standard_normal((3, 6))\n"
                      "W_other = rng.standard_normal((4, 3))\n"
                      "Z_other = rng.standard_normal((4, 6))\n"
                      "dA_other = rng.standard_normal((4, 6))",
                call='dA_other, ((A_other, W_other, np.zeros((4, 1))), Z_other), "sigmoid"',
                label='linear_activation_backward(dA of shape (4, 6), cache, "sigmoid")'),
        ],
        hidden=_activation_backward_hidden,
    ),
    Exercise(
        "L_model_backward", cell="test_L_model_backward",
        uses=("linear_activation_backward",), graded_with_reference=True,
        intro=("The gradients are judged key by key against numerical gradients (the table prints one row per\n"
               "key, in the order backpropagation computes them: the first wrong row names the first broken\n"
               "step). AL and the caches are given as values, so this check runs no forward pass or cost of yours.\n"
               "A correct \"dA0\" in grads costs nothing (it is only slower); any other key must be as listed."),
        visible=[
            Visible(
                comment="The network of the L_model_forward check: [4, 3, 2, 1], m = 3.",
                setup=_backward_setup(HAND_NETWORK, "X_check", "parameters_check", "np.array([[1, 0, 1]])", "_check"),
                call="AL_check, Y_check, caches_check",
                expected=_gradients_expected(HAND_NETWORK, "X_check", "parameters_check", "np.array([[1, 0, 1]])"),
                label="L_model_backward(AL, Y, caches) for layer_dims [4, 3, 2, 1]"),
            Visible(
                comment=ANOTHER_SHAPE + "\nTwo layers [2, 3, 1], m = 4.",
                setup=_backward_setup(BACKWARD_OTHER, "X_b", "network_b", "np.array([[0, 1, 1, 0]])", "_b"),
                call="AL_b, Y_b, caches_b",
                expected=_gradients_expected(BACKWARD_OTHER, "X_b", "network_b", "np.array([[0, 1, 1, 0]])"),
                label="L_model_backward(AL, Y, caches) for layer_dims [2, 3, 1]"),
        ],
        hidden=_backward_hidden,
        check=_backward_check,
    ),
    Exercise(
        "update_parameters", cell="test_update_parameters",
        rules=IN_PLACE_ALLOWED,
        visible=[
            Visible(
                comment="learning_rate = 0.1. Updating the arrays in place or building new ones both pass.",
                setup=UPDATE_SETUP, call="params, grads, 0.1",
                expected='{"W1": np.array([[0.9, 2.0, 3.1], [-0.2, -1.1, 2.0]]), "b1": np.array([[0.4], [-0.7]]),\n'
                         + " " * (PAD + 1) + '"W2": np.array([[1.2, -1.3]]), "b2": np.array([[-0.4]])}',
                label="update_parameters(params, grads, learning_rate=0.1)",
                mistakes={
                    "the step goes against the gradient: subtract learning_rate * gradient, do not add it.":
                        '{"W1": np.array([[1.1, 2.0, 2.9], [0.2, -0.9, 2.0]]), "b1": np.array([[0.6], [-0.3]]), '
                        '"W2": np.array([[0.8, -0.7]]), "b2": np.array([[0.4]])}',
                    "the biases did not move: update b[l] too.": '{"b1": np.array([[0.5], [-0.5]]), "b2": np.array([[0.0]])}',
                    "multiply the gradient by learning_rate.": '{"W1": np.array([[0.0, 2.0, 4.0], [-2.0, -2.0, 2.0]])}',
                }),
            Visible(
                comment=ANOTHER_SHAPE + "\nThree layers, learning_rate = 0.05.",
                setup="rng = np.random.default_rng(9)\n"
                      "dims = [3, 4, 2, 1]\n"
                      "params_other = {}\n"
                      "grads_other = {}\n"
                      "for l in range(1, 4):\n"
                      "    params_other[f\"W{l}\"] = rng.standard_normal((dims[l], dims[l - 1]))\n"
                      "    params_other[f\"b{l}\"] = rng.standard_normal((dims[l], 1))\n"
                      "    grads_other[f\"dW{l}\"] = rng.standard_normal((dims[l], dims[l - 1]))\n"
                      "    grads_other[f\"db{l}\"] = rng.standard_normal((dims[l], 1))",
                call="params_other, grads_other, 0.05",
                label="update_parameters(params of [3, 4, 2, 1], grads, learning_rate=0.05)"),
        ],
        hidden=_update_hidden,
    ),
]


QUESTIONS = [
    Question(
        name="q_cache_contents", cell="test_q_cache_contents", answer="b", choices=("a", "b", "c", "d"),
        explanation="The cache holds what the backward step of the same layer will read: dW = dZ A_prev^T / m, "
                    "dA_prev = W^T dZ and dZ = dA * g'(Z). Which arrays appear on the right of these "
                    "formulas? (Gradients are computed in the backward pass, so no forward step can "
                    "store them.)"),
    Question(
        name="q_da1_shape", cell="test_q_da1_shape", answer="a", choices=("a", "b", "c", "d"),
        explanation="dA1 is the gradient with respect to A1, so it has the shape of A1: one row per unit of "
                    "layer 1 (n[1] of them), one column per example."),
    Question(
        name="q_parameter_count", cell="test_q_parameter_count", answer=47,
        explanation="Layer l has n[l] x n[l-1] weights and n[l] biases; add them up for l = 1, 2, 3 "
                    "(the input layer 0 has none)."),
]
