"""Figures the notebooks show. Each function draws and returns the matplotlib Figure.

No global style is changed: every function sets what it needs on its own axes.
"""

from __future__ import annotations

import numpy as np


def _plt():
    import matplotlib.pyplot as plt

    return plt


def image_grid(images: np.ndarray, titles=None, ncols: int = 6, size: float = 1.8, suptitle: str = ""):
    """Show (k, h, w, c) uint8 images in a grid, with an optional title under each."""
    plt = _plt()
    k = len(images)
    nrows = max(1, int(np.ceil(k / ncols)))
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows + 0.4), squeeze=False)
    for index, ax in enumerate(axes.ravel()):
        ax.axis("off")
        if index < k:
            ax.imshow(images[index])
            if titles is not None:
                ax.set_title(str(titles[index]), fontsize=9)
    if suptitle:
        fig.suptitle(suptitle)
    fig.tight_layout()
    return fig


def image_and_vector(image: np.ndarray, vector: np.ndarray, title: str = "An image and its column vector"):
    """An (h, w, c) image beside its (h*w*c, 1) flattened column, drawn as a tall strip.

    The strip shows the first 3*w*... entries large enough to read: the colour channels of
    each pixel follow each other, then the pixels of a row, then the rows.
    """
    plt = _plt()
    h, w, c = image.shape
    fig, (left, middle, right) = plt.subplots(
        1, 3, figsize=(9, 4), gridspec_kw={"width_ratios": [3, 0.6, 3]})
    left.imshow(image)
    left.set_title(f"image: shape {image.shape}")
    left.set_xlabel("column index (w)")
    left.set_ylabel("row index (h)")
    strip = np.asarray(vector).reshape(-1, 1)
    middle.imshow(strip, aspect="auto", cmap="gray", interpolation="nearest")
    middle.set_title(f"vector\n{strip.shape}", fontsize=9)
    middle.set_xticks([])
    middle.set_ylabel("entry index (0 at the top)")
    first = strip[: 4 * c].ravel()
    colours = ["red", "green", "blue"][:c] * 4 if c == 3 else ["gray"] * len(first)
    right.bar(np.arange(len(first)), first, color=colours)
    right.set_title("first 4 pixels of row 0: R, G, B, R, G, B, ...")
    right.set_xlabel("entry index in the vector")
    right.set_ylabel("value")
    fig.suptitle(title)
    fig.tight_layout()
    return fig
