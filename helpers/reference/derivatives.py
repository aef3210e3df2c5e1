"""Reference implementations for 04_derivatives (hidden tests only)."""

from __future__ import annotations

import numpy as np

from helpers.reference import activations


def graph_forward(a, b, c):
    """J = 3 (a + b c) in three steps u = b c, v = a + u, J = 3 v (elementwise for arrays).

    Returns (J, cache) with cache = (a, b, c, u, v).
    """
    u = b * c
    v = a + u
    J = 3 * v
    return J, (a, b, c, u, v)


def graph_backward(dJ, cache):
    """Chain rule back through graph_forward: dJ is the upstream derivative of J.

    Returns grads = {"dv", "du", "da", "db", "dc"}, each the shape of its variable.
    """
    a, b, c, u, v = cache
    dv = 3 * dJ
    du = dv
    da = dv
    db = du * c
    dc = du * b
    return {"dv": dv, "du": du, "da": da, "db": db, "dc": dc}


def sigmoid_derivative(z: np.ndarray) -> np.ndarray:
    """sigma'(z) = sigma(z) (1 - sigma(z)), elementwise, same shape as z."""
    s = activations.sigmoid(z)
    return s * (1.0 - s)


def tanh_derivative(z: np.ndarray) -> np.ndarray:
    """tanh'(z) = 1 - tanh(z)^2, elementwise, same shape as z."""
    return 1.0 - activations.tanh(z) ** 2


def relu_derivative(z: np.ndarray) -> np.ndarray:
    """1.0 where z > 0, 0.0 elsewhere (0.0 at z = 0, the course's convention); float array."""
    return (np.asarray(z) > 0).astype(float)


def leaky_relu_derivative(z: np.ndarray, alpha: float = 0.01) -> np.ndarray:
    """1.0 where z > 0, alpha elsewhere (alpha at z = 0, the course's convention); float array."""
    return np.where(np.asarray(z) > 0, 1.0, alpha)


def numerical_derivative(f, z: np.ndarray, epsilon: float = 1e-7) -> np.ndarray:
    """Centred difference (f(z + eps) - f(z - eps)) / (2 eps) of an elementwise f; shape of z."""
    return (f(z + epsilon) - f(z - epsilon)) / (2 * epsilon)


def numerical_gradient(f, x: np.ndarray, epsilon: float = 1e-7) -> np.ndarray:
    """Centred-difference gradient of a scalar f of an array x, one coordinate at a time; shape of x."""
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        keep = x[index]
        x[index] = keep + epsilon
        f_plus = float(f(x))
        x[index] = keep - epsilon
        f_minus = float(f(x))
        x[index] = keep
        grad[index] = (f_plus - f_minus) / (2 * epsilon)
    return grad


def gradient_check(f, grad, x, epsilon: float = 1e-7) -> float:
    """||grad - num|| / (||grad|| + ||num||) with num the centred-difference gradient of f at x."""
    num = numerical_gradient(f, x, epsilon)
    grad = np.asarray(grad, dtype=float)
    denominator = np.linalg.norm(grad) + np.linalg.norm(num)
    return 0.0 if denominator == 0 else float(np.linalg.norm(grad - num) / denominator)
