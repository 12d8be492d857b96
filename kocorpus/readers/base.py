"""RecordReader: the shared part of kocorpus readers — stable ids, rejects, and the `read` count.

Every record a reader sees ends as a Document or as a line in rejected/ (never silently skipped), and
`read` counts both, so the funnel identity read = rejected + removed + kept can be checked after a run.
"""

from dataclasses import dataclass
from typing import Any, Literal

from datatrove.data import Document, DocumentsPipeline
from datatrove.io import DataFolderLike
from datatrove.pipeline.readers.base import BaseDiskReader

from kocorpus import signals as S
from kocorpus.config import ConfigError
from kocorpus.readers.ledger import IdLedger, rejected_id
from kocorpus.text.encoding import decode_text
from kocorpus.writers.rejected import RejectedWriter


@dataclass(kw_only=True)
class ReaderConfig:
    """How input records map to documents."""

    text_key: str = "text"
    """Field holding the document text (JSONL, Parquet)."""
    id_key: str = "id"
    """Field holding the document id; missing ids become `<file>:<line>`."""
    source_key: str = "source"
    """Field holding the source label; missing sources become the file path."""
    text_split: Literal["file", "paragraph"] = "file"
    """Plain-text files: one document per file, or one per blank-line-separated paragraph."""
    format: Literal["auto", "jsonl", "parquet", "text", "warc", "wet", "html", "cc_index"] = "auto"
    """Input format; `auto` picks by extension (.jsonl[.gz|.zst], .parquet, .txt[.gz|.zst], .warc[.gz],
    .wet[.gz], .html/.htm; with `warc_root` set, .parquet/.csv/.jsonl files are Common Crawl index slices)."""
    url_prefix: str | None = None
    """HTML files: URL = this prefix + the file's path under the input root (default: from the path itself)."""
    warc_root: str | None = None
    """Common Crawl index slices: folder or URL prefix (local, s3://, https://) holding the `warc_filename`s."""
    detector: Literal["charset_normalizer", "cchardet"] = "charset_normalizer"
    """Charset detector for web pages without a usable declared charset (see README "Web input")."""

    def __post_init__(self) -> None:
        for key in ("text_key", "id_key", "source_key"):
            if not getattr(self, key):
                raise ConfigError(f"{key}: must not be empty")
        if self.format == "cc_index" and not self.warc_root:
            raise ConfigError("reader.warc_root: required for index slices (format cc_index); give --warc-root")


class RecordReader(BaseDiskReader):
    """Base of kocorpus readers; subclasses implement `read_file` with `make_document` and `reject`."""

    type = "📖 - READER"
    kind: str = "records"
    """Short name of the input format; prefixes this reader's rejected/ files."""

    def __init__(
        self,
        data_folder: DataFolderLike,
        rejected_folder: DataFolderLike,
        config: ReaderConfig | None = None,
        paths_file: str | None = None,
        progress: bool = True,
        ids_folder: DataFolderLike | None = None,
    ):
        """`ids_folder`: where each task writes the ids of the records it read (kocorpus.readers.ledger)."""
        config = config or ReaderConfig()
        super().__init__(
            data_folder,
            paths_file=paths_file,
            text_key=config.text_key,
            id_key=config.id_key,
            file_progress=progress,
            doc_progress=progress,
            add_file_path=False,
        )
        self.config = config
        self.rejected_folder = rejected_folder
        self.pii = None
        """The pipeline's pii step config (set by `build_pipeline`): rejected snippets are masked with it."""
        self._rejects: RejectedWriter | None = None
        self._rank = 0
        self.ids_folder = ids_folder
        self._ledger: IdLedger | None = None

    # -- record handling ---------------------------------------------------------------------------------
    def reject(
        self,
        file: str,
        line: int | None,
        error: str,
        raw: bytes | str = b"",
        offset: int | None = None,
        records: int = 1,
    ):
        """Write a malformed record (or `records` of them in one line) to rejected/; count them as read and rejected."""
        if records < 1:
            return
        if self._rejects is None:
            self._rejects = RejectedWriter(self.rejected_folder, prefix=f"{self.kind}_", pii=self.pii)
        self._rejects.reject(self._rank, file, line, offset, error, raw, records)
        if self._ledger is not None:
            self._ledger.add(rejected_id(file, line), records)
        self.stat_update(S.STAT_READ, S.STAT_REJECTED, value=records)
        self.stat_update(f"rejected_{error.split(':', 1)[0].replace(' ', '_')}", value=records)

    def make_document(
        self, data: Any, file: str, line: int, encoding: str, raw: bytes | str = b"", offset: int | None = None
    ) -> Document | None:
        """Document from a parsed record, or None after rejecting it (non-object, missing/null/non-string/empty
        text; bytes are decoded as UTF-8 / UTF-16 with BOM / CP949); `line` is 1-based, `offset` the record's byte
        offset in the (decompressed) file when known."""
        if not isinstance(data, dict):
            self.reject(file, line, f"not an object: got {type(data).__name__}", raw, offset)
            return None
        key = self.config.text_key
        if key not in data:
            self.reject(file, line, f"missing text: no key {key!r} (keys: {sorted(data)[:10]})", raw, offset)
            return None
        text = data.pop(key)
        if text is None:
            self.reject(file, line, f"null text: {key!r} is null", raw, offset)
            return None
        if isinstance(text, bytes | bytearray):  # a binary column (Parquet) holding encoded text
            try:
                text, _ = decode_text(bytes(text))
            except UnicodeDecodeError as e:
                self.reject(file, line, f"undecodable text: {key!r} bytes are not UTF-8/UTF-16/CP949: {e}", raw, offset)
                return None
        if not isinstance(text, str):
            self.reject(file, line, f"non-string text: {key!r} is {type(text).__name__}", raw, offset)
            return None
        if not text.strip():
            self.reject(file, line, f"empty text: {key!r} is empty or whitespace", raw, offset)
            return None
        doc_id = data.pop(self.config.id_key, None)
        source = data.pop(self.config.source_key, None)
        metadata: dict[str, Any] = {}
        nested = data.pop("metadata", None)
        if isinstance(nested, dict):
            data = nested | data
        elif nested is not None:
            data["metadata"] = nested
        for k, v in data.items():  # extra input fields; never let them shadow a signal or bookkeeping key
            reserved = k in S.SIGNAL_NAMES or k in S.BOOKKEEPING or k.startswith(S.PRIVATE_PREFIX)
            metadata[f"input_{k}" if reserved else k] = v
        metadata.update(
            {
                S.SOURCE: str(source) if source not in (None, "") else file,
                S.FILE: file,
                S.LINE: line,
                "chars_in": len(text),
                "encoding": encoding,
            }
        )
        self.stat_update(S.STAT_READ)
        doc_id = str(doc_id) if doc_id not in (None, "") else f"{file}:{line}"
        return Document(text=text, id=doc_id, metadata=metadata)

    # -- datatrove entry points --------------------------------------------------------------------------
    def read_records(self, filepath: str) -> DocumentsPipeline:
        """Yield the documents of one file, calling `reject` for malformed records. Subclasses implement this."""
        raise NotImplementedError

    def read_file(self, filepath: str) -> DocumentsPipeline:
        """`read_records` with a safety net: a file that cannot be opened or read further (permissions, I/O
        error) is recorded in rejected/ instead of killing the task; the documents before the error are kept."""
        try:
            yield from self.read_records(filepath)
        except Exception as e:
            self.reject(filepath, None, f"unreadable file: {type(e).__name__}: {e}", b"")

    def run(self, data: DocumentsPipeline = None, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        self._rank = rank
        if self.ids_folder is not None:
            self._ledger = IdLedger(self.ids_folder, f"{self.kind}_{rank:05d}.parquet")
        try:
            if data:  # documents of the readers before this one in the chain: their own ledgers hold them
                yield from data
            # every document this reader yields (JSONL line, WARC response, HTML file …) enters the ledger here,
            # at the moment it enters the pipeline; rejects enter it in `reject`
            for doc in super().run(None, rank, world_size):
                if self._ledger is not None:
                    self._ledger.add(doc.id)
                yield doc
            if self._ledger is not None:  # only a task that read everything leaves a ledger
                self._ledger.close()
        finally:
            self._ledger = None
            if self._rejects is not None:
                self._rejects.close()
                self._rejects = None
