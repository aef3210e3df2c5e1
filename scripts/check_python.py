"""Set-up's first step: is this Python new enough, and does it match an existing venv?

    python scripts/check_python.py MIN_VERSION VENV [explicit]

Exits 1 with a message saying what to do when the interpreter running this script is older
than MIN_VERSION (for example 3.11), or when ``explicit`` is given (the user chose PYTHON=) and
VENV already exists with another Python version. Written to run on any Python, 2.7 included,
so that an old interpreter gets the message rather than a syntax error.
"""
import os
import sys


def venv_version(venv):
    """'3.11' for a venv made by Python 3.11, from its pyvenv.cfg; None when there is none."""
    path = os.path.join(venv, "pyvenv.cfg")
    if not os.path.isfile(path):
        return None
    for line in open(path):
        key, _, value = line.partition("=")
        if key.strip() in ("version", "version_info"):
            return ".".join(value.strip().split(".")[:2])
    return None


def main(argv):
    minimum = tuple(int(part) for part in argv[1].split("."))
    venv = argv[2]
    explicit = len(argv) > 3 and argv[3] == "explicit"
    found = "%d.%d" % sys.version_info[:2]
    if sys.version_info[:2] < minimum:
        sys.stderr.write(
            "Python %s or newer is needed; PYTHON is %s (%s).\n"
            "Install a newer Python and name it, for example: make test PYTHON=python3.12\n"
            % (argv[1], found, sys.executable))
        return 1
    existing = venv_version(venv)
    if explicit and existing is not None and existing != found:
        sys.stderr.write(
            "%s was made with Python %s, but PYTHON is Python %s (%s).\n"
            "Either remove it first (rm -rf %s) or keep both side by side with another folder:\n"
            "  make test PYTHON=%s VENV=.venv-%s\n"
            % (venv, existing, found, sys.executable, venv, os.path.basename(sys.executable), found))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
