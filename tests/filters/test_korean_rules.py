"""Korean-aware Gopher/FineWeb rules and prose-ad spam on the issue-17 kinds (tests/data/quality_kinds.jsonl:
real sentences from the shared collection in generated structure; benchmarks/make_quality_kinds.py)."""

import json
import random

import pytest
from conftest import DATA, load_jsonl
from datatrove.data import Document

from kocorpus.evaluation.fineweb2_baseline import FW2FineWebQuality, FW2GopherQuality
from kocorpus.filters.fineweb_quality import KoFineWebQualityFilter
from kocorpus.filters.gopher_quality import KoGopherQualityFilter, eojeol_counts
from kocorpus.filters.gopher_repetition import KoGopherRepetitionFilter
from kocorpus.filters.hangul_ratio import HangulRatioConfig, HangulRatioFilter
from kocorpus.filters.spam import KoreanSpamFilter, SpamConfig
from kocorpus.pipeline_config import load_pipeline
from kocorpus.text.layout import is_list_item, table_rows


@pytest.fixture(scope="module")
def kinds() -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for d in load_jsonl(DATA / "quality_kinds.jsonl"):
        out.setdefault(d["id"].split("/")[0].split(":")[1], []).append(d)
    return out


def configured(step: str):
    _, cfg = load_pipeline("korean_web")
    return cfg.step(step).config


def decisions(block, docs: list[dict]) -> list:
    return [block.filter(Document(text=d["text"], id=d["id"])) for d in docs]


def test_notes_nominal_endings_and_list_items_are_terminated(kinds):
    block = KoFineWebQualityFilter(configured("fineweb_quality"))
    lines = ["회의 일정 변경됨", "- 예산 집행 현황", "① 제출 서류 확인할 것", "자료 준비하기", "홈 뉴스 정치 경제"]
    assert block.terminated(lines) == [True, True, True, True, False]
    assert is_list_item("※ 참고 사항") and is_list_item("1) 배경") and not is_list_item("1,234명이 참석했다")
    notes = kinds["notes"]
    assert all(r is True for r in decisions(block, notes))
    # FineWeb-2's rule as shipped (terminal punctuation and 다/요/죠/까/네 only) drops a share of the same notes
    assert sum(r is not True for r in decisions(FW2FineWebQuality(), notes)) >= 0.1 * len(notes)


def test_tables_are_recognised_and_judged_by_cells(kinds):
    markdown = ["| 구분 | 2022년 | 2023년 |", "|---|---:|---:|", "| 매출 | 1,234 | 1,456 |", "| 이익 | 120 | 98 |"]
    collapsed = ["품목 가격(원) 비고", "아메리카노 4,500 -", "카페라테 5,000 신규", "녹차 4,800 -"]
    prose = ["올해 매출은 1,234억 원으로 늘었다.", "이익은 2023년에 98억 원이었다."]
    assert table_rows(markdown) == {0, 1, 2, 3}
    assert table_rows(collapsed) == {0, 1, 2, 3}
    assert table_rows(prose) == set()
    c = eojeol_counts("\n".join(["아래 표는 매출 현황이다.", *markdown]))
    assert c["alpha_eojeol_ratio"] == 1.0 and c["table_words"] > c["n_eojeols"] / 2  # number cells are words
    tables = kinds["tables"]
    assert all(r is True for r in decisions(KoGopherQualityFilter(configured("gopher_quality")), tables))
    assert all(r is True for r in decisions(KoFineWebQualityFilter(configured("fineweb_quality")), tables))
    assert all(r is True for r in decisions(HangulRatioFilter(configured("hangul_ratio")), tables))
    # as shipped: every number, unit and pipe is a non-alphabetic Kiwi "word"
    assert sum(r is not True for r in decisions(FW2GopherQuality(), tables)) >= 0.5 * len(tables)


def test_eojeol_units_numbers_and_stop_suffixes():
    block = KoGopherQualityFilter(configured("gopher_quality"))
    doc = Document(text="학교에서 2024년 3월 1,234명이 모였다.\n- 12.5%\n※ 참고", id="x")
    assert block.filter(doc) == (False, "gopher_short_doc")
    # eojeols with a letter or digit: 학교에서 2024년 3월 1,234명이 모였다. 12.5% 참고 (bullets - ※: structure)
    assert doc.metadata["n_eojeols"] == 7
    assert doc.metadata["alpha_eojeol_ratio"] == pytest.approx(6 / 7)  # 12.5% outside a table is not a word
    assert doc.metadata["stop_suffix_count"] >= 2  # 에서, 다 (…이)
    assert block.filter(Document(text="판매 " * 10 + "\n" + "ㅋㅋ ^^ ;; ~~ " * 20, id="y")) == (
        False,
        "gopher_below_alpha_threshold",
    )


def test_repetition_counts_repeated_eojeol_ngrams(ko_docs):
    block = KoGopherRepetitionFilter(configured("gopher_repetition"))
    short = Document(text="오늘 서울 날씨는 맑고 포근하겠습니다.", id="s")  # every n-gram unique
    assert block.filter(short) is True
    spam = Document(text=("지금 바로 가입하고 혜택 받으세요 " * 6) + "\n감사합니다.", id="r")
    assert block.filter(spam) == (False, "top_2_gram")
    assert all(block.filter(Document(text=d["text"], id=d["id"])) is True for d in ko_docs)


def test_prose_ads_are_spam_and_name_their_signal(kinds):
    block = KoreanSpamFilter(configured("spam"))
    ads = kinds["prose_ad"]
    results = decisions(block, ads)
    assert all(r is not True for r in results), [d["id"] for d, r in zip(ads, results, strict=True) if r is True]
    assert sum(r[1].endswith("_prose") for r in results) >= 0.5 * len(ads)  # most pass the keyword density rule
    doc = Document(text=ads[0]["text"], id="a")
    block.filter(doc)
    assert "domain=" in doc.metadata["spam_ad_signals"] and doc.metadata["spam_ad_score"] >= 8
    # keyword density alone (the old filter) keeps most of them
    old = KoreanSpamFilter(SpamConfig(prose=False))
    assert sum(r is True for r in decisions(old, ads)) >= 0.3 * len(ads)


def test_gambling_and_finance_news_stay(kinds, ko_docs):
    block = KoreanSpamFilter(configured("spam"))
    news = kinds["gambling_news"] + kinds["finance_news"] + load_jsonl(DATA / "gambling_news.jsonl")
    assert all(r is True for r in decisions(block, news))
    assert all(r is True for r in decisions(block, ko_docs))


def test_hangul_ratio_of_letters_keeps_tables_drops_code(kinds, en_docs):
    block = HangulRatioFilter(configured("hangul_ratio"))
    code = [json.loads(line) for line in (DATA / "code_small.jsonl").read_text().splitlines()]
    assert all(r is not True for r in decisions(block, en_docs + code))
    old = HangulRatioFilter(HangulRatioConfig(of="non_space", min_ratio=0.3))
    assert sum(r is not True for r in decisions(old, kinds["tables"])) >= 1  # numbers counted against Hangul


def test_word_salad_stops_mid_sentence(ko_docs):
    from kocorpus.evaluation.quality_synthetic import word_salad

    block = KoFineWebQualityFilter(configured("fineweb_quality"))
    prose = [d for d in ko_docs if d["id"].startswith(("klue", "kornli", "ud_korean", "park_news"))]
    rng = random.Random(5)
    salad = [{"id": f"s{i}", "text": word_salad(d["text"], rng)} for i, d in enumerate(prose)]
    assert all(r is True or r[1] != "unfinished_lines" for r in decisions(block, prose))
    results = decisions(block, salad)
    assert sum(r is not True for r in results) >= 0.9 * len(salad)
    assert any(r is not True and r[1] == "unfinished_lines" for r in results)
