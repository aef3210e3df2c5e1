"""A class on a real JupyterHub, end to end in Debian's Chromium (driven through Playwright).

JupyterHub (``pip``, pinned in requirements.lock) and its proxy, configurable-http-proxy (``npm``,
pinned by ``scripts/hub/package-lock.json``, installed into ``.hub/`` by
``scripts/install_hub.sh``, which ``make test`` runs), listen on 127.0.0.1 only. The test makes
one instructor and two students as real Unix users (``useradd``, homes in a temporary folder,
removed afterwards), each with their own single-user server (JupyterHub's LocalProcessSpawner),
and nbgrader's exchange in a temporary folder with the permissions nbgrader documents
(``chmod ugo+rw``). Students get the course's student configuration (``student_jupyter/``:
Assignment List and Validate only); the instructor gets nbgrader's whole UI.

In the browser, one context (one login) per user:

1. the instructor logs in, sees the formgrader, and releases ``03_activations`` from it;
2. each student logs in, sees only the student UI, fetches the assignment in the Assignment
   List, works in the notebook (one hands in the solutions' code and writes the written answer
   in their own words, the other a typical bug from ``fixtures/03_activations.py`` and leaves
   the written answer's stub untouched), runs it, saves and submits;
3. the instructor collects in the formgrader; ``course grade`` (run as root, as the course
   documents: sandbox and re-check) grades what nbgrader collected: the written answer waits
   for a person, the untouched stub gets nbgrader's 0; the instructor grades the written answer
   by hand in the formgrader (Manual Grading, the submission, a score typed and saved);
   ``course grade`` runs again, resumes, and its reports include the person's score with
   nothing left waiting; the instructor releases the feedback from the formgrader;
4. each student fetches their feedback in the Assignment List and opens it: their own score
   (the hand-given one included), and for the buggy one the test cell's explanation;
5. isolation: a student cannot reach another student's server through the hub, list the
   exchange's inbound or feedback folders, read another's home or the instructor's course, and
   fetching feedback brings only their own.

Screenshots of every step go to ``test-artifacts/hub/`` with the hub's log and ``course grade``'s
output (``failure.png`` when a step fails). The test needs root (real users); without root, or
without Chromium or the proxy, it skips and says why.
"""

from __future__ import annotations

import csv
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pytest

from conftest import PROJECT, points
from helpers import grading, notebooks, reports, submissions
from test_browser import CHROMIUM_ARGS, KERNEL_IDLE, _free_port, _tail, chromium  # noqa: F401

ASSIGNMENT = "03_activations"
NOTEBOOK = f"{ASSIGNMENT}.ipynb"
COURSE_ID = "nn-from-first-principles"
BIN = Path(sys.executable).parent
PROXY = PROJECT / ".hub" / "node_modules" / ".bin" / "configurable-http-proxy"
INSTALL = PROJECT / "scripts" / "install_hub.sh"
STUDENT_CONFIG = PROJECT / "student_jupyter"
ARTIFACTS = PROJECT / "test-artifacts" / "hub"
#: The GECOS field of every user this test makes: leftovers of an interrupted run are found by it.
MARK = "nn-course hub test user"
#: The buggy student's work: a typical bug with a known effect (one test cell at 0; its visible
#: check fails in the notebook too). This student leaves the written answer untouched.
BUG = next(f for f in submissions.fixtures(PROJECT, ASSIGNMENT) if f["student"] == "relu_loops_over_a_matrix")
#: The written answer a person grades (a manually graded markdown cell, 2 points), what the
#: correct student writes there, and the score the instructor gives it in the formgrader.
[(WRITTEN, WRITTEN_MAX)] = notebooks.written_cells(submissions.solutions_notebook(PROJECT, ASSIGNMENT)).items()
OWN_ANSWER = ("Without an activation each layer is an affine map, and an affine map of an affine map "
              "is again affine: W2 (W1 x + b1) + b2 = (W2 W1) x + (W2 b1 + b2). So any depth computes "
              "what one linear layer computes, and the boundary between classes stays a straight line.")
HAND_SCORE = 1.5
# Test-only: no "Would you like to receive Jupyter news?" toast over the screenshots.
TEST_ONLY_PAGE_CONFIG = {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}

# Limits of each wait (seconds): generous for two shared cores, never unbounded.
HUB_START = 120
SPAWN = 180
PAGE = 120
KERNEL = 240
EXCHANGE = 180
GRADE = 900
STOP = 60


# --- Users, processes ---------------------------------------------------------------------------

def _uid(name: str) -> int | None:
    try:
        return pwd.getpwnam(name).pw_uid
    except KeyError:
        return None


def _processes_of(uid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            match = re.search(r"^Uid:\s+(\d+)", status, flags=re.M)
            if match and int(match.group(1)) == uid:
                found.append(int(entry.name))
    return found


def _kill_processes_of(uid: int) -> None:
    """SIGKILL every process of a user this test made (by pid), and wait until none is left."""
    deadline = time.monotonic() + STOP
    while time.monotonic() < deadline:
        pids = _processes_of(uid)
        if not pids:
            return
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.2)


def _remove_user(name: str) -> None:
    uid = _uid(name)
    if uid is None:
        return
    _kill_processes_of(uid)
    subprocess.run(["userdel", name], capture_output=True, timeout=STOP)


def _remove_leftover_users() -> None:
    """Users an interrupted run of this test left behind (found by :data:`MARK`)."""
    for entry in pwd.getpwall():
        if entry.pw_gecos == MARK:
            _remove_user(entry.pw_name)


def _make_user(name: str, home: Path) -> pwd.struct_passwd:
    subprocess.run(["useradd", "--no-create-home", "--home-dir", str(home), "--shell", "/bin/sh",
                    "--comment", MARK, "--user-group", name],
                   check=True, capture_output=True, timeout=STOP)
    entry = pwd.getpwnam(name)
    home.mkdir(mode=0o700)
    os.chown(home, entry.pw_uid, entry.pw_gid)
    return entry


def _user_env(entry: pwd.struct_passwd) -> dict:
    return {"HOME": entry.pw_dir, "USER": entry.pw_name, "LOGNAME": entry.pw_name,
            "PATH": f"/usr/bin{os.pathsep}/bin", "LANG": "C.UTF-8",
            "OPENBLAS_NUM_THREADS": "1", "MPLBACKEND": "Agg"}


def as_user(name: str, args: list, cwd: Path | None = None, timeout: float = 300,
            env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``args`` as the Unix user ``name`` (no supplementary groups), output captured."""
    entry = pwd.getpwnam(name)
    return subprocess.run([str(a) for a in args], user=entry.pw_uid, group=entry.pw_gid,
                          extra_groups=[], env={**_user_env(entry), **(env or {})},
                          cwd=str(cwd or entry.pw_dir), capture_output=True, text=True,
                          timeout=timeout)


def _runs(user: str, args: list) -> bool:
    try:
        return as_user(user, args, timeout=120).returncode == 0
    except OSError:  # the program cannot even be started by that user
        return False


def _users_python(base: Path, user: str) -> tuple[Path, dict, str]:
    """The Python the class's users run (the venv's own when they can reach it) and the
    environment that makes it see the venv's packages, Jupyter data and configuration.

    A venv made from an interpreter inside a folder only root can enter (pyenv under
    ``/root``) cannot be run by anyone else. Then the users get a view of the venv: a venv of
    their own (``--without-pip``) made from a system interpreter of the same minor version,
    whose ``site-packages`` adds the course venv's (a ``.pth`` line), with ``JUPYTER_PATH`` and
    ``JUPYTERLAB_DIR`` pointing at the course venv's Jupyter data. Returns (python, env, note).
    """
    venv = Path(sys.prefix)
    if _runs(user, [sys.executable, "-c", "import jupyterhub, nbgrader, helpers"]):
        return (Path(sys.executable), {"PATH": f"{BIN}{os.pathsep}/usr/bin{os.pathsep}/bin"},
                f"the users run the venv's Python ({sys.executable})")
    version = f"{sys.version_info[0]}.{sys.version_info[1]}"
    candidates = [Path(d) / f"python{version}" for d in ("/usr/bin", "/usr/local/bin", "/opt/python/bin")]
    usable = [c for c in candidates if c.is_file() and _runs(user, [c, "-c", "import venv"])]
    if not usable:
        pytest.skip(f"the venv's Python ({Path(sys.executable).resolve()}) lies where other users "
                    f"cannot run it, and no system python{version} is there to make them a view "
                    f"of the venv; make the venv from a system Python (make setup PYTHON=/usr/bin/python3)")
    view = base / "users-venv"
    subprocess.run([usable[0], "-m", "venv", "--without-pip", view], check=True,
                   capture_output=True, timeout=120)
    [site] = (venv / "lib").glob("python*/site-packages")
    [view_site] = (view / "lib").glob("python*/site-packages")
    (view_site / "course-venv.pth").write_text(f"import site; site.addsitedir({str(site)!r})\n")
    for script in BIN.iterdir():  # the venv's commands (alembic, nbgrader...) for the view's Python
        head = script.read_bytes()[:200] if script.is_file() and not script.is_symlink() else b""
        if head.startswith(b"#!") and b"python" in head.split(b"\n", 1)[0]:
            copy = view / "bin" / script.name
            if not copy.exists():
                body = script.read_text().split("\n", 1)[1]
                copy.write_text(f"#!{view / 'bin' / 'python'}\n{body}")
                copy.chmod(0o755)
    env = {"PATH": f"{view / 'bin'}{os.pathsep}/usr/bin{os.pathsep}/bin",
           "JUPYTER_PATH": str(venv / "share" / "jupyter"),
           "JUPYTERLAB_DIR": str(venv / "share" / "jupyter" / "lab")}
    python = view / "bin" / "python"
    check = as_user(user, [python, "-c", "import jupyterhub, nbgrader, helpers"], timeout=120)
    assert check.returncode == 0, check.stderr[-2000:]
    return python, env, (f"the venv's Python ({Path(sys.executable).resolve()}) is out of the users' "
                         f"reach: they run {usable[0]} with the venv's packages ({view})")


def _chown_tree(root: Path, entry: pwd.struct_passwd) -> None:
    for folder, dirs, files in os.walk(root):
        for name in [folder, *(os.path.join(folder, n) for n in dirs + files)]:
            os.lchown(name, entry.pw_uid, entry.pw_gid)


# --- The class: users, the exchange, the instructor's course, the hub ----------------------------

class Hub:
    """A running hub: ``url``, the users (``instructor``, ``students``), their ``password``,
    the ``exchange`` and the instructor's ``course`` folder."""

    def __init__(self, **fields):
        self.__dict__.update(fields)

    def home(self, name: str) -> Path:
        return Path(pwd.getpwnam(name).pw_dir)


def _ensure_proxy() -> str:
    if PROXY.exists():
        return ""
    try:
        done = subprocess.run(["bash", str(INSTALL), str(BIN.parent)], capture_output=True,
                              text=True, timeout=900)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"{INSTALL.name} did not run: {error}"
    return (done.stdout + done.stderr).strip()


def _hub_config(path: Path, **values) -> None:
    lines = [
        "# Written by tests/test_hub.py: a class on loopback.",
        "c = get_config()  # noqa: F821",
        f"c.JupyterHub.bind_url = {values['url']!r}",
        f"c.JupyterHub.hub_bind_url = {values['hub_url']!r}",
        f"c.ConfigurableHTTPProxy.command = [{str(PROXY)!r}]",
        f"c.ConfigurableHTTPProxy.api_url = {values['proxy_api']!r}",
        f"c.JupyterHub.db_url = {'sqlite:///' + str(values['state'] / 'jupyterhub.sqlite')!r}",
        f"c.JupyterHub.cookie_secret_file = {str(values['state'] / 'cookie_secret')!r}",
        f"c.JupyterHub.pid_file = {str(values['state'] / 'jupyterhub.pid')!r}",
        "c.JupyterHub.cleanup_servers = True",
        "c.JupyterHub.cleanup_proxy = True",
        "c.JupyterHub.authenticator_class = 'dummy'",
        f"c.DummyAuthenticator.password = {values['password']!r}",
        f"c.Authenticator.allowed_users = set({sorted(values['users'])!r})",
        "c.JupyterHub.spawner_class = 'localprocess'",
        f"c.Spawner.cmd = [{str(values['python'])!r}, '-m', 'jupyterhub.singleuser']",
        "c.Spawner.default_url = '/lab'",
        f"c.Spawner.start_timeout = {SPAWN}",
        f"c.Spawner.http_timeout = {SPAWN}",
        "c.Spawner.args = ['--LabApp.extension_manager=readonly',"
        " '--LabApp.expose_app_in_browser=True']",
        f"STUDENTS = set({sorted(values['students'])!r})",
        "def jupyter_config_path(spawner):",
        f"    return {values['student_path']!r} if spawner.user.name in STUDENTS else {values['instructor_path']!r}",
        "c.Spawner.environment = {'JUPYTER_CONFIG_PATH': jupyter_config_path,",
        "                         'OPENBLAS_NUM_THREADS': '1', 'MPLBACKEND': 'Agg',",
        f"                         **{values['user_env']!r}}}",
    ]
    path.write_text("\n".join(lines) + "\n")


def _nbgrader_config(folder: Path, lines: list[str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "nbgrader_config.py").write_text("c = get_config()  # noqa: F821\n" + "\n".join(lines) + "\n")
    (folder / "nbgrader_config.py").chmod(0o644)


@pytest.fixture(scope="module")
def hub(chromium):
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("the JupyterHub class needs root: it makes real Unix users (useradd) and "
                    "spawns their servers as them (LocalProcessSpawner); run the suite as root")
    for tool in ("useradd", "userdel"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed: the hub test cannot make its users")
    report = _ensure_proxy()
    if not PROXY.exists():
        pytest.skip(f"configurable-http-proxy is not installed ({PROXY} is missing) and "
                    f"scripts/install_hub.sh could not install it: {report[-600:]}")
    try:
        import jupyterhub  # noqa: F401
    except ImportError:
        pytest.fail("jupyterhub is missing from the venv: run `make setup` (it is a dev extra)")

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.iterdir():
        if old.is_file():
            old.unlink()
    _remove_leftover_users()
    tag = secrets.token_hex(2)
    instructor, students = f"teacher-{tag}", [f"ada-{tag}", f"bob-{tag}"]
    users = [instructor, *students]
    base = Path(tempfile.mkdtemp(prefix="nn-course-hub-"))
    base.chmod(0o755)  # the users traverse it to their homes and the exchange
    hub_process = None
    log = base / "state" / "jupyterhub.log"
    try:
        homes = base / "home"
        homes.mkdir(mode=0o755)
        entries = {name: _make_user(name, homes / name) for name in users}

        # nbgrader's exchange, as nbgrader documents it: writable by everyone.
        exchange = base / "exchange"
        exchange.mkdir()
        exchange.chmod(0o777)

        # The students' Jupyter configuration: the course's student UI, then the exchange.
        etc = base / "etc"
        student_site, instructor_site = etc / "students", etc / "instructor"
        _nbgrader_config(student_site, [f"c.Exchange.root = {str(exchange)!r}"])
        etc.chmod(0o755)

        # The Python the users run, and the Jupyter configuration each kind of user gets.
        python, user_env, python_note = _users_python(base, instructor)
        venv_config = str(Path(sys.prefix) / "etc" / "jupyter")
        student_path = os.pathsep.join([str(STUDENT_CONFIG), str(student_site), venv_config])
        instructor_path = os.pathsep.join([str(instructor_site), venv_config])

        # The instructor's course: the config and source/, generated as the instructor.
        teacher = entries[instructor]
        course = Path(teacher.pw_dir) / "course"
        grading.make_course_copy(PROJECT, course, [ASSIGNMENT])
        _chown_tree(course, teacher)
        _nbgrader_config(instructor_site, [f"c.Exchange.root = {str(exchange)!r}",
                                           f"c.CourseDirectory.root = {str(course)!r}"])
        generated = as_user(instructor, [python, "-m", "helpers.cli", "--course", course, "generate",
                                         ASSIGNMENT, "--no-solutions"], cwd=course, timeout=600,
                            env={**user_env, "JUPYTER_CONFIG_PATH": instructor_path})
        assert generated.returncode == 0, generated.stdout[-2000:] + generated.stderr[-3000:]
        assert (course / "release" / ASSIGNMENT / NOTEBOOK).exists()

        for name, entry in entries.items():  # the users' own settings (test-only: no news toast)
            labconfig = Path(entry.pw_dir) / ".jupyter" / "labconfig"
            labconfig.mkdir(parents=True)
            (labconfig / "page_config.json").write_text(json.dumps(TEST_ONLY_PAGE_CONFIG))
            _chown_tree(Path(entry.pw_dir) / ".jupyter", entry)

        state = base / "state"
        state.mkdir(mode=0o700)
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        password = secrets.token_urlsafe(12)
        config = state / "jupyterhub_config.py"
        _hub_config(config, url=url, hub_url=f"http://127.0.0.1:{_free_port()}",
                    proxy_api=f"http://127.0.0.1:{_free_port()}", state=state, password=password,
                    users=users, students=students, student_path=student_path,
                    instructor_path=instructor_path, python=python, user_env=user_env)
        env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
                   CONFIGPROXY_AUTH_TOKEN=secrets.token_hex(16), OPENBLAS_NUM_THREADS="1")
        with open(log, "wb") as log_file:
            hub_process = subprocess.Popen([BIN / "jupyterhub", "-f", config], cwd=state, env=env,
                                           stdout=log_file, stderr=subprocess.STDOUT,
                                           start_new_session=True)
        deadline = time.monotonic() + HUB_START
        while time.monotonic() < deadline:
            if hub_process.poll() is not None:
                pytest.fail(f"JupyterHub exited with code {hub_process.returncode}:\n{_tail(log)}")
            try:
                with urllib.request.urlopen(f"{url}/hub/api/", timeout=5) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.5)
        else:
            pytest.fail(f"JupyterHub did not answer within {HUB_START} s:\n{_tail(log)}")
        (ARTIFACTS / "python.txt").write_text(python_note + "\n")
        grader_cache = base / "grader-cache"  # root's, out of the instructor's reach
        grader_cache.mkdir(mode=0o700)
        yield Hub(url=url, instructor=instructor, students=students, password=password,
                  grader_cache=grader_cache,
                  exchange=exchange, course=course, base=base, log=log, python=python,
                  user_env={**user_env, "JUPYTER_CONFIG_PATH": student_path})
    finally:
        if hub_process is not None and hub_process.poll() is None:
            hub_process.send_signal(signal.SIGTERM)  # it stops the users' servers and its proxy
            try:
                hub_process.wait(timeout=STOP)
            except subprocess.TimeoutExpired:
                os.killpg(hub_process.pid, signal.SIGKILL)  # the group this test started
                hub_process.wait(timeout=30)
        if log.exists():
            shutil.copy(log, ARTIFACTS / "jupyterhub.log")
        for name in users:
            _remove_user(name)
        shutil.rmtree(base, ignore_errors=True)


# --- The browser ------------------------------------------------------------------------------

def _shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / name))


def _login(browser, hub: Hub, name: str):
    """A browser context of its own for ``name`` (its own cookies), logged in, JupyterLab ready."""
    context = browser.new_context(viewport={"width": 1400, "height": 950})
    context.set_default_timeout(PAGE * 1000)
    page = context.new_page()
    page.goto(f"{hub.url}/hub/login", timeout=PAGE * 1000)
    page.fill("#username_input", name)
    page.fill("#password_input", hub.password)
    page.click("#login_submit")
    page.wait_for_url(re.compile(rf"/user/{re.escape(name)}/lab"), timeout=SPAWN * 1000)
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").wait_for(timeout=PAGE * 1000)
    return context, page


def _nbgrader_menu(page) -> list[str]:
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
    menu = page.locator(".lm-Menu").last
    menu.wait_for()
    items = [t.strip() for t in
             menu.locator(".lm-Menu-item:not(.lm-mod-hidden) .lm-Menu-itemLabel").all_inner_texts()]
    return items


def _formgrader(context, hub: Hub):
    page = context.new_page()
    page.goto(f"{hub.url}/user/{hub.instructor}/formgrader/manage_assignments", timeout=PAGE * 1000)
    page.locator("tr", has_text=ASSIGNMENT).locator("td.name").wait_for()
    return page


MODAL_SHOWN = """() => {
    const modal = document.querySelector('#success-modal.in, #error-modal.in');
    const dialog = modal && modal.querySelector('.modal-dialog');
    return Boolean(dialog && getComputedStyle(modal).opacity === '1'
                   && ['none', 'matrix(1, 0, 0, 1, 0, 0)'].includes(getComputedStyle(dialog).transform));
}"""


def _formgrader_action(page, action: str, shot: str) -> str:
    """Press an assignment's button in the formgrader (``release``, ``collect``,
    ``release-feedback``) and return the text of the success dialog."""
    row = page.locator("tr", has_text=ASSIGNMENT)
    row.locator(f"td.{action} a").click()
    dialog = page.locator("#success-modal, #error-modal").first
    dialog.wait_for(state="visible", timeout=EXCHANGE * 1000)
    page.wait_for_function(MODAL_SHOWN, timeout=PAGE * 1000)  # its fade-in is over
    text = dialog.inner_text()
    _shot(page, shot)
    assert dialog.get_attribute("id") == "success-modal", text
    dialog.locator(".modal-footer button", has_text="OK").click()
    dialog.wait_for(state="detached")
    return text


def _hand_grade(grader, hub: Hub, student: str) -> None:
    """The instructor grades ``student``'s written answer in the formgrader, as a person does:
    Manual Grading, the assignment, its notebook, the submission (names shown), the score typed
    into the answer's box and saved by moving on with Tab (the formgrader saves a box when it
    changes; the test waits for the server's answer)."""
    base = f"{hub.url}/user/{hub.instructor}/formgrader"
    grader.locator("a", has_text="Manual Grading").first.click()
    grader.wait_for_url(f"{base}/gradebook")
    grader.locator("td.name a", has_text=ASSIGNMENT).click()
    grader.wait_for_url(f"{base}/gradebook/{ASSIGNMENT}")
    grader.locator("td.needs-manual-grade span").first.wait_for()  # the notebook waits for a person
    _shot(grader, "06a_formgrader_manual_grading.png")
    grader.locator("td.name a", has_text=ASSIGNMENT).click()
    grader.wait_for_url(f"{base}/gradebook/{ASSIGNMENT}/{ASSIGNMENT}")
    rows = {name: grader.locator("tr", has=grader.locator("a.name-shown", has_text=name))
            for name in hub.students}
    for row in rows.values():  # the table is loaded (names hidden, as the formgrader starts)
        row.locator("a.name-shown").wait_for(state="attached")
    grader.locator("#toggle_names").click()
    for name, row in rows.items():
        row.locator("a.name-shown").wait_for()
        flagged = row.locator("td.needs-manual-grade span").count() > 0
        assert flagged == (name == student), (name, "needs manual grade" if flagged else "graded")
    _shot(grader, "06b_formgrader_submissions.png")
    rows[student].locator("a.name-shown").click()
    grader.wait_for_url(re.compile(rf"{re.escape(base)}/submissions/[0-9a-f]+"))
    box = grader.locator(f"input.score#{WRITTEN}")
    grader.locator(f"input.score.needs_manual_grade#{WRITTEN}").wait_for()  # the grades are loaded
    box.evaluate("node => node.closest('.nbgrader_cell').scrollIntoView({block: 'center'})")
    assert OWN_ANSWER[:40] in box.locator("xpath=ancestor::div[contains(@class, 'nbgrader_cell')]").inner_text()
    _shot(grader, "06c_formgrader_written_answer.png")
    box.fill(f"{HAND_SCORE:g}")
    with grader.expect_response(lambda r: "/formgrader/api/grade/" in r.url and r.request.method == "PUT",
                                timeout=PAGE * 1000) as saved:
        box.press("Tab")
    assert saved.value.ok, saved.value.status
    stored = saved.value.json()
    assert (stored["manual_score"], stored["needs_manual_grade"]) == (HAND_SCORE, False), stored
    grader.locator(f"input.score:not(.needs_manual_grade)#{WRITTEN}").wait_for()
    _shot(grader, "06d_formgrader_written_graded.png")


def _open_assignment_list(page):
    items = _nbgrader_menu(page)
    page.locator(".lm-Menu").last.get_by_text("Assignment List", exact=True).click()
    page.locator("#released_assignments_list").wait_for()
    return items


def _row(page, section: str):
    return page.locator(f"#{section}_assignments_list .list_item:not(.nested_list_item)", has_text=ASSIGNMENT)


def _answers(buggy: bool) -> dict:
    """``{grade id: source}`` of the answer cells: the solutions' code, with the bug applied if
    buggy; the correct student also writes their own written answer (the buggy one leaves the
    stub untouched: nbgrader's 0, nothing for a person to read)."""
    solved = nbformat.read(PROJECT / "solutions" / ASSIGNMENT / NOTEBOOK, as_version=4)
    answers = {c.metadata["nbgrader"]["grade_id"]: c.source for c in solved.cells
               if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "code"}
    if buggy:
        assert set(BUG["replace"]) <= set(answers)
        answers.update(BUG["replace"])
    else:
        answers[WRITTEN] = OWN_ANSWER
    return answers


SET_ANSWERS = """(answers) => {
    const notebook = window.jupyterapp.shell.currentWidget.content;
    let written = 0;
    for (const cell of notebook.widgets) {
        const meta = cell.model.getMetadata('nbgrader');
        if (meta && meta.solution && meta.grade_id in answers) {
            cell.model.sharedModel.setSource(answers[meta.grade_id]);
            written += 1;
        }
    }
    return written;
}"""
CELL_INDEX = """(gradeId) => window.jupyterapp.shell.currentWidget.content.widgets.findIndex(
    cell => (cell.model.getMetadata('nbgrader') || {}).grade_id === gradeId)"""


def _cell(page, grade_id: str):
    """The cell of the open notebook whose nbgrader grade id is ``grade_id``."""
    index = page.evaluate(CELL_INDEX, grade_id)
    assert index >= 0, f"no cell {grade_id} in the open notebook"
    return page.locator(".jp-NotebookPanel .jp-Cell").nth(index)


SAVED = """() => {
    const panel = window.jupyterapp.shell.currentWidget;
    return Boolean(panel && panel.context && !panel.context.model.dirty);
}"""


def _student_works_and_submits(page, hub: Hub, name: str, buggy: bool, step: str) -> None:
    items = _open_assignment_list(page)
    assert items == ["Assignment List"], f"{name} sees instructor tools: {items}"
    commands = page.evaluate("""() => ['nbgrader:open-formgrader', 'nbgrader:open-course-list',
        'nbgrader:open-create-assignment'].filter(id => window.jupyterapp.commands.hasCommand(id))""")
    assert commands == [], f"{name} has instructor commands: {commands}"
    formgrader = page.request.get(f"{hub.url}/user/{name}/formgrader")
    assert formgrader.status == 404, f"{name}'s server serves the formgrader ({formgrader.status})"
    released = _row(page, "released")
    released.wait_for(timeout=EXCHANGE * 1000)
    _shot(page, f"{step}a_{'buggy' if buggy else 'correct'}_student_assignment_list.png")
    released.get_by_role("button", name="Fetch").click()
    _row(page, "fetched").wait_for(timeout=EXCHANGE * 1000)
    _shot(page, f"{step}b_{'buggy' if buggy else 'correct'}_student_fetched.png")

    # Work: open the fetched notebook, write the answers, run everything, save.
    page.evaluate(f"() => window.jupyterapp.commands.execute('docmanager:open', "
                  f"{{path: '{ASSIGNMENT}/{NOTEBOOK}'}})")
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell")
    page.wait_for_function(KERNEL_IDLE, timeout=KERNEL * 1000)
    answers = _answers(buggy)
    written = page.evaluate(SET_ANSWERS, answers)
    assert written == len(answers), (written, len(answers))
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(
        """() => { const cells = [...document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell .jp-InputArea-prompt')];
                   return cells.length > 0 && cells.every(p => !p.textContent.includes('*')); }""",
        timeout=KERNEL * 1000)
    page.wait_for_function(KERNEL_IDLE, timeout=KERNEL * 1000)
    if buggy:  # the failing visible check
        [zeroed] = BUG["expected"]
        failing = _cell(page, zeroed).locator(
            ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").first
        failing.evaluate("node => node.scrollIntoView({block: 'center'})")
    else:  # the written answer, in the student's own words
        written = _cell(page, WRITTEN)
        written.filter(has_text=OWN_ANSWER[:40]).wait_for()
        written.evaluate("node => node.scrollIntoView({block: 'center'})")
    _shot(page, f"{step}c_{'buggy' if buggy else 'correct'}_student_worked.png")
    page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
    page.wait_for_function(SAVED, timeout=PAGE * 1000)

    # Submit from the Assignment List.
    page.evaluate("() => window.jupyterapp.commands.execute('nbgrader:open-assignment-list')")
    fetched = _row(page, "fetched")
    fetched.get_by_role("button", name="Submit").click()
    _row(page, "submitted").wait_for(timeout=EXCHANGE * 1000)
    _shot(page, f"{step}d_{'buggy' if buggy else 'correct'}_student_submitted.png")


def _student_reads_feedback(page, hub: Hub, name: str, buggy: bool, step: str) -> str:
    page.evaluate("() => window.jupyterapp.commands.execute('nbgrader:open-assignment-list')")
    page.locator("#refresh_assignments_list").click()
    submitted = _row(page, "submitted")
    submitted.filter(has_text="feedback available to fetch").wait_for(timeout=EXCHANGE * 1000)
    submitted.get_by_role("button", name="Fetch Feedback").click()
    view = _row(page, "submitted").get_by_text("(view feedback)")
    view.wait_for(timeout=EXCHANGE * 1000)
    view.click()
    _shot(page, f"{step}a_{'buggy' if buggy else 'correct'}_student_feedback_fetched.png")
    listing = page.request.get(f"{hub.url}/user/{name}/api/contents/{ASSIGNMENT}/feedback")
    assert listing.ok, listing.status
    [stamp] = [item["name"] for item in listing.json()["content"] if item["type"] == "directory"]
    feedback = page.context.new_page()
    feedback.goto(f"{hub.url}/user/{name}/files/{ASSIGNMENT}/feedback/{stamp}/{ASSIGNMENT}.html")
    feedback.locator("h1").first.wait_for()
    _shot(feedback, f"{step}b_{'buggy' if buggy else 'correct'}_student_feedback_page.png")
    text = feedback.locator("body").inner_text()
    if buggy:  # the table of contents leads to the failing cell and its explanation
        [zeroed] = BUG["expected"]
        feedback.locator(f"#toc a[href='#{zeroed}']").click()
        feedback.wait_for_function(f"() => window.location.hash === '#{zeroed}'")
        _shot(feedback, f"{step}c_buggy_student_feedback_explanation.png")
    feedback.close()
    return text


# --- The test -----------------------------------------------------------------------------------

def _grades(course: Path) -> dict:
    with open(course / "reports" / "grades.csv", newline="") as handle:
        return {row["student"]: row for row in csv.DictReader(handle)}


@pytest.mark.slow
def test_a_class_on_jupyterhub(hub, chromium):
    from playwright.sync_api import sync_playwright

    correct, buggy = hub.students
    cells = points(ASSIGNMENT)
    total = sum(cells.values())
    timings = {}
    started = time.monotonic()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), headless=True,
                                             args=CHROMIUM_ARGS)
        contexts = []
        page = None
        try:
            # 1. The instructor: nbgrader's whole UI; release from the formgrader.
            teacher, page = _login(browser, hub, hub.instructor)
            contexts.append(teacher)
            items = _nbgrader_menu(page)
            _shot(page, "01_instructor_nbgrader_menu.png")
            page.keyboard.press("Escape")
            assert "Formgrader" in items and "Assignment List" in items, items
            grader = _formgrader(teacher, hub)
            page = grader
            _shot(page, "02a_formgrader_before_release.png")
            _formgrader_action(grader, "release", "02b_formgrader_released.png")
            assert (hub.exchange / COURSE_ID / "outbound" / ASSIGNMENT / NOTEBOOK).exists()
            timings["release"] = time.monotonic() - started

            # 2. Each student: log in, fetch, work, submit.
            pages = {}
            for step, (name, is_buggy) in (("03", (correct, False)), ("04", (buggy, True))):
                context, page = _login(browser, hub, name)
                contexts.append(context)
                pages[name] = page
                _student_works_and_submits(page, hub, name, is_buggy, step)
            timings["students submitted"] = time.monotonic() - started

            # 3. The instructor collects, grades with `course grade`, releases the feedback.
            page = grader
            grader.reload()
            grader.locator("tr", has_text=ASSIGNMENT).locator("td.name").wait_for()
            _formgrader_action(grader, "collect", "05_formgrader_collected.png")
            collected = sorted(p.name for p in (hub.course / "submitted").iterdir() if p.is_dir())
            assert collected == sorted(hub.students), collected
            graded = _course_grade(hub, "course-grade.log")
            timings["graded"] = time.monotonic() - started
            grades = _grades(hub.course)
            [zeroed] = BUG["expected"]
            # The correct student's written answer waits for a person; the buggy one's untouched
            # stub gets nbgrader's 0 and does not.
            _check_grades(grades[correct], score=total, waiting=WRITTEN, written="")
            _check_grades(grades[buggy], score=total - cells[zeroed], waiting="", written="0")
            assert "wait for a person" in graded and f"{total:g}/{total + WRITTEN_MAX:g} ?" in graded, graded
            for name in hub.students:
                assert grades[name]["sandbox"] == "full sandbox", grades[name]
            _check_sandbox_records(hub)

            # The instructor grades the written answer by hand in the formgrader, then runs
            # `course grade` again: it resumes and reads the person's score.
            _hand_grade(grader, hub, correct)
            regraded = _course_grade(hub, "course-grade-after-hand-grading.log")
            timings["hand graded"] = time.monotonic() - started
            assert f"resuming: {len(hub.students)} submission(s)" in regraded, regraded
            assert "wait for a person" not in regraded and " ?" not in regraded, regraded
            grades = _grades(hub.course)
            _check_grades(grades[correct], score=total + HAND_SCORE, waiting="", written=f"{HAND_SCORE:g}")
            _check_grades(grades[buggy], score=total - cells[zeroed], waiting="", written="0")
            _check_gradebook(hub, correct)
            grader.goto(f"{hub.url}/user/{hub.instructor}/formgrader/manage_assignments")
            row = grader.locator("tr", has_text=ASSIGNMENT)
            row.locator("td.release-feedback a").wait_for()
            _formgrader_action(grader, "release-feedback", "06e_formgrader_feedback_released.png")

            # 4. Each student reads their own feedback.
            texts = {}
            for step, (name, is_buggy) in (("07", (correct, False)), ("08", (buggy, True))):
                page = pages[name]
                texts[name] = _student_reads_feedback(page, hub, name, is_buggy, step)
            timings["feedback read"] = time.monotonic() - started
            _check_explanation(hub, texts)

            # 5. Isolation between students, through the hub.
            page = pages[buggy]
            _isolation_through_the_hub(hub, pages)
        except BaseException:
            if page is not None:
                try:
                    _shot(page, "failure.png")
                except Exception:  # noqa: BLE001 - the original error matters more
                    pass
            raise
        finally:
            for context in contexts:
                context.close()
            browser.close()

    # 5. Isolation between students, as Unix users.
    _isolation_on_disk(hub)
    timings["done"] = time.monotonic() - started
    (ARTIFACTS / "timings.json").write_text(json.dumps({k: round(v, 1) for k, v in timings.items()}, indent=2))
    # Last, so that every step above is checked whatever happens here: each student's page shows
    # the final score, the hand-given one included.
    _check_feedback_scores(texts, grades, total + WRITTEN_MAX)


def _course_grade(hub: Hub, log: str) -> str:
    """``course grade`` on what nbgrader collected, as root (the sandbox needs it), the way
    docs/jupyterhub.md says; then the course folder goes back to the instructor."""
    done = subprocess.run([BIN / "course", "--course", hub.course, "grade", hub.course / "submitted",
                           "-a", ASSIGNMENT, "-j", "2"],
                          cwd=hub.course, capture_output=True, text=True, timeout=GRADE,
                          env=dict(os.environ, OPENBLAS_NUM_THREADS="1", MPLBACKEND="Agg",
                                   COURSE_CACHE_DIR=str(hub.grader_cache)))
    output = done.stdout + done.stderr
    (ARTIFACTS / log).write_text(output)
    assert done.returncode == 0, output[-4000:]
    _chown_tree(hub.course, pwd.getpwnam(hub.instructor))
    return output


def _check_sandbox_records(hub: Hub) -> None:
    """What the grader recorded for each submission: its kernel and its re-check, both run in
    the full sandbox (the records live in root's cache, out of the instructor's folder)."""
    seen = {}
    for name in hub.students:
        [path] = hub.grader_cache.glob(f"records/*/{name}/{ASSIGNMENT}.json")
        record = json.loads(path.read_text())
        entries = record["payload"]["outcome"]["sandbox"]
        seen[name] = [(e["mode"], e["program"]) for e in entries]
        assert entries and all(e["mode"] == "sandbox" for e in entries), seen[name]
    (ARTIFACTS / "sandbox-records.json").write_text(json.dumps(seen, indent=2))
    for name, programs in seen.items():
        assert any("recheck" in program for _, program in programs), (name, programs)
        assert any("kernel" in program for _, program in programs), (name, programs)


def _check_grades(row: dict, score: float, waiting: str, written: str) -> None:
    """One row of ``reports/grades.csv``: the score (written answers graded so far included), the
    maximum (with the written answer), who waits for a person, the written answer's column."""
    assert (float(row["score"]), float(row["max_score"])) == (score, sum(points(ASSIGNMENT).values()) + WRITTEN_MAX), row
    assert (row["waiting_for_a_person"], row[reports.exercise_column(ASSIGNMENT, WRITTEN)]) == (waiting, written), row


def _check_gradebook(hub: Hub, student: str) -> None:
    """What the formgrader stored, read back from the gradebook ``course grade`` fills."""
    from nbgrader.api import Gradebook

    config = grading.load_config(hub.course)
    with Gradebook(f"sqlite:///{hub.course / 'gradebook.db'}", config.CourseDirectory.course_id) as gb:
        grade = gb.find_grade(WRITTEN, ASSIGNMENT, ASSIGNMENT, student)
        assert (grade.manual_score, grade.needs_manual_grade) == (HAND_SCORE, False), \
            (grade.manual_score, grade.needs_manual_grade)


def _check_feedback_scores(texts: dict, grades: dict, maximum: float) -> None:
    """Each student's page: its heading's score is the one `course grade` reported last, and the
    written answer's panel shows the score a person gave (nbgrader's 0 for an untouched stub)."""
    for name, text in texts.items():
        score = float(grades[name]["score"])
        heading = re.search(r"Score:\s*([\d.]+)\s*/\s*([\d.]+)", text)
        assert heading, text[:1500]
        assert (float(heading.group(1)), float(heading.group(2))) == (score, maximum), \
            (name, heading.group(0), "expected", score, maximum)
        panel = re.search(r"Written response\s*\(Score:\s*([\d.]+)\s*/\s*([\d.]+)\)", text)
        assert panel, (name, text[:1500])
        given = float(grades[name][reports.exercise_column(ASSIGNMENT, WRITTEN)])
        assert (float(panel.group(1)), float(panel.group(2))) == (given, WRITTEN_MAX), \
            (name, panel.group(0), "expected", given, WRITTEN_MAX)


def _check_explanation(hub: Hub, texts: dict) -> None:
    """The buggy student's page explains the failing cell: the error the graded notebook holds;
    the correct student's does not."""
    correct, buggy = hub.students
    [zeroed] = BUG["expected"]
    graded = nbformat.read(hub.course / "autograded" / buggy / ASSIGNMENT / NOTEBOOK, as_version=4)
    [cell] = [c for c in graded.cells if c.metadata.get("nbgrader", {}).get("grade_id") == zeroed]
    errors = [o for o in cell.outputs if o.output_type == "error"]
    assert errors, cell.outputs
    explanation = errors[0].evalue.strip().splitlines()[0]
    assert explanation and explanation in texts[buggy], (explanation, texts[buggy][:3000])
    assert explanation not in texts[correct]


def _isolation_through_the_hub(hub: Hub, pages: dict) -> None:
    correct, buggy = hub.students
    for reader, owner in ((buggy, correct), (correct, buggy)):
        page = pages[reader]
        for path in (f"api/contents/{ASSIGNMENT}/{NOTEBOOK}", f"api/contents/{ASSIGNMENT}/feedback",
                     f"files/{ASSIGNMENT}/{NOTEBOOK}"):
            response = page.request.get(f"{hub.url}/user/{owner}/{path}", max_redirects=10)
            assert response.status == 403, (reader, owner, path, response.status, response.url)
            assert '"cells"' not in response.text()
        response = page.request.get(f"{hub.url}/user/{hub.instructor}/formgrader", max_redirects=10)
        assert response.status == 403, (reader, "formgrader", response.status, response.url)
    _shot(pages[buggy], "09_isolation_checked.png")


ISOLATION_PROBE = r"""
import json, os, sys
result = {}
for key, path in json.loads(sys.argv[1]).items():
    try:
        if os.path.isdir(path):
            os.listdir(path)
        else:
            open(path, 'rb').read(1)
        result[key] = 'allowed'
    except PermissionError:
        result[key] = 'denied'
    except FileNotFoundError:
        result[key] = 'missing'
print(json.dumps(result))
"""


def _isolation_on_disk(hub: Hub) -> None:
    correct, buggy = hub.students
    inbound = hub.exchange / COURSE_ID / "inbound"
    feedback = hub.exchange / COURSE_ID / "feedback"
    # nbgrader's protection of a submission: a folder no student can list, and a name no student
    # can guess (<student>+<assignment>+<timestamp>+<72 random bits>; its files are world-readable).
    names = sorted(os.listdir(inbound))
    assert len(names) == 2 and all(len(n.split("+")) == 4 and len(n.split("+")[3]) == 12 for n in names), names
    for reader, owner in ((buggy, correct), (correct, buggy)):
        owner_home = hub.home(owner)
        targets = {
            "exchange inbound (every submission)": str(inbound),
            "exchange feedback (every student's feedback)": str(feedback),
            "the other student's home": str(owner_home),
            "the other student's notebook": str(owner_home / ASSIGNMENT / NOTEBOOK),
            "the instructor's course": str(hub.course),
            "the instructor's gradebook": str(hub.course / "gradebook.db"),
        }
        done = as_user(reader, [hub.python, "-c", ISOLATION_PROBE, json.dumps(targets)], timeout=60)
        assert done.returncode == 0, done.stderr[-2000:]
        result = json.loads(done.stdout)
        assert result == {key: "denied" for key in targets}, (reader, result)

        # nbgrader's own command, as the student: fetching feedback again brings only their own.
        fetched = as_user(reader, [hub.python, "-m", "nbgrader", "fetch_feedback", ASSIGNMENT,
                                   "--course", COURSE_ID], timeout=120, env=hub.user_env)
        assert fetched.returncode == 0, fetched.stdout[-2000:] + fetched.stderr[-2000:]
        pages = sorted(p.relative_to(hub.home(reader)) for p in
                       (hub.home(reader) / ASSIGNMENT / "feedback").rglob("*.html"))
        assert [p.name for p in pages] == [f"{ASSIGNMENT}.html"], pages
        listed = as_user(reader, [hub.python, "-m", "nbgrader", "list", "--inbound", "--course", COURSE_ID],
                         timeout=120, env=hub.user_env)
        assert owner not in listed.stdout + listed.stderr, listed.stdout[-2000:]


def test_the_student_configuration_is_the_one_the_course_defines(tmp_path):
    """``student_jupyter/`` (what the hub's student servers, bundles and self-learners use) holds
    exactly what :func:`helpers.bundles.student_jupyter_config` writes."""
    from helpers import bundles

    written = bundles.student_jupyter_config(tmp_path / "config")
    expected = {p.relative_to(written): p.read_text() for p in written.rglob("*") if p.is_file()}
    committed = {p.relative_to(STUDENT_CONFIG): p.read_text() for p in STUDENT_CONFIG.rglob("*") if p.is_file()}
    assert committed == expected, "student_jupyter/ differs from helpers.bundles.student_jupyter_config"
