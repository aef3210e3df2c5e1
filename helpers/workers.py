"""Grading processes that end with the run: one submission per process, nothing left behind.

nbgrader is not thread-safe, and a grading job sets process-wide state (``os.environ``, the fork
server of its process), so two submissions must never be graded in one process at the same time.
:func:`pool` makes a process pool whose processes

* ignore Ctrl-C (the main process decides what stops, see :func:`stop`),
* on SIGTERM, or when the process that started them goes away (a killed Dask worker, a killed
  ``course grade``), kill every process they started (kernels, fork server, sandboxes: found
  through ``/proc``, whatever session or group they made) and exit.

:func:`run_isolated` is the task a Dask worker runs: the job in a process of the worker's own
pool (as many processes as the worker has threads, whatever ``dask worker --nthreads`` says),
abandoned and killed when the run's stop flag (:func:`stop_flag`) is raised.
"""

from __future__ import annotations

import os
import signal
import threading
import time

#: How often a pool process looks whether the process that started it is still there (s).
PARENT_POLL_SECONDS = 0.5
#: How often a Dask task looks at the run's stop flag while its job runs (s).
STOP_POLL_SECONDS = 1.0


def _children_map() -> dict:
    """``{parent pid: [child pids]}`` of every process, read from ``/proc``."""
    children: dict = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
    return children


def children(pid: int) -> list:
    """The direct children of ``pid``."""
    return _children_map().get(pid, [])


def descendants(pid: int) -> list:
    """Every process under ``pid`` (children, their children...), read from ``/proc``."""
    tree = _children_map()
    found, todo = [], [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


#: Processes :func:`kill_descendants` leaves alone (see :func:`spare`).
_SPARED: set = set()


def spare(pid: int, keep: bool = True) -> None:
    """Leave the process ``pid`` alone when this process kills what it started (the gradebook
    writer, which finishes writing what was graded when a run is stopped); ``keep=False`` forgets it."""
    (_SPARED.add if keep else _SPARED.discard)(pid)


def kill_descendants(pid: int | None = None) -> None:
    """SIGKILL every process under ``pid`` (default: this one) but the spared ones, a few rounds
    (new ones may appear)."""
    pid = os.getpid() if pid is None else pid
    for _ in range(5):
        found = [p for p in descendants(pid) if p not in _SPARED]
        if not found:
            return
        for child in found:
            try:
                os.kill(child, signal.SIGKILL)
            except OSError:
                pass
        time.sleep(0.05)


_SCRATCH: set = set()


def scratch(path, keep: bool = True) -> None:
    """Remove ``path`` (a folder) if this pool process is ended before the job does it itself
    (``keep=False``: the job removed it; forget it)."""
    (_SCRATCH.add if keep else _SCRATCH.discard)(str(path))


def _end(*_):
    import shutil

    from helpers.sandbox import forkserver

    kill_descendants()  # the fork server among them
    for path in list(_SCRATCH) + list(forkserver.FOLDERS):  # (its folders, even mid-start)
        shutil.rmtree(path, ignore_errors=True)
    os._exit(143)


def watch_parent(parent: int) -> None:
    """In a process started by ``parent``: Ctrl-C is the parent's to handle; on SIGTERM, or when
    the parent goes, kill what this process started and exit (see the module's docstring)."""
    _child_init(parent)


def _child_init(parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _end)

    def watch():
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_SECONDS)
        _end()

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def pool(workers: int):
    """A pool of ``workers`` fresh (spawned) processes that end with this one (see above)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_child_init, initargs=(os.getpid(),))


def stop(executor) -> None:
    """Stop a pool now: nothing queued starts, every process (and what it started) ends."""
    processes = list((getattr(executor, "_processes", None) or {}).values())
    for process in processes:
        try:
            process.terminate()  # SIGTERM: the process kills what it started, then exits
        except (OSError, AttributeError):
            pass
    executor.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + 5
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()


# --- Dask ------------------------------------------------------------------------------------

_POOL = None
_POOL_LOCK = threading.Lock()


def stop_flag(name: str):
    """The run's stop flag (a :class:`distributed.Event`), shared by the client and its tasks."""
    from distributed import Event

    return Event(name)


def _worker_pool():
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            try:
                from distributed import get_worker

                threads = get_worker().state.nthreads
            except (ImportError, ValueError, AttributeError):
                threads = os.cpu_count() or 1
            # A Dask worker started by a nanny is a daemonic multiprocessing process, which
            # multiprocessing forbids to have children; these children end with it anyway (see
            # _child_init), as a daemon's would.
            import multiprocessing

            multiprocessing.current_process()._config.pop("daemon", None)
            _POOL = pool(max(1, int(threads)))
        return _POOL


def _drop_pool(broken) -> None:
    global _POOL
    with _POOL_LOCK:
        if _POOL is broken:
            stop(broken)
            _POOL = None


def run_isolated(stop_name: str | None, function, *args):
    """On a Dask worker: ``function(*args)`` in a process of this worker's pool, never beside
    another job in one process. Raises ``RuntimeError("stopped")`` when the run's stop flag is
    raised before it ends (its process and everything it started are then killed)."""
    from concurrent.futures import TimeoutError as Pending
    from concurrent.futures.process import BrokenProcessPool

    flag = stop_flag(stop_name) if stop_name else None
    for attempt in range(2):
        executor = _worker_pool()
        try:
            future = executor.submit(function, *args)
            while True:
                try:
                    return future.result(timeout=STOP_POLL_SECONDS)
                except Pending:
                    if flag is not None and flag.is_set():
                        _drop_pool(executor)  # the run stopped: end this job now
                        raise RuntimeError("stopped") from None
        except BrokenProcessPool:
            _drop_pool(executor)  # a process of the pool was killed: a fresh pool, once
            if attempt:
                raise
    raise AssertionError("unreachable")  # pragma: no cover
