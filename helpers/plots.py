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
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, (size + 0.4) * nrows + 0.5),
                             squeeze=False, layout="constrained")
    for index, ax in enumerate(axes.ravel()):
        ax.axis("off")
        if index >= k:
            ax.set_visible(False)      # an empty slot: nothing to show, nothing to label
        else:
            ax.imshow(images[index])
            if titles is not None:
                ax.set_title(str(titles[index]), fontsize=9)
    if suptitle:
        fig.suptitle(suptitle)
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
    middle.set_xlabel("1 column")
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


def decision_boundary(predict_fn, X: np.ndarray, Y: np.ndarray, ax=None, title: str = "Decision boundary",
                      resolution: int = 300, margin: float = 1.0):
    """Shade the plane by the class a model predicts, and scatter the examples on top.

    Arguments:
    predict_fn -- a function mapping a (2, k) array of points (columns) to (1, k) predictions
                  (0/1 labels, or probabilities: values above 0.5 count as class 1)
    X -- the examples, shape (2, m): row 0 is x1 (horizontal axis), row 1 is x2 (vertical axis)
    Y -- the labels, shape (1, m) or (m,), values 0/1
    ax -- the matplotlib Axes to draw on; None makes a new figure
    title -- the title of the axes
    resolution -- the grid has resolution x resolution points
    margin -- how far the grid reaches beyond the data on each side

    Returns the Figure that holds ``ax``.
    """
    plt = _plt()
    if ax is None:
        fig, ax = plt.subplots(figsize=(5, 4))
    else:
        fig = ax.figure
    X = np.asarray(X, dtype=float)
    labels = np.asarray(Y).reshape(-1)
    x_min, x_max = X[0].min() - margin, X[0].max() + margin
    y_min, y_max = X[1].min() - margin, X[1].max() + margin
    xx, yy = np.meshgrid(np.linspace(x_min, x_max, resolution), np.linspace(y_min, y_max, resolution))
    grid = np.vstack([xx.ravel(), yy.ravel()])                      # (2, resolution**2)
    predictions = np.asarray(predict_fn(grid), dtype=float).reshape(xx.shape)
    ax.contourf(xx, yy, (predictions > 0.5).astype(float), levels=[-0.5, 0.5, 1.5],
                colors=["#f4b6b6", "#b6c8f4"], alpha=0.8)
    ax.scatter(X[0], X[1], c=labels, cmap="bwr_r", vmin=0, vmax=1, s=12, edgecolors="k", linewidths=0.3)
    ax.set_xlim(x_min, x_max)
    ax.set_ylim(y_min, y_max)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_title(title)
    return fig


def broadcasting_picture(pairs, op: str = "+", title: str = "Broadcasting: axes of length 1 are stretched"):
    """Draw ``a op b`` for small arrays, one row of panels per pair ``(a, b)`` in ``pairs``.

    ``a`` and ``b`` are numbers or arrays with at most 2 axes whose shapes broadcast (for
    example (3, 4) and (1, 4), (3, 4) and (3, 1), (3, 1) and (1, 4)). Each operand is drawn at
    the shape of the result: its own entries in a strong colour, the copies numpy makes by
    stretching an axis of length 1 (or an axis it does not have) faded, with dashed edges.
    The third panel is the result. ``op`` is one of "+", "-", "*", "/".
    """
    plt = _plt()
    from matplotlib.patches import Rectangle

    ops = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide}
    rows = len(pairs)
    fig, axes = plt.subplots(rows, 3, figsize=(10, 2.6 * rows), squeeze=False)

    def text_of(value):
        return f"{value:g}" if float(value) != int(value) else str(int(value))

    def draw(ax, array, shape, colour, label):
        own = np.atleast_2d(np.asarray(array, dtype=float))
        if np.ndim(array) == 1:
            own = own.reshape(1, -1)
        full = np.broadcast_to(own, shape)
        for i in range(shape[0]):
            for j in range(shape[1]):
                original = i < own.shape[0] and j < own.shape[1]
                ax.add_patch(Rectangle((j, -i - 1), 1, 1, facecolor=colour,
                                       alpha=0.85 if original else 0.2,
                                       edgecolor="black", linestyle="-" if original else "--"))
                ax.text(j + 0.5, -i - 0.5, text_of(full[i, j]), ha="center", va="center",
                        fontsize=10, color="black" if original else "dimgray")
        ax.set_xlim(-0.1, max(shape[1], 1) + 0.1)
        ax.set_ylim(-max(shape[0], 1) - 0.1, 0.1)
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
        for side in ax.spines.values():
            side.set_visible(False)
        ax.set_title(label, fontsize=10)

    for row, (a, b) in enumerate(pairs):
        result = ops[op](np.asarray(a, dtype=float), np.asarray(b, dtype=float))
        shape = np.atleast_2d(result).shape
        draw(axes[row, 0], a, shape, "tab:blue", f"a: shape {np.shape(a)}")
        draw(axes[row, 1], b, shape, "tab:orange", f"b: shape {np.shape(b)}")
        draw(axes[row, 2], result, shape, "tab:green", f"a {op} b: shape {np.shape(result)}")
        axes[row, 0].set_ylabel("rows (axis 0)")
    for ax in axes[-1]:
        ax.set_xlabel("columns (axis 1)")
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def cache_flow(L: int = 3, title: str = "Forward and backward pass of an L-layer network: the caches"):
    """Diagram of an L-layer network's forward pass (top row) and backward pass (bottom row).

    Each forward box ``[l]`` turns ``A[l-1]`` into ``A[l]`` and hands its cache
    ``((A[l-1], W[l], b[l]), Z[l])`` down to the backward box of the same layer, which turns
    ``dA[l]`` into ``dA[l-1]`` and gives ``dW[l]``, ``db[l]``. Layer 1's backward box computes no
    ``dA0`` (drawn crossed out): training never uses it. ``L`` is the number of layers (1 to 6).
    Returns the Figure.
    """
    plt = _plt()
    from matplotlib.patches import FancyBboxPatch

    L = int(L)
    fig, ax = plt.subplots(figsize=(2.3 * (L + 2), 4.6))
    box_w, box_h, y_top, y_bottom = 1.3, 0.9, 3.0, 0.6

    def x_of(l):
        return 2.2 * l

    def box(x, y, text, colour):
        ax.add_patch(FancyBboxPatch((x - box_w / 2, y - box_h / 2), box_w, box_h,
                                    boxstyle="round,pad=0.05", facecolor=colour, edgecolor="black"))
        ax.text(x, y, text, ha="center", va="center", fontsize=10)

    def arrow(x0, y0, x1, y1, colour="black", style="-"):
        ax.annotate("", xy=(x1, y1), xytext=(x0, y0),
                    arrowprops=dict(arrowstyle="->", color=colour, linestyle=style, lw=1.4))

    for l in range(1, L + 1):
        g = "sigmoid" if l == L else "relu"
        box(x_of(l), y_top, f"layer [{l}]\nlinear + {g}", "#cfe2f3")
        box(x_of(l), y_bottom, f"layer [{l}]\nbackward", "#f9d9c9")
        label_forward = "X = A0" if l == 1 else f"A{l - 1}"
        arrow(x_of(l) - 2.2 + box_w / 2, y_top, x_of(l) - box_w / 2, y_top)
        ax.text(x_of(l) - 1.1, y_top + 0.15, label_forward, ha="center", va="bottom", fontsize=9)
        arrow(x_of(l), y_top - box_h / 2, x_of(l), y_bottom + box_h / 2, colour="tab:green", style="--")
        ax.text(x_of(l) + 0.08, (y_top + y_bottom) / 2, f"cache {l}\n((A{l - 1}, W{l}, b{l}), Z{l})",
                ha="left", va="center", fontsize=8, color="tab:green")
        ax.text(x_of(l), y_bottom - box_h / 2 - 0.12, f"dW{l}, db{l}", ha="center", va="top",
                fontsize=9, color="tab:red")
        if l > 1:
            arrow(x_of(l) - box_w / 2, y_bottom, x_of(l) - 2.2 + box_w / 2, y_bottom, colour="tab:red")
            ax.text(x_of(l) - 1.1, y_bottom + 0.15, f"dA{l - 1}", ha="center", va="bottom", fontsize=9,
                    color="tab:red")
    ax.text(x_of(0) + 0.5, y_bottom, "dA0\nnot computed", ha="center", va="center", fontsize=9,
            color="gray")
    ax.plot([x_of(0) + 0.05, x_of(0) + 0.95], [y_bottom - 0.3, y_bottom + 0.3], color="gray", lw=1)
    x_cost = x_of(L + 1)
    box(x_cost, (y_top + y_bottom) / 2, "cost J\n(AL, Y)", "#e6e6e6")
    arrow(x_of(L) + box_w / 2, y_top, x_cost - 0.3, (y_top + y_bottom) / 2 + box_h / 2, colour="black")
    ax.text((x_of(L) + x_cost) / 2 + 0.1, y_top, f"AL = A{L}", ha="left", va="bottom", fontsize=9)
    arrow(x_cost - 0.3, (y_top + y_bottom) / 2 - box_h / 2, x_of(L) + box_w / 2, y_bottom, colour="tab:red")
    ax.text((x_of(L) + x_cost) / 2 + 0.1, y_bottom - 0.05, f"dA{L}", ha="left", va="top", fontsize=9,
            color="tab:red")
    ax.text(x_of(0) - 0.6, y_top, "forward", ha="right", va="center", fontsize=11, rotation=90)
    ax.text(x_of(0) - 0.6, y_bottom, "backward", ha="right", va="center", fontsize=11, rotation=90)
    ax.set_xlim(x_of(0) - 1.0, x_cost + 1.0)
    ax.set_ylim(y_bottom - 1.0, y_top + 0.9)
    ax.set_title(title)
    mark_diagram(ax)
    fig.tight_layout()
    return fig


def computation_graph(nodes: dict, edges, title: str = "A computation graph", figsize=(10, 3.4)):
    """Draw a small computation graph, left to right: one box a node, one arrow an edge.

    Arguments:
    nodes -- dict name -> (x, y, forward_text, backward_text): the centre of the node's box in
             data units (about 2 units between neighbouring nodes), the text in the box (the
             forward value, e.g. "u = bc = 6") and the text under it in red (the derivative,
             e.g. "dJ/du = 3"; "" for none)
    edges -- list of (from_name, to_name) pairs: an arrow from one box to the other
    title -- the title of the figure

    Returns the Figure.
    """
    plt = _plt()
    fig, ax = plt.subplots(figsize=figsize)
    boxes = {}
    for name, (x, y, forward, backward) in nodes.items():
        boxes[name] = ax.text(x, y, forward, ha="center", va="center", fontsize=11, zorder=3,
                              bbox=dict(boxstyle="round,pad=0.4", facecolor="#cfe2f3", edgecolor="black"))
        if backward:
            ax.text(x, y - 0.42, backward, ha="center", va="top", fontsize=10, color="tab:red", zorder=3)
    for start, end in edges:
        (x0, y0), (x1, y1) = nodes[start][:2], nodes[end][:2]
        ax.annotate("", xy=(x1, y1), xytext=(x0, y0), zorder=2,
                    arrowprops=dict(arrowstyle="->", lw=1.3, color="black", shrinkA=4, shrinkB=4,
                                    patchA=boxes[start].get_bbox_patch(), patchB=boxes[end].get_bbox_patch()))
    xs = [node[0] for node in nodes.values()]
    ys = [node[1] for node in nodes.values()]
    ax.set_xlim(min(xs) - 1.1, max(xs) + 1.1)
    ax.set_ylim(min(ys) - 1.1, max(ys) + 0.7)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("forward pass: left to right (values in the boxes); "
                  "backward pass: right to left (derivatives in red)")
    ax.set_ylabel("inputs and steps")
    ax.set_title(title)
    fig.tight_layout()
    return fig


#: The gid :func:`mark_diagram` gives a diagram's axes: :func:`missing_labels` asks them for a title only.
DIAGRAM = "course-diagram"


def mark_diagram(ax) -> None:
    """Declare ``ax`` a diagram (boxes and arrows placed by hand, no data, no scale): its axes lines,
    ticks and labels are hidden, and the figure audit (:func:`missing_labels`) exempts it, by name,
    from the axis-label rule. A diagram still needs a title."""
    ax.set_gid(DIAGRAM)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    for spine in ax.spines.values():
        spine.set_visible(False)


def is_diagram(ax) -> bool:
    """Was ``ax`` declared a diagram with :func:`mark_diagram`?"""
    return ax.get_gid() == DIAGRAM


def missing_labels(fig) -> list[str]:
    """What a reader of ``fig`` would miss: axes without a title or without axis labels.

    Rules (the course's plots keep them; the test suite audits every figure the solutions draw):
    the figure has a ``suptitle`` or every axes has a title; every axes that shows its axes (not
    turned off, as picture grids and diagrams are) has an x label and a y label, where a shared
    label counts: any axes in the same grid column gives the column its x label, any in the same
    grid row gives the row its y label, and a figure-level ``supxlabel``/``supylabel`` serves all.
    Colour bars are exempt, and so are the axis labels (not the title) of axes declared diagrams by
    :func:`mark_diagram`: the one named exemption, for boxes and arrows with no axes to label.
    Returns one line per problem, empty when the figure is fine.
    """
    problems = []
    axes = [ax for ax in fig.get_axes() if ax.get_visible() and not hasattr(ax, "_colorbar")
            and ax.get_label() != "<colorbar>"]
    suptitle = fig._suptitle.get_text().strip() if getattr(fig, "_suptitle", None) else ""
    supx = fig._supxlabel.get_text().strip() if getattr(fig, "_supxlabel", None) else ""
    supy = fig._supylabel.get_text().strip() if getattr(fig, "_supylabel", None) else ""

    def span(ax, which):
        spec = ax.get_subplotspec() if hasattr(ax, "get_subplotspec") else None
        if spec is None:
            return None
        rows, cols = spec.rowspan, spec.colspan
        return (id(spec.get_gridspec()), (rows.start, rows.stop) if which == "row" else (cols.start, cols.stop))

    shown = [ax for ax in axes if ax.axison]
    labelled_cols = {span(ax, "col") for ax in shown if ax.get_xlabel().strip()}
    labelled_rows = {span(ax, "row") for ax in shown if ax.get_ylabel().strip()}
    for number, ax in enumerate(axes, start=1):
        name = f"axes {number}" + (f" ({ax.get_title()!r})" if ax.get_title() else "")
        if not (ax.get_title().strip() or ax.get_title(loc="left").strip() or suptitle):
            problems.append(f"{name}: no title (and no figure suptitle)")
        if not ax.axison or is_diagram(ax):
            continue
        if not (ax.get_xlabel().strip() or supx or (span(ax, "col") in labelled_cols and span(ax, "col"))):
            problems.append(f"{name}: no x label")
        if not (ax.get_ylabel().strip() or supy or (span(ax, "row") in labelled_rows and span(ax, "row"))):
            problems.append(f"{name}: no y label")
    return problems
