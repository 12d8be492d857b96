"""ParquetRecordReader: one row per record; rows without a usable text column are rejected with their row number."""

from datatrove.data import DocumentsPipeline

from kocorpus.readers.base import RecordReader


class ParquetRecordReader(RecordReader):
    """Reads Parquet in record batches (memory bounded by `batch_size` rows); `line` is the 1-based row.

    A batch that fails to convert (e.g. invalid UTF-8 in one string cell) is re-read row by row so that only the
    bad rows are rejected; a file that breaks mid-way rejects its remaining rows (counted from the footer)."""

    name = "📒 Parquet"
    kind = "parquet"
    _requires_dependencies = ["pyarrow"]
    batch_size = 1024

    def read_records(self, filepath: str) -> DocumentsPipeline:
        import pyarrow.parquet as pq

        with self.data_folder.open(filepath, "rb") as f:
            try:
                pf = pq.ParquetFile(f)
            except Exception as e:  # not a Parquet file: its row count is unknown, one reject
                self.reject(filepath, None, f"unreadable parquet: {type(e).__name__}: {e}", b"")
                return
            total = pf.metadata.num_rows
            if self.config.text_key not in pf.schema_arrow.names:
                self.reject(
                    filepath, 1, f"missing text: no column {self.config.text_key!r} "
                    f"(columns: {pf.schema_arrow.names[:10]})", b"", records=total,
                )  # fmt: skip
                return
            row = 0
            try:
                for batch in pf.iter_batches(batch_size=self.batch_size):
                    for record in self._rows(batch, filepath, row):
                        row += 1
                        if record is None:
                            continue
                        with self.track_time():
                            doc = self.make_document(record, filepath, row, "parquet")
                        if doc is not None:
                            yield doc
            except Exception as e:  # a corrupt column chunk: the rest of the file cannot be read
                self.reject(filepath, row + 1, f"unreadable parquet: {type(e).__name__}: {e}", b"", records=total - row)

    def _rows(self, batch, filepath: str, first_row: int):
        """Rows of a record batch as dicts; a row that cannot be converted is rejected and yields None."""
        try:
            yield from batch.to_pylist()
            return
        except Exception:
            pass
        for i in range(batch.num_rows):
            try:
                (record,) = batch.slice(i, 1).to_pylist()
            except Exception as e:
                self.reject(filepath, first_row + i + 1, f"unreadable row: {type(e).__name__}: {e}", b"")
                record = None
            yield record
