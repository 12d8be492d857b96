"""Input paths against files we did not write (tests/data/third_party, see its NOTICE.md) and against broken
files no third-party set has (kocorpus/evaluation/broken_inputs.py): never crash, every record kept / removed /
rejected, Korean decoded right."""

import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from test_web_inputs import warc_root  # noqa: F401  (fixture)

from kocorpus.evaluation import broken_inputs
from kocorpus.inputs import detect_format
from kocorpus.readers import READERS, ReaderConfig
from kocorpus.readers.web import parse_http
from kocorpus.text.decode import meta_charset, normalize_charset_label
from kocorpus.text.encoding import sniff_bom

THIRD = Path(__file__).resolve().parent.parent / "data" / "third_party"
ROOT = Path(__file__).resolve().parents[2]


def read_one(folder: Path, rel: str, out: Path, fmt: str | None = None):
    """(documents, rejects, stats) of one file read by the reader its extension picks."""
    fmt = fmt or detect_format(rel)
    paths = out / f"paths-{rel.replace('/', '_')}.txt"
    paths.parent.mkdir(parents=True, exist_ok=True)
    paths.write_text(rel + "\n")
    rejected = out / f"rejected-{rel.replace('/', '_')}"
    reader = READERS[fmt](str(folder), str(rejected), ReaderConfig(), paths_file=str(paths), progress=False)
    docs = list(reader.run(rank=0, world_size=1))
    rejects = [json.loads(line) for p in sorted(rejected.glob("*.jsonl")) for line in p.open()]
    stats = {k: v.total for k, v in reader.stats.stats.items()}
    return docs, rejects, stats


# --- warcio's and jwarc's test WARCs: the records warcio reads (its own tests' expectations) ---------------------
# file → (record types by count, documents, rejected); warcio's expectations from its test suite where it has one
WARCIO = {
    "example.warc": ({"warcinfo": 2, "response": 1, "request": 2, "revisit": 1}, 1, 0),
    "example.warc.gz": ({"warcinfo": 2, "response": 1, "request": 2, "revisit": 1}, 1, 0),
    # warcio: "Error output printed, but still read" — Content-Length 2 bytes short
    "example-trunc.warc": ({"warcinfo": 2, "response": 1, "request": 1}, 1, 0),
    # one gzip member for the whole file (warcio refuses it; `warcio recompress` finds these 6 records)
    "example-bad-non-chunked.warc.gz": ({"warcinfo": 2, "response": 1, "request": 2, "revisit": 1}, 1, 0),
    # gzip members that split records (warcio refuses it; `warcio recompress` finds these 2 records)
    "example-wrong-chunks.warc.gz": ({"response": 1, "request": 1}, 1, 0),
    "example-iana.org-chunked.warc": ({"warcinfo": 1, "response": 1, "request": 1}, 1, 0),
    "example-resource.warc.gz": ({"warcinfo": 2, "resource": 1}, 1, 0),
    "example-digest.warc": ({"request": 4}, 0, 0),
    "example-space-in-target-uri.warc.gz": ({"warcinfo": 1, "resource": 1}, 1, 0),
    "example-wget-bad-target-uri.warc.gz": (
        {"warcinfo": 1, "request": 1, "response": 1, "metadata": 1, "resource": 2},
        3,
        0,
    ),
    "post-test.warc.gz": ({"response": 3, "request": 3}, 3, 0),
}


@pytest.mark.parametrize("name", sorted(WARCIO))
def test_warcio_test_files_read_like_warcio(tmp_path, name):
    types, n_docs, n_rejected = WARCIO[name]
    docs, rejects, stats = read_one(THIRD / "warcio", name, tmp_path)
    seen = {k.removeprefix("warc_records_"): v for k, v in stats.items() if k.startswith("warc_records_")}
    assert seen == types
    assert len(docs) == n_docs and len(rejects) == n_rejected
    assert stats.get("read", 0) == n_docs + n_rejected


def test_warcio_chunked_and_gzip_payloads_are_undone(tmp_path):
    (doc,) = read_one(THIRD / "warcio", "example-iana.org-chunked.warc", tmp_path)[0]
    assert doc.text.lstrip().startswith("<!doctype html>") and doc.text.rstrip().endswith("</html>")
    assert doc.metadata.get("http_error") is None
    (doc,) = read_one(THIRD / "warcio", "example-trunc.warc", tmp_path)[0]  # Content-Encoding: gzip
    assert "<title>Example Domain</title>" in doc.text and doc.metadata["warc_content_length_short"] == 2


def test_warcio_single_member_gzip_named_bad_is_read_whole(tmp_path):
    """warcio's example-bad.warc.gz.bad is one gzip member for all 6 records (warcio refuses it): all are read."""
    shutil.copy(THIRD / "warcio" / "example-bad.warc.gz.bad", tmp_path / "bad.warc.gz")
    docs, rejects, stats = read_one(tmp_path, "bad.warc.gz", tmp_path / "out")
    seen = {k.removeprefix("warc_records_"): v for k, v in stats.items() if k.startswith("warc_records_")}
    assert seen == {"warcinfo": 1, "response": 2, "request": 2, "revisit": 1} and len(docs) == 2 and not rejects
    assert {d.metadata["http_status"] for d in docs} == {200, 302}


@pytest.mark.parametrize("name", ["cc.warc.gz", "gzip_extra_sl.warc.gz"])
def test_jwarc_test_files(tmp_path, name):
    docs, rejects, stats = read_one(THIRD / "jwarc", name, tmp_path)
    assert not rejects
    if name == "cc.warc.gz":  # a Common Crawl response record
        (doc,) = docs
        assert doc.metadata["http_status"] == 200 and doc.metadata["encoding"] == "utf-8" and "<html" in doc.text
    else:  # a gzip header with an extra field holding the member length
        assert stats == {**stats, "warc_records_warcinfo": 1} and not docs


# --- html5lib's encoding-sniffing tests: the charset a browser's prescan finds ------------------------------------
def html5lib_cases() -> list[tuple[bytes, str]]:
    cases = []
    for path in sorted((THIRD / "html5lib").glob("*.dat")):
        for block in path.read_bytes().split(b"#data\n")[1:]:
            data, _, enc = block.partition(b"\n#encoding\n")
            cases.append((data, enc.strip().split(b"\n")[0].decode()))
    return cases


def test_html5lib_encoding_prescan():
    """Our `<meta>` prescan (no BOM / header) against html5lib's expectations; Windows-1252 = nothing declared."""
    right = 0
    cases = html5lib_cases()
    for data, expected in cases:
        label = sniff_bom(data)[0] or meta_charset(data)
        got = (normalize_charset_label(label) if label else None) or "cp1252"
        got = "utf-8" if got.startswith("utf-16") and not data.startswith(b"\xff\xfe") else got  # meta: UTF-16 → 8
        right += got == normalize_charset_label(expected)
    assert len(cases) == 82 and right >= 78, f"{right}/{len(cases)}"


# --- real HTML pages (trafilatura's test cache) in several charsets -----------------------------------------------
TRAFILATURA = {
    "hundeverein-kreisunna.de.html": ("cp1252", "meta", "Naturfreundeheims"),
    "tierschutzpartei.de-wildvogelauffang.html": ("cp1250", "detected", "Mitgefühl wählen"),
    "archive.org.he.xinhuanet.com.html": ("gb2312", "meta", "沧州市委宣传部"),
}


@pytest.mark.parametrize("name", sorted(TRAFILATURA))
def test_trafilatura_pages_decode_without_mojibake(tmp_path, name):
    encoding, source, word = TRAFILATURA[name]
    (doc,) = read_one(THIRD / "trafilatura", name, tmp_path)[0]
    assert (doc.metadata["encoding"], doc.metadata["encoding_source"]) == (encoding, source)
    assert word in doc.text and "Ã" not in doc.text and doc.metadata["replacement_chars"] == 0


# --- broken files built here --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def broken(tmp_path_factory) -> tuple[Path, dict]:
    folder = tmp_path_factory.mktemp("broken")
    return folder, broken_inputs.build(folder)


def test_broken_inputs_every_record_accounted_for_and_korean_decoded(tmp_path, broken):
    folder, expect = broken
    for rel, exp in expect.items():
        docs, rejects, stats = read_one(folder, rel, tmp_path)
        assert (len(docs), sum(r.get("records", 1) for r in rejects)) == (exp.documents, exp.rejected), rel
        assert stats.get("read", 0) == exp.documents + exp.rejected, rel
        by_id = {d.id: d for d in docs}
        for doc_id in exp.korean_ids:
            doc = by_id[doc_id]
            assert broken_inputs.marker() in doc.text, (rel, doc_id, doc.metadata["encoding"], doc.text[:200])
            cut = doc.metadata.get("warc_truncated") is not None or rel.endswith(".txt")  # one broken byte
            assert doc.text.count("\ufffd") <= cut, (rel, doc_id)


def test_undoable_content_encoding_is_removed_never_decoded(tmp_path, broken):
    folder, _ = broken
    docs, _, _ = read_one(folder, "codings_and_record_types.warc.gz", tmp_path)
    (doc,) = [d for d in docs if d.metadata["url"].endswith("unknown_coding")]
    assert doc.text == "" and doc.metadata["encoding"] is None
    from kocorpus.filters.content_type import ContentTypeFilter

    assert ContentTypeFilter().filter(doc) == (False, "content_encoding")


def test_binary_payloads_behind_html_labels_are_never_decoded(tmp_path, broken):
    from kocorpus.filters.content_type import ContentTypeFilter

    folder, _ = broken
    docs, _, _ = read_one(folder, "codings_and_record_types.warc.gz", tmp_path)
    (png,) = [d for d in docs if d.metadata["url"].endswith("png_labelled_html")]
    (pdf,) = read_one(folder, "html/pdf_named.html", tmp_path)[0]
    for doc, mime in ((png, "image/png"), (pdf, "application/pdf")):
        assert doc.text == "" and doc.metadata["encoding"] is None and doc.metadata["sniffed_type"] == mime
        assert ContentTypeFilter().filter(doc) == (False, f"mime_{mime}")


@pytest.mark.parametrize(
    ("name", "block"),
    [
        ("bare LF chunk lines", b"Transfer-Encoding: chunked\r\n\r\n5\nhello\n6\n world\n0\n\n"),
        ("chunk extension + trailer", b"Transfer-Encoding: chunked\r\n\r\n5;x=1\r\nhello\r\n6\r\n world\r\n0\r\nT: 1\r\n\r\n"),
        ("truncated chunk", b"Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n10\r\n world"),
        ("stale chunked header", b"Transfer-Encoding: chunked\r\n\r\nhello world"),
    ],
)  # fmt: skip
def test_dechunking_variants(name, block):
    msg = parse_http(b"HTTP/1.1 200 OK\r\n" + block)
    assert msg.body == b"hello world", name


def test_raw_deflate_and_stacked_codings():
    import zlib

    c = zlib.compressobj(wbits=-15)
    raw = c.compress(b"<p>hello</p>") + c.flush()
    assert parse_http(b"HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\n\r\n" + raw).body == b"<p>hello</p>"
    import gzip

    twice = gzip.compress(gzip.compress(b"<p>hello</p>"))
    assert parse_http(b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip, gzip\r\n\r\n" + twice).body == b"<p>hello</p>"


def test_cli_run_on_broken_inputs_accounts_for_every_record(tmp_path, broken):
    """`kocorpus run korean_cc` over all of them at once: exit 0, identity ok, per-file counts in SQL."""
    folder, expect = broken
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "kocorpus", "run", "korean_cc", "--input", str(folder), "--output", str(out)]
    proc = subprocess.run([*cmd, "--no-progress"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    funnel = json.loads((out / "funnel.json").read_text())
    assert funnel["identity_ok"] and funnel["read"] == sum(e.documents + e.rejected for e in expect.values())
    import duckdb

    with duckdb.connect(str(out / "corpus.duckdb"), read_only=True) as con:
        rows = con.sql("select file, status, count(*) from documents group by all").fetchall()
    by_file: Counter = Counter()
    for file, status, n in rows:
        by_file[(file, status == "rejected")] += n
    for rel, exp in expect.items():
        assert by_file[(rel, False)] == exp.documents, rel
    assert funnel["reasons"]["content_type"].get("content_encoding") == 1
    assert funnel["kept"] >= 1


def test_cdxj_lines_from_the_cdx_server_are_index_rows(tmp_path, warc_root):  # noqa: F811
    """index.commoncrawl.org answers `surt timestamp {json}` lines with string offsets/lengths and `filename`."""

    root, rows = warc_root
    lines = [
        f'kr,example,a)/{i} 20240501090000 {{"url": "{r["url"]}", "filename": "{r["warc_filename"]}", '
        f'"offset": "{r["warc_record_offset"]}", "length": "{r["warc_record_length"]}", "status": "200"}}\n'
        for i, r in enumerate(rows)
    ]
    (tmp_path / "idx").mkdir()
    (tmp_path / "idx" / "slice.cdxj").write_text("".join(lines) + "kr,example)/ 2024 not-json\n")
    assert detect_format("slice.cdxj", index_tables=True) == "cc_index"
    reader = READERS["cc_index"](str(tmp_path / "idx"), str(tmp_path / "rej"), ReaderConfig(warc_root=str(root)))
    docs = list(reader.run(rank=0, world_size=1))
    rejects = [json.loads(x) for p in (tmp_path / "rej").glob("*.jsonl") for x in p.open()]
    broken = [r for r in rejects if not r["error"].startswith("not a document record")]  # rows of request … records
    assert len(docs) == 6 and len(broken) == 1 and broken[0]["line"] == len(rows) + 1
    assert len(docs) + len(rejects) == len(rows) + 1  # every line accounted for


@pytest.mark.parametrize("tag", ["div", "font"])
def test_deeply_nested_page_is_extracted_not_hung(tag):
    """20,000 unclosed tags: resiliparse's main-content pass took ~20 s in C (SIGALRM cannot stop it; 200,000 hang
    the task for hours) and the page was lost as extract_timeout; now plain text, linear."""
    from kocorpus.extractors.extract import ExtractConfig, MainTextExtractor
    from kocorpus.readers.web import page_document

    line = "국회는 오늘 본회의를 열어 내년도 예산안을 처리했다."
    html = "<html><body><p>머리말</p>" + f"<{tag}>{line}<br>" * 20000 + "<p>꼬리말</p></body></html>"
    doc = page_document("deep", html.encode(), url="https://a.example.kr/", file="x", line=1, content_type="text/html")
    assert MainTextExtractor(ExtractConfig(timeout_s=5.0)).filter(doc) is True
    assert doc.metadata["extractor"] == "plain_deep_tree" and doc.text.count(line) == 20000
