"""Reference implementations for 05_shallow_network (hidden tests and the course's own tests).

A network with one hidden layer: n_x inputs, n_h tanh units, n_y sigmoid outputs.
Examples are columns: X is (n_x, m), Y is (n_y, m) with 0/1 labels.
"""

from __future__ import annotations

import numpy as np


def sigmoid(z: np.ndarray) -> np.ndarray:
    """Element-wise 1 / (1 + exp(-z)), any shape."""
    return 1.0 / (1.0 + np.exp(-z))


def layer_sizes(X: np.ndarray, Y: np.ndarray) -> tuple:
    """X (n_x, m), Y (n_y, m) -> (n_x, 4, n_y): the hidden layer has 4 units."""
    return X.shape[0], 4, Y.shape[0]


def initialize_parameters(n_x: int, n_h: int, n_y: int, rng=None) -> dict:
    """Small random weights (x 0.01), zero biases.

    rng -- np.random.RandomState or np.random.Generator; None means np.random.RandomState(2),
           created here (the global generator is never touched). W1 is drawn before W2.

    Returns {"W1": (n_h, n_x), "b1": (n_h, 1), "W2": (n_y, n_h), "b2": (n_y, 1)}.
    """
    if rng is None:
        rng = np.random.RandomState(2)
    return {
        "W1": rng.standard_normal((n_h, n_x)) * 0.01,
        "b1": np.zeros((n_h, 1)),
        "W2": rng.standard_normal((n_y, n_h)) * 0.01,
        "b2": np.zeros((n_y, 1)),
    }


def forward_propagation(X: np.ndarray, parameters: dict):
    """X (n_x, m) -> (A2 (n_y, m), cache {"Z1": (n_h, m), "A1": (n_h, m), "Z2": (n_y, m), "A2": (n_y, m)})."""
    Z1 = parameters["W1"] @ X + parameters["b1"]
    A1 = np.tanh(Z1)
    Z2 = parameters["W2"] @ A1 + parameters["b2"]
    A2 = sigmoid(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


def compute_cost(A2: np.ndarray, Y: np.ndarray) -> float:
    """Cross-entropy averaged over the m columns: A2 (1, m) probabilities, Y (1, m) labels -> float."""
    m = Y.shape[1]
    Y = Y.astype(float)
    return float(-np.sum(Y * np.log(A2) + (1.0 - Y) * np.log(1.0 - A2)) / m)


def backward_propagation(parameters: dict, cache: dict, X: np.ndarray, Y: np.ndarray) -> dict:
    """Gradients of the cost: {"dW1": (n_h, n_x), "db1": (n_h, 1), "dW2": (n_y, n_h), "db2": (n_y, 1)}."""
    m = X.shape[1]
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = A2 - Y
    dW2 = dZ2 @ A1.T / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dZ1 = (parameters["W2"].T @ dZ2) * (1.0 - A1 ** 2)
    dW1 = dZ1 @ X.T / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}


def update_parameters(parameters: dict, grads: dict, learning_rate: float = 1.2) -> dict:
    """One gradient-descent step; returns a new dict (the input is left unchanged)."""
    return {key: parameters[key] - learning_rate * grads["d" + key] for key in ("W1", "b1", "W2", "b2")}


def train(X: np.ndarray, Y: np.ndarray, parameters: dict, num_iterations: int, learning_rate: float = 1.2):
    """Gradient descent from given parameters; returns (parameters, costs) with costs[i] the cost
    before step i (one entry per iteration)."""
    costs = []
    for _ in range(num_iterations):
        A2, cache = forward_propagation(X, parameters)
        costs.append(compute_cost(A2, Y))
        grads = backward_propagation(parameters, cache, X, Y)
        parameters = update_parameters(parameters, grads, learning_rate)
    return parameters, costs


def nn_model(X: np.ndarray, Y: np.ndarray, n_h: int, num_iterations: int = 10000, print_cost: bool = False,
             learning_rate: float = 1.2, rng=None) -> dict:
    """Initialise (initialize_parameters(n_x, n_h, n_y, rng=rng)) and train; returns the parameters."""
    parameters = initialize_parameters(X.shape[0], n_h, Y.shape[0], rng=rng)
    parameters, costs = train(X, Y, parameters, num_iterations, learning_rate)
    return parameters


def predict(parameters: dict, X: np.ndarray) -> np.ndarray:
    """X (n_x, m) -> (1, m) int array: 1 where the network's probability is above 0.5."""
    A2, _ = forward_propagation(X, parameters)
    return (A2 > 0.5).astype(int)


def accuracy(predictions: np.ndarray, Y: np.ndarray) -> float:
    """Percentage of columns where predictions (1, m) equal the labels Y (1, m)."""
    return float(np.mean(predictions == Y) * 100)


def network_cost(X: np.ndarray, Y: np.ndarray, parameters: dict) -> float:
    """The cost of the network with these parameters (forward pass and cross-entropy)."""
    return compute_cost(forward_propagation(X, parameters)[0], Y)


def numerical_gradients(X: np.ndarray, Y: np.ndarray, parameters: dict, epsilon: float = 1e-6) -> dict:
    """Centred differences (J(p + eps) - J(p - eps)) / (2 eps) of network_cost, entry by entry.

    Returns {"dW1", "db1", "dW2", "db2"} with the shapes of W1, b1, W2, b2.
    """
    numeric = {}
    for key in ("W1", "b1", "W2", "b2"):
        gradient = np.zeros_like(parameters[key], dtype=float)
        for index in np.ndindex(parameters[key].shape):
            shifted = {k: v.astype(float).copy() for k, v in parameters.items()}
            shifted[key][index] += epsilon
            plus = network_cost(X, Y, shifted)
            shifted[key][index] -= 2 * epsilon
            minus = network_cost(X, Y, shifted)
            gradient[index] = (plus - minus) / (2 * epsilon)
        numeric["d" + key] = gradient
    return numeric


def logistic_regression(X: np.ndarray, Y: np.ndarray, num_iterations: int = 10000, learning_rate: float = 0.1):
    """The baseline: logistic regression by batch gradient descent from zeros.

    Returns (w (n_x, 1), b float)."""
    n_x, m = X.shape
    w, b = np.zeros((n_x, 1)), 0.0
    for _ in range(num_iterations):
        A = sigmoid(w.T @ X + b)
        dZ = A - Y
        w = w - learning_rate * (X @ dZ.T) / m
        b = b - learning_rate * float(np.sum(dZ)) / m
    return w, b
