"""08_cat_classifier: the one definition of each graded function's checks (see helpers/exercises).

The test cells of source/08_cat_classifier are generated from this file:
``python -m helpers.exercises render 08_cat_classifier``, then ``course generate 08_cat_classifier``.

The trainers (``two_layer_model``, ``L_layer_model``) return ``(parameters, costs)``: they are
judged as a training run (:func:`helpers.checks.training_run`): the recorded costs (a float, a numpy
scalar or a 0-d array each) and the parameters. On the cat photos (101 iterations) the visible
check states the costs at iterations 0 and 100 and the parameters' shapes (too many weights to
print); on small seeded data of another shape (visible) and on the hidden cases (other sizes,
``m = 1``, other learning rates and numbers of iterations) the parameters and the costs are the
reference's, within a tolerance far wider than the spread across BLAS kernels (tests/figures.py:
the cat costs after 101 iterations agree to ~1e-15). The building blocks the trainers call are the
notebook's read-only cell, the reference's own code (scripts/export_blocks.py). A trainer that reads
the notebook's ``train_x``/``train_y`` breaks the ``arguments_only`` rule, and a trainer that
ignores ``learning_rate`` or ``num_iterations`` fails the visible case of another shape.

``predict``: the docstring says 1 where the output is ``> 0.5``, so ``AL >= 0.5`` is a mistake,
shown visibly by an input where AL is exactly 0.5 (sigmoid(0)); 0/1 predictions as int, bool or
float all match.
"""

import copy

import numpy as np

from helpers import checks
from helpers.exercises import Exercise, Hidden, Visible, literal, Question
from helpers.reference import deep_network as reference

REFERENCE = "helpers.reference.deep_network"

ANOTHER_SHAPE = "Another shape, drawn from a seeded generator: an answer written for the example above fails here."

#: Tolerances of a trainer's values against the reference (small runs: they agree to ~1e-13).
RTOL, ATOL = 1e-6, 1e-9
#: The cat-photo costs after 101 iterations agree to ~1e-15 on every BLAS kernel (tests/figures.py).
CAT_RTOL = 1e-9

CATS = ("from helpers import data\n"
        "photos, labels = data.load_cat_data()[:2]                  # the training set of section 1\n"
        "X_cats = photos.reshape(photos.shape[0], -1).T / 255.0     # as train_x in section 2")

INIT_HINTS = {
    "two_layer_model": "start from initialize_parameters(n_x, n_h, n_y) (x 0.01), not the deep initialisation.",
    "L_layer_model": "start from initialize_parameters_deep(layers_dims) (divided by sqrt(n[l-1])), not x 0.01.",
}
NO_UPDATE = "the cost did not move: update the parameters at every iteration."


def _data(rng, n_x, m):
    X = rng.standard_normal((n_x, m))
    Y = (rng.random((1, m)) > 0.5).astype(int)
    if m > 1:
        Y[0, 0] = 1 - Y[0, -1]  # both classes
    return X, Y


def _label(name, X, dims, rate, iterations):
    return f"{name}(X {X.shape}, Y, {dims}, learning_rate={rate}, num_iterations={iterations})"


_RUNS = {}


def _reference_run(name, args, kwargs):
    """The reference trainer's result for these arguments (kept: the grader asks again per student)."""
    import hashlib
    import pickle

    key = (name, hashlib.sha256(pickle.dumps((args, sorted(kwargs.items())))).hexdigest())
    if key not in _RUNS:
        _RUNS[key] = getattr(reference, name)(*copy.deepcopy(args), **copy.deepcopy(kwargs))
    return _RUNS[key]


def _trainer_check(name):
    """The property judge of the trainers' hidden and re-check cases: the reference's run."""

    def check(got, args, kwargs):
        __tracebackhide__ = True
        parameters, costs = _reference_run(name, args, kwargs)
        X, dims = args[0], args[2]
        label = _label(name, X, list(dims) if isinstance(dims, list) else dims,
                       kwargs.get("learning_rate", args[3] if len(args) > 3 else 0.0075),
                       kwargs.get("num_iterations", args[4] if len(args) > 4 else 3000))
        checks.training_run(costs, parameters=parameters, rtol=RTOL, atol=ATOL).judge(got, label)

    return check


def _small_expected(name, setup, call):
    """The source of a small visible case's expected run (the reference's parameters and costs)."""
    space = {"np": np}
    exec(setup, space)
    parameters, costs = getattr(reference, name)(*eval(f"({call},)", space))
    pad = " " * (len("checks.expect(") + 4)   # the test cell's continuation lines, indented once more
    entries = "".join(f"{pad}    {literal(k)}: {literal(v, indent=len(pad) + 4 + len(literal(k)) + 2)},\n"
                      for k, v in parameters.items())
    return (f"checks.training_run(\n{pad}costs={literal(costs)},\n{pad}parameters={{\n{entries}{pad}}},\n"
            f"{pad}rtol={RTOL!r}, atol={ATOL!r})")


SMALL_TWO = ("rng = np.random.default_rng(8)\n"
             "X = rng.standard_normal((5, 6))\n"
             "Y = np.array([[1, 0, 0, 1, 1, 0]])")
SMALL_TWO_CALL = "X, Y, (5, 3, 1), 0.1, 201"
SMALL_L = ("rng = np.random.default_rng(88)\n"
           "X = rng.standard_normal((4, 7))\n"
           "Y = np.array([[0, 1, 1, 0, 1, 0, 0]])")
SMALL_L_CALL = "X, Y, [4, 3, 2, 1], 0.3, 201"


def _two_layer_hidden(rng):
    out = []
    for dims, m, rate, iterations in [((6, 3, 1), 1, 0.5, 201), ((4, 5, 1), 7, 0.1, 101),
                                      ((int(rng.integers(2, 12)), int(rng.integers(1, 8)), 1),
                                       int(rng.integers(2, 15)), float(rng.choice([0.01, 0.05, 0.1, 1.0])),
                                       int(rng.integers(101, 260)))]:
        X, Y = _data(rng, dims[0], m)
        out.append(Hidden((X, Y, dims), _label("two_layer_model", X, dims, rate, iterations),
                          {"learning_rate": rate, "num_iterations": iterations}))
    return out


def _L_layer_hidden(rng):
    out = []
    for dims, m, rate, iterations in [([5, 1], 1, 0.5, 101), ([3, 4, 1], 7, 0.1, 201),
                                      ([6, 5, 4, 3, 1], 1, 0.3, 101),
                                      ([int(v) for v in rng.integers(2, 9, 4)] + [1], int(rng.integers(2, 15)),
                                       float(rng.choice([0.01, 0.05, 0.1])), int(rng.integers(101, 260)))]:
        X, Y = _data(rng, dims[0], m)
        out.append(Hidden((X, Y, list(dims)), _label("L_layer_model", X, dims, rate, iterations),
                          {"learning_rate": rate, "num_iterations": iterations}))
    return out


def _predict_hidden(rng):
    out = []
    for dims, m in [([5, 1], 1), ([5, 1], 6), ([3, 4, 1], 7), ([6, 5, 4, 3, 1], 9), ([50, 7, 1], 3),
                    ([int(v) for v in rng.integers(2, 9, 3)] + [1], int(rng.integers(2, 20)))]:
        parameters = reference.initialize_parameters_deep(dims, np.random.RandomState(int(rng.integers(0, 2 ** 31))))
        X, y = _data(rng, dims[0], m)
        out.append(Hidden((X, y, parameters), f"predict(X {X.shape}, y, parameters of {dims})"))
    n = int(rng.integers(2, 9))
    zero = {"W1": np.zeros((3, n)), "b1": np.zeros((3, 1)), "W2": np.zeros((1, 3)), "b2": np.zeros((1, 1))}
    out.append(Hidden((rng.standard_normal((n, 4)), np.ones((1, 4), dtype=int), zero),
                      "predict with all-zero parameters (AL = 0.5 exactly: not > 0.5)"))
    return out


EXERCISES = [
    Exercise(
        "two_layer_model", cell="test_two_layer_model",
        intro="A training run is judged by its recorded costs and its parameters.",
        visible=[
            Visible(
                comment="101 iterations on the cat photos (a few seconds): the costs at iterations 0 and 100\n"
                        "are known; the parameters' shapes too (7 x 12288 weights are too many to print).",
                setup=CATS, recheck=False,   # too big for the re-check: its small cases judge the same code
                call="X_cats, labels, (12288, 7, 1), 0.0075, 101",
                expected=("checks.training_run([0.693049735659989, 0.6464320953428849],\n"
                          "                                                     "
                          "shapes={\"W1\": (7, 12288), \"b1\": (7, 1), \"W2\": (1, 7), \"b2\": (1, 1)},\n"
                          f"                                                     rtol={CAT_RTOL!r}, atol=0.0)"),
                label="two_layer_model(train_x, train_y, (12288, 7, 1), num_iterations=101)",
                mistakes={INIT_HINTS["two_layer_model"]: "[0.6950464961800915, 0.5892596054583805]",
                          NO_UPDATE: "[0.693049735659989, 0.693049735659989]"},
                hint="if costs[0] is right, the forward pass is: check dA2, the backward calls (layer 2 "
                     "with 'sigmoid', layer 1 with 'relu') and the names in grads."),
            Visible(
                comment=ANOTHER_SHAPE + "\nLearning rate 0.1, 201 iterations: costs at 0, 100, 200 and the trained parameters.",
                setup=SMALL_TWO, call=SMALL_TWO_CALL,
                expected=_small_expected("two_layer_model", SMALL_TWO, SMALL_TWO_CALL),
                label="two_layer_model(X (5, 6), Y, (5, 3, 1), learning_rate=0.1, num_iterations=201)"),
        ],
        hidden=_two_layer_hidden,
        check=_trainer_check("two_layer_model"),
        rtol=RTOL, atol=ATOL,
    ),
    Exercise(
        "L_layer_model", cell="test_L_layer_model",
        intro="A training run is judged by its recorded costs and its parameters.",
        visible=[
            Visible(
                comment="101 iterations of the 4-layer network on the cat photos: the costs at iterations 0 and\n"
                        "100 are known; the parameters' shapes too.",
                setup=CATS, recheck=False,   # too big for the re-check: its small cases judge the same code
                call="X_cats, labels, [12288, 20, 7, 5, 1], 0.0075, 101",
                expected=("checks.training_run([0.7717493284237686, 0.6720534400822914],\n"
                          "                                                     "
                          "shapes={\"W1\": (20, 12288), \"b1\": (20, 1), \"W2\": (7, 20), \"b2\": (7, 1),\n"
                          "                                                             "
                          "\"W3\": (5, 7), \"b3\": (5, 1), \"W4\": (1, 5), \"b4\": (1, 1)},\n"
                          f"                                                     rtol={CAT_RTOL!r}, atol=0.0)"),
                label="L_layer_model(train_x, train_y, [12288, 20, 7, 5, 1], num_iterations=101)",
                mistakes={INIT_HINTS["L_layer_model"]: "[0.6931489045172449, 0.6780101696342276]",
                          NO_UPDATE: "[0.7717493284237686, 0.7717493284237686]"}),
            Visible(
                comment=ANOTHER_SHAPE + "\nThree layers, learning rate 0.3, 201 iterations: costs at 0, 100, 200 and the parameters.",
                setup=SMALL_L, call=SMALL_L_CALL,
                expected=_small_expected("L_layer_model", SMALL_L, SMALL_L_CALL),
                label="L_layer_model(X (4, 7), Y, [4, 3, 2, 1], learning_rate=0.3, num_iterations=201)"),
        ],
        hidden=_L_layer_hidden,
        check=_trainer_check("L_layer_model"),
        rtol=RTOL, atol=ATOL,
    ),
    Exercise(
        "predict", cell="test_predict",
        visible=[
            Visible(
                comment="One sigmoid unit (L = 1) with W = [[1]], b = [[-0.5]]: Z = X - 0.5, so p = 1 where x > 0.5;\n"
                        "at x = 0.5 the output is sigmoid(0) = 0.5 exactly, which is not > 0.5.",
                setup="X = np.array([[-2.0, 0.0, 0.4, 0.5, 0.6, 3.0]])\n"
                      "y = np.array([[0, 0, 1, 1, 1, 1]])\n"
                      "one_unit = {\"W1\": np.array([[1.0]]), \"b1\": np.array([[-0.5]])}",
                call="X, y, one_unit", expected="np.array([[0, 0, 0, 0, 1, 1]])",
                label="predict(X, y, parameters) for one sigmoid unit",
                mistakes={"the predictions are the labels y: predict from the network's output, y is only "
                          "for the accuracy.": "y",
                          "AL = 0.5 exactly gives 0: the docstring says 1 where the output is > 0.5, "
                          "not >= 0.5.": "np.array([[0, 0, 0, 1, 1, 1]])"},
                hint="compare the network's output AL with 0.5: 1 where AL > 0.5."),
            Visible(
                comment="Two layers: a hidden ReLU unit that passes x on, then the same output unit.",
                setup="X_two = np.array([[-1.0, 0.5, 0.7, 2.0]])\n"
                      "y_two = np.array([[0, 1, 1, 1]])\n"
                      "two_layers = {\"W1\": np.array([[1.0]]), \"b1\": np.array([[0.0]]),\n"
                      "              \"W2\": np.array([[1.0]]), \"b2\": np.array([[-0.5]])}",
                call="X_two, y_two, two_layers", expected="np.array([[0, 0, 1, 1]])",
                label="predict(X, y, parameters) for a 2-layer network"),
            Visible(
                comment=ANOTHER_SHAPE,
                setup="rng = np.random.default_rng(12)\n"
                      "X_other = rng.standard_normal((6, 9))\n"
                      "y_other = np.array([[1, 0, 1, 1, 0, 0, 1, 0, 1]])\n"
                      "network = {\"W1\": rng.standard_normal((4, 6)), \"b1\": rng.standard_normal((4, 1)),\n"
                      "           \"W2\": rng.standard_normal((1, 4)), \"b2\": np.array([[0.2]])}",
                call="X_other, y_other, network",
                label="predict(X of shape (6, 9), y, parameters of [6, 4, 1])"),
        ],
        hidden=_predict_hidden,
    ),
]


QUESTIONS = [
    Question(
        name="q_number_of_layers", cell="test_q_number_of_layers", answer=4,
        explanation="The course counts the layers that compute, those with a W and a b; layer 0, the "
                    "input, has none. layers_dims lists the input size too, so it has one entry more "
                    "than there are layers."),
    Question(
        name="q_train_test_gap", cell="test_q_train_test_gap", answer="b", choices=("a", "b", "c", "d"),
        explanation="Compare the two numbers: on the photos it learnt from, the network is perfect; on new "
                    "photos, much worse. A model that could not fit would be poor on both; a broken "
                    "gradient would not reach 100 % on the training photos."),
    Question(
        name="q_universal_approximation", cell="test_q_universal_approximation", answer="a",
        choices=("a", "b", "c", "d"),
        explanation="Reread what the theorem promises in section 8: it is about what some network with one "
                    "hidden layer can represent, given enough units. It says nothing about how many units, "
                    "about gradient descent finding the weights, or about new examples."),
]
