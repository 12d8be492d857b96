"""WARC / WET readers on WARC files written by the tests: record types, metadata, breaks and truncation."""

import gzip
import json
from pathlib import Path

import pytest

from kocorpus.evaluation.warc_build import record_id, request, response, warc_record, write_warc
from kocorpus.readers import ReaderConfig, WarcRecordReader, WetRecordReader

UHC = "똠방각하 햏자 뷁 쌰: CP949에만 있는 음절이 들어간 한국어 본문입니다."
PAGE = f"<html><head><title>제목</title></head><body><p>{UHC}</p></body></html>"


def read_all(reader_cls, folder: Path, out: Path, **cfg):
    reader = reader_cls(str(folder), str(out / "rejected"), ReaderConfig(**cfg), progress=False)
    docs = list(reader.run(rank=0, world_size=1))
    rejects = [json.loads(line) for p in sorted((out / "rejected").glob("*.jsonl")) for line in p.open()]
    stats = {k: v.total for k, v in reader.stats.stats.items()}
    return docs, rejects, stats


def crawl() -> list[bytes]:
    """One of each record type; responses: UTF-8 page, CP949 page (euc-kr label), 404, 301, image, no-HTTP."""
    return [
        warc_record("warcinfo", b"software: test\r\n"),
        request("https://a.example.kr/1"),
        response("https://a.example.kr/1", 200, PAGE.encode(), "text/html; charset=utf-8", rid=record_id("utf8")),
        warc_record("metadata", b"fetchTimeMs: 5\r\n", uri="https://a.example.kr/1"),
        response("http://old.example.co.kr/b", 200, PAGE.encode("cp949"), "text/html; charset=euc-kr", rid=record_id("cp949")),
        response("https://a.example.kr/gone", 404, b"<html>not found</html>", rid=record_id("404")),
        response("http://a.example.kr/old", 301, b"", http_headers={"Location": "https://a.example.kr/1"}, rid=record_id("301")),
        response("https://a.example.kr/x.png", 200, b"\x89PNG\r\n\x1a\n\x00\x00", "image/png", rid=record_id("png")),
        warc_record("revisit", b"HTTP/1.1 200 OK\r\n\r\n", uri="https://a.example.kr/1"),
        warc_record("resource", PAGE.encode(), uri="file:///saved.html", content_type="text/html", rid=record_id("res")),
    ]  # fmt: skip


RESPONSE_IDS = {record_id(s).strip("<>") for s in ("utf8", "cp949", "404", "301", "png", "res")}


@pytest.mark.parametrize("name", ["c.warc", "c.warc.gz"])
def test_every_record_type_counted_and_responses_are_documents(tmp_path, name):
    write_warc(tmp_path / "in" / name, crawl())
    docs, rejects, stats = read_all(WarcRecordReader, tmp_path / "in", tmp_path)
    assert not rejects and {d.id for d in docs} == RESPONSE_IDS
    for kind, n in {"warcinfo": 1, "request": 1, "response": 5, "metadata": 1, "revisit": 1, "resource": 1}.items():
        assert stats[f"warc_records_{kind}"] == n, kind
    assert stats["read"] == 6
    by_id = {d.id: d for d in docs}
    utf8 = by_id[record_id("utf8").strip("<>")]
    assert utf8.text == PAGE and utf8.metadata["url"] == "https://a.example.kr/1"
    assert utf8.metadata["domain"] == "example.kr" and utf8.metadata["warc_date"] == "2024-05-01T09:00:00Z"
    assert utf8.metadata["warc_record_id"] == record_id("utf8") and utf8.metadata["http_status"] == 200
    assert (utf8.metadata["encoding"], utf8.metadata["encoding_source"]) == ("utf-8", "header")
    assert utf8.metadata["content_type"] == "text/html" and utf8.metadata["format"] == "html"
    cp = by_id[record_id("cp949").strip("<>")]
    assert UHC in cp.text and cp.metadata["encoding"] == "cp949" and cp.metadata["replacement_chars"] == 0
    assert cp.metadata["domain"] == "example.co.kr"
    redirect = by_id[record_id("301").strip("<>")]
    assert redirect.metadata["http_status"] == 301 and redirect.metadata["location"] == "https://a.example.kr/1"
    png = by_id[record_id("png").strip("<>")]
    assert png.text == "" and png.metadata["content_type"] == "image/png" and png.metadata["encoding"] is None
    res = by_id[record_id("res").strip("<>")]
    assert res.text == PAGE and res.metadata["http_status"] is None
    # `line` = the record's number in the file, `offset` its byte offset
    assert utf8.metadata["line"] == 3 and utf8.metadata["offset"] > 0


def test_chunked_and_gzip_content_encoding_are_undone(tmp_path):
    body = gzip.compress(PAGE.encode())
    chunked = hex(len(body))[2:].encode() + b"\r\n" + body + b"\r\n0\r\n\r\n"
    rec = response("https://a.example.kr/z", 200, chunked, "text/html; charset=utf-8",
                   http_headers={"Transfer-Encoding": "chunked", "Content-Encoding": "gzip"})  # fmt: skip
    write_warc(tmp_path / "in" / "z.warc", [rec])
    docs, rejects, _ = read_all(WarcRecordReader, tmp_path / "in", tmp_path)
    assert not rejects and docs[0].text == PAGE


def test_truncated_gzip_keeps_earlier_records_and_rejects_the_break(tmp_path):
    path = tmp_path / "in" / "t.warc.gz"
    offsets = write_warc(path, crawl())
    data = path.read_bytes()
    path.write_bytes(data[: offsets[-1] + (len(data) - offsets[-1]) // 2])  # cut the last member in half
    docs, rejects, stats = read_all(WarcRecordReader, tmp_path / "in", tmp_path)
    assert {d.id for d in docs} == RESPONSE_IDS - {record_id("res").strip("<>")}
    assert len(rejects) == 1 and rejects[0]["file"] == "t.warc.gz" and rejects[0]["offset"] == offsets[-1]
    assert rejects[0]["error"].startswith("truncated warc record") and record_id("res") in rejects[0]["snippet"]
    assert stats["read"] == len(docs) + 1 and stats["rejected"] == 1


@pytest.mark.parametrize("keep", [10, 40])
def test_gzip_member_cut_in_its_header_is_not_silently_dropped(tmp_path, keep):
    path = tmp_path / "in" / "h.warc.gz"
    offsets = write_warc(path, crawl())
    path.write_bytes(path.read_bytes()[: offsets[-1] + keep])
    docs, rejects, stats = read_all(WarcRecordReader, tmp_path / "in", tmp_path)
    assert {d.id for d in docs} == RESPONSE_IDS - {record_id("res").strip("<>")}
    assert len(rejects) == 1 and rejects[0]["offset"] == offsets[-1] and rejects[0]["line"] == len(offsets)
    assert stats["read"] == len(docs) + 1


def test_corrupt_member_in_the_middle_is_rejected_and_reading_resumes(tmp_path):
    members = [gzip.compress(r, mtime=0) for r in crawl()]
    broken = members[4][: len(members[4]) // 2]  # the CP949 response, cut
    path = tmp_path / "in" / "m.warc.gz"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"".join(members[:4]) + broken + b"".join(members[5:]))
    docs, rejects, stats = read_all(WarcRecordReader, tmp_path / "in", tmp_path)
    assert {d.id for d in docs} == RESPONSE_IDS - {record_id("cp949").strip("<>")}
    assert len(rejects) == 1 and rejects[0]["offset"] == sum(map(len, members[:4]))
    assert stats["read"] == len(docs) + len(rejects)


@pytest.mark.parametrize("gz", [False, True])
@pytest.mark.parametrize("lie", [+300, -20])
def test_lying_content_length_rejects_that_record_and_keeps_the_others(tmp_path, gz, lie):
    records = crawl()
    liar = PAGE.encode()
    block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + liar
    records[2] = warc_record("response", block, uri="https://a.example.kr/1", rid=record_id("utf8"),
                             content_length=len(block) + lie)  # fmt: skip
    name = "l.warc.gz" if gz else "l.warc"
    offsets = write_warc(tmp_path / "in" / name, records)
    docs, rejects, stats = read_all(WarcRecordReader, tmp_path / "in", tmp_path)
    ids = {d.id for d in docs}
    lost = RESPONSE_IDS - ids
    assert lost == {record_id("utf8").strip("<>")}, lost  # only the liar; the records after it are read again
    assert len(rejects) == 1 and rejects[0]["offset"] == offsets[2] and rejects[0]["file"] == name
    assert record_id("utf8") in rejects[0]["snippet"]
    assert stats["read"] == len(docs) + 1 and stats["warc_records_response"] == 5  # the liar counted too


def test_not_a_warc_file_is_rejected_not_crashing(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "junk.warc").write_bytes(b"this is not a WARC file\n" * 10)
    docs, rejects, stats = read_all(WarcRecordReader, tmp_path / "in", tmp_path)
    assert not docs and len(rejects) == 1 and rejects[0]["offset"] == 0 and stats["rejected"] == 1


def test_wet_conversion_records_are_text_documents(tmp_path):
    text = "한국어 본문 첫 문단입니다.\n둘째 문단입니다."
    records = [
        warc_record("warcinfo", b"software: test\r\n"),
        warc_record(
            "conversion",
            text.encode(),
            uri="https://b.example.kr/",
            rid=record_id("wet1"),
            headers={"WARC-Refers-To": record_id("orig")},
        ),  # fmt: skip
    ]
    write_warc(tmp_path / "in" / "x.warc.wet.gz", records)
    docs, rejects, stats = read_all(WetRecordReader, tmp_path / "in", tmp_path)
    assert not rejects and len(docs) == 1 and stats["warc_records_warcinfo"] == 1
    doc = docs[0]
    assert doc.text == text and doc.metadata["format"] == "text" and doc.metadata["domain"] == "example.kr"
    assert doc.id == record_id("wet1").strip("<>")
