"""Running untrusted student code in a sandbox.

A sandboxed process sees a minimal file system and nothing of the course: it runs in new
mount (and, where asked, network) namespaces, chrooted into a fresh tmpfs holding read-only
binds of the system (``/usr``, ``/etc``), of Python and its site-packages, of a student-safe
copy of ``helpers`` (no reference code) and of the data, plus one writable work folder. It then
drops to a user of its own (see :data:`SANDBOX_UIDS`) with no capabilities and ``no_new_privs``,
under resource limits (address space, CPU time, file size, open files, processes; memory and
processes of the whole sandbox in cgroups where the machine has them; wall-clock time enforced
by the supervising parent). So student code cannot read the gradebook,
the source notebooks, the reference implementations or other students' work, cannot write
anywhere but its own folder, and (with ``network=False``) cannot reach the network.

The sandbox is entered with Linux system calls (``unshare``, ``mount``, ``chroot``, ``setresuid``,
``prctl``, ``capset``, ``setrlimit``) from Python, so it needs Linux and root, nothing else.
:func:`available` says whether the machine allows it; callers fall back to plain processes with
limits and say so. :func:`command` starts a fresh sandboxed Python; :mod:`helpers.forkserver`
starts one faster, from a process that has already imported the heavy libraries.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import secrets
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from dataclasses import dataclass
from pathlib import Path

NOBODY = 65534
#: Each sandbox runs as a user of its own, drawn from this range (no account, no files outside
#: the sandbox): processes of one sandbox can then never count against, or signal, another's.
SANDBOX_UIDS = (1_900_000_000, 1_999_999_999)
SYSTEM_DIRS = ("usr", "etc")
SYMLINKS = {"bin": "usr/bin", "lib": "usr/lib", "lib64": "usr/lib64", "sbin": "usr/sbin"}


@dataclass
class Limits:
    """Resource limits of one sandbox.

    ``memory_mb`` bounds each process's address space (RLIMIT_AS) and, where the machine has
    cgroups, the memory of the whole sandbox (all its processes together; ``sandbox_memory_mb``
    when it should differ); ``processes`` bounds
    the sandbox's processes and threads (its own user's RLIMIT_NPROC, and a pids cgroup).
    """

    memory_mb: int = 2048
    sandbox_memory_mb: int | None = None  # the whole sandbox (cgroup); None: memory_mb
    cpu_seconds: int = 600  # CPU time of each process (RLIMIT_CPU)
    file_mb: int = 256  # largest file it may write (RLIMIT_FSIZE)
    open_files: int = 256
    processes: int = 256
    wall_seconds: int | None = None  # the whole sandbox is killed after this long (None: never)


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
def available() -> bool:
    """True when namespaces, chroot and privilege dropping work here (probed once)."""
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        return False
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch) / "work"
        work.mkdir()
        try:
            result = run_python("import os; print(os.getuid())", work, timeout=60, limits=Limits(),
                                network=False)
        except Exception:
            return False
        uid = result.stdout.strip()
        return result.returncode == 0 and uid.isdigit() and int(uid) != 0


def safe_helpers(target: Path) -> Path:
    """Copy the student-safe part of ``helpers`` into ``target/helpers``; return ``target``.

    Left out: ``reference/``, ``recheck/`` and ``exercises/`` (reference implementations, the
    trusted re-check and the exercises' hidden-case generators).
    """
    source = Path(__file__).resolve().parent
    skip = {"reference", "recheck", "exercises", "__pycache__"}
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


# --- entering the sandbox (Linux system calls through ctypes) ---------------------------------

CLONE_NEWNS, CLONE_NEWPID, CLONE_NEWNET = 0x00020000, 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
PR_SET_PDEATHSIG, PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS = 1, 24, 38


@functools.lru_cache(maxsize=1)
def _libc():
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong,
                           ctypes.c_char_p]
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    libc.unshare.argtypes = [ctypes.c_int]
    return libc


def _check(result: int, what: str) -> None:
    if result != 0:
        import ctypes

        error = ctypes.get_errno()
        raise OSError(error, f"{what}: {os.strerror(error)}")


def _mount(source, target, fstype, flags: int, data: str | None = None) -> None:
    enc = (lambda v: None if v is None else str(v).encode())
    _check(_libc().mount(enc(source), enc(target), enc(fstype), flags, enc(data)),
           f"mount {source or fstype} on {target}")


def _prctl(option: int, value: int) -> None:
    _check(_libc().prctl(option, value, 0, 0, 0), f"prctl({option})")


def unshare(network: bool) -> None:
    """Move this process into new mount and PID namespaces (and a new network namespace unless
    ``network``); mounts made from now on stay private. The next child forked is PID 1 there."""
    flags = CLONE_NEWNS | CLONE_NEWPID | (0 if network else CLONE_NEWNET)
    _check(_libc().unshare(flags), "unshare")
    _mount(None, "/", None, MS_REC | MS_PRIVATE)


def _bind(source: Path, target: Path, writable: bool, strict: bool = True) -> None:
    _mount(source, target, None, MS_BIND | MS_REC)
    if not writable:
        try:
            _mount(None, target, None, MS_REMOUNT | MS_BIND | MS_RDONLY)
        except OSError:
            try:  # some kernels want the flags the original mount had
                _mount(None, target, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV)
            except OSError:
                if strict:
                    raise


def _build_root(spec: dict, uid: int) -> None:
    """Fill the (empty) folder ``spec["root"]`` with the sandbox's file system."""
    root = Path(spec["root"])
    _mount("tmpfs", root, "tmpfs", 0, "size=64m,mode=755")
    for name in SYSTEM_DIRS:
        (root / name).mkdir()
        _bind(Path("/") / name, root / name, writable=False, strict=False)  # root-owned anyway
    for link, target in SYMLINKS.items():
        if os.path.lexists(f"/{link}"):
            os.symlink(target, root / link)
    for name in ("dev", "tmp", "proc"):
        (root / name).mkdir()
    for device in ("null", "zero", "random", "urandom"):
        (root / "dev" / device).touch()
        _mount(f"/dev/{device}", root / "dev" / device, None, MS_BIND)
    _mount("tmpfs", root / "tmp", "tmpfs", MS_NOSUID | MS_NODEV, "size=512m,mode=1777")
    _mount("proc", root / "proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    if spec.get("fonts"):
        (root / "tmp" / ".mpl").mkdir()
        for font_list in Path(spec["fonts"]).glob("fontlist*.json"):
            shutil.copyfile(font_list, root / "tmp" / ".mpl" / font_list.name)
        _chown_tree(root / "tmp" / ".mpl", uid)
    for source, inside, writable in spec["binds"]:
        target = root / str(inside).lstrip("/")
        target.mkdir(parents=True, exist_ok=True)
        _bind(Path(source), target, writable=writable)
    _chown_tree(Path(spec["work"]), uid)


def _chown_tree(folder: Path, uid: int) -> None:
    os.chown(folder, uid, uid, follow_symlinks=False)
    for parent, folders, files in os.walk(folder):
        for name in folders + files:
            os.chown(os.path.join(parent, name), uid, uid, follow_symlinks=False)


def _sandbox_uid(spec: dict) -> int:
    """The sandbox's own user id, or ``nobody`` where the machine cannot map it."""
    uid = int(spec.get("uid", NOBODY))
    try:
        os.chown(spec["work"], uid, uid, follow_symlinks=False)
        return uid
    except OSError:
        return NOBODY


def _drop_privileges(limits: dict, uid: int) -> None:
    """Resource limits, then user ``uid`` with no capabilities and ``no_new_privs``."""
    import ctypes
    import resource

    megabyte = 1024 * 1024
    for which, value in ((resource.RLIMIT_AS, limits["memory_mb"] * megabyte),
                         (resource.RLIMIT_CPU, limits["cpu_seconds"]),
                         (resource.RLIMIT_FSIZE, limits["file_mb"] * megabyte),
                         (resource.RLIMIT_NOFILE, limits["open_files"]),
                         (resource.RLIMIT_NPROC, limits["processes"]),
                         (resource.RLIMIT_CORE, 0)):
        resource.setrlimit(which, (value, value))
    last_cap = int(Path("/proc/sys/kernel/cap_last_cap").read_text()) if Path(
        "/proc/sys/kernel/cap_last_cap").exists() else 40
    for cap in range(last_cap + 1):
        try:
            _prctl(PR_CAPBSET_DROP, cap)
        except OSError:
            pass  # a capability this kernel does not know
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                    ("inheritable", ctypes.c_uint32)]

    header, data = Header(0x20080522, 0), (Data * 2)()  # _LINUX_CAPABILITY_VERSION_3, all zero
    _check(_libc().capset(ctypes.byref(header), data), "capset")
    _prctl(PR_SET_NO_NEW_PRIVS, 1)


CGROUP_ROOT = Path("/sys/fs/cgroup")


def _cgroup_bases() -> dict:
    """``{controller: folder of this process's cgroup}`` for the cgroup v1 controllers the
    sandbox uses (``memory``, ``pids``) that are mounted and writable here."""
    bases = {}
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return bases
    for line in lines:
        _, controllers, path = line.split(":", 2)
        for controller in controllers.split(","):
            folder = CGROUP_ROOT / controller / path.lstrip("/")
            if controller in ("memory", "pids") and folder.is_dir() and os.access(folder, os.W_OK):
                bases[controller] = folder
    return bases


def cgroups_available() -> bool:
    """True when each sandbox can have its own memory and process limits (cgroup v1)."""
    return set(_cgroup_bases()) == {"memory", "pids"}


def _join_cgroups(spec: dict) -> list:
    """Put this process (and so everything the sandbox starts) into cgroups of its own that bound
    the memory and the number of processes of the whole sandbox. Best effort: where the machine
    has no cgroups, the per-process limits still hold. Returns the folders made (listed in the
    scratch folder's ``cgroups`` file, for :func:`release`)."""
    megabytes = (spec["limits"].get("sandbox_memory_mb") or spec["limits"]["memory_mb"]) * 1024 * 1024
    settings = {"memory": [("memory.limit_in_bytes", megabytes), ("memory.memsw.limit_in_bytes", megabytes)],
                "pids": [("pids.max", spec["limits"]["processes"])]}
    name = "course-" + Path(spec["root"]).parent.name
    made = []
    for controller, base in _cgroup_bases().items():
        group = base / name
        try:
            group.mkdir()
            made.append(str(group))
            (group / settings[controller][0][0]).write_text(str(settings[controller][0][1]))
        except OSError:
            continue  # no limit, no group
        for key, value in settings[controller][1:]:  # optional (swap accounting may be off)
            try:
                (group / key).write_text(str(value))
            except OSError:
                pass
        try:
            (group / "cgroup.procs").write_text("0")  # 0: the writing process
        except OSError:
            pass
    (Path(spec["root"]).parent / "cgroups").write_text("\n".join(made))
    return made


def release(scratch: Path, wait: float = 2.0) -> None:
    """Remove the cgroups of the sandbox whose scratch folder is ``scratch`` (once its processes
    are gone: they are killed with its first process, but not instantly)."""
    import time

    try:
        groups = [g for g in (Path(scratch) / "cgroups").read_text().splitlines() if g]
    except OSError:
        return
    deadline = time.monotonic() + wait
    for group in groups:
        while True:
            try:
                os.rmdir(group)
                break
            except FileNotFoundError:
                break
            except OSError:
                if time.monotonic() > deadline:
                    break
                time.sleep(0.02)


def enter(spec: dict, parent_alive_fd: int | None = None) -> None:
    """Called in the first process of new namespaces (see :func:`unshare`): build the file
    system, chroot, drop privileges, close every inherited file descriptor above 2 and set the
    environment to ``spec["env"]``. Dies with its parent from then on.

    ``parent_alive_fd``: the read end of a pipe whose write end the parent holds (end of file
    there means the parent is gone before the death signal was armed).
    """
    import select
    import signal

    _join_cgroups(spec)
    uid = _sandbox_uid(spec)
    _build_root(spec, uid)
    if spec.get("log") is not None:
        log = os.open(spec["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        null = os.open("/dev/null", os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.close(log)
        os.close(null)
    os.chroot(spec["root"])
    os.chdir(spec["chdir"])
    _drop_privileges(spec["limits"], uid)
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # after the uid change, which clears it
    if parent_alive_fd is not None and select.select([parent_alive_fd], [], [], 0)[0]:
        os._exit(1)
    os.closerange(3, 1 << 16)
    os.environ.clear()
    os.environ.update(spec["env"])


def supervise(pid: int, forward=(2, 15, 1), wall_seconds: int | None = None) -> int:
    """Wait for the sandbox's first process ``pid``, passing it the signals ``forward``
    (SIGINT, SIGTERM, SIGHUP) and killing it after ``wall_seconds``; return its exit status the
    way a shell reports it."""
    import signal

    for number in forward:
        signal.signal(number, lambda signum, frame: os.kill(pid, signum))
    if wall_seconds:
        signal.signal(signal.SIGALRM, lambda signum, frame: os.kill(pid, signal.SIGKILL))
        signal.alarm(int(wall_seconds))
    while True:
        try:
            _, status = os.waitpid(pid, 0)
            break
        except ChildProcessError:
            return 1
    return os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status)


def spec(work: Path, *, limits: Limits, network: bool, extra_binds=(), env: dict | None = None,
         chdir: str | None = None, helpers_dir: Path | None = None, data_dir: Path | None = None,
         log: Path | None = None, scratch_root: Path | None = None) -> tuple[dict, Path]:
    """A sandbox description (JSON-able): ``work`` is bound writable at the same path inside;
    ``helpers_dir`` (a folder holding a ``helpers`` package, default: a fresh
    :func:`safe_helpers` copy) at ``/opt/course`` and ``data_dir`` at ``/opt/data``, read-only.
    Returns (spec, scratch folder to delete afterwards), the scratch folder made in
    ``scratch_root`` (default: the system's temporary folder)."""
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
    }
    return description, scratch


def command(argv: list, work: Path, **kwargs) -> tuple[list, Path]:
    """The command line that runs ``argv`` (a sandboxed Python's argv) in a fresh sandbox
    (keywords: see :func:`spec`). Returns (command, scratch folder to delete afterwards)."""
    import json

    description, scratch = spec(work, **kwargs)
    description["argv"] = [str(python_paths()["executable"]), "-S"] + list(argv)
    (scratch / "spec.json").write_text(json.dumps(description))
    return [sys.executable, "-m", "helpers.sandbox", "run", str(scratch / "spec.json")], scratch


def _run_main(spec_path: str) -> None:
    """``python -m helpers.sandbox run SPEC``: run ``spec["argv"]`` in a fresh sandbox."""
    import json

    description = json.loads(Path(spec_path).read_text())
    alive_read, alive_write = os.pipe()
    unshare(description["network"])
    pid = os.fork()
    if pid == 0:
        try:
            os.close(alive_write)
            enter(description, alive_read)
            os.execv(description["argv"][0], description["argv"])
        except BaseException as error:  # noqa: BLE001 - report, never fall through
            os.write(2, f"sandbox: {type(error).__name__}: {error}\n".encode())
        os._exit(127)
    os.close(alive_read)
    code = supervise(pid, wall_seconds=description["limits"].get("wall_seconds"))
    release(Path(spec_path).parent)
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
        release(scratch)
        shutil.rmtree(scratch, ignore_errors=True)


def kernelspec(folder: Path, *, helpers_dir: Path, data_dir: Path, limits: Limits,
               name: str = "course-sandboxed", scratch: Path | None = None) -> str:
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
    """
    import json

    spec_dir = Path(folder) / "kernels" / name
    spec_dir.mkdir(parents=True, exist_ok=True)
    argv = [sys.executable, "-m", "helpers.sandbox", "kernel", "{connection_file}",
            "--helpers", str(helpers_dir), "--data", str(data_dir),
            "--memory-mb", str(limits.memory_mb), "--cpu-seconds", str(limits.cpu_seconds)]
    if limits.wall_seconds:
        argv += ["--wall-seconds", str(limits.wall_seconds)]
    if scratch is not None:
        Path(scratch).mkdir(parents=True, exist_ok=True)
        argv += ["--scratch", str(scratch)]
    (spec_dir / "kernel.json").write_text(json.dumps(
        {"argv": argv, "display_name": "Python 3 (course sandbox)", "language": "python"}))
    return name


def _kernel_main(args) -> None:
    """Entry of a sandboxed kernel (see :func:`kernelspec`): exec's the sandbox; never returns."""
    import json

    work = Path.cwd().resolve()
    connection = Path(args.connection_file).resolve()
    conn_dir = Path(tempfile.mkdtemp(prefix="course-kernel-", dir=args.scratch))
    limits = Limits(memory_mb=args.memory_mb, cpu_seconds=args.cpu_seconds, wall_seconds=args.wall_seconds)
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
    server = os.environ.get("COURSE_FORKSERVER")
    if server:  # started by the grader's fork server: the libraries are imported already
        from helpers import forkserver

        description, _scratch = spec(work, **options)
        try:
            child = forkserver.spawn(server, description, "ipykernel_launcher", kernel_argv)
        except OSError:
            child = None  # the server is gone: start a fresh process below
            shutil.rmtree(_scratch, ignore_errors=True)
        if child is not None:
            import signal

            for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                signal.signal(number, lambda signum, frame: child.send_signal(signum))
            code = child.wait()
            release(_scratch)
            shutil.rmtree(_scratch, ignore_errors=True)
            sys.exit(code)
    cmd, _scratch = command(["-m", "ipykernel_launcher", *kernel_argv], work, **options)
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
    k.add_argument("--scratch", default=None)
    k.add_argument("--wall-seconds", type=int, default=None)
    r = sub.add_parser("run")
    r.add_argument("spec")
    arguments = parser.parse_args()
    if arguments.what == "run":
        _run_main(arguments.spec)
    else:
        _kernel_main(arguments)
