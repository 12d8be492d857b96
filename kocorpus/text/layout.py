"""Line layout of Korean documents: list items (개조식 bullets and enumerators) and table rows.

Korean notes, minutes and manuals (개조식) end lines in a nominal ending (-음, -함, -임, -됨, -것, -기) or a bare
noun phrase after a bullet (-, ·, ※, ◦, 1), ①), and statistics pages hold tables (Markdown/pipe rows, tab- or
space-aligned columns, which the normalize step collapses to single spaces). The FineWeb/Gopher rules use
these helpers to judge such lines as list items and table cells rather than as unfinished prose.
"""

import re

from datatrove.utils.text import TERMINAL_PUNCTUATION

from kocorpus.text.eojeol import NUMBER, eojeols, kind

_TERMINAL = frozenset(TERMINAL_PUNCTUATION)

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


# every line that can be a table candidate or a column row has one of these: `|` (pipe rows), a run of `-=─━`
# (rule rows), a tab or two spaces (aligned rows), a digit (figure and column rows need a number cell)
_MAYBE_TABLE = re.compile(r"[|\t\d=─━-]| {2}")
_MAYBE_TABLE_CHAR = re.compile(r"[|\t\d=─━-]")  # its first branch alone: a character class, scanned in C


def is_list_item(line: str) -> bool:
    """True if `line` starts with a bullet or an enumerator (-, ·, ※, ◦, 1), 1., (1), ①, 가., a))."""
    return bool(_LIST_ITEM.match(line))


def ends_korean(line: str, endings: tuple[str, ...] = SENTENCE_FINAL + NOMINAL_ENDINGS) -> bool:
    """True if `line` ends (before closing quotes/brackets) with one of `endings` or terminal punctuation."""
    stripped = line.rstrip().rstrip(_TRAILING_CLOSERS).rstrip()
    return stripped.endswith(endings) or stripped[-1:] in _TERMINAL  # datatrove's marks are single characters


def is_figures_row(line: str) -> bool:
    """A row of an aligned table after whitespace collapsing: 2–14 tokens, at least two of them numbers
    (`1,234`, `12.5%`, `2023년`, `△3.1`), numbers at least a third of the tokens, no sentence ending."""
    tokens = eojeols(line)
    if not 2 <= len(tokens) <= 14 or ends_korean(line, SENTENCE_FINAL):
        return False
    numbers = sum(1 for t in tokens if _NUMBER_CELL.match(t) or kind(t) == NUMBER)
    return numbers >= 2 and 3 * numbers >= len(tokens)


def _column_rows(lines: list[str], maybe: list[bool] | None = None) -> set[int]:
    """Runs of ≥ 3 short lines (2–10 tokens) that each hold a number cell and end no sentence, whose token
    counts differ by at most one, plus a header line of the same shape above them: aligned columns after
    whitespace collapsing (`품목 35,800 신규`). `maybe`: per line, False where `_MAYBE_TABLE` found nothing
    (such a line has no number cell)."""
    counts = []
    for i, ln in enumerate(lines):
        if maybe is not None and not maybe[i]:
            counts.append(0)
            continue
        tokens = eojeols(ln)
        ok = 2 <= len(tokens) <= 10 and not ends_korean(ln, SENTENCE_FINAL)
        ok = ok and any(_NUMBER_CELL.match(t) or kind(t) == NUMBER for t in tokens)
        counts.append(len(tokens) if ok else 0)
    rows: set[int] = set()
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and counts[j] and max(counts[i : j + 1]) - min(counts[i : j + 1]) <= 1:
            j += 1
        if j - i >= 3:
            rows.update(range(i, j))
            if i > 0:  # the header row above the run: same shape, no number needed (품목 가격(원) 비고)
                head = eojeols(lines[i - 1])
                lo, hi = min(counts[i:j]), max(counts[i:j])
                if lo - 1 <= len(head) <= hi + 1 and len(head) >= 2 and not ends_korean(lines[i - 1], SENTENCE_FINAL):
                    rows.add(i - 1)
        i = max(j, i + 1)
    return rows


def table_rows(lines: list[str]) -> set[int]:
    """Indices of `lines` that belong to a table: pipe/Markdown rows and rule rows, tab/space-aligned rows,
    runs of figure rows, and runs of column rows (`_column_rows`); a table needs at least two consecutive
    such lines (one line is not a table)."""
    # _MAYBE_TABLE rules most prose lines out (searched as its class, then "  ": same lines, faster); a pipe
    # row needs a `|`, an aligned row a tab or two spaces (substring tests before the scans: same result)
    maybe = [bool(_MAYBE_TABLE_CHAR.search(ln)) or "  " in ln for ln in lines]
    candidate = [
        m
        and bool(
            ("|" in ln and _PIPE_ROW.match(ln))
            or _RULE_ROW.match(ln)
            or (("\t" in ln or "  " in ln) and _ALIGNED.search(ln))
            or is_figures_row(ln)
        )
        for ln, m in zip(lines, maybe, strict=True)
    ]
    if not any(maybe):
        return set()
    columns = _column_rows(lines, maybe)
    candidate = [c or i in columns for i, c in enumerate(candidate)]
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


# A finished sentence inside a line: an eojeol ending in a Hangul syllable + terminal punctuation (했다. 좋아요!)
_SENTENCE_END = re.compile(r"[가-힣][.!?]+[\"'”’)\]]*$")
# … the same, searched once on a whole line: a token other than the last one ends that way (the match ends at a
# token end, and another token follows; `\s` is exactly str.split()'s whitespace)
_SENTENCE_END_INSIDE = re.compile(r"[가-힣][.!?]+[\"'”’)\]]*\s+\S")
# Informal line ends that finish a comment or chat line: jamo (ㅋㅋ ㅠㅠ), ~ ^ ; ♡, spoken endings (-어/-아/-지/
# -야/-래/-용/-듯), nominal endings, punctuation.
_INFORMAL_END = re.compile(r"(?:[ㄱ-ㅣ]|[~^;♡♥]|[어아지야래네용욤듯임음함]|[.!?…])[\"'”’)\]]*$")


def unfinished_lines(lines: list[str], table: set[int] | None = None) -> tuple[int, int]:
    """(prose lines that contain a finished sentence before their last eojeol, how many of them stop mid-sentence).

    A prose line (≥ 4 eojeols, not a list item or table row) holding `…했다.` inside ends at a sentence end too
    (or, in comments, at an informal end: ㅋㅋ, ~, -어/-지); shuffled text ("word salad") does not."""
    table = table_rows(lines) if table is None else table
    checked = unfinished = 0
    for i, line in enumerate(lines):
        if i in table or is_list_item(line):
            continue
        if len(eojeols(line)) < 4 or not _SENTENCE_END_INSIDE.search(line):
            continue  # (= no token but the last matches _SENTENCE_END; tests/text/test_layout_fast_paths.py)
        checked += 1
        if not (ends_korean(line, SENTENCE_FINAL) or _INFORMAL_END.search(line.rstrip())):
            unfinished += 1
    return checked, unfinished
