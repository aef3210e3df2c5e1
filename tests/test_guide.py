"""helpers.guide: a cell run before the cell it depends on says which cell to run, in a real kernel."""

from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

from helpers import guide, notebooks
from conftest import ASSIGNMENTS, PROJECT


def _notebook(*cells):
    nb = nbformat.v4.new_notebook()
    for kind, source in cells:
        make = nbformat.v4.new_markdown_cell if kind == "md" else nbformat.v4.new_code_cell
        nb.cells.append(make(source))
    return nb


FULL = _notebook(
    ("code", "import numpy as np\nfrom helpers import guide\n\nguide.install()\n%matplotlib inline"),
    ("md", "## 2 - The `data`"),
    ("code", "train_x = np.ones((3, 2))\n\ndef helper(z):\n    inner = z\n    return inner"),
    ("code", "print(train_x.shape)"),
)


def test_names_bound_by_a_cell():
    source = ("import numpy as np\nfrom helpers import checks, data\n%matplotlib inline\n"
              "def f(x):\n    y = 2\n    return y\nfor i in range(3):\n    z = i\n"
              "a, (b, c) = 1, (2, 3)\nsquares = [q * q for q in range(3)]\n")
    bound = guide._names_bound(source)
    assert set(bound) == {"np", "checks", "data", "f", "i", "z", "a", "b", "c", "squares"}
    assert bound["np"] == bound["checks"] == "imported" and bound["f"] == bound["a"] == "made"
    assert guide._names_bound("def broken(:\n") == {}


def test_defining_cells_and_the_note(tmp_path):
    path = tmp_path / "lesson.ipynb"
    nbformat.write(FULL, path)
    assert guide.defining_cells(path, "train_x") == [(2, "2 - The data", "made")]
    assert guide.defining_cells(path, "inner") == []          # local to a function
    assert guide.defining_cells(tmp_path / "missing.ipynb", "train_x") == []
    note = guide.explain("train_x", path)
    assert 'code cell 2 (under "2 - The data")' in note and "Run that cell" in note
    assert "imported by code cell 1" in guide.explain("np", path)
    assert "check its spelling" in guide.explain("trian_x", path)
    assert "Run All Above Selected Cell" in guide.explain("train_x", None)


def test_install_outside_ipython_does_nothing():
    assert guide.install() is False


def _run_skipping_the_data_cell(tmp_path, monkeypatch, session_file):
    """Run FULL without its data cell, as a learner who skipped it; return the last cell's error."""
    path = tmp_path / "lesson.ipynb"
    nbformat.write(FULL, path)
    if session_file:
        monkeypatch.setenv("JPY_SESSION_NAME", str(path))   # what JupyterLab tells its kernels
    else:
        monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    skipped = _notebook(("code", FULL.cells[0].source), ("code", FULL.cells[3].source))
    NotebookClient(skipped, timeout=60, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    assert not [o for o in skipped.cells[0].outputs if o.output_type == "error"]
    errors = [o for o in skipped.cells[1].outputs if o.output_type == "error"]
    assert len(errors) == 1, skipped.cells[1].outputs
    return errors[0]


def test_a_skipped_cell_is_named_in_the_kernel(tmp_path, monkeypatch):
    error = _run_skipping_the_data_cell(tmp_path, monkeypatch, session_file=True)
    # still a NameError for nbgrader and for the learner's traceback, with the note added
    assert error.ename == "NameError"
    assert error.evalue.startswith("name 'train_x' is not defined\n")
    assert 'made by code cell 2 (under "2 - The data")' in error.evalue
    assert any("print(train_x.shape)" in line for line in error.traceback)


def test_without_the_notebook_file_the_note_is_generic(tmp_path, monkeypatch):
    error = _run_skipping_the_data_cell(tmp_path, monkeypatch, session_file=False)
    assert error.ename == "NameError"
    assert "Run All Above Selected Cell" in error.evalue


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_notebook_installs_the_guide_first(assignment):
    nb = notebooks.read(PROJECT / "source" / assignment / f"{assignment}.ipynb")
    first = next(cell for cell in nb.cells if cell.cell_type == "code")
    assert "guide.install()" in first.source, f"{assignment}: its first code cell should call guide.install()"
