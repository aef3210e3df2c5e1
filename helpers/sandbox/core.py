"""The sandbox's security core: the limits, the one way to start a confined process, the one
supervisor, and how the record of what was actually enforced is made.

A confined process runs in new mount, PID and (unless asked otherwise) network namespaces,
chrooted into a fresh tmpfs holding read-only binds of the system, of Python and of what the
caller lists, plus one writable work folder, as a user of its own with no capabilities and
``no_new_privs``, under :class:`Limits` (rlimits per process; cgroup v1 memory and pids for the
whole sandbox where the machine has them; a wall clock kept by the supervisor).

:func:`start` is the only entry. Its child enters the sandbox (:func:`enter`) as root, before any
program code runs, reports what it applied as one JSON line on a pipe and closes it, then waits;
the supervisor reads the child's ``/proc`` entry (user, capabilities, ``no_new_privs``,
namespaces, root) and only then lets it run the program. So the :class:`Enforcement` record comes
from the trusted side only: nothing the sandboxed program writes is ever read as one.
"""

from __future__ import annotations

import ctypes
import dataclasses
import functools
import json
import os
import select
import shutil
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from helpers.sandbox.record import NAMESPACES, Enforcement, write_record

NOBODY = 65534
SYSTEM_DIRS = ("usr", "etc")
SYMLINKS = {"bin": "usr/bin", "lib": "usr/lib", "lib64": "usr/lib64", "sbin": "usr/sbin"}
CGROUP_ROOT = Path("/sys/fs/cgroup")
MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Every resource limit of a sandbox; each default is declared here and nowhere else (the
    grader's settings take theirs from this class).

    ``memory_mb`` bounds each process's address space (RLIMIT_AS) and, with cgroups, the memory
    of the whole sandbox (``sandbox_memory_mb`` when that should differ); ``processes`` bounds
    its processes and threads (RLIMIT_NPROC of its own user, and a pids cgroup).
    """

    memory_mb: int = 3072
    sandbox_memory_mb: int | None = None  # the whole sandbox (cgroup); None: memory_mb
    cpu_seconds: int = 900  # CPU time of each process (RLIMIT_CPU)
    file_mb: int = 256  # largest file it may write (RLIMIT_FSIZE)
    open_files: int = 256
    processes: int = 256
    wall_seconds: int | None = None  # the whole sandbox is killed after this long (None: never)

    def __post_init__(self):
        for name, value in dataclasses.asdict(self).items():
            if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value <= 0):
                raise ValueError(f"Limits.{name} must be a positive whole number, not {value!r}")


# --- Linux system calls through ctypes --------------------------------------------------------

CLONE_NEWNS, CLONE_NEWPID, CLONE_NEWNET = 0x00020000, 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
PR_SET_PDEATHSIG, PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS = 1, 24, 38


@functools.lru_cache(maxsize=1)
def _libc():
    libc = ctypes.CDLL(None, use_errno=True)
    libc.mount.argtypes = [ctypes.c_char_p] * 3 + [ctypes.c_ulong, ctypes.c_char_p]
    libc.prctl.argtypes = [ctypes.c_int] + [ctypes.c_ulong] * 4
    libc.unshare.argtypes = [ctypes.c_int]
    return libc


def _check(result: int, what: str) -> None:
    if result != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"{what}: {os.strerror(error)}")


def _mount(source, target, fstype, flags: int, data: str | None = None) -> None:
    enc = (lambda v: None if v is None else str(v).encode())
    _check(_libc().mount(enc(source), enc(target), enc(fstype), flags, enc(data)),
           f"mount {source or fstype} on {target}")


def prctl(option: int, value: int) -> None:
    _check(_libc().prctl(option, value, 0, 0, 0), f"prctl({option})")


def unshare(network: bool) -> None:
    """Move this process into new mount and PID namespaces (and a new network namespace unless
    ``network``); mounts made from now on stay private. The next child forked is PID 1 there."""
    _check(_libc().unshare(CLONE_NEWNS | CLONE_NEWPID | (0 if network else CLONE_NEWNET)), "unshare")
    _mount(None, "/", None, MS_REC | MS_PRIVATE)


# --- the sandbox's file system, user and limits -------------------------------------------------

def _bind(source: Path, target: Path, writable: bool, strict: bool = True) -> None:
    _mount(source, target, None, MS_BIND | MS_REC)
    # Read-only: some kernels want the flags the original mount had as well.
    for extra in ([] if writable else [0, MS_NOSUID | MS_NODEV]):
        try:
            return _mount(None, target, None, MS_REMOUNT | MS_BIND | MS_RDONLY | extra)
        except OSError:
            if strict and extra:
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


def rlimits(limits: dict, processes: bool = True) -> dict:
    """``{name: (resource, value)}``: the per-process limits of ``limits`` (a :class:`Limits` as a
    dict). ``processes``: RLIMIT_NPROC too (it counts every process of the user, so only for a
    user of the sandbox's own)."""
    import resource

    wanted = {"as": (resource.RLIMIT_AS, limits["memory_mb"] * MB), "cpu": (resource.RLIMIT_CPU, limits["cpu_seconds"]),
              "fsize": (resource.RLIMIT_FSIZE, limits["file_mb"] * MB),
              "nofile": (resource.RLIMIT_NOFILE, limits["open_files"]), "core": (resource.RLIMIT_CORE, 0)}
    return dict(wanted, nproc=(resource.RLIMIT_NPROC, limits["processes"])) if processes else wanted


def apply_rlimits(limits: dict, processes: bool = True) -> dict:
    """Set :func:`rlimits` on this process; returns ``{name: value}`` as it now has them."""
    import resource

    wanted = rlimits(limits, processes)
    for which, value in wanted.values():
        resource.setrlimit(which, (value, value))
    return {name: resource.getrlimit(which)[1] for name, (which, _) in wanted.items()}


def _drop_privileges(limits: dict, uid: int) -> dict:
    """Resource limits, then user ``uid`` with no capabilities and ``no_new_privs``."""
    applied = apply_rlimits(limits)
    last = Path("/proc/sys/kernel/cap_last_cap")
    for cap in range(int(last.read_text()) + 1 if last.exists() else 41):
        try:
            prctl(PR_CAPBSET_DROP, cap)
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
    prctl(PR_SET_NO_NEW_PRIVS, 1)
    return applied


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


def _join_cgroups(spec: dict) -> dict:
    """Put this process (and so everything the sandbox starts) into cgroups of its own that bound
    the memory and the number of processes of the whole sandbox. Best effort: where the machine
    has no cgroups, the per-process limits still hold. Returns ``{controller: limit applied, or
    why none}``; the folders made are listed in the scratch folder's ``cgroups`` file, for
    :func:`release`."""
    limits = spec["limits"]
    settings = {"memory": ["memory.limit_in_bytes", (limits.get("sandbox_memory_mb") or limits["memory_mb"]) * MB,
                           "memory.memsw.limit_in_bytes"],
                "pids": ["pids.max", limits["processes"]]}
    bases, name, made, applied = _cgroup_bases(), "course-" + Path(spec["root"]).parent.name, [], {}
    for controller, (key, value, *optional) in settings.items():
        if controller not in bases:
            applied[controller] = "no writable cgroup v1 controller here"
            continue
        group = bases[controller] / name
        try:
            group.mkdir()
            made.append(str(group))
            (group / key).write_text(str(value))
            for extra in optional:  # swap accounting may be off
                try:
                    (group / extra).write_text(str(value))
                except OSError:
                    pass
            (group / "cgroup.procs").write_text("0")  # 0: the writing process
            applied[controller] = value
        except OSError as error:
            applied[controller] = f"not applied: {error.strerror or error}"
    (Path(spec["root"]).parent / "cgroups").write_text("\n".join(made))
    return applied


def release(scratch: Path, wait: float = 2.0) -> None:
    """Remove the cgroups of the sandbox whose scratch folder is ``scratch`` (once its processes
    are gone: they are killed with its first process, but not instantly)."""
    try:
        groups = [g for g in (Path(scratch) / "cgroups").read_text().splitlines() if g]
    except OSError:
        return
    deadline = time.monotonic() + wait
    for group in groups:
        while os.path.isdir(group):
            try:
                os.rmdir(group)
            except OSError:
                if time.monotonic() > deadline:
                    break
                time.sleep(0.02)


# --- starting and supervising one sandbox -------------------------------------------------------

def enter(spec: dict, report_fd: int, go_fd: int) -> None:
    """In the first process of new namespaces (see :func:`start`), as root: join cgroups, build
    the file system, chroot, drop privileges; report what was applied on ``report_fd`` and close
    it; wait for the supervisor's go-ahead on ``go_fd`` (end of file: it is gone); close every
    inherited file descriptor above 2 and set the environment to ``spec["env"]``."""
    cgroups = _join_cgroups(spec)
    uid = _sandbox_uid(spec)
    _build_root(spec, uid)
    if spec.get("log") is not None:
        log = os.open(spec["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        null = os.open("/dev/null", os.O_RDONLY)
        for fd, target in ((null, 0), (log, 1), (log, 2)):
            os.dup2(fd, target)
        os.close(log)
        os.close(null)
    os.chroot(spec["root"])
    os.chdir(spec["chdir"])
    rlimits = _drop_privileges(spec["limits"], uid)
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # after the uid change, which clears it
    os.write(report_fd, json.dumps({"cgroups": cgroups, "rlimits": rlimits}).encode() + b"\n")
    os.close(report_fd)
    if os.read(go_fd, 1) != b"g":
        os._exit(1)
    os.closerange(3, 1 << 16)
    os.environ.clear()
    os.environ.update(spec["env"])


def _namespaces(pid) -> dict:
    return {name: os.readlink(f"/proc/{pid}/ns/{name}") for name in NAMESPACES}


def _observe(pid: int, before: dict, reported: bytes, program: str) -> Enforcement:
    """The record of the child ``pid``, stopped before its program: what its trusted entry
    reported, and what its ``/proc`` entry shows (``before``: the namespaces it left)."""
    try:
        report = json.loads(reported.partition(b"\n")[0])
        status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                      if ":" in line)
        caps = [int(status[key], 16) for key in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")
                if key in status]
        return Enforcement(
            mode="sandbox", program=program, uid=int(status["Uid"].split()[0]),
            namespaces=[n for n, ns in _namespaces(pid).items() if ns != before[n]],
            chroot=os.readlink(f"/proc/{pid}/root") != "/", no_new_privs=status.get("NoNewPrivs", "").strip() == "1",
            capabilities_dropped=len(caps) >= 4 and not any(caps),
            cgroups=dict(report["cgroups"]), rlimits=dict(report["rlimits"]))
    except (OSError, ValueError, KeyError, TypeError) as error:
        return Enforcement(mode="failed", program=program, reason=f"no report from its entry ({error})"[:200])


def start(spec: dict, run, program: str = "") -> tuple[int, Enforcement]:
    """The one way to start a confined process: new namespaces for this process (it becomes the
    supervisor, see :func:`supervise`), then a child that enters the sandbox (:func:`enter`) and
    calls ``run()`` (which runs the program and returns its exit code, or never returns).
    Returns (the child's pid, what was enforced on it), the record also appended to
    ``spec["record"]`` when that is set."""
    before = _namespaces("self")
    report_read, report_write = os.pipe()
    go_read, go_write = os.pipe()
    unshare(spec["network"])
    pid = os.fork()
    if pid == 0:
        code = 127
        try:
            os.close(report_read)
            os.close(go_write)
            enter(spec, report_write, go_read)
            code = run()
        except BaseException as error:  # noqa: BLE001 - report, never fall through
            try:
                os.write(2, f"sandbox: {type(error).__name__}: {error}\n".encode())
            except OSError:
                pass
        finally:
            os._exit(code if isinstance(code, int) else 1)
    os.close(report_write)
    os.close(go_read)
    reported, chunk, deadline = b"", b"-", time.monotonic() + 60
    while chunk and time.monotonic() < deadline:  # until end of file: the child closed its end
        if select.select([report_read], [], [], 1.0)[0]:
            chunk = os.read(report_read, 1 << 16)
            reported += chunk
    os.close(report_read)
    record = _observe(pid, before, reported, program)
    try:
        os.write(go_write, b"g" if record.mode == "sandbox" else b"x")
    except OSError:
        pass  # already gone
    os.close(go_write)
    if spec.get("record"):
        write_record(spec["record"], record)
    return pid, record


def supervise(pid: int, wall_seconds: int | None = None, forward=(2, 15, 1), channel=None) -> int:
    """The one supervisor: wait for the sandbox's first process ``pid``, kill it after
    ``wall_seconds``, pass it the signals ``forward`` that this process receives (SIGINT, SIGTERM,
    SIGHUP), and when ``channel = (fd, handle)`` is given call ``handle()`` whenever ``fd`` is
    readable (it returns False when the sandbox must die: its client is gone). Returns the exit
    status the way a shell reports it (128 + the signal that killed it)."""
    for number in forward:
        signal.signal(number, lambda signum, frame: _kill(pid, signum))
    try:
        pidfd = os.pidfd_open(pid)  # readable when it ends (Linux >= 5.3)
    except (AttributeError, OSError):
        pidfd = None  # an older kernel: look every 50 ms
    watched = ([pidfd] if pidfd is not None else []) + ([channel[0]] if channel else [])
    deadline = time.monotonic() + wall_seconds if wall_seconds else None
    try:
        while True:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            if pidfd is None:
                left = 0.05 if left is None else min(left, 0.05)
            ready = select.select(watched, [], [], left)[0]
            if deadline is not None and time.monotonic() >= deadline:  # its time is up
                _kill(pid, signal.SIGKILL)
                deadline = None
            try:
                ended, status = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                return 1
            if ended == pid:
                code = os.waitstatus_to_exitcode(status)
                return code if code >= 0 else 128 - code
            if channel and channel[0] in ready and not channel[1]():
                _kill(pid, signal.SIGKILL)
                watched.remove(channel[0])
    finally:
        if pidfd is not None:
            os.close(pidfd)


def _kill(pid: int, number: int) -> None:
    try:
        os.kill(pid, number)
    except ProcessLookupError:
        pass
