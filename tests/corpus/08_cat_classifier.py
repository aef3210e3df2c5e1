"""Corpus of 08_cat_classifier for tests/test_exercises_corpus.py: variants of the graded functions.

Each entry: (variant id, "correct" or "mistake", {solution cell id: code}, what it is). Correct
alternatives must pass the visible check and keep every point; mistakes must fail visibly and
lose the exercise's points. A correct variant may replace several functions at once (the trainers
run 101 iterations on the cat photos in every visible check, so the correct forms are grouped);
a mistake replaces one function only.
"""

_TWO_HEAD = (
    "def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):\n"
    "    n_x, n_h, n_y = layers_dims\n"
    "    parameters = initialize_parameters(n_x, n_h, n_y)\n"
    "    costs = []\n"
    "    for i in range(num_iterations):\n"
)
_TWO_STEP = (
    "        A1, cache1 = linear_activation_forward(X, parameters['W1'], parameters['b1'], 'relu')\n"
    "        A2, cache2 = linear_activation_forward(A1, parameters['W2'], parameters['b2'], 'sigmoid')\n"
    "        cost = compute_cost(A2, Y)\n"
    "        dA2 = -(np.divide(Y, A2) - np.divide(1 - Y, 1 - A2))\n"
    "        dA1, dW2, db2 = linear_activation_backward(dA2, cache2, 'sigmoid')\n"
    "        _, dW1, db1 = linear_activation_backward(dA1, cache1, 'relu', need_dA_prev=False)\n"
    "        grads = {'dW1': dW1, 'db1': db1, 'dW2': dW2, 'db2': db2}\n"
)
_TAIL = (
    "        if i % 100 == 0:\n"
    "            costs.append(cost)\n"
    "    return parameters, costs\n"
)


def _two(body, head=_TWO_HEAD, tail=_TAIL):
    return {"two_layer_model": head + body + tail}


_L_HEAD = (
    "def L_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):\n"
    "    parameters = initialize_parameters_deep(layers_dims)\n"
    "    costs = []\n"
    "    for i in range(num_iterations):\n"
)


def _L(body, head=_L_HEAD, tail=_TAIL):
    return {"L_layer_model": head + body + tail}


def _predict(body):
    return {"predict": "def predict(X, y, parameters):\n" + body + "    return p\n"}


CORPUS = [
    # Correct forms, grouped (one variant replaces all three functions).
    ("c_all_ratio_0d_bool", "correct", {
        **_two("        A1, cache1 = linear_activation_forward(X, parameters['W1'], parameters['b1'], 'relu')\n"
               "        A2, cache2 = linear_activation_forward(A1, parameters['W2'], parameters['b2'], 'sigmoid')\n"
               "        cost = np.array(compute_cost(A2, Y))\n"
               "        dA2 = (A2 - Y) / (A2 * (1 - A2))\n"
               "        dA1, dW2, db2 = linear_activation_backward(dA2, cache2, 'sigmoid')\n"
               "        _, dW1, db1 = linear_activation_backward(dA1, cache1, 'relu')\n"
               "        grads = {'dW1': dW1, 'db1': db1, 'dW2': dW2, 'db2': db2}\n"
               "        parameters = update_parameters(parameters, grads, learning_rate)\n"),
        **_L("        AL, caches = L_model_forward(X, parameters)\n"
             "        cost = np.squeeze(np.array(compute_cost(AL, Y)))\n"
             "        grads = L_model_backward(AL, Y, caches)\n"
             "        parameters = update_parameters(parameters, grads, learning_rate)\n"),
        **_predict("    AL, _ = L_model_forward(X, parameters)\n"
                   "    p = AL > 0.5\n"),
     }, "dA2 = (A2 - Y) / (A2 (1 - A2)), dA0 computed and dropped, costs as 0-d arrays, bool predictions"),
    ("c_all_new_dicts_float", "correct", {
        **_two(_TWO_STEP + "        parameters = {k: parameters[k] - learning_rate * grads['d' + k] for k in parameters}\n"),
        **_L("        AL, caches = L_model_forward(X, parameters)\n"
             "        cost = np.float64(compute_cost(AL, Y))\n"
             "        grads = L_model_backward(AL, Y, caches)\n"
             "        parameters = {k: v - learning_rate * grads['d' + k] for k, v in parameters.items()}\n"),
        **_predict("    AL, _ = L_model_forward(X, parameters)\n"
                   "    p = np.where(AL > 0.5, 1.0, 0.0)\n"
                   "    print(f'Accuracy: {100 * np.mean(p == y):.2f} %')\n"),
     }, "the update as a new dict, np.float64 costs, float 0/1 predictions"),
    ("c_all_L_blocks_while_round", "correct", {
        **_two("        AL, caches = L_model_forward(X, parameters)\n"
               "        cost = compute_cost(AL, Y)\n"
               "        parameters = update_parameters(parameters, L_model_backward(AL, Y, caches), learning_rate)\n"),
        "L_layer_model": (
            "def L_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):\n"
            "    parameters = initialize_parameters_deep(list(layers_dims))\n"
            "    costs = []\n"
            "    i = 0\n"
            "    while i < num_iterations:\n"
            "        AL, caches = L_model_forward(X, parameters)\n"
            "        cost = compute_cost(AL, Y)\n"
            "        parameters = update_parameters(parameters, L_model_backward(AL, Y, caches), learning_rate)\n"
            "        if i % 100 == 0:\n"
            "            costs.append(cost)\n"
            "            if print_cost:\n"
            "                print(i, cost)\n"
            "        i += 1\n"
            "    return parameters, costs\n"),
        **_predict("    AL, _ = L_model_forward(X, parameters)\n"
                   "    p = np.zeros((1, X.shape[1]), dtype=int)\n"
                   "    for i in range(X.shape[1]):\n"
                   "        p[0, i] = int(np.round(AL[0, i]))   # round half to even: 0.5 gives 0\n"),
     }, "2-layer through L_model_forward/L_model_backward, a while loop, a loop of np.round"),
    # two_layer_model mistakes
    ("m_two_sigmoid_layer1", "mistake", _two(
        _TWO_STEP.replace("cache1, 'relu', need_dA_prev=False", "cache1, 'sigmoid', need_dA_prev=False")
        + "        parameters = update_parameters(parameters, grads, learning_rate)\n"),
     "layer 1's backward step with 'sigmoid'"),
    ("m_two_globals", "mistake", _two(
        _TWO_STEP.replace("(X, parameters['W1']", "(train_x, parameters['W1']").replace("(A2, Y)", "(A2, train_y)")
        .replace("np.divide(Y, A2) - np.divide(1 - Y", "np.divide(train_y, A2) - np.divide(1 - train_y")
        + "        parameters = update_parameters(parameters, grads, learning_rate)\n"),
     "trains on the notebook's train_x/train_y, not on X, Y"),
    ("m_two_fixed_rate", "mistake", _two(_TWO_STEP + "        parameters = update_parameters(parameters, grads, 0.0075)\n"),
     "ignores learning_rate (always 0.0075)"),
    ("m_two_deep_init", "mistake", _two(
        _TWO_STEP + "        parameters = update_parameters(parameters, grads, learning_rate)\n",
        head=_TWO_HEAD.replace("initialize_parameters(n_x, n_h, n_y)", "initialize_parameters_deep([n_x, n_h, n_y])")),
     "starts from the deep initialisation"),
    ("m_two_every_iteration", "mistake", _two(
        _TWO_STEP + "        parameters = update_parameters(parameters, grads, learning_rate)\n",
        tail="        costs.append(cost)\n    return parameters, costs\n"),
     "records the cost at every iteration"),
    ("m_two_global_seed", "mistake", _two(
        _TWO_STEP + "        parameters = update_parameters(parameters, grads, learning_rate)\n",
        head=_TWO_HEAD.replace("    parameters = initialize_parameters(", "    np.random.seed(1)\n    parameters = initialize_parameters(")),
     "seeds numpy's global generator"),
    ("m_two_hard_coded_dims", "mistake", _two(
        _TWO_STEP + "        parameters = update_parameters(parameters, grads, learning_rate)\n",
        head=_TWO_HEAD.replace("initialize_parameters(n_x, n_h, n_y)", "initialize_parameters(12288, 7, 1)")),
     "the cat photos' sizes hard-coded instead of layers_dims"),
    # L_layer_model mistakes
    ("m_L_hard_coded_dims", "mistake", _L(
        "        AL, caches = L_model_forward(X, parameters)\n"
        "        cost = compute_cost(AL, Y)\n"
        "        parameters = update_parameters(parameters, L_model_backward(AL, Y, caches), learning_rate)\n",
        head=_L_HEAD.replace("initialize_parameters_deep(layers_dims)", "initialize_parameters_deep([12288, 20, 7, 5, 1])")),
     "the 4-layer sizes hard-coded instead of layers_dims"),
    ("m_L_init_001", "mistake", _L(
        "        AL, caches = L_model_forward(X, parameters)\n"
        "        cost = compute_cost(AL, Y)\n"
        "        parameters = update_parameters(parameters, L_model_backward(AL, Y, caches), learning_rate)\n",
        head=_L_HEAD.replace("    parameters = initialize_parameters_deep(layers_dims)\n",
                             "    rng = np.random.RandomState(1)\n    parameters = {}\n"
                             "    for l in range(1, len(layers_dims)):\n"
                             "        parameters['W' + str(l)] = rng.randn(layers_dims[l], layers_dims[l - 1]) * 0.01\n"
                             "        parameters['b' + str(l)] = np.zeros((layers_dims[l], 1))\n")),
     "weights x 0.01 instead of / sqrt(n[l-1])"),
    ("m_L_globals", "mistake", _L(
        "        AL, caches = L_model_forward(train_x, parameters)\n"
        "        cost = compute_cost(AL, train_y)\n"
        "        parameters = update_parameters(parameters, L_model_backward(AL, train_y, caches), learning_rate)\n"),
     "trains on the notebook's train_x/train_y"),
    ("m_L_no_update", "mistake", _L(
        "        AL, caches = L_model_forward(X, parameters)\n"
        "        cost = compute_cost(AL, Y)\n"
        "        grads = L_model_backward(AL, Y, caches)\n"),
     "never updates the parameters"),
    ("m_L_fixed_rate", "mistake", _L(
        "        AL, caches = L_model_forward(X, parameters)\n"
        "        cost = compute_cost(AL, Y)\n"
        "        parameters = update_parameters(parameters, L_model_backward(AL, Y, caches), 0.0075)\n"),
     "ignores learning_rate"),
    ("c_pred_heaviside", "correct", _predict("    AL, _ = L_model_forward(X, parameters)\n"
                                             "    p = np.heaviside(AL - 0.5, 0).astype(np.int64)\n"),
     "np.heaviside(AL - 0.5, 0): 0 at AL = 0.5 exactly"),
    # predict mistakes
    ("m_pred_into_y", "mistake", _predict("    AL, _ = L_model_forward(X, parameters)\n"
                                          "    y[:] = AL > 0.5\n"
                                          "    p = y\n"),
     "writes the predictions into the labels y (modifies its input)"),
    ("m_pred_at_least_half", "mistake", _predict("    AL, _ = L_model_forward(X, parameters)\n"
                                                 "    p = (AL >= 0.5).astype(int)\n"),
     ">= 0.5 where the docstring says > 0.5"),
    ("m_pred_labels", "mistake", _predict("    p = y.copy()\n"), "returns the labels"),
    ("m_pred_probabilities", "mistake", _predict("    p, _ = L_model_forward(X, parameters)\n"),
     "returns the probabilities AL"),
    ("m_pred_rank1", "mistake", _predict("    AL, _ = L_model_forward(X, parameters)\n"
                                         "    p = (AL > 0.5).astype(int).ravel()\n"),
     "a rank-1 (m,) array"),
]

# Concept questions: the right answer written another way, and a wrong one.
CORPUS += [
    ('c_q_number_of_layers_other_form', 'correct', {'q_number_of_layers': 'q_number_of_layers = 4.0\n'},
     '4 written as a float'),
    ('m_q_number_of_layers_wrong', 'mistake', {'q_number_of_layers': 'q_number_of_layers = 5\n'},
     'len(layers_dims): the input layer counted too'),
    ('c_q_train_test_gap_other_form', 'correct', {'q_train_test_gap': 'q_train_test_gap = "B"\n'},
     'the right letter in upper case'),
    ('m_q_train_test_gap_wrong', 'mistake', {'q_train_test_gap': 'q_train_test_gap = "a"\n'},
     'underfitting: but the training score is perfect'),
    ('c_q_universal_approximation_other_form', 'correct', {'q_universal_approximation': 'q_universal_approximation = " A"\n'},
     'the right letter with a space'),
    ('m_q_universal_approximation_wrong', 'mistake', {'q_universal_approximation': 'q_universal_approximation = "b"\n'},
     'the theorem says nothing about gradient descent'),
]
