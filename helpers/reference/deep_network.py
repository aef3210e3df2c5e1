"""Reference implementations for 07_deep_network and 08_cat_classifier (hidden tests only).

This module is also the single source of the building blocks the 08 notebook needs (those graded
in 07): they reach 08's students as a read-only code cell of the 08 notebook (grade id
``building_blocks``), which :func:`export_blocks` generates from the functions named in
:data:`BLOCKS` (``python scripts/export_blocks.py`` writes it into the source notebook; the test
suite fails when the notebook's cell differs). Released with 08, the cell reaches no student
before 08. The 08 trainers (:data:`TRAINERS`) are graded in 08 and are never exported.

Notation (examples are columns): ``X`` is (n_x, m), ``W{l}`` is (n[l], n[l-1]), ``b{l}`` is
(n[l], 1), ``Z{l}`` and ``A{l}`` are (n[l], m), ``AL`` and ``Y`` are (1, m). Layers 1..L-1 use ReLU,
layer L a sigmoid. A layer's cache is ``((A_prev, W, b), Z)``.

Speed: the trainers do the least work per iteration that training needs. Nothing computes dA0
(the gradient with respect to the input X is never used, and it would cost one more product as
large as ``W1 @ X``), and ``update_parameters`` updates the arrays in place.
"""

from __future__ import annotations

import inspect

import numpy as np

#: Functions exported to the 08 notebook's building-block cell (graded in 07, or given there).
BLOCKS = (
    "sigmoid",
    "relu",
    "sigmoid_backward",
    "relu_backward",
    "initialize_parameters",
    "initialize_parameters_deep",
    "linear_forward",
    "linear_activation_forward",
    "L_model_forward",
    "compute_cost",
    "linear_backward",
    "linear_activation_backward",
    "L_model_backward",
    "update_parameters",
)

#: Functions graded in 08: never exported.
TRAINERS = ("two_layer_model", "L_layer_model", "predict")

#: Published figures of the cat classifier (2500 iterations, learning rate 0.0075).
PUBLISHED = {
    "two_layer": {"layers_dims": (12288, 7, 1), "cost0": 0.693049735659989,
                  "train_accuracy": 1.0, "test_accuracy": 0.72},
    "four_layer": {"layers_dims": (12288, 20, 7, 5, 1), "cost0": 0.7717493284237686,
                   "train_accuracy": 0.9856, "test_accuracy": 0.80},
}


# --- Activations (given in 07: students wrote them in 03 and 04) -------------------------------

def sigmoid(Z):
    """Elementwise logistic function.

    Arguments:
    Z -- numpy array of any shape

    Returns:
    A -- 1 / (1 + exp(-Z)), same shape as Z, computed without overflow (notebook 03):
         exp only ever sees -|Z|
    """
    t = np.exp(-np.abs(Z))
    return np.where(Z >= 0, 1.0 / (1.0 + t), t / (1.0 + t))


def relu(Z):
    """Elementwise rectified linear unit.

    Arguments:
    Z -- numpy array of any shape

    Returns:
    A -- max(Z, 0), same shape as Z
    """
    return np.maximum(Z, 0.0)


def sigmoid_backward(dA, Z):
    """Backward step of a sigmoid: dZ = dA * s * (1 - s) with s = sigmoid(Z).

    Arguments:
    dA -- gradient with respect to the activation A, shape (n, m)
    Z -- the activation cache (the Z the forward step kept), shape (n, m)

    Returns:
    dZ -- gradient with respect to Z, shape (n, m)
    """
    s = sigmoid(Z)
    return dA * s * (1.0 - s)


def relu_backward(dA, Z):
    """Backward step of a ReLU: dZ = dA where Z > 0, 0 elsewhere.

    Arguments:
    dA -- gradient with respect to the activation A, shape (n, m)
    Z -- the activation cache (the Z the forward step kept), shape (n, m)

    Returns:
    dZ -- gradient with respect to Z, shape (n, m)
    """
    return np.where(Z > 0, dA, 0.0)


# --- Initialisation --------------------------------------------------------------------------

def initialize_parameters(n_x, n_h, n_y, rng=None):
    """Parameters of a 2-layer network: small random weights (x 0.01), zero biases.

    Arguments:
    n_x, n_h, n_y -- ints, sizes of the input, hidden and output layers
    rng -- np.random.RandomState or np.random.Generator to draw from; None means a new
           RandomState(1) (the draws that reproduce the course's published figures). The
           global generator is never used.

    Returns:
    parameters -- dict: "W1" (n_h, n_x), "b1" (n_h, 1), "W2" (n_y, n_h), "b2" (n_y, 1).
                  W1 is drawn first, then W2, with rng.standard_normal, each times 0.01.
    """
    if rng is None:
        rng = np.random.RandomState(1)
    W1 = rng.standard_normal((n_h, n_x)) * 0.01
    W2 = rng.standard_normal((n_y, n_h)) * 0.01
    return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}


def initialize_parameters_deep(layer_dims, rng=None):
    """Parameters of an L-layer network: W[l] = standard normal (n[l], n[l-1]) / sqrt(n[l-1]), b[l] = 0.

    Arguments:
    layer_dims -- list [n0, n1, ..., nL] of layer sizes (n0 = n_x)
    rng -- np.random.RandomState or np.random.Generator to draw from; None means a new
           RandomState(1). The weights are drawn layer by layer, W1 first, with
           rng.standard_normal. The global generator is never used.

    Returns:
    parameters -- dict: "W{l}" (n[l], n[l-1]) and "b{l}" (n[l], 1) for l = 1..L.
    """
    if rng is None:
        rng = np.random.RandomState(1)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = rng.standard_normal((layer_dims[l], layer_dims[l - 1])) / np.sqrt(layer_dims[l - 1])
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters


# --- Forward ---------------------------------------------------------------------------------

def linear_forward(A, W, b):
    """The linear part of a layer: Z = W A + b, for all examples at once.

    Arguments:
    A -- activations entering the layer, shape (n[l-1], m)
    W -- weights, shape (n[l], n[l-1])
    b -- biases, shape (n[l], 1)

    Returns:
    Z -- shape (n[l], m)
    cache -- the tuple (A, W, b) of the inputs themselves (no copies), for the backward step
    """
    Z = W @ A
    Z += b
    return Z, (A, W, b)


def linear_activation_forward(A_prev, W, b, activation):
    """One layer: LINEAR (Z = W A_prev + b) then ACTIVATION (A = g(Z)).

    Arguments:
    A_prev -- activations of the previous layer, shape (n[l-1], m)
    W -- weights, shape (n[l], n[l-1])
    b -- biases, shape (n[l], 1)
    activation -- "relu" or "sigmoid"

    Returns:
    A -- g(Z), shape (n[l], m)
    cache -- (linear_cache, activation_cache): linear_cache = (A_prev, W, b),
             activation_cache = Z, shape (n[l], m)
    """
    Z, linear_cache = linear_forward(A_prev, W, b)
    if activation == "relu":
        A = relu(Z)
    elif activation == "sigmoid":
        A = sigmoid(Z)
    else:
        raise ValueError(f'activation must be "relu" or "sigmoid", not {activation!r}')
    return A, (linear_cache, Z)


def L_model_forward(X, parameters):
    """Forward pass of [LINEAR -> RELU] x (L-1) -> LINEAR -> SIGMOID.

    Arguments:
    X -- inputs, shape (n_x, m)
    parameters -- dict "W1", "b1", ..., "WL", "bL" (L = len(parameters) // 2)

    Returns:
    AL -- output of the last layer (probabilities), shape (1, m)
    caches -- list of the L caches of linear_activation_forward; caches[l - 1] is the cache
              ((A_prev, W, b), Z) of layer l
    """
    L = len(parameters) // 2
    caches = []
    A = X
    for l in range(1, L + 1):
        activation = "sigmoid" if l == L else "relu"
        A, cache = linear_activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)], activation)
        caches.append(cache)
    return A, caches


def compute_cost(AL, Y):
    """Cross-entropy cost of the predictions AL for the labels Y.

    Arguments:
    AL -- predicted probabilities, shape (1, m), entries strictly between 0 and 1
    Y -- true labels 0 or 1, shape (1, m)

    Returns:
    cost -- J = -(1/m) * sum(Y log(AL) + (1 - Y) log(1 - AL)), a Python float
    """
    m = Y.shape[1]
    total = np.dot(Y, np.log(AL).T) + np.dot(1 - Y, np.log(1 - AL).T)
    cost = -(1.0 / m) * total
    return float(np.squeeze(cost))


# --- Backward --------------------------------------------------------------------------------

def linear_backward(dZ, cache, need_dA_prev=True):
    """Backward step of the linear part Z = W A_prev + b of one layer.

    Arguments:
    dZ -- gradient with respect to Z (one column per example), shape (n[l], m)
    cache -- the tuple (A_prev, W, b) that linear_forward returned
    need_dA_prev -- False for layer 1: then dA_prev (that is dA0) is not computed and W is not read

    Returns:
    dA_prev -- W^T dZ, shape (n[l-1], m); None when need_dA_prev is False
    dW -- (1/m) dZ A_prev^T, shape (n[l], n[l-1])
    db -- (1/m) times the sum of the columns of dZ, shape (n[l], 1)
    """
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = (dZ / m) @ A_prev.T
    db = np.sum(dZ, axis=1, keepdims=True) / m
    dA_prev = W.T @ dZ if need_dA_prev else None
    return dA_prev, dW, db


def linear_activation_backward(dA, cache, activation, need_dA_prev=True):
    """Backward step of one LINEAR -> ACTIVATION layer: dZ = dA * g'(Z), then linear_backward.

    Arguments:
    dA -- gradient with respect to the layer's output A, shape (n[l], m)
    cache -- (linear_cache, activation_cache) from linear_activation_forward
    activation -- "relu" or "sigmoid", as in the forward step
    need_dA_prev -- passed on to linear_backward (False for layer 1)

    Returns:
    dA_prev -- shape (n[l-1], m), or None when need_dA_prev is False
    dW -- shape (n[l], n[l-1])
    db -- shape (n[l], 1)
    """
    linear_cache, Z = cache
    if activation == "relu":
        dZ = relu_backward(dA, Z)
    elif activation == "sigmoid":
        dZ = sigmoid_backward(dA, Z)
    else:
        raise ValueError(f'activation must be "relu" or "sigmoid", not {activation!r}')
    return linear_backward(dZ, linear_cache, need_dA_prev)


def L_model_backward(AL, Y, caches):
    """Backward pass of [LINEAR -> RELU] x (L-1) -> LINEAR -> SIGMOID.

    Arguments:
    AL -- output of L_model_forward, shape (1, m)
    Y -- true labels 0 or 1, shape (1, m)
    caches -- the list of L caches from L_model_forward; caches[l - 1] belongs to layer l

    Returns:
    grads -- dict: "dW" + str(l), shape (n[l], n[l-1]), and "db" + str(l), shape (n[l], 1),
             for l = 1, ..., L; "dA" + str(l), shape (n[l], m), for l = 1, ..., L-1.
             There is no "dA0": the gradient with respect to the input X is never used for
             training, so layer 1 runs with need_dA_prev=False and never reads W1.
    """
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    dA = -(Y / AL - (1 - Y) / (1 - AL))
    for l in range(L, 0, -1):
        activation = "sigmoid" if l == L else "relu"
        dA_prev, dW, db = linear_activation_backward(dA, caches[l - 1], activation, need_dA_prev=l > 1)
        grads["dW" + str(l)] = dW
        grads["db" + str(l)] = db
        if l > 1:
            grads["dA" + str(l - 1)] = dA_prev
        dA = dA_prev
    return grads


def update_parameters(params, grads, learning_rate):
    """One step of gradient descent on every layer.

    Arguments:
    params -- dict "W1", "b1", ..., "WL", "bL"
    grads -- dict with "dW1", "db1", ..., "dWL", "dbL" (shapes of W and b)
    learning_rate -- float, the step size

    Returns:
    parameters -- the same dict, each W[l] -= learning_rate * dW[l] and
                  b[l] -= learning_rate * db[l] done in place (no copies: fast)
    """
    L = len(params) // 2
    for l in range(1, L + 1):
        params["W" + str(l)] -= learning_rate * grads["dW" + str(l)]
        params["b" + str(l)] -= learning_rate * grads["db" + str(l)]
    return params


# --- 08: the trainers (graded in 08, never exported) -----------------------------------------

def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
    """Train LINEAR -> RELU -> LINEAR -> SIGMOID by gradient descent.

    X -- (n_x, m); Y -- (1, m); layers_dims -- (n_x, n_h, n_y).
    Parameters start from initialize_parameters(n_x, n_h, n_y) (RandomState(1), x 0.01).
    Returns (parameters, costs): the trained dict; costs -- the cost at iterations 0, 100, 200, ...
    (before that iteration's update), a list of floats.
    """
    n_x, n_h, n_y = layers_dims
    parameters = initialize_parameters(n_x, n_h, n_y)
    costs = []
    for i in range(num_iterations):
        A1, cache1 = linear_activation_forward(X, parameters["W1"], parameters["b1"], "relu")
        A2, cache2 = linear_activation_forward(A1, parameters["W2"], parameters["b2"], "sigmoid")
        cost = compute_cost(A2, Y)
        dA2 = -(Y / A2 - (1 - Y) / (1 - A2))
        dA1, dW2, db2 = linear_activation_backward(dA2, cache2, "sigmoid")
        _, dW1, db1 = linear_activation_backward(dA1, cache1, "relu", need_dA_prev=False)
        grads = {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
        parameters = update_parameters(parameters, grads, learning_rate)
        if i % 100 == 0:
            costs.append(cost)
            if print_cost:
                print(f"Cost after iteration {i}: {cost}")
    return parameters, costs


def L_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
    """Train [LINEAR -> RELU] x (L-1) -> LINEAR -> SIGMOID by gradient descent.

    X -- (n_x, m); Y -- (1, m); layers_dims -- [n_x, n1, ..., nL].
    Parameters start from initialize_parameters_deep(layers_dims) (RandomState(1), / sqrt(n[l-1])).
    Returns (parameters, costs) as two_layer_model does.
    """
    parameters = initialize_parameters_deep(layers_dims)
    costs = []
    for i in range(num_iterations):
        AL, caches = L_model_forward(X, parameters)
        cost = compute_cost(AL, Y)
        grads = L_model_backward(AL, Y, caches)
        parameters = update_parameters(parameters, grads, learning_rate)
        if i % 100 == 0:
            costs.append(cost)
            if print_cost:
                print(f"Cost after iteration {i}: {cost}")
    return parameters, costs


def predict(X, y, parameters):
    """Predictions of a trained model: 1 where AL > 0.5, else 0.

    X -- (n_x, m); y -- (1, m) labels (the student's version prints the accuracy from them);
    parameters -- as L_model_forward takes them (a 2-layer model's work too).
    Returns p -- (1, m) int array of 0/1.
    """
    AL, _ = L_model_forward(X, parameters)
    return (AL > 0.5).astype(int)


def accuracy(p, y) -> float:
    """Fraction of predictions equal to the labels. p, y -- (1, m)."""
    return float(np.mean(p == y))


# --- Numerical gradients (the whole-network gradient check) ----------------------------------

def _centred_differences(cost_of, array, epsilon):
    """d cost_of() / d array by centred differences, perturbing ``array`` in place (restored)."""
    grad = np.zeros(array.shape)
    for index in np.ndindex(array.shape):
        saved = array[index]
        array[index] = saved + epsilon
        plus = cost_of()
        array[index] = saved - epsilon
        minus = cost_of()
        array[index] = saved
        grad[index] = (plus - minus) / (2 * epsilon)
    return grad


def numerical_gradients(X, Y, parameters, epsilon=1e-5):
    """Centred-difference gradients of the cost compute_cost(L_model_forward(X, parameters)[0], Y).

    X -- (n_x, m); Y -- (1, m); parameters -- dict "W1", "b1", ..., "WL", "bL" (left as it was).
    Returns a dict with the keys L_model_backward returns, in the order backpropagation
    computes them (dW{L}, db{L}, dA{L-1}, dW{L-1}, ..., dW1, db1). dA{l} is m times the gradient
    of the cost with respect to A{l} (seen as the input of layers l+1..L, a network of its own):
    backpropagation's dA holds the derivative of each example's loss, the 1/m of the cost
    enters in dW and db only.
    """
    L = len(parameters) // 2
    _, caches = L_model_forward(X, parameters)
    grads = {}
    for l in range(L, 0, -1):
        for name in ("W", "b"):
            grads["d" + name + str(l)] = _centred_differences(
                lambda: compute_cost(L_model_forward(X, parameters)[0], Y), parameters[name + str(l)], epsilon)
        if l > 1:
            A = np.array(caches[l - 1][0][0], dtype=float)      # A{l-1}, the input of layer l
            tail = {}
            for k in range(l, L + 1):
                tail["W" + str(k - l + 1)] = parameters["W" + str(k)]
                tail["b" + str(k - l + 1)] = parameters["b" + str(k)]
            # dA holds each example's own loss derivative: m times dJ/dA (J averages the losses).
            grads["dA" + str(l - 1)] = X.shape[1] * _centred_differences(
                lambda: compute_cost(L_model_forward(A, tail)[0], Y), A, epsilon)
    return grads


# --- The generated building-block cell of 08 ------------------------------------------------

#: grade_id of the read-only (locked, not graded) cell of the 08 notebook that holds the blocks.
BLOCKS_CELL_ID = "building_blocks"

_HEADER = """\
# The building blocks of an L-layer network, from 07_deep_network, as the course wrote them.
# Run this cell, then call them by name, for example L_model_forward(X, parameters).
# This cell is read-only and generated: the course's scripts/export_blocks.py writes it from the
# single reference source (helpers/reference/deep_network.py in the course repository).
#
# Notation (examples are columns): X is (n_x, m), W{l} is (n[l], n[l-1]), b{l} is (n[l], 1),
# Z{l} and A{l} are (n[l], m), AL and Y are (1, m). Layers 1..L-1 use ReLU, layer L a sigmoid.
# A layer's cache is ((A_prev, W, b), Z). Backpropagation never computes dA0.
import numpy as np
"""


def export_blocks() -> str:
    """The source of the 08 notebook's read-only cell ``building_blocks``: the functions of
    :data:`BLOCKS`, verbatim, under a comment header (no trailing newline, as notebooks store it)."""
    module = globals()
    parts = [_HEADER]
    for name in BLOCKS:
        parts.append("\n\n" + inspect.getsource(module[name]))
    return "".join(parts).rstrip("\n")
