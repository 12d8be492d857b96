"""Broken and awkward input files that no third-party test set has, with what a reader must make of each.

Pages carry real Korean text (the bundled sample, kocorpus/data/sample) in CP949 and UTF-8/16 under wrong, missing
and conflicting charset labels, behind every HTTP transfer/content coding crawlers store (chunked with CRLF or bare
LF, gzip, raw deflate, zstd, brotli, a coding header kept on a decoded payload, an unknown coding), plus WARC files
with every record type, a corrupt gzip member in the middle, a slightly short Content-Length and bare-LF header
lines, binary payloads behind HTML labels (a PNG, a PDF, a gzip body saved as .html), 0-byte files, a
`.warc.gz` that is plain text, JSONL with BOM / CRLF / invalid UTF-8 / non-object lines / lone surrogate escapes, a
CP949 text file with one broken byte, a Parquet file with text in a binary column and one without a text column. `tests/readers/test_third_party.py` and `benchmarks/third_party_inputs.py` use them.

    python -m kocorpus.evaluation.broken_inputs OUT_DIR     # → writes the files, prints the expectations
"""

from __future__ import annotations

import gzip
import json
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from kocorpus.evaluation.warc_build import (
    PNG,
    _paragraphs,
    news_page,
    record_id,
    request,
    response,
    warc_record,
    write_warc,
)

UHC = "똠방각하 햏자 뷁 쌰: CP949에만 있는 음절이 든 문장입니다."


@dataclass
class Expect:
    """What the reader must make of one file: documents yielded, records rejected, and the ids of documents whose
    text must contain `marker` (the page's Korean text, decoded right)."""

    documents: int
    rejected: int
    what: str
    korean_ids: list[str] = field(default_factory=list)


def _page(paras: list[str], meta: str = "") -> str:
    return news_page("기사 제목", [*paras, UHC], charset_meta=meta)


def _chunked(body: bytes, sizes: tuple[int, ...] = (100, 1000), eol: bytes = b"\r\n") -> bytes:
    out, pos, i = [], 0, 0
    while pos < len(body):
        n = sizes[i % len(sizes)]
        out.append(b"%x%s%s%s" % (len(body[pos : pos + n]), eol, body[pos : pos + n], eol))
        pos, i = pos + n, i + 1
    return b"".join(out) + b"0" + eol + eol


def _raw_deflate(body: bytes) -> bytes:
    c = zlib.compressobj(wbits=-15)
    return c.compress(body) + c.flush()


def marker() -> str:
    """A Korean line every Korean page here contains (CP949-only syllables included)."""
    return UHC


def build(folder: Path) -> dict[str, Expect]:
    """Write the files under `folder`; returns {relative path: Expect}."""
    import brotli  # a FastWARC dependency
    import pyarrow as pa
    import pyarrow.parquet as pq
    import zstandard

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paras = _paragraphs("park_news.jsonl", 4)
    utf8 = _page(paras[:3], '<meta charset="utf-8">').encode()
    bare = _page(paras[:3]).encode("utf-8")
    cp949 = _page(paras[:3]).encode("cp949")
    out: dict[str, Expect] = {}

    def rid(name: str) -> str:
        return record_id(f"broken:{name}")

    def resp(name: str, body: bytes, ctype: str | None = "text/html", **headers: str) -> bytes:
        return response(f"https://news.example.kr/{name}", 200, body, ctype, rid=rid(name), http_headers=headers)

    te, ce = "Transfer-Encoding", "Content-Encoding"
    pages = {
        "cp949_chunked_gzip": resp("cp949_chunked_gzip", _chunked(gzip.compress(cp949)), "text/html; charset=ks_c_5601-1987", **{te: "chunked", ce: "gzip"}),  # noqa: E501
        "utf8_chunked_bare_lf": resp("utf8_chunked_bare_lf", _chunked(bare, eol=b"\n"), **{te: "chunked"}),
        "cp949_raw_deflate_latin1_meta": resp("cp949_raw_deflate_latin1_meta", _raw_deflate(b'<meta charset="iso-8859-1">' + cp949), **{ce: "deflate"}),  # noqa: E501
        "utf8_zstd": resp("utf8_zstd", zstandard.ZstdCompressor().compress(utf8), **{ce: "zstd"}),
        "cp949_brotli_utf8_label": resp("cp949_brotli_utf8_label", brotli.compress(cp949), "text/html; charset=utf-8", **{ce: "br"}),  # noqa: E501
        "utf8_stale_gzip_header": resp("utf8_stale_gzip_header", utf8, **{ce: "gzip", "X-Crawler-Content-Encoding": "gzip"}),  # noqa: E501
        "utf16_bom": resp("utf16_bom", b"\xff\xfe" + bare.decode().encode("utf-16-le"), "text/html; charset=utf-16"),
        "utf16le_no_bom": resp("utf16le_no_bom", bare.decode().encode("utf-16-le"), "text/html; charset=utf-16le"),
        "utf8_truncated_chunk": warc_record(
            "response",
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n" + _chunked(utf8, (300,))[:-200],  # noqa: E501
            uri="https://news.example.kr/utf8_truncated_chunk", rid=rid("utf8_truncated_chunk"), headers={"WARC-Truncated": "length"},  # noqa: E501
        ),
    }  # fmt: skip
    unknown = resp("unknown_coding", b"\x1f\x9d\x90" + bytes(range(256)) * 4, **{ce: "compress"})
    png_as_html = resp("png_labelled_html", PNG)
    records = [
        warc_record("warcinfo", b"software: kocorpus broken_inputs\r\n"),
        request("https://news.example.kr/cp949_chunked_gzip"),
        *pages.values(),
        unknown,
        png_as_html,
        warc_record("revisit", b"HTTP/1.1 200 OK\r\n\r\n", uri="https://news.example.kr/utf8_zstd",
                    headers={"WARC-Profile": "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"}),
        warc_record("metadata", b"fetchTimeMs: 12\r\n", uri="https://news.example.kr/utf8_zstd"),
        warc_record("continuation", b"rest of a segmented record", uri="https://news.example.kr/big",
                    headers={"WARC-Segment-Origin-ID": rid("big"), "WARC-Segment-Number": "2"}),
        warc_record("conversion", "변환된 텍스트".encode(), uri="https://news.example.kr/utf8_zstd"),
        warc_record("resource", cp949, uri="file:///saved/cp949_resource.html", content_type="text/html", rid=rid("cp949_resource")),  # noqa: E501
    ]  # fmt: skip
    write_warc(folder / "codings_and_record_types.warc.gz", records)
    ids = [rid(n).strip("<>") for n in [*pages, "cp949_resource"]]
    out["codings_and_record_types.warc.gz"] = Expect(
        len(pages) + 3, 0, "every HTTP coding, UTF-16, wrong labels, a PNG labelled HTML; revisit/metadata/continuation/conversion counted", ids  # noqa: E501
    )  # fmt: skip

    # header lines ending in a bare LF (fastwarc runs them into one value; warcio reads them): re-read whole, the
    # chunked one (no HTTP Content-Length) included, and the records after them
    chunked = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n" + _chunked(utf8)
    bare_lf = [
        resp("bare_lf", utf8),
        warc_record("response", chunked, uri="https://news.example.kr/lf_chunked"),
        resp("after_lf", utf8),
    ]  # noqa: E501
    for i in (0, 1):
        head, sep, rest = bare_lf[i].partition(b"\r\n\r\n")
        bare_lf[i] = head.replace(b"\r\n", b"\n") + b"\n\n" + rest
    write_warc(folder / "bare_lf_headers.warc", bare_lf)
    out["bare_lf_headers.warc"] = Expect(3, 0, "WARC header lines ending in bare LF: re-read, as warcio reads them")

    # five pages, the third gzip member corrupted in the middle of its deflate stream
    five = [resp(f"page{i}", utf8) for i in range(5)]
    members = [bytearray(gzip.compress(r, mtime=0)) for r in five]
    mid = len(members[2]) // 2
    members[2][mid : mid + 8] = b"\xff" * 8
    (folder / "corrupt_member_in_middle.warc.gz").write_bytes(b"".join(members))
    out["corrupt_member_in_middle.warc.gz"] = Expect(4, 1, "gzip member 3 of 5 corrupt: 4 kept, the break rejected")

    # empty gzip members between records and at the end (padding some writers add): no break, nothing rejected
    empty = gzip.compress(b"", mtime=0)
    members = [gzip.compress(resp(f"pad{i}", utf8), mtime=0) for i in range(2)]
    (folder / "empty_gzip_members.warc.gz").write_bytes(members[0] + empty + members[1] + empty)
    out["empty_gzip_members.warc.gz"] = Expect(2, 0, "empty gzip members between and after records: padding")

    # plain WARC whose 2nd response's Content-Length is 2 bytes short (warcio's example-trunc.warc case)
    short = [resp(f"short{i}", utf8) for i in range(3)]
    head, sep, block = short[1].partition(b"\r\n\r\n")
    length = int(head.rsplit(b"Content-Length: ", 1)[1])
    short[1] = head.replace(b"Content-Length: %d" % length, b"Content-Length: %d" % (length - 2)) + sep + block
    write_warc(folder / "content_length_2_short.warc", short)
    out["content_length_2_short.warc"] = Expect(3, 0, "Content-Length 2 bytes short: kept, as warcio does")

    html = folder / "html"
    html.mkdir(exist_ok=True)
    files = {
        "cp949_latin1_meta.html": b'<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">' + cp949,
        "cp949_no_label.htm": cp949,
        "cp949_commented_utf8_meta.html": b'<!-- <meta charset="utf-8"> -->\n<meta charset="euc-kr">' + cp949,
        "utf8_euckr_meta.html": b'<meta charset="euc-kr">' + bare,
        "utf16_bom.html": b"\xff\xfe" + bare.decode().encode("utf-16-le"),
        "utf8_bom_cp949_meta.html": b"\xef\xbb\xbf" + b'<meta charset="ks_c_5601-1987">' + bare,
        "gzip_body_saved_as.html": gzip.compress(cp949),
    }
    for name, data in files.items():
        (html / name).write_bytes(data)
        out[f"html/{name}"] = Expect(1, 0, "HTML file, charset case", [f"html/{name}"])

    (html / "pdf_named.html").write_bytes(
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< >>\nstream\n" + bytes(range(256)) * 8
    )
    out["html/pdf_named.html"] = Expect(
        1, 0, "a PDF saved as .html: never decoded (content_type: mime_application/pdf)"
    )
    (folder / "empty.warc.gz").write_bytes(b"")
    out["empty.warc.gz"] = Expect(0, 0, "0 bytes: no records")
    (folder / "empty.html").write_bytes(b"")
    out["empty.html"] = Expect(0, 1, "0-byte HTML file: rejected")
    (folder / "error_page_named.warc.gz").write_bytes(b"<html><body>503 Service Unavailable</body></html>\n")
    out["error_page_named.warc.gz"] = Expect(0, 1, "a .warc.gz that is plain text: rejected at offset 0")

    text = paras[0]
    lines = [
        b"\xef\xbb\xbf" + json.dumps({"id": "bom", "text": text}, ensure_ascii=False).encode() + b"\r\n",
        json.dumps({"id": "crlf", "text": text + " 둘"}, ensure_ascii=False).encode() + b"\r\n",
        b'{"id": "cp949", "text": "' + "한국어".encode("cp949") + b'"}\r\n',
        b"[1, 2]\r\n",
        b'"a string"\r\n',
        b"null\r\n",
        b'{"id": "num", "text": 5}\r\n',
        b"\r\n",
        b'{"id": "cut", "text": "\xed\x95\x9c\r\n',
        json.dumps({"id": "last", "text": text + " 셋"}, ensure_ascii=False).encode(),  # no final newline
    ]
    (folder / "bom_crlf_mixed.jsonl").write_bytes(b"".join(lines))
    out["bom_crlf_mixed.jsonl"] = Expect(3, 6, "BOM, CRLF, invalid UTF-8, non-object lines, no final newline")

    surrogate = json.dumps({"id": "cut-emoji", "text": text + " \ud83d"}) + "\n"  # text cut inside an emoji
    (folder / "lone_surrogate.jsonl").write_text(json.dumps({"text": text}, ensure_ascii=False) + "\n" + surrogate)
    out["lone_surrogate.jsonl"] = Expect(2, 0, "a lone \\ud83d escape (orjson refuses it): kept, U+FFFD for it")

    long_text = "\n".join([*paras, UHC]).encode("cp949")
    (folder / "cp949_one_stray_byte.txt").write_bytes(long_text[:200] + b"\xff" + long_text[200:])
    out["cp949_one_stray_byte.txt"] = Expect(1, 0, "CP949 text with one broken byte: kept, not rejected whole",
                                             ["cp949_one_stray_byte.txt"])  # fmt: skip

    binary = pa.array([text.encode("cp949"), text.encode(), b"\x80\x80\xff\x80"], pa.binary())
    pq.write_table(pa.table({"text": binary}), folder / "binary_text_column.parquet")
    out["binary_text_column.parquet"] = Expect(2, 1, "text in a binary column (CP949, UTF-8, garbage)")

    pq.write_table(pa.table({"content": [text, text, text]}), folder / "no_text_column.parquet")
    out["no_text_column.parquet"] = Expect(0, 3, "Parquet without a `text` column: its 3 rows rejected")
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    for name, exp in build(Path(argv[0])).items():
        print(f"{name:45} documents={exp.documents:2} rejected={exp.rejected:2}  {exp.what}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
