"""Plumbing around the sandbox's core: describing a sandbox (:func:`spec`), starting one in a
fresh process (:func:`command`, :func:`run_python`), and whether this machine has it at all
(:func:`available`). The fork server (:mod:`helpers.sandbox.forkserver`) starts the same
sandboxes faster; both go through :func:`helpers.sandbox.core.start`.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import secrets
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from dataclasses import dataclass
from pathlib import Path

from helpers.sandbox import core
from helpers.sandbox.core import Limits
from helpers.sandbox.record import SANDBOX_UIDS, Enforcement

#: Where the trusted side appends each sandbox's :class:`Enforcement` record (one JSON line),
#: when set in the grader's environment: a file no sandbox can see (the grader sets it per
#: submission; sandboxes never inherit the grader's environment).
RECORD_ENV = "COURSE_SANDBOX_RECORD"

#: Variables that choose OpenBLAS's compute kernel, passed from the grader into every sandbox
#: and fork server: the sandboxed kernel and the trusted re-check (which runs in the grader's
#: process) then sum matrix products in the same order, whatever kernel the machine forces.
BLAS_CHOICE = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


def blas_env() -> dict:
    """One BLAS thread, and the grader's own kernel choice (:data:`BLAS_CHOICE`) where set."""
    chosen = {name: os.environ[name] for name in BLAS_CHOICE if os.environ.get(name)}
    return {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", **chosen}


def python_paths() -> dict:
    """Paths a sandboxed Python needs: its base prefix, and site-packages of this environment."""
    return {
        "prefix": Path(sys.base_prefix).resolve(),
        "executable": Path(sys.base_prefix).resolve() / "bin" / f"python{sys.version_info[0]}.{sys.version_info[1]}",
        "site": Path(sysconfig.get_paths()["purelib"]).resolve(),
    }


@functools.lru_cache(maxsize=1)
def why_unavailable() -> str:
    """Why the sandbox cannot run here ("" when it can; probed once)."""
    if not sys.platform.startswith("linux"):
        return f"not Linux ({sys.platform})"
    if os.geteuid() != 0:
        return "not root"
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch) / "work"
        work.mkdir()
        try:
            result = run_python("import os; print(os.getuid())", work, timeout=60, limits=Limits(),
                                network=False, record="")
        except Exception as error:  # noqa: BLE001 - any failure means no sandbox
            return f"the probe failed ({type(error).__name__}: {error})"[:200]
        uid = result.stdout.strip()
        if result.returncode == 0 and uid.isdigit() and int(uid) != 0:
            return ""
        return f"the probe failed (exit {result.returncode}: {result.stderr.strip()[-150:]})"


def why_plain() -> str:
    """Why a process that was asked to run without the sandbox does: the machine cannot have it,
    or the caller turned it off (``Settings.sandboxed=False``)."""
    return why_unavailable() or "turned off: Settings.sandboxed=False"


def available() -> bool:
    """True when namespaces, chroot and privilege dropping work here (probed once)."""
    return not why_unavailable()


def plain(program: str, reason: str, rlimits: dict | None = None) -> Enforcement:
    """The record of a process that runs without the sandbox (``reason``: why), under
    ``rlimits`` (as :func:`helpers.sandbox.core.apply_rlimits` returned them; None: none)."""
    return Enforcement(mode="plain-process", program=program, uid=os.geteuid(), rlimits=dict(rlimits or {}),
                       reason=reason)


def plain_process(argv: list, limits: Limits, program: str, reason: str, popen=subprocess.Popen,
                  env: dict | None = None, **kwargs) -> subprocess.Popen:
    """Start ``argv`` without the sandbox (``reason``: why) as a plain process of this user (with
    ``popen``, a ``subprocess.Popen`` class), in a session of its own, under the per-process limits
    of ``limits``; its :func:`plain` record is appended to ``$COURSE_SANDBOX_RECORD`` when that is
    set, by this process (the started one does not inherit the variable)."""
    env = {k: v for k, v in (os.environ if env is None else env).items() if k != RECORD_ENV}
    process = popen(argv, preexec_fn=lambda: core.apply_rlimits(dataclasses.asdict(limits), processes=False),
                    start_new_session=True, env=env, **kwargs)
    if os.environ.get(RECORD_ENV):  # the child set them before its exec (else Popen raised)
        applied = {name: value for name, (_, value) in core.rlimits(dataclasses.asdict(limits), False).items()}
        core.write_record(os.environ[RECORD_ENV], plain(program, reason, applied))
    return process


def safe_helpers(target: Path) -> Path:
    """Copy the student-safe part of ``helpers`` into ``target/helpers``; return ``target``.

    Left out: ``reference/``, ``recheck/`` and ``exercises/`` (reference implementations, the
    trusted re-check and the exercises' hidden-case generators).
    """
    source = Path(__file__).resolve().parents[1]
    skip = {"reference", "recheck", "exercises", "__pycache__"}
    shutil.copytree(source, Path(target) / "helpers",
                    ignore=lambda folder, names: [n for n in names if n in skip or n.endswith(".pyc")],
                    dirs_exist_ok=True)
    return Path(target)


def font_cache() -> Path | None:
    """A folder holding matplotlib's font list for the sandboxes (None if it cannot be built).

    Each sandbox starts with an empty ``/tmp``, so without it every kernel and re-check that
    imports matplotlib would rebuild the font list (about 0.2 s each); the sandbox copies it in.
    Built once per matplotlib version in ``~/.cache/nn-course/`` (the user's own folder, not a
    shared temporary one that another user could fill first).
    """
    from importlib import metadata

    try:
        version = metadata.version("matplotlib")
    except metadata.PackageNotFoundError:
        return None
    folder = Path.home() / ".cache" / "nn-course" / f"mpl-{version}"
    if list(folder.glob("fontlist*.json")):
        return folder
    building = Path(tempfile.mkdtemp(prefix="mpl-", dir=folder.parent if folder.parent.exists() else None))
    try:
        subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"], timeout=120,
                       env=dict(os.environ, MPLCONFIGDIR=str(building), MPLBACKEND="Agg"),
                       capture_output=True, check=True)
        if not list(building.glob("fontlist*.json")):
            return None
        folder.parent.mkdir(parents=True, exist_ok=True)
        try:
            shutil.move(str(building), str(folder))
        except OSError:
            pass  # built by another process meanwhile
        return folder if list(folder.glob("fontlist*.json")) else None
    except (OSError, subprocess.SubprocessError):
        return None
    finally:
        shutil.rmtree(building, ignore_errors=True)


def spec(work: Path, *, limits: Limits, network: bool, extra_binds=(), env: dict | None = None,
         chdir: str | None = None, helpers_dir: Path | None = None, data_dir: Path | None = None,
         log: Path | None = None, scratch_root: Path | None = None, record: str | None = None) -> tuple[dict, Path]:
    """A sandbox description (JSON-able): ``work`` is bound writable at the same path inside;
    ``helpers_dir`` (a folder holding a ``helpers`` package, default: a fresh
    :func:`safe_helpers` copy) at ``/opt/course`` and ``data_dir`` at ``/opt/data``, read-only.
    ``record``: where the trusted side appends what it enforced (default: ``$COURSE_SANDBOX_RECORD``,
    see :data:`RECORD_ENV`; "" for nowhere).
    Returns (spec, scratch folder to delete afterwards), the scratch folder made in
    ``scratch_root`` (default: the system's temporary folder)."""
    if not isinstance(limits, Limits):
        raise TypeError(f"limits must be a sandbox.Limits, not {type(limits).__name__}")
    paths = python_paths()
    scratch = Path(tempfile.mkdtemp(prefix="course-sandbox-", dir=scratch_root))
    (scratch / "root").mkdir()
    if helpers_dir is None:
        helpers_dir = safe_helpers(scratch / "course")
    binds = [(paths["prefix"], paths["prefix"], False), (paths["site"], paths["site"], False),
             (Path(helpers_dir), Path("/opt/course"), False), (Path(work), Path(work), True)]
    if data_dir is not None and Path(data_dir).exists():
        binds.append((Path(data_dir), Path("/opt/data"), False))
    binds += list(extra_binds)
    sandbox_env = {
        "PATH": "/usr/bin:/bin", "HOME": "/tmp", "IPYTHONDIR": "/tmp/.ipython",
        "MPLCONFIGDIR": "/tmp/.mpl", "MPLBACKEND": "Agg", "PYTHONPATH": f"/opt/course:{paths['site']}",
        "PYTHONDONTWRITEBYTECODE": "1", "PYTHONNOUSERSITE": "1", "COURSE_DATA_DIR": "/opt/data",
        **blas_env(),
        "JUPYTER_RUNTIME_DIR": "/tmp/.runtime", "LANG": "C.UTF-8", "USER": "student",
        "LOGNAME": "student",
    }
    sandbox_env.update(env or {})
    fonts = font_cache()
    description = {
        "root": str(scratch / "root"), "work": str(work), "chdir": str(chdir or work),
        "binds": [[str(s), str(i), bool(w)] for s, i, w in binds], "env": sandbox_env,
        "limits": dataclasses.asdict(limits), "network": bool(network),
        "fonts": str(fonts) if fonts else None, "log": str(log) if log else None,
        "uid": SANDBOX_UIDS[0] + secrets.randbelow(SANDBOX_UIDS[1] - SANDBOX_UIDS[0]),
        "record": os.environ.get(RECORD_ENV, "") if record is None else str(record),
    }
    return description, scratch


def command(argv: list, work: Path, **kwargs) -> tuple[list, Path]:
    """The command line that runs ``argv`` (a sandboxed Python's argv) in a fresh sandbox
    (keywords: see :func:`spec`). Returns (command, scratch folder to delete afterwards)."""
    description, scratch = spec(work, **kwargs)
    description["argv"] = [str(python_paths()["executable"]), "-S"] + list(argv)
    (scratch / "spec.json").write_text(json.dumps(description))
    return [sys.executable, "-m", "helpers.sandbox", "run", str(scratch / "spec.json")], scratch


def run_main(spec_path: str) -> None:
    """``python -m helpers.sandbox run SPEC``: run ``spec["argv"]`` in a fresh sandbox, this
    process its supervisor."""
    description = json.loads(Path(spec_path).read_text())
    argv = description["argv"]
    program = argv[argv.index("-m") + 1] if "-m" in argv[:-1] else "python -c" if "-c" in argv else argv[0]
    pid, _record = core.start(description, lambda: os.execv(argv[0], argv), program=program)
    code = core.supervise(pid, wall_seconds=description["limits"].get("wall_seconds"))
    core.release(Path(spec_path).parent)
    sys.exit(code)


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str
    timed_out: bool


def run_python(code: str, work: Path, *, timeout: float, limits: Limits, network: bool = False,
               **kwargs) -> Result:
    """Run ``python -c code`` in a sandbox (``work`` writable); kill it after ``timeout`` seconds."""
    cmd, scratch = command(["-c", code], work, limits=limits, network=network, **kwargs)
    try:
        process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   start_new_session=True)
        try:
            out, err = process.communicate(timeout=timeout)
            return Result(process.returncode, out, err, False)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            out, err = process.communicate()
            return Result(-9, out, err, True)
    finally:
        core.release(scratch)
        shutil.rmtree(scratch, ignore_errors=True)
