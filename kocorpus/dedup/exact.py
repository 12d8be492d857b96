"""Exact dedup stages: same normalized text ("exact") or same normalized URL ("url"), on datatrove's ExactDedup.

Each family runs datatrove's three stages (signatures → find duplicates → filter) on the documents of the
previous stage. The key of the "exact" family is the text as the normalize step left it (NFC, whitespace
runs collapsed); the "url" family hashes `metadata["url"]` after `normalize_url` and lets documents without a
URL through untouched. Of each group of equal keys the copy whose id hashes highest (xxhash32 of the id,
datatrove's document priority) is kept, so the kept copy does not depend on the task count; the kept one
records how many copies were removed (`exact_dup_count` / `url_dup_count`), the removed ones go to
OUT/removed/<family>/ and get `duplicate_of` in the annotation pass after the last stage.
"""

from dataclasses import dataclass

from datatrove.data import Document, DocumentsPipeline
from datatrove.pipeline.dedup.exact_dedup import ExactDedupConfig, ExactDedupFilter, ExactDedupSignature

from kocorpus.config import ConfigError


@dataclass(kw_only=True)
class ExactStageConfig:
    """One exact-dedup family (`dedup.exact`, `dedup.url`)."""

    enabled: bool = False
    finder_workers: int = 1
    """Tasks of the find-duplicates stage; signatures are split among them by hash range."""

    def __post_init__(self) -> None:
        value = self.finder_workers
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ConfigError(f"finder_workers: {value!r} must be an integer ≥ 1")


def normalize_url(url: str | None) -> str | None:
    """Lower-cased scheme and host, no `www.`, no fragment, no trailing slash; None for empty or non-string."""
    if not isinstance(url, str) or not url.strip():
        return None
    from urllib.parse import urlsplit, urlunsplit

    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    return urlunsplit((parts.scheme.lower(), host, path, parts.query, ""))


def text_key(doc: Document) -> str:
    """The exact-dedup key: the document text (already normalized by the normalize step)."""
    return doc.text


def url_key(doc: Document) -> str:
    """The URL-dedup key; empty when the document has no URL (such documents are never hashed)."""
    return normalize_url(doc.metadata.get("url")) or ""


def id_priority(doc: Document) -> int:
    """datatrove document priority in [1, 65535] from the id: the same copy wins whatever the task count."""
    from datatrove.utils.hashes.xxhash import xxhash32

    return 1 + xxhash32(str(doc.id)) % 65535


KEYS = {"exact": text_key, "url": url_key}
COUNT_SIGNAL = {"exact": "exact_dup_count", "url": "url_dup_count"}


def make_config(family: str) -> ExactDedupConfig:
    return ExactDedupConfig(content_getter=KEYS[family], document_priority=id_priority)


class KeyedExactSignature(ExactDedupSignature):
    """datatrove's ExactDedupSignature that skips documents with an empty key (no URL)."""

    name = "💥 exact-dedup signatures"

    def get_hashes(self, doc: Document, doc_idx: int) -> list[tuple[int, int, int]]:
        if not self.config.content_getter(doc):
            return []
        return super().get_hashes(doc, doc_idx)


class ExactFamilyFilter(ExactDedupFilter):
    """datatrove's ExactDedupFilter; renames its `duplicate_count` to the family's signal and tags removals."""

    name = "💥 exact-dedup filter"

    def __init__(self, data_folder: str, family: str, exclusion_writer=None):
        super().__init__(data_folder, make_config(family), exclusion_writer=exclusion_writer)
        self.family = family

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        for doc in super().run(data, rank, world_size):
            doc.metadata[COUNT_SIGNAL[self.family]] = doc.metadata.pop("duplicate_count", 0)
            yield doc
