"""08_cat_classifier: the published figures (a quick drift test and a slow full run), the
generated building-block cell of the 08 notebook (the blocks graded in 07, from the single
reference source), and the helpers 08 adds (``data.load_picture``, ``checks.time_limit``)."""

from __future__ import annotations

import re

import numpy as np
import pytest

from helpers import checks, data, notebooks
from helpers.reference import deep_network as ref
from conftest import PROJECT
import figures

LEAKS = re.compile(r"BEGIN SOLUTION|END SOLUTION|BEGIN HIDDEN TESTS|END HIDDEN TESTS|helpers\.reference"
                   r"|from helpers import reference|import reference")


# --- the published figures ------------------------------------------------------------------

# Each figure's tolerance is the spread measured across BLAS kernels: tests/figures.py.

@pytest.fixture(scope="module")
def first_costs():
    """The reference's costs at iterations 0 and 100 of both models (see figures.cat_first_costs)."""
    return figures.cat_first_costs()


@pytest.mark.figures
def test_first_costs_reproduce_the_published_figures(first_costs):
    for name, key in (("08_two_layer_cost0", "two_layer"), ("08_four_layer_cost0", "four_layer")):
        figures.assert_figure(name, first_costs[name])
        assert figures.FIGURES[name].published == ref.PUBLISHED[key]["cost0"]
    figures.assert_figure("08_two_layer_cost100", first_costs["08_two_layer_cost100"])
    figures.assert_figure("08_four_layer_cost100", first_costs["08_four_layer_cost100"])


# The cat-photo case of each trainer's test cell (generated from helpers/exercises/08_cat_classifier.py):
# checks.training_run([cost at iteration 0, cost at iteration 100], shapes=..., rtol=..., ...).
CHECK_CALL = re.compile(r"checks\.training_run\(\[([0-9.e-]+), ([0-9.e-]+)\],\s*shapes=.*?rtol=([0-9.e-]+)", re.S)


@pytest.mark.figures
def test_the_notebooks_checks_expect_the_reference_costs_within_their_tolerance(first_costs):
    """The costs the 08 checks expect on the cat photos (iterations 0 and 100 of a 101-iteration
    run) are the reference's, and each check's rtol is no tighter than the spread of that cost across BLAS kernels (tests/figures.py)."""
    nb = notebooks.read(PROJECT / "source" / "08_cat_classifier" / "08_cat_classifier.ipynb")
    cells = {c.metadata.get("nbgrader", {}).get("grade_id"): c.source for c in nb.cells}
    for model, cell in (("two_layer", "test_two_layer_model"), ("four_layer", "test_L_layer_model")):
        calls = CHECK_CALL.findall(cells[cell])
        assert len(calls) == 1, f"{cell}: expected one checks.training_run([cost0, cost100], shapes=...), found {calls}"
        cost0, cost100, rtol = calls[0]
        found = {0: (float(cost0), float(rtol)), 1: (float(cost100), float(rtol))}
        for index, name in ((0, f"08_{model}_cost0"), (1, f"08_{model}_cost100")):
            expected, rtol = found[index]
            spec = figures.FIGURES[name]
            assert abs(first_costs[name] - expected) <= rtol * abs(expected), (
                f"{cell} expects {expected!r} (rtol {rtol:g}); the reference computes {first_costs[name]!r}")
            assert rtol * abs(expected) >= spec.tolerance, (
                f"{cell}: rtol {rtol:g} is tighter than the spread of {name} across BLAS kernels ({spec.spread})")


@pytest.mark.slow
@pytest.mark.figures
def test_full_runs_reproduce_the_published_accuracies():
    values = figures.cat_full_runs()
    for name in figures.FULL_FIGURES:
        figures.assert_figure(name, values[name])
    for key in ("two_layer", "four_layer"):
        published = ref.PUBLISHED[key]
        assert len(values[f"_08_{key}_costs"]) == 25
        figures.assert_figure(f"08_{key}_cost0", values[f"_08_{key}_costs"][0])
        assert round(values[f"08_{key}_train"], 2) == round(100 * published["train_accuracy"], 2)
        assert round(values[f"08_{key}_test"], 2) == round(100 * published["test_accuracy"], 2)


# --- the generated building blocks ----------------------------------------------------------

def _blocks_cell(folder):
    nb = notebooks.read(PROJECT / folder / "08_cat_classifier" / "08_cat_classifier.ipynb")
    cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == ref.BLOCKS_CELL_ID]
    assert len(cells) == 1, f"{folder}: the 08 notebook must hold one cell {ref.BLOCKS_CELL_ID!r}"
    return cells[0]


def test_the_blocks_cell_is_the_export_of_the_reference_source():
    cell = _blocks_cell("source")
    assert cell.source == ref.export_blocks(), (
        "the building-block cell of source/08_cat_classifier differs from helpers/reference/deep_network.py: "
        "run python scripts/export_blocks.py, then course generate 08_cat_classifier")
    meta = cell.metadata["nbgrader"]
    assert meta["locked"] and not meta["grade"] and not meta["solution"], "the blocks cell must be read-only"


@pytest.mark.parametrize("folder", ["release", "solutions"])
def test_generated_notebooks_carry_the_same_blocks(folder):
    assert _blocks_cell(folder).source == ref.export_blocks(), (
        f"{folder}/08_cat_classifier is stale: run course generate 08_cat_classifier")


def test_the_blocks_hold_no_reference_text_and_no_08_solution():
    text = ref.export_blocks()
    assert not LEAKS.search(text)
    namespace = {}
    exec(text, namespace)
    for name in ref.TRAINERS:
        assert name not in namespace and f"def {name}(" not in text, f"the blocks give away {name}"
    defined = sorted(n for n, v in namespace.items() if callable(v) and not n.startswith("__"))
    assert defined == sorted(ref.BLOCKS)


def test_only_the_08_notebook_carries_the_blocks():
    """No other released file defines the functions graded in 07 (no module beside a notebook)."""
    for path in (PROJECT / "release").rglob("*"):
        if path.is_file() and path.suffix == ".py":
            pytest.fail(f"{path.relative_to(PROJECT)}: a module released beside a notebook")
    for assignment_folder in (PROJECT / "release").iterdir():
        if assignment_folder.name >= "08" or not assignment_folder.is_dir():
            continue
        for path in assignment_folder.glob("*.ipynb"):
            assert "def L_model_backward(AL, Y, caches):\n    \"\"\"Backward pass" not in path.read_text()


def test_the_blocks_behave_like_the_reference():
    blocks = {}
    exec(ref.export_blocks(), blocks)
    rng = np.random.default_rng(0)
    X = rng.standard_normal((6, 5))
    Y = (rng.random((1, 5)) > 0.5).astype(int)
    parameters = blocks["initialize_parameters_deep"]([6, 5, 4, 1], np.random.RandomState(3))
    AL, caches = blocks["L_model_forward"](X, parameters)
    expected_AL, expected_caches = ref.L_model_forward(X, ref.initialize_parameters_deep([6, 5, 4, 1],
                                                                                        np.random.RandomState(3)))
    np.testing.assert_array_equal(AL, expected_AL)
    grads = blocks["L_model_backward"](AL, Y, caches)
    checks.compare(grads, ref.L_model_backward(expected_AL, Y, expected_caches), "grads", rtol=0, atol=0)
    assert "dA0" not in grads


def test_export_script_check_mode_agrees(tmp_path):
    import subprocess
    import sys

    result = subprocess.run([sys.executable, str(PROJECT / "scripts" / "export_blocks.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    stale = tmp_path / "08.ipynb"
    nb = notebooks.read(PROJECT / "source" / "08_cat_classifier" / "08_cat_classifier.ipynb")
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == ref.BLOCKS_CELL_ID:
            cell.source = cell.source.replace("need_dA_prev=l > 1", "need_dA_prev=True")
    notebooks.write(nb, stale)
    result = subprocess.run([sys.executable, str(PROJECT / "scripts" / "export_blocks.py"), "--check", str(stale)],
                            capture_output=True, text=True)
    assert result.returncode == 1 and "OUT OF DATE" in result.stdout
    subprocess.run([sys.executable, str(PROJECT / "scripts" / "export_blocks.py"), str(stale)], check=True,
                   capture_output=True)
    assert _cell_of(stale).source == ref.export_blocks()


def _cell_of(path):
    nb = notebooks.read(path)
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == ref.BLOCKS_CELL_ID)


# --- helpers added for 08 -------------------------------------------------------------------

def test_load_picture_reads_resizes_and_crops(tmp_path):
    from PIL import Image

    _, _, test_x_orig, _, _ = data.load_cat_data()
    path = tmp_path / "photo.png"
    Image.fromarray(test_x_orig[1]).save(path)
    np.testing.assert_array_equal(data.load_picture(path), test_x_orig[1])   # 64x64 PNG: unchanged
    wide = np.zeros((100, 300, 4), dtype=np.uint8)                           # RGBA, not square
    wide[:, 100:200, 0] = 255
    wide[..., 3] = 255
    Image.fromarray(wide).save(tmp_path / "wide.png")
    picture = data.load_picture(tmp_path / "wide.png")
    assert picture.shape == (64, 64, 3) and picture.dtype == np.uint8
    assert picture[..., 0].mean() > 250                                    # the centred square is the red part
    Image.fromarray(np.full((30, 30), 128, dtype=np.uint8)).save(tmp_path / "grey.jpg")
    assert data.load_picture(tmp_path / "grey.jpg", size=16).shape == (16, 16, 3)


def test_load_picture_gives_clear_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="missing.jpg is not a file"):
        data.load_picture(tmp_path / "missing.jpg")
    notes = tmp_path / "notes.jpg"
    notes.write_text("not a picture")
    with pytest.raises(ValueError, match=r"notes\.jpg could not be read as a picture.*JPEG or PNG"):
        data.load_picture(notes)


def test_time_limit_stops_an_endless_loop_and_restores_the_alarm():
    import signal

    previous = signal.getsignal(signal.SIGALRM)
    # The loop never ends by itself: reaching the next line at all shows the limit stopped it.
    with pytest.raises(checks.CheckFailure, match="still running after 0.2 s"):
        with checks.time_limit(0.2, "an endless loop"):
            while True:
                pass
    assert signal.getsignal(signal.SIGALRM) is previous
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    with checks.time_limit(5, "a quick block"):
        total = sum(range(1000))
    assert total == 499500 and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


@pytest.mark.figures
def test_why_deep_figures():
    """08 section 8 as the solutions run it: the hand-made folding network (37 parameters, 64
    flips, 63 units for one hidden layer) and the trained comparison at 241 parameters each,
    within the kernel spread; on every kernel the deep network beats the shallow one by 20+ points."""
    values = figures.why_deep_figures()
    names = [name for name in figures.FIGURES if name.startswith(("08_fold_", "08_wave_"))]
    assert len(names) == 9 and set(names) <= set(values)
    for name in names:
        figures.assert_figure(name, values[name])
    assert values["08_fold_flips"] == 2 ** 6 and values["08_fold_parameters"] == 6 * 6 + 1
    assert values["08_wave_deep_best"] - values["08_wave_shallow_best"] > 20
