"""The hint and explanation texts of the course, found in the source with ``ast``.

    python scripts/extract_hints.py             # every text, one JSON string a line
    python scripts/extract_hints.py --missing   # those helpers/wording_zh.py does not translate yet
    python scripts/extract_hints.py --skeleton  # the missing ones as entries to paste and translate

A text is a hint when it reaches a hint position of :mod:`helpers.checks`: the ``hint=`` and
``explanation=`` arguments of any call, the keys of a ``mistakes=`` dictionary (``{hint: value}``),
the hint argument of ``_fail`` / ``check_true`` / ``judge`` given by position, and the ``hint or
"..."`` defaults. The value there is followed through names (a module constant, a local
variable), calls of the module's own functions (their ``return`` values; for ``mistakes``, the
keys of the dictionaries they return or fill) and ``X["key"]`` of a constant dictionary. An
f-string gives a template with ``{}`` for each placeholder (``wording_zh.TEMPLATES``); every
other text is a literal (``wording_zh.HINTS``).

Scanned: ``helpers/exercises/NN_topic.py`` and ``helpers/checks.py``. ``tests/test_wording.py``
holds the catalog to this list (a new English hint fails the suite and is named there).
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: Positional hint arguments: {function name: (index of mistakes or None, index of hint or None)}.
POSITIONAL = {"_fail": (None, 4), "check_true": (None, 5), "judge": (2, 3), "compare": (5, 6)}


def sources(root: Path = ROOT) -> list[Path]:
    return [*sorted((root / "helpers" / "exercises").glob("[0-9][0-9]_*.py")), root / "helpers" / "checks.py"]


class _Module:
    """One module's syntax tree, with the definitions a hint's value is followed through."""

    def __init__(self, path: Path):
        self.tree = ast.parse(path.read_text(encoding="utf-8"))
        self.functions = {node.name: node for node in ast.walk(self.tree)
                          if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}
        self.constants = {}
        for node in self.tree.body:
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        self.constants.setdefault(target.id, []).append(node.value)
        self.parents = {}
        for node in ast.walk(self.tree):
            for child in ast.iter_child_nodes(node):
                self.parents[child] = node

    def function_of(self, node):
        while node in self.parents:
            node = self.parents[node]
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                return node
        return None

    def assigned(self, name: str, where) -> list:
        """The values assigned to ``name`` in the function around ``where`` (and the functions
        around that), else at module level."""
        function = self.function_of(where)
        while function is not None:
            if not isinstance(function, ast.Lambda):
                values = [node.value for node in ast.walk(function)
                          if isinstance(node, ast.Assign) and node.value is not None
                          and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)]
                if values:
                    return values
            function = self.function_of(function)
        return self.constants.get(name, [])

    # -- texts -------------------------------------------------------------------------------

    def texts(self, node, seen=frozenset()) -> list[str]:
        """The strings an expression in a hint position can be."""
        if node is None or node in seen:
            return []
        seen = seen | {node}
        if isinstance(node, ast.Constant):
            return [node.value] if isinstance(node.value, str) and node.value else []
        if isinstance(node, ast.JoinedStr):
            return ["".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)]
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left, right = self.texts(node.left, seen), self.texts(node.right, seen)
            return [a + b for a in left for b in right]
        if isinstance(node, ast.IfExp):
            return self.texts(node.body, seen) + self.texts(node.orelse, seen)
        if isinstance(node, ast.BoolOp):
            return [t for value in node.values for t in self.texts(value, seen)]
        if isinstance(node, ast.Name):
            return [t for value in self.assigned(node.id, node) for t in self.texts(value, seen)]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in self.functions:
            return [t for ret in ast.walk(self.functions[node.func.id])
                    if isinstance(ret, ast.Return) for t in self.texts(ret.value, seen)]
        if isinstance(node, ast.Subscript):
            return [t for value in self._dict_values(node) for t in self.texts(value, seen)]
        return []

    def keys(self, node, seen=frozenset()) -> list[str]:
        """The keys (hint texts) of a ``{hint: value}`` dictionary an expression can be."""
        if node is None or node in seen:
            return []
        seen = seen | {node}
        if isinstance(node, ast.Dict):
            return [t for key in node.keys for t in self.texts(key, seen)]
        if isinstance(node, ast.DictComp):
            iterated = node.generators[0].iter
            if isinstance(iterated, ast.Call) and isinstance(iterated.func, ast.Attribute):
                return self.keys(iterated.func.value, seen)
            return self.texts(node.key, seen)
        if isinstance(node, ast.BoolOp):
            return [t for value in node.values for t in self.keys(value, seen)]
        if isinstance(node, ast.IfExp):
            return self.keys(node.body, seen) + self.keys(node.orelse, seen)
        if isinstance(node, ast.Name):
            return [t for value in self.assigned(node.id, node) for t in self.keys(value, seen)]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in self.functions:
            function = self.functions[node.func.id]
            found = []
            for inner in ast.walk(function):
                if isinstance(inner, ast.Return):
                    found += self.keys(inner.value, seen)
                if isinstance(inner, ast.Assign):   # out["a hint"] = value
                    for target in inner.targets:
                        if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                            found += self.texts(target.slice, seen)
            return found
        return []

    def _dict_values(self, node):
        """The values of ``D["key"]`` (or any value of D when the key is not a constant)."""
        if not isinstance(node.value, ast.Name):
            return []
        key = node.slice.value if isinstance(node.slice, ast.Constant) else None
        values = []
        for d in self.constants.get(node.value.id, []):
            if isinstance(d, ast.Dict):
                values += [v for k, v in zip(d.keys, d.values)
                           if key is None or (isinstance(k, ast.Constant) and k.value == key)]
        return values

    def hints(self) -> list[str]:
        found = []
        for node in ast.walk(self.tree):
            if not isinstance(node, ast.Call):
                continue
            for keyword in node.keywords:
                if keyword.arg in ("hint", "explanation"):
                    found += self.texts(keyword.value)
                elif keyword.arg == "mistakes":
                    found += self.keys(keyword.value)
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            mistakes_at, hint_at = POSITIONAL.get(name, (None, None))
            if mistakes_at is not None and len(node.args) > mistakes_at:
                found += self.keys(node.args[mistakes_at])
            if hint_at is not None and len(node.args) > hint_at:
                found += self.texts(node.args[hint_at])
        return found


def extract(root: Path = ROOT) -> list[str]:
    """Every hint and explanation text of the course, in source order, each once (an f-string
    as a template with ``{}``)."""
    seen = {}
    for path in sources(root):
        for text in _Module(path).hints():
            seen.setdefault(text, None)
    return list(seen)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    texts = extract()
    if argv and argv[0] in ("--missing", "--skeleton"):
        sys.path.insert(0, str(ROOT))
        from helpers import wording_zh

        known = {**wording_zh.HINTS, **wording_zh.TEMPLATES}
        texts = [t for t in texts if t not in known]
        if argv[0] == "--skeleton":
            for text in texts:
                print(f"    {json.dumps(text, ensure_ascii=False)}:\n        \"\",")
            return 0
    for text in texts:
        print(json.dumps(text, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
