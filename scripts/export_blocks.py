"""Write the building blocks of 07 into the 08 notebook, from the course's reference source.

08_cat_classifier trains networks with the functions graded in 07 (forward and backward steps,
cost, update). Its students get them as one read-only code cell of the 08 notebook (nbgrader
grade id ``building_blocks``: locked, not graded), so:

- no reference solution of a graded function reaches students before 08 is released (the cell
  is part of the 08 notebook, released with it, and nowhere else);
- there is a single source: ``helpers.reference.deep_network.export_blocks()`` generates the cell
  from the reference functions listed in ``BLOCKS`` (the 08 trainers are never exported), the
  same code the hidden tests of 07 compare against;
- nbgrader restores a locked cell from the source at autograde, so every student trains with the
  same blocks.

    python scripts/export_blocks.py          # rewrite the cell in source/08_cat_classifier/
    python scripts/export_blocks.py --check  # exit 1 if the cell is out of date

The source notebook must already hold a code cell with that grade id, or a code cell whose first
line is ``# BUILDING BLOCKS`` (a placeholder in the authoring text) or the first line of the
export (the cell, after a round trip through ``course nbtext``, which keeps no metadata); the
script sets the cell's text and its read-only metadata. Then run ``course generate 08_cat_classifier``.
``tests/test_cat_classifier.py`` fails when the cell differs from the export.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "source" / "08_cat_classifier" / "08_cat_classifier.ipynb"
PLACEHOLDER = "# BUILDING BLOCKS"


def locked_metadata(grade_id: str) -> dict:
    """nbgrader metadata of a read-only, ungraded cell."""
    return {"grade": False, "grade_id": grade_id, "locked": True, "schema_version": 3,
            "solution": False, "task": False}


def find_cell(nb, grade_id: str):
    """The blocks cell of ``nb`` (by grade id, else the placeholder), or None."""
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            return cell
    from helpers.reference import deep_network

    first_line = deep_network.export_blocks().splitlines()[0]
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.source.startswith((PLACEHOLDER, first_line)):
            return cell
    return None


def main(argv=None) -> int:
    sys.path.insert(0, str(ROOT))
    from helpers import notebooks
    from helpers.reference import deep_network

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the cell is up to date")
    parser.add_argument("notebook", nargs="?", default=str(NOTEBOOK), help="the 08 notebook (default: source/)")
    args = parser.parse_args(argv)
    path = Path(args.notebook)
    nb = notebooks.read(path)
    cell = find_cell(nb, deep_network.BLOCKS_CELL_ID)
    if cell is None:
        print(f"{path}: no cell with grade id {deep_network.BLOCKS_CELL_ID!r} or starting with "
              f"{PLACEHOLDER!r}", file=sys.stderr)
        return 2
    text = deep_network.export_blocks()
    meta = locked_metadata(deep_network.BLOCKS_CELL_ID)
    up_to_date = cell.source == text and cell.metadata.get("nbgrader") == meta
    if args.check:
        print(f"{path.name}: the building-block cell is " + ("up to date" if up_to_date else
              "OUT OF DATE: run python scripts/export_blocks.py, then course generate 08_cat_classifier"))
        return 0 if up_to_date else 1
    if up_to_date:
        print(f"{path.name}: the building-block cell is already up to date")
        return 0
    cell.source = text
    cell.metadata["nbgrader"] = meta
    notebooks.write(nb, path)
    print(f"wrote the building-block cell of {path.name}; now run: course generate 08_cat_classifier")
    return 0


if __name__ == "__main__":
    sys.exit(main())
