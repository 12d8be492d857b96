"""The read ledger: the id of every input record a reader saw, for the funnel identity by id.

Each reader task writes OUT/logs/read_ids/<kind>_<rank>.parquet with columns `id` (the document id, or the
rejected/ id `<file>:<line>` / `<file>`) and `records` (1, or the number of unreadable records one rejected line
stands for). After a run, every id must appear as often in kept/ + removed/ + rejected/ as in the ledger: a lost
record and a duplicated one no longer cancel out as they do in the counts (`kocorpus.funnel`).
"""

from datatrove.io import DataFolderLike, get_datafolder

READ_IDS = "read_ids"
"""Folder of the ledger under OUT/logs."""


def rejected_id(file: str, line: int | None) -> str:
    """The id rejected/ gives a record (kocorpus.writers.rejected.RejectedWriter)."""
    return f"{file}:{line}" if line is not None else file


class IdLedger:
    """Buffers (id, records) rows and streams them to one Parquet file (memory: at most `batch` ids)."""

    def __init__(self, folder: DataFolderLike, name: str, batch: int = 65536):
        self.folder, self.name, self.batch = get_datafolder(folder), name, batch
        self.ids: list[str] = []
        self.records: list[int] = []
        self._file = self._writer = None

    def add(self, doc_id: str, records: int = 1) -> None:
        self.ids.append(doc_id)
        self.records.append(records)
        if len(self.ids) >= self.batch:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = pa.schema([("id", pa.string()), ("records", pa.int64())])
        if self._writer is None:
            self._file = self.folder.open(self.name, "wb")
            self._writer = pq.ParquetWriter(self._file, schema, compression="zstd")
        self._writer.write_table(pa.table({"id": self.ids, "records": self.records}, schema=schema))
        self.ids, self.records = [], []

    def close(self) -> None:
        """Write what is buffered (an empty file when the task read nothing) and close."""
        self._flush()
        self._writer.close()
        self._file.close()
