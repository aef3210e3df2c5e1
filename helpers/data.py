"""Course data: the cat photos.

The two HDF5 files are never committed. Set-up (``course data``, run by ``make data``) puts
verified copies in the data folder (:func:`data_dir`). For each file it tries these places in
order and keeps the first copy whose SHA256 matches :data:`CAT_FILES`:

1. ``../shared/datasets/catvnoncat/`` beside the project (skipped when ``COURSE_DATA_SHARED=none``);
2. the folder in ``$COURSE_DATA_SOURCE``;
3. ``$COURSE_DATA_URL/<file name>``: any base URL urllib opens (https, http, file);
4. the built-in public mirrors, :data:`MIRRORS`: the GitHub repository
   ``ramakris/coursera-deeplearning`` pinned at commit :data:`MIRROR_COMMIT` (so the bytes never
   change), folder ``neuralnetworks/week2/datasets/``, then ``neuralnetworks/week4/datasets/``::

       https://raw.githubusercontent.com/ramakris/coursera-deeplearning/36b93f03a20d3f3228a299308121c88d78d5b0a9/neuralnetworks/week2/datasets/<file name>

   (Not that repository's top-level ``datasets/``: it holds 8 KB stand-ins, not the data.)

Environment variables (an empty one counts as unset):

``COURSE_DATA_DIR``      where the data lives (default ``<project>/data``; ``./data`` in a bundle)
``COURSE_DATA_SHARED``   ``none``: do not look in ``../shared/datasets/catvnoncat/``
``COURSE_DATA_SOURCE``   a folder that holds the files
``COURSE_DATA_URL``      a base URL that serves them (``/<file name>`` is appended)
``COURSE_DATA_MIRRORS``  ``none``: no built-in mirror (an offline machine fails at once), or
                         space-separated base URLs tried instead of the built-in ones
``COURSE_DATA_TIMEOUT``  seconds a connection may stay silent before the attempt fails (30)
``COURSE_DATA_RETRIES``  further attempts after a transient failure: timeout, no connection,
                         connection lost, truncated download, HTTP 5xx/408/429 (2; at most 10)
``COURSE_DATA_BACKOFF``  seconds before the first retry, doubled before each next one (1)

A download logs its progress (bytes so far / total). Every copy is first written to a temporary
``<file name>.<random>.part`` in the data folder, checked against its SHA256, and renamed into
place only when it matches; on any failure (Ctrl-C included) the temporary file is deleted, so a
partial or wrong file is never kept and a good file is never replaced by a bad one. When no place
has a good copy, :class:`DataError` lists every place tried and why (folder missing, file not
there, HTTP status, checksum mismatch, a Git LFS pointer or an HTML page instead of the file,
truncated download, timeout, no network), then what to do.

Notebooks call :func:`load_cat_data`, which finds the files wherever nbgrader runs the notebook
and says exactly what to run when they are missing or corrupt. ``import helpers.data`` has no
side effects and loads no network code.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

#: File name -> SHA256 of the published cat data (209 train and 50 test images, 64x64x3 uint8).
CAT_FILES = {
    "train_catvnoncat.h5": "fbe56ab67c3ae28d564e3a644189117976d6b31af0a3ce9bb17dbf22908af242",
    "test_catvnoncat.h5": "6a9d39ce52fa85953c5834695b8534a30ed8cfd54971fb2f080b5a24d002b951",
}
#: File name -> size in bytes of the published files (only used to explain a mismatch).
CAT_SIZES = {"train_catvnoncat.h5": 2572022, "test_catvnoncat.h5": 616958}

#: The built-in public mirror: a GitHub repository pinned at one commit, so the bytes never change.
MIRROR_REPOSITORY = "ramakris/coursera-deeplearning"
MIRROR_COMMIT = "36b93f03a20d3f3228a299308121c88d78d5b0a9"
MIRROR_FOLDERS = ("neuralnetworks/week2/datasets", "neuralnetworks/week4/datasets")
#: Base URLs tried last, in order (the file name is appended).
MIRRORS = tuple(
    f"https://raw.githubusercontent.com/{MIRROR_REPOSITORY}/{MIRROR_COMMIT}/{folder}"
    for folder in MIRROR_FOLDERS
)

DATA_DIR_ENV = "COURSE_DATA_DIR"  # where the data lives (default: <project>/data)
SHARED_ENV = "COURSE_DATA_SHARED"  # "none": skip ../shared/datasets/catvnoncat
SOURCE_ENV = "COURSE_DATA_SOURCE"  # a folder to copy from
URL_ENV = "COURSE_DATA_URL"  # a base URL to download from
MIRRORS_ENV = "COURSE_DATA_MIRRORS"  # "none", or base URLs replacing MIRRORS
TIMEOUT_ENV = "COURSE_DATA_TIMEOUT"
RETRIES_ENV = "COURSE_DATA_RETRIES"
BACKOFF_ENV = "COURSE_DATA_BACKOFF"
OFF = "none"  # the value that turns COURSE_DATA_SHARED / COURSE_DATA_MIRRORS off

DEFAULT_TIMEOUT = 30.0
DEFAULT_RETRIES = 2
MAX_RETRIES = 10
DEFAULT_BACKOFF = 1.0

LFS_POINTER_PREFIX = b"version https://git-lfs.github.com/spec/"

SETUP_HINT = "run `make data` in the course folder (or `course data`)"


class DataError(RuntimeError):
    """The course data is missing or corrupt; the message says what to run."""


def project_root() -> Path | None:
    """The course checkout this package was installed from, or None (installed elsewhere)."""
    root = Path(__file__).resolve().parents[1]
    return root if (root / "nbgrader_config.py").exists() else None


def data_dir() -> Path:
    """The folder that holds (or will hold) the data files.

    ``$COURSE_DATA_DIR`` if set, else ``<project>/data`` for a course checkout, else ``./data``
    beside the notebook (a student bundle).
    """
    if os.environ.get(DATA_DIR_ENV):
        return Path(os.environ[DATA_DIR_ENV]).expanduser().resolve()
    root = project_root()
    if root is not None:
        return root / "data"
    return Path.cwd() / "data"


def sha256(path: Path) -> str:
    """Hex SHA256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def problems(directory: Path | None = None) -> list[str]:
    """What is wrong with the data in ``directory``: one line a file, [] when all is well."""
    directory = Path(directory) if directory is not None else data_dir()
    found = []
    for name, expected in CAT_FILES.items():
        path = directory / name
        if not path.exists():
            found.append(f"{path} is missing")
        elif sha256(path) != expected:
            found.append(f"{path} is corrupt (its SHA256 differs from the published one)")
    return found


def verify(directory: Path | None = None) -> Path:
    """Return the data folder if every file is present and intact, else raise :class:`DataError`."""
    directory = Path(directory) if directory is not None else data_dir()
    found = problems(directory)
    if found:
        raise DataError(
            "The cat data is not ready: " + "; ".join(found) + f". To fix it, {SETUP_HINT}."
        )
    return directory


# --- Where the data comes from ----------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """One place the files may come from: a folder, or a base URL (the file name is appended)."""

    label: str  # how the message names it: "../shared", "$COURSE_DATA_SOURCE", "mirror 1", ...
    location: str  # the folder, or the base URL
    is_url: bool

    def of(self, name: str) -> str:
        """Where this place keeps the file ``name``."""
        if self.is_url:
            return self.location.rstrip("/") + "/" + name
        return str(Path(self.location) / name)

    @property
    def host(self) -> str | None:
        """The network host of an http(s) place (None for folders and file: URLs)."""
        if not self.is_url:
            return None
        from urllib.parse import urlsplit

        parts = urlsplit(self.location)
        return parts.netloc.lower() if parts.scheme.lower() in ("http", "https") else None


def _env(name: str) -> str:
    return os.environ.get(name, "").strip()


def _switch(name: str) -> bool:
    """False when the variable says ``none``; True when unset. Anything else is a mistake."""
    value = _env(name)
    if value and value.lower() != OFF:
        raise DataError(f"${name} is {value!r}: set it to `{OFF}`, or leave it unset.")
    return not value


def shared_folder() -> Path | None:
    """``../shared/datasets/catvnoncat`` beside the project, or None (not a course checkout, or
    ``COURSE_DATA_SHARED=none``)."""
    root = project_root()
    if root is None or not _switch(SHARED_ENV):
        return None
    return root.parent / "shared" / "datasets" / "catvnoncat"


def mirror_urls() -> tuple[str, ...]:
    """The mirrors' base URLs: :data:`MIRRORS`, or ``$COURSE_DATA_MIRRORS`` (``none``: none)."""
    value = _env(MIRRORS_ENV)
    if not value:
        return MIRRORS
    if value.lower() == OFF:
        return ()
    return tuple(value.split())


def _plan(source=None, url=None, mirrors=None) -> tuple[list[Place], list[str]]:
    """The places to try, in order, and a note for each kind of place that is off or unset."""
    places, unused = [], []
    if source is not None:
        places.append(Place("source folder", str(Path(source).expanduser()), False))
    else:
        shared = shared_folder()
        if shared is not None:
            places.append(Place("../shared", str(shared), False))
        elif project_root() is not None:
            unused.append(f"../shared is off (${SHARED_ENV}={OFF})")
        if _env(SOURCE_ENV):
            places.append(Place(f"${SOURCE_ENV}", str(Path(_env(SOURCE_ENV)).expanduser()), False))
        else:
            unused.append(f"${SOURCE_ENV} is not set")
    if url is None:
        url, url_label = _env(URL_ENV), f"${URL_ENV}"
        if not url:
            unused.append(f"${URL_ENV} is not set")
    else:
        url_label = "URL"
    if url:
        places.append(Place(url_label, url, True))
    mirrors = mirror_urls() if mirrors is None else tuple(mirrors)
    if not mirrors:
        unused.append(f"the built-in mirrors are off (${MIRRORS_ENV}={OFF})")
    for number, base in enumerate(mirrors, 1):
        places.append(Place(f"mirror {number}", base, True))
    return places, unused


def data_places(source: Path | None = None, url: str | None = None, mirrors=None) -> list[Place]:
    """The places :func:`place_cat_data` tries, in order (same arguments, same defaults)."""
    return _plan(source, url, mirrors)[0]


def default_source() -> Path | None:
    """The first folder set-up copies from (kept for compatibility; see :func:`data_places`):
    the first of ``../shared/datasets/catvnoncat`` and ``$COURSE_DATA_SOURCE`` that exists, else
    the first of them that is configured, else None."""
    folders = [Path(place.location) for place in data_places(url="", mirrors=()) if not place.is_url]
    return next((folder for folder in folders if folder.is_dir()), folders[0] if folders else None)


# --- Fetching one file ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Settings:
    timeout: float
    retries: int
    backoff: float


def _number(value, argument: str, name: str, default: float, kind=float, low: float = 0.0,
            high: float | None = None):
    """``value`` if given, else ``$name`` if set, else ``default``; checked against the limits."""
    said = f"{argument}={value!r}"
    if value is None:
        text = _env(name)
        if not text:
            return kind(default)
        said = f"${name} is {text!r}"
        try:
            value = kind(text)
        except ValueError:
            raise DataError(f"{said}: give a number, or leave it unset.") from None
    if value < low or (high is not None and value > high):
        limits = f"at least {low:g}" + (f" and at most {high:g}" if high is not None else "")
        raise DataError(f"{said}: it must be {limits}.")
    return kind(value)


def _settings(timeout=None, retries=None, backoff=None) -> _Settings:
    return _Settings(
        timeout=_number(timeout, "timeout", TIMEOUT_ENV, DEFAULT_TIMEOUT, float, low=0.001),
        retries=_number(retries, "retries", RETRIES_ENV, DEFAULT_RETRIES, int, high=MAX_RETRIES),
        backoff=_number(backoff, "backoff", BACKOFF_ENV, DEFAULT_BACKOFF, float),
    )


class _Failed(Exception):
    """One place could not give one file; ``reason`` says why, for the final message."""

    def __init__(self, reason: str, transient: bool = False, unreachable: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.transient = transient  # worth another attempt at the same place
        self.unreachable = unreachable  # the host did not answer: skip it for the other files


def _copy_from_folder(place: Place, name: str, temp: Path) -> None:
    folder = Path(place.location)
    if not folder.exists():
        raise _Failed("folder missing")
    if not folder.is_dir():
        raise _Failed("not a folder")
    if not (folder / name).is_file():
        raise _Failed("file not there")
    try:
        shutil.copyfile(folder / name, temp)
    except OSError as error:
        raise _Failed(f"could not copy it ({type(error).__name__}: {error})") from None


def _download(address: str, temp: Path, timeout: float, log, limit: int) -> None:
    """Stream ``address`` into ``temp``, logging progress; raise :class:`_Failed` on failure
    (also as soon as the body is announced or found to be larger than ``limit`` bytes)."""
    import http.client
    import urllib.error
    import urllib.request

    try:
        request = urllib.request.Request(address, headers={"User-Agent": "course-data (helpers.data)"})
    except ValueError as error:  # "unknown url type"
        raise _Failed(f"not a URL ({error})") from None
    got, total = 0, None
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response, open(temp, "wb") as out:
            length = response.headers.get("Content-Length")
            total = int(length) if length and length.strip().isdigit() else None
            if total is not None and total > limit:
                raise _Failed(f"far too large: {total:,} bytes (Content-Length), not the file")
            shown = 0  # quarters of the total already logged (MiB when the total is unknown)
            while True:
                block = response.read(1 << 16)
                if not block:
                    break
                out.write(block)
                got += len(block)
                if got > limit:
                    raise _Failed(f"far too large: more than {limit:,} bytes, not the file")
                mark = got * 4 // total if total else got >> 20
                if mark > shown:
                    shown = mark
                    log(f"        {got:,} / {total:,} bytes ({got * 100 // total}%)" if total
                        else f"        {got:,} bytes")
    except urllib.error.HTTPError as error:
        raise _Failed(f"HTTP {error.code} {error.reason}",
                      transient=error.code >= 500 or error.code in (408, 429)) from None
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, TimeoutError):
            raise _Failed(f"timeout (no answer within {timeout:g} s)",
                          transient=True, unreachable=True) from None
        if isinstance(reason, FileNotFoundError):  # a file: URL
            raise _Failed("file not there") from None
        if request.type == "file" or not isinstance(reason, OSError):  # e.g. "unknown url type"
            raise _Failed(f"could not open it ({reason})") from None
        raise _Failed(f"no network: could not connect ({reason})",
                      transient=True, unreachable=True) from None
    except TimeoutError:
        raise _Failed(f"timeout (nothing received for {timeout:g} s after {got:,} bytes)",
                      transient=True) from None
    except (http.client.HTTPException, ConnectionError) as error:
        raise _Failed(f"connection lost after {got:,} bytes ({type(error).__name__}: {error})",
                      transient=True) from None
    except OSError as error:
        raise _Failed(f"{type(error).__name__}: {error}") from None
    if total is not None and got != total:
        raise _Failed(f"truncated download: got {got:,} of {total:,} bytes (Content-Length)",
                      transient=True)


def _fetch(place: Place, name: str, temp: Path, settings: _Settings, log) -> None:
    """Bring ``name`` from ``place`` into ``temp``, retrying transient download failures."""
    if not place.is_url:
        _copy_from_folder(place, name, temp)
        return
    address = place.of(name)
    for attempt in range(settings.retries + 1):
        log(f"fetch   {address}")
        try:
            _download(address, temp, settings.timeout, log, limit=2 * CAT_SIZES.get(name, 1 << 25))
            return
        except _Failed as failure:
            if not failure.transient or attempt == settings.retries:
                if attempt:
                    failure.reason += f" ({attempt + 1} attempts)"
                raise
            pause = settings.backoff * 2 ** attempt
            log(f"retry   {address} in {pause:g} s: {failure.reason}")
            time.sleep(pause)


def _check(temp: Path, name: str, expected: str) -> None:
    """Raise :class:`_Failed` unless ``temp`` is the published file, saying what it is instead."""
    digest = sha256(temp)
    if digest == expected:
        return
    size = temp.stat().st_size
    with open(temp, "rb") as handle:
        head = handle.read(512)
    if head.startswith(LFS_POINTER_PREFIX):
        raise _Failed(f"a Git LFS pointer ({size:,} bytes), not the file: that place holds the "
                      f"pointer, not the data it points to")
    if head.lstrip()[:14].lower().startswith((b"<!doctype html", b"<html")):
        raise _Failed(f"an HTML page ({size:,} bytes), not the file")
    raise _Failed(f"checksum mismatch (got {size:,} bytes, SHA256 {digest[:12]}...; "
                  f"the published file has {CAT_SIZES.get(name, 0):,} bytes, SHA256 {expected[:12]}...)")


def _place_one(place: Place, name: str, expected: str, target: Path, settings: _Settings, log) -> None:
    """Fetch, check and atomically rename one file; the temporary file never outlives a failure."""
    temp = target.with_name(f"{target.name}.{secrets.token_hex(4)}.part")
    try:
        os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))  # usual permissions
    except OSError as error:
        raise DataError(f"Cannot write in the data folder {target.parent}: {error}") from None
    kept = False
    try:
        _fetch(place, name, temp, settings, log)
        _check(temp, name, expected)
        os.replace(temp, target)
        kept = True
    finally:  # any failure, KeyboardInterrupt included
        if not kept:
            temp.unlink(missing_ok=True)


def _failure_message(dest: Path, failures: dict, unused: list[str]) -> str:
    lines = [f"The cat data could not be placed in {dest}."]
    for name, (state, tried) in failures.items():
        lines.append(f"{name} ({state}); places tried, in order:" if tried
                     else f"{name} ({state}); there was no place to try.")
        lines += [f"  - {label}: {where}: {reason}" for label, where, reason in tried]
    if unused:
        lines.append("Skipped: " + "; ".join(unused) + ".")
    names = " and ".join(failures)
    lines.append(
        f"What to do: set ${SOURCE_ENV} to a folder that holds {names}, or ${URL_ENV} to a base "
        f"URL that serves them (<URL>/<file name>), or copy them into {dest} yourself; then run "
        f"`course data` (or `make data`) again."
    )
    return "\n".join(lines)


def place_cat_data(
    dest: Path | None = None,
    source: Path | None = None,
    url: str | None = None,
    log=print,
    *,
    mirrors=None,
    timeout: float | None = None,
    retries: int | None = None,
    backoff: float | None = None,
) -> Path:
    """Put verified copies of the cat data in ``dest`` (default :func:`data_dir`); return ``dest``.

    Files already present and intact are kept. Each other file is taken from the first place
    that has a good copy (the order is in the module docstring; :func:`data_places` lists it):

    - ``source``: a folder tried instead of ``../shared`` and ``$COURSE_DATA_SOURCE``;
    - ``url``: a base URL tried instead of ``$COURSE_DATA_URL`` (``""``: none);
    - ``mirrors``: base URLs tried instead of the built-in mirrors / ``$COURSE_DATA_MIRRORS``
      (``()``: none);
    - ``timeout``, ``retries``, ``backoff``: as ``$COURSE_DATA_TIMEOUT`` / ``_RETRIES`` / ``_BACKOFF``.

    Every copy is checked against :data:`CAT_FILES` before it is renamed into place, so a bad
    or partial copy never replaces a good file and nothing partial is left in ``dest``. Raises
    :class:`DataError`, listing every place tried and why, when some file could not be placed.
    """
    dest = Path(dest) if dest is not None else data_dir()
    places, unused = _plan(source, url, mirrors)
    settings = _settings(timeout, retries, backoff)
    try:
        dest.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DataError(f"Cannot make the data folder {dest}: {error}") from None
    failures = {}  # file name -> (its state in dest, [(label, where, reason), ...])
    unreachable = {}  # host -> the place and file it failed for
    for name, expected in CAT_FILES.items():
        target = dest / name
        state = "missing"
        if target.exists():
            if sha256(target) == expected:
                log(f"ok      {target}")
                continue
            state = "the copy in the data folder is corrupt"
        tried = []
        for place in places:
            where = place.of(name)
            if place.host in unreachable:
                tried.append((place.label, where, f"skipped: {place.host} did not answer "
                                                  f"{unreachable[place.host]}"))
                continue
            try:
                _place_one(place, name, expected, target, settings, log)
            except _Failed as failure:
                log(f"failed  {where}: {failure.reason}")
                tried.append((place.label, where, failure.reason))
                if failure.unreachable and place.host:
                    unreachable[place.host] = f"for {name} ({place.label})"
                continue
            log(f"placed  {target}  (from {where})")
            break
        else:
            failures[name] = (state, tried)
    if failures:
        raise DataError(_failure_message(dest, failures, unused))
    return dest


def load_cat_data(directory: Path | None = None):
    """Load the cat vs non-cat photos.

    Returns ``(train_x, train_y, test_x, test_y, classes)``:

    - ``train_x``: (209, 64, 64, 3) uint8 images; ``train_y``: (1, 209) int labels (1 = cat).
    - ``test_x``: (50, 64, 64, 3) uint8 images; ``test_y``: (1, 50) int labels.
    - ``classes``: (2,) array of bytes, ``[b'non-cat', b'cat']``.

    Raises :class:`DataError` (with what to run) if a file is missing or corrupt.
    """
    import h5py  # imported here so that `import helpers.data` stays cheap

    directory = verify(directory)
    with h5py.File(directory / "train_catvnoncat.h5", "r") as train:
        train_x = np.array(train["train_set_x"][:])
        train_y = np.array(train["train_set_y"][:]).reshape(1, -1)
    with h5py.File(directory / "test_catvnoncat.h5", "r") as test:
        test_x = np.array(test["test_set_x"][:])
        test_y = np.array(test["test_set_y"][:]).reshape(1, -1)
        classes = np.array(test["list_classes"][:])
    return train_x, train_y, test_x, test_y, classes


# --- Generated 2-D data sets (numpy only, reproducible from a seed) -------------------------
# Every generator returns X of shape (2, m) (examples as columns) and Y of shape (1, m) with
# labels 0/1 as uint8. Labels are balanced: the first m//2 columns are one class, the rest the other.


def _labels(m: int) -> np.ndarray:
    half = m // 2
    return np.concatenate([np.zeros(half), np.ones(m - half)]).astype(np.uint8).reshape(1, m)


def load_flower(m: int = 400, seed: int = 1, noise: float = 0.2, radius: float = 4.0):
    """The "flower": two classes on the petals of the rose curve r = radius * sin(4t).

    Class j (j = 0, 1) takes angles spread over [3.12 j, 3.12 (j + 1)], so each class owns
    alternate petals. Draws come from ``np.random.RandomState(seed)`` in a fixed order, so
    ``seed=1, m=400`` always gives the same 400 points (the course's reference data).

    Returns X (2, m) float, Y (1, m) uint8.
    """
    rng = np.random.RandomState(seed)
    per_class = m // 2
    X = np.zeros((m, 2))
    Y = np.zeros((m, 1), dtype=np.uint8)
    for label in range(2):
        rows = slice(label * per_class, (label + 1) * per_class)
        angle = np.linspace(label * 3.12, (label + 1) * 3.12, per_class) + rng.randn(per_class) * noise
        r = radius * np.sin(4 * angle) + rng.randn(per_class) * noise
        X[rows, 0] = r * np.sin(angle)
        X[rows, 1] = r * np.cos(angle)
        Y[rows, 0] = label
    return X.T, Y.T


def make_circles(m: int = 200, seed: int = 0, noise: float = 0.1, factor: float = 0.5):
    """Two concentric rings: class 0 on the unit circle, class 1 on a circle of radius ``factor``.

    Returns X (2, m), Y (1, m) uint8.
    """
    rng = np.random.default_rng(seed)
    Y = _labels(m)
    angle = rng.uniform(0, 2 * np.pi, m)
    r = np.where(Y[0] == 0, 1.0, factor)
    X = np.vstack([r * np.cos(angle), r * np.sin(angle)]) + noise * rng.standard_normal((2, m))
    return X, Y


def make_moons(m: int = 200, seed: int = 0, noise: float = 0.2):
    """Two interleaving half circles. Returns X (2, m), Y (1, m) uint8."""
    rng = np.random.default_rng(seed)
    Y = _labels(m)
    t = rng.uniform(0, np.pi, m)
    upper = np.vstack([np.cos(t), np.sin(t)])
    lower = np.vstack([1 - np.cos(t), 0.5 - np.sin(t)])
    X = np.where(Y == 0, upper, lower) + noise * rng.standard_normal((2, m))
    return X, Y


def make_blobs(m: int = 200, seed: int = 0, centers: int = 6, spread: float = 0.6):
    """Gaussian blobs around ``centers`` random centres, labelled alternately 0/1 (not linearly
    separable for centers >= 3). Returns X (2, m), Y (1, m) uint8."""
    rng = np.random.default_rng(seed)
    means = rng.uniform(-4, 4, size=(2, centers))
    which = rng.integers(0, centers, m)
    X = means[:, which] + spread * rng.standard_normal((2, m))
    Y = (which % 2).astype(np.uint8).reshape(1, m)
    return X, Y


def make_gaussian_quantiles(m: int = 200, seed: int = 0):
    """A 2-D standard normal cloud split by radius: class 1 outside the median radius (a ring
    around a disc). Returns X (2, m), Y (1, m) uint8."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((2, m))
    radius = np.sum(X ** 2, axis=0)
    Y = (radius > np.median(radius)).astype(np.uint8).reshape(1, m)
    return X, Y


def load_picture(path, size: int = 64) -> np.ndarray:
    """Read one's own picture (JPEG, PNG, ... any format Pillow reads) for the cat classifier.

    The picture is converted to RGB, cropped to the centred square (so that it is not squashed)
    and resized to ``size`` x ``size`` pixels.

    Returns an array of shape (size, size, 3), dtype uint8: the layout of the course's photos.
    Raises FileNotFoundError when ``path`` is not a file, and ValueError (saying which file and
    why) when the file cannot be read as a picture.
    """
    from PIL import Image, UnidentifiedImageError  # imported here: `import helpers.data` stays cheap

    path = Path(path).expanduser()
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} is not a file. Put your picture in the notebook's folder (or give its full "
            f"path) and check the spelling of its name, extension included.")
    try:
        with Image.open(path) as picture:
            picture = picture.convert("RGB")
            width, height = picture.size
            side = min(width, height)
            left, top = (width - side) // 2, (height - side) // 2
            picture = picture.crop((left, top, left + side, top + side))
            picture = picture.resize((size, size), Image.Resampling.LANCZOS)
            return np.array(picture, dtype=np.uint8)
    except (UnidentifiedImageError, OSError, ValueError) as error:
        raise ValueError(
            f"{path} could not be read as a picture ({type(error).__name__}: {error}). "
            f"Give a JPEG or PNG file.") from error
