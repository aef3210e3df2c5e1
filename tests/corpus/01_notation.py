"""Corpus of 01_notation for tests/test_exercises_corpus.py: variants of the graded functions.

Each entry: (variant id, "correct" or "mistake", {solution cell id: code}, what it is). Correct
alternatives must pass the visible check and keep every point; mistakes must fail visibly and
lose the exercise's points.
"""

CORPUS = [
        # image2vector
        ("c_i2v_size", "correct", {"image2vector": "def image2vector(image):\n    return image.reshape(image.size, 1)\n"},
         "reshape(image.size, 1)"),
        ("c_i2v_flatten", "correct", {"image2vector": "def image2vector(image):\n    return image.flatten()[:, np.newaxis]\n"},
         "flatten()[:, np.newaxis]"),
        ("c_i2v_np_reshape", "correct", {"image2vector": "def image2vector(image):\n    h, w, c = image.shape\n"
                                                         "    v = np.reshape(image, (h * w * c, 1))\n    return v\n"},
         "np.reshape with the product of the shape"),
        ("m_i2v_rank1", "mistake", {"image2vector": "def image2vector(image):\n    return image.ravel()\n"},
         "rank-1 (n,) instead of a column"),
        ("m_i2v_row", "mistake", {"image2vector": "def image2vector(image):\n    return image.reshape(1, -1)\n"},
         "a row instead of a column"),
        ("m_i2v_order", "mistake", {"image2vector": "def image2vector(image):\n    return image.T.reshape(-1, 1)\n"},
         "transposed before flattening (wrong order)"),
        ("m_i2v_hard_coded", "mistake", {"image2vector": "def image2vector(image):\n    return np.arange(12).reshape(12, 1)\n"},
         "the visible example's answer, hard-coded"),
        ("m_i2v_global", "mistake", {"image2vector": "def image2vector(img):\n    return image.reshape(-1, 1)\n"},
         "reads the notebook's global `image`, not its argument"),
        # images_to_matrix
        ("c_itm_transpose", "correct", {"images_to_matrix": "def images_to_matrix(images):\n"
                                                            "    return images.reshape(images.shape[0], -1).transpose()\n"},
         "reshape(m, -1).transpose()"),
        ("c_itm_stack", "correct", {"images_to_matrix": "def images_to_matrix(images):\n"
                                                        "    return np.stack([im.ravel() for im in images], axis=1)\n"},
         "np.stack of flattened images (a loop; allowed here)"),
        ("c_itm_image2vector", "correct", {"images_to_matrix": "def images_to_matrix(images):\n"
                                                               "    return np.hstack([image2vector(im) for im in images])\n"},
         "np.hstack of image2vector columns"),
        ("m_itm_mix", "mistake", {"images_to_matrix": "def images_to_matrix(images):\n"
                                                      "    return images.reshape(-1, images.shape[0])\n"},
         "reshape(-1, m): columns mix images"),
        ("m_itm_rows", "mistake", {"images_to_matrix": "def images_to_matrix(images):\n"
                                                       "    return images.reshape(images.shape[0], -1)\n"},
         "one row per image, never transposed"),
        ("m_itm_global", "mistake", {"images_to_matrix": "def images_to_matrix(images):\n"
                                                         "    return train_x.reshape(train_x.shape[0], -1).T\n"},
         "flattens the global train_x instead of its argument"),
        # parameter_shapes
        ("c_ps_comprehension", "correct", {"parameter_shapes": (
            "def parameter_shapes(layer_dims):\n"
            "    L = len(layer_dims) - 1\n"
            "    shapes = {f'W{l}': (layer_dims[l], layer_dims[l - 1]) for l in range(1, L + 1)}\n"
            "    shapes.update({f'b{l}': (layer_dims[l], 1) for l in range(1, L + 1)})\n"
            "    return shapes\n")}, "dict comprehensions, W keys first"),
        ("c_ps_numpy_ints", "correct", {"parameter_shapes": (
            "def parameter_shapes(layer_dims):\n"
            "    dims = np.array(layer_dims)\n    shapes = {}\n"
            "    for l, (n, n_prev) in enumerate(zip(dims[1:], dims[:-1]), start=1):\n"
            "        shapes['W' + str(l)] = (n, n_prev)\n        shapes['b' + str(l)] = (n, 1)\n"
            "    return shapes\n")}, "numpy integers from zip over an array"),
        ("m_ps_transposed", "mistake", {"parameter_shapes": (
            "def parameter_shapes(layer_dims):\n    shapes = {}\n"
            "    for l in range(1, len(layer_dims)):\n"
            "        shapes['W' + str(l)] = (layer_dims[l - 1], layer_dims[l])\n"
            "        shapes['b' + str(l)] = (layer_dims[l], 1)\n    return shapes\n")}, "W as (n[l-1], n[l])"),
        ("m_ps_off_by_one", "mistake", {"parameter_shapes": (
            "def parameter_shapes(layer_dims):\n    shapes = {}\n"
            "    for l in range(1, len(layer_dims) - 1):\n"
            "        shapes['W' + str(l)] = (layer_dims[l], layer_dims[l - 1])\n"
            "        shapes['b' + str(l)] = (layer_dims[l], 1)\n    return shapes\n")}, "stops one layer early"),
        ("m_ps_b_row", "mistake", {"parameter_shapes": (
            "def parameter_shapes(layer_dims):\n    shapes = {}\n"
            "    for l in range(1, len(layer_dims)):\n"
            "        shapes['W' + str(l)] = (layer_dims[l], layer_dims[l - 1])\n"
            "        shapes['b' + str(l)] = (1, layer_dims[l])\n    return shapes\n")}, "b as a row"),
        ("m_ps_modifies_input", "mistake", {"parameter_shapes": (
            "def parameter_shapes(layer_dims):\n    shapes = {}\n    previous = layer_dims.pop(0)\n"
            "    for l, n in enumerate(layer_dims, start=1):\n"
            "        shapes['W' + str(l)] = (n, previous)\n        shapes['b' + str(l)] = (n, 1)\n"
            "        previous = n\n    return shapes\n")}, "pops the caller's list"),
        # activation_shapes
        ("c_as_key_order", "correct", {"activation_shapes": (
            "def activation_shapes(layer_dims, m):\n"
            "    shapes = {'A' + str(l): (n, m) for l, n in enumerate(layer_dims)}\n"
            "    shapes.update({'Z' + str(l): (layer_dims[l], m) for l in range(1, len(layer_dims))})\n"
            "    return shapes\n")}, "all A keys, then all Z keys"),
        ("c_as_uses_parameter_shapes", "correct", {"activation_shapes": (
            "def activation_shapes(layer_dims, m):\n    shapes = {'A0': (layer_dims[0], m)}\n"
            "    for key, (rows, _) in parameter_shapes(layer_dims).items():\n"
            "        if key.startswith('W'):\n"
            "            shapes['Z' + key[1:]] = shapes['A' + key[1:]] = (rows, m)\n"
            "    return shapes\n")}, "built from parameter_shapes"),
        ("m_as_hard_coded", "mistake", {"activation_shapes": (
            "def activation_shapes(layer_dims, m):\n"
            "    return {'A0': (3, 5), 'Z1': (4, 5), 'A1': (4, 5), 'Z2': (1, 5), 'A2': (1, 5)}\n")},
         "the visible example's answer, hard-coded"),
        ("m_as_transposed", "mistake", {"activation_shapes": (
            "def activation_shapes(layer_dims, m):\n    shapes = {'A0': (m, layer_dims[0])}\n"
            "    for l in range(1, len(layer_dims)):\n"
            "        shapes['Z' + str(l)] = shapes['A' + str(l)] = (m, layer_dims[l])\n"
            "    return shapes\n")}, "(m, n[l]): examples as rows"),
        ("m_as_no_A0", "mistake", {"activation_shapes": (
            "def activation_shapes(layer_dims, m):\n    shapes = {}\n"
            "    for l in range(1, len(layer_dims)):\n"
            "        shapes['Z' + str(l)] = shapes['A' + str(l)] = (layer_dims[l], m)\n"
            "    return shapes\n")}, "forgets A0"),
        ("m_as_global_m", "mistake", {"activation_shapes": (
            "def activation_shapes(layer_dims, m):\n    shapes = {'A0': (layer_dims[0], train_X.shape[1])}\n"
            "    for l in range(1, len(layer_dims)):\n"
            "        shapes['Z' + str(l)] = shapes['A' + str(l)] = (layer_dims[l], train_X.shape[1])\n"
            "    return shapes\n")}, "m taken from the global train_X"),
        # normalize_rows
        ("c_nr_sqrt_sum", "correct", {"normalize_rows": (
            "def normalize_rows(x):\n    return x / np.sqrt(np.sum(x ** 2, axis=1, keepdims=True))\n")},
         "sqrt of a keepdims sum"),
        ("c_nr_reshape", "correct", {"normalize_rows": (
            "def normalize_rows(x):\n    return x / np.linalg.norm(x, axis=1).reshape(-1, 1)\n")},
         "norm(axis=1).reshape(-1, 1)"),
        ("c_nr_einsum", "correct", {"normalize_rows": (
            "def normalize_rows(x):\n    return x / np.sqrt(np.einsum('ij,ij->i', x, x))[:, None]\n")},
         "einsum and [:, None]"),
        ("c_nr_copy_in_place", "correct", {"normalize_rows": (
            "def normalize_rows(x):\n    y = x.astype(float)\n"
            "    y /= np.linalg.norm(y, axis=1, keepdims=True)\n    return y\n")},
         "in place on its own copy"),
        ("m_nr_no_keepdims", "mistake", {"normalize_rows": (
            "def normalize_rows(x):\n    return x / np.linalg.norm(x, axis=1)\n")}, "no keepdims"),
        ("m_nr_sum_squares", "mistake", {"normalize_rows": (
            "def normalize_rows(x):\n    return x / np.sum(x ** 2, axis=1, keepdims=True)\n")}, "no square root"),
        ("m_nr_axis0", "mistake", {"normalize_rows": (
            "def normalize_rows(x):\n    return x / np.linalg.norm(x, axis=0, keepdims=True)\n")}, "columns normalised"),
        ("m_nr_in_place", "mistake", {"normalize_rows": (
            "def normalize_rows(x):\n    x /= np.linalg.norm(x, axis=1, keepdims=True)\n    return x\n")},
         "divides the caller's array in place"),
        # concept questions: the right answer written another way, and a wrong one
        ('c_q_weight_shape_spaced', 'correct', {'q_weight_shape': 'q_weight_shape = " B "\n'},
         'the right letter in upper case, with spaces'),
        ('m_q_weight_shape_transposed', 'mistake', {'q_weight_shape': 'q_weight_shape = "a"\n'},
         '(n[l-1], n[l]): the transposed shape'),
        ('c_q_parameter_count_float', 'correct', {'q_parameter_count': 'q_parameter_count = 26.0\n'},
         'the right count as a float'),
        ('m_q_parameter_count_weights_only', 'mistake', {'q_parameter_count': 'q_parameter_count = 20\n'},
         'the weights only, no biases'),
        ('c_q_hidden_layer_upper', 'correct', {'q_hidden_layer': 'q_hidden_layer = "C"\n'},
         'the right letter in upper case'),
        ('m_q_hidden_layer_random', 'mistake', {'q_hidden_layer': 'q_hidden_layer = "d"\n'},
         'hidden because the weights start random'),
    ]
