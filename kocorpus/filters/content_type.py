"""ContentTypeFilter (`content_type` step): web records that are not a successfully fetched page are removed.

Reasons: `http_<code>` for an HTTP status outside `statuses` (a redirect's `location` stays in the metadata, so
it can be followed), `mime_<type>` for a payload type outside `mime_types` (images, PDFs, robots.txt) or for
binary bytes sniffed behind an HTML label (metadata `sniffed_type`), `empty_payload` for a page with no bytes,
`content_encoding` for a payload whose HTTP Content-Encoding could not be undone (unknown coding, corrupt stream).
Documents without web metadata (JSONL, text) pass untouched.
"""

from dataclasses import dataclass, field

from datatrove.data import Document
from datatrove.pipeline.filters.base_filter import BaseFilter
from datatrove.pipeline.writers.disk_base import DiskWriter

from kocorpus.config import ConfigError


@dataclass(kw_only=True)
class ContentTypeConfig:
    """HTTP status and payload type of web records (WARC / CC index / HTML files)."""

    enabled: bool = True
    statuses: list[int] = field(default_factory=lambda: [200])
    """HTTP statuses kept; any other → `http_<code>` (records without HTTP, e.g. HTML files, pass)."""
    mime_types: list[str] = field(default_factory=lambda: ["text/html", "application/xhtml+xml", "text/plain"])
    """Payload types kept (lower case, no parameters); any other → `mime_<type>`. A record without a
    Content-Type passes when the reader sniffed it as HTML (it then has an `encoding`)."""

    def __post_init__(self) -> None:
        for code in self.statuses:
            if not isinstance(code, int) or not 100 <= code <= 599:
                raise ConfigError(f"statuses: {code!r} is not an HTTP status code (100–599)")
        self.mime_types = [m.strip().lower() for m in self.mime_types]
        if any("/" not in m for m in self.mime_types):
            raise ConfigError(f"mime_types: entries look like type/subtype, got {self.mime_types}")


class ContentTypeFilter(BaseFilter):
    """Drops non-200 responses and non-HTML payloads: `http_<code>` / `mime_<type>` / `empty_payload` / `content_encoding`."""

    name = "🧾 Content type"

    def __init__(self, config: ContentTypeConfig | None = None, exclusion_writer: DiskWriter | None = None):
        super().__init__(exclusion_writer)
        self.config = config or ContentTypeConfig()
        self._statuses = frozenset(self.config.statuses)
        self._mimes = frozenset(self.config.mime_types)

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        meta = doc.metadata
        status = meta.get("http_status")
        if status is not None and status not in self._statuses:
            return False, f"http_{status}"
        mime = meta.get("content_type")
        if meta.get("sniffed_type"):  # binary bytes behind an HTML/text label (or file name): never decoded
            return False, f"mime_{meta['sniffed_type']}"
        if mime is not None and mime not in self._mimes:
            return False, f"mime_{mime}"
        if str(meta.get("http_error") or "").startswith("content-encoding"):
            return False, "content_encoding"  # compressed with a coding the reader could not undo (never decoded)
        if mime is None and "payload_bytes" in meta and meta.get("encoding") is None:
            return False, "mime_unknown"  # no Content-Type and not sniffed as HTML: never decoded
        if meta.get("payload_bytes") == 0:
            return False, "empty_payload"
        return True
