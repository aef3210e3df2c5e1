"""The course grades itself: for every assignment in source/, in a fresh course folder,

- regenerate release/ and solutions/ and compare them with the committed ones (no drift), while
  auditing every figure the solutions draw (titles and axis labels, see plots.missing_labels);
- autograde the source solutions (full marks on every graded cell), the regenerated release
  stubs (zero, graded, no crash) and every fixture submission (its expected per-cell scores);
- in the same class run, the same submissions in every other edition (helpers.translations:
  ``zh``): each must get exactly the English one's per-cell scores (a class may mix editions).
"""

from __future__ import annotations

import json
from contextlib import contextmanager

import pytest

from helpers import classgrader, grading, notebooks, submissions, translations
from conftest import ASSIGNMENTS, PROJECT

pytestmark = pytest.mark.slow


# Runs in the kernel at start-up (IPython's startup folder): every figure drawn, whether by the
# inline backend after a cell, by plt.show() in a loop or by savefig, is audited as it is rendered.
AUDIT_STARTUP = """
import json, os
from matplotlib.backend_bases import FigureCanvasBase

_print_figure = FigureCanvasBase.print_figure

def _audited_print_figure(self, *args, **kwargs):
    try:
        from IPython import get_ipython
        from helpers import plots
        source = get_ipython().user_ns.get("_ih", [""])[-1].strip()
        record = {"cell": source.splitlines()[0][:100] if source else "", "problems": plots.missing_labels(self.figure)}
    except Exception as error:
        record = {"cell": "?", "problems": [f"the audit failed: {type(error).__name__}: {error}"]}
    with open(os.environ["COURSE_PLOT_AUDIT"], "a", encoding="utf-8") as log:
        log.write(json.dumps(record) + "\\n")
    return _print_figure(self, *args, **kwargs)

FigureCanvasBase.print_figure = _audited_print_figure
"""


@contextmanager
def _plot_audit(folder):
    """Kernels started inside record every rendered figure's missing labels in folder/plots.jsonl."""
    startup = folder / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-plot-audit.py").write_text(AUDIT_STARTUP)
    with grading.environment({"IPYTHONDIR": str(folder / "ipython"),
                              "COURSE_PLOT_AUDIT": str(folder / "plots.jsonl")}):
        yield folder / "plots.jsonl"


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def graded(request, tmp_path_factory):
    """Generate and autograde one assignment's solutions, stubs and fixtures; share the results."""
    assignment = request.param
    course = grading.make_course_copy(PROJECT, tmp_path_factory.mktemp(assignment), [assignment])
    with _plot_audit(tmp_path_factory.mktemp(f"{assignment}-plots")) as audit:
        grading.generate(course, [assignment], log=lambda *_: None)
    (course / "plot-audit.jsonl").write_text(audit.read_text() if audit.exists() else "")
    fixtures = submissions.fixtures(PROJECT, assignment)
    submissions.place(course, submissions.SOLUTIONS_STUDENT, assignment,
                      submissions.solutions_notebook(course, assignment))
    submissions.place(course, submissions.STUBS_STUDENT, assignment,
                      submissions.stubs_notebook(course, assignment))
    for fixture in fixtures:
        nb = submissions.apply_bugs(submissions.solutions_notebook(course, assignment), fixture["replace"])
        submissions.place(course, fixture["student"], assignment, nb)
    for language in _editions(assignment):  # the same submissions, made in that edition
        cells = translations.load(PROJECT, language, assignment)
        for student in [submissions.SOLUTIONS_STUDENT, submissions.STUBS_STUDENT] + [f["student"] for f in fixtures]:
            english = notebooks.read(next((course / "submitted" / student / assignment).glob("*.ipynb")))
            submissions.place(course, f"{language}_{student}", assignment, translations.apply(english, cells))
    outcomes = {o.student: o for o in classgrader.grade_class(
        course, [assignment], feedback=False, log=lambda *_: None, progress=False)}
    return assignment, course, outcomes, fixtures


def _editions(assignment) -> list:
    """The languages whose translation of ``assignment`` is complete and current (the others fail
    tests/test_translations.py)."""
    master = submissions.solutions_notebook(PROJECT, assignment)
    out = []
    for language in translations.LANGUAGES:
        try:
            if not translations.problems(master, translations.load(PROJECT, language, assignment)):
                out.append(language)
        except translations.TranslationError:
            pass
    return out


def _cells(outcome):
    return "\n".join(f"  {name}: {score}/{maximum}" for name, (score, maximum) in outcome.cells.items())


def test_solutions_get_full_marks(graded):
    assignment, _, outcomes, _ = graded
    outcome = outcomes[submissions.SOLUTIONS_STUDENT]
    assert outcome.status == "graded", outcome.reason
    assert outcome.max_score > 0
    lost = {n: s for n, (s, m) in outcome.cells.items() if s != m}
    assert not lost, f"{assignment}: the solutions lose points on:\n{_cells(outcome)}"


def test_written_answers_wait_for_a_person_and_blank_ones_score_zero(graded):
    """The solutions' model answers are not 'full marks' until a person grades them; the stubs'
    untouched answers get nbgrader's 0 and wait for no one."""
    assignment, _, outcomes, _ = graded
    written = notebooks.written_cells(submissions.solutions_notebook(PROJECT, assignment))
    solutions, stubs = outcomes[submissions.SOLUTIONS_STUDENT], outcomes[submissions.STUBS_STUDENT]
    assert solutions.written == {name: (None, points) for name, points in written.items()}
    assert sorted(solutions.waiting) == sorted(written)
    assert stubs.written == {name: (0.0, points) for name, points in written.items()} and not stubs.waiting


def test_stubs_score_zero_without_crashing(graded):
    assignment, _, outcomes, _ = graded
    outcome = outcomes[submissions.STUBS_STUDENT]
    assert outcome.status == "graded", outcome.reason
    assert all(s is not None for s, _ in outcome.cells.values()), f"ungraded cells:\n{_cells(outcome)}"
    assert outcome.score == 0, f"{assignment}: the untouched stubs score points:\n{_cells(outcome)}"


def test_fixtures_get_their_expected_scores(graded):
    assignment, _, outcomes, fixtures = graded
    if not fixtures:
        pytest.fail(f"{assignment} has no fixture submissions in fixtures/{assignment}.py")
    wrong = []
    for fixture in fixtures:
        outcome = outcomes[fixture["student"]]
        assert outcome.status == "graded", f"{fixture['student']}: {outcome.reason}"
        unknown = set(fixture["expected"]) - set(outcome.cells)
        assert not unknown, f"{fixture['student']} names unknown test cells {unknown}"
        for name, (score, maximum) in outcome.cells.items():
            want = fixture["expected"].get(name, maximum)
            if score != want:
                wrong.append(f"{fixture['student']} / {name}: expected {want}, got {score}")
        assert 0 < outcome.score < outcome.max_score, (
            f"{fixture['student']} should earn partial credit, got {outcome.score}/{outcome.max_score}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("language", sorted(translations.LANGUAGES))
def test_every_edition_gets_the_english_scores(graded, language):
    """Solutions, stubs and every fixture, translated: the same score on every cell."""
    assignment, _, outcomes, _ = graded
    if language not in _editions(assignment):
        pytest.fail(f"{assignment} has no complete {language} translation (see tests/test_translations.py)")
    english = [o for o in outcomes.values() if not any(o.student.startswith(f"{k}_") for k in translations.LANGUAGES)]
    assert english
    wrong = []
    for o in english:
        other = outcomes[f"{language}_{o.student}"]
        if (other.status, other.cells) != (o.status, o.cells):
            wrong.append(f"{o.student}: English {o.status} {o.cells}\n  {language}: {other.status} {other.cells}")
    assert not wrong, "\n".join(wrong)


def test_release_has_not_drifted(graded):
    assignment, course, _, _ = graded
    for fresh in sorted((course / "release" / assignment).glob("*.ipynb")):
        committed = PROJECT / "release" / assignment / fresh.name
        assert committed.exists(), f"release/{assignment}/{fresh.name} is not committed: run `course generate`"
        assert fresh.read_text() == committed.read_text(), (
            f"release/{assignment}/{fresh.name} differs from what source/ generates: "
            f"run `course generate {assignment}` and commit")


def test_solutions_have_not_drifted_and_run_clean(graded):
    assignment, course, _, _ = graded
    for fresh in sorted((course / "solutions" / assignment).glob("*.ipynb")):
        committed = PROJECT / "solutions" / assignment / fresh.name
        assert committed.exists(), f"solutions/{assignment}/{fresh.name} is not committed"
        new, old = notebooks.read(fresh), notebooks.read(committed)
        assert [c.source for c in new.cells] == [c.source for c in old.cells], (
            f"solutions/{assignment}/{fresh.name} differs from source/: run `course generate {assignment}`")
        errors = [o.get("ename") for c in new.cells if c.cell_type == "code"
                  for o in c.outputs if o.output_type == "error"]
        assert not errors, f"the solutions notebook raises when run: {errors}"


def test_every_plot_has_a_title_and_labelled_axes(graded):
    """Every figure the solutions notebook draws (see plots.missing_labels for the rules)."""
    assignment, course, _, _ = graded
    records = [json.loads(line) for line in (course / "plot-audit.jsonl").read_text().splitlines()]
    drawn = [record for record in records if "audit failed" not in " ".join(record["problems"])]
    assert records and len(drawn) == len(records), f"the figure audit did not run: {records[:2]}"
    bad = [f"  cell starting {record['cell']!r}: {'; '.join(record['problems'])}"
           for record in records if record["problems"]]
    assert not bad, f"{assignment}: figures a reader cannot read on their own:\n" + "\n".join(bad)


def test_generated_notebooks_are_clean_json(graded):
    assignment, _, _, _ = graded
    path = next((PROJECT / "release" / assignment).glob("*.ipynb"))
    text = path.read_text()
    assert text == json.dumps(json.loads(text), indent=1, sort_keys=True, ensure_ascii=False) + "\n"
