"""RemovedWriter: the exclusion writer of one step → OUT/removed/<step>/*.parquet with removed_by and reason."""

from typing import TYPE_CHECKING

from datatrove.data import Document
from datatrove.io import DataFolderLike
from datatrove.pipeline.writers.parquet import ParquetWriter

from kocorpus import signals as S
from kocorpus.writers.rows import RankNamedFiles, document_row

if TYPE_CHECKING:
    from kocorpus.formatters.pii import PIIConfig


class RemovedWriter(RankNamedFiles, ParquetWriter):
    """Kept schema plus `removed_by` (the step name) and `reason` (the filter's reason string). With `pii` (the
    pipeline's pii step config) the text and string metadata are masked as the pii step would: a document
    removed before that step never reaches it."""

    name = "📕 Removed"

    def __init__(
        self,
        output_folder: DataFolderLike,
        step: str,
        compression: str = "zstd",
        default_reason: str = "unspecified",
        pii: "PIIConfig | None" = None,
    ):
        super().__init__(
            output_folder,
            output_filename=f"{step}/${{rank}}.parquet",
            compression=compression,
            schema=S.arrow_schema(removed=True),
            max_file_size=2 * 2**30,
            use_content_defined_chunking=False,
        )
        self.step = step
        self.default_reason = default_reason
        self.pii = pii

    def _default_adapter(self, document: Document) -> dict:
        row = document_row(document, self.pii)
        row[S.REMOVED_BY] = self.step
        row[S.REASON] = document.metadata.get(S.FILTER_REASON) or self.default_reason
        return row
