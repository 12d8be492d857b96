"""Writers: kept/ and removed/ Parquet with one schema, rejected/ JSONL."""

from kocorpus.writers.kept import KeptWriter
from kocorpus.writers.rejected import RejectedWriter
from kocorpus.writers.removed import RemovedWriter

__all__ = ["KeptWriter", "RejectedWriter", "RemovedWriter"]
