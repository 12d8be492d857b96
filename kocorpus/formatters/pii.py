"""KoreanPIIMasker: Polyglot-Ko style masking of Korean personal information in `doc.text`.

Types (count keys → default placeholders): `rrn` 주민/외국인등록번호 → `<|rrn|>`, `phone` → `<|tel|>`,
`email` → `<|email|>`, `account` bank account → `<|acc|>`, `card` → `<|card|>`, `ip` IPv4 → `<|ip|>`.

Every detector runs on the *original* text and proposes spans; a span is kept unless it overlaps a span kept by
an earlier detector, then all kept spans are replaced at once (so placeholders never feed later detectors and
can be any string). The order, strongest evidence first:

1. `email`   — contains digits and dots that the number rules would otherwise bite into.
2. `ip`      — four dotted octets; before phone so `211.234.56.78` is never read as a dotted phone number.
3. `rrn`     — date + gender digit + checksum is the strictest number test; a 13-digit RRN can also be
               Luhn-valid, so it comes before `card`.
4. `card`    — 13–19 digits, Luhn-valid; before `phone` because a space-grouped card `5372 0505 2924 0552`
               contains a well-formed safe number `0505 2924 0552` (a phone has at most 12 digits, so a
               card match never swallows one).
5. `phone`   — fixed Korean prefixes (010, 02, 031 …, +82, 15xx/16xx/18xx); before `account`, because
               `010-1234-5678` is also a well-formed account number next to a bank name.
6. `account` — only with a bank name nearby. Accounts have ≤ 14 digits, so a 16-digit card next to
               `신한카드` is a card; an ungrouped 13–14 digit number is a card only after a card word.

Decoys are kept by boundaries (no match inside a longer run of digits or letters, nor next to another
`-digit`/`.digit`), strict value checks (dates, checksums, public IPs) and a few context rules, each
documented at its validator; a label right before a number (주문번호, 송장번호, 일련번호, ISBN …) rules out
`card` and `account`, never `rrn` (a checksum-valid RRN is masked whatever it is called). Known limits:
unlabelled ungrouped 15–16 digit numbers that pass Luhn and start like a card (4, 5x, 3x, 6, 9 …) are masked
as cards even when they are other identifiers (1 in 10 such numbers); a 13-digit account number that is also a
valid RRN is masked as `rrn`.
"""

import re
from bisect import bisect_right, insort
from dataclasses import dataclass

from datatrove.data import Document, DocumentsPipeline
from datatrove.pipeline.formatters.base import BaseFormatter
from datatrove.pipeline.formatters.pii import public_ip_validator
from datatrove.pipeline.writers.disk_base import DiskWriter
from datatrove.utils.typeshelper import StatHints

from kocorpus.config import ConfigError

PII_TYPES: tuple[str, ...] = ("email", "ip", "rrn", "card", "phone", "account")
"""Detection (priority) order; also the keys of `pii_counts`."""


@dataclass(kw_only=True)
class PIIConfig:
    """Which PII types are masked and by what; masking never drops a document."""

    enabled: bool = True
    rrn: bool = True
    """Mask resident/foreigner registration numbers (YYMMDD-SBBBBBC, with or without the hyphen)."""
    rrn_require_checksum: bool = True
    """Require the check digit (weights 2–9,2–5). Numbers issued since Oct 2020 may fail it; false masks any
    valid date + gender digit, at the cost of masking 13-digit order numbers that start with a date."""
    phone: bool = True
    """Mask mobile (01x), landline (02, 031 … 064), 070/050x and +82 numbers."""
    phone_representative: bool = True
    """Also mask 4+4 representative numbers 15xx-/16xx-/18xx-xxxx (1588-1234)."""
    email: bool = True
    """Mask e-mail addresses."""
    ip: bool = True
    """Mask IPv4 addresses."""
    ip_public_only: bool = True
    """Mask only global unicast IPv4 (private, loopback, reserved and multicast addresses are kept)."""
    account: bool = True
    """Mask bank account numbers (10–14 digits) that have a bank name within `account_window`."""
    account_window: int = 20
    """Characters before/after an account number searched for a bank name, 0–200 (not across sentences)."""
    card: bool = True
    """Mask Luhn-valid card numbers, 13–19 digits."""
    rrn_placeholder: str = "<|rrn|>"
    """Replacement text of a registration number."""
    phone_placeholder: str = "<|tel|>"
    """Replacement text of a phone number."""
    email_placeholder: str = "<|email|>"
    """Replacement text of an e-mail address."""
    ip_placeholder: str = "<|ip|>"
    """Replacement text of an IP address."""
    account_placeholder: str = "<|acc|>"
    """Replacement text of a bank account number."""
    card_placeholder: str = "<|card|>"
    """Replacement text of a card number."""

    def __post_init__(self) -> None:
        if not 0 <= self.account_window <= 200:
            raise ConfigError(f"account_window: {self.account_window} is outside [0, 200]")
        for t in PII_TYPES:
            if not isinstance(getattr(self, f"{t}_placeholder"), str):
                raise ConfigError(f"{t}_placeholder: expected a string")

    def placeholder(self, pii_type: str) -> str:
        """Replacement text of `pii_type` (one of `PII_TYPES`)."""
        return getattr(self, f"{pii_type}_placeholder")


# --- patterns ----------------------------------------------------------------------------------------------
# Boundaries: no match that starts or ends inside a run of digits/Latin letters, or next to `-digit`/`.digit`
# (parts of longer codes, dates, versions). Hangul next to a number is fine: "번호는010-…", "…5678로".
_L = r"(?<![0-9A-Za-z_+])(?<![0-9][-.])"
_R = r"(?![0-9A-Za-z_])(?![-.][0-9])"
_DASH = r"[-\u2010\u2011\u2013\u2212]"  # hyphen, unicode hyphens, en dash, minus sign
_SEP = r"[-\u2010\u2011\u2013\u2212. ]"
_MOBILE = r"1[016789]"
_AREA = r"(?:2|3[1-3]|4[1-4]|5[1-5]|6[1-4]|70|50[2-8])"  # Seoul, provinces, 070 VoIP, 050x safe numbers

_EMAIL = re.compile(  # datatrove's PIIFormatter regex; its leading \b is a lookbehind so "메일은hong@…" matches
    r"(?<![A-Za-z0-9!#$%&'*+/=?^_`{|}~.-])[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@"
    r"(?:(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?|\[(?:(?:25[0-5]"
    r"|2[0-4][0-9]|[01]?[0-9][0-9]?)\.){3}(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?|[A-Za-z0-9-]*[A-Za-z0-9]:)])"
)
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"  # no leading zeros (datatrove's allows them)
_IP = re.compile(rf"(?<![0-9A-Za-z_.]){_OCTET}(?:\.{_OCTET}){{3}}(?![0-9A-Za-z_])(?!\.[0-9])")
_RRN = re.compile(rf"{_L}(?P<birth>\d{{6}})(?: ?{_DASH} ?)?(?P<serial>\d{{7}}){_R}")
_PHONE = re.compile(
    _L
    + r"(?:"
    + rf"\+82{_SEP}?(?:\(0\){_SEP}?)?0?(?:{_MOBILE}|{_AREA}){_SEP}?\d{{3,4}}{_SEP}?\d{{4}}"  # +82 10-1234-5678
    + rf"|\(0(?:{_MOBILE}|{_AREA})\) ?\d{{3,4}}{_SEP}\d{{4}}"  # (02) 123-4567
    + rf"|0(?:{_MOBILE}|{_AREA}){_SEP}\d{{3,4}}{_SEP}\d{{4}}"  # 010-1234-5678, 031.123.4567, 010 1234 5678
    + rf"|0{_MOBILE}\d{{7,8}}"  # 01012345678
    + rf"|(?P<rep>1[568]\d\d){_DASH}(?P<rep2>\d{{4}})"  # 1588-1234
    + r")"
    + _R
)
_ACCOUNT = re.compile(rf"{_L}(?:\d{{2,7}}(?:{_DASH}\d{{1,7}}){{1,4}}|\d{{10,14}}){_R}")
_CARD = re.compile(
    _L
    + r"(?:\d{4}(?P<s4>[- ])\d{4}(?P=s4)\d{4}(?P=s4)\d{4}(?:(?P=s4)\d{1,3})?"  # 4-4-4-4(-3)
    + r"|\d{4}(?P<s6>[- ])\d{6}(?P=s6)\d{4,5}"  # Amex 4-6-5, Diners 4-6-4
    + r"|(?P<raw>\d{13,19}))"
    + _R
)

_BANK = re.compile(  # names that are also ordinary words (국민, 우리, 하나, 부산 …) count only with 은행
    r"(?:KB|NH|IBK|SC|한국)?\s?(?:국민|농협|기업|제일|우리|하나|신한|수협|씨티|부산|대구|경남|광주|전북|제주|산업)\s?은행"
    r"|KB\s?국민|NH\s?농협|IBK\s?기업|SC\s?제일|신한|농협|수협|씨티|우체국|새마을\s?금고|(?:카카오|케이|K|토스|iM)\s?뱅크"
)
_SENTENCE_END = re.compile(r"[.!?。](?:\s|$)|\n")
_CARD_CUE = re.compile(r"카드|신용|체크|결제|card|visa|비자|master|마스터|amex|아멕스", re.IGNORECASE)
_PHONE_CUE = re.compile(r"전화|연락|문의|고객센터|콜센터|상담|대표번호|휴대폰|핸드폰|팩스|☎|tel|fax|call|phone", re.I)
_PHONE_CUE_AFTER = re.compile(r"\s*(?:번으로|번호|(?:으로|로)\s*(?:연락|전화|문의|문자))")
_VERSION_CUE = re.compile(r"(?:버전|(?<![A-Za-z])(?:version|ver\.?|v\.?))\s*$", re.IGNORECASE)
# A label right before a number that names another kind of identifier ("주문번호 1234…", "송장번호: …").
_OTHER_LABEL = re.compile(
    r"(?:주문|송장|운송장|일련|접수|예약|회원|고객|사업자|승인|거래|시리얼|모델|품번|바코드|ISBN|serial|order)"
    r"\s*(?:번호|no\.?|#)?\s*[:：]?\s*$",
    re.IGNORECASE,
)
_AMOUNT_SUFFIX = ("원", "달러", "엔", "위안", "만", "억", "조", "%", "개", "명", "건")
_CARD_IIN = re.compile(r"4|5[1-5]|2[2-7]|3|6|9")  # Visa, Mastercard, Amex/JCB/Diners, Discover/UnionPay, KR domestic
_SPACED_NUMBER_BEFORE = re.compile(r"(?<!\d)\d{1,6}[ ,]$")  # a short number, then the match: a table row
_SPACED_NUMBER = re.compile(r"[ ,]\d{1,6}(?!\d)")
_ANY_DIGIT_OR_AT = re.compile(r"[\d@]")
_RRN_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)


# --- value checks ------------------------------------------------------------------------------------------
def luhn_valid(digits: str) -> bool:
    """Luhn (mod 10) check of a digit string."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def isbn13_valid(digits: str) -> bool:
    """13 digits starting 978/979 with a valid ISBN-13 check digit (weights 1, 3)."""
    if len(digits) != 13 or digits[:3] not in ("978", "979"):
        return False
    return sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10 == 0


def rrn_valid(digits: str, require_checksum: bool = True) -> bool:
    """13 digits YYMMDD S BBBBB C: real birth date, S in 1–8, check digit (Koreans S 1–4: (11 − Σ mod 11) mod
    10; foreigners S 5–8: (13 − Σ mod 11) mod 10, Σ = digits × 2,3,4,5,6,7,8,9,2,3,4,5)."""
    import datetime

    if len(digits) != 13 or not digits.isdigit():
        return False
    g = int(digits[6])
    if not 1 <= g <= 8:
        return False
    century = 1900 if g in (1, 2, 5, 6) else 2000
    try:
        datetime.date(century + int(digits[:2]), int(digits[2:4]), int(digits[4:6]))
    except ValueError:
        return False
    if not require_checksum:
        return True
    s = sum(int(d) * w for d, w in zip(digits[:12], _RRN_WEIGHTS, strict=True)) % 11
    return (11 - s if g <= 4 else 13 - s) % 10 == int(digits[12])


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


def _near(pattern: re.Pattern, text: str, start: int, end: int, window: int) -> bool:
    """Whether `pattern` ends within `window` characters before `start` or starts within `window` after `end`."""
    before, after = _context(text, start, end, window)
    if any(len(before) - m.end() <= window for m in pattern.finditer(before)):
        return True
    m = pattern.search(after)
    return m is not None and m.start() <= window


def _amount_follows(text: str, end: int) -> bool:
    return text[end : end + 4].lstrip().startswith(_AMOUNT_SUFFIX)


def _other_label(text: str, start: int) -> bool:
    return _OTHER_LABEL.search(text[max(0, start - 12) : start]) is not None


# --- validators: (match, text, config) -> bool ---------------------------------------------------------------
def _ok_email(m: re.Match, text: str, cfg: PIIConfig) -> bool:
    return True


def _ok_ip(m: re.Match, text: str, cfg: PIIConfig) -> bool:
    """Public (or any, per config) and not multicast; `v1.2.3.4` / `버전 1.2.3.4` are version strings."""
    import ipaddress

    if _VERSION_CUE.search(text[max(0, m.start() - 10) : m.start()]):
        return False
    if not public_ip_validator(m.group(0), public_only=cfg.ip_public_only):
        return False
    return not (cfg.ip_public_only and ipaddress.ip_address(m.group(0)).is_multicast)


def _ok_rrn(m: re.Match, text: str, cfg: PIIConfig) -> bool:
    return rrn_valid(m.group("birth") + m.group("serial"), cfg.rrn_require_checksum)


def _ok_phone(m: re.Match, text: str, cfg: PIIConfig) -> bool:
    """15xx/16xx/18xx-xxxx only if enabled, and not a year range (1592-1598, 1800-1850년: second part larger by
    at most 200) unless a phone word (전화, 문의, 고객센터, 휴대폰, tel …) precedes it within 15 characters in the
    same sentence or it is followed by 번으로 / 로 연락 / 로 문의 …"""
    if m.group("rep") is None:
        return True
    if not cfg.phone_representative:
        return False
    a, b = int(m.group("rep")), int(m.group("rep2"))
    if a < b <= a + 200:
        if text[m.end() : m.end() + 1] == "년":
            return False
        before, _ = _context(text, m.start(), m.end(), 15)
        if _PHONE_CUE_AFTER.match(text, m.end()):
            return True
        return any(len(before) - c.end() <= 15 for c in _PHONE_CUE.finditer(before))
    return True


def _ok_account(m: re.Match, text: str, cfg: PIIConfig) -> bool:
    """10–14 digits, a bank name nearby, not an ISBN, not an amount (…원, …만), not labelled as another
    identifier (주문번호, 송장번호, 일련번호, ISBN … right before it)."""
    digits = re.sub(r"\D", "", m.group(0))
    if not 10 <= len(digits) <= 14 or isbn13_valid(digits) or _amount_follows(text, m.end()):
        return False
    if _other_label(text, m.start()):
        return False
    return _near(_BANK, text, m.start(), m.end(), cfg.account_window)


def _ok_card(m: re.Match, text: str, cfg: PIIConfig) -> bool:
    """Luhn-valid, not an ISBN or amount, not labelled as another identifier. Grouped numbers need nothing
    else (but four years in a row, `2019 2020 2021 2022`, and space-separated groups with another short number
    right before or after, a row of a table, are not a card). Ungrouped runs must start like a
    card (4, 51–55, 22–27, 3, 6, 9) and be 15–16 digits long, or have a card word (카드, 결제, visa …) within
    20 characters before them."""
    digits = re.sub(r"\D", "", m.group(0))
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
        groups = re.split(r"[- ]", m.group(0))
        return not all(len(g) == 4 and 1900 <= int(g) <= 2099 for g in groups)
    if not _CARD_IIN.match(digits):
        return False
    if len(digits) in (15, 16):
        return True
    before, _ = _context(text, m.start(), m.end(), 20)
    return any(len(before) - c.end() <= 20 for c in _CARD_CUE.finditer(before))


_RULES = (
    ("email", _EMAIL, _ok_email),
    ("ip", _IP, _ok_ip),
    ("rrn", _RRN, _ok_rrn),
    ("card", _CARD, _ok_card),
    ("phone", _PHONE, _ok_phone),
    ("account", _ACCOUNT, _ok_account),
)


@dataclass(frozen=True)
class PIISpan:
    """A detected PII value: `text[start:end]` (character offsets) of type `type`."""

    start: int
    end: int
    type: str


def find_pii(text: str, cfg: PIIConfig) -> list[PIISpan]:
    """Non-overlapping PII spans of the enabled types, sorted by start (see the module docstring for the order)."""
    starts: list[int] = []
    spans: list[PIISpan] = []
    if not _ANY_DIGIT_OR_AT.search(text):
        return spans
    for pii_type, pattern, validate in _RULES:
        if not getattr(cfg, pii_type):
            continue
        for m in pattern.finditer(text):
            s, e = m.span()
            i = bisect_right(starts, s)
            if (i and spans[i - 1].end > s) or (i < len(spans) and spans[i].start < e):
                continue  # overlaps a span of an earlier type
            if validate(m, text, cfg):
                insort(starts, s)
                spans.insert(i, PIISpan(s, e, pii_type))
    return spans


def mask_pii(text: str, cfg: PIIConfig) -> tuple[str, dict[str, int]]:
    """`text` with every PII span replaced by its type's placeholder, and the count per type found."""
    spans = find_pii(text, cfg)
    if not spans:
        return text, {}
    parts: list[str] = []
    counts: dict[str, int] = {}
    pos = 0
    for sp in spans:
        parts += [text[pos : sp.start], cfg.placeholder(sp.type)]
        counts[sp.type] = counts.get(sp.type, 0) + 1
        pos = sp.end
    parts.append(text[pos:])
    return "".join(parts), counts


class KoreanPIIMasker(BaseFormatter):
    """Rewrites `doc.text` with PII masked; records `pii_counts` (type → n, found types only) and `pii_total`.
    Never drops a document; stats: `pii_<type>` (values masked), `pii_docs` (documents with any PII)."""

    name = "🔒 Korean PII"

    def __init__(self, config: PIIConfig | None = None, exclusion_writer: DiskWriter | None = None):
        super().__init__()  # exclusion_writer is accepted for the step registry's uniform call; nothing is dropped
        self.config = config or PIIConfig()

    def format(self, text: str) -> str:
        return mask_pii(text, self.config)[0]

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        doc: Document
        for doc in data:
            self.stat_update(StatHints.total)
            with self.track_time():
                counts: dict[str, int] = {}
                if self.config.enabled:
                    doc.text, counts = mask_pii(doc.text, self.config)
                doc.metadata["pii_counts"] = counts
                doc.metadata["pii_total"] = sum(counts.values())
                for pii_type, n in counts.items():
                    self.stat_update(f"pii_{pii_type}", value=n)
                if counts:
                    self.stat_update("pii_docs")
            yield doc
