"""HTML payload decoding: every charset-declaration case, Korean labels as cp949, no Latin mojibake."""

import codecs

import pytest

from kocorpus.text.decode import decode_html, detect_charset, meta_charset, normalize_charset_label

# CP949-only syllables (not in EUC-KR's 2,350): strict euc_kr rejects them.
UHC_TEXT = "똠방각하 햏자 뷁 쌰, 한국어 웹 문서의 본문입니다."
BODY = "대한민국의 수도는 서울이다. 한국어 본문 문장이 여러 개 있습니다."


def page(body: str, meta: str = "", title: str = "제목") -> str:
    return f"<html><head>{meta}<title>{title}</title></head><body><p>{body}</p></body></html>"


@pytest.mark.parametrize(
    "label",
    ["euc-kr", "EUC-KR", "euckr", "ks_c_5601-1987", "KSC5601", "windows-949", "x-windows-949", "cp949", "UHC", "ms949"],
)
def test_every_korean_label_is_cp949(label):
    assert normalize_charset_label(label) == "cp949"


def test_other_labels():
    assert normalize_charset_label("UTF-8") == "utf-8"
    assert normalize_charset_label("utf8") == "utf-8"
    assert normalize_charset_label("iso-8859-1") == "cp1252"
    assert normalize_charset_label("us-ascii") == "cp1252"
    assert normalize_charset_label("no-such-charset") is None
    assert normalize_charset_label("  ") is None


def test_euc_kr_label_with_cp949_only_syllables():
    with pytest.raises(UnicodeDecodeError):
        UHC_TEXT.encode("cp949").decode("euc_kr")
    raw = page(UHC_TEXT, '<meta charset="euc-kr">').encode("cp949")
    d = decode_html(raw, "text/html; charset=ks_c_5601-1987")
    assert (d.encoding, d.source, d.replacements) == ("cp949", "header", 0)
    assert UHC_TEXT in d.text


@pytest.mark.parametrize("encoding", ["utf-8", "cp949"])
def test_header_only(encoding):
    label = "utf-8" if encoding == "utf-8" else "euc-kr"
    d = decode_html(page(BODY).encode(encoding), f"text/html; charset={label}")
    assert (d.encoding, d.source) == (encoding, "header") and BODY in d.text


@pytest.mark.parametrize(
    "encoding,meta",
    [
        ("utf-8", '<meta charset="utf-8">'),
        ("cp949", '<meta http-equiv="Content-Type" content="text/html; charset=euc-kr">'),
        ("cp949", "<META HTTP-EQUIV='content-type' CONTENT='text/html;charset=ks_c_5601-1987'>"),
    ],
)
def test_meta_only(encoding, meta):
    d = decode_html(page(BODY + UHC_TEXT, meta).encode(encoding), "text/html")
    assert (d.encoding, d.source) == (encoding, "meta") and UHC_TEXT in d.text


def test_header_and_meta_agree_and_header_wins():
    raw = page(BODY, '<meta charset="euc-kr">').encode("cp949")
    assert decode_html(raw, "text/html; charset=EUC-KR").source == "header"


@pytest.mark.parametrize("encoding", ["utf-8", "cp949"])
def test_no_declaration_is_detected(encoding):
    d = decode_html(page(BODY + UHC_TEXT).encode(encoding), None)
    assert (d.encoding, d.source, d.replacements) == (encoding, "detected", 0)
    assert UHC_TEXT in d.text


@pytest.mark.parametrize("wrong", ["iso-8859-1", "windows-1252", "us-ascii", "utf-8"])
def test_wrong_header_label_on_cp949_page(wrong):
    """CP949 Hangul is never decoded as cp1252/latin-1, and a lying utf-8 label does not garble it."""
    d = decode_html(page(BODY + UHC_TEXT).encode("cp949"), f"text/html; charset={wrong}")
    assert d.encoding == "cp949" and d.replacements == 0 and UHC_TEXT in d.text
    assert d.source == "detected"


def test_wrong_header_label_but_right_meta():
    raw = page(BODY, '<meta charset="euc-kr">').encode("cp949")
    d = decode_html(raw, "text/html; charset=ISO-8859-1")
    assert (d.encoding, d.source) == ("cp949", "meta") and BODY in d.text


def test_euc_kr_label_on_utf8_page():
    d = decode_html(page(BODY, '<meta charset="euc-kr">').encode("utf-8"), "text/html; charset=euc-kr")
    assert (d.encoding, d.source) == ("utf-8", "detected") and BODY in d.text


def test_latin1_page_stays_latin1():
    d = decode_html(page("Café crème brûlée", title="Menu").encode("latin-1"), "text/html; charset=iso-8859-1")
    assert (d.encoding, d.source) == ("cp1252", "header") and "Café crème brûlée" in d.text


@pytest.mark.parametrize("bom_encoding", ["utf-8-sig", "utf-16"])
def test_bom_wins_over_declarations(bom_encoding):
    raw = page(BODY, '<meta charset="euc-kr">').encode(bom_encoding)
    d = decode_html(raw, "text/html; charset=euc-kr")
    assert d.source == "bom" and BODY in d.text and not d.text.startswith("\ufeff")


def test_broken_bytes_fall_back_with_counted_replacements():
    raw = page(BODY).encode("cp949")
    broken = raw[:60] + b"\xff\xfe\xff" + raw[60:]
    d = decode_html(broken, "text/html; charset=euc-kr")
    assert d.source == "fallback" and d.encoding == "cp949"
    assert 1 <= d.replacements <= 3 and "한국어 본문" in d.text


@pytest.mark.parametrize("label", ["euc-kr", None])
def test_broken_cp949_page_is_not_handed_to_a_single_byte_codec(label):
    """A few invalid bytes in a CP949 page: a detector may answer iso8859-5 (Cyrillic mojibake); keep CP949."""
    raw = page(BODY + UHC_TEXT).encode("cp949")
    broken = raw[:60] + b"\xff\xfe\xff" + raw[60:]
    d = decode_html(broken, f"text/html; charset={label}" if label else None)
    assert (d.encoding, d.source) == ("cp949", "fallback") and UHC_TEXT in d.text and d.replacements <= 3


def test_utf8_fallback_counts_only_added_replacements():
    raw = ("본문 \ufffd 이미 있던 문자 ").encode() + b"\xc3"
    d = decode_html(raw, "text/html; charset=utf-8")
    assert d.source == "fallback" and d.replacements == 1 and d.text.count("\ufffd") == 2


def test_ascii_only_page():
    d = decode_html(b"<html><body>Hello</body></html>")
    assert (d.encoding, d.source, d.text) == ("utf-8", "detected", "<html><body>Hello</body></html>")


def test_meta_charset_and_detectors():
    assert meta_charset(b'<?xml version="1.0" encoding="EUC-KR"?><html>') == "EUC-KR"
    raw = page(BODY * 3 + UHC_TEXT).encode("cp949")
    assert detect_charset(raw, "cchardet") == "cp949"
    assert detect_charset(raw, "charset_normalizer") == "cp949"
    assert codecs.lookup(decode_html(raw).encoding).name == "cp949"


@pytest.mark.parametrize("detector", ["cchardet", "charset_normalizer"])
def test_short_cp949_page_that_a_detector_calls_big5(detector):
    """faust-cchardet answers big5 for this page (other such pages decode as big5 without error, into Chinese)."""
    text = "군대왤언제 끝나나\n군대 시계는 멈추지 않아요.\n학원에 "
    raw = f"<html><head><title>t</title></head><body><p>{text}</p></body></html>".encode("cp949")
    assert detect_charset(raw, "cchardet") == "big5"
    d = decode_html(raw, None, detector)
    assert (d.encoding, d.source) == ("cp949", "detected") and text in d.text
