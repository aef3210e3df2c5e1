"""Static rules for the committed notebooks: what students receive holds no solutions, no
hidden tests, no reference code, no caches; committed notebooks carry no outputs; every
assignment follows the course's structure."""

from __future__ import annotations

import ast
import re

import pytest

from helpers import notebooks
from conftest import ASSIGNMENTS, PROJECT

LEAKS = re.compile(r"BEGIN SOLUTION|END SOLUTION|BEGIN HIDDEN TESTS|END HIDDEN TESTS|helpers\.reference"
                   r"|from helpers import reference|import reference")


def test_every_assignment_is_released_and_solved():
    assert ASSIGNMENTS, "source/ holds no assignment"
    for assignment in ASSIGNMENTS:
        assert list((PROJECT / "release" / assignment).glob("*.ipynb")), f"release/{assignment} is missing"
        assert list((PROJECT / "solutions" / assignment).glob("*.ipynb")), f"solutions/{assignment} is missing"


def test_release_holds_no_solution_hidden_test_or_reference_text():
    leaks = []
    for path in (PROJECT / "release").rglob("*"):
        if path.is_file():
            text = path.read_text(errors="replace")
            for match in LEAKS.finditer(text):
                leaks.append(f"{path.relative_to(PROJECT)}: {match.group(0)!r}")
    assert not leaks, "release/ leaks:\n" + "\n".join(leaks)


def test_release_holds_no_caches_or_checkpoints():
    junk = [p for p in (PROJECT / "release").rglob("*")
            if p.name in ("__pycache__", ".ipynb_checkpoints") or p.suffix in (".pyc", ".db")]
    assert not junk, f"build or checkpoint files in release/: {junk}"


def test_no_reference_code_beside_source_notebooks():
    # nbgrader releases every non-notebook file of source/<assignment>/ verbatim.
    for assignment in ASSIGNMENTS:
        for path in (PROJECT / "source" / assignment).rglob("*"):
            if path.is_file() and path.suffix != ".ipynb":
                text = path.read_text(errors="replace")
                assert not LEAKS.search(text), f"{path} would be released and holds reference text"


@pytest.mark.parametrize("folder", ["source", "release"])
def test_committed_notebooks_have_no_outputs(folder):
    dirty = []
    for path in (PROJECT / folder).rglob("*.ipynb"):
        nb = notebooks.read(path)
        for cell in nb.cells:
            if cell.cell_type == "code" and (cell.outputs or cell.execution_count):
                dirty.append(str(path.relative_to(PROJECT)))
                break
    assert not dirty, f"notebooks committed with outputs: {dirty}"


def _last_statement_is_safe(source: str) -> bool:
    """A test cell must not end on a value (nbgrader would read it as partial credit)."""
    body = ast.parse(source).body
    if not body or not isinstance(body[-1], ast.Expr):
        return True
    value = body[-1].value
    return (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute)
            and isinstance(value.func.value, ast.Name) and value.func.value.id == "checks")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_assignment_structure(assignment):
    paths = list((PROJECT / "source" / assignment).glob("*.ipynb"))
    assert len(paths) == 1, f"source/{assignment} must hold exactly one notebook"
    nb = notebooks.read(paths[0])
    graded = notebooks.graded_cells(nb)
    # The contract's 3-10 counts graded functions; concept questions (helpers.exercises.Question,
    # 2-4 a notebook) come on top of them.
    from helpers import exercises
    question_cells = ({q.cell for q in exercises.questions(assignment)}
                      if exercises.has_definition(assignment) else set())
    functions = [g for g in graded if g not in question_cells]
    assert 3 <= len(functions) <= 10, f"{assignment} has {len(functions)} graded functions (3 to 10 wanted)"
    assert len(graded) - len(functions) in (0, 2, 3, 4), f"{assignment}: 2 to 4 concept questions wanted"
    ids = [c.metadata["nbgrader"]["grade_id"] for c in nb.cells if "nbgrader" in c.metadata]
    assert len(ids) == len(set(ids)), f"duplicate grade ids in {assignment}"
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution"):
            source = re.sub(r"^%.*$", "", cell.source, flags=re.M)
            assert _last_statement_is_safe(source), f"{meta['grade_id']} ends on a value"
            assert "### BEGIN HIDDEN TESTS" in cell.source, f"{meta['grade_id']} has no hidden tests"
            visible = re.sub(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS", "", cell.source, flags=re.S)
            assert "checks." in visible, f"{meta['grade_id']} has no visible check"
        if meta.get("solution"):
            assert "### BEGIN SOLUTION" in cell.source, f"{meta['grade_id']} has no solution block"
            after = cell.source.split("### END SOLUTION")[-1]
            if cell.source.lstrip().startswith("def "):
                assert "return" in after, f"{meta['grade_id']}: the return line must stay outside the solution"


def test_no_committed_file_holds_an_absolute_path_of_this_machine():
    """A path such as the checkout's own folder or a home folder works on one machine only."""
    import subprocess

    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=PROJECT, capture_output=True, check=False)
    if tracked.returncode != 0:
        pytest.skip("not a git checkout")
    home, root = "/" + "home/", "/" + "root/"  # spelt in two parts so that this file passes too
    machine = re.compile("|".join(re.escape(p) for p in {str(PROJECT), str(PROJECT.parent) + "/", home, root}))
    found = []
    for name in tracked.stdout.decode().split("\0"):
        path = PROJECT / name
        if name and path.is_file() and not path.is_symlink():
            text = path.read_text(errors="replace")
            found += [f"{name}: {m.group(0)!r}" for m in machine.finditer(text)]
    assert not found, "absolute paths of a development machine:\n" + "\n".join(found[:20])


# --- Executed solutions (issue 14 item 6): what `course generate` writes to solutions/ -----------

def _regenerate(assignment: str) -> str:
    return f"solutions/{assignment} predates this rule: run `course generate {assignment}`"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solutions_keep_their_execution_counts(assignment):
    """Executed top to bottom in one kernel: In [1], In [2], ... on every code cell, in order."""
    for path in (PROJECT / "solutions" / assignment).glob("*.ipynb"):
        counts = [c.execution_count for c in notebooks.read(path).cells if c.cell_type == "code"]
        assert counts == list(range(1, len(counts) + 1)), f"{_regenerate(assignment)} (counts {counts[:8]}...)"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_figures_carry_alt_text(assignment):
    """Every PNG output says in words what it shows (output metadata ``{"image/png": {"alt": ...}}``,
    which nbconvert's HTML export writes into ``<img alt>``; written by grading.describe_figures)."""
    missing = []
    for path in (PROJECT / "solutions" / assignment).glob("*.ipynb"):
        for index, cell in enumerate(notebooks.read(path).cells):
            for output in cell.get("outputs", []):
                if "image/png" in output.get("data", {}):
                    alt = output.get("metadata", {}).get("image/png", {}).get("alt", "")
                    if len(alt.strip()) < 10:
                        missing.append(f"cell {index}: {alt!r}")
    assert not missing, f"{_regenerate(assignment)}; figures without alt text: {missing}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_nothing_follows_all_checks_passed_in_solutions(assignment):
    """A test cell of an executed solution ends on its verdict: what the checks printed on the
    way (a warning) comes before "All checks passed", and the hidden block prints nothing."""
    late = []
    for path in (PROJECT / "solutions" / assignment).glob("*.ipynb"):
        for cell in notebooks.read(path).cells:
            meta = cell.metadata.get("nbgrader", {})
            if not (meta.get("grade") and not meta.get("solution")):
                continue
            text = "".join(o.get("text", "") for o in cell.outputs if o.get("output_type") == "stream")
            assert cell.outputs and not any(o.get("output_type") == "error" for o in cell.outputs), \
                f"{meta['grade_id']}: the solution's test cell did not pass"
            if not text.rstrip().splitlines()[-1:] or not text.rstrip().splitlines()[-1].startswith("All checks passed: "):
                late.append(f"{meta['grade_id']}: ...{text[-160:]!r}")
    assert not late, f"{_regenerate(assignment)}; output after the verdict:\n" + "\n".join(late)


def test_figure_alt_text_says_what_a_figure_shows():
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    from helpers import grading

    fig, axes = plt.subplots(1, 3)
    fig.suptitle("Costs")
    axes[0].set_title("learning rate 0.01")
    axes[0].set(xlabel="iteration", ylabel="cost")
    axes[1].set_title("learning rate 0.1")
    axes[2].set_visible(False)
    assert grading.figure_alt(fig) == ("Costs. 2 panels: learning rate 0.01 (cost against iteration); "
                                       "learning rate 0.1.")
    plt.close(fig)
    fig = plt.figure()
    fig.add_subplot()
    assert grading.figure_alt(fig) == "A figure with 1 panel and no title."
    plt.close(fig)
