"""The data set-up: placing, verifying and loading the cat data, and its clear errors."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from helpers import data


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


def test_place_copies_from_a_folder_and_keeps_good_files(tmp_path):
    messages = []
    data.place_cat_data(tmp_path / "d", source=data.data_dir(), url=None, log=messages.append)
    assert data.problems(tmp_path / "d") == []
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
    with pytest.raises(data.DataError, match="corrupt"):
        data.place_cat_data(tmp_path / "b", source=tmp_path / "nowhere", url=served.as_uri(), log=lambda m: None)
    assert not (tmp_path / "b" / "test_catvnoncat.h5").exists(), "a corrupt download must not be kept"


def test_place_with_no_source_and_no_url_says_what_to_do(tmp_path):
    with pytest.raises(data.DataError, match="COURSE_DATA_URL"):
        data.place_cat_data(tmp_path, source=tmp_path / "nowhere", url="", log=lambda m: None)
