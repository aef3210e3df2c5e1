"""Reference implementations for 06_initialization (hidden tests only)."""

from __future__ import annotations

import numpy as np


def initialize_zeros(layer_dims) -> dict:
    """[n0, ..., nL] -> {"W1": zeros (n1, n0), "b1": zeros (n1, 1), ..., "WL", "bL"}."""
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters[f"W{l}"] = np.zeros((layer_dims[l], layer_dims[l - 1]))
        parameters[f"b{l}"] = np.zeros((layer_dims[l], 1))
    return parameters


def symmetric_units(W: np.ndarray, tol: float = 1e-8) -> np.ndarray:
    """(n, n_prev) weights -> (n, 1) bools: True for unit j when another unit i != j has a row
    equal to row j (max_k |W[j, k] - W[i, k]| <= tol)."""
    differences = np.max(np.abs(W[:, np.newaxis, :] - W[np.newaxis, :, :]), axis=2)   # (n, n)
    same = differences <= tol
    np.fill_diagonal(same, False)
    return np.any(same, axis=1, keepdims=True)


def _gaussian(layer_dims, rng: np.random.Generator, std_of) -> dict:
    parameters = {}
    for l in range(1, len(layer_dims)):
        shape = (layer_dims[l], layer_dims[l - 1])
        parameters[f"W{l}"] = rng.standard_normal(shape) * std_of(layer_dims[l - 1], layer_dims[l])
        parameters[f"b{l}"] = np.zeros((layer_dims[l], 1))
    return parameters


def initialize_random(layer_dims, scale: float, rng: np.random.Generator) -> dict:
    """W[l] = scale * standard normal draws from rng, b[l] = 0."""
    return _gaussian(layer_dims, rng, lambda n_prev, n: scale)


def initialize_he(layer_dims, rng: np.random.Generator) -> dict:
    """W[l] = sqrt(2 / n[l-1]) * standard normal draws from rng, b[l] = 0 (ReLU layers)."""
    return _gaussian(layer_dims, rng, lambda n_prev, n: np.sqrt(2.0 / n_prev))


def initialize_xavier(layer_dims, rng: np.random.Generator) -> dict:
    """W[l] = sqrt(1 / n[l-1]) * standard normal draws from rng, b[l] = 0 (tanh layers)."""
    return _gaussian(layer_dims, rng, lambda n_prev, n: np.sqrt(1.0 / n_prev))


def intended_std(layer_dims, method: str, scale: float | None = None) -> list:
    """The standard deviation each W[l] is meant to have, l = 1..L, for method "random"
    (with ``scale``), "he" or "xavier"."""
    stds = []
    for l in range(1, len(layer_dims)):
        n_prev = layer_dims[l - 1]
        stds.append({"random": scale, "he": np.sqrt(2.0 / n_prev),
                     "xavier": np.sqrt(1.0 / n_prev)}[method])
    return [float(s) for s in stds]
