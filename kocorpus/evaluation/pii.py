"""Synthetic evaluation set for the Korean PII masker: Korean sentences with PII of every type and decoys.

`make_pii_eval_set(n, seed)` builds `n` examples `{"text", "pii": [(type, value), ...], "decoys": [value, ...]}`;
`evaluate_pii(config, examples)` measures per-type recall and precision and the decoys replaced.
Values are random and valid (RRN and card check digits computed here, independently of the masker), written
with every separator the masker claims (space, dot, dash, slash, none, `+82`/`0082`/`82` prefixes), some
wrapped across a line break after a separator, some with an invisible character (U+200B, U+00AD, U+2060,
U+FEFF) inside, and some pairs of values joined only by an invisible character. RRNs include numbers issued
since Oct 2020 (check digit failing, written with a separator or a registration word). A decoy is never itself
a valid PII value (a 13-digit order number is re-drawn if it passes the RRN check).

The peers' test cases (tests/data/pii_peers/) are scored by `kocorpus.evaluation.pii_peers`.
"""

import random
from typing import Any

from kocorpus.formatters.pii import PII_TYPES, PIIConfig, find_pii

DEFAULT_TYPES = tuple(t for t in PII_TYPES if t != "brn")
"""Types of the generated set by default (`brn` is off by default in the masker)."""
INVISIBLE = ("\u200b", "\u00ad", "\u2060", "\ufeff")

# --- PII values --------------------------------------------------------------------------------------------


def _digits(rng: random.Random, k: int, first_nonzero: bool = False) -> str:
    s = "".join(rng.choice("0123456789") for _ in range(k))
    return (rng.choice("123456789") + s[1:]) if first_nonzero and k else s


def _rrn_check(first12: str) -> int:
    """Check digit: Koreans (11 − Σ mod 11) mod 10, foreigners (gender digit 5–8) (13 − Σ mod 11) mod 10."""
    s = sum(int(d) * w for d, w in zip(first12, (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5), strict=True)) % 11
    return (11 - s if int(first12[6]) <= 4 else 13 - s) % 10


def _rrn_ok(digits: str) -> bool:
    import datetime

    g = int(digits[6])
    if not 1 <= g <= 8:
        return False
    try:
        datetime.date((1900 if g in (1, 2, 5, 6) else 2000) + int(digits[:2]), int(digits[2:4]), int(digits[4:6]))
    except ValueError:
        return False
    return _rrn_check(digits[:12]) == int(digits[12])


def _luhn_digit(partial: str) -> str:
    """The digit that makes `partial + digit` Luhn-valid."""
    total = 0
    for i, ch in enumerate(reversed(partial)):
        d = int(ch) * (1 if i % 2 else 2)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


def _luhn_ok(digits: str) -> bool:
    return _luhn_digit(digits[:-1]) == digits[-1]


def _birth(rng: random.Random, century: int) -> str:
    import datetime

    lo = datetime.date(1940 if century == 1900 else 2000, 1, 1).toordinal()
    hi = datetime.date(1999 if century == 1900 else 2023, 12, 31).toordinal()
    return datetime.date.fromordinal(rng.randint(lo, hi)).strftime("%y%m%d")


def gen_rrn(rng: random.Random) -> str:
    """Pre-2020 numbers (valid check digit) in any layout; since-2020 numbers (check digit failing) always
    with a separator, which is what the masker claims for them without a registration word."""
    g = rng.choice("1234" * 3 + "5678")
    first12 = _birth(rng, 1900 if g in "1256" else 2000) + g + _digits(rng, 5)
    check = _rrn_check(first12)
    if rng.random() < 0.3:  # issued since Oct 2020: random last digit
        d = first12 + str((check + rng.randint(1, 9)) % 10)
        return rng.choice(["{}-{}", "{}.{}", "{} {}", "{} - {}", "{}–{}", "{}/{}"]).format(d[:6], d[6:])
    d = first12 + str(check)
    return rng.choice(["{}-{}", "{}-{}", "{}{}", "{} - {}", "{} -{}", "{}.{}", "{} {}", "{}·{}"]).format(d[:6], d[6:])


_MOBILE = ["010"] * 8 + ["011", "016", "017", "018", "019"]
_AREAS = ["02", "031", "032", "033", "041", "042", "043", "044", "051", "052", "053", "054", "055"]
_AREAS += ["061", "062", "063", "064", "070"]
_REPRESENTATIVE = ["1588", "1577", "1566", "1544", "1599", "1600", "1644", "1661", "1670", "1688", "1800", "1833"]


def gen_phone(rng: random.Random) -> str:
    kind = rng.choice(["mobile"] * 4 + ["intl", "intl", "landline", "landline", "representative"])
    if kind == "mobile":
        pre = rng.choice(_MOBILE)
        mid = _digits(rng, 4 if pre == "010" or rng.random() < 0.5 else 3, first_nonzero=True)
        sep = rng.choice(["-", "-", ".", " ", "", "/", "–"])
        return f"{pre}{sep}{mid}{sep}{_digits(rng, 4)}"
    if kind == "intl":
        mid, last = _digits(rng, 4, True), _digits(rng, 4)
        prefix = rng.choice(["+82", "+82", "0082", "82", "+82 "])
        sep = rng.choice(["-", " ", ".", "/"] + ([""] if prefix != "82" else []))  # bare 82 needs a separator
        area = rng.choice(["10", "10", "2", "31", "51"])
        if rng.random() < 0.15:
            return f"{prefix.strip()} (0){area} {mid} {last}"
        first = sep if prefix != "+82 " else ""
        return f"{prefix}{first}{area}{sep}{mid if area == '10' else mid[:3]}{sep}{last}"
    if kind == "landline":
        area = rng.choice(_AREAS)
        mid = _digits(rng, rng.choice([3, 4]), first_nonzero=True)
        fmt = rng.choice(["({}) {}-{}", "{}-{}-{}", "{}-{}-{}", "{}.{}.{}", "{} {} {}"])
        return fmt.format(area, mid, _digits(rng, 4))
    return f"{rng.choice(_REPRESENTATIVE)}-{_digits(rng, 4)}"


_LOCAL = ["hong", "kim.minsu", "jiyoung_lee", "park", "sh.choi", "dev-team", "news+kr", "yuna", "jw.kang", "admin"]
_DOMAINS = ["naver.com", "daum.net", "hanmail.net", "gmail.com", "kakao.com", "korea.ac.kr", "snu.ac.kr"]
_DOMAINS += ["samsung.com", "company.co.kr", "seoul.go.kr", "nate.com"]


def gen_email(rng: random.Random) -> str:
    local = rng.choice(_LOCAL) + (str(rng.randint(1, 9999)) if rng.random() < 0.6 else "")
    return f"{local}@{rng.choice(_DOMAINS)}"


def gen_ip(rng: random.Random) -> str:
    import ipaddress

    while True:
        ip = ipaddress.IPv4Address(rng.getrandbits(32))
        if ip.is_global and not ip.is_multicast:
            return str(ip)


# Bank → account number group lengths (hyphenated layouts as the banks print them).
_BANKS = {
    "KB국민은행": (6, 2, 6),
    "국민은행": (6, 2, 6),
    "신한은행": (3, 3, 6),
    "신한": (3, 3, 6),
    "우리은행": (4, 3, 6),
    "하나은행": (3, 6, 5),
    "NH농협": (3, 4, 4, 2),
    "농협": (3, 2, 6),
    "IBK기업은행": (3, 6, 2, 3),
    "SC제일은행": (3, 2, 6),
    "씨티은행": (3, 6, 3),
    "카카오뱅크": (4, 2, 7),
    "케이뱅크": (3, 3, 6),
    "토스뱅크": (4, 4, 4),
    "수협은행": (3, 2, 6),
    "새마을금고": (4, 4, 4, 1),
    "우체국": (6, 2, 6),
    "부산은행": (3, 4, 4, 2),
    "대구은행": (3, 2, 6, 1),
    "경남은행": (3, 2, 7),
    "광주은행": (3, 3, 6),
    "전북은행": (3, 2, 7),
    "제주은행": (2, 2, 6),
    "산업은행": (3, 4, 4, 3),
}


_SHORT_BANKS = {"우리": (4, 3, 6), "국민": (6, 2, 6), "신한": (3, 3, 6), "농협": (3, 4, 4, 2), "하나": (3, 6, 5)}


def gen_account(rng: random.Random) -> tuple[str, str]:
    """(bank name, account number); the name is one of the short ones (우리, 국민 …) a fifth of the time."""
    if rng.random() < 0.2:
        bank = rng.choice(list(_SHORT_BANKS))
        groups = [_digits(rng, k, first_nonzero=(i == 0)) for i, k in enumerate(_SHORT_BANKS[bank])]
        return bank, "-".join(groups)
    bank = rng.choice(list(_BANKS))
    groups = [_digits(rng, k, first_nonzero=(i == 0)) for i, k in enumerate(_BANKS[bank])]
    return bank, ("-".join(groups) if rng.random() < 0.75 else "".join(groups))


def gen_card(rng: random.Random) -> str:
    if rng.random() < 0.15:  # Amex 15 digits, 4-6-5
        partial = rng.choice(["34", "37"]) + _digits(rng, 12)
        d = partial + _luhn_digit(partial)
        sep = rng.choice(["-", " ", "", ".", "/"])
        return sep.join([d[:4], d[4:10], d[10:]])
    prefix = rng.choice(["4", "4", "51", "53", "55", "9410", "9430", "62", "35"])
    partial = prefix + _digits(rng, 15 - len(prefix))
    d = partial + _luhn_digit(partial)
    sep = rng.choice(["-", "-", " ", "", ".", "/"])
    return sep.join(d[i : i + 4] for i in range(0, 16, 4))


def gen_passport(rng: random.Random) -> str:
    """Old form letter + 8 digits, or the 2021 form letter + 3 digits + letter + 4 digits."""
    letter = rng.choice("MMMMSRODG")
    if rng.random() < 0.5:
        return letter + _digits(rng, 8, first_nonzero=True)
    return f"{letter}{_digits(rng, 3, True)}{rng.choice('ABCDEFGHJKLMNPRSTUVWXYZ')}{_digits(rng, 4)}"


def gen_driver_license(rng: random.Random) -> str:
    """Region 11–26/28 + year + 6-digit serial + 2 digits, dash- or space-grouped."""
    region = rng.choice([*range(11, 27), 28])
    sep = rng.choice(["-", "-", " "])
    return sep.join([str(region), f"{rng.randint(0, 99):02d}", _digits(rng, 6), _digits(rng, 2)])


def gen_brn(rng: random.Random) -> str:
    """3-2-5 digits with the check digit (weights 1,3,7,1,3,7,1,3,5)."""
    d = _digits(rng, 9, first_nonzero=True)
    s = sum(int(x) * w for x, w in zip(d, (1, 3, 7, 1, 3, 7, 1, 3, 5), strict=True)) + int(d[8]) * 5 // 10
    d += str((10 - s % 10) % 10)
    return rng.choice(["{}-{}-{}", "{}-{}-{}", "{}{}{}"]).format(d[:3], d[3:5], d[5:])


_PII_TEMPLATES: dict[str, list[str]] = {
    "rrn": [
        "주민등록번호 {v}을(를) 입력해 주세요.",
        "신청서에 적힌 주민번호는 {v}였다.",
        "본인 확인을 위해 {v} 번호로 조회했습니다.",
        "외국인등록번호: {v}",
        "회원님의 주민등록번호({v})가 유출된 것으로 확인됐습니다.",
    ],
    "phone": [
        "문의는 {v}로 연락 주세요.",
        "담당자 휴대폰: {v}",
        "예약 전화 {v} (평일 9시~18시)",
        "{v}번으로 문자 주시면 답장 드릴게요.",
        "고객센터({v})로 문의하세요.",
        "핸드폰 번호가 {v}인데 맞나요?",
        "가게 전화번호는 {v}이에요.",
    ],
    "email": [
        "자세한 내용은 {v}으로 메일 주세요.",
        "이메일: {v}",
        "문의 메일({v})로 보내주시면 됩니다.",
        "제 메일 주소는 {v}입니다.",
        "메일은{v}로 보내 주세요.",
    ],
    "ip": [
        "접속 로그에 {v}에서 로그인 시도가 기록됐다.",
        "서버 IP {v}:8080으로 접속하세요.",
        "공격자 IP 주소는 {v}로 확인됐다.",
        "아이피 {v} 차단 완료했습니다.",
    ],
    "account": [
        "입금 계좌: {bank} {v} (예금주 김민수)",
        "{bank} {v}로 보내주세요.",
        "환불은 {v} ({bank})로 처리됩니다.",
        "{bank} 계좌번호 {v} 입니다.",
        "계좌는 {v}, {bank}이에요.",
        "계좌 {v} 로 입금 부탁드립니다.",
        "입금 계좌: {v}",
        "예금주 김민수 {v} 로 송금해 주세요.",
        "가상계좌 {v} 에 이체 완료",
        "{bank} {v}",
    ],
    "passport": [
        "여권번호 {v} 확인 부탁드립니다.",
        "여권 번호는 {v}입니다.",
        "Passport No. {v}",
        "출국 심사 때 여권({v})을 보여줬다.",
    ],
    "driver_license": [
        "운전면허번호 {v} 로 조회했습니다.",
        "면허증 번호: {v}",
        "운전면허 {v} 분실 신고",
        "신분증으로 면허({v})를 제시했다.",
    ],
    "brn": [
        "사업자등록번호 {v}",
        "사업자번호: {v} (대표 김민수)",
    ],
    "card": [
        "카드번호 {v}로 결제했습니다.",
        "결제 카드: {v} (유효기간 12/27)",
        "제 카드 {v} 분실 신고 부탁드려요.",
        "{v} 번호 카드가 정지됐대요.",
    ],
}

# --- decoys ------------------------------------------------------------------------------------------------


def _isbn13(rng: random.Random) -> str:
    body = rng.choice(["97889", "97911"]) + _digits(rng, 7)
    check = (10 - sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body)) % 10) % 10
    d = body + str(check)
    return f"{d[:3]}-{d[3:5]}-{d[5:8]}-{d[8:12]}-{d[12]}" if rng.random() < 0.6 else d


def _order_number(rng: random.Random) -> str:
    while True:
        d = (_birth(rng, 2000) if rng.random() < 0.5 else _digits(rng, 6, True)) + _digits(rng, 7)
        if not _rrn_ok(d):  # an order number that is a valid RRN is not a decoy
            return d


def _digit_run(rng: random.Random) -> str:
    while True:
        d = _digits(rng, rng.randint(1, 4), True) + "010" + _digits(rng, 8) + _digits(rng, rng.randint(1, 4))
        card = len(d) in (15, 16) and d[0] in "345692" and _luhn_ok(d)
        if not card and not (len(d) == 13 and _rrn_ok(d)):  # a valid card number or RRN is not a decoy
            return d


def _date(rng: random.Random) -> str:
    y, m, d = rng.randint(1990, 2025), rng.randint(1, 12), rng.randint(1, 28)
    return rng.choice([f"{y}-{m:02d}-{d:02d}", f"{y}.{m:02d}.{d:02d}", f"{y % 100:02d}.{m:02d}.{d:02d}"])


def _year_range(rng: random.Random) -> str:
    a = rng.choice([rng.randint(1500, 1899), rng.randint(1900, 2020)])
    return f"{a}-{a + rng.randint(1, 150)}"


def _price(rng: random.Random) -> str:
    return rng.choice(
        [
            f"{rng.randint(1, 999)},{rng.randint(0, 9) * 100:03d}원",
            f"{rng.randint(1, 9)},{rng.randint(0, 999):03d},{rng.randint(0, 999):03d}원",
        ]
    )


def _ip_like_version(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.3:
        return f"v{rng.randint(1, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 20)}.{rng.randint(0, 99)}"
    if r < 0.5:
        return f"192.168.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    if r < 0.7:
        return f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    if r < 0.85:
        return f"172.{rng.randint(16, 31)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    return f"127.0.0.{rng.randint(1, 254)}"


_DECOYS: dict[str, tuple[Any, list[str]]] = {
    "date": (_date, ["행사는 {v}에 열린다.", "작성일 {v}", "{v} 기준으로 집계했습니다."]),
    "price": (
        _price,
        ["가격은 {v}입니다.", "배송비 포함 {v}에 샀어요.", "총 결제 금액: {v}"],
    ),
    "isbn": (_isbn13, ["ISBN {v}", "이 책의 ISBN은 {v}이다.", "도서 ISBN: {v}"]),
    "order": (_order_number, ["주문번호 {v} 조회 결과 배송 중입니다.", "접수번호는 {v}입니다."]),
    "version": (
        lambda r: r.choice(
            [f"v{r.randint(0, 9)}.{r.randint(0, 20)}.{r.randint(0, 20)}", f"3.{r.randint(8, 13)}.{r.randint(0, 12)}"]
        ),
        ["파이썬 {v} 버전에서 테스트했습니다.", "앱을 {v}로 업데이트했어요.", "릴리스 {v} 변경 사항"],
    ),
    "score": (
        lambda r: r.choice([f"{r.randint(0, 9)}:{r.randint(0, 9)}", f"{r.randint(50, 99)}.{r.randint(0, 9)}점"]),
        ["경기는 {v}로 끝났다.", "평균 점수는 {v}였다."],
    ),
    "time": (
        lambda r: f"{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d}",
        ["기록은 {v}이다.", "{v}에 서버가 재시작됐다."],
    ),
    "postal": (
        lambda r: r.choice(
            [f"{r.randint(1, 63):02d}{r.randint(0, 999):03d}", f"{r.randint(100, 799)}-{r.randint(100, 999)}"]
        ),
        ["우편번호 {v}", "우편번호는 ({v})입니다."],
    ),
    "product": (
        lambda r: r.choice([f"SM-G{r.randint(900, 999)}N", f"A{r.randint(1000, 9999)}-{r.randint(1000, 9999)}"]),
        ["모델명 {v} 제품입니다.", "품번 {v} 재고 있나요?"],
    ),
    "digit_run": (_digit_run, ["일련번호 {v}", "송장번호 {v}로 조회하세요."]),
    "year_range": (_year_range, ["이 시기({v})에 인구가 늘었다.", "{v}년 사이의 기록이다.", "재위 기간은 {v}이다."]),
    "big_number": (
        lambda r: f"{r.randint(1, 999)},{r.randint(0, 999):03d},{r.randint(0, 999):03d},{r.randint(0, 999):03d}",
        ["예산은 {v}원 규모다.", "누적 조회수 {v}회를 넘겼다."],
    ),
    "ip_like_version": (_ip_like_version, ["공유기 관리 페이지는 {v}입니다.", "펌웨어 {v} 설치", "내부망 주소 {v}"]),
    "section": (
        lambda r: ".".join(str(r.randint(1, 12)) for _ in range(4)),
        [
            "자세한 내용은 Section {v} 참고.",
            "표 {v} 항목을 보세요.",
            "규정 제{v}조에 따른다.",
            "Chapter {v} covers it.",
        ],
    ),
    "invalid_email": (
        lambda r: r.choice(
            [
                f"{r.choice(_LOCAL)}..{r.randint(1, 99)}@example.com",
                f"{r.choice(_LOCAL)}@example.invalid",
                f"{r.choice(_LOCAL)}@test.test",
                f"{r.choice(_LOCAL)}@localhost",
                f"{r.choice(_LOCAL)}@mail",
            ]
        ),
        ["예시 주소 {v} 는 실제로 쓸 수 없다.", "형식 오류: {v}", "테스트 계정 {v}"],
    ),
    "product_code": (
        lambda r: r.choice(
            [
                f"A{_digits(r, 8, True)}",
                f"B{_digits(r, 3)}C{_digits(r, 4)}",
                f"KR{_digits(r, 10, True)}",
                f"{_digits(r, 12, True)}",
            ]  # fmt: skip
        ),
        ["상품 코드 {v} 재입고", "품번 {v} 문의", "제품번호: {v}"],
    ),
    "dotted_date": (
        lambda r: f"{r.randint(1990, 2025)}/{r.randint(1, 12):02d}/{r.randint(1, 28):02d}",
        ["마감일 {v}", "{v} 기준 자료"],
    ),
}


_FILLER = [
    "오늘은 날씨가 맑고 바람이 선선했다.",
    "자세한 사항은 공지사항을 참고해 주시기 바랍니다.",
    "항상 저희 서비스를 이용해 주셔서 감사합니다.",
    "회의는 예정대로 진행될 예정이다.",
]


def _pii_sentence(rng: random.Random, pii_type: str) -> tuple[str, str]:
    template = rng.choice(_PII_TEMPLATES[pii_type])
    if pii_type == "account":
        bank, value = gen_account(rng)
        return template.format(v=value, bank=bank), value
    gen = {"rrn": gen_rrn, "phone": gen_phone, "email": gen_email, "ip": gen_ip, "card": gen_card,
           "passport": gen_passport, "driver_license": gen_driver_license, "brn": gen_brn}[pii_type]  # fmt: skip
    value = _layout(rng, gen(rng), wrap=pii_type not in ("email", "ip"))
    return template.format(v=value), value


def _layout(rng: random.Random, value: str, wrap: bool = True) -> str:
    """Sometimes wrap the value across a line after a separator (numbers only: e-mails and IPs are not claimed
    wrapped), or put an invisible character inside it."""
    r = rng.random()
    seps = [i for i, ch in enumerate(value) if ch in "-./–" and 0 < i < len(value) - 1 and wrap]
    if r < 0.06 and seps:
        i = rng.choice(seps)
        return value[: i + 1] + "\n" + value[i + 1 :]
    digits = [i for i, ch in enumerate(value) if ch.isdigit() and 0 < i < len(value) - 1]
    if r > 0.95 and digits:
        i = rng.choice(digits)
        return value[:i] + rng.choice(INVISIBLE) + value[i:]
    return value


def make_pii_eval_set(n: int, seed: int, types: tuple[str, ...] = DEFAULT_TYPES) -> list[dict]:
    """`n` examples of 2–6 Korean sentences: PII of every type of `types` in turn (plus an extra random one half
    the time), every decoy kind in turn plus 0–2 random ones, and sometimes a filler sentence; one example in 20
    also holds two phone numbers / RRNs joined only by an invisible character. Same seed, same set."""
    rng = random.Random(seed)
    kinds = list(_DECOYS)
    examples = []
    for i in range(n):
        pii_types = [types[i % len(types)]] + ([rng.choice(types)] if rng.random() < 0.5 else [])
        types_here = pii_types
        decoy_kinds = [kinds[i % len(kinds)]] + rng.sample(kinds, rng.randint(0, 2))
        sentences, pii, decoys = [], [], []
        for t in types_here:
            sentence, value = _pii_sentence(rng, t)
            sentences.append(sentence)
            pii.append((t, value))
        if i % 20 == 19 and "phone" in types and "rrn" in types:  # two values fused by an invisible character
            a, b = gen_rrn(rng), gen_phone(rng)
            sentences.append(f"신청인 정보 {a}{rng.choice(INVISIBLE)}{b} 확인")
            pii += [("rrn", a), ("phone", b)]
        for k in decoy_kinds:
            make, templates = _DECOYS[k]
            value = make(rng)
            sentences.append(rng.choice(templates).format(v=value))
            decoys.append(value)
        if rng.random() < 0.3:
            sentences.append(rng.choice(_FILLER))
        rng.shuffle(sentences)
        examples.append({"text": rng.choice([" ", "\n"]).join(sentences), "pii": pii, "decoys": decoys})
    return examples


# --- evaluation --------------------------------------------------------------------------------------------


def _occurrences(text: str, value: str) -> list[tuple[int, int]]:
    out, i = [], text.find(value)
    while i >= 0:
        out.append((i, i + len(value)))
        i = text.find(value, i + 1)
    return out


def evaluate_pii(masker_config: PIIConfig | dict | None, examples: list[dict]) -> dict:
    """Per type: `n` true values, `recall` (share no longer present in the masked text), `precision` (share of
    placeholders of that type that cover a true value of that type; 1.0 when none were produced), `tp`, `fp`.
    Also `decoys`, `decoys_replaced` (decoys overlapped by any placeholder, counting only occurrences that do not
    overlap a true value: "7:8" inside "…87:8080" is not a decoy) and up to 20 `missed` /
    `replaced` examples for inspection."""
    from kocorpus.config import from_dict
    from kocorpus.formatters.pii import mask_pii

    cfg = masker_config if isinstance(masker_config, PIIConfig) else from_dict(PIIConfig, masker_config or {})
    stats = {t: {"n": 0, "found": 0, "tp": 0, "fp": 0} for t in PII_TYPES}
    present = {t for ex in examples for t, _ in ex["pii"]}
    n_decoys = replaced = 0
    missed: list[tuple[str, str, str]] = []
    replaced_examples: list[tuple[str, str]] = []
    for ex in examples:
        text = ex["text"]
        spans = find_pii(text, cfg)
        masked, _ = mask_pii(text, cfg)
        truth = [(t, s, e) for t, v in ex["pii"] for s, e in _occurrences(text, v)]
        for t, v in ex["pii"]:
            stats[t]["n"] += 1
            if v not in masked:
                stats[t]["found"] += 1
            elif len(missed) < 20:
                missed.append((t, v, text))
        for sp in spans:
            hit = any(t == sp.type and s < sp.end and sp.start < e for t, s, e in truth)
            stats[sp.type]["tp" if hit else "fp"] += 1
        for d in ex["decoys"]:
            n_decoys += 1
            free = [(s, e) for s, e in _occurrences(text, d) if not any(s < te and ts < e for _, ts, te in truth)]
            if any(s < sp.end and sp.start < e for s, e in free for sp in spans):
                replaced += 1
                if len(replaced_examples) < 20:
                    replaced_examples.append((d, text))
    types = {
        t: {
            "n": st["n"],
            "recall": st["found"] / st["n"] if st["n"] else 1.0,
            "precision": st["tp"] / (st["tp"] + st["fp"]) if st["tp"] + st["fp"] else 1.0,
            "tp": st["tp"],
            "fp": st["fp"],
        }
        for t, st in stats.items()
        if t in present or st["fp"]
    }
    return {
        "examples": len(examples),
        "types": types,
        "decoys": n_decoys,
        "decoys_replaced": replaced,
        "missed": missed,
        "replaced": replaced_examples,
    }
