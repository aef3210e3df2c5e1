"""What students receive: the bundle of each released assignment (``helpers.bundles``).

For every assignment in ``release/``: the bundle holds the notebook, the helpers modules it
imports and the data it loads, and nothing students must not have (no reference
implementations, no instructor tools, no solution or hidden-test text, no caches). Unpacked
into a clean folder and run by a kernel that can see only that folder and the third-party
packages, the untouched notebook's visible checks fail with their explanation ("... is not
written yet"), never with an import or missing-file error.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sys
import sysconfig
import zipfile
from pathlib import Path, PurePosixPath

import nbformat
import pytest

from helpers import bundles, data, translations
from conftest import PROJECT

RELEASED = bundles.released_assignments(PROJECT)

# The test's own list of what must never reach students (independent of helpers.bundles).
LEAK_TEXT = re.compile(r"BEGIN SOLUTION|END SOLUTION|BEGIN HIDDEN TESTS|END HIDDEN TESTS"
                       r"|helpers\.reference|from helpers import reference|import reference")
NEVER_SHIPPED = {"reference", "grading", "submissions", "cli", "nbgrader_plugins", "reports"}
JUNK = re.compile(r"(^|/)(__pycache__|\.ipynb_checkpoints|\.pytest_cache)(/|$)|\.py[co]$|\.db$")
# Errors that mean the bundle is incomplete, not that the student has work to do.
BROKEN_BUNDLE = {"ImportError", "ModuleNotFoundError", "FileNotFoundError", "DataError"}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    """Every released assignment's bundle, built once: ``{assignment: zip path or the error}``."""
    out = tmp_path_factory.mktemp("bundles")
    result = {}
    for assignment in RELEASED:
        try:
            result[assignment] = bundles.build(PROJECT, assignment, out)
        except (bundles.BundleError, data.DataError) as error:
            result[assignment] = error
    return result


def _bundle(built: dict, assignment: str) -> Path:
    value = built[assignment]
    if isinstance(value, Exception):
        pytest.fail(f"`course bundle {assignment}` refuses to build: {value}", pytrace=False)
    return value


def _names(zip_path: Path) -> list[str]:
    with zipfile.ZipFile(zip_path) as zf:
        return [info.filename for info in zf.infolist()]


def _loads_cat_data(notebook: Path) -> bool:
    nb = nbformat.read(notebook, as_version=4)
    return any("load_cat_data(" in cell.source for cell in nb.cells if cell.cell_type == "code")


def test_every_released_assignment_is_bundled(built):
    assert RELEASED, "release/ holds no assignment"
    refused = {a: str(e) for a, e in built.items() if isinstance(e, Exception)}
    assert not refused, "bundles refused:\n" + "\n".join(f"{a}: {e}" for a, e in refused.items())
    out = next(iter(built.values())).parent
    assert sorted(p.stem for p in out.glob("*.zip")) == RELEASED
    assert not list(out.glob("*.part")), "a partial bundle was left behind"


@pytest.mark.parametrize("assignment", RELEASED)
def test_bundle_holds_what_the_notebook_needs_and_nothing_else(built, assignment):
    zip_path = _bundle(built, assignment)
    names = _names(zip_path)
    top = PurePosixPath(assignment)
    root = bundles.notebook_folder(assignment)  # <a>/release/<a>: the notebook, helpers/, data/
    assert all(PurePosixPath(n).parts[0] == assignment for n in names), \
        f"every entry must sit in the folder {assignment}/: {names}"

    # The released notebook, byte for byte.
    for notebook in (PROJECT / "release" / assignment).glob("*.ipynb"):
        with zipfile.ZipFile(zip_path) as zf:
            assert zf.read(str(root / notebook.name)) == notebook.read_bytes()

    # helpers: the package and the modules students use, never the instructor's.
    modules = {PurePosixPath(n).name for n in names if PurePosixPath(n).parent == root / "helpers"}
    assert {"__init__.py", "checks.py"} <= modules, f"helpers in the bundle: {sorted(modules)}"
    shipped = {PurePosixPath(n).relative_to(root / "helpers").parts[0].removesuffix(".py") for n in names
               if PurePosixPath(n).is_relative_to(root / "helpers")}
    assert not shipped & NEVER_SHIPPED, f"instructor-only helpers in the bundle: {shipped & NEVER_SHIPPED}"
    assert not any("/helpers/reference" in n for n in names)

    # Data: the cat photos exactly when the notebook loads them, intact.
    release_nb = next((PROJECT / "release" / assignment).glob("*.ipynb"))
    data_names = {PurePosixPath(n).name for n in names if PurePosixPath(n).parent == root / "data"}
    if _loads_cat_data(release_nb):
        assert data_names == set(data.CAT_FILES)
        with zipfile.ZipFile(zip_path) as zf:
            for name, digest in data.CAT_FILES.items():
                assert hashlib.sha256(zf.read(str(root / "data" / name))).hexdigest() == digest
    else:
        assert not data_names, f"{assignment} loads no data but its bundle holds {data_names}"

    assert str(top / "STUDENT_README.txt") in names

    # No caches, no build artefacts, no solution / hidden-test / reference text anywhere.
    junk = [n for n in names if JUNK.search(n)]
    assert not junk, f"caches or build artefacts in the bundle: {junk}"
    leaks = []
    with zipfile.ZipFile(zip_path) as zf:
        for name in names:
            if name.endswith(".h5"):
                continue
            text = zf.read(name).decode("utf-8", errors="replace")
            leaks += [f"{name}: {m.group(0)!r}" for m in LEAK_TEXT.finditer(text)]
    assert not leaks, "the bundle leaks:\n" + "\n".join(leaks)
    assert bundles.leaks(zip_path, PROJECT) == []


def _write_clean_kernelspec(folder: Path, ipython_dir: Path) -> Path:
    """A kernel that sees the notebook's folder and the third-party packages, nothing else.

    ``python -S`` skips site-packages' ``.pth`` files, among them the editable install that
    makes the checkout's ``helpers`` (with ``helpers.reference``) importable from anywhere;
    PYTHONPATH gives back the third-party packages only. The kernel runs in the unpacked
    notebook's folder, as JupyterLab runs it, so ``helpers`` and ``data/`` are found there.
    """
    paths = sysconfig.get_paths()
    site_dirs = list(dict.fromkeys([paths["purelib"], paths["platlib"]]))
    spec_dir = folder / "student-bundle"
    spec_dir.mkdir(parents=True)
    (spec_dir / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-S", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (bundle only)",
        "language": "python",
        "env": {
            "PYTHONPATH": ":".join(site_dirs),
            "PYTHONNOUSERSITE": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
            "COURSE_DATA_DIR": "",
            "COURSE_DATA_SOURCE": "",
            "IPYTHONDIR": str(ipython_dir),
            "MPLBACKEND": "Agg",
            "OPENBLAS_NUM_THREADS": "1",
        },
    }))
    return folder


PROBE = """\
import importlib, importlib.util, json
import helpers
_probe = {"helpers": helpers.__file__,
          "reference_importable": importlib.util.find_spec("helpers.reference") is not None}
if importlib.util.find_spec("helpers.data") is not None:
    _probe_data = importlib.import_module("helpers.data")
    _probe.update(project_root=str(_probe_data.project_root()), data_dir=str(_probe_data.data_dir()))
print("PROBE " + json.dumps(_probe))
del _probe
"""


def _error(cell) -> tuple[str, str] | None:
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return output["ename"], output["evalue"]
    return None


@pytest.mark.slow
@pytest.mark.parametrize("assignment", RELEASED)
def test_unpacked_bundle_runs_and_its_checks_explain(built, assignment, tmp_path):
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    student = tmp_path / "student"
    with zipfile.ZipFile(_bundle(built, assignment)) as zf:
        zf.extractall(student)
    folder = student / bundles.notebook_folder(assignment)
    notebook = next(folder.glob("*.ipynb"))
    nb = nbformat.read(notebook, as_version=4)
    cells = list(nb.cells)
    nb.cells.insert(0, nbformat.v4.new_code_cell(PROBE))

    kernels = _write_clean_kernelspec(tmp_path / "kernels", tmp_path / "ipython")
    km = KernelManager(kernel_name="student-bundle",
                       kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(kernels)]))
    client = NotebookClient(nb, km=km, timeout=600, startup_timeout=180, allow_errors=True,
                            resources={"metadata": {"path": str(folder)}})
    client.execute()

    # The kernel saw the bundle's helpers only, and the bundle's data folder.
    probe_out = "".join(o.get("text", "") for o in nb.cells[0].outputs if o.get("output_type") == "stream")
    assert _error(nb.cells[0]) is None, f"the bundle's helpers do not import: {_error(nb.cells[0])}"
    probe = json.loads(probe_out.split("PROBE ", 1)[1])
    assert Path(probe["helpers"]).resolve().is_relative_to(folder.resolve()), \
        f"helpers came from {probe['helpers']}, not from the bundle"
    assert not probe["reference_importable"], "helpers.reference is importable in the student's kernel"
    if "data_dir" in probe:  # the bundle ships helpers.data: it must look in the bundle's data/
        assert probe["project_root"] == "None"
        assert Path(probe["data_dir"]).resolve() == (folder / "data").resolve()

    executed = nb.cells[1:]
    assert len(executed) == len(cells)
    broken, checks_seen, unexplained = [], 0, []
    for index, cell in enumerate(executed):
        if cell.cell_type != "code":
            continue
        error = _error(cell)
        if error and error[0] in BROKEN_BUNDLE:
            broken.append(f"cell {index}: {error[0]}: {error[1]}")
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution"):
            checks_seen += 1
            # a function's check says '<function> is not written yet'; a concept question's
            # (helpers.exercises.Question) says '<name>: no answer yet'
            if not error or error[0] != "CheckFailure" or not any(
                    said in error[1] for said in ("is not written yet", ": no answer yet")):
                unexplained.append(f"check cell {meta.get('grade_id')}: "
                                   + (f"{error[0]}: {error[1][:200]}" if error else "did not fail"))
    assert not broken, f"{assignment}: the unpacked bundle is incomplete:\n" + "\n".join(broken)
    assert checks_seen >= 3, f"{assignment}: only {checks_seen} check cells found"
    assert not unexplained, (f"{assignment}: on the stubs every check must fail with "
                             f"'... is not written yet' (a concept question: '...: no answer yet'):\n"
                             + "\n".join(unexplained))

    # Running the notebook left the bundle's helpers as it was (no caches were written).
    assert not [p for p in folder.rglob("*") if JUNK.search(p.relative_to(folder).as_posix())]


@pytest.mark.slow
@pytest.mark.parametrize("language", sorted(translations.LANGUAGES))
def test_an_edition_bundle_runs_and_its_checks_speak_its_language(language, tmp_path):
    """The Chinese bundle of 01 (its translation must be complete: tests/test_translations.py),
    unpacked and run in a clean kernel: the notebook is the edition, and the checks fail on the
    stubs in the edition's language."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    assignment = RELEASED[0]
    try:
        zip_path = bundles.build(PROJECT, assignment, tmp_path / "zips", language)
    except bundles.BundleError as error:
        pytest.fail(f"`course bundle --language {language} {assignment}` refuses: {error}", pytrace=False)
    assert zip_path.name == f"{assignment}.{language}.zip"
    student = tmp_path / "student"
    with zipfile.ZipFile(zip_path) as zf:
        zf.extractall(student)
    folder = student / bundles.notebook_folder(assignment)
    assert (folder / ".course-language").read_text().strip() == language
    assert (student / assignment / "docs" / f"glossary_{language}.md").is_file()
    nb = nbformat.read(next(folder.glob("*.ipynb")), as_version=4)
    english = nbformat.read(next((PROJECT / "release" / assignment).glob("*.ipynb")), as_version=4)
    assert nb.cells[0].source != english.cells[0].source, "the bundle holds the English notebook"
    kernels = _write_clean_kernelspec(tmp_path / "kernels", tmp_path / "ipython")
    km = KernelManager(kernel_name="student-bundle", kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(kernels)]))
    NotebookClient(nb, km=km, timeout=600, startup_timeout=180, allow_errors=True,
                   resources={"metadata": {"path": str(folder)}}).execute()
    heads = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
            errors = [o for o in cell.outputs if o.output_type == "error"]
            assert errors, f"check cell {meta['grade_id']} did not fail on the stubs"
            heads.append(errors[0].traceback[0])
    assert len(heads) >= 3
    english_heads = [h for h in heads if not re.search(r"[\u4e00-\u9fff]", h)]
    assert not english_heads, f"checks that failed in English in the {language} bundle: {english_heads}"


def test_bundles_are_reproducible(tmp_path):
    first = bundles.build(PROJECT, RELEASED[0], tmp_path / "a")
    second = bundles.build(PROJECT, RELEASED[0], tmp_path / "b")
    assert first.read_bytes() == second.read_bytes()


def _fake_project(tmp_path: Path, code: str) -> Path:
    """A course folder with the real helpers and one released notebook holding ``code``."""
    project = tmp_path / "course"
    shutil.copytree(PROJECT / "helpers", project / "helpers",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("from helpers import checks"), nbformat.v4.new_code_cell(code)]
    (project / "release" / "99_fake").mkdir(parents=True)
    nbformat.write(nb, project / "release" / "99_fake" / "99_fake.ipynb")
    for name in bundles.DOCS:
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(PROJECT / name, project / name)
    return project


@pytest.mark.parametrize("code, message", [
    ("### BEGIN SOLUTION\nx = 1\n### END SOLUTION", "would leak"),
    ("from helpers import reference", "never receive"),
    ("import helpers.grading", "never receive"),
    ("from helpers.reference import notation", "never receive"),
])
def test_a_leaking_bundle_is_refused(tmp_path, code, message):
    project = _fake_project(tmp_path, code)
    with pytest.raises(bundles.BundleError, match=message):
        bundles.build(project, "99_fake", tmp_path / "out")
    out = tmp_path / "out"
    assert not out.exists() or not list(out.iterdir()), "a refused bundle was left behind"


def test_reference_code_beside_the_notebook_is_refused(tmp_path):
    import ast

    project = _fake_project(tmp_path, "x = 1")
    source = (PROJECT / "helpers" / "reference" / "notation.py").read_text(encoding="utf-8")
    function = next(n for n in ast.parse(source).body if isinstance(n, ast.FunctionDef))
    copy = "import numpy as np\n\n\n" + ast.get_source_segment(source, function).replace(
        f"def {function.name}(", "def renamed_helper(", 1)
    (project / "release" / "99_fake" / "blocks.py").write_text(copy)
    with pytest.raises(bundles.BundleError, match="copy of the reference implementation"):
        bundles.build(project, "99_fake", tmp_path / "out")


def test_junk_beside_the_released_notebook_is_left_out(tmp_path):
    project = _fake_project(tmp_path, "x = 1")
    folder = project / "release" / "99_fake"
    (folder / "__pycache__").mkdir()
    (folder / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\0")
    (folder / ".ipynb_checkpoints").mkdir()
    (folder / ".ipynb_checkpoints" / "99_fake-checkpoint.ipynb").write_text("{}")
    (folder / "notes.txt").write_text("a file the instructor released on purpose\n")
    names = _names(bundles.build(project, "99_fake", tmp_path / "out"))
    assert "99_fake/release/99_fake/notes.txt" in names
    assert not [n for n in names if JUNK.search(n)], names


# --- The course pages every notebook links to (issue 14 items 4 and 5) ---------------------------

#: The links the notebooks' first cells carry, relative to the notebook's folder.
DOC_LINKS = ("../../docs/formula_sheet.md", "../../docs/coming_from_dlai.md")


def _relative_links(notebook_json: bytes) -> list[str]:
    """The relative link targets of a notebook's markdown cells (``[text](target)`` naming a file,
    not the ``](i)`` of $a^{[l](i)}$)."""
    nb = nbformat.reads(notebook_json.decode("utf-8"), as_version=4)
    found = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for target in re.findall(r"\]\(([^)\s]+)\)", cell.source):
                if (not re.match(r"^[a-z][a-z0-9+.-]*:|^#|^/", target)
                        and re.search(r"\.(md|ipynb|txt|png|html)(#.*)?$", target)):
                    found.append(target.split("#")[0])
    return found


@pytest.mark.parametrize("assignment", RELEASED)
def test_bundle_ships_the_course_pages_where_the_notebook_links(built, assignment):
    import posixpath

    zip_path = _bundle(built, assignment)
    names = set(_names(zip_path))
    folder = bundles.notebook_folder(assignment)
    with zipfile.ZipFile(zip_path) as zf:
        for name in bundles.DOCS:
            assert zf.read(f"{assignment}/{name}") == (PROJECT / name).read_bytes(), name
        links = list(DOC_LINKS)
        for notebook in (PROJECT / "release" / assignment).glob("*.ipynb"):
            links += _relative_links(zf.read(str(folder / notebook.name)))
    unresolved = [link for link in links
                  if posixpath.normpath(posixpath.join(str(folder), link)) not in names]
    assert not unresolved, f"links of {assignment}'s notebook that lead nowhere in its bundle: {unresolved}"
    # JupyterLab is started in the bundle's top folder: every link stays inside it.
    assert all(posixpath.normpath(posixpath.join(str(folder), link)).startswith(f"{assignment}/")
               for link in links)
    readme = zipfile.ZipFile(zip_path).read(f"{assignment}/STUDENT_README.txt").decode()
    assert f"jupyter lab {folder.relative_to(assignment)}/" in readme


@pytest.mark.parametrize("folder", ["release", "solutions", "source"])
def test_the_course_pages_resolve_from_every_notebook_of_the_repository(folder):
    for assignment in RELEASED:
        for notebook in (PROJECT / folder / assignment).glob("*.ipynb"):
            for link in DOC_LINKS + tuple(_relative_links(notebook.read_bytes())):
                target = (notebook.parent / link).resolve()
                assert target.is_file(), f"{notebook.relative_to(PROJECT)}: {link} leads nowhere"
                assert target.is_relative_to(PROJECT), f"{notebook.relative_to(PROJECT)}: {link} leaves the repository"
