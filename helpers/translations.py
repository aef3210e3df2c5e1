"""Editions of the notebooks in other languages, made from the English master.

The English notebooks in ``source/`` are the one source of truth. A translation lives in
``translations/<language>/<assignment>.json``, keyed by cell id; each entry carries the SHA-256
of the English cell text it was made from (``en_sha256``), so a changed English cell makes its
translation *stale* and :func:`problems` (run by the test suite) says which cell and why
(``scripts/translate.py skeleton`` re-keys translations of unchanged cells that moved)::

    {"assignment": "01_notation", "language": "zh",
     "cells": {
       "cell-000": {"en_sha256": "…", "markdown": "# 01 · 记号 …"},
       "image2vector": {"en_sha256": "…", "replace": [["Flatten one image", "把一张图像展平"]]}
     }}

* A markdown cell is translated whole (``markdown``); every markdown cell must be.
* A code cell may have ``replace``: ``[english, translated]`` pairs of text inside it (docstring
  prose, comments). Each English text must occur in the master cell. Test cells and read-only
  cells (nbgrader's locked cells) are never translated: they are identical in every edition, so
  nbgrader's checksums and grade ids are too, and one gradebook grades every edition alike.

:func:`apply` turns any notebook made from the master (the release's stubs, the solutions, a
student's submission) into the edition; cells the notebook does not hold are skipped.
"""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path

import nbformat

#: Languages with an edition: code -> the name shown to people.
LANGUAGES = {"zh": "简体中文 (Simplified Chinese)"}


class TranslationError(ValueError):
    """A translation that cannot be applied: missing, stale or not matching its cell."""


def _root(project: Path) -> Path:
    return Path(project) / "translations"


def digest(text: str) -> str:
    """The fingerprint of one English cell's text (its ``en_sha256``)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _text(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _translatable(cell) -> bool:
    """Markdown cells, and code cells that are neither tests nor read-only: nbgrader keeps a
    checksum of every locked cell (Validate reports a changed one, autograde puts the master's
    text back), so those are identical in every edition."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.get("cell_type") == "markdown" or (
        cell.get("cell_type") == "code" and not (meta.get("grade") and not meta.get("solution"))
        and not meta.get("locked"))


def path(project: Path, language: str, assignment: str) -> Path:
    return _root(project) / language / f"{assignment}.json"


def load(project: Path, language: str, assignment: str) -> dict:
    """The translation's ``cells`` mapping; TranslationError naming the file when it is missing
    or not valid."""
    if language not in LANGUAGES:
        raise TranslationError(f"no edition in {language!r}; editions: {', '.join(LANGUAGES)}")
    file = path(project, language, assignment)
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TranslationError(f"{assignment} has no {language} translation ({file} is missing)") from None
    except json.JSONDecodeError as error:
        raise TranslationError(f"{file} is not valid JSON: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), dict):
        raise TranslationError(f"{file}: expected an object with a 'cells' mapping")
    return data["cells"]


def skeleton(master: nbformat.NotebookNode, assignment: str, language: str, old: dict | None = None) -> dict:
    """A translation file's content for ``master``: every translatable cell listed with its
    English text (``en``, for the translator) and fingerprint; entries of ``old`` whose
    fingerprint still matches are kept as they are."""
    old = old or {}
    # Cell ids other than grade ids follow the position (cell-007), so an inserted cell renumbers
    # the cells after it: an unchanged English text finds its translation under any id.
    by_text = {entry.get("en_sha256"): entry for entry in old.values() if isinstance(entry, dict)}
    cells = {}
    for cell in master.cells:
        if not _translatable(cell):
            continue
        text = _text(cell)
        kept = old.get(cell.get("id"))
        same = by_text.get(digest(text))
        if same is not None:
            cells[cell["id"]] = same
            continue
        entry = {"en_sha256": digest(text), "en": text}
        entry["markdown" if cell.cell_type == "markdown" else "replace"] = None if cell.cell_type == "markdown" else []
        if kept:
            entry["previous"] = {k: v for k, v in kept.items() if k in ("markdown", "replace")}
        cells[cell["id"]] = entry
    return {"assignment": assignment, "language": language, "cells": cells}


def problems(master: nbformat.NotebookNode, cells: dict) -> list[str]:
    """Everything wrong with a translation of ``master``, one line each (empty: it is complete
    and current)."""
    out = []
    by_id = {cell.get("id"): cell for cell in master.cells}
    for cell in master.cells:
        if cell.cell_type == "markdown" and cell.get("id") not in cells:
            out.append(f"{cell.get('id')}: markdown cell not translated")
    for cell_id, entry in cells.items():
        cell = by_id.get(cell_id)
        if cell is None:
            out.append(f"{cell_id}: no such cell in the English notebook (removed or renamed)")
            continue
        if not _translatable(cell):
            out.append(f"{cell_id}: a test or read-only cell; those are identical in every edition")
            continue
        text = _text(cell)
        if entry.get("en_sha256") != digest(text):
            moved = [other.get("id") for other in master.cells if digest(_text(other)) == entry.get("en_sha256")]
            out.append(f"{cell_id}: " + (f"its translation belongs to {moved[0]} now (cells moved: run "
                                         f"scripts/translate.py skeleton)" if moved else
                                         "stale (the English cell changed since it was translated)"))
            continue
        if cell.cell_type == "markdown":
            if not isinstance(entry.get("markdown"), str) or not entry["markdown"].strip():
                out.append(f"{cell_id}: markdown cell not translated")
        else:
            for pair in entry.get("replace") or []:
                if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair)):
                    out.append(f"{cell_id}: each replacement is [english, translated]")
                elif not pair[0] or pair[0] not in text:
                    out.append(f"{cell_id}: {pair[0][:60]!r} is not in the English cell")
    return out


def apply(nb: nbformat.NotebookNode, cells: dict) -> nbformat.NotebookNode:
    """A copy of ``nb`` (made from the master) in the translation's language: markdown cells
    replaced whole where they still hold the English text the translation was made from, code
    cells' listed texts replaced where the notebook holds them (a stub keeps its docstring and
    comments; a student's edits may have removed some). Test cells and every cell's id and
    metadata are left as they are."""
    out = copy.deepcopy(nb)
    for cell in out.cells:
        entry = cells.get(cell.get("id"))
        if entry is None or not _translatable(cell):
            continue
        if cell.cell_type == "markdown" and isinstance(entry.get("markdown"), str):
            # only the English text it was made from: a written answer's cell holds the model
            # answer in the master but the stub (or the student's own answer) everywhere else,
            # and a student's own edits are never overwritten
            if digest(_text(cell)) == entry.get("en_sha256"):
                cell.source = entry["markdown"]
        elif cell.cell_type == "code":
            text = _text(cell)
            for english, translated in entry.get("replace") or []:
                text = text.replace(english, translated)
            cell.source = text
    return out
