"""The words of the visible checks in the reader's language (the course's editions).

The checks compose their messages in English (:mod:`helpers.checks`); what a student *sees* is
passed through :func:`shown`, which, in another edition, puts the message's frame (the verdict,
"expected", "got", "hint"), its known phrases, and the text of its hint and of a concept question's
explanation (looked up whole in the edition's catalog, ``helpers/wording_zh.py``, imported only in
that edition) into that language and leaves the rest (names, values, shapes, code) as it is. A text
the catalog does not hold stays English. Grades never depend on these words: a check passes or raises.

The language is the first of: the ``COURSE_LANGUAGE`` environment variable, the file
``.course-language`` in the notebook's folder (the kernel's working folder; each edition's
bundle ships one), English.
"""

from __future__ import annotations

import os
import re

#: The file beside an edition's notebooks that names its language.
LANGUAGE_FILE = ".course-language"
ENVIRONMENT = "COURSE_LANGUAGE"

_FRAME = {
    "zh": {
        "passed": "全部检查通过：{what}。",
        # As wide on screen as the English labels (a CJK character takes two columns), so the
        # continuation lines of a matrix stay aligned under the first.
        "expected": "  期望：    ",
        "got": "  实际：    ",
        "hint": "  提示：",
        "why": "  原因：",
    },
}

# (English phrase as a regular expression, translation with the same groups): the head line's
# "<name>: <what>" is matched against each in turn; the first that matches the whole <what> wins.
_PHRASES = {
    "zh": [
        (r"wrong type", "类型不对"),
        (r"wrong value", "数值不对"),
        (r"wrong value \(tolerance (.+)\)", r"数值不对（容差 \1）"),
        (r"wrong shape", "形状不对"),
        (r"values differ \(largest difference (.+) at index (.*); exact match expected\)",
         r"数值不同（最大差值 \1，位于下标 \2；要求完全相等）"),
        (r"values differ \(largest difference (.+) at index (.*); tolerance (.+)\)",
         r"数值不同（最大差值 \1，位于下标 \2；容差 \3）"),
        (r"no answer yet: in the answer cell, replace the NotImplementedError line with (\w+) = (.+) \(your answer\), "
         r"run it, then run this check\.",
         r"还没有作答：在答题单元格里把 NotImplementedError 那一行换成 \1 = \2（你的答案），运行它，再运行这个检查。"),
        (r"(.+) is not the answer\.", r"\1 不是正确答案。"),
        (r"answer with one of (.+) \(a letter in quotes\), not (.+)", r"请用 \1 之一作答（带引号的字母），而不是 \2"),
        (r"(.+) is not one of the choices (.+)", r"\1 不是选项 \2 之一"),
        (r"answer with a number(.*), not (.+)", r"请用数字作答\1，而不是 \2"),
        (r"answer with a finite number, not (.+)", r"请用有限的数作答，而不是 \1"),
        (r"the answer is a whole number; got (.+)", r"答案是整数；得到的是 \1"),
        (r"wrong dtype", "dtype 不对"),
        (r"wrong keys", "键不对"),
        (r"wrong number of items", "元素个数不对"),
        (r"wrong number of recorded costs", "记录的代价个数不对"),
        (r"missing key\(s\) (.+)", r"缺少键 \1"),
        (r"unexpected key\(s\) (.+)", r"多出了键 \1"),
        (r"nothing came back", "没有返回任何值（返回了 None）"),
        (r"a value where None is expected", "这里应当返回 None"),
        (r"not a finite number", "不是有限的数"),
        (r"not all entries are finite numbers", "并非所有元素都是有限的数"),
        (r"values are not finite \(nan or inf\)", "出现了非有限值（nan 或 inf）"),
        (r"(\d+) value\(s\) are not finite \(nan or inf\), the first at index (.+)",
         r"有 \1 个值不是有限的（nan 或 inf），第一个位于下标 \2"),
        (r"integer values where fractions are expected", "应当是小数，却得到了整数"),
        (r"modified its input \((.+)\)", r"修改了自己的输入（\1）"),
        (r"reads the notebook's global array\(s\) (.+)", r"读取了笔记本里的全局数组 \1"),
        (r"used numpy's global random generator", "使用了 numpy 的全局随机数生成器"),
        (r"a Python loop where the lesson is vectorization: (.+)", r"本练习要求向量化，这里却用了 Python 循环：\1"),
        (r"a Python loop over the examples \(rule no_loops\): (.+)", r"对样本做了 Python 循环（规则 no_loops）：\1"),
        (r"failed on the same examples repeated (\d+) times \(rule no_loops\)",
         r"把同样的样本重复 \1 次后结果不对（规则 no_loops）"),
        (r"silences numpy's warnings \((.+)\) instead of avoiding them", r"屏蔽了 numpy 的警告（\1），而不是避免它"),
        (r"numpy reported a floating-point problem inside the function", "numpy 在函数内部报告了浮点问题"),
        (r"numpy reported a floating-point problem \(warning\)", "numpy 报告了浮点问题（警告）"),
        (r"still running after (.+) s, so it was stopped", r"运行超过 \1 秒，已被停止"),
        (r"the weights are not zero", "权重不是零"),
        (r"the biases are not zero", "偏置不是零"),
        (r"some rows are identical \(symmetric units\)", "有些行完全相同（单元对称）"),
        (r"the entries are not centred on 0 \(mean of (\d+) entries\)", r"元素不以 0 为中心（\1 个元素的均值）"),
        (r"wrong spread \(sample standard deviation of (\d+) entries\)", r"分布宽度不对（\1 个元素的样本标准差）"),
        (r"wrong spread: the draws are scaled by another factor", "分布宽度不对：随机数乘上了另一个系数"),
        (r"wrong draw order: the layers were drawn in another order", "抽取顺序不对：各层的抽取顺序不同"),
        (r"wrong draw order: not the generator's draws in the order the docstring gives",
         "抽取顺序不对：没有按文档字符串给出的顺序使用生成器的随机数"),
        (r"not standard normal draws from the generator passed in", "不是从传入的生成器抽取的标准正态随机数"),
        (r"changed Python's tracer, which the no_loops rule needs \(sys\.settrace\)",
         "修改了 Python 的跟踪器（sys.settrace），而规则 no_loops 需要它"),
        (r"(\d+) gradient\(s\) disagree with the numerical ones: (.+)", r"有 \1 个梯度与数值梯度不一致：\2"),
    ],
}


# Whole head lines (the ones that are not "<name>: <what>").
_LINES = {
    "zh": [
        (r"(.+)\(\) is not written yet: replace the `raise NotImplementedError\(\.\.\.\)` line in its cell with "
         r"your code, run that cell, then run this check again\.",
         r"\1() 还没有写：把它所在单元格里的 `raise NotImplementedError(...)` 那一行换成你的代码，"
         r"运行该单元格，然后再运行这个检查。"),
    ],
}


def language() -> str:
    """The edition's language code (``"en"`` when none is set or the one set is unknown)."""
    chosen = os.environ.get(ENVIRONMENT, "").strip()
    if not chosen:
        chosen = _language_file()
    return chosen if chosen in _FRAME else "en"


def _language_file() -> str:
    """The first 16 bytes of ``.course-language`` when it is a regular file (a FIFO or a device
    there must not block a check)."""
    import stat

    try:
        fd = os.open(LANGUAGE_FILE, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return ""
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return ""
        return os.read(fd, 16).decode("utf-8", "replace").strip()
    except OSError:
        return ""
    finally:
        os.close(fd)


def passed(what: str) -> str:
    """The verdict line of a check that passed."""
    frame = _FRAME.get(language())
    return frame["passed"].format(what=what) if frame else f"All checks passed: {what}."


def shown(message: str) -> str:
    """A check's failure message (English, as :mod:`helpers.checks` makes it) as the reader sees it."""
    lang = language()
    if lang not in _FRAME:
        return message
    frame = _FRAME[lang]
    lines = message.splitlines()
    whole = [match.expand(translated) for pattern, translated in _LINES[lang]
             for match in [re.fullmatch(pattern, lines[0] if lines else "")] if match]
    if whole:
        lines[0] = whole[0]
    elif lines and ": " in lines[0]:
        name, what = lines[0].split(": ", 1)
        for pattern, translated in _PHRASES[lang]:
            match = re.fullmatch(pattern, what)
            if match:
                lines[0] = f"{name}: {match.expand(translated)}"
                break
    lines = lines[:1] + _hints_shown(lines[1:], lang)
    labels = {"  expected: ": frame["expected"], "  got:      ": frame["got"], "  hint: ": frame["hint"],
              "  why: ": frame["why"]}
    for i, line in enumerate(lines[1:], start=1):
        for english, translated in labels.items():
            if line.startswith(english):
                lines[i] = translated + line[len(english):]
                break
    return "\n".join(lines)


# --- hints and explanations ----------------------------------------------------------------------
#
# Their texts are looked up whole in the edition's catalog (helpers/wording_<lang>.py: HINTS, and
# TEMPLATES for the hints made with an f-string, "{}" standing for each value); a text the catalog
# does not hold stays English. scripts/extract_hints.py lists the texts of the source.

HINT, WHY, WHY_MORE = "  hint: ", "  why: ", "       "
#: Columns of a re-wrapped explanation line after its indent (a CJK character takes two).
WRAP_COLUMNS = 96


def _hints_shown(lines: list[str], lang: str) -> list[str]:
    """The lines after a message's head line, with the text of a "  hint: " line and of a
    (wrapped) "  why: " block in ``lang`` where its catalog has it."""
    out, i = [], 0
    while i < len(lines):
        line = lines[i]
        if line.startswith(HINT):
            out.append(HINT + (hint_text(line[len(HINT):], lang) or line[len(HINT):]))
            i += 1
        elif line.startswith(WHY):
            end = i + 1
            while end < len(lines) and lines[end].startswith(WHY_MORE) and lines[end].strip():
                end += 1
            english = " ".join([line[len(WHY):], *(more.strip() for more in lines[i + 1:end])])
            translated = hint_text(english, lang)
            if translated is None:
                out += lines[i:end]
            else:
                wrapped = wrap(translated, WRAP_COLUMNS)
                more_indent = " " * width(_FRAME[lang]["why"])  # under the first line's text
                out += [WHY + wrapped[0], *(more_indent + more for more in wrapped[1:])]
            i = end
        else:
            out.append(line)
            i += 1
    return out


def hint_text(english: str, lang: str) -> str | None:
    """A hint's or an explanation's text in ``lang`` (None when its catalog has no entry). Runs
    of whitespace count as one space, so a text re-joined from wrapped lines is found."""
    literals, templates = _catalog(lang)
    key = " ".join(english.split())
    if key in literals:
        return literals[key]
    for pattern, translated in templates:
        match = pattern.fullmatch(key)
        if match:
            return translated.format(*match.groups())
    return None


_CATALOGS: dict = {}


def _catalog(lang: str):
    """``({English text: translation}, [(compiled template, translation)])`` of ``lang``, each text
    with its whitespace runs made single spaces; loaded on first use (only in that edition)."""
    if lang not in _CATALOGS:
        module = None
        if lang == "zh":
            from helpers import wording_zh   # here, not at the top: only the Chinese edition needs it

            module = wording_zh
        literals = {" ".join(k.split()): v for k, v in getattr(module, "HINTS", {}).items()}
        templates = [(re.compile("(.+?)".join(re.escape(" ".join(part.split())) for part in k.split("{}"))), v)
                     for k, v in getattr(module, "TEMPLATES", {}).items()]
        _CATALOGS[lang] = literals, templates
    return _CATALOGS[lang]


_NO_LINE_START = set("，。、：；！？）」』》…,.;:!?)]}")


def width(text: str) -> int:
    """Columns ``text`` takes on screen (an East Asian wide or full-width character takes two)."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap(text: str, columns: int) -> list[str]:
    """``text`` cut into lines of at most ``columns`` screen columns (about columns / 2 CJK
    characters): a line may end after any CJK character or at a space, never inside a run of
    other characters (a formula, a name), and no line starts with closing punctuation."""
    import unicodedata

    tokens = re.findall(r" +|[^\s]", text)
    units, run = [], ""
    for token in tokens:   # a unit: one wide character, a space run, or a run of narrow ones
        wide = unicodedata.east_asian_width(token[0]) in "WF"
        if token.startswith(" ") or wide:
            if run:
                units.append(run)
                run = ""
            units.append(token)
        else:
            run += token
    if run:
        units.append(run)
    lines, current = [], ""
    for unit in units:
        if current and width(current + unit) > columns and not unit.startswith(" ") \
                and unit[0] not in _NO_LINE_START:
            lines.append(current.rstrip())
            current = ""
        if not current and unit.startswith(" "):
            continue
        current += unit
    if current.strip():
        lines.append(current.rstrip())
    return lines or [""]
