"""Decoding of HTML payloads (web pages) with Korean legacy charsets handled right.

Order of evidence: BOM → HTTP ``Content-Type`` charset → ``<meta charset>`` / ``http-equiv`` / XML declaration →
a charset detector → the least-damaging candidate with replacement characters (``source="fallback"``).

Korean specifics: every Korean label (``euc-kr``, ``ks_c_5601-1987``, ``windows-949`` …) decodes as **cp949**
(UHC), a superset of EUC-KR whose 8,822 extra syllables (똠, 햏, 뷁, 쌰 …) Python's strict ``euc_kr`` rejects.
A declared single-byte Western label (``iso-8859-1``, ``windows-1252``, ``ascii``; a common server default) is not
trusted for bytes that are valid UTF-8 or valid CP949 Hangul: such pages would otherwise become mojibake.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from kocorpus.text.encoding import BOMS
from kocorpus.text.prescan import prescan

# Every label seen on Korean pages for EUC-KR / UHC; all decode as cp949 (a strict superset).
KOREAN_LABELS: frozenset[str] = frozenset(
    {
        "euc-kr",
        "euckr",
        "euc_kr",
        "x-euc-kr",
        "ks_c_5601-1987",
        "ks_c_5601-1989",
        "ks_c_5601",
        "ksc5601",
        "ksc_5601",
        "ks-c-5601",
        "ks-c5601",
        "korean",
        "csksc56011987",
        "csEUCKR".lower(),
        "iso-ir-149",
        "windows-949",
        "x-windows-949",
        "ms949",
        "cp949",
        "uhc",
        "x-uhc",
        "949",
    }
)
# WHATWG: these labels mean windows-1252 in browsers (a superset of latin-1 for 0x80–0x9F).
_CP1252_LABELS = frozenset(
    {"ascii", "us-ascii", "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "iso_8859-1", "cp819", "ibm819"}
)
# Codecs that are not single-byte; any other codec is treated as a (Western or Cyrillic …) single-byte charset.
_MULTIBYTE = frozenset(
    {
        "utf-8",
        "utf-16",
        "utf-16-le",
        "utf-16-be",
        "utf-32",
        "cp949",
        "euc_kr",
        "johab",
        "iso2022_kr",
        "euc_jp",
        "shift_jis",
        "cp932",
        "iso2022_jp",
        "gb2312",
        "gbk",
        "gb18030",
        "big5",
        "big5hkscs",
        "cp950",
    }
)
# Where the <meta> / XML declaration is looked for (bytes); browsers prescan 1,024, Korean portals put long
# inline scripts first, so look further.
META_SCAN_BYTES = 16384
_HEADER_CHARSET_RE = re.compile(r"charset\s*=\s*[\"']?\s*([^\s;\"',]+)", re.IGNORECASE)
_XML_ENCODING_RE = re.compile(rb"<\?xml\b[^>]*?encoding\s*=\s*[\"']([a-z0-9_.:\-]+)", re.IGNORECASE)
_HANGUL_SYLLABLE_RE = re.compile("[\uac00-\ud7a3]")
_NON_ASCII_RE = re.compile("[^\x00-\x7f]")


@dataclass(frozen=True)
class Decoded:
    """A decoded page: the text, the codec used, where the choice came from, U+FFFD count added by decoding."""

    text: str
    encoding: str  # Python codec name actually used, e.g. "utf-8", "cp949"
    source: str  # "bom" | "header" | "meta" | "detected" | "fallback"
    replacements: int  # U+FFFD characters introduced by decoding (0 for a strict decode)


def normalize_charset_label(label: str) -> str | None:
    """Python codec name for a charset label (HTTP/HTML), or None for an unknown label.

    Every Korean label → ``"cp949"``; ascii / latin-1 labels → ``"cp1252"`` (what browsers do).
    """
    name = label.strip().strip("\"'").strip().lower()
    if not name:
        return None
    if name in KOREAN_LABELS:
        return "cp949"
    if name in _CP1252_LABELS:
        return "cp1252"
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return "cp949" if codec in ("euc_kr", "cp949") else codec


def header_charset(content_type: str | None) -> str | None:
    """The raw charset label of an HTTP ``Content-Type`` value, or None."""
    if not content_type:
        return None
    match = _HEADER_CHARSET_RE.search(content_type)
    return match.group(1) if match else None


def meta_charset(payload: bytes) -> str | None:
    """The raw charset label declared by ``<meta charset>`` / ``http-equiv`` (the WHATWG prescan: comments skipped,
    the first known label wins) or else an ``<?xml encoding>`` declaration, or None."""
    head = payload[:META_SCAN_BYTES]
    label = prescan(
        head, lambda name: '"' not in name and "'" not in name and normalize_charset_label(name) is not None
    )
    if label is not None:
        return label
    match = _XML_ENCODING_RE.search(head)
    return match.group(1).decode("ascii", "replace") if match else None


def detect_charset(payload: bytes, detector: str = "charset_normalizer") -> str | None:
    """A detector's answer as a Python codec name (None if it has none). ``detector``: cchardet | charset_normalizer."""
    if detector == "cchardet":
        try:
            import cchardet
        except ImportError:  # faust-cchardet missing: the slower pure-Python detector
            detector = "charset_normalizer"
        else:
            label = cchardet.detect(payload).get("encoding")
            return normalize_charset_label(label) if label else None
    if detector == "charset_normalizer":
        from charset_normalizer import from_bytes

        best = from_bytes(payload[:65536]).best()
        return normalize_charset_label(best.encoding) if best is not None else None
    raise ValueError(f"unknown detector {detector!r}")


def _strict(payload: bytes, encoding: str) -> str | None:
    try:
        return payload.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _is_cp949_hangul(payload: bytes) -> bool:
    """True if the bytes read as CP949 give mostly Hangul syllables among the decodable non-ASCII characters, with
    at most 1 in 10 of them (or a single one) undecodable: a stray broken byte must not hand a Korean page to a
    single-byte codec."""
    text = payload.decode("cp949", errors="replace")
    non_ascii = len(_NON_ASCII_RE.findall(text))
    bad = text.count("\ufffd")
    hangul = len(_HANGUL_SYLLABLE_RE.findall(text))
    return hangul > 0 and hangul * 2 >= non_ascii - bad and bad <= max(1, non_ascii // 10)


def _contradicted(encoding: str, payload: bytes, utf8_text: str | None, has_high: bool) -> bool:
    """True if a declared/detected label is contradicted by the bytes themselves: non-ASCII bytes that are valid
    UTF-8 under a non-UTF-8 label, or CP949 Hangul under a single-byte label."""
    if not has_high or encoding == "utf-8":
        return False
    if utf8_text is not None:
        # Non-ASCII text that is valid UTF-8 is UTF-8: CP949 or Latin text almost never is.
        return True
    return encoding not in _MULTIBYTE and _is_cp949_hangul(payload)


def _with_replacements(payload: bytes, encoding: str) -> tuple[str, int]:
    text = payload.decode(encoding, errors="replace")
    present = payload.count(b"\xef\xbf\xbd") if encoding == "utf-8" else 0  # U+FFFD already in the page
    return text, max(0, text.count("\ufffd") - present)


def decode_html(payload: bytes, content_type: str | None = None, detector: str = "charset_normalizer") -> Decoded:
    """Decode an HTML payload; ``content_type`` is the HTTP header value (may carry ``charset=``).

    ``detector``: charset-normalizer by default — alone it is right on 99.5% of undeclared CP949 pages against
    faust-cchardet's 80% (benchmarks/charset_detectors.py); with either, this function decodes all of them."""
    for bom, encoding in BOMS:
        if payload.startswith(bom):
            text, bad = _with_replacements(payload[len(bom) :], encoding)
            return Decoded(text, encoding, "bom", bad)
    has_high = any(b >= 0x80 for b in payload) if len(payload) < 4096 else not payload.isascii()
    utf8_text = _strict(payload, "utf-8")
    declared: list[tuple[str, str]] = []
    for label, source in ((header_charset(content_type), "header"), (meta_charset(payload), "meta")):
        encoding = normalize_charset_label(label) if label else None
        if encoding and encoding.startswith("utf-16") and source == "meta":
            encoding = "utf-8"  # WHATWG: a meta cannot declare UTF-16 (the bytes are ASCII-compatible)
        if encoding is None:
            continue
        declared.append((encoding, source))
        if _contradicted(encoding, payload, utf8_text, has_high):
            continue
        text = utf8_text if encoding == "utf-8" else _strict(payload, encoding)
        if text is not None:
            return Decoded(text, encoding, source, 0)
    if not has_high:
        return Decoded(utf8_text or payload.decode("ascii", "replace"), "utf-8", "detected", 0)
    if utf8_text is not None:
        return Decoded(utf8_text, "utf-8", "detected", 0)
    detected = detect_charset(payload, detector)
    if detected not in (None, "utf-8", "cp949") and _is_cp949_hangul(payload):
        # detectors answer big5 / euc_jp / cp1252 … for some short CP949 pages that those codecs also decode
        detected = "cp949"
    if detected and detected not in ("utf-8", "ascii") and not _contradicted(detected, payload, None, has_high):
        text = _strict(payload, detected)
        if text is not None:
            return Decoded(text, detected, "detected", 0)
    text = _strict(payload, "cp949")
    if text is not None:
        return Decoded(text, "cp949", "detected", 0)
    # Nothing decodes strictly: the candidate that needs the fewest replacements, flagged as a fallback.
    # (single-byte codecs never produce replacements: they only compete when the bytes do not contradict them)
    candidates = ["utf-8"] + [enc for enc, _ in declared] + ([detected] if detected else []) + ["cp949"]
    candidates = [c for c in candidates if not _contradicted(c, payload, None, has_high)]
    best: tuple[str, int, str] | None = None
    for encoding in dict.fromkeys(candidates):
        try:
            text, bad = _with_replacements(payload, encoding)
        except LookupError:
            continue
        if best is None or bad < best[1]:
            best = (text, bad, encoding)
    assert best is not None
    return Decoded(best[0], best[2], "fallback", best[1])
