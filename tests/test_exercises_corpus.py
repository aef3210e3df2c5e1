"""What the student sees is what the grade is: a corpus of variants of the graded functions of the
assignments converted to one definition per exercise (helpers/exercises), each run both ways.

- **visible**: the released test cells (what students run: no hidden block) in one real kernel,
  after the notebook's own cells, with the variant's code in place of the solution;
- **graded**: ``course grade`` (helpers.classgrader: sandboxed nbgrader, then the trusted re-check)
  on one class holding one student per variant.

Correct alternatives must pass visibly and keep every point; mistakes must fail visibly and lose
the exercise's points. Any disagreement fails the suite, with the table of verdicts.
"""

from __future__ import annotations

import re

import pytest

from helpers import classgrader, grading, submissions
from conftest import PROJECT

pytestmark = pytest.mark.slow


# (variant id, "correct" or "mistake", {solution cell: code}, what it is)
CORPUS = {
    "01_notation": [
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
    ],
}

#: solution cell -> test cell, per assignment (from the definitions)
ASSIGNMENTS = sorted(CORPUS)


def _test_cell(assignment):
    from helpers import exercises

    return {ex.solution: ex.cell for ex in exercises.exercises(assignment)}


def _visible_cell(source: str) -> str:
    """The test cell as released: nbgrader removes the hidden block."""
    return re.sub(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS\n?", "", source, flags=re.S)


def _visible_verdicts(assignment) -> dict:
    """{(variant, test cell): (passed, first line of the failure)}, all in one kernel."""
    from jupyter_client.manager import start_new_kernel

    nb = submissions.solutions_notebook(PROJECT, assignment)
    cells = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells}
    test_of = _test_cell(assignment)
    km, kc = start_new_kernel(kernel_name="python3", cwd=str(PROJECT / "source" / assignment))

    def run(code):
        msg_id = kc.execute(code, store_history=False)
        error = None
        while True:
            msg = kc.get_iopub_msg(timeout=120)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "error":
                error = f"{msg['content']['ename']}: {msg['content']['evalue']}".splitlines()[0]
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                return error

    try:
        for cell in nb.cells:  # the whole notebook once, as a student runs it
            if cell.cell_type == "code":
                run(_visible_cell(cell.source) if "### BEGIN HIDDEN TESTS" in cell.source else cell.source)
        out = {}
        for variant, _, replace, _ in CORPUS[assignment]:
            for solution, code in replace.items():
                run(code)
            for solution in replace:
                test = test_of[solution]
                error = run(_visible_cell(cells[test].source))
                out[(variant, test)] = (error is None, error or "")
            for solution in replace:  # back to the solutions for the next variant
                run(cells[solution].source)
        return out
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def verdicts(request, tmp_path_factory):
    assignment = request.param
    visible = _visible_verdicts(assignment)
    course = grading.make_course_copy(PROJECT, tmp_path_factory.mktemp(assignment), [assignment])
    for variant, _, replace, _ in CORPUS[assignment]:
        nb = submissions.apply_bugs(submissions.solutions_notebook(course, assignment), replace)
        submissions.place(course, variant, assignment, nb)
    outcomes = {o.student: o for o in classgrader.grade_class(
        course, [assignment], feedback=False, log=lambda *_: None, progress=False)}
    return assignment, visible, outcomes


def table(assignment, visible, outcomes) -> list:
    """[(variant, kind, test cell, visible verdict, graded verdict, problem or "")]"""
    test_of = _test_cell(assignment)
    rows = []
    for variant, kind, replace, what in CORPUS[assignment]:
        outcome = outcomes[variant]
        for solution in replace:
            test = test_of[solution]
            passed, message = visible[(variant, test)]
            score, maximum = outcome.cells.get(test, (None, None))
            full = score is not None and score == maximum
            others = {n: s for n, (s, m) in outcome.cells.items() if n != test and s != m}
            problem = []
            if passed != full:
                problem.append("visible and graded disagree")
            if kind == "correct" and not (passed and full):
                problem.append("a correct alternative is refused")
            if kind == "mistake" and (passed or score != 0):
                problem.append("a mistake keeps points or passes visibly")
            if others:
                problem.append(f"other cells lose points: {others}")
            rows.append((variant, kind, test, "pass" if passed else f"FAIL ({message[:70]})",
                         f"{score}/{maximum}", "; ".join(problem)))
    return rows


def test_visible_verdict_is_the_graded_verdict(verdicts):
    assignment, visible, outcomes = verdicts
    bad = [o for o in outcomes.values() if o.status != "graded"]
    assert not bad, [(o.student, o.reason) for o in bad]
    rows = table(assignment, visible, outcomes)
    text = "\n".join(f"  {v:<28} {k:<8} {t:<24} {vis:<90} {g:<6} {p}" for v, k, t, vis, g, p in rows)
    print(f"\n{assignment}: variant, kind, test cell, visible, graded\n{text}")
    wrong = [row for row in rows if row[-1]]
    assert not wrong, f"{assignment}: {len(wrong)} disagreement(s):\n{text}"


def test_every_exercise_has_correct_and_buggy_variants(verdicts):
    assignment, _, _ = verdicts
    test_of = _test_cell(assignment)
    kinds = {(test_of[s], kind) for _, kind, replace, _ in CORPUS[assignment] for s in replace}
    missing = [(cell, kind) for cell in test_of.values() for kind in ("correct", "mistake")
               if (cell, kind) not in kinds]
    assert not missing, f"{assignment}: no corpus variant for {missing}"


def test_visible_failures_put_the_essential_words_first(verdicts):
    """nbgrader's Validate keeps ~80 characters: the first 70 name the function and the problem."""
    assignment, visible, _ = verdicts
    test_of = _test_cell(assignment)
    bad = []
    for variant, kind, replace, _ in CORPUS[assignment]:
        for solution in replace:
            passed, message = visible[(variant, test_of[solution])]
            if not passed and message.startswith("CheckFailure") and solution not in message[:70]:
                bad.append(f"{variant}: {message[:100]}")
    assert not bad, "\n".join(bad)
