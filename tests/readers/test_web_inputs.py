"""HTML files and Common Crawl index slices (byte-range reads from a local WARC folder), and format detection."""

import csv
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from test_warc import PAGE, UHC, crawl, read_all

from kocorpus.evaluation.warc_build import record_id, write_warc
from kocorpus.inputs import detect_format, discover_inputs
from kocorpus.readers import CcIndexReader, HtmlFileReader
from kocorpus.readers.html import url_for


def test_format_detection_by_extension():
    assert detect_format("a/CC-MAIN-1.warc.gz") == "warc" and detect_format("b.warc") == "warc"
    assert detect_format("CC-MAIN-1.warc.wet.gz") == "wet" and detect_format("x.wet") == "wet"
    assert detect_format("page.HTML") == "html" and detect_format("p.htm") == "html"
    assert (
        detect_format("slice.parquet") == "parquet" and detect_format("slice.parquet", index_tables=True) == "cc_index"
    )
    assert detect_format("slice.csv") is None and detect_format("slice.csv", index_tables=True) == "cc_index"


def test_html_files_url_from_prefix_or_mirror_path(tmp_path):
    root = tmp_path / "in"
    (root / "news.example.kr" / "a").mkdir(parents=True)
    (root / "news.example.kr" / "a" / "1.html").write_bytes(PAGE.encode("cp949"))  # no charset anywhere
    (root / "saved.htm").write_bytes(b'<meta charset="euc-kr">' + PAGE.encode("cp949"))
    (root / "empty.html").write_bytes(b"  \n")
    docs, rejects, stats = read_all(HtmlFileReader, root, tmp_path)
    by_id = {d.id: d for d in docs}
    mirror = by_id["news.example.kr/a/1.html"]
    assert UHC in mirror.text and mirror.metadata["encoding"] == "cp949"
    assert mirror.metadata["encoding_source"] == "detected"
    assert mirror.metadata["url"] == "http://news.example.kr/a/1.html" and mirror.metadata["domain"] == "example.kr"
    saved = by_id["saved.htm"]
    assert saved.metadata["encoding_source"] == "meta" and saved.metadata["url"] is None
    assert len(rejects) == 1 and rejects[0]["file"] == "empty.html" and stats["read"] == 3
    docs, _, _ = read_all(HtmlFileReader, root, tmp_path / "2", url_prefix="https://www.example.go.kr/pages/")
    assert {d.metadata["url"] for d in docs} >= {"https://www.example.go.kr/pages/saved.htm"}
    assert url_for("https%3A%2F%2Fblog.naver.com%2Fa%2F1.html", None) == "https://blog.naver.com/a/1"


@pytest.fixture()
def warc_root(tmp_path) -> tuple[Path, list[dict]]:
    """A local WARC folder laid out like Common Crawl's, and index rows for every record in it."""
    root = tmp_path / "cc"
    name = "crawl-data/CC-MAIN-2024-18/segments/1/warc/CC-MAIN-1.warc.gz"
    records = crawl()
    offsets = write_warc(root / name, records)
    size = (root / name).stat().st_size
    ends = offsets[1:] + [size]
    rows = [
        {"url": f"https://row/{i}", "warc_filename": name, "warc_record_offset": o, "warc_record_length": e - o}
        for i, (o, e) in enumerate(zip(offsets, ends, strict=True))
    ]
    return root, rows


def bad_rows(rows: list[dict]) -> list[dict]:
    good = rows[2]
    return [
        dict(good, warc_record_offset=good["warc_record_offset"] + 7),  # not a record start
        dict(good, warc_filename="crawl-data/missing.warc.gz"),  # no such file
        dict(rows[-1], warc_record_length=rows[-1]["warc_record_length"] + 100),  # past the end
        {"url": "https://row/x", "warc_filename": good["warc_filename"]},  # no offset/length
    ]


def write_index(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".parquet":
        pq.write_table(pa.Table.from_pylist(rows), path)
    elif path.suffix == ".csv":
        with path.open("w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=["url", "warc_filename", "warc_record_offset", "warc_record_length"])
            w.writeheader()
            w.writerows(rows)
    else:
        path.write_text("".join(json.dumps(r) + "\n" for r in rows) + "{not json\n")


@pytest.mark.parametrize("name", ["slice.parquet", "slice.csv", "slice.jsonl"])
def test_index_slice_reads_records_by_byte_range(tmp_path, warc_root, name):
    root, rows = warc_root
    write_index(tmp_path / "idx" / name, rows + bad_rows(rows))
    docs, rejects, stats = read_all(CcIndexReader, tmp_path / "idx", tmp_path, warc_root=str(root))
    ids = {d.id for d in docs}
    responses = {record_id(s).strip("<>") for s in ("utf8", "cp949", "404", "301", "png", "res")}
    assert ids == responses
    doc = next(d for d in docs if d.id == record_id("cp949").strip("<>"))
    assert (
        UHC in doc.text and doc.metadata["encoding"] == "cp949" and doc.metadata["url"] == "http://old.example.co.kr/b"
    )
    assert doc.metadata["warc_filename"] == rows[4]["warc_filename"]
    assert (doc.metadata["warc_record_offset"], doc.metadata["line"]) == (rows[4]["warc_record_offset"], 5)
    assert stats["warc_records_request"] == 1 and stats["warc_records_metadata"] == 1
    errors = sorted(r["error"].split(":")[0] for r in rejects)
    expected = ["bad index row", "bad warc range", "bad warc range", "unreadable warc range"]
    # rows pointing at warcinfo/request/metadata records are input records too: rejected, not silently skipped
    expected += ["not a document record"] * (len(rows) - len(responses))
    if name.endswith(".jsonl"):
        expected.append("unreadable index row")  # the `{not json` line
    assert errors == sorted(expected)
    assert all(r["file"] == name for r in rejects) and stats["read"] == len(docs) + len(rejects)


def test_index_slices_need_a_warc_root_at_start_up():
    from kocorpus.config import ConfigError
    from kocorpus.readers.base import ReaderConfig

    with pytest.raises(ConfigError, match="warc_root: required"):
        ReaderConfig(format="cc_index")
    ReaderConfig(format="cc_index", warc_root="/crawl")


def test_index_slices_are_picked_when_a_warc_root_is_set(tmp_path, warc_root):
    root, rows = warc_root
    write_index(tmp_path / "idx" / "s.parquet", rows)
    assert discover_inputs([str(tmp_path / "idx")]).files == {"parquet": ["s.parquet"]}
    assert discover_inputs([str(tmp_path / "idx")], index_tables=True).files == {"cc_index": ["s.parquet"]}
