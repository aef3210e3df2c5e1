"""03_activations: the one definition of each graded function's checks (see helpers/exercises).

The test cells of source/03_activations are generated from this file:
``python -m helpers.exercises render 03_activations``, then ``course generate 03_activations``.

Rules beyond the defaults: sigmoid and tanh raise no numpy warning (computing exp safely is the
lesson there). relu and leaky_relu keep the defaults only: ``(z + abs(z)) / 2`` or
``np.maximum(alpha * z, z)`` are correct, and no input here makes them overflow.
"""

import numpy as np

from helpers import checks
from helpers.exercises import Exercise, Hidden, Question, Visible

REFERENCE = "helpers.reference.activations"

ANOTHER_SHAPE = "Another shape, drawn from a seeded generator: an answer written for the example above fails here."
STABLE = ("no_warnings",) + checks.DEFAULT_RULES


def _dims(rng, low, high, n):
    return tuple(int(v) for v in rng.integers(low, high, n))


def _shapes(rng):
    """Elementwise functions take any shape: 2-D of one entry, 1-D, 2-D, 3-D, a random 2-D."""
    return [(1, 1), (7,), (4, 9), (2, 3, 4), _dims(rng, 2, 8, 2)]


def _scaled(rng, name, scale):
    return [Hidden((rng.standard_normal(shape) * scale,), f"{name}(z of shape {shape})") for shape in _shapes(rng)]


def _large(rng, name):
    """Large |z|, where exp(-z) or exp(z) overflows in the textbook formula."""
    return [
        Hidden((rng.uniform(-1e4, 1e4, size=(3, 6)),), f"{name}(z of shape (3, 6) in [-1e4, 1e4])"),
        Hidden((np.array([[-1e300, -745.5, -709.9, -50.0], [50.0, 709.9, 745.5, 1e300]]),),
               f"{name}([[-1e300, -745.5, -709.9, -50], [50, 709.9, 745.5, 1e300]])"),
    ]


def _layers(rng, dims):
    n0, n1, n2 = dims
    return (rng.standard_normal((n1, n0)), rng.standard_normal((n1, 1)),
            rng.standard_normal((n2, n1)), rng.standard_normal((n2, 1)))


def _collapse_cases(rng):
    from helpers.reference.activations import collapse_linear

    out = [Hidden(_layers(rng, dims), f"collapse_linear for layer sizes {list(dims)}")
           for dims in [(1, 1, 1), (5, 3, 1), (2, 7, 4), (4, 4, 4), (3, 1, 6), _dims(rng, 1, 8, 3)]]
    # Three layers [3, 5, 2, 4] collapse by applying the function twice: the second call gets the
    # (reference's) collapse of the first two and the third layer.
    W1, b1, W2, b2 = _layers(rng, (3, 5, 2))
    W12, b12 = collapse_linear(W1, b1, W2, b2)
    W3, b3 = rng.standard_normal((4, 2)), rng.standard_normal((4, 1))
    out.append(Hidden((W12, b12, W3, b3), "collapse_linear(collapse of layers 1-2 of [3, 5, 2, 4], layer 3)"))
    return out


def _leaky_cases(rng):
    out = []
    for shape, alpha in [((1, 1), 0.01), ((5,), 0.2), ((3, 6), 0.05), ((2, 3, 4), 0.3),
                         (_dims(rng, 2, 8, 2), round(float(rng.uniform(0.02, 0.5)), 3))]:
        out.append(Hidden((rng.standard_normal(shape) * 3, alpha), f"leaky_relu(z of shape {shape}, {alpha})"))
    out.append(Hidden((rng.standard_normal((4, 4)) * 3,), "leaky_relu(z of shape (4, 4)) (default alpha)"))
    out.append(Hidden((np.array([[-3.0, -1e-300, 0.0, 1e-300, 2.0]]), 0.5),
                      "leaky_relu([[-3, -1e-300, 0, 1e-300, 2]], 0.5)"))
    return out


EXERCISES = [
    Exercise(
        "sigmoid", cell="test_sigmoid", rules=STABLE,
        visible=[
            Visible(
                comment="Small inputs: the values of the definition.",
                setup="z = np.array([[-1.0, 0.0, 2.0]])",
                call="z", expected="np.array([[1 / (1 + np.e), 0.5, 1 / (1 + np.exp(-2.0))]])",
                label="sigmoid([[-1, 0, 2]])",
                mistakes={"these are 1 - sigmoid(z), that is sigmoid(-z): check the sign in the exponent, "
                          "or whether the two branches of np.where are swapped (1/(1+t) belongs to "
                          "z >= 0, t/(1+t) to z < 0).":
                          "np.array([[1 / (1 + np.exp(-1.0)), 0.5, 1 / (1 + np.e ** 2)]])"}),
            Visible(
                comment="Large inputs: right values, and no overflow warning on the way.",
                setup="z = np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0])",
                call="z",
                expected="np.array([0.0, np.exp(-50.0) / (1 + np.exp(-50.0)), 0.5, 1 / (1 + np.exp(-50.0)), 1.0])",
                label="sigmoid([-1000, -50, 0, 50, 1000])"),
            Visible(
                comment=ANOTHER_SHAPE,
                setup="z = np.random.default_rng(31).standard_normal(7) * 8",
                call="z", label="sigmoid(z of shape (7,))"),
        ],
        hidden=lambda rng: _scaled(rng, "sigmoid", 8) + _large(rng, "sigmoid"),
    ),
    Exercise(
        "tanh", cell="test_tanh", rules=STABLE,
        visible=[
            Visible(
                setup="z = np.array([[-2.0, -0.5, 0.0, 0.5, 2.0]])",
                call="z", expected="np.tanh(z)",
                label="tanh([[-2, -0.5, 0, 0.5, 2]])",
                mistakes={
                    "the signs are flipped: tanh(z) has the sign of z (check the order e^z - e^-z, "
                    "or use sign(z)).": "-np.tanh(z)",
                    "every value is positive: (1 - t) / (1 + t) is tanh(|z|); multiply it by np.sign(z).":
                        "np.abs(np.tanh(z))",
                    "this is tanh(z/2): the exponent is -2|z|, not -|z|.": "np.tanh(z / 2)",
                }),
            Visible(
                comment="Large inputs: e^z and e^-z overflow for |z| > 709 and inf/inf is nan; use\n"
                        "t = exp(-2|z|), never larger than 1, and tanh(z) = sign(z) (1 - t) / (1 + t).",
                setup="z = np.array([-1000.0, -20.0, 20.0, 1000.0])",
                call="z", expected="np.tanh(z)", label="tanh([-1000, -20, 20, 1000])"),
            Visible(
                comment=ANOTHER_SHAPE,
                setup="z = np.random.default_rng(32).standard_normal((2, 1, 3)) * 4",
                call="z", label="tanh(z of shape (2, 1, 3))"),
        ],
        hidden=lambda rng: _scaled(rng, "tanh", 4) + _large(rng, "tanh"),
    ),
    Exercise(
        "relu", cell="test_relu",
        visible=[
            Visible(
                setup="z = np.array([[-2.0, -0.5, 0.0, 0.5, 3.0]])",
                call="z", expected="np.array([[0.0, 0.0, 0.0, 0.5, 3.0]])",
                label="relu([[-2, -0.5, 0, 0.5, 3]])",
                mistakes={"these are min(0, z): ReLU keeps the positive part, use np.maximum.":
                          "np.minimum(0, z)"}),
            Visible(
                comment=ANOTHER_SHAPE + "\nElementwise means any number of axes: code written for rows and columns does not work here.",
                setup="z = np.random.default_rng(33).standard_normal((3, 1, 2)) * 3",
                call="z", label="relu(z of shape (3, 1, 2))"),
        ],
        hidden=lambda rng: _scaled(rng, "relu", 3) + [
            Hidden((np.array([[-1e300, -1e-300, 0.0, 1e-300, 1e300]]),), "relu([[-1e300, -1e-300, 0, 1e-300, 1e300]])")],
    ),
    Exercise(
        "leaky_relu", cell="test_leaky_relu",
        visible=[
            Visible(
                comment="The default slope, alpha = 0.01.",
                setup="z = np.array([[-2.0, -0.5, 0.5, 3.0]])",
                call="z", expected="np.array([[-0.02, -0.005, 0.5, 3.0]])",
                label="leaky_relu([[-2, -0.5, 0.5, 3]])",
                mistakes={
                    "the negative entries became 0: that is ReLU; leaky ReLU multiplies them by alpha instead.":
                        "np.array([[0.0, 0.0, 0.5, 3.0]])",
                    "alpha multiplies the wrong side: keep z where z > 0 and use alpha * z where z <= 0.":
                        "np.array([[-2.0, -0.5, 0.005, 0.03]])",
                }),
            Visible(
                comment="Another slope: alpha = 0.2, given as the second argument.",
                setup="z = np.array([[-2.0, -0.5, 0.5, 3.0]])",
                call="z, 0.2", expected="np.array([[-0.4, -0.1, 0.5, 3.0]])",
                label="leaky_relu([[-2, -0.5, 0.5, 3]], alpha=0.2)",
                mistakes={"the slope is still 0.01: use the argument alpha, not the number 0.01.":
                          "np.array([[-0.02, -0.005, 0.5, 3.0]])",
                          "alpha multiplies the wrong side: keep z where z > 0 and use alpha * z where z <= 0.":
                          "np.array([[-2.0, -0.5, 0.1, 0.6]])"}),
            Visible(
                comment="Another shape and another slope (alpha = 0.3), drawn from a seeded generator: an answer\n"
                        "written for the examples above fails here.",
                setup="z = np.random.default_rng(34).standard_normal(6) * 3",
                call="z, 0.3", label="leaky_relu(z of shape (6,), alpha=0.3)"),
        ],
        hidden=_leaky_cases,
    ),
    Exercise(
        "collapse_linear", cell="test_collapse_linear",
        visible=[
            Visible(
                comment="n0 = 2 inputs, n1 = 3 hidden units, n2 = 2 outputs; the answer worked out by hand.",
                setup="W1 = np.array([[1.0, 2.0], [0.0, -1.0], [3.0, 1.0]])\n"
                      "b1 = np.array([[1.0], [0.0], [-2.0]])\n"
                      "W2 = np.array([[1.0, 0.0, 2.0], [-1.0, 1.0, 0.0]])\n"
                      "b2 = np.array([[0.5], [-1.0]])",
                call="W1, b1, W2, b2",
                expected="(np.array([[7.0, 4.0], [-1.0, -3.0]]), np.array([[-2.5], [-2.0]]))",
                label="collapse_linear(W1, b1, W2, b2)",
                mistakes={
                    "W is transposed: the layer applied first stands on the right, W = W2 @ W1.":
                        "(W1.T @ W2.T, None)",
                    "b is missing b2: the second layer adds its own bias after multiplying by W2.":
                        "(None, W2 @ b1)",
                    "b is missing b1: the first layer's bias passes through the second layer, b = W2 b1 + b2.":
                        "(None, b2)",
                },
                result="W, b",
                then="# The point of it: the one layer gives the same outputs as the two, for any inputs X.\n"
                     "X = np.array([[1.0, -2.0, 0.5, 3.0], [0.0, 1.0, 4.0, -1.0]])\n"
                     "checks.compare(W @ X + b, W2 @ (W1 @ X + b1) + b2,\n"
                     "               \"collapse_linear: W @ X + b (the one layer) against the two layers\")"),
            Visible(
                comment=ANOTHER_SHAPE + "\nLayer sizes [3, 4, 2].",
                setup="rng = np.random.default_rng(35)\n"
                      "W1, b1 = rng.standard_normal((4, 3)), rng.standard_normal((4, 1))\n"
                      "W2, b2 = rng.standard_normal((2, 4)), rng.standard_normal((2, 1))",
                call="W1, b1, W2, b2", label="collapse_linear for layer sizes [3, 4, 2]",
                result="W, b",
                then="X = rng.standard_normal((3, 5))\n"
                     "checks.compare(W @ X + b, W2 @ (W1 @ X + b1) + b2,\n"
                     "               \"collapse_linear: W @ X + b (the one layer) against the two layers\")"),
        ],
        hidden=_collapse_cases,
    ),
]


QUESTIONS = [
    Question(
        name="q_output_activation", cell="test_q_output_activation", answer="c", choices=("a", "b", "c", "d"),
        explanation="The output of a cat / not-cat network is read as the probability P(y = 1 | x), so "
                    "it must lie between 0 and 1. Compare the ranges in the table 'Which one where'."),
    Question(
        name="q_saturation", cell="test_q_saturation", answer="b", choices=("a", "b", "c", "d"),
        explanation="Gradient descent moves a weight in proportion to how much the unit's output changes "
                    "when its z changes (the slope). Look at the saturation table: how far does tanh(z) "
                    "move for a nudge of 0.1 at z = 5, and at z = 10?"),
    Question(
        name="q_linear_stack", cell="test_q_linear_stack", answer="a", choices=("a", "b", "c", "d"),
        explanation="Apply collapse_linear to the first two layers, then to the result and the third: "
                    "what is left in front of the sigmoid, and where is sigmoid(W x + b) = 0.5?"),
]
