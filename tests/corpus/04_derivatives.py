"""Corpus of 04_derivatives for tests/test_exercises_corpus.py: variants of the graded functions.

Each entry: (variant id, "correct" or "mistake", {solution cell id: code}, what it is). Correct
alternatives must pass the visible check and keep every point; mistakes must fail visibly and
lose the exercise's points.
"""

GC_HEAD = "def gradient_check(f, grad, x, epsilon=1e-7):\n"
GC_NUM = ("    num = np.zeros(x.shape)\n"
          "    for index in np.ndindex(x.shape):\n"
          "        x_plus = x.copy()\n        x_plus[index] += epsilon\n"
          "        x_minus = x.copy()\n        x_minus[index] -= epsilon\n"
          "        num[index] = (f(x_plus) - f(x_minus)) / (2 * epsilon)\n")
GC_DIFF = ("    denominator = np.linalg.norm(grad) + np.linalg.norm(num)\n"
           "    if denominator == 0:\n        return 0.0\n"
           "    return float(np.linalg.norm(grad - num) / denominator)\n")

CORPUS = [
    # graph_forward
    ("c_gf_one_line", "correct", {"graph_forward": (
        "def graph_forward(a, b, c):\n    J = 3 * (a + b * c)\n    return J, (a, b, c, b * c, a + b * c)\n")},
     "J = 3 (a + b c) in one expression"),
    ("c_gf_distributed", "correct", {"graph_forward": (
        "def graph_forward(a, b, c):\n    u = b * c\n    v = a + u\n    J = 3 * a + 3 * u\n"
        "    return J, (a, b, c, u, v)\n")}, "J = 3a + 3u"),
    ("c_gf_numpy_list", "correct", {"graph_forward": (
        "def graph_forward(a, b, c):\n    u = np.multiply(b, c)\n    v = np.add(a, u)\n"
        "    return 3 * v, [a, b, c, u, v]\n")}, "np.multiply / np.add, the cache as a list"),
    ("m_gf_3a_plus_bc", "mistake", {"graph_forward": (
        "def graph_forward(a, b, c):\n    u = b * c\n    v = a + u\n    J = 3 * a + u\n"
        "    return J, (a, b, c, u, v)\n")}, "J = 3a + bc"),
    ("m_gf_cache_order", "mistake", {"graph_forward": (
        "def graph_forward(a, b, c):\n    u = b * c\n    v = a + u\n    return 3 * v, (a, b, c, v, u)\n")},
     "cache (a, b, c, v, u)"),
    ("m_gf_matmul", "mistake", {"graph_forward": (
        "def graph_forward(a, b, c):\n    u = np.dot(b, c)\n    v = a + u\n    return 3 * v, (a, b, c, u, v)\n")},
     "u = np.dot(b, c): a matrix product where the step is elementwise"),
    ("m_gf_hard_coded", "mistake", {"graph_forward": (
        "def graph_forward(a, b, c):\n    return 33.0, (5.0, 3.0, 2.0, 6.0, 11.0)\n")},
     "the visible example's answer, hard-coded"),
    # graph_backward
    ("c_gb_dict_literal", "correct", {"graph_backward": (
        "def graph_backward(dJ, cache):\n    a, b, c, u, v = cache\n    dv = 3 * dJ\n"
        "    return {'dv': dv, 'du': dv, 'da': dv, 'db': dv * c, 'dc': dv * b}\n")}, "one dict literal"),
    ("c_gb_expanded", "correct", {"graph_backward": (
        "def graph_backward(dJ, cache):\n    a, b, c, u, v = cache\n"
        "    grads = dict(dv=3 * dJ, du=3 * dJ, da=3 * dJ, db=3 * dJ * c, dc=3 * dJ * b)\n"
        "    return grads\n")}, "every derivative written out from dJ"),
    ("c_gb_multiply", "correct", {"graph_backward": (
        "def graph_backward(dJ, cache):\n    a, b, c, u, v = cache\n    grads = {}\n"
        "    grads['dv'] = np.multiply(3, dJ)\n    grads['du'] = grads['dv'] * 1\n"
        "    grads['da'] = grads['dv'] * 1\n    grads['db'] = np.multiply(grads['du'], c)\n"
        "    grads['dc'] = np.multiply(grads['du'], b)\n    return grads\n")}, "np.multiply, times the local 1"),
    ("m_gb_swapped", "mistake", {"graph_backward": (
        "def graph_backward(dJ, cache):\n    a, b, c, u, v = cache\n    dv = 3 * dJ\n"
        "    return {'dv': dv, 'du': dv, 'da': dv, 'db': dv * b, 'dc': dv * c}\n")}, "db and dc swapped"),
    ("m_gb_no_dJ", "mistake", {"graph_backward": (
        "def graph_backward(dJ, cache):\n    a, b, c, u, v = cache\n"
        "    return {'dv': 3.0, 'du': 3.0, 'da': 3.0, 'db': 3.0 * c, 'dc': 3.0 * b}\n")}, "ignores dJ"),
    ("m_gb_no_factor_3", "mistake", {"graph_backward": (
        "def graph_backward(dJ, cache):\n    a, b, c, u, v = cache\n"
        "    return {'dv': dJ, 'du': dJ, 'da': dJ, 'db': dJ * c, 'dc': dJ * b}\n")}, "forgets J = 3v"),
    ("m_gb_matmul", "mistake", {"graph_backward": (
        "def graph_backward(dJ, cache):\n    a, b, c, u, v = cache\n    dv = 3 * dJ\n"
        "    return {'dv': dv, 'du': dv, 'da': dv, 'db': np.dot(dv, c), 'dc': np.dot(dv, b)}\n")},
     "np.dot where the step is elementwise (right for numbers only)"),
    # sigmoid_derivative
    ("c_sd_symmetric", "correct", {"sigmoid_derivative": (
        "def sigmoid_derivative(z):\n    return sigmoid(z) * sigmoid(-z)\n")}, "sigmoid(z) sigmoid(-z)"),
    ("c_sd_cosh", "correct", {"sigmoid_derivative": (
        "def sigmoid_derivative(z):\n    return 1 / (2 + 2 * np.cosh(z))\n")},
     "1 / (2 + 2 cosh z): overflows to the right 0 (a warning only)"),
    ("c_sd_own_sigmoid", "correct", {"sigmoid_derivative": (
        "def sigmoid_derivative(z):\n    s = 1 / (1 + np.exp(-z))\n    return s * (1 - s)\n")},
     "its own naive sigmoid (warns at z = -1000, right values)"),
    ("c_sd_abs", "correct", {"sigmoid_derivative": (
        "def sigmoid_derivative(z):\n    t = np.exp(-np.abs(z))\n    return t / (1 + t) ** 2\n")},
     "exp(-|z|) / (1 + exp(-|z|))^2, symmetric and stable"),
    ("m_sd_of_z", "mistake", {"sigmoid_derivative": (
        "def sigmoid_derivative(z):\n    return z * (1 - z)\n")}, "a(1 - a) applied to z"),
    ("m_sd_exp_form", "mistake", {"sigmoid_derivative": (
        "def sigmoid_derivative(z):\n    return np.exp(-z) / (1 + np.exp(-z)) ** 2\n")},
     "e^-z / (1 + e^-z)^2: nan at z = -1000"),
    ("m_sd_itself", "mistake", {"sigmoid_derivative": (
        "def sigmoid_derivative(z):\n    return sigmoid(z)\n")}, "sigmoid itself"),
    ("m_sd_global", "mistake", {"sigmoid_derivative": (
        "def sigmoid_derivative(x):\n    a = sigmoid(z)\n    return a * (1 - a)\n")},
     "reads the notebook's global z"),
    # tanh_derivative
    ("c_td_cosh", "correct", {"tanh_derivative": (
        "def tanh_derivative(z):\n    return 1 / np.cosh(z) ** 2\n")}, "1 / cosh^2 (overflows to the right 0)"),
    ("c_td_sigmoid", "correct", {"tanh_derivative": (
        "def tanh_derivative(z):\n    s = sigmoid(2 * z)\n    return 4 * s * (1 - s)\n")}, "4 s (1 - s), s = sigmoid(2z)"),
    ("c_td_power", "correct", {"tanh_derivative": (
        "def tanh_derivative(z):\n    return 1 - np.power(np.tanh(z), 2)\n")}, "np.power"),
    ("c_td_sech_exp", "correct", {"tanh_derivative": (
        "def tanh_derivative(z):\n    return (2 / (np.exp(z) + np.exp(-z))) ** 2\n")},
     "(2 / (e^z + e^-z))^2: overflows to the right 0"),
    ("m_td_sinh_cosh", "mistake", {"tanh_derivative": (
        "def tanh_derivative(z):\n    return 1 - (np.sinh(z) / np.cosh(z)) ** 2\n")},
     "sinh / cosh: inf/inf = nan at |z| = 1000"),
    ("m_td_exp_ratio", "mistake", {"tanh_derivative": (
        "def tanh_derivative(z):\n    a = (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))\n    return 1 - a ** 2\n")},
     "tanh from exp: inf/inf = nan at |z| = 1000"),
    ("m_td_no_square", "mistake", {"tanh_derivative": (
        "def tanh_derivative(z):\n    return 1 - np.tanh(z)\n")}, "1 - tanh"),
    ("m_td_of_z", "mistake", {"tanh_derivative": (
        "def tanh_derivative(z):\n    return 1 - z ** 2\n")}, "1 - z^2"),
    # relu_derivative
    ("c_rd_bool", "correct", {"relu_derivative": (
        "def relu_derivative(z):\n    dg = z > 0\n    return dg\n")}, "the booleans z > 0"),
    ("c_rd_int", "correct", {"relu_derivative": (
        "def relu_derivative(z):\n    return (z > 0).astype(int)\n")}, "integers 0/1"),
    ("c_rd_where", "correct", {"relu_derivative": (
        "def relu_derivative(z):\n    return np.where(z > 0, 1, 0)\n")}, "np.where(z > 0, 1, 0)"),
    ("c_rd_heaviside", "correct", {"relu_derivative": (
        "def relu_derivative(z):\n    return np.heaviside(z, 0.0)\n")}, "np.heaviside"),
    ("c_rd_greater_equal", "correct", {"relu_derivative": (
        "def relu_derivative(z):\n    return (z >= 0) * 1.0\n")}, "1 at z = 0 too (the kink is never judged)"),
    ("m_rd_relu_itself", "mistake", {"relu_derivative": (
        "def relu_derivative(z):\n    return relu(z)\n")}, "ReLU itself"),
    ("m_rd_in_place", "mistake", {"relu_derivative": (
        "def relu_derivative(z):\n    z[z > 0] = 1.0\n    z[z <= 0] = 0.0\n    return z\n")}, "writes into z"),
    ("m_rd_sign", "mistake", {"relu_derivative": (
        "def relu_derivative(z):\n    return np.sign(z)\n")}, "np.sign: -1 for z < 0"),
    ("m_rd_clip", "mistake", {"relu_derivative": (
        "def relu_derivative(z):\n    return np.clip(z, 0, 1)\n")}, "clip(z, 0, 1)"),
    ("m_rd_hard_coded", "mistake", {"relu_derivative": (
        "def relu_derivative(z):\n    return np.array([[0.0, 0.0, 1.0, 1.0]])\n")}, "the visible answer, hard-coded"),
    # leaky_relu_derivative
    ("c_lrd_ones_like", "correct", {"leaky_relu_derivative": (
        "def leaky_relu_derivative(z, alpha=0.01):\n    dg = np.ones_like(z, dtype=float)\n"
        "    dg[z <= 0] = alpha\n    return dg\n")}, "ones_like, then alpha in place on its own array"),
    ("c_lrd_where_reversed", "correct", {"leaky_relu_derivative": (
        "def leaky_relu_derivative(z, alpha=0.01):\n    return np.where(z <= 0, alpha, 1.0)\n")}, "np.where(z <= 0, ...)"),
    ("c_lrd_arith", "correct", {"leaky_relu_derivative": (
        "def leaky_relu_derivative(z, alpha=0.01):\n    return (z > 0) + alpha * (z <= 0)\n")},
     "booleans as 0/1 in arithmetic"),
    ("m_lrd_fixed_alpha", "mistake", {"leaky_relu_derivative": (
        "def leaky_relu_derivative(z, alpha=0.01):\n    return np.where(z > 0, 1.0, 0.01)\n")}, "alpha ignored"),
    ("m_lrd_alpha_z", "mistake", {"leaky_relu_derivative": (
        "def leaky_relu_derivative(z, alpha=0.01):\n    return np.where(z > 0, 1.0, alpha * z)\n")}, "alpha * z"),
    ("m_lrd_in_place", "mistake", {"leaky_relu_derivative": (
        "def leaky_relu_derivative(z, alpha=0.01):\n    z[z > 0] = 1.0\n    z[z <= 0] = alpha\n    return z\n")},
     "writes into z"),
    ("m_lrd_relu_slopes", "mistake", {"leaky_relu_derivative": (
        "def leaky_relu_derivative(z, alpha=0.01):\n    return (z > 0).astype(float)\n")}, "ReLU's slopes"),
    # numerical_derivative
    ("c_nd_divide_twice", "correct", {"numerical_derivative": (
        "def numerical_derivative(f, z, epsilon=1e-7):\n    return (f(z + epsilon) - f(z - epsilon)) / epsilon / 2\n")},
     "/ epsilon / 2"),
    ("c_nd_copies", "correct", {"numerical_derivative": (
        "def numerical_derivative(f, z, epsilon=1e-7):\n    z_plus = z.copy()\n    z_plus += epsilon\n"
        "    z_minus = z.copy()\n    z_minus -= epsilon\n    return (f(z_plus) - f(z_minus)) / (2 * epsilon)\n")},
     "in place on copies"),
    ("c_nd_half", "correct", {"numerical_derivative": (
        "def numerical_derivative(f, z, epsilon=1e-7):\n    return 0.5 * (f(z + epsilon) - f(z - epsilon)) / epsilon\n")},
     "0.5 * ... / epsilon"),
    ("m_nd_one_sided", "mistake", {"numerical_derivative": (
        "def numerical_derivative(f, z, epsilon=1e-7):\n    return (f(z + epsilon) - f(z)) / epsilon\n")}, "one-sided"),
    ("m_nd_no_2", "mistake", {"numerical_derivative": (
        "def numerical_derivative(f, z, epsilon=1e-7):\n    return (f(z + epsilon) - f(z - epsilon)) / epsilon\n")},
     "the 2 is missing"),
    ("m_nd_fixed_epsilon", "mistake", {"numerical_derivative": (
        "def numerical_derivative(f, z, epsilon=1e-7):\n    return (f(z + 1e-7) - f(z - 1e-7)) / 2e-7\n")},
     "epsilon ignored"),
    ("m_nd_in_place", "mistake", {"numerical_derivative": (
        "def numerical_derivative(f, z, epsilon=1e-7):\n    z += epsilon\n    up = f(z)\n    z -= 2 * epsilon\n"
        "    down = f(z)\n    return (up - down) / (2 * epsilon)\n")}, "moves the caller's z"),
    ("m_nd_cube_formula", "mistake", {"numerical_derivative": (
        "def numerical_derivative(f, z, epsilon=1e-7):\n    return 3 * z ** 2 + epsilon ** 2\n")},
     "the visible example's formula, hard-coded"),
    # gradient_check
    ("c_gc_flat", "correct", {"gradient_check": (
        GC_HEAD + "    num = np.zeros(x.shape)\n    for i in range(x.size):\n"
        "        x_plus = x.copy()\n        x_plus.flat[i] += epsilon\n"
        "        x_minus = x.copy()\n        x_minus.flat[i] -= epsilon\n"
        "        num.flat[i] = (f(x_plus) - f(x_minus)) / (2 * epsilon)\n" + GC_DIFF)},
     "flat indices"),
    ("c_gc_restore", "correct", {"gradient_check": (
        GC_HEAD + "    work = np.array(x, dtype=float)\n    num = np.zeros(x.shape)\n"
        "    for index in np.ndindex(x.shape):\n        keep = work[index]\n"
        "        work[index] = keep + epsilon\n        up = f(work)\n"
        "        work[index] = keep - epsilon\n        down = f(work)\n        work[index] = keep\n"
        "        num[index] = (up - down) / (2 * epsilon)\n" + GC_DIFF)},
     "one working copy, each entry restored"),
    ("c_gc_unit_vectors", "correct", {"gradient_check": (
        GC_HEAD + "    num = np.zeros(x.size)\n    for i in range(x.size):\n"
        "        e = np.zeros(x.size)\n        e[i] = epsilon\n        e = e.reshape(x.shape)\n"
        "        num[i] = (f(x + e) - f(x - e)) / (2 * epsilon)\n    num = num.reshape(x.shape)\n"
        "    top = np.sqrt(np.sum((grad - num) ** 2))\n"
        "    bottom = np.sqrt(np.sum(grad ** 2)) + np.sqrt(np.sum(num ** 2))\n"
        "    return 0 if bottom == 0 else top / bottom\n")},
     "x ± eps e_i, norms by hand, int 0 for 0/0"),
    ("m_gc_alias", "mistake", {"gradient_check": (
        GC_HEAD + "    num = np.zeros(x.shape)\n    for index in np.ndindex(x.shape):\n"
        "        x_plus = x\n        x_plus[index] += epsilon\n        x_minus = x\n        x_minus[index] -= epsilon\n"
        "        num[index] = (f(x_plus) - f(x_minus)) / (2 * epsilon)\n" + GC_DIFF)},
     "x_plus = x (no copy)"),
    ("m_gc_rows", "mistake", {"gradient_check": (
        GC_HEAD + "    num = np.zeros(x.shape)\n    for i in range(len(x)):\n"
        "        x_plus = x.copy()\n        x_plus[i] += epsilon\n        x_minus = x.copy()\n        x_minus[i] -= epsilon\n"
        "        num[i] = (f(x_plus) - f(x_minus)) / (2 * epsilon)\n" + GC_DIFF)},
     "range(len(x)): whole rows move together"),
    ("m_gc_no_guard", "mistake", {"gradient_check": (
        GC_HEAD + GC_NUM + "    return float(np.linalg.norm(grad - num) / (np.linalg.norm(grad) + np.linalg.norm(num)))\n")},
     "no 0/0 guard"),
    ("m_gc_denominator", "mistake", {"gradient_check": (
        GC_HEAD + GC_NUM + "    return float(np.linalg.norm(grad - num) / np.linalg.norm(grad + num))\n")},
     "||grad + num|| as the denominator"),
    ("m_gc_one_sided", "mistake", {"gradient_check": (
        GC_HEAD + "    num = np.zeros(x.shape)\n    for index in np.ndindex(x.shape):\n"
        "        x_plus = x.copy()\n        x_plus[index] += epsilon\n"
        "        num[index] = (f(x_plus) - f(x)) / epsilon\n" + GC_DIFF)}, "one-sided differences"),
    ("m_gc_array", "mistake", {"gradient_check": (
        GC_HEAD + GC_NUM + "    denominator = np.linalg.norm(grad) + np.linalg.norm(num)\n"
        "    if denominator == 0:\n        return np.zeros(1)\n"
        "    return np.array([np.linalg.norm(grad - num) / denominator])\n")}, "a 1-element array, not a float"),
        # concept questions: the right answer written another way, and a wrong one
        ('c_q_sigmoid_slope_more_digits', 'correct', {'q_sigmoid_slope': 'q_sigmoid_slope = 0.090\n'},
         'the right value with more digits'),
        ('m_q_sigmoid_slope_a_squared', 'mistake', {'q_sigmoid_slope': 'q_sigmoid_slope = 0.81\n'},
         'a squared, not a (1 - a)'),
        ('c_q_cache_for_backward_upper', 'correct', {'q_cache_for_backward': 'q_cache_for_backward = "B"\n'},
         'the right letter in upper case'),
        ('m_q_cache_for_backward_uv', 'mistake', {'q_cache_for_backward': 'q_cache_for_backward = "c"\n'},
         'the intermediate results u and v'),
        ('c_q_gradient_check_verdict_upper', 'correct', {'q_gradient_check_verdict': 'q_gradient_check_verdict = " D "\n'},
         'the right letter in upper case, with spaces'),
        ('m_q_gradient_check_verdict_epsilon', 'mistake', {'q_gradient_check_verdict': 'q_gradient_check_verdict = "c"\n'},
         'blames epsilon for a real bug'),
    ]
