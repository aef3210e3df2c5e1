"""Trusted re-check of 01_notation: calls on fresh random inputs, judged against the reference."""

from helpers.recheck import Case
from helpers.reference import notation as reference


def _shape(rng, low, high, n):
    return tuple(int(v) for v in rng.integers(low, high, n))


def cases(rng):
    out = []
    for shape in [(1, 1, 1), _shape(rng, 2, 9, 3), (64, 64, 3)]:
        image = rng.random(shape)
        out.append(Case("test_image2vector", "image2vector", (image,), reference.image2vector(image),
                        label=f"image2vector(image of shape {shape})"))
    for shape in [(1, 2, 3, 3), _shape(rng, 2, 7, 4)]:
        images = rng.random(shape)
        out.append(Case("test_images_to_matrix", "images_to_matrix", (images,),
                        reference.images_to_matrix(images), label=f"images_to_matrix(shape {shape})"))
    for dims in ([int(rng.integers(1, 20)), 1], [int(v) for v in rng.integers(1, 30, 5)]):
        out.append(Case("test_parameter_shapes", "parameter_shapes", (list(dims),),
                        reference.parameter_shapes(dims), label=f"parameter_shapes({dims})"))
    for dims, m in (([int(rng.integers(1, 9)), 1], 1), ([int(v) for v in rng.integers(1, 30, 4)], int(rng.integers(2, 300)))):
        out.append(Case("test_activation_shapes", "activation_shapes", (list(dims), m),
                        reference.activation_shapes(dims, m), label=f"activation_shapes({dims}, {m})"))
    for shape in [(1, 1), _shape(rng, 2, 8, 2), (5, 5)]:
        x = rng.standard_normal(shape) + 0.1
        out.append(Case("test_normalize_rows", "normalize_rows", (x.copy(),), reference.normalize_rows(x),
                        label=f"normalize_rows(x of shape {shape})"))
    return out
