"""A corpus of bad and hostile submissions of 01_notation, graded as one class.

Each entry says what the student did and what it must get: per-cell scores (cells not named keep
full marks) or that it is listed as ungradable. Nobody earns credit they do not deserve, every
correct answer earns its credit, the batch finishes, and the honest students around the hostile
ones keep their full marks.

The cell timeout is lowered for this class (10 s), and the notebook's wall-clock limit (20 s), so
that the infinite loops and the sleepers cost seconds.
"""

from __future__ import annotations

import json
import socket

import pytest

from helpers import classgrader, exercises, grading, notebooks, sandbox, submissions
from conftest import PROJECT, points

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not sandbox.available(), reason="the sandbox needs Linux and root")]

A = "01_notation"
FULL = points(A)  # {test cell: points}, from the source notebook
QUESTIONS = {q.cell for q in exercises.questions(A)}  # concept questions: judged on the text
WRONG_IMAGE2VECTOR = "def image2vector(image):\n    return image.reshape(1, -1)\n"
WRONG_NORMALIZE = "def normalize_rows(x):\n    return x\n"
PROBE_PATHS = "['../../../gradebook.db', '{course}/gradebook.db', '{course}/source/01_notation/01_notation.ipynb', '{project}/source/01_notation/01_notation.ipynb', '{project}/helpers/reference/notation.py', '/root', '/etc/shadow']"


def _cell(nb, grade_id):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def _prepend(nb, grade_id, code):
    cell = _cell(nb, grade_id)
    cell.source = code + "\n" + cell.source
    return nb


def corpus(course, port=1):
    """(student, description, notebook or a callable(folder), expected scores or 'ungradable')."""
    sol = lambda: submissions.solutions_notebook(PROJECT, A)  # noqa: E731
    stub = lambda: submissions.stubs_notebook(PROJECT, A)  # noqa: E731
    bugs = lambda replace: submissions.apply_bugs(sol(), replace)  # noqa: E731
    out = []
    out.append(("honest_first", "the solutions", sol(), {}))
    out.append(("wrong_answer", "image2vector returns a row", bugs({"image2vector": WRONG_IMAGE2VECTOR}),
                {"test_image2vector": 0}))
    out.append(("raises", "normalize_rows raises ValueError",
                bugs({"normalize_rows": "def normalize_rows(x):\n    raise ValueError('oops')\n"}),
                {"test_normalize_rows": 0}))
    out.append(("infinite_loop", "image2vector never returns",
                bugs({"image2vector": "def image2vector(image):\n    while True:\n        pass\n"}),
                {"test_image2vector": 0}))
    out.append(("swallows_timeouts", "a loop that catches every exception, even the alarm",
                bugs({"image2vector": "def image2vector(image):\n    while True:\n        try:\n"
                                      "            while True:\n                pass\n"
                                      "        except BaseException:\n            pass\n"}),
                {"test_image2vector": 0}))
    out.append(("huge_allocation", "parameter_shapes allocates 40 GB",
                bugs({"parameter_shapes": "import numpy as np\ndef parameter_shapes(layer_dims):\n"
                                          "    junk = [np.ones(10**9) for _ in range(5)]\n    return {}\n"}),
                {"test_parameter_shapes": 0}))
    out.append(("os_exit", "parameter_shapes kills its process with os._exit",
                bugs({"parameter_shapes": "import os\ndef parameter_shapes(layer_dims):\n    os._exit(1)\n"}),
                {"test_parameter_shapes": 0}))
    out.append(("sys_exit", "the image2vector cell calls sys.exit() before its def (so the def never runs)",
                _prepend(sol(), "image2vector", "import sys\nsys.exit(3)"), {"test_image2vector": 0}))
    out.append(("renamed", "image2vector renamed image_to_vector",
                bugs({"image2vector": "def image_to_vector(image):\n    return image.reshape(-1, 1)\n"}),
                {"test_image2vector": 0}))
    nb = bugs({"normalize_rows": WRONG_NORMALIZE})
    _cell(nb, "test_normalize_rows").source = "pass  # edited away"
    out.append(("edited_test_cell", "wrong normalize_rows and its test cell emptied", nb,
                {"test_normalize_rows": 0}))
    nb = bugs({"normalize_rows": WRONG_NORMALIZE})
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "test_normalize_rows"]
    out.append(("deleted_test_cell", "wrong normalize_rows and its test cell deleted", nb,
                {"test_normalize_rows": 0}))
    nb = bugs({"normalize_rows": WRONG_NORMALIZE})
    test = _cell(nb, "test_normalize_rows")
    twin = notebooks.nbformat.from_dict(json.loads(json.dumps(test)))
    twin.source = "pass"
    nb.cells.insert(nb.cells.index(test) + 1, twin)
    out.append(("duplicated_test_cell", "a second copy of a test cell, emptied", nb,
                {"test_normalize_rows": 0}))
    nb = bugs({"image2vector": WRONG_IMAGE2VECTOR})
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade"):
            cell.metadata["tags"] = ["skip-execution", "raises-exception"]
    out.append(("skip_tags", "every test cell tagged skip-execution", nb, {"test_image2vector": 0}))
    out.append(("fake_success", "prints the success line, returns a wrong value",
                bugs({"image2vector": "def image2vector(image):\n    print('All checks passed: image2vector.')\n"
                                      "    return image.reshape(1, -1)\n"}),
                {"test_image2vector": 0}))
    out.append(("patches_allclose", "replaces np.allclose and np.isclose, then answers wrong",
                _prepend(bugs({"image2vector": WRONG_IMAGE2VECTOR, "normalize_rows": WRONG_NORMALIZE}),
                         "image2vector", "import numpy as np\nnp.allclose = lambda *a, **k: True\n"
                                         "np.isclose = lambda *a, **k: True\nnp.array_equal = lambda *a, **k: True"),
                {"test_image2vector": 0, "test_normalize_rows": 0}))
    out.append(("patches_checks", "replaces the check functions, then answers wrong",
                _prepend(bugs({"image2vector": WRONG_IMAGE2VECTOR, "normalize_rows": WRONG_NORMALIZE}),
                         "image2vector", "from helpers import checks\nchecks.compare = lambda *a, **k: None\n"
                                         "checks._compare = lambda *a, **k: None\nchecks.check_true = lambda *a, **k: None"),
                {"test_image2vector": 0, "test_normalize_rows": 0}))
    out.append(("patches_builtins", "makes every AssertionError vanish via builtins and sys.excepthook",
                _prepend(bugs({"image2vector": WRONG_IMAGE2VECTOR}), "image2vector",
                         "import builtins, helpers.checks as hc\nhc.CheckFailure = type('Never', (Exception,), {})\n"
                         "hc._fail = lambda *a, **k: None\nbuiltins.AssertionError = hc.CheckFailure"),
                {"test_image2vector": 0}))
    out.append(("patches_testing", "replaces np.testing's asserts and np.allclose, answers wrong values",
                _prepend(bugs({"image2vector": "def image2vector(image):\n    return image.reshape(-1, 1) + 1\n"}),
                         "image2vector",
                         "import numpy as np\nnp.testing.assert_allclose = lambda *a, **k: None\n"
                         "np.testing.assert_array_equal = lambda *a, **k: None\nnp.allclose = lambda *a, **k: True\n"
                         "np.array_equal = lambda *a, **k: True"),
                {"test_image2vector": 0}))
    out.append(("calls_reference", "calls the reference implementation",
                bugs({"image2vector": "from helpers.reference import notation as r\n"
                                      "def image2vector(image):\n    return r.image2vector(image)\n"}),
                {"test_image2vector": 0}))
    out.append(("reads_solutions", "reads the source notebook and runs its solution",
                bugs({"normalize_rows": (
                    "import json, glob\n"
                    "def normalize_rows(x):\n"
                    f"    for path in {PROBE_PATHS.format(course=course, project=PROJECT)} + glob.glob('/**/01_notation.ipynb', recursive=True):\n"
                    "        try:\n"
                    "            nb = json.load(open(path))\n"
                    "        except Exception:\n"
                    "            continue\n"
                    "        for c in nb['cells']:\n"
                    "            if c.get('metadata', {}).get('nbgrader', {}).get('grade_id') == 'normalize_rows':\n"
                    "                ns = {}\n"
                    "                exec(''.join(c['source']), {'np': __import__('numpy')}, ns)\n"
                    "                if 'BEGIN SOLUTION' in ''.join(c['source']):\n"
                    "                    return ns['normalize_rows'](x)\n"
                    "    return x\n")}),
                {"test_normalize_rows": 0}))
    out.append(("probes_files", "records which course files its code can read or write",
                _prepend(sol(), "image2vector",
                         "import os\nseen = []\n"
                         f"for p in {PROBE_PATHS.format(course=course, project=PROJECT)}:\n"
                         "    try:\n        open(p).read(1); seen.append('read ' + p)\n    except Exception:\n        pass\n"
                         f"for p in ['{course}/submitted/honest_last/01_notation/01_notation.ipynb', "
                         f"'{course}/gradebook.db', '{PROJECT}/README.md']:\n"
                         "    try:\n        open(p, 'a').write(''); seen.append('write ' + p)\n    except Exception:\n        pass\n"
                         "open('probe.txt', 'w').write('\\n'.join(seen))"),
                {}))
    out.append(("probes_network", "tries the internet and a server listening on the grading machine's loopback",
                _prepend(sol(), "image2vector",
                         "import socket\nreached = []\n"
                         f"for host in [('127.0.0.1', {port}), ('1.1.1.1', 53), ('8.8.8.8', 53)]:\n"
                         "    try:\n        socket.create_connection(host, timeout=3).close()\n"
                         "        reached.append(repr(host))\n    except OSError:\n        pass\n"
                         "open('network.txt', 'w').write('\\n'.join(reached))"),
                {}))
    out.append(("shadow_module", "ships numpy.py and helpers/ beside the notebook that accept anything",
                lambda folder: _shadow(folder, bugs({"image2vector": WRONG_IMAGE2VECTOR})),
                {"test_image2vector": 0}))
    out.append(("broken_json", "the notebook is not JSON", lambda folder: (folder / f"{A}.ipynb").write_text("{nope"),
                "ungradable"))
    out.append(("missing_notebook", "the folder is empty", lambda folder: None, "missing"))
    out.append(("symlink_to_gradebook", "the notebook is a symlink to the gradebook",
                lambda folder: (folder / f"{A}.ipynb").symlink_to(course / "gradebook.db"), "refused"))
    # The fork bomb fills its own sandbox's process limit: the kernel cannot start the thread a
    # cell needs, so its later cells fail in nbgrader too (the student's doing; nobody else's).
    out.append(("fork_bomb", "parameter_shapes forks until its sandbox is full, then answers wrong",
                bugs({"parameter_shapes": "import os, time\ndef parameter_shapes(layer_dims):\n"
                                          "    for _ in range(100000):\n        try:\n"
                                          "            if os.fork() == 0:\n                time.sleep(600)\n"
                                          "                os._exit(0)\n        except OSError:\n"
                                          "            break\n    return {}\n"}),
                {"test_parameter_shapes": 0, "test_activation_shapes": 0, "test_normalize_rows": 0}))
    if sandbox.cgroups_available():  # without per-sandbox memory limits this would hurt the machine
        out.append(("memory_bomb", "activation_shapes starts 8 processes of 1 GB each (8 GB in all)",
                    bugs({"activation_shapes": "import os\ndef activation_shapes(layer_dims, m):\n"
                                               "    kids = []\n    for _ in range(8):\n        pid = os.fork()\n"
                                               "        if pid == 0:\n            block = b'x' * 2**30\n"
                                               "            os._exit(0)\n        kids.append(pid)\n"
                                               "    for pid in kids:\n        os.waitpid(pid, 0)\n"
                                               "    return {}\n"}),
                    {"test_activation_shapes": 0}))
    nb = sol()
    for _ in range(3):  # each cell is under the cell timeout; together they outlast the notebook's
        nb.cells.append(notebooks.nbformat.v4.new_code_cell("import time\ntime.sleep(8)"))
    out.append(("sleeps_past_the_notebook_limit", "correct, then three cells that sleep 8 s each "
                "(the class's notebook limit is 20 s): the kernel is killed, the re-check credits the answers",
                nb, {}))
    # Making the kernel's verdict unreliable never wins points: the trusted re-check decides.
    out.append(("input_transformer", "an IPython input transformer empties every later test cell, "
                "then image2vector answers wrong",
                _prepend(bugs({"image2vector": WRONG_IMAGE2VECTOR}), "image2vector",
                         "get_ipython().input_transformers_post.append(\n"
                         "    lambda lines: ['pass\\n'] if any('checks.' in l or 'exercises.' in l for l in lines) else lines)"),
                {"test_image2vector": 0}))
    out.append(("ast_transformer", "an AST transformer turns every later assert and call into pass",
                _prepend(bugs({"normalize_rows": WRONG_NORMALIZE}), "image2vector",
                         "import ast\nclass Quiet(ast.NodeTransformer):\n"
                         "    def visit_Expr(self, node):\n        return ast.Pass()\n"
                         "    def visit_Assert(self, node):\n        return ast.Pass()\n"
                         "get_ipython().ast_transformers.append(Quiet())"),
                {"test_normalize_rows": 0}))
    out.append(("pre_run_cell_kill", "a pre_run_cell hook kills the kernel as the first test cell starts, "
                "normalize_rows wrong",
                _prepend(bugs({"normalize_rows": WRONG_NORMALIZE}), "image2vector",
                         "import os\ndef _die(info):\n"
                         "    if 'checks.' in (info.raw_cell or ''):\n        os._exit(0)\n"
                         "get_ipython().events.register('pre_run_cell', _die)"),
                {"test_normalize_rows": 0}))
    # Like the fork bomb: the hook kills every process that runs this notebook, the re-check's
    # too (whatever it runs next), so no answer can be verified and none is credited.
    out.append(("audit_hook_kill", "an audit hook kills any process at the next code it runs, "
                "normalize_rows wrong",
                _prepend(bugs({"normalize_rows": WRONG_NORMALIZE}), "normalize_rows",
                         "import os, sys\nsys.addaudithook(lambda event, args: os._exit(0) "
                         "if event == 'exec' else None)"),
                # Every function cell dies with the hook; the concept questions' answers are read
                # from the text, never run, and these are right: they keep their points.
                {k: 0 for k in FULL if k not in QUESTIONS}))
    nb = bugs({"normalize_rows": WRONG_NORMALIZE})
    flipped = _cell(nb, "test_normalize_rows")
    flipped.metadata["nbgrader"].update(solution=True, grade=False, locked=False)
    flipped.source = "pass"
    out.append(("test_cell_made_a_solution", "the test cell's metadata flipped to a solution cell and "
                "emptied, normalize_rows wrong", nb, {"test_normalize_rows": 0}))
    out.append(("bad_timestamp", "the solutions, handed in with a timestamp.txt that is not a date",
                lambda folder: (notebooks.write(sol(), folder / f"{A}.ipynb"),
                                (folder / "timestamp.txt").write_text("not a date \x00\n")), {}))
    out.append(("stubs", "the untouched release", stub(), {k: 0 for k in FULL}))
    out.append(("honest_last", "the solutions", sol(), {}))
    return out


def _shadow(folder, nb):
    notebooks.write(nb, folder / f"{A}.ipynb")
    (folder / "numpy.py").write_text(
        "import sys, importlib\nsys.path = [p for p in sys.path if p not in ('', '.')]\n"
        "del sys.modules['numpy']\nreal = importlib.import_module('numpy')\n"
        "real.allclose = lambda *a, **k: True\nsys.modules['numpy'] = real\n")
    (folder / "helpers").mkdir()
    (folder / "helpers" / "__init__.py").write_text("")
    (folder / "helpers" / "checks.py").write_text(
        "run = lambda f, *a, **k: f(*a, **k)\ncompare = lambda *a, **k: None\npassed = lambda *a: None\n")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = grading.make_course_copy(PROJECT, tmp_path_factory.mktemp("hostile"), [A])
    listener = socket.create_server(("127.0.0.1", 0))  # a service on the grader's loopback
    entries = corpus(course, port=listener.getsockname()[1])
    for student, _, nb, _ in entries:
        folder = course / "submitted" / student / A
        folder.mkdir(parents=True)
        if callable(nb):
            nb(folder)
        else:
            notebooks.write(nb, folder / f"{A}.ipynb")
    settings = classgrader.Settings(cell_timeout=10, case_timeout=5, recheck_timeout=180, notebook_seconds=20)
    outcomes = classgrader.grade_class(course, [A], feedback=False, workers=2, settings=settings,
                                       log=lambda *_: None, progress=False)
    listener.close()
    return course, entries, {o.student: o for o in outcomes}


def _table(entries, outcomes) -> str:
    """The corpus as a Markdown table: case, what it does, expected, got (kept in test-artifacts/)."""
    def describe(expected):
        if isinstance(expected, str):
            return expected
        zero = [cell.replace("test_", "") for cell, v in expected.items() if v == 0 and FULL.get(cell)]
        total = sum(expected.get(cell, points) for cell, points in FULL.items())
        return f"{total:g}/{sum(FULL.values())}" + (f" ({', '.join(zero)} 0)" if zero else "")

    def got(o):
        if o.status in ("ungradable", "missing notebook", "refused"):
            return f"{o.status} — {o.reason.split(': ', 1)[-1][:70]}"
        zero = [cell.replace("test_", "") for cell, (score, top) in o.cells.items() if top and not score]
        flag = " · flagged" if o.notes else ""
        return f"{o.score:g}/{o.max_score:g}" + (f" ({', '.join(zero)} 0)" if zero else "") + flag

    rows = ["| case | what the submission does | expected | got |", "|---|---|---|---|"]
    for student, description, _, expected in entries:
        rows.append(f"| {student} | {description} | {describe(expected)} | {got(outcomes[student])} |")
    return "\n".join(rows) + "\n"


def test_every_submission_gets_its_expected_outcome(graded):
    course, entries, outcomes = graded
    artifacts = PROJECT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "hostile_corpus.md").write_text(_table(entries, outcomes))
    wrong = []
    for student, description, _, expected in entries:
        o = outcomes[student]
        if expected == "ungradable":
            if not (o.status == "ungradable" and o.score is None and o.reason):
                wrong.append(f"{student} ({description}): expected 'ungradable' with a reason, got {o.status} {o.score}")
            continue
        if expected == "refused":
            if not (o.status == "refused" and o.score is None and "symbolic link" in o.reason):
                wrong.append(f"{student} ({description}): expected 'refused' (a link), got {o.status} {o.score}")
            continue
        if expected == "missing":
            if not (o.status == "missing notebook" and o.score == 0):
                wrong.append(f"{student} ({description}): expected 'missing notebook', got {o.status} {o.score}")
            continue
        want = {cell: expected.get(cell, points) for cell, points in FULL.items()}
        got = {cell: s for cell, (s, _) in o.cells.items()}
        if got != want:
            wrong.append(f"{student} ({description}): expected {want}, got {got} [{o.status}; {o.reason}; {o.notes}]")
    assert not wrong, "\n".join(wrong)


def test_tampering_is_flagged_for_the_instructor(graded):
    """Where tampering fooled the in-kernel tests, the disagreement with the re-check is listed
    (patches_builtins and shadow_module are not here: they do not even fool the kernel's own
    checks, and their grades are asserted above)."""
    _, _, outcomes = graded
    for student in ("patches_allclose", "patches_checks", "patches_testing", "calls_reference"):
        assert outcomes[student].needs_attention, student


def test_probing_code_sees_no_course_file(graded):
    course, _, outcomes = graded
    probe = course / "autograded" / "probes_files" / A / "probe.txt"
    assert probe.exists(), "the probe did not run"
    assert probe.read_text() == "", f"student code could reach: {probe.read_text()}"


def test_student_code_has_no_network_not_even_the_graders_loopback(graded):
    course, _, _ = graded
    probe = course / "autograded" / "probes_network" / A / "network.txt"
    assert probe.exists(), "the probe did not run"
    assert probe.read_text() == "", f"student code reached: {probe.read_text()}"


def test_the_honest_students_and_the_files_around_them_are_intact(graded):
    course, _, outcomes = graded
    for student in ("honest_first", "honest_last"):
        assert outcomes[student].score == sum(FULL.values())
    original = notebooks.read(course / "submitted" / "honest_last" / A / f"{A}.ipynb")
    assert notebooks.graded_cells(original) == {k: float(v) for k, v in FULL.items()}


def test_the_batch_records_every_submission(graded):
    course, entries, outcomes = graded
    assert set(outcomes) == {e[0] for e in entries}
    for student in outcomes:
        if outcomes[student].status not in ("ungradable", "refused"):
            assert classgrader.record_path(course, student, A).exists() or \
                outcomes[student].status == "missing notebook"
