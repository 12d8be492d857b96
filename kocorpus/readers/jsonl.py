"""JsonlRecordReader: JSONL, JSONL.gz and JSONL.zst; UTF-8 with or without BOM, or UTF-16 with BOM."""

import io
from collections.abc import Iterator
from typing import IO

from datatrove.data import DocumentsPipeline

from kocorpus.readers.base import RecordReader
from kocorpus.text.encoding import sniff_bom


def _lines(f: IO[bytes], prefix: bytes) -> Iterator[bytes]:
    """Lines of a binary stream whose first `len(prefix)` bytes were already read into `prefix`."""
    parts = prefix.splitlines(keepends=True)
    last = b""
    if parts:
        *complete, last = parts
        yield from complete
        if last.endswith(b"\n"):
            yield last
            last = b""
    first = last + f.readline()
    if first:
        yield first
    yield from f


def _with_lone_surrogates(raw: bytes):
    """Parse a line orjson refuses for a lone `\\udXXX` escape (Python's json.dumps writes them for text cut inside
    an emoji's surrogate pair): escaped pairs are joined, lone halves become U+FFFD. None if it is still not JSON."""
    import json

    def fix(value):
        if isinstance(value, str):
            return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
        if isinstance(value, list):
            return [fix(v) for v in value]
        if isinstance(value, dict):
            return {fix(k): fix(v) for k, v in value.items()}
        return value

    try:
        return fix(json.loads(raw))
    except ValueError:
        return None


class JsonlRecordReader(RecordReader):
    """One JSON object per line. Bad lines (invalid UTF-8, not JSON, no usable text) are rejected with their
    line number and byte offset; a truncated or corrupt compressed stream keeps the records before the break
    and rejects the break itself."""

    name = "🐿 JSONL"
    kind = "jsonl"
    _requires_dependencies = ["orjson"]

    def read_records(self, filepath: str) -> DocumentsPipeline:
        import orjson

        with self.data_folder.open(filepath, "rb", compression="infer") as raw_f:
            # zstandard's reader has no readline(); a buffer gives every stream line iteration
            f = raw_f if hasattr(raw_f, "peek") else io.BufferedReader(raw_f)
            try:
                head = f.read(4)
            except Exception as e:  # corrupt compressed header
                self.reject(filepath, None, f"unreadable file: {type(e).__name__}: {e}", b"")
                return
            encoding, bom = sniff_bom(head)
            if encoding and encoding.startswith("utf-16"):
                yield from self._read_utf16(filepath, head + f.read(), encoding)
                return
            encoding = "utf-8-bom" if bom else "utf-8"
            lines = _lines(f, head[bom:])
            line_no, offset = 0, bom
            while True:
                try:
                    raw = next(lines)
                except StopIteration:
                    break
                except Exception as e:  # EOFError / zlib / zstd errors: the stream broke here
                    self.reject(filepath, line_no + 1, f"truncated stream: {type(e).__name__}: {e}", b"", offset)
                    break
                line_no += 1
                start, offset = offset, offset + len(raw)
                with self.track_time():
                    doc = self._parse_line(orjson, raw, filepath, line_no, start, encoding)
                if doc is not None:
                    yield doc

    def _parse_line(self, orjson, raw: bytes, filepath: str, line_no: int, offset: int, encoding: str):
        if not raw.strip():
            self.stat_update("blank_lines")
            return None
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as e:
            self.reject(filepath, line_no, f"invalid utf-8: {e}", raw, offset)
            return None
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError as e:
            data = _with_lone_surrogates(raw) if "surrogate" in str(e) else None
            if data is None:
                self.reject(filepath, line_no, f"invalid json: {e}", raw, offset)
                return None
            self.stat_update("lone_surrogates_replaced")
        return self.make_document(data, filepath, line_no, encoding, raw, offset)

    def _read_utf16(self, filepath: str, data: bytes, encoding: str) -> DocumentsPipeline:
        import orjson

        try:
            text = data.decode("utf-16")  # the BOM selects the byte order and is dropped
        except UnicodeDecodeError as e:
            self.reject(filepath, None, f"invalid utf-16: {e}", data[:600])
            return
        # split on \n only: U+2028 / U+0085 may stand unescaped inside JSON strings
        for line_no, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
            doc = self._parse_line(orjson, line.encode("utf-8"), filepath, line_no, None, encoding)
            if doc is not None:
                yield doc
