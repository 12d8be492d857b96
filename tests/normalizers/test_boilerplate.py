"""Boilerplate stripper: each rule removes its footer / byline / promo / menu line, content lines are kept."""

import json
import pickle
import random
import re
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import REPO
from datatrove.data import Document

from kocorpus.config import ConfigError, from_dict
from kocorpus.evaluation.spam import make_boilerplate_page
from kocorpus.normalizers.boilerplate import BoilerplateConfig, BoilerplateStripper, Stripper

SHARED = REPO.parent / "shared" / "data" / "korean"
NOT_KOREAN = ("english", "code", "noise")


@pytest.fixture(scope="module")
def stripper() -> Stripper:
    return Stripper(BoilerplateConfig())


# (line, rule expected to fire, line left after the rules or None when the line is removed)
CASES = [
    ("<저작권자 ⓒ 연합뉴스, 무단 전재-재배포, AI 학습 및 활용 금지>", "copyright", None),
    ("저작권자 © 매일경제 & mk.co.kr, 무단 전재, 재배포 및 AI학습 이용 금지", "copyright", None),
    ("ⓒ 한경닷컴, 무단전재 및 재배포 금지", "copyright", None),
    ("Copyright ⓒ 한국경제TV. All rights reserved. (https://www.wowtv.co.kr) , AI학습 이용 금지", "copyright", None),
    (
        "정부는 이날 예산안을 발표했다. <저작권자(c) 연합뉴스, 무단 전재-재배포 금지>",
        "copyright",
        "정부는 이날 예산안을 발표했다.",
    ),
    ("무단전재 및 재배포 금지", "redistribution", None),
    ("<무단 전재 및 재배포금지>", "redistribution", None),
    ("이 기사는 무단전재 및 재배포를 금합니다", "redistribution", None),
    ("AI학습 이용 금지", "redistribution", None),
    ("All Rights Reserved.", "all_rights_reserved", None),
    ("(서울=연합뉴스) 홍길동 기자 = 정부가 12일 예산안을 발표했다.", "dateline_lead", "정부가 12일 예산안을 발표했다."),
    ("[서울=뉴시스]홍길동 김철수 기자 = 정부가 발표했다.", "dateline_lead", "정부가 발표했다."),
    ("【워싱턴=뉴스1】 홍길동 특파원 = 미국 정부가 발표했다.", "dateline_lead", "미국 정부가 발표했다."),
    ("[이데일리 홍길동 기자] 정부가 발표했다.", "byline_lead", "정부가 발표했다."),
    ("홍길동 기자 = 정부가 발표했다.", "byline_lead", "정부가 발표했다."),
    ("[한국일보] 정부가 발표했다.", "outlet_tag", "정부가 발표했다."),
    ("[OO일보]", "outlet_tag", None),
    ("홍길동 기자 abc@news.co.kr", "reporter_email", None),
    ("/홍길동 기자 hong@yna.co.kr", "reporter_email", None),
    ("홍길동·김철수 기자(hong@news.co.kr)", "reporter_email", None),
    ("hong@yna.co.kr", "reporter_email", None),
    ("홍길동 기자 <|email|>", "reporter_email", None),  # the pii step runs first and masks the address
    ("<홍길동 기자>", "byline_only", None),
    ("▶ 관련기사", "related_promo", None),
    ("[관련기사] 정부, 내년 예산 600조 돌파", "related_promo", None),
    ("이 시각 주요뉴스", "related_promo", None),
    ("네이버에서 한빛일보 구독하기", "portal_subscribe", None),
    ("카카오톡 채널 추가하기", "portal_subscribe", None),
    ("▶ 제보는 카카오톡 okjebo", "arrow_promo", None),
    ("☞ 홍길동 기자의 다른 기사 보기", "arrow_promo", None),
    ("사업자등록번호 : 123-45-67890", "business_info", None),
    ("통신판매업 신고번호 제2024-서울마포-1234호", "business_info", None),
    ("대표자 : 홍길동 | 개인정보관리책임자 : 김철수", "business_info", None),
    ("청소년보호책임자 김철수", "business_info", None),
    ("주소 : 서울특별시 중구 세종대로 1 | 전화 : 02-123-4567", "business_labels", None),
    ("발행인 : 홍길동 | 편집인 : 김철수", "business_labels", None),
    ("이용약관 | 개인정보처리방침 | 고객센터", "policy_menu", None),
    ("회사소개 · 광고문의 · 이용약관 · 개인정보 처리방침 · 이메일무단수집거부", "policy_menu", None),
    ("홈 > 뉴스 > 정치", "navigation", None),
    ("한빛일보 홈 > 사회 > 사건·사고", "navigation", None),
    ("로그인 회원가입 마이페이지", "navigation", None),
    ("이전글 다음글 목록", "navigation", None),
    ("정치 | 경제 | 사회 | 문화 | 국제", "navigation", None),
    ("1 2 3 4 5 다음 마지막", "navigation", None),
]


@pytest.mark.parametrize(("line", "rule", "left"), CASES, ids=[f"{c[1]}-{i}" for i, c in enumerate(CASES)])
def test_each_rule(stripper: Stripper, line: str, rule: str, left: str | None):
    new, fired = stripper.clean_line(line)
    assert rule in fired
    assert new == left


def test_every_bundled_rule_has_a_case():
    names = {r.name for r in BoilerplateConfig().rules()} | {"navigation"}
    assert names == {c[1] for c in CASES}


CONTENT = [
    "무단 전재 및 재배포를 금지하는 조항이 담긴 이번 개정안은 국회 본회의를 통과했다.",
    "신문 기사의 무단 전재가 늘면서 언론사들이 소송에 나섰다.",
    "(사진=ⓒ게티이미지) 정부는 무단 방류를 막기 위해 단속을 강화했다.",
    "저작권자의 동의 없이 음원을 사용하면 처벌받는다.",
    "개인정보보호책임자 2명을 새로 지정했다고 회사 측은 밝혔다.",
    "이 회사는 이용약관과 개인정보처리방침을 개정했다고 밝혔다.",
    "주요 뉴스를 정리하면 다음과 같다.",
    "관련 기사에 따르면 사고는 오전 9시에 일어났다.",
    "▶ 설정 버튼을 클릭한 뒤 확인을 누른다.",
    "네이버에서 새 구독 서비스를 선보인다고 밝혔다.",
    "홍길동 기자는 이날 현장을 취재했다.",
    "김철수 대표이사는 '올해 매출 목표를 달성하겠다'고 말했다.",
    "대표 : 조직을 이끄는 사람. 주소 : 사는 곳을 뜻한다.",
    "(x=1) 이라고 두면 다음 식이 성립한다.",
    "정치 경제 사회 이야기를 했다",
    "다음 뉴스 보자",
    "홈 > 설정 > 계정 순서로 들어가면 됩니다",
    "문의는 hong@example.com 으로 보내면 된다.",
    "[단독] 정부, 내년 예산 600조 돌파",
    "[사설] 저출생 대책, 이번엔 달라야",
    "[간밤TV] ‘라디오스타’ 출연진 화제",
    "Copyright 보호 기간은 저작자 사후 70년이다.",
    "로그인 아이디 기억안나",
]


@pytest.mark.parametrize("line", CONTENT)
def test_content_lines_kept(stripper: Stripper, line: str):
    assert stripper.clean_line(line) == (line, [])


def test_real_korean_fixtures_unchanged(ko_docs, technical_docs):
    block = BoilerplateStripper()
    docs = [Document(text=d["text"], id=d["id"]) for d in ko_docs + technical_docs]
    texts = [d.text for d in docs]
    kept = list(block.run(iter(docs)))
    assert [d.text for d in kept] == texts
    assert all(d.metadata["boilerplate_chars"] == 0 and d.metadata["boilerplate_lines"] == 0 for d in docs)


def test_generated_pages_give_back_the_body(ko_docs, technical_docs):
    stripper = Stripper(BoilerplateConfig())
    rng = random.Random(0)
    for i in range(400):
        doc = (ko_docs + technical_docs)[i % (len(ko_docs) + len(technical_docs))]
        body = re.sub(r"\n{3,}", "\n\n", doc["text"]).strip()
        page = make_boilerplate_page(rng, body)
        text, lines, fired = stripper.strip(page)
        assert text == body, (doc["id"], page)
        assert lines >= 2 and fired


def test_boilerplate_only_pages_become_empty():
    stripper = Stripper(BoilerplateConfig())
    rng = random.Random(1)
    for _ in range(200):
        page = make_boilerplate_page(rng, "")
        assert page.count("\n") >= 3
        assert stripper.strip(page)[0] == "", page


def test_signals_and_empty_document():
    block = BoilerplateStripper()
    page = "홈 > 뉴스 > 사회\n\n(서울=연합뉴스) 홍길동 기자 = 본문 첫 문장이다.\n\n두 번째 문단.\n홍길동 기자 hong@yna.co.kr\n<저작권자 ⓒ 연합뉴스, 무단 전재-재배포 금지>"
    only_footer = "이용약관 | 개인정보처리방침 | 고객센터\nCopyright © 2024 한빛일보. All rights reserved."
    docs = [Document(text=page, id="page"), Document(text=only_footer, id="footer")]
    kept = list(block.run(iter(docs)))
    assert [d.id for d in kept] == ["page"]
    assert kept[0].text == "본문 첫 문장이다.\n\n두 번째 문단."
    assert kept[0].metadata["boilerplate_lines"] == 4
    assert kept[0].metadata["boilerplate_chars"] == len(page) - len(kept[0].text)
    assert block.stats.stats["dropped_empty_after_boilerplate"].total == 1
    assert block.stats.stats["boilerplate_rule_navigation"].total == 1


def test_disable_rules_and_navigation():
    cfg = from_dict(BoilerplateConfig, {"disable": ["dateline_lead", "navigation"]})
    stripper = Stripper(cfg)
    assert stripper.clean_line("(서울=연합뉴스) 홍길동 기자 = 본문.") == ("(서울=연합뉴스) 홍길동 기자 = 본문.", [])
    assert stripper.clean_line("홈 > 뉴스 > 정치") == ("홈 > 뉴스 > 정치", [])
    assert stripper.clean_line("무단전재 및 재배포 금지") == (None, ["redistribution"])


def test_custom_rules_file(tmp_path: Path):
    rules = tmp_path / "rules.yaml"
    rules.write_text("- name: ad_line\n  kind: line\n  pattern: '^\\[광고\\]'\n", encoding="utf-8")
    stripper = Stripper(BoilerplateConfig(rules_file=str(rules), navigation=False))
    assert stripper.clean_line("[광고] 오늘만 특가") == (None, ["ad_line"])
    assert stripper.clean_line("무단전재 및 재배포 금지") == ("무단전재 및 재배포 금지", [])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"disable": ["no_such_rule"]}, r"disable\[0\]: unknown rule"),
        ({"rules_file": "/no/such/rules.yaml"}, "rules_file: no such file"),
        ({"nav_min_share": 1.5}, "nav_min_share:"),
        ({"max_line_chars": 0}, "max_line_chars:"),
    ],
)
def test_config_errors_name_the_key(data: dict, message: str):
    with pytest.raises(ConfigError, match=message):
        from_dict(BoilerplateConfig, data)


def test_bad_rule_is_a_config_error(tmp_path: Path):
    rules = tmp_path / "rules.yaml"
    rules.write_text("- name: broken\n  kind: line\n  pattern: '(unclosed'\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"rules_file: .*broken.*bad pattern"):
        BoilerplateConfig(rules_file=str(rules))


def test_block_pickles():
    block = BoilerplateStripper()
    list(block.run(iter([Document(text="▶ 관련기사\n본문", id="a")])))
    clone = pickle.loads(pickle.dumps(block))
    assert [d.text for d in clone.run(iter([Document(text="▶ 관련기사\n본문", id="b")]))] == ["본문"]


@pytest.mark.skipif(not SHARED.is_dir(), reason="shared Korean collection not present")
def test_shared_korean_collection_untouched():
    stripper = Stripper(BoilerplateConfig())
    files = [p for p in sorted(SHARED.glob("*.jsonl")) if p.stem not in NOT_KOREAN]
    texts = [json.loads(line)["text"] for p in files for line in p.read_text(encoding="utf-8").splitlines() if line]
    changed = [t for t in texts if stripper.strip(t)[1]]
    assert len(changed) <= len(texts) // 1000  # measured: 0 of 6,813 documents


def test_removed_documents_keep_their_original_text(tmp_path: Path):
    from kocorpus.writers import RemovedWriter

    only_footer = "이용약관 | 개인정보처리방침 | 고객센터\nCopyright © 2024 한빛일보. All rights reserved."
    block = BoilerplateStripper(exclusion_writer=RemovedWriter(str(tmp_path), "boilerplate"))
    assert list(block.run(iter([Document(text=only_footer, id="footer")]))) == []
    (row,) = pq.read_table(tmp_path / "boilerplate").to_pylist()
    assert (row["id"], row["reason"], row["text"]) == ("footer", "empty_after_boilerplate", only_footer)
    assert row["boilerplate_chars"] == len(only_footer)  # the signal still says everything was boilerplate


def test_rules_left_out_per_document_change_nothing(ko_docs, technical_docs):
    """`strip` tries only the rules whose cue strings the document holds (`active_rules`); trying every rule on
    every line gives the same text, line count and rule counts."""

    def reference(stripper: Stripper, text: str):
        fired, out, changed = Counter(), [], 0
        for line in text.split("\n"):
            new, names = stripper.clean_line(line)  # every rule
            changed += bool(names)
            fired.update(names)
            if new is not None:
                out.append(new)
        return (re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip() if changed else text), changed, fired

    rng = random.Random(2)
    bodies = [d["text"] for d in ko_docs + technical_docs]
    texts = bodies + [make_boilerplate_page(rng, bodies[i % len(bodies)]) for i in range(300)]
    texts += [make_boilerplate_page(rng, "") for _ in range(100)]
    texts += [line for line, _, _ in CASES] + CONTENT + ["\n".join(line for line, _, _ in CASES), "\n".join(CONTENT)]
    texts += ["", "\n\n", "Copyright ⓒ 2024", "ALL RIGHTS RESERVED", "홈 > 뉴스 > 정치"]
    left_out = 0
    for config in (BoilerplateConfig(), BoilerplateConfig(disable=["navigation", "copyright"], max_line_chars=50)):
        stripper = Stripper(config)
        for text in texts:
            assert stripper.strip(text) == reference(stripper, text), text
            edit, line = stripper.active_rules(text)
            left_out += len(stripper.edit_rules) + len(stripper.line_rules) - len(edit) - len(line)
    assert left_out > 1000  # the shortcut is exercised
