"""01_notation: the one definition of each graded function's checks (see helpers/exercises).

The test cells of source/01_notation are generated from this file:
``python -m helpers.exercises render 01_notation``, then ``course generate 01_notation``.
"""

from helpers.exercises import Exercise, Hidden, Question, Visible

REFERENCE = "helpers.reference.notation"

ANOTHER_SHAPE = "Another shape, drawn from a seeded generator: an answer written for the example above fails here."


def _dims(rng, low, high, n):
    return [int(v) for v in rng.integers(low, high, n)]


def _images(rng, shapes, what):
    return [Hidden((rng.random(shape),), f"{what}(array of shape {shape})") for shape in shapes]


EXERCISES = [
    Exercise(
        "image2vector", cell="test_image2vector",
        visible=[
            Visible(
                comment="A 2x2 image with 3 channels holding 0..11: row-major order reads them back in order.",
                setup="image = np.arange(12).reshape(2, 2, 3)",
                call="image", expected="np.arange(12).reshape(12, 1)",
                label="image2vector(np.arange(12).reshape(2, 2, 3))",
                mistakes={"the entries come out in a different order: reshape the image as it is; "
                          "do not transpose it first.": "image.T.reshape(-1, 1)"}),
            Visible(
                comment=ANOTHER_SHAPE,
                setup="image = np.random.default_rng(1).integers(0, 10, size=(3, 1, 2))",
                call="image", label="image2vector(image of shape (3, 1, 2))"),
        ],
        hidden=lambda rng: _images(rng, [(1, 1, 1), (3, 5, 2), (7, 2, 4), (64, 64, 3),
                                         tuple(_dims(rng, 2, 9, 3))], "image2vector"),
    ),
    Exercise(
        "images_to_matrix", cell="test_images_to_matrix",
        visible=[
            Visible(
                comment="Two 2x2 images with 3 channels: the first holds 0..11, the second 12..23;\n"
                        "column i of the result is image i flattened.",
                setup="images = np.arange(24).reshape(2, 2, 2, 3)",
                call="images",
                expected="np.column_stack([np.arange(12), np.arange(12, 24)])",
                label="images_to_matrix(np.arange(24).reshape(2, 2, 2, 3))",
                mistakes={"each column mixes two images: reshape(-1, m) cuts the data without regard "
                          "to where an image ends. Make one ROW per image first (reshape(m, -1)), "
                          "then transpose.": "images.reshape(-1, 2)"}),
            Visible(
                comment=ANOTHER_SHAPE,
                setup="images = np.random.default_rng(2).integers(0, 10, size=(3, 1, 2, 2))",
                call="images", label="images_to_matrix(images of shape (3, 1, 2, 2))",
                mistakes={"each column mixes several images: make one ROW per image first "
                          "(reshape(m, -1)), then transpose.": "images.reshape(-1, 3)"}),
        ],
        hidden=lambda rng: _images(rng, [(1, 2, 3, 3), (5, 4, 4, 3), (3, 1, 7, 2), (9, 8, 8, 1),
                                         tuple(_dims(rng, 2, 7, 4))], "images_to_matrix"),
    ),
    Exercise(
        "parameter_shapes", cell="test_parameter_shapes",
        visible=[
            Visible(
                comment="3 inputs, a hidden layer of 4 units, 1 output unit.",
                setup="layer_dims = [3, 4, 1]",
                call="layer_dims",
                expected='{"W1": (4, 3), "b1": (4, 1), "W2": (1, 4), "b2": (1, 1)}',
                label="parameter_shapes([3, 4, 1])",
                mistakes={
                    "W[l] is (n[l], n[l-1]): its rows are the units of layer l, its columns those of layer l-1.":
                        '{"W1": (3, 4), "W2": (4, 1)}',
                    "b[l] is a column with one entry per unit of layer l: (n[l], 1).":
                        '{"b1": (1, 4), "b2": (1, 1)}',
                }),
            Visible(
                comment="Three layers of sizes drawn from a seeded generator (L = 3).",
                setup="layer_dims = [int(n) for n in np.random.default_rng(3).integers(1, 9, size=4)]",
                call="layer_dims", label="parameter_shapes(layer_dims of 4 sizes)"),
        ],
        hidden=lambda rng: [Hidden((dims,), f"parameter_shapes({dims})") for dims in (
            [5, 1], [2, 3], [12288, 20, 7, 5, 1], [1, 1, 1, 1], [7, 50, 2, 9],
            [int(rng.integers(1, 20)), 1], _dims(rng, 1, 30, 5))],
    ),
    Exercise(
        "activation_shapes", cell="test_activation_shapes",
        visible=[
            Visible(
                setup="",
                call="[3, 4, 1], 5",
                expected='{"A0": (3, 5), "Z1": (4, 5), "A1": (4, 5), "Z2": (1, 5), "A2": (1, 5)}',
                label="activation_shapes([3, 4, 1], m=5)",
                mistakes={"examples are columns: every Z[l] and A[l] is (n[l], m), not (m, n[l]).":
                          '{"A0": (5, 3), "Z1": (5, 4), "A1": (5, 4), "Z2": (5, 1), "A2": (5, 1)}'}),
            Visible(
                comment="Other sizes and another m, drawn from a seeded generator.",
                setup="layer_dims = [int(n) for n in np.random.default_rng(4).integers(1, 9, size=3)]",
                call="layer_dims, 7", label="activation_shapes(layer_dims of 3 sizes, m=7)"),
        ],
        hidden=lambda rng: [Hidden((dims, m), f"activation_shapes({dims}, m={m})") for dims, m in (
            ([5, 1], 1), ([2, 3], 7), ([12288, 20, 7, 5, 1], 209), ([4, 4, 4], 4), ([6, 2, 9, 1], 3),
            ([int(rng.integers(1, 9)), 1], 1), (_dims(rng, 1, 30, 4), int(rng.integers(2, 300))))],
    ),
    Exercise(
        "normalize_rows", cell="test_normalize_rows",
        visible=[
            Visible(
                comment="The row lengths are 5 and sqrt(53).",
                setup="x = np.array([[0.0, 3.0, 4.0],\n              [1.0, 6.0, 4.0]])",
                call="x",
                expected="x / np.array([[5.0], [np.sqrt(53.0)]])",
                label="normalize_rows([[0, 3, 4], [1, 6, 4]])",
                mistakes={
                    "each row was divided by the sum of its squares: take the square root (or use np.linalg.norm).":
                        "x / np.sum(x ** 2, axis=1, keepdims=True)",
                    "each COLUMN was divided by its length: the lengths must run along axis=1, one per row.":
                        "x / np.linalg.norm(x, axis=0, keepdims=True)",
                }),
            Visible(
                comment="A square matrix, drawn from a seeded generator: here a missing keepdims=True gives\n"
                        "no error, only wrong numbers.",
                setup="x = np.random.default_rng(5).integers(1, 9, size=(3, 3)).astype(float)",
                call="x", label="normalize_rows(x of shape (3, 3))",
                mistakes={"each row was divided by the lengths laid out as a ROW: without keepdims=True, "
                          "norm(x, axis=1) has shape (n,), which broadcasts along the rows. Keep the "
                          "summed axis (keepdims=True).": "x / np.linalg.norm(x, axis=1)"}),
        ],
        hidden=lambda rng: [Hidden((rng.standard_normal(shape) + 0.1,), f"normalize_rows(x of shape {shape})")
                            for shape in [(1, 1), (1, 6), (6, 1), (4, 4), (10, 3), tuple(_dims(rng, 2, 8, 2))]],
    ),
]


QUESTIONS = [
    Question(
        name="q_weight_shape", cell="test_q_weight_shape", answer="b", choices=("a", "b", "c", "d"),
        explanation="Write the layer for one example, z = W a + b, with a the column of the 3 activations "
                    "of the layer before and z the column of this layer's 5 units. A product (p, q)(q, r) "
                    "gives (p, r): which shape turns a (3, 1) column into a (5, 1) column?"),
    Question(
        name="q_parameter_count", cell="test_q_parameter_count", answer=26,
        explanation="Layer l has n[l] x n[l-1] weights (its W) and n[l] biases (its b). Add them for "
                    "l = 1, 2, 3: layer 0 is the input and has no parameters of its own."),
    Question(
        name="q_hidden_layer", cell="test_q_hidden_layer", answer="c", choices=("a", "b", "c", "d"),
        explanation="Think of what one example of the training set holds: the inputs (layer 0) and the "
                    "label (what layer L should output). What does it say about the units in between?"),
]
