"""A ready-made L-layer network for experiments in notebooks that come before you build one.

06_initialization trains networks to show what the starting weights do; 07_deep_network is
where you write such a network yourself, step by step, with caches. This module is the
experimenter's tool, not a model answer: it is compact, keeps its intermediate results in
plain lists, and is not graded anywhere.

The network: hidden layers with one activation (``"relu"``, ``"tanh"``, ``"sigmoid"``, or
``"linear"``, the identity, for 03's demonstration that linear layers collapse), a
sigmoid output unit, the cross-entropy cost, plain gradient descent. ``parameters`` is the
course's dict ``{"W1": (n1, n0), "b1": (n1, 1), ..., "WL": (nL, nL-1), "bL": (nL, 1)}`` with
``nL = 1``. Every function is free of numpy warnings even when the weights are huge (the
sigmoid and the cost are computed in forms that cannot overflow).
"""

from __future__ import annotations

import numpy as np

HIDDEN = ("relu", "tanh", "sigmoid", "linear")


def _sigmoid(Z: np.ndarray) -> np.ndarray:
    # 1 / (1 + exp(-z)) written with tanh: the same values, and no overflow for large |z|.
    return 0.5 * (1.0 + np.tanh(0.5 * Z))


def _activation(Z: np.ndarray, hidden: str) -> np.ndarray:
    if hidden == "relu":
        return np.maximum(Z, 0.0)
    if hidden == "tanh":
        return np.tanh(Z)
    if hidden == "sigmoid":
        return _sigmoid(Z)
    if hidden == "linear":
        return Z
    raise ValueError(f"hidden activation must be one of {HIDDEN}, not {hidden!r}")


def _slope(Z: np.ndarray, A: np.ndarray, hidden: str) -> np.ndarray:
    """g'(Z) for the hidden activation, from Z and A = g(Z) (same shape as Z)."""
    if hidden == "relu":
        return (Z > 0).astype(float)
    if hidden == "tanh":
        return 1.0 - A ** 2
    if hidden == "linear":
        return np.ones_like(Z)
    return A * (1.0 - A)


def depth(parameters: dict) -> int:
    """The number of layers L of a parameters dict (its number of weight matrices)."""
    return sum(1 for key in parameters if key.startswith("W"))


def forward(X: np.ndarray, parameters: dict, hidden: str = "relu"):
    """Run the network on X.

    Arguments:
    X -- inputs, shape (n0, m)
    parameters -- {"W1": (n1, n0), "b1": (n1, 1), ..., "WL": (1, nL-1), "bL": (1, 1)}
    hidden -- activation of the hidden layers: "relu", "tanh", "sigmoid" or "linear"

    Returns:
    Zs -- list of L arrays, Zs[l - 1] = Z[l] of shape (n[l], m)
    As -- list of L + 1 arrays, As[l] = A[l] of shape (n[l], m); As[0] is X, As[L] is AL (1, m)
    """
    L = depth(parameters)
    Zs, As = [], [X]
    for l in range(1, L + 1):
        Z = parameters[f"W{l}"] @ As[-1] + parameters[f"b{l}"]
        Zs.append(Z)
        As.append(_sigmoid(Z) if l == L else _activation(Z, hidden))
    return Zs, As


def cost_from_output_z(ZL: np.ndarray, Y: np.ndarray) -> float:
    """Cross-entropy cost of AL = sigmoid(ZL) against Y, both (1, m), without log(0).

    -[y log a + (1 - y) log(1 - a)] with a = sigmoid(z) equals log(1 + e^z) - y z.
    """
    m = Y.shape[1]
    return float(np.sum(np.logaddexp(0.0, ZL) - Y * ZL) / m)


def gradients(Y: np.ndarray, parameters: dict, Zs: list, As: list, hidden: str = "relu") -> dict:
    """Gradients of the cost for the outputs of :func:`forward`.

    Arguments:
    Y -- labels, shape (1, m)
    parameters, hidden -- as given to forward
    Zs, As -- what forward returned

    Returns:
    grads -- {"dW1": (n1, n0), "db1": (n1, 1), ..., "dWL", "dbL"}, and "dZ1": (n1, m), ...,
             "dZL": (1, m): the gradient of the cost for each unit and example (times m)
    """
    L = depth(parameters)
    m = Y.shape[1]
    grads = {}
    dZ = As[L] - Y                                           # (1, m): sigmoid + cross-entropy
    for l in range(L, 0, -1):
        grads[f"dZ{l}"] = dZ
        grads[f"dW{l}"] = dZ @ As[l - 1].T / m
        grads[f"db{l}"] = np.sum(dZ, axis=1, keepdims=True) / m
        if l > 1:
            dZ = (parameters[f"W{l}"].T @ dZ) * _slope(Zs[l - 2], As[l - 1], hidden)
    return grads


def train(X: np.ndarray, Y: np.ndarray, parameters: dict, hidden: str = "relu",
          learning_rate: float = 0.1, num_iterations: int = 1000, print_every: int | None = None):
    """Gradient descent from the given starting parameters (which are not modified).

    Arguments:
    X -- inputs, shape (n0, m); Y -- labels, shape (1, m)
    parameters -- the starting point, {"W1": (n1, n0), "b1": (n1, 1), ...}
    hidden -- "relu", "tanh", "sigmoid" or "linear"
    learning_rate, num_iterations -- step size and number of steps
    print_every -- print the cost every this many iterations (None: silent)

    Returns:
    parameters -- the trained parameters (a new dict of new arrays)
    costs -- list of num_iterations + 1 floats: the cost before each step and after the last
    """
    parameters = {key: np.array(value, dtype=float) for key, value in parameters.items()}
    Y = np.asarray(Y, dtype=float)
    costs = []
    for i in range(num_iterations + 1):
        Zs, As = forward(X, parameters, hidden)
        costs.append(cost_from_output_z(Zs[-1], Y))
        if print_every and (i % print_every == 0 or i == num_iterations):
            print(f"  iteration {i:>6}: cost {costs[-1]:.6f}")
        if i == num_iterations:
            break
        grads = gradients(Y, parameters, Zs, As, hidden)
        for key in parameters:
            parameters[key] -= learning_rate * grads["d" + key]
    return parameters, costs


def predict(parameters: dict, X: np.ndarray, hidden: str = "relu") -> np.ndarray:
    """0/1 predictions, shape (1, m): 1 where AL > 0.5."""
    _, As = forward(X, parameters, hidden)
    return (As[-1] > 0.5).astype(int)


def accuracy(parameters: dict, X: np.ndarray, Y: np.ndarray, hidden: str = "relu") -> float:
    """Percentage of the m examples of X (n0, m) whose prediction equals Y (1, m)."""
    return float(np.mean(predict(parameters, X, hidden) == Y) * 100)
