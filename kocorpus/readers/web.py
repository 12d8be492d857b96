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
    try:
        if "chunked" in headers.get("transfer-encoding", "").lower():
            msg.body = _dechunk(msg.body)
        coding = headers.get("content-encoding", "").strip().lower()
        if coding in ("gzip", "x-gzip", "deflate") and msg.body:
            msg.body = zlib.decompressobj(47 if coding != "deflate" else 15).decompress(msg.body)
    except (zlib.error, ValueError) as e:
        msg.error = f"{type(e).__name__}: {e}"
    return msg


def _dechunk(data: bytes) -> bytes:
    out, pos = [], 0
    while True:
        eol = data.find(b"\r\n", pos)
        if eol < 0:
            raise ValueError("chunked body without a size line")
        size = int(data[pos:eol].split(b";")[0].strip() or b"0", 16)
        if size == 0:
            return b"".join(out)
        out.append(data[eol + 2 : eol + 2 + size])
        pos = eol + 2 + size + 2


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
    if mime in HTML_MIMES or mime in TEXT_MIMES or (mime is None and looks_like_html(payload)):
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
    if extra:
        metadata.update(extra)
    return Document(text=decoded.text if decoded else "", id=doc_id, metadata=metadata)
