"""TextFileReader: plain-text files as one document, or one per blank-line-separated paragraph."""

import re

from datatrove.data import DocumentsPipeline

from kocorpus.readers.base import RecordReader
from kocorpus.text.encoding import decode_text

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")


MAX_REPLACED_SHARE = 0.001  # a file this close to UTF-8 / CP949 is kept with U+FFFD for its few broken bytes


def _lenient(data: bytes) -> tuple[str | None, str]:
    """UTF-8 or CP949 with replacement characters, when at most MAX_REPLACED_SHARE of the characters (or one) are
    replaced: a long Korean file with a stray broken byte is kept, not rejected whole; else (None, "")."""
    best: tuple[str | None, str, int] = (None, "", len(data) + 1)
    for encoding in ("utf-8", "cp949"):
        text = data.decode(encoding, errors="replace")
        bad = text.count("\ufffd") - (data.count(b"\xef\xbf\xbd") if encoding == "utf-8" else 0)
        if bad < best[2]:
            best = (text, f"{encoding}+replace", bad)
    text, encoding, bad = best
    return (text, encoding) if text is not None and bad <= max(1, len(text) * MAX_REPLACED_SHARE) else (None, "")


class TextFileReader(RecordReader):
    """Decodes UTF-8 (± BOM), UTF-16 with BOM, or CP949/EUC-KR (detected); a file with a few broken bytes (≤ 0.1% of
    its characters) is kept with U+FFFD (encoding `utf-8+replace` / `cp949+replace`); other undecodable files are
    rejected.

    Ids are `<file>` for whole files and `<file>:<line>` (first line of the paragraph) for paragraphs.
    """

    name = "📄 Text"
    kind = "text"

    @staticmethod
    def _decode_prefix(data: bytes) -> tuple[str | None, str]:
        """Decode `data` minus up to 3 trailing bytes (a character cut by a broken stream); (None, "") if that fails."""
        for cut in range(1, 4):
            try:
                return decode_text(data[:-cut])
            except UnicodeDecodeError:
                continue
        return None, ""

    def read_records(self, filepath: str) -> DocumentsPipeline:
        chunks, broken = [], None
        with self.data_folder.open(filepath, "rb", compression="infer") as f:
            try:
                # read1 returns what is decompressed so far: a broken stream loses only its last block
                read = f.read1 if hasattr(f, "read1") else f.read
                while chunk := read(1 << 16):
                    chunks.append(chunk)
            except Exception as e:  # truncated .gz / .zst: keep what was read before the break
                broken = f"truncated stream: {type(e).__name__}: {e}"
        data = b"".join(chunks)
        try:
            text, encoding = decode_text(data)
        except UnicodeDecodeError as e:
            text = None
            if broken:  # the break may have cut a multi-byte character: drop its bytes
                text, encoding = self._decode_prefix(data)
            if text is None:
                text, encoding = _lenient(data)
            if text is None:
                self.reject(filepath, None, f"undecodable text: not UTF-8/UTF-16/CP949: {e}", data[:600])
                return
        if broken:
            self.reject(filepath, text.count("\n") + 1, broken, data[-300:], offset=len(data))
        text = text.replace("\r\n", "\n")
        if not text.strip():
            if not broken:
                self.reject(filepath, 1, "empty text: the file is empty or whitespace", data[:600])
            return
        if self.config.text_split == "file":
            doc = self.make_document({self.config.text_key: text, self.config.id_key: filepath}, filepath, 1, encoding)
            if doc is not None:
                yield doc
            return
        pos, line = 0, 1
        for match in [*_PARAGRAPH_BREAK.finditer(text), None]:
            end = match.start() if match else len(text)
            para = text[pos:end]
            if para.strip():
                lead = len(para) - len(para.lstrip("\n"))
                doc = self.make_document({self.config.text_key: para.strip("\n")}, filepath, line + lead, encoding)
                if doc is not None:
                    yield doc
            if match:
                line += text.count("\n", pos, match.end())
                pos = match.end()
