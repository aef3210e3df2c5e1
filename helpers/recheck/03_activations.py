"""Trusted re-check of 03_activations: calls on fresh random inputs, judged against the reference.

The no-overflow requirement of sigmoid and tanh is re-checked too: the argument of those calls
is built in the sandbox by an ``Fn`` whose evaluation first sets numpy's floating-point error
state to "raise" (overflow, invalid, divide), so an overflowing formula raises there instead of
printing a warning. These calls come last, so that the state touches no other call.
"""

import numpy as np

from helpers.recheck import Case, Fn
from helpers.reference import activations as reference


def _shape(rng):
    return [(1, 1), tuple(int(v) for v in rng.integers(2, 8, 2)), (int(rng.integers(2, 9)),),
            tuple(int(v) for v in rng.integers(1, 5, 3))]


def strict_array(values) -> Fn:
    """An argument that makes numpy raise on overflow/invalid/divide in the sandbox, then is ``values``."""
    literal = "[" + ", ".join(repr(float(v)) for v in np.ravel(values)) + "]"
    return Fn(f"(np.seterr(over='raise', invalid='raise', divide='raise'), np.array({literal}))[1]"
              f".reshape({tuple(np.shape(values))!r})")


def cases(rng):
    out, strict = [], []
    for name, scale in (("sigmoid", 8), ("tanh", 4)):
        func = getattr(reference, name)
        for shape in _shape(rng):
            z = rng.standard_normal(shape) * scale
            out.append(Case(f"test_{name}", name, (z,), func(z), label=f"{name}(z of shape {shape})"))
        large = np.concatenate([rng.uniform(-1e4, 1e4, 6), [-1e300, -745.5, -709.9, 709.9, 745.5, 1e300]]).reshape(3, 4)
        out.append(Case(f"test_{name}", name, (large,), func(large), label=f"{name}(large z)"))
        strict.append(Case(f"test_{name}", name, (strict_array(large),), func(large),
                           label=f"{name}(large z) with numpy's overflow warnings turned into errors"))
    for shape in _shape(rng):
        z = rng.standard_normal(shape) * 3
        out.append(Case("test_relu", "relu", (z,), reference.relu(z), label=f"relu(z of shape {shape})"))
    for shape, alpha in zip(_shape(rng), (None, 0.2, float(rng.uniform(0.02, 0.5)), 0.01)):
        z = rng.standard_normal(shape) * 3
        kwargs = {} if alpha is None else {"alpha": alpha}
        out.append(Case("test_leaky_relu", "leaky_relu", (z,), reference.leaky_relu(z, **kwargs), kwargs=kwargs,
                        label=f"leaky_relu(z of shape {shape}, alpha={alpha})"))
    for dims in ([1, 1, 1], [int(v) for v in rng.integers(1, 8, 3)], [4, 4, 4]):
        n0, n1, n2 = dims
        args = (rng.standard_normal((n1, n0)), rng.standard_normal((n1, 1)),
                rng.standard_normal((n2, n1)), rng.standard_normal((n2, 1)))
        out.append(Case("test_collapse_linear", "collapse_linear", args, reference.collapse_linear(*args),
                        label=f"collapse_linear for layer sizes {dims}"))
    return out + strict
