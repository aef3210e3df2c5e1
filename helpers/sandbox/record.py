"""The record of what a sandbox actually enforced (:class:`Enforcement`), as the grader stores
and shows it. Made only on the trusted side (see :func:`helpers.sandbox.core.start`, and
:func:`plain` for a process that ran without the sandbox)."""

from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass, field

#: Each sandbox runs as a user of its own, drawn from this range (no account, no files outside
#: the sandbox): processes of one sandbox can then never count against, or signal, another's.
SANDBOX_UIDS = (1_900_000_000, 1_999_999_999)
NAMESPACES = ("mnt", "pid", "net")


@dataclass
class Enforcement:
    """What was actually enforced on one confined process, as the trusted side saw it.

    ``mode``: ``"sandbox"``, ``"plain-process"`` (no namespaces: rlimits only, see ``reason``) or
    ``"failed"``. ``cgroups`` maps ``memory``/``pids`` to the limit applied (bytes, processes) or
    to why none was; ``rlimits`` maps each resource limit applied to its value.
    """

    mode: str
    program: str = ""
    uid: int | None = None
    namespaces: list = field(default_factory=list)
    chroot: bool = False
    no_new_privs: bool = False
    capabilities_dropped: bool = False
    cgroups: dict = field(default_factory=dict)
    rlimits: dict = field(default_factory=dict)
    reason: str = ""

    def weaknesses(self) -> list:
        """What this process had less of than a full sandbox (empty: nothing)."""
        if self.mode == "failed":
            return [f"the sandbox failed to start ({self.reason or 'no report'})"]
        if self.mode != "sandbox":
            limits = "rlimits only" if self.rlimits else "no limits at all"
            return [f"plain process ({self.reason or 'no sandbox'}): no namespaces, no chroot, "
                    f"uid {self.uid}, {limits}"]
        weak = [f"no {name} namespace" for name in NAMESPACES if name not in self.namespaces]
        if self.uid is None or not SANDBOX_UIDS[0] <= self.uid <= SANDBOX_UIDS[1]:
            weak.append(f"not a user of its own (uid {self.uid})")
        weak += [what for ok, what in ((self.chroot, "no chroot"), (self.no_new_privs, "no no_new_privs"),
                                       (self.capabilities_dropped, "capabilities kept")) if not ok]
        weak += [f"no {name} cgroup ({value})" for name, value in sorted(self.cgroups.items())
                 if not isinstance(value, int)]
        return weak

    def summary(self) -> str:
        """One line: the mode, and what is weaker than a full sandbox."""
        weak = self.weaknesses()
        if self.mode == "sandbox" and not weak:
            return (f"sandbox (uid {self.uid}, namespaces {'+'.join(self.namespaces)}, chroot, no capabilities, "
                    f"cgroups {'+'.join(sorted(self.cgroups))}, rlimits {'+'.join(sorted(self.rlimits))})")
        return f"WEAKER {self.mode}: " + "; ".join(weak)


def write_record(path, record: Enforcement) -> None:
    """Append ``record`` as one JSON line to ``path`` (a file of the grader's, never followed)."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    try:
        os.write(fd, json.dumps(dataclasses.asdict(record)).encode() + b"\n")
    finally:
        os.close(fd)


def read_records(path) -> list:
    """The records appended to ``path`` (a file only the trusted side writes), oldest first;
    none when it is missing. Lines that are not a record are skipped."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return []
    with os.fdopen(fd, "rb") as handle:
        lines = handle.read(1 << 20).splitlines()
    found = []
    for line in lines:
        try:
            found.append(Enforcement(**json.loads(line)))
        except (ValueError, TypeError):
            continue
    return found


def describe(records) -> str:
    """One line for a submission's records (dicts or :class:`Enforcement`): each distinct
    program's summary, or why there is none."""
    if not records:
        return "no record (nothing ran, or graded before records were kept)"
    lines = {}
    for item in records:
        item = item if isinstance(item, Enforcement) else Enforcement(**item)
        lines.setdefault(item.summary(), []).append(item.program or "?")
    return "; ".join(f"{', '.join(sorted(set(p)))}: {s}" for s, p in lines.items())


def weaker(records) -> list:
    """What any of ``records`` had less of than a full sandbox (no record at all counts)."""
    if not records:
        return ["no record of what was enforced"]
    found = []
    for item in records:
        item = item if isinstance(item, Enforcement) else Enforcement(**item)
        found += [f"{item.program or '?'}: {w}" for w in item.weaknesses() if f"{item.program or '?'}: {w}" not in found]
    return found
