"""WarcRecordReader: .warc / .warc.gz (fastwarc) → one Document per `response` / `resource` record.

Every record is accounted for: each record type is counted (`warc_records_<type>` in the reader's stats);
`request` / `metadata` / `warcinfo` / `revisit` records are counted but are not documents. A record whose block is
shorter than its Content-Length (a truncated gzip member or file) is rejected with its byte offset; a record
followed by an unreadable WARC header (its Content-Length lied, or the bytes after it are corrupt) is rejected
too, and reading resumes at the next record start (gzip member or `WARC/1.x` line) after the break — unless its
Content-Length is short by only a few bytes (`SHORT_SLACK`), which warcio (so datatrove/FineWeb) reads with a
warning: that record is kept, counted as `warc_content_length_short`.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

from datatrove.data import Document, DocumentsPipeline

from kocorpus import signals as S
from kocorpus.readers.base import RecordReader
from kocorpus.readers.web import mime_of, page_document, parse_http

GZIP_MAGIC = b"\x1f\x8b\x08"
_WARC_LINE = re.compile(rb"WARC/1\.[01]\r?\n")
SNIPPET_HEADERS = ("warc-type", "warc-record-id", "warc-date", "warc-target-uri", "content-type", "content-length")
RESYNC_CHUNK = 1 << 20  # bytes read at a time while looking for the next record after a break
SHORT_SLACK = 16  # a Content-Length short by at most this many bytes keeps its record (as warcio does)


@dataclass
class RawRecord:
    """One WARC record as read: type, byte offset in the file (compressed offset for .gz), headers, block."""

    type: str
    offset: int
    headers: dict[str, str]
    block: bytes
    declared: int
    line: int = 0
    short_by: int = 0
    bare_lf: bool = False
    """Re-read from the file because its header lines end in a bare LF (fastwarc lost the record boundary)."""
    """Bytes found between the declared end of the block and the next record (a Content-Length a little short)."""

    def header_text(self) -> str:
        """The identifying WARC headers, for a rejected record's snippet (no IP address or other fields)."""
        return "\n".join(f"{k}: {self.headers[k]}" for k in SNIPPET_HEADERS if k in self.headers)


def read_raw(rec) -> RawRecord:
    """RawRecord from a fastwarc WarcRecord (reads its whole block)."""
    headers = dict(rec.headers.to_tuples())
    lower = {k.lower(): v for k, v in headers.items()}
    try:
        declared = int(lower.get("content-length", "-1"))
    except ValueError:
        declared = -1
    rtype = lower.get("warc-type", "").strip().lower() or str(rec.record_type)
    return RawRecord(rtype, rec.stream_pos, lower, rec.reader.read(), declared)


class WarcRecordReader(RecordReader):
    """WARC files (plain or gzip per record); `line` is the record's 1-based number in the file (all types)."""

    name = "🕸 WARC"
    kind = "warc"
    document_types: tuple[str, ...] = ("response", "resource")
    _requires_dependencies = ["fastwarc"]

    def read_records(self, filepath: str) -> DocumentsPipeline:
        from fastwarc.warc import ArchiveIterator

        with self.data_folder.open(filepath, "rb") as f:
            gz = f.read(2) == GZIP_MAGIC[:2]
            start: int | None = 0
            line = 0
            while start is not None:
                f.seek(start)
                records = iter(ArchiveIterator(f, parse_http=False, stream_detect=gz))
                pending: RawRecord | None = None
                error: Exception | None = None
                while True:
                    try:
                        raw = read_raw(next(records))
                    except StopIteration:
                        break
                    except Exception as e:  # fastwarc: OSError "Invalid WARC header", gzip data errors
                        error = e
                        break
                    line += 1
                    if any("\n" in v for v in raw.headers.values()):
                        raw = self._bare_lf_record(f, gz, raw)
                    raw.line = line
                    if pending is not None:
                        yield from self._emit(filepath, pending)
                    pending = raw
                if error is None:
                    if pending is not None:
                        yield from self._emit(filepath, pending)
                    tail = self._unread_tail(f, gz, start, pending)
                    if tail is None:
                        return
                    after = self._skip_empty_members(f, tail) if gz else tail
                    if after != tail:  # empty gzip members (a writer's padding / terminator): not a break
                        self.stat_update("warc_empty_gzip_members")
                        start = None if after >= f.seek(0, 2) else after
                        continue
                    # fastwarc stops silently at a gzip member cut short: the bytes from there on are the break
                    self.reject(filepath, line + 1, "broken warc stream: the bytes from here to the end of the file "
                                "are not a complete WARC record", b"", tail)  # fmt: skip
                    start = self._resync(f, tail + 1, gz)
                    continue
                start = yield from self._break(f, filepath, gz, start, pending, error)

    def _break(self, f, filepath: str, gz: bool, start: int, pending: RawRecord | None, error: Exception):
        """Handle a read error after `pending` (None: at `start`); returns where to resume, or None."""
        message = f"{type(error).__name__}: {error}"
        if pending is not None and "header" in str(error).lower():
            after = self._resync(f, pending.offset + 1, gz)
            pending.short_by = 0 if pending.bare_lf else self._short_by(f, gz, pending, after)
            # a few stray bytes before the next record (warcio warns and keeps it, so do we), or a bare-LF record
            # re-read whole after which fastwarc lost the boundary: keep it, go on at the next record
            if pending.short_by or pending.bare_lf:
                if pending.short_by:
                    self.stat_update("warc_content_length_short")
                yield from self._emit(filepath, pending)
                return after
            # the record before an invalid header is where the bytes stopped matching Content-Length
            self.stat_update(f"warc_records_{pending.type}")
            self.reject(
                filepath, pending.line, f"broken warc record: the WARC header after this record is invalid "
                f"(lying Content-Length or corrupt data; {message})", pending.header_text(), pending.offset,
            )  # fmt: skip
            return self._resync(f, pending.offset + 1, gz)
        where = start
        if pending is not None:
            yield from self._emit(filepath, pending)
            end = self._member_end(f, pending.offset) if gz else self._resync(f, pending.offset + 1, gz)
            where = end if end is not None else pending.offset
        self.reject(filepath, (pending.line + 1) if pending else None, f"broken warc stream: {message}", b"", where)
        return self._resync(f, where + 1, gz)

    def _bare_lf_record(self, f, gz: bool, raw: RawRecord) -> RawRecord:
        """Re-read a record whose header lines end in a bare LF (fastwarc runs them into one header value; warcio
        reads them) from its offset; `raw` unchanged (then rejected) when that fails. The file position is kept."""
        pos = f.tell()
        try:
            end = self._member_end(f, raw.offset) if gz else None
            f.seek(raw.offset)
            if gz:
                data = zlib.decompressobj(31).decompress(f.read(end - raw.offset)) if end else b""
            else:
                data = f.read(1 << 16)
            head, sep, rest = data.partition(b"\n\n")
            if not sep or not head.startswith(b"WARC/"):
                return raw
            headers = {}
            for header in head.split(b"\n")[1:]:
                name, colon, value = header.decode("utf-8", "replace").partition(":")
                if colon:
                    headers[name.strip().lower()] = value.strip()
            declared = int(headers.get("content-length", ""))
            if not gz:
                f.seek(raw.offset + len(head) + 2)
                rest = f.read(declared)
            self.stat_update("warc_bare_lf_headers")
            rtype = headers.get("warc-type", "").lower()
            return RawRecord(rtype, raw.offset, headers, rest[:declared], declared, bare_lf=True)
        except (ValueError, zlib.error, OSError):
            return raw
        finally:
            f.seek(pos)

    def _short_by(self, f, gz: bool, raw: RawRecord, after: int | None) -> int:
        """How many bytes (1 … SHORT_SLACK) `raw`'s Content-Length is short of the next record start `after`
        (None: end of file), not counting the CRLF CRLF record terminator; 0 for a larger or no mismatch."""
        end = f.seek(0, 2) if after is None else after
        if end - raw.offset > 64 << 20 or (gz and self._member_end(f, raw.offset) != end):
            return 0
        f.seek(raw.offset)
        data = f.read(end - raw.offset)
        if gz:
            data = zlib.decompressobj(31).decompress(data)
        head = data.find(b"\r\n\r\n")
        if head < 0:
            return 0
        tail = data[head + 4 + raw.declared :]
        extra = len(tail) - (4 if tail.endswith(b"\r\n\r\n") else 0)
        return extra if 0 < extra <= SHORT_SLACK else 0

    def _unread_tail(self, f, gz: bool, start: int, last: RawRecord | None) -> int | None:
        """Offset of bytes left after the last record read (from `start`), or None if the file ends there."""
        size = f.seek(0, 2)
        if last is None:
            end = start
        elif gz:
            end = self._member_end(f, last.offset)
        else:
            return None  # plain WARC: fastwarc raises on anything after the last record
        if end is None or end >= size:
            return None
        f.seek(end)
        padding = size - end <= 4096 and not f.read(4096).strip(b"\x00\r\n \t")
        return None if padding else end

    def _skip_empty_members(self, f, pos: int) -> int:
        """The offset after the gzip members at `pos` that inflate to nothing (or only whitespace)."""
        while (end := self._member_end(f, pos)) is not None:
            f.seek(pos)
            if zlib.decompressobj(31).decompress(f.read(end - pos), 4096).strip(b"\x00\r\n \t"):
                break
            pos = end
        return pos

    @staticmethod
    def _member_end(f, offset: int) -> int | None:
        """Byte offset just after the gzip member starting at `offset` (None if it does not inflate to its end)."""
        f.seek(offset)
        inflater = zlib.decompressobj(31)
        consumed = 0
        try:
            while not inflater.eof:
                chunk = f.read(1 << 16)
                if not chunk:
                    return None
                inflater.decompress(chunk)
                consumed += len(chunk)
        except zlib.error:
            return None
        return offset + consumed - len(inflater.unused_data)

    @staticmethod
    def _resync(f, pos: int, gz: bool) -> int | None:
        """Byte offset of the first plausible record start at or after `pos`: a gzip member that inflates to
        `WARC/1.x`, or (plain WARC) a `WARC/1.x` line at the start of a line; None at end of file."""
        magic = GZIP_MAGIC if gz else b"WARC/1."
        while True:
            f.seek(pos)
            chunk = f.read(RESYNC_CHUNK)
            if not chunk:
                return None
            i = chunk.find(magic)
            while i >= 0:
                at = pos + i
                f.seek(at)
                head = f.read(4096)
                if gz:
                    try:
                        head = zlib.decompressobj(31).decompress(head, 64)
                    except zlib.error:
                        head = b""
                    if _WARC_LINE.match(head):
                        return at
                elif _WARC_LINE.match(head) and (at == 0 or chunk[i - 1 : i] == b"\n" or i == 0):
                    return at
                i = chunk.find(magic, i + 1)
            if len(chunk) < RESYNC_CHUNK:
                return None
            pos += len(chunk) - len(magic)

    def _emit(self, filepath: str, raw: RawRecord) -> DocumentsPipeline:
        """Count the record by type; documents for the reader's document types; truncated blocks rejected."""
        if any("\n" in v for v in raw.headers.values()):  # fastwarc runs bare-LF header lines into one value
            lines = [x for x in raw.header_text().split("\n") if x.split(":", 1)[0].strip().lower() in SNIPPET_HEADERS]
            self.reject(filepath, raw.line, "malformed warc header: header lines end in a bare LF, not CRLF",
                        "\n".join(lines), raw.offset)  # fmt: skip
            return
        self.stat_update(f"warc_records_{raw.type}")
        if raw.declared < 0:  # mandatory header missing: the header block itself was cut (or is corrupt)
            self.reject(filepath, raw.line, "truncated warc record: no valid Content-Length header", raw.header_text(),
                        raw.offset)  # fmt: skip
            return
        if len(raw.block) < raw.declared:
            self.reject(
                filepath, raw.line, f"truncated warc record: block has {len(raw.block)} of {raw.declared} bytes "
                f"({raw.type})", raw.header_text(), raw.offset,
            )  # fmt: skip
            return
        if raw.type not in self.document_types:
            return
        with self.track_time():
            doc = self.to_document(filepath, raw)
        self.stat_update(S.STAT_READ)
        yield doc

    def to_document(self, filepath: str, raw: RawRecord) -> Document:
        return record_document(filepath, raw, self.config.detector)


def record_document(filepath: str, raw: RawRecord, detector: str = "charset_normalizer") -> Document:
    """Document of a `response` (HTTP parsed), `resource` or `conversion` (WET) record."""
    h = raw.headers
    record_id = h.get("warc-record-id", "").strip()
    doc_id = record_id.strip("<>") or f"{filepath}:{raw.line}"
    url = h.get("warc-target-uri", "").strip().strip("<>") or None
    warc_mime = mime_of(h.get("content-type"))
    extra = {"offset": raw.offset}
    if h.get("warc-truncated"):
        extra["warc_truncated"] = h["warc-truncated"]
    if raw.short_by:
        extra["warc_content_length_short"] = raw.short_by
    if raw.type == "response" and warc_mime in (None, "application/http"):
        msg = parse_http(raw.block)
        hh = msg.headers
        if msg.error:
            extra["http_error"] = msg.error
        return page_document(
            doc_id, msg.body, url=url, file=filepath, line=raw.line, content_type=hh.get("content-type"),
            http_status=msg.status, location=hh.get("location"), warc_date=h.get("warc-date"),
            warc_record_id=record_id or None, detector=detector, extra=extra,
        )  # fmt: skip
    return page_document(
        doc_id, raw.block, url=url, file=filepath, line=raw.line, content_type=h.get("content-type"),
        warc_date=h.get("warc-date"), warc_record_id=record_id or None, detector=detector, extra=extra,
    )  # fmt: skip
