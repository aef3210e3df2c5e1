"""Reference implementations for 02_vectorization (hidden tests only).

Logistic regression as a one-neuron network: examples are columns, ``X`` is ``(n_x, m)``,
``w`` is ``(n_x, 1)``, ``b`` a float, ``Y`` and predictions are ``(1, m)``.
"""

from __future__ import annotations

import numpy as np


def sigmoid(z):
    """1 / (1 + exp(-z)) elementwise, for a number or an array of any shape (same shape back).

    Computed without overflow: for z < 0 it uses exp(z) / (1 + exp(z)), the same value written
    so that exp never sees a large positive argument. Agrees with the textbook formula to
    about 1e-16 wherever the latter does not overflow.
    """
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))                      # in (0, 1]: never overflows
    s = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return s if s.ndim else float(s)


def softmax(x: np.ndarray) -> np.ndarray:
    """(n, d) -> (n, d): each row turned into probabilities, s[i, j] = exp(x[i, j]) / sum_k exp(x[i, k]).

    The row maximum is subtracted first (it cancels in the ratio and keeps exp from overflowing).
    """
    shifted = x - np.max(x, axis=1, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=1, keepdims=True)


def L1(yhat: np.ndarray, y: np.ndarray) -> float:
    """sum |y - yhat| over all entries; yhat and y of the same shape (for example (1, m))."""
    return float(np.sum(np.abs(y - yhat)))


def L2(yhat: np.ndarray, y: np.ndarray) -> float:
    """sum (y - yhat)^2 over all entries; yhat and y of the same shape (for example (1, m))."""
    d = (y - yhat).ravel()
    return float(np.dot(d, d))


def initialize_with_zeros(dim: int):
    """-> (w, b): w zeros of shape (dim, 1), b = 0.0 (a float)."""
    return np.zeros((dim, 1)), 0.0


def propagate(w: np.ndarray, b: float, X: np.ndarray, Y: np.ndarray):
    """Cost and gradients of logistic regression.

    w (n_x, 1), b float, X (n_x, m), Y (1, m) of 0/1.
    Returns (grads, cost): grads = {"dw": (n_x, 1), "db": float}, cost float
    (the mean cross-entropy -1/m sum(Y log A + (1 - Y) log(1 - A)), A = sigmoid(w^T X + b)).
    """
    m = X.shape[1]
    A = sigmoid(w.T @ X + b)                                    # (1, m)
    cost = float(-np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m)
    dZ = A - Y                                                  # (1, m)
    dw = X @ dZ.T / m                                           # (n_x, 1)
    db = float(np.sum(dZ) / m)
    return {"dw": dw, "db": db}, cost


def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    """Gradient descent on (w, b), recording the cost at iterations 0, 100, 200, ...

    Returns (params, grads, costs): params = {"w": (n_x, 1), "b": float}; grads = the last
    gradients computed (at the parameters before the last update); costs = list of floats.
    The arguments are not modified.
    """
    w = np.array(w, dtype=float)
    b = float(b)
    costs = []
    grads = {}
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
        if i % 100 == 0:
            costs.append(cost)
    return {"w": w, "b": b}, grads, costs


def predict(w, b, X):
    """(1, m) array of 0.0/1.0: 1.0 where sigmoid(w^T X + b) > 0.5."""
    A = sigmoid(w.T @ X + b)
    return (A > 0.5).astype(float)


def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False):
    """Train from zeros and predict; returns the dict with keys costs, Y_prediction_test,
    Y_prediction_train, w, b, learning_rate, num_iterations."""
    w, b = initialize_with_zeros(X_train.shape[0])
    params, _, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate)
    w, b = params["w"], params["b"]
    return {
        "costs": costs,
        "Y_prediction_test": predict(w, b, X_test),
        "Y_prediction_train": predict(w, b, X_train),
        "w": w,
        "b": b,
        "learning_rate": learning_rate,
        "num_iterations": num_iterations,
    }


def accuracy(Y_prediction: np.ndarray, Y: np.ndarray) -> float:
    """Percentage of the (1, m) predictions equal to the (1, m) labels."""
    return float(100.0 * np.mean(Y_prediction == Y))
