"""Trusted re-check of 08_cat_classifier: the trainers and predict on fresh random data.

The trainers are run on small random data sets (sizes, learning rates and numbers of iterations
drawn from the secret seed: a few milliseconds each, never a full training run) and compared
with the reference trainers, parameters and recorded costs. ``predict`` is compared with the
reference on random networks of depths 1, 2 and 4, and must say 0 where the output is exactly 0.5.
"""

import numpy as np

from helpers.recheck import Case
from helpers.reference import deep_network as reference


def _data(rng, n_x, m):
    X = rng.standard_normal((n_x, m))
    Y = (rng.random((1, m)) > 0.5).astype(int)
    Y[0, 0] = 1 - Y[0, -1] if m > 1 else Y[0, 0]      # both classes when m > 1
    return X, Y


def cases(rng):
    out = []
    for m in (1, int(rng.integers(2, 15))):
        dims = (int(rng.integers(2, 12)), int(rng.integers(1, 8)), 1)
        rate = float(rng.choice([0.01, 0.05, 0.1]))
        iterations = int(rng.integers(101, 260))
        X, Y = _data(rng, dims[0], m)
        out.append(Case("test_two_layer_model", "two_layer_model", (X, Y, dims),
                        reference.two_layer_model(X, Y, dims, learning_rate=rate, num_iterations=iterations),
                        kwargs={"learning_rate": rate, "num_iterations": iterations}, rtol=1e-6, atol=1e-9,
                        label=f"two_layer_model(X {X.shape}, Y, {dims}, learning_rate={rate}, "
                              f"num_iterations={iterations})"))
    for dims, m in (([int(rng.integers(2, 10)), 1], int(rng.integers(1, 10))),
                    ([int(rng.integers(2, 10)), int(rng.integers(1, 8)), 1], 1),
                    ([int(v) for v in rng.integers(2, 9, 4)] + [1], int(rng.integers(2, 15)))):
        rate = float(rng.choice([0.01, 0.05, 0.1]))
        iterations = int(rng.integers(101, 260))
        X, Y = _data(rng, dims[0], m)
        out.append(Case("test_L_layer_model", "L_layer_model", (X, Y, list(dims)),
                        reference.L_layer_model(X, Y, list(dims), learning_rate=rate, num_iterations=iterations),
                        kwargs={"learning_rate": rate, "num_iterations": iterations}, rtol=1e-6, atol=1e-9,
                        label=f"L_layer_model(X {X.shape}, Y, {dims}, learning_rate={rate}, "
                              f"num_iterations={iterations})"))
    for dims, m in (([int(rng.integers(2, 10)), 1], 1), ([int(rng.integers(2, 10)), int(rng.integers(1, 8)), 1],
                                                         int(rng.integers(2, 20))),
                    ([int(v) for v in rng.integers(2, 9, 4)] + [1], int(rng.integers(2, 20)))):
        parameters = reference.initialize_parameters_deep(dims, np.random.RandomState(int(rng.integers(0, 2 ** 31))))
        X, Y = _data(rng, dims[0], m)
        out.append(Case("test_predict", "predict", (X, Y, parameters), reference.predict(X, Y, parameters),
                        label=f"predict(X {X.shape}, y, parameters of {dims})"))
    n = int(rng.integers(2, 9))
    zero = {"W1": np.zeros((3, n)), "b1": np.zeros((3, 1)), "W2": np.zeros((1, 3)), "b2": np.zeros((1, 1))}
    out.append(Case("test_predict", "predict", (rng.standard_normal((n, 4)), np.ones((1, 4), dtype=int), zero),
                    np.zeros((1, 4), dtype=int), label="predict with all-zero parameters (the output is 0.5)"))
    return out
