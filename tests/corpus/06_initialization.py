"""Corpus of 06_initialization for tests/test_exercises_corpus.py: variants of the graded functions.

Each entry: (variant id, "correct" or "mistake", {solution cell id: code}, what it is). Correct
alternatives must pass the visible check and keep every point; mistakes must fail visibly and
lose the exercise's points. To keep the class small (each student is one autograded notebook), a
correct variant replaces several functions at once (every function is judged on its own: the
checks never use a student's other functions); a mistake replaces one function, so that the other
cells keep their points. ``_PACKS`` lists more mistakes than the corpus runs; ``MISTAKES`` picks
the ones graded.
"""


def _f(name, args, body):
    return {name: f"def {name}({args}):\n" + "".join(f"    {line}\n" for line in body.splitlines())}


def _loop(name, args, w_line, b_line="parameters['b' + str(l)] = np.zeros((layer_dims[l], 1))", head="",
          over="range(1, len(layer_dims))"):
    body = (head + "parameters = {}\n"
            f"for l in {over}:\n    {w_line}\n    {b_line}\n"
            "return parameters")
    return _f(name, args, body)


ZEROS, SYM, RANDOM, HE, XAVIER = ("initialize_zeros", "symmetric_units", "initialize_random",
                                  "initialize_he", "initialize_xavier")
SHAPE = "(layer_dims[l], layer_dims[l - 1])"


def _variant(*parts):
    out = {}
    for part in parts:
        out.update(part)
    return out


CORPUS = [
    # --- correct alternatives --------------------------------------------------------------------
    ("c_comprehensions_normal", "correct", _variant(
        _f(ZEROS, "layer_dims",
           "L = len(layer_dims) - 1\n"
           "parameters = {f'W{l}': np.zeros((layer_dims[l], layer_dims[l - 1])) for l in range(1, L + 1)}\n"
           "parameters.update({f'b{l}': np.zeros((layer_dims[l], 1)) for l in range(1, L + 1)})\n"
           "return parameters"),
        _f(SYM, "W, tol=1e-8",
           "n = W.shape[0]\nsymmetric = np.zeros((n, 1), dtype=bool)\n"
           "for j in range(n):\n    for i in range(n):\n"
           "        if i != j and np.max(np.abs(W[j] - W[i])) <= tol:\n            symmetric[j, 0] = True\n"
           "return symmetric"),
        _loop(RANDOM, "layer_dims, scale, rng", f"parameters['W' + str(l)] = rng.normal(0.0, scale, size={SHAPE})"),
        _loop(HE, "layer_dims, rng", f"parameters['W' + str(l)] = rng.standard_normal({SHAPE}) / np.sqrt(layer_dims[l - 1] / 2)"),
        _loop(XAVIER, "layer_dims, rng", f"parameters['W' + str(l)] = rng.standard_normal({SHAPE}) * (1 / np.sqrt(layer_dims[l - 1]))"),
    ), "dict comprehensions; a double loop over pairs (the prose allows it); rng.normal(0, scale); "
       "He as / sqrt(n/2); Xavier as * (1/sqrt(n))"),
    ("c_zip_allclose_reversed", "correct", _variant(
        _f(ZEROS, "layer_dims",
           "parameters = {}\n"
           "for l, (n, n_prev) in enumerate(zip(layer_dims[1:], layer_dims[:-1]), start=1):\n"
           "    parameters['W' + str(l)] = np.zeros((n, n_prev))\n    parameters['b' + str(l)] = np.zeros((n, 1))\n"
           "return parameters"),
        _f(SYM, "W, tol=1e-8",
           "n = W.shape[0]\n"
           "flags = [any(i != j and np.allclose(W[j], W[i], rtol=0, atol=tol) for i in range(n)) for j in range(n)]\n"
           "return np.array(flags).reshape(n, 1)"),
        _loop(RANDOM, "layer_dims, scale, rng", f"parameters['W' + str(l)] = scale * rng.standard_normal({SHAPE})",
              over="reversed(range(1, len(layer_dims)))"),
        _loop(HE, "layer_dims, rng",
              f"parameters['W' + str(l)] = rng.normal(scale=np.sqrt(2 / layer_dims[l - 1]), size={SHAPE})"),
        _loop(XAVIER, "layer_dims, rng", f"parameters['W' + str(l)] = rng.standard_normal({SHAPE}) * layer_dims[l - 1] ** -0.5",
              over="range(len(layer_dims) - 1, 0, -1)"),
    ), "zip over the sizes; np.allclose per pair; W drawn from the last layer to the first (the order "
       "is free); rng.normal(scale=...); n ** -0.5"),
    ("c_int_eye_rows_float32", "correct", _variant(
        _loop(ZEROS, "layer_dims", f"parameters['W' + str(l)] = np.zeros({SHAPE}, dtype=int)",
              "parameters['b' + str(l)] = np.zeros((layer_dims[l], 1), dtype=int)"),
        _f(SYM, "W, tol=1e-8",
           "n = W.shape[0]\nclose = np.abs(W[:, None, :] - W[None, :, :]).max(axis=2) <= tol\n"
           "return (close & ~np.eye(n, dtype=bool)).any(axis=1).reshape(-1, 1)"),
        _loop(RANDOM, "layer_dims, scale, rng",
              "parameters['W' + str(l)] = scale * np.array([rng.standard_normal(layer_dims[l - 1]) for _ in range(layer_dims[l])])"),
        _loop(HE, "layer_dims, rng",
              f"parameters['W' + str(l)] = (rng.standard_normal({SHAPE}) * np.sqrt(2 / layer_dims[l - 1])).astype(np.float32)"),
        _loop(XAVIER, "layer_dims, rng", f"parameters['W' + str(l)] = rng.standard_normal({SHAPE}) / np.sqrt(dims[l - 1])",
              "parameters['b' + str(l)] = np.zeros((dims[l], 1))", head="dims = np.array(layer_dims)\n"),
    ), "integer zeros; ~np.eye mask and reshape; W drawn row by row; float32 He weights; sizes as a "
       "numpy array"),
    ("c_count_transposed_helper", "correct", _variant(
        _loop(ZEROS, "layer_dims", f"parameters['W' + str(l)] = np.full({SHAPE}, 0.0)",
              "parameters['b' + str(l)] = np.zeros_like(np.empty((layer_dims[l], 1)))"),
        _f(SYM, "W, tol=1e-8",
           "close = np.max(np.abs(W[:, np.newaxis, :] - W[np.newaxis, :, :]), axis=2) <= tol\n"
           "return (np.sum(close, axis=1, keepdims=True) > 1).astype(int)"),
        _loop(RANDOM, "layer_dims, scale, rng",
              "parameters['W' + str(l)] = (scale * rng.standard_normal((layer_dims[l - 1], layer_dims[l]))).T"),
        _f(HE, "layer_dims, rng",
           "parameters = {}\nfor l in range(1, len(layer_dims)):\n"
           "    layer = initialize_random([layer_dims[l - 1], layer_dims[l]], np.sqrt(2 / layer_dims[l - 1]), rng)\n"
           "    parameters['W' + str(l)], parameters['b' + str(l)] = layer['W1'], layer['b1']\n"
           "return parameters"),
        _loop(XAVIER, "layer_dims, rng", f"parameters['W' + str(l)] = np.sqrt(1.0 / layer_dims[l - 1]) * rng.normal(size={SHAPE})"),
    ), "np.full / zeros_like; more than one match counting itself, as int 0/1; W drawn transposed "
       "then .T; He through the student's own initialize_random; rng.normal(size=...)"),
]

_PACKS = [
    ("m_two_layers_self_global", "mistake", _variant(
        _loop(ZEROS, "layer_dims", f"parameters['W' + str(l)] = np.zeros({SHAPE})", over="range(1, 3)"),
        _f(SYM, "W, tol=1e-8",
           "distances = np.max(np.abs(W[:, np.newaxis, :] - W[np.newaxis, :, :]), axis=2)\n"
           "return np.any(distances <= tol, axis=1, keepdims=True)"),
        _loop(RANDOM, "layer_dims, scale, rng",
              "parameters['W' + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) * scale"),
        _loop(HE, "layer_dims, rng", f"parameters['W' + str(l)] = rng.standard_normal({SHAPE}) * np.sqrt(1 / layer_dims[l - 1])"),
        _loop(XAVIER, "layer_dims, rng", f"parameters['W' + str(l)] = rng.standard_normal({SHAPE}) * np.sqrt(2 / layer_dims[l - 1])"),
    ), "zeros for exactly two layers; every row its own twin; np.random.randn (global generator); "
       "He with Xavier's scale; Xavier with He's"),
    ("m_transposed_signed_own_rng", "mistake", _variant(
        _loop(ZEROS, "layer_dims", "parameters['W' + str(l)] = np.zeros((layer_dims[l - 1], layer_dims[l]))"),
        _f(SYM, "W, tol=1e-8",
           "sums = np.abs(np.sum(W[:, np.newaxis, :] - W[np.newaxis, :, :], axis=2))\n"
           "same = sums <= tol\nnp.fill_diagonal(same, False)\nreturn np.any(same, axis=1, keepdims=True)"),
        _loop(RANDOM, "layer_dims, scale, rng", f"parameters['W' + str(l)] = scale * gen.standard_normal({SHAPE})",
              head="gen = np.random.default_rng(1)\n"),
        _loop(HE, "layer_dims, rng", f"parameters['W' + str(l)] = rng.standard_normal({SHAPE}) * np.sqrt(2 / layer_dims[l])"),
        _loop(XAVIER, "layer_dims, rng",
              f"parameters['W' + str(l)] = rng.standard_normal({SHAPE}) * np.sqrt(2 / (layer_dims[l - 1] + layer_dims[l]))"),
    ), "W as (n[l-1], n[l]); signed differences summed; a generator of its own (default_rng(1)); "
       "He over n[l]; Glorot's average for Xavier"),
    ("m_row_bias_exact_variance", "mistake", _variant(
        _loop(ZEROS, "layer_dims", f"parameters['W' + str(l)] = np.zeros({SHAPE})",
              "parameters['b' + str(l)] = np.zeros((1, layer_dims[l]))"),
        _f(SYM, "W, tol=1e-8",
           "same = np.all(W[:, np.newaxis, :] == W[np.newaxis, :, :], axis=2)\n"
           "np.fill_diagonal(same, False)\nreturn np.any(same, axis=1, keepdims=True)"),
        _loop(RANDOM, "layer_dims, scale, rng", f"parameters['W' + str(l)] = scale ** 2 * rng.standard_normal({SHAPE})"),
        _loop(HE, "layer_dims, rng", f"parameters['W' + str(l)] = rng.standard_normal({SHAPE}) * 2 / layer_dims[l - 1]"),
        _loop(XAVIER, "layer_dims, rng", f"parameters['W' + str(l)] = rng.standard_normal({SHAPE}) / layer_dims[l - 1]"),
    ), "b as a row; exact equality instead of tol; scale squared; the variance 2/n and 1/n as the "
       "standard deviation"),
    ("m_off_by_one_neighbours_unscaled", "mistake", _variant(
        _loop(ZEROS, "layer_dims", f"parameters['W' + str(l)] = np.zeros({SHAPE})", over="range(1, len(layer_dims) - 1)"),
        _f(SYM, "W, tol=1e-8",
           "n = W.shape[0]\nsymmetric = np.zeros((n, 1), dtype=bool)\n"
           "for j in range(n - 1):\n    if np.max(np.abs(W[j] - W[j + 1])) <= tol:\n"
           "        symmetric[j, 0] = symmetric[j + 1, 0] = True\n"
           "return symmetric"),
        _loop(RANDOM, "layer_dims, scale, rng", f"parameters['W' + str(l)] = rng.standard_normal({SHAPE})"),
        _loop(HE, "layer_dims, rng",
              "parameters['W' + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) * np.sqrt(2 / layer_dims[l - 1])",
              head="np.random.seed(1)\n"),
        _loop(XAVIER, "layer_dims, rng", f"parameters['W' + str(l)] = rng.standard_normal({SHAPE}) * np.sqrt(1 / layer_dims[l])"),
    ), "stops one layer early; only neighbouring rows compared; scale forgotten; np.random.seed + "
       "randn in He; Xavier over n[l]"),
    ("m_hard_coded_fixed_tol_uniform", "mistake", _variant(
        _f(ZEROS, "layer_dims",
           "return {'W1': np.zeros((2, 3)), 'b1': np.zeros((2, 1)), 'W2': np.zeros((1, 2)), 'b2': np.zeros((1, 1))}"),
        _f(SYM, "W, tol=1e-8",
           "distances = np.max(np.abs(W[:, np.newaxis, :] - W[np.newaxis, :, :]), axis=2)\n"
           "same = distances <= 1e-8\nnp.fill_diagonal(same, False)\nreturn np.any(same, axis=1, keepdims=True)"),
        _loop(RANDOM, "layer_dims, scale, rng", f"parameters['W' + str(l)] = scale * rng.random({SHAPE})"),
        _loop(HE, "layer_dims, rng", f"parameters['W' + str(l)] = gen.standard_normal({SHAPE}) * np.sqrt(2 / layer_dims[l - 1])",
              head="gen = np.random.default_rng()\n"),
        _f(XAVIER, "layer_dims, rng",
           "parameters = {}\nprevious = layer_dims.pop(0)\n"
           "for l, n in enumerate(layer_dims, start=1):\n"
           "    parameters['W' + str(l)] = rng.standard_normal((n, previous)) * np.sqrt(1 / previous)\n"
           "    parameters['b' + str(l)] = np.zeros((n, 1))\n    previous = n\n"
           "return parameters"),
    ), "the visible example hard-coded; tol ignored (fixed 1e-8); rng.random (uniform [0, 1)); an "
       "unseeded generator of its own; pops the caller's layer_dims"),
    ("m_count_broadcast_row_transposed", "mistake", _variant(
        _f(SYM, "W, tol=1e-8",
           "same = np.max(np.abs(W[:, np.newaxis, :] - W[np.newaxis, :, :]), axis=2) <= tol\n"
           "np.fill_diagonal(same, False)\nreturn np.sum(same, axis=1, keepdims=True)"),
        _loop(RANDOM, "layer_dims, scale, rng",
              "parameters['W' + str(l)] = scale * rng.standard_normal((1, layer_dims[l - 1])) * np.ones((layer_dims[l], 1))"),
        _loop(HE, "layer_dims, rng",
              "parameters['W' + str(l)] = rng.standard_normal((layer_dims[l - 1], layer_dims[l])) * np.sqrt(2 / layer_dims[l - 1])"),
    ), "counts the twins instead of True/False; one row of draws broadcast over the units "
       "(symmetric units); W drawn as (n[l-1], n[l]), never transposed"),
    ("m_rank1_random_bias_uniform", "mistake", _variant(
        _f(SYM, "W, tol=1e-8",
           "same = np.max(np.abs(W[:, np.newaxis, :] - W[np.newaxis, :, :]), axis=2) <= tol\n"
           "np.fill_diagonal(same, False)\nreturn np.any(same, axis=1)"),
        _loop(RANDOM, "layer_dims, scale, rng", f"parameters['W' + str(l)] = scale * rng.standard_normal({SHAPE})",
              "parameters['b' + str(l)] = scale * rng.standard_normal((layer_dims[l], 1))"),
        _loop(XAVIER, "layer_dims, rng",
              f"parameters['W' + str(l)] = rng.uniform(-1, 1, size={SHAPE}) * np.sqrt(3 / layer_dims[l - 1])"),
    ), "a rank-1 (n,) result; random biases; Xavier from uniform draws of the right spread (the "
       "docstring asks for standard normal draws)"),
    ("m_in_place_W", "mistake", _variant(
        _f(SYM, "W, tol=1e-8",
           "W -= W.mean(axis=0)\n"
           "same = np.max(np.abs(W[:, np.newaxis, :] - W[np.newaxis, :, :]), axis=2) <= tol\n"
           "np.fill_diagonal(same, False)\nreturn np.any(same, axis=1, keepdims=True)"),
    ), "centres the caller's W in place before comparing"),
]

#: (variant id, the pack it comes from, the function it replaces): one function per student.
MISTAKES = [
    ("m_zeros_two_layers", "m_two_layers_self_global", ZEROS),
    ("m_zeros_transposed", "m_transposed_signed_own_rng", ZEROS),
    ("m_zeros_bias_row", "m_row_bias_exact_variance", ZEROS),
    ("m_zeros_hard_coded", "m_hard_coded_fixed_tol_uniform", ZEROS),
    ("m_sym_self_twins", "m_two_layers_self_global", SYM),
    ("m_sym_signed_sum", "m_transposed_signed_own_rng", SYM),
    ("m_sym_fixed_tol", "m_hard_coded_fixed_tol_uniform", SYM),
    ("m_sym_count", "m_count_broadcast_row_transposed", SYM),
    ("m_sym_in_place", "m_in_place_W", SYM),
    ("m_random_global_randn", "m_two_layers_self_global", RANDOM),
    ("m_random_own_generator", "m_transposed_signed_own_rng", RANDOM),
    ("m_random_scale_squared", "m_row_bias_exact_variance", RANDOM),
    ("m_random_one_row", "m_count_broadcast_row_transposed", RANDOM),
    ("m_he_xavier_scale", "m_two_layers_self_global", HE),
    ("m_he_this_layer", "m_transposed_signed_own_rng", HE),
    ("m_he_global_seed", "m_off_by_one_neighbours_unscaled", HE),
    ("m_xavier_glorot", "m_transposed_signed_own_rng", XAVIER),
    ("m_xavier_pops_input", "m_hard_coded_fixed_tol_uniform", XAVIER),
    ("m_xavier_uniform", "m_rank1_random_bias_uniform", XAVIER),
]

_BY_ID = {variant: (replace, what) for variant, _, replace, what in _PACKS}
CORPUS += [(variant, "mistake", {function: _BY_ID[pack][0][function]}, f"{function}: {_BY_ID[pack][1]}")
           for variant, pack, function in MISTAKES]

# Concept questions: the right answer written another way, and a wrong one.
CORPUS += [
    ('c_q_zero_start_other_form', 'correct', {'q_zero_start': 'q_zero_start = "A"\n'},
     'the right letter in upper case'),
    ('m_q_zero_start_wrong', 'mistake', {'q_zero_start': 'q_zero_start = "c"\n'},
     'equal non-zero rows: the all-0.5 start, not the zero start'),
    ('c_q_saturated_gradient_other_form', 'correct', {'q_saturated_gradient': 'q_saturated_gradient = " c"\n'},
     'the right letter with a space'),
    ('m_q_saturated_gradient_wrong', 'mistake', {'q_saturated_gradient': 'q_saturated_gradient = "a"\n'},
     'a large z gives a flat tanh, not a large gradient'),
    ('c_q_he_scale_other_form', 'correct', {'q_he_scale': 'q_he_scale = 0.20\n'},
     '0.2 written with two decimals'),
    ('m_q_he_scale_wrong', 'mistake', {'q_he_scale': 'q_he_scale = 0.14\n'},
     "sqrt(1/50): Xavier's scale, not He's"),
]
