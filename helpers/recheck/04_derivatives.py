"""Trusted re-check of 04_derivatives: calls on fresh random inputs, judged against the reference.

As in 03_activations, the large-input calls of sigmoid_derivative and tanh_derivative come last
and run with numpy's floating-point error state set to "raise" by their argument's ``Fn``.
"""

import numpy as np

from helpers import checks
from helpers.recheck import Case, Fn
from helpers.reference import activations
from helpers.reference import derivatives as reference


def strict_array(values) -> Fn:
    """An argument that makes numpy raise on overflow/invalid/divide in the sandbox, then is ``values``."""
    literal = "[" + ", ".join(repr(float(v)) for v in np.ravel(values)) + "]"
    return Fn(f"(np.seterr(over='raise', invalid='raise', divide='raise'), np.array({literal}))[1]"
              f".reshape({tuple(np.shape(values))!r})")


def _away_from_zero(z):
    return np.where(np.abs(z) < 1e-3, 0.5, z)


def _floats(expected, label):
    """A check: a float array (not booleans) equal to ``expected``."""
    def check(got):
        checks.check_type(got, np.ndarray, label)
        checks.check_true(got.dtype.kind in "iuf", label, "not an array of numbers", "floats", got.dtype)
        checks.compare(got, expected, label)
    return check


def _unsaturated(W, v, largest=2.0):
    """W (shape (n, 3)) scaled down so that every |W @ v| <= ``largest``.

    Where tanh saturates (|W v| > 4 or so) the exact gradient is tiny and the rounding error of
    centred differences dominates it: even the reference then reports a relative difference above
    1e-7 (measured: 83 of 3000 random draws of a (1, 3) W), which would fail a correct answer.
    """
    top = float(np.max(np.abs(W @ v)))
    return W * (largest / top) if top > largest else W


def _below(limit, label):
    def check(got):
        checks.check_type(got, float, label)
        checks.check_true(got < limit, label, "the exact gradient is not recognised", f"below {limit:g}", got)
    return check


def cases(rng):
    out, strict = [], []
    # graph_forward / graph_backward, on numbers and on arrays
    a, b, c = (float(v) for v in rng.uniform(-3, 3, 3))
    out.append(Case("test_graph_forward", "graph_forward", (a, b, c), reference.graph_forward(a, b, c),
                    label=f"graph_forward({a:.3f}, {b:.3f}, {c:.3f})"))
    for shape in [(1, 1), (int(rng.integers(2, 6)), int(rng.integers(2, 6)))]:
        a, b, c, dJ = (rng.standard_normal(shape) for _ in range(4))
        out.append(Case("test_graph_forward", "graph_forward", (a, b, c), reference.graph_forward(a, b, c),
                        label=f"graph_forward on arrays of shape {shape}"))
        _, cache = reference.graph_forward(a, b, c)
        out.append(Case("test_graph_backward", "graph_backward", (dJ, cache), reference.graph_backward(dJ, cache),
                        label=f"graph_backward on arrays of shape {shape}"))
    dJ = float(rng.uniform(0.1, 3))
    _, cache = reference.graph_forward(5.0, 3.0, 2.0)
    out.append(Case("test_graph_backward", "graph_backward", (dJ, cache), reference.graph_backward(dJ, cache),
                    label=f"graph_backward({dJ:.3f}, cache of (5, 3, 2))"))
    # the four derivatives
    shapes = [(1, 1), tuple(int(v) for v in rng.integers(2, 7, 2)), (int(rng.integers(2, 9)),), (2, 3, 2)]
    for name in ("sigmoid", "tanh", "relu", "leaky_relu"):
        derivative = getattr(reference, name + "_derivative")
        for shape in shapes:
            z = _away_from_zero(rng.standard_normal(shape) * 4)
            label = f"{name}_derivative(z of shape {shape})"
            out.append(Case(f"test_{name}_derivative", name + "_derivative", (z,), check=_floats(derivative(z), label),
                            label=label))
    for alpha in (0.2, float(rng.uniform(0.02, 0.5))):
        z = _away_from_zero(rng.standard_normal((3, 4)) * 3)
        label = f"leaky_relu_derivative(z, alpha={alpha:.3f})"
        out.append(Case("test_leaky_relu_derivative", "leaky_relu_derivative", (z,), kwargs={"alpha": alpha},
                        check=_floats(reference.leaky_relu_derivative(z, alpha=alpha), label), label=label))
    large = np.array([[-1e300, -800.0, -40.0], [40.0, 800.0, 1e300]])
    for name in ("sigmoid", "tanh"):
        derivative = getattr(reference, name + "_derivative")
        strict.append(Case(f"test_{name}_derivative", name + "_derivative", (strict_array(large),), derivative(large),
                           label=f"{name}_derivative(large z) with numpy's overflow warnings turned into errors"))
    # numerical_derivative: centred, with the epsilon given
    for source, eps in (("np.sin", 1e-3), ("lambda t: t ** 3", 0.1), ("np.exp", 1e-4)):
        z = rng.standard_normal((int(rng.integers(1, 4)), int(rng.integers(1, 5))))
        expected = reference.numerical_derivative(Fn(source).make(), z, eps)
        out.append(Case("test_numerical_derivative", "numerical_derivative", (Fn(source), z), expected,
                        kwargs={"epsilon": eps}, rtol=1e-8, atol=1e-10,
                        label=f"numerical_derivative({source}, z of shape {z.shape}, epsilon={eps})"))
    z = rng.standard_normal((3, 3))
    out.append(Case("test_numerical_derivative", "numerical_derivative", (Fn("np.sin"), z), np.cos(z),
                    atol=1e-7, label="numerical_derivative(np.sin, z) with the default epsilon"))
    # gradient_check: matrices, a rank-1 array, the epsilon argument
    v = rng.standard_normal((3, 1))
    f_source = f"lambda W: float(np.sum(np.tanh(W @ np.array({v.tolist()!r}))))"
    for shape in [(1, 3), (2, 3), (int(rng.integers(3, 6)), 3)]:
        W = _unsaturated(rng.standard_normal(shape), v)
        grad = (1 - np.tanh(W @ v) ** 2) @ v.T
        label = f"gradient_check(f, exact gradient, W of shape {shape})"
        floor = reference.gradient_check(Fn(f_source).make(), grad, W)
        out.append(Case("test_gradient_check", "gradient_check", (Fn(f_source), grad, W),
                        check=_below(max(1e-7, 10 * floor), label), label=label))
        wrong = grad + rng.standard_normal(shape) * 0.1
        out.append(Case("test_gradient_check", "gradient_check", (Fn(f_source), wrong, W),
                        reference.gradient_check(Fn(f_source).make(), wrong, W), rtol=1e-4,
                        label=f"gradient_check(f, a wrong gradient, W of shape {shape})"))
    cube = "lambda x: float(np.sum(x ** 3))"
    x = rng.standard_normal(4)
    out.append(Case("test_gradient_check", "gradient_check", (Fn(cube), 3.3 * x ** 2, x),
                    reference.gradient_check(Fn(cube).make(), 3.3 * x ** 2, x), rtol=1e-4,
                    label="gradient_check on a (4,) array"))
    x = rng.standard_normal((3, 2))
    out.append(Case("test_gradient_check", "gradient_check", (Fn(cube), 3 * x ** 2, x),
                    reference.gradient_check(Fn(cube).make(), 3 * x ** 2, x, epsilon=1e-2), rtol=1e-4,
                    kwargs={"epsilon": 1e-2}, label="gradient_check(cube, 3 x**2, x, epsilon=1e-2)"))
    return out + strict
