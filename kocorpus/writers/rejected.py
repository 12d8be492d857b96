"""RejectedWriter: malformed input records → OUT/rejected/*.jsonl with file, line, offset, error and snippet."""

import re
from typing import TYPE_CHECKING

from datatrove.data import Document
from datatrove.io import DataFolderLike
from datatrove.pipeline.writers.jsonl import JsonlWriter

if TYPE_CHECKING:
    from kocorpus.formatters.pii import PIIConfig

SNIPPET_CHARS = 300
_TRAILING_NUMBER = re.compile(r"[\d+][\d\s().\-/]*$")


class RejectedWriter(JsonlWriter):
    """Writes one JSON line per rejected record; readers call `reject()` instead of building Documents."""

    name = "🗑 Rejected"

    def __init__(self, output_folder: DataFolderLike, prefix: str = "", pii: "PIIConfig | None" = None):
        # one file per reader kind and task: readers chained in one pipeline must not overwrite each other
        super().__init__(output_folder, output_filename=f"{prefix}${{rank}}.jsonl", compression=None)
        self.pii = pii
        """The pipeline's pii step config: snippets and errors are masked with it (rejected records never reach
        the pii step)."""

    def reject(
        self, rank: int, file: str, line: int | None, offset: int | None, error: str, raw: bytes | str, records: int = 1
    ) -> None:
        """Record a rejected record (or `records` unreadable ones in one line, e.g. the rest of a broken Parquet
        file); `raw` is shortened to a snippet (bytes decoded with replacement)."""
        snippet = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else str(raw)
        if self.pii is not None:  # mask before cutting, so no value is cut into an undetectable piece
            from kocorpus.formatters.pii import redact_raw

            window = snippet[: 2 * SNIPPET_CHARS]
            if len(snippet) > len(window):  # a value cut by the window is no longer detectable: drop its start
                window = _TRAILING_NUMBER.sub("", window)
            snippet, error = redact_raw(window, self.pii), redact_raw(error, self.pii)
        doc = Document(
            text=snippet[:SNIPPET_CHARS],
            id=f"{file}:{line}" if line is not None else file,
            metadata={"file": file, "line": line, "offset": offset, "error": error}
            | ({"records": records} if records != 1 else {}),
        )
        self.write(doc, rank)

    def _default_adapter(self, document: Document) -> dict:
        return {"id": document.id, **document.metadata, "snippet": document.text}
