"""ParquetRecordReader: one row per record; rows without a usable text column are rejected with their row number."""

from datatrove.data import DocumentsPipeline

from kocorpus.readers.base import RecordReader


class ParquetRecordReader(RecordReader):
    """Reads Parquet in record batches (memory bounded by `batch_size` rows); `line` is the 1-based row."""

    name = "📒 Parquet"
    kind = "parquet"
    _requires_dependencies = ["pyarrow"]
    batch_size = 1024

    def read_records(self, filepath: str) -> DocumentsPipeline:
        import pyarrow.parquet as pq

        row = 0
        with self.data_folder.open(filepath, "rb") as f:
            try:
                batches = pq.ParquetFile(f).iter_batches(batch_size=self.batch_size)
                for batch in batches:
                    for record in batch.to_pylist():
                        row += 1
                        with self.track_time():
                            doc = self.make_document(record, filepath, row, "parquet", repr(record)[:600])
                        if doc is not None:
                            yield doc
            except Exception as e:  # not a Parquet file, or a corrupt column chunk
                self.reject(filepath, row + 1, f"unreadable parquet: {type(e).__name__}: {e}", b"")
