"""Patterns and value checks of the Korean PII detector (`kocorpus.formatters.pii` runs them).

Each rule is (type, compiled pattern, validator). A validator gets the match, the whole text and the
`PIIConfig`, and says whether the match is that PII type. Patterns only find candidates of the right shape
and boundaries; every value test (dates, check digits, context words, labels of other identifiers) lives in
the validator, documented there.

Separators: a value's groups may be split by one space, or by any of - ‐ ‑ ‒ – — − － . · / ⁄ ／ with up
to one space on each side, optionally followed by a line break (a value wrapped across lines:
`010-1234-\\n5678`). Boundaries: no match starts or ends inside a run of digits or Latin letters, or next to
`-digit` / `.digit` (parts of longer codes, dates, versions); Hangul next to a value is fine (`번호는010-…`).
`\\d` is Unicode-aware, so full-width and other scripts' decimal digits count as digits.
"""

import datetime
import re
from typing import Any

_SEP_CHARS = "\\-\u2010\u2011\u2012\u2013\u2014\u2212\uff0d.\u00b7/\u2044\uff0f"
_DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2212\uff0d"
_G = rf"(?:[ \t]?[{_SEP_CHARS}][ \t]?(?:\n[ \t]*)?| )"  # one group separator (see the module docstring)
_D = rf"(?:[ \t]?[{_DASHES}][ \t]?(?:\n[ \t]*)?)"  # a dash separator (accounts: dots and spaces are not)
_DL = rf"(?:{_D}| )"  # driver licences: dashes or one space
_L = r"(?<![\dA-Za-z_+])(?<!\d[-.])"
_R = r"(?![\dA-Za-z_])(?![-.]\d)"
# _L tested right after a match's first digit (each lookbehind one character longer, ending in that digit): the
# same matches, but a pattern that starts with `\d` lets the regex engine skip to the next digit in C instead of
# testing the lookbehinds at every character (RRN, CARD, BRN, ACCOUNT, PASSPORT: scans ≈ 5× faster; tests/
# formatters/test_pii.py compares every match with the _L form)
_LD = r"(?<![\dA-Za-z_+]\d)(?<!\d[-.]\d)"
_MOBILE = r"1[016789]"
_AREA = r"(?:2|3[1-3]|4[1-4]|5[1-5]|6[1-4]|70|50[2-8])"  # Seoul, provinces, 070 VoIP, 050x safe numbers

EMAIL = re.compile(  # datatrove's PIIFormatter regex; its leading \b is a lookbehind so "메일은hong@…" matches
    r"(?<![A-Za-z0-9!#$%&'*+/=?^_`{|}~.-])[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@"
    r"(?:(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?|\[(?:(?:25[0-5]"
    r"|2[0-4][0-9]|[01]?[0-9][0-9]?)\.){3}(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?|[A-Za-z0-9-]*[A-Za-z0-9]:)])"
    r"(?![A-Za-z0-9-]|\.[A-Za-z0-9])"
)
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"  # no leading zeros (datatrove's allows them)
IP = re.compile(rf"(?<![0-9A-Za-z_.]){_OCTET}(?:\.{_OCTET}){{3}}(?![0-9A-Za-z_])(?!\.[0-9])", re.ASCII)
RRN = re.compile(rf"(?P<birth>\d{_LD}\d{{5}})(?P<sep>{_G})?(?P<serial>\d{{7}}){_R}")
PHONE = re.compile(
    _L
    + r"(?:"
    + rf"(?:(?:\+[ \t]?82|0082){_G}?|82{_G})(?:\(0\)[ \t]?)?0?(?:{_MOBILE}|{_AREA}){_G}?\d{{3,4}}{_G}?\d{{4}}"  # +82 10-…
    + rf"|\(0(?:{_MOBILE}|{_AREA})\)[ \t]?\d{{3,4}}{_G}\d{{4}}"  # (02) 123-4567
    + rf"|0(?:{_MOBILE}|{_AREA}){_G}\d{{3,4}}{_G}\d{{4}}"  # 010-1234-5678, 031.123.4567, 010 1234 5678
    + rf"|0{_MOBILE}\d{{7,8}}"  # 01012345678
    + rf"|(?P<rep>1[568]\d\d){_D}(?P<rep2>\d{{4}})"  # 1588-1234
    + r")"
    + _R
)
CARD = re.compile(
    rf"\d{_LD}"
    + rf"(?:\d{{3}}{_G}\d{{4}}{_G}\d{{4}}{_G}\d{{4}}"  # 4-4-4-4
    + rf"|\d{{3}}{_G}\d{{6}}{_G}\d{{4,5}}"  # Amex 4-6-5, Diners 4-6-4
    + r"|(?P<raw>)\d{12,18})"  # 13–19 digits in a row (`raw`, empty, marks this form)
    + _R
)
PASSPORT = re.compile(  # (?<![A-Za-z0-9_])(?:[Pp][PpMmSsOoRrDdTt]|[MmSsRrOoDdGgTt]), the boundary after the first
    # letter (as _LD): PM12345678, M12345678, M123A4567
    r"[PpMmSsRrOoDdGgTt](?<![A-Za-z0-9_].)(?:(?<=[Pp])[PpMmSsOoRrDdTt]|(?<=[MmSsRrOoDdGgTt]))"
    r"(?P<serial>\d{8}|\d{3}[A-Za-z]\d{4})(?![A-Za-z0-9_])"
)
_REGION_NAMES = "서울|부산|경기|강원|충북|충남|전북|전남|경북|경남|제주|대구|인천|광주|대전|울산"
DRIVER_LICENSE = re.compile(
    _L
    + r"(?:"
    + rf"(?P<region>\d\d){_DL}\d\d{_DL}\d{{6}}{_DL}\d\d"  # 11-22-123456-12, 28 22 123456 12
    + rf"|(?:{_REGION_NAMES}) ?\d\d[{_DASHES}]\d{{6}}[{_DASHES}]\d\d"  # old form: 서울 12-123456-78
    + r"|(?P<compact>\d{12})"  # 112212345612: only with a licence word nearby
    + r")"
    + _R
)
BRN = re.compile(rf"\d{_LD}\d{{2}}{_D}?\d{{2}}{_D}?\d{{5}}{_R}")
ACCOUNT = re.compile(rf"\d{_LD}(?:\d{{1,6}}(?:{_D}\d{{1,7}}){{1,4}}|\d{{9,15}}){_R}")

_BANK = re.compile(  # names that are also ordinary words (국민, 우리, 하나, 부산 …) count only with 은행
    r"(?:KB|NH|IBK|SC|한국)?\s?(?:국민|농협|기업|제일|우리|하나|신한|수협|씨티|부산|대구|경남|광주|전북|제주|산업)\s?은행"
    r"|KB\s?국민|NH\s?농협|IBK\s?기업|SC\s?제일|신한|농협|수협|씨티|우체국|새마을\s?금고|신협|(?:카카오|케이|K|토스|iM)\s?뱅크"
    r"|카뱅|은행|bank"
    r"|계좌|입금|송금|이체|예금주|통장|환불|가상\s?계좌|account|acct",  # account words name an account without a bank
    re.IGNORECASE,
)
# Short bank names that are also ordinary words count only right before the number: "우리 1002-…", "국민: …".
_SHORT_BANK_BEFORE = re.compile(
    r"(?:우리|국민|신한|농협|하나|기업|수협|씨티|SC|KB|NH|IBK|카카오|토스|케이|우체국|새마을|신협|부산|대구|경남|광주|전북|제주|산업"
    r"|iM|SH|BNK|DGB)\s*[:：(]?\s*$"
)
_SHORT_BANK_AFTER = re.compile(  # … or in parentheses right after it: "1002-123-456789 (우리)"
    r"\s*[(（]\s*(?:우리|국민|신한|농협|하나|기업|수협|씨티|SC|KB|NH|IBK|카카오|토스|케이|우체국|새마을|신협|부산|대구|경남|광주"
    r"|전북|제주|산업)\s*[)）]"
)
_RRN_CUE = re.compile(
    r"주민|외국인|(?<!사업자)(?<!사업자 )(?<!법인)(?<!차량)등록\s?번호|생년월일|RRN|FRN|resident|registration|alien",
    re.IGNORECASE,
)
_LICENSE_CUE = re.compile(r"운전\s?면허|면허\s?번호|면허증|면허|driver|licen[cs]e|\bDL\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?。](?:\s|$)|\n")
_CARD_CUE = re.compile(r"카드|신용|체크|결제|card|visa|비자|master|마스터|amex|아멕스|jcb|discover", re.IGNORECASE)
_PHONE_CUE = re.compile(r"전화|연락|문의|고객센터|콜센터|상담|대표번호|휴대폰|핸드폰|팩스|☎|tel|fax|call|phone", re.I)
_PHONE_CUE_AFTER = re.compile(r"\s*(?:번으로|번호|(?:으로|로)\s*(?:연락|전화|문의|문자))")
_PERIOD_CUE = re.compile(r"(?:시기|기간|재위|생몰|연도|년도|시대|세기|period|years?)\W{0,3}$", re.IGNORECASE)
_VERSION_CUE = re.compile(r"(?:버전|(?<![A-Za-z])(?:version|ver\.?|v\.?))\s*$", re.IGNORECASE)
_SECTION_CUE = re.compile(  # `Section 4.2.1.3`, `표 3.2.1.4`: numbered sections, not addresses
    r"(?:(?<![A-Za-z])(?:section|sec\.|chapter|ch\.|fig\.?|figure|table|clause|article|part|item|step|rule)"
    r"|§|표|그림|절|항|조|장|단원|부록|단계|목차|규정|별표)\s*$",
    re.IGNORECASE,
)
_VERSION_AFTER = re.compile(r"\s*(?:버전|판|릴리스|version|release|절|항|조|장)", re.IGNORECASE)
# A label right before a number that names another kind of identifier ("주문번호 1234…", "송장번호는 …").
_OTHER_LABEL = re.compile(
    r"(?:주문|송장|운송장|일련|접수|예약|회원|고객|승인|거래|시리얼|모델|품번|바코드|상품|제품|도서|문서|사건|처방|IMEI|ISBN|EAN"
    r"|serial|order|invoice|tracking|barcode)"
    r"\s*(?:번호|코드|no\.?|#|id)?\s*(?:은|는|이|가)?\s*[:：]?\s*$",
    re.IGNORECASE,
)
_AMOUNT_SUFFIX = ("원", "달러", "엔", "위안", "만", "억", "조", "%", "개", "명", "건")
_CARD_IIN = re.compile(r"4|5[1-5]|2[2-7]|3|6|9")  # Visa, Mastercard, Amex/JCB/Diners, Discover/UnionPay, KR domestic
_SPACED_NUMBER_BEFORE = re.compile(r"(?:^|(?<=[\s(,]))\d{1,6}[ ,]$")  # a short number, then the match: a table row
_SPACED_NUMBER = re.compile(r"[ ,]\d{1,6}(?!\d)")
_NON_DIGIT = re.compile(r"\D")
_RESERVED_TLDS = ("invalid", "test", "example", "localhost", "local")  # RFC 2606 / 6761: no one's address
_RRN_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
_BRN_WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)


# --- value checks ------------------------------------------------------------------------------------------
def digits_of(value: str) -> str:
    """The decimal digits of `value` as ASCII (full-width and other scripts' digits folded)."""
    return "".join(str(int(ch)) for ch in _NON_DIGIT.sub("", value))


def luhn_valid(digits: str) -> bool:
    """Luhn (mod 10) check of a digit string."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def ean13_valid(digits: str) -> bool:
    """13 digits with a valid EAN-13 / ISBN-13 check digit (weights 1, 3)."""
    return len(digits) == 13 and sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10 == 0


def isbn13_valid(digits: str) -> bool:
    """13 digits starting 978/979 with a valid ISBN-13 check digit."""
    return digits[:3] in ("978", "979") and ean13_valid(digits)


def rrn_date_ok(digits: str) -> bool:
    """13 digits YYMMDD S …: S in 1–8 (1, 2, 5, 6: born 1900–1999; 3, 4, 7, 8: 2000–) and a real birth date
    that is not in the future."""
    if len(digits) != 13:
        return False
    g = int(digits[6])
    if not 1 <= g <= 8:
        return False
    century = 1900 if g in (1, 2, 5, 6) else 2000
    try:
        born = datetime.date(century + int(digits[:2]), int(digits[2:4]), int(digits[4:6]))
    except ValueError:
        return False
    return born <= datetime.date.today()


def rrn_checksum_ok(digits: str) -> bool:
    """Check digit of numbers issued before Oct 2020 (Koreans, S 1–4: (11 − Σ mod 11) mod 10; foreigners, S 5–8:
    (13 − Σ mod 11) mod 10; Σ = digits × 2,3,4,5,6,7,8,9,2,3,4,5)."""
    s = sum(int(d) * w for d, w in zip(digits[:12], _RRN_WEIGHTS, strict=True)) % 11
    return (11 - s if int(digits[6]) <= 4 else 13 - s) % 10 == int(digits[12])


def rrn_valid(digits: str, require_checksum: bool = True) -> bool:
    """A valid date and gender digit, and (when required) the pre-Oct-2020 check digit."""
    return rrn_date_ok(digits) and (not require_checksum or rrn_checksum_ok(digits))


def brn_valid(digits: str) -> bool:
    """Business registration number check digit: Σ d×(1,3,7,1,3,7,1,3,5) + ⌊9th digit × 5 / 10⌋, then
    (10 − Σ mod 10) mod 10 is the 10th digit."""
    if len(digits) != 10:
        return False
    s = sum(int(d) * w for d, w in zip(digits[:9], _BRN_WEIGHTS, strict=True)) + int(digits[8]) * 5 // 10
    return (10 - s % 10) % 10 == int(digits[9])


# --- context -----------------------------------------------------------------------------------------------
def _context(text: str, start: int, end: int, window: int) -> tuple[str, str]:
    """Up to `window` characters before `start` and after `end`, cut at sentence ends (plus 12 characters of
    slack so a name that ends/starts inside the window is seen whole)."""
    before = text[max(0, start - window - 12) : start]
    cuts = list(_SENTENCE_END.finditer(before))
    if cuts:
        before = before[cuts[-1].end() :]
    after = text[end : end + window + 12]
    cut = _SENTENCE_END.search(after)
    if cut:
        after = after[: cut.start()]
    return before, after


def near(pattern: re.Pattern, text: str, start: int, end: int, window: int) -> bool:
    """Whether `pattern` ends within `window` characters before `start` or starts within `window` after `end`."""
    before, after = _context(text, start, end, window)
    if any(len(before) - m.end() <= window for m in pattern.finditer(before)):
        return True
    m = pattern.search(after)
    return m is not None and m.start() <= window


def _amount_follows(text: str, end: int) -> bool:
    return text[end : end + 4].lstrip().startswith(_AMOUNT_SUFFIX)


def _other_label(text: str, start: int) -> bool:
    return _OTHER_LABEL.search(text[max(0, start - 14) : start]) is not None


# --- validators: (match, text, config) -> bool ---------------------------------------------------------------
def ok_email(m: re.Match, text: str, cfg: Any) -> bool:
    """Not at a reserved top-level domain (`.invalid`, `.test`, `.example`, `.localhost`, `.local`)."""
    return m.group(0).rsplit(".", 1)[-1].lower() not in _RESERVED_TLDS


def ok_ip(m: re.Match, text: str, cfg: Any) -> bool:
    """Public (or any, per config) and not multicast; not a version (`v1.2.3.4`, `버전 1.2.3.4`, `… 버전`) nor a
    section number (`Section 4.2.1.3`, `표 3.2.1.4`)."""
    import ipaddress

    from datatrove.pipeline.formatters.pii import public_ip_validator

    before = text[max(0, m.start() - 12) : m.start()]
    if _VERSION_CUE.search(before) or _SECTION_CUE.search(before) or _VERSION_AFTER.match(text, m.end()):
        return False
    if not public_ip_validator(m.group(0), public_only=cfg.ip_public_only):
        return False
    return not (cfg.ip_public_only and ipaddress.ip_address(m.group(0)).is_multicast)


def ok_rrn(m: re.Match, text: str, cfg: Any) -> bool:
    """Valid date + gender digit (1–8, foreigners 5–8 included) always required. Check digit valid: masked.
    Check digit failing (numbers issued since Oct 2020): never right after a label of another identifier
    (주문번호, 바코드 …) or before an amount; masked when written with a separator or with a registration word
    (주민, 외국인, 등록번호 but not 사업자등록번호, 생년월일, RRN …) within 20 characters; a bare 13-digit run
    without either is masked too when `rrn_unverified: any` (default), unless it is a Korean EAN-13 barcode
    (880…, valid check digit) or an account/card word is nearby (then the account/card rules decide)."""
    digits = digits_of(m.group("birth") + m.group("serial"))
    if not rrn_date_ok(digits):
        return False
    if rrn_checksum_ok(digits):
        return True
    if cfg.rrn_unverified == "never" or _other_label(text, m.start()) or _amount_follows(text, m.end()):
        return False
    if m.group("sep") or near(_RRN_CUE, text, m.start(), m.end(), 20):
        return True
    if cfg.rrn_unverified != "any":
        return False
    if digits.startswith("880") and ean13_valid(digits):
        return False
    return not (near(_BANK, text, m.start(), m.end(), 20) or near(_CARD_CUE, text, m.start(), m.end(), 20))


def ok_phone(m: re.Match, text: str, cfg: Any) -> bool:
    """15xx/16xx/18xx-xxxx only if enabled, and not a year range (1592-1598, 1800-1850년: second part larger by
    at most 200, or after a period word: 시기, 기간, 재위 …) unless a phone word (전화, 문의, 고객센터, 휴대폰, tel …) precedes it within 15 characters in the
    same sentence or it is followed by 번으로 / 로 연락 / 로 문의 …"""
    if m.group("rep") is None:
        return True
    if not cfg.phone_representative:
        return False
    a, b = int(m.group("rep")), int(m.group("rep2"))
    if a < b <= a + 200:
        if text[m.end() : m.end() + 1] == "년" or _PERIOD_CUE.search(text, max(0, m.start() - 10), m.start()):
            return False
        before, _ = _context(text, m.start(), m.end(), 15)
        if _PHONE_CUE_AFTER.match(text, m.end()):
            return True
        return any(len(before) - c.end() <= 15 for c in _PHONE_CUE.finditer(before))
    return True


def ok_card(m: re.Match, text: str, cfg: Any) -> bool:
    """Luhn-valid, not an ISBN or amount, not labelled as another identifier (주문번호, IMEI …). Grouped numbers
    need nothing else (but four years in a row, `2019 2020 2021 2022`, and space-separated groups with another
    short number right before or after, a row of a table, are not a card). Ungrouped runs must start like a
    card (4, 51–55, 22–27, 3, 6, 9) and be 15–16 digits long, or have a card word (카드, 결제, visa …) within
    20 characters before them."""
    digits = digits_of(m.group(0))
    if not luhn_valid(digits) or isbn13_valid(digits) or _amount_follows(text, m.end()):
        return False
    if _other_label(text, m.start()):
        return False
    if m.group("raw") is None:
        s, e = m.span()
        if " " in m.group(0) and (
            _SPACED_NUMBER_BEFORE.search(text, max(0, s - 8), s) or _SPACED_NUMBER.match(text, e)
        ):
            return False  # part of a longer space-separated row of numbers
        groups = re.findall(r"\d+", m.group(0))
        return not all(len(g) == 4 and 1900 <= int(digits_of(g)) <= 2099 for g in groups)
    if not _CARD_IIN.match(digits):
        return False
    if len(digits) in (15, 16):
        return True
    before, _ = _context(text, m.start(), m.end(), 20)
    return any(len(before) - c.end() <= 20 for c in _CARD_CUE.finditer(before))


def ok_passport(m: re.Match, text: str, cfg: Any) -> bool:
    """Letter(s) + 8 digits, or the 2021 form letter + 3 digits + letter + 4 digits; the serial is not all
    zeros and not labelled as another identifier (모델, 품번 …)."""
    return digits_of(m.group("serial")).strip("0") != "" and not _other_label(text, m.start())


def ok_driver_license(m: re.Match, text: str, cfg: Any) -> bool:
    """Region code 11–28; the grouped forms need nothing else, 12 bare digits need a licence word (운전면허,
    면허번호, license …) within 20 characters."""
    region = m.group("region") or (m.group("compact") or "")[:2]
    if region and not 11 <= int(digits_of(region)) <= 28:
        return False
    if m.group("compact"):
        return near(_LICENSE_CUE, text, m.start(), m.end(), 20) and not _other_label(text, m.start())
    return True


def ok_brn(m: re.Match, text: str, cfg: Any) -> bool:
    """Business registration number: valid check digit, not an amount."""
    return brn_valid(digits_of(m.group(0))) and not _amount_follows(text, m.end())


def ok_account(m: re.Match, text: str, cfg: Any) -> bool:
    """10–16 digits with a bank name or an account word (계좌, 입금, 송금, 이체, 예금주, 통장, 가상계좌, account …)
    within `account_window` characters, or a short bank name right before it (`우리 1002-…`, `국민: …`); not
    an ISBN, not an amount (…원, …만), not labelled as another identifier (주문번호, 송장번호 …)."""
    digits = digits_of(m.group(0))
    if not 10 <= len(digits) <= 16 or isbn13_valid(digits) or _amount_follows(text, m.end()):
        return False
    if _other_label(text, m.start()):
        return False
    if _SHORT_BANK_BEFORE.search(text, max(0, m.start() - 10), m.start()) or _SHORT_BANK_AFTER.match(text, m.end()):
        return True
    return near(_BANK, text, m.start(), m.end(), cfg.account_window)


# The longest run of consecutive `\d` every match of a rule's pattern contains (rrn: the 7-digit serial; phone:
# the last 4-digit group of every form, 10 digits in 01012345678; card: a 4-digit group; passport: 8 digits or
# 3 + letter + 4; driver_license: the 6-digit group, 12 in compact form; brn: the 5-digit group; account: 2).
# A text whose longest digit run is shorter cannot match: `_find` skips that pattern's scan (same result).
# Keep in sync with the patterns above (tests/formatters/test_pii.py compares with and without the skip).
MIN_DIGIT_RUN = {"rrn": 7, "phone": 4, "card": 4, "passport": 4, "driver_license": 6, "brn": 5, "account": 2}
# … and a literal every match of these contains: email `@`, ip a digit, `.`, a digit.
LITERAL_CUE = {"email": re.compile("@"), "ip": re.compile(r"[0-9]\.[0-9]")}

RULES = (
    ("email", EMAIL, ok_email),
    ("ip", IP, ok_ip),
    ("rrn", RRN, ok_rrn),
    ("card", CARD, ok_card),
    ("phone", PHONE, ok_phone),
    ("passport", PASSPORT, ok_passport),
    ("driver_license", DRIVER_LICENSE, ok_driver_license),
    ("brn", BRN, ok_brn),
    ("account", ACCOUNT, ok_account),
)
"""(type, pattern, validator) in detection (priority) order."""
