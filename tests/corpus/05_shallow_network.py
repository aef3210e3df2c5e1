"""Corpus of 05_shallow_network for tests/test_exercises_corpus.py: variants of the graded functions.

Each entry: (variant id, "correct" or "mistake", {solution cell id: code}, what it is). Correct
alternatives must pass the visible check and keep every point; mistakes must fail visibly and
lose the exercise's points. A correct variant may replace several functions at once; a mistake
replaces one function only, and no other cell may lose points for it (nn_model and predict are
graded with the reference's building blocks). A fifth item holds correct functions a mistake needs
beside it (an in-place update_parameters for the nn_model that ignores what it returns: its visible
check gives update_parameters copies, so it fails there as it fails graded).
"""


def _layer_sizes(body):
    return {"layer_sizes": "def layer_sizes(X, Y):\n" + body}


def _init(body):
    return {"initialize_parameters": (
        "def initialize_parameters(n_x, n_h, n_y, rng=None):\n"
        "    if rng is None:\n"
        "        rng = np.random.RandomState(2)\n" + body)}


def _forward(body):
    return {"forward_propagation": (
        "def forward_propagation(X, parameters):\n"
        "    W1, b1 = parameters['W1'], parameters['b1']\n"
        "    W2, b2 = parameters['W2'], parameters['b2']\n" + body
        + "    return A2, {'Z1': Z1, 'A1': A1, 'Z2': Z2, 'A2': A2}\n")}


def _cost(body):
    return {"compute_cost": "def compute_cost(A2, Y):\n    m = Y.shape[1]\n" + body + "    return cost\n"}


_BACKWARD = (
    "    dZ2 = A2 - Y\n"
    "    dW2 = (dZ2 @ A1.T) / m\n"
    "    db2 = np.sum(dZ2, axis=1, keepdims=True) / m\n"
    "    dZ1 = (W2.T @ dZ2) * (1 - A1 ** 2)\n"
    "    dW1 = (dZ1 @ X.T) / m\n"
    "    db1 = np.sum(dZ1, axis=1, keepdims=True) / m\n"
)


def _backward(body):
    return {"backward_propagation": (
        "def backward_propagation(parameters, cache, X, Y):\n"
        "    m = X.shape[1]\n"
        "    W2 = parameters['W2']\n"
        "    A1, A2 = cache['A1'], cache['A2']\n" + body
        + "    return {'dW1': dW1, 'db1': db1, 'dW2': dW2, 'db2': db2}\n")}


def _update(body):
    return {"update_parameters": "def update_parameters(parameters, grads, learning_rate=1.2):\n" + body}


_NN_HEAD = (
    "def nn_model(X, Y, n_h, num_iterations=10000, print_cost=False, learning_rate=1.2, rng=None):\n"
    "    n_x, n_y = X.shape[0], Y.shape[0]\n"
    "    parameters = initialize_parameters(n_x, n_h, n_y, rng=rng)\n"
)
_NN_STEP = (
    "        A2, cache = forward_propagation(X, parameters)\n"
    "        cost = compute_cost(A2, Y)\n"
    "        grads = backward_propagation(parameters, cache, X, Y)\n"
)


def _nn(body, head=_NN_HEAD):
    return {"nn_model": head + body + "    return parameters\n"}


def _predict(body):
    return {"predict": "def predict(parameters, X):\n" + body + "    return predictions\n"}


CORPUS = [
    # --- correct alternatives (grouped) ---------------------------------------------------------
    ("c_all_dot_float64_inplace_bool", "correct", {
        **_layer_sizes("    return np.shape(X)[0], 4, np.shape(Y)[0]\n"),
        **_init("    W1 = rng.normal(0.0, 0.01, size=(n_h, n_x))\n"
                "    W2 = rng.normal(0.0, 0.01, size=(n_y, n_h))\n"
                "    return {'W1': W1, 'b1': np.zeros((n_h, 1)), 'W2': W2, 'b2': np.zeros((n_y, 1))}\n"),
        **_forward("    Z1 = np.dot(W1, X) + b1\n"
                   "    A1 = np.tanh(Z1)\n"
                   "    Z2 = np.dot(W2, A1) + b2\n"
                   "    A2 = 1 / (1 + np.exp(-Z2))\n"),
        **_cost("    cost = -np.mean(Y * np.log(A2) + (1 - Y) * np.log(1 - A2))\n"),
        **_backward("    dZ2 = A2 - Y\n"
                    "    dW2 = np.dot(dZ2, A1.T) / m\n"
                    "    db2 = np.mean(dZ2, axis=1, keepdims=True)\n"
                    "    dZ1 = np.multiply(np.dot(W2.T, dZ2), 1 - np.power(A1, 2))\n"
                    "    dW1 = np.dot(dZ1, X.T) / m\n"
                    "    db1 = np.mean(dZ1, axis=1, keepdims=True)\n"),
        **_update("    for key in ('W1', 'b1', 'W2', 'b2'):\n"
                  "        parameters[key] -= learning_rate * grads['d' + key]\n"
                  "    return parameters\n"),
        **_nn("    i = 0\n"
              "    while i < num_iterations:\n" + _NN_STEP.replace("        ", "        ")
              + "        parameters = update_parameters(parameters, grads, learning_rate=learning_rate)\n"
              "        if print_cost and i % 1000 == 0:\n"
              "            print(f'Cost after iteration {i}: {cost:.6f}')\n"
              "        i += 1\n"),
        **_predict("    A2, _ = forward_propagation(X, parameters)\n"
                   "    predictions = A2 > 0.5\n"),
     }, "np.dot, rng.normal(0, 0.01), np.float64 cost by np.mean, in-place update, a while loop, bool predictions"),
    ("c_all_matmul_0d_newdict_float", "correct", {
        **_init("    W1 = rng.standard_normal(n_h * n_x).reshape(n_h, n_x) * 0.01\n"
                "    W2 = rng.standard_normal(n_y * n_h).reshape(n_y, n_h) * 0.01\n"
                "    return {'W1': W1, 'b1': np.zeros((n_h, 1)), 'W2': W2, 'b2': np.zeros((n_y, 1))}\n"),
        **_forward("    Z1 = np.matmul(W1, X) + b1\n"
                   "    A1 = np.tanh(Z1)\n"
                   "    Z2 = np.matmul(W2, A1) + b2\n"
                   "    A2 = sigmoid(Z2)\n"),
        **_cost("    cost = np.squeeze(-(np.dot(Y, np.log(A2).T) + np.dot(1 - Y, np.log(1 - A2).T)) / m)\n"),
        **_update("    return {key: value - learning_rate * grads['d' + key] for key, value in parameters.items()}\n"),
        **_nn("    for i in range(num_iterations):\n" + _NN_STEP
              + "        parameters = update_parameters(parameters, grads, learning_rate)\n"),
        **_predict("    A2, _ = forward_propagation(X, parameters)\n"
                   "    predictions = np.where(A2 > 0.5, 1.0, 0.0)\n"),
     }, "draws reshaped, np.matmul, a 0-d array cost from np.dot, a new dict by comprehension, float predictions"),
    ("c_cost_where", "correct", _cost(
        "    probabilities = np.where(Y == 1, A2, 1 - A2)\n"
        "    cost = float(-np.sum(np.log(probabilities)) / m)\n"),
     "the cost as the log of the probability of the true class (np.where)"),
    ("c_update_inplace_same_dict", "correct", _update(
        "    parameters['W1'] -= learning_rate * grads['dW1']\n"
        "    parameters['b1'] -= learning_rate * grads['db1']\n"
        "    parameters['W2'] -= learning_rate * grads['dW2']\n"
        "    parameters['b2'] -= learning_rate * grads['db2']\n"
        "    return parameters\n"),
     "update in place (parameters['W1'] -= ...), returning the same dict"),
    # --- layer_sizes ---------------------------------------------------------------------------
    ("m_layer_sizes_hard_coded", "mistake", _layer_sizes("    return 5, 4, 2\n"),
     "the visible example's answer"),
    ("m_layer_sizes_columns", "mistake", _layer_sizes("    return X.shape[1], 4, Y.shape[1]\n"),
     "shape[1] (m) instead of the rows"),
    # --- initialize_parameters ------------------------------------------------------------------
    ("m_init_w2_first", "mistake", _init(
        "    W2 = rng.standard_normal((n_y, n_h)) * 0.01\n"
        "    W1 = rng.standard_normal((n_h, n_x)) * 0.01\n"
        "    return {'W1': W1, 'b1': np.zeros((n_h, 1)), 'W2': W2, 'b2': np.zeros((n_y, 1))}\n"),
     "draws W2 before W1 (the docstring, and the flower figures, draw W1 first)"),
    ("m_init_global_generator", "mistake", _init(
        "    np.random.seed(2)\n"
        "    W1 = np.random.randn(n_h, n_x) * 0.01\n"
        "    W2 = np.random.randn(n_y, n_h) * 0.01\n"
        "    return {'W1': W1, 'b1': np.zeros((n_h, 1)), 'W2': W2, 'b2': np.zeros((n_y, 1))}\n"),
     "numpy's global generator instead of rng"),
    ("m_init_no_scale", "mistake", _init(
        "    W1 = rng.standard_normal((n_h, n_x))\n"
        "    W2 = rng.standard_normal((n_y, n_h))\n"
        "    return {'W1': W1, 'b1': np.zeros((n_h, 1)), 'W2': W2, 'b2': np.zeros((n_y, 1))}\n"),
     "draws not multiplied by 0.01"),
    # --- forward_propagation ---------------------------------------------------------------------
    ("m_forward_sigmoid_hidden", "mistake", _forward(
        "    Z1 = W1 @ X + b1\n"
        "    A1 = sigmoid(Z1)\n"
        "    Z2 = W2 @ A1 + b2\n"
        "    A2 = sigmoid(Z2)\n"),
     "the sigmoid in the hidden layer"),
    ("m_forward_elementwise", "mistake", _forward(
        "    Z1 = np.sum(W1 * X.T, axis=1, keepdims=True) + b1\n"
        "    A1 = np.tanh(Z1)\n"
        "    Z2 = W2 @ A1 + b2\n"
        "    A2 = sigmoid(Z2)\n"),
     "an element-wise product summed over the wrong axis instead of W1 @ X"),
    # --- compute_cost ----------------------------------------------------------------------------
    ("m_cost_y_minus_1", "mistake", _cost(
        "    cost = float(-np.sum(Y * np.log(A2) - (Y - 1) * np.log(1 - A2)) / m)\n"),
     "(Y - 1): right for int64 labels, wraps around on the data's uint8 labels"),
    ("m_cost_no_m", "mistake", _cost("    cost = float(-np.sum(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)))\n"),
     "the sum not divided by m"),
    ("m_cost_global_X", "mistake", {"compute_cost": (
        "def compute_cost(A2, Y):\n"
        "    m = X.shape[1]\n"
        "    return float(-np.sum(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)) / m)\n")},
     "m read from the notebook's global X"),
    # --- backward_propagation --------------------------------------------------------------------
    ("m_backward_sigmoid_slope", "mistake", _backward(_BACKWARD.replace("(1 - A1 ** 2)", "A1 * (1 - A1)")),
     "the sigmoid's slope in the tanh layer"),
    ("m_backward_no_keepdims", "mistake", _backward(_BACKWARD.replace(", keepdims=True", "")),
     "db1, db2 as rank-1 arrays"),
    ("m_backward_transposed", "mistake", _backward(_BACKWARD.replace("(dZ1 @ X.T) / m", "(X @ dZ1.T) / m")),
     "dW1 transposed"),
    ("m_backward_cache_in_place", "mistake", _backward(
        "    dZ2 = A2\n"
        "    dZ2 -= Y\n" + _BACKWARD.split("\n", 1)[1]),
     "dZ2 computed in place in the cache's A2"),
    # --- update_parameters -----------------------------------------------------------------------
    ("m_update_climbs", "mistake", _update(
        "    return {key: parameters[key] + learning_rate * grads['d' + key] for key in parameters}\n"),
     "gradient ascent"),
    ("m_update_in_place_no_return", "mistake", _update(
        "    for key in ('W1', 'b1', 'W2', 'b2'):\n"
        "        parameters[key] -= learning_rate * grads['d' + key]\n"
        "    return None\n"),
     "updates in place but returns nothing"),
    # --- nn_model --------------------------------------------------------------------------------
    ("m_nn_rate_ignored", "mistake", _nn(
        "    for i in range(num_iterations):\n" + _NN_STEP
        + "        parameters = update_parameters(parameters, grads)\n"),
     "always the default rate 1.2, whatever learning_rate says"),
    ("m_nn_one_short", "mistake", _nn(
        "    for i in range(num_iterations - 1):\n" + _NN_STEP
        + "        parameters = update_parameters(parameters, grads, learning_rate)\n"),
     "one iteration short"),
    ("m_nn_rng_ignored", "mistake", _nn(
        "    for i in range(num_iterations):\n" + _NN_STEP
        + "        parameters = update_parameters(parameters, grads, learning_rate)\n",
        head=_NN_HEAD.replace("initialize_parameters(n_x, n_h, n_y, rng=rng)", "initialize_parameters(n_x, n_h, n_y)")),
     "the generator passed in is not passed on"),
    ("m_nn_ignores_update_return", "mistake", _nn(
        "    for i in range(num_iterations):\n" + _NN_STEP
        + "        update_parameters(parameters, grads, learning_rate)\n"),
     "ignores what update_parameters returns, relying on the student's own in-place update (beside it, "
     "correct): the course's returns a new dict",
     _update("    for key in ('W1', 'b1', 'W2', 'b2'):\n"
             "        parameters[key] -= learning_rate * grads['d' + key]\n"
             "    return parameters\n")),
    # --- predict ---------------------------------------------------------------------------------
    ("m_predict_at_least_half", "mistake", _predict(
        "    A2, _ = forward_propagation(X, parameters)\n"
        "    predictions = (A2 >= 0.5).astype(int)\n"),
     ">= 0.5: an output of exactly 0.5 becomes 1"),
    ("m_predict_probabilities", "mistake", _predict(
        "    predictions, _ = forward_propagation(X, parameters)\n"),
     "the probabilities, not classes"),
]

# Concept questions: the right answer written another way, and a wrong one.
CORPUS += [
    ('c_q_dw1_shape_other_form', 'correct', {'q_dw1_shape': 'q_dw1_shape = " B"\n'},
     'the right letter in upper case, with a space'),
    ('m_q_dw1_shape_wrong', 'mistake', {'q_dw1_shape': 'q_dw1_shape = "c"\n'},
     '(4, 400): the shape of Z1, not of W1'),
    ('c_q_hyperparameter_other_form', 'correct', {'q_hyperparameter': 'q_hyperparameter = "C"\n'},
     'the right letter in upper case'),
    ('m_q_hyperparameter_wrong', 'mistake', {'q_hyperparameter': 'q_hyperparameter = "a"\n'},
     'W1 is learnt by gradient descent: a parameter'),
    ('c_q_test_set_other_form', 'correct', {'q_test_set': 'q_test_set = "C "\n'},
     'the right letter in upper case, with a space'),
    ('m_q_test_set_wrong', 'mistake', {'q_test_set': 'q_test_set = "d"\n'},
     'the best of 16 test scores: the test set used to choose'),
]
