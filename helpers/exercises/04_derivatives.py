"""04_derivatives: the one definition of each graded function's checks (see helpers/exercises).

The test cells of source/04_derivatives are generated from this file:
``python -m helpers.exercises render 04_derivatives``, then ``course generate 04_derivatives``.

Choices specific to 04:

- No ``no_warnings`` rule: numerical stability is 03's lesson. A derivative is judged by its
  values, also at |z| = 1000 and 1e300, where every correct form gives finite numbers (0.0 for the
  saturated sigmoid and tanh), whether or not numpy warns on the way (``1 / np.cosh(z)**2``
  overflows to the right 0.0). A form that divides two overflowing numbers gives inf/inf = nan
  there: a wrong value, shown in the visible check with a hint naming that form.
- ``relu_derivative``: a 0/1 array as floats, integers or booleans is correct (the values are
  compared, helpers.checks' dtype policy). No check ever judges z = 0, the kink.
- Function arguments (``numerical_derivative``, ``gradient_check``) are :class:`Function`:
  callable here (the kernel, the reference) and sent to the re-check's sandbox as their source.
- ``gradient_check`` is compared with the reference within rtol 1e-4 and atol 1e-7: an exact
  gradient's relative difference (about 1e-10, the rounding of the numerical gradient) is "0
  within 1e-7", the table's "correct". Its matrices are kept out of tanh's saturation (where the
  rounding error dominates a tiny exact gradient and even the reference exceeds 1e-7); a case
  with both gradients zero checks the 0/0 guard the docstring asks for.
"""

import numpy as np

from helpers.exercises import Exercise, Hidden, Question, Visible
from helpers.recheck import Fn

REFERENCE = "helpers.reference.derivatives"

ANOTHER_SHAPE = "Another shape, drawn from a seeded generator: an answer written for the example above fails here."


class Function(Fn):
    """A function argument of a hidden case: callable (in the kernel and for the reference), and
    sent to the re-check's sandbox as the source of a lambda over ``np``."""

    def __call__(self, *args, **kwargs):
        return self.make()(*args, **kwargs)


def _dims(rng, low, high, n):
    return tuple(int(v) for v in rng.integers(low, high, n))


def _away_from_zero(z):
    """No entry near the kink of the ReLUs at 0 (the checks never judge z = 0)."""
    return np.where(np.abs(z) < 1e-3, 0.5, z)


# --- graph_forward / graph_backward -------------------------------------------------------------

def _graph_forward(rng):
    out = []
    for shape in [(1, 1), (3, 4), (5,), _dims(rng, 2, 6, 2)]:
        a, b, c = (rng.standard_normal(shape) for _ in range(3))
        out.append(Hidden((a, b, c), f"graph_forward(a, b, c of shape {shape})"))
    a, b, c = (float(v) for v in rng.uniform(-3, 3, 3))
    out.append(Hidden((a, b, c), f"graph_forward({a:.3f}, {b:.3f}, {c:.3f})"))
    return out


def _graph_backward(rng):
    out = []
    for shape in [(1, 1), (2, 5), (4,), _dims(rng, 2, 6, 2)]:
        a, b, c, dJ = (rng.standard_normal(shape) for _ in range(4))
        cache = (a, b, c, b * c, a + b * c)
        out.append(Hidden((dJ, cache), f"graph_backward(dJ, cache of arrays of shape {shape})"))
    a, b, c = (float(v) for v in rng.uniform(-3, 3, 3))
    dJ = float(rng.uniform(0.1, 3))
    out.append(Hidden((dJ, (a, b, c, b * c, a + b * c)),
                      f"graph_backward({dJ:.3f}, cache of ({a:.3f}, {b:.3f}, {c:.3f}))"))
    return out


# --- the four derivatives ------------------------------------------------------------------------

def _derivative_cases(name, scale, large):
    def cases(rng):
        out = []
        for shape in [(1, 1), (4, 6), (7,), (2, 3, 2), _dims(rng, 2, 7, 2)]:
            z = _away_from_zero(rng.standard_normal(shape) * scale)
            out.append(Hidden((z,), f"{name}(z of shape {shape})"))
        out.append(Hidden((np.array(large),), f"{name}({large})"))
        return out
    return cases


def _leaky_relu_derivative(rng):
    out = []
    for shape, alpha in [((1, 1), 0.01), ((6,), 0.2), ((4, 3), 0.05), ((2, 3, 2), 0.3),
                         ((3, 3), None), (_dims(rng, 2, 7, 2), round(float(rng.uniform(0.02, 0.5)), 3))]:
        z = _away_from_zero(rng.standard_normal(shape) * 3)
        if alpha is None:
            out.append(Hidden((z,), f"leaky_relu_derivative(z of shape {shape})"))
        else:
            out.append(Hidden((z, alpha), f"leaky_relu_derivative(z of shape {shape}, alpha={alpha})"))
    big = [[-1e300, -1e-10, 1e-10, 1e300]]
    out.append(Hidden((np.array(big), 0.1), f"leaky_relu_derivative({big}, alpha=0.1)"))
    return out


# --- numerical_derivative ------------------------------------------------------------------------

SIGMOID = "lambda t: np.where(t >= 0, 1 / (1 + np.exp(-np.abs(t))), np.exp(-np.abs(t)) / (1 + np.exp(-np.abs(t))))"


def _numerical_derivative(rng):
    out = []
    for shape, (name, source), eps in [((1, 1), ("np.sin", "np.sin"), 0.1),
                                       ((3, 4), ("sigmoid", SIGMOID), 0.05),
                                       ((6,), ("np.exp", "np.exp"), 0.02),
                                       ((2, 2, 3), ("np.tanh", "np.tanh"), 0.1),
                                       (_dims(rng, 1, 5, 2), ("cube", "lambda t: t ** 3"), 0.2)]:
        z = rng.standard_normal(shape)
        out.append(Hidden((Function(source), z, eps),
                          f"numerical_derivative({name}, z of shape {shape}, epsilon={eps})"))
    z = rng.standard_normal((4, 5))
    out.append(Hidden((Function("np.sin"), z), "numerical_derivative(np.sin, z of shape (4, 5)) with the default epsilon"))
    return out


# --- gradient_check ------------------------------------------------------------------------------

CUBE_SUM = "lambda x: float(np.sum(x ** 3))"


def _unsaturated(W, v, largest=2.0):
    """W scaled down so that every |W @ v| <= ``largest``.

    Where tanh saturates (|W v| > 4 or so) the exact gradient is tiny and the rounding error of
    centred differences dominates it: even the reference then reports a relative difference above
    1e-7 (measured: 83 of 3000 random draws of a (1, 3) W), which would fail a correct answer.
    """
    top = float(np.max(np.abs(W @ v)))
    return W * (largest / top) if top > largest else W


def _gradient_check(rng):
    out = []
    v = rng.standard_normal((3, 1))
    f = Function(f"lambda W: float(np.sum(np.tanh(W @ np.array({v.tolist()!r}))))")
    for shape in [(1, 3), (2, 3), (int(rng.integers(3, 6)), 3)]:
        W = _unsaturated(rng.standard_normal(shape), v)
        grad = (1 - np.tanh(W @ v) ** 2) @ v.T
        out.append(Hidden((f, grad, W), f"gradient_check(f, the exact gradient, W of shape {shape})"))
        wrong = grad + rng.standard_normal(shape) * 0.1
        out.append(Hidden((f, wrong, W), f"gradient_check(f, a wrong gradient, W of shape {shape})"))
    x = rng.standard_normal(4)
    out.append(Hidden((Function(CUBE_SUM), 3 * x ** 2, x), "gradient_check(cube_sum, 3 x**2, x of shape (4,))"))
    out.append(Hidden((Function(CUBE_SUM), 3.3 * x ** 2, x), "gradient_check(cube_sum, 3.3 x**2, x of shape (4,))"))
    out.append(Hidden((Function(CUBE_SUM), np.array([[1.0]]), np.array([[0.7]])),
                      "gradient_check(cube_sum, [[1.0]], [[0.7]])"))
    x = rng.standard_normal((3, 2))
    out.append(Hidden((Function(CUBE_SUM), 3 * x ** 2, x, 1e-2),
                      "gradient_check(cube_sum, 3 x**2, x of shape (3, 2), epsilon=1e-2)"))
    # Logistic regression: dw = X (A - Y)^T / m passes; 5 dw (no 1/m, m = 5) gives (m - 1) / (m + 1).
    X, Y = rng.standard_normal((3, 5)), np.array([[1.0, 0.0, 0.0, 1.0, 1.0]])
    w = rng.standard_normal((3, 1)) * 0.5
    cost = Function(f"(lambda X, Y: lambda w: float(-np.mean(Y * np.log(1 / (1 + np.exp(-(w.T @ X)))) "
                    f"+ (1 - Y) * np.log(1 - 1 / (1 + np.exp(-(w.T @ X)))))))"
                    f"(np.array({X.tolist()!r}), np.array({Y.tolist()!r}))")
    dw = X @ (1 / (1 + np.exp(-(w.T @ X))) - Y).T / 5
    out.append(Hidden((cost, dw, w), "gradient_check(logistic cost, dw, w)"))
    out.append(Hidden((cost, 5 * dw, w), "gradient_check(logistic cost, 5 * dw, w)"))
    shape = _dims(rng, 1, 4, 2)
    out.append(Hidden((Function("lambda x: 0.0"), np.zeros(shape), rng.standard_normal(shape)),
                      f"gradient_check(f = 0, grad = 0, x of shape {shape}): both gradients zero"))
    return out


_CUBE_SETUP = ("def cube_sum(x):\n"
               "    return float(np.sum(x ** 3))             # its gradient is 3 x², entry by entry\n"
               "x = np.array([[1.0], [-2.0], [3.0]])")

EXERCISES = [
    Exercise(
        "graph_forward", cell="test_graph_forward",
        visible=[
            Visible(
                comment="The example of section 2: u = 6, v = 11, J = 33.",
                setup="", call="5.0, 3.0, 2.0",
                expected="(33.0, (5.0, 3.0, 2.0, 6.0, 11.0))",
                label="graph_forward(5, 3, 2)",
                mistakes={"J is 3 times the whole sum a + bc, not 3a + bc.": "(3 * 5.0 + 3.0 * 2.0, None)",
                          "the cache is (a, b, c, u, v) in this order.": "(None, (5.0, 3.0, 2.0, 11.0, 6.0))"}),
            Visible(
                comment=ANOTHER_SHAPE + "\nThree arrays of shape (2, 3): every step is elementwise (* and +).",
                setup="a, b, c = np.random.default_rng(41).integers(-4, 5, size=(3, 2, 3)).astype(float)",
                call="a, b, c", label="graph_forward(a, b, c of shape (2, 3))",
                mistakes={"J is 3 times the whole sum a + bc, not 3a + bc.": "(3 * a + b * c, None)"}),
        ],
        hidden=_graph_forward,
    ),
    Exercise(
        "graph_backward", cell="test_graph_backward",
        visible=[
            Visible(
                comment="The cache of graph_forward(5, 3, 2), and dJ = 1 (J is the final output).",
                setup="cache = (5.0, 3.0, 2.0, 6.0, 11.0)",
                call="1.0, cache",
                expected='{"dv": 3.0, "du": 3.0, "da": 3.0, "db": 6.0, "dc": 9.0}',
                label="graph_backward(1.0, cache)",
                mistakes={
                    "db and dc are swapped: u = bc changes by c when b moves (du/db = c) and by b when c moves.":
                        '{"db": 9.0, "dc": 6.0}',
                    "the factor 3 is missing: every path from J to an input passes through J = 3v, so it "
                    "multiplies every derivative (dv = 3 dJ).":
                        '{"dv": 1.0, "du": 1.0, "da": 1.0, "db": 2.0, "dc": 3.0}',
                }),
            Visible(
                comment="The derivative arriving from the right scales everything: here dJ = 0.5.",
                setup="", call="0.5, (5.0, 3.0, 2.0, 6.0, 11.0)",
                expected='{"dv": 1.5, "du": 1.5, "da": 1.5, "db": 3.0, "dc": 4.5}',
                label="graph_backward(0.5, cache)",
                mistakes={"dJ is not used: start from dv = 3 * dJ.":
                          '{"dv": 3.0, "du": 3.0, "da": 3.0, "db": 6.0, "dc": 9.0}'}),
            Visible(
                comment=ANOTHER_SHAPE + "\nArrays of shape (2, 2): each derivative has the shape of J.",
                setup="a, b, c, dJ = np.random.default_rng(42).integers(-4, 5, size=(4, 2, 2)).astype(float)\n"
                      "cache = (a, b, c, b * c, a + b * c)",
                call="dJ, cache", label="graph_backward(dJ, cache of arrays of shape (2, 2))",
                hint="start from dv = 3 * dJ and multiply elementwise (du * c, du * b), never with a "
                     "matrix product."),
        ],
        hidden=_graph_backward,
    ),
    Exercise(
        "sigmoid_derivative", cell="test_sigmoid_derivative",
        visible=[
            Visible(
                comment="Expected: the unsimplified form of the derivative, e^-z / (1 + e^-z)^2 (fine for small |z|).",
                setup="z = np.array([[-2.0, 0.0, 0.5, 3.0]])",
                call="z",
                expected="np.exp(-z) / (1 + np.exp(-z)) ** 2",
                label="sigmoid_derivative([[-2, 0, 0.5, 3]])",
                mistakes={
                    "a (1 - a) was applied to z itself: first compute a = sigmoid(z), then a * (1 - a).":
                        "z * (1 - z)",
                    "this is sigmoid(z) itself, not its derivative.": "sigmoid(z)",
                    "this is sigmoid(z) (1 - z): the second factor is 1 - sigmoid(z).": "sigmoid(z) * (1 - z)",
                }),
            Visible(
                comment="Large |z|: the sigmoid saturates and its derivative is (about) 0. exp(1000) overflows\n"
                        "to inf, so e^-z / (1 + e^-z)^2 is inf/inf = nan at z = -1000; a * (1 - a) with the\n"
                        "sigmoid above is right everywhere.",
                setup="z = np.array([-1000.0, -40.0, 0.0, 40.0, 1000.0])",
                call="z", label="sigmoid_derivative([-1000, -40, 0, 40, 1000])"),
            Visible(
                comment=ANOTHER_SHAPE,
                setup="z = np.random.default_rng(43).standard_normal((3, 2)) * 3",
                call="z", label="sigmoid_derivative(z of shape (3, 2))"),
        ],
        hidden=_derivative_cases("sigmoid_derivative", 4, [[-1e300, -800.0, -40.0, 40.0, 800.0, 1e300]]),
    ),
    Exercise(
        "tanh_derivative", cell="test_tanh_derivative",
        visible=[
            Visible(
                comment="Any correct form passes: 1 - np.tanh(z)**2, 1 / np.cosh(z)**2, 4 s (1 - s) with s = sigmoid(2z)...",
                setup="z = np.array([[-2.0, 0.0, 0.5, 3.0]])",
                call="z",
                expected="1 - np.tanh(z) ** 2",
                label="tanh_derivative([[-2, 0, 0.5, 3]])",
                mistakes={
                    "1 - a² was applied to z itself: first compute a = tanh(z), then 1 - a**2.": "1 - z ** 2",
                    "the square is missing: 1 - tanh(z)**2.": "1 - np.tanh(z)",
                    "this is tanh(z)**2: the derivative is 1 minus that.": "np.tanh(z) ** 2",
                }),
            Visible(
                comment="Large |z|: tanh saturates and its derivative is 0. np.tanh never overflows; 1 / np.cosh(z)**2\n"
                        "is right too (cosh(1000) overflows to inf, with a warning, and 1 / inf is 0). A ratio of\n"
                        "two overflowing numbers (exp, sinh or cosh of 1000) is inf/inf = nan.",
                setup="z = np.array([-1000.0, -40.0, 0.0, 40.0, 1000.0])",
                call="z", label="tanh_derivative([-1000, -40, 0, 40, 1000])",
                mistakes={
                    "inf/inf = nan at z = -1000 and 1000: exp, sinh and cosh of 1000 overflow to inf, and "
                    "their ratio is nan. Compute a = np.tanh(z) (or the tanh above), which never overflows, "
                    "then 1 - a**2.": "np.array([np.nan, 0.0, 1.0, 0.0, np.nan])",
                }),
            Visible(
                comment=ANOTHER_SHAPE,
                setup="z = np.random.default_rng(44).standard_normal((3, 2)) * 2",
                call="z", label="tanh_derivative(z of shape (3, 2))"),
        ],
        hidden=_derivative_cases("tanh_derivative", 2, [[-1e300, -500.0, -40.0, 40.0, 500.0, 1e300]]),
    ),
    Exercise(
        "relu_derivative", cell="test_relu_derivative",
        visible=[
            Visible(
                comment="0.0 and 1.0 as floats, integers or booleans: the values are compared.",
                setup="z = np.array([[-2.0, -0.5, 0.5, 3.0]])",
                call="z",
                expected="np.array([[0.0, 0.0, 1.0, 1.0]])",
                label="relu_derivative([[-2, -0.5, 0.5, 3]])",
                mistakes={
                    "this is ReLU itself; its derivative is the slope: 1 where z > 0, 0 elsewhere.": "relu(z)",
                    "the slopes are swapped: 1 where z > 0 and 0 where z < 0.": "np.array([[1.0, 1.0, 0.0, 0.0]])",
                    "np.sign(z) is -1 where z < 0, but the slope there is 0.": "np.sign(z)",
                }),
            Visible(
                comment="Tiny and huge values: the slope depends only on the sign of z.",
                setup="z = np.array([-1e300, -1e-10, 1e-10, 1e300])",
                call="z", expected="np.array([0.0, 0.0, 1.0, 1.0])",
                label="relu_derivative([-1e300, -1e-10, 1e-10, 1e300])",
                mistakes={"this is clip(z, 0, 1), not the slope: 1 for every z > 0, however small.":
                          "np.clip(z, 0, 1)"}),
            Visible(
                comment=ANOTHER_SHAPE,
                setup="z = np.random.default_rng(45).standard_normal((3, 2)) * 3",
                call="z", label="relu_derivative(z of shape (3, 2))"),
        ],
        hidden=_derivative_cases("relu_derivative", 3, [[-1e300, -1e-10, 1e-10, 1e300]]),
    ),
    Exercise(
        "leaky_relu_derivative", cell="test_leaky_relu_derivative",
        visible=[
            Visible(
                comment="The default alpha = 0.01.",
                setup="z = np.array([[-2.0, -0.5, 0.5, 3.0]])",
                call="z",
                expected="np.array([[0.01, 0.01, 1.0, 1.0]])",
                label="leaky_relu_derivative([[-2, -0.5, 0.5, 3]])",
                mistakes={
                    "these are ReLU's slopes: leaky ReLU's slope for z <= 0 is alpha, not 0.":
                        "np.array([[0.0, 0.0, 1.0, 1.0]])",
                    "the slope for z <= 0 is the number alpha, not alpha * z.": "np.array([[-0.02, -0.005, 1.0, 1.0]])",
                    "this is leaky ReLU itself, not its slope.": "leaky_relu(z)",
                }),
            Visible(
                comment=ANOTHER_SHAPE + "\nAnd another alpha: 0.2.",
                setup="z = np.random.default_rng(46).standard_normal((3, 2)) * 3",
                call="z, 0.2", label="leaky_relu_derivative(z of shape (3, 2), alpha=0.2)",
                mistakes={"the alpha argument is ignored: the slope for z <= 0 is the alpha passed in "
                          "(here 0.2), not the number 0.01.": "np.where(z > 0, 1.0, 0.01)"}),
        ],
        hidden=_leaky_relu_derivative,
    ),
    Exercise(
        "numerical_derivative", cell="test_numerical_derivative",
        visible=[
            Visible(
                comment="For f = t³ the centred difference is exactly 3z² + epsilon²: 3.01 and 12.01 with epsilon = 0.1.",
                setup="def cube(t):\n    return t ** 3\nz = np.array([[1.0, 2.0]])",
                call="cube, z, 0.1",
                expected="np.array([[3.01, 12.01]])",
                label="numerical_derivative(cube, [[1, 2]], epsilon=0.1)",
                mistakes={
                    "this is the one-sided difference (f(z + eps) - f(z)) / eps: use f(z + eps) - f(z - eps).":
                        "np.array([[3.31, 12.61]])",
                    "this is the one-sided difference (f(z) - f(z - eps)) / eps: use f(z + eps) - f(z - eps).":
                        "np.array([[2.71, 10.81]])",
                    "the 2 is missing: the two points are 2 * epsilon apart.": "np.array([[6.02, 24.02]])",
                    "the epsilon argument is ignored: use the epsilon passed in, not the number 1e-7.":
                        "np.array([[3.0, 12.0]])",
                }),
            Visible(
                comment=ANOTHER_SHAPE + "\nf = np.sin with epsilon = 0.05.",
                setup="z = np.random.default_rng(47).standard_normal((3, 2))",
                call="np.sin, z, 0.05", label="numerical_derivative(np.sin, z of shape (3, 2), epsilon=0.05)",
                mistakes={
                    "this is the one-sided difference (f(z + eps) - f(z)) / eps: use f(z + eps) - f(z - eps).":
                        "(np.sin(z + 0.05) - np.sin(z)) / 0.05",
                    "the epsilon argument is ignored: use the epsilon passed in, not the number 1e-7.": "np.cos(z)",
                }),
        ],
        hidden=_numerical_derivative,
    ),
    Exercise(
        "gradient_check", cell="test_gradient_check",
        intro="The relative difference is compared within 1e-7 (plus 1e-4 of its size): an exact gradient\n"
              "gives about 1e-10, which counts as 0.",
        rtol=1e-4, atol=1e-7,
        visible=[
            Visible(
                comment="The exact gradient: the difference is 0 (within 1e-7, the table's \"correct\").",
                setup=_CUBE_SETUP,
                call="cube_sum, 3 * x ** 2, x", expected="0.0",
                label="gradient_check(cube_sum, 3 * x**2, x)",
                mistakes={
                    "num is all zeros (a difference of 1.0): x_plus = x is x under a second name, so the "
                    "two nudges cancel. Nudge copies: x_plus = x.copy().": "1.0",
                    "num is twice the gradient (a difference of 1/3): the two points are 2 * epsilon apart.":
                        "1 / 3",
                },
                hint="print num: it should be close to 3 x² = [[3], [12], [27]]. A difference near 1e-3 or more "
                     "may mean a one-sided difference or a wrong denominator."),
            Visible(
                comment="A gradient with one wrong entry (-12 instead of 12): the relative difference is known exactly.",
                setup=_CUBE_SETUP + "\nwrong = 3 * x ** 2 * np.array([[1.0], [-1.0], [1.0]])",
                call="cube_sum, wrong, x",
                expected="24 / (np.linalg.norm(wrong) + np.linalg.norm(3 * x ** 2))",
                label="gradient_check(cube_sum, [[3], [-12], [27]], x)",
                mistakes={"this is ||grad - num|| alone: divide by ||grad|| + ||num||.": "24.0",
                          "the denominator is ||grad + num||; it should be ||grad|| + ||num||.":
                              "24 / np.linalg.norm(wrong + 3 * x ** 2)"},
                hint="the result should be ||grad - num|| / (||grad|| + ||num||) with np.linalg.norm."),
            Visible(
                comment="The epsilon argument: with epsilon = 0.01 the centred difference of x³ is 3x² + 0.0001,\n"
                        "so even the exact gradient differs a little.",
                setup=_CUBE_SETUP,
                call="cube_sum, 3 * x ** 2, x, 0.01",
                label="gradient_check(cube_sum, 3 * x**2, x, epsilon=0.01)",
                mistakes={"the epsilon argument is ignored: nudge by the epsilon passed in, not by 1e-7.": "0.0",
                          "this is what a one-sided difference (f(x + eps) - f(x)) / eps gives: use the centred "
                          "one, (f(x + eps) - f(x - eps)) / (2 eps).":
                              "np.linalg.norm(0.03 * x + 0.0001) / (np.linalg.norm(3 * x ** 2) "
                              "+ np.linalg.norm(3 * x ** 2 + 0.03 * x + 0.0001))"}),
            Visible(
                comment=ANOTHER_SHAPE + "\nA matrix W of shape (2, 3), f(W) = sum(tanh(W v)), its exact gradient "
                        "(1 - tanh²(W v)) vᵀ.",
                setup="v = np.array([[0.5], [-1.0], [0.25]])\n"
                      "def tanh_sum(W):\n"
                      "    return float(np.sum(np.tanh(W @ v)))\n"
                      "W = np.random.default_rng(48).standard_normal((2, 3))",
                call="tanh_sum, (1 - np.tanh(W @ v) ** 2) @ v.T, W", expected="0.0",
                label="gradient_check(tanh_sum, exact gradient, W of shape (2, 3))",
                hint="every entry of x must move on its own: loop over np.ndindex(x.shape) (for i in "
                     "range(len(x)) moves whole rows of a matrix)."),
            Visible(
                comment="Both gradients all zeros: ||grad - num|| / (||grad|| + ||num||) would be 0/0; the docstring asks for 0.0.",
                setup="def zero_cost(x):\n    return 0.0",
                call="zero_cost, np.zeros((2, 2)), np.ones((2, 2))", expected="0.0",
                label="gradient_check(zero_cost, zeros, x): both gradients zero",
                mistakes={"0/0 is nan: when ||grad|| + ||num|| is 0 (both gradients all zeros), return 0.0 "
                          "as the docstring says.": "np.nan"}),
        ],
        hidden=_gradient_check,
    ),
]


QUESTIONS = [
    Question(
        name="q_sigmoid_slope", cell="test_q_sigmoid_slope", answer=0.09, decimals=2,
        explanation="Section 3 writes the sigmoid's derivative with its output alone: sigma'(z) = a (1 - a). "
                    "You do not need z."),
    Question(
        name="q_cache_for_backward", cell="test_q_cache_for_backward", answer="b", choices=("a", "b", "c", "d"),
        explanation="u = b c: its local derivatives are du/db and du/dc. Which of the forward values does "
                    "each of them equal? Those are the ones the backward pass must find in the cache."),
    Question(
        name="q_gradient_check_verdict", cell="test_q_gradient_check_verdict", answer="d", choices=("a", "b", "c", "d"),
        explanation="Read the table of section 6: about 1e-7 or less is the numerical estimate's own "
                    "error, 1e-3 or more is far beyond it. Where does 2e-2 fall, and what does a smaller "
                    "epsilon change about a real error in the formula?"),
]
