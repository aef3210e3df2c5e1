"""The visible checks speak the edition's language (helpers.wording); English is untouched.

The language comes from COURSE_LANGUAGE or the file .course-language in the notebook's folder;
an odd file there (a FIFO, binary, an unknown language) means English and never blocks a check.
"""

from __future__ import annotations

import os
import re

import numpy as np
import pytest

from helpers import checks, wording


def _failure(monkeypatch, folder, language=None, file=None):
    monkeypatch.chdir(folder)
    monkeypatch.delenv(wording.ENVIRONMENT, raising=False)
    if language:
        monkeypatch.setenv(wording.ENVIRONMENT, language)
    if file is not None:
        (folder / wording.LANGUAGE_FILE).write_text(file)
    with pytest.raises(checks.CheckFailure) as caught:
        checks.compare(np.ones((2, 3)), np.ones((3, 2)), "f(x)")
    return "\n".join(caught.value._render_traceback_())


def test_english_by_default(monkeypatch, tmp_path, capsys):
    shown = _failure(monkeypatch, tmp_path)
    assert shown.startswith("CheckFailure: f(x): wrong shape\n  expected: (3, 2)\n  got:      (2, 3)")
    checks.passed("f")
    assert capsys.readouterr().out == "All checks passed: f.\n"


@pytest.mark.parametrize("how", ["environment", "file"])
def test_chinese_from_the_environment_or_the_notebooks_folder(monkeypatch, tmp_path, capsys, how):
    shown = _failure(monkeypatch, tmp_path, **({"language": "zh"} if how == "environment" else {"file": "zh\n"}))
    assert shown.startswith("CheckFailure: f(x): 形状不对\n  期望：    (3, 2)\n  实际：    (2, 3)")
    checks.passed("f")
    assert capsys.readouterr().out == "全部检查通过：f。\n"


def test_an_odd_language_file_means_english_and_never_blocks(monkeypatch, tmp_path):
    os.mkfifo(tmp_path / wording.LANGUAGE_FILE)
    assert "wrong shape" in _failure(monkeypatch, tmp_path)  # a FIFO: not read, not waited on
    (tmp_path / wording.LANGUAGE_FILE).unlink()
    assert "wrong shape" in _failure(monkeypatch, tmp_path, file="klingon")
    (tmp_path / wording.LANGUAGE_FILE).unlink()
    (tmp_path / wording.LANGUAGE_FILE).write_bytes(b"\xff\xfe" * 100)
    assert "wrong shape" in _failure(monkeypatch, tmp_path)


def test_every_fixed_phrase_of_the_checks_has_a_translation():
    """Each literal "what" that checks.py passes to _fail is matched by a phrase of every edition."""
    import ast

    tree = ast.parse(open(checks.__file__, encoding="utf-8").read())
    literals = {node.args[1].value for node in ast.walk(tree)
                if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_fail" and len(node.args) > 1
                and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str)}
    assert len(literals) >= 15
    for language, phrases in wording._PHRASES.items():
        untranslated = sorted(w for w in literals if not any(re.fullmatch(p, w) for p, _ in phrases))
        assert not untranslated, f"{language}: phrases shown in English: {untranslated}"


def test_messages_keep_their_values():
    """A translated line keeps every number and name of the English one."""
    os.environ[wording.ENVIRONMENT] = "zh"
    try:
        english = "f(x): values differ (largest difference 0.25 at index (1, 2); tolerance rtol=1e-06, atol=1e-08)"
        shown = wording.shown(english)
    finally:
        del os.environ[wording.ENVIRONMENT]
    assert shown != english
    for token in ("f(x)", "0.25", "(1, 2)", "rtol=1e-06", "atol=1e-08"):
        assert token in shown


def test_the_stub_message_is_translated_whole(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(wording.ENVIRONMENT, "zh")

    def f(x):
        raise NotImplementedError("Replace this line with your code.")

    with pytest.raises(checks.CheckFailure) as caught:
        checks.run(f, 1)
    assert caught.value._render_traceback_()[0] == (
        "CheckFailure: f() 还没有写：把它所在单元格里的 `raise NotImplementedError(...)` 那一行换成你的代码，"
        "运行该单元格，然后再运行这个检查。")
