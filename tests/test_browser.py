"""A real JupyterLab, as students have it, driven by Debian's Chromium through Playwright.

The test starts JupyterLab on 127.0.0.1 with nbgrader's extensions configured the way a course
gives them to students (``helpers.bundles.student_jupyter_config``: Validate and the assignment
list on; the formgrader, course list and "Create Assignment" panels off and locked, their
server side not loaded), opens a copy of ``release/01_notation/01_notation.ipynb``, and does
what a student does:

1. Run All: the first check stops with "image2vector() is not written yet";
2. types an answer into ``image2vector``'s cell, runs it and its check: "All checks passed";
3. presses nbgrader's Validate: the dialog lists the checks still failing, not this one.

A second test opens the Chinese edition of the same notebook (made from the translation, with
``.course-language`` saying ``zh`` beside it, as a Chinese bundle has it) in the same server and
does steps 1 and 2: the check says "image2vector() 还没有写" and then "全部检查通过：image2vector。".

Screenshots of every step go to ``test-artifacts/browser/`` (the Chinese test's named ``zh_…``),
with the server's log, and ``failure.png`` / ``zh_failure.png`` when a step fails. Chromium and a
CJK font come from Debian's packages (``scripts/install_browser.sh``, run by ``make test``; run
here once more when Chromium is missing); nothing is downloaded at run time. The tests assert on
the page's text, not its pixels: without the font the Chinese screenshots show boxes and the test
still passes. They are skipped only where Chromium cannot be installed.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pytest

from helpers import bundles, notebooks, translations, wording
from conftest import PROJECT

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
INSTALL = PROJECT / "scripts" / "install_browser.sh"
ARTIFACTS = PROJECT / "test-artifacts" / "browser"
NOTEBOOK = PROJECT / "release" / "01_notation" / "01_notation.ipynb"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# Test-only: no "Would you like to receive Jupyter news?" toast over the screenshots.
TEST_ONLY_DISABLED = ("@jupyterlab/apputils-extension:announcements",)

ANSWER = '''def image2vector(image):
    """Flatten one image into a column vector of shape (h*w*c, 1)."""
    v = image.reshape(-1, 1)
    return v
'''

# The Chinese edition (简体中文) of the same notebook, in a folder of its own: the
# ``.course-language`` file beside it makes the checks speak Chinese there and nowhere else.
ZH_FOLDER = "zh"
ZH_PREFIX = "zh_"
ZH_ANSWER = '''def image2vector(image):
    """把一张图像展平成一个列向量，形状为 (h*w*c, 1)。"""
    v = image.reshape(-1, 1)
    return v
'''

# Generous limits: the machine has two shared cores and other suites may run beside this one.
SERVER_START = 240
PAGE = 180
KERNEL = 300
RUN = 300
VALIDATE = 600


# --- Set-up: Chromium, Playwright, a JupyterLab server ----------------------------------------

def _run_install_script() -> str:
    try:
        done = subprocess.run(["bash", str(INSTALL), str(Path(sys.executable).parents[1])],
                              capture_output=True, text=True, timeout=1800)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"{INSTALL.name} did not run: {error}"
    return (done.stdout + done.stderr).strip()


@pytest.fixture(scope="module")
def chromium() -> Path:
    """Debian's Chromium, installed by the project's set-up if it is not there yet."""
    report = ""
    if not CHROMIUM.exists():
        report = _run_install_script()
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed ({CHROMIUM} is missing) and "
                    f"scripts/install_browser.sh could not install it: {report[-600:]}")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        report = _run_install_script()
        try:
            import playwright.sync_api  # noqa: F401,F811
        except ImportError:
            pytest.fail("the pip package `playwright` is missing and scripts/install_browser.sh "
                        f"could not install it: {report[-600:]}")
    return CHROMIUM


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, timeout: float = 10) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _tail(path: Path, chars: int = 3000) -> str:
    try:
        return path.read_text(errors="replace")[-chars:]
    except OSError:
        return ""


class Lab:
    """A running JupyterLab: ``url`` (ends with /), ``token``, ``work`` (its root folder)."""

    def __init__(self, url: str, token: str, work: Path, log: Path):
        self.url, self.token, self.work, self.log = url, token, work, log

    def api(self, path: str, method: str = "GET"):
        request = urllib.request.Request(f"{self.url}{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
        return json.loads(body) if body else None


@pytest.fixture(scope="module")
def lab(chromium, tmp_path_factory):
    """JupyterLab on 127.0.0.1 with the students' configuration, serving a copy of 01_notation."""
    root = tmp_path_factory.mktemp("lab")
    work, config, runtime = root / "work", root / "config", root / "runtime"
    for folder in (work, runtime, root / "data", root / "ipython"):
        folder.mkdir()
    shutil.copy(NOTEBOOK, work / NOTEBOOK.name)
    bundles.student_jupyter_config(config, extra_disabled=TEST_ONLY_DISABLED)

    token = secrets.token_hex(16)
    env = dict(os.environ,
               JUPYTER_CONFIG_DIR=str(config), JUPYTER_DATA_DIR=str(root / "data"),
               JUPYTER_RUNTIME_DIR=str(runtime), IPYTHONDIR=str(root / "ipython"),
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    command = [sys.executable, "-m", "jupyterlab", "--no-browser",
               "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={_free_port()}",
               "--ServerApp.port_retries=20", f"--ServerApp.root_dir={work}",
               f"--IdentityProvider.token={token}",
               "--LabApp.extension_manager=readonly",     # no PyPI look-ups from the page
               "--LabApp.expose_app_in_browser=True"]     # lets the test read kernel state
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = root / "jupyter-server.log"
    with open(log, "wb") as log_file:
        server = subprocess.Popen(command, cwd=work, env=env, stdout=log_file,
                                  stderr=subprocess.STDOUT, start_new_session=True)
    url = None
    try:
        deadline = time.monotonic() + SERVER_START
        while time.monotonic() < deadline:
            if server.poll() is not None:
                pytest.fail(f"JupyterLab exited with code {server.returncode}:\n{_tail(log)}")
            info = runtime / f"jpserver-{server.pid}.json"
            if url is None and info.exists():
                try:
                    url = json.loads(info.read_text())["url"]
                except (ValueError, KeyError):
                    url = None
            if url and _get(f"{url}api/status?token={token}") == 200:
                break
            time.sleep(0.5)
        else:
            pytest.fail(f"JupyterLab did not answer within {SERVER_START} s:\n{_tail(log)}")
        assert url.startswith("http://127.0.0.1:"), f"JupyterLab must listen on localhost only: {url}"
        yield Lab(url, token, work, log)
    finally:
        if url and server.poll() is None:  # shut the kernels down first, then the server
            lab_api = Lab(url, token, work, log)
            try:
                for kernel in lab_api.api("api/kernels"):
                    lab_api.api(f"api/kernels/{kernel['id']}", method="DELETE")
            except (OSError, ValueError):
                pass
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)  # the server shuts its kernels down and exits
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)  # the group this test started
                server.wait(timeout=30)
        shutil.copy(log, ARTIFACTS / "jupyter-server.log")


# --- The student's session --------------------------------------------------------------------

KERNEL_IDLE = """() => {
    const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
    const session = panel && panel.sessionContext && panel.sessionContext.session;
    return Boolean(session && session.kernel && session.kernel.status === 'idle');
}"""


def _shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / name))


@contextlib.contextmanager
def _browser_page(chromium: Path, tmp_path: Path, failure: str):
    """A page of a fresh headless Chromium; a screenshot named ``failure`` when a step fails."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"), executable_path=str(chromium), headless=True,
            args=CHROMIUM_ARGS, viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(PAGE * 1000)
        try:
            yield page
        except BaseException:
            try:
                _shot(page, failure)
            except Exception:  # noqa: BLE001 - the original error matters more
                pass
            raise
        finally:
            context.close()


def test_student_runs_fixes_and_validates_in_jupyterlab(lab, chromium, tmp_path):
    for old in ARTIFACTS.glob("*.png"):
        if not old.name.startswith(ZH_PREFIX):  # the Chinese test's screenshots are its own
            old.unlink()

    with _browser_page(chromium, tmp_path, failure="failure.png") as page:
        _student_session(page, lab)

    # Validate saved the notebook first: the file on disk holds the answer.
    saved = nbformat.read(lab.work / NOTEBOOK.name, as_version=4)
    answer_cell = next(c for c in saved.cells if c.get("id") == "image2vector")
    assert "image.reshape(-1, 1)" in answer_cell.source
    assert "NotImplementedError" not in answer_cell.source


def _student_session(page, lab: Lab) -> None:
    # 1. Open the notebook; wait for its kernel and its rendered text.
    page.goto(f"{lab.url}lab/tree/{NOTEBOOK.name}?token={lab.token}", timeout=PAGE * 1000)
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell")
    page.wait_for_function(KERNEL_IDLE, timeout=KERNEL * 1000)
    page.locator(".jp-RenderedMarkdown h1").first.wait_for()
    _shot(page, "01_notebook_opened.png")

    # 2. What students see of nbgrader: Validate and the assignment list, no instructor panel.
    validate = page.locator(".jp-NotebookPanel-toolbar .validate-button")
    validate.wait_for()
    commands = page.evaluate("""() => Object.fromEntries([
        'nbgrader:open-assignment-list', 'nbgrader:open-formgrader', 'nbgrader:open-formgrader-local',
        'nbgrader:open-course-list', 'nbgrader:open-create-assignment'
    ].map(id => [id, window.jupyterapp.commands.hasCommand(id)]))""")
    assert commands == {"nbgrader:open-assignment-list": True, "nbgrader:open-formgrader": False,
                        "nbgrader:open-formgrader-local": False, "nbgrader:open-course-list": False,
                        "nbgrader:open-create-assignment": False}, commands
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
    menu = page.locator(".lm-Menu").last
    menu.wait_for()
    visible_items = [text.strip() for text in
                     menu.locator(".lm-Menu-item:not(.lm-mod-hidden) .lm-Menu-itemLabel").all_inner_texts()]
    _shot(page, "02_nbgrader_menu_student.png")
    page.keyboard.press("Escape")
    assert visible_items == ["Assignment List"], visible_items
    tabs = page.locator(".jp-SideBar .lm-TabBar-tab").evaluate_all(
        "tabs => tabs.map(t => (t.getAttribute('title') || '') + ' ' + t.textContent)")
    assert not [t for t in tabs if "Create Assignment" in t or "Formgrader" in t], tabs
    config = json.loads(page.locator("#jupyter-config-data").text_content())
    for plugin in bundles.INSTRUCTOR_LAB_PLUGINS:
        assert plugin in config["disabledExtensions"] and plugin in config["lockedExtensions"], plugin
    assert _get(f"{lab.url}formgrader?token={lab.token}") == 404, "the formgrader is served to students"

    # 3. Run All: the first check stops on the stub with its explanation.
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").click()
    page.locator(".lm-Menu").get_by_text("Run All Cells", exact=True).click()
    answer = page.locator(".jp-CodeCell").filter(has_text="def image2vector(image):")
    check = page.locator(".jp-CodeCell").filter(has_text='checks.passed("image2vector")')
    error = check.locator(".jp-OutputArea-output").filter(has_text="image2vector() is not written yet")
    error.wait_for(timeout=RUN * 1000)
    assert "CheckFailure" in error.text_content()
    page.wait_for_function(KERNEL_IDLE, timeout=KERNEL * 1000)
    error.evaluate("node => node.scrollIntoView({block: 'end'})")
    _shot(page, "03_run_all_check_explains.png")

    # 4. Type the answer: click into the cell's editor, select all, type the whole function.
    editor = answer.locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(ANSWER)
    typed = page.evaluate("() => window.jupyterapp.shell.currentWidget.content.activeCell.model.sharedModel.getSource()")
    assert typed.strip() == ANSWER.strip(), typed
    answer.evaluate("node => node.scrollIntoView({block: 'start'})")
    _shot(page, "04_answer_typed.png")

    # 5. Run the cell, then its check (Shift+Enter runs a cell and selects the next one).
    page.keyboard.press("Shift+Enter")
    page.keyboard.press("Shift+Enter")
    check.locator(".jp-OutputArea-output").filter(has_text="All checks passed: image2vector.").wait_for(
        timeout=RUN * 1000)
    page.wait_for_function(KERNEL_IDLE, timeout=KERNEL * 1000)
    assert check.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
    answer.evaluate("node => node.scrollIntoView({block: 'start'})")
    _shot(page, "05_check_passes.png")

    # 6. Validate (saves, then runs the whole notebook on the server): the dialog lists the
    #    checks still failing, with their explanations, and not the one just fixed.
    validate.click()
    dialog = page.locator(".jp-Dialog").filter(has_text="Validation Results")
    dialog.wait_for(timeout=VALIDATE * 1000)
    body = dialog.locator(".jp-Dialog-body").inner_text()
    _shot(page, "06_validate_dialog.png")
    assert "The following cell failed" in body, body[:2000]
    assert "images_to_matrix() is not written yet" in body, body[:2000]
    assert 'checks.passed("image2vector")' not in body, "Validate reports the fixed check as failing"
    dialog.get_by_role("button", name="Ok").click()
    dialog.wait_for(state="detached")


# --- The same session in the Chinese edition ---------------------------------------------------

def _chinese_notebook(work: Path) -> str:
    """Writes the Chinese edition of 01_notation and ``.course-language`` ("zh") into
    ``work/zh/``, as a Chinese bundle has them; returns the notebook's path under ``work``."""
    english = notebooks.read(NOTEBOOK)
    chinese = translations.apply(english, translations.load(PROJECT, "zh", "01_notation"))
    folder = work / ZH_FOLDER
    notebooks.write(chinese, folder / NOTEBOOK.name)
    (folder / wording.LANGUAGE_FILE).write_text("zh\n", encoding="utf-8")
    return f"{ZH_FOLDER}/{NOTEBOOK.name}"


def _scroll_to(locator, block: str) -> None:
    """Scrolls ``locator`` into view, and again two frames later: the notebook lays out the
    cells above it as they come into view, which moves it after the first scroll."""
    locator.evaluate("""(node, block) => new Promise(resolve => {
        node.scrollIntoView({block});
        requestAnimationFrame(() => requestAnimationFrame(() => { node.scrollIntoView({block}); resolve(); }));
    })""", block)


def test_student_sees_chinese_checks_in_the_chinese_edition(lab, chromium, tmp_path):
    for old in ARTIFACTS.glob(f"{ZH_PREFIX}*.png"):
        old.unlink()
    notebook = _chinese_notebook(lab.work)

    with _browser_page(chromium, tmp_path, failure=f"{ZH_PREFIX}failure.png") as page:
        _chinese_session(page, lab, notebook)


def _chinese_session(page, lab: Lab, notebook: str) -> None:
    # 1. Open the Chinese notebook alone (``reset``: JupyterLab would otherwise restore the
    #    English test's tab from the server's workspace); its title is the translated one.
    page.goto(f"{lab.url}lab/tree/{notebook}?reset&token={lab.token}", timeout=PAGE * 1000)
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell")
    page.wait_for_function(KERNEL_IDLE, timeout=KERNEL * 1000)
    assert page.locator(".jp-NotebookPanel").count() == 1, "another notebook is open beside the Chinese one"
    title = page.locator(".jp-RenderedMarkdown h1").first
    title.wait_for()
    assert "记号" in title.text_content(), title.text_content()
    _shot(page, f"{ZH_PREFIX}01_notebook_opened.png")

    # 2. Run All: the first check stops on the stub, and says so in Chinese.
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").click()
    page.locator(".lm-Menu").get_by_text("Run All Cells", exact=True).click()
    answer = page.locator(".jp-CodeCell").filter(has_text="def image2vector(image):")
    check = page.locator(".jp-CodeCell").filter(has_text='checks.passed("image2vector")')
    error = check.locator(".jp-OutputArea-output").filter(has_text="还没有写")
    error.wait_for(timeout=RUN * 1000)
    page.wait_for_function(KERNEL_IDLE, timeout=KERNEL * 1000)
    text = error.text_content()
    assert "CheckFailure" in text and "image2vector() 还没有写" in text, text
    assert "is not written yet" not in text, f"the check spoke English in the Chinese edition: {text}"
    _scroll_to(error, "end")
    _shot(page, f"{ZH_PREFIX}02_run_all_check_explains.png")

    # 3. Type the answer (a Chinese docstring too) into image2vector's cell.
    answer.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(ZH_ANSWER)
    typed = page.evaluate("() => window.jupyterapp.shell.currentWidget.content.activeCell.model.sharedModel.getSource()")
    assert typed.strip() == ZH_ANSWER.strip(), typed
    _scroll_to(answer, "start")
    _shot(page, f"{ZH_PREFIX}03_answer_typed.png")

    # 4. Run the cell, then its check: the verdict is the Chinese one.
    page.keyboard.press("Shift+Enter")
    page.keyboard.press("Shift+Enter")
    check.locator(".jp-OutputArea-output").filter(has_text="全部检查通过：image2vector。").wait_for(
        timeout=RUN * 1000)
    page.wait_for_function(KERNEL_IDLE, timeout=KERNEL * 1000)
    assert check.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
    assert "All checks passed" not in check.locator(".jp-OutputArea").text_content()
    _scroll_to(answer, "start")
    _shot(page, f"{ZH_PREFIX}04_check_passes.png")
