"""Readers: JSONL (.jsonl/.gz/.zst), Parquet, plain text, WARC/WET, HTML files and Common Crawl index slices;
malformed records go to rejected/."""

from kocorpus.readers.base import ReaderConfig, RecordReader
from kocorpus.readers.cc_index import CcIndexReader
from kocorpus.readers.html import HtmlFileReader
from kocorpus.readers.jsonl import JsonlRecordReader
from kocorpus.readers.parquet import ParquetRecordReader
from kocorpus.readers.text import TextFileReader
from kocorpus.readers.warc import WarcRecordReader
from kocorpus.readers.wet import WetRecordReader

READERS: dict[str, type[RecordReader]] = {
    "jsonl": JsonlRecordReader,
    "parquet": ParquetRecordReader,
    "text": TextFileReader,
    "warc": WarcRecordReader,
    "wet": WetRecordReader,
    "html": HtmlFileReader,
    "cc_index": CcIndexReader,
}

__all__ = [
    "READERS",
    "CcIndexReader",
    "HtmlFileReader",
    "JsonlRecordReader",
    "ParquetRecordReader",
    "ReaderConfig",
    "RecordReader",
    "TextFileReader",
    "WarcRecordReader",
    "WetRecordReader",
]
