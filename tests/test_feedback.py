"""Feedback pages a student can read (issue 14 item 7): each test cell is named by the exercise it
grades (nbgrader writes "Test cell", which a browser numbers "3. Test cell"), and long lines of
a check's message wrap at the page's width. The locking of issue 13 (a Content-Security-Policy
first in the head, no student <meta>/<link>/<base>) still applies: tests/test_boundaries.py
checks it on hostile pages; here it is checked on the renamed ones.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from helpers import grading, notebooks, submissions
from conftest import PROJECT

A = "01_notation"
CHROMIUM = Path("/usr/bin/chromium")
# The same check failure, with a hint far longer than a narrow window.
LONG_HINT = ("divide each row by its own length: np.linalg.norm(x, axis=1, keepdims=True) gives one "
             "length per row, as a column, and broadcasting then divides every entry of the row by it")


class _Page(HTMLParser):
    """The table of contents' link texts, the test cells' panel headings, the first tag in the head."""

    def __init__(self):
        super().__init__()
        self.toc, self.headings, self.first_in_head = [], [], None
        self._in_head = self._in_toc = False
        self._link = self._label = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "head":
            self._in_head = True
        elif self._in_head and self.first_in_head is None:
            self.first_in_head = (tag, attrs)
        if tag == "div" and attrs.get("id") == "toc":
            self._in_toc = True
        if self._in_toc and tag == "a":
            self._link = ""
        if tag == "span" and attrs.get("class") == "nbgrader-label":
            self._label = ""

    def handle_endtag(self, tag):
        if tag == "head":
            self._in_head = False
        if tag == "ol" and self._in_toc:
            self._in_toc = False
        if tag == "a" and self._link is not None:
            self.toc.append(self._link)
            self._link = None
        if tag == "span" and self._label is not None:
            self.headings.append(self._label)
            self._label = None

    def handle_data(self, data):
        if self._link is not None:
            self._link += data
        if self._label is not None:
            self._label += data


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _test_cells() -> list[str]:
    return list(notebooks.graded_cells(notebooks.read(PROJECT / "source" / A / f"{A}.ipynb")))


def test_feedback_names_come_from_the_exercise_definitions():
    names = grading.feedback_names(A)
    assert set(names) == set(_test_cells())
    assert names["test_normalize_rows"] == "normalize_rows"
    assert grading.feedback_names("99_no_such_assignment") == {}


def test_name_feedback_rewrites_only_the_graders_own_labels(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8"/>\n<title>t</title>\n</head>\n<body>\n'
        '<div id="toc">\n<ol>\n'
        '<li><a href="#test_sigmoid">Test cell</a> (Score: 1.0 / 1.0)</li>\n'
        '<li><a href="#test_other">Test cell</a> (Score: 0.0 / 1.0)</li>\n'
        '</ol>\n</div>\n'
        '<a name="test_sigmoid"></a><div class="panel-heading"><span class="nbgrader-label">'
        'Grade cell: <code>test_sigmoid</code></span></div>\n'
        # a student's markdown after the table of contents: its fake list is left as it is
        '<ol><li><a href="#test_sigmoid">Test cell</a></li></ol>\n'
        '<meta http-equiv="refresh" content="0; url=https://example.com">\n'
        '</body>\n</html>\n', encoding="utf-8")
    grading.name_feedback(page, {"test_sigmoid": "sigmoid", "test_<b>": "x"})
    grading.lock_feedback(page)
    parsed = _parse(page)
    assert parsed.toc == ["test_sigmoid: sigmoid", "Test cell"], parsed.toc
    assert parsed.headings == ["Test cell test_sigmoid: sigmoid"]
    text = page.read_text(encoding="utf-8")
    assert '<ol><li><a href="#test_sigmoid">Test cell</a></li></ol>' in text, \
        "a list after the table of contents is the student's: unchanged"
    assert grading.FEEDBACK_STYLE in text.split("</head>")[0]
    assert parsed.first_in_head == ("meta", {"http-equiv": "Content-Security-Policy",
                                             "content": grading.FEEDBACK_CSP})
    assert '&lt;meta http-equiv="refresh"' in text, "the locking of issue 13 still applies"


def test_a_name_is_written_as_text(tmp_path):
    page = tmp_path / "page.html"
    page.write_text('<html><head></head><body><div id="toc"><ol>'
                    '<li><a href="#test_x">Test cell</a></li></ol></div></body></html>', encoding="utf-8")
    grading.name_feedback(page, {"test_x": "<script>alert(1)</script>"})
    text = page.read_text(encoding="utf-8")
    assert "<script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text


@pytest.fixture(scope="module")
def feedback_page(tmp_path_factory) -> Path:
    """The feedback page of a 01_notation submission whose normalize_rows fails with a long hint."""
    course = grading.make_course_copy(PROJECT, tmp_path_factory.mktemp("feedback") / "course", [A])
    grading.sync_gradebook(course, A)
    nb = submissions.apply_bugs(submissions.solutions_notebook(PROJECT, A), {"normalize_rows": (
        "from helpers import checks\n"
        "def normalize_rows(x):\n"
        f"    raise checks.CheckFailure({LONG_HINT!r})\n")})
    submissions.place(course, "student", A, nb)
    outcome = grading.autograde_one(course, "student", A, feedback=True)
    assert outcome.status == "graded" and outcome.cells["test_normalize_rows"][0] == 0, outcome
    page = course / "feedback" / "student" / A / f"{A}.html"
    assert page.is_file()
    return page


@pytest.mark.slow
def test_every_test_cell_of_a_real_feedback_page_is_named(feedback_page):
    parsed = _parse(feedback_page)
    names = grading.feedback_names(A)
    expected = [f"{cell}: {names[cell]}" for cell in _test_cells()]
    assert parsed.toc == expected, parsed.toc
    assert [h for h in parsed.headings if h.startswith("Test cell")] == [f"Test cell {e}" for e in expected]
    assert not any(h.startswith("Grade cell") for h in parsed.headings)
    assert parsed.first_in_head[1].get("http-equiv") == "Content-Security-Policy"
    assert LONG_HINT in feedback_page.read_text(encoding="utf-8")


def _overflowing(page_path: Path, width: int) -> list:
    """The output ``<pre>`` blocks wider than their box when Chromium shows the page ``width`` px wide."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": width, "height": 800})
            page.goto(page_path.as_uri())
            return page.evaluate("""() => [...document.querySelectorAll('div.output_subarea pre')]
                .filter(p => p.scrollWidth > p.clientWidth + 1)
                .map(p => p.textContent.slice(0, 80))""")
        finally:
            browser.close()


@pytest.mark.slow
def test_long_hint_lines_wrap_in_a_browser(feedback_page, tmp_path):
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed ({CHROMIUM}; scripts/install_browser.sh installs it)")
    pytest.importorskip("playwright.sync_api")
    # The same page without the course's style: the hint runs off to the right (the test can fail).
    unstyled = tmp_path / "unstyled.html"
    unstyled.write_text(feedback_page.read_text(encoding="utf-8").replace(grading.FEEDBACK_STYLE, ""),
                        encoding="utf-8")
    assert any(LONG_HINT[:40] in text for text in _overflowing(unstyled, 700))
    assert _overflowing(feedback_page, 700) == []
