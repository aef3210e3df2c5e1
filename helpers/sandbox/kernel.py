"""A Jupyter kernel for nbgrader that runs in the sandbox (or, without one, as a plain process
under resource limits): :func:`kernelspec` writes it, :func:`main` is its launcher."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path

from helpers.sandbox import core, forkserver, launch
from helpers.sandbox import record as record_file
from helpers.sandbox.core import Limits


def kernelspec(folder: Path, *, helpers_dir: Path, data_dir: Path, limits: Limits,
               name: str = "course-sandboxed", scratch: Path | None = None, plain: str = "") -> str:
    """Write a Jupyter kernelspec ``folder/kernels/<name>`` whose kernel runs sandboxed.

    The kernel sees its notebook's folder (writable), the full ``helpers`` in ``helpers_dir``
    (hidden tests import the reference code), the data, and nothing else of the machine's
    files; it runs as a user of its own under ``limits``. When the connection file asks for the
    ``ipc`` transport (the grader sets ``KernelManager.transport = "ipc"``), the kernel talks to
    nbgrader over Unix sockets in the connection file's folder, which is bound into the sandbox,
    and gets a network namespace of its own: no network at all, not even the grading machine's
    loopback. Over ``tcp`` it must keep the machine's network namespace (nbgrader connects to
    it on 127.0.0.1). Put ``folder`` on ``JUPYTER_PATH`` to use it.
    Each kernel's scratch files go in a new folder in ``scratch`` (default: the system's
    temporary folder; a killed kernel cannot clean up after itself, so the grader passes a
    folder it deletes at the end).
    ``plain``: no sandbox, for this reason: the kernel is an ordinary process of the grader's
    user under the per-process limits of ``limits`` (and its record says so).
    """
    spec_dir = Path(folder) / "kernels" / name
    spec_dir.mkdir(parents=True, exist_ok=True)
    argv = [sys.executable, "-m", "helpers.sandbox", "kernel", "{connection_file}",
            "--helpers", str(helpers_dir), "--data", str(data_dir), "--limits", json.dumps(dataclasses.asdict(limits))]
    if scratch is not None:
        Path(scratch).mkdir(parents=True, exist_ok=True)
        argv += ["--scratch", str(scratch)]
    if plain:
        argv += ["--plain", plain]
    (spec_dir / "kernel.json").write_text(json.dumps(
        {"argv": argv, "display_name": "Python 3 (course sandbox)", "language": "python"}))
    return name


def main(args) -> None:
    """Entry of a kernel (see :func:`kernelspec`): runs the sandbox's supervisor; never returns."""
    limits = Limits(**json.loads(args.limits))
    if args.plain:
        _plain(args.connection_file, limits, args.plain)
    work = Path.cwd().resolve()
    connection = Path(args.connection_file).resolve()
    conn_dir = Path(tempfile.mkdtemp(prefix="course-kernel-", dir=args.scratch))
    info = json.loads(connection.read_text())
    if info.get("transport") == "ipc":
        # Unix sockets at the paths nbgrader expects, in the folder of the connection file, bound
        # at the same path and writable: only ever a private folder that holds nothing else.
        folder, ip = connection.parent, Path(str(info.get("ip", "")))
        others = [n for n in os.listdir(folder) if n != connection.name and not n.startswith(ip.name)]
        if not ip.is_absolute() or ip.parent != folder or others or folder == Path(tempfile.gettempdir()):
            sys.exit(f"sandbox: an ipc kernel needs its connection file and sockets alone in a private "
                     f"folder (got {connection}, ip {ip}, other files {others[:3]})")
        os.chmod(folder, 0o777)  # the kernel's own user makes its sockets there
        os.chmod(connection, 0o644)
        network, binds = False, [(connection.parent, connection.parent, True)]
        kernel_argv = ["-f", str(connection)]
    else:
        shutil.copy(connection, conn_dir / "kernel.json")
        os.chmod(conn_dir, 0o755)
        os.chmod(conn_dir / "kernel.json", 0o644)
        network, binds = True, [(conn_dir, Path("/opt/conn"), False)]
        kernel_argv = ["-f", "/opt/conn/kernel.json"]
    options = dict(limits=limits, network=network, helpers_dir=Path(args.helpers), data_dir=Path(args.data),
                   extra_binds=binds, env={"NBGRADER_EXECUTION": os.environ.get("NBGRADER_EXECUTION", "")},
                   log=conn_dir / "kernel.log",  # the kernel's chatter, not the grader's terminal
                   scratch_root=args.scratch)
    server = os.environ.get(forkserver.SOCKET_ENV)
    if server:  # started by the grader's fork server: the libraries are imported already
        description, scratch = launch.spec(work, **options)
        try:
            child = forkserver.spawn(server, description, "ipykernel_launcher", kernel_argv)
        except OSError:
            child = None  # the server is gone: start a fresh process below
            shutil.rmtree(scratch, ignore_errors=True)
        if child is not None:
            for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                signal.signal(number, lambda signum, frame: child.send_signal(signum))
            code = child.wait()
            core.release(scratch)
            shutil.rmtree(scratch, ignore_errors=True)
            sys.exit(code)
    cmd, _scratch = launch.command(["-m", "ipykernel_launcher", *kernel_argv], work, **options)
    os.execvp(cmd[0], cmd)


def _plain(connection_file: str, limits: Limits, reason: str) -> None:
    """A kernel without the sandbox: this process, under the per-process limits, becomes it."""
    rlimits = core.apply_rlimits(dataclasses.asdict(limits), processes=False)
    record = os.environ.pop(launch.RECORD_ENV, "")
    if record:
        record_file.write_record(record, launch.plain("ipykernel_launcher", reason, rlimits))
    os.environ.pop(forkserver.SOCKET_ENV, None)
    os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", "-f", connection_file])
