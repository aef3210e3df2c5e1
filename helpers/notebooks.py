"""Reading and writing notebooks the course's way.

Committed notebooks (``source/``, ``release/``) carry no outputs, no execution counts, stable
cell ids and pretty-printed JSON, so that a diff shows what changed.

Authors may also keep a notebook as text (``course nbtext``): cells separated by marker lines

``# %% [markdown]``, ``# %% [code]``, ``# %% [solution] id=NAME``,
``# %% [tests] id=NAME points=N``, ``# %% [written] id=NAME points=N``

where *solution* is an autograded-answer cell, *tests* a locked, graded test cell and *written* a
markdown answer graded by a person (nbgrader's manually graded answer: its model answer between
``### BEGIN SOLUTION`` and ``### END SOLUTION``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO = {"name": "python", "version": "3.11"}
MARKER = re.compile(r"^# %% \[(markdown|code|solution|tests|written)\](.*)$")


def read(path: Path) -> nbformat.NotebookNode:
    """Read a notebook; raise ValueError naming the file when it is not a valid notebook."""
    path = Path(path)
    try:
        return nbformat.read(path, as_version=4)
    except (json.JSONDecodeError, nbformat.reader.NotJSONError) as error:
        raise ValueError(f"{path} is not a valid notebook (not JSON: {error})") from error


def clean(nb: nbformat.NotebookNode, keep_outputs: bool = False,
          keep_counts: bool = False) -> nbformat.NotebookNode:
    """Strip outputs (unless ``keep_outputs``), execution counts (unless ``keep_outputs`` and
    ``keep_counts``: an executed solution shows In [1], In [2]... as it ran) and volatile metadata
    in place."""
    nb.metadata = nbformat.from_dict({
        "kernelspec": KERNELSPEC,
        "language_info": LANGUAGE_INFO,
    })
    for index, cell in enumerate(nb.cells):
        nbgrader = cell.metadata.get("nbgrader")
        tags = cell.metadata.get("tags")
        cell.metadata = nbformat.from_dict({})
        if nbgrader:
            cell.metadata["nbgrader"] = nbgrader
        if tags:
            cell.metadata["tags"] = tags
        grade_id = (nbgrader or {}).get("grade_id")
        cell["id"] = grade_id if grade_id else f"cell-{index:03d}"
        if cell.cell_type == "code":
            if not keep_outputs:
                cell.outputs = []
                cell.execution_count = None
            elif not keep_counts:
                for output in cell.outputs:
                    if "execution_count" in output:
                        output["execution_count"] = None
                cell.execution_count = None
        if "attachments" in cell and not cell["attachments"]:
            del cell["attachments"]
    nb.nbformat, nb.nbformat_minor = 4, 5
    return nb


def write(nb: nbformat.NotebookNode, path: Path, keep_outputs: bool = False,
          keep_counts: bool = False) -> None:
    """Write ``nb`` cleaned (:func:`clean`), as pretty-printed JSON with sorted keys and a final newline."""
    clean(nb, keep_outputs=keep_outputs, keep_counts=keep_counts)
    nbformat.validate(nb)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    Path(path).write_text(text, encoding="utf-8")


def _nbgrader_meta(kind: str, grade_id: str, points: float | None) -> dict:
    if kind == "solution":
        return {"grade": False, "grade_id": grade_id, "locked": False, "schema_version": 3,
                "solution": True, "task": False}
    return {"grade": True, "grade_id": grade_id, "locked": True, "points": points,
            "schema_version": 3, "solution": False, "task": False}


def from_text(text: str) -> nbformat.NotebookNode:
    """Build a notebook from the text format described in the module docstring."""
    nb = nbformat.v4.new_notebook()
    kind, options, lines = None, {}, []

    def flush():
        if kind is None:
            return
        source = "\n".join(lines).strip("\n")
        if kind == "markdown":
            cell = nbformat.v4.new_markdown_cell(source)
        elif kind == "written":
            if "id" not in options or "points" not in options:
                raise ValueError(f"a [written] cell needs id=NAME points=N: {source[:60]!r}")
            cell = nbformat.v4.new_markdown_cell(source)
            points = float(options["points"])
            cell.metadata["nbgrader"] = {**_nbgrader_meta("solution", options["id"], None), "grade": True,
                                         "points": int(points) if points == int(points) else points}
        else:
            cell = nbformat.v4.new_code_cell(source)
            if kind in ("solution", "tests"):
                if "id" not in options:
                    raise ValueError(f"a [{kind}] cell needs id=NAME: {source[:60]!r}")
                points = float(options["points"]) if "points" in options else None
                if kind == "tests" and points is None:
                    raise ValueError(f"a [tests] cell needs points=N: {options['id']}")
                if points is not None and points == int(points):
                    points = int(points)
                cell.metadata["nbgrader"] = _nbgrader_meta(kind, options["id"], points)
        nb.cells.append(cell)

    for line in text.splitlines():
        match = MARKER.match(line)
        if match:
            flush()
            kind = match.group(1)
            options = dict(item.split("=", 1) for item in match.group(2).split())
            lines = []
        else:
            lines.append(line)
    flush()
    return clean(nb)


def to_text(nb: nbformat.NotebookNode) -> str:
    """The text format of ``nb`` (inverse of :func:`from_text` for course notebooks)."""
    parts = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "markdown" and meta.get("grade"):
            header = f"# %% [written] id={meta['grade_id']} points={meta.get('points'):g}"
        elif cell.cell_type == "markdown":
            header = "# %% [markdown]"
        elif meta.get("grade") and not meta.get("solution"):
            points = meta.get("points")
            header = f"# %% [tests] id={meta['grade_id']} points={points:g}"
        elif meta.get("solution"):
            header = f"# %% [solution] id={meta['grade_id']}"
        else:
            header = "# %% [code]"
        parts.append(header + "\n" + cell.source)
    return "\n\n".join(parts) + "\n"


def written_cells(nb: nbformat.NotebookNode) -> dict:
    """``{grade_id: points}`` of the answers a person grades (nbgrader's manually graded answer
    cells: graded and a solution), in order."""
    return {cell.metadata["nbgrader"]["grade_id"]: float(cell.metadata["nbgrader"].get("points", 0))
            for cell in nb.cells
            if cell.metadata.get("nbgrader", {}).get("grade") and cell.metadata["nbgrader"].get("solution")}


def graded_cells(nb: nbformat.NotebookNode) -> dict:
    """``{grade_id: points}`` of the graded test cells of a notebook, in order."""
    out = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution"):
            out[meta["grade_id"]] = float(meta.get("points", 0))
    return out
