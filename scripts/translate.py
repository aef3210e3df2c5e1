"""Keep the editions in other languages in step with the English master (``source/``).

    python scripts/translate.py skeleton zh 01_notation   # write or refresh the file to fill in
    python scripts/translate.py check zh                  # what is missing or stale, per notebook
    python scripts/translate.py build zh [--out DIR]      # editions/zh/{release,solutions,docs}

``skeleton`` keeps every entry whose English cell is unchanged; a changed cell gets its new
English text (``en``) and its old translation under ``previous`` to revise. See
``helpers/translations.py`` for the file format.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from helpers import notebooks, translations, wording  # noqa: E402


def _assignments(given):
    return given or sorted(p.name for p in (ROOT / "source").iterdir() if (p / f"{p.name}.ipynb").exists())


def _master(assignment):
    return notebooks.read(ROOT / "source" / assignment / f"{assignment}.ipynb")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=("skeleton", "check", "build"))
    parser.add_argument("language", choices=sorted(translations.LANGUAGES))
    parser.add_argument("assignments", nargs="*")
    parser.add_argument("--out", type=Path, default=ROOT / "editions", help="build: where the edition goes")
    args = parser.parse_args(argv)
    failed = False
    for assignment in _assignments(args.assignments):
        master = _master(assignment)
        file = translations.path(ROOT, args.language, assignment)
        if args.action == "skeleton":
            old = translations.load(ROOT, args.language, assignment) if file.exists() else {}
            data = translations.skeleton(master, assignment, args.language, old)
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            print(f"{file.relative_to(ROOT)}: {len(data['cells'])} cells")
            continue
        try:
            cells = translations.load(ROOT, args.language, assignment)
        except translations.TranslationError as error:
            print(f"{assignment}: {error}")
            failed = True
            continue
        found = translations.problems(master, cells)
        print(f"{assignment}: " + ("complete and current" if not found else f"{len(found)} problem(s)"))
        for line in found:
            print(f"  {line}")
        failed |= bool(found)
        if args.action == "build" and not found:
            edition = args.out / args.language
            for kind in ("release", "solutions"):
                src = ROOT / kind / assignment / f"{assignment}.ipynb"
                dst = edition / kind / assignment / f"{assignment}.ipynb"
                keep = kind == "solutions"
                nb = translations.apply(notebooks.read(src), cells)
                notebooks.write(nb, dst, keep_outputs=keep, **({"keep_counts": True} if keep else {}))
                # the checks speak the edition's language in this folder (helpers.wording)
                (dst.parent / wording.LANGUAGE_FILE).write_text(args.language + "\n", encoding="utf-8")
                print(f"  wrote {dst}")
            # the notebooks link to ../../docs/<page>.md: the pages sit at the same place here
            (edition / "docs").mkdir(parents=True, exist_ok=True)
            for page in sorted((ROOT / "docs").glob("*.md")):
                shutil.copyfile(page, edition / "docs" / page.name)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
