"""Course data: the cat photos.

The two HDF5 files are never committed. Set-up (``course data``, run by ``make``) copies them
from ``../shared/datasets/catvnoncat/`` beside the project (or from ``$COURSE_DATA_SOURCE``), or
downloads them from ``$COURSE_DATA_URL``, and checks them against the SHA256 sums below.
Notebooks call :func:`load_cat_data`, which finds the files wherever nbgrader runs the notebook
and says exactly what to run when they are missing or corrupt.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import urllib.request
from pathlib import Path

import numpy as np

#: File name -> SHA256 of the published cat data (209 train and 50 test images, 64x64x3 uint8).
CAT_FILES = {
    "train_catvnoncat.h5": "fbe56ab67c3ae28d564e3a644189117976d6b31af0a3ce9bb17dbf22908af242",
    "test_catvnoncat.h5": "6a9d39ce52fa85953c5834695b8534a30ed8cfd54971fb2f080b5a24d002b951",
}

DATA_DIR_ENV = "COURSE_DATA_DIR"  # where the data lives (default: <project>/data)
SOURCE_ENV = "COURSE_DATA_SOURCE"  # a folder to copy from (default: ../shared/datasets/catvnoncat)
URL_ENV = "COURSE_DATA_URL"  # a base URL to download from when no folder has the files

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


def default_source() -> Path | None:
    """The folder set-up copies from: ``$COURSE_DATA_SOURCE`` or ``../shared/datasets/catvnoncat``."""
    if os.environ.get(SOURCE_ENV):
        return Path(os.environ[SOURCE_ENV]).expanduser()
    root = project_root()
    if root is not None:
        return root.parent / "shared" / "datasets" / "catvnoncat"
    return None


def place_cat_data(
    dest: Path | None = None,
    source: Path | None = None,
    url: str | None = None,
    log=print,
) -> Path:
    """Put verified copies of the cat data in ``dest`` (default :func:`data_dir`).

    Files already present and intact are kept. Others are copied from ``source`` (default
    :func:`default_source`) or, failing that, downloaded from ``url`` (default
    ``$COURSE_DATA_URL``; the file name is appended). Every file is checked against
    :data:`CAT_FILES` before it is moved into place, so a bad copy never replaces a good one.
    """
    dest = Path(dest) if dest is not None else data_dir()
    source = Path(source) if source is not None else default_source()
    url = url if url is not None else os.environ.get(URL_ENV)
    dest.mkdir(parents=True, exist_ok=True)
    for name, expected in CAT_FILES.items():
        target = dest / name
        if target.exists() and sha256(target) == expected:
            log(f"ok      {target}")
            continue
        partial = target.with_suffix(".part")
        if source is not None and (source / name).exists():
            shutil.copyfile(source / name, partial)
            origin = str(source / name)
        elif url:
            address = url.rstrip("/") + "/" + name
            log(f"fetch   {address}")
            try:
                with urllib.request.urlopen(address, timeout=60) as response, open(partial, "wb") as out:
                    shutil.copyfileobj(response, out)
            except OSError as error:
                partial.unlink(missing_ok=True)
                raise DataError(f"Could not download {address}: {error}") from error
            origin = address
        else:
            raise DataError(
                f"{name} is not in {dest} and there is nowhere to get it from: "
                f"{source or '(no source folder)'} does not hold it and ${URL_ENV} is not set. "
                f"Put the file there, set ${SOURCE_ENV} to a folder that holds it, "
                f"or set ${URL_ENV} to a base URL that serves it."
            )
        if sha256(partial) != expected:
            partial.unlink()
            raise DataError(f"{origin} is corrupt: its SHA256 differs from the published one.")
        partial.replace(target)
        log(f"placed  {target}  (from {origin})")
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
