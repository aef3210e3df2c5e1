"""Trusted re-check of 07_deep_network: calls on fresh random inputs, judged against the reference.

Depths L = 1, 2 and 4, widths and numbers of examples (m = 1 included) drawn from the secret
seed. Layer 1's backward step is also called without W1 in its cache (it must not compute dA0),
and the notebook's own ``numerical_gradients`` (built on the student's forward pass and cost, as
the visible gradient check is) must agree with the reference gradients.
"""

import numpy as np

from helpers import checks
from helpers.recheck import Case, Rng
from helpers.reference import deep_network as reference


def _dims(rng):
    """Layer sizes for L = 1, 2 and 4, each with its number of examples (one of them m = 1)."""
    return [([int(rng.integers(1, 12)), 1], 1),
            ([int(rng.integers(1, 12)), int(rng.integers(1, 9)), 1], int(rng.integers(2, 12))),
            ([int(v) for v in rng.integers(1, 9, 4)] + [1], int(rng.integers(1, 4))),
            ([int(v) for v in rng.integers(2, 9, 4)] + [1], int(rng.integers(5, 12)))]


def _network(rng, dims, m):
    """A random network and data whose every Z is at least 1e-3 away from 0, so that the
    numerical gradients (steps of 1e-5) never cross the kink of a ReLU."""
    while True:
        parameters = reference.initialize_parameters_deep(dims, np.random.RandomState(int(rng.integers(0, 2 ** 31))))
        for key in parameters:
            if key.startswith("b"):
                parameters[key] = 0.1 * rng.standard_normal(parameters[key].shape)
        X = rng.standard_normal((dims[0], m))
        Y = (rng.random((1, m)) > 0.5).astype(int)
        _, caches = reference.L_model_forward(X, parameters)
        if min(float(np.min(np.abs(Z))) for _, Z in caches) >= 1e-3:
            return X, Y, parameters


def _without_dA_prev(expected_dW, expected_db, label):
    def check(got):
        checks.check_type(got, tuple, label)
        checks.compare(len(got), 3, f"len({label})")
        checks.check_true(got[0] is None, label, "dA_prev was computed although need_dA_prev is False",
                          "None", checks.describe(got[0]))
        checks.compare(got[1:], (expected_dW, expected_db), label)
    return check


def cases(rng):
    out = []
    # initialize_parameters_deep: the default generator and generators passed in
    for dims, _ in _dims(rng):
        out.append(Case("test_initialize_parameters_deep", "initialize_parameters_deep", (list(dims),),
                        reference.initialize_parameters_deep(dims), label=f"initialize_parameters_deep({dims})"))
        seed = int(rng.integers(0, 2 ** 31))
        out.append(Case("test_initialize_parameters_deep", "initialize_parameters_deep", (list(dims),),
                        reference.initialize_parameters_deep(dims, np.random.RandomState(seed)),
                        kwargs={"rng": Rng(seed, "legacy")},
                        label=f"initialize_parameters_deep({dims}, rng=RandomState(s))"))
    # one layer forward and backward, on random shapes (m = 1 included)
    for n, n_prev, m in [(1, 1, 1), tuple(int(v) for v in rng.integers(1, 9, 3)),
                         (int(rng.integers(1, 5)), int(rng.integers(5, 30)), int(rng.integers(2, 20)))]:
        A = rng.standard_normal((n_prev, m))
        W = rng.standard_normal((n, n_prev))
        b = rng.standard_normal((n, 1))
        Z = rng.standard_normal((n, m))
        dZ = rng.standard_normal((n, m))
        shapes = f"A {A.shape}, W {W.shape}"
        out.append(Case("test_linear_forward", "linear_forward", (A, W, b), reference.linear_forward(A, W, b),
                        label=f"linear_forward({shapes}, b)"))
        for activation in ("relu", "sigmoid"):
            out.append(Case("test_linear_activation_forward", "linear_activation_forward", (A, W, b, activation),
                            reference.linear_activation_forward(A, W, b, activation),
                            label=f'linear_activation_forward({shapes}, b, "{activation}")'))
            cache = ((A, W, b), Z)
            out.append(Case("test_linear_activation_backward", "linear_activation_backward", (dZ, cache, activation),
                            reference.linear_activation_backward(dZ, cache, activation),
                            label=f'linear_activation_backward(dA {dZ.shape}, cache, "{activation}")'))
            _, dW, db = reference.linear_activation_backward(dZ, cache, activation)
            label = f'linear_activation_backward(dA {dZ.shape}, cache without W, "{activation}", need_dA_prev=False)'
            out.append(Case("test_linear_activation_backward", "linear_activation_backward",
                            (dZ, ((A, None, b), Z), activation), kwargs={"need_dA_prev": False},
                            check=_without_dA_prev(dW, db, label), label=label))
        out.append(Case("test_linear_backward", "linear_backward", (dZ, (A, W, b)),
                        reference.linear_backward(dZ, (A, W, b)), label=f"linear_backward(dZ {dZ.shape}, cache)"))
        _, dW, db = reference.linear_backward(dZ, (A, W, b))
        label = f"linear_backward(dZ {dZ.shape}, cache without W, need_dA_prev=False)"
        out.append(Case("test_linear_backward", "linear_backward", (dZ, (A, None, b)), kwargs={"need_dA_prev": False},
                        check=_without_dA_prev(dW, db, label), label=label))
    # compute_cost
    for m in (1, int(rng.integers(2, 60))):
        AL = rng.uniform(0.02, 0.98, (1, m))
        Y = (rng.random((1, m)) > 0.5).astype(int)
        out.append(Case("test_compute_cost", "compute_cost", (AL, Y), reference.compute_cost(AL, Y),
                        label=f"compute_cost(AL, Y) with m = {m}"))
    # whole networks: forward, backward (with and without W1), the notebook's gradient check
    for dims, m in _dims(rng):
        X, Y, parameters = _network(rng, dims, m)
        what = f"layer_dims {dims}, m = {m}"
        out.append(Case("test_L_model_forward", "L_model_forward", (X, parameters),
                        reference.L_model_forward(X, parameters), label=f"L_model_forward for {what}"))
        AL, caches = reference.L_model_forward(X, parameters)
        grads = reference.L_model_backward(AL, Y, caches)
        out.append(Case("test_L_model_backward", "L_model_backward", (AL, Y, caches), grads,
                        label=f"L_model_backward for {what}"))
        (A0, _, b1), Z1 = caches[0]
        out.append(Case("test_L_model_backward", "L_model_backward", (AL, Y, [((A0, None, b1), Z1)] + caches[1:]),
                        grads, label=f"L_model_backward for {what}, W1 removed from caches[0]"))
        out.append(Case("test_L_model_backward", "numerical_gradients", (X, Y, parameters), grads,
                        rtol=1e-4, atol=1e-6, label=f"numerical_gradients (your forward pass and cost) for {what}"))
    # update_parameters
    for dims, _ in _dims(rng)[1:]:
        params, grads = {}, {}
        for l in range(1, len(dims)):
            params[f"W{l}"] = rng.standard_normal((dims[l], dims[l - 1]))
            params[f"b{l}"] = rng.standard_normal((dims[l], 1))
            grads[f"dW{l}"] = rng.standard_normal((dims[l], dims[l - 1]))
            grads[f"db{l}"] = rng.standard_normal((dims[l], 1))
        rate = float(rng.choice([0.0075, 0.1, 1.2]))
        expected = reference.update_parameters({k: v.copy() for k, v in params.items()}, grads, rate)
        out.append(Case("test_update_parameters", "update_parameters", (params, grads, rate), expected,
                        label=f"update_parameters for layer_dims {dims}, learning_rate = {rate}"))
    return out
