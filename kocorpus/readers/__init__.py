"""Readers: JSONL (.jsonl/.gz/.zst), Parquet and plain-text files; malformed records go to rejected/."""

from kocorpus.readers.base import ReaderConfig, RecordReader
from kocorpus.readers.jsonl import JsonlRecordReader
from kocorpus.readers.parquet import ParquetRecordReader
from kocorpus.readers.text import TextFileReader

READERS: dict[str, type[RecordReader]] = {
    "jsonl": JsonlRecordReader,
    "parquet": ParquetRecordReader,
    "text": TextFileReader,
}

__all__ = ["READERS", "JsonlRecordReader", "ParquetRecordReader", "ReaderConfig", "RecordReader", "TextFileReader"]
