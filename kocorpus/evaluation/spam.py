"""Seeded generators for evaluating the spam filter and the boilerplate stripper (used by benchmarks).

`make_spam_page(rng)` writes a Korean spam page (gambling, adult, loan or ad) from templates, with keywords
obfuscated the way spammers do (토 토, 카.지.노, 바★카★라, 먹-튀) and contact handles; `make_boilerplate_page(rng,
body)` wraps real text in news/web boilerplate (navigation, dateline lead, byline e-mail, copyright, promos,
site footer) so that stripping it should give back `body`. All text here is written by the kocorpus authors.
"""

import random
import re

_SURNAMES = "김이박최정강조윤장임한오서신권황안송류홍"
_GIVEN = tuple("민준 서연 지훈 수빈 현우 지은 성진 다은 영호 미경 태윤 하늘 은정 상철".split())
_ROMAN = ("minjun", "sy.kim", "jhpark", "soobin", "hwlee", "jieun", "sjchoi", "daeun", "yhkang", "mk.jo", "ty")
_OUTLETS = ("한빛일보", "가람신문", "푸른경제", "미래뉴스", "한결타임스", "동해일보", "새벽뉴스", "누리경제")
_AGENCIES = ("연합뉴스", "뉴시스", "뉴스1", "한빛통신")
_CITIES = ("서울", "부산", "세종", "대전", "광주", "인천", "수원", "워싱턴", "도쿄", "베이징")
_SECTIONS = ("정치", "경제", "사회", "문화", "국제", "스포츠", "연예", "IT·과학", "오피니언")
_DOMAINS = ("hanbit.co.kr", "garam.kr", "mirae-news.com", "nuri.co.kr")

# Spam templates: <keyword> is obfuscated at random; {slots} are filled in.
_SPAM: dict[str, dict[str, tuple[str, ...]]] = {
    "gambling": {
        "title": (
            "<토토사이트> 추천 {year} 최신 <안전놀이터> 순위 TOP {n}",
            "<카지노사이트> 신규가입 즉시 {money} <꽁머니> 지급",
            "<메이저사이트> 모음 - <먹튀검증> 완료 업체만 소개합니다",
            "<바다이야기> <릴게임> 무료 체험 사이트",
        ),
        "body": (
            "<먹튀> 걱정 없는 <메이저놀이터>만 엄선했습니다",
            "<바카라> 블랙잭 룰렛 <슬롯> 24시간 운영",
            "<첫충> {pct}% / <매충> {pct2}% / 페이백 5%",
            "<가입코드> : {code} 입력 시 이벤트 혜택 지급",
            "<충환전> 3분 이내 처리, 최고 배당 보장",
            "에볼루션 정품 <라이브카지노> <온라인바카라> 운영",
            "<파워볼> <그래프게임> <홀덤> 전 종목 이용 가능",
            "<사설토토> 다폴더 무제한, 스포츠 전 경기 배팅 가능",
            "<먹튀사이트> 제보 받습니다. 확인 후 <먹튀검증> 게시판에 등록",
        ),
    },
    "adult": {
        "title": (
            "{region} 전지역 <출장안마> 24시간 <출장마사지> 전문",
            "<조건만남> <애인대행> 100% 실제 회원",
            "지역별 최신 <오피사이트> 주소 매일 업데이트",
        ),
        "body": (
            "{region} <출장안마> 30분 내 도착, 후불제 100%",
            "20대 관리사 <출장샵> 예약 및 후기 확인",
            "<오피> <립카페> <키스방> <휴게텔> 정보 한 번에",
            "외로운 밤 <즉석만남> <만남사이트> 무료 가입",
            "{region}<출장마사지> / {region2}<출장안마> 코스 안내",
        ),
    },
    "loan": {
        "title": (
            "<무직자대출> <당일대출> 가능한 곳 찾으시나요?",
            "<급전필요> 하신 분 <작업대출> 전문 상담",
            "<신용불량자대출> <연체자대출> 승인률 1위",
        ),
        "body": (
            "서류 없이 <무서류대출> 진행, 소득 증빙 없어도 OK",
            "<개인돈> 소액 50만원부터 500만원까지 <당일입금>",
            "<내구제> <폰테크> <소액결제현금화> 최고가 매입",
            "<신불자대출> <저신용자대출> <일수대출> 모두 가능",
            "<대출상담> 24시간 비밀 보장, <무방문대출> 가능",
        ),
    },
    "ad": {
        "title": (
            "네이버 <상위노출> 보장! 블로그 마케팅 <백링크> 최저가",
            "<고수익알바> <재택부업> 모집 (하루 2시간, 월 300 보장)",
        ),
        "body": (
            "키워드 <상위노출> 1위 달성 시에만 비용 청구",
            "구글 <상위노출>, 고품질 <백링크> 1000개 패키지",
            "<재택알바> <고액알바> 주부 학생 누구나 가능",
            "<무료상담> 신청 시 담당자가 바로 연락드립니다",
        ),
    },
}
_CONTACT = (
    "<텔레그램문의> @{handle}",
    "<카톡문의> : {handle}",
    "<카톡ID> {handle}",
    "텔레 : @{handle} / <오픈카톡> '{site}'",
    "상담 {phone} / 카톡 {handle}",
    "주소 : {domain}  <가입코드> {code}",
)
_FILLER = (
    "요즘 날씨가 많이 추워졌는데 건강 조심하세요.",
    "많은 분들이 문의 주셔서 다시 한 번 정리해 드립니다.",
    "처음 이용하시는 분들도 쉽게 따라 하실 수 있습니다.",
    "궁금한 점은 언제든지 편하게 연락 주세요.",
    "오늘도 좋은 하루 보내시길 바랍니다.",
)
_SEPARATORS = (" ", ".", "★", "-", "♥", "ㆍ", "_", "/", "☆", "*")
_SITES = ("윈벳", "스타벳", "골드카지노", "VIP라운지", "밤의정원", "머니박스")


def _obfuscate(rng: random.Random, word: str) -> str:
    """Spell `word` as spammers do: as is (half the time), or with a separator between syllables."""
    if rng.random() < 0.5:
        return word
    sep = rng.choice(_SEPARATORS)
    return sep.join(word) if rng.random() < 0.8 else word[0] + sep + word[1:]


def _fill(rng: random.Random, template: str, obfuscate: float) -> str:
    slots = {
        "year": str(rng.randint(2019, 2025)),
        "n": str(rng.choice((5, 10, 20))),
        "money": rng.choice(("1만원", "3만원", "5만원")),
        "pct": str(rng.choice((10, 15, 20, 30))),
        "pct2": str(rng.choice((5, 10))),
        "code": rng.choice(("WIN77", "7777", "VIP1", "8888", "SEA77", "1004")),
        "region": rng.choice(("서울", "강남", "부산", "인천", "수원", "대구")),
        "region2": rng.choice(("역삼", "홍대", "신림", "잠실", "분당")),
        "handle": rng.choice(("vip", "bet", "money", "night", "seo", "toto")) + str(rng.randint(7, 9999)),
        "phone": f"010-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
        "domain": rng.choice(("toto", "casino", "bet", "slot")) + f"{rng.randint(10, 999)}.com",
        "site": rng.choice(_SITES),
    }
    text = re.sub(r"\{(\w+)\}", lambda m: slots[m.group(1)], template)
    return re.sub(r"<([^>]+)>", lambda m: _obfuscate(rng, m.group(1)) if rng.random() < obfuscate else m.group(1), text)


def make_spam_page(rng: random.Random) -> str:
    """A Korean spam page (3–9 lines) from templates: title, keyword lines, filler, contact handle."""
    category = rng.choices(list(_SPAM), weights=(4, 2, 2, 1))[0]
    parts = _SPAM[category]
    obfuscate = rng.choice((0.0, 0.3, 1.0))
    lines = [_fill(rng, rng.choice(parts["title"]), obfuscate), ""]
    body = rng.sample(parts["body"], k=rng.randint(2, min(5, len(parts["body"]))))
    if rng.random() < 0.4:
        body += rng.sample(_FILLER, k=rng.randint(1, 2))
        rng.shuffle(body)
    lines += [_fill(rng, line, obfuscate) for line in body]
    if rng.random() < 0.85:
        lines += ["", _fill(rng, rng.choice(_CONTACT), obfuscate)]
    return "\n".join(lines)


def _name(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + rng.choice(_GIVEN)


def _email(rng: random.Random) -> str:
    return f"{rng.choice(_ROMAN)}@{rng.choice(_DOMAINS)}"


def _lead(rng: random.Random, outlet: str) -> str:
    """A lead prefix for the first line: (서울=연합뉴스) 홍길동 기자 = , [한빛일보 홍길동 기자] , [한빛일보] …"""
    reporters = " ".join(_name(rng) for _ in range(rng.choice((1, 1, 2))))
    return rng.choice(
        (
            f"({rng.choice(_CITIES)}={rng.choice(_AGENCIES)}) {reporters} 기자 = ",
            f"[{rng.choice(_CITIES)}={rng.choice(_AGENCIES)}]{reporters} 특파원 = ",
            f"【{rng.choice(_CITIES)}={rng.choice(_AGENCIES)}】 {reporters} 기자 = ",
            f"[{outlet} {reporters} 기자] ",
            f"[{outlet}] ",
            f"{_name(rng)} 기자 = ",
        )
    )


def _header(rng: random.Random, outlet: str) -> list[str]:
    section = rng.choice(_SECTIONS)
    options = (
        f"홈 > 뉴스 > {section}",
        "로그인 회원가입 마이페이지",
        "전체메뉴 검색 로그인",
        " | ".join(rng.sample(_SECTIONS, k=5)),
        f"{outlet} 홈 > {section}",
    )
    return rng.sample(options, k=rng.randint(1, 3))


def _footer(rng: random.Random, outlet: str) -> tuple[list[str], str, list[str]]:
    """(byline e-mail lines, copyright notice, promo and site-footer lines)."""
    year = rng.randint(2015, 2025)
    reporter = rng.choice(
        (
            f"{_name(rng)} 기자 {_email(rng)}",
            f"/{_name(rng)} 기자 {_email(rng)}",
            f"{_name(rng)} 기자({_email(rng)})",
            _email(rng),
        )
    )
    copyright_ = rng.choice(
        (
            f"<저작권자 ⓒ {outlet}, 무단 전재-재배포, AI 학습 및 활용 금지>",
            f"ⓒ {outlet}, 무단전재 및 재배포 금지",
            f"저작권자 © {outlet} 무단전재 및 재배포금지",
            f"Copyright ⓒ {outlet}. All rights reserved.",
            "무단 전재 및 재배포 금지",
        )
    )
    promos = (
        "▶ 관련기사",
        f"네이버에서 {outlet} 구독하기",
        "▶ 제보는 카카오톡 okjebo",
        f"▶ {outlet} 앱 설치하고 기사 더 보기",
        "[관련기사]",
        "이 시각 주요뉴스",
    )
    site = (
        "이전글 다음글 목록",
        "회사소개 | 이용약관 | 개인정보처리방침 | 청소년보호정책 | 고객센터",
        f"(주){outlet} | 대표 : {_name(rng)} | 사업자등록번호 : {rng.randint(100, 999)}-{rng.randint(10, 99)}-{rng.randint(10000, 99999)}",
        f"통신판매업 신고번호 : 제{year}-서울마포-{rng.randint(1000, 9999)}호",
        f"개인정보관리책임자 : {_name(rng)}",
        f"주소 : 서울특별시 마포구 월드컵북로 {rng.randint(1, 400)} | 전화 : 02-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
        f"발행인 : {_name(rng)} | 편집인 : {_name(rng)}",
        f"Copyright © {year} {outlet}. All rights reserved.",
    )
    rest = rng.sample(promos, k=rng.randint(0, 3)) + rng.sample(site, k=rng.randint(1, 5))
    return ([reporter] if rng.random() < 0.8 else []), copyright_, rest


def make_boilerplate_page(rng: random.Random, body: str) -> str:
    """`body` wrapped in news/web boilerplate: navigation header, a lead prefix on the first line (60%),
    a copyright notice after the last sentence (20%) or on its own line, byline e-mail, promos, site footer.
    With an empty `body` the page is boilerplate only (header and footer), which stripping empties."""
    outlet = rng.choice(_OUTLETS)
    reporter, copyright_, rest = _footer(rng, outlet)
    if not body.strip():
        return "\n".join([*_header(rng, outlet), "", *reporter, copyright_, *rest])
    lines = body.strip().split("\n")
    if rng.random() < 0.6:
        lines[0] = _lead(rng, outlet) + lines[0]
    if rng.random() < 0.2 and copyright_.startswith(("<", "ⓒ", "저작권자", "Copyright")):
        lines[-1] = f"{lines[-1]} {copyright_}"
        footer = [*reporter, *rest]
    else:
        footer = [*reporter, copyright_, *rest]
    header = _header(rng, outlet) if rng.random() < 0.7 else []
    return "\n".join([*header, "", *lines, "", *footer])
