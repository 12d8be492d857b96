"""Character-class flags from the lookup table count exactly what the regular expressions they replace count."""

import re

import numpy as np
from conftest import DATA, load_jsonl

from kocorpus.text import charclass as cc
from kocorpus.text.hangul import HANGUL_RANGES, hangul_letter_ratio, hangul_ratio

REGEX = {
    cc.LETTER: re.compile(r"[^\W\d_]"),
    cc.DIGIT: re.compile(r"\d"),
    cc.SPACE: re.compile(r"\s"),
    cc.HANGUL: re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in HANGUL_RANGES) + "]"),
    cc.SYLLABLE: re.compile("[가-힣]"),
    cc.WORD: re.compile(r"[^\W_]"),
}
# astral letters (𠀀 CJK ext. B, 𝐀 math bold), emoji, a lone surrogate, NBSP / ideographic space, ² and ½
# (numeric, not \d), Arabic-Indic and full-width digits, conjoining jamo, compatibility jamo, NUL
ODD = "𠀀𝐀😀\ud800\u00a0\u3000²½٣５한ㅋㅋ\x00_-·"


def _texts() -> list[str]:
    docs = [
        d["text"]
        for name in ("ko_small", "en_small", "code_small", "ko_technical", "spam_pages")
        for d in load_jsonl(DATA / f"{name}.jsonl")
    ]
    return [*docs, ODD, "", " ", "한"]


def test_flags_count_what_the_regexes_find():
    for text in _texts():
        flags = cc.classes(text)
        assert len(flags) == len(text)
        for flag, rx in REGEX.items():
            assert cc.count(flags, flag) == len(rx.findall(text)), (flag, text[:30])


def test_every_code_point_of_the_basic_plane_and_some_astral_ones():
    chars = "".join(map(chr, range(0x10000))) + "".join(map(chr, range(0x1F000, 0x1F100))) + "\U0002a6d6\U000e0041"
    flags = cc.classes(chars)
    for flag, rx in REGEX.items():
        expected = np.zeros(len(chars), dtype=bool)
        expected[[m.start() for m in rx.finditer(chars)]] = True
        assert ((flags & flag) > 0).tolist() == expected.tolist(), flag


def test_hangul_ratios_equal_the_regex_ratios():
    letter, hangul, space = REGEX[cc.LETTER], REGEX[cc.HANGUL], REGEX[cc.SPACE]
    for text in _texts():
        non_space = len(text) - len(space.findall(text))
        assert hangul_ratio(text) == (len(hangul.findall(text)) / non_space if non_space else 0.0)
        letters = len(letter.findall(text))
        assert hangul_letter_ratio(text) == (len(hangul.findall(text)) / letters if letters else 0.0)


def test_the_cached_classes_follow_a_rewritten_text(ko_docs):
    """hangul_ratio caches the classes on the document; a step that rewrites the text (boilerplate) in between
    must not let gopher_quality count the old text."""
    from datatrove.data import Document

    from kocorpus.filters.gopher_quality import KoGopherQualityFilter
    from kocorpus.filters.hangul_ratio import HangulRatioFilter

    long_text, short_text = ko_docs[0]["text"], ko_docs[1]["text"]
    assert long_text != short_text
    doc = Document(text=long_text, id="a", metadata={})
    HangulRatioFilter().filter(doc)
    doc.text = short_text  # a rewrite after the cache was filled
    cached = KoGopherQualityFilter().filter(doc), dict(doc.metadata)
    fresh = Document(text=short_text, id="b", metadata={})
    expected = KoGopherQualityFilter().filter(fresh), dict(fresh.metadata)
    keys = ("n_eojeols", "avg_eojeol_len", "alpha_eojeol_ratio", "stop_suffix_count")
    assert cached[0] == expected[0] and all(cached[1][k] == expected[1][k] for k in keys)
    assert cc.doc_classes(doc) is doc.metadata["_charclass"][1] and len(cc.doc_classes(doc)) == len(short_text)
