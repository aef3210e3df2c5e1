"""One definition per exercise: the visible check, the hidden tests and the trusted re-check.

Each assignment that is converted has a module ``helpers/exercises/<assignment>.py`` declaring,
for every graded function, one :class:`Exercise`:

- ``visible``: the cases students see and run (:class:`Visible`): setup code, the call, the
  expected value as a literal (typed by the author, or computed by the reference when the cell is
  rendered and written into the notebook as a literal), hints for known mistakes;
- ``hidden(rng)``: a generator of other inputs (shapes, values, edge cases) drawn from ``rng``
  (:class:`Hidden`); their results are judged against the reference implementation, or by the
  exercise's own ``check`` (properties, for random initialisations);
- ``rules``: how the function must behave beyond its values (:data:`helpers.checks.RULES`: no
  Python loop, no warnings, no global random state, only its arguments, inputs unchanged).

Three consumers run from that one definition:

1. **the visible check**: the test cell's visible part is *generated* from it
   (``python -m helpers.exercises render <assignment>`` rewrites the test cells of
   ``source/<assignment>/<assignment>.ipynb``); it calls :func:`helpers.checks.expect`, which
   enforces the same rules, with literal expected values, so what students receive holds no
   reference code and no hidden case;
2. **the hidden tests** nbgrader runs in the kernel: a generated one-line block
   ``exercises.hidden("<assignment>", "<function>")`` (:func:`hidden`): the hidden cases from a
   fixed seed, judged against the reference;
3. **the trusted re-check** (:mod:`helpers.recheck`): :func:`recheck_cases` gives the visible and
   hidden cases, drawn with the re-check's fresh secret seed, with the rules the sandbox enforces
   (the ``no_loops`` rule is also judged on the submitted text, :func:`source_checks`).

This package is instructor-only: it is never in a student bundle (bundles copy single modules,
and nothing a released notebook runs imports it) and the hidden blocks that import it are
stripped from ``release/``. ``tests/test_exercises.py`` holds the definitions to the notebooks
(no drift), the reference to every case, and the visible verdicts to the graded ones on a corpus
of correct and buggy variants. See ``docs/one_definition.md``.
"""

from __future__ import annotations

import importlib
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np

from helpers import checks

#: Marks a visible case whose expected value the reference computes when the cell is rendered
#: (it reaches the notebook as a literal, never as a call of reference code).
REFERENCE = "<computed by the reference when rendered>"

BEGIN, END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"


@dataclass
class Visible:
    """One visible case, as students read it in the test cell.

    ``setup``: code building the inputs (``"image = np.arange(12).reshape(2, 2, 3)"``);
    ``call``: the arguments as source (``"image"``, ``"[3, 4, 1], 5"``);
    ``expected``: the source of the expected value, or :data:`REFERENCE`;
    ``mistakes``: ``{hint: source of the value a known mistake gives}``;
    ``label``: how the call reads in messages (default: ``function(call)``);
    ``then`` (optional): lines shown after the value check that state a property of the result,
    which is bound to the names ``result`` (default ``got``) by one more call under the same rules,
    e.g. ``result="W, b"``, ``then="checks.compare(W @ X + b, W2 @ (W1 @ X + b1) + b2, ...)"``.
    Only what the expected value implies belongs there: the hidden tests and the re-check judge
    the values.
    """

    setup: str
    call: str
    expected: str = REFERENCE
    comment: str = ""
    mistakes: dict = field(default_factory=dict)
    hint: str | None = None
    label: str = ""
    result: str = ""
    then: str = ""
    #: False for a case too big for the re-check's 60 s per call (08's 101 iterations on the cat
    #: photos): the visible check still runs it; the hidden cases and the re-check judge the same
    #: function on small inputs.
    recheck: bool = True


@dataclass
class Hidden:
    """One hidden call: the arguments (values) and how it reads in messages."""

    args: tuple
    label: str = ""
    kwargs: dict = field(default_factory=dict)


@dataclass
class Exercise:
    """Everything the course says about one graded function.

    ``function``: its name (the notebook's ``def``; also the reference function's name unless
    ``reference`` says otherwise); ``cell``: the grade id of its test cell; ``solution``: the
    grade id of its solution cell (default: the function's name); ``visible``; ``hidden(rng)``;
    ``rules``; ``rtol``/``atol``; ``check(got, args, kwargs)``: a property judge raising
    :class:`helpers.checks.CheckFailure`, used instead of the reference for hidden cases when set.
    """

    function: str
    cell: str
    visible: list
    hidden: Callable[[np.random.Generator], list]
    rules: tuple = checks.DEFAULT_RULES
    rtol: float = 1e-6
    atol: float = 1e-8
    solution: str = ""
    reference: str = ""
    check: Callable | None = None
    intro: str = ""
    #: Names of the other graded functions this one calls (a training loop calls the forward and
    #: backward passes): the hidden tests and the re-check bind the reference's for the call
    #: (:func:`helpers.checks.call`'s ``using``), so that one check judges one function. The
    #: visible check, in the released notebook, runs with the student's own, each given deep
    #: copies of its arguments (``checks.expect(..., pure=uses)``: a caller that relies on a
    #: callee's in-place change fails there as it fails with the reference's), and says "fix
    #: <callee> first" when one of them failed its own check (:data:`helpers.checks.CHECKED`).
    uses: tuple = ()
    #: With ``uses``: when the notebook is graded, the visible cases too run with the reference's
    #: versions (a generated hidden block at the top of the test cell, :func:`use_reference`), so
    #: that nbgrader's score of the cell does not depend on the student's other functions either.
    #: Every exercise with ``uses`` in the course says True (02, 05, 07).
    graded_with_reference: bool = False

    def __post_init__(self):
        self.solution = self.solution or self.function
        self.reference = self.reference or self.function
        unknown = set(self.rules) - set(checks.RULES)
        if unknown:
            raise ValueError(f"{self.function}: unknown rule(s) {sorted(unknown)}")
        if self.uses and not any(r in SANDBOX_RULES for r in self.rules):
            raise ValueError(f"{self.function}: uses= needs a rule the sandbox enforces (its calls "
                             f"go through helpers.checks.call)")


@dataclass
class Question:
    """A concept question (auto-graded, counted in the grade like a function).

    The notebook asks it in a markdown cell; the student answers in the code cell whose grade id
    is ``name`` by assigning a literal to ``name`` (``q_output_activation = "b"``,
    ``q_parameter_count = 261``). ``cell``: the grade id of its test cell. ``answer``: a letter
    among ``choices`` (multiple choice), or a number (a whole number; with ``decimals``, compared
    after rounding). ``explanation``: shown by the visible check when the answer is wrong; it
    teaches the idea without stating the answer.

    The released test cell holds a fingerprint of the answer (:func:`helpers.checks.answer`);
    the hidden block compares the kernel's value; the trusted re-check reads the literal from the
    submitted text (:func:`source_checks`) and compares it in the grader's process.
    """

    name: str
    cell: str
    answer: Any
    explanation: str
    choices: tuple = ()
    decimals: int | None = None

    def __post_init__(self):
        self.choices = tuple(c.lower() for c in self.choices)
        text, problem = checks.answer_text(self.answer, self.choices, self.decimals)
        if problem:
            raise ValueError(f"{self.name}: the answer itself is not acceptable: {problem}")
        self.text = text

    @property
    def solution(self) -> str:  # the answer cell's grade id, as Exercise.solution
        return self.name

    @property
    def function(self) -> str:  # how messages and the corpus name it
        return self.name


# --- Loading -----------------------------------------------------------------------------------

def definition(assignment: str):
    """The module ``helpers.exercises.<assignment>`` (ModuleNotFoundError if there is none)."""
    return importlib.import_module(f"helpers.exercises.{assignment}")


def has_definition(assignment: str) -> bool:
    return (Path(__file__).parent / f"{assignment}.py").is_file()


def exercises(assignment: str) -> list:
    return list(definition(assignment).EXERCISES)


def questions(assignment: str) -> list:
    """The assignment's concept questions (:class:`Question`; none where it declares none)."""
    return list(getattr(definition(assignment), "QUESTIONS", ()))


def graded(assignment: str) -> list:
    """Every graded item of the assignment: its exercises, then its concept questions."""
    return exercises(assignment) + questions(assignment)


def exercise(assignment: str, function: str) -> Exercise:
    for ex in exercises(assignment):
        if ex.function == function:
            return ex
    raise KeyError(f"{assignment} defines no exercise {function!r}")


def question(assignment: str, name: str) -> Question:
    for q in questions(assignment):
        if q.name == name:
            return q
    raise KeyError(f"{assignment} defines no concept question {name!r}")


def reference_function(assignment: str, ex: Exercise):
    module = importlib.import_module(definition(assignment).REFERENCE)
    return getattr(module, ex.reference)


def reference_uses(assignment: str, ex: Exercise) -> dict:
    """``{name: reference function}`` for the names ``ex.uses`` (empty when it uses none)."""
    module = importlib.import_module(definition(assignment).REFERENCE)
    return {name: getattr(module, name) for name in ex.uses}


def _uses_for_recheck(assignment: str, ex: Exercise) -> dict:
    """``{name: recheck.Fn}``: the reference's functions as the sandbox rebuilds them (the
    reference module's own text, run in a fresh namespace there)."""
    import inspect

    from helpers.recheck import Fn

    if not ex.uses:
        return {}
    source = inspect.getsource(importlib.import_module(definition(assignment).REFERENCE))
    return {name: Fn(f"(lambda ns: (exec({source!r}, ns), ns[{name!r}])[1])({{'np': np}})")
            for name in ex.uses}


def kernel_seed(assignment: str, function: str) -> int:
    """The fixed seed of the hidden cases nbgrader runs in the kernel (the re-check draws fresh)."""
    return zlib.crc32(f"{assignment}/{function}".encode())


# --- Visible cases: evaluated the way the notebook evaluates them --------------------------------

def visible_inputs(case: Visible) -> tuple[dict, tuple]:
    """``(namespace after the setup, the call's arguments)``, as the test cell computes them."""
    space: dict[str, Any] = {"np": np, "checks": checks}  # as in the notebook
    space[_SETUP] = case.setup  # lets the re-check rebuild a function the setup defines (_sendable)
    exec(case.setup, space)  # the author's own code, as shown in the notebook
    args = eval(f"({case.call},)", space)
    return space, args


def visible_expected(assignment: str, ex: Exercise, case: Visible):
    space, args = visible_inputs(case)
    if case.expected == REFERENCE:
        import copy

        return reference_function(assignment, ex)(*copy.deepcopy(args))
    return eval(case.expected, space)


def literal(value, indent: int = 0) -> str:
    """Python source that evaluates (with ``np``) to ``value``: how computed expected values
    reach the notebook. Floats keep 12 significant digits (far inside any tolerance used)."""
    if isinstance(value, np.ndarray):
        dtype = "" if value.dtype in (np.float64, np.int64) else f", dtype=np.{value.dtype}"
        if value.dtype.kind not in "biuf":
            raise TypeError(f"no literal for an array of dtype {value.dtype}")
        if value.ndim == 2 and value.shape[0] > 1 and value.shape[1] > 1:
            pad = " " * (indent + 10)
            rows = (",\n" + pad).join(literal(row.tolist()) for row in value)
            return f"np.array([{rows}]{dtype})"
        return f"np.array({literal(value.tolist())}{dtype})"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{literal(k)}: {literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, tuple):
        inner = ", ".join(literal(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, np.generic):
        return literal(value.item())
    if isinstance(value, float):
        return repr(float(f"{value:.12g}"))
    if isinstance(value, str):
        return _quote(value)
    if isinstance(value, (bool, int)) or value is None:
        return repr(value)
    raise TypeError(f"no literal for a value of type {type(value).__name__}")


def _quote(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)


# --- Rendering the test cells --------------------------------------------------------------------

#: How each rule reads in the comment of a generated test cell.
RULE_PHRASES = {
    "arguments_only": "works from its arguments only (no notebook global)",
    "inputs_unchanged": "leaves its arguments unchanged",
    "global_random_untouched": "never touches numpy's global random generator",
    "no_warnings": "raises no numpy warning",
    "no_loops": "has no Python loop over the examples",
}


def render_cell(assignment: str, ex: Exercise) -> str:
    """The whole source of ``ex``'s test cell: the visible cases, the hidden block, the verdict."""
    import textwrap

    lines = []
    if ex.intro:
        lines += [f"# {line}" if line else "#" for line in ex.intro.splitlines()]
    if ex.uses and ex.graded_with_reference:  # graded: the visible cases too run with the reference's
        lines += [BEGIN,
                  f"# Generated from helpers/exercises/{assignment}.py: when graded, {ex.function} calls the "
                  f"course's {', '.join(ex.uses)}.",
                  "from helpers import exercises",
                  f'exercises.use_reference("{assignment}", "{ex.function}")',
                  END]
    if ex.uses:
        if len(ex.uses) == 1:
            sentence = (f"{ex.function} runs here with your {ex.uses[0]}, given copies of its arguments "
                        f"(use what it returns); the grade judges {ex.function} with the course's "
                        f"{ex.uses[0]}, so a bug there costs only {ex.uses[0]}'s points: if its check "
                        f"failed, fix it first.")
        else:
            callees = ", ".join(ex.uses[:-1]) + " and " + ex.uses[-1]
            sentence = (f"{ex.function} runs here with your {callees}, each given copies of its "
                        f"arguments (use what they return); the grade judges {ex.function} with the "
                        f"course's, so a bug in one of them costs only that one's points: if its check "
                        f"failed, fix it first.")
        lines += textwrap.wrap(sentence, 99, initial_indent="# ", subsequent_indent="# ")
    if ex.rules:
        phrases = [RULE_PHRASES[r] for r in ex.rules]
        sentence = (f"Graded here and on other inputs; {ex.function} also "
                    f"{', '.join(phrases[:-1]) + ' and ' if len(phrases) > 1 else ''}{phrases[-1]}.")
        lines += textwrap.wrap(sentence, 99, initial_indent="# ", subsequent_indent="# ")
    pad = " " * len("checks.expect(")
    for case in ex.visible:
        expected = (literal(visible_expected(assignment, ex, case), indent=len(pad) + len("expected="))
                    if case.expected == REFERENCE else case.expected)
        label = case.label or f"{ex.function}({case.call})"
        if case.comment:
            lines += [f"# {line}" for line in case.comment.splitlines()]
        lines += case.setup.splitlines()
        parts = [f"expected={expected}", f"label={_quote(label)}"]
        if tuple(ex.rules) != checks.DEFAULT_RULES:
            parts.append(f"rules={tuple(ex.rules)!r}")
        if (ex.rtol, ex.atol) != (1e-6, 1e-8):
            parts.append(f"rtol={ex.rtol!r}, atol={ex.atol!r}")
        if ex.uses:
            parts.append(f"pure={tuple(ex.uses)!r}")
        if case.hint:
            parts.append(f"hint={_quote(case.hint)}")
        if case.mistakes:
            inner = "".join(f"{pad}    {_quote(hint)}:\n{pad}        {value},\n"
                            for hint, value in case.mistakes.items())
            parts.append("mistakes={\n" + inner + pad + "}")
        lines.append(f'checks.expect("{ex.function}", {case.call},\n'
                     + ",\n".join(pad + part for part in parts) + ")")
        if case.then:
            rules = f", rules={tuple(ex.rules)!r}" if tuple(ex.rules) != checks.DEFAULT_RULES else ""
            pure = f", pure={tuple(ex.uses)!r}" if ex.uses else ""
            lines.append(f'{case.result or "got"} = checks.call("{ex.function}", {case.call}{rules}{pure}, '
                         f'label={_quote(label)})')
            lines += case.then.splitlines()
    lines += [BEGIN,
              f"# Generated from helpers/exercises/{assignment}.py (python -m helpers.exercises render "
              f"{assignment}): edit it there.",
              "from helpers import exercises",
              f'exercises.hidden("{assignment}", "{ex.function}")',
              END,
              f'checks.passed("{ex.function}")']
    return "\n".join(lines)


def render_question(assignment: str, q: Question) -> str:
    """The whole source of a concept question's test cell."""
    import textwrap

    kind = (f"a letter in quotes: one of {', '.join(repr(c) for c in q.choices)}" if q.choices
            else "a number" + (f" (compared to {q.decimals} decimals)" if q.decimals is not None else ""))
    lines = textwrap.wrap(f"Concept question. Answer in the cell above by assigning {q.name} = your "
                          f"answer, written as {kind}; the grade reads that line.", 99,
                          initial_indent="# ", subsequent_indent="# ")
    pad = " " * len("checks.answer(")
    parts = [f'"{q.name}", "{checks.answer_digest(q.name, q.text)}"']
    if q.choices:
        parts.append(f"choices={q.choices!r}")
    if q.decimals is not None:
        parts.append(f"decimals={q.decimals!r}")
    wrapped = textwrap.wrap(q.explanation, 80)
    explanation = ("\n" + pad + "             ").join(_quote(w + (" " if i < len(wrapped) - 1 else ""))
                                                        for i, w in enumerate(wrapped))
    parts.append(f"explanation=({explanation})" if len(wrapped) > 1 else f"explanation={explanation}")
    lines.append("checks.answer(" + (",\n" + pad).join(parts) + ")")
    lines += [BEGIN,
              f"# Generated from helpers/exercises/{assignment}.py (python -m helpers.exercises render "
              f"{assignment}): edit it there.",
              "from helpers import exercises",
              f'exercises.hidden("{assignment}", "{q.name}")',
              END,
              f'checks.passed("{q.name}")']
    return "\n".join(lines)


def render(project: Path, assignment: str, write: bool = True) -> list[str]:
    """Rewrite the test cells of ``source/<assignment>`` from its definition.

    Returns the grade ids of the cells that changed (with ``write=False``: that would change).
    """
    from helpers import notebooks

    [path] = sorted((Path(project) / "source" / assignment).glob("*.ipynb"))
    nb = notebooks.read(path)
    by_cell = {ex.cell: ex for ex in graded(assignment)}
    seen, changed = set(), []
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in by_cell:
            seen.add(grade_id)
            item = by_cell[grade_id]
            text = (render_question(assignment, item) if isinstance(item, Question)
                    else render_cell(assignment, item))
            if cell.source != text:
                changed.append(grade_id)
                cell.source = text
    missing = set(by_cell) - seen
    if missing:
        raise KeyError(f"{path} has no test cell(s) {sorted(missing)}: add them (nbgrader "
                       f"'Autograder tests' cells with these grade ids) before rendering")
    if write and changed:
        notebooks.write(nb, path)
    return changed


# --- The hidden tests, in the kernel -------------------------------------------------------------

def hidden_cases(ex: Exercise, rng) -> list:
    return [case if isinstance(case, Hidden) else Hidden(*case) for case in ex.hidden(rng)]


def judge(assignment: str, ex: Exercise, case: Hidden, got) -> None:
    """Raise CheckFailure unless ``got`` is right for ``case`` (reference or property check)."""
    __tracebackhide__ = True
    import copy

    label = case.label or f"{ex.function}(...)"
    if ex.check is not None:
        ex.check(got, case.args, case.kwargs)
        return
    expected = reference_function(assignment, ex)(*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs))
    checks.compare(got, expected, label, rtol=ex.rtol, atol=ex.atol)


#: What :func:`use_reference` replaced among a notebook's globals: {id(globals): {name: value}}.
_REPLACED: dict = {}


def _restore(space: dict) -> None:
    for name, value in _REPLACED.pop(id(space), {}).items():
        if value is checks._UNBOUND:
            space.pop(name, None)
        else:
            space[name] = value


def use_reference(assignment: str, function: str) -> None:
    """Bind the reference's versions of ``ex.uses`` among the caller's (the graded notebook's)
    globals until :func:`hidden` of the same cell restores them (or the next call of this
    function does): when the notebook is graded, the visible cases of a function that calls other
    graded functions (nn_model, predict) run with correct ones, so that one check judges one
    function. A generated hidden block at the top of the test cell calls it; the released
    notebook has no such block, and there the student's own functions run."""
    import sys

    space = sys._getframe(1).f_globals
    _restore(space)
    ex = exercise(assignment, function)
    using = reference_uses(assignment, ex)
    _REPLACED[id(space)] = {name: space.get(name, checks._UNBOUND) for name in using}
    space.update(using)


def hidden(assignment: str, function: str) -> None:
    """Run ``function``'s hidden cases (fixed seed) on the caller's function of that name."""
    __tracebackhide__ = True
    import copy
    import sys

    if any(q.name == function for q in questions(assignment)):
        q = question(assignment, function)
        space = sys._getframe(1).f_globals
        if function not in space:
            raise checks.CheckFailure(f"{function}: no answer")
        text, problem = checks.answer_text(space[function], q.choices, q.decimals)
        if problem or text != q.text:
            raise checks.CheckFailure(f"{function}: not the answer")
        return
    ex = exercise(assignment, function)
    _restore(sys._getframe(1).f_globals)  # what use_reference bound for the visible cases
    func = sys._getframe(1).f_globals.get(function)
    if func is None:
        raise checks.CheckFailure(f"{function} is not defined: run the cell that defines it")
    using = reference_uses(assignment, ex) or None
    for case in hidden_cases(ex, np.random.default_rng(kernel_seed(assignment, function))):
        label = case.label or f"{function}(...)"
        args, kwargs = copy.deepcopy(case.args), copy.deepcopy(case.kwargs)
        got = checks.call(func, *args, rules=ex.rules, label=label, using=using, **kwargs)
        judge(assignment, ex, case, got)


# --- The trusted re-check ------------------------------------------------------------------------

#: The rules the re-check's sandbox enforces through :func:`helpers.checks.call`; ``no_loops`` there
#: is its measured half (the Python lines run for m and for 4m examples, wherever the loop hides),
#: its text half is :func:`source_checks`, in the grader's process.
SANDBOX_RULES = ("arguments_only", "inputs_unchanged", "global_random_untouched", "no_warnings", "no_loops")


def recheck_cases(assignment: str, rng) -> list:
    """The re-check's calls (:class:`helpers.recheck.Case`): every visible case, then the hidden
    cases drawn from ``rng`` (the grader's fresh secret seed)."""
    import functools

    from helpers.recheck import Case

    out = []
    for ex in exercises(assignment):
        rules = tuple(r for r in ex.rules if r in SANDBOX_RULES)
        calls = [Hidden(visible_inputs(c)[1], c.label or f"{ex.function}({c.call})") for c in ex.visible
                 if c.recheck]
        calls += hidden_cases(ex, rng)
        using = _uses_for_recheck(assignment, ex)
        for case in calls:
            if ex.check is not None:
                check = functools.partial(_property, ex, case)
                out.append(Case(ex.cell, ex.function, _sendable(case.args), kwargs=_sendable(dict(case.kwargs)),
                                check=check, label=case.label, rules=rules, using=dict(using)))
            else:
                import copy

                expected = reference_function(assignment, ex)(*copy.deepcopy(case.args),
                                                             **copy.deepcopy(case.kwargs))
                out.append(Case(ex.cell, ex.function, _sendable(case.args), expected,
                                kwargs=_sendable(dict(case.kwargs)), rtol=ex.rtol, atol=ex.atol,
                                label=case.label, rules=rules, using=dict(using)))
    return out


def _sendable(value):
    """``value`` with every fresh ``np.random.default_rng(seed)`` in it replaced by
    ``recheck.Rng(seed)`` (a fresh ``np.random.RandomState(seed)`` by ``Rng(seed, "legacy")``),
    which the sandbox builds again (a generator cannot be sent as data)."""
    from helpers.recheck import Rng

    if isinstance(value, np.random.Generator):
        seed = getattr(value.bit_generator.seed_seq, "entropy", None)
        if not isinstance(seed, int) or value.bit_generator.state != np.random.default_rng(seed).bit_generator.state:
            raise TypeError("a generator argument must be a fresh np.random.default_rng(<int seed>)")
        return Rng(seed)
    if isinstance(value, np.random.RandomState):  # legacy seeding puts the seed first in the key
        state = value.get_state()
        seed = int(state[1][0])
        fresh = np.random.RandomState(seed).get_state()
        if not (state[0] == fresh[0] and np.array_equal(state[1], fresh[1]) and tuple(state[2:]) == tuple(fresh[2:])):
            raise TypeError("a RandomState argument must be a fresh np.random.RandomState(<int seed>)")
        return Rng(seed, "legacy")
    if isinstance(value, tuple):
        return tuple(_sendable(v) for v in value)
    if isinstance(value, list):
        return [_sendable(v) for v in value]
    if isinstance(value, dict):
        return {k: _sendable(v) for k, v in value.items()}
    if callable(value):
        return _sendable_function(value)
    return value


#: The key under which :func:`visible_inputs` keeps a visible case's setup in its namespace.
_SETUP = "__course_visible_setup__"


def _sendable_function(value):
    """A function argument as the re-check sends it: a ``recheck.Fn`` (lambda source the sandbox
    evaluates). numpy's ufuncs by name; a function a visible case's setup defines (``def f(x):``
    or ``f = lambda x: ...``) by that setup's own text, run again in the sandbox; an ``Fn`` as it
    is. Anything else is left alone (the sandbox then reports it as not sendable)."""
    import types

    from helpers.recheck import Fn

    if isinstance(value, Fn):
        return value
    if isinstance(value, np.ufunc) and getattr(np, value.__name__, None) is value:
        return Fn(f"np.{value.__name__}")
    space = getattr(value, "__globals__", None)
    if isinstance(value, types.FunctionType) and isinstance(space, dict) and _SETUP in space:
        name = next((k for k, v in space.items() if v is value and not k.startswith("__")), None)
        if name is not None:
            return Fn(f"(lambda ns: (exec({space[_SETUP]!r}, ns), ns[{name!r}])[1])({{'np': np}})")
    return value


def _property(ex, case, got):
    ex.check(got, case.args, case.kwargs)


def question_checks(assignment: str, code: list) -> dict:
    """``{test cell: message or None}`` for the concept questions, judged in the grader's
    process on the submitted text: ``code`` is the notebook's code cells (test cells left out),
    in order; the last top-level ``name = <literal>`` among them is the answer (the kernel would
    hold that one after running the notebook in order). Nothing is run."""
    out = {}
    for q in questions(assignment):
        found, value, problem = False, None, None
        for source in code:
            result = checks.literal_answer(source, q.name)
            if result[0]:
                found, value, problem = result
        if not found:
            out[q.cell] = f"{q.name}: no answer (assign {q.name} = your answer in its answer cell)"
            continue
        if problem is None:
            text, problem = checks.answer_text(value, q.choices, q.decimals)
            if problem is None and text != q.text:
                problem = f"{value!r} is not the answer"
        out[q.cell] = f"{q.name}: {problem}" if problem else None
    return out


def source_checks(assignment: str, sources: dict) -> dict:
    """``{test cell: message or None}`` for the rules judged on the submitted text: the text half
    of ``no_warnings`` (np.errstate, np.seterr or a warnings filter in the function's own
    ``def``: hiding the warning is not avoiding it) and of ``no_loops`` (:func:`helpers.checks.loops_in_tree` on the function's own ``def`` in its
    solution cell: loops over the data, not over a fixed handful of items). A loop hidden
    elsewhere (a helper in another cell, a function made with ``exec``, a wrapper) is the
    measured half's, in the sandbox (:func:`helpers.checks.loops_over_examples`)."""
    import ast

    out = {}
    for ex in exercises(assignment):
        if "no_loops" not in ex.rules and "no_warnings" not in ex.rules:
            continue
        out[ex.cell] = None
        source = sources.get(ex.solution, "")
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue  # the call fails in the sandbox anyway
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == ex.function:
                loops, _ = checks.loops_in_tree(node, ex.function, node.lineno)
                silencing = checks.silencing_in_text(ast.get_source_segment(source, node) or "")
                if "no_loops" in ex.rules and loops:
                    out[ex.cell] = f"{ex.function}: a Python loop where the lesson is vectorization: {loops[0]}"
                elif "no_warnings" in ex.rules and silencing:
                    # The text half of no_warnings; a helper elsewhere is caught in the sandbox
                    # (checks.call watches np.errstate and warnings' filters during the call).
                    out[ex.cell] = (f"{ex.function}: silences numpy's warnings ({silencing[0]}) instead "
                                    f"of avoiding them")
    return out


class RecheckSpec:
    """What :mod:`helpers.recheck` asks of an assignment, made from its definition."""

    def __init__(self, assignment: str):
        self.assignment = assignment

    def cases(self, rng):
        return recheck_cases(self.assignment, rng)

    def source_checks(self, sources, code=None):
        out = source_checks(self.assignment, sources)
        if code is not None:
            out.update(question_checks(self.assignment, code))
        return out
