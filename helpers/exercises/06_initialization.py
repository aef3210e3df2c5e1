"""06_initialization: the one definition of each graded function's checks (see helpers/exercises).

The test cells of source/06_initialization are generated from this file:
``python -m helpers.exercises render 06_initialization``, then ``course generate 06_initialization``.

``initialize_zeros`` and ``symmetric_units`` are plain functions, compared with the reference.
The random initialisations are judged by their properties (:func:`helpers.checks.random_parameters`),
the same way in the visible check, the hidden tests and the re-check: keys and shapes, finite
numbers, zero biases, no two equal rows, and every W[l] made of standard normal draws from the
generator passed in, times the layer's standard deviation, drawn in any order (the docstrings fix
the distribution and the scale, not the order of the draws). Numpy's global generator must stay
untouched (the ``global_random_untouched`` rule of every call). A known mistake of scale (the
variance for the standard deviation, n[l] for n[l-1], He for Xavier...) is named in the message.
"""

import numpy as np

from helpers.exercises import Exercise, Hidden, Visible, Question

REFERENCE = "helpers.reference.initialization"

ANOTHER_SHAPE = "Another shape, drawn from a seeded generator: an answer written for the example above fails here."

RANDOM_INTRO = (
    "Random weights are judged by their properties, never by an order of draws: the keys and\n"
    "shapes, zero biases, no two equal rows, and every W[l] made of rng.standard_normal draws\n"
    "from the generator passed in (the same seed gives the same weights), times the layer's\n"
    "standard deviation.")


def _dims(rng, low, high, n):
    return [int(v) for v in rng.integers(low, high, n)]


def _fresh(rng):
    """A generator for one hidden call (its seed drawn from ``rng``; the re-check sends the seed)."""
    return np.random.default_rng(int(rng.integers(0, 2 ** 31)))


def _seed(generator) -> int:
    """The seed of a fresh ``np.random.default_rng(seed)`` (or of a ``recheck.Rng``)."""
    if isinstance(generator, np.random.Generator):
        return int(generator.bit_generator.seed_seq.entropy)
    return int(generator.seed)


# --- the mistakes each random initialisation names (hint: the standard deviations it gives) ------

SCALE_SQUARED = "the standard deviation came out as scale**2: multiply the draws by scale itself."
SCALE_MISSING = "the draws were not multiplied by scale."
SCALE_DIVIDED = "the draws were divided by scale: multiply them."
HE_THIS_LAYER = ("the spread used n[l], the units of this layer: He scaling divides by n[l-1], the "
                 "number of inputs of each unit.")
HE_AS_XAVIER = ("that is Xavier's sqrt(1 / n[l-1]): ReLU zeroes half of its inputs, which He scaling "
                "makes up for with the 2.")
HE_VARIANCE = "the spread is 2 / n[l-1], the variance: take its square root for the standard deviation."
XAVIER_AS_HE = "that is He's sqrt(2 / n[l-1]), meant for ReLU: tanh needs sqrt(1 / n[l-1])."
XAVIER_THIS_LAYER = "the spread used n[l], the units of this layer: divide by n[l-1], the number of inputs."
XAVIER_GLOROT = ("that is Glorot and Bengio's average sqrt(2 / (n[l-1] + n[l])); this course uses "
                 "sqrt(1 / n[l-1]).")
XAVIER_VARIANCE = "the spread is 1 / n[l-1], the variance: take its square root."


def _mistakes(method, dims, scale=None) -> dict:
    n_prev = np.array(dims[:-1], dtype=float)
    n_this = np.array(dims[1:], dtype=float)
    L = len(dims) - 1
    if method == "random":
        return {SCALE_SQUARED: [scale ** 2] * L, SCALE_MISSING: [1.0] * L, SCALE_DIVIDED: [1 / scale] * L}
    if method == "he":
        return {HE_THIS_LAYER: list(np.sqrt(2 / n_this)), HE_AS_XAVIER: list(np.sqrt(1 / n_prev)),
                HE_VARIANCE: list(2 / n_prev)}
    return {XAVIER_AS_HE: list(np.sqrt(2 / n_prev)), XAVIER_THIS_LAYER: list(np.sqrt(1 / n_this)),
            XAVIER_GLOROT: list(np.sqrt(2 / (n_prev + n_this))), XAVIER_VARIANCE: list(1 / n_prev)}


def _random_check(method):
    """The property judge of a random initialisation's calls (hidden cases and the re-check)."""

    def check(got, args, kwargs):
        __tracebackhide__ = True
        from helpers import checks
        from helpers.reference import initialization as reference

        dims = [int(n) for n in args[0]]
        scale = float(args[1]) if method == "random" else None
        label = (f"initialize_random({dims}, {scale:g}, rng)" if method == "random"
                 else f"initialize_{method}({dims}, rng)")
        stds = reference.intended_std(dims, method, scale)
        checks.random_parameters(dims, stds, _seed(args[-1])).judge(
            got, label, _mistakes(method, dims, scale))

    return check


def _random_hidden(rng):
    cases = [([3000, 1], 0.01), ([40, 100, 200, 3], 2.5), ([60, 400, 1], 40.0), ([70] * 5, 1.0),
             ([1, 1], 0.5), (_dims(rng, 1, 60, 4), float(rng.choice([0.01, 0.5, 3.0])))]
    return [Hidden((dims, scale, _fresh(rng)), f"initialize_random({dims}, {scale:g}, rng)")
            for dims, scale in cases]


def _scaled_hidden(method):
    def hidden(rng):
        cases = [[5000, 1], [50, 200, 30, 150, 10], [3, 400, 70, 2], [1, 1],
                 _dims(rng, 1, 80, int(rng.integers(2, 6)))]
        return [Hidden((dims, _fresh(rng)), f"initialize_{method}({dims}, rng)") for dims in cases]

    return hidden


def _twins(rng):
    """symmetric_units cases: planted twins, groups, tolerances, edge shapes."""
    out = []
    out.append((rng.standard_normal((1, 4)), 1e-8))                  # a single unit has no twin
    W = rng.standard_normal((9, 5))
    W[7] = W[2]
    W[8] = W[2] + 1e-10
    out.append((W, 1e-8))                                            # a group of three twins
    W = rng.standard_normal((6, 1))
    W[5] = W[0] + 0.05
    out.append((W, 0.1))                                             # the tolerance is an argument
    out.append((W.copy(), 0.01))
    out.append((np.zeros((4, 3)), 1e-8))                             # all zeros: all twins
    W = rng.standard_normal((30, 40))
    W[10:20] = W[0]
    out.append((W, 1e-8))                                            # a group of eleven
    out.append((rng.standard_normal((8, 2)) * 1e-9, 1e-8))          # tiny weights: all within tol
    W = rng.standard_normal((5, 3))
    W[4] = W[1] + np.array([0.5, -0.5, 0.0])
    out.append((W, 1e-8))                                            # differences that add up to 0
    n, k = int(rng.integers(6, 15)), int(rng.integers(1, 6))
    W = rng.standard_normal((n, k))
    pair = rng.choice(n, size=2, replace=False)
    W[pair[1]] = W[pair[0]] - 1e-11
    out.append((W, 1e-8))                                            # another shape, one pair
    return [Hidden((W,), f"symmetric_units(W of shape {W.shape}, tol={tol:g})", {"tol": tol})
            for W, tol in out]


EXERCISES = [
    Exercise(
        "initialize_zeros", cell="test_initialize_zeros",
        visible=[
            Visible(
                comment="A network with 3 inputs, 2 hidden units and 1 output unit.",
                setup="",
                call="[3, 2, 1]",
                expected='{"W1": np.zeros((2, 3)), "b1": np.zeros((2, 1)),\n'
                         '                        "W2": np.zeros((1, 2)), "b2": np.zeros((1, 1))}',
                label="initialize_zeros([3, 2, 1])"),
            Visible(
                comment="Four layers of sizes drawn from a seeded generator (L = 4): loop over all of them.",
                setup="layer_dims = [int(n) for n in np.random.default_rng(8).integers(1, 6, size=5)]",
                call="layer_dims",
                expected='{"W1": np.zeros((2, 4)), "b1": np.zeros((2, 1)), "W2": np.zeros((2, 2)),\n'
                         '                        "b2": np.zeros((2, 1)), "W3": np.zeros((5, 2)), "b3": np.zeros((5, 1)),\n'
                         '                        "W4": np.zeros((1, 5)), "b4": np.zeros((1, 1))}',
                label="initialize_zeros(layer_dims of 5 sizes)"),
        ],
        hidden=lambda rng: [Hidden((dims,), f"initialize_zeros({dims})") for dims in (
            [5, 1], [1, 1], [4, 7, 3, 6, 1], [12288, 20, 7, 5, 1], [int(rng.integers(1, 50)), 1],
            _dims(rng, 1, 30, 3), _dims(rng, 1, 30, 6))],
    ),
    Exercise(
        "symmetric_units", cell="test_symmetric_units",
        visible=[
            Visible(
                comment="Seven units reading three inputs. Rows 0 and 2 are exact copies; row 4 is row 3 up to\n"
                        "rounding (1e-12); row 5 differs from row 1 although their differences add up to 0;\n"
                        "row 6 is on its own.",
                setup="W = np.array([[ 1.0, -1.0, 2.0],\n"
                      "              [ 0.5,  0.5, 0.0],\n"
                      "              [ 1.0, -1.0, 2.0],\n"
                      "              [-1.0,  1.0, 2.0],\n"
                      "              [-1.0,  1.0, 2.0 + 1e-12],\n"
                      "              [ 1.0,  0.0, 0.0],\n"
                      "              [ 2.0,  2.0, 2.0]])",
                call="W",
                expected="np.array([[True], [False], [True], [True], [True], [False], [False]])",
                label="symmetric_units(W of 7 rows)",
                mistakes={
                    "every unit came out symmetric: each row equals itself; leave out the comparison "
                    "of a row with itself (the diagonal).": "np.ones((7, 1), dtype=bool)",
                    "rows 1 and 5 were taken as twins: the signed differences (-0.5, 0.5, 0) add up "
                    "to 0. Compare absolute differences (the largest |W[j, k] - W[i, k]|).":
                        "np.array([[True], [True], [True], [True], [True], [True], [False]])",
                    "rows 3 and 4 (equal up to 1e-12) were not matched: compare with the tolerance "
                    "tol, not with ==.":
                        "np.array([[True], [False], [True], [False], [False], [False], [False]])",
                    "rows 0 and 2 were not matched: they are not neighbours. Compare every pair of "
                    "rows, not only row j with row j + 1.":
                        "np.array([[False], [False], [False], [True], [True], [False], [False]])",
                }),
            Visible(
                comment=ANOTHER_SHAPE + "\nRows 2, 3 and 4 are three equal units.",
                setup="W = np.random.default_rng(9).integers(0, 2, size=(6, 3)).astype(float)",
                call="W",
                expected="np.array([[False], [False], [True], [True], [True], [False]])",
                label="symmetric_units(W of shape (6, 3))",
                mistakes={
                    "a unit with two twins came out as 2: the result is True or False per unit "
                    "(np.any), not a count of its twins.": "np.array([[0], [0], [2], [2], [2], [0]])",
                    "every unit came out symmetric: leave out the comparison of a row with itself "
                    "(the diagonal).": "np.ones((6, 1), dtype=bool)",
                }),
            Visible(
                comment="The tolerance is an argument: rows 0 and 1 differ by 0.05, within tol = 0.1.",
                setup="W = np.array([[0.0, 1.0],\n              [0.05, 1.0],\n              [1.0, 0.0]])",
                call="W, 0.1",
                expected="np.array([[True], [True], [False]])",
                label="symmetric_units(W, tol=0.1)",
                mistakes={"rows 0 and 1 (0.05 apart) were not matched with tol=0.1: compare with the "
                          "tol argument, not a fixed 1e-8.": "np.zeros((3, 1), dtype=bool)"}),
        ],
        hidden=_twins,
    ),
    Exercise(
        "initialize_random", cell="test_initialize_random",
        intro=RANDOM_INTRO,
        visible=[
            Visible(
                comment="Layers big enough to tell the scale apart from the known slips.",
                setup="layer_dims = [800, 500, 20, 1]\nscale = 0.05",
                call="layer_dims, scale, np.random.default_rng(0)",
                expected="checks.random_parameters(layer_dims, [scale] * 3, seed=0)",
                label="initialize_random([800, 500, 20, 1], 0.05, rng)",
                mistakes={SCALE_SQUARED: "[scale ** 2] * 3", SCALE_MISSING: "[1.0] * 3",
                          SCALE_DIVIDED: "[1 / scale] * 3"}),
            Visible(
                comment=ANOTHER_SHAPE + "\nAnother scale and another seed, too.",
                setup="layer_dims = [int(n) for n in np.random.default_rng(16).integers(2, 60, size=4)]",
                call="layer_dims, 2.5, np.random.default_rng(7)",
                expected="checks.random_parameters(layer_dims, [2.5] * 3, seed=7)",
                label="initialize_random(layer_dims of 4 sizes, 2.5, rng)"),
        ],
        hidden=_random_hidden,
        check=_random_check("random"),
    ),
    Exercise(
        "initialize_he", cell="test_initialize_he",
        intro=RANDOM_INTRO,
        visible=[
            Visible(
                comment="Layers of 1000, 500, 250 and 1 units: W1 should spread as sqrt(2/1000), W2 as "
                        "sqrt(2/500), ...",
                setup="layer_dims = [1000, 500, 250, 1]\n"
                      "n_prev = np.array(layer_dims[:-1], dtype=float)\n"
                      "n_this = np.array(layer_dims[1:], dtype=float)",
                call="layer_dims, np.random.default_rng(0)",
                expected="checks.random_parameters(layer_dims, np.sqrt(2 / n_prev), seed=0)",
                label="initialize_he([1000, 500, 250, 1], rng)",
                mistakes={HE_THIS_LAYER: "np.sqrt(2 / n_this)", HE_AS_XAVIER: "np.sqrt(1 / n_prev)",
                          HE_VARIANCE: "2 / n_prev"}),
            Visible(
                comment=ANOTHER_SHAPE + "\nAnother depth and another seed, too.",
                setup="layer_dims = [int(n) for n in np.random.default_rng(26).integers(2, 80, size=5)]\n"
                      "n_prev = np.array(layer_dims[:-1], dtype=float)\n"
                      "n_this = np.array(layer_dims[1:], dtype=float)",
                call="layer_dims, np.random.default_rng(5)",
                expected="checks.random_parameters(layer_dims, np.sqrt(2 / n_prev), seed=5)",
                label="initialize_he(layer_dims of 5 sizes, rng)",
                mistakes={HE_THIS_LAYER: "np.sqrt(2 / n_this)", HE_AS_XAVIER: "np.sqrt(1 / n_prev)",
                          HE_VARIANCE: "2 / n_prev"}),
        ],
        hidden=_scaled_hidden("he"),
        check=_random_check("he"),
    ),
    Exercise(
        "initialize_xavier", cell="test_initialize_xavier",
        intro=RANDOM_INTRO,
        visible=[
            Visible(
                comment="Layers of 1000, 500, 250 and 1 units: W1 should spread as sqrt(1/1000), W2 as "
                        "sqrt(1/500), ...",
                setup="layer_dims = [1000, 500, 250, 1]\n"
                      "n_prev = np.array(layer_dims[:-1], dtype=float)\n"
                      "n_this = np.array(layer_dims[1:], dtype=float)",
                call="layer_dims, np.random.default_rng(0)",
                expected="checks.random_parameters(layer_dims, np.sqrt(1 / n_prev), seed=0)",
                label="initialize_xavier([1000, 500, 250, 1], rng)",
                mistakes={XAVIER_AS_HE: "np.sqrt(2 / n_prev)", XAVIER_THIS_LAYER: "np.sqrt(1 / n_this)",
                          XAVIER_GLOROT: "np.sqrt(2 / (n_prev + n_this))", XAVIER_VARIANCE: "1 / n_prev"}),
            Visible(
                comment=ANOTHER_SHAPE + "\nAnother depth and another seed, too.",
                setup="layer_dims = [int(n) for n in np.random.default_rng(36).integers(2, 80, size=5)]\n"
                      "n_prev = np.array(layer_dims[:-1], dtype=float)\n"
                      "n_this = np.array(layer_dims[1:], dtype=float)",
                call="layer_dims, np.random.default_rng(5)",
                expected="checks.random_parameters(layer_dims, np.sqrt(1 / n_prev), seed=5)",
                label="initialize_xavier(layer_dims of 5 sizes, rng)",
                mistakes={XAVIER_AS_HE: "np.sqrt(2 / n_prev)", XAVIER_THIS_LAYER: "np.sqrt(1 / n_this)",
                          XAVIER_GLOROT: "np.sqrt(2 / (n_prev + n_this))", XAVIER_VARIANCE: "1 / n_prev"}),
        ],
        hidden=_scaled_hidden("xavier"),
        check=_random_check("xavier"),
    ),
]


QUESTIONS = [
    Question(
        name="q_zero_start", cell="test_q_zero_start", answer="a", choices=("a", "b", "c", "d"),
        explanation="With every weight 0, A1 = tanh(0) = 0. Write dW2 = dZ2 A1^T / m and "
                    "dZ1 = W2^T dZ2 * (1 - A1^2) and ask which of them can be non-zero when A1 and W2 "
                    "are zero; then what the update does to W1. Section 2 ran exactly this."),
    Question(
        name="q_saturated_gradient", cell="test_q_saturated_gradient", answer="c", choices=("a", "b", "c", "d"),
        explanation="The gradient that reaches the unit's incoming weights is multiplied by the slope of "
                    "tanh at its z, 1 - tanh(z)^2. How large is tanh(20), and so that slope? Section 5 "
                    "counts such gradients."),
    Question(
        name="q_he_scale", cell="test_q_he_scale", answer=0.2, decimals=2,
        explanation="He's scale makes the ReLU gain (1/2) n sigma^2 equal to 1, where n is the number of "
                    "inputs of the layer, n[l-1]: solve for sigma."),
]
