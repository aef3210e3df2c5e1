"""The trusted re-check's own boundary: its sandbox can write its job folder, so nothing left
there (a FIFO in place of the progress file, a link in place of the job file, a huge or broken
result) may hang the grader, make it write through a link, or be taken as a result."""

from __future__ import annotations

import os
import stat

import pytest

from helpers import notebooks, recheck, sandbox, submissions
from conftest import PROJECT

pytestmark = pytest.mark.slow

A = "01_notation"

# Each body runs inside image2vector when the re-check calls it, in the sandbox, then gives the
# right answer (so only the attack can cost the cell).
ANSWER = "    return image.reshape(-1, 1)\n"
FIFO_PROGRESS = (
    "def image2vector(image):\n"
    "    import os, time\n"
    "    for folder in (os.getcwd(), os.path.dirname(os.getcwd())):\n"
    "        target = os.path.join(folder, 'progress')\n"
    "        if os.path.exists(target):\n"
    "            os.unlink(target); os.mkfifo(target)\n"
    "    time.sleep(3600)\n" + ANSWER)
LINKED_JOB = (
    "def image2vector(image):\n"
    "    import os\n"
    "    for folder in (os.getcwd(), os.path.dirname(os.getcwd())):\n"
    "        target = os.path.join(folder, 'job.json')\n"
    "        if os.path.exists(target):\n"
    "            os.unlink(target); os.symlink({outside!r}, target)\n"
    "            os.makedirs(os.path.join(folder, 'results'), exist_ok=True)\n"
    "            os.symlink({outside!r}, os.path.join(folder, 'results', '999.json'))\n"
    "    os._exit(3)\n" + ANSWER)


def _recheck(tmp_path, code):
    nb = submissions.solutions_notebook(PROJECT, A)
    submissions.apply_bugs(nb, {"image2vector": code})
    path = tmp_path / "attack.ipynb"
    notebooks.write(nb, path)
    test_ids = set(notebooks.graded_cells(nb))
    return recheck.recheck(path, A, test_ids, seed=7, timeout=60, case_timeout=5, cell_timeout=20)


@pytest.mark.skipif(not sandbox.available(), reason="the sandbox needs Linux and root")
def test_a_fifo_in_place_of_the_progress_file_does_not_hang_the_grader(tmp_path):
    result = _recheck(tmp_path, FIFO_PROGRESS)  # returns: the grader never blocks on the FIFO
    assert not result["test_image2vector"].passed
    others = {cell: r.passed for cell, r in result.items() if cell != "test_image2vector"}
    assert all(others.values()), f"honest cells lost points: {others}"


@pytest.mark.skipif(not sandbox.available(), reason="the sandbox needs Linux and root")
def test_a_link_in_place_of_the_job_file_is_replaced_not_written_through(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("untouched\n")
    outside.chmod(0o600)
    before = (outside.read_bytes(), stat.S_IMODE(outside.stat().st_mode), outside.stat().st_mtime_ns)
    result = _recheck(tmp_path, LINKED_JOB.replace("{outside!r}", repr(str(outside))))
    after = (outside.read_bytes(), stat.S_IMODE(outside.stat().st_mode), outside.stat().st_mtime_ns)
    assert after == before, "the grader wrote through a link the sandbox made"
    assert not result["test_image2vector"].passed
    others = {cell: r.passed for cell, r in result.items() if cell != "test_image2vector"}
    assert all(others.values()), f"honest cells lost points: {others}"


def test_read_back_takes_regular_files_only(tmp_path):
    job = tmp_path / "job"
    (job / "results").mkdir(parents=True)
    (job / "results" / "0.json").write_text('{"value": 1}')
    os.mkfifo(job / "progress")
    (job / "results" / "1.json").symlink_to(job / "results" / "0.json")
    (job / "elsewhere").mkdir()
    (job / "elsewhere" / "2.json").write_text('{"value": 2}')
    assert recheck._read_back(job, "results/0.json", 100) == b'{"value": 1}'
    assert recheck._read_back(job, "progress", 100) is None          # a FIFO: not opened, not waited on
    assert recheck._read_back(job, "results/1.json", 100) is None    # a link: not followed
    assert recheck._read_back(job, "results/0.json", 5) is None      # over the limit
    (job / "results2").symlink_to(job / "elsewhere")
    assert recheck._read_back(job, "results2/2.json", 100) is None   # a linked folder: not followed
    assert recheck._read_result(job, 0) == ("value", 1)
    (job / "results" / "3.json").write_text("not json")
    assert recheck._read_result(job, 3)[0] == "error"
