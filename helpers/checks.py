"""Visible checks: comparisons that explain what is wrong.

A check goes from coarse to fine: type, then keys or length, then shape, then finite values,
then values within a stated tolerance. The first difference found raises :class:`CheckFailure`
with what was expected, what came back, and a hint for the known mistakes.

Typical use in a notebook::

    from helpers import checks
    got = checks.run(image2vector, image)            # a stub still raising -> clear message
    checks.compare(got, expected, "image2vector(image)")
    checks.passed("image2vector")                      # one-line verdict

Hidden tests use the same functions, so a student sees the same kind of message in feedback.
"""

from __future__ import annotations

import numbers
import sys
import warnings

import numpy as np

from helpers import wording


class CheckFailure(AssertionError):
    """A visible or hidden check found a difference; the message explains it.

    In a notebook the failure is shown as its message alone, first line first (IPython's
    ``_render_traceback_`` protocol): the frames of this module would only push the explanation
    down, and nbgrader's Validate keeps the first ~80 characters of it.
    """

    def _render_traceback_(self):
        lines = wording.shown(str(self)).splitlines() or [""]
        return [f"CheckFailure: {lines[0]}", *lines[1:]]


def _fail(name: str, what: str, expected, got, hint: str | None = None):
    __tracebackhide__ = True
    lines = [f"{name}: {what}", f"  expected: {expected}", f"  got:      {got}"]
    if hint:
        lines.append(f"  hint: {hint}")
    raise CheckFailure("\n".join(lines))


def describe(value) -> str:
    """A short description of a value's type (and shape for arrays), for messages."""
    if isinstance(value, np.ndarray):
        return f"numpy array of shape {value.shape}, dtype {value.dtype}"
    if value is None:
        return "None"
    return type(value).__name__


def _short(array: np.ndarray, limit: int = 12) -> str:
    flat = np.asarray(array).ravel()
    text = np.array2string(flat[:limit], precision=6, separator=", ")
    return text if flat.size <= limit else text[:-1] + ", ...]"


def run(func, *args, **kwargs):
    """Call ``func(*args, **kwargs)``; a stub that still raises NotImplementedError fails clearly.

    ``func`` may be the function's name (a string): it is then looked up among the caller's
    globals, and a learner who skipped the cell that defines it is told which cell to run.

    Any other exception from the student's code is left alone, so its traceback points at the
    student's own line.
    """
    __tracebackhide__ = True
    if isinstance(func, str):  # looked up by name, so that a skipped cell gets a clear message
        import sys

        name = func
        func = sys._getframe(1).f_globals.get(name)
        if func is None:
            raise CheckFailure(
                f"{name} is not defined yet: run the cell that defines it (the one starting with "
                f"`def {name}`) first, then run this check again. If you restarted the kernel, "
                f"run the cells above in order (Run > Run All Above Selected Cell).")
    name = getattr(func, "__name__", "the function")
    try:
        return func(*args, **kwargs)
    except NotImplementedError:
        raise CheckFailure(
            f"{name}() is not written yet: replace the `raise NotImplementedError(...)` line in "
            f"its cell with your code, run that cell, then run this check again."
        ) from None


def compare(
    got,
    expected,
    name: str = "result",
    *,
    rtol: float = 1e-6,
    atol: float = 1e-8,
    mistakes: dict | None = None,
    hint: str | None = None,
):
    """Check that ``got`` matches ``expected``, coarse to fine; raise :class:`CheckFailure` if not.

    Parameters
    ----------
    got, expected:
        numpy arrays, numbers, booleans, strings, tuples/lists or dicts of these (compared
        element by element / key by key, and the message names the element).
    name:
        What is being checked, as the student would write it, e.g. ``"propagate(w, b, X, Y)"``.
    rtol, atol:
        Tolerance for values, as in ``np.allclose``: ``|got - expected| <= atol + rtol*|expected|``.
    mistakes:
        ``{hint text: value a known mistake would give}``. When the values differ and ``got``
        matches one of these, its hint is shown.
    hint:
        A hint shown with any value difference that no known mistake explains.

    Returns None (so that a test cell never ends on a value nbgrader could read as partial credit).
    """
    __tracebackhide__ = True
    _compare(got, expected, name, rtol, atol, mistakes or {}, hint)


def _compare(got, expected, name, rtol, atol, mistakes, hint):
    __tracebackhide__ = True
    if isinstance(expected, Judge):  # an expected value stated as properties
        expected.judge(got, name, mistakes or None, hint)
        return
    if expected is None:  # nothing expected (07's dA_prev when need_dA_prev is False)
        if got is not None:
            _fail(name, "a value where None is expected", "None", describe(got), hint)
        return
    if got is None and expected is not None:
        _fail(name, "nothing came back", describe(expected), "None",
              "does the function end with its `return` line, and is the result assigned to the "
              "name that line returns?")
    if isinstance(expected, dict):
        _compare_dict(got, expected, name, rtol, atol, mistakes, hint)
    elif isinstance(expected, (tuple, list)):
        _compare_sequence(got, expected, name, rtol, atol, mistakes, hint)
    elif isinstance(expected, np.ndarray):
        _compare_array(got, expected, name, rtol, atol, mistakes, hint)
    elif isinstance(expected, (bool, np.bool_)):
        if not isinstance(got, (bool, np.bool_)):
            _fail(name, "wrong type", "bool (True or False)", describe(got))
        if bool(got) != bool(expected):
            _fail(name, "wrong value", bool(expected), bool(got), hint)
    elif isinstance(expected, numbers.Number):
        _compare_number(got, expected, name, rtol, atol, mistakes, hint)
    elif isinstance(expected, str):
        if got != expected:
            _fail(name, "wrong value", repr(expected), repr(got), hint)
    else:  # pragma: no cover - a course author's mistake, not a student's
        raise TypeError(f"compare() cannot compare values of type {type(expected).__name__}")


def _compare_dict(got, expected, name, rtol, atol, mistakes, hint):
    __tracebackhide__ = True
    if not isinstance(got, dict):
        _fail(name, "wrong type", "dict", describe(got))
    missing = [k for k in expected if k not in got]
    extra = [k for k in got if k not in expected]
    if missing:
        _fail(name, f"missing key(s) {missing}", sorted(map(str, expected)), sorted(map(str, got)),
              "key names are case-sensitive and follow the course notation (\"W1\", \"b1\", \"dW1\"...).")
    if extra:
        _fail(name, f"unexpected key(s) {extra}", sorted(map(str, expected)), sorted(map(str, got)))
    for key, value in expected.items():
        _compare(got[key], value, f"{name}[{key!r}]", rtol, atol,
                 _sub_mistakes(mistakes, key), hint)


def _compare_sequence(got, expected, name, rtol, atol, mistakes, hint):
    __tracebackhide__ = True
    kind = "tuple" if isinstance(expected, tuple) else "list"
    if not isinstance(got, (tuple, list)):
        _fail(name, "wrong type", f"a {kind} of {len(expected)} items", describe(got),
              "return all the results, separated by commas, in the order the docstring gives.")
    if len(got) != len(expected):
        _fail(name, "wrong number of items", len(expected), len(got),
              "the docstring lists what to return, in order.")
    for index, (g, e) in enumerate(zip(got, expected)):
        _compare(g, e, f"{name}[{index}]", rtol, atol, _sub_mistakes(mistakes, index), hint)


def _sub_mistakes(mistakes, key):
    """Mistake values for one element of a dict/tuple (only those given as the same container)."""
    out = {}
    for text, value in mistakes.items():
        try:
            out[text] = value[key]
        except (KeyError, IndexError, TypeError):
            continue
    return out


def _shape_hint(got_shape, expected_shape):
    if len(got_shape) == 1 and len(expected_shape) == 2 and 1 in expected_shape \
            and got_shape[0] == max(expected_shape):
        return ("that is a rank-1 array: numpy gives shape (n,) when a sum or a slice drops an "
                "axis. Keep it a column or row with keepdims=True or .reshape"
                f"{expected_shape}.")
    if len(got_shape) == 2 and len(expected_shape) == 2 and 1 in expected_shape \
            and 1 in got_shape and got_shape[::-1] == expected_shape:
        return "a row where a column is expected (or the reverse): check the axis you used."
    if tuple(got_shape[::-1]) == tuple(expected_shape) and got_shape != expected_shape:
        return ("the shape is transposed: examples are columns in this course "
                "(X is (n_x, m)); check the order of a reshape or a missing .T.")
    if int(np.prod(got_shape)) == int(np.prod(expected_shape)):
        return "same number of entries, different shape: check the arguments of reshape."
    if len(got_shape) == len(expected_shape) + 1 or len(got_shape) + 1 == len(expected_shape):
        return "one axis too many or too few: keepdims=True keeps the summed axis."
    return "write down the shape of every array in the formula, as the notebook's shape table does."


def _compare_array(got, expected, name, rtol, atol, mistakes, hint):
    __tracebackhide__ = True
    if isinstance(got, (list, tuple)):
        _fail(name, "wrong type", describe(expected), f"a Python {type(got).__name__}",
              "return a numpy array (np.array(...)), not a list.")
    if not isinstance(got, np.ndarray):
        _fail(name, "wrong type", describe(expected), describe(got),
              "a numpy array is expected here; np.dot, np.sum(..., keepdims=True) and reshape "
              "all return arrays.")
    if got.shape != expected.shape:
        _fail(name, "wrong shape", expected.shape, got.shape, _shape_hint(got.shape, expected.shape))
    if expected.dtype.kind in "biuf" and got.dtype.kind not in "biuf":
        _fail(name, "wrong dtype", f"numbers ({expected.dtype})", f"{got.dtype}")
    if expected.dtype.kind == "f" and got.dtype.kind in "biu" and expected.size \
            and not np.all(np.equal(np.mod(expected, 1), 0)):
        _fail(name, "integer values where fractions are expected", expected.dtype, got.dtype,
              "an integer array rounds every result down; start from a float array "
              "(np.zeros(..., dtype=float), or X.astype(float)).")
    if expected.dtype.kind == "b" or expected.dtype.kind in "iu":
        if not np.array_equal(got, expected):
            _value_failure(got, expected, name, mistakes, hint, exact=True, rtol=rtol, atol=atol)
        return
    got_f = got.astype(float)
    if not np.all(np.isfinite(got_f)) and np.all(np.isfinite(expected)):
        bad = np.argwhere(~np.isfinite(got_f))
        first = tuple(int(i) for i in bad[0])
        _fail(name, f"{len(bad)} value(s) are not finite (nan or inf), the first at index {first}",
              "finite numbers", got_f[first],
              _nonfinite_mistake(got_f, mistakes, rtol, atol)
              or "an exp() of a large number overflows to inf, and inf/inf or 0*log(0) gives nan; "
                 "check the sign in the exponent and the order of operations.")
    if not np.allclose(got_f, expected, rtol=rtol, atol=atol):
        _value_failure(got_f, expected, name, mistakes, hint, exact=False, rtol=rtol, atol=atol)


def _value_failure(got, expected, name, mistakes, hint, exact, rtol, atol):
    __tracebackhide__ = True
    got_f = np.asarray(got, dtype=float)
    exp_f = np.asarray(expected, dtype=float)
    diff = np.abs(got_f - exp_f)
    where = tuple(int(i) for i in np.unravel_index(int(np.argmax(diff)), diff.shape)) if diff.size else ()
    what = (f"values differ (largest difference {float(diff.max()):.3g} at index {where}; "
            + ("exact match expected)" if exact else f"tolerance rtol={rtol:g}, atol={atol:g})"))
    transposed = (got_f.ndim == 2 and got_f.shape[0] == got_f.shape[1] and got_f.shape[0] > 1
                  and np.allclose(got_f.T, exp_f, rtol=rtol, atol=atol))
    hint = _match_mistake(got_f, mistakes, rtol, atol) or (
        "the result is the expected one transposed: rows and columns are swapped (examples are "
        "columns in this course)." if transposed else hint)
    _fail(name, what, _matrix(exp_f), _matrix(got_f), hint)


def _matrix(array: np.ndarray) -> str:
    """A small matrix as a matrix (rows on their own lines), anything else as a short flat list."""
    if array.ndim == 2 and array.size <= 36 and array.shape[0] > 1:
        text = np.array2string(array, precision=6, separator=", ")
        return text.replace("\n", "\n            ")
    return _short(array)


def _nonfinite_mistake(got, mistakes, rtol, atol):
    """The hint of a known mistake whose value is not all finite and matches ``got`` (nan where
    ``got`` has nan), else None: a result with nan or inf explained by the form that gives it."""
    kept = {}
    for text, value in mistakes.items():
        try:
            if value is not None and not np.all(np.isfinite(np.asarray(value, dtype=float))):
                kept[text] = value
        except (TypeError, ValueError):
            continue
    return _match_mistake(got, kept, rtol, atol)


def _match_mistake(got, mistakes, rtol, atol):
    for text, value in mistakes.items():
        value = np.asarray(value, dtype=float)
        got_arr = np.asarray(got, dtype=float)
        if value.shape == got_arr.shape and np.allclose(got_arr, value, rtol=rtol, atol=atol, equal_nan=True):
            return text
    return None


def _compare_number(got, expected, name, rtol, atol, mistakes, hint):
    __tracebackhide__ = True
    if isinstance(got, np.ndarray):
        advice = ("use float(...) to turn a one-element array into a number"
                  if got.size == 1 else "a single number is expected, not an array")
        _fail(name, "wrong type", f"a number ({type(expected).__name__})", describe(got), advice)
    if not isinstance(got, numbers.Number) or isinstance(got, (bool, np.bool_)):
        _fail(name, "wrong type", f"a number ({type(expected).__name__})", describe(got))
    if isinstance(expected, (numbers.Integral, np.integer)):  # counts and sizes: exact
        if float(got) != float(expected):
            _fail(name, "wrong value", expected, got, _match_mistake(got, mistakes, rtol, atol) or hint)
        return
    if not np.isfinite(float(got)) and np.isfinite(float(expected)):
        _fail(name, "not a finite number", expected, got,
              _nonfinite_mistake(got, mistakes, rtol, atol)
              or "log(0) gives -inf and 0*inf gives nan: check the formula near 0 and 1.")
    if not np.isclose(float(got), float(expected), rtol=rtol, atol=atol):
        _fail(name, f"wrong value (tolerance rtol={rtol:g}, atol={atol:g})", repr(expected), repr(got),
              _match_mistake(got, mistakes, rtol, atol) or hint)


def check_type(value, kind, name: str, hint: str | None = None):
    """Fail unless ``isinstance(value, kind)``; the message names the expected type."""
    __tracebackhide__ = True
    if not isinstance(value, kind):
        label = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        _fail(name, "wrong type", label, describe(value), hint)


def check_shape(array, shape: tuple, name: str):
    """Fail unless ``array`` is a numpy array of exactly ``shape``."""
    __tracebackhide__ = True
    check_type(array, np.ndarray, name)
    if array.shape != tuple(shape):
        _fail(name, "wrong shape", tuple(shape), array.shape, _shape_hint(array.shape, tuple(shape)))


def check_true(condition: bool, name: str, what: str, expected, got, hint: str | None = None):
    """Fail with an explained message unless ``condition`` holds (for property checks)."""
    __tracebackhide__ = True
    if not condition:
        _fail(name, what, expected, got, hint)


def relative_difference(a, b) -> float:
    """``||a - b|| / (||a|| + ||b||)``, 0.0 when both are zero: the gradient-check measure."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    denominator = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if denominator == 0 else float(np.linalg.norm(a - b) / denominator)


def gradient_table(analytic: dict, numeric: dict, threshold: float = 1e-6, name: str = "gradients",
                   show: bool = True) -> dict:
    """Compare gradients key by key against numerical ones and print a table, one row a key.

    ``analytic`` and ``numeric`` map names (``"dW1"``, ``"db1"``...) to arrays of equal shape.
    Prints ``dW1   ok          (2.1e-09)`` or ``db2   differs by 3.2e-02``; the first failing row
    names the broken layer. Raises :class:`CheckFailure` listing the failing keys; returns
    ``{key: relative difference}`` when all pass.
    """
    __tracebackhide__ = True
    rows, failing = {}, []
    for key in numeric:
        if key not in analytic:
            failing.append(key)
            rows[key] = None
            continue
        if np.shape(analytic[key]) != np.shape(numeric[key]):
            failing.append(key)
            rows[key] = None
            continue
        rows[key] = relative_difference(analytic[key], numeric[key])
        if not rows[key] <= threshold:
            failing.append(key)
    if show:
        width = max(len(k) for k in rows) if rows else 4
        for key, value in rows.items():
            if value is None:
                state = ("missing" if key not in analytic
                         else f"wrong shape {np.shape(analytic[key])}, expected {np.shape(numeric[key])}")
            elif value <= threshold:
                state = f"ok          ({value:.1e})"
            else:
                state = f"differs by {value:.1e}"
            print(f"  {key:<{width}}  {state}")
    if failing:
        _fail(name, f"{len(failing)} gradient(s) disagree with the numerical ones: {failing}",
              f"relative difference <= {threshold:g}", {k: rows[k] for k in failing},
              f"the first failing row ({failing[0]}) names the first broken step: check its formula "
              f"and the shapes it multiplies.")
    return rows


def passed(what: str) -> None:
    """Print the one-line verdict that ends every visible check (and record it in :data:`CHECKED`:
    the check of ``what`` passed, for the function :func:`expect` judged)."""
    if what in CHECKED:
        CHECKED[what] = (CHECKED[what][0], True)
    # A warning the checks printed (02's sigmoid may overflow in np.exp, as its prose allows) is sent
    # first: a kernel sends buffered stdout before stderr, which put it after this verdict.
    sys.stderr.flush()
    print(wording.passed(what))


#: The visible checks run in this kernel: ``{function name: (the function judged, passed?)}``.
#: :func:`expect` marks a function as checked-not-yet-passed, :func:`passed` (the last line of its
#: test cell) as passed. When a caller's visible case fails and a graded function it calls is, as
#: it stands, one whose check failed, the failure says to fix that one first
#: (:func:`failed_callees`): the grade judges the caller with the course's version of it.
CHECKED: dict = {}


def _global_names(code) -> list:
    """The global names ``code`` (and the code nested in it) loads, in order, once each."""
    import types

    out, todo = [], [code]
    while todo:
        current = todo.pop(0)
        if current is None:
            continue
        out += [n for n in current.co_names if n not in out]
        todo += [c for c in current.co_consts if isinstance(c, types.CodeType)]
    return out


def failed_callees(func, names=()) -> list:
    """The graded functions ``func`` calls by a global name (its code's ``co_names``, then theirs,
    among functions defined where ``func`` is; and ``names``) whose visible check failed in this
    kernel and that are still the function that failed (not redefined since): see :data:`CHECKED`."""
    import types

    space = getattr(func, "__globals__", None)
    if not isinstance(space, dict):
        return []
    found, seen, todo = [], {id(func)}, [(func, list(names))]
    while todo:
        current, extra = todo.pop(0)
        for callee in list(extra) + _global_names(getattr(current, "__code__", None)):
            target = space.get(callee)
            target = getattr(target, "__course_pure__", target)
            if not isinstance(target, types.FunctionType) or id(target) in seen:
                continue
            seen.add(id(target))
            state = CHECKED.get(callee)
            if state is not None and state[0] is target and not state[1] and callee not in found:
                found.append(callee)
            if target.__globals__ is space:
                todo.append((target, []))
    return found


def run_without_warnings(func, *args, hint: str | None = None, **kwargs):
    """Call ``func(*args, **kwargs)`` like :func:`run`, but fail on a numpy floating-point warning.

    An overflow, an invalid value (nan from inf/inf or inf - inf) or a division by zero inside
    ``func`` raises :class:`CheckFailure` naming the problem, instead of printing a
    RuntimeWarning and carrying on. Underflow (``np.exp(-1000.0)`` gives 0.0) is harmless and
    allowed. ``hint`` replaces the default advice (about ``exp`` of a large number).
    Returns what ``func`` returns.
    """
    __tracebackhide__ = True
    import warnings

    name = getattr(func, "__name__", "the function")
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        with np.errstate(over="raise", divide="raise", invalid="raise"):
            try:
                return run(func, *args, **kwargs)
            except (FloatingPointError, RuntimeWarning) as error:
                problem = str(error)
    _fail(f"{name}()", "numpy reported a floating-point problem inside the function",
          "no overflow, no invalid value, no division by zero", problem,
          hint or "np.exp of a large positive number overflows (np.exp(710.0) is inf, with a "
                  "warning). Rearrange the formula so that exp only ever sees numbers <= 0, "
                  "for example exp(-|z|), and pick the form by the sign of z with np.where.")


#: The longest ``range(<constants>)`` a loop of a no_loops function may run over (a fixed handful).
SMALL_RANGE = 16


def fixed_iterable(node) -> bool:
    """Whether the syntax tree ``node`` is an iterable of a fixed handful of items, the same
    whatever the data: a literal tuple, list, set or dict (``(cost, db)``, ``["dw", "db"]``), a
    ``range`` of integer constants of at most :data:`SMALL_RANGE` items, or ``enumerate``,
    ``zip``, ``reversed``, ``sorted`` of those. A loop over it is no loop over the examples."""
    import ast

    def constant(arg):
        if isinstance(arg, ast.UnaryOp) and isinstance(arg.op, (ast.USub, ast.UAdd)):
            arg = arg.operand
        return isinstance(arg, ast.Constant) and type(arg.value) is int

    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return not any(isinstance(e, ast.Starred) for e in node.elts)
    if isinstance(node, ast.Dict):
        return None not in node.keys
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords \
            and node.args and not any(isinstance(a, ast.Starred) for a in node.args):
        if node.func.id == "range" and len(node.args) <= 3 and all(constant(a) for a in node.args):
            try:
                return len(range(*[ast.literal_eval(a) for a in node.args])) <= SMALL_RANGE
            except (ValueError, TypeError):
                return False
        if node.func.id in ("enumerate", "reversed", "sorted"):
            return fixed_iterable(node.args[0])
        if node.func.id == "zip":
            return all(fixed_iterable(a) for a in node.args)
    return False


#: What turns numpy's floating-point warnings off (judged by the no_warnings rule).
SILENCERS = ("errstate", "seterr", "seterrcall", "filterwarnings", "simplefilter", "catch_warnings",
             "resetwarnings")
SILENCING_HINT = ("hiding the warning leaves the formula unstable: np.exp(-z) still overflows for z "
                  "= -1000. Rearrange it so that exp only sees numbers <= 0 (np.where on the sign of z).")


def silencing_in_text(source: str) -> list:
    """The names of :data:`SILENCERS` that ``source`` mentions (the text half of no_warnings,
    judged by the grader on the submitted cell)."""
    import re

    return [word for word in SILENCERS if re.search(rf"\b{word}\b", source)]


class _silencing_watched:
    """While it is entered, calls of np.errstate / np.seterr / warnings' filters made from code
    outside numpy are recorded (in the list it returns); they still do what they do."""

    def __enter__(self):
        import sys

        self.seen, self.saved = [], []

        def wrap(owner, attribute, label):
            original = getattr(owner, attribute, None)
            if original is None:
                return

            def watched(*a, **k):
                caller = sys._getframe(1).f_globals.get("__name__", "")
                if not (caller == "numpy" or caller.startswith(("numpy.", "warnings"))):
                    self.seen.append(label)
                return original(*a, **k)

            self.saved.append((owner, attribute, original))
            setattr(owner, attribute, watched)

        for attribute in ("errstate", "seterr", "seterrcall"):
            wrap(np, attribute, f"np.{attribute}")
        for attribute in ("filterwarnings", "simplefilter", "catch_warnings", "resetwarnings"):
            wrap(warnings, attribute, f"warnings.{attribute}")
        return self.seen

    def __exit__(self, *exc):
        for owner, attribute, original in reversed(self.saved):
            setattr(owner, attribute, original)
        return False


def loops_in_tree(node, name: str, first_line: int = 1) -> tuple[list, list]:
    """Python-level loops inside the syntax tree ``node``, and the plain names it calls.

    Finds ``for`` and ``while`` loops, comprehensions and generator expressions, and calls of
    ``map``, ``filter``, ``np.vectorize``, ``np.frompyfunc`` and ``np.apply_along_axis`` (loops
    in disguise). A ``for`` loop, comprehension, ``map`` or ``filter`` over a fixed handful of
    items (:func:`fixed_iterable`: ``for key in ("dw", "db")``, ``map(float, (cost, db))``,
    ``range(3)``) is not counted: it runs the same number of times whatever the data. Returns
    ``(descriptions, called names)``; a description reads ``"<name>, line <n>: a for loop"`` with
    ``n`` counted from ``first_line`` (the ``def`` line is 1). Used by :func:`python_loops` and
    by the trusted re-check of the submitted text.
    """
    import ast

    kinds = {ast.For: "a for loop", ast.AsyncFor: "a for loop", ast.While: "a while loop",
             ast.ListComp: "a list comprehension", ast.SetComp: "a set comprehension",
             ast.DictComp: "a dict comprehension", ast.GeneratorExp: "a generator expression"}
    disguised = {"map", "filter", "vectorize", "frompyfunc", "apply_along_axis"}
    found, called_names = [], []
    for sub in ast.walk(node):
        for kind, text in kinds.items():
            if isinstance(sub, kind):
                if isinstance(sub, (ast.For, ast.AsyncFor)) and fixed_iterable(sub.iter):
                    continue
                if hasattr(sub, "generators") and all(fixed_iterable(g.iter) for g in sub.generators):
                    continue
                found.append(f"{name}, line {sub.lineno - first_line + 1}: {text}")
        if isinstance(sub, ast.Call):
            callee = sub.func
            called = callee.id if isinstance(callee, ast.Name) else (
                callee.attr if isinstance(callee, ast.Attribute) else None)
            if called in disguised:
                over_fixed = (called in ("map", "filter") and len(sub.args) >= 2 and not sub.keywords
                              and all(fixed_iterable(a) for a in sub.args[1:]))
                if not over_fixed:
                    found.append(f"{name}, line {sub.lineno - first_line + 1}: a call of {called}() "
                                 f"(a loop in disguise)")
            if isinstance(callee, ast.Name):
                called_names.append(callee.id)
    return found, called_names


def python_loops(func, follow: bool = True) -> list:
    """Python-level loops in ``func`` and, with ``follow``, in the functions it calls.

    Reads the source of ``func`` (for a notebook function, the cell it was defined in) and walks
    its syntax tree with :func:`loops_in_tree`. With ``follow=True`` the functions that ``func``
    calls by a global name and that are defined where ``func`` is (in a notebook: other cells)
    are inspected the same way, once each.

    Returns a list of descriptions such as ``"propagate, line 4: a for loop"`` (line 1 is the
    ``def`` line), empty when there is none. Raises OSError when the source of ``func`` cannot
    be read (a function made with exec, a builtin).
    """
    import ast
    import inspect
    import textwrap
    import types

    found, seen, todo = [], set(), [func]
    while todo:
        current = inspect.unwrap(todo.pop(0))
        if id(current) in seen:
            continue
        seen.add(id(current))
        name = getattr(current, "__name__", "the function")
        tree = ast.parse(textwrap.dedent(inspect.getsource(current)))
        loops, called = loops_in_tree(tree, name)
        found.extend(loops)
        if not follow:
            continue
        for callee in called:
            target = getattr(current, "__globals__", {}).get(callee)
            if isinstance(target, types.FunctionType) and target.__module__ == current.__module__:
                try:
                    inspect.getsource(target)
                except (OSError, TypeError):
                    continue
                todo.append(target)
    return found


def time_limit(seconds: float, what: str = "this code", hint: str | None = None):
    """Context manager: stop the block with :class:`CheckFailure` once it has run ``seconds``.

    Use it around a student's training call, so that a slow or stuck loop fails its own check
    quickly instead of holding the notebook (and a whole class's grading) until the cell
    timeout::

        with checks.time_limit(30, "L_layer_model(..., num_iterations=101)"):
            parameters, costs = checks.run(L_layer_model, X, Y, layers_dims, num_iterations=101)

    Works where Python offers ``SIGALRM`` (Linux, macOS) in the main thread, which is where
    Jupyter runs a cell; elsewhere (Windows) the block simply runs without a limit.
    """
    import contextlib
    import signal
    import threading

    @contextlib.contextmanager
    def limited():
        __tracebackhide__ = True
        usable = hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread()
        if not usable:
            yield
            return

        def stop(signum, frame):
            __tracebackhide__ = True
            _fail(what, f"still running after {seconds:g} s, so it was stopped",
                  f"done within {seconds:g} s", "not finished",
                  hint or "look for a loop that never ends (a counter that is never increased) or "
                          "for work repeated inside the loop that could be done once.")

        previous = signal.signal(signal.SIGALRM, stop)
        signal.setitimer(signal.ITIMER_REAL, float(seconds))
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)

    return limited()


class Judge:
    """An expected value stated as properties, not values (a random initialisation, say):
    :func:`compare` (hence :func:`expect`) hands the result to :meth:`judge`, which raises
    :class:`CheckFailure` with an explanation. ``mistakes`` and ``hint`` are compare's."""

    def judge(self, got, name: str, mistakes: dict | None = None, hint: str | None = None) -> None:
        raise NotImplementedError  # pragma: no cover - subclasses judge


def random_parameters(layer_dims, stds, seed: int, *, ordered: bool = False,
                      legacy: bool = False) -> "RandomParameters":
    """The expected result of a random initialisation called with ``np.random.default_rng(seed)``:
    see :class:`RandomParameters`. ``stds``: the standard deviation of W1..WL (one number each).
    ``ordered=True``: the docstring fixes the order of the draws (W1 first, then W2, ..., each
    one ``standard_normal((n[l], n[l-1]))`` call); ``legacy=True``: the generator is
    ``np.random.RandomState(seed)``."""
    return RandomParameters(layer_dims, stds, seed, ordered=ordered, legacy=legacy)


def check_parameter_layout(parameters, layer_dims, name: str) -> None:
    """The layout every initialisation shares: a dict with W1, b1, ..., WL, bL of the shapes
    ``layer_dims`` gives, finite numbers, zero biases. Raises :class:`CheckFailure` saying what
    is wrong. ``parameters``: {"Wl": (n[l], n[l-1]), "bl": (n[l], 1)}; ``layer_dims``: [n0..nL]."""
    __tracebackhide__ = True
    L = len(layer_dims) - 1
    check_type(parameters, dict, name, "return the dict `parameters`.")
    wanted = [f"{kind}{l}" for l in range(1, L + 1) for kind in ("W", "b")]
    if sorted(map(str, parameters)) != sorted(wanted):
        _fail(name, "wrong keys", sorted(wanted), sorted(map(str, parameters)),
              f"one weight matrix and one bias vector per layer, l = 1..{L}: loop over "
              f"range(1, len(layer_dims)).")
    for l in range(1, L + 1):
        check_shape(parameters[f"W{l}"], (layer_dims[l], layer_dims[l - 1]), f"{name}['W{l}']")
        check_shape(parameters[f"b{l}"], (layer_dims[l], 1), f"{name}['b{l}']")
    for key in wanted:
        value = parameters[key]
        if value.dtype.kind not in "biuf" or not np.all(np.isfinite(value.astype(float))):
            _fail(f"{name}[{key!r}]", "not all entries are finite numbers", "finite numbers",
                  _short(value) if value.dtype.kind in "biuf" else str(value.dtype))
    for l in range(1, L + 1):
        b = parameters[f"b{l}"]
        if np.any(b != 0):
            _fail(f"{name}['b{l}']", "the biases are not zero", "zeros", _short(b),
                  "the random weights already make the units differ: start b at "
                  "np.zeros((n[l], 1)).")


class RandomParameters(Judge):
    """Parameters "W1".."WL", "b1".."bL" for ``layer_dims`` whose every W[l] is ``stds[l-1]`` times
    standard normal draws from ``np.random.default_rng(seed)`` and whose biases are zero.

    Judged coarse to fine: a dict with exactly those keys; W[l] of shape (n[l], n[l-1]) and b[l] of
    shape (n[l], 1); finite numbers; zero biases; no two rows of a W[l] equal (symmetric units);
    every entry of W[l], divided by stds[l-1], one of the generator's first standard normal draws
    (within 1e-6, relative). That last property says "drawn from the generator passed in and
    scaled as the docstring says" without fixing an order: layers, rows or entries may be drawn in
    any order, with ``rng.standard_normal`` or ``rng.normal``. A generator of one's own, another
    distribution or another scale fails it; the message then names the known mistake that
    explains the values (``mistakes``: {hint: the L standard deviations that mistake gives}), or
    compares the sample mean and standard deviation with 0 and stds[l-1].

    With ``ordered=True`` (a docstring that fixes the order of the draws, as 05's "W1 first, then
    W2" does, which the published figures depend on), every W[l] must moreover be the next
    n[l] * n[l-1] draws, in order, reshaped to (n[l], n[l-1]); a layer drawn before the one
    before it is named. ``legacy=True``: the generator is ``np.random.RandomState(seed)``.
    """

    def __init__(self, layer_dims, stds, seed: int, ordered: bool = False, legacy: bool = False):
        self.layer_dims = [int(n) for n in layer_dims]
        self.stds = [float(s) for s in np.ravel(stds)]
        self.seed = int(seed)
        self.ordered, self.legacy = bool(ordered), bool(legacy)
        if len(self.stds) != len(self.layer_dims) - 1:  # pragma: no cover - an author's mistake
            raise ValueError("one standard deviation per layer l = 1..L")

    def __repr__(self):
        extra = (", ordered=True" if self.ordered else "") + (", legacy=True" if self.legacy else "")
        return f"random_parameters({self.layer_dims}, {self.stds}, seed={self.seed}{extra})"

    def _stream(self, count: int) -> np.ndarray:
        """The generator's first ``count`` standard normal draws, in the order they come."""
        maker = np.random.RandomState if self.legacy else np.random.default_rng
        return maker(self.seed).standard_normal(count)

    def _draws(self, count: int) -> np.ndarray:
        return np.sort(self._stream(count))

    @staticmethod
    def _drawn(values, draws) -> bool:
        """Whether every one of ``values`` is (within 1e-6, relative) one of ``draws`` (sorted)."""
        values = np.asarray(values, dtype=float).ravel()
        if not np.all(np.isfinite(values)):
            return False
        index = np.clip(np.searchsorted(draws, values), 1, len(draws) - 1)
        nearest = np.minimum(np.abs(draws[index] - values), np.abs(draws[index - 1] - values))
        return bool(np.all(nearest <= 1e-6 * np.maximum(1.0, np.abs(values))))

    def judge(self, got, name: str, mistakes: dict | None = None, hint: str | None = None) -> None:
        __tracebackhide__ = True
        dims, L = self.layer_dims, len(self.layer_dims) - 1
        check_parameter_layout(got, dims, name)
        total = sum(dims[l] * dims[l - 1] for l in range(1, L + 1))
        draws = self._draws(2 * total + 1000)
        for l in range(1, L + 1):
            W = got[f"W{l}"].astype(float)
            label, want = f"{name}['W{l}']", self.stds[l - 1]
            if W.shape[0] > 1 and np.unique(W, axis=0).shape[0] < W.shape[0]:
                _fail(label, "some rows are identical (symmetric units)", "every row different",
                      f"{np.unique(W, axis=0).shape[0]} different rows of {W.shape[0]}",
                      "draw the whole (n[l], n[l-1]) matrix at once; a single row broadcast over "
                      "the units makes them all the same.")
            if want == 0 or self._drawn(W / want, draws):
                if want == 0 and np.any(W != 0):  # pragma: no cover - no exercise asks for it
                    _fail(label, "the weights are not zero", "zeros", _short(W))
                continue
            self._explain(W, l, label, want, draws, mistakes or {}, hint)
        if self.ordered:
            self._check_order(got, name)

    def _in_order(self, order) -> dict:
        """{"Wl": the weights drawn layer after layer in ``order``} (each one standard_normal call)."""
        dims = self.layer_dims
        sizes = {l: dims[l] * dims[l - 1] for l in order}
        stream = self._stream(sum(sizes.values()))
        out, start = {}, 0
        for l in order:
            out[l] = self.stds[l - 1] * stream[start:start + sizes[l]].reshape(dims[l], dims[l - 1])
            start += sizes[l]
        return out

    def _check_order(self, got, name) -> None:
        """Fail unless W1, W2, ... are the draws taken in that order (one call per layer)."""
        __tracebackhide__ = True
        import itertools

        L = len(self.layer_dims) - 1
        expected = self._in_order(range(1, L + 1))
        wrong = [l for l in range(1, L + 1) if not np.allclose(got[f"W{l}"], expected[l], rtol=1e-6, atol=0)]
        if not wrong:
            return
        first = wrong[0]
        order_text = ", then ".join(f"W{l}" for l in range(1, L + 1))
        for order in itertools.islice(itertools.permutations(range(1, L + 1)), 1, 720):
            other = self._in_order(order)
            if all(np.allclose(got[f"W{l}"], other[l], rtol=1e-6, atol=0) for l in range(1, L + 1)):
                _fail(f"{name}['W{first}']", "wrong draw order: the layers were drawn in another order",
                      f"{order_text} (the docstring's order)", ", then ".join(f"W{l}" for l in order),
                      f"draw {order_text}, one rng.standard_normal((n[l], n[l-1])) call each: the "
                      f"same generator then gives the same weights as the course's, and its figures.")
        W = got[f"W{first}"]
        shape = W.shape
        transposed = self.stds[first - 1] * self._stream(sum(
            self.layer_dims[l] * self.layer_dims[l - 1] for l in range(1, first + 1)))[-W.size:]
        hint = ("the draws fill the matrix column by column: draw rng.standard_normal((n[l], n[l-1])) "
                "in that shape, not its transpose."
                if np.allclose(W, transposed.reshape(shape[::-1]).T, rtol=1e-6, atol=0) else
                f"draw {order_text}, each with one rng.standard_normal((n[l], n[l-1])) call, and "
                f"nothing else from the generator before or between them.")
        _fail(f"{name}['W{first}']", "wrong draw order: not the generator's draws in the order the "
              "docstring gives", f"{order_text}, one rng.standard_normal((n[l], n[l-1])) call each",
              "the same numbers in other places", hint)

    def _explain(self, W, l, label, want, draws, mistakes, hint):
        """Fail with the most telling reason why W[l] is not ``want`` times the seed's draws."""
        __tracebackhide__ = True
        n = W.size
        mean, std = float(np.mean(W)), float(np.std(W))
        for text, stds in mistakes.items():
            other = float(np.ravel(stds)[l - 1])
            if other > 0 and not np.isclose(other, want, rtol=1e-9) and self._drawn(W / other, draws):
                _fail(label, "wrong spread: the draws are scaled by another factor",
                      f"standard normal draws times {want:.4g}", f"the draws times {other:.4g}", text)
        mean_tol = 6 * want / np.sqrt(n)
        if abs(mean) > mean_tol:
            _fail(label, f"the entries are not centred on 0 (mean of {n} entries)",
                  f"mean within {mean_tol:.2g} of 0", f"{mean:.4g}",
                  "draw from a distribution with mean 0: rng.standard_normal(shape) (rng.random "
                  "draws from [0, 1), whose mean is 0.5).")
        std_tol = 6 * want / np.sqrt(2 * n)
        if abs(std - want) > std_tol:
            matched = next((text for text, stds in mistakes.items()
                            if abs(std - float(np.ravel(stds)[l - 1])) <= 6 * float(np.ravel(stds)[l - 1])
                            / np.sqrt(2 * n)), None)
            _fail(label, f"wrong spread (sample standard deviation of {n} entries)",
                  f"{want:.4g} (within {std_tol:.2g})",
                  f"{std:.4g} ({std / want:.3g} times too {'large' if std > want else 'small'})",
                  matched or hint or "multiply standard normal draws, rng.standard_normal((n[l], "
                                     "n[l-1])), by the standard deviation the docstring gives.")
        _fail(label, "not standard normal draws from the generator passed in",
              f"{want:.4g} times draws of rng.standard_normal from the rng argument",
              f"other numbers (mean {mean:.3g}, standard deviation {std:.4g})",
              "draw every weight from the rng argument with rng.standard_normal(shape) (or "
              "rng.normal); a generator of your own (np.random.default_rng(...)) or another "
              "distribution gives other numbers, and the same rng must give the same weights.")


def _watch_global_random():
    """Before a call judged by the global-random rule: returns ``(saved, sentinel)``, the
    caller's state of numpy's global generator and a fresh random state put in its place, so
    that any use shows, even ``np.random.seed(s)`` when the state already was seed ``s``'s."""
    import os

    saved = np.random.get_state()
    np.random.seed(int.from_bytes(os.urandom(4), "little"))
    return saved, np.random.get_state()


def _global_random_changed(saved, sentinel) -> bool:
    """After the call: did the global generator move from ``sentinel``? Restores ``saved``."""
    after = np.random.get_state()
    np.random.set_state(saved)
    return not (sentinel[0] == after[0] and np.array_equal(sentinel[1], after[1])
                and tuple(sentinel[2:]) == tuple(after[2:]))


# --- Rules that cost points, and one call judged under them ------------------------------------
#
# The same functions run the visible checks (in the student's kernel), the hidden tests and the
# trusted re-check (in its sandbox), so a rule is enforced identically everywhere. Each
# exercise's rules are declared once, in the course's definition of the exercise.

#: Every rule an exercise can declare, with the sentence that explains it to students.
RULES = {
    "arguments_only": "works from its arguments only, not from the notebook's global arrays",
    "inputs_unchanged": "leaves its arguments as they were (it returns new values)",
    "global_random_untouched": "never uses numpy's global random generator (np.random.seed, "
                               "np.random.randn, ...): only the generator it is given",
    "no_warnings": "raises no numpy floating-point warning (overflow, invalid value, division "
                   "by zero)",
    "no_loops": "has no Python loop over the examples (for, while, comprehension, map over the data, "
                "here or in a function it calls): whole-array operations; a loop over a fixed handful "
                "of items (a literal tuple, range(3)) is fine",
}

#: The rules every graded function follows unless its definition says otherwise.
DEFAULT_RULES = ("arguments_only", "inputs_unchanged", "global_random_untouched")


def _resolve(func, depth: int):
    """``func`` itself, or the function of that name among the globals ``depth`` frames up."""
    __tracebackhide__ = True
    if not isinstance(func, str):
        return func
    import sys

    name = func
    found = sys._getframe(depth + 1).f_globals.get(name)
    if found is None:
        raise CheckFailure(
            f"{name} is not defined yet: run the cell that defines it (the one starting with "
            f"`def {name}`) first, then run this check again. If you restarted the kernel, "
            f"run the cells above in order (Run > Run All Above Selected Cell).")
    return found


def global_arrays_used(func) -> list:
    """Names of the notebook's global numpy arrays that ``func`` reads (directly, or in a function
    or comprehension nested in it), sorted. A graded function gets its data from its arguments."""
    import dis
    import types

    names, todo = set(), [getattr(func, "__code__", None)]
    while todo:
        code = todo.pop()
        if code is None:
            continue
        names |= {i.argval for i in dis.get_instructions(code) if i.opname in ("LOAD_GLOBAL", "LOAD_NAME")}
        todo += [c for c in code.co_consts if isinstance(c, types.CodeType)]
    space = getattr(func, "__globals__", {})
    return sorted(n for n in names if isinstance(space.get(n), np.ndarray))


def _snapshot(value):
    """A copy of an argument to compare with after the call (generators and functions: None)."""
    import copy

    if isinstance(value, (np.random.Generator, np.random.RandomState)) or callable(value):
        return None
    try:
        return copy.deepcopy(value)
    except Exception:  # noqa: BLE001 - an argument that cannot be copied is not checked
        return None


def _unchanged(before, after) -> bool:
    if before is None:
        return True
    if isinstance(before, np.ndarray):
        return (isinstance(after, np.ndarray) and after.shape == before.shape
                and after.dtype == before.dtype and np.array_equal(after, before, equal_nan=True))
    if isinstance(before, dict):
        return (isinstance(after, dict) and list(after) == list(before)
                and all(_unchanged(before[k], after[k]) for k in before))
    if isinstance(before, (list, tuple)):
        return (type(after) is type(before) and len(after) == len(before)
                and all(_unchanged(b, a) for b, a in zip(before, after)))
    try:
        return bool(after == before)
    except Exception:  # noqa: BLE001
        return True


def _shapes_of(args, kwargs) -> str:
    def one(value):
        return f"shape {value.shape}" if isinstance(value, np.ndarray) else repr(value)[:40]
    parts = [one(a) for a in args] + [f"{k}={one(v)}" for k, v in kwargs.items()]
    return ", ".join(parts)


# --- no_loops, measured: Python lines run on m and on LOOP_FACTOR x m examples ------------------

#: How many times as many examples the second measured run of a no_loops function gets.
LOOP_FACTOR = 4


def _library_paths() -> tuple:
    """Folders whose code is not the student's: the standard library and every site-packages
    (numpy, IPython, ipykernel...). Lines run there are not counted by :func:`lines_run`."""
    import os
    import site
    import sysconfig

    paths = {sysconfig.get_paths().get(k) for k in ("stdlib", "platstdlib", "purelib", "platlib")}
    try:
        paths |= set(site.getsitepackages()) | {site.getusersitepackages()}
    except AttributeError:  # pragma: no cover - a virtualenv's old site module
        pass
    paths |= {os.path.dirname(os.path.dirname(np.__file__))}
    return tuple(sorted(os.path.realpath(p) + os.sep for p in paths if p))


_LIBRARIES: tuple = ()


class TracerChanged(Exception):
    """The function measured by :func:`lines_run` removed or replaced the tracer."""


def lines_run(func, args, kwargs) -> dict:
    """Call ``func(*args, **kwargs)`` under ``sys.settrace`` and count the Python lines it runs
    outside the standard library and installed packages (numpy...): ``{(function, line): count}``,
    ``line`` counted from the function's ``def`` (1). The student's code (a notebook cell, a
    function made with ``exec``, a helper in another cell, a wrapper) is counted wherever it is.

    Raises :class:`TracerChanged` when the call removed or replaced the tracer (``sys.settrace``,
    ``sys.setprofile``, ``threading.settrace``): its lines could not be counted. Any exception of
    ``func`` propagates. The caller's tracer (a debugger) is put back afterwards.
    """
    global _LIBRARIES
    import os
    import sys
    import threading

    if not _LIBRARIES:
        _LIBRARIES = _library_paths()
    counts, mine, skip = {}, {}, {}

    def local(frame, event, arg):
        if event == "line":
            code, line = frame.f_code, frame.f_lineno
            if code.co_name in ("<listcomp>", "<setcomp>", "<dictcomp>", "<genexpr>") and frame.f_back:
                code = frame.f_back.f_code  # named by the function that runs it (as in 3.12+)
            key = (code.co_name, line - code.co_firstlineno + 1)
            counts[key] = counts.get(key, 0) + 1
        return local

    def tracer(frame, event, arg):
        filename = frame.f_code.co_filename
        ours = mine.get(filename)
        if ours is None:
            real = filename if filename.startswith("<") else os.path.realpath(filename)
            ours = mine[filename] = not (real.startswith(_LIBRARIES) or filename.startswith("<frozen")
                                         or real == os.path.realpath(__file__))
        return local if ours else None

    tampered = []

    def refuse(*_args, **_kwargs):
        tampered.append(True)

    saved = sys.gettrace()
    patched = {(sys, "settrace"): sys.settrace, (sys, "setprofile"): sys.setprofile,
               (threading, "settrace"): threading.settrace}
    for (module, attr) in patched:
        setattr(module, attr, refuse)
    patched[(sys, "settrace")](tracer)
    try:
        func(*args, **kwargs)
    finally:
        still = sys.gettrace() is tracer
        patched[(sys, "settrace")](saved)
        for (module, attr), original in patched.items():
            setattr(module, attr, original)
    if tampered or not still:
        raise TracerChanged()
    return counts


def _examples_of(args, kwargs):
    """``(m, scale)``: the number of examples of a call (the columns of its last 2-D array
    argument: examples are columns in this course, ``X`` is (n_x, m), ``Y`` is (1, m)), and a
    function giving the same arguments with every 2-D array of m columns repeated ``k`` times
    along its columns (the same examples, ``k`` times as many). ``m`` is 0 when no argument is a
    2-D array, or the examples cannot be told apart from a column (m = 1)."""
    import copy

    arrays = [v for v in list(args) + list(kwargs.values()) if isinstance(v, np.ndarray) and v.ndim == 2]
    m = arrays[-1].shape[1] if arrays else 0

    def scale(k):
        def one(v):
            return np.tile(v, (1, k)) if isinstance(v, np.ndarray) and v.ndim == 2 and v.shape[1] == m \
                else copy.deepcopy(v)
        return tuple(one(a) for a in args), {key: one(v) for key, v in kwargs.items()}

    return (m if m >= 2 else 0), scale


def loops_over_examples(func, args, kwargs, name: str) -> None:
    """The measured half of the ``no_loops`` rule: run ``func`` on copies of the arguments and on
    the same examples repeated :data:`LOOP_FACTOR` times (:func:`_examples_of`), counting the
    Python lines each runs (:func:`lines_run`). Vectorized code runs the same lines whatever m;
    a loop over the examples, wherever it is (a helper in another cell, a function made with
    ``exec``, a wrapper), runs more lines for more examples. Raises :class:`CheckFailure` naming
    the lines that ran more often, or when the tracer was removed or the larger run failed."""
    __tracebackhide__ = True
    m, scale = _examples_of(args, kwargs)
    if not m:
        return
    k = LOOP_FACTOR
    try:
        small = lines_run(func, *scale(1))
        try:
            large = lines_run(func, *scale(k))
        except TracerChanged:
            raise
        except Exception as error:  # noqa: BLE001 - more examples must work too
            _fail(name, f"failed on the same examples repeated {k} times (rule no_loops)",
                  f"a result for {k * m} examples", f"{type(error).__name__}: {error}"[:200],
                  "the function must work for any number of examples m (read m from X.shape[1]), "
                  "not only for the example's.")
    except TracerChanged:
        _fail(name, "changed Python's tracer, which the no_loops rule needs (sys.settrace)",
              "sys.settrace, sys.setprofile and threading.settrace left alone",
              "a call that changed them",
              "the rule counts the Python lines the function runs, to tell a loop over the "
              "examples from whole-array code; do not call sys.settrace or sys.setprofile.")
    grown = {key: large.get(key, 0) - small.get(key, 0) for key in large}
    grown = {key: extra for key, extra in grown.items() if extra > 0}
    extra = sum(grown.values())
    if extra >= max(3, m):
        where = ", ".join(f"{fn}, line {line}" for (fn, line), _ in
                          sorted(grown.items(), key=lambda item: -item[1])[:3])
        _fail(name, f"a Python loop over the examples (rule no_loops): {where}",
              f"the same Python lines for {m} and for {k * m} examples (whole-array code)",
              f"{sum(small.values())} lines run for {m} examples, {sum(large.values())} for {k * m}",
              "a loop over the examples runs once per column, here or in a function it calls; "
              "numpy's functions (np.dot, np.sum, np.exp, a comparison like A > 0.5) work on "
              "whole arrays at once.")


_UNBOUND = object()


def _bind(func, using):
    """Bind ``using`` ({name: function}) among ``func``'s globals; returns what to restore."""
    space = getattr(func, "__globals__", None)
    if not using or not isinstance(space, dict):
        return None
    saved = {name: space.get(name, _UNBOUND) for name in using}
    space.update(using)
    return space, saved


def _unbind(func, bound):
    if bound is None:
        return
    space, saved = bound
    for name, value in saved.items():
        if value is _UNBOUND:
            space.pop(name, None)
        else:
            space[name] = value


def _copy_argument(value):
    """A deep copy of a data argument; generators (they may advance) and functions as they are."""
    import copy

    if isinstance(value, (np.random.Generator, np.random.RandomState)) or callable(value):
        return value
    try:
        return copy.deepcopy(value)
    except Exception:  # noqa: BLE001 - an argument that cannot be copied is passed as it is
        return value


def _replay_copy(value):
    """A deep copy of an argument, generators included (in their current state), functions as they are."""
    import copy

    if callable(value) and not isinstance(value, (np.random.Generator, np.random.RandomState)):
        return value
    try:
        return copy.deepcopy(value)
    except Exception:  # noqa: BLE001
        return value


#: The names of the callees that, during the last :func:`call` with ``pure``, changed the copies of
#: their arguments (an update in place): read by :func:`expect` to explain a caller's failure.
_PURE_CHANGED: list = []


def pure_version(target, name: str, changed: list | None = None):
    """``target`` called with deep copies of its arguments (generators and functions as they are):
    a caller sees only what it returns, as it would with the course's version, which returns new
    values. The names of callees that changed their copies are appended to ``changed``."""
    import functools

    @functools.wraps(target)
    def pure_call(*args, **kwargs):
        __tracebackhide__ = True
        copies = tuple(_copy_argument(v) for v in args)
        kcopies = {k: _copy_argument(v) for k, v in kwargs.items()}
        result = target(*copies, **kcopies)
        if changed is not None and name not in changed and any(
                o is not c and not _unchanged(o, c)
                for o, c in zip(list(args) + list(kwargs.values()), list(copies) + list(kcopies.values()))):
            changed.append(name)
        return result

    pure_call.__course_pure__ = target
    return pure_call


def call(func, *args, rules=DEFAULT_RULES, label: str | None = None, expected_shape=None, using: dict | None = None,
         pure=(), **kwargs):
    """Call ``func(*args, **kwargs)`` and enforce ``rules`` (names from :data:`RULES`).

    ``func`` may be a function or its name (looked up among the caller's globals, so that a cell
    not run yet gets a clear message). A stub still raising NotImplementedError fails clearly.
    A broken rule raises :class:`CheckFailure` explaining it. An error raised inside ``func`` is
    left alone, so its traceback points at the student's line, but a shape error gets a note
    naming the shapes the call received (and ``expected_shape``, the shape of the right result).
    ``using`` (optional): ``{name: function}`` bound among ``func``'s globals for the call only
    (the caller's bindings are restored afterwards, also when the call raises): the grader judges
    a function that calls other graded functions (a training loop) with the reference's, so that
    one check judges one function.
    ``pure`` (optional): names of graded functions ``func`` calls (those of ``using``, or the
    caller's own) that are called, during the call, with deep copies of their arguments
    (:func:`pure_version`): a caller that relies on a callee changing its arguments in place (and
    ignores what it returns) fails here as it fails with the course's version, which returns new
    values.
    Returns what ``func`` returns.
    """
    __tracebackhide__ = True
    import warnings

    func = _resolve(func, 1)
    name = getattr(func, "__name__", "the function")
    label = label or f"{name}(...)"
    rules = tuple(rules)
    unknown = set(rules) - set(RULES)
    if unknown:  # pragma: no cover - a course author's mistake
        raise ValueError(f"unknown rule(s) {sorted(unknown)}; known: {sorted(RULES)}")
    if "no_loops" in rules:
        try:
            loops = python_loops(func, follow=False)  # as the re-check reads the submitted text
        except (OSError, TypeError):
            loops = []
        if loops:
            _fail(name, f"a Python loop where the lesson is vectorization: {loops[0]}",
                  "whole-array numpy operations, no Python loop over the data", "; ".join(loops),
                  "a loop over examples runs once per column; numpy's functions (np.dot, np.sum, "
                  "np.exp, ...) work on whole arrays at once. Only a loop over a fixed handful of "
                  "items written out (a literal tuple, range(3)) is allowed.")
    if "arguments_only" in rules:
        used = global_arrays_used(func)
        if used:
            _fail(name, f"reads the notebook's global array(s) {used}",
                  "only its arguments", f"global(s) {used}",
                  f"use the argument(s) {name} receives; the grader calls {name} on other "
                  f"inputs, where the notebook's {used[0]} is not the data.")
    before = [_snapshot(a) for a in args], {k: _snapshot(v) for k, v in kwargs.items()}
    watch = _watch_global_random() if "global_random_untouched" in rules else None
    if pure:
        space = getattr(func, "__globals__", {})
        _PURE_CHANGED.clear()
        using = dict(using or {})
        for callee in pure:
            target = using.get(callee, space.get(callee) if isinstance(space, dict) else None)
            if callable(target):
                using[callee] = pure_version(target, callee, _PURE_CHANGED)
    bound = _bind(func, using)
    try:
        try:
            if "no_warnings" in rules:
                with warnings.catch_warnings():
                    warnings.simplefilter("error", RuntimeWarning)
                    with np.errstate(over="raise", divide="raise", invalid="raise"):
                        try:
                            with _silencing_watched() as silenced:
                                got = func(*args, **kwargs)
                        except (FloatingPointError, RuntimeWarning) as error:
                            problem = str(error)
                        else:
                            problem = None
                if silenced:
                    _fail(name, f"silences numpy's warnings ({silenced[0]}) instead of avoiding them",
                          "a formula that cannot overflow, with numpy's warnings left on",
                          ", ".join(sorted(set(silenced))),
                          SILENCING_HINT)
                if problem is not None:
                    _fail(name, "numpy reported a floating-point problem (warning)",
                          "no overflow, no invalid value, no division by zero", problem,
                          "np.exp of a large positive number overflows (np.exp(710.0) is inf). "
                          "Rearrange the formula so that exp only ever sees numbers <= 0, for example "
                          "exp(-|z|), and pick the form by the sign of z with np.where.")
            else:
                got = func(*args, **kwargs)
            if "no_loops" in rules:  # measured on copies, with the same bindings (using)
                loops_over_examples(func, args, kwargs, name)
        except NotImplementedError:
            raise CheckFailure(
                f"{name}() is not written yet: replace the `raise NotImplementedError(...)` line in "
                f"its cell with your code, run that cell, then run this check again."
            ) from None
        except ValueError as error:  # numpy's shape errors, with the shapes the call received
            if hasattr(error, "add_note") and ("shape" in str(error) or "broadcast" in str(error)):
                note = f"(course note) {label} was called with {_shapes_of(args, kwargs)}"
                if expected_shape is not None:
                    note += f"; the right result has shape {expected_shape}"
                error.add_note(note + ". Write down the shape of every array in the failing line.")
            raise
    finally:
        _unbind(func, bound)
        moved = watch is not None and _global_random_changed(*watch)  # restores the caller's state
    if "inputs_unchanged" in rules:
        names = [f"argument {i + 1}" for i in range(len(args))] + [f"argument {k}" for k in kwargs]
        values = list(args) + list(kwargs.values())
        snaps = before[0] + list(before[1].values())
        changed = [n for n, s, v in zip(names, snaps, values) if not _unchanged(s, v)]
        if changed:
            _fail(name, f"modified its input ({', '.join(changed)})",
                  "the arguments left as they were", f"{', '.join(changed)} changed",
                  "an in-place operation (x /= ..., x[...] = ..., d[key] = ...) changes the "
                  "caller's array or dict; compute a new value instead (x = x / ..., a new dict).")
    if moved:
        _fail(name, "used numpy's global random generator",
              "the global generator untouched", "np.random's global state changed",
              "do not call np.random.seed, np.random.randn, np.random.rand, ...: draw only "
              "from the generator passed in (rng.standard_normal(shape)).")
    return got


def expect(func, *args, expected, label: str | None = None, rules=DEFAULT_RULES, mistakes: dict | None = None,
           hint: str | None = None, rtol: float = 1e-6, atol: float = 1e-8, pure=(), **kwargs) -> None:
    """One visible case: call ``func`` under ``rules`` (see :func:`call`), then :func:`compare`
    the result with ``expected``; any failure raises :class:`CheckFailure` with an explanation.

    ``func`` may be the function's name (looked up among the caller's globals). ``label`` is how
    the call reads in messages (``"image2vector(np.arange(12).reshape(2, 2, 3))"``).
    ``pure``: the graded functions ``func`` calls that get deep copies of their arguments during
    the call (see :func:`call`); a failure that comes from relying on one of them changing its
    arguments in place says so ("uses what update_parameters returns?").
    The check is recorded in :data:`CHECKED` (passed once the cell reaches :func:`passed`); when
    the case fails and a graded function ``func`` calls failed its own check, the message says to
    fix that one first: the grade judges ``func`` with the course's version of it.
    Returns None (a test cell never ends on a value).
    """
    __tracebackhide__ = True
    key = func if isinstance(func, str) else getattr(func, "__name__", "f")
    func = _resolve(func, 1)
    name = getattr(func, "__name__", "f")
    CHECKED[key] = (func, False)  # passed only once the whole cell has (checks.passed)
    label = label or f"{name}(...)"
    shape = getattr(expected, "shape", None)
    saved = (tuple(_replay_copy(a) for a in args), {k: _replay_copy(v) for k, v in kwargs.items()}) \
        if pure else None  # to replay the call (generators in their state before it)
    try:
        got = call(func, *args, rules=rules, label=label, expected_shape=shape, pure=pure, **kwargs)
        try:
            compare(got, expected, label, rtol=rtol, atol=atol, mistakes=mistakes, hint=hint)
        except CheckFailure as failure:
            # The function's name and the problem first (Validate keeps ~80 characters), the call next.
            first, *rest = str(failure).splitlines()
            if first.startswith(label) and label != name:
                first = name + first[len(label):]
                rest.insert(0, f"  call:     {label}")
            raise CheckFailure("\n".join([first, *rest])) from None
    except Exception as error:  # noqa: BLE001 - explained when a callee is the cause, else as it is
        blamed = failed_callees(func, pure)
        if blamed:
            callee = blamed[0]
            found = (str(error) if isinstance(error, CheckFailure)
                     else f"{type(error).__name__}: {error}").splitlines() or [""]
            raise CheckFailure("\n".join([
                f"{name}: fix {callee} first (its check failed)",
                f"  {name} ran here with your {callee}, whose own check failed. The grade judges {name}",
                f"  with the course's {callee}, so that bug costs {callee}'s points only: fix {callee},",
                f"  run its check, then run this one again. What this check found:",
                *(f"    {line}" for line in found)])) from None
        changed = [c for c in _PURE_CHANGED if c in pure] if pure else []
        if changed and isinstance(error, CheckFailure):
            callee = changed[0]
            relies = False
            try:  # the same call with the callees changing their arguments: does it pass then?
                compare(func(*saved[0], **saved[1]), expected, label, rtol=rtol, atol=atol)
                relies = True
            except Exception:  # noqa: BLE001 - then it is another mistake
                pass
            found = str(error).splitlines()
            if relies:
                raise CheckFailure("\n".join([
                    f"{name}: uses what {callee} returns? It relied on an in-place change",
                    f"  your {callee} changes its arguments in place, and {name} is right only thanks to",
                    f"  that: here {callee} gets copies, and the grade runs {name} with the course's",
                    f"  {callee}, which returns new values and leaves its arguments alone. Use what it",
                    f"  returns (for example parameters = {callee}(...)). What this check found:",
                    *(f"    {line}" for line in found)])) from None
            raise CheckFailure("\n".join([*found, f"  note: {callee} changed its arguments in place; here it "
                                           f"gets copies: does {name} use what {callee} returns?"])) from None
        raise


# --- Training runs: an expected value stated as the recorded costs (and the parameters) ----------

def training_run(costs, parameters=None, shapes=None, rtol: float = 1e-6, atol: float = 1e-8) -> "TrainingRun":
    """The expected result ``(parameters, costs)`` of a training loop: see :class:`TrainingRun`."""
    return TrainingRun(costs, parameters, shapes, rtol, atol)


class TrainingRun(Judge):
    """``(parameters, costs)`` as a trainer returns them, judged coarse to fine: a tuple (or list)
    of two; ``costs`` a list (or tuple) of ``len(costs)`` numbers, each a Python float, a numpy
    scalar or a 0-d array, within ``rtol``/``atol`` of the expected costs (``mistakes``:
    {hint: the costs that mistake records}; ``hint``: shown with any other difference of the
    costs); then the parameters: equal to ``parameters`` within ``rtol``/``atol`` when given,
    else a dict with the keys and shapes of ``shapes`` and finite values (a run on a data set
    whose weights are too many to print). The tolerances are the judge's own: a training run's
    spread across BLAS kernels is not a unit computation's."""

    def __init__(self, costs, parameters=None, shapes=None, rtol: float = 1e-6, atol: float = 1e-8):
        self.costs = [float(c) for c in costs]
        self.parameters, self.shapes = parameters, shapes
        self.rtol, self.atol = rtol, atol

    def judge(self, got, name: str, mistakes: dict | None = None, hint: str | None = None) -> None:
        __tracebackhide__ = True
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            _fail(name, "wrong type" if not isinstance(got, (tuple, list)) else "wrong number of items",
                  "a tuple (parameters, costs)", describe(got) if not isinstance(got, (tuple, list))
                  else f"{len(got)} items", "end with `return parameters, costs`.")
        parameters, costs = got
        if not isinstance(costs, (list, tuple)):
            _fail(f"{name}: costs", "wrong type", f"a list of {len(self.costs)} floats", describe(costs),
                  "costs is a Python list: costs.append(cost) at iterations 0, 100, 200, ...")
        if len(costs) != len(self.costs):
            _fail(f"{name}: len(costs)", "wrong number of recorded costs", len(self.costs), len(costs),
                  "record the cost when i % 100 == 0 (iterations 0, 100, 200, ...), once per such "
                  "iteration.")
        costs = [c.item() if isinstance(c, np.ndarray) and c.ndim == 0 else c for c in costs]
        _compare(costs, self.costs, f"{name}: costs", self.rtol, self.atol, mistakes or {}, hint)
        if self.parameters is not None:
            _compare(parameters, self.parameters, f"{name}: parameters", self.rtol, self.atol, {}, None)
            return
        if not isinstance(parameters, dict):
            _fail(f"{name}: parameters", "wrong type", "dict", describe(parameters))
        shapes = {k: getattr(v, "shape", None) for k, v in parameters.items()}
        _compare(shapes, dict(self.shapes or {}), f"{name}: shapes of the parameters", 0, 0, {}, None)
        for key, value in parameters.items():
            if not np.all(np.isfinite(np.asarray(value, dtype=float))):
                _fail(f"{name}: parameters[{key!r}]", "values are not finite (nan or inf)", "finite numbers",
                      _short(np.asarray(value, dtype=float)), "the cost or a gradient overflowed: check "
                      "dA of the last layer and the learning rate passed in.")


# --- A number: a float, a numpy scalar or a 0-d array ------------------------------------------

def scalar(value, rtol: float = 1e-6, atol: float = 1e-8) -> "Scalar":
    """An expected number that may come back as a Python float, a numpy scalar or a 0-d array:
    see :class:`Scalar`."""
    return Scalar(value, rtol, atol)


class Scalar(Judge):
    """A number (a cost, say) judged within ``rtol``/``atol``: a Python int or float, a numpy scalar
    (``np.float64``) and a 0-d array (``np.sum`` of a product, ``np.squeeze`` of a (1, 1) array) are
    all the same number; an array of any other shape fails with the hint to make it one number.
    ``mistakes`` ({hint: the number that mistake gives}) and ``hint`` are compare's."""

    def __init__(self, value, rtol: float = 1e-6, atol: float = 1e-8):
        self.value = float(value)
        self.rtol, self.atol = rtol, atol

    def __repr__(self):
        return f"scalar({self.value!r})"

    def judge(self, got, name: str, mistakes: dict | None = None, hint: str | None = None) -> None:
        __tracebackhide__ = True
        if isinstance(got, np.ndarray) and got.ndim == 0 and got.dtype.kind in "biuf":
            got = got[()]   # the numpy scalar it holds
        _compare_number(got, self.value, name, self.rtol, self.atol, mistakes or {}, hint)


# --- Gradients with optional keys (07: a correct "dA0" costs nothing) ---------------------------

def gradients(expected: dict, optional: dict | None = None, threshold: float = 1e-6,
              show: bool = True) -> "Gradients":
    """The expected ``grads`` of a backward pass, judged key by key: see :class:`Gradients`."""
    return Gradients(expected, optional, threshold, show)


class Gradients(Judge):
    """``grads`` as a backward pass returns them: a dict with exactly the keys of ``expected``,
    plus any of ``optional`` (a correct extra that costs nothing, 07's ``"dA0"``), each a numeric
    array of its expected shape; then :func:`gradient_table` (printed with ``show``, one row a key
    in the order of ``expected``, the first failing row naming the first broken step): every
    relative difference within ``threshold``; an optional key that is there must agree too."""

    def __init__(self, expected: dict, optional: dict | None = None, threshold: float = 1e-6,
                 show: bool = True):
        self.expected = dict(expected)
        self.optional = dict(optional or {})
        self.threshold, self.show = threshold, show

    def __repr__(self):
        return f"gradients({sorted(self.expected)}, optional={sorted(self.optional)})"

    def judge(self, got, name: str, mistakes: dict | None = None, hint: str | None = None) -> None:
        __tracebackhide__ = True
        check_type(got, dict, name, "return the dict grads.")
        wanted = sorted(map(str, self.expected))
        missing = [k for k in self.expected if k not in got]
        extra = [k for k in got if k not in self.expected and k not in self.optional]
        allowed = f" ({', '.join(map(str, self.optional))} may be left out)" if self.optional else ""
        if missing:
            _fail(name, f"missing key(s) {missing} in grads", wanted + [f"{k}?" for k in self.optional],
                  sorted(map(str, got)), "key names are case-sensitive and follow the course notation "
                  "(\"dW1\", \"db1\", \"dA1\"...)" + allowed + ".")
        if extra:
            _fail(name, f"unexpected key(s) {extra} in grads", wanted + [f"{k}?" for k in self.optional],
                  sorted(map(str, got)), "grads holds the gradients the docstring lists, under those "
                  "names" + allowed + ".")
        for key in list(self.expected) + [k for k in self.optional if k in got]:
            value = got[key]
            if not isinstance(value, np.ndarray) or value.dtype.kind not in "biuf":
                _fail(f"{name}[{key!r}]", "wrong type", "a numpy array of numbers", describe(value))
        table = {**self.expected, **{k: v for k, v in self.optional.items() if k in got}}
        if self.show:
            print(f"{name}: one row per key, in the order backpropagation computes them")
        gradient_table({k: got[k] for k in table}, table, threshold=self.threshold, name=name, show=self.show)


# --- Concept questions ---------------------------------------------------------------------------
# A concept question is answered by assigning a literal ("b", 261, 0.25) to a name in the answer
# cell. The visible check compares a digest (the released notebook never holds the answer in
# clear), the grader reads the literal from the submitted text and compares it with the answer
# it keeps: both go through :func:`answer_text`, so they agree on what counts as the same answer.


def answer_text(value, choices=(), decimals=None) -> tuple[str | None, str | None]:
    """``(canonical text, None)`` for an acceptable answer, or ``(None, what is wrong)``.

    Multiple choice (``choices`` given): a letter, any case, spaces ignored (``" B"`` is ``"b"``).
    Numeric: an int, or a float that is a whole number (``261.0``); with ``decimals``, any number,
    compared after rounding to that many decimals. numpy scalars count as numbers.
    """
    if choices:
        if not isinstance(value, str):
            return None, (f"answer with one of {', '.join(repr(c) for c in choices)} (a letter in "
                          f"quotes), not {describe(value)}")
        text = value.strip().lower()
        if text not in choices:
            return None, f"{value!r} is not one of the choices {', '.join(repr(c) for c in choices)}"
        return text, None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        hint = " (write 261, not \"261\")" if isinstance(value, str) else ""
        return None, f"answer with a number{hint}, not {describe(value)}"
    if not np.isfinite(value):
        return None, f"answer with a finite number, not {value!r}"
    if decimals is None:
        if float(value) != int(value):
            return None, f"the answer is a whole number; got {value!r}"
        return str(int(value)), None
    return f"{round(float(value), decimals):.{decimals}f}", None


def answer_digest(name: str, text: str) -> str:
    """The fingerprint of a canonical answer, as the released test cell holds it."""
    import hashlib

    return hashlib.sha256(f"nn-course answer {name}: {text}".encode()).hexdigest()[:24]


def literal_answer(source: str, name: str) -> tuple[bool, object, str | None]:
    """The last top-level ``name = <literal>`` of a cell's code: ``(found, value, problem)``.

    ``problem`` says why an assignment found is not an answer the grader can read (an expression,
    a call, a name: the grade reads the literal from the cell's text, never runs it)."""
    import ast

    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False, None, None
    found = (False, None, None)
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign):
            targets, value = stmt.targets, stmt.value
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            targets, value = [stmt.target], stmt.value
        else:
            continue
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            try:
                found = (True, ast.literal_eval(value), None)
            except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                found = (True, None, f"write the answer itself ({name} = a letter in quotes, or a "
                                     f"number), not an expression: the grade reads it from the cell's text")
    return found


def _answer_in_history(name: str) -> tuple[bool, object, str | None]:
    """:func:`literal_answer` of the last cell run in this IPython kernel that assigns ``name``
    (``(False, None, None)`` outside IPython)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False, None, None
    shell = get_ipython()
    history = shell.user_ns.get("In", []) if shell is not None else []
    for source in reversed(history[:-1] if history else []):
        found = literal_answer(source, name)
        if found[0]:
            return found
    return False, None, None


def answer(name: str, digest: str, *, choices=(), decimals=None, explanation: str = "") -> None:
    """The visible check of a concept question: ``name`` (a global of the notebook) holds an
    acceptable answer, written as a literal, whose fingerprint is ``digest``; when it is not the
    answer, ``explanation`` says why (without giving the answer away)."""
    __tracebackhide__ = True
    import sys

    space = sys._getframe(1).f_globals
    example = f'"{choices[0]}"' if choices else "261"
    if name not in space:
        raise CheckFailure(f"{name}: no answer yet: in the answer cell, replace the NotImplementedError "
                           f"line with {name} = {example} (your answer), run it, then run this check.")
    # As the grade does: the literal written in the cell that assigned it last (where the kernel
    # keeps its history), else the value itself.
    found, value, problem = _answer_in_history(name)
    if problem is None:
        value = value if found else space[name]
        text, problem = answer_text(value, choices, decimals)
    if problem is not None:
        raise CheckFailure(f"{name}: {problem}")
    if answer_digest(name, text) != digest:
        lines = [f"{name}: {value!r} is not the answer."]
        if explanation:
            import textwrap

            lines += textwrap.wrap(explanation, 96, initial_indent="  why: ", subsequent_indent="       ")
        raise CheckFailure("\n".join(lines))
