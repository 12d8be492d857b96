"""url_filter: bundled gambling / adult / loan lists, IDN hosts, allow entries, user lists, config errors."""

from pathlib import Path

import pytest
from datatrove.data import Document

from kocorpus.config import ConfigError
from kocorpus.filters.url_filter import UrlBlocklistFilter, UrlFilterConfig, page_host


def check(block: UrlBlocklistFilter, url: str | None):
    doc = Document(text="본문", id="1", metadata={"url": url} if url else {})
    return block.filter(doc), doc.metadata.get("url_block")


@pytest.fixture(scope="module")
def block() -> UrlBlocklistFilter:
    return UrlBlocklistFilter(UrlFilterConfig())


@pytest.mark.parametrize(
    ("url", "entry"),
    [
        ("https://best-casino77.com/event", "gambling:casino"),
        ("http://www.safetoto-korea.net/", "gambling:safetoto"),
        ("https://xn--c79a63x03l7ti.com/", "gambling:먹튀"),  # 먹튀검증.com as IDN
        ("https://m.pornhub.com/view?x=1", "adult:pornhub.com"),
        ("https://yadong-zone.xyz/", "adult:yadong"),
        ("https://급전대출.kr/apply", "loan:급전"),
    ],
)
def test_bundled_lists_block(block, url, entry):
    assert check(block, url) == ((False, "url_blocklist"), entry)


@pytest.mark.parametrize(
    "url",
    [
        "https://n.news.naver.com/article/001/0014000000",  # a news article about casinos is not blocked by URL
        "https://www.betman.co.kr/main",  # official sports betting: allow-listed despite no keyword
        "https://www.kangwonland.com/casino/intro",  # allow-listed although the path says casino
        "https://blog.naver.com/loanstudy/1",  # the English word "loan" is not a keyword
        None,  # documents without a URL pass
        "not a url",
    ],
)
def test_ordinary_urls_pass(block, url):
    assert check(block, url) == (True, None)


def test_allow_entry_beats_keyword(tmp_path: Path):
    lst = tmp_path / "mine.txt"
    lst.write_text("# mine\ncasino\n!casino-history.or.kr\n")
    block = UrlBlocklistFilter(UrlFilterConfig(lists=[str(lst)]))
    assert check(block, "https://www.casino-history.or.kr/")[0] is True
    assert check(block, "https://casino-777.com/")[1] == "user:casino"


def test_user_list_and_inline_domains(tmp_path: Path):
    lst = tmp_path / "spam_domains.txt"
    lst.write_text("spam-farm.co.kr\n")
    block = UrlBlocklistFilter(UrlFilterConfig(lists=["gambling", str(lst)], domains=["bad.example.kr"]))
    assert check(block, "https://blog.spam-farm.co.kr/p/1")[1] == "user:spam-farm.co.kr"
    assert check(block, "https://bad.example.kr/")[1] == "user:bad.example.kr"
    assert check(block, "https://good.example.kr/")[0] is True
    assert check(block, "https://m.pornhub.com/")[0] is True  # adult list not configured


def test_page_host_decodes_idn_and_strips_port():
    assert page_host("https://XN--C79A63X03L7TI.com:8080/x") == "먹튀검증.com"
    assert page_host("http://[::1") == ""


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"lists": ["no_such_list"]}, "lists\\[0\\]"),
        ({"domains": ["two words"]}, "domains\\[0\\]"),
    ],
)
def test_bad_config(kwargs, message):
    with pytest.raises(ConfigError, match=message):
        UrlFilterConfig(**kwargs)


def test_list_entry_with_space_fails(tmp_path: Path):
    lst = tmp_path / "bad.txt"
    lst.write_text("casino site\n")
    with pytest.raises(ConfigError, match="lists\\[0\\].*space"):
        UrlFilterConfig(lists=[str(lst)])


def test_readme_inline_override_blocks_a_domain():
    from kocorpus.pipeline_config import load_pipeline

    _, cfg = load_pipeline("korean_cc", ["url_filter.domains=[spam.example.kr]"])
    block = UrlBlocklistFilter(cfg.step("url_filter").config)
    assert check(block, "https://www.spam.example.kr/a")[1] == "user:spam.example.kr"
