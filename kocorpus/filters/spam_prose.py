"""Signals of loan / gambling / adult ads written as fluent prose, which keyword density misses.

An ad and a news article share the domain's words (대출, 연체, 카지노, 바카라); what differs is who speaks to
whom. An ad addresses the reader and offers a service (연락 주세요, 입금해 드립니다, 찾고 계신가요?), gives a
way to reach the seller (010 number, 카톡/텔레그램/오픈채팅/라인 ID) and lists benefits (✔ 당일 승인 ✔ 비밀
보장); a news article reports in the third person (…했다고 밝혔다). Four signals, each counted as distinct
matches in the document:

- `domain`: the category's offer vocabulary (loan: 한도, 승인, 연체, 무직자, 서류 없이 …; gambling: 충전, 환전,
  배팅, 놀이터 …; adult: 출장, 관리사, 후불제, 만남 …);
- `cta`:    call-to-action and service-register phrases addressed to the reader;
- `contact`: contact handles (the keyword filter's, plus 오픈채팅/라인 IDs and spaced or dotted mobile numbers);
- `list`:   benefit-list markers (✔ ✅ ☑ ▶ or an inline `1. … 2. …` run).

ad_score = min(domain, 4) + 2·min(cta, 4) + 2·min(contact, 2) + 2·list, for the best category. The filter drops
a document when ad_score ≥ `min_ad_score`, domain ≥ `min_domain` and it addresses the reader (cta or contact ≥ 1):
a news article about loans or gambling has the domain words but not the voice of a seller.
"""

import re
from typing import NamedTuple

_DOMAIN = {
    "loan": (
        "대출", "한도", "승인", "이자", "급전", "자금", "돈이 필요", "신용점수", "신용불량", "신용 등급",
        "연체", "무직자", "저신용", "개인회생", "파산", "채무", "소득 증빙", "서류 없이", "비대면", "무방문", "상환",
        "주부", "프리랜서", "은행 문턱", "가족 모르게",
    ),  # not 입금/계좌: every fee or donation notice names an account to pay into (tests: notices stay)
    "gambling": (
        "배팅", "베팅", "카지노", "바카라", "토토", "슬롯", "놀이터", "먹튀", "충전", "환전", "보너스", "머니",
        "포인트", "추천인", "배당", "출금", "가입", "전 경기", "용돈",
    ),
    "adult": (
        "출장", "관리사", "마사지", "안마", "힐링", "만남", "외로운", "후불제", "조건", "애인", "회원", "프로필",
        "심야", "20대", "예약",
    ),
}  # fmt: skip
_CTA = re.compile(
    r"(?:연락|문의|신청|상담|예약|가입|확인|이용|검색)\s?(?:하세요|해\s?주세요|주세요|주시면|하시면|해\s?보세요|하시기)"
    r"|(?:[가-힣]\s?|\s)드(?:립니다|려요|릴게요|리고|리며|리려고)"  # 드리다: a service offered to the reader
    r"|[가-힣]실\s수\s있(?:습니다|어요)"  # honorific -시- + 수 있다: what the reader can do
    r"|모십니다|찾고 계신가요|필요하신가요|계신가요|하셨죠|많으시죠|부담\s?(?:갖지|없이|없는)|망설이|지금 바로|오늘 바로"
    r"|선착순|가능합니다|가능해요|가능한 곳|비밀\s?보장|손해 볼|기회는|안심하고|믿고 쓰|편하게 연락"
)
_EXTRA_CONTACTS = (
    re.compile(
        r"(?:오픈채팅|오픈카톡|라인\s?(?:아이디|id)|line\s?id)\s*[:：]?\s*['\"‘“]?([\w.-]{3,24})", re.IGNORECASE
    ),
    re.compile(r"(?<!\d)(01[016789][ .]\d{3,4}[ .]\d{4})(?!\d)"),
)
_LIST = re.compile(r"[✔✅☑✓]|^\s*▶|(?:^|\s)1[.)]\s?\S[^\n]{0,40}\s2[.)]\s?\S", re.MULTILINE)
# literals one of which every match of the pattern (_CTA; each of _EXTRA_CONTACTS; _LIST) contains (in the lower-cased text; under IGNORECASE only
# `i` has non-ASCII case partners, İ and ı): a text without any skips the scan, same result
_CTA_CUES = (
    "세요", "시면", "시기", "드리", "드려", "드릴", "드립", "있습니다", "있어요", "모십니다", "계신가요", "필요하신가요",
    "하셨죠", "많으시죠", "부담", "망설이", "지금 바로", "오늘 바로", "선착순", "가능", "비밀", "손해 볼", "기회는",
    "안심하고", "믿고 쓰", "편하게 연락",
)  # fmt: skip
_EXTRA_CUES = (("오픈채팅", "오픈카톡", "라인", "ne"), ("01",))
_LIST_CUES = ("✔", "✅", "☑", "✓", "▶", "1.", "1)")


class AdSignals(NamedTuple):
    """Distinct matches per signal for the best-scoring category, and the score."""

    category: str | None
    domain: int
    cta: int
    contact: int
    list: int
    score: float

    def describe(self) -> str:
        """The signals that fired, e.g. `domain=3,cta=4,contact=1,list=1`."""
        return ",".join(f"{k}={getattr(self, k)}" for k in ("domain", "cta", "contact", "list") if getattr(self, k))


_AUTOMATON: list = []  # the domain terms' Aho–Corasick automaton, built on first use in each process
_CTA_AUTOMATON: list = []  # the same for _CTA_CUES
_CTA_WIDTH = 9  # longest _CTA match, characters (tests/filters/test_spam.py checks it against the pattern)


def _cta_matches(text: str) -> set[str]:
    """`{m.group(0).replace(" ", "") for m in _CTA.finditer(text)}`, scanning only around cue occurrences: every
    match holds a cue and is at most `_CTA_WIDTH` long, so it lies inside the window of `_CTA_WIDTH` characters
    either side of one; merged windows are disjoint, and _CTA (no anchors or lookarounds) finds in each what a
    scan of the whole text finds there."""
    if not _CTA_AUTOMATON:
        import ahocorasick

        automaton = ahocorasick.Automaton()
        for cue in _CTA_CUES:
            automaton.add_word(cue, len(cue))
        automaton.make_automaton()
        _CTA_AUTOMATON.append(automaton)
    windows: list[list[int]] = []
    for end, length in _CTA_AUTOMATON[0].iter(text):  # by end position: window starts never decrease
        lo, hi = max(0, end + 1 - _CTA_WIDTH), min(len(text), end + 1 - length + _CTA_WIDTH)
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], hi)
        else:
            windows.append([lo, hi])
    return {m.group(0).replace(" ", "") for lo, hi in windows for m in _CTA.finditer(text, lo, hi)}


def _domain_terms(text: str) -> set[str]:
    """The `_DOMAIN` terms that occur in `text` (one automaton pass instead of a substring search per term)."""
    if not _AUTOMATON:
        import ahocorasick

        automaton = ahocorasick.Automaton()
        for terms in _DOMAIN.values():
            for term in terms:
                automaton.add_word(term, term)
        automaton.make_automaton()
        _AUTOMATON.append(automaton)
    return {term for _, term in _AUTOMATON[0].iter(text)} if text else set()


def ad_signals(text: str, contacts: int) -> AdSignals:
    """Score `text` as a prose ad; `contacts` = distinct handles the keyword scorer already found."""
    folded = text.lower()
    contacts += len(
        {
            m.group(1)
            for pattern, cues in zip(_EXTRA_CONTACTS, _EXTRA_CUES, strict=True)
            if any(cue in folded for cue in cues)
            for m in pattern.finditer(folded)
        }
    )
    cta = len(_cta_matches(text)) if text else 0
    listed = 1 if any(cue in text for cue in _LIST_CUES) and _LIST.search(text) else 0
    best = AdSignals(None, 0, cta, contacts, listed, 0.0)
    present = _domain_terms(text)
    for category, terms in _DOMAIN.items():
        domain = sum(1 for t in terms if t in present)
        score = min(domain, 4) + 2 * min(cta, 4) + 2 * min(contacts, 2) + 2 * listed
        if domain and (best.category is None or score > best.score):
            best = AdSignals(category, domain, cta, contacts, listed, float(score))
    return best
