"""KeptWriter: documents that passed every step → OUT/kept/*.parquet."""

from datatrove.data import Document
from datatrove.io import DataFolderLike
from datatrove.pipeline.writers.parquet import ParquetWriter

from kocorpus import signals as S
from kocorpus.writers.rows import RankNamedFiles, document_row


class KeptWriter(RankNamedFiles, ParquetWriter):
    """Parquet (zstd) with columns id, text, source, file, line, the signals of `kocorpus.signals`, metadata."""

    name = "📗 Kept"

    def __init__(self, output_folder: DataFolderLike, compression: str = "zstd", max_file_size: int = 2 * 2**30):
        super().__init__(
            output_folder,
            output_filename="${rank}.parquet",
            compression=compression,
            schema=S.arrow_schema(removed=False),
            max_file_size=max_file_size,
            use_content_defined_chunking=False,
        )

    def _default_adapter(self, document: Document) -> dict:
        return document_row(document)
