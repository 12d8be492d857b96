"""The `extract` step: reasons for every removal, failures and time limit never crash, text passes through,
and a small quality check on generated Korean pages (recall / leakage / CP949)."""

import os
import time

import pytest
from datatrove.data import Document

from kocorpus.config import ConfigError, from_dict
from kocorpus.evaluation.web_pages import generate, page_score
from kocorpus.extractors.extract import ExtractConfig, MainTextExtractor, PageExtractor
from kocorpus.pipeline_config import parse_pipeline
from kocorpus.text.decode import decode_html

BODY = "서울시는 다음 달부터 대중교통 요금 체계를 개편한다고 밝혔다. 시민들의 의견을 반영해 세부 내용을 정했다."
HTML = f"<html><head><title>공지</title></head><body><nav>홈 뉴스</nav><main><p>{BODY}</p><p>{BODY}</p></main></body></html>"


def doc(text: str, **meta) -> Document:
    return Document(text=text, id="d", metadata={"url": "https://www.seoul.go.kr/a", "format": "html", **meta})


def run(block: MainTextExtractor, docs: list[Document]) -> list[Document]:
    return list(block.run(iter(docs)))


def test_replaces_html_by_main_text_with_line_breaks():
    block = MainTextExtractor(ExtractConfig(timeout_s=None))
    d = doc(HTML, encoding="utf-8", replacement_chars=0)
    assert block.filter(d) is True
    assert d.text == f"{BODY}\n{BODY}" and d.metadata["extractor"] == "resiliparse"
    assert d.metadata["html_chars"] == len(HTML)


@pytest.mark.parametrize("extractor", ["resiliparse", "trafilatura", "justext"])
def test_each_generic_extractor_runs(extractor):
    page = "<html><body>" + "".join(f"<p>{BODY} {i}번째 문단입니다.</p>" for i in range(6)) + "</body></html>"
    d = doc(page)
    result = MainTextExtractor(ExtractConfig(extractor=extractor, timeout_s=None)).filter(d)
    if extractor == "justext":  # its stoplist density rule rejects most Korean paragraphs (README table)
        assert result in (True, (False, "no_main_text"))
        return
    assert result is True
    assert BODY in d.text and "\n" in d.text


def test_plain_text_records_pass_untouched():
    block = MainTextExtractor(ExtractConfig(timeout_s=None))
    wet = Document(text="첫 줄 <b>태그처럼 보이는</b> 텍스트\n둘째 줄", id="w", metadata={"format": "text"})
    plain = Document(text="태그 없는 일반 텍스트 문서입니다.\n둘째 줄", id="p", metadata={})
    assert block.filter(wet) is True and wet.text.startswith("첫 줄 <b>")
    assert block.filter(plain) is True and plain.text.startswith("태그 없는")


@pytest.mark.parametrize(
    ("html", "meta", "reason"),
    [
        ("<html><body><p>" + "\ufffd" * 30 + BODY + "</p></body></html>", {"encoding": "cp949"}, "undecodable_cp949"),
        (HTML, {"encoding": "utf-8", "replacement_chars": 50}, "undecodable_utf-8"),
        ("<html><body><script>var a=1;</script></body></html>", {}, "no_main_text"),
        ("", {}, "no_main_text"),
        (
            "<html><head><title>404 Not Found</title></head><body><h1>요청하신 페이지를 찾을 수 없습니다.</h1></body></html>",
            {},
            "not_found_page",
        ),
    ],
)
def test_removal_reasons(html, meta, reason):
    block = MainTextExtractor(ExtractConfig(timeout_s=None))
    assert block.filter(doc(html, **meta)) == (False, reason)


def test_html_too_large():
    block = MainTextExtractor(ExtractConfig(timeout_s=None, max_html_chars=100))
    assert block.filter(doc(HTML)) == (False, "html_too_large")


def _broken(tree, url, favor_precision):
    raise ValueError("parser exploded")


def _slow(tree, url, favor_precision):
    time.sleep(30)


def _dies(tree, url, favor_precision):
    os._exit(3)


@pytest.mark.parametrize(("timeout_s", "mode"), [(None, "signal"), (5.0, "signal"), (5.0, "process")])
def test_extraction_failure_is_a_removal_with_the_error(timeout_s, mode):
    block = MainTextExtractor(ExtractConfig(timeout_s=timeout_s, time_limit=mode))
    block.page.generic = _broken  # the forked sandbox child inherits the broken extractor
    bad = doc(HTML)
    assert run(block, [bad]) == []
    assert block.stats["dropped_extract_error_ValueError"].total == 1
    assert "parser exploded" in bad.metadata["extract_error"]


@pytest.mark.parametrize(
    ("fn", "reason", "mode"),
    [
        (_slow, "extract_timeout", "signal"),
        (_slow, "extract_timeout", "process"),
        (_dies, "extract_crashed", "process"),
    ],
)
def test_time_limit_and_crash_remove_the_document_and_the_task_goes_on(fn, reason, mode):
    block = MainTextExtractor(ExtractConfig(timeout_s=1.0, time_limit=mode))
    rules_page = f'<html><body><div class="se-main-container"><p>{BODY}</p></div></body></html>'
    naver = Document(text=rules_page, id="ok", metadata={"url": "https://blog.naver.com/PostView.naver?a=1"})
    block.page.generic = fn
    start = time.monotonic()
    kept = run(block, [doc(HTML), naver])
    assert time.monotonic() - start < 15
    assert [d.id for d in kept] == ["ok"] and kept[0].text == BODY  # the next page (site rule) still extracts
    assert block.stats[f"dropped_{reason}"].total == 1
    assert block.stats["extracted_by_rule_naver_blog"].total == 1


def test_config_is_checked():
    with pytest.raises(ConfigError, match="extractor"):
        from_dict(ExtractConfig, {"extractor": "boilerpipe"}, "extract")
    with pytest.raises(ConfigError, match="timeout_s"):
        ExtractConfig(timeout_s=0)
    cfg = parse_pipeline({"name": "x", "steps": [{"url_filter": {}}, {"extract": {"extractor": "trafilatura"}}]})
    assert [s.name for s in cfg.steps] == ["url_filter", "extract"]


def test_quality_on_generated_pages():
    """A few pages of every family and charset case: recall ≥ 0.95, leakage ≤ 0.05, no CP949 page lost or
    garbled, no document from frame shells and 404 pages (the full table: benchmarks/extraction_eval.py)."""
    pages = list(generate(per_case=1, seed=3))
    ex = PageExtractor(ExtractConfig(timeout_s=None))
    lines = found = boiler = leaked = 0
    for p in pages:
        d = decode_html(p.html, p.content_type)
        out = ex.extract(d.text, p.url)
        f, leak, garbled = page_score(p, out.text)
        lines, found, boiler, leaked = lines + len(p.body), found + f, boiler + len(p.boilerplate), leaked + leak
        assert not garbled, p.id
        if p.expect == "keep":
            assert out.reason is None and f >= len(p.body) / 2, (p.id, out)
        else:
            assert out.reason == p.expect if p.expect == "iframe_shell" else out.reason == "not_found_page", p.id
    assert found / lines >= 0.95
    assert leaked / boiler <= 0.05


def test_korean_cc_pipeline_uses_the_measured_default():
    from kocorpus.pipeline_config import load_pipeline

    _, cfg = load_pipeline("korean_cc")
    names = [s.name for s in cfg.steps]
    assert names.index("url_filter") < names.index("extract") < names.index("normalize")
    assert cfg.step("extract").config.extractor == ExtractConfig().extractor == "resiliparse"
