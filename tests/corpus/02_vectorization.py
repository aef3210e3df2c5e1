"""Corpus of 02_vectorization for tests/test_exercises_corpus.py: variants of the graded functions.

Each entry: (variant id, "correct" or "mistake", {solution cell id: code}, what it is). Correct
alternatives must pass the visible check and keep every point; mistakes must fail visibly and
lose the exercise's points, and no other cell may lose any. A correct variant may replace several
functions at once; a mistake replaces one function only. propagate, predict, optimize and model
are graded (hidden tests, re-check and, when graded, their visible cases) with the reference's
sigmoid, propagate, initialize_with_zeros, optimize and predict (Exercise(uses=,
graded_with_reference=True)), so a mistake costs only its own cell.
"""


def _f(name, args, body):
    return {name: f"def {name}({args}):\n" + "".join(f"    {line}\n" for line in body.splitlines())}


def _variant(*parts):
    out = {}
    for part in parts:
        out.update(part)
    return out


PROPAGATE_ARGS, PREDICT_ARGS = "w, b, X, Y", "w, b, X"
OPTIMIZE_ARGS = "w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False"
MODEL_ARGS = "X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False"


def _optimize(step, head="w = np.array(w, dtype=float)\nb = float(b)\n"):
    return _f("optimize", OPTIMIZE_ARGS,
              head + "grads = {}\ncosts = []\nfor i in range(num_iterations):\n"
              + "".join(f"    {line}\n" for line in step.splitlines())
              + "    if i % 100 == 0:\n        costs.append(cost)\n"
              "return {'w': w, 'b': b}, grads, costs")


def _model(body):
    return _f("model", MODEL_ARGS, body + "\nreturn {'costs': costs, 'Y_prediction_test': Y_prediction_test, "
              "'Y_prediction_train': Y_prediction_train, 'w': w, 'b': b, 'learning_rate': learning_rate, "
              "'num_iterations': num_iterations}")


MODEL_BODY = ("w, b = initialize_with_zeros(X_train.shape[0])\n"
              "params, grads, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate, print_cost)\n"
              "w, b = params['w'], params['b']\n"
              "Y_prediction_test = predict(w, b, X_test)\n"
              "Y_prediction_train = predict(w, b, X_train)")

PROPAGATE_LOOP = ("n_x, m = X.shape\ndw = np.zeros((n_x, 1))\ndb = 0.0\ncost = 0.0\n"
                  "for i in range(m):\n"
                  "    a = sigmoid(float(np.dot(w[:, 0], X[:, i])) + b)\n"
                  "    cost += -(Y[0, i] * np.log(a) + (1 - Y[0, i]) * np.log(1 - a))\n"
                  "    dw[:, 0] += X[:, i] * (a - Y[0, i])\n"
                  "    db += a - Y[0, i]\n"
                  "return {'dw': dw / m, 'db': float(db / m)}, float(cost / m)")

CORPUS = [
    # --- correct alternatives ----------------------------------------------------------------------
    ("c_matmul_float64_stable", "correct", _variant(
        _f("sigmoid", "z", "return np.exp(-np.logaddexp(0, -z))"),
        _f("softmax", "x", "e = np.exp(x - x.max(axis=1, keepdims=True))\nreturn e / e.sum(axis=1, keepdims=True)"),
        _f("L1", "yhat, y", "return np.sum(np.abs(yhat - y))"),
        _f("L2", "yhat, y", "d = (y - yhat).reshape(-1)\nreturn np.dot(d, d)"),
        _f("initialize_with_zeros", "dim", "return np.zeros((dim, 1)), 0.0"),
        _f("propagate", PROPAGATE_ARGS,
           "m = X.shape[1]\nA = sigmoid(w.T @ X + b)\n"
           "cost = np.float64(-np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A)))\n"
           "dZ = A - Y\nreturn {'dw': X @ dZ.T / m, 'db': np.mean(dZ)}, cost"),
        _optimize("grads, cost = propagate(w, b, X, Y)\nw = w - learning_rate * grads['dw']\n"
                  "b = b - learning_rate * grads['db']"),
        _f("predict", PREDICT_ARGS, "return (sigmoid(np.matmul(w.T, X) + b) > 0.5).astype(int)"),
        _model(MODEL_BODY),
    ), "logaddexp sigmoid, .max/.sum methods, np.float64 losses and cost, @ and np.matmul, int labels"),
    ("c_0d_map_inplace_copy_bool", "correct", _variant(
        _f("sigmoid", "z", "z = np.asarray(z, dtype=float)\ne = np.exp(-np.abs(z))\n"
                           "return np.where(z >= 0, 1 / (1 + e), e / (1 + e))"),
        _f("L1", "yhat, y", "return np.array(np.abs(y - yhat).sum())"),
        _f("L2", "yhat, y", "return np.squeeze(np.sum(np.square(y - yhat), keepdims=True))"),
        _f("propagate", PROPAGATE_ARGS,
           "m = X.shape[1]\nA = sigmoid(np.dot(w.T, X) + b)\n"
           "cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m\n"
           "dZ = A - Y\ncost, db = map(float, (cost, np.sum(dZ) / m))\n"
           "grads = {key: value for key, value in (('dw', np.dot(X, dZ.T) / m), ('db', db))}\n"
           "return grads, np.array(cost)"),
        _optimize("grads, cost = propagate(w, b, X, Y)\nw -= learning_rate * grads['dw']\n"
                  "b -= learning_rate * grads['db']", head="w = w.copy()\n"),
        _f("predict", PREDICT_ARGS, "A = sigmoid(np.dot(w.T, X) + b)\nreturn A > 0.5"),
        _model("w, b = initialize_with_zeros(X_train.shape[0])\n"
               "params, _, costs = optimize(w, b, X_train, Y_train, num_iterations=num_iterations, "
               "learning_rate=learning_rate)\n"
               "Y_prediction_test, Y_prediction_train = (predict(params['w'], params['b'], X) for X in (X_test, X_train))\n"
               "w, b = params['w'], params['b']"),
    ), "a stable sigmoid as 0-d array for a number, 0-d losses and cost, map(float, ...) over two numbers, "
       "a dict comprehension over a literal tuple, an in-place update of optimize's own copy, bool labels, "
       "a generator over the two data sets"),
    # --- sigmoid, softmax, L1, L2, initialize_with_zeros mistakes -----------------------------------
    ("m_sigmoid_sign", "mistake", _f("sigmoid", "z", "return 1 / (1 + np.exp(z))"), "wrong sign in the exponent"),
    ("m_softmax_no_keepdims", "mistake", _f("softmax", "x",
        "x_exp = np.exp(x - np.max(x, axis=1, keepdims=True))\nreturn x_exp / np.sum(x_exp, axis=1)"),
     "the row sums without keepdims (a square input divides by column)"),
    ("m_softmax_no_shift", "mistake", _f("softmax", "x",
        "e = np.exp(x)\nreturn e / np.sum(e, axis=1, keepdims=True)"), "no row maximum subtracted: nan at 1000"),
    ("m_L1_hard_coded", "mistake", _f("L1", "yhat, y", "return 1.0"), "the example's answer"),
    ("m_L2_sqrt", "mistake", _f("L2", "yhat, y", "return float(np.sqrt(np.sum((y - yhat) ** 2)))"),
     "the square root of the sum of squares"),
    ("m_zeros_int_bias", "mistake", _f("initialize_with_zeros", "dim", "return np.zeros((dim, 1)), 0"),
     "b = 0, an int"),
    ("m_zeros_rank1", "mistake", _f("initialize_with_zeros", "dim", "return np.zeros(dim), 0.0"),
     "w of shape (dim,)"),
    # --- propagate mistakes ------------------------------------------------------------------------
    ("m_propagate_loop", "mistake", _f("propagate", PROPAGATE_ARGS, PROPAGATE_LOOP),
     "a Python loop over the examples (right values)"),
    ("m_propagate_loop_in_helper", "mistake", {"propagate": (
        "def forward_one(w, b, X):\n"
        "    return np.array([[sigmoid(float(np.dot(w[:, 0], x)) + b) for x in X.T]])\n\n\n"
        "def propagate(w, b, X, Y):\n"
        "    m = X.shape[1]\n    A = forward_one(w, b, X)\n"
        "    cost = float(-np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m)\n"
        "    dZ = A - Y\n    return {'dw': np.dot(X, dZ.T) / m, 'db': float(np.sum(dZ) / m)}, cost\n")},
     "the loop over the examples in a helper function"),
    ("m_propagate_loop_exec", "mistake", {"propagate": (
        "exec(compile('def propagate(w, b, X, Y):\\n'\n"
        "             '    m = X.shape[1]\\n'\n"
        "             '    A = np.array([[sigmoid(float(w[:, 0] @ X[:, i]) + b) for i in range(m)]])\\n'\n"
        "             '    cost = float(-np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m)\\n'\n"
        "             '    return {\"dw\": X @ (A - Y).T / m, \"db\": float(np.sum(A - Y) / m)}, cost\\n',\n"
        "             'propagate', 'exec'))\n")},
     "the loop inside a function made with exec/compile"),
    ("m_propagate_no_1_over_m", "mistake", _f("propagate", PROPAGATE_ARGS,
        "m = X.shape[1]\nA = sigmoid(np.dot(w.T, X) + b)\n"
        "cost = float(-np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m)\n"
        "dZ = A - Y\nreturn {'dw': np.dot(X, dZ.T), 'db': float(np.sum(dZ))}, cost"),
     "dw and db not averaged over m"),
    ("m_propagate_transposed", "mistake", _f("propagate", PROPAGATE_ARGS,
        "m = X.shape[1]\nA = sigmoid(np.dot(w.T, X) + b)\n"
        "cost = float(-np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m)\n"
        "dZ = A - Y\nreturn {'dw': np.dot(dZ, X.T) / m, 'db': float(np.sum(dZ) / m)}, cost"),
     "dw as a row (dZ X^T)"),
    ("m_propagate_globals", "mistake", _f("propagate", PROPAGATE_ARGS,
        "m = X_train.shape[1]\nA = sigmoid(np.dot(w.T, X_train) + b)\n"
        "cost = float(-np.sum(Y_train * np.log(A) + (1 - Y_train) * np.log(1 - A)) / m)\n"
        "dZ = A - Y_train\nreturn {'dw': np.dot(X_train, dZ.T) / m, 'db': float(np.sum(dZ) / m)}, cost"),
     "computes on the notebook's X_train, Y_train"),
    # --- optimize mistakes -------------------------------------------------------------------------
    ("m_optimize_in_place", "mistake", _optimize(
        "grads, cost = propagate(w, b, X, Y)\nw -= learning_rate * grads['dw']\nb -= learning_rate * grads['db']",
        head=""), "updates the caller's w in place (no copy)"),
    ("m_optimize_uphill", "mistake", _optimize(
        "grads, cost = propagate(w, b, X, Y)\nw = w + learning_rate * grads['dw']\nb = b + learning_rate * grads['db']"),
     "moves along the gradient"),
    ("m_optimize_fixed_rate", "mistake", _optimize(
        "grads, cost = propagate(w, b, X, Y)\nw = w - 0.1 * grads['dw']\nb = b - 0.1 * grads['db']"),
     "the example's learning rate hard-coded"),
    # --- predict mistakes --------------------------------------------------------------------------
    ("m_predict_loop", "mistake", _f("predict", PREDICT_ARGS,
        "A = sigmoid(np.dot(w.T, X) + b)\nY_prediction = np.zeros((1, X.shape[1]))\n"
        "for i in range(A.shape[1]):\n    if A[0, i] > 0.5:\n        Y_prediction[0, i] = 1.0\n"
        "return Y_prediction"), "a Python loop over the examples (right values)"),
    ("m_predict_wrapped_loop", "mistake", {"predict": (
        "def _label_each(w, b, X):\n"
        "    return np.array([[float(sigmoid(np.dot(w[:, 0], x) + b) > 0.5) for x in X.T]])\n\n\n"
        "def _vectorized_looking(f):\n"
        "    def predict(w, b, X):\n"
        "        return f(w, b, X)\n"
        "    return predict\n\n\n"
        "predict = _vectorized_looking(_label_each)\n")},
     "the loop hidden behind a wrapper"),
    ("m_predict_at_least_half", "mistake", _f("predict", PREDICT_ARGS,
        "return (sigmoid(np.dot(w.T, X) + b) >= 0.5).astype(float)"), ">= 0.5 where the docstring says > 0.5"),
    ("m_predict_probabilities", "mistake", _f("predict", PREDICT_ARGS, "return sigmoid(np.dot(w.T, X) + b)"),
     "returns A, not labels"),
    # --- model mistakes ----------------------------------------------------------------------------
    ("m_model_default_rate", "mistake", _model(MODEL_BODY.replace(
        "optimize(w, b, X_train, Y_train, num_iterations, learning_rate, print_cost)",
        "optimize(w, b, X_train, Y_train, num_iterations)")), "learning_rate not passed on"),
    ("m_model_untrained", "mistake", _model(
        "w, b = initialize_with_zeros(X_train.shape[0])\n"
        "params, grads, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate, print_cost)\n"
        "Y_prediction_test = predict(w, b, X_test)\nY_prediction_train = predict(w, b, X_train)\n"
        "w, b = params['w'], params['b']"), "predicts with the zero parameters"),
        # concept questions: the right answer written another way, and a wrong one
        ('c_q_dz_value_more_digits', 'correct', {'q_dz_value': 'q_dz_value = -0.2000\n'},
         'the right value with more digits'),
        ('m_q_dz_value_sign', 'mistake', {'q_dz_value': 'q_dz_value = 0.2\n'},
         'y - a: the wrong sign'),
        ('c_q_steepest_direction_upper', 'correct', {'q_steepest_direction': 'q_steepest_direction = " B"\n'},
         'the right letter in upper case, with a space'),
        ('m_q_steepest_direction_uphill', 'mistake', {'q_steepest_direction': 'q_steepest_direction = "a"\n'},
         "the gradient's own direction: steepest ascent"),
        ('c_q_hyperparameter_upper', 'correct', {'q_hyperparameter': 'q_hyperparameter = "C"\n'},
         'the right letter in upper case'),
        ('m_q_hyperparameter_rate', 'mistake', {'q_hyperparameter': 'q_hyperparameter = "a"\n'},
         'the learning rate, a hyperparameter'),
    ]
