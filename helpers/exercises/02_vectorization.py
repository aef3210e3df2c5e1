"""02_vectorization: the one definition of each graded function's checks (see helpers/exercises).

The test cells of source/02_vectorization are generated from this file:
``python -m helpers.exercises render 02_vectorization``, then ``course generate 02_vectorization``.

- Numbers the docstrings call floats (a loss, a cost, ``db``, ``b`` after training, the costs
  recorded by ``optimize`` and ``model``) are judged by :func:`helpers.checks.scalar`: a Python
  float, a numpy scalar and a 0-d array are the same number. Only ``initialize_with_zeros``'s
  ``b`` must be a float (its docstring and the prose say "the float 0.0": an int 0 fails).
- ``propagate`` and ``predict`` follow the ``no_loops`` rule: no loop over the examples in their
  text (a loop over a fixed handful of items, ``map(float, (cost, db))``, is fine) and the same
  Python lines run for m and for 4 x m examples, wherever a loop would hide (a helper in another
  cell, a function made with ``exec``, a wrapper): see :func:`helpers.checks.loops_over_examples`.
- Each function is judged alone: the hidden tests, the re-check and (when graded) the visible
  cases run ``propagate`` and ``predict`` with the reference's ``sigmoid``, ``optimize`` with the
  reference's ``propagate``, ``model`` with the reference's ``initialize_with_zeros``, ``optimize``
  and ``predict`` (``Exercise(uses=, graded_with_reference=True)``): a bug costs only the function
  that has it. The visible checks, in the released notebook, run the student's own, each given
  copies of its arguments, and say "fix <callee> first" when one of them failed its own check.
- ``optimize`` must leave the caller's ``w`` as it was (its docstring: "not modified"): the
  ``inputs_unchanged`` rule of every call.
- ``predict``: the docstring says 1.0 where the activation is ``> 0.5``; a visible case has an
  example where it is exactly 0.5 (``w^T x + b = 0``), which is labelled 0. The labels may come
  back as float, int or bool 0/1 arrays (the values are what the docstring names).
- ``sigmoid`` may warn on overflow (``np.exp(800)``) as long as its values are right: the prose
  allows the textbook formula; stability is 03's lesson.
"""

import copy

import numpy as np

from helpers import checks
from helpers.exercises import Exercise, Hidden, Question, Visible, literal
from helpers.reference import vectorization as reference

REFERENCE = "helpers.reference.vectorization"

ANOTHER_SHAPE = "Another shape, drawn from a seeded generator: an answer written for the example above fails here."
NO_LOOPS = checks.DEFAULT_RULES + ("no_loops",)
PAD = " " * len("checks.expect(")


# --- expected values whose numbers may be float, numpy scalar or 0-d array -------------------------

def _loose(value):
    """``value`` with every float outside an array made a :func:`helpers.checks.scalar`."""
    if isinstance(value, dict):
        return {k: _loose(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return tuple(_loose(v) for v in value)
    if isinstance(value, list):
        return [_loose(v) for v in value]
    if isinstance(value, (float, np.floating)):
        return checks.scalar(float(value))
    return value


def _source(value, indent: int) -> str:
    """Notebook source of ``_loose(value)``: floats as ``checks.scalar(...)``, arrays as literals;
    a tuple or a dict holding arrays takes one line per item."""
    pad = " " * indent
    if isinstance(value, (float, np.floating)):
        return f"checks.scalar({literal(float(value))})"
    if isinstance(value, np.ndarray):
        return literal(value, indent=indent)
    if isinstance(value, dict):
        items = [f"{literal(k)}: {_source(v, indent + len(literal(k)) + 3)}" for k, v in value.items()]
        return "{" + (",\n" + pad + " ").join(items) + "}"
    if isinstance(value, (tuple, list)):
        inner = (",\n" + pad + " ").join(_source(v, indent + 1) for v in value)
        if isinstance(value, list):
            return f"[{inner}]"
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    return literal(value)


def _expected(name: str, setup: str, call: str) -> str:
    """The source of a visible case's expected value: the reference's, numbers loosened."""
    space = {"np": np}
    exec(setup, space)
    args, kwargs = eval(f"(lambda *a, **k: (a, k))({call})", space)
    value = getattr(reference, name)(*copy.deepcopy(args), **copy.deepcopy(kwargs))
    return _source(value, len(PAD) + len("expected="))


def _check(name: str, rtol: float = 1e-6, atol: float = 1e-8):
    """The judge of the hidden and re-check calls: the reference's value, numbers loosened."""

    def check(got, args, kwargs):
        __tracebackhide__ = True
        expected = getattr(reference, name)(*copy.deepcopy(args), **copy.deepcopy(kwargs))
        shapes = ", ".join(f"{a.shape}" if isinstance(a, np.ndarray) else repr(a)[:20] for a in args)
        extra = "".join(f", {k}={v!r}" for k, v in kwargs.items())
        checks.compare(got, _loose(expected), f"{name}({shapes}{extra})", rtol=rtol, atol=atol)

    return check


def _labels(rng, shape):
    return (rng.random(shape) > 0.5).astype(int)


def _dims(rng, low, high):
    return int(rng.integers(low, high))


# --- sigmoid, softmax, L1, L2 -------------------------------------------------------------------

def _sigmoid_hidden(rng):
    out = []
    for shape in [(1, 1), (1, _dims(rng, 2, 12)), (_dims(rng, 2, 8), _dims(rng, 2, 8)),
                  (_dims(rng, 2, 5), _dims(rng, 2, 5), _dims(rng, 2, 5))]:
        out.append(Hidden((4 * rng.standard_normal(shape),), f"sigmoid(z of shape {shape})"))
    out.append(Hidden((0.0,), "sigmoid(0.0)"))
    t = float(rng.uniform(-5, 5))
    out.append(Hidden((t,), f"sigmoid({t!r})"))
    large = np.concatenate([[-800.0, -40.0, 40.0, 800.0], rng.uniform(-900, 900, 4) * rng.choice([1, 0.05], 4)])
    out.append(Hidden((large.reshape(2, 4),), "sigmoid(z with entries up to 900 in size)"))
    return out


def _softmax_hidden(rng):
    n = _dims(rng, 2, 7)
    out = []
    for shape in [(1, 1), (1, _dims(rng, 2, 9)), (n, n), (_dims(rng, 5, 9), 2), (_dims(rng, 2, 5), _dims(rng, 6, 12))]:
        out.append(Hidden((3 * rng.standard_normal(shape),), f"softmax(x of shape {shape})"))
    x = np.vstack([[-500.0, 0.0, 700.0], [900.0, 900.0, -900.0], rng.uniform(-900, 900, 3)])
    out.append(Hidden((x,), "softmax(x with entries up to 900 in size)"))
    return out


def _loss_hidden(name):
    def hidden(rng):
        out = []
        for shape in [(1, 1), (1, _dims(rng, 3, 15)), (_dims(rng, 2, 6), _dims(rng, 2, 6)), (_dims(rng, 2, 10),)]:
            out.append(Hidden((rng.random(shape), _labels(rng, shape).astype(float)),
                              f"{name} on arrays of shape {shape}"))
        return out

    return hidden


# --- initialize_with_zeros ------------------------------------------------------------------------

def _zeros_check(got, args, kwargs):
    __tracebackhide__ = True
    dim = args[0]
    label = f"initialize_with_zeros({dim})"
    checks.compare(got, reference.initialize_with_zeros(dim), label)
    checks.check_type(got[1], float, f"initialize_with_zeros({dim}): b",
                      "write b = 0.0 (a float), not b = 0 (an int).")


# --- propagate, optimize, predict, model ---------------------------------------------------------

def _problem(rng, n_x, m, scale=0.3):
    w = scale * rng.standard_normal((n_x, 1))
    b = float(rng.standard_normal())
    X = rng.standard_normal((n_x, m))
    return w, b, X, _labels(rng, (1, m))


def _propagate_hidden(rng):
    out = []
    for n_x, m in [(1, 1), (_dims(rng, 2, 6), 1), (_dims(rng, 2, 6), _dims(rng, 1, 8) * 2 + 1),
                   (_dims(rng, 10, 30), _dims(rng, 30, 80)), (1, _dims(rng, 5, 12))]:
        out.append(Hidden(_problem(rng, n_x, m), f"propagate(w, b, X, Y) with n_x = {n_x}, m = {m}"))
    return out


def _optimize_hidden(rng):
    out = []
    for n_x, m, iterations, rate in [(1, 1, 1, 0.5), (_dims(rng, 2, 5), _dims(rng, 3, 6) * 2 + 1, _dims(rng, 120, 200), 0.05),
                                     (_dims(rng, 6, 12), _dims(rng, 2, 6), _dims(rng, 201, 320),
                                      float(rng.choice([0.01, 0.02]))),
                                     (2, _dims(rng, 6, 12), 100, 1.0)]:
        out.append(Hidden(_problem(rng, n_x, m, scale=0.2),
                          f"optimize with n_x = {n_x}, m = {m}, {iterations} iterations, rate {rate}",
                          {"num_iterations": iterations, "learning_rate": rate}))
    return out


def _predict_hidden(rng):
    out = []
    for n_x, m in [(1, 1), (_dims(rng, 2, 5), _dims(rng, 5, 13)), (12288, _dims(rng, 3, 8)),
                   (_dims(rng, 3, 8), _dims(rng, 30, 60))]:
        w = rng.standard_normal((n_x, 1)) / np.sqrt(n_x)
        b = float(rng.standard_normal())
        out.append(Hidden((w, b, rng.standard_normal((n_x, m))), f"predict(w, b, X) with n_x = {n_x}, m = {m}"))
    n_x, m = _dims(rng, 2, 6), _dims(rng, 2, 9)
    out.append(Hidden((np.zeros((n_x, 1)), 0.0, rng.standard_normal((n_x, m))),
                      "predict with w = 0 and b = 0 (every activation is 0.5 exactly: not > 0.5)"))
    return out


def _model_hidden(rng):
    out = []
    for n_x, m_train, m_test, iterations, rate in [(1, 1, 1, 1, 0.5),
                                                   (_dims(rng, 2, 5), _dims(rng, 8, 15), _dims(rng, 2, 6),
                                                    _dims(rng, 201, 280), 0.05),
                                                   (_dims(rng, 6, 10), _dims(rng, 15, 25), _dims(rng, 5, 9),
                                                    _dims(rng, 100, 150), 0.3)]:
        X_tr, X_te = rng.standard_normal((n_x, m_train)), rng.standard_normal((n_x, m_test))
        Y_tr, Y_te = _labels(rng, (1, m_train)), _labels(rng, (1, m_test))
        out.append(Hidden((X_tr, Y_tr, X_te, Y_te),
                          f"model with n_x = {n_x}, m_train = {m_train}, m_test = {m_test}, "
                          f"{iterations} iterations, rate {rate}",
                          {"num_iterations": iterations, "learning_rate": rate}))
    return out


SMALL = ("w, b = np.array([[0.5], [-1.0]]), 0.25\n"
         "X = np.array([[1.0, 2.0, -1.0],\n"
         "              [0.5, -1.5, 2.0]])\n"
         "Y = np.array([[1, 0, 0]])")
OTHER = ("rng = np.random.default_rng({seed})\n"
         "w_other, b_other = 0.5 * rng.standard_normal(({n_x}, 1)), -0.3\n"
         "X_other = rng.standard_normal(({n_x}, {m}))\n"
         "Y_other = (rng.random((1, {m})) > 0.5).astype(int)")
PROPAGATE_OTHER = OTHER.format(seed=26, n_x=4, m=7)
OPTIMIZE_OTHER = OTHER.format(seed=27, n_x=3, m=8)
PREDICT = ("w, b = np.array([[1.0], [-2.0]]), 0.5\n"
           "X = np.array([[1.0, 0.0, 3.0, -1.0, 1.5],\n"
           "              [2.0, 0.0, 1.0, -1.0, 1.0]])")
PREDICT_OTHER = OTHER.format(seed=28, n_x=5, m=9)
MODEL = ("X_train_small = np.array([[1.0, 2.0, -1.0, -2.0, 0.5, -0.5],\n"
         "                          [1.0, -1.0, 2.0, -2.0, 1.5, -1.0]])\n"
         "Y_train_small = np.array([[1, 1, 0, 0, 1, 0]])\n"
         "X_test_small = np.array([[1.5, -1.5, 0.2],\n"
         "                         [0.5, -0.5, 1.0]])\n"
         "Y_test_small = np.array([[1, 0, 1]])")
MODEL_OTHER = ("rng = np.random.default_rng(29)\n"
               "X_train_other, X_test_other = rng.standard_normal((3, 10)), rng.standard_normal((3, 4))\n"
               "Y_train_other = (X_train_other[0:1] + 0.5 * rng.standard_normal((1, 10)) > 0).astype(int)\n"
               "Y_test_other = (X_test_other[0:1] > 0).astype(int)")


EXERCISES = [
    Exercise(
        "sigmoid", cell="test_sigmoid",
        visible=[
            Visible(
                setup="z = np.array([-1.0, 0.0, 2.0])", call="z",
                expected="np.array([0.268941421370, 0.5, 0.880797077978])",
                label="sigmoid(np.array([-1.0, 0.0, 2.0]))",
                mistakes={"wrong sign in the exponent: sigmoid(z) = 1 / (1 + exp(-z)), with a MINUS before z.":
                          "np.array([0.731058578630, 0.5, 0.119202922022])"}),
            Visible(
                comment="A number gives a number (a float, a numpy float or a 0-d array).",
                setup="", call="0.0", expected="checks.scalar(0.5)", label="sigmoid(0.0)"),
            Visible(
                comment="Very large |z|: 0 or 1, never nan (np.exp(800) may overflow on the way, with a warning).",
                setup="z_large = np.array([[-800.0, -40.0, 40.0, 800.0]])", call="z_large",
                label="sigmoid([[-800, -40, 40, 800]])"),
            Visible(
                comment=ANOTHER_SHAPE,
                setup="z_other = 4 * np.random.default_rng(21).standard_normal((3, 2, 4))", call="z_other",
                label="sigmoid(z of shape (3, 2, 4))"),
        ],
        hidden=_sigmoid_hidden,
        check=_check("sigmoid", atol=1e-12),
        rtol=1e-6, atol=1e-12,
    ),
    Exercise(
        "softmax", cell="test_softmax",
        visible=[
            Visible(
                setup="x = np.array([[1.0, 2.0, 3.0],\n              [0.0, 0.0, 0.0]])", call="x",
                label="softmax([[1, 2, 3], [0, 0, 0]])",
                mistakes={"each COLUMN sums to 1: the sums must run along axis=1 (across each row), with keepdims=True.":
                          "np.exp(x) / np.sum(np.exp(x), axis=0, keepdims=True)"}),
            Visible(
                comment="Adding 1000 to every score changes nothing: the row maximum is subtracted before np.exp.",
                setup="x_large = np.array([[1001.0, 1002.0, 1003.0],\n                    [1000.0, 1000.0, 1000.0]])", call="x_large",
                label="softmax([[1001, 1002, 1003], [1000, 1000, 1000]])",
                hint="subtract each row's maximum (np.max(x, axis=1, keepdims=True)) before np.exp."),
            Visible(
                comment=ANOTHER_SHAPE + "\nA square x: a sum without keepdims=True would divide each COLUMN by a row's total.",
                setup="x_other = 3 * np.random.default_rng(22).standard_normal((4, 4))", call="x_other",
                label="softmax(x of shape (4, 4))",
                mistakes={"each column was divided by a row's total: keep the summed axis with keepdims=True.":
                          "(lambda e: e / np.sum(e, axis=1))(np.exp(x_other - np.max(x_other, axis=1, keepdims=True)))"}),
        ],
        hidden=_softmax_hidden,
    ),
    Exercise(
        "L1", cell="test_L1",
        visible=[
            Visible(
                setup="yhat = np.array([[0.8, 0.1, 0.6, 0.3]])\ny = np.array([[1.0, 0.0, 1.0, 0.0]])",
                call="yhat, y", expected="checks.scalar(1.0)",
                label="L1([[0.8, 0.1, 0.6, 0.3]], [[1, 0, 1, 0]])",
                mistakes={"without np.abs, positive and negative differences cancel out.": "0.2",
                          "that is the mean of the absolute differences: the L1 loss is their sum.": "0.25"}),
            Visible(
                comment=ANOTHER_SHAPE,
                setup="rng = np.random.default_rng(23)\n"
                      "yhat_other, y_other = rng.random((3, 5)), (rng.random((3, 5)) > 0.5).astype(float)",
                call="yhat_other, y_other", expected=_expected("L1", "rng = np.random.default_rng(23)\n"
                      "yhat_other, y_other = rng.random((3, 5)), (rng.random((3, 5)) > 0.5).astype(float)",
                      "yhat_other, y_other"),
                label="L1 on arrays of shape (3, 5)"),
        ],
        hidden=_loss_hidden("L1"),
        check=_check("L1"),
    ),
    Exercise(
        "L2", cell="test_L2",
        visible=[
            Visible(
                setup="yhat = np.array([[0.8, 0.1, 0.6, 0.3]])\ny = np.array([[1.0, 0.0, 1.0, 0.0]])",
                call="yhat, y", expected="checks.scalar(0.3)",
                label="L2([[0.8, 0.1, 0.6, 0.3]], [[1, 0, 1, 0]])",
                mistakes={"that is the square root of the loss (the length of y - yhat): L2 is the sum of squares itself.":
                          "float(np.sqrt(0.3))",
                          "that is the mean of the squared differences: the L2 loss is their sum.": "0.075",
                          "that is the sum of the differences without squaring them.": "0.2"}),
            Visible(
                comment=ANOTHER_SHAPE,
                setup="rng = np.random.default_rng(24)\n"
                      "yhat_other, y_other = rng.random((2, 6)), (rng.random((2, 6)) > 0.5).astype(float)",
                call="yhat_other, y_other", expected=_expected("L2", "rng = np.random.default_rng(24)\n"
                      "yhat_other, y_other = rng.random((2, 6)), (rng.random((2, 6)) > 0.5).astype(float)",
                      "yhat_other, y_other"),
                label="L2 on arrays of shape (2, 6)"),
        ],
        hidden=_loss_hidden("L2"),
        check=_check("L2"),
    ),
    Exercise(
        "initialize_with_zeros", cell="test_initialize_with_zeros",
        visible=[
            Visible(
                setup="", call="3", expected="(np.zeros((3, 1)), 0.0)", label="initialize_with_zeros(3)",
                then='checks.check_type(got[1], float, "initialize_with_zeros(3): b",\n'
                     '                  "write b = 0.0 (a float), not b = 0 (an int).")'),
            Visible(
                comment=ANOTHER_SHAPE,
                setup="dim = int(np.random.default_rng(25).integers(10, 40))", call="dim",
                expected="(np.zeros((dim, 1)), 0.0)",
                label="initialize_with_zeros(dim)"),
        ],
        hidden=lambda rng: [Hidden((dim,), f"initialize_with_zeros({dim})")
                            for dim in (1, 2, _dims(rng, 3, 30), 12288)],
        check=_zeros_check,
    ),
    Exercise(
        "propagate", cell="test_propagate",
        intro="propagate runs for all m examples at once: no Python loop over the examples, here or in a\n"
              "function it calls (the check counts the Python lines it runs for m and for 4 x m examples).",
        visible=[
            Visible(
                setup=SMALL, call="w, b, X, Y", expected=_expected("propagate", SMALL, "w, b, X, Y"),
                label="propagate(w, b, X, Y)",
                mistakes={"dw and db must be averaged over the m examples: divide by m.":
                          '({"dw": np.array([[1.346653735639], [-1.438082844498]]), "db": 0.597439315611},)',
                          "the cost has the wrong sign: J = -1/m * sum(...), with a minus in front.":
                          "({}, -1.162704522600)",
                          "the cost must be averaged over the m examples: divide the sum by m.":
                          "({}, 3.488113567799)",
                          "dZ has the wrong sign: dZ = A - Y, so dw = X dZ^T / m and db = sum(dZ) / m.":
                          '({"dw": np.array([[-0.448884578546], [0.479360948166]]), "db": -0.199146438537},)'}),
            Visible(
                comment=ANOTHER_SHAPE,
                setup=PROPAGATE_OTHER, call="w_other, b_other, X_other, Y_other",
                expected=_expected("propagate", PROPAGATE_OTHER, "w_other, b_other, X_other, Y_other"),
                label="propagate(w, b, X, Y) with n_x = 4, m = 7"),
        ],
        hidden=_propagate_hidden,
        rules=NO_LOOPS,
        uses=("sigmoid",), graded_with_reference=True,
        check=_check("propagate"),
    ),
    Exercise(
        "optimize", cell="test_optimize",
        intro="optimize leaves the caller's w as it was (its docstring: \"not modified\").",
        visible=[
            Visible(
                setup=SMALL, call="w, b, X, Y, 201, 0.1",
                expected=_expected("optimize", SMALL, "w, b, X, Y, 201, 0.1"),
                label="optimize(w, b, X, Y, num_iterations=201, learning_rate=0.1)",
                mistakes={"the parameters moved uphill: subtract learning_rate * gradient, do not add it.":
                          '({"w": np.array([[13.493552455213], [-11.156593051872]]), "b": 6.609265783551},)'},
                hint="each step is: grads, cost = propagate(w, b, X, Y), then w and b move against their gradients."),
            Visible(
                comment=ANOTHER_SHAPE + "\n150 iterations at learning rate 0.05.",
                setup=OPTIMIZE_OTHER, call="w_other, b_other, X_other, Y_other, 150, 0.05",
                expected=_expected("optimize", OPTIMIZE_OTHER, "w_other, b_other, X_other, Y_other, 150, 0.05"),
                label="optimize(w, b, X, Y, 150, 0.05) with n_x = 3, m = 8"),
        ],
        hidden=_optimize_hidden,
        uses=("propagate", "sigmoid"), graded_with_reference=True,
        check=_check("optimize"),
    ),
    Exercise(
        "predict", cell="test_predict",
        intro="predict labels all m examples at once: no Python loop over the examples, here or in a\n"
              "function it calls (the check counts the Python lines it runs for m and for 4 x m examples).",
        visible=[
            Visible(
                comment="The last example has w^T x + b = 1.5 - 2 + 0.5 = 0: its activation is 0.5 exactly,\n"
                        "which is not > 0.5, so its label is 0.",
                setup=PREDICT, call="w, b, X", expected="np.array([[0.0, 1.0, 1.0, 1.0, 0.0]])",
                label="predict(w, b, X)",
                mistakes={"those are the probabilities A: turn them into labels with (A > 0.5).astype(float).":
                          "np.array([[0.075858180021, 0.622459331202, 0.817574476194, 0.817574476194, 0.5]])",
                          "the labels are reversed: predict 1 where the probability is ABOVE 0.5.":
                          "np.array([[1.0, 0.0, 0.0, 0.0, 1.0]])",
                          "an activation of exactly 0.5 gave 1: the docstring says 1.0 where it is > 0.5, not >= 0.5.":
                          "np.array([[0.0, 1.0, 1.0, 1.0, 1.0]])"}),
            Visible(
                comment=ANOTHER_SHAPE,
                setup=PREDICT_OTHER, call="w_other, b_other, X_other",
                label="predict(w, b, X) with n_x = 5, m = 9"),
        ],
        hidden=_predict_hidden,
        rules=NO_LOOPS,
        uses=("sigmoid",), graded_with_reference=True,
    ),
    Exercise(
        "model", cell="test_model",
        visible=[
            Visible(
                setup=MODEL,
                call="X_train_small, Y_train_small, X_test_small, Y_test_small, 201, 0.1",
                expected=_expected("model", MODEL, "X_train_small, Y_train_small, X_test_small, Y_test_small, "
                                                   "201, 0.1"),
                label="model(..., num_iterations=201, learning_rate=0.1)",
                hint="check that model passes num_iterations and learning_rate on to optimize, and predicts "
                     "with the TRAINED w and b (read them from params)."),
            Visible(
                comment=ANOTHER_SHAPE + "\n120 iterations at learning rate 0.3.",
                setup=MODEL_OTHER,
                call="X_train_other, Y_train_other, X_test_other, Y_test_other, 120, 0.3",
                expected=_expected("model", MODEL_OTHER, "X_train_other, Y_train_other, X_test_other, "
                                                         "Y_test_other, 120, 0.3"),
                label="model(X_train (3, 10), ..., 120, 0.3)"),
        ],
        hidden=_model_hidden,
        uses=("initialize_with_zeros", "optimize", "predict", "propagate", "sigmoid"), graded_with_reference=True,
        check=_check("model"),
    ),
]


QUESTIONS = [
    Question(
        name="q_dz_value", cell="test_q_dz_value", answer=-0.2, decimals=2,
        explanation="Walk the graph backwards: dL/da, times the sigmoid's slope a(1 - a), and the "
                    "fractions cancel (section 5 works it out). What is left depends only on the "
                    "prediction a and the label y; mind the sign."),
    Question(
        name="q_steepest_direction", cell="test_q_steepest_direction", answer="b", choices=("a", "b", "c", "d"),
        explanation="To first order, a step eps*u changes J by eps times the dot product of the gradient "
                    "(dw, db) = (3, -4) with u. Among directions of length 1, which makes that dot product "
                    "as negative as it can be (Cauchy-Schwarz)? Its length must be 1: divide by ||(3, -4)|| = 5."),
    Question(
        name="q_hyperparameter", cell="test_q_hyperparameter", answer="c", choices=("a", "b", "c", "d"),
        explanation="A parameter is what training changes: look at which quantities the update lines "
                    "w := w - alpha dw, b := b - alpha db write to. Everything you set before calling "
                    "model and that the updates never touch is a hyperparameter."),
]
