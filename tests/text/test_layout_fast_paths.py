"""layout's line checks with substring tests and one regex per line give what the per-token checks give."""

import random
import re

from conftest import DATA, load_jsonl

from kocorpus.evaluation.spam import make_boilerplate_page
from kocorpus.text import layout as L
from kocorpus.text.eojeol import eojeols


def _reference_table_rows(lines: list[str]) -> set[int]:
    """table_rows with every line scanned by every pattern (no substring tests first)."""
    maybe = [bool(L._MAYBE_TABLE.search(ln)) for ln in lines]
    candidate = [
        m and bool(L._PIPE_ROW.match(ln) or L._RULE_ROW.match(ln) or L._ALIGNED.search(ln) or L.is_figures_row(ln))
        for ln, m in zip(lines, maybe, strict=True)
    ]
    if not any(maybe):
        return set()
    columns = L._column_rows(lines, maybe)
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


def _reference_unfinished(lines: list[str], table: set[int]) -> tuple[int, int]:
    """unfinished_lines with `_SENTENCE_END` searched on each token but the last."""
    checked = unfinished = 0
    for i, line in enumerate(lines):
        if i in table or L.is_list_item(line):
            continue
        tokens = eojeols(line)
        if len(tokens) < 4 or not any(L._SENTENCE_END.search(t) for t in tokens[:-1]):
            continue
        checked += 1
        if not (L.ends_korean(line, L.SENTENCE_FINAL) or L._INFORMAL_END.search(line.rstrip())):
            unfinished += 1
    return checked, unfinished


def _texts() -> list[str]:
    names = ("ko_small", "ko_technical", "quality_kinds", "spam_pages", "gambling_news")
    docs = [d["text"] for name in names for d in load_jsonl(DATA / f"{name}.jsonl")]
    rng = random.Random(0)
    docs += [make_boilerplate_page(rng, docs[i]) for i in range(50)]
    parts = ["했다.", "좋아요!", "정말?", '말했다."', "(확인함)", "가", "1,234", "12.5%", "|", "---", "  ", "\t", " ", "\u3000",
             "\u00a0", "\x1c", "\n", "a.", "다.)", "다.」", "ㅋㅋ", "~", "하고", "-", "·", "1)", "①", "===", "━━━"]  # fmt: skip
    docs += ["".join(rng.choice(parts) for _ in range(rng.randint(0, 40))) for _ in range(3000)]
    docs += [re.sub(" ", "  ", d) for d in docs[:30]] + [re.sub(" ", "\t", d) for d in docs[:30]]
    return docs


def test_table_rows_and_unfinished_lines_equal_the_per_token_checks():
    checked = 0
    for text in _texts():
        for lines in (text.split("\n"), [ln for ln in text.split("\n") if ln.strip()]):
            table = L.table_rows(lines)
            assert table == _reference_table_rows(lines), text[:60]
            got = L.unfinished_lines(lines, table)
            assert got == _reference_unfinished(lines, table), text[:60]
            checked += got[0]
    assert checked > 500
