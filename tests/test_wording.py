"""The visible checks speak the edition's language (helpers.wording); English is untouched.

The language comes from COURSE_LANGUAGE or the file .course-language in the notebook's folder;
an odd file there (a FIFO, binary, an unknown language) means English and never blocks a check.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

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
    assert shown.endswith("\n  hint: the shape is transposed: examples are columns in this course "
                          "(X is (n_x, m)); check the order of a reshape or a missing .T.")
    checks.passed("f")
    assert capsys.readouterr().out == "All checks passed: f.\n"


@pytest.mark.parametrize("how", ["environment", "file"])
def test_chinese_from_the_environment_or_the_notebooks_folder(monkeypatch, tmp_path, capsys, how):
    shown = _failure(monkeypatch, tmp_path, **({"language": "zh"} if how == "environment" else {"file": "zh\n"}))
    assert shown.startswith("CheckFailure: f(x): 形状不对\n  期望：    (3, 2)\n  实际：    (2, 3)")
    assert shown.endswith("\n  提示：形状被转置了：本课程中样本是列（X 是 (n_x, m)）；检查 reshape 的顺序，或是否漏了 .T。")
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


# --- hints and explanations (helpers/wording_zh.py, listed by scripts/extract_hints.py) ------------

def _extract_hints():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "scripts" / "extract_hints.py"
    spec = importlib.util.spec_from_file_location("extract_hints", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.extract()


def test_every_hint_and_explanation_has_a_translation():
    """A hint or an explanation added to helpers/exercises or helpers/checks.py without its Chinese
    text fails here, named (`python scripts/extract_hints.py --skeleton` lists the entries to add)."""
    from helpers import wording_zh

    texts = _extract_hints()
    assert len(texts) >= 200 and sum("{}" in t for t in texts) >= 5
    untranslated = [t for t in texts if t not in (wording_zh.TEMPLATES if "{}" in t else wording_zh.HINTS)]
    assert not untranslated, f"zh: hints shown in English (add them to helpers/wording_zh.py): {untranslated}"
    for english, chinese in {**wording_zh.HINTS, **wording_zh.TEMPLATES}.items():
        assert re.search(r"[\u4e00-\u9fff]", chinese), f"not translated: {english!r}"
    for english, chinese in wording_zh.TEMPLATES.items():   # one value per placeholder, each kept
        values = [f"<value {i}>" for i in range(english.count("{}"))]
        assert all(v in chinese.format(*values) for v in values), english


def test_the_extraction_finds_every_hint_of_the_exercise_definitions():
    """What the ast scan finds covers what the definitions hold once built (mistakes made by
    helper functions, constants, dict comprehensions)."""
    from helpers import exercises

    found = set(_extract_hints())
    built = set()
    for path in sorted((Path(exercises.__file__).parent).glob("[0-9][0-9]_*.py")):
        for item in exercises.graded(path.stem):
            for case in getattr(item, "visible", []):
                built |= set(case.mistakes) | ({case.hint} if case.hint else set())
            built |= {item.explanation} if isinstance(item, exercises.Question) else set()
    assert len(built) >= 150
    assert not built - found, sorted(built - found)


def test_a_failing_check_shows_its_hint_in_chinese(monkeypatch, tmp_path):
    """A known mistake's hint, a checks.py hint and one made by an f-string (a template)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(wording.ENVIRONMENT, "zh")
    x = np.arange(4.0).reshape(2, 2)
    cases = [
        (lambda: checks.compare(x.T, x, "f(x)"), "  提示：结果是期望值的转置：行和列对调了（本课程中样本是列）。"),
        (lambda: checks.compare(np.ones(3), np.ones((3, 1)), "f(x)"),
         "  提示：这是秩为 1 的数组：求和或切片丢掉一个轴时，numpy 给出形状 (n,)。用 keepdims=True 或 "
         ".reshape(3, 1) 让它保持为列或行。"),
        (lambda: checks.compare(2 * x, x, "g(x)", mistakes={"dw and db must be averaged over the m examples: "
                                                           "divide by m.": 2 * x}),
         "  提示：dw 和 db 要对 m 个样本取平均：除以 m。"),
    ]
    for check, hint in cases:
        with pytest.raises(checks.CheckFailure) as caught:
            check()
        assert caught.value._render_traceback_()[-1] == hint


def test_an_unknown_hint_stays_english(monkeypatch):
    monkeypatch.setenv(wording.ENVIRONMENT, "zh")
    shown = wording.shown("f: wrong value\n  expected: 1\n  got:      2\n  hint: a hint nobody has translated.")
    assert shown.splitlines()[-1] == "  提示：a hint nobody has translated."


def _wrong_answer(monkeypatch, language):
    from helpers import exercises

    monkeypatch.delenv(wording.ENVIRONMENT, raising=False)
    if language:
        monkeypatch.setenv(wording.ENVIRONMENT, language)
    q = exercises.question("01_notation", "q_weight_shape")
    monkeypatch.setitem(globals(), q.name, "a")    # checks.answer reads its caller's globals
    with pytest.raises(checks.CheckFailure) as caught:
        checks.answer(q.name, checks.answer_digest(q.name, q.text), choices=q.choices, explanation=q.explanation)
    return q, caught.value._render_traceback_()


def test_a_wrong_answer_shows_its_explanation_in_chinese(monkeypatch, tmp_path):
    from helpers import wording_zh

    monkeypatch.chdir(tmp_path)
    q, lines = _wrong_answer(monkeypatch, "zh")
    assert lines[0] == "CheckFailure: q_weight_shape: 'a' 不是正确答案。"
    assert lines[1].startswith("  原因：写出一个样本") and len(lines) >= 3
    assert all(line.startswith(" " * 7) for line in lines[2:])
    assert all(wording.width(line[len("  原因："):] if i == 1 else line[7:]) <= wording.WRAP_COLUMNS
               for i, line in enumerate(lines[1:], start=1))
    joined = "".join([lines[1][len("  原因："):], *(line[7:] for line in lines[2:])])
    assert joined.replace(" ", "") == wording_zh.HINTS[q.explanation].replace(" ", "")


def test_a_wrong_answer_explains_in_english_by_default(monkeypatch, tmp_path):
    import textwrap

    monkeypatch.chdir(tmp_path)
    q, lines = _wrong_answer(monkeypatch, None)
    assert lines == ["CheckFailure: q_weight_shape: 'a' is not the answer.",
                     *textwrap.wrap(q.explanation, 96, initial_indent="  why: ", subsequent_indent="       ")]


def test_chinese_is_wrapped_between_characters_never_inside_a_name():
    """A line ends after a CJK character or at a space, never inside a run like
    np.linalg.norm(x,axis=1); closing punctuation hangs on the line before (2 columns over)."""
    text = "把 num 打印出来：它应当接近 3 x² = [[3], [12], [27]]，用 np.linalg.norm(x,axis=1) 计算。" * 6
    lines = wording.wrap(text, 40)
    assert len(lines) > 6
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(wording.width(line) <= 40 or (wording.width(line) <= 42 and line[-1] in "，。：；）")
               for line in lines)
    assert not any(line[0] in "，。：；）" for line in lines)
    assert sum(line.count("np.linalg.norm(x,axis=1)") for line in lines) == 6
