"""Korean text utilities."""

import codecs

import pytest

from kocorpus.text.encoding import decode_text, sniff_bom
from kocorpus.text.hangul import hangul_letter_ratio, hangul_ratio, is_hangul


def test_hangul_ratio_counts_syllables_and_jamo_over_non_space():
    assert hangul_ratio("한국어 abc") == pytest.approx(3 / 6)
    assert hangul_ratio("ㅋㅋ ㅠㅠ") == 1.0
    assert hangul_ratio("   ") == 0.0 and hangul_ratio("") == 0.0


def test_hangul_letter_ratio_ignores_numbers_and_symbols():
    row = "| 매출 | 1,234,567 | 12.5% |"
    assert hangul_ratio(row) < 0.3 and hangul_letter_ratio(row) == 1.0
    assert hangul_letter_ratio("한국어 abc 123") == pytest.approx(3 / 6)
    assert hangul_letter_ratio("2024 | 1,234") == 0.0
    assert is_hangul("가") and is_hangul("ᄀ") and not is_hangul("A") and not is_hangul("漢")


def test_decode_text_order():
    assert decode_text(codecs.BOM_UTF8 + "한글".encode()) == ("한글", "utf-8-bom")
    assert decode_text("한글".encode("utf-16")) == ("한글", "utf-16-le")
    assert decode_text("한글".encode()) == ("한글", "utf-8")
    assert decode_text("똠방각하 한글".encode("cp949")) == ("똠방각하 한글", "cp949")
    assert sniff_bom(b"abc") == (None, 0)
    with pytest.raises(UnicodeDecodeError):
        decode_text(b"\xff\xff\xff\x80\x80")
