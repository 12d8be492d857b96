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

    def read_records(self, filepath: str) -> DocumentsPipeline:
        with self.data_folder.open(filepath, "rb", compression="infer") as f:
            try:
                data = f.read()
            except Exception as e:
                self.reject(filepath, None, f"truncated stream: {type(e).__name__}: {e}", b"")
                return
        try:
            text, encoding = decode_text(data)
        except UnicodeDecodeError as e:
            self.reject(filepath, None, f"undecodable text: not UTF-8/UTF-16/CP949: {e}", data[:600])
            return
        text = text.replace("\r\n", "\n")
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
