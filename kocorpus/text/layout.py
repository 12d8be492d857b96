"""Line layout of Korean documents: list items (개조식 bullets and enumerators) and table rows.

Korean notes, minutes and manuals (개조식) end lines in a nominal ending (-음, -함, -임, -됨, -것, -기) or a bare
noun phrase after a bullet (-, ·, ※, ◦, 1), ①), and statistics pages hold tables (Markdown/pipe rows, tab- or
space-aligned columns, which the normalize step collapses to single spaces). The FineWeb/Gopher rules use
these helpers to judge such lines as list items and table cells rather than as unfinished prose.
"""

import re

from kocorpus.text.eojeol import NUMBER, eojeols, kind

# Sentence-final syllables (declarative 다, polite 요/죠, question 까, exclamative 네) and the nominal endings of
# 개조식 writing (-음, -함, -임, -됨, -것, -기: "확인함", "회의 일정 변경됨", "제출할 것", "자료 준비하기").
SENTENCE_FINAL = ("다", "요", "죠", "까", "네")
NOMINAL_ENDINGS = ("음", "함", "임", "됨", "것", "기")
# Closing quotes/brackets that may follow the ending: 했다." / (확인함) / 「제출할 것」
_TRAILING_CLOSERS = "\"'”’)]}」』》〉】"

_LIST_ITEM = re.compile(
    r"^\s*(?:"
    r"[-–—·•∙◦○●◎■□▪▫◆◇▶▷►▸➢➤※*+>✓✔☐☑]"  # bullets
    r"|[①-⑳⑴-⒇❶-❿㉠-㉭㈀-㈍]"  # circled / parenthesised numbers and jamo
    r"|\(?\d{1,3}[.)]|\(\d{1,3}\)"  # 1. 1) (1)
    r"|\(?[가-하][.)]|\([가-하]\)"  # 가. 나) (다)
    r"|\(?[a-zA-Z][.)]\s|[ivxIVX]{1,4}[.)]\s"  # a) b. iv.
    r")"
)
_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$|^[^|]*\S\s*\|\s*\S[^|]*\|")
_RULE_ROW = re.compile(r"^\s*[|+]?\s*:?[-=─━]{3,}:?\s*(?:[|+]\s*:?[-=─━]{3,}:?\s*)*[|+]?\s*$")
_ALIGNED = re.compile(r"\S(?:\t+| {2,})\S.*\S(?:\t+| {2,})\S")
_NUMBER_CELL = re.compile(r"^[(+\-−±~△▲▼]?\d[\d,.:/~\-]*[%‰]?[가-힣a-zA-Z%)]{0,3}$")


def is_list_item(line: str) -> bool:
    """True if `line` starts with a bullet or an enumerator (-, ·, ※, ◦, 1), 1., (1), ①, 가., a))."""
    return bool(_LIST_ITEM.match(line))


def ends_korean(line: str, endings: tuple[str, ...] = SENTENCE_FINAL + NOMINAL_ENDINGS) -> bool:
    """True if `line` ends (before closing quotes/brackets) with one of `endings` or terminal punctuation."""
    from datatrove.utils.text import TERMINAL_PUNCTUATION

    stripped = line.rstrip().rstrip(_TRAILING_CLOSERS).rstrip()
    return stripped.endswith(endings) or stripped.endswith(tuple(TERMINAL_PUNCTUATION))


def is_figures_row(line: str) -> bool:
    """A row of an aligned table after whitespace collapsing: 2–14 tokens, at least two of them numbers
    (`1,234`, `12.5%`, `2023년`, `△3.1`), numbers at least a third of the tokens, no sentence ending."""
    tokens = eojeols(line)
    if not 2 <= len(tokens) <= 14 or ends_korean(line, SENTENCE_FINAL):
        return False
    numbers = sum(1 for t in tokens if _NUMBER_CELL.match(t) or kind(t) == NUMBER)
    return numbers >= 2 and 3 * numbers >= len(tokens)


def table_rows(lines: list[str]) -> set[int]:
    """Indices of `lines` that belong to a table: pipe/Markdown rows and rule rows, tab/space-aligned rows,
    and runs of figure rows; a table needs at least two consecutive such lines (one line is not a table)."""
    candidate = [
        bool(_PIPE_ROW.match(ln) or _RULE_ROW.match(ln) or _ALIGNED.search(ln) or is_figures_row(ln)) for ln in lines
    ]
    rows: set[int] = set()
    i = 0
    while i < len(lines):
        if not candidate[i]:
            i += 1
            continue
        j = i
        while j < len(lines) and candidate[j]:
            j += 1
        if j - i >= 2:
            rows.update(range(i, j))
        i = j
    return rows


def table_cells(line: str) -> list[str]:
    """Cells of a table row: split on `|` or tabs/space runs, else on single spaces (collapsed columns)."""
    if "|" in line:
        parts = line.split("|")
    elif re.search(r"\t| {2,}", line):
        parts = re.split(r"\t+| {2,}", line)
    else:
        parts = line.split()
    return [p.strip() for p in parts if p.strip() and not _RULE_ROW.match(p.strip())]
