"""Corpus of 07_deep_network for tests/test_exercises_corpus.py: variants of the graded functions.

Each entry: (variant id, "correct" or "mistake", {solution cell id: code}, what it is). Correct
alternatives must pass the visible check and keep every point; mistakes must fail visibly and
lose the exercise's points, and no other cell may lose any. A correct variant may replace several
functions at once; a mistake replaces one function only. linear_activation_forward,
L_model_forward, linear_activation_backward and L_model_backward are graded (hidden tests,
re-check and, when graded, their visible cases) with the reference's linear_forward,
linear_activation_forward, linear_backward and linear_activation_backward (Exercise(uses=,
graded_with_reference=True)), so a mistake costs only its own cell.
"""


def _f(name, args, body):
    return {name: f"def {name}({args}):\n" + "".join(f"    {line}\n" for line in body.splitlines())}


INIT, LF, LAF, LMF, COST, LB, LAB, LMB, UPD = (
    "initialize_parameters_deep", "linear_forward", "linear_activation_forward", "L_model_forward",
    "compute_cost", "linear_backward", "linear_activation_backward", "L_model_backward", "update_parameters")

_INIT_HEAD = "if rng is None:\n    rng = np.random.RandomState(1)\nparameters = {}\n"

_LMB_DLAI = (
    "grads = {}\nL = len(caches)\nY = Y.reshape(AL.shape)\n"
    "dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))\n"
    "current_cache = caches[L - 1]\n"
    "dA_prev_temp, dW_temp, db_temp = linear_activation_backward(dAL, current_cache, 'sigmoid')\n"
    "grads['dA' + str(L - 1)] = dA_prev_temp\ngrads['dW' + str(L)] = dW_temp\ngrads['db' + str(L)] = db_temp\n"
    "for l in reversed(range(L - 1)):\n"
    "    current_cache = caches[l]\n"
    "    dA_prev_temp, dW_temp, db_temp = linear_activation_backward(grads['dA' + str(l + 1)], current_cache, 'relu')\n"
    "    grads['dA' + str(l)] = dA_prev_temp\n"
    "    grads['dW' + str(l + 1)] = dW_temp\n"
    "    grads['db' + str(l + 1)] = db_temp\n"
    "return grads")

CORPUS = [
    # --- correct alternatives ------------------------------------------------------------------
    ("c_matmul_float64_inplace", "correct", {
        **_f(INIT, "layer_dims, rng=None",
             _INIT_HEAD + "for l in range(1, len(layer_dims)):\n"
             "    parameters['W' + str(l)] = rng.standard_normal((layer_dims[l], layer_dims[l - 1])) * layer_dims[l - 1] ** -0.5\n"
             "    parameters['b' + str(l)] = np.zeros((layer_dims[l], 1))\nreturn parameters"),
        **_f(LF, "A, W, b", "Z = W @ A + b\nreturn Z, (A, W, b)"),
        **_f(LAF, "A_prev, W, b, activation",
             "Z, linear_cache = linear_forward(A_prev, W, b)\n"
             "A = {'relu': relu, 'sigmoid': sigmoid}[activation](Z)\nreturn A, (linear_cache, Z)"),
        **_f(COST, "AL, Y", "m = Y.shape[1]\nreturn np.float64(-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m)"),
        **_f(LB, "dZ, cache, need_dA_prev=True",
             "A_prev, W, b = cache\nm = A_prev.shape[1]\n"
             "dW = np.matmul(dZ, A_prev.T) / m\ndb = dZ.mean(axis=1, keepdims=True)\n"
             "dA_prev = W.T @ dZ if need_dA_prev else None\nreturn dA_prev, dW, db"),
        **_f(UPD, "params, grads, learning_rate",
             "L = len(params) // 2\nfor l in range(1, L + 1):\n"
             "    params['W' + str(l)] -= learning_rate * grads['dW' + str(l)]\n"
             "    params['b' + str(l)] -= learning_rate * grads['db' + str(l)]\nreturn params"),
    }, "rng.standard_normal and n ** -0.5; W @ A; a dict of activations; np.float64 cost of np.sum; "
       "np.matmul and mean(axis=1); in-place update"),
    ("c_dA0_stored_dlai", "correct", {**_f(LMB, "AL, Y, caches", _LMB_DLAI)},
     "DLAI's L_model_backward: computes and stores dA0 (also for L = 1)"),
    ("c_0d_cost_dz_direct", "correct", {
        **_f(COST, "AL, Y", "m = Y.shape[1]\nreturn np.squeeze(-(Y @ np.log(AL).T + (1 - Y) @ np.log(1 - AL).T) / m)"),
        **_f(LMF, "X, parameters",
             "caches = []\nA = X\nL = len(parameters) // 2\n"
             "for l in range(1, L + 1):\n"
             "    A, cache = linear_activation_forward(A, parameters[f'W{l}'], parameters[f'b{l}'], 'sigmoid' if l == L else 'relu')\n"
             "    caches.append(cache)\nreturn A, caches"),
        **_f(LAB, "dA, cache, activation, need_dA_prev=True",
             "linear_cache, Z = cache\n"
             "if activation == 'relu':\n    dZ = dA * (Z > 0)\n"
             "else:\n    s = 1 / (1 + np.exp(-Z))\n    dZ = dA * s * (1 - s)\n"
             "return linear_backward(dZ, linear_cache, need_dA_prev=need_dA_prev)"),
        **_f(LMB, "AL, Y, caches",
             "grads = {}\nL = len(caches)\nY = Y.reshape(AL.shape)\n"
             "dZ = AL - Y\n"
             "for l in range(L, 0, -1):\n"
             "    (A_prev, W, b), Z = caches[l - 1]\n"
             "    if l < L:\n        dZ = dZ * (Z > 0)\n"
             "    m = A_prev.shape[1]\n"
             "    grads[f'dW{l}'] = np.dot(dZ, A_prev.T) / m\n"
             "    grads[f'db{l}'] = np.sum(dZ, axis=1, keepdims=True) / m\n"
             "    if l > 1:\n        grads[f'dA{l - 1}'] = np.dot(W.T, dZ)\n        dZ = grads[f'dA{l - 1}']\n"
             "return grads"),
        **_f(UPD, "params, grads, learning_rate",
             "return {k: v - learning_rate * grads['d' + k] for k, v in params.items()}"),
    }, "a 0-d array cost; one loop with the sigmoid chosen by l; dZ by a 0/1 mask; backward written out "
       "with dZ = AL - Y (no helper calls); a new dict"),
    # --- the reported problems -------------------------------------------------------------------
    ("m_init_global_seed", "mistake", _f(INIT, "layer_dims, rng=None",
        "np.random.seed(1)\nparameters = {}\nfor l in range(1, len(layer_dims)):\n"
        "    parameters['W' + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) / np.sqrt(layer_dims[l - 1])\n"
        "    parameters['b' + str(l)] = np.zeros((layer_dims[l], 1))\nreturn parameters"),
     "seeds numpy's global generator and draws with np.random.randn (ignores rng)"),
    ("m_cost_without_mean", "mistake", _f(COST, "AL, Y",
        "return float(-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)))"),
     "forgets 1/m (costs compute_cost only: L_model_backward's check runs no cost of the student's)"),
    ("m_lmb_extra_key", "mistake", _f(LMB, "AL, Y, caches",
        "grads = {}\nL = len(caches)\nY = Y.reshape(AL.shape)\n"
        "dA = -(Y / AL - (1 - Y) / (1 - AL))\n"
        "grads['dA' + str(L)] = dA\n"
        "for l in range(L, 0, -1):\n"
        "    dA_prev, dW, db = linear_activation_backward(dA, caches[l - 1], 'sigmoid' if l == L else 'relu', need_dA_prev=l > 1)\n"
        "    grads['dW' + str(l)], grads['db' + str(l)] = dW, db\n"
        "    if l > 1:\n        grads['dA' + str(l - 1)] = dA_prev\n"
        "    dA = dA_prev\nreturn grads"),
     "stores dAL as grads['dA' + str(L)] (a key the docstring does not list)"),
    ("m_lmb_wrong_dA0", "mistake", _f(LMB, "AL, Y, caches",
        _LMB_DLAI.replace("return grads", "grads['dA0'] = np.zeros_like(grads['dA0'])\nreturn grads")),
     "stores a dA0 that is not the gradient (zeros)"),
    # --- typical mistakes, one function each ------------------------------------------------------
    ("m_init_sqrt_this_layer", "mistake", _f(INIT, "layer_dims, rng=None",
        _INIT_HEAD + "for l in range(1, len(layer_dims)):\n"
        "    parameters['W' + str(l)] = rng.randn(layer_dims[l], layer_dims[l - 1]) / np.sqrt(layer_dims[l])\n"
        "    parameters['b' + str(l)] = np.zeros((layer_dims[l], 1))\nreturn parameters"),
     "divides by sqrt(n[l]) instead of sqrt(n[l-1])"),
    ("m_init_own_generator", "mistake", _f(INIT, "layer_dims, rng=None",
        "rng = np.random.RandomState(1)\nparameters = {}\nfor l in range(1, len(layer_dims)):\n"
        "    parameters['W' + str(l)] = rng.randn(layer_dims[l], layer_dims[l - 1]) / np.sqrt(layer_dims[l - 1])\n"
        "    parameters['b' + str(l)] = np.zeros((layer_dims[l], 1))\nreturn parameters"),
     "always draws from a RandomState(1) of its own, ignoring rng"),
    ("m_lf_no_bias", "mistake", _f(LF, "A, W, b", "return np.dot(W, A), (A, W, b)"), "forgets b"),
    ("m_lf_hard_coded", "mistake", _f(LF, "A, W, b",
        "return np.array([[2.0, 4.0], [4.0, 7.0]]), (A, W, b)"), "the visible example's Z hard-coded"),
    ("m_laf_swapped", "mistake", _f(LAF, "A_prev, W, b, activation",
        "Z, linear_cache = linear_forward(A_prev, W, b)\n"
        "A = sigmoid(Z) if activation == 'relu' else relu(Z)\nreturn A, (linear_cache, Z)"),
     "relu and sigmoid swapped"),
    ("m_laf_cache_A", "mistake", _f(LAF, "A_prev, W, b, activation",
        "Z, linear_cache = linear_forward(A_prev, W, b)\n"
        "A = relu(Z) if activation == 'relu' else sigmoid(Z)\nreturn A, (linear_cache, A)"),
     "keeps A instead of Z as the activation cache"),
    ("m_lmf_all_relu", "mistake", _f(LMF, "X, parameters",
        "caches = []\nA = X\nL = len(parameters) // 2\n"
        "for l in range(1, L + 1):\n"
        "    A, cache = linear_activation_forward(A, parameters['W' + str(l)], parameters['b' + str(l)], 'relu')\n"
        "    caches.append(cache)\nreturn A, caches"),
     "relu on the output layer too"),
    ("m_lmf_global_X", "mistake", _f(LMF, "X, parameters",
        "caches = []\nA = X_check\nL = len(parameters) // 2\n"
        "for l in range(1, L):\n"
        "    A, cache = linear_activation_forward(A, parameters['W' + str(l)], parameters['b' + str(l)], 'relu')\n"
        "    caches.append(cache)\n"
        "AL, cache = linear_activation_forward(A, parameters['W' + str(L)], parameters['b' + str(L)], 'sigmoid')\n"
        "caches.append(cache)\nreturn AL, caches"),
     "starts from the notebook's X_check instead of X"),
    ("m_cost_sign", "mistake", _f(COST, "AL, Y",
        "m = Y.shape[1]\nreturn float(np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m)"),
     "the sign of the cost"),
    ("m_lb_transposed_dW", "mistake", _f(LB, "dZ, cache, need_dA_prev=True",
        "A_prev, W, b = cache\nm = A_prev.shape[1]\n"
        "dW = np.dot(A_prev, dZ.T) / m\ndb = np.sum(dZ, axis=1, keepdims=True) / m\n"
        "dA_prev = np.dot(W.T, dZ) if need_dA_prev else None\nreturn dA_prev, dW, db"),
     "dW = A_prev dZ^T / m (transposed)"),
    ("m_lb_db_no_mean", "mistake", _f(LB, "dZ, cache, need_dA_prev=True",
        "A_prev, W, b = cache\nm = A_prev.shape[1]\n"
        "dW = np.dot(dZ, A_prev.T) / m\ndb = np.sum(dZ, axis=1, keepdims=True)\n"
        "dA_prev = np.dot(W.T, dZ) if need_dA_prev else None\nreturn dA_prev, dW, db"),
     "db without 1/m"),
    ("m_lb_always_dA_prev", "mistake", _f(LB, "dZ, cache, need_dA_prev=True",
        "A_prev, W, b = cache\nm = A_prev.shape[1]\n"
        "dW = np.dot(dZ, A_prev.T) / m\ndb = np.sum(dZ, axis=1, keepdims=True) / m\n"
        "dA_prev = np.dot(W.T, dZ)\nreturn dA_prev, dW, db"),
     "ignores need_dA_prev (computes dA_prev from W, which is None for layer 1)"),
    ("m_lab_no_relu_derivative", "mistake", _f(LAB, "dA, cache, activation, need_dA_prev=True",
        "linear_cache, Z = cache\n"
        "dZ = sigmoid_backward(dA, Z) if activation == 'sigmoid' else dA\n"
        "return linear_backward(dZ, linear_cache, need_dA_prev)"),
     "passes dA through a ReLU unchanged"),
    ("m_lab_flag_dropped", "mistake", _f(LAB, "dA, cache, activation, need_dA_prev=True",
        "linear_cache, Z = cache\n"
        "dZ = relu_backward(dA, Z) if activation == 'relu' else sigmoid_backward(dA, Z)\n"
        "return linear_backward(dZ, linear_cache)"),
     "does not pass need_dA_prev on"),
    ("m_lmb_all_relu", "mistake", _f(LMB, "AL, Y, caches",
        "grads = {}\nL = len(caches)\nY = Y.reshape(AL.shape)\n"
        "dA = -(Y / AL - (1 - Y) / (1 - AL))\n"
        "for l in range(L, 0, -1):\n"
        "    dA_prev, dW, db = linear_activation_backward(dA, caches[l - 1], 'relu', need_dA_prev=l > 1)\n"
        "    grads['dW' + str(l)], grads['db' + str(l)] = dW, db\n"
        "    if l > 1:\n        grads['dA' + str(l - 1)] = dA_prev\n"
        "    dA = dA_prev\nreturn grads"),
     "the output layer's backward step with relu"),
    ("m_upd_plus", "mistake", _f(UPD, "params, grads, learning_rate",
        "return {k: v + learning_rate * grads['d' + k] for k, v in params.items()}"),
     "adds the gradient"),
    ("m_upd_fixed_rate", "mistake", _f(UPD, "params, grads, learning_rate",
        "return {k: v - 0.1 * grads['d' + k] for k, v in params.items()}"),
     "learning rate 0.1 hard-coded (the visible example's)"),
]

# Concept questions: the right answer written another way, and a wrong one.
CORPUS += [
    ('c_q_cache_contents_other_form', 'correct', {'q_cache_contents': 'q_cache_contents = "B"\n'},
     'the right letter in upper case'),
    ('m_q_cache_contents_wrong', 'mistake', {'q_cache_contents': 'q_cache_contents = "a"\n'},
     "A[l] instead of A[l-1]: the layer's output, not its input"),
    ('c_q_da1_shape_other_form', 'correct', {'q_da1_shape': 'q_da1_shape = "A "\n'},
     'the right letter in upper case, with a space'),
    ('m_q_da1_shape_wrong', 'mistake', {'q_da1_shape': 'q_da1_shape = "d"\n'},
     'the shape of W1, not of A1'),
    ('c_q_parameter_count_other_form', 'correct', {'q_parameter_count': 'q_parameter_count = 47.0\n'},
     '47 written as a float'),
    ('m_q_parameter_count_wrong', 'mistake', {'q_parameter_count': 'q_parameter_count = 38\n'},
     'the weights only, without the 9 biases'),
]
