"""The one text reader of the training commands (tokenizer train/extend/eval, quality train, trainer eval sets):
every supported file kind gives the same texts, malformed JSONL lines are skipped with a warning, missing inputs
are one-line user errors."""

import gzip
import json
import logging

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard

from kocorpus.errors import MissingFileError, UserError
from kocorpus.quality.train import read_texts
from kocorpus.text.files import iter_texts
from kocorpus.tokens.train import iter_texts as tokenizer_texts


def test_one_reader_for_tokenizer_and_quality_training():
    assert read_texts is iter_texts and tokenizer_texts is iter_texts


def test_every_kind_gives_the_same_texts(tmp_path, ko_docs):
    texts = [d["text"].replace("\n", " ") for d in ko_docs[:5]]
    jsonl = "".join(json.dumps({"text": t, "id": i}, ensure_ascii=False) + "\n" for i, t in enumerate(texts))
    (tmp_path / "a.jsonl").write_text(jsonl, encoding="utf-8")
    (tmp_path / "b.jsonl.gz").write_bytes(gzip.compress(jsonl.encode()))
    (tmp_path / "c.json.zst").write_bytes(zstandard.ZstdCompressor().compress(jsonl.encode()))
    (tmp_path / "d.txt").write_text("\ufeff" + "\n\n".join(texts) + "\n", encoding="utf-8")  # BOM, blank lines
    (tmp_path / "sub").mkdir()
    pq.write_table(pa.table({"text": [*texts, None, "  "]}), tmp_path / "sub" / "e.parquet")
    (tmp_path / "notes.md").write_text("not an input")  # not a text extension: ignored in a directory
    for name in ("a.jsonl", "b.jsonl.gz", "c.json.zst", "d.txt", "sub/e.parquet"):
        assert list(iter_texts([tmp_path / name])) == texts, name
    assert list(iter_texts([tmp_path])) == texts * 5  # recursive, sorted by path
    assert sum(map(len, iter_texts([tmp_path], limit_chars=1))) == len(texts[0])


def test_malformed_jsonl_lines_are_skipped_and_counted(tmp_path, ko_docs, caplog):
    lines = [json.dumps({"text": ko_docs[0]["text"]}, ensure_ascii=False), "not json", '{"text": 42}', "[1, 2]",
             json.dumps({"body": "본문"}, ensure_ascii=False), "", json.dumps({"text": "둘째"}, ensure_ascii=False)]  # fmt: skip
    (tmp_path / "m.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "bad.jsonl").write_bytes(b'{"text": "\xed\x95\x9c\xea\xb5 broken"}\n')  # invalid UTF-8 is replaced
    with caplog.at_level(logging.WARNING):
        assert list(iter_texts([tmp_path / "m.jsonl"])) == [ko_docs[0]["text"], "둘째"]
    assert "skipped 4 line(s)" in caplog.text
    assert list(iter_texts([tmp_path / "bad.jsonl"])) == ["\ud55c\ufffd broken"]


def test_missing_inputs_are_user_errors(tmp_path):
    with pytest.raises(MissingFileError, match="no such file or directory"):
        list(iter_texts([tmp_path / "nope.jsonl"]))
    with pytest.raises(UserError, match="no .parquet"):
        list(iter_texts([tmp_path]))
    pq.write_table(pa.table({"body": ["x"]}), tmp_path / "x.parquet")
    with pytest.raises(UserError, match="no column 'text'"):
        list(iter_texts([tmp_path / "x.parquet"]))
