"""A fork server: starts sandboxed Python programs without paying for their imports each time.

Every graded submission starts two Python processes that run student code: nbgrader's kernel
and the trusted re-check. A fresh one spends most of its start-up importing the same libraries
(numpy, matplotlib, IPython, ipykernel: about 0.9 s of CPU). The fork server imports them once;
for each request it forks a supervisor, which starts the sandboxed copy the one way every sandbox
starts (:func:`helpers.sandbox.core.start`: new namespaces, chroot, a user of its own, limits, no
inherited file descriptors, the record of what was enforced) and supervises it with the one
supervisor (:func:`helpers.sandbox.core.supervise`); the copy then runs the requested module as
``__main__``, exactly like ``python -m module args`` would.

The server runs as root on the grader's side and holds no secret: it has imported libraries,
nothing else (no reference code, no course file, no seed). Requests come over a Unix socket in a
folder only root can open; the sandboxed copy closes it before student code runs, and cannot
see it after the chroot.

One request, one connection: the client sends a JSON line ``{"spec": ..., "module": ...,
"argv": [...]}``; the server's per-request process (the *supervisor*) answers ``{"pid": n,
"enforcement": {...}}`` and, when the sandboxed program ends, ``{"exit": code}``. A line ``{"signal": n}`` from the
client is passed on; the client closing the connection kills the sandbox.

    server = forkserver.Server(folder)           # starts the process (about 1.5 s, once)
    child = forkserver.spawn(server.path, spec, "helpers.recheck_worker", [job_dir])
    child.wait(timeout=5.0)                      # -> exit code, or None while it runs
    child.kill()
"""

from __future__ import annotations

import dataclasses
import json
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

from helpers.sandbox import core, launch

#: What the server imports once (what a kernel or a re-check of this course imports anyway).
PRELOAD = ("numpy", "numpy.random", "matplotlib", "matplotlib.pyplot", "h5py",
           "IPython.core.interactiveshell", "ipykernel.kernelapp")

SOCKET_ENV = "COURSE_FORKSERVER"


# --- the client side -------------------------------------------------------------------------

class Child:
    """A sandboxed program started by the server (see :func:`spawn`)."""

    def __init__(self, connection: socket.socket, pid: int):
        self.connection = connection
        self.pid = pid  # as the grader's PID namespace sees it
        self.enforcement: dict = {}  # what the trusted side enforced (helpers.sandbox.record.Enforcement)
        self.returncode: int | None = None
        self._buffer = b""

    def fileno(self) -> int:
        return self.connection.fileno()

    def wait(self, timeout: float | None = None) -> int | None:
        """The exit code once the program has ended; None if still running after ``timeout``."""
        while self.returncode is None:
            message = _read_line(self, timeout)
            if message is None:
                return None
            if "exit" in message:
                self.returncode = int(message["exit"])
            elif message.get("eof"):
                self.returncode = -9
        return self.returncode

    def send_signal(self, number: int) -> None:
        try:
            self.connection.sendall(json.dumps({"signal": int(number)}).encode() + b"\n")
        except OSError:
            pass

    def kill(self) -> None:
        """Kill the sandbox (every process in it) and wait for it."""
        self.send_signal(signal.SIGKILL)
        self.wait(timeout=10)
        self.close()

    def close(self) -> None:
        try:
            self.connection.close()
        except OSError:
            pass


def _read_line(child: Child, timeout: float | None):
    while b"\n" not in child._buffer:
        ready, _, _ = select.select([child.connection], [], [], timeout)
        if not ready:
            return None
        try:
            chunk = child.connection.recv(4096)
        except OSError:
            chunk = b""
        if not chunk:
            return {"eof": True}
        child._buffer += chunk
    line, _, child._buffer = child._buffer.partition(b"\n")
    return json.loads(line)


def spawn(path: str, spec: dict, module: str, argv: list, timeout: float = 60.0) -> Child:
    """Ask the server at ``path`` to run ``python -m module *argv`` in the sandbox ``spec``
    (see :func:`helpers.sandbox.launch.spec`). Raises OSError when the server cannot be reached."""
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    connection.settimeout(timeout)
    connection.connect(path)
    connection.settimeout(None)
    connection.sendall(json.dumps({"spec": spec, "module": module, "argv": [str(a) for a in argv]})
                       .encode() + b"\n")
    child = Child(connection, 0)
    answer = _read_line(child, timeout)
    if not answer or "pid" not in answer:
        child.close()
        raise OSError(f"the fork server did not start the program: {answer}")
    child.pid = int(answer["pid"])
    child.enforcement = dict(answer.get("enforcement") or {})
    return child


class Server:
    """A fork server process owned by this process (it exits when this process does)."""

    def __init__(self, folder: Path | None = None, timeout: float = 120.0, short: str | None = None):
        self.folder = Path(tempfile.mkdtemp(prefix="course-forkserver-", dir=folder))
        FOLDERS.add(str(self.folder))
        os.chmod(self.folder, 0o700)
        self.path = socket_path(self.folder, short)
        FOLDERS.add(os.path.dirname(self.path))
        project = Path(__file__).resolve().parents[2]
        paths = launch.python_paths()
        fonts = launch.font_cache()
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": "/tmp", "LANG": "C.UTF-8",
            "PYTHONPATH": f"{project}:{paths['site']}", "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONNOUSERSITE": "1", "MPLBACKEND": "Agg",
            "MPLCONFIGDIR": str(fonts) if fonts else str(self.folder / "mpl"),
            **launch.blas_env(),
        }
        self.process = subprocess.Popen(
            [str(paths["executable"]), "-S", "-m", "helpers.sandbox", "serve", self.path],
            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=open(self.folder / "server.log", "wb"), cwd="/")
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        line = self.process.stdout.readline() if ready else b""
        if line.strip() != b"ready":
            log = (self.folder / "server.log").read_text(errors="replace")[-500:]
            self.stop()
            raise OSError(f"the fork server did not start: {log or 'no output'}")

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        import shutil

        for folder in {str(self.folder), os.path.dirname(self.path)}:
            shutil.rmtree(folder, ignore_errors=True)
            FOLDERS.discard(folder)


#: The folders of this process's servers not removed yet (removed by a process ended early,
#: see :mod:`helpers.workers`).
FOLDERS: set = set()

#: The longest socket path used (Linux's sun_path holds 108 bytes with its final NUL).
SOCKET_PATH_MAX = 100


def socket_path(folder: Path, short: str | None = None) -> str:
    """Where the server's socket goes: ``<folder>/socket`` when that path is short enough for a
    Unix socket, else a fresh private (0700) folder under ``short``, the system's temporary
    folder or ``/tmp``. A course can live at any path. Raises OSError when no short path is
    available."""
    path = str(Path(folder) / "socket")
    if len(os.fsencode(path)) <= SOCKET_PATH_MAX:
        return path
    for parent in [p for p in (short, tempfile.gettempdir(), "/tmp") if p]:
        candidate = os.path.join(parent, "cfs-" + "x" * 8, "socket")
        if len(os.fsencode(candidate)) <= SOCKET_PATH_MAX and os.path.isdir(parent):
            short = tempfile.mkdtemp(prefix="cfs-", dir=parent)
            os.chmod(short, 0o700)
            return os.path.join(short, "socket")
    raise OSError(f"no folder short enough for the fork server's socket (a Unix socket's path "
                  f"holds {SOCKET_PATH_MAX} bytes; {path!r} is {len(os.fsencode(path))})")


_SERVER: Server | None = None
_AT_EXIT = False
#: Why this process's fork server could not start the last time it was asked for (else None).
FAILURE: str | None = None


def shared_server(folder: Path | None = None, short: str | None = None) -> str | None:
    """The socket path of this process's fork server, its files in ``folder``, started on first
    use and again if it died or its folder went; None when it cannot run here (then callers
    start fresh processes)."""
    global _SERVER
    if not launch.available():
        return None
    if _SERVER is not None:
        same_place = folder is None or _SERVER.folder.parent == Path(folder)
        if same_place and _SERVER.alive() and os.path.exists(_SERVER.path):
            return _SERVER.path
        stop_shared_server()
    global FAILURE
    try:
        _SERVER = Server(folder, short=short)
    except OSError as error:
        _SERVER = None
        FAILURE = str(error)[:300]
        return None
    FAILURE = None
    global _AT_EXIT
    if not _AT_EXIT:
        import atexit

        atexit.register(stop_shared_server)
        _AT_EXIT = True
    return _SERVER.path


def stop_shared_server() -> None:
    """Stop this process's fork server, if it runs (also done when the process exits)."""
    global _SERVER
    if _SERVER is not None:
        _SERVER.stop()
        _SERVER = None


# --- the server side -------------------------------------------------------------------------

def serve(path: str) -> None:
    """Import :data:`PRELOAD`, then fork one supervisor per request, forever (until the process
    that started the server dies)."""
    import importlib

    core.prctl(core.PR_SET_PDEATHSIG, signal.SIGKILL)
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - a library that is missing is imported by the child, or not
            pass
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    os.chmod(path, 0o600)
    listener.listen(64)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # supervisors are reaped by the kernel
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    while True:
        connection, _ = listener.accept()
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                listener.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                code = _supervisor(connection)
            finally:
                os._exit(code)
        connection.close()


def _supervisor(connection: socket.socket) -> int:
    """One request: start the sandboxed program (:func:`helpers.sandbox.core.start`), answer its
    pid and record, supervise it (:func:`helpers.sandbox.core.supervise`), passing on the
    client's signals, and answer its end."""
    buffer = b""
    while b"\n" not in buffer:
        chunk = connection.recv(1 << 20)
        if not chunk:
            return 1
        buffer += chunk
    request = json.loads(buffer.partition(b"\n")[0])
    spec = request["spec"]
    pid, record = core.start(spec, lambda: _run_module(request["module"], request["argv"], spec),
                             program=request["module"])
    connection.sendall(json.dumps({"pid": pid, "enforcement": dataclasses.asdict(record)}).encode() + b"\n")
    pending = [b""]

    def from_client() -> bool:  # a line {"signal": n} is passed on; end of file kills the sandbox
        try:
            chunk = connection.recv(4096)
        except OSError:
            chunk = b""
        pending[0] += chunk
        while b"\n" in pending[0]:
            line, _, pending[0] = pending[0].partition(b"\n")
            try:
                os.kill(pid, int(json.loads(line)["signal"]))
            except (ValueError, KeyError, TypeError, ProcessLookupError):
                pass
        return bool(chunk)

    code = core.supervise(pid, wall_seconds=spec["limits"].get("wall_seconds"), forward=(),
                          channel=(connection.fileno(), from_client))
    core.release(Path(spec["root"]).parent)
    try:
        connection.sendall(json.dumps({"exit": code}).encode() + b"\n")
    except OSError:
        pass
    return 0


def _run_module(module: str, argv: list, spec: dict) -> int:
    """In the sandboxed copy: look like a fresh ``python -S -m module *argv``, then run it."""
    import atexit
    import importlib
    import runpy

    for name in [n for n in sys.modules if n == "helpers" or n.startswith("helpers.")]:
        del sys.modules[name]  # the server's copy lives outside; the sandbox has its own
    stdlib = [p for p in sys.path if p.startswith(sys.base_prefix)]
    sys.path[:] = [os.getcwd()] + [p for p in spec["env"].get("PYTHONPATH", "").split(":") if p] + stdlib
    sys.path_importer_cache.clear()
    importlib.invalidate_caches()
    if "numpy.random" in sys.modules:
        sys.modules["numpy.random"].seed()  # a fresh process would draw its own global seed
    sys.argv = [module] + list(argv)
    code = 0
    try:
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    except SystemExit as end:
        code = end.code if isinstance(end.code, int) else (0 if end.code is None else 1)
    except BaseException:  # noqa: BLE001 - like an uncaught exception in a fresh interpreter
        import traceback

        traceback.print_exc()
        code = 1
    try:
        atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:  # noqa: BLE001
        pass
    return code
