"""Parquet rows and file names of the kept/removed writers: the fast paths give datatrove's / the plain result."""

import json

import numpy as np
from datatrove.data import Document
from datatrove.pipeline.writers.parquet import ParquetWriter

from kocorpus import signals as S
from kocorpus.writers import KeptWriter, RemovedWriter
from kocorpus.writers.rows import document_row


def _reference_row(doc: Document) -> dict:
    """The per-signal row building that `document_row` replaces (hasattr/isinstance on every value)."""
    meta = doc.metadata
    row = {
        "id": doc.id,
        "text": doc.text,
        S.SOURCE: meta.get(S.SOURCE),
        S.FILE: meta.get(S.FILE),
        S.LINE: meta.get(S.LINE),
    }
    for signal in S.SIGNALS:
        value = meta.get(signal.name)
        if signal.type == "json" and value is not None and not isinstance(value, str):
            value = json.dumps(value, ensure_ascii=False, sort_keys=True)
        row[signal.name] = value.item() if hasattr(value, "item") else value
    extra = {
        k: v
        for k, v in meta.items()
        if k not in S.SIGNAL_NAMES and k not in S.BOOKKEEPING and not k.startswith(S.PRIVATE_PREFIX)
    }
    row["metadata"] = json.dumps(extra, ensure_ascii=False, default=str) if extra else None
    return row


def test_document_row_equals_reference():
    metas = [
        {},
        {"source": "s", "file": "a.jsonl", "line": 3, "lang": "ko", "lang_score": np.float32(0.75), "spam_hits": 0},
        {"pos_counts": {"NNG": 2, "JKS": 1}, "pii_counts": '{"phone": 1}', "quality_score": np.float64(0.5)},
        {"n_eojeols": np.int64(7), "hangul_ratio": 1, "title": "제목", "tags": ["a", "b"], "_charclass": object()},
        {"encoding": np.str_("utf-8"), "minhash_cluster_id": -1, "flag": True, "boilerplate_chars": True},
        {"reason": "x", "filter_reason": "y", "removed_by": "z", "url": "https://example.com", "rank": 3},
    ]
    for meta in metas:
        doc = Document(text="본문", id="d1", metadata=dict(meta))
        got, want = document_row(doc), _reference_row(doc)
        assert got == want and [type(v) for v in got.values()] == [type(v) for v in want.values()], meta


def test_output_filenames_equal_datatrove(tmp_path):
    kept, removed = KeptWriter(str(tmp_path / "kept")), RemovedWriter(str(tmp_path / "removed"), "spam")
    for writer in (kept, removed):
        for meta in ({}, {"lang": "ko"}, {"rank": "7"}):  # a `rank` field takes the rank's place in datatrove
            doc = Document(text="x", id="a", metadata=meta)
            for rank in (0, 3, "XXXXX", 0):
                assert writer._get_output_filename(doc, rank) == ParquetWriter._get_output_filename(writer, doc, rank)
    assert kept._get_output_filename(Document(text="x", id="a"), 2) == "00002.parquet"
    assert removed._get_output_filename(Document(text="x", id="a"), 2) == "spam/00002.parquet"
