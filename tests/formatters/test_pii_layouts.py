"""Every type × every separator, values wrapped across lines, invisible characters between and inside values,
and a decoy per type left alone (issue 22)."""

import pytest

from kocorpus.formatters import PIIConfig, mask_pii


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


CFG = PIIConfig(brn=True)
SEPARATORS = ["-", " ", ".", "/", "–", " - ", "·"]
RRN_OLD = rrn("900101", 1)  # check digit valid
RRN_NEW = rrn("210301", 4, "55555", valid=False)  # issued since Oct 2020
FRN_NEW = rrn("851224", 5, "00312", valid=False)
CARD = luhn("453201511283036")
BRN = "1048656659"


def _join(groups: list[str], sep: str) -> str:
    return sep.join(groups)


def _values(sep: str) -> list[tuple[str, str, str]]:
    """(type, sentence template, value) of every type written with `sep` between its groups."""
    return (
        [
            ("rrn", "주민번호 {} 입니다.", _join([RRN_OLD[:6], RRN_OLD[6:]], sep)),
            ("rrn", "번호는 {} 이다.", _join([RRN_NEW[:6], RRN_NEW[6:]], sep)),
            ("rrn", "외국인등록번호 {} 확인", _join([FRN_NEW[:6], FRN_NEW[6:]], sep)),
            ("phone", "연락처 {} 로 주세요.", _join(["010", "4731", "9796"], sep)),
            ("phone", "대표 번호 {} 입니다.", _join(["02", "123", "4567"], sep)),
            ("phone", "해외에서는 {} 로 걸어 주세요.", "+82" + sep + _join(["10", "4731", "9796"], sep)),
            ("phone", "해외에서는 {} 로 걸어 주세요.", "0082" + sep + _join(["10", "4731", "9796"], sep)),
            ("phone", "해외에서는 {} 로 걸어 주세요.", "82" + sep + _join(["10", "4731", "9796"], sep)),
            ("card", "카드 {} 결제", _join([CARD[i : i + 4] for i in range(0, 16, 4)], sep)),
        ]
        + (
            [  # dash-like separators only (accounts, licences and BRNs are written with dashes)
                ("account", "계좌 {} 로 입금", _join(["110", "123", "456789"], sep)),
                ("account", "예금주 김민수 {}", _join(["3333", "01", "1234567"], sep)),
                ("driver_license", "면허 번호 {}", _join(["11", "22", "123456", "12"], sep)),
                ("brn", "사업자등록번호 {}", _join([BRN[:3], BRN[3:5], BRN[5:]], sep)),
            ]
            if sep.strip() in ("-", "–")
            else []
        )
    )


CASES = [(sep, t, tpl, v) for sep in SEPARATORS for t, tpl, v in _values(sep)]
CASES += [("", t, tpl, v) for t, tpl, v in [
    ("rrn", "주민번호 {} 입니다.", RRN_OLD), ("rrn", "주민등록번호 {} 입니다.", RRN_NEW),
    ("phone", "연락처 {} 로 주세요.", "01047319796"), ("phone", "해외 {} 로", "+821047319796"),
    ("phone", "해외 {} 로", "00821047319796"), ("card", "카드 {} 결제", CARD), ("account", "계좌 {} 로", "3333011234567"),
    ("passport", "여권 {} 확인", "M12345678"), ("passport", "여권 {} 확인", "M123A4567"),
    ("driver_license", "운전면허 {} 분실", "112212345612"), ("brn", "사업자번호 {}", BRN),
]]  # fmt: skip


@pytest.mark.parametrize(("sep", "pii_type", "template", "value"), CASES)
def test_every_type_with_every_separator(sep: str, pii_type: str, template: str, value: str):
    out, counts = mask_pii(template.format(value), CFG)
    assert value not in out and counts == {pii_type: 1}, (out, counts)


@pytest.mark.parametrize(
    ("text", "pii_type"),
    [
        ("연락처 010-1234-\n5678 입니다", "phone"),
        ("주민번호 951230-\n1850431 입니다", "rrn"),
        ("주민번호 951230 -\n  1850431", "rrn"),
        ("카드 4242-4242-4242-\n4242 결제", "card"),
        ("입금 계좌 3333-01-\n1234567", "account"),
        ("면허 11-22-\n123456-12", "driver_license"),
        ("고객센터 1588-\n1234", "phone"),
    ],
)
def test_values_wrapped_across_a_line(text: str, pii_type: str):
    out, counts = mask_pii(text, CFG)
    assert counts == {pii_type: 1} and not any(ch.isdigit() for ch in out), out


@pytest.mark.parametrize("inv", ["\u200b", "\u00ad", "\u2060", "\ufeff"])
def test_invisible_characters_between_and_inside_values(inv: str):
    a, b = f"{RRN_OLD[:6]}-{RRN_OLD[6:]}", "010-1234-5678"
    out, counts = mask_pii(f"신청인 {a}{inv}{b} 확인", CFG)
    assert counts == {"rrn": 1, "phone": 1} and a not in out and b not in out, out
    out, counts = mask_pii(f"연락처 010-12{inv}34-5678, 카드 {CARD[:7]}{inv}{CARD[7:]}", CFG)
    assert counts == {"phone": 1, "card": 1} and not any(ch.isdigit() for ch in out), out
    out, counts = mask_pii(f"메일 hong{inv}gildong@naver.com", CFG)
    assert counts == {"email": 1} and "naver" not in out, out


@pytest.mark.parametrize(
    "text, raw",
    [
        ("전화 010\u00a01234\u00a05678 로", "01012345678"),  # &nbsp; between the groups (web pages)
        ("전화 010\u30001234\u20025678 로", "01012345678"),  # ideographic / en space
        ("전화 010-12\x0734-5678 로", "01012345678"),  # a control character inside the value
        ("전화 010&#45;1234&#45;5678 로", "01012345678"),  # HTML entities as separators
        ("전화 ０１０-１２３４-５６７８ 로", "01012345678"),  # full-width digits
        ("메일 ｋｉｍ＠ｎａｖｅｒ．ｃｏｍ 로", "kim@naver.com"),  # full-width e-mail
        ("메일 kim\x07@naver.com 로", "kim@naver.com"),
        ("전화 " + "\x00".join("010-1234-5678") + " 로", "01012345678"),  # UTF-16 bytes read as UTF-8 (snippets)
    ],
)
def test_values_the_normalizer_would_reveal_are_masked_before_it(text: str, raw: str):
    """`pii` runs before `normalize`: whatever normalize turns into a value (Unicode spaces → space, control
    characters deleted, entities decoded) and full-width forms are masked already."""
    from kocorpus.normalizers.text_normalizer import NormalizeConfig, normalize_text

    out, counts = mask_pii(text, CFG)
    assert sum(counts.values()) == 1, (out, counts)
    after = normalize_text(out, NormalizeConfig())
    flat = "".join(ch for ch in after if ch.isalnum() or ch in "@.").replace("．", ".")
    assert raw not in flat and raw not in "".join(c for c in flat if c.isascii()), after


DECOYS = [  # per type: what looks like it and is not
    "행사는 2023-10-12 에 열리고 마감은 2023/10/12, 23.10.12 이다.",  # dates (rrn, phone)
    "주문번호 2310123456789 조회, 접수번호는 9001011234560입니다.",  # order numbers (rrn)
    "바코드 8801234567895 상품",  # EAN-13 (rrn, card)
    "자세한 내용은 Section 4.2.1.3 과 표 3.2.1.4, 규정 제1.2.3.4조를 보세요.",  # section numbers (ip)
    "이번 업데이트는 2.10.4.5 버전이고 v1.2.3.4 와 호환된다.",  # versions (ip)
    "도서 ISBN 978-89-123-4567-8, 9788912345678",  # ISBNs (card, account)
    "상품 코드 A12345678, 모델 SM-G991N, 품번 B123C4567",  # product codes (passport)
    "품번 M12345678 재입고",  # a passport-shaped product code with its label
    "예시 foo..bar@example.com, user@example.invalid, admin@localhost, a@test.test",  # invalid e-mails
    "국민은행 대출 잔액 1234567890원",  # an amount next to a bank (account)
    "처방번호 202412010001 과 코드 112212345612",  # 12 digits without a licence word (driver_license)
    "임진왜란 시기(1592-1598)와 1800-1850년 사이",  # year ranges (phone)
    "카드번호처럼 보이는 1234-5678-9012-3456 은 Luhn 검사에 실패한다.",  # card shape, Luhn fails
    "사업자 123-45-67890 (검증 숫자 불일치)",  # BRN shape, check digit fails
]


@pytest.mark.parametrize("text", DECOYS)
def test_decoy_per_type_is_left_alone(text: str):
    assert mask_pii(text, CFG) == (text, {})
