"""Shared parts of the web readers: HTTP message parsing, registered domains, page payload → Document.

Every web reader (WARC response, HTML file, Common Crawl index record) builds its Document with
`page_document`, so the metadata layout is the same everywhere (see `WEB_FIELDS`).
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from functools import lru_cache

from datatrove.data import Document

from kocorpus import signals as S
from kocorpus.text.decode import decode_html

# Payload types that are decoded into doc.text; any other payload keeps text "" (the content_type step removes it).
HTML_MIMES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_MIMES = frozenset({"text/plain"})
# Metadata every web document carries (None when unknown).
WEB_FIELDS = (
    "url", "domain", "warc_date", "warc_record_id", "http_status", "content_type", "location", "encoding",
    "encoding_source", "replacement_chars", "format",
)  # fmt: skip
_STATUS_RE = re.compile(rb"^HTTP/\d(?:\.\d)?\s+(\d{3})")


@dataclass
class HttpMessage:
    """A parsed HTTP response: status (None if no status line), lower-cased headers, the decoded body."""

    status: int | None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    error: str | None = None
    """Why the transfer/content encoding could not be undone (the body is then the raw bytes)."""


def parse_http(block: bytes) -> HttpMessage:
    """Parse the block of a WARC `response` record (status line, headers, body; chunked and gzip/deflate undone)."""
    head, sep, body = block.partition(b"\r\n\r\n")
    if not sep:
        head, sep, body = block.partition(b"\n\n")
    if not sep:  # no header/body separator: a headers-only (or broken) message
        head, body = block, b""
    lines = head.split(b"\n")
    match = _STATUS_RE.match(lines[0].strip()) if lines else None
    if match is None:  # not an HTTP message at all: the whole block is the body
        return HttpMessage(None, {}, block)
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, colon, value = line.partition(b":")
        if colon:
            headers[name.strip().decode("latin-1").lower()] = value.strip().decode("latin-1")
    msg = HttpMessage(int(match.group(1)), headers, body)
    if "chunked" in headers.get("transfer-encoding", "").lower():
        try:
            msg.body = _dechunk(msg.body)
        except ValueError as e:  # not chunked after all (the header was kept after de-chunking): the raw body
            msg.error = f"chunked: {e}"
    # `Content-Encoding: gzip, br` lists the codings in the order applied: undo them in reverse
    for coding in reversed([c.strip().lower() for c in headers.get("content-encoding", "").split(",")]):
        if coding in ("", "identity") or not msg.body:
            continue
        try:
            msg.body = _undo_coding(coding, msg.body)
        except Exception as e:  # zlib / zstd / brotli errors, or a coding we cannot undo
            msg.error = f"content-encoding {coding}: {type(e).__name__}: {e}"
            break
    return msg


def _undo_coding(coding: str, body: bytes) -> bytes:
    """Undo one HTTP content coding. A body that already looks like markup is returned as is: crawlers (Common
    Crawl among them) store the decoded payload and may keep the original `Content-Encoding` header."""
    if looks_like_html(body):
        return body
    if coding in ("gzip", "x-gzip", "deflate"):
        # gzip, zlib-wrapped deflate (47: either header), else raw deflate (what many servers send as `deflate`)
        try:
            return zlib.decompressobj(47).decompress(body)
        except zlib.error:
            if coding != "deflate":
                raise
            return zlib.decompressobj(-15).decompress(body)
    if coding == "zstd":
        import zstandard

        return zstandard.ZstdDecompressor().decompressobj().decompress(body)
    if coding == "br":
        try:
            import brotli
        except ImportError:
            raise ValueError("brotli payload and no `brotli` module installed") from None
        return brotli.decompress(body)
    raise ValueError(f"unknown content coding {coding!r}")


def _dechunk(data: bytes) -> bytes:
    """Undo `Transfer-Encoding: chunked` (CRLF or bare LF lines, chunk extensions, trailers). A body cut inside a
    chunk (a truncated fetch) returns the data up to the cut; no valid first size line raises ValueError."""
    out, pos = [], 0
    while pos < len(data):
        eol = data.find(b"\n", pos)
        if eol < 0:
            eol = len(data)
        size_text = data[pos:eol].split(b";")[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            if not out:
                raise ValueError(f"no chunk size line at the start: {data[pos : pos + 20]!r}") from None
            break  # junk after some chunks: keep what was de-chunked
        if size == 0:
            break
        start = eol + 1
        out.append(data[start : start + size])
        pos = start + size
        if data[pos : pos + 2] == b"\r\n":
            pos += 2
        elif data[pos : pos + 1] == b"\n":
            pos += 1
    return b"".join(out)


def mime_of(content_type: str | None) -> str | None:
    """`text/html; charset=x` → `text/html` (lower case); None for a missing/empty value."""
    if not content_type:
        return None
    mime = content_type.split(";", 1)[0].strip().lower()
    return mime or None


@lru_cache(maxsize=1)
def _extractor():
    import tldextract

    # no suffix-list download: the snapshot bundled with tldextract
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


@lru_cache(maxsize=65536)
def registered_domain(url: str | None) -> str | None:
    """`https://blog.naver.com/x` → `naver.com`; an IP or single-label host is returned as is; None if no host."""
    if not url:
        return None
    parts = _extractor()(url)
    host = getattr(parts, "top_domain_under_public_suffix", None) or parts.registered_domain or parts.domain
    return host.lower() if host else None


def looks_like_html(payload: bytes) -> bool:
    """Sniff a payload without a usable Content-Type: starts (after whitespace/BOM) with `<`."""
    return payload[:512].lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n").startswith(b"<")


def page_document(
    doc_id: str,
    payload: bytes,
    *,
    url: str | None,
    file: str,
    line: int,
    content_type: str | None = None,
    http_status: int | None = None,
    location: str | None = None,
    warc_date: str | None = None,
    warc_record_id: str | None = None,
    detector: str = "charset_normalizer",
    extra: dict | None = None,
) -> Document:
    """Document of one fetched page: HTML/text payloads decoded (`decode_html`), others keep text ""."""
    mime = mime_of(content_type)
    fmt = "html"
    decoded = None
    sniffed = None
    # a payload whose Content-Encoding could not be undone is compressed bytes: never decoded as text
    encoded = str((extra or {}).get("http_error") or "").startswith("content-encoding")
    if not encoded and (mime in HTML_MIMES or mime in TEXT_MIMES or (mime is None and looks_like_html(payload))):
        payload, sniffed = sniff_binary(payload)
        if sniffed is None:
            decoded = decode_html(payload, content_type, detector)
            fmt = "text" if mime in TEXT_MIMES else "html"
    metadata = {
        S.SOURCE: file,
        S.FILE: file,
        S.LINE: line,
        "url": url,
        "domain": registered_domain(url),
        "warc_date": warc_date,
        "warc_record_id": warc_record_id,
        "http_status": http_status,
        "content_type": mime,
        "location": location,
        "encoding": decoded.encoding if decoded else None,
        "encoding_source": decoded.source if decoded else None,
        "replacement_chars": decoded.replacements if decoded else 0,
        "format": fmt,
        "payload_bytes": len(payload),
        "chars_in": len(decoded.text) if decoded else 0,
    }
    if sniffed is not None:
        metadata["sniffed_type"] = sniffed
    if extra:
        metadata.update(extra)
    return Document(text=decoded.text if decoded else "", id=doc_id, metadata=metadata)


# Magic numbers of binary payloads that servers (or saved file names) label as HTML / text.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"), (b"GIF87a", "image/gif"), (b"GIF89a", "image/gif"),
    (b"\xff\xd8\xff", "image/jpeg"), (b"%PDF-", "application/pdf"), (b"PK\x03\x04", "application/zip"),
    (b"\x00\x00\x01\x00", "image/x-icon"), (b"wOFF", "font/woff"), (b"wOF2", "font/woff2"),
    (b"OggS", "application/ogg"), (b"ID3", "audio/mpeg"), (b"\x1f\x8b\x08", "application/gzip"),
)  # fmt: skip
MAX_GUNZIP = 64 << 20  # bytes: a gzip payload labelled HTML is inflated up to this size


def sniff_binary(payload: bytes) -> tuple[bytes, str | None]:
    """(payload, None) for text; a gzip payload (a compressed body saved as is) is inflated first. Otherwise
    (payload, mime) for binary content: a known magic number, or NUL bytes that are not UTF-16 text."""
    if payload[:3] == b"\x1f\x8b\x08":
        try:
            inflater = zlib.decompressobj(31)
            inflated = inflater.decompress(payload, MAX_GUNZIP)
            if not inflater.unconsumed_tail:
                return sniff_binary(inflated)
        except zlib.error:
            pass
    head = payload[:1024]
    for magic, mime in _MAGIC:
        if head.startswith(magic):
            return payload, mime
    if b"\x00" in head and not any(_utf16(head[: len(head) // 2 * 2 - cut], bo) for bo in "lb" for cut in (0, 2)):
        return payload, "application/octet-stream"  # NUL bytes that are not UTF-16 text (random bytes rarely are)
    return payload, None


def _utf16(data: bytes, byte_order: str) -> bool:
    try:
        data.decode(f"utf-16-{byte_order}e")
    except UnicodeDecodeError:
        return False
    return True
