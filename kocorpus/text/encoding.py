"""Decoding of raw bytes from Korean sources: BOMs, UTF-16, legacy CP949/EUC-KR."""

import codecs

BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def sniff_bom(head: bytes) -> tuple[str | None, int]:
    """Return (encoding, BOM length in bytes) for a byte prefix, or (None, 0) without a BOM."""
    for bom, encoding in BOMS:
        if head.startswith(bom):
            return encoding, len(bom)
    return None, 0


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode a whole text file; returns (text, encoding used).

    Order: BOM (UTF-8 / UTF-16), strict UTF-8, strict CP949 (a superset of EUC-KR, the encoding of legacy
    Korean web pages). Raises UnicodeDecodeError when none of them decodes the bytes strictly.
    """
    encoding, skip = sniff_bom(data[:4])
    if encoding:
        return data[skip:].decode(encoding), encoding + ("-bom" if encoding == "utf-8" else "")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("cp949"), "cp949"
        except UnicodeDecodeError:
            raise utf8_error from None
