"""Write small WARC files: record/HTTP builders for tests, and the demo crawl that `make demo` runs korean_cc on.

The demo crawl puts the bundled sample text (kocorpus/data/sample, origins in its SOURCES.md) into page templates
written for this project: a UTF-8 news article, a legacy CP949 page labelled `euc-kr` with CP949-only syllables,
a Naver-blog-like PostView page (SmartEditor `.se-main-container`) and its iframe shell, a Tistory-like post, a
404, a redirect, a PNG image, the same article fetched twice (URL dedup), and the `warcinfo` / `request` /
`metadata` records a crawler writes around them.

    python -m kocorpus.evaluation.warc_build OUT.warc.gz     # → prints what it wrote
"""

from __future__ import annotations

import gzip
import html
import json
import sys
import uuid
from pathlib import Path

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample"
DATE = "2024-05-01T09:00:00Z"
# A 1×1 PNG (the smallest valid image payload).
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f3d0000000049454e44ae426082"
)


def record_id(seed: str) -> str:
    """A deterministic `<urn:uuid:…>` for a seed string."""
    return f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, seed)}>"


def warc_record(
    warc_type: str,
    block: bytes,
    *,
    uri: str | None = None,
    rid: str | None = None,
    content_type: str | None = None,
    content_length: int | None = None,
    headers: dict[str, str] | None = None,
) -> bytes:
    """One WARC/1.1 record (headers, block, the two CRLFs); `content_length` overrides the true length (lies)."""
    if content_type is None:
        content_type = {
            "response": "application/http; msgtype=response",
            "request": "application/http; msgtype=request",
            "warcinfo": "application/warc-fields",
            "metadata": "application/warc-fields",
            "conversion": "text/plain",
        }.get(warc_type, "application/octet-stream")
    lines = [
        "WARC/1.1",
        f"WARC-Type: {warc_type}",
        f"WARC-Record-ID: {rid or record_id(f'{warc_type}:{uri}:{len(block)}:{block[:64]!r}')}",
        f"WARC-Date: {DATE}",
    ]
    if uri:
        lines.append(f"WARC-Target-URI: {uri}")
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    lines += [
        f"Content-Type: {content_type}",
        f"Content-Length: {len(block) if content_length is None else content_length}",
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8") + block + b"\r\n\r\n"


def http_response(
    status: int, body: bytes, content_type: str | None = "text/html", headers: dict | None = None
) -> bytes:
    """An HTTP/1.1 response message (the block of a WARC `response` record)."""
    reason = {200: "OK", 301: "Moved Permanently", 302: "Found", 404: "Not Found", 500: "Internal Server Error"}
    lines = [f"HTTP/1.1 {status} {reason.get(status, 'Status')}"]
    if content_type:
        lines.append(f"Content-Type: {content_type}")
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def response(uri: str, status: int, body: bytes, content_type: str | None = "text/html", **kw) -> bytes:
    """A WARC `response` record for `uri`; keyword arguments go to `warc_record` (rid=…) or HTTP (headers=…)."""
    http_headers = kw.pop("http_headers", None)
    return warc_record("response", http_response(status, body, content_type, http_headers), uri=uri, **kw)


def request(uri: str) -> bytes:
    host = uri.split("/")[2]
    return warc_record("request", f"GET / HTTP/1.1\r\nHost: {host}\r\n\r\n".encode(), uri=uri)


def write_warc(path: Path, records: list[bytes], gz: bool | None = None) -> list[int]:
    """Write records (gzip: one member per record, as Common Crawl does); returns each record's byte offset."""
    path = Path(path)
    gz = path.name.endswith(".gz") if gz is None else gz
    offsets, pos = [], 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        for rec in records:
            data = gzip.compress(rec, mtime=0) if gz else rec
            offsets.append(pos)
            f.write(data)
            pos += len(data)
    return offsets


def _paragraphs(name: str, n_docs: int, skip: int = 0) -> list[str]:
    """Paragraphs (lines over 20 characters that CP949 can encode) of documents skip…skip+n_docs of a sample file."""
    paras = []
    with (SAMPLE / name).open(encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i < skip:
                continue
            if i >= skip + n_docs:
                break
            text = json.loads(line)["text"]
            paras += [p.strip() for p in text.split("\n") if len(p.strip()) > 20 and _cp949(p)]
    return paras


def _cp949(text: str) -> bool:
    try:
        text.encode("cp949")
    except UnicodeEncodeError:
        return False
    return True


def _p(paras: list[str]) -> str:
    return "\n".join(f"<p>{html.escape(p)}</p>" for p in paras)


NAV = '<div id="gnb"><ul><li><a href="/">홈</a></li><li><a href="/news">뉴스</a></li><li><a href="/login">로그인</a></li></ul></div>'


def news_page(title: str, paras: list[str], charset_meta: str = '<meta charset="utf-8">') -> str:
    return (
        f'<!DOCTYPE html><html lang="ko"><head>{charset_meta}<title>{html.escape(title)} - 데모일보</title></head>'
        f'<body>{NAV}<div class="article"><h1>{html.escape(title)}</h1><article>{_p(paras)}</article>'
        '<p class="byline">홍길동 기자 gildong@example.kr</p></div>'
        '<div class="related"><h3>관련기사</h3><ul><li><a href="/a/2">다른 기사 제목</a></li></ul></div>'
        "<footer>Copyright ⓒ 데모일보. All rights reserved. 무단 전재 및 재배포 금지</footer></body></html>"
    )


def naver_postview(paras: list[str]) -> str:
    body = "".join(
        f'<div class="se-component se-text"><div class="se-module se-module-text"><p class="se-text-paragraph">'
        f"<span>{html.escape(p)}</span></p></div></div>"
        for p in paras
    )
    return (
        '<html><head><meta charset="utf-8"><title>데모 블로그 : 네이버 블로그</title></head><body>'
        '<div id="post-area"><div class="se-viewer"><div class="se-main-container">'
        f"{body}</div></div></div>"
        '<div class="comment_area">댓글 3 공감 12</div><div class="post_tag">#태그 #데모</div></body></html>'
    )


def naver_frame_shell(blog_id: str, log_no: str) -> str:
    return (
        '<html><head><meta charset="utf-8"><title>데모 블로그 : 네이버 블로그</title></head><body>'
        f'<iframe id="mainFrame" name="mainFrame" src="/PostView.naver?blogId={blog_id}&logNo={log_no}'
        '&redirect=Dlog&widgetTypeCall=true" width="100%" height="100%"></iframe></body></html>'
    )


def tistory_page(title: str, paras: list[str]) -> str:
    return (
        f'<html><head><meta charset="utf-8"><title>{html.escape(title)}</title></head><body>'
        f'<div class="area_title"><h2>{html.escape(title)}</h2></div>'
        f'<div class="entry-content"><div class="tt_article_useless_p_margin">{_p(paras)}</div></div>'
        '<div class="another_category"><h4>카테고리의 다른 글</h4><ul><li>이전 글 제목</li></ul></div>'
        "</body></html>"
    )


def demo_records() -> list[bytes]:
    """The demo crawl, in crawl order."""
    news = _paragraphs("park_news.jsonl", 2)
    legacy = _paragraphs("klue.jsonl", 2)
    blog = _paragraphs("kiwipiepy_text.jsonl", 6)
    tistory = _paragraphs("park_news.jsonl", 2, skip=2)
    uhc = "똠방각하 햏자 뷁 쌰 같은 CP949 전용 음절이 들어간 옛 게시판 글도 온전하게 읽혀야 합니다."
    article = news_page("데모 기사", news).encode("utf-8")
    old = news_page(
        "옛 게시판 글", [uhc, *legacy], '<meta http-equiv="Content-Type" content="text/html; charset=euc-kr">'
    ).encode("cp949")
    blog_url = "https://blog.naver.com/PostView.naver?blogId=demo&logNo=2231"
    records = [
        warc_record("warcinfo", b"software: kocorpus demo\r\nformat: WARC File Format 1.1\r\n"),
        request("https://news.example.kr/a/1"),
        response("https://news.example.kr/a/1", 200, article, "text/html; charset=UTF-8"),
        warc_record("metadata", b"fetchTimeMs: 120\r\n", uri="https://news.example.kr/a/1"),
        response("http://board.example.co.kr/view.php?no=7", 200, old, "text/html"),  # charset from <meta>
        response("https://blog.naver.com/demo/2231", 200, naver_frame_shell("demo", "2231").encode(), "text/html"),
        response(blog_url, 200, naver_postview(blog).encode(), "text/html;charset=UTF-8"),
        response("https://demo.tistory.com/15", 200, tistory_page("데모 티스토리 글", tistory).encode(), "text/html"),
        response("https://news.example.kr/missing", 404, news_page("페이지를 찾을 수 없습니다", []).encode()),
        response(
            "http://news.example.kr/old",
            301,
            b"",
            "text/html",
            http_headers={"Location": "https://news.example.kr/a/1"},
        ),
        response("https://news.example.kr/img/logo.png", 200, PNG, "image/png"),
        request("https://news.example.kr/a/1"),
        # the same article fetched again (another record id): removed by URL dedup
        response("https://news.example.kr/a/1/", 200, article, "text/html; charset=UTF-8", rid=record_id("refetch")),
    ]
    return records


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    path = Path(argv[0])
    path.parent.mkdir(parents=True, exist_ok=True)
    records = demo_records()
    write_warc(path, records)
    print(f"wrote {path}: {len(records)} WARC records, {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
