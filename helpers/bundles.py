"""What students receive: one zip per assignment, ready to open in JupyterLab.

A bundle ``<assignment>.zip`` unpacks into one folder, laid out as the repository is::

    01_notation/
        STUDENT_README.txt     what is in the folder and how to start
        requirements.txt       the Python packages the notebook needs
        docs/                  the course pages every notebook links to (DOCS)
        release/01_notation/
            01_notation.ipynb  the released notebook (everything in release/01_notation/)
            helpers/           only the modules the notebook imports (checks, data, plots, ...)
            data/              the data files the notebook loads (the cat photos), when it loads any

The notebook finds ``helpers`` because JupyterLab runs it in its own folder, and the data
because ``helpers.data.data_dir()`` falls back to ``./data`` outside a course checkout. Its links
``../../docs/formula_sheet.md`` resolve in the bundle as in the repository: JupyterLab, started
in the top folder, serves ``docs/`` two levels above the notebook (a notebook at the top of the
bundle would point outside it, where JupyterLab cannot open anything).

What never goes in: ``helpers/reference`` (the reference implementations hidden tests use), the
instructor's tools (grading, submissions, reports, cli, nbgrader_plugins, notebooks), solution or
hidden-test text, caches (``__pycache__``, ``*.pyc``, checkpoints), and no copy of a reference
implementation of a graded function anywhere (:func:`reference_copies`). :func:`build` scans
every bundle it writes and refuses to keep one that leaks (:class:`BundleError`).

:func:`student_jupyter_config` writes the JupyterLab configuration students get: nbgrader's
Validate button and assignment list, without the instructor's panels.
"""

from __future__ import annotations

import ast
import json
import re
import tomllib
import zipfile
from pathlib import Path, PurePosixPath

from helpers import data, wording

PACKAGE = "helpers"

#: helpers modules that never reach students, whatever a notebook imports.
INSTRUCTOR_ONLY = frozenset({"reference", "exercises", "recheck", "grading", "submissions", "cli", "nbgrader_plugins",
                             "reports", "notebooks", "bundles"})

#: Text that must not appear in anything students receive.
LEAKS = re.compile(r"BEGIN SOLUTION|END SOLUTION|BEGIN HIDDEN TESTS|END HIDDEN TESTS"
                   r"|helpers\.reference|from helpers import reference|import reference")

#: Names of files and folders that are caches or build artefacts.
JUNK_NAMES = frozenset({"__pycache__", ".ipynb_checkpoints", ".pytest_cache", ".DS_Store",
                        ".mypy_cache", ".ruff_cache"})
JUNK_SUFFIXES = frozenset({".pyc", ".pyo", ".db", ".db-journal", ".part", ".egg-info"})

#: Data files a notebook needs, recognised by a call in its code cells.
DATA_NEEDS = {"load_cat_data": tuple(data.CAT_FILES)}

#: Packages students install (pins taken from pyproject.toml when it has them).
STUDENT_PACKAGES = ("numpy", "matplotlib", "h5py", "pillow", "jupyterlab", "nbgrader")

#: Course pages the notebooks link to (``../../docs/<name>`` from ``release/<a>/``), shipped in
#: every bundle at the same place relative to the notebook.
DOCS = ("docs/formula_sheet.md", "docs/coming_from_dlai.md")

#: The students' Jupyter configuration, committed (what :func:`student_jupyter_config` writes):
#: shipped in every bundle, used by the hub's student servers and by self-learners.
STUDENT_CONFIG = "student_jupyter"

#: Fixed time stamp for every zip entry, so that the same inputs give the same bytes.
ZIP_TIME = (2024, 1, 1, 0, 0, 0)


class BundleError(RuntimeError):
    """A bundle cannot be built, or would leak; the message says what and where."""


# --- The JupyterLab students use ---------------------------------------------------------------

#: nbgrader's JupyterLab plugins for instructors only: the formgrader, the course list and the
#: "Create Assignment" side panel. Students keep the Validate button and the assignment list.
INSTRUCTOR_LAB_PLUGINS = ("@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:course-list",
                          "@jupyter/nbgrader:create-assignment")
#: nbgrader's server extensions for instructors only (what the panels above talk to).
INSTRUCTOR_SERVER_EXTENSIONS = ("nbgrader.server_extensions.formgrader",
                                "nbgrader.server_extensions.course_list")


def student_jupyter_config(config_dir: Path, extra_disabled: tuple[str, ...] = ()) -> Path:
    """Write the Jupyter configuration a course gives students into ``config_dir`` (use it as
    ``$JUPYTER_CONFIG_DIR``, or as the system config of a student image) and return it.

    The same as running, with that config dir::

        jupyter labextension disable --level=user <each of INSTRUCTOR_LAB_PLUGINS>
        jupyter labextension lock --level=user <each of INSTRUCTOR_LAB_PLUGINS>
        jupyter server extension disable --user <each of INSTRUCTOR_SERVER_EXTENSIONS>

    (the commands cost seconds each; the files are what they write). Locked plugins cannot be
    switched back on from JupyterLab's plugin manager. ``extra_disabled`` names further lab
    plugins to disable (not locked).
    """
    config_dir = Path(config_dir)
    (config_dir / "labconfig").mkdir(parents=True, exist_ok=True)
    page_config = {
        "disabledExtensions": {name: True for name in (*INSTRUCTOR_LAB_PLUGINS, *extra_disabled)},
        "lockedExtensions": {name: True for name in INSTRUCTOR_LAB_PLUGINS},
    }
    (config_dir / "labconfig" / "page_config.json").write_text(json.dumps(page_config, indent=2) + "\n")
    server_config = {"ServerApp": {"jpserver_extensions": {name: False for name in INSTRUCTOR_SERVER_EXTENSIONS}}}
    (config_dir / "jupyter_server_config.json").write_text(json.dumps(server_config, indent=2) + "\n")
    return config_dir


# --- What a notebook needs --------------------------------------------------------------------

def released_assignments(project: Path) -> list[str]:
    """Assignment ids that have a released notebook: the folders of ``release/``, sorted."""
    release = Path(project) / "release"
    if not release.is_dir():
        return []
    return sorted(p.name for p in release.iterdir() if p.is_dir() and any(p.glob("*.ipynb")))


def _code_of_notebook(path: Path) -> str:
    """The code cells of a notebook as one Python text (IPython magics and shell lines dropped)."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    return "\n\n".join(_source(cell) for cell in nb.get("cells", []) if cell.get("cell_type") == "code")


def _imported_modules(code: str, package_dir: Path | None = None) -> set[str]:
    """Names of ``helpers`` modules that ``code`` imports (relative imports resolved when
    ``package_dir`` says the code lives inside the package)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        # A notebook a student could not run either; fall back to a plain textual scan.
        found = set(re.findall(r"\bfrom\s+helpers\s+import\s+([\w\s,()]+)", code))
        names = {n.strip() for group in found for n in group.replace("(", "").replace(")", "").split(",")}
        names |= set(re.findall(r"\bhelpers\.(\w+)", code))
        return {n for n in names if n}
    names: set[str] = set()
    whole_package = False
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level and package_dir is not None:  # from . import x / from .x import y
                if module:
                    names.add(module.split(".")[0])
                else:
                    names.update(alias.name for alias in node.names)
            elif module == PACKAGE:
                names.update(alias.name for alias in node.names if alias.name != "*")
                if any(alias.name == "*" for alias in node.names):
                    whole_package = True
            elif module.startswith(PACKAGE + "."):
                names.add(module.split(".")[1])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith(PACKAGE + "."):
                    names.add(alias.name.split(".")[1])
                elif alias.name == PACKAGE:
                    whole_package = True
        elif (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
              and node.value.id == PACKAGE):
            names.add(node.attr)
    if whole_package:
        names.add("__init__")
    return names


def helper_modules(notebook: Path, package_dir: Path) -> list[str]:
    """The ``helpers`` modules a notebook needs: what it imports, and what those import, and so on.

    Returns module names (``"checks"``, ``"data"``...), sorted. Raises :class:`BundleError` when
    the notebook needs a module students must not receive, or one that does not exist.
    """
    package_dir = Path(package_dir)
    wanted = _imported_modules(_code_of_notebook(notebook)) - {"__init__"}
    needed: set[str] = set()
    while wanted:
        name = wanted.pop()
        if name in needed:
            continue
        if name in INSTRUCTOR_ONLY:
            raise BundleError(
                f"{notebook} needs helpers.{name}, which students never receive "
                f"(it is one of {sorted(INSTRUCTOR_ONLY)}); the notebook must not import it.")
        path = package_dir / f"{name}.py"
        if not path.is_file():
            if (package_dir / name).is_dir():
                raise BundleError(f"{notebook} imports the sub-package helpers.{name}; "
                                  f"bundles copy single modules only")
            raise BundleError(f"{notebook} imports helpers.{name}, but {path} does not exist")
        needed.add(name)
        wanted |= _imported_modules(path.read_text(encoding="utf-8"), package_dir) - {"__init__"}
    return sorted(needed)


def data_files(notebook: Path) -> list[str]:
    """Names of the data files a notebook loads (``load_cat_data`` -> the two cat files)."""
    code = _code_of_notebook(notebook)
    files: list[str] = []
    for call, names in DATA_NEEDS.items():
        if re.search(rf"\b{call}\s*\(", code):
            files.extend(n for n in names if n not in files)
    return files


# --- Writing a bundle -------------------------------------------------------------------------

def _is_junk(path: PurePosixPath) -> bool:
    return (any(part in JUNK_NAMES for part in path.parts)
            or any(part.endswith(".egg-info") for part in path.parts)
            or path.suffix in JUNK_SUFFIXES)


def _student_init(original: str, modules: list[str]) -> str:
    """``helpers/__init__.py`` as students receive it: the original code, with a docstring that
    lists only the modules in the bundle (the course's docstring names the reference package)."""
    tree = ast.parse(original)
    body = tree.body
    rest = original
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        rest = "\n".join(original.splitlines()[body[0].end_lineno:]).lstrip("\n")
    listing = "\n".join(f"- ``helpers.{name}``" for name in modules)
    doc = ('"""The course\'s shared package, as students receive it.\n\n'
           "Import modules by name, for example ``from helpers import checks`` then\n"
           "``checks.compare(...)``. Importing ``helpers`` does nothing else.\n\n"
           f"Modules in this copy:\n\n{listing}\n"
           '"""\n')
    return doc + ("\n" + rest if rest.strip() else "")


def _requirements(project: Path) -> list[str]:
    """Student packages, with the pins of ``pyproject.toml`` where it names them."""
    pins: dict[str, str] = {}
    pyproject = Path(project) / "pyproject.toml"
    if pyproject.is_file():
        deps = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {}).get("dependencies", [])
        for dep in deps:
            name = re.split(r"[\s<>=!~;\[]", dep, maxsplit=1)[0].lower()
            pins[name] = dep.replace(" ", "")
    return [pins.get(name, name) for name in STUDENT_PACKAGES]


def _title(notebook: Path) -> str:
    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else source
            for line in source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return Path(notebook).stem


def _readme(notebook_name: str, title: str, modules: list[str], files: list[str],
            folder: str = ".") -> str:
    inner = "" if folder == "." else folder + "/"
    lines = [
        f"{title}",
        "=" * len(title),
        "",
        "What is in this folder",
        "",
        f"  {inner + notebook_name:<38} the notebook: fill in each function where it says",
        f"  {'':<38} raise NotImplementedError(...)",
        f"  {inner + 'helpers/':<38} the course's helper package (visible checks, "
        + ("data loading, plots" if "data" in modules else "plots") + "); do not edit it",
    ]
    if files:
        lines.append(f"  {inner + 'data/':<38} the data the notebook loads: " + ", ".join(files))
    lines += [
        f"  {'docs/':<38} the formula and shape sheet, and what differs from the DLAI course",
        f"  {'requirements.txt':<38} the Python packages the notebook needs",
        f"  {STUDENT_CONFIG + '/':<38} JupyterLab settings: nbgrader's Validate button and",
        f"  {'':<38} Assignment List, without the instructor's tools",
        "",
        "How to start",
        "",
        "  1. Python 3.11 or newer with the packages of requirements.txt, for example:",
        "       python3 -m venv .venv",
        "       .venv/bin/python -m pip install -r requirements.txt",
        "  2. Start JupyterLab IN THIS FOLDER (the notebook finds helpers/ and data/ beside it,",
        "     and its links to docs/ work when JupyterLab is started here), with the",
        f"     course's settings for students ({STUDENT_CONFIG}/):",
        f"       JUPYTER_CONFIG_PATH=\"$PWD/{STUDENT_CONFIG}\" .venv/bin/jupyter lab {inner + notebook_name}",
        f"     (Windows: set JUPYTER_CONFIG_PATH=%CD%\\{STUDENT_CONFIG} first, then",
        f"      .venv\\Scripts\\jupyter lab {inner + notebook_name})",
        "  3. Run the cells from the top. Replace each `raise NotImplementedError(...)` line",
        "     with your code, run that cell, then run the check cell below it: it says what it",
        "     expected, what it got and the usual cause, and ends with",
        "     `All checks passed: <function>.` when the function is right.",
        "  4. Press Validate in the notebook's toolbar, then hand in the notebook",
        f"     ({notebook_name}) the way your instructor asks.",
        "",
        "When your notebook is graded, each check cell also runs hidden tests on other shapes",
        "and seeds: write the general rule, not the answer to the example.",
        "",
    ]
    return "\n".join(lines)


def _write(zf: zipfile.ZipFile, name: str, payload: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    zf.writestr(info, payload)


def contents(project: Path, assignment: str, language: str | None = None) -> dict[str, bytes | Path]:
    """Every entry of an assignment's bundle: ``{path inside the zip: bytes or source file}``;
    with ``language`` (an edition of :mod:`helpers.translations`), the notebook in that language,
    a ``.course-language`` file beside it (the checks speak it: :mod:`helpers.wording`) and the
    glossary.

    Raises :class:`BundleError` when the assignment has no released notebook or the notebook
    needs a module students must not receive, and :class:`helpers.data.DataError` when a data
    file it loads is missing or corrupt.
    """
    project = Path(project)
    release = project / "release" / assignment
    notebooks = sorted(release.glob("*.ipynb")) if release.is_dir() else []
    if not notebooks:
        raise BundleError(f"release/{assignment} holds no notebook: run `course generate {assignment}`")
    package_dir = project / PACKAGE
    top = PurePosixPath(assignment)
    root = notebook_folder(assignment)
    entries: dict[str, bytes | Path] = {}

    for path in sorted(release.rglob("*")):
        rel = PurePosixPath(path.relative_to(release).as_posix())
        if path.is_file() and not _is_junk(rel):
            entries[str(root / rel)] = path
    if language:
        from helpers import notebooks as nbio, translations

        try:
            cells = translations.load(project, language, assignment)
        except translations.TranslationError as error:
            raise BundleError(str(error)) from None
        master = nbio.read(next((project / "source" / assignment).glob("*.ipynb")))
        stale = translations.problems(master, cells)
        if stale:
            raise BundleError(f"the {language} translation of {assignment} is not complete and current "
                              f"({len(stale)} problem(s), the first: {stale[0]}): run "
                              f"`python scripts/translate.py check {language} {assignment}`")
        for notebook in notebooks:
            nb = translations.apply(nbio.read(notebook), cells)
            entries[str(root / notebook.name)] = (json.dumps(nbio.clean(nb), indent=1, sort_keys=True,
                                                             ensure_ascii=False) + "\n").encode()
        entries[str(root / wording.LANGUAGE_FILE)] = f"{language}\n".encode()
        glossary = f"docs/glossary_{language}.md"
        if (project / glossary).is_file():
            entries[str(top / glossary)] = project / glossary
    for name in DOCS:
        if not (project / name).is_file():
            raise BundleError(f"{name} is missing: every notebook links to it")
        entries[str(top / name)] = project / name
    for path in sorted((project / STUDENT_CONFIG).rglob("*")):
        if path.is_file():
            entries[str(top / path.relative_to(project).as_posix())] = path

    modules: set[str] = set()
    files: list[str] = []
    for notebook in notebooks:
        modules.update(helper_modules(notebook, package_dir))
        files.extend(f for f in data_files(notebook) if f not in files)
    modules_sorted = sorted(modules)
    init = (package_dir / "__init__.py").read_text(encoding="utf-8")
    entries[str(root / PACKAGE / "__init__.py")] = _student_init(init, modules_sorted).encode()
    for name in modules_sorted:
        entries[str(root / PACKAGE / f"{name}.py")] = package_dir / f"{name}.py"

    if files:
        folder = data.verify()  # DataError with what to run when the data is not ready
        for name in files:
            entries[str(root / "data" / name)] = folder / name

    requirements = _requirements(project)
    entries[str(top / "requirements.txt")] = ("\n".join(requirements) + "\n").encode()
    names = ", ".join(n.name for n in notebooks)
    entries[str(top / "STUDENT_README.txt")] = _readme(
        names, _title(notebooks[0]), modules_sorted, files, str(root.relative_to(top))).encode()
    return entries


def notebook_folder(assignment: str) -> PurePosixPath:
    """Where the notebook, ``helpers/`` and ``data/`` sit inside the bundle: ``<a>/release/<a>``."""
    return PurePosixPath(assignment) / "release" / assignment


def graded_functions(project: Path) -> dict[str, list[str]]:
    """Functions students write: ``{name: [assignments]}``, read from the answer cells
    (nbgrader ``solution`` cells) of every released notebook."""
    found: dict[str, list[str]] = {}
    for assignment in released_assignments(project):
        for notebook in sorted((Path(project) / "release" / assignment).glob("*.ipynb")):
            nb = json.loads(notebook.read_text(encoding="utf-8"))
            for cell in nb.get("cells", []):
                meta = cell.get("metadata", {}).get("nbgrader", {})
                if cell.get("cell_type") != "code" or not meta.get("solution") or meta.get("grade"):
                    continue
                for function in _functions(_source(cell)):
                    found.setdefault(function.name, [])
                    if assignment not in found[function.name]:
                        found[function.name].append(assignment)
    return found


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    source = "".join(source) if isinstance(source, list) else source
    return "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))


def _functions(code: str) -> list[ast.FunctionDef]:
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    return [node for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]


def _body(function: ast.FunctionDef) -> list[ast.stmt]:
    body = list(function.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        body = body[1:]
    return body


def _fingerprint(function: ast.FunctionDef) -> str:
    """A function's code without its name and docstring: equal for copies of one implementation."""
    return ast.dump(function.args) + ast.dump(ast.Module(body=_body(function), type_ignores=[]))


def reference_fingerprints(project: Path) -> dict[str, tuple[str, str]]:
    """``{fingerprint: (function name, "helpers/reference/<module>.py")}`` for every function of
    the reference package."""
    found = {}
    for path in sorted((Path(project) / PACKAGE / "reference").glob("*.py")):
        for function in _functions(path.read_text(encoding="utf-8")):
            body = _body(function)
            if body and not (len(body) == 1 and isinstance(body[0], ast.Pass)):
                found.setdefault(_fingerprint(function),
                                 (function.name, f"{PACKAGE}/reference/{path.name}"))
    return found


def reference_copies(zip_path: Path, project: Path) -> list[str]:
    """Reference implementations in a bundle: one line a problem, [] when there is none.

    - A module released beside the notebook holds no copy of any reference function and defines
      no function that an assignment grades (nbgrader releases such files verbatim; the course
      keeps reference code in ``helpers/reference`` only).
    - A ``helpers`` module holds no copy of the reference implementation of a graded function.
    - A notebook holds no copy of the reference implementation of a function graded in its own
      assignment or a later one. Ready-made code students wrote in an earlier assignment (a
      ``sigmoid`` given in 07) is ordinary given code.
    """
    fingerprints = reference_fingerprints(project)
    graded = graded_functions(project)
    found = []
    with zipfile.ZipFile(zip_path) as zf:
        for info in zf.infolist():
            path = PurePosixPath(info.filename)
            assignment = path.parts[0]
            kind = ("helpers" if PACKAGE in path.parts[:-1]
                    else "notebook" if path.suffix == ".ipynb"
                    else "module" if path.suffix == ".py" else None)
            if kind is None:
                continue
            text = zf.read(info).decode("utf-8", errors="replace")
            if kind == "notebook":
                try:
                    cells = json.loads(text).get("cells", [])
                except ValueError:
                    cells = []
                functions = [f for c in cells if c.get("cell_type") == "code" for f in _functions(_source(c))]
            else:
                functions = _functions(text)
            for function in functions:
                copied = fingerprints.get(_fingerprint(function))
                if copied:
                    name, origin = copied
                    graded_in = graded.get(name, [])
                    if (kind == "module"
                            or (kind == "helpers" and graded_in)
                            or (kind == "notebook" and any(a >= assignment for a in graded_in))):
                        what = f"graded in {', '.join(graded_in)}" if graded_in else "not graded"
                        found.append(f"{info.filename}: {function.name}() is a copy of the reference "
                                     f"implementation of {name}() in {origin} ({what})")
                        continue
                if kind == "module" and function.col_offset == 0 and function.name in graded:
                    found.append(f"{info.filename}: defines {function.name}(), a function graded in "
                                 f"{', '.join(graded[function.name])}")
    return found


def leaks(zip_path: Path, project: Path | None = None) -> list[str]:
    """What a bundle holds that students must not receive: one line a problem, [] when clean.

    Looks for instructor-only modules (``helpers/reference`` and the grading tools), caches and
    build artefacts, and solution / hidden-test / reference text in every text file; with the
    course folder ``project``, also for reference implementations (:func:`reference_copies`).
    """
    found = []
    with zipfile.ZipFile(zip_path) as zf:
        for info in zf.infolist():
            path = PurePosixPath(info.filename)
            parts = path.parts
            if PACKAGE in parts:
                inside = parts[parts.index(PACKAGE) + 1:]
                if inside and (inside[0] in INSTRUCTOR_ONLY or Path(inside[0]).stem in INSTRUCTOR_ONLY):
                    found.append(f"{info.filename}: an instructor-only module")
            if _is_junk(path):
                found.append(f"{info.filename}: a cache or build artefact")
            if info.is_dir() or path.suffix in (".h5", ".png", ".jpg", ".jpeg"):
                continue
            text = zf.read(info).decode("utf-8", errors="replace")
            for match in LEAKS.finditer(text):
                found.append(f"{info.filename}: holds {match.group(0)!r}")
    if project is not None:
        found += reference_copies(zip_path, project)
    return found


def build(project: Path, assignment: str, out_dir: Path, language: str | None = None) -> Path:
    """Write ``out_dir/<assignment>.zip`` (``<assignment>.<language>.zip`` for an edition) and
    return its path.

    The zip is written beside its final name and scanned with :func:`leaks` first; a bundle
    that leaks is deleted and :class:`BundleError` lists what it held. Entries are sorted and
    time-stamped identically, so the same inputs always give the same bytes.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    entries = contents(project, assignment, language)
    target = out_dir / (f"{assignment}.{language}.zip" if language else f"{assignment}.zip")
    partial = target.with_suffix(".zip.part")
    with zipfile.ZipFile(partial, "w") as zf:
        for name in sorted(entries):
            value = entries[name]
            _write(zf, name, value if isinstance(value, bytes) else Path(value).read_bytes())
    problems = leaks(partial, project)
    if problems:
        partial.unlink()
        raise BundleError(f"the bundle of {assignment} would leak:\n  " + "\n  ".join(problems))
    partial.replace(target)
    return target


def build_all(project: Path, assignment_ids: list[str] | None = None, out_dir: Path | None = None,
              log=print, language: str | None = None) -> list[Path]:
    """Build the bundle of every released assignment (or of ``assignment_ids``) in ``out_dir``
    (default ``<project>/bundles``) and return the zip paths.

    One assignment that cannot be bundled (it would leak, or its data is missing) does not stop
    the others: each is built, then :class:`BundleError` lists every refusal.
    """
    project = Path(project)
    out_dir = Path(out_dir) if out_dir is not None else project / "bundles"
    wanted = list(assignment_ids) if assignment_ids else released_assignments(project)
    unknown = [a for a in wanted if not (project / "release" / a).is_dir()]
    if unknown:
        raise BundleError(f"not released: {', '.join(unknown)} (released: "
                          f"{', '.join(released_assignments(project)) or 'none'})")
    paths, refused = [], []
    for assignment in wanted:
        try:
            path = build(project, assignment, out_dir, language)
        except (BundleError, data.DataError) as error:
            refused.append(f"{assignment}: {error}")
            log(f"REFUSED {assignment}: {str(error).splitlines()[0]}")
            continue
        with zipfile.ZipFile(path) as zf:
            count = len(zf.infolist())
        log(f"bundle  {path}  ({count} files, {path.stat().st_size / 1e6:.1f} MB)")
        paths.append(path)
    if refused:
        raise BundleError(f"{len(refused)} of {len(wanted)} bundle(s) refused:\n" + "\n".join(refused))
    return paths
