"""Korean site rules: each rule picks the body and strips its boilerplate; frame shells; the rules file is checked."""

from pathlib import Path

import pytest

from kocorpus.config import ConfigError
from kocorpus.extractors.extract import ExtractConfig, PageExtractor
from kocorpus.extractors.site_rules import load_site_rules

BODY = [
    "오늘은 아침 일찍 일어나 한강 공원을 따라 천천히 걸었다.",
    "점심에는 동네 국숫집에서 잔치국수를 먹었는데 국물이 정말 시원했다.",
]
NOISE = ["댓글 잘 보고 갑니다", "이 블로그의 다른 글 목록", "공감 12", "기자 hong@news.co.kr"]


def page(inner: str) -> str:
    return f"<!DOCTYPE html><html><head><title>t</title></head><body><div id=gnb>홈 로그인</div>{inner}</body></html>"


def paras(tag: str = "p") -> str:
    return "".join(f"<{tag}>{b}</{tag}>" for b in BODY)


@pytest.fixture(scope="module")
def extractor() -> PageExtractor:
    return PageExtractor(ExtractConfig(timeout_s=None))


CASES = [
    (  # Naver blog, SmartEditor ONE, with a link card, comments and a like button
        "naver_blog",
        "https://blog.naver.com/PostView.naver?blogId=a&logNo=1",
        f'<div class="se-main-container">{paras()}<div class="se-oglink">{NOISE[1]}</div></div>'
        f'<div class="area_sympathy">{NOISE[2]}</div><div class="wrap_postcomment">{NOISE[0]}</div>',
    ),
    (  # Naver blog, SmartEditor 2 with <br> lines
        "naver_blog",
        "https://blog.naver.com/PostView.nhn?blogId=a&logNo=2",
        f'<div id="postViewArea">{"<br><br>".join(BODY)}</div><div class="post_tag">{NOISE[1]}</div>',
    ),
    (  # Naver cafe, ArticleRead frame with the body in the page
        "naver_cafe",
        "https://cafe.naver.com/ArticleRead.nhn?clubid=1&articleid=2",
        f'<div class="ContentRenderer">{paras()}</div><div class="CommentBox">{NOISE[0]}</div>',
    ),
    (
        "naver_news",
        "https://n.news.naver.com/mnews/article/001/0014000000",
        f'<div id="newsct_article"><article id="dic_area">{"<br><br>".join(BODY)}'
        f'<span class="end_photo_org"><em class="img_desc">{NOISE[1]}</em></span></article></div>'
        f'<div class="byline">{NOISE[3]}</div>',
    ),
    (  # Naver news, the older layout
        "naver_news",
        "https://news.naver.com/main/read.nhn?oid=001&aid=0001",
        f'<div id="articleBodyContents"><script>function _flash_removeCallback() {{}}</script>{paras("div")}</div>',
    ),
    (
        "daum_news",
        "https://v.daum.net/v/20240602143100123",
        f'<div class="article_view"><section>{paras()}<figcaption class="txt_caption">{NOISE[1]}</figcaption>'
        f'</section></div><div class="box_recommend">{NOISE[1]}</div>',
    ),
    (
        "tistory",
        "https://devnote.tistory.com/12",
        f'<div class="entry-content"><div class="tt_article_useless_p_margin">{paras()}</div>'
        f'<div class="another_category">{NOISE[1]}</div><div class="container_postbtn">{NOISE[2]}</div></div>',
    ),
    (  # Tistory skin without the tt_ class
        "tistory",
        "https://booklover.tistory.com/3",
        f'<div class="area_view" id="article-view">{paras()}</div><div id="comments">{NOISE[0]}</div>',
    ),
    (  # any host: a single <article>, its header stripped
        "generic_article",
        "https://www.small-library.kr/2021/04/post/",
        f'<article><header><h1>제목</h1><div class="entry-meta">{NOISE[3]}</div></header>'
        f'<div class="entry-content">{paras()}{paras()}{paras()}</div></article><div id="comments">{NOISE[0]}</div>',
    ),
]


@pytest.mark.parametrize(("rule", "url", "inner"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_site_rule_picks_body_and_strips_boilerplate(extractor, rule, url, inner):
    out = extractor.extract(page(inner), url)
    assert out.reason is None and out.how == f"rule:{rule}"
    assert out.text == "\n".join(BODY * (3 if rule == "generic_article" else 1))  # one paragraph a line
    for n in NOISE:
        assert n not in out.text
    assert "홈 로그인" not in out.text


def test_rule_does_not_fire_on_other_domains(extractor):
    inner = f'<div class="se-main-container">{paras()}</div>'
    out = extractor.extract(page(inner), "https://example.com/post/1")
    assert not out.how.startswith("rule:naver")


def test_generic_article_rule_needs_a_single_article(extractor):
    inner = "".join(f"<article><p>{b} {b} {b}</p></article>" for b in BODY)
    assert extractor.extract(page(inner), "https://forum.example.kr/1").how == "resiliparse"


@pytest.mark.parametrize(
    ("url", "inner", "frame_url"),
    [
        (
            "https://blog.naver.com/moonfox/223100",
            '<iframe id="mainFrame" src="/PostView.naver?blogId=moonfox&amp;logNo=223100"></iframe>',
            "https://blog.naver.com/PostView.naver?blogId=moonfox&logNo=223100",
        ),
        (
            "https://cafe.naver.com/somecafe/123",
            '<iframe name="cafe_main" id="cafe_main" src="/ArticleRead.nhn?articleid=123"></iframe>',
            "https://cafe.naver.com/ArticleRead.nhn?articleid=123",
        ),
        (  # no site rule: a frameset page
            "https://old.example.co.kr/",
            '<frameset><frame src="main.html"></frameset>',
            "https://old.example.co.kr/main.html",
        ),
    ],
)
def test_iframe_shell(extractor, url, inner, frame_url):
    html = page(inner) if "frameset" not in inner else f"<html><head><title>x</title></head>{inner}</html>"
    out = extractor.extract(html, url)
    assert (out.reason, out.frame_url) == ("iframe_shell", frame_url)
    assert out.how == ("resiliparse" if "frameset" in inner else f"rule:naver_{url.split('.')[0][8:]}")


def test_bundled_rules_cover_the_issue_sites():
    names = {r.name for r in load_site_rules().rules}
    assert {"naver_blog", "naver_cafe", "naver_news", "daum_news", "tistory", "generic_article"} <= names


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rules:\n  - name: a\n    domains: [x.kr]\n    body: ['div[[']\n", "bad CSS selector"),
        ("rules:\n  - name: a\n    domains: [x.kr]\n    body: [p]\n    strp: [p]\n", "strp: unknown key"),
        ("rules:\n  - name: a\n    domains: [x.kr]\n", "body: at least one"),
        ("rules:\n  - name: a\n    domains: []\n    body: [p]\n", "domains"),
        ("rules: [\n", "cannot read"),
    ],
)
def test_bad_rules_file_fails_at_startup(tmp_path: Path, text, message):
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        ExtractConfig(site_rules_file=str(path))


def test_user_rules_file(tmp_path: Path):
    path = tmp_path / "rules.yaml"
    path.write_text("rules:\n  - name: my_site\n    domains: [my.kr]\n    body: ['.txt']\n    strip: ['.ad2']\n")
    ex = PageExtractor(ExtractConfig(site_rules_file=str(path), timeout_s=None))
    out = ex.extract(page(f'<div class="txt">{paras()}<div class="ad2">광고</div></div>'), "https://www.my.kr/1")
    assert out.how == "rule:my_site" and out.text == "\n".join(BODY)


@pytest.mark.parametrize(
    "wrapper",
    [
        '<form id="form1" method="post" action="./view.aspx">{}</form>',  # ASP.NET pages wrap everything in a form
        '<div id="post-12" class="post-12 post type-post status-publish category-news tag-seoul">{}</div>',
        '<div class="elementor-widget elementor-widget-text-editor"><div class="elementor-widget-container">{}</div></div>',
        '<div class="board_view has-comments">{}<div class="comment_box">댓글 잘 보고 갑니다</div></div>',
        '<div class="col-md-9 hidden-xs">{}</div><div class="hidden">댓글 잘 보고 갑니다</div>',  # Bootstrap 3
    ],
)
def test_default_strip_never_removes_the_page_body(extractor, wrapper):
    body = "".join(f"<p>{b}</p>" for b in BODY * 3)
    out = extractor.extract(page(wrapper.format(body)), "https://www.example.go.kr/view.aspx?id=1")
    assert out.reason is None
    assert all(b in out.text for b in BODY) and NOISE[0] not in out.text


def test_every_post_of_a_list_page_counts_once(extractor):
    posts = "".join(
        f'<div class="se-main-container"><p>{b}</p><div class="se-main-container">x</div></div>' for b in BODY
    )
    out = extractor.extract(page(posts), "https://blog.naver.com/PostList.naver?blogId=a")
    assert out.text == f"{BODY[0]}\nx\n{BODY[1]}\nx"
