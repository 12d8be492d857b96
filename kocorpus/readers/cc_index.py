"""CcIndexReader: Common Crawl index slices (Parquet / CSV / JSONL rows) → WARC records read by byte range.

Each row names a record: `url, warc_filename, warc_record_offset, warc_record_length` (the columnar index's
columns; CDXJ's `filename, offset, length` are accepted too, as are whole CDXJ lines `surt timestamp {json}` in
.cdxj / .jsonl files). The record is read from `warc_root` + `warc_filename` through datatrove's DataFolder (fsspec: a local folder, `s3://…`, `https://…`) with one ranged
read. A row that cannot be read (missing columns, missing file, range past the end, not a WARC record, truncated
member) is rejected with the index file and row number; `request`/`metadata` records are counted, not documents.
"""

from __future__ import annotations

import csv
import io
import json
import zlib
from collections.abc import Iterator

from datatrove.data import DocumentsPipeline

from kocorpus import signals as S
from kocorpus.readers.base import RecordReader
from kocorpus.readers.warc import WarcRecordReader, read_raw, record_document

COLUMNS = {
    "warc_filename": ("warc_filename", "filename"),
    "warc_record_offset": ("warc_record_offset", "offset"),
    "warc_record_length": ("warc_record_length", "length"),
    "url": ("url",),
}


def _field(row: dict, name: str):
    return next((row[k] for k in COLUMNS[name] if row.get(k) not in (None, "")), None)


class CcIndexReader(RecordReader):
    """Rows of index tables → Documents of the WARC records they point at (same metadata as the WARC reader,
    plus `warc_filename`, `warc_record_offset`, `warc_record_length`); `line` is the 1-based row."""

    name = "🗂 CC index"
    kind = "cc_index"
    _requires_dependencies = ["fastwarc"]

    def read_records(self, filepath: str) -> DocumentsPipeline:
        from datatrove.io import get_datafolder

        if not self.config.warc_root:
            self.reject(filepath, None, "no warc root: set reader.warc_root (--warc-root) for index slices", b"")
            return
        warcs = get_datafolder(self.config.warc_root)
        open_name, handle = None, None
        try:
            for row_no, row in enumerate(self._rows(filepath), start=1):
                if isinstance(row, Exception):  # a bad line (JSONL), or the table broke here (then rows end)
                    self.reject(filepath, row_no, f"unreadable index row: {type(row).__name__}: {row}", b"")
                    continue
                if not isinstance(row, dict):
                    self.reject(filepath, row_no, f"bad index row: not an object: {type(row).__name__}", str(row))
                    continue
                name, offset, length = (
                    _field(row, k) for k in ("warc_filename", "warc_record_offset", "warc_record_length")
                )
                snippet = json.dumps(row, ensure_ascii=False, default=str)
                try:
                    offset, length = int(offset), int(length)
                except (TypeError, ValueError):
                    self.reject(
                        filepath,
                        row_no,
                        f"bad index row: need warc_filename, offset, length; got {sorted(row)}",
                        snippet,
                    )
                    continue
                if not name or offset < 0 or length <= 0:
                    self.reject(filepath, row_no, "bad index row: empty warc_filename or negative range", snippet)
                    continue
                try:
                    if name != open_name:
                        if handle is not None:
                            handle.close()
                        handle, open_name = None, name
                        handle = warcs.open(name, "rb")
                    handle.seek(offset)
                    data = handle.read(length)
                except Exception as e:  # missing file, permissions, remote errors
                    handle, open_name = None, None
                    self.reject(filepath, row_no, f"unreadable warc range: {type(e).__name__}: {e}", snippet, offset)
                    continue
                raw = self._record(data, length)
                if isinstance(raw, str):
                    self.reject(filepath, row_no, f"bad warc range: {raw} ({name}@{offset}+{length})", snippet, offset)
                    continue
                raw.line, raw.offset = row_no, offset
                self.stat_update(f"warc_records_{raw.type}")
                if raw.type not in WarcRecordReader.document_types:  # the row is the input record: account for it
                    self.reject(filepath, row_no, f"not a document record: {raw.type} ({name}@{offset}+{length})",
                                snippet, offset)  # fmt: skip
                    continue
                with self.track_time():
                    doc = record_document(filepath, raw, self.config.detector)
                doc.metadata.update(
                    {"warc_filename": name, "warc_record_offset": offset, "warc_record_length": length, "offset": None}
                )
                if doc.metadata.get("url") is None:
                    doc.metadata["url"] = _field(row, "url")
                self.stat_update(S.STAT_READ)
                yield doc
        finally:
            if handle is not None:
                handle.close()

    @staticmethod
    def _record(data: bytes, length: int):
        """The RawRecord in a byte range, or a string saying why there is none."""
        from fastwarc.warc import ArchiveIterator

        if len(data) < length:
            return f"range past end of file: {len(data)} of {length} bytes"
        if data[:2] == b"\x1f\x8b":
            try:
                data = zlib.decompressobj(31).decompress(data)
            except zlib.error as e:
                return f"gzip member broken: {e}"
        if not data.startswith(b"WARC/1."):
            return "no WARC record at this offset"
        try:
            raw = read_raw(next(iter(ArchiveIterator(io.BytesIO(data), parse_http=False, stream_detect=False))))
        except (StopIteration, OSError) as e:
            return f"unparsable WARC record: {e}"
        if raw.declared < 0:
            return "truncated warc record: no valid Content-Length header"
        if len(raw.block) < raw.declared:
            return f"truncated warc record: block has {len(raw.block)} of {raw.declared} bytes"
        return raw

    def _rows(self, filepath: str) -> Iterator[dict | Exception]:
        """Rows of an index table (.parquet / .csv[.gz] / .jsonl[.gz]); a read error ends with the exception."""
        lower = filepath.lower()
        try:
            if lower.endswith(".parquet"):
                import pyarrow.parquet as pq

                with self.data_folder.open(filepath, "rb") as f:
                    for batch in pq.ParquetFile(f).iter_batches(batch_size=4096):
                        yield from batch.to_pylist()
                return
            with self.data_folder.open(filepath, "rb", compression="infer") as f:
                text = io.TextIOWrapper(f, encoding="utf-8", newline="")
                if ".csv" in lower or ".tsv" in lower:
                    yield from csv.DictReader(text, delimiter="\t" if ".tsv" in lower else ",")
                    return
                for line in text:
                    if line.strip():
                        try:
                            yield json.loads(line)
                        except ValueError as e:
                            yield _cdxj(line, e)
        except Exception as e:  # truncated .gz, broken Parquet, CSV errors: the rest of the table is unreadable
            yield e


def _cdxj(line: str, error: ValueError) -> dict | ValueError:
    """A CDXJ line (`surt timestamp {json}`, the CDX server's default output) → its JSON object, else the error."""
    parts = line.split(" ", 2)
    if len(parts) == 3 and parts[2].lstrip().startswith("{"):
        try:
            return json.loads(parts[2])
        except ValueError:
            pass
    return ValueError(f"invalid json: {error}")
