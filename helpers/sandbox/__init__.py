"""Running untrusted student code in a sandbox.

A sandboxed process sees a minimal file system and nothing of the course: it runs in new
mount, PID and (where asked) network namespaces, chrooted into a fresh tmpfs holding read-only
binds of the system, of Python and its site-packages, of a student-safe copy of ``helpers`` (no
reference code) and of the data, plus one writable work folder, as a user of its own with no
capabilities and ``no_new_privs``, under the limits of :class:`Limits`. So student code cannot
read the gradebook, the source notebooks, the reference implementations or other students'
work, cannot write anywhere but its own folder, and (with ``network=False``) cannot reach the
network. It needs Linux and root, nothing else; :func:`available` says whether this machine
allows it (:func:`why_unavailable` says why not), and callers fall back to plain processes
under rlimits and say so.

The package:

- :mod:`~helpers.sandbox.core`: the security core, to audit in one sitting: :class:`Limits`
  (every default declared once), :func:`start` (the one way to start a confined process),
  :func:`supervise` (the one supervisor), namespaces, root, privileges, rlimits, cgroups;
- :mod:`~helpers.sandbox.record`: :class:`Enforcement`, the record of what was actually
  enforced, made on the trusted side and attached to every graded submission;
- :mod:`~helpers.sandbox.launch`: describing a sandbox (:func:`spec`), a fresh sandboxed
  process (:func:`command`, :func:`run_python`), the plain-process record (:func:`plain`);
- :mod:`~helpers.sandbox.forkserver`: the same sandboxes started from a pre-imported process;
- :mod:`~helpers.sandbox.kernel`: the Jupyter kernel nbgrader runs (:func:`kernelspec`).

Imports go one way only: record <- core <- launch <- forkserver <- kernel.
"""

from helpers.sandbox.record import (NAMESPACES, SANDBOX_UIDS, Enforcement, describe, read_records,  # noqa: F401
                                    weaker, write_record)
from helpers.sandbox.core import (NOBODY, Limits, cgroups_available, enter, release, start,  # noqa: F401
                                  supervise, unshare)
from helpers.sandbox.launch import (BLAS_CHOICE, RECORD_ENV, Result, available, blas_env,  # noqa: F401
                                    command, font_cache, plain, python_paths, run_python, safe_helpers,
                                    spec, why_plain, why_unavailable)
from helpers.sandbox import forkserver  # noqa: F401, E402
from helpers.sandbox.kernel import kernelspec  # noqa: F401, E402
