"""FilteredReader: reads back the kept/-schema Parquet that the filter stage wrote, for the dedup stages."""

import json

from datatrove.data import DocumentsPipeline
from datatrove.pipeline.readers.parquet import ParquetReader

from kocorpus import signals as S


def _adapter(self, data: dict, path: str, id_in_file: int | str) -> dict:
    """Row of the kept schema → Document fields; signals and extra metadata back into `metadata`."""
    extra = data.pop("metadata", None)
    metadata = json.loads(extra) if extra else {}
    text, doc_id = data.pop("text"), data.pop("id")
    metadata.update({k: v for k, v in data.items() if v is not None or k in S.SIGNAL_NAMES})
    return {"text": text, "id": doc_id, "metadata": metadata}


class FilteredReader(ParquetReader):
    """datatrove's ParquetReader over OUT/filtered, every column or only `columns` (a signature stage needs
    id and text, the url family also the `metadata` JSON); same documents in the same file order in every
    stage."""

    name = "📗 Filtered"

    def __init__(self, data_folder: str, columns: tuple[str, ...] | None = None):
        super().__init__(data_folder, read_metadata=True, adapter=_adapter, glob_pattern="*.parquet")
        self.add_file_path = False  # the kept schema already carries `file` and `line`
        self.columns = list(columns) if columns else None

    def read_file(self, filepath: str):
        """datatrove's ParquetReader.read_file, reading only `self.columns` when set."""
        if self.columns is None:
            yield from super().read_file(filepath)
            return
        import pyarrow.parquet as pq

        with self.data_folder.open(filepath, "rb") as f, pq.ParquetFile(f) as pqf:
            li = 0
            for batch in pqf.iter_batches(batch_size=self.batch_size, columns=self.columns):
                documents = []
                with self.track_time("batch"):
                    for line in batch.to_pylist():
                        document = self.get_document_from_dict(line, filepath, li)
                        if not document:
                            continue
                        documents.append(document)
                        li += 1
                yield from documents

    def run(self, data: DocumentsPipeline = None, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        yield from super().run(data, rank, world_size)
