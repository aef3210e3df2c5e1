"""Trusted re-check of 05_shallow_network: calls on fresh random inputs, judged against the reference.

Labels are uint8, as in the course's 2-D data (``helpers.data``), in most calls: there ``Y - 1``
wraps around to 255. initialize_parameters is judged by properties, as its hidden test does (shapes,
zero biases, small distinct weights, equal generators give equal weights, different seeds give
different weights, the spread of a large draw). That numpy's global generator is left alone cannot
be seen from outside the student's process; the hidden test checks it, this re-check does not
(a function that seeds the global generator and ignores ``rng`` fails the "different seeds" check).

nn_model. Its hidden test compares it with the same steps taken by the student's own functions, so
that a mistake in another exercise does not cost its points. Here only one call per function can be
made, so the same idea is applied as far as one step goes; the checks of a case see what earlier
cases returned (cases are judged in list order; a small ledger records it), and the nn_model cases
come last:

* ``num_iterations=0``: the parameters the student's own ``initialize_parameters`` gives for an equal
  generator (``RandomState(seed)``, seed != 2, so that ignoring ``rng`` shows);
* one iteration: the step the student's own functions take, ``P0 - 1.2 * grads``, built from what
  the student's initialize_parameters, forward_propagation and backward_propagation returned on
  the same inputs (or the reference, for a function that passed its own re-check where the inputs
  differ), when the student's update_parameters passed its re-check; where that step cannot be
  known, the output layer (W2, b2) must have taken the reference step from the student's initial
  parameters (W1, b1 keep their shapes);
* several iterations: the reference trainer from the student's initial parameters, when the
  student's forward_propagation, backward_propagation and update_parameters pass their own
  re-checks; otherwise only the shapes and finite values are judged (the own-steps loop of the
  hidden test cannot be reproduced beyond one step from outside).
"""

import numpy as np

from helpers import checks, data
from helpers.recheck import Case, Rng
from helpers.reference import shallow as reference

KEYS = ("W1", "b1", "W2", "b2")


class _Ledger:
    """What the judgements so far have seen: passed cases per cell, and values recorded by name."""

    def __init__(self):
        self.total, self.passed, self.values = {}, {}, {}

    def case(self, cell, call, args, expected=None, *, check=None, rtol=1e-6, atol=1e-8, kwargs=None,
             label=""):
        """A Case whose success is counted for its cell."""
        self.total[cell] = self.total.get(cell, 0) + 1

        def judge(got):
            if check is not None:
                check(got)
            else:
                checks.compare(got, expected, label, rtol=rtol, atol=atol)
            self.passed[cell] = self.passed.get(cell, 0) + 1

        return Case(cell, call, tuple(args), kwargs=dict(kwargs or {}), check=judge, label=label)

    def recorder(self, cell, call, args, key, *, kwargs=None, label=""):
        """A Case that only records what came back (the value is judged by a later case)."""

        def record(got):
            self.values[key] = got

        return Case(cell, call, tuple(args), kwargs=dict(kwargs or {}), check=record, label=label)

    def all_passed(self, *cells):
        return all(self.total.get(c, 0) > 0 and self.passed.get(c, 0) == self.total[c] for c in cells)


def _matches(got, expected, rtol=1e-9, atol=1e-12) -> bool:
    try:
        checks.compare(got, expected, "value", rtol=rtol, atol=atol)
        return True
    except Exception:  # noqa: BLE001 - any malformed value simply does not match
        return False


def _parameters(rng, n_x, n_h, n_y=1):
    return {"W1": rng.standard_normal((n_h, n_x)), "b1": rng.standard_normal((n_h, 1)),
            "W2": rng.standard_normal((n_y, n_h)), "b2": rng.standard_normal((n_y, 1))}


def _labels(rng, m, dtype=np.uint8):
    """0/1 labels of shape (1, m); both classes present when m > 1."""
    Y = (rng.random((1, m)) > 0.5).astype(dtype)
    if m > 1:
        i, j = rng.choice(m, 2, replace=False)
        Y[0, i], Y[0, j] = 0, 1
    return Y


def _shapes(n_x, n_h, n_y):
    return {"W1": (n_h, n_x), "b1": (n_h, 1), "W2": (n_y, n_h), "b2": (n_y, 1)}


def _check_parameter_shapes(got, n_x, n_h, n_y, label):
    checks.check_type(got, dict, label)
    checks.compare({k: np.shape(v) for k, v in got.items()}, _shapes(n_x, n_h, n_y), f"shapes of {label}")
    for key in KEYS:
        checks.check_type(got[key], np.ndarray, f"{label}[{key!r}]")
        checks.check_true(got[key].dtype.kind in "iuf" and np.all(np.isfinite(got[key])), f"{label}[{key!r}]",
                          "not finite numbers", "finite numbers", got[key])


# --- initialize_parameters: properties -----------------------------------------------------------

def _init_properties(ledger, n_x, n_h, n_y, label, record=None, same_as=None, differs_from=None):
    def check(got):
        _check_parameter_shapes(got, n_x, n_h, n_y, label)
        for key in ("b1", "b2"):
            checks.compare(got[key], np.zeros((_shapes(n_x, n_h, n_y)[key])), f"{label}[{key!r}]",
                           hint="biases start at zero.")
        for key in ("W1", "W2"):
            checks.check_true(0 < np.max(np.abs(got[key])) < 0.07, f"{label}[{key!r}]", "not small and random",
                              "values of size about 0.01", got[key], "rng.standard_normal(shape) * 0.01.")
        if n_h > 1:
            checks.check_true(len(np.unique(got["W1"], axis=0)) == n_h, f"{label}['W1']", "equal hidden units",
                              f"{n_h} different rows", got["W1"])
        if record is not None:
            ledger.values[record] = got
        if same_as is not None:
            first = ledger.values.get(same_as)
            checks.check_true(first is not None, label, "the first call with an equal generator gave nothing",
                              "a result", None)
            checks.compare(got, first, f"{label} called twice with equal generators",
                           hint="draw the weights from the rng passed in.")
        if differs_from is not None:
            other = ledger.values.get(differs_from)
            checks.check_true(other is not None, label, "the call with another seed gave nothing", "a result", None)
            checks.check_true(not np.allclose(got["W1"], other["W1"]), f"{label}['W1']",
                              "the generator passed in was not used", "different weights for a different seed",
                              "the same weights", "draw the weights with rng.standard_normal, not np.random.")
    return check


def _spread_check(label):
    def check(got):
        _check_parameter_shapes(got, 200, 100, 1, label)
        spread, mean = float(np.std(got["W1"])), float(np.mean(got["W1"]))
        checks.check_true(0.0095 < spread < 0.0105, f"{label}['W1']", "wrong spread", "standard deviation 0.01",
                          round(spread, 6), "standard normal draws times 0.01.")
        checks.check_true(abs(mean) < 0.001, f"{label}['W1']", "not centred at 0", "mean about 0", round(mean, 6))
    return check


# --- nn_model ----------------------------------------------------------------------------------

def _initial(ledger, key, P0_ref, n_x, n_h):
    """The student's own initial parameters (recorded), or the reference ones if none came back."""
    P0 = ledger.values.get(key)
    try:
        _check_parameter_shapes(P0, n_x, n_h, 1, "initial")
        return {k: np.asarray(P0[k], dtype=float) for k in KEYS}
    except Exception:  # noqa: BLE001
        return P0_ref


def _untrained_check(ledger, key, P0_ref, n_x, n_h, label):
    def check(got):
        _check_parameter_shapes(got, n_x, n_h, 1, label)
        checks.compare(got, _initial(ledger, key, P0_ref, n_x, n_h), label, rtol=1e-9, atol=1e-12,
                       hint="with no iterations, nn_model returns what initialize_parameters(n_x, n_h, n_y, rng=rng) "
                            "gives: pass rng on to it.")
    return check


def _own_step(ledger, keys, X, Y, P0_ref, n_x, n_h):
    """nn_model's first step as the student's own functions take it, or None where that is unknown.

    Each piece is the value the student's function returned on the same inputs (recorded), or the
    reference where the student's function passed its own re-check and was not called on these inputs.
    """
    init_key, fwd_key, bwd_key = keys
    m = X.shape[1]
    try:
        P0 = _initial(ledger, init_key, P0_ref, n_x, n_h)
        same_start = _matches(P0, P0_ref)
        if same_start:
            forward = ledger.values.get(fwd_key)
            checks.check_true(isinstance(forward, tuple) and len(forward) == 2, "", "", "", "")
            cache = forward[1]
            checks.compare({k: np.shape(cache[k]) for k in ("A1", "A2")}, {"A1": (n_h, m), "A2": (1, m)})
        elif ledger.all_passed("test_forward_propagation"):
            cache = reference.forward_propagation(X, P0)[1]
        else:
            return None
        cache = {k: np.asarray(cache[k], dtype=float) for k in ("A1", "A2")}
        if same_start and _matches(cache, {k: v for k, v in reference.forward_propagation(X, P0_ref)[1].items()
                                           if k in cache}, 1e-6, 1e-8):
            grads = ledger.values.get(bwd_key)
        elif ledger.all_passed("test_backward_propagation"):
            grads = reference.backward_propagation(P0, cache, X, Y)
        else:
            return None
        checks.compare({k: np.shape(v) for k, v in grads.items()},
                       {"d" + k: s for k, s in _shapes(n_x, n_h, 1).items()})
        if not ledger.all_passed("test_update_parameters"):
            return None
        return {k: P0[k] - 1.2 * np.asarray(grads["d" + k], dtype=float) for k in KEYS}
    except Exception:  # noqa: BLE001 - a malformed recorded value: the own step is unknown
        return None


def _one_step_check(ledger, keys, X, Y, P0_ref, n_x, n_h, label):
    def check(got):
        _check_parameter_shapes(got, n_x, n_h, 1, label)
        expected = _own_step(ledger, keys, X, Y, P0_ref, n_x, n_h)
        if expected is not None:
            checks.compare(got, expected, f"{label} (one step taken with your own functions)",
                           rtol=1e-6, atol=1e-10,
                           hint="each iteration: forward pass, backward pass, then parameters minus "
                                "1.2 times the gradients.")
        else:  # the student's own step is unknown here: the output layer must take the reference step
            P0 = _initial(ledger, keys[0], P0_ref, n_x, n_h)
            step = reference.update_parameters(
                P0, reference.backward_propagation(P0, reference.forward_propagation(X, P0)[1], X, Y))
            checks.compare({k: got[k] for k in ("W2", "b2")}, {k: step[k] for k in ("W2", "b2")},
                           f"{label}: the output layer after one step", rtol=1e-6, atol=1e-10,
                           hint="each iteration: forward pass, backward pass, then parameters minus "
                                "1.2 times the gradients.")
    return check


def _trained_check(ledger, init_key, X, Y, P0_ref, n_x, n_h, iterations, label):
    def check(got):
        _check_parameter_shapes(got, n_x, n_h, 1, label)
        if ledger.all_passed("test_forward_propagation", "test_backward_propagation", "test_update_parameters"):
            P0 = _initial(ledger, init_key, P0_ref, n_x, n_h)
            expected, _ = reference.train(X, Y, P0, iterations)
            checks.compare(got, expected, label, rtol=1e-5, atol=1e-9,
                           hint="loop num_iterations times: forward, cost, backward, update, and feed the "
                                "new parameters to the next forward pass.")
        # else: a mistake in another exercise; the hidden test does not blame nn_model for it
    return check


def cases(rng):
    ledger = _Ledger()
    out = []

    # layer_sizes
    shapes = [((1, 1), (1, 1)),
              ((int(rng.integers(2, 20)), int(rng.integers(2, 9))), None),
              ((int(rng.integers(1000, 13000)), 2), (1, 2)),
              ((2, int(rng.integers(300, 500))), None)]
    for shape_x, shape_y in shapes:
        if shape_y is None:
            shape_y = (int(rng.integers(1, 5)), shape_x[1])
        X, Y = rng.standard_normal(shape_x), _labels(rng, shape_y[0] * shape_y[1]).reshape(shape_y)
        out.append(ledger.case("test_layer_sizes", "layer_sizes", (X, Y), reference.layer_sizes(X, Y),
                               label=f"layer_sizes(X of shape {shape_x}, Y of shape {shape_y})"))

    # initialize_parameters
    dims = [(1, 1, 1), tuple(int(v) for v in rng.integers(2, 9, 2)) + (int(rng.integers(1, 4)),),
            (int(rng.integers(1000, 13000)), int(rng.integers(2, 5)), 1)]
    for d, (n_x, n_h, n_y) in enumerate(dims):
        for kind in ("legacy", "default"):
            s1 = int(rng.integers(3, 2 ** 31))
            s2 = s1 + int(rng.integers(1, 2 ** 20))
            maker = "RandomState" if kind == "legacy" else "default_rng"
            name = f"initialize_parameters({n_x}, {n_h}, {n_y}, rng={maker}"
            first, other = f"init-{d}-{kind}-a", f"init-{d}-{kind}-b"
            out.append(ledger.case("test_initialize_parameters", "initialize_parameters", (n_x, n_h, n_y),
                                   kwargs={"rng": Rng(s1, kind)}, label=f"{name}({s1}))",
                                   check=_init_properties(ledger, n_x, n_h, n_y, f"{name}({s1}))", record=first)))
            out.append(ledger.case("test_initialize_parameters", "initialize_parameters", (n_x, n_h, n_y),
                                   kwargs={"rng": Rng(s1, kind)}, label=f"{name}({s1})) again",
                                   check=_init_properties(ledger, n_x, n_h, n_y, f"{name}({s1})) again",
                                                          same_as=first)))
            out.append(ledger.case("test_initialize_parameters", "initialize_parameters", (n_x, n_h, n_y),
                                   kwargs={"rng": Rng(s2, kind)}, label=f"{name}({s2}))",
                                   check=_init_properties(ledger, n_x, n_h, n_y, f"{name}({s2}))",
                                                          differs_from=first, record=other)))
    n_x, n_h = (int(v) for v in rng.integers(2, 9, 2))
    for again in (False, True):
        label = f"initialize_parameters({n_x}, {n_h}, 1)" + (" again" if again else "")
        out.append(ledger.case("test_initialize_parameters", "initialize_parameters", (n_x, n_h, 1), label=label,
                               check=_init_properties(ledger, n_x, n_h, 1, label, record=None if again else "init-none",
                                                      same_as="init-none" if again else None)))
    kind = "legacy" if rng.random() < 0.5 else "default"
    seed = int(rng.integers(0, 2 ** 31))
    label = f"initialize_parameters(200, 100, 1, rng={'RandomState' if kind == 'legacy' else 'default_rng'}({seed}))"
    out.append(ledger.case("test_initialize_parameters", "initialize_parameters", (200, 100, 1),
                           kwargs={"rng": Rng(seed, kind)}, check=_spread_check(label), label=label))

    # forward_propagation
    sizes = [(int(rng.integers(2, 6)), int(rng.integers(2, 7)), 1, 1),
             (1, 1, 1, int(rng.integers(2, 8)) * 2 + 1),
             (int(rng.integers(2, 6)), 2, 2, int(rng.integers(2, 8)) * 2 + 1),
             (2, int(rng.integers(3, 6)), 1, int(rng.integers(300, 500)))]
    for n_x, n_h, n_y, m in sizes:
        X, P = rng.standard_normal((n_x, m)), _parameters(rng, n_x, n_h, n_y)
        out.append(ledger.case("test_forward_propagation", "forward_propagation", (X, P),
                               reference.forward_propagation(X, P),
                               label=f"forward_propagation(X of shape {(n_x, m)}, n_h={n_h}, n_y={n_y})"))

    # compute_cost: uint8 and float labels
    for m in (1, int(rng.integers(2, 8)) * 2 + 1, int(rng.integers(2, 10)) * 2, int(rng.integers(300, 500))):
        A2 = rng.uniform(0.05, 0.95, (1, m))
        for dtype in (np.uint8, float):
            Y = _labels(rng, m, dtype)
            if m == 1:
                Y[0, 0] = 0 if dtype is np.uint8 else 1
            out.append(ledger.case("test_compute_cost", "compute_cost", (A2, Y), reference.compute_cost(A2, Y),
                                   label=f"compute_cost(A2 of shape (1, {m}), Y of dtype {np.dtype(dtype).name})"))

    # backward_propagation
    sizes = [(int(rng.integers(2, 6)), int(rng.integers(2, 7)), 1),
             (1, 1, int(rng.integers(2, 8)) * 2),
             (int(rng.integers(2, 6)), 2, int(rng.integers(2, 8)) * 2 + 1),
             (2, int(rng.integers(3, 6)), int(rng.integers(300, 500)))]
    for index, (n_x, n_h, m) in enumerate(sizes):
        dtype = float if index == 1 else np.uint8
        X, Y, P = rng.standard_normal((n_x, m)), _labels(rng, m, dtype), _parameters(rng, n_x, n_h)
        _, cache = reference.forward_propagation(X, P)
        out.append(ledger.case("test_backward_propagation", "backward_propagation", (P, cache, X, Y),
                               reference.backward_propagation(P, cache, X, Y),
                               label=f"backward_propagation(n_x={n_x}, n_h={n_h}, m={m}, "
                                     f"{np.dtype(dtype).name} labels)"))

    # update_parameters
    for n_x, n_h, rate in [(int(rng.integers(2, 6)), int(rng.integers(2, 6)), float(rng.uniform(0.5, 2.5))),
                           (1, 1, float(rng.uniform(0.001, 0.1))),
                           (int(rng.integers(2, 8)), int(rng.integers(2, 8)), float(rng.uniform(0.1, 3)))]:
        P = _parameters(rng, n_x, n_h)
        G = {"d" + k: rng.standard_normal(v.shape) for k, v in P.items()}
        out.append(ledger.case("test_update_parameters", "update_parameters", (P, G, rate),
                               reference.update_parameters(P, G, rate),
                               label=f"update_parameters(n_x={n_x}, n_h={n_h}, learning_rate={rate:.4f})"))
    P = _parameters(rng, 2, 3)
    G = {"d" + k: rng.standard_normal(v.shape) for k, v in P.items()}
    out.append(ledger.case("test_update_parameters", "update_parameters", (P, G), reference.update_parameters(P, G),
                           label="update_parameters(parameters, grads) with the default learning rate"))

    # predict (integers or booleans; probabilities are not classes)
    for n_x, n_h, m in [(2, int(rng.integers(2, 6)), 1), (int(rng.integers(2, 6)), int(rng.integers(2, 7)),
                                                           int(rng.integers(3, 8)) * 2 + 1),
                        (1, 2, int(rng.integers(300, 500)))]:
        while True:
            P, X = _parameters(rng, n_x, n_h), rng.standard_normal((n_x, m))
            expected = reference.predict(P, X)
            if m == 1 or 0 < expected.sum() < m:
                break
        label = f"predict(n_x={n_x}, n_h={n_h}, m={m})"

        def check(got, expected=expected, label=label, m=m):
            checks.check_shape(got, (1, m), label)
            checks.check_true(got.dtype.kind in "biuf" and bool(np.all((got == 0) | (got == 1))), label,
                              "not classes", "0/1 (or booleans)", got,
                              "turn the probabilities into classes with A2 > 0.5.")
            checks.compare(got.astype(int), expected, label)

        out.append(ledger.case("test_predict", "predict", (P, X), check=check, label=label))

    # nn_model, last: its checks read what the cases above recorded
    sets = [("load_flower", int(rng.integers(30, 50)), int(rng.integers(2, 6)), int(rng.integers(15, 30))),
            ("make_circles", int(rng.integers(10, 20)) * 2 + 1, 1, int(rng.integers(5, 10))),
            ("make_moons", int(rng.integers(40, 80)), int(rng.integers(2, 5)), int(rng.integers(20, 40))),
            ("make_blobs", 1, int(rng.integers(3, 7)), 1)]
    for index, (maker, m, n_h, iterations) in enumerate(sets):
        X, Y = getattr(data, maker)(m=m, seed=int(rng.integers(0, 2 ** 31)))
        n_x = X.shape[0]
        seed = int(rng.integers(3, 2 ** 31))
        P0_ref = reference.initialize_parameters(n_x, n_h, 1, rng=np.random.RandomState(seed))
        _, cache_ref = reference.forward_propagation(X, P0_ref)
        keys = (f"nn-{index}-init", f"nn-{index}-forward", f"nn-{index}-backward")
        name = f"nn_model(X, Y of {maker}(m={m}), n_h={n_h}, rng=RandomState({seed})"
        out.append(ledger.recorder("test_nn_model", "initialize_parameters", (n_x, n_h, 1), keys[0],
                                   kwargs={"rng": Rng(seed, "legacy")},
                                   label=f"initialize_parameters({n_x}, {n_h}, 1, rng=RandomState({seed})), "
                                         f"as nn_model's hidden test uses it"))
        out.append(ledger.recorder("test_nn_model", "forward_propagation", (X, P0_ref), keys[1],
                                   label="forward_propagation on nn_model's first step, as its hidden test uses it"))
        out.append(ledger.recorder("test_nn_model", "backward_propagation", (P0_ref, cache_ref, X, Y), keys[2],
                                   label="backward_propagation on nn_model's first step, as its hidden test uses it"))
        label = f"{name}, num_iterations=0)"
        out.append(Case("test_nn_model", "nn_model", (X, Y, n_h),
                        kwargs={"num_iterations": 0, "rng": Rng(seed, "legacy")},
                        check=_untrained_check(ledger, keys[0], P0_ref, n_x, n_h, label), label=label))
        label = f"{name}, num_iterations=1)"
        out.append(Case("test_nn_model", "nn_model", (X, Y, n_h),
                        kwargs={"num_iterations": 1, "rng": Rng(seed, "legacy")},
                        check=_one_step_check(ledger, keys, X, Y, P0_ref, n_x, n_h, label), label=label))
        if iterations > 1:
            label = f"{name}, num_iterations={iterations})"
            out.append(Case("test_nn_model", "nn_model", (X, Y, n_h),
                            kwargs={"num_iterations": iterations, "rng": Rng(seed, "legacy")},
                            check=_trained_check(ledger, keys[0], X, Y, P0_ref, n_x, n_h, iterations, label),
                            label=label))
    return out
