"""The data set-up: placing, verifying and loading the cat data, and its clear errors.

Downloads are tested against a loopback HTTP server (127.0.0.1, a free port) that serves the
real files, a 404, a truncated body, a Git LFS pointer, an HTML page, a wrong file, a server too
slow for the timeout, and servers that fail once. No test touches the real network.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest

from helpers import data

NAMES = list(data.CAT_FILES)
TRAIN, TEST = NAMES
PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")
SLOW_SECONDS = 1.0  # how long the slow server sleeps; tests give it a timeout of 0.25 s


@pytest.fixture(autouse=True)
def _no_outside_data_settings(monkeypatch):
    """Every test starts from a clean slate: no source, no URL, no mirror (so no real network)."""
    for name in (data.SHARED_ENV, data.SOURCE_ENV, data.URL_ENV, data.TIMEOUT_ENV,
                 data.RETRIES_ENV, data.BACKOFF_ENV, *PROXY_VARS):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(data.MIRRORS_ENV, data.OFF)
    monkeypatch.setenv("no_proxy", "*")


def _real_files() -> dict[str, bytes]:
    return {name: (data.data_dir() / name).read_bytes() for name in NAMES}


def _lfs_pointer(name: str) -> bytes:
    """What a Git LFS repository serves when its files were not pushed to LFS storage."""
    return (f"version https://git-lfs.github.com/spec/v1\noid sha256:{data.CAT_FILES[name]}\n"
            f"size {data.CAT_SIZES[name]}\n").encode()


def _lfs_size(name: str) -> int:
    return len(_lfs_pointer(name))


class _Handler(BaseHTTPRequestHandler):
    """``/<kind>/<file name>``; see :func:`server` for the kinds."""

    def do_GET(self):  # noqa: N802 (the http.server name)
        files, seen = self.server.files, self.server.seen
        _, kind, name = self.path.split("/", 2)
        body = files.get(name)
        with self.server.lock:
            seen[self.path] = seen.get(self.path, 0) + 1
            first = seen[self.path] == 1
        if body is None or kind == "missing":
            return self.send_error(404)
        if kind == "slow":
            time.sleep(SLOW_SECONDS)
        elif kind == "lfs":
            body = _lfs_pointer(name)
        elif kind == "html":
            body = b"<!DOCTYPE HTML>\n<html><head><title>" + name.encode() + b" (editing)</title></html>\n"
        elif kind == "wrong":
            body = files[TEST if name == TRAIN else TRAIN]
        elif kind == "flaky503" and first:
            return self.send_error(503)
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if kind == "truncated" or (kind == "flakycut" and first):
            body = body[: len(body) // 2]  # then the connection closes (HTTP/1.0)
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # the slow handler writes to a socket the client has given up on


@pytest.fixture(scope="module")
def server():
    """Base URL of a loopback server. Kinds: good, missing (404), truncated (Content-Length
    larger than the body), lfs (a Git LFS pointer), html, wrong (the other file: checksum
    mismatch), slow (sleeps SLOW_SECONDS first), flaky503 / flakycut (fail once, then serve)."""
    httpd = _Server(("127.0.0.1", 0), _Handler)
    httpd.files, httpd.seen, httpd.lock = _real_files(), {}, threading.Lock()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/nothing"  # nobody listens: connection refused


def _place(dest, *mirrors, **options):
    """place_cat_data with only ``mirrors`` as places; returns the log."""
    messages = []
    options = {"timeout": 5, "retries": 0, "backoff": 0, **options}
    data.place_cat_data(dest, source=dest.parent / "nowhere", url="", mirrors=mirrors,
                        log=messages.append, **options)
    return messages


# --- Loading and verifying -------------------------------------------------------------------


def test_the_placed_data_is_intact_and_loads_with_documented_shapes():
    train_x, train_y, test_x, test_y, classes = data.load_cat_data()
    assert train_x.shape == (209, 64, 64, 3) and train_x.dtype == np.uint8
    assert train_y.shape == (1, 209) and test_x.shape == (50, 64, 64, 3) and test_y.shape == (1, 50)
    assert int(train_y.sum()) == 72 and int(test_y.sum()) == 33
    assert [c.decode() for c in classes] == ["non-cat", "cat"]


def test_missing_file_gives_one_clear_message(tmp_path):
    shutil.copy(data.data_dir() / "train_catvnoncat.h5", tmp_path)
    with pytest.raises(data.DataError) as error:
        data.load_cat_data(tmp_path)
    message = str(error.value)
    assert "test_catvnoncat.h5 is missing" in message and "make data" in message


def test_corrupt_file_is_detected(tmp_path):
    for name in data.CAT_FILES:
        shutil.copy(data.data_dir() / name, tmp_path)
    path = tmp_path / "train_catvnoncat.h5"
    raw = bytearray(path.read_bytes())
    raw[5000] ^= 0xFF
    path.write_bytes(bytes(raw))
    with pytest.raises(data.DataError, match="train_catvnoncat.h5 is corrupt"):
        data.verify(tmp_path)


# --- Folders and file: URLs ------------------------------------------------------------------


def test_place_copies_from_a_folder_and_keeps_good_files(tmp_path):
    messages = []
    data.place_cat_data(tmp_path / "d", source=data.data_dir(), url=None, log=messages.append)
    assert data.problems(tmp_path / "d") == []
    assert sorted(os.listdir(tmp_path / "d")) == sorted(NAMES)
    data.place_cat_data(tmp_path / "d", source=data.data_dir(), url=None, log=messages.append)
    assert sum(m.startswith("ok") for m in messages) == 2


def test_place_downloads_from_a_url_and_refuses_a_corrupt_one(tmp_path):
    served = tmp_path / "served"
    served.mkdir()
    for name in data.CAT_FILES:
        shutil.copy(data.data_dir() / name, served)
    data.place_cat_data(tmp_path / "a", source=tmp_path / "nowhere", url=served.as_uri(), log=lambda m: None)
    assert data.problems(tmp_path / "a") == []
    (served / "test_catvnoncat.h5").write_bytes(b"not an hdf5 file")
    with pytest.raises(data.DataError, match=r"checksum mismatch \(got 16 bytes"):
        data.place_cat_data(tmp_path / "b", source=tmp_path / "nowhere", url=served.as_uri(), log=lambda m: None)
    assert not (tmp_path / "b" / "test_catvnoncat.h5").exists(), "a corrupt download must not be kept"
    assert sorted(os.listdir(tmp_path / "b")) == [TRAIN], "nothing but the good file is left"


def test_place_with_no_source_and_no_url_says_what_to_do(tmp_path):
    with pytest.raises(data.DataError, match="COURSE_DATA_URL") as error:
        data.place_cat_data(tmp_path, source=tmp_path / "nowhere", url="", log=lambda m: None)
    message = str(error.value)
    assert f"source folder: {tmp_path / 'nowhere' / TRAIN}: folder missing" in message
    assert "the built-in mirrors are off ($COURSE_DATA_MIRRORS=none)" in message
    assert os.listdir(tmp_path) == []


def test_a_folder_without_the_file_and_a_folder_with_a_pointer_are_named(tmp_path):
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / TRAIN).write_bytes(b"version https://git-lfs.github.com/spec/v1\noid sha256:00\nsize 1\n")
    with pytest.raises(data.DataError) as error:
        data.place_cat_data(tmp_path / "d", source=folder, url="", log=lambda m: None)
    message = str(error.value)
    assert f"source folder: {folder / TRAIN}: a Git LFS pointer" in message
    assert f"source folder: {folder / TEST}: file not there" in message
    assert os.listdir(tmp_path / "d") == []


# --- The order of places and the built-in mirror ---------------------------------------------


def test_the_built_in_mirror_is_pinned_at_a_commit():
    assert data.MIRRORS == (
        "https://raw.githubusercontent.com/ramakris/coursera-deeplearning/"
        "36b93f03a20d3f3228a299308121c88d78d5b0a9/neuralnetworks/week2/datasets",
        "https://raw.githubusercontent.com/ramakris/coursera-deeplearning/"
        "36b93f03a20d3f3228a299308121c88d78d5b0a9/neuralnetworks/week4/datasets",
    )


def test_places_are_tried_in_the_documented_order(monkeypatch, tmp_path):
    monkeypatch.delenv(data.MIRRORS_ENV)
    places = data.data_places()
    assert [p.location for p in places if p.is_url] == list(data.MIRRORS)
    assert places[-1].of(TRAIN) == data.MIRRORS[1] + "/" + TRAIN
    monkeypatch.setenv(data.SOURCE_ENV, str(tmp_path / "src"))
    monkeypatch.setenv(data.URL_ENV, "http://127.0.0.1:9/base")
    monkeypatch.setenv(data.MIRRORS_ENV, "http://127.0.0.1:9/m1  http://127.0.0.1:9/m2")
    places = data.data_places()
    shared = [] if data.project_root() is None else ["../shared"]
    assert [p.label for p in places] == shared + ["$COURSE_DATA_SOURCE", "$COURSE_DATA_URL", "mirror 1", "mirror 2"]
    assert [p.location for p in places][-3:] == ["http://127.0.0.1:9/base", "http://127.0.0.1:9/m1", "http://127.0.0.1:9/m2"]
    if shared:
        assert places[0].location == str(data.project_root().parent / "shared" / "datasets" / "catvnoncat")
    monkeypatch.setenv(data.SHARED_ENV, "none")
    monkeypatch.setenv(data.MIRRORS_ENV, "NONE")
    assert [p.label for p in data.data_places()] == ["$COURSE_DATA_SOURCE", "$COURSE_DATA_URL"]
    monkeypatch.setenv(data.SHARED_ENV, "no")
    with pytest.raises(data.DataError, match="COURSE_DATA_SHARED"):
        data.data_places()


def test_the_first_places_fail_and_a_mirror_succeeds(monkeypatch, tmp_path, server):
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv(data.SHARED_ENV, "none")
    monkeypatch.setenv(data.SOURCE_ENV, str(empty))
    monkeypatch.setenv(data.URL_ENV, f"{server}/missing")
    monkeypatch.setenv(data.MIRRORS_ENV, f"{server}/lfs {server}/good")
    messages = []
    dest = data.place_cat_data(tmp_path / "d", log=messages.append)
    assert dest == tmp_path / "d" and data.problems(dest) == []
    assert sorted(os.listdir(dest)) == sorted(NAMES)
    failed = [m for m in messages if m.startswith(("failed", "placed"))]
    assert failed[:4] == [
        f"failed  {empty / TRAIN}: file not there",
        f"failed  {server}/missing/{TRAIN}: HTTP 404 Not Found",
        f"failed  {server}/lfs/{TRAIN}: a Git LFS pointer ({_lfs_size(TRAIN)} bytes), not the file: "
        "that place holds the pointer, not the data it points to",
        f"placed  {dest / TRAIN}  (from {server}/good/{TRAIN})",
    ]
    assert f"        2,572,022 / 2,572,022 bytes (100%)" in messages, "a download shows its progress"


def test_a_corrupt_file_in_the_data_folder_is_replaced(tmp_path, server):
    dest = tmp_path / "d"
    dest.mkdir()
    (dest / TRAIN).write_bytes(b"damaged")
    _place(dest, f"{server}/good")
    assert data.problems(dest) == [] and sorted(os.listdir(dest)) == sorted(NAMES)


# --- Every way a download fails --------------------------------------------------------------


@pytest.mark.parametrize("kind, reason", [
    ("missing", "HTTP 404 Not Found"),
    ("truncated", "truncated download: got 1,286,011 of 2,572,022 bytes (Content-Length) (2 attempts)"),
    ("lfs", "a Git LFS pointer (1"),  # about 130 bytes
    ("html", "an HTML page ("),
    ("wrong", "checksum mismatch (got 616,958 bytes, SHA256 6a9d39ce52fa...; the published file has 2,572,022 bytes"),
    ("slow", "timeout (nothing received for 0.25 s after 0 bytes) (2 attempts)"),
    ("refused", "no network: could not connect ("),  # ([Errno 111] Connection refused) (2 attempts)
])
def test_a_failed_download_keeps_nothing_and_says_where_and_why(tmp_path, server, kind, reason):
    base = _closed_port_url() if kind == "refused" else f"{server}/{kind}"
    dest = tmp_path / "d"
    with pytest.raises(data.DataError) as error:
        _place(dest, base, timeout=0.25, retries=1)
    message = str(error.value)
    assert os.listdir(dest) == [], "no file and no .part may be left in the data folder"
    assert f"  - mirror 1: {base}/{TRAIN}: {reason}" in message, message
    if kind == "refused":  # the host did not answer: not asked again for the other file
        assert f"  - mirror 1: {base}/{TEST}: skipped: 127.0.0.1:" in message
    else:
        assert f"  - mirror 1: {base}/{TEST}: " in message
    assert message.splitlines()[-1].startswith("What to do: set $COURSE_DATA_SOURCE to a folder")
    assert "$COURSE_DATA_URL" in message.splitlines()[-1] and str(dest) in message.splitlines()[-1]


@pytest.mark.parametrize("kind", ["flaky503", "flakycut"])
def test_a_server_that_fails_once_then_serves_succeeds(tmp_path, server, kind):
    messages = _place(tmp_path / "d", f"{server}/{kind}", retries=2)
    assert data.problems(tmp_path / "d") == [] and sorted(os.listdir(tmp_path / "d")) == sorted(NAMES)
    assert sum(m.startswith("retry") for m in messages) == 2, messages


def test_an_interrupted_download_leaves_nothing(tmp_path, server):
    def log(message):
        if message.endswith("%)"):  # the first progress line
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        data.place_cat_data(tmp_path / "d", source=tmp_path / "nowhere", url="",
                            mirrors=[f"{server}/good"], log=log, retries=0)
    assert os.listdir(tmp_path / "d") == []


def test_bad_settings_are_refused(monkeypatch, tmp_path):
    monkeypatch.setenv(data.TIMEOUT_ENV, "soon")
    with pytest.raises(data.DataError, match="COURSE_DATA_TIMEOUT is 'soon'"):
        data.place_cat_data(tmp_path, source=tmp_path, url="", log=lambda m: None)
    with pytest.raises(data.DataError, match="retries=99: it must be at least 0 and at most 10"):
        data.place_cat_data(tmp_path, source=tmp_path, url="", log=lambda m: None, timeout=1, retries=99)


def test_an_unwritable_data_folder_is_a_data_error(tmp_path):
    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(data.DataError, match="Cannot make the data folder"):
        data.place_cat_data(tmp_path / "file" / "d", source=tmp_path, url="", log=lambda m: None)


# --- `course data` as a command --------------------------------------------------------------


def _course_data(tmp_path, mirrors):
    empty = tmp_path / "empty"
    empty.mkdir(exist_ok=True)
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("COURSE_DATA_") and key not in PROXY_VARS}
    env.update({
        "COURSE_DATA_DIR": str(tmp_path / "data"), data.SHARED_ENV: "none",
        data.SOURCE_ENV: str(empty), data.MIRRORS_ENV: mirrors, data.RETRIES_ENV: "0",
        data.TIMEOUT_ENV: "5", "no_proxy": "*",
    })
    course = Path(sys.executable).parent / "course"
    return subprocess.run([str(course), "data"], env=env, cwd=tmp_path, capture_output=True,
                          text=True, timeout=60)


def test_course_data_fetches_from_the_mirror_and_explains_a_failure(tmp_path, server):
    done = _course_data(tmp_path, f"{server}/missing {server}/good")
    assert done.returncode == 0, done.stderr
    assert f"cat data ready in {tmp_path / 'data'}" in done.stdout
    assert f"placed  {tmp_path / 'data' / TRAIN}  (from {server}/good/{TRAIN})" in done.stdout
    assert data.problems(tmp_path / "data") == [] and sorted(os.listdir(tmp_path / "data")) == sorted(NAMES)

    failed = _course_data(tmp_path / "empty", f"{server}/missing")
    assert failed.returncode == 1
    for name in NAMES:
        assert f"$COURSE_DATA_SOURCE: {tmp_path / 'empty' / 'empty' / name}: file not there" in failed.stderr
        assert f"mirror 1: {server}/missing/{name}: HTTP 404 Not Found" in failed.stderr
    assert "../shared is off ($COURSE_DATA_SHARED=none)" in failed.stderr
    assert os.listdir(tmp_path / "empty" / "data") == []
