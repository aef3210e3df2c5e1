"""The fork server lives in :mod:`helpers.sandbox.forkserver`; ``from helpers import forkserver``
gives that same module (not a copy: its state, such as the running server, is one)."""

import sys

from helpers.sandbox import forkserver as _module

sys.modules[__name__] = _module
