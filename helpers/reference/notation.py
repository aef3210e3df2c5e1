"""Reference implementations for 01_notation (hidden tests only)."""

from __future__ import annotations

import numpy as np


def image2vector(image: np.ndarray) -> np.ndarray:
    """(h, w, c) image -> (h*w*c, 1) column, in numpy's row-major order."""
    return image.reshape(-1, 1)


def images_to_matrix(images: np.ndarray) -> np.ndarray:
    """(m, h, w, c) images -> (h*w*c, m) matrix whose column i is image i flattened."""
    return images.reshape(images.shape[0], -1).T


def parameter_shapes(layer_dims) -> dict:
    """[n0, n1, ..., nL] -> {"W1": (n1, n0), "b1": (n1, 1), ..., "WL": (nL, nL-1), "bL": (nL, 1)}."""
    shapes = {}
    for l in range(1, len(layer_dims)):
        shapes[f"W{l}"] = (layer_dims[l], layer_dims[l - 1])
        shapes[f"b{l}"] = (layer_dims[l], 1)
    return shapes


def activation_shapes(layer_dims, m: int) -> dict:
    """[n0, ..., nL], m -> {"A0": (n0, m), "Z1": (n1, m), "A1": (n1, m), ..., "AL": (nL, m)}."""
    shapes = {"A0": (layer_dims[0], m)}
    for l in range(1, len(layer_dims)):
        shapes[f"Z{l}"] = (layer_dims[l], m)
        shapes[f"A{l}"] = (layer_dims[l], m)
    return shapes


def normalize_rows(x: np.ndarray) -> np.ndarray:
    """(n, d) -> (n, d): each row divided by its Euclidean length."""
    return x / np.linalg.norm(x, axis=1, keepdims=True)
