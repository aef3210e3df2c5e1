"""Trusted re-check of 02_vectorization: calls on fresh random inputs, judged against the reference.

No call runs with numpy's warnings turned into errors: the hidden tests of sigmoid and softmax
call them on large inputs inside ``np.errstate(all="ignore")`` and judge only the values (0 or 1,
never nan; a softmax that does not subtract the row maximum gives nan there and fails).

optimize and model are compared with the reference trainer on the same small inputs, as their
hidden tests do (so a bug in propagate fails them too), with few iterations.

The "no Python loop over the examples" rule of propagate and predict is judged on the submitted
text by :func:`source_checks`, as ``helpers.checks.python_loops`` judges it in the kernel: the
syntax tree of the function and of the notebook functions it calls by name (``sigmoid``...) is
searched for for/while loops, comprehensions, generator expressions and calls of map, filter,
np.vectorize, np.frompyfunc and np.apply_along_axis. Only the solution cells are seen: a helper
defined in a cell the student added, or a function made at run time (exec), is not followed.
"""

from __future__ import annotations

import ast

import numpy as np

from helpers import checks
from helpers.recheck import Case
from helpers.reference import vectorization as reference


def _labels(rng, shape):
    return (rng.random(shape) > 0.5).astype(int)


def _zeros_check(dim, label):
    expected = reference.initialize_with_zeros(dim)

    def check(got):
        checks.compare(got, expected, label)
        checks.check_type(got[1], float, f"b from {label}", "write b = 0.0 (a float), not b = 0 (an int).")
    return check


def cases(rng):
    out = []
    # sigmoid: arrays of several shapes, a plain number, very large |z|
    shapes = [(1, 1), (1, int(rng.integers(2, 12))), tuple(int(v) for v in rng.integers(2, 8, 2)),
              tuple(int(v) for v in rng.integers(2, 5, 3))]
    for shape in shapes:
        z = 4 * rng.standard_normal(shape)
        out.append(Case("test_sigmoid", "sigmoid", (z,), reference.sigmoid(z), label=f"sigmoid(z of shape {shape})"))
    out.append(Case("test_sigmoid", "sigmoid", (0.0,), 0.5, label="sigmoid(0.0)"))
    t = float(rng.uniform(-5, 5))
    out.append(Case("test_sigmoid", "sigmoid", (t,), reference.sigmoid(t), label=f"sigmoid({t!r})"))
    large = np.concatenate([[-800.0, -40.0, 40.0, 800.0], rng.uniform(-900, 900, 4) * rng.choice([1, 0.05], 4)])
    large = large.reshape(2, 4)
    out.append(Case("test_sigmoid", "sigmoid", (large,), reference.sigmoid(large), atol=1e-12,
                    label="sigmoid(z with entries up to 900 in size)"))

    # softmax: a single entry, a row, a square (a sum without keepdims divides by column there),
    # a tall and a wide array, entries up to 900 (the row maximum must be subtracted)
    n = int(rng.integers(2, 7))
    shapes = [(1, 1), (1, int(rng.integers(2, 9))), (n, n), (int(rng.integers(5, 9)), 2),
              (int(rng.integers(2, 5)), int(rng.integers(6, 12)))]
    for shape in shapes:
        x = 3 * rng.standard_normal(shape)
        out.append(Case("test_softmax", "softmax", (x,), reference.softmax(x), label=f"softmax(x of shape {shape})"))
    x = np.vstack([[-500.0, 0.0, 700.0], [900.0, 900.0, -900.0], rng.uniform(-900, 900, 3)])
    out.append(Case("test_softmax", "softmax", (x,), reference.softmax(x),
                    label="softmax(x with entries up to 900 in size)"))

    # L1 and L2: rows, a single entry, a matrix, a rank-1 array
    shapes = [(1, 1), (1, int(rng.integers(3, 15))), tuple(int(v) for v in rng.integers(2, 6, 2)),
              (int(rng.integers(2, 10)),)]
    for name in ("L1", "L2"):
        for shape in shapes:
            yhat, y = rng.random(shape), _labels(rng, shape).astype(float)
            out.append(Case(f"test_{name}", name, (yhat, y), getattr(reference, name)(yhat, y),
                            label=f"{name} on arrays of shape {shape}"))

    # initialize_with_zeros
    for dim in (1, int(rng.integers(2, 30)), 12288):
        label = f"initialize_with_zeros({dim})"
        out.append(Case("test_initialize_with_zeros", "initialize_with_zeros", (dim,),
                        check=_zeros_check(dim, label), label=label))

    # propagate: m = 1, odd m, larger sizes
    for n_x, m in [(1, 1), (int(rng.integers(2, 6)), 1), (int(rng.integers(2, 6)), int(rng.integers(1, 8)) * 2 + 1),
                   (int(rng.integers(10, 30)), int(rng.integers(30, 80))), (1, int(rng.integers(5, 12)))]:
        w = 0.3 * rng.standard_normal((n_x, 1))
        b = float(rng.standard_normal())
        X = rng.standard_normal((n_x, m))
        Y = _labels(rng, (1, m))
        out.append(Case("test_propagate", "propagate", (w, b, X, Y), reference.propagate(w, b, X, Y),
                        label=f"propagate(w, b, X, Y) with n_x = {n_x}, m = {m}"))

    # optimize: one step, and a few hundred steps on small data (costs at 0, 100, 200, ...)
    for n_x, m, iterations, rate in [(1, 1, 1, 0.5),
                                     (int(rng.integers(2, 5)), int(rng.integers(3, 6)) * 2 + 1,
                                      int(rng.integers(120, 200)), 0.05),
                                     (int(rng.integers(6, 12)), int(rng.integers(2, 6)), int(rng.integers(201, 320)),
                                      float(rng.choice([0.01, 0.02]))),
                                     (2, int(rng.integers(6, 12)), 100, 1.0)]:
        w = 0.2 * rng.standard_normal((n_x, 1))
        b = float(rng.standard_normal())
        X = rng.standard_normal((n_x, m))
        Y = _labels(rng, (1, m))
        kwargs = {"num_iterations": iterations, "learning_rate": rate}
        out.append(Case("test_optimize", "optimize", (w, b, X, Y), reference.optimize(w, b, X, Y, iterations, rate),
                        kwargs=kwargs,
                        label=f"optimize with n_x = {n_x}, m = {m}, {iterations} iterations, rate {rate}"))

    # predict: m = 1, a wide input (n_x = 12288, as the cat photos), more examples
    for n_x, m in [(1, 1), (int(rng.integers(2, 5)), int(rng.integers(5, 13))), (12288, int(rng.integers(3, 8))),
                   (int(rng.integers(3, 8)), int(rng.integers(30, 60)))]:
        w = rng.standard_normal((n_x, 1)) / np.sqrt(n_x)
        b = float(rng.standard_normal())
        X = rng.standard_normal((n_x, m))
        out.append(Case("test_predict", "predict", (w, b, X), reference.predict(w, b, X),
                        label=f"predict(w, b, X) with n_x = {n_x}, m = {m}"))

    # model: small data, few iterations
    for n_x, m_train, m_test, iterations, rate in [(1, 1, 1, 1, 0.5),
                                                   (int(rng.integers(2, 5)), int(rng.integers(8, 15)),
                                                    int(rng.integers(2, 6)), int(rng.integers(201, 280)), 0.05),
                                                   (int(rng.integers(6, 10)), int(rng.integers(15, 25)),
                                                    int(rng.integers(5, 9)), int(rng.integers(100, 150)), 0.3)]:
        X_tr, X_te = rng.standard_normal((n_x, m_train)), rng.standard_normal((n_x, m_test))
        Y_tr, Y_te = _labels(rng, (1, m_train)), _labels(rng, (1, m_test))
        kwargs = {"num_iterations": iterations, "learning_rate": rate}
        out.append(Case("test_model", "model", (X_tr, Y_tr, X_te, Y_te),
                        reference.model(X_tr, Y_tr, X_te, Y_te, iterations, rate), kwargs=kwargs,
                        label=f"model with n_x = {n_x}, m_train = {m_train}, m_test = {m_test}, "
                              f"{iterations} iterations, rate {rate}"))
    return out


# --- "no Python loop over the examples": the submitted text, walked by checks.loops_in_tree ---

_VECTORIZED = {"propagate": ("test_propagate", "compute A for all m examples with one product np.dot(w.T, X) + b, "
                                               "and dw with one product np.dot(X, dZ.T) / m."),
               "predict": ("test_predict", "(A > 0.5).astype(float) labels every example at once.")}


def _python(text: str) -> str:
    """A cell's text as the kernel runs it (IPython's %magics and !commands made Python)."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager
        return TransformerManager().transform_cell(text)
    except Exception:  # noqa: BLE001 - no IPython, or text it cannot transform: parse as it is
        return text


class _Bindings(ast.NodeVisitor):
    """What each global name is bound to at the end of a cell: ``(kind, node)``, last one wins.

    ``kind`` is "def" (a function definition), "expr" (an assignment: the value expression) or
    "opaque" (an import, a class, any other binding that cannot be read here).
    Function and class bodies are not entered (their names are local).
    """

    def __init__(self):
        self.names = {}

    def visit_FunctionDef(self, node):
        self.names[node.name] = ("def", node)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node):
        self.names[node.name] = ("opaque", node)

    def visit_Lambda(self, node):
        pass

    def _targets(self, target, value):
        if isinstance(target, ast.Name):
            self.names[target.id] = ("expr", value) if value is not None else ("opaque", target)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self._targets(element, None)
        elif isinstance(target, ast.Starred):
            self._targets(target.value, None)

    def visit_Assign(self, node):
        for target in node.targets:
            self._targets(target, node.value)

    def visit_AnnAssign(self, node):
        if node.value is not None:
            self._targets(node.target, node.value)

    def visit_AugAssign(self, node):
        self._targets(node.target, None)

    def visit_NamedExpr(self, node):
        self._targets(node.target, node.value)

    def visit_Import(self, node):
        for alias in node.names:
            self.names[(alias.asname or alias.name).split(".")[0]] = ("opaque", node)

    visit_ImportFrom = visit_Import

    def visit_For(self, node):
        self._targets(node.target, None)
        self.generic_visit(node)

    visit_AsyncFor = visit_For

    def visit_With(self, node):
        for item in node.items:
            if item.optional_vars is not None:
                self._targets(item.optional_vars, None)
        self.generic_visit(node)

    visit_AsyncWith = visit_With

    def visit_Delete(self, node):
        for target in node.targets:
            if isinstance(target, ast.Name):
                self.names.pop(target.id, None)


def _python_loops(name: str, bindings: dict) -> list:
    """Loops in the notebook function ``name`` and in the notebook functions it calls, once each."""
    found, seen, todo = [], set(), [name]
    while todo:
        current = todo.pop(0)
        if current in seen or current not in bindings:
            continue
        seen.add(current)
        kind, node = bindings[current]
        if kind == "opaque":
            if current == name:
                raise LookupError(f"{name} is not defined by a def statement in the submitted code")
            continue
        if kind == "expr":
            # `name = other_function`, `name = lambda ...`, `name = np.vectorize(f)`: the value is
            # read as the function (an alias is followed, a lambda or a wrapper call is searched)
            if isinstance(node, ast.Name):
                todo.insert(0, node.id)
                seen.discard(node.id)
                continue
            loops, called = checks.loops_in_tree(node, current, node.lineno)
            names = called + [n.id for n in ast.walk(node) if isinstance(n, ast.Name)
                              and bindings.get(n.id, ("",))[0] == "def"]
        else:
            loops, called = checks.loops_in_tree(node, current, node.lineno)
            names = called
        found.extend(loops)
        todo.extend(n for n in names if n in bindings and n not in seen)
    return found


def source_checks(sources: dict) -> dict:
    """``{"test_propagate": message or None, "test_predict": message or None}`` from the submitted text."""
    bindings, broken = {}, {}
    for cell, text in sources.items():  # in notebook order: a later definition replaces an earlier one
        try:
            tree = ast.parse(_python(text or ""))
        except SyntaxError as error:
            broken[cell] = f"{error.msg} (line {error.lineno})"
            continue
        visitor = _Bindings()
        for statement in tree.body:
            visitor.visit(statement)
        bindings.update(visitor.names)
    out = {}
    for function, (cell, advice) in _VECTORIZED.items():
        if function in broken:
            out[cell] = (f"{function}: the code of its cell does not parse as Python ({broken[function]}), "
                         "so it could not be checked for Python loops")
            continue
        if function not in bindings:
            out[cell] = (f"{function}: no `def {function}(...)` was found in the submitted solution cells, "
                         "so it could not be checked for Python loops")
            continue
        try:
            loops = _python_loops(function, bindings)
        except LookupError as error:
            out[cell] = f"{error}, so it could not be checked for Python loops"
            continue
        out[cell] = (f"{function}: it is not vectorized: Python loops found ({'; '.join(loops)}); "
                     f"no loop over the examples: whole-array operations. Hint: {advice}") if loops else None
    return out
