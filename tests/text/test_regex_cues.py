"""required_cues: every match of a pattern holds a string of each clause (so a text without one cannot match)."""

import random
import re

import pytest
from conftest import DATA, load_jsonl

from kocorpus.evaluation.spam import make_boilerplate_page
from kocorpus.normalizers.boilerplate import BoilerplateConfig
from kocorpus.text import layout
from kocorpus.text.regex_cues import may_match, required_cues

# each pattern with the clauses read from it (sorted), checking the reading rules of the module docstring
READINGS = [
    (r"abc", [["abc"]]),
    (r"a\s*bc", [["bc"], ["a"]]),
    (r"(?i)abc", []),  # cased letters under IGNORECASE: K, ſ, İ … match too
    (r"(?i)가나", [["가나"]]),  # uncased characters match as written
    (r"[가나다]x?", [["가", "나", "다"]]),
    (r"[^가]|\w|\d|.", []),
    (r"[a-z]", []),  # wider than MAX_CUES
    (r"(?:기자|특파원)=", [["="], ["기자", "특파원"]]),
    (r"(?:기자|\d)", []),  # a branch without a cue
    (r"x{0,3}y*", []),
    (r"(?:ab){2,}", [["ab"]]),
    (r"(?=[^\n]*@)\w+", [["@"]]),  # a positive lookahead looks inside the searched string
    (r"(?!@)\w+(?<!#)", []),
    (r"(?:객원기자|기자)", [["기자"]]),  # 객원기자 holds 기자: the shorter string decides
    (r"^\s*$", []),
]


@pytest.mark.parametrize(("pattern", "clauses"), READINGS)
def test_readings(pattern: str, clauses: list):
    assert sorted(sorted(c) for c in required_cues(pattern)) == sorted(clauses)


def _texts() -> list[str]:
    docs = [
        d["text"]
        for name in ("ko_small", "ko_technical", "spam_pages", "gambling_news")
        for d in load_jsonl(DATA / f"{name}.jsonl")
    ]
    rng = random.Random(0)
    pages = [make_boilerplate_page(rng, docs[i % len(docs)]) for i in range(300)]
    pages += [make_boilerplate_page(rng, "") for _ in range(100)]
    lines = [line for text in docs + pages for line in text.split("\n")]
    tricky = ["KELVIN \u212a", "ſtraße İstanbul", "Copyright © 2024", "COPYRIGHT (C) 2024", "a@b", "@", "=", "[]"]
    return lines + tricky + [line[i:] for line in lines[:500] for i in (1, 3)]


def _patterns() -> list[re.Pattern]:
    rules = [re.compile(r.pattern) for r in BoilerplateConfig().rules()]
    extra = [r"(?i)all\s+rights", r"[a-z]{2}\d", r"(?:k|s)\w*", r"(?i)[k-s]+", r"(?<=기)자", r"(?:a|b)(?:c|d)e"]
    extra += [pattern for pattern, _ in READINGS]
    return (
        rules + [layout._LIST_ITEM, layout._PIPE_ROW, layout._RULE_ROW, layout._ALIGNED] + list(map(re.compile, extra))
    )


def test_a_text_that_matches_holds_the_cues():
    texts = _texts()
    for rx in _patterns():
        cues = required_cues(rx.pattern, rx.flags)
        for text in texts:
            if rx.search(text):
                assert may_match(text, cues), (rx.pattern, text)
            if cues and not may_match(text, cues):
                assert rx.search(text) is None
