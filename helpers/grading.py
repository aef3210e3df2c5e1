"""Running nbgrader for the course: generate release/solutions, autograde a class, feedback.

Everything goes through nbgrader's Python API with the course's ``nbgrader_config.py`` (the
command line costs 4-7 s of start-up per call; the API a fraction of that). Each submission is
autograded on its own, so one broken notebook is reported and never stops the others.

Course folder layout (nbgrader's): ``source/<assignment>/<assignment>.ipynb``,
``release/``, ``solutions/``, ``submitted/<student>/<assignment>/``, ``autograded/``,
``feedback/``, ``gradebook.db``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from helpers import notebooks

#: Environment for every kernel the grader starts: one BLAS thread, no GUI backend.
KERNEL_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
              "MPLBACKEND": "Agg", "PYTHONWARNINGS": "default"}


@dataclass
class Outcome:
    """What happened to one (student, assignment) submission.

    ``cells`` maps each graded test cell's id to ``(score, max_score)``; ``score`` is None when
    the submission could not be graded (then ``reason`` says why).
    """

    student: str
    assignment: str
    score: float | None = None
    max_score: float = 0.0
    cells: dict = field(default_factory=dict)
    status: str = "graded"  # graded | missing notebook | ungradable | graded by re-check | refused
    reason: str = ""
    seconds: float = 0.0
    notes: list = field(default_factory=list)  # per-cell remarks (re-check disagreements, credits)
    # What the sandbox actually enforced on each process that ran the submission's code, as the
    # trusted side recorded it (dicts of helpers.sandbox.Enforcement; see helpers.classgrader).
    sandbox: list = field(default_factory=list)
    # The answers a person grades (nbgrader's manually graded answer cells): ``{cell: (score or
    # None while no one has graded it, max)}``, read from the course's gradebook by
    # :func:`attach_written` (``score`` and ``max_score`` above count the autograded cells only).
    written: dict = field(default_factory=dict)
    # ``{written answer cell: SHA-256 of the answer as handed in}``: an answer handed in again
    # unchanged keeps a person's grade; a changed one waits for a person again.
    answers: dict = field(default_factory=dict)

    # Late work (helpers.late), set on every run from the gradebook and never trusted from a
    # resume record: when it was handed in (UTC, ISO, None: unknown) and from where
    # ("timestamp.txt", "--timestamps" or ""), the due date with the student's extension, seconds
    # late, the points taken off (nbgrader's late_submission_penalty) and why a timestamp.txt was
    # not used ("": it was, or there was none).
    timestamp: str | None = None
    timestamp_source: str = ""
    due: str | None = None
    seconds_late: float = 0.0
    penalty: float = 0.0
    late_note: str = ""

    @property
    def after_penalty(self) -> float | None:
        """The total (written answers graded so far included) less the late penalty, never below 0."""
        return None if self.total is None else max(0.0, self.total - self.penalty)

    @property
    def waiting(self) -> list:
        """The written answers no person has graded yet."""
        return [name for name, (score, _) in self.written.items() if score is None]

    @property
    def total(self) -> float | None:
        """The autograded score plus the written answers graded so far (None: not graded)."""
        if self.score is None:
            return None
        return self.score + sum(score for score, _ in self.written.values() if score is not None)

    @property
    def total_max(self) -> float:
        return self.max_score + sum(maximum for _, maximum in self.written.values())

    @property
    def needs_attention(self) -> bool:
        return (self.status != "graded" or bool(self.notes)
                or any(s is None for s, _ in self.cells.values()))


def assignments(course_dir: Path) -> list[str]:
    """Assignment ids: the folders of ``source/`` that hold a notebook, sorted."""
    source = Path(course_dir) / "source"
    return sorted(p.name for p in source.iterdir() if p.is_dir() and any(p.glob("*.ipynb")))


@contextlib.contextmanager
def environment(values: dict):
    """Set the environment variables ``values`` (which kernels started inside inherit) for the
    duration of the block, then restore what was there before."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _kernel_env():
    return environment(KERNEL_ENV)


def load_config(course_dir: Path):
    """The traitlets Config of ``<course_dir>/nbgrader_config.py``, rooted at ``course_dir``."""
    from traitlets.config.loader import PyFileConfigLoader

    course_dir = Path(course_dir).resolve()
    config = PyFileConfigLoader("nbgrader_config.py", path=str(course_dir)).load_config()
    config.CourseDirectory.root = str(course_dir)
    config.NbGraderAPI.log_level = logging.ERROR
    return config


def api(course_dir: Path, kernel_name: str | None = None, cell_timeout: int | None = None,
        immediate_shutdown: bool = False, ipc_dir: Path | None = None, kernel_dir: Path | None = None,
        **overrides):
    """An ``NbGraderAPI`` for ``course_dir``; ``overrides`` set CourseDirectory traits and
    ``kernel_name`` replaces the configured kernel (the sandboxed one, when grading a class).
    ``immediate_shutdown`` kills the kernel once the notebook has run instead of asking it to
    shut down (saves about 0.4 s per notebook; the outputs are already collected by then).
    ``ipc_dir``: nbgrader talks to its kernel over Unix sockets in this (private, empty) folder,
    where it also writes the connection file, instead of loopback TCP (so a sandboxed kernel can
    live without any network, see :func:`helpers.sandbox.kernelspec`).
    ``kernel_dir``: autograde runs the kernel in this folder (a copy of the notebook's folder,
    see :func:`kernel_folder`) instead of the folder nbgrader then writes its results to."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    _tools_on_path()
    config = load_config(course_dir)
    if kernel_name:
        config.Execute.kernel_name = kernel_name
    if cell_timeout:
        config.Execute.timeout = int(cell_timeout)
    if immediate_shutdown:
        config.Execute.shutdown_kernel = "immediate"
    if ipc_dir is not None:
        config.KernelManager.transport = "ipc"
        config.KernelManager.connection_file = str(Path(ipc_dir) / "kernel.json")
        config.KernelManager.ip = str(Path(ipc_dir) / "kernel-ipc")
    if kernel_dir is not None:
        from nbgrader.converters import Autograde

        steps = (config.Autograde["autograde_preprocessors"] if "autograde_preprocessors" in config.Autograde
                 else Autograde.class_traits()["autograde_preprocessors"].default())
        config.Autograde.autograde_preprocessors = [kernel_folder(kernel_dir), *steps]
    for key, value in overrides.items():
        setattr(config.CourseDirectory, key, value)
    coursedir = CourseDirectory(config=config)
    return NbGraderAPI(coursedir=coursedir, config=config)


def kernel_folder(folder: Path):
    """An nbgrader preprocessor (run just before ``Execute``) that gives the kernel a folder of
    its own: a copy of the notebook's folder at ``folder`` (made new), where the kernel then runs.

    nbgrader runs the kernel in ``autograded/<student>/<assignment>/`` and afterwards, as the
    grader's user, writes the graded notebook there and ``chmod``s every file in it. What the
    student's code left there (a link in place of the notebook, a link to a file outside) would
    be followed. With this step the kernel never sees that folder: what it writes stays in
    ``folder``, which the grader only reads back with :func:`helpers.submissions.copy_tree`.
    """
    from nbgrader.preprocessors import NbGraderPreprocessor

    from helpers import submissions as files

    target = Path(folder)

    class KernelFolder(NbGraderPreprocessor):
        def preprocess(self, nb, resources):
            source = Path(resources["metadata"]["path"])
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir(mode=0o755, parents=True)
            source_fd, target_fd = files.open_folder(source), files.open_folder(target)
            try:
                problems = files.copy_tree(source_fd, target_fd)
            finally:
                os.close(source_fd)
                os.close(target_fd)
            if problems:  # only the grader's own files are there: this is a bug, not a student
                raise RuntimeError(f"could not prepare the kernel's folder: {files.summarise(problems)}")
            resources["metadata"]["path"] = str(target)
            return nb, resources

    return KernelFolder


def _tools_on_path() -> None:
    """nbgrader runs ``alembic`` from PATH when it creates a gradebook: make it this Python's."""
    bindir = str(Path(sys.executable).parent)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")


def _run(app) -> dict:
    from nbgrader.apps.api import capture_log

    return capture_log(app)


def _check(result: dict, what: str) -> None:
    if not result.get("success"):
        detail = (result.get("log", "") + (result.get("error") or "")).strip().splitlines()
        raise RuntimeError(f"{what} failed: " + ("\n".join(detail[-15:]) if detail else "no detail"))


def sync_gradebook(course_dir: Path, assignment: str) -> None:
    """Record ``assignment`` (its cells and points) in the gradebook from ``source/``.

    Runs nbgrader's generate_assignment into a throw-away release folder, so the committed
    ``release/`` is left untouched.
    """
    with tempfile.TemporaryDirectory() as scratch:
        grader = api(course_dir, release_directory=str(Path(scratch) / "release"))
        _check(grader.generate_assignment(assignment, force=True, create=True),
               f"generate_assignment {assignment}")


def generate(course_dir: Path, assignment_ids: list[str] | None = None, solutions: bool = True,
             log=print) -> None:
    """Regenerate ``release/<a>/`` (stubs, no outputs) and ``solutions/<a>/`` (executed).

    Generated notebooks are written the course's way (see :mod:`helpers.notebooks`):
    release without outputs, solutions with their outputs (plots included) for self-learners.
    """
    from nbgrader.converters import GenerateSolution

    course_dir = Path(course_dir).resolve()
    for assignment in assignment_ids or assignments(course_dir):
        started = time.perf_counter()
        grader = api(course_dir)
        _check(grader.generate_assignment(assignment, force=True, create=True),
               f"generate_assignment {assignment}")
        release = course_dir / "release" / assignment
        for path in sorted(release.glob("*.ipynb")):
            notebooks.write(notebooks.read(path), path)
        _remove_junk(release)
        if solutions:
            with _kernel_env():
                grader.coursedir.assignment_id = assignment
                app = GenerateSolution(coursedir=grader.coursedir, parent=grader)
                app.force = True
                app.config.Execute.extra_arguments = SOLUTION_KERNEL_ARGUMENTS
                _check(_run(app), f"generate_solution {assignment}")
            target = course_dir / "solutions" / assignment
            for path in sorted(target.glob("*.ipynb")):
                nb = notebooks.read(path)
                _coalesce_streams(nb)
                notebooks.write(nb, path, keep_outputs=True, keep_counts=True)
            _remove_junk(target)
        log(f"generated {assignment} in {time.perf_counter() - started:.1f} s")


#: The kernel that executes a solution notebook starts by calling :func:`describe_figures`
#: (``exec_lines`` run before the first cell and take no execution count), so that every figure
#: it shows carries alt text. nbclient's own default argument is kept.
SOLUTION_KERNEL_ARGUMENTS = ["--HistoryManager.hist_file=:memory:",
                             "--IPKernelApp.exec_lines=import helpers.grading; helpers.grading.describe_figures()"]


def figure_alt(fig) -> str:
    """Alt text for a matplotlib figure, from what the figure itself says: its title, then each
    visible panel's title and what it plots against what (its axis labels)."""
    def clip(text: str, size: int) -> str:
        text = " ".join(str(text).split())
        return text if len(text) <= size else text[:size - 1].rstrip() + "…"

    panels = []
    for ax in fig.get_axes():
        if not ax.get_visible():
            continue
        title = " ".join(t for t in (ax.get_title("left"), ax.get_title(), ax.get_title("right")) if t)
        x, y = ax.get_xlabel(), ax.get_ylabel()
        axes = f"{y} against {x}" if x and y else (x or y)
        part = f"{title} ({axes})" if title and axes else (title or axes)
        if part:
            panels.append(clip(part, 120))
    suptitle = getattr(fig, "_suptitle", None)
    head = clip(suptitle.get_text(), 200) if suptitle is not None and suptitle.get_text() else ""
    count = sum(ax.get_visible() for ax in fig.get_axes())
    if not panels:
        return head or f"A figure with {count} panel{'s' * (count != 1)} and no title."
    body = "; ".join(panels[:12]) + (f"; and {len(panels) - 12} more" if len(panels) > 12 else "")
    prefix = f"{head}. " if head else ""
    return clip(prefix + (f"{len(panels)} panels: " if len(panels) > 1 else "") + body + ".", 700)


def describe_figures() -> None:
    """In an IPython kernel: every matplotlib figure shown as a PNG carries ``alt`` text
    (:func:`figure_alt`) in its output's metadata, ``{"image/png": {"alt": ...}}``, the field
    nbconvert's HTML export writes into ``<img alt>``. Run by the kernel that executes solutions
    (:data:`SOLUTION_KERNEL_ARGUMENTS`); students' and graders' kernels never run it.

    ``%matplotlib inline`` registers its PNG printer for figures when a notebook turns it on, so
    the printer is wrapped again before each cell and after each run (before the inline backend
    shows the figures a cell left open)."""
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None:
        return

    def wrap(*_):
        try:
            from matplotlib.figure import Figure
        except ImportError:
            return
        formatter = shell.display_formatter.formatters["image/png"]
        printer = formatter.type_printers.get(Figure) or formatter.deferred_printers.get(
            ("matplotlib.figure", "Figure"))
        if printer is None or getattr(printer, "course_alt", False):
            return

        def with_alt(fig, *args, **kwargs):
            data = printer(fig, *args, **kwargs)
            return data if data is None else (data, {"alt": figure_alt(fig)})

        with_alt.course_alt = True
        formatter.for_type(Figure, with_alt)

    shell.events.register("pre_run_cell", wrap)
    shell.events.register("post_execute", wrap)


def _coalesce_streams(nb) -> None:
    """Merge consecutive stream outputs of one name (``print`` may arrive in two pieces), as
    JupyterLab shows them."""
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        merged = []
        for output in cell.outputs:
            if (output.get("output_type") == "stream" and merged
                    and merged[-1].get("output_type") == "stream" and merged[-1].get("name") == output.get("name")):
                merged[-1]["text"] += output["text"]
            else:
                merged.append(output)
        cell.outputs = merged


def _remove_junk(folder: Path) -> None:
    for pattern in ("__pycache__", ".ipynb_checkpoints"):
        for path in folder.rglob(pattern):
            shutil.rmtree(path, ignore_errors=True)


def submissions(course_dir: Path) -> list[tuple[str, str]]:
    """``(student, assignment)`` pairs found in ``submitted/``, sorted, for known assignments
    (valid ids, real folders: see :func:`discover` for what is left out)."""
    return discover(course_dir)[0]


def discover(course_dir: Path, wanted=None) -> tuple[list, list]:
    """The submissions in ``submitted/`` of the assignments ``wanted`` (default: all known):
    ``(pairs, refused)``, ``refused`` being one :func:`refusal` outcome for each link, FIFO,
    device or socket in place of a student's or a submission's folder and for each invalid id
    (see :func:`helpers.submissions.scan_class`). Nothing is followed or opened but folders."""
    from helpers import submissions as files

    wanted = set(wanted or assignments(course_dir))
    try:
        root = files.open_folder(Path(course_dir), ("submitted",))
    except OSError:
        return [], []
    try:
        pairs, problems = files.scan_class(root)
    finally:
        os.close(root)
    refused = []
    for problem in problems:
        refused += refusals(problem, wanted)
    return [(s, a) for s, a in pairs if a in wanted], refused


def refusals(problem: dict, wanted) -> list:
    """The outcomes of one refused entry (``{"student", "assignment", "reason"}``): one per
    ``wanted`` assignment when the problem is the student's (assignment None), one when it is a
    submission of a wanted assignment or has an invalid assignment id, none otherwise."""
    from helpers import submissions as files

    student, assignment = problem.get("student"), problem.get("assignment")
    if assignment is None:
        names = sorted(wanted)
    elif assignment in wanted or files.id_problem(assignment):
        names = [assignment]
    else:
        names = []
    return [refusal(student, name, problem["reason"]) for name in names]


def refusal(student, assignment, reason: str) -> Outcome:
    """A submission the grader would not touch (listed under "Needs attention", not graded);
    an invalid id is shown as its ``repr``."""
    from helpers import submissions as files

    return Outcome(student=files.shown_id(student), assignment=files.shown_id(assignment),
                   status="refused", reason=reason[:500])


def _adopt_renamed(folder: Path, name: str) -> tuple[str | None, str | None]:
    """When ``name`` is not in ``folder``: ``(note, None)`` after renaming the one other
    notebook there to ``name`` (a browser's ``05_shallow_network (1).ipynb``: nbgrader grades a
    notebook by its name), or ``(None, reason)`` when there is none or more than one to choose from.
    Only regular files count; nothing is followed (the folder is the grader's own staged copy)."""
    from helpers import submissions as files

    try:
        fd = files.open_folder(folder)
    except (OSError, files.Refused):
        return None, f"{name} is not in the submission"
    try:
        others = sorted(entry.name for entry in os.scandir(fd)
                        if entry.name.endswith(".ipynb") and entry.is_file(follow_symlinks=False))
        if len(others) == 1:
            os.rename(others[0], name, src_dir_fd=fd, dst_dir_fd=fd)
            return f"graded {files.shown_id(others[0])} as {name} (the notebook was renamed)", None
        if others:
            listed = ", ".join(files.shown_id(o) for o in others)
            return None, f"{name} is not in the submission, and it holds {len(others)} other notebooks ({listed}): which one to grade needs a person"
        return None, f"{name} is not in the submission"
    finally:
        os.close(fd)


def _precheck(course_dir: Path, student: str, assignment: str, notes: list | None = None) -> str | None:
    """Reasons nbgrader cannot grade a submission at all (checked before it runs); a notebook
    handed in under another name is renamed first, and said so in ``notes``."""
    folder = Path(course_dir) / "submitted" / student / assignment
    expected = sorted(p.name for p in (Path(course_dir) / "source" / assignment).glob("*.ipynb"))
    for name in expected:
        path = folder / name
        if not os.path.lexists(path):
            note, reason = _adopt_renamed(folder, name) if len(expected) == 1 else (None, f"{name} is not in the submission")
            if reason:
                return "missing notebook: " + reason
            if notes is not None:
                notes.append(note)
        try:
            nb = notebooks.read(path)
        except ValueError:
            return f"{name} is not a valid notebook (broken JSON); nothing could be graded"
        except Exception as error:  # nbformat validation and friends
            return f"{name} could not be read: {type(error).__name__}: {error}"[:300]
        problem = notebook_problem(nb)
        if problem:
            return f"{name} is not a valid notebook ({problem}); nothing could be graded"
    return None


def notebook_problem(nb) -> str | None:
    """Why ``nb`` (read with nbformat) is not a valid version-4 notebook, or None."""
    import nbformat

    if not isinstance(nb, dict) or nb.get("nbformat") != 4 or not isinstance(nb.get("cells"), list):
        return "not an nbformat 4 notebook"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # (it repairs duplicate or missing cell ids in place)
            nbformat.validate(nb)
    except nbformat.ValidationError as error:
        return f"nbformat: {error.message}"[:200]
    return None


def autograde_one(course_dir: Path, student: str, assignment: str, feedback: bool = True,
                  kernel_name: str | None = None, cell_timeout: int | None = None,
                  immediate_shutdown: bool = False, ipc_dir: Path | None = None,
                  kernel_dir: Path | None = None) -> Outcome:
    """Autograde (and make feedback for) one submission; never raises for a bad submission.
    ``kernel_dir``: the kernel runs there, not in the folder of the results (see :func:`api`)."""
    started = time.perf_counter()
    outcome = Outcome(student=student, assignment=assignment)
    problem = _precheck(course_dir, student, assignment, outcome.notes)
    if problem:
        outcome.status = "missing notebook" if problem.startswith("missing notebook: ") else "ungradable"
        outcome.reason = problem.removeprefix("missing notebook: ")
    if outcome.status == "graded":
        grader = api(course_dir, kernel_name=kernel_name, cell_timeout=cell_timeout,
                     immediate_shutdown=immediate_shutdown, ipc_dir=ipc_dir, kernel_dir=kernel_dir)
        with _kernel_env(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SQLAlchemy chatter from nbgrader's gradebook
            result = grader.autograde(assignment, student, force=True, create=True)
            if not result.get("success"):
                outcome.status = "ungradable"
                outcome.reason = "nbgrader autograde failed: " + failure_reason(result)
            elif feedback:
                generate_feedback(course_dir, assignment, student)
    _collect_scores(course_dir, outcome)
    outcome.seconds = time.perf_counter() - started
    return outcome


#: The Content-Security-Policy of every feedback page: no script, no request to anywhere (images,
#: fonts from ``data:`` URLs and inline styles only), no form, no ``<base>``. Student markdown and
#: outputs may carry ``<script>``, event handlers, ``javascript:`` URLs or remote loads; none of
#: it runs or loads. (Math is shown as its LaTeX source: MathJax is a remote script.)
FEEDBACK_CSP = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; "
                "form-action 'none'; base-uri 'none'")
_CSP_META = f'<meta http-equiv="Content-Security-Policy" content="{FEEDBACK_CSP}">'


def generate_feedback(course_dir: Path, assignment: str, student: str) -> dict:
    """nbgrader's HTML feedback of one graded submission, each page then locked down with
    :func:`lock_feedback` (the result of nbgrader's API call)."""
    result = api(course_dir).generate_feedback(assignment, student, force=True)
    folder = Path(course_dir) / "feedback" / student / assignment
    names = feedback_names(assignment)
    for page in sorted(folder.glob("*.html")) if folder.is_dir() else []:
        name_feedback(page, names)
        lock_feedback(page)
    return result


#: Added to the ``<head>`` of every feedback page: output and error text (a check's expected/got
#: and its hint) wraps at the page's width instead of running off to the right in one line.
FEEDBACK_STYLE = ("<style>\n"
                  "div.output_subarea pre, div.output_area pre { white-space: pre-wrap; "
                  "overflow-wrap: anywhere; }\n"
                  "</style>")


def feedback_names(assignment: str) -> dict:
    """``{grade id of a test cell: what it grades}``: the function of each exercise, ``concept
    question <name>`` for a concept question (from :mod:`helpers.exercises`; empty for an
    assignment without a definition there)."""
    from helpers import exercises

    if not exercises.has_definition(assignment):
        return {}
    names = {ex.cell: ex.function for ex in exercises.exercises(assignment)}
    names.update({q.cell: f"concept question {q.name}" for q in exercises.questions(assignment)})
    return names


def name_feedback(page: Path, names: dict) -> None:
    """Name each test cell of the nbgrader feedback page ``page`` by what it grades: its line in
    the table of contents (nbgrader writes "Test cell", which a browser numbers "3. Test cell")
    becomes ``test_sigmoid: sigmoid`` and its panel heading ``Test cell test_sigmoid: sigmoid``
    (``names``: :func:`feedback_names`); and add :data:`FEEDBACK_STYLE` to the head.

    Only the grader's own parts of the page are rewritten: the table of contents is the first
    ``<div id="toc">`` (it comes before anything from the notebook), and a heading is changed
    only for a grade id in ``names`` (a heading a student imitates in markdown at most gains the
    name of a real exercise). :func:`lock_feedback` runs afterwards, unchanged."""
    import html

    text = Path(page).read_text(encoding="utf-8", errors="replace")
    end = re.search(r"</head\s*>", text, flags=re.IGNORECASE)
    if end:
        text = text[:end.start()] + FEEDBACK_STYLE + "\n" + text[end.start():]

    def label(grade_id: str) -> str | None:
        name = names.get(html.unescape(grade_id))
        return None if name is None else html.escape(f"{html.unescape(grade_id)}: {name}")

    def toc_line(match):
        shown = label(match.group(1))
        return match.group(0) if shown is None else f'<a href="#{match.group(1)}">{shown}</a>'

    toc = re.search(r'<div id="toc">.*?</ol>', text, flags=re.S)
    if toc:
        lines = re.sub(r'<a href="#([^"<>]*)">Test cell</a>', toc_line, toc.group(0))
        text = text[:toc.start()] + lines + text[toc.end():]

    def heading(match):
        name = names.get(html.unescape(match.group(1)))
        if name is None:
            return match.group(0)
        return (f'<span class="nbgrader-label">Test cell <code>{match.group(1)}</code>: '
                f'{html.escape(name)}</span>')

    text = re.sub(r'<span class="nbgrader-label">Grade cell: <code>([^<>]*)</code></span>', heading, text)
    scratch = Path(page).with_name(f".{Path(page).name}.tmp")
    scratch.unlink(missing_ok=True)
    scratch.write_text(text, encoding="utf-8")
    os.replace(scratch, page)


def lock_feedback(page: Path) -> None:
    """Put :data:`FEEDBACK_CSP` first in the ``<head>`` of the HTML page ``page`` (written by
    the grader), so it governs everything after it (a page without a ``<head>`` gets one), and
    write out as text every ``<meta>``, ``<link>`` and ``<base>`` tag after the head (they can
    only come from the student: a ``<meta http-equiv="refresh">`` would navigate away, which
    no Content-Security-Policy stops)."""
    text = Path(page).read_text(encoding="utf-8", errors="replace")
    match = re.search(r"<head(\s[^>]*)?>", text, flags=re.IGNORECASE)
    if match and not re.search(r"<(body|script|meta|link|style)\b", text[:match.start()], flags=re.IGNORECASE):
        head, rest = text[:match.end()] + "\n" + _CSP_META, text[match.end():]
        end = re.search(r"</head\s*>", rest, flags=re.IGNORECASE)
        if end:
            head, rest = head + rest[:end.end()], rest[end.end():]
            rest = re.sub(r"<(?=(meta|link|base)\b)", "&lt;", rest, flags=re.IGNORECASE)
        text = head + rest
    else:
        text = f"<!DOCTYPE html>\n<html>\n<head>\n{_CSP_META}\n</head>\n<body>\n{text}\n</body>\n</html>\n"
    scratch = Path(page).with_name(f".{Path(page).name}.tmp")
    scratch.unlink(missing_ok=True)
    scratch.write_text(text, encoding="utf-8")
    os.replace(scratch, page)


def failure_reason(result: dict) -> str:
    """The most telling line of a failed nbgrader API call (not its generic last words)."""
    text = (result.get("log") or "") + "\n" + (result.get("error") or "")
    generic = ("Please see the", "There was an error processing", "NbGraderException")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    errors = [line for line in lines
              if re.match(r"^(\[ERROR\] )?[\w.]*(Error|Exception|Exit|Interrupt)\b", line)
              and not any(g in line for g in generic)]
    if errors:
        return errors[-1][:300]
    logged = [line for line in lines if line.startswith("[ERROR]") and not any(g in line for g in generic)]
    return (logged[-1] if logged else (lines[-1] if lines else "no detail"))[:300]


def _collect_scores(course_dir: Path, outcome: Outcome) -> None:
    """Fill ``outcome`` from the gradebook: per test cell (score, max) and the total."""
    from nbgrader.api import Gradebook, MissingEntry

    config = load_config(course_dir)
    db_url = f"sqlite:///{Path(course_dir).resolve() / 'gradebook.db'}"
    with Gradebook(db_url, config.CourseDirectory.course_id) as gb:
        assignment = gb.find_assignment(outcome.assignment)
        for nb in assignment.notebooks:
            for cell in nb.grade_cells:  # test cells; a written answer is graded by a person
                if cell.cell_type == "code":
                    outcome.cells[cell.name] = (None, float(cell.max_score))
        outcome.max_score = sum(m for _, m in outcome.cells.values())
        if outcome.status == "missing notebook":
            outcome.cells = {name: (0.0, m) for name, (_, m) in outcome.cells.items()}
            outcome.score = 0.0
            return
        if outcome.status == "ungradable":
            return
        try:
            submission = gb.find_submission(outcome.assignment, outcome.student)
        except MissingEntry:
            outcome.status = "ungradable"
            outcome.reason = outcome.reason or "no submission recorded in the gradebook"
            return
        for nb in submission.notebooks:
            for grade in nb.grades:
                if grade.name in outcome.cells:
                    score = grade.auto_score if grade.manual_score is None else grade.manual_score
                    outcome.cells[grade.name] = (None if score is None else float(score),
                                                 float(grade.max_score))
                elif grade.cell.cell_type == "markdown":
                    # nbgrader's own verdict on a written answer: 0 when it is the untouched stub,
                    # None (a person must read it) otherwise
                    score = None if grade.needs_manual_grade else grade.auto_score
                    outcome.written[grade.name] = (None if score is None else float(score),
                                                   float(grade.max_score))
        if outcome.written:
            outcome.answers = _answer_digests(course_dir, outcome)
        ungraded = [name for name, (s, _) in outcome.cells.items() if s is None]
        if ungraded and outcome.status == "graded":
            outcome.reason = (f"{len(ungraded)} test cell(s) were not graded ({', '.join(ungraded)}): "
                              "the kernel probably died or the notebook stopped running")
        outcome.score = sum(s or 0.0 for s, _ in outcome.cells.values())


def _answer_digests(course_dir: Path, outcome: Outcome) -> dict:
    """``{written cell: SHA-256 of its text}`` in the notebook nbgrader autograded."""
    import hashlib

    folder = Path(course_dir) / "autograded" / outcome.student / outcome.assignment
    out = {}
    for path in sorted(folder.glob("*.ipynb")):
        try:
            nb = notebooks.read(path)
        except (OSError, ValueError):
            continue
        for cell in nb.cells:
            name = cell.metadata.get("nbgrader", {}).get("grade_id")
            if name in outcome.written:
                out[name] = hashlib.sha256(cell.source.encode("utf-8", "replace")).hexdigest()
    return out


#: The course's own table in nbgrader's gradebook (nbgrader ignores tables it does not know):
#: the digest of each written answer as last graded, by nbgrader's grade row id.
ANSWERS_TABLE = "course_written_answers"


def _answer_changes(db, rows: list) -> set:
    """Of ``[(grade row id, digest)]``, the grade ids whose answer differs from the one recorded
    (or was never recorded); records the new digests. ``db``: the writer's connection."""
    from sqlalchemy import text

    if not rows:
        return set()
    db.execute(text(f"CREATE TABLE IF NOT EXISTS {ANSWERS_TABLE} (grade_id VARCHAR(32) PRIMARY KEY, "
                    f"digest VARCHAR(64) NOT NULL)"))
    changed = set()
    for grade_id, digest in rows:
        old = db.execute(text(f"SELECT digest FROM {ANSWERS_TABLE} WHERE grade_id = :g"), {"g": grade_id}).scalar()
        if old != digest:
            changed.add(grade_id)
            db.execute(text(f"INSERT OR REPLACE INTO {ANSWERS_TABLE} (grade_id, digest) VALUES (:g, :d)"),
                       {"g": grade_id, "d": digest})
    return changed


def attach_written(course_dir: Path, outcomes: list) -> None:
    """Fill each outcome's ``written`` from the course's gradebook: the manual scores a person
    gave in the formgrader (None while an answer waits). A submission not in the gradebook (not
    graded) has none."""
    from nbgrader.api import Gradebook, MissingEntry

    config = load_config(course_dir)
    db_url = f"sqlite:///{Path(course_dir).resolve() / 'gradebook.db'}"
    with warnings.catch_warnings(), Gradebook(db_url, config.CourseDirectory.course_id) as gb:
        warnings.simplefilter("ignore")
        layouts = {}
        for outcome in outcomes:
            if outcome.assignment not in layouts:
                try:
                    assignment = gb.find_assignment(outcome.assignment)
                except MissingEntry:
                    layouts[outcome.assignment] = {}
                    continue
                layouts[outcome.assignment] = {cell.name: float(cell.max_score) for nb in assignment.notebooks
                                               for cell in nb.grade_cells if cell.cell_type == "markdown"}
            layout = layouts[outcome.assignment]
            outcome.written = {}
            if not layout or outcome.score is None:
                continue
            outcome.written = {name: (None, maximum) for name, maximum in layout.items()}
            if outcome.status == "missing notebook":
                outcome.written = {name: (0.0, maximum) for name, maximum in layout.items()}
                continue
            try:
                submission = gb.find_submission(outcome.assignment, outcome.student)
            except MissingEntry:
                continue
            for nb in submission.notebooks:
                for grade in nb.grades:
                    if grade.name in layout:
                        # waiting while nbgrader says a person must read it (a new answer, or one
                        # handed in again after it was graded); the formgrader clears the flag
                        score = None if grade.needs_manual_grade else (
                            grade.manual_score if grade.manual_score is not None else grade.auto_score)
                        outcome.written[grade.name] = (None if score is None else float(score), layout[grade.name])


def store_scores(course_dir: Path, outcome: Outcome) -> None:
    """Write ``outcome``'s per-cell scores into the gradebook of ``course_dir`` (creating the
    student and the submission when nbgrader could not)."""
    store_many_scores(course_dir, [outcome])


def _scores_to_store(outcome: Outcome) -> dict:
    """``{cell: score}`` a writer stores as ``auto_score``: every scored test cell, and the written
    answers nbgrader scored itself (0 for an untouched stub; an answer a person must read has none
    and keeps whatever a person gave it)."""
    out = {name: value[0] for name, value in outcome.cells.items() if value[0] is not None}
    out.update((name, value[0]) for name, value in outcome.written.items() if value[0] is not None)
    return out


#: Names per ``IN (...)`` of :func:`store_many_scores` (well under SQLite's limit on parameters).
_SQL_CHUNK = 500


def store_many_scores(course_dir: Path, outcomes: list) -> None:
    """:func:`store_scores` for many outcomes in one transaction (a class run writes its scores in
    batches from a writer process of its own: see ``classgrader._Scores``).

    The rows are those nbgrader's ORM makes (:func:`_store_many_scores_orm`, the reference), written
    with bulk statements on nbgrader's own tables: the ORM loads every submission with a dozen
    score subqueries, about 10-30 ms per submission, too slow to keep up with a large class.
    A new submission gets its student (if new), its submitted assignment and notebooks, one grade
    per grade and task cell and one comment per solution and task cell, ids from nbgrader's
    ``new_uuid``, and ``outcome.timestamp`` as its ``timestamp`` (nbgrader's, as the late work of
    :func:`store_late` reads it; a known submission gets it too when the outcome has one); a
    submission already there keeps its rows, and each test cell with a score gets
    it as ``auto_score`` with ``needs_manual_grade`` false (a cell without a score is left as it
    was, as the ORM path leaves it). tests/test_gradebook_writer.py compares both paths.
    """
    from nbgrader.api import (BaseCell, Comment, Grade, Gradebook, Student, SubmittedAssignment,
                              SubmittedNotebook, new_uuid)
    from sqlalchemy import bindparam, insert, select, update

    outcomes = [o for o in outcomes if o.score is not None]
    if not outcomes:
        return
    scores = {}  # (assignment, student) -> {cell name: score}, the last score of each cell winning
    readers = {}  # (assignment, student) -> {written answer a person must read: its digest}
    stamps = {}  # (assignment, student) -> when it was handed in (naive UTC) or None
    for outcome in outcomes:
        scores.setdefault((outcome.assignment, outcome.student), {}).update(_scores_to_store(outcome))
        readers[(outcome.assignment, outcome.student)] = {name: outcome.answers.get(name, "")
                                                          for name in outcome.waiting}
        stamps[(outcome.assignment, outcome.student)] = _timestamp(outcome)
    student_t, submission_t = Student.__table__, SubmittedAssignment.__table__
    notebook_t, grade_t, comment_t = SubmittedNotebook.__table__, Grade.__table__, Comment.__table__
    cell_t = BaseCell.__table__

    def chunks(items):
        items = list(items)
        return (items[i:i + _SQL_CHUNK] for i in range(0, len(items), _SQL_CHUNK))

    config = load_config(course_dir)
    db_url = f"sqlite:///{Path(course_dir).resolve() / 'gradebook.db'}"
    with warnings.catch_warnings(), Gradebook(db_url, config.CourseDirectory.course_id) as gb:
        warnings.simplefilter("ignore")
        try:
            db = gb.db.connection()  # the session's transaction: one commit for the batch
            names = list(dict.fromkeys(student for _, student in scores))
            known = set()
            for chunk in chunks(names):
                known.update(db.execute(select(student_t.c.id).where(student_t.c.id.in_(chunk))).scalars())
            if len(known) < len(names):
                db.execute(insert(student_t), [{"id": name} for name in names if name not in known])
            for assignment_name in dict.fromkeys(a for a, _ in scores):
                assignment = gb.find_assignment(assignment_name)  # MissingEntry, as the ORM path
                layout = [(nb.id, [(c.id, c.name) for c in list(nb.grade_cells) + list(nb.task_cells)],
                           [c.id for c in list(nb.solution_cells) + list(nb.task_cells)])
                          for nb in assignment.notebooks]
                wanted = {student: cells for (a, student), cells in scores.items() if a == assignment_name}
                existing = {}
                for chunk in chunks(wanted):
                    existing.update(db.execute(
                        select(submission_t.c.student_id, submission_t.c.id)
                        .where(submission_t.c.assignment_id == assignment.id,
                               submission_t.c.student_id.in_(chunk))).all())
                submissions, notebooks, grades, comments, answers = [], [], [], [], []
                for student, cells in wanted.items():
                    if student in existing:
                        continue
                    submission = new_uuid()
                    submissions.append({"id": submission, "assignment_id": assignment.id,
                                        "student_id": student, "timestamp": stamps[(assignment_name, student)],
                                        "extension": None})
                    for notebook_id, graded, commented in layout:
                        notebook = new_uuid()
                        notebooks.append({"id": notebook, "assignment_id": submission,
                                          "notebook_id": notebook_id, "flagged": False})
                        for cell_id, name in graded:
                            score = cells.get(name)
                            grades.append({"id": new_uuid(), "notebook_id": notebook, "cell_id": cell_id,
                                           "auto_score": score, "manual_score": None, "extra_credit": None,
                                           "needs_manual_grade": score is None})
                            if name in readers[(assignment_name, student)]:
                                answers.append((grades[-1]["id"], readers[(assignment_name, student)][name]))
                        comments.extend({"id": new_uuid(), "notebook_id": notebook, "cell_id": cell_id,
                                         "auto_comment": None, "manual_comment": None}
                                        for cell_id in commented)
                for table, rows in ((submission_t, submissions), (notebook_t, notebooks),
                                    (grade_t, grades), (comment_t, comments)):
                    if rows:
                        db.execute(insert(table), rows)
                _answer_changes(db, answers)
                changed = []  # a submission already recorded: its own grade rows, matched by name
                again = []  # (grade row, digest) of written answers handed in again
                owner = {submission: student for student, submission in existing.items()}
                stamped = [{"sub": submission, "when": stamps[(assignment_name, student)]}
                           for submission, student in owner.items() if stamps[(assignment_name, student)]]
                if stamped:  # when it was handed in, as nbgrader's update_or_create_submission sets it
                    db.execute(update(submission_t).where(submission_t.c.id == bindparam("sub"))
                               .values(timestamp=bindparam("when")), stamped)
                for chunk in chunks(owner):
                    for grade_id, name, submission in db.execute(
                            select(grade_t.c.id, cell_t.c.name, notebook_t.c.assignment_id)
                            .join(notebook_t, grade_t.c.notebook_id == notebook_t.c.id)
                            .join(cell_t, grade_t.c.cell_id == cell_t.c.id)
                            .where(notebook_t.c.assignment_id.in_(chunk))):
                        score = wanted[owner[submission]].get(name)
                        if score is not None:
                            changed.append({"grade": grade_id, "score": score, "person": False})
                        elif name in readers[(assignment_name, owner[submission])]:
                            again.append((grade_id, readers[(assignment_name, owner[submission])][name]))
                # an answer handed in again: a person reads it if it changed (a manual score stays)
                changed += [{"grade": grade_id, "score": None, "person": True}
                            for grade_id in _answer_changes(db, again)]
                if changed:
                    db.execute(update(grade_t).where(grade_t.c.id == bindparam("grade"))
                               .values(auto_score=bindparam("score"), needs_manual_grade=bindparam("person")),
                               changed)
        except BaseException:
            gb.db.rollback()
            raise
        gb.db.commit()


def _timestamp(outcome: Outcome):
    """``outcome.timestamp`` as the gradebook stores it (a naive UTC datetime), or None."""
    import datetime

    if not outcome.timestamp:
        return None
    return datetime.datetime.fromisoformat(outcome.timestamp.removesuffix("Z"))


def store_late(course_dir: Path, outcomes: list, plugin=None) -> None:
    """Late work of ``outcomes`` into the class gradebook, as nbgrader keeps it, and back into the
    outcomes; recomputed in full on every run (nothing is kept from a resume record).

    For each graded submission: ``SubmittedAssignment.timestamp`` is set to ``outcome.timestamp``;
    its due date is the gradebook's ``Assignment.duedate`` plus the submission's ``extension``
    (nbgrader's ``SubmittedAssignment.duedate``); each notebook's ``late_submission_penalty`` is
    what nbgrader's ``AssignLatePenalties`` writes: None when it is not late, else the plugin's
    penalty for the notebook's score as the gradebook has it (``SubmittedNotebook.score``: every
    grade, manual scores first), kept between 0 and that score. The outcomes get ``due``,
    ``seconds_late`` and ``penalty`` (the sum over notebooks). Bulk statements, one transaction.
    """
    from nbgrader.api import Assignment, Grade, Gradebook, SubmittedAssignment, SubmittedNotebook
    from sqlalchemy import bindparam, func, select, update

    import datetime

    from helpers import late

    for outcome in outcomes:
        outcome.due, outcome.seconds_late, outcome.penalty = None, 0.0, 0.0
    graded = {(o.assignment, o.student): o for o in outcomes if o.score is not None}
    if not graded:
        return
    plugin = plugin or late.policy(course_dir)
    submission_t, assignment_t = SubmittedAssignment.__table__, Assignment.__table__
    notebook_t = SubmittedNotebook.__table__
    config = load_config(course_dir)
    db_url = f"sqlite:///{Path(course_dir).resolve() / 'gradebook.db'}"
    with warnings.catch_warnings(), Gradebook(db_url, config.CourseDirectory.course_id) as gb:
        warnings.simplefilter("ignore")
        try:
            db = gb.db.connection()
            rows = {}  # (assignment, student) -> (submission id, due date with the extension)
            students = list(dict.fromkeys(student for _, student in graded))
            for i in range(0, len(students), _SQL_CHUNK):
                for sub_id, student, name, duedate, extension in db.execute(
                        select(submission_t.c.id, submission_t.c.student_id, assignment_t.c.name,
                               assignment_t.c.duedate, submission_t.c.extension)
                        .join(assignment_t, submission_t.c.assignment_id == assignment_t.c.id)
                        .where(submission_t.c.student_id.in_(students[i:i + _SQL_CHUNK]))):
                    if (name, student) in graded:
                        due = None if duedate is None else duedate + (extension or datetime.timedelta(0))
                        rows[(name, student)] = (sub_id, due)
            stamped, penalised = [], []
            owner = {}
            for pair, (sub_id, due) in rows.items():
                outcome = graded[pair]
                when = _timestamp(outcome)
                stamped.append({"sub": sub_id, "when": when})
                outcome.due = late.iso(due)
                if when is not None and due is not None:
                    outcome.seconds_late = max(0.0, (when - due).total_seconds())
                owner[sub_id] = outcome
            if stamped:
                db.execute(update(submission_t).where(submission_t.c.id == bindparam("sub"))
                           .values(timestamp=bindparam("when")), stamped)
            subs = list(owner)
            for i in range(0, len(subs), _SQL_CHUNK):
                for nb_id, sub_id, score in gb.db.execute(
                        select(SubmittedNotebook.id, SubmittedNotebook.assignment_id,
                               func.coalesce(func.sum(Grade.score), 0.0))
                        .outerjoin(Grade, Grade.notebook_id == SubmittedNotebook.id)
                        .where(SubmittedNotebook.assignment_id.in_(subs[i:i + _SQL_CHUNK]))
                        .group_by(SubmittedNotebook.id, SubmittedNotebook.assignment_id)):
                    outcome = owner[sub_id]
                    penalty = None
                    if outcome.seconds_late > 0:
                        penalty = plugin.late_submission_penalty(outcome.student, float(score), outcome.seconds_late)
                        if penalty is not None:  # as nbgrader's AssignLatePenalties keeps it
                            penalty = min(max(0.0, float(penalty)), float(score))
                    penalised.append({"nb": nb_id, "penalty": penalty})
                    outcome.penalty += penalty or 0.0
            if penalised:
                db.execute(update(notebook_t).where(notebook_t.c.id == bindparam("nb"))
                           .values(late_submission_penalty=bindparam("penalty")), penalised)
        except BaseException:
            gb.db.rollback()
            raise
        gb.db.commit()


def _store_many_scores_orm(course_dir: Path, outcomes: list) -> None:
    """The reference for :func:`store_many_scores`: the same scores written through nbgrader's ORM
    (how they were written before; about 10-30 ms per submission). Kept for the equivalence test
    and the benchmark."""
    from nbgrader.api import Gradebook

    outcomes = [o for o in outcomes if o.score is not None]
    if not outcomes:
        return
    config = load_config(course_dir)
    db_url = f"sqlite:///{Path(course_dir).resolve() / 'gradebook.db'}"
    with warnings.catch_warnings(), Gradebook(db_url, config.CourseDirectory.course_id) as gb:
        warnings.simplefilter("ignore")
        commit = gb.db.commit
        gb.db.commit = gb.db.flush  # nbgrader commits each new row: one transaction per batch instead
        try:
            for outcome in outcomes:
                gb.update_or_create_student(outcome.student)
                when = _timestamp(outcome)
                submission = gb.update_or_create_submission(outcome.assignment, outcome.student,
                                                            **({"timestamp": when} if when else {}))
                stored = _scores_to_store(outcome)
                for nb in submission.notebooks:
                    for grade in nb.grades:
                        score = stored.get(grade.name)
                        if score is None and grade.name in outcome.waiting:
                            gb.db.flush()
                            if _answer_changes(gb.db.connection(), [(grade.id, outcome.answers.get(grade.name, ""))]):
                                grade.auto_score = None
                                grade.needs_manual_grade = True
                        if score is not None:
                            grade.auto_score = score
                            grade.needs_manual_grade = False
        except BaseException:
            gb.db.rollback()
            raise
        finally:
            gb.db.commit = commit
        gb.db.commit()


def make_course_copy(project: Path, target: Path, assignment_ids: list[str] | None = None) -> Path:
    """A fresh course folder at ``target``: the config and ``source/`` (all or some assignments)."""
    project, target = Path(project), Path(target)
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(project / "nbgrader_config.py", target / "nbgrader_config.py")
    for assignment in assignment_ids or assignments(project):
        shutil.copytree(project / "source" / assignment, target / "source" / assignment,
                        ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"),
                        dirs_exist_ok=True)
    return target
