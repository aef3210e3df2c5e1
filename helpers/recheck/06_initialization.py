"""Trusted re-check of 06_initialization: calls on fresh random inputs, judged against the reference.

``initialize_zeros`` and ``symmetric_units`` are compared with the reference. The random
initialisations are judged by their properties, as the hidden tests do: keys and shapes, zero
biases, distinct rows, mean 0 and the intended standard deviation of every W[l] (within 6
standard errors, on layers of thousands of entries). Each of them is called three times, with
generators of seeds s, s and s + 1: the second result must equal the first (the randomness comes
from the generator passed in) and the third must differ from it. The checks of a function's
calls share a small memory for that; they are judged in the order of the cases.
"""

import numpy as np

from helpers import checks
from helpers.recheck import Case, Rng
from helpers.reference import initialization as reference


def _check_parameters(got, dims, stds, label):
    """Raise CheckFailure unless ``got`` is a parameters dict with the properties wanted."""
    L = len(dims) - 1
    checks.check_type(got, dict, label)
    wanted = sorted(f"{kind}{l}" for l in range(1, L + 1) for kind in "Wb")
    checks.check_true(sorted(map(str, got)) == wanted, label, "wrong keys", wanted, sorted(map(str, got)))
    for l in range(1, L + 1):
        W, b = got[f"W{l}"], got[f"b{l}"]
        checks.check_shape(W, (dims[l], dims[l - 1]), f"{label}['W{l}']")
        checks.check_shape(b, (dims[l], 1), f"{label}['b{l}']")
        checks.check_true(W.dtype.kind in "iuf" and bool(np.all(np.isfinite(W))), f"{label}['W{l}']",
                          "not all entries are finite numbers", "finite numbers", W.dtype)
        checks.check_true(b.dtype.kind in "iuf" and not np.any(b != 0), f"{label}['b{l}']",
                          "the biases are not zero", "zeros", "other values")
        W = W.astype(float)
        n = W.size
        if W.shape[0] > 1:
            distinct = np.unique(W, axis=0).shape[0]
            checks.check_true(distinct == W.shape[0], f"{label}['W{l}']", "some rows are identical",
                              f"{W.shape[0]} different rows", distinct)
        mean, std, want = float(np.mean(W)), float(np.std(W)), float(stds[l - 1])
        checks.check_true(abs(mean) <= 6 * want / np.sqrt(n), f"{label}['W{l}']",
                          "the entries are not centred on 0", "mean 0", mean)
        checks.check_true(abs(std - want) <= 6 * want / np.sqrt(2 * n), f"{label}['W{l}']",
                          "wrong standard deviation", want, std)


def _random_checks(dims, stds, label):
    """Checks for three calls with seeds s, s, s + 1: properties, then same / different results."""
    memory = {}

    def first(got):
        _check_parameters(got, dims, stds, label + " (seed s)")
        memory["first"] = got

    def again(got):
        _check_parameters(got, dims, stds, label + " (seed s again)")
        earlier = memory.get("first")
        same = earlier is not None and all(np.array_equal(got[k], earlier[k]) for k in earlier)
        checks.check_true(same, label, "the same seed gave different parameters",
                          "equal results for equal seeds", "different results")

    def other(got):
        _check_parameters(got, dims, stds, label + " (seed s + 1)")
        earlier = memory.get("first")
        differ = earlier is not None and all(not np.array_equal(got[k], earlier[k])
                                             for k in earlier if k.startswith("W"))
        checks.check_true(differ, label, "another seed gave the same weights",
                          "different weights for different seeds", "the same weights")

    return first, again, other


def _dims(rng):
    """Layer sizes with thousands of entries in every W: L = 1, 2 and 3, sizes far apart."""
    return [[int(rng.integers(2000, 5000)), 1],
            [int(rng.integers(3, 9)), int(rng.integers(1500, 3000)), int(rng.integers(2, 5))],
            [int(rng.integers(1000, 2000)), int(rng.integers(200, 500)), int(rng.integers(20, 40)),
             int(rng.integers(50, 100))]]


def cases(rng):
    out = []
    # initialize_zeros: exact, on L = 1, 2 and 4
    for dims in ([int(rng.integers(1, 50)), 1], [int(v) for v in rng.integers(1, 30, 3)],
                 [int(v) for v in rng.integers(1, 30, 5)]):
        out.append(Case("test_initialize_zeros", "initialize_zeros", (list(dims),),
                        reference.initialize_zeros(dims), label=f"initialize_zeros({dims})"))
    # symmetric_units: random rows with planted twins, with the default and other tolerances
    n, k = int(rng.integers(6, 15)), int(rng.integers(1, 6))
    W = rng.standard_normal((n, k))
    twins = rng.choice(n, size=3, replace=False)
    W[twins[1]] = W[twins[0]]
    W[twins[2]] = W[twins[0]] + 1e-11
    symmetric_cases = [(W, 1e-8), (rng.standard_normal((1, k)), 1e-8), (np.zeros((3, k)), 1e-8)]
    W = rng.standard_normal((n, k))
    W[twins[1]] = W[twins[0]] + 0.05
    symmetric_cases += [(W, 0.1), (W.copy(), 0.01)]
    for W, tol in symmetric_cases:
        out.append(Case("test_symmetric_units", "symmetric_units", (W.copy(),), reference.symmetric_units(W, tol),
                        kwargs={"tol": tol}, label=f"symmetric_units(W of shape {W.shape}, tol={tol:g})"))
    # the random initialisations: properties, and the use of the generator given
    seed = int(rng.integers(0, 2 ** 31))
    for dims in _dims(rng):
        scale = float(rng.choice([0.01, 0.5, 3.0]))
        first, again, other = _random_checks(dims, reference.intended_std(dims, "random", scale),
                                             f"initialize_random({dims}, {scale}, rng)")
        for check, s in ((first, seed), (again, seed), (other, seed + 1)):
            out.append(Case("test_initialize_random", "initialize_random", (list(dims), scale, Rng(s)),
                            check=check, label=f"initialize_random({dims}, {scale}, rng)"))
        for method in ("he", "xavier"):
            first, again, other = _random_checks(dims, reference.intended_std(dims, method),
                                                 f"initialize_{method}({dims}, rng)")
            for check, s in ((first, seed), (again, seed), (other, seed + 1)):
                out.append(Case(f"test_initialize_{method}", f"initialize_{method}", (list(dims), Rng(s)),
                                check=check, label=f"initialize_{method}({dims}, rng)"))
    return out
