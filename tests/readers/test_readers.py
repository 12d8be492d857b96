"""Readers on real Korean records and on every kind of broken input (generated inside the tests)."""

import codecs
import gzip
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import write_jsonl

from kocorpus.readers import JsonlRecordReader, ParquetRecordReader, ReaderConfig, TextFileReader


def read_all(reader_cls, folder: Path, out: Path, **cfg):
    reader = reader_cls(str(folder), str(out / "rejected"), ReaderConfig(**cfg), progress=False)
    docs = list(reader.run(rank=0, world_size=1))
    rejects = [json.loads(line) for p in sorted((out / "rejected").glob("*.jsonl")) for line in p.open()]
    return docs, rejects, reader.stats.stats


def test_jsonl_reads_ids_source_and_extra_fields(tmp_path, ko_docs):
    records = [dict(d, url=f"https://example.kr/{i}") for i, d in enumerate(ko_docs[:5])]
    write_jsonl(tmp_path / "in" / "a.jsonl", records)
    docs, rejects, stats = read_all(JsonlRecordReader, tmp_path / "in", tmp_path)
    assert [d.id for d in docs] == [d["id"] for d in ko_docs[:5]]
    assert docs[0].text == ko_docs[0]["text"]
    assert docs[0].metadata["source"] == ko_docs[0]["source"]
    assert docs[0].metadata["url"] == "https://example.kr/0"
    assert docs[2].metadata["file"] == "a.jsonl" and docs[2].metadata["line"] == 3
    assert not rejects and stats["read"].total == 5


def test_missing_ids_are_stable_file_line_and_keys_configurable(tmp_path, ko_docs):
    records = [{"body": d["text"], "doc": None} for d in ko_docs[:3]]
    write_jsonl(tmp_path / "in" / "sub" / "b.jsonl", records)
    docs, _, _ = read_all(JsonlRecordReader, tmp_path / "in", tmp_path, text_key="body", id_key="doc")
    assert [d.id for d in docs] == ["sub/b.jsonl:1", "sub/b.jsonl:2", "sub/b.jsonl:3"]
    assert docs[0].metadata["source"] == "sub/b.jsonl"  # no source field → the file


@pytest.mark.parametrize("compress,name", [("gzip", "c.jsonl.gz"), ("zstd", "c.jsonl.zst")])
def test_compressed_jsonl(tmp_path, ko_docs, compress, name):
    write_jsonl(tmp_path / "in" / name, ko_docs[:4], compress=compress)
    docs, rejects, _ = read_all(JsonlRecordReader, tmp_path / "in", tmp_path)
    assert [d.text for d in docs] == [d["text"] for d in ko_docs[:4]] and not rejects


def test_utf8_bom_and_utf16_bom(tmp_path, ko_docs):
    body = "\n".join(json.dumps(d, ensure_ascii=False) for d in ko_docs[:3]) + "\n"
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "bom8.jsonl").write_bytes(codecs.BOM_UTF8 + body.encode("utf-8"))
    (tmp_path / "in" / "bom16.jsonl").write_bytes(body.encode("utf-16"))  # Python writes a BOM
    docs, rejects, _ = read_all(JsonlRecordReader, tmp_path / "in", tmp_path)
    assert not rejects
    by_enc = {}
    for d in docs:
        by_enc.setdefault(d.metadata["encoding"], []).append(d.text)
    assert by_enc["utf-8-bom"] == [d["text"] for d in ko_docs[:3]]
    assert by_enc["utf-16-le"] == [d["text"] for d in ko_docs[:3]]


def test_every_malformed_line_is_rejected_with_line_and_error(tmp_path, mixed_broken_file):
    path, good_ids, n_bad = mixed_broken_file
    docs, rejects, stats = read_all(JsonlRecordReader, path.parent, tmp_path)
    assert [d.id for d in docs] == good_ids
    assert len(rejects) == n_bad
    kinds = sorted(r["error"].split(":")[0] for r in rejects)
    assert kinds == sorted(
        ["invalid utf-8", "invalid json", "invalid json", "missing text", "null text", "non-string text"]
        + ["empty text", "not an object"]
    )
    assert all(r["file"] == "mixed.jsonl" and r["line"] >= 1 and r["offset"] is not None for r in rejects)
    assert all("snippet" in r for r in rejects)
    assert stats["read"].total == len(good_ids) + n_bad
    assert stats["rejected"].total == n_bad


def test_truncated_gzip_keeps_records_before_the_break(tmp_path, ko_docs):
    full = gzip.compress(("\n".join(json.dumps(d, ensure_ascii=False) for d in ko_docs) + "\n").encode())
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "t.jsonl.gz").write_bytes(full[: len(full) * 2 // 3])
    docs, rejects, _ = read_all(JsonlRecordReader, tmp_path / "in", tmp_path)
    assert 0 < len(docs) < len(ko_docs)
    assert [d.text for d in docs] == [d["text"] for d in ko_docs[: len(docs)]]
    # the break itself is recorded; the line cut in half (if any) is rejected as invalid JSON
    assert any(r["error"].startswith("truncated stream") for r in rejects)
    assert len(rejects) <= 2


def test_five_megabyte_document_is_read(tmp_path, ko_docs):
    text = ("\n".join(d["text"] for d in ko_docs) + "\n") * 200
    text = text[: 5 * 2**20 // 2]  # ~5.5 MB of UTF-8
    write_jsonl(tmp_path / "in" / "big.jsonl", [{"id": "big", "text": text}])
    docs, rejects, _ = read_all(JsonlRecordReader, tmp_path / "in", tmp_path)
    assert len(docs) == 1 and docs[0].text == text and len(text.encode()) > 5_000_000 and not rejects


def test_parquet_rows_and_null_text(tmp_path, ko_docs):
    (tmp_path / "in").mkdir()
    table = pa.table(
        {
            "id": ["p1", "p2", "p3"],
            "text": [ko_docs[0]["text"], None, ko_docs[1]["text"]],
            "lang_hint": ["ko", "ko", "ko"],
        }
    )
    pq.write_table(table, tmp_path / "in" / "d.parquet")
    (tmp_path / "in" / "broken.parquet").write_bytes(b"PAR1 not really parquet")
    docs, rejects, _ = read_all(ParquetRecordReader, tmp_path / "in", tmp_path)
    assert [d.id for d in docs] == ["p1", "p3"] and docs[1].metadata["line"] == 3
    assert docs[0].metadata["lang_hint"] == "ko"
    assert sorted(r["error"].split(":")[0] for r in rejects) == ["null text", "unreadable parquet"]


def test_text_files_utf8_cp949_euckr_utf16_and_paragraphs(tmp_path, ko_docs):
    folder = tmp_path / "in"
    folder.mkdir()
    text = ko_docs[3]["text"]
    (folder / "utf8.txt").write_text(text, encoding="utf-8")
    (folder / "cp949.txt").write_bytes(text.encode("cp949", errors="ignore"))
    (folder / "euckr.txt").write_bytes("한국어 문서입니다. 인코딩은 EUC-KR 입니다.".encode("euc-kr"))
    (folder / "utf16.txt").write_bytes(text.encode("utf-16"))
    (folder / "binary.txt").write_bytes(bytes(range(128, 256)) * 4)
    docs, rejects, _ = read_all(TextFileReader, folder, tmp_path)
    enc = {d.id: d.metadata["encoding"] for d in docs}
    assert enc == {"cp949.txt": "cp949", "euckr.txt": "cp949", "utf16.txt": "utf-16-le", "utf8.txt": "utf-8"}
    assert next(d for d in docs if d.id == "euckr.txt").text.startswith("한국어 문서입니다")
    assert [r["file"] for r in rejects] == ["binary.txt"]

    (folder / "paras").mkdir()
    (folder / "paras" / "p.txt").write_text("첫 문단입니다.\n둘째 줄.\n\n\n두 번째 문단.\n \n세 번째 문단.\n")
    docs, _, _ = read_all(TextFileReader, folder / "paras", tmp_path / "p", text_split="paragraph")
    assert [(d.id, d.text) for d in docs] == [
        ("p.txt:1", "첫 문단입니다.\n둘째 줄."),
        ("p.txt:5", "두 번째 문단."),
        ("p.txt:7", "세 번째 문단."),
    ]


def test_unreadable_file_is_rejected_not_fatal(tmp_path, ko_docs):
    write_jsonl(tmp_path / "in" / "a.jsonl", ko_docs[:2])
    (tmp_path / "in" / "b.jsonl").mkdir()  # opening it fails (IsADirectoryError), as an I/O error would
    reader = JsonlRecordReader(str(tmp_path / "in"), str(tmp_path / "rejected"), ReaderConfig(), progress=False)
    docs = list(reader.read_files_shard(["a.jsonl", "b.jsonl"]))
    reader._rejects.close()
    rejects = [json.loads(line) for p in (tmp_path / "rejected").glob("*.jsonl") for line in p.open()]
    assert [d.id for d in docs] == [d["id"] for d in ko_docs[:2]]
    assert len(rejects) == 1 and rejects[0]["file"] == "b.jsonl" and rejects[0]["error"].startswith("unreadable file")


def test_parquet_bad_cell_rejects_only_its_row_and_missing_column_counts_every_row(tmp_path, ko_docs):
    (tmp_path / "in").mkdir()
    texts = [t.encode() for t in (d["text"] for d in ko_docs[:5])]
    texts[1] = b"\xff\xfe broken"
    col = pa.array(texts, pa.binary()).view(pa.string())  # invalid UTF-8 inside a string column
    pq.write_table(pa.table({"id": [f"r{i}" for i in range(5)], "text": col}), tmp_path / "in" / "bad.parquet")
    pq.write_table(pa.table({"body": ["a", "b", "c"]}), tmp_path / "in" / "nocol.parquet")
    docs, rejects, stats = read_all(ParquetRecordReader, tmp_path / "in", tmp_path)
    assert [d.id for d in docs] == ["r0", "r2", "r3", "r4"]
    by_file = {r["file"]: r for r in rejects}
    assert by_file["bad.parquet"]["line"] == 2 and by_file["bad.parquet"]["error"].startswith("unreadable row")
    assert by_file["nocol.parquet"]["records"] == 3 and by_file["nocol.parquet"]["error"].startswith("missing text")
    assert stats["read"].total == 5 + 3 and stats["rejected"].total == 1 + 3


def test_truncated_text_gz_keeps_the_text_before_the_break(tmp_path, ko_docs):
    (tmp_path / "in").mkdir()
    text = "\n\n".join(d["text"] for d in ko_docs[:10])
    full = gzip.compress(text.encode())
    (tmp_path / "in" / "t.txt.gz").write_bytes(full[: len(full) // 2])
    docs, rejects, _ = read_all(TextFileReader, tmp_path / "in", tmp_path, text_split="paragraph")
    assert docs and text.startswith(docs[0].text)
    assert [r["error"].split(":")[0] for r in rejects] == ["truncated stream"]


def test_reserved_input_fields_are_kept_renamed_and_u2028_survives(tmp_path, ko_docs):
    rec = {"_id": "mongo-1", "filter_reason": "x", "lang": 3, "text": ko_docs[0]["text"] + "\u2028끝"}
    body = json.dumps(rec, ensure_ascii=False) + "\n"
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "u16.jsonl").write_bytes(body.encode("utf-16"))
    docs, rejects, _ = read_all(JsonlRecordReader, tmp_path / "in", tmp_path)
    assert not rejects and docs[0].text.endswith("\u2028끝")
    meta = docs[0].metadata
    assert meta["input__id"] == "mongo-1" and meta["input_filter_reason"] == "x" and meta["input_lang"] == 3
