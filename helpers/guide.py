"""Guidance for a learner who runs a notebook's cells out of order or skips one.

A notebook calls :func:`install` once, in its first code cell. From then on a ``NameError`` (a
variable or function that an earlier cell makes, used before that cell has run) keeps its
traceback but gains a note saying which cell defines the name and what to run::

    NameError: name 'train_x' is not defined
    `train_x` is made by code cell 4 (under "2 - The data"), which has not run since the
    kernel started. Run that cell (or Run > Run All Above Selected Cell), then this one again.

The cell is found in the notebook file itself: JupyterLab tells the kernel which notebook it
serves through the ``JPY_SESSION_NAME`` environment variable. Where the file cannot be found
(for example while nbgrader grades the notebook), the note gives the same advice without the cell.

The error stays an error: graded cells that raise it still fail, and the kernel reports it
exactly as before (same exception type, same traceback), only with the longer message.
Importing this module changes nothing; only :func:`install` does.
"""

from __future__ import annotations

import ast
import json
import os
from pathlib import Path

__all__ = ["install", "explain", "defining_cells"]


def _names_bound(source: str) -> dict[str, str]:
    """Names a cell binds at top level (assignments, ``def``, ``class``, imports, ``for`` targets),
    each with how: ``"imported"`` or ``"made"``."""
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError:
        return {}
    names: dict[str, str] = {}

    class Binder(ast.NodeVisitor):
        def visit_FunctionDef(self, node):  # the name is bound; the body's names are local
            names[node.name] = "made"

        visit_AsyncFunctionDef = visit_ClassDef = visit_FunctionDef

        def visit_Lambda(self, node):  # its arguments, like a comprehension's variables, are local
            pass

        visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = visit_Lambda

        def visit_Import(self, node):
            names.update({(alias.asname or alias.name).split(".")[0]: "imported" for alias in node.names})

        visit_ImportFrom = visit_Import

        def visit_Name(self, node):
            if isinstance(node.ctx, ast.Store):
                names[node.id] = "made"

    Binder().visit(tree)
    return names


def defining_cells(notebook: str | os.PathLike, name: str) -> list[tuple[int, str, str]]:
    """Code cells of ``notebook`` that bind ``name`` at top level.

    Returns a list of ``(code cell number counting from 1, heading above it, "imported" or
    "made")``, in notebook order; the heading is the last markdown heading before the cell ("" if
    there is none). An unreadable notebook gives an empty list.
    """
    try:
        cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    found, heading, number = [], "", 0
    for cell in cells:
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        if cell.get("cell_type") == "markdown":
            for line in source.splitlines():
                if line.startswith("#"):
                    heading = line.lstrip("#").strip().replace("`", "").replace("**", "")
        elif cell.get("cell_type") == "code":
            number += 1
            how = _names_bound(source).get(name)
            if how:
                found.append((number, heading, how))
    return found


def _notebook_path() -> Path | None:
    path = os.environ.get("JPY_SESSION_NAME")
    if path and path.endswith(".ipynb") and Path(path).is_file():
        return Path(path)
    return None


def explain(name: str, notebook: str | os.PathLike | None = None) -> str:
    """The note added to ``NameError: name '<name>' is not defined`` (see the module docstring)."""
    after = "Run that cell (or Run > Run All Above Selected Cell), then this one again."
    notebook = notebook if notebook is not None else _notebook_path()
    if notebook is None:
        return (f"`{name}` is made by a cell of this notebook that has not been run since the kernel "
                f"started (a skipped cell, or a restart). Run the cells above this one in order "
                f"(Run > Run All Above Selected Cell), then this one again.")
    cells = defining_cells(notebook, name)
    if not cells:
        return (f"No cell of this notebook defines `{name}`: check its spelling against the cell "
                f"that should make it.")
    number, heading, how = cells[0]
    where = f"code cell {number}" + (f' (under "{heading}")' if heading else "")
    return f"`{name}` is {how} by {where}, which has not run since the kernel started. " + after


def _handler(shell, etype, value, tb, tb_offset=None):
    name = getattr(value, "name", None)
    if etype is NameError and isinstance(name, str) and value.args and "\n" not in str(value.args[0]):
        try:
            value.args = (f"{value.args[0]}\n{explain(name)}",) + tuple(value.args[1:])
        except Exception:  # the note is a courtesy: never let it hide the real error
            pass
    shell.showtraceback((etype, value, tb), tb_offset=tb_offset)


def install(shell=None) -> bool:
    """Add the note to every ``NameError`` raised by a cell of the running IPython kernel.

    ``shell`` defaults to the running IPython shell. Returns False (and does nothing) outside
    IPython, for example in a plain ``python`` script.
    """
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return False
        shell = get_ipython()
    if shell is None:
        return False
    shell.set_custom_exc((NameError,), _handler)
    return True
