"""TextNormalizer rewrites on real Korean text."""

import unicodedata

from datatrove.data import Document

from kocorpus.normalizers import NormalizeConfig, TextNormalizer
from kocorpus.normalizers.text_normalizer import normalize_text

CFG = NormalizeConfig()


def test_nfd_hangul_becomes_nfc(ko_docs):
    text = ko_docs[5]["text"]
    nfd = unicodedata.normalize("NFD", text)
    assert nfd != text and len(nfd) > len(text)
    assert normalize_text(nfd, NormalizeConfig(normalize_whitespace=False, max_jamo_repeat=0, max_symbol_repeat=0)) == (
        unicodedata.normalize("NFC", text)
    )


def test_leftover_conjoining_jamo_control_and_nul_removed():
    # a final jamo ᆫ after a syllable that already has a final (국) and a lone initial ᄀ cannot compose
    text = "한국\u11ab어 \u1100문서\x00입니다\x07.\u200b"
    assert normalize_text(text, CFG) == "한국어 문서입니다."


def test_html_entities_and_whitespace():
    text = "서울&nbsp;&amp;&nbsp;부산\u3000여행\t\t정보   \r\n\r\n\r\n\r\n  다음 줄  "
    assert normalize_text(text, CFG) == "서울 & 부산 여행 정보\n\n다음 줄"


def test_repeated_jamo_and_symbols_compressed_configurably():
    text = "재밌음ㅋㅋㅋㅋㅋㅋㅋ 슬퍼요ㅠㅠㅠㅠ 대박!!!!!!! 좋아요ㅎㅎ"
    assert normalize_text(text, CFG) == "재밌음ㅋㅋ 슬퍼요ㅠㅠ 대박!!! 좋아요ㅎㅎ"
    assert normalize_text(text, NormalizeConfig(max_jamo_repeat=3)) == "재밌음ㅋㅋㅋ 슬퍼요ㅠㅠㅠ 대박!!! 좋아요ㅎㅎ"
    off = NormalizeConfig(max_jamo_repeat=0, max_symbol_repeat=0)
    assert normalize_text(text, off) == text


def test_clean_korean_text_unchanged(ko_docs):
    # already-clean real documents survive byte for byte apart from the jamo/symbol runs and whitespace
    unchanged = [d for d in ko_docs if normalize_text(d["text"], CFG) == d["text"]]
    assert len(unchanged) >= len(ko_docs) // 2


def test_block_records_removed_chars_and_drops_empty():
    block = TextNormalizer(CFG)
    docs = [Document(text="좋아요ㅋㅋㅋㅋㅋ", id="a"), Document(text="\x00\u200b \u3000", id="b")]
    kept = list(block.run(iter(docs)))
    assert [d.id for d in kept] == ["a"]
    assert kept[0].metadata["norm_chars_removed"] == 3
    assert block.stats.stats["dropped_empty_after_normalization"].total == 1


def test_whitespace_rewrites_skipped_only_where_they_change_nothing(ko_docs):
    """normalize_text runs the space-run, space-around-newline and newline-run rewrites only when their text can
    change: the result equals running all three on every text."""
    import random
    import re

    from conftest import DATA, load_jsonl

    from kocorpus.normalizers import text_normalizer as tn

    def reference(text: str) -> str:
        text = tn._UNICODE_SPACES.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
        text = tn._SPACE_RUN.sub(" ", text)
        text = tn._SPACE_AROUND_NEWLINE.sub("\n", text)
        return tn._NEWLINE_RUN.sub("\n\n", text).strip()

    cfg = NormalizeConfig(nfc=False, drop_conjoining_jamo=False, drop_control=False, unescape_html=False)
    cfg.max_jamo_repeat = cfg.max_symbol_repeat = 0
    texts = [d["text"] for d in ko_docs] + [d["text"] for d in load_jsonl(DATA / "ko_technical.jsonl")]
    rng = random.Random(0)
    parts = [" ", "\n", "\t", "\u3000", "\u00a0", "\r", "가", "a", "  ", "\n\n"]
    texts += ["".join(rng.choice(parts) for _ in range(rng.randint(0, 12))) for _ in range(5000)]
    texts += [re.sub(r"\n", " \n ", t) for t in texts[:40]]
    for text in texts:
        assert normalize_text(text, cfg) == reference(text), repr(text)
