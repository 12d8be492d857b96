"""TextFileReader: plain-text files as one document, or one per blank-line-separated paragraph."""

import re

from datatrove.data import DocumentsPipeline

from kocorpus.readers.base import RecordReader
from kocorpus.text.encoding import decode_text

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")


class TextFileReader(RecordReader):
    """Decodes UTF-8 (± BOM), UTF-16 with BOM, or CP949/EUC-KR (detected); undecodable files are rejected.

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
