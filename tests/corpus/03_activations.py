"""Corpus of 03_activations for tests/test_exercises_corpus.py: variants of the graded functions.

Each entry: (variant id, "correct" or "mistake", {solution cell id: code}, what it is). Correct
alternatives must pass the visible check and keep every point; mistakes must fail visibly and
lose the exercise's points.
"""


def _f(signature, *body):
    return f"def {signature}:\n" + "".join(f"    {line}\n" for line in body)


CORPUS = [
        # sigmoid (rules: no warnings + the defaults)
        ("c_sig_tanh", "correct", {"sigmoid": _f("sigmoid(z)", "return 0.5 * (1 + np.tanh(z / 2))")},
         "0.5 (1 + tanh(z/2)), with numpy's tanh"),
        ("c_sig_logaddexp", "correct", {"sigmoid": _f("sigmoid(z)", "return np.exp(-np.logaddexp(0, -z))")},
         "exp(-log(1 + e^-z)) with np.logaddexp"),
        ("c_sig_masked", "correct", {"sigmoid": _f(
            "sigmoid(z)", "s = np.empty(z.shape)", "pos = z >= 0", "s[pos] = 1 / (1 + np.exp(-z[pos]))",
            "e = np.exp(z[~pos])", "s[~pos] = e / (1 + e)", "return s")},
         "boolean masks, each form on its own side"),
        ("c_sig_clip", "correct", {"sigmoid": _f("sigmoid(z)", "return 1 / (1 + np.exp(-np.clip(z, -500, 500)))")},
         "the textbook form on z clipped to [-500, 500] (errors far below the tolerance)"),
        ("c_sig_one_where", "correct", {"sigmoid": _f(
            "sigmoid(z)", "t = np.exp(-np.abs(z))", "return np.where(z >= 0, 1.0, t) / (1.0 + t)")},
         "np.where on the numerator only"),
        ("m_sig_naive", "mistake", {"sigmoid": _f("sigmoid(z)", "return 1 / (1 + np.exp(-z))")},
         "the textbook form: overflow warning for z = -1000"),
        ("m_sig_where_both", "mistake", {"sigmoid": _f(
            "sigmoid(z)", "return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))")},
         "np.where of two unsafe forms: both are evaluated everywhere and overflow"),
        ("m_sig_swapped", "mistake", {"sigmoid": _f(
            "sigmoid(z)", "t = np.exp(-np.abs(z))", "return np.where(z >= 0, t / (1 + t), 1 / (1 + t))")},
         "the branches of np.where swapped (sigmoid(-z))"),
        ("m_sig_clip_in_place", "mistake", {"sigmoid": _f(
            "sigmoid(z)", "np.clip(z, -500, 500, out=z)", "return 1 / (1 + np.exp(-z))")},
         "clips the caller's array in place"),
        ("m_sig_rounded", "mistake", {"sigmoid": _f(
            "sigmoid(z)", "t = np.exp(-np.abs(z))", "return np.round(np.where(z >= 0, 1 / (1 + t), t / (1 + t)), 3)")},
         "rounds the result to 3 decimals"),
        ("m_sig_hard_coded", "mistake", {"sigmoid": _f(
            "sigmoid(z)", "return np.array([[0.2689414213699951, 0.5, 0.8807970779778823]])")},
         "the first visible example's answer, hard-coded"),
        ("m_sig_global", "mistake", {"sigmoid": _f(
            "sigmoid(x)", "t = np.exp(-np.abs(z))", "return np.where(z >= 0, 1 / (1 + t), t / (1 + t))")},
         "reads the notebook's global z, not its argument"),
        ("m_sig_errstate", "mistake", {"sigmoid": _f(
            "sigmoid(z)", "with np.errstate(all='ignore'):", "    return 1 / (1 + np.exp(-z))")},
         "the textbook form with numpy's warnings switched off inside the function"),
        ("m_sig_helper_silenced", "mistake", {"sigmoid": (
            "import warnings\n\ndef _quiet_exp(x):\n    with warnings.catch_warnings():\n"
            "        warnings.simplefilter('ignore')\n        old = np.seterr(all='ignore')\n"
            "        try:\n            return np.exp(x)\n        finally:\n            np.seterr(**old)\n\n"
            + _f("sigmoid(z)", "return 1 / (1 + _quiet_exp(-z))"))},
         "the textbook form, its overflow silenced in a helper (np.seterr, a warnings filter)"),
        # tanh (rules: no warnings + the defaults)
        ("c_tanh_numpy", "correct", {"tanh": _f("tanh(z)", "return np.tanh(z)")},
         "numpy's np.tanh (the prose asks for the formula; the values cannot tell)"),
        ("c_tanh_via_sigmoid", "correct", {"tanh": _f("tanh(z)", "return 2 * sigmoid(2 * z) - 1")},
         "2 sigmoid(2z) - 1 with the notebook's (safe) sigmoid"),
        ("c_tanh_where", "correct", {"tanh": _f(
            "tanh(z)", "t = np.exp(-2 * np.abs(z))", "return np.where(z >= 0, (1 - t) / (1 + t), (t - 1) / (1 + t))")},
         "np.where on the sign instead of np.sign"),
        ("c_tanh_expm1", "correct", {"tanh": _f(
            "tanh(z)", "u = np.expm1(-2 * np.abs(z))", "return -np.sign(z) * u / (u + 2)")},
         "with np.expm1 (more precise near 0)"),
        ("m_tanh_naive", "mistake", {"tanh": _f(
            "tanh(z)", "return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))")},
         "the definition: overflow, inf / inf = nan"),
        ("m_tanh_no_abs", "mistake", {"tanh": _f(
            "tanh(z)", "t = np.exp(-2 * z)", "return (1 - t) / (1 + t)")},
         "t = exp(-2z) without |z|: right for moderate z, overflows for z < -355"),
        ("m_tanh_no_sign", "mistake", {"tanh": _f(
            "tanh(z)", "t = np.exp(-2 * np.abs(z))", "return (1 - t) / (1 + t)")},
         "forgets sign(z): tanh(|z|)"),
        ("m_tanh_half", "mistake", {"tanh": _f(
            "tanh(z)", "t = np.exp(-np.abs(z))", "return np.sign(z) * (1 - t) / (1 + t)")},
         "exponent -|z| instead of -2|z|: tanh(z/2)"),
        ("m_tanh_flipped", "mistake", {"tanh": _f(
            "tanh(z)", "t = np.exp(-2 * np.abs(z))", "return np.sign(z) * (t - 1) / (1 + t)")},
         "numerator the wrong way round: -tanh(z)"),
        # relu (the default rules only: (z + |z|) / 2 is fine)
        ("c_relu_abs", "correct", {"relu": _f("relu(z)", "return (z + np.abs(z)) / 2")}, "(z + |z|) / 2"),
        ("c_relu_mask_product", "correct", {"relu": _f("relu(z)", "return z * (z > 0)")}, "z * (z > 0)"),
        ("c_relu_where", "correct", {"relu": _f("relu(z)", "return np.where(z > 0, z, 0)")}, "np.where(z > 0, z, 0)"),
        ("c_relu_clip", "correct", {"relu": _f("relu(z)", "return np.clip(z, 0, None)")}, "np.clip(z, 0, None)"),
        ("c_relu_copy", "correct", {"relu": _f("relu(z)", "a = z.copy()", "a[a < 0] = 0", "return a")},
         "assigns into its own copy"),
        ("m_relu_in_place", "mistake", {"relu": _f("relu(z)", "z[z < 0] = 0", "return z")},
         "overwrites the caller's array"),
        ("m_relu_min", "mistake", {"relu": _f("relu(z)", "return np.minimum(0, z)")}, "np.minimum"),
        ("m_relu_loops", "mistake", {"relu": _f(
            "relu(z)", "a = np.zeros(z.shape)", "for i in range(z.shape[0]):",
            "    for j in range(z.shape[1]):", "        a[i, j] = max(0.0, z[i, j])", "return a")},
         "two loops over rows and columns: only 2-D arrays"),
        ("m_relu_int", "mistake", {"relu": _f("relu(z)", "return np.maximum(0, z).astype(int)")},
         "casts to int (fractions lost)"),
        ("m_relu_abs", "mistake", {"relu": _f("relu(z)", "return np.abs(z)")}, "|z|"),
        ("m_relu_python_max", "mistake", {"relu": _f("relu(z)", "return max(0, z)")},
         "Python's max on an array (error)"),
        # leaky_relu (the default rules only)
        ("c_lr_maximum", "correct", {"leaky_relu": _f("leaky_relu(z, alpha=0.01)", "return np.maximum(alpha * z, z)")},
         "max(alpha z, z), valid for 0 < alpha < 1"),
        ("c_lr_slope", "correct", {"leaky_relu": _f("leaky_relu(z, alpha=0.01)", "return z * np.where(z > 0, 1, alpha)")},
         "z times the slope of each side"),
        ("c_lr_ge", "correct", {"leaky_relu": _f("leaky_relu(z, alpha=0.01)", "return np.where(z >= 0, z, alpha * z)")},
         "z >= 0 instead of z > 0 (the same at 0)"),
        ("c_lr_copy", "correct", {"leaky_relu": _f(
            "leaky_relu(z, alpha=0.01)", "a = z.copy()", "a[a <= 0] *= alpha", "return a")}, "scales its own copy"),
        ("c_lr_via_relu", "correct", {"leaky_relu": _f(
            "leaky_relu(z, alpha=0.01)", "return relu(z) - alpha * relu(-z)")}, "with the notebook's relu"),
        ("m_lr_alpha_ignored", "mistake", {"leaky_relu": _f(
            "leaky_relu(z, alpha=0.01)", "return np.where(z > 0, z, 0.01 * z)")}, "always 0.01, alpha ignored"),
        ("m_lr_relu", "mistake", {"leaky_relu": _f("leaky_relu(z, alpha=0.01)", "return np.maximum(0, z)")},
         "plain ReLU"),
        ("m_lr_wrong_side", "mistake", {"leaky_relu": _f(
            "leaky_relu(z, alpha=0.01)", "return np.where(z > 0, alpha * z, z)")}, "alpha on the positive side"),
        ("m_lr_in_place", "mistake", {"leaky_relu": _f(
            "leaky_relu(z, alpha=0.01)", "z[z < 0] *= alpha", "return z")}, "scales the caller's array in place"),
        ("m_lr_constant", "mistake", {"leaky_relu": _f(
            "leaky_relu(z, alpha=0.01)", "return np.where(z > 0, z, alpha)")}, "alpha instead of alpha * z"),
        ("m_lr_minimum", "mistake", {"leaky_relu": _f(
            "leaky_relu(z, alpha=0.01)", "return np.minimum(alpha * z, z)")}, "min instead of max"),
        # collapse_linear (the default rules)
        ("c_cl_dot", "correct", {"collapse_linear": _f(
            "collapse_linear(W1, b1, W2, b2)", "return np.dot(W2, W1), np.dot(W2, b1) + b2")}, "np.dot"),
        ("c_cl_matmul_list", "correct", {"collapse_linear": _f(
            "collapse_linear(W1, b1, W2, b2)", "return [np.matmul(W2, W1), b2 + np.matmul(W2, b1)]")},
         "np.matmul, returned as a list"),
        ("c_cl_einsum", "correct", {"collapse_linear": _f(
            "collapse_linear(W1, b1, W2, b2)", "W = np.einsum('ij,jk->ik', W2, W1)",
            "b = np.einsum('ij,jk->ik', W2, b1) + b2", "return W, b")}, "np.einsum"),
        ("c_cl_augmented", "correct", {"collapse_linear": _f(
            "collapse_linear(W1, b1, W2, b2)", "Wb = W2 @ np.hstack([W1, b1])",
            "return Wb[:, :-1], Wb[:, -1:] + b2")}, "one product with [W1 | b1]"),
        ("c_cl_loops", "correct", {"collapse_linear": _f(
            "collapse_linear(W1, b1, W2, b2)", "W = np.zeros((W2.shape[0], W1.shape[1]))",
            "for k in range(W1.shape[0]):", "    W += np.outer(W2[:, k], W1[k])",
            "return W, W2.dot(b1) + b2")}, "a sum of outer products in a loop (loops are allowed here)"),
        ("m_cl_transposed", "mistake", {"collapse_linear": _f(
            "collapse_linear(W1, b1, W2, b2)", "return W1.T @ W2.T, W2 @ b1 + b2")}, "W transposed"),
        ("m_cl_no_b2", "mistake", {"collapse_linear": _f(
            "collapse_linear(W1, b1, W2, b2)", "return W2 @ W1, W2 @ b1")}, "forgets b2"),
        ("m_cl_no_b1", "mistake", {"collapse_linear": _f(
            "collapse_linear(W1, b1, W2, b2)", "return W2 @ W1, b2")}, "forgets b1"),
        ("m_cl_sum_biases", "mistake", {"collapse_linear": _f(
            "collapse_linear(W1, b1, W2, b2)", "return W2 @ W1, b1 + b2")}, "b1 + b2 (shape error)"),
        ("m_cl_b2_in_place", "mistake", {"collapse_linear": _f(
            "collapse_linear(W1, b1, W2, b2)", "b2 += W2 @ b1", "return W2 @ W1, b2")},
         "adds into the caller's b2"),
        ("m_cl_order", "mistake", {"collapse_linear": _f(
            "collapse_linear(W1, b1, W2, b2)", "return W2 @ b1 + b2, W2 @ W1")}, "returns (b, W)"),
        ("m_cl_hard_coded", "mistake", {"collapse_linear": _f(
            "collapse_linear(W1, b1, W2, b2)", "return np.array([[7.0, 4.0], [-1.0, -3.0]]), np.array([[-2.5], [-2.0]])")},
         "the hand-worked example's answer, hard-coded"),
        ("m_cl_globals", "mistake", {"collapse_linear": _f(
            "collapse_linear(A1, c1, A2, c2)", "return W2 @ W1, W2 @ b1 + b2")},
         "reads the notebook's globals W1, b1, W2, b2"),
        # concept questions: the right answer written another way, and a wrong one
        ('c_q_output_activation_upper', 'correct', {'q_output_activation': 'q_output_activation = "C "\n'},
         'the right letter in upper case, with a space'),
        ('m_q_output_activation_relu', 'mistake', {'q_output_activation': 'q_output_activation = "a"\n'},
         'ReLU: not a probability'),
        ('c_q_saturation_upper', 'correct', {'q_saturation': 'q_saturation = "B"\n'},
         'the right letter in upper case'),
        ('m_q_saturation_fast', 'mistake', {'q_saturation': 'q_saturation = "a"\n'},
         'the slope is largest at 0, not at 8'),
        ('c_q_linear_stack_upper', 'correct', {'q_linear_stack': 'q_linear_stack = "A"\n'},
         'the right letter in upper case'),
        ('m_q_linear_stack_bends', 'mistake', {'q_linear_stack': 'q_linear_stack = "c"\n'},
         'any shape: what a non-linear network could do'),
    ]
