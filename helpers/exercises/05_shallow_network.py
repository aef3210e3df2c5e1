"""05_shallow_network: the one definition of each graded function's checks (see helpers/exercises).

The test cells of source/05_shallow_network are generated from this file:
``python -m helpers.exercises render 05_shallow_network``, then ``course generate 05_shallow_network``.

- ``initialize_parameters``: the docstring fixes the generator (``rng``, or ``RandomState(2)`` when
  it is None) and the order of the draws (W1 first, then W2), on which the published flower figures
  depend: judged by :func:`helpers.checks.random_parameters` with ``ordered=True`` (W2 drawn before
  W1, or a transposed draw, is named), ``legacy=True`` for the default ``RandomState(2)``.
- ``compute_cost``: the labels of the course's data are uint8 (``helpers.data``), where ``Y - 1``
  wraps around to 255; the visible check uses uint8 labels (and float ones), the hidden cases
  uint8, int64 and float. The cost may come back as a float, a numpy scalar or a 0-d array
  (:func:`helpers.checks.scalar`).
- ``backward_propagation``: its visible inputs (the cache) are computed from the formulas in the
  test cell, not by the student's forward pass; the gradient table against the notebook's own
  numerical gradients is shown once the values are right.
- ``update_parameters``: an in-place update returning the same dict is allowed (no
  ``inputs_unchanged`` rule; every call gets its own copies).
- ``nn_model`` is judged as a training run against the reference with the same generator: its
  parameters after ``num_iterations`` steps at ``learning_rate`` (a visible case on small seeded data
  of another shape uses a rate and a number of iterations other than the defaults). The hidden
  tests, the re-check and (when graded) the visible cases call it with the reference's building
  blocks (``uses``, ``graded_with_reference``), so that a mistake in another exercise costs nothing
  here; the visible check in the released notebook runs the student's own, each given copies of its
  arguments (an ``nn_model`` that ignores what ``update_parameters`` returns fails there too), and
  says "fix <callee> first" when one of them failed its own check.
- ``predict``: the docstring says 1 where the probability is above 0.5, so an output of exactly 0.5
  (a visible case) is 0; 0/1 predictions as int, bool or float all match.
"""

import copy

import numpy as np

from helpers import data
from helpers.exercises import Exercise, Hidden, Visible, literal, Question
from helpers.reference import shallow as reference

REFERENCE = "helpers.reference.shallow"

ANOTHER_SHAPE = "Another shape, drawn from a seeded generator: an answer written for the example above fails here."

#: A training run's parameters against the reference's (small runs agree to ~1e-13 across kernels).
RTOL, ATOL = 1e-6, 1e-9

PAD = " " * len("checks.expect(")


def _layout(value, column):
    """``value`` as a literal that starts at ``column`` of its line: a dict one entry per line, a
    tuple (A2, cache) with its cache on the next line, matrices row under row."""
    if isinstance(value, dict):
        inner = column + 1
        entries = [f"{literal(k)}: {_layout(v, inner + len(literal(k)) + 2)}" for k, v in value.items()]
        return "{" + (",\n" + " " * inner).join(entries) + "}"
    if isinstance(value, tuple):
        inner = column + 1
        return "(" + (",\n" + " " * inner).join(_layout(v, inner) for v in value) + ")"
    return literal(value, indent=column)


def _lit(value, extra=0):
    """A literal laid out for a test cell's ``mistakes`` value (``extra`` = 8) or ``expected=``
    (``extra`` = 9): the columns where the rendered cell puts it."""
    return _layout(value, len(PAD) + extra)


def _parameters(rng, n_x, n_h, n_y=1):
    return {"W1": rng.standard_normal((n_h, n_x)), "b1": rng.standard_normal((n_h, 1)),
            "W2": rng.standard_normal((n_y, n_h)), "b2": rng.standard_normal((n_y, 1))}


def _labels(rng, m, dtype=np.uint8):
    """0/1 labels of shape (1, m) (both classes when m > 1), of the dtype of the course's data."""
    Y = (rng.random((1, m)) > 0.5).astype(dtype)
    if m > 1:
        Y[0, 0], Y[0, -1] = 0, 1
    return Y


def _dims(rng, low, high, n):
    return [int(v) for v in rng.integers(low, high, n)]


def _space(setup):
    space = {"np": np}
    exec(setup, space)
    return space


# --- layer_sizes ---------------------------------------------------------------------------------

def _layer_sizes_hidden(rng):
    shapes = [((2, 400), (1, 400)), ((1, 1), (1, 1)), ((7, 9), (3, 9)), ((12288, 2), (1, 2))]
    m = int(rng.integers(1, 30))
    shapes.append(((int(rng.integers(1, 50)), m), (int(rng.integers(1, 6)), m)))
    return [Hidden((rng.standard_normal(sx), _labels(rng, sy[0] * sy[1]).reshape(sy)),
                   f"layer_sizes(X of shape {sx}, Y of shape {sy})") for sx, sy in shapes]


# --- initialize_parameters -----------------------------------------------------------------------

SCALE_MISSING = "the draws were not multiplied by 0.01: the weights must start small."
SCALE_DIVIDED = "the draws were divided by 0.01: multiply them by 0.01."
INIT_MISTAKES = {SCALE_MISSING: [1.0, 1.0], SCALE_DIVIDED: [100.0, 100.0]}


def _seed(generator) -> int:
    """The seed of a fresh ``np.random.default_rng(seed)`` (or of a ``recheck.Rng``)."""
    if isinstance(generator, np.random.Generator):
        return int(generator.bit_generator.seed_seq.entropy)
    return int(generator.seed)


def _init_check(got, args, kwargs):
    __tracebackhide__ = True
    from helpers import checks

    dims = [int(n) for n in args[:3]]
    rng = kwargs.get("rng", args[3] if len(args) > 3 else None)
    label = f"initialize_parameters({dims[0]}, {dims[1]}, {dims[2]}" + (", rng)" if rng is not None else ")")
    expected = (checks.random_parameters(dims, [0.01, 0.01], 2, ordered=True, legacy=True) if rng is None
                else checks.random_parameters(dims, [0.01, 0.01], _seed(rng), ordered=True))
    expected.judge(got, label, INIT_MISTAKES)


def _init_hidden(rng):
    out = []
    for dims in [(1, 1, 1), (5, 7, 1), (3, 2, 2), (12288, 3, 1), tuple(_dims(rng, 1, 12, 3))]:
        seed = int(rng.integers(0, 2 ** 31))
        out.append(Hidden(dims, f"initialize_parameters{dims}"))
        out.append(Hidden(dims, f"initialize_parameters{dims} with rng=default_rng({seed})",
                          {"rng": np.random.default_rng(seed)}))
    return out


# --- forward_propagation -------------------------------------------------------------------------

FORWARD_SETUP = (
    "X_check = np.array([[1.0, -1.0, 2.0],\n"
    "                    [0.5, 1.0, -1.0]])\n"
    "parameters_check = {\"W1\": np.array([[1.0, 0.0], [0.0, 2.0], [-1.0, 1.0]]),\n"
    "                    \"b1\": np.array([[0.0], [0.5], [-0.5]]),\n"
    "                    \"W2\": np.array([[1.0, -0.5, 2.0]]),\n"
    "                    \"b2\": np.array([[0.25]])}")


FORWARD_OTHER = ("rng = np.random.default_rng(31)\n"
                 "X_other = rng.standard_normal((3, 7))\n"
                 "parameters_other = {\"W1\": rng.standard_normal((5, 3)), \"b1\": rng.standard_normal((5, 1)),\n"
                 "                    \"W2\": rng.standard_normal((1, 5)), \"b2\": rng.standard_normal((1, 1))}")


def _forward_variant(X, p, hidden=np.tanh, output=reference.sigmoid, bias=True):
    Z1 = p["W1"] @ X + (p["b1"] if bias else 0)
    A1 = hidden(Z1)
    Z2 = p["W2"] @ A1 + p["b2"]
    A2 = output(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


def _forward_mistakes():
    space = _space(FORWARD_SETUP)
    X, p = space["X_check"], space["parameters_check"]
    return {
        "b1 was not added: Z1 = W1 @ X + b1 (numpy adds the column b1 to every column).":
            _lit(_forward_variant(X, p, bias=False), 8),
        "the hidden layer uses tanh, not the sigmoid.": _lit(_forward_variant(X, p, hidden=reference.sigmoid), 8),
        "the output layer uses the sigmoid (a probability between 0 and 1), not tanh.":
            _lit(_forward_variant(X, p, output=np.tanh), 8),
    }


def _forward_hidden(rng):
    out = []
    for n_x, n_h, n_y, m in [(3, 5, 1, 1), (1, 1, 1, 4), (4, 2, 2, 7), (2, 4, 1, 400),
                             (*_dims(rng, 1, 9, 2), 1, int(rng.integers(1, 30)))]:
        X, P = rng.standard_normal((n_x, m)), _parameters(rng, n_x, n_h, n_y)
        out.append(Hidden((X, P), f"forward_propagation(X of shape {(n_x, m)}, n_h={n_h}, n_y={n_y})"))
    return out


# --- compute_cost --------------------------------------------------------------------------------

COST_SETUP = ("A2_check = np.array([[0.5, 0.9, 0.2]])\n"
              "Y_check = np.array([[1, 1, 0]], dtype=np.uint8)     # uint8, as the course's labels")
COST_FLOAT = ("A2_float = np.array([[0.3, 0.6, 0.8, 0.1]])\n"
              "Y_float = np.array([[0.0, 1.0, 1.0, 0.0]])")
WRAPS = ("Y - 1 wrapped around to 255 where y = 0: the labels are uint8 (unsigned). Write (1 - Y), "
         "as in the formula.")


def _cost_expected(setup, call):
    space = _space(setup)
    return f"checks.scalar({literal(reference.compute_cost(*eval(f'({call},)', space)))})"


def _cost_mistakes():
    A2, Y = np.array([[0.5, 0.9, 0.2]]), np.array([[1, 1, 0]], dtype=np.uint8)
    J = reference.compute_cost(A2, Y)
    wrapped = float(-np.sum(Y * np.log(A2) - (Y - np.uint8(1)) * np.log(1 - A2)) / 3)
    return {
        "the sum was not divided by m (the cost is an average).": literal(3 * J),
        "the sign is wrong: the cost is MINUS the average of the log-probabilities (it is never negative).":
            literal(-J),
        "the (1 - y) * log(1 - a2) term is missing: it is the one that counts for y = 0.":
            literal(float(-(np.log(0.5) + np.log(0.9)) / 3)),
        WRAPS: literal(wrapped),
    }


def _cost_check(got, args, kwargs):
    __tracebackhide__ = True
    from helpers import checks

    A2, Y = args
    label = f"compute_cost(A2 of shape {A2.shape}, Y of dtype {Y.dtype})"
    checks.scalar(reference.compute_cost(A2, Y)).judge(
        got, label, {WRAPS: float(-np.sum(Y * np.log(A2) - (Y - Y.dtype.type(1)) * np.log(1 - A2)) / Y.shape[1])}
        if Y.dtype == np.uint8 else None)


def _cost_hidden(rng):
    out = []
    for m in (1, 4, 7, 400, int(rng.integers(2, 60))):
        A2 = rng.uniform(0.05, 0.95, (1, m))
        Y = _labels(rng, m)
        if m == 1:
            Y[0, 0] = 0   # y = 0 is where Y - 1 wraps
        for dtype in (np.uint8, np.int64, float):
            out.append(Hidden((A2, Y.astype(dtype)), f"compute_cost(A2 of shape (1, {m}), Y of dtype "
                                                     f"{np.dtype(dtype).name})"))
    return out


# --- backward_propagation ------------------------------------------------------------------------

def _backward_setup(seed, n_x, n_h, Y_text):
    return (f"check_rng = np.random.default_rng({seed})\n"
            f"X_check = check_rng.standard_normal(({n_x}, {Y_text[1]}))\n"
            f"Y_check = {Y_text[0]}\n"
            f"parameters_check = {{\"W1\": check_rng.standard_normal(({n_h}, {n_x})), "
            f"\"b1\": check_rng.standard_normal(({n_h}, 1)),\n"
            f"                    \"W2\": check_rng.standard_normal((1, {n_h})), "
            f"\"b2\": check_rng.standard_normal((1, 1))}}\n"
            "# The cache, from the formulas of section 5 (not from your forward_propagation):\n"
            "Z1_check = parameters_check[\"W1\"] @ X_check + parameters_check[\"b1\"]\n"
            "Z2_check = parameters_check[\"W2\"] @ np.tanh(Z1_check) + parameters_check[\"b2\"]\n"
            "cache_check = {\"Z1\": Z1_check, \"A1\": np.tanh(Z1_check), \"Z2\": Z2_check,\n"
            "               \"A2\": 1 / (1 + np.exp(-Z2_check))}")


BACKWARD_SETUP = _backward_setup(5, 2, 3, ("np.array([[1, 0, 1, 0]], dtype=np.uint8)", 4))
BACKWARD_OTHER = _backward_setup(55, 3, 5, ("(check_rng.random((1, 7)) > 0.5).astype(np.uint8)", 7))
BACKWARD_CALL = "parameters_check, cache_check, X_check, Y_check"


def _backward_variant(parameters, cache, X, Y, sign=1.0, divide=True, slope="tanh"):
    m = X.shape[1] if divide else 1
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = sign * (A2 - Y)
    derivative = {"tanh": 1 - A1 ** 2, "sigmoid": A1 * (1 - A1), "z": 1 - cache["Z1"] ** 2}[slope]
    dZ1 = (parameters["W2"].T @ dZ2) * derivative
    return {"dW1": dZ1 @ X.T / m, "db1": np.sum(dZ1, axis=1, keepdims=True) / m,
            "dW2": dZ2 @ A1.T / m, "db2": np.sum(dZ2, axis=1, keepdims=True) / m}


def _backward_mistakes():
    space = _space(BACKWARD_SETUP)
    args = eval(f"({BACKWARD_CALL},)", space)
    return {
        "the sums over the examples were not divided by m.": _lit(_backward_variant(*args, divide=False), 8),
        "the sign is flipped: dZ2 = A2 - Y (prediction minus label).": _lit(_backward_variant(*args, sign=-1.0), 8),
        "the slope of tanh is 1 - A1 ** 2, not the sigmoid's A1 * (1 - A1).":
            _lit(_backward_variant(*args, slope="sigmoid"), 8),
        "the slope of tanh is 1 - A1 ** 2 (A1 = tanh(Z1)), not 1 - Z1 ** 2.": _lit(_backward_variant(*args, slope="z"), 8),
    }


def _backward_hidden(rng):
    out = []
    for index, (n_x, n_h, m) in enumerate([(3, 5, 1), (1, 1, 6), (4, 2, 7), (2, 4, 400),
                                           (*_dims(rng, 1, 9, 2), int(rng.integers(1, 30)))]):
        dtype = float if index == 1 else np.uint8
        X, Y, P = rng.standard_normal((n_x, m)), _labels(rng, m, dtype), _parameters(rng, n_x, n_h)
        _, cache = reference.forward_propagation(X, P)
        out.append(Hidden((P, cache, X, Y), f"backward_propagation(n_x={n_x}, n_h={n_h}, m={m}, "
                                            f"{np.dtype(dtype).name} labels)"))
    return out


# --- update_parameters ---------------------------------------------------------------------------

UPDATE_SETUP = ("parameters_check = {\"W1\": np.array([[1.0, 2.0]]), \"b1\": np.array([[0.5]]),\n"
                "                    \"W2\": np.array([[-1.0]]), \"b2\": np.array([[0.0]])}\n"
                "grads_check = {\"dW1\": np.array([[0.5, -1.0]]), \"db1\": np.array([[1.0]]),\n"
                "               \"dW2\": np.array([[2.0]]), \"db2\": np.array([[-0.5]])}")
UPDATE_OTHER = ("rng = np.random.default_rng(66)\n"
                "parameters_other = {\"W1\": rng.standard_normal((5, 3)), \"b1\": rng.standard_normal((5, 1)),\n"
                "                    \"W2\": rng.standard_normal((1, 5)), \"b2\": rng.standard_normal((1, 1))}\n"
                "grads_other = {\"d\" + key: rng.standard_normal(value.shape) for key, value in parameters_other.items()}")


def _update_hidden(rng):
    out = []
    for n_x, n_h, rate in [(2, 4, 1.2), (1, 1, 0.01), (5, 3, 2.5), (*_dims(rng, 1, 9, 2), float(rng.uniform(0.01, 3)))]:
        P = _parameters(rng, n_x, n_h)
        G = {"d" + k: rng.standard_normal(v.shape) for k, v in P.items()}
        out.append(Hidden((P, G, rate), f"update_parameters(n_x={n_x}, n_h={n_h}, learning_rate={rate:.4g})"))
    P = _parameters(rng, 3, 2)
    G = {"d" + k: rng.standard_normal(v.shape) for k, v in P.items()}
    out.append(Hidden((P, G), "update_parameters(parameters, grads) with the default learning rate"))
    return out


# --- nn_model ------------------------------------------------------------------------------------

#: The graded functions nn_model calls: the hidden tests and the re-check bind the reference's.
BLOCKS = ("initialize_parameters", "forward_propagation", "compute_cost", "backward_propagation",
          "update_parameters")

MOONS = "from helpers import data\nX_moons, Y_moons = data.make_moons(m=60, seed=3)   # uint8 labels"
MOONS_CALL = "X_moons, Y_moons, 3, 300, False, 1.2, np.random.default_rng(4)"
SMALL = ("rng = np.random.default_rng(50)\n"
         "X_small = rng.standard_normal((3, 9))\n"
         "Y_small = np.array([[1, 0, 0, 1, 1, 0, 1, 0, 0]], dtype=np.uint8)")
SMALL_CALL = "X_small, Y_small, 2, 37, False, 0.5, np.random.default_rng(6)"
NN_HINT = ("nn_model calls your other functions: if one of their checks fails, fix it first (the grade "
           "judges nn_model with correct ones). Otherwise look at the loop: forward, cost, backward, then "
           "update with learning_rate, num_iterations times, feeding the new parameters to the next pass.")

NN_GRADED_HINT = ("this call ran with the course's own initialize_parameters, forward_propagation, "
                  "compute_cost, backward_propagation and update_parameters: look at nn_model's loop "
                  "(num_iterations steps, learning_rate passed on, the new parameters fed to the next pass).")


def _nn_mistakes(setup, call):
    space = _space(setup)
    X, Y, n_h, iterations, _, rate, rng = eval(f"({call},)", space)
    seed = _seed(rng)

    def run(k, r):
        return reference.nn_model(X, Y, n_h, num_iterations=k, learning_rate=r, rng=np.random.default_rng(seed))

    out = {"one iteration short: the loop runs num_iterations times (range(num_iterations)).":
               _lit(run(iterations - 1, rate), 8),
           "the parameters never changed: assign what update_parameters returns to `parameters`, "
           "inside the loop.": _lit(run(0, rate), 8)}
    if rate != 1.2:
        out["the learning rate was 1.2 whatever learning_rate says: pass learning_rate on to "
            "update_parameters."] = _lit(run(iterations, 1.2), 8)
    return out


def _nn_check(got, args, kwargs):
    """The reference's run with the same arguments and a fresh generator of the same seed (the
    one passed in may have been advanced by the call)."""
    __tracebackhide__ = True
    from helpers import checks

    X, Y, n_h, *rest = args
    kwargs = {**dict(zip(("num_iterations", "print_cost", "learning_rate", "rng"), rest)), **kwargs}
    if kwargs.get("rng") is not None:
        kwargs["rng"] = np.random.default_rng(_seed(kwargs["rng"]))
    expected = reference.nn_model(X, Y, n_h, **kwargs)
    label = (f"nn_model(X of shape {X.shape}, Y, n_h={n_h}, "
             + ", ".join(f"{k}={_seed(v) if k == 'rng' else v}" for k, v in kwargs.items()) + ")")
    checks.compare(got, expected, label, rtol=RTOL, atol=ATOL, hint=NN_GRADED_HINT)


def _nn_hidden(rng):
    out = []
    sets = [("load_flower", 40, 4, 25, 1.2, True), ("make_circles", 31, 1, 7, 0.3, True),
            ("make_blobs", 1, 5, 1, 2.0, True), ("load_flower", 20, 2, 10, None, False),
            ("make_moons", int(rng.integers(2, 50)), int(rng.integers(1, 6)), int(rng.integers(1, 40)),
             float(rng.choice([0.1, 0.5, 1.2, 2.0])), True)]
    for maker, m, n_h, iterations, rate, with_rng in sets:
        X, Y = getattr(data, maker)(m=m, seed=int(rng.integers(0, 2 ** 31)))
        kwargs = {"num_iterations": iterations}
        label = f"nn_model(X, Y of {maker}(m={m}), n_h={n_h}, num_iterations={iterations}"
        if rate is not None:
            kwargs["learning_rate"] = rate
            label += f", learning_rate={rate}"
        if with_rng:
            seed = int(rng.integers(0, 2 ** 31))
            kwargs["rng"] = np.random.default_rng(seed)
            label += f", rng=default_rng({seed})"
        out.append(Hidden((X, Y, n_h), label + ")", kwargs))
    return out


# --- predict -------------------------------------------------------------------------------------

PREDICT_SETUP = (
    "parameters_check = {\"W1\": np.eye(2), \"b1\": np.zeros((2, 1)), \"W2\": np.ones((1, 2)), \"b2\": np.zeros((1, 1))}\n"
    "X_check = np.array([[1.0, -1.0, 2.0, -2.0, 0.5, 0.5],\n"
    "                    [1.0, -1.0, -1.0, 1.0, -3.0, -0.5]])")


def _predict_mistakes():
    space = _space(PREDICT_SETUP)
    A2, _ = reference.forward_propagation(space["X_check"], space["parameters_check"])
    expected = (A2 > 0.5).astype(int)
    return {
        "these are probabilities: turn them into classes with A2 > 0.5.": _lit(A2, 8),
        "the classes are swapped: class 1 is where the probability is ABOVE 0.5.": _lit(1 - expected, 8),
        "A2 = 0.5 exactly (the last column) gave 1: the docstring says 1 where the probability is "
        "above 0.5, so A2 > 0.5, not >= 0.5.": _lit((A2 >= 0.5).astype(int), 8),
    }


def _predict_hidden(rng):
    out = []
    for n_x, n_h, m in [(2, 4, 1), (3, 5, 9), (1, 2, 400), (*_dims(rng, 1, 9, 2), int(rng.integers(1, 40)))]:
        P, X = _parameters(rng, n_x, n_h), rng.standard_normal((n_x, m))
        out.append(Hidden((P, X), f"predict(n_x={n_x}, n_h={n_h}, m={m})"))
    n_x = int(rng.integers(1, 6))
    zero = {"W1": rng.standard_normal((3, n_x)), "b1": np.zeros((3, 1)), "W2": np.zeros((1, 3)), "b2": np.zeros((1, 1))}
    out.append(Hidden((zero, rng.standard_normal((n_x, 5))), "predict with W2 = 0, b2 = 0 (A2 = 0.5 exactly: not above 0.5)"))
    return out


def _reference_literal(function, setup, call, extra=0):
    space = _space(setup)
    return _lit(getattr(reference, function)(*copy.deepcopy(eval(f"({call},)", space))), extra)


EXERCISES = [
    Exercise(
        "layer_sizes", cell="test_layer_sizes",
        visible=[
            Visible(
                comment="5 features, 3 examples, 2 output rows.",
                setup="X_check, Y_check = np.zeros((5, 3)), np.zeros((2, 3))",
                call="X_check, Y_check", expected="(5, 4, 2)",
                label="layer_sizes(X of shape (5, 3), Y of shape (2, 3))",
                mistakes={"n_x and n_y are the numbers of ROWS (shape[0]); shape[1] is m, the number of "
                          "examples.": "(3, 4, 3)"}),
            Visible(
                comment=ANOTHER_SHAPE,
                setup="rng = np.random.default_rng(11)\n"
                      "X_other = rng.standard_normal((7, 11))\n"
                      "Y_other = (rng.random((3, 11)) > 0.5).astype(np.uint8)",
                call="X_other, Y_other", label="layer_sizes(X of shape (7, 11), Y of shape (3, 11))"),
        ],
        hidden=_layer_sizes_hidden,
    ),
    Exercise(
        "initialize_parameters", cell="test_initialize_parameters",
        intro="Random weights are judged by their properties: keys and shapes, zero biases, distinct\n"
              "units, and W1 then W2 made of the generator's standard normal draws, in the docstring's\n"
              "order (the same generator gives the same weights, hence the notebook's figures), x 0.01.",
        visible=[
            Visible(
                comment="rng=None: the function's own np.random.RandomState(2), as the flower run uses it.",
                setup="", call="2, 4, 1",
                expected="checks.random_parameters([2, 4, 1], [0.01, 0.01], seed=2, ordered=True, legacy=True)",
                label="initialize_parameters(2, 4, 1)",
                mistakes={SCALE_MISSING: "[1.0, 1.0]", SCALE_DIVIDED: "[100.0, 100.0]"}),
            Visible(
                comment=ANOTHER_SHAPE + "\nThe generator passed in (a np.random.Generator this time) draws the weights.",
                setup="sizes = [int(n) for n in np.random.default_rng(21).integers(2, 9, size=3)]",
                call="*sizes, np.random.default_rng(7)",
                expected="checks.random_parameters(sizes, [0.01, 0.01], seed=7, ordered=True)",
                label="initialize_parameters(*sizes, rng=np.random.default_rng(7))",
                mistakes={SCALE_MISSING: "[1.0, 1.0]", SCALE_DIVIDED: "[100.0, 100.0]"}),
        ],
        hidden=_init_hidden,
        check=_init_check,
    ),
    Exercise(
        "forward_propagation", cell="test_forward_propagation",
        visible=[
            Visible(
                comment="n_x = 2, n_h = 3, m = 3. Z1 is small enough to check by hand: try column 0.",
                setup=FORWARD_SETUP, call="X_check, parameters_check",
                expected=_reference_literal("forward_propagation", FORWARD_SETUP, "X_check, parameters_check", 9),
                label="forward_propagation(X, parameters)",
                mistakes=_forward_mistakes(),
                hint="A2 is the output (the sigmoid of Z2); the cache holds Z1, A1 = tanh(Z1), Z2 and A2."),
            Visible(
                comment=ANOTHER_SHAPE,
                setup=FORWARD_OTHER,
                call="X_other, parameters_other",
                expected=_reference_literal("forward_propagation", FORWARD_OTHER, "X_other, parameters_other", 9),
                label="forward_propagation(X of shape (3, 7), n_h = 5)"),
        ],
        hidden=_forward_hidden,
    ),
    Exercise(
        "compute_cost", cell="test_compute_cost",
        intro="The cost may come back as a float, a numpy float or a 0-d array.",
        visible=[
            Visible(
                comment="Labels of dtype uint8, as those of the flower data.",
                setup=COST_SETUP, call="A2_check, Y_check",
                expected=_cost_expected(COST_SETUP, "A2_check, Y_check"),
                label="compute_cost([[0.5, 0.9, 0.2]], uint8 [[1, 1, 0]])",
                mistakes=_cost_mistakes()),
            Visible(
                comment=ANOTHER_SHAPE + "\nuint8 labels again.",
                setup="rng = np.random.default_rng(44)\n"
                      "A2_other = rng.uniform(0.05, 0.95, (1, 9))\n"
                      "Y_other = (rng.random((1, 9)) > 0.5).astype(np.uint8)",
                call="A2_other, Y_other",
                expected=_cost_expected("rng = np.random.default_rng(44)\n"
                                        "A2_other = rng.uniform(0.05, 0.95, (1, 9))\n"
                                        "Y_other = (rng.random((1, 9)) > 0.5).astype(np.uint8)", "A2_other, Y_other"),
                label="compute_cost(A2 of shape (1, 9), uint8 Y)"),
            Visible(
                comment="Labels as floats (any numeric dtype is allowed).",
                setup=COST_FLOAT, call="A2_float, Y_float",
                expected=_cost_expected(COST_FLOAT, "A2_float, Y_float"),
                label="compute_cost(A2 of shape (1, 4), float Y)"),
        ],
        hidden=_cost_hidden,
        check=_cost_check,
    ),
    Exercise(
        "backward_propagation", cell="test_backward_propagation",
        visible=[
            Visible(
                comment="n_x = 2, n_h = 3, m = 4; parameters of size about 1, so that every gradient is clearly non-zero.",
                setup=BACKWARD_SETUP, call=BACKWARD_CALL,
                expected=_reference_literal("backward_propagation", BACKWARD_SETUP, BACKWARD_CALL, 9),
                label="backward_propagation(parameters, cache, X, Y)",
                mistakes=_backward_mistakes(),
                hint="dZ2 = A2 - Y, dW2 = dZ2 A1^T / m, db2 = the sum of dZ2 over its columns / m; "
                     "dZ1 = (W2.T @ dZ2) * (1 - A1 ** 2), dW1 = dZ1 X^T / m, db1 likewise.",
                result="grads",
                then="print(\"Your gradients against the measured slopes (relative difference):\")\n"
                     "checks.gradient_table(grads, numerical_gradients(X_check, Y_check, parameters_check),\n"
                     "                      threshold=1e-6, name=\"backward_propagation\")"),
            Visible(
                comment=ANOTHER_SHAPE + "\nn_x = 3, n_h = 5, m = 7.",
                setup=BACKWARD_OTHER, call=BACKWARD_CALL,
                expected=_reference_literal("backward_propagation", BACKWARD_OTHER, BACKWARD_CALL, 9),
                label="backward_propagation(n_x = 3, n_h = 5, m = 7)"),
        ],
        hidden=_backward_hidden,
    ),
    Exercise(
        "update_parameters", cell="test_update_parameters",
        intro="An update in place (parameters[\"W1\"] -= ...) that returns the dict is fine too.",
        rules=("arguments_only", "global_random_untouched"),
        visible=[
            Visible(
                comment="learning_rate = 0.1.",
                setup=UPDATE_SETUP, call="parameters_check, grads_check, 0.1",
                expected="{\"W1\": np.array([[0.95, 2.1]]), \"b1\": np.array([[0.4]]),\n"
                         f"{PAD}          \"W2\": np.array([[-1.2]]), \"b2\": np.array([[0.05]])}}",
                label="update_parameters(parameters, grads, learning_rate=0.1)",
                mistakes={
                    "the step goes the wrong way: subtract learning_rate * gradient (descend, do not climb).":
                        "{\"W1\": np.array([[1.05, 1.9]]), \"b1\": np.array([[0.6]]), \"W2\": np.array([[-0.8]]), "
                        "\"b2\": np.array([[-0.05]])}",
                    "the learning rate was not used: the step is learning_rate * gradient.":
                        "{\"W1\": np.array([[0.5, 3.0]]), \"b1\": np.array([[-0.5]]), \"W2\": np.array([[-3.0]]), "
                        "\"b2\": np.array([[0.5]])}",
                }),
            Visible(
                comment=ANOTHER_SHAPE + "\nThe default learning rate, 1.2.",
                setup=UPDATE_OTHER, call="parameters_other, grads_other",
                expected=_reference_literal("update_parameters", UPDATE_OTHER, "parameters_other, grads_other", 9),
                label="update_parameters(parameters of n_x = 3, n_h = 5, grads)"),
        ],
        hidden=_update_hidden,
    ),
    Exercise(
        "nn_model", cell="test_nn_model",
        intro="A training run is judged by its parameters: the same generator, data, rate and number of\n"
              "iterations give the same ones.",
        uses=BLOCKS, graded_with_reference=True, rtol=RTOL, atol=ATOL, check=_nn_check,
        visible=[
            Visible(
                comment="Two half moons, m = 60: 3 hidden units, 300 iterations at the default rate 1.2.",
                setup=MOONS, call=MOONS_CALL,
                expected=_reference_literal("nn_model", MOONS, MOONS_CALL, 9),
                label="nn_model(X, Y, 3, num_iterations=300, rng=np.random.default_rng(4))",
                mistakes=_nn_mistakes(MOONS, MOONS_CALL), hint=NN_HINT),
            Visible(
                comment=ANOTHER_SHAPE + "\n3 features, m = 9, 2 hidden units; 37 iterations at learning_rate = 0.5.",
                setup=SMALL, call=SMALL_CALL,
                expected=_reference_literal("nn_model", SMALL, SMALL_CALL, 9),
                label="nn_model(X (3, 9), Y, 2, num_iterations=37, learning_rate=0.5, rng=default_rng(6))",
                mistakes=_nn_mistakes(SMALL, SMALL_CALL), hint=NN_HINT),
        ],
        hidden=_nn_hidden,
    ),
    Exercise(
        "predict", cell="test_predict",
        uses=("forward_propagation",), graded_with_reference=True,
        visible=[
            Visible(
                comment="With these parameters the network says \"class 1\" exactly where tanh(x1) + tanh(x2) > 0.\n"
                        "In the last column tanh(0.5) + tanh(-0.5) = 0, so A2 = sigmoid(0) = 0.5: not above 0.5.",
                setup=PREDICT_SETUP, call="parameters_check, X_check",
                expected="np.array([[1, 0, 1, 0, 0, 0]])",
                label="predict(parameters, X)",
                mistakes=_predict_mistakes()),
            Visible(
                comment=ANOTHER_SHAPE,
                setup="rng = np.random.default_rng(88)\n"
                      "parameters_other = {\"W1\": rng.standard_normal((4, 3)), \"b1\": rng.standard_normal((4, 1)),\n"
                      "                    \"W2\": rng.standard_normal((1, 4)), \"b2\": rng.standard_normal((1, 1))}\n"
                      "X_other = rng.standard_normal((3, 10))",
                call="parameters_other, X_other",
                label="predict(parameters of n_x = 3, n_h = 4, X of shape (3, 10))"),
        ],
        hidden=_predict_hidden,
    ),
]


QUESTIONS = [
    Question(
        name="q_dw1_shape", cell="test_q_dw1_shape", answer="b", choices=("a", "b", "c", "d"),
        explanation="A gradient has the shape of the array it is the gradient of: dW1 tells how the cost "
                    "changes with each entry of W1. Look up W[1] in the table of section 3: one row per "
                    "hidden unit, one column per input feature."),
    Question(
        name="q_hyperparameter", cell="test_q_hyperparameter", answer="c", choices=("a", "b", "c", "d"),
        explanation="Parameters are what gradient descent changes at every step (update_parameters moves "
                    "them); a hyperparameter is fixed before training starts and decides what gradient "
                    "descent does. Which of the four is an argument you give nn_model, never changed by "
                    "the loop?"),
    Question(
        name="q_test_set", cell="test_q_test_set", answer="c", choices=("a", "b", "c", "d"),
        explanation="A figure used to choose a setting is flattered by the choice: the best of 16 is partly "
                    "high by luck. Only a set that played no part in any choice gives an honest estimate "
                    "for new data, and it stays honest only if it is measured once."),
]
