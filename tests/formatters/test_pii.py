"""Korean PII masker: every type in Korean sentences, decoys untouched, counts, config switches, no drops."""

import random

import pytest
from datatrove.data import Document

from kocorpus.config import ConfigError, from_dict
from kocorpus.evaluation.pii import DEFAULT_TYPES, evaluate_pii, make_pii_eval_set
from kocorpus.formatters import KoreanPIIMasker, PIIConfig, mask_pii
from kocorpus.formatters.pii import PII_TYPES

CFG = PIIConfig()


# --- value helpers (independent of the implementation) ------------------------------------------------------
def rrn(birth: str, gender: int, serial: str = "12345", valid: bool = True) -> str:
    """13 digits YYMMDD G SSSSS C with a correct (or, with valid=False, a wrong) check digit."""
    first12 = f"{birth}{gender}{serial}"
    s = sum(int(d) * w for d, w in zip(first12, [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5], strict=True)) % 11
    check = (11 - s) % 10 if gender <= 4 else (13 - s) % 10
    return first12 + str(check if valid else (check + 1) % 10)


def luhn(partial: str) -> str:
    """`partial` plus the Luhn check digit."""
    total = 0
    for i, ch in enumerate(reversed(partial)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return partial + str((10 - total % 10) % 10)


def groups(digits: str, sizes: tuple[int, ...], sep: str) -> str:
    out, i = [], 0
    for k in sizes:
        out.append(digits[i : i + k])
        i += k
    return sep.join(out)


RRN_KR = rrn("900101", 1)
RRN_2000S = rrn("050315", 4, "67890")
RRN_FOREIGN = rrn("851224", 5, "00312")
VISA = luhn("453201511283036")
MASTER = luhn("545454545454545")
AMEX = luhn("37828224631000")
DOMESTIC = luhn("941012345678901")


def masked(text: str, cfg: PIIConfig = CFG) -> tuple[str, dict[str, int]]:
    return mask_pii(text, cfg)


# --- each PII type in a Korean sentence ----------------------------------------------------------------------
PII_CASES = [
    ("rrn", f"회원 가입 시 주민등록번호 {RRN_KR[:6]}-{RRN_KR[6:]}를 입력했어요.", "<|rrn|>"),
    ("rrn", f"신청서에 적힌 주민번호는 {RRN_2000S}였다.", "<|rrn|>"),
    ("rrn", f"외국인등록번호: {RRN_FOREIGN[:6]} - {RRN_FOREIGN[6:]}", "<|rrn|>"),
    ("rrn", f"본인 확인용 번호({RRN_KR[:6]} -{RRN_KR[6:]})가 유출되었습니다.", "<|rrn|>"),
    ("phone", "궁금한 점은 010-1234-5678로 연락 주세요.", "<|tel|>"),
    ("phone", "담당자 휴대폰 010 9876 5432 입니다.", "<|tel|>"),
    ("phone", "번호 바뀌었어 01012345678로 저장해줘", "<|tel|>"),
    ("phone", "예전 번호는 011.234.5678이었다.", "<|tel|>"),
    ("phone", "해외에서는 +82 10-1234-5678 로 걸어 주세요.", "<|tel|>"),
    ("phone", "해외 연락처 +82-10-2345-6789 (카톡 가능)", "<|tel|>"),
    ("phone", "본사 대표 전화 (02) 123-4567, 팩스 02-123-4568.", "<|tel|>"),
    ("phone", "경기 지사 031-123-4567, 부산 지사 051-1234-5678로 문의하세요.", "<|tel|>"),
    ("phone", "제주 매장 064-712-3456, 인터넷 전화 070-1234-5678", "<|tel|>"),
    ("phone", "고객센터 1588-1234 또는 1644-5678로 전화 주세요.", "<|tel|>"),
    ("phone", "연락처:010-5555-1234입니다", "<|tel|>"),
    ("email", "자세한 내용은 hong.gildong@naver.com으로 메일 주세요.", "<|email|>"),
    ("email", "이메일은kim_minsu1987@korea.ac.kr로 보내주세요.", "<|email|>"),
    ("ip", "접속 로그에 211.234.56.78에서 로그인 시도가 기록됐다.", "<|ip|>"),
    ("ip", "서버 IP 8.8.4.4:53 으로 질의했습니다.", "<|ip|>"),
    ("ip", "dev server 211.234.56.78 (ver. 2)", "<|ip|>"),
    ("account", "입금 계좌: 신한은행 110-123-456789 (예금주 홍길동)", "<|acc|>"),
    ("account", "KB국민은행 123456-01-234567로 보내 주세요.", "<|acc|>"),
    ("account", "카카오뱅크 3333-01-1234567 로 송금 부탁드려요.", "<|acc|>"),
    ("account", "환불은 1002-345-678901 (우리은행)로 처리됩니다.", "<|acc|>"),
    ("account", "NH농협 302-1234-5678-91 예금주 김철수", "<|acc|>"),
    ("account", "토스뱅크 100012345678 으로 보내줘", "<|acc|>"),
    ("account", "새마을금고 9002-1234-5678-9 입금 확인했습니다.", "<|acc|>"),
    ("account", "계좌는 123-456789-12345, 하나은행이에요.", "<|acc|>"),
    ("card", f"카드번호 {groups(VISA, (4, 4, 4, 4), '-')}로 결제했습니다.", "<|card|>"),
    ("card", f"제 카드 {groups(MASTER, (4, 4, 4, 4), ' ')} 분실 신고 부탁드려요.", "<|card|>"),
    ("card", f"결제 카드: {VISA} (유효기간 12/27)", "<|card|>"),
    ("card", f"아멕스 {groups(AMEX, (4, 6, 5), '-')} 로 결제", "<|card|>"),
    ("card", f"국내 전용 카드 {groups(DOMESTIC, (4, 4, 4, 4), '-')}가 정지됐대요.", "<|card|>"),
]


@pytest.mark.parametrize(("pii_type", "text", "placeholder"), PII_CASES)
def test_each_type_is_masked(pii_type: str, text: str, placeholder: str):
    out, counts = masked(text)
    assert placeholder in out
    assert set(counts) == {pii_type}
    assert not any(ch.isdigit() for ch in out.replace("12/27", "").replace(":53", "").replace("2)", "")), out
    assert "@" not in out


def test_every_number_in_a_sentence_is_counted():
    text = "고객센터 1588-1234, 팩스 02-123-4568, 담당 010-1111-2222. 메일 a@b.co.kr 로 문의."
    out, counts = masked(text)
    assert counts == {"phone": 3, "email": 1}
    assert out == "고객센터 <|tel|>, 팩스 <|tel|>, 담당 <|tel|>. 메일 <|email|> 로 문의."


# --- decoys stay untouched ------------------------------------------------------------------------------------
DECOYS = [
    "행사는 2023-10-12에 열린다. 작성일 2023.10.12, 수정 23.10.12",
    "가격은 12,000원이고 묶음은 1,234,567원입니다.",
    "도서 ISBN 978-89-123-4567-8, 바코드 9788912345678",
    f"주문번호 {rrn('231012', 3, '45678', valid=False)} 조회 결과 배송 중입니다.",
    f"접수번호 {rrn('900101', 1, valid=False)} 확인 부탁드립니다.",
    "파이썬 3.10.12 에서 v1.2.3 까지 테스트했다.",
    "경기는 3:2로 끝났고 평균 95.5점이다.",
    "기록은 12:30:45이다.",
    "우편번호 06236 (구 우편번호 135-080)",
    "모델명 SM-G991N, 품번 A1234-5678 재고 있나요?",
    "일련번호 2023010123456789012 와 20231012010123456 확인",
    "임진왜란(1592-1598)과 1800-1850년 사이의 기록, 2019-2023 통계",
    "인구는 51,780,579명, 예산은 12,345,678,901원이다.",
    "공유기 주소 192.168.0.1, 내부망 10.0.0.254, 로컬 127.0.0.1, 펌웨어 v1.2.3.4, 버전 1.2.3.4",
    "팀 코드 110-123-456789 를 적어 두세요.",
    "우리 팀 코드는 123-456-789012 이고 하나 더 있다.",
    "카드번호처럼 보이는 1234-5678-9012-3456 은 Luhn 검사에 실패한다.",
    "연도 목록 2019 2020 2021 2022 2023",
    "국민은행 대출 잔액 1234567890원",
]


@pytest.mark.parametrize("text", DECOYS)
def test_decoys_are_untouched(text: str):
    assert masked(text) == (text, {})


def test_order_number_with_bank_nearby_but_labelled_survives():
    text = "국민은행 영수증: 주문번호 4532015112830366"
    assert masked(text) == (text, {})


def test_luhn_card_next_to_bank_name_is_a_card_not_an_account():
    text = f"신한카드 {groups(VISA, (4, 4, 4, 4), '-')} 결제 완료"
    assert masked(text) == ("신한카드 <|card|> 결제 완료", {"card": 1})


# --- counts on the document, never dropped -------------------------------------------------------------------
def test_documents_record_counts_and_are_never_dropped(ko_docs):
    docs = [Document(text=d["text"], id=d["id"]) for d in ko_docs]
    docs += [
        Document(text=f"연락처 010-1234-5678, 010-2222-3333 / 주민번호 {RRN_KR}", id="pii"),
        Document(text="010-1234-5678", id="only-pii"),
        Document(text="", id="empty"),
    ]
    originals = [d.text for d in docs]
    block = KoreanPIIMasker()
    out = list(block.run(iter(docs)))
    assert [d.id for d in out] == [d.id for d in docs]
    assert [d.text for d in out[: len(ko_docs)]] == originals[: len(ko_docs)]  # real Korean text has no PII
    by_id = {d.id: d for d in out}
    assert by_id["pii"].text == "연락처 <|tel|>, <|tel|> / 주민번호 <|rrn|>"
    assert by_id["pii"].metadata["pii_counts"] == {"phone": 2, "rrn": 1}
    assert by_id["pii"].metadata["pii_total"] == 3
    assert by_id["only-pii"].text == "<|tel|>"
    assert by_id["empty"].metadata["pii_counts"] == {} and by_id["empty"].metadata["pii_total"] == 0
    assert all(isinstance(d.metadata["pii_counts"], dict) for d in out)
    assert block.stats.stats["pii_phone"].total == 3
    assert block.stats.stats["pii_rrn"].total == 1
    assert block.stats.stats["pii_docs"].total == 2


def test_disabled_step_changes_nothing():
    doc = Document(text="010-1234-5678", id="x")
    (out,) = KoreanPIIMasker(PIIConfig(enabled=False)).run(iter([doc]))
    assert out.text == "010-1234-5678" and out.metadata["pii_total"] == 0


# --- config switches --------------------------------------------------------------------------------------------
def test_each_type_can_be_switched_off():
    for pii_type, text, _ in PII_CASES:
        assert masked(text, PIIConfig(**{pii_type: False}))[1].get(pii_type) is None, text


def test_custom_placeholders():
    cfg = PIIConfig(phone_placeholder="[전화]", email_placeholder="", rrn_placeholder="<|rrn|> 123")
    text = f"전화 010-1234-5678 메일 a@b.kr 주민 {RRN_KR}"
    assert masked(text, cfg) == ("전화 [전화] 메일  주민 <|rrn|> 123", {"phone": 1, "email": 1, "rrn": 1})


def test_rrn_unverified_modes():
    new_style = rrn("210301", 4, "55555", valid=False)  # issued after Oct 2020: random last digit
    separated = f"{new_style[:6]}-{new_style[6:]}"
    assert masked(f"번호 {separated}") == ("번호 <|rrn|>", {"rrn": 1})  # a separator is enough
    assert masked(f"주민등록번호 {new_style}") == ("주민등록번호 <|rrn|>", {"rrn": 1})  # … or a registration word
    assert masked(f"번호 {new_style} 확인") == ("번호 <|rrn|> 확인", {"rrn": 1})  # `any` (default): bare too
    cue = PIIConfig(rrn_unverified="cue")
    assert masked(f"번호 {new_style} 확인", cue)[1] == {}
    assert masked(f"번호 {separated}", cue)[1] == {"rrn": 1}
    assert masked(f"주민번호 {separated}", PIIConfig(rrn_unverified="never"))[1] == {}
    assert masked(f"주민번호 {RRN_KR}", PIIConfig(rrn_unverified="never"))[1] == {"rrn": 1}
    bad_date = rrn("901301", 1, valid=False)  # month 13 is never an RRN
    assert masked(f"주민번호 {bad_date[:6]}-{bad_date[6:]}")[1] == {}
    future = rrn("991231", 4)  # born 2099: not yet
    assert masked(f"주민번호 {future[:6]}-{future[6:]}")[1] == {}
    with pytest.raises(ConfigError, match="rrn_unverified"):
        PIIConfig(rrn_unverified="sometimes")


def test_representative_numbers_switch():
    text = "고객센터 1588-1234"
    assert masked(text)[1] == {"phone": 1}
    assert masked(text, PIIConfig(phone_representative=False)) == (text, {})


def test_private_ips_masked_only_when_asked():
    text = "내부 서버 192.168.0.10"
    assert masked(text) == (text, {})
    assert masked(text, PIIConfig(ip_public_only=False)) == ("내부 서버 <|ip|>", {"ip": 1})


def test_account_window():
    text = "신한은행 지점 안내 (본점, 강남점, 역삼점 방면) 110-123-456789"
    assert masked(text)[1] == {}  # bank name 29 characters before the number
    assert masked(text, PIIConfig(account_window=40))[1] == {"account": 1}
    assert masked("산업 분야 110-123-456789")[1] == {}  # 산업 without 은행 is a word, not a bank


def test_config_validation():
    with pytest.raises(ConfigError, match="account_window"):
        PIIConfig(account_window=-1)
    with pytest.raises(ConfigError, match="phone_placehoder: unknown key"):
        from_dict(PIIConfig, {"phone_placehoder": "x"})
    assert from_dict(PIIConfig, {"card": False, "account_window": 30}).account_window == 30


# --- the evaluation set -------------------------------------------------------------------------------------------
def test_eval_set_is_seeded_and_covers_every_type():
    a, b = make_pii_eval_set(60, seed=1), make_pii_eval_set(60, seed=1)
    assert a == b and a != make_pii_eval_set(60, seed=2)
    assert {t for ex in a for t, _ in ex["pii"]} == set(DEFAULT_TYPES) == set(PII_TYPES) - {"brn"}
    for ex in a:
        assert all(v in ex["text"] for _, v in ex["pii"]) and all(d in ex["text"] for d in ex["decoys"])


def test_eval_meets_targets():
    result = evaluate_pii(None, make_pii_eval_set(600, seed=random.Random(7).randint(0, 10**6)))
    assert result["decoys"] > 1000 and result["decoys_replaced"] == 0, result["replaced"]
    for pii_type, r in result["types"].items():
        assert r["n"] > 80 and r["recall"] >= 0.98, (pii_type, r, result["missed"])


def test_eval_counts_switched_off_type_as_missed():
    result = evaluate_pii({"email": False}, make_pii_eval_set(60, seed=3))
    assert result["types"]["email"]["recall"] == 0.0 and result["types"]["phone"]["recall"] == 1.0


def test_rows_of_space_separated_numbers_are_not_cards():
    card = groups(VISA, (4, 4, 4, 4), " ")
    assert masked(f"매출 1200 {card} 3300")[1] == {}
    assert masked(f"카드 {card} 입니다")[1] == {"card": 1}
    assert masked(f"등록번호 {RRN_FOREIGN} {card} 카드")[1] == {"rrn": 1, "card": 1}  # long numbers are no table


def test_string_metadata_is_masked_and_counted():
    doc = Document(
        text="연락 010-2222-3333",
        id="m",
        metadata={"title": "문의 010-1234-5678", "authors": [{"mail": "a@b.co.kr"}], "file": "010-1234-5678.txt"},
    )
    (out,) = KoreanPIIMasker().run(iter([doc]))
    assert out.metadata["title"] == "문의 <|tel|>" and out.metadata["authors"] == [{"mail": "<|email|>"}]
    assert out.metadata["file"] == "010-1234-5678.txt"  # bookkeeping (the input path) is left alone
    assert out.text == "연락 <|tel|>" and out.metadata["pii_counts"] == {"phone": 2, "email": 1}
    assert len(out.metadata["_pii_contacts"]) == 1  # hashed, never written: the spam filter's distinct numbers


def test_raw_json_snippets_are_masked_with_escapes_decoded():
    from kocorpus.formatters.pii import redact_raw

    raw = '{"id": "x", "text": "\\uc8fc\\ubbfc\\ubc88\\ud638 9001011234568 \\ud734\\ub300\\ud3f0 010-1234-\\n5678"'
    assert (
        redact_raw(raw, CFG)
        == '{"id": "x", "text": "\\uc8fc\\ubbfc\\ubc88\\ud638 <|rrn|> \\ud734\\ub300\\ud3f0 <|tel|>"'
    )


def test_skipped_scans_could_not_have_matched(monkeypatch):
    """`_find` skips a pattern when the text's longest digit run is shorter than MIN_DIGIT_RUN or a literal cue is
    missing: every candidate match of every pattern (validated or not) has them, and the spans found are the same
    with and without the skip."""
    import re

    from conftest import DATA, load_jsonl

    import kocorpus.formatters.pii as pii
    from kocorpus.text.pii_patterns import LITERAL_CUE, MIN_DIGIT_RUN, RULES

    texts = [e["text"] for seed in (0, 1) for e in make_pii_eval_set(300, seed)]
    texts += [d["text"] for name in ("ko_pii", "presidio_kr") for d in load_jsonl(DATA / "pii_peers" / f"{name}.jsonl")]
    texts += [d["text"] for d in load_jsonl(DATA / "ko_small.jsonl")]
    matched = dict.fromkeys(PII_TYPES, 0)
    for text in texts:
        for pii_type, pattern, _ in RULES:
            for m in pattern.finditer(text):
                matched[pii_type] += 1
                longest = max(map(len, re.findall(r"\d+", m.group())), default=0)
                assert longest >= MIN_DIGIT_RUN.get(pii_type, 0), m.group()
                assert pii_type not in LITERAL_CUE or LITERAL_CUE[pii_type].search(m.group()), m.group()
    assert all(matched.values()), matched  # every pattern was exercised
    cfg = PIIConfig(brn=True)
    with_skip = [pii.find_pii(t, cfg) for t in texts]
    monkeypatch.setattr(pii, "MIN_DIGIT_RUN", {})
    monkeypatch.setattr(pii, "LITERAL_CUE", {})
    assert [pii.find_pii(t, cfg) for t in texts] == with_skip


def test_patterns_starting_with_a_digit_match_as_the_lookbehind_form():
    """RRN, CARD, BRN, ACCOUNT (PASSPORT) test the left boundary after their first digit (letter): a fast scan; every match
    (span and the groups the validators read) is the one of the plain form with `_L` in front."""
    import re

    from conftest import DATA, load_jsonl

    from kocorpus.text import pii_patterns as P

    G, D, L, R = P._G, P._D, P._L, P._R
    reference = {
        "rrn": (P.RRN, re.compile(rf"{L}(?P<birth>\d{{6}})(?P<sep>{G})?(?P<serial>\d{{7}}){R}")),
        "card": (
            P.CARD,
            re.compile(
                rf"{L}(?:\d{{4}}{G}\d{{4}}{G}\d{{4}}{G}\d{{4}}|\d{{4}}{G}\d{{6}}{G}\d{{4,5}}|(?P<raw>\d{{13,19}})){R}"
            ),
        ),
        "brn": (P.BRN, re.compile(rf"{L}\d{{3}}{D}?\d{{2}}{D}?\d{{5}}{R}")),
        "account": (P.ACCOUNT, re.compile(rf"{L}(?:\d{{2,7}}(?:{D}\d{{1,7}}){{1,4}}|\d{{10,16}}){R}")),
        "passport": (
            P.PASSPORT,
            re.compile(
                r"(?<![A-Za-z0-9_])(?:[Pp][PpMmSsOoRrDdTt]|[MmSsRrOoDdGgTt])(?P<serial>\d{8}|\d{3}[A-Za-z]\d{4})"
                r"(?![A-Za-z0-9_])"
            ),
        ),
    }
    texts = [e["text"] for seed in (0, 1, 2) for e in make_pii_eval_set(300, seed)]
    texts += [d["text"] for name in ("ko_pii", "presidio_kr") for d in load_jsonl(DATA / "pii_peers" / f"{name}.jsonl")]
    texts += [d["text"] for d in load_jsonl(DATA / "ko_small.jsonl")]
    rng = random.Random(0)
    parts = ["1", "12", "123", "1234", "123456", "1234567", "-", ".", " ", "\n", "a", "_", "+", "가", "-\n 5", "１２"]
    parts += ["P", "p", "M", "PM", "pS", "G", "x", "A1"]
    texts += ["".join(rng.choice(parts) for _ in range(rng.randint(1, 30))) for _ in range(3000)]

    def key(m: re.Match) -> tuple:
        groups = m.groupdict()  # what the validators read; `raw` only as a marker of the 13–19 digit form
        if "raw" in groups:
            groups["raw"] = groups["raw"] is None
        return m.span(), groups

    found = 0
    for fast, plain in reference.values():
        for text in texts:
            got = list(map(key, fast.finditer(text)))
            assert got == list(map(key, plain.finditer(text))), (fast.pattern, text)
            found += len(got)
    assert found > 1000
