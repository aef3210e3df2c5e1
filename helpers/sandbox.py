"""Running untrusted student code in a sandbox.

A sandboxed process sees a minimal file system and nothing of the course: it runs in new
mount (and, where asked, network) namespaces, chrooted into a fresh tmpfs holding read-only
binds of the system (``/usr``, ``/etc``), of Python and its site-packages, of a student-safe
copy of ``helpers`` (no reference code) and of the data, plus one writable work folder. It then
drops to user ``nobody`` with no capabilities and ``no_new_privs``, under resource limits
(address space, CPU time, file size, open files). So student code cannot read the gradebook,
the source notebooks, the reference implementations or other students' work, cannot write
anywhere but its own folder, and (with ``network=False``) cannot reach the network.

This needs root and util-linux's ``unshare``/``setpriv``/``prlimit`` (Linux). :func:`available`
says whether the machine allows it; callers fall back to plain processes with limits and say so.
"""

from __future__ import annotations

import functools
import os
import shlex
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from dataclasses import dataclass
from pathlib import Path

NOBODY = 65534
SYSTEM_DIRS = ("usr", "etc")
SYMLINKS = {"bin": "usr/bin", "lib": "usr/lib", "lib64": "usr/lib64", "sbin": "usr/sbin"}


@dataclass
class Limits:
    """Resource limits of one sandboxed process."""

    memory_mb: int = 2048  # address space (RLIMIT_AS)
    cpu_seconds: int = 600  # CPU time (RLIMIT_CPU)
    file_mb: int = 256  # largest file it may write (RLIMIT_FSIZE)
    open_files: int = 256
    processes: int = 256  # for user nobody, machine-wide (RLIMIT_NPROC): stops fork bombs


def python_paths() -> dict:
    """Paths a sandboxed Python needs: its base prefix, and site-packages of this environment."""
    return {
        "prefix": Path(sys.base_prefix).resolve(),
        "executable": Path(sys.base_prefix).resolve() / "bin" / f"python{sys.version_info[0]}.{sys.version_info[1]}",
        "site": Path(sysconfig.get_paths()["purelib"]).resolve(),
    }


@functools.lru_cache(maxsize=1)
def available() -> bool:
    """True when namespaces, chroot and privilege dropping work here (probed once)."""
    if os.name != "posix" or os.geteuid() != 0:
        return False
    if not all(shutil.which(tool) for tool in ("unshare", "setpriv", "prlimit", "mount", "chroot")):
        return False
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch) / "work"
        work.mkdir()
        try:
            result = run_python("import os; print(os.getuid())", work, timeout=60, limits=Limits(),
                                network=False)
        except Exception:
            return False
        return result.returncode == 0 and result.stdout.strip() == str(NOBODY)


def safe_helpers(target: Path) -> Path:
    """Copy the student-safe part of ``helpers`` into ``target/helpers``; return ``target``.

    Left out: ``reference/`` and ``recheck/`` (reference implementations and trusted test
    cases), and the instructor's tools that a notebook never imports.
    """
    source = Path(__file__).resolve().parent
    skip = {"reference", "recheck", "__pycache__"}
    shutil.copytree(source, Path(target) / "helpers",
                    ignore=lambda folder, names: [n for n in names if n in skip or n.endswith(".pyc")],
                    dirs_exist_ok=True)
    return Path(target)


def font_cache() -> Path | None:
    """A folder holding matplotlib's font list for the sandboxes (None if it cannot be built).

    Each sandbox starts with an empty ``/tmp``, so without it every kernel and re-check that
    imports matplotlib would rebuild the font list (about 0.2 s each); the launcher copies it in.
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


def _launcher(root: Path, binds: list, work: Path, argv: list, env: dict, limits: Limits,
              chdir: str, fonts: Path | None = None) -> str:
    """The shell script that builds the sandbox's file system, then drops privileges and execs."""
    q = shlex.quote
    lines = ["set -eu", f"R={q(str(root))}",
             'mount -t tmpfs -o size=64m,mode=755 tmpfs "$R"']
    for name in SYSTEM_DIRS:
        lines += [f'mkdir -p "$R/{name}"', f'mount --rbind /{name} "$R/{name}"',
                  f'mount -o remount,bind,ro "$R/{name}" 2>/dev/null || true']
    for link, target in SYMLINKS.items():
        lines.append(f'[ -e /{link} ] && ln -s {target} "$R/{link}" || true')
    lines += ['mkdir -p "$R/dev" "$R/tmp" "$R/proc"',
              'for d in null zero random urandom; do touch "$R/dev/$d"; mount --bind /dev/$d "$R/dev/$d"; done',
              'mount -t tmpfs -o size=512m,mode=1777 tmpfs "$R/tmp"',
              'mount -t proc -o nosuid,nodev,noexec proc "$R/proc"']
    if fonts is not None:
        lines += ['mkdir -p "$R/tmp/.mpl"', f'cp {q(str(fonts))}/fontlist*.json "$R/tmp/.mpl/" 2>/dev/null || true',
                  f'chown -R {NOBODY}:{NOBODY} "$R/tmp/.mpl"']
    for source, inside, writable in binds:
        lines += [f'mkdir -p "$R"{q(str(inside))}', f'mount --bind {q(str(source))} "$R"{q(str(inside))}']
        if not writable:
            lines.append(f'mount -o remount,bind,ro "$R"{q(str(inside))}')
    lines.append(f"chown -R {NOBODY}:{NOBODY} {q(str(work))}")
    exports = " ".join(f"{k}={q(v)}" for k, v in env.items())
    prlimit = (f"prlimit --as={limits.memory_mb * 1024 * 1024} --cpu={limits.cpu_seconds} "
               f"--fsize={limits.file_mb * 1024 * 1024} --nofile={limits.open_files} "
               f"--nproc={limits.processes} --core=0")
    setpriv = (f"setpriv --reuid={NOBODY} --regid={NOBODY} --clear-groups --no-new-privs "
               f"--bounding-set=-all --inh-caps=-all")
    command = " ".join(q(a) for a in argv)
    lines.append(f'exec chroot "$R" /usr/bin/env -i {exports} /bin/sh -c '
                 + q(f"cd {q(chdir)} && exec {prlimit} {setpriv} {command}"))
    return "\n".join(lines) + "\n"


def command(argv: list, work: Path, *, limits: Limits, network: bool, extra_binds=(),
            env: dict | None = None, chdir: str | None = None, helpers_dir: Path | None = None,
            data_dir: Path | None = None) -> tuple[list, Path]:
    """The command line that runs ``argv`` (a sandboxed Python's argv) in a sandbox.

    ``work`` is bound writable at the same path inside. ``helpers_dir`` (a folder holding a
    ``helpers`` package, default: a fresh :func:`safe_helpers` copy) and ``data_dir`` are bound
    read-only. Returns (command, scratch folder to delete afterwards).
    """
    paths = python_paths()
    scratch = Path(tempfile.mkdtemp(prefix="course-sandbox-"))
    root = scratch / "root"
    root.mkdir()
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
        "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
        "JUPYTER_RUNTIME_DIR": "/tmp/.runtime", "LANG": "C.UTF-8",
    }
    sandbox_env.update(env or {})
    full_argv = [str(paths["executable"]), "-S"] + list(argv)
    script = _launcher(root, binds, Path(work), full_argv, sandbox_env, limits, chdir or str(work),
                       fonts=font_cache())
    (scratch / "launch.sh").write_text(script)
    flags = ["--mount", "--pid", "--fork", "--kill-child"] + ([] if network else ["--net"])
    return ["unshare", *flags, "/bin/sh", str(scratch / "launch.sh")], scratch


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
        shutil.rmtree(scratch, ignore_errors=True)


def kernelspec(folder: Path, *, helpers_dir: Path, data_dir: Path, limits: Limits,
               name: str = "course-sandboxed") -> str:
    """Write a Jupyter kernelspec ``folder/kernels/<name>`` whose kernel runs sandboxed.

    The kernel sees its notebook's folder (writable), the full ``helpers`` in ``helpers_dir``
    (hidden tests import the reference code), the data, and nothing else of the machine's
    files; it runs as ``nobody`` under ``limits``. It keeps the network namespace, because
    nbgrader talks to it over loopback TCP. Put ``folder`` on ``JUPYTER_PATH`` to use it.
    """
    import json

    spec_dir = Path(folder) / "kernels" / name
    spec_dir.mkdir(parents=True, exist_ok=True)
    argv = [sys.executable, "-m", "helpers.sandbox", "kernel", "{connection_file}",
            "--helpers", str(helpers_dir), "--data", str(data_dir),
            "--memory-mb", str(limits.memory_mb), "--cpu-seconds", str(limits.cpu_seconds)]
    (spec_dir / "kernel.json").write_text(json.dumps(
        {"argv": argv, "display_name": "Python 3 (course sandbox)", "language": "python"}))
    return name


def _kernel_main(args) -> None:
    """Entry of a sandboxed kernel (see :func:`kernelspec`): exec's the sandbox; never returns."""
    work = Path.cwd().resolve()
    conn_dir = Path(tempfile.mkdtemp(prefix="course-kernel-"))
    shutil.copy(args.connection_file, conn_dir / "kernel.json")
    os.chmod(conn_dir, 0o755)
    os.chmod(conn_dir / "kernel.json", 0o644)
    limits = Limits(memory_mb=args.memory_mb, cpu_seconds=args.cpu_seconds)
    cmd, _scratch = command(["-m", "ipykernel_launcher", "-f", "/opt/conn/kernel.json"], work,
                            limits=limits, network=True, helpers_dir=Path(args.helpers),
                            data_dir=Path(args.data), extra_binds=[(conn_dir, Path("/opt/conn"), False)],
                            env={"NBGRADER_EXECUTION": os.environ.get("NBGRADER_EXECUTION", "")})
    log = os.open(conn_dir / "kernel.log", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(log, 1)  # the kernel's own chatter goes to a log, not the grader's terminal
    os.dup2(log, 2)
    os.execvp(cmd[0], cmd)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(prog="python -m helpers.sandbox")
    sub = parser.add_subparsers(dest="what", required=True)
    k = sub.add_parser("kernel")
    k.add_argument("connection_file")
    k.add_argument("--helpers", required=True)
    k.add_argument("--data", required=True)
    k.add_argument("--memory-mb", type=int, default=2048)
    k.add_argument("--cpu-seconds", type=int, default=600)
    _kernel_main(parser.parse_args())
