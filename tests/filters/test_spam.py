"""Korean spam filter: obfuscated spam pages dropped, news about gambling and real Korean text kept."""

import json
import pickle
import random
from pathlib import Path

import pytest
from conftest import DATA, REPO, load_jsonl
from datatrove.data import Document

from kocorpus.config import ConfigError, from_dict
from kocorpus.evaluation.spam import make_spam_page
from kocorpus.filters.spam import KoreanSpamFilter, SpamConfig, skeleton

SHARED = REPO.parent / "shared" / "data" / "korean"
NOT_KOREAN = ("english", "code", "noise")


def run(block: KoreanSpamFilter, texts: list[str]) -> tuple[list[Document], list[Document]]:
    """(kept, all) documents after running `block` over `texts`."""
    docs = [Document(text=t, id=str(i)) for i, t in enumerate(texts)]
    kept = list(block.run(iter(docs)))
    return kept, docs


def reasons(block: KoreanSpamFilter, docs: list[Document]) -> list[str | None]:
    """Drop reason of each document (None when kept), from the block's filter()."""
    results = [block.filter(d) for d in docs]
    return [None if r is True else r[1] for r in results]


def test_spam_pages_dropped_with_category():
    pages = load_jsonl(DATA / "spam_pages.jsonl")
    block = KoreanSpamFilter()
    kept, docs = run(block, [p["text"] for p in pages])
    assert kept == []
    assert block.stats.stats["dropped"].total == len(pages)
    reasons_by_id = dict(zip([p["id"] for p in pages], reasons(block, docs), strict=True))
    assert reasons_by_id["spam_pages-001"] == "spam_gambling"
    assert reasons_by_id["spam_pages-004"] == "spam_adult"
    assert reasons_by_id["spam_pages-006"] == "spam_loan"
    assert reasons_by_id["spam_pages-008"] == "spam_ad"
    assert all(d.metadata["spam_hits"] >= 3 and d.metadata["spam_score"] > 3.0 for d in docs)


def test_news_about_gambling_kept():
    articles = load_jsonl(DATA / "gambling_news.jsonl")
    kept, docs = run(KoreanSpamFilter(), [a["text"] for a in articles])
    assert len(kept) == len(articles)
    # the test means something: the articles do contain spam keywords (토토사이트, 카지노, 바카라 …)
    assert all(d.metadata["spam_hits"] >= 3 for d in docs)
    assert max(d.metadata["spam_score"] for d in docs) < SpamConfig().max_density


def test_real_korean_fixtures_kept_and_signals_recorded(ko_docs, technical_docs):
    kept, docs = run(KoreanSpamFilter(), [d["text"] for d in ko_docs + technical_docs])
    assert len(kept) == len(docs)
    for d in docs:
        assert isinstance(d.metadata["spam_score"], float)
        assert isinstance(d.metadata["spam_hits"], int)


@pytest.mark.parametrize(
    "text",
    [
        "토 토 사 이 트 추천, 안 전 놀 이 터 가입코드 7777",
        "카.지.노.사.이.트 / 먹.튀.검.증 / 가.입.코.드 1004",
        "바★카★라사이트 ★ 슬★롯★사★이★트 ★ 꽁★머★니 지급",
        "카-지-노-사-이-트 메-이-저-사-이-트 첫-충 20%",
        "카ㆍ지ㆍ노ㆍ사ㆍ이ㆍ트 안_전_놀_이_터 먹♥튀♥검♥증",
        "ＴＯＴＯ 토토사이트 / 텔레그램ＩＤ : ＶＩＰ７７ / 카톡ＩＤ vip77 / 먹튀검증",
    ],
)
def test_obfuscated_spam_dropped(text: str):
    kept, docs = run(KoreanSpamFilter(), [text])
    assert kept == [], docs[0].metadata
    assert docs[0].metadata["spam_hits"] >= 3


def test_skeleton():
    assert skeleton("카.지.노 사★이★트") == "카지노사이트"
    assert skeleton("텔레그램 ＩＤ: VIP_77") == "텔레그램idvip77"
    assert skeleton("먹ㆍ튀") == "먹튀"  # ㆍ (U+318D, araea) is used as a middle dot


@pytest.mark.parametrize(
    ("text", "hits"),
    [
        ("오피스텔 분양과 오피니언 면을 읽었다", 0),  # allow-list: 오피스, 오피니언
        ("영토 토론회가 열렸다", 0),  # 토토 across a word boundary, glued to 영
        ("첫 충돌은 오전에 일어났다", 0),  # 첫충 followed by a syllable that is no particle
        ("이웃집 토토로를 봤다", 0),
        ("오 피곤해", 0),
        ("오피에서 만나요", 1),  # particle after a short keyword
        ("토 토 추천", 1),
        ("카지노사이트", 1),  # counted once, not also as 카지노
    ],
)
def test_short_keywords_are_whole_words(text: str, hits: int):
    _, docs = run(KoreanSpamFilter(), [text])
    assert docs[0].metadata["spam_hits"] == hits


def test_few_mentions_never_drop():
    # dense, but fewer than min_hits keyword occurrences: a comment that names a gambling site once or twice
    kept, docs = run(KoreanSpamFilter(), ["토토사이트 광고 좀 그만 보고 싶다", "출장안마 전단지가 또 붙어 있네 먹튀"])
    assert len(kept) == 2
    assert [d.metadata["spam_hits"] for d in docs] == [1, 2]


def test_generated_spam_pages_dropped():
    rng = random.Random(0)
    pages = [make_spam_page(rng) for _ in range(300)]
    assert len(set(pages)) > 250
    kept, _ = run(KoreanSpamFilter(), pages)
    assert kept == []


def test_custom_list_weights_allow_list_and_reason(tmp_path: Path):
    path = tmp_path / "crypto_scam.txt"
    path.write_text("# test list\n코인리딩방 3\n리딩방\n!리딩방후기\n", encoding="utf-8")
    cfg = from_dict(SpamConfig, {"lists": [str(path)], "min_hits": 2, "max_density": 1.0})
    block = KoreanSpamFilter(cfg)
    docs = [
        Document(text=t, id=str(i))
        for i, t in enumerate(["코인 리딩방 무료 입장, 코.인.리.딩.방 인증", "리딩방 후기 리딩방 후기"])
    ]
    assert reasons(block, docs) == ["spam_crypto_scam", None]
    assert [d.metadata["spam_hits"] for d in docs] == [2, 0]


def test_contacts_raise_the_score():
    block = KoreanSpamFilter()
    plain = block.scorer.score("토토사이트 추천 " + "오늘 경기 결과를 정리했습니다. " * 10)
    handle = block.scorer.score("토토사이트 추천 @toto777 " + "오늘 경기 결과를 정리했습니다. " * 10)
    assert handle.contacts == 1 and plain.contacts == 0
    assert handle.score == pytest.approx(plain.score + SpamConfig().contact_bonus)


def test_mobile_numbers_masked_by_the_pii_step_still_count():
    from kocorpus.formatters.pii import KoreanPIIMasker

    text = "토토사이트 추천 010-1111-2222, 010 3333 4444 또는 01011112222 " + "오늘 경기 결과를 정리했습니다. " * 10
    raw = KoreanSpamFilter().scorer.score(text)
    (doc,) = KoreanPIIMasker().run(iter([Document(text=text, id="s")]))  # runs first in the pipeline
    block = KoreanSpamFilter()
    block.filter(doc)
    assert "010" not in doc.text and raw.contacts == 2
    assert doc.metadata["spam_score"] == pytest.approx(raw.score)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"lists": ["no_such_list"]}, "lists[0]:"),
        ({"lists": []}, "lists:"),
        ({"max_density": -1}, "max_density:"),
        ({"min_hits": 0}, "min_hits:"),
        ({"min_chars": 0}, "min_chars:"),
    ],
)
def test_config_errors_name_the_key(data: dict, message: str):
    with pytest.raises(ConfigError, match=message.replace("[", r"\[")):
        from_dict(SpamConfig, data)


def test_bad_keyword_line_is_a_config_error(tmp_path: Path):
    path = tmp_path / "bad.txt"
    path.write_text("좋은키워드\n★★★\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"lists\[0\]: .*bad.txt:2"):
        SpamConfig(lists=[str(path)])


def test_block_pickles_before_and_after_use():
    block = KoreanSpamFilter()
    pickle.loads(pickle.dumps(block))
    run(block, ["카지노사이트 토토사이트 먹튀검증"])
    clone = pickle.loads(pickle.dumps(block))
    _, docs = run(clone, ["카지노사이트 토토사이트 먹튀검증"])
    assert docs[0].metadata["spam_hits"] == 3


@pytest.mark.skipif(not SHARED.is_dir(), reason="shared Korean collection not present")
def test_shared_korean_collection_false_positives():
    files = [p for p in sorted(SHARED.glob("*.jsonl")) if p.stem not in NOT_KOREAN]
    texts = [json.loads(line)["text"] for p in files for line in p.read_text(encoding="utf-8").splitlines() if line]
    kept, _ = run(KoreanSpamFilter(), texts)
    assert len(texts) - len(kept) <= len(texts) // 1000  # at most 0.1% dropped (measured: 0 of 6,813)


def test_call_to_action_windows_find_what_a_full_scan_finds(ko_docs):
    """spam_prose scans _CTA only around occurrences of its cues (`_cta_matches`): the same set as a scan of the
    whole text; every match holds a cue and is at most _CTA_WIDTH long (what the windows rely on)."""
    import re

    from kocorpus.filters import spam_prose as P
    from kocorpus.text.regex_cues import may_match

    assert re._parser.parse(P._CTA.pattern, P._CTA.flags).getwidth()[1] == P._CTA_WIDTH
    rng = random.Random(0)
    texts = [d["text"] for d in ko_docs] + [
        d["text"] for n in ("spam_pages", "gambling_news") for d in load_jsonl(DATA / f"{n}.jsonl")
    ]
    texts += [make_spam_page(rng) for _ in range(200)]
    parts = ["연락", "문의", " ", "하세요", "해 주세요", "드립니다", "가", "드", "실 수 있어요", "있습니다", "가능", "합니다",
             "부담 없이", "비밀보장", "계신가요", "필요하신가요", "\n", "세요", "드려요", "지금 바로", "오늘", "바로"]  # fmt: skip
    texts += ["".join(rng.choice(parts) for _ in range(rng.randint(0, 30))) for _ in range(3000)]
    found = 0
    for text in texts:
        full = {m.group(0).replace(" ", "") for m in P._CTA.finditer(text)}
        assert P._cta_matches(text) == full, text[:80]
        for m in P._CTA.finditer(text):
            assert may_match(m.group(0), (frozenset(P._CTA_CUES),)), m.group(0)
        found += len(full)
    assert found > 1000
