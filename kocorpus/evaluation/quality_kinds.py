"""Seeded generators of the Korean document kinds that FineWeb-2's rules misjudge, built around real sentences.

Good kinds: 개조식 notes/minutes (real sentences turned into bullet items with nominal endings), tables of
figures (Markdown, pipe, tab/space-aligned; real nouns as row labels), administrative notices, technical
explainers (English terms, identifiers, versions), gambling news and finance (loan) news. Bad kind: loan /
gambling / adult ads written as prose. `benchmarks/make_quality_kinds.py` writes them (from the shared Korean
collection) to tests/data/quality_kinds.jsonl. Every template string here is written by the kocorpus authors;
the ad and news templates come in two pools, `dev` and `heldout`, so rules can be developed on one and checked
on the other.
"""

import random
import re

_SURNAMES = "김이박최정강조윤장임한오서신권황안송류홍"
_ORGS = ("총무팀", "기획조정실", "학사지원팀", "시설관리과", "민원봉사과", "평생교육원", "도서관", "주민센터", "교무처")
_PLACES = (
    "본관 3층 대회의실",
    "제2세미나실",
    "온라인(Zoom)",
    "구청 별관 강당",
    "도서관 1층 다목적실",
    "학생회관 201호",
)
_DAYS = "월화수목금"


def split_sentences(text: str) -> list[str]:
    """Sentences of real prose ending in 다. / 요. / ! / ? (cheap split; good enough for building documents)."""
    parts = re.split(r"(?<=[다요죠까][.!?])\s+|(?<=[.!?])\s+(?=[가-힣A-Z\"“'‘(\[])", text)
    return [p.strip() for p in parts if 12 <= len(p.strip()) <= 200]


def _date(rng: random.Random) -> tuple[int, int, int]:
    return rng.randint(2019, 2025), rng.randint(1, 12), rng.randint(1, 28)


def _fmt_date(rng: random.Random) -> str:
    y, m, d = _date(rng)
    return rng.choice((f"{y}. {m}. {d}.({rng.choice(_DAYS)})", f"{y}년 {m}월 {d}일", f"{y}.{m:02d}.{d:02d}"))


def _person(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + rng.choice(("○○", "OO", "민수", "지영", "현우", "수진", "태호"))


# Nominal (개조식) rewrites of sentence endings: the way notes shorten a finished sentence.
_NOMINAL = (
    (r"하였다\.$", "하였음"),
    (r"했다\.$", "함"),
    (r"(되었다|됐다)\.$", "됨"),
    (r"된다\.$", "됨"),
    (r"한다\.$", "함"),
    (r"이다\.$", "임"),
    (r"있다\.$", "있음"),
    (r"없다\.$", "없음"),
    (r"였다\.$", "였음"),
    (r"밝혔다\.$", "밝힘"),
    (r"(전했|말했|설명했)다\.$", r"\1음"),
    (r"것이다\.$", "것"),
    (r"(할|될) 것으로 보인다\.$", r"\1 것으로 보임"),
    (r"습니다\.$", "음"),
)


def _note_item(sentence: str, rng: random.Random) -> str:
    """A 개조식 item from a real sentence: nominal ending, noun phrase (predicate cut) or kept as is."""
    style = rng.random()
    if style < 0.55:
        for pattern, repl in _NOMINAL:
            if re.search(pattern, sentence):
                return re.sub(pattern, repl, sentence)
    if style < 0.85:
        words = sentence.rstrip(".").split()
        if len(words) > 4:
            cut = words[: rng.randint(3, max(3, len(words) - 1))]
            return re.sub(r"(은|는|이|가|을|를|에서|으로|로|와|과|의)$", "", " ".join(cut))
    return sentence


_BULLETS = ("-", "·", "○", "◦", "•", "▶", "■", "□", "*")
_HEADINGS = (
    ("1.", "2.", "3.", "4."),
    ("Ⅰ.", "Ⅱ.", "Ⅲ.", "Ⅳ."),
    ("가.", "나.", "다.", "라."),
    ("[1]", "[2]", "[3]", "[4]"),
    ("#", "#", "#", "#"),
)
_SECTION_NAMES = (
    "배경",
    "현황",
    "주요 내용",
    "논의 사항",
    "결정 사항",
    "향후 계획",
    "참고",
    "문제점",
    "개선 방안",
    "요약",
)


def make_notes(sentences: list[str], rng: random.Random) -> str:
    """개조식 notes/minutes: title, optional meta lines, sections of bullet items from real sentences."""
    topic = re.sub(r"[^\w ]", "", " ".join(rng.choice(sentences).split()[:3]))
    kind = rng.choice(("minutes", "lecture", "memo", "manual"))
    title = {
        "minutes": rng.choice(
            (f"[회의록] {topic} 관련 회의", f"{topic} 검토 회의 결과", f"제{rng.randint(2, 40)}차 운영위원회 회의록")
        ),
        "lecture": rng.choice(
            (f"{topic} 강의 노트", f"{rng.randint(1, 15)}주차 정리: {topic}", f"<{topic}> 수업 요약")
        ),
        "memo": rng.choice((f"■ {topic} 정리", f"{topic} 메모", f"업무 메모 ({_fmt_date(rng)})")),
        "manual": rng.choice((f"{topic} 업무 매뉴얼", f"{topic} 처리 절차 안내", f"[지침] {topic}")),
    }[kind]
    lines = [title]
    if kind == "minutes":
        lines += [
            f"일시: {_fmt_date(rng)} {rng.randint(9, 17)}:00~{rng.randint(10, 18)}:30",
            f"장소: {rng.choice(_PLACES)}",
            f"참석: {', '.join(_person(rng) for _ in range(rng.randint(2, 4)))} 외 {rng.randint(1, 9)}명",
        ]
    if rng.random() < 0.3:
        lines.append("")
    heads = rng.choice(_HEADINGS)
    bullet = rng.choice(_BULLETS)
    numbered = rng.random() < 0.3
    pool = rng.sample(sentences, min(len(sentences), rng.randint(5, 14)))
    n_sections = rng.randint(1, min(4, max(1, len(pool) // 2)))
    names = rng.sample(_SECTION_NAMES, n_sections)
    per = max(1, len(pool) // n_sections)
    for s in range(n_sections):
        if n_sections > 1 or rng.random() < 0.5:
            lines.append(f"{heads[s]} {names[s]}")
        for k, sentence in enumerate(pool[s * per : (s + 1) * per]):
            marker = f"{k + 1})" if numbered else "①②③④⑤⑥⑦⑧⑨⑩"[k % 10] if rng.random() < 0.1 else bullet
            indent = "  " if rng.random() < 0.15 else ""
            lines.append(f"{indent}{marker} {_note_item(sentence, rng)}")
            if rng.random() < 0.12:
                lines.append(f"  - {rng.choice(('기한', '담당', '예산', '인원'))}: {_figure(rng)}")
        if rng.random() < 0.25:
            lines.append(f"※ {_note_item(rng.choice([x for x in sentences if x not in pool] or sentences), rng)}")
        if rng.random() < 0.3:
            lines.append("")
    return "\n".join(lines).strip()


def _figure(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.25:
        return f"{rng.randint(1, 999):,}만 원"
    if kind < 0.5:
        return f"{rng.randint(1, 12)}월 {rng.randint(1, 28)}일까지"
    if kind < 0.75:
        return f"{rng.randint(2, 120)}명"
    return f"{_person(rng)} ({rng.choice(_ORGS)})"


def _cell_number(rng: random.Random, col: str) -> str:
    if "율" in col or "%" in col or "비중" in col:
        return f"{rng.uniform(0, 100):.1f}"
    if "증감" in col:
        return rng.choice(("△", "-", "+", "")) + f"{rng.uniform(0, 30):.1f}"
    if "가격" in col or "원" in col or "금액" in col:
        return f"{rng.randint(1, 500) * 100:,}"
    return f"{rng.randint(0, 99999):,}"


_TABLE_COLS = (
    ("구분", "2021년", "2022년", "2023년", "증감률(%)"),
    ("구분", "인원(명)", "비율(%)"),
    ("항목", "금액(천원)", "비중(%)", "비고"),
    ("지역", "신청", "선정", "경쟁률"),
    ("품목", "가격(원)", "비고"),
    ("연도", "매출액(억원)", "영업이익(억원)", "증감"),
    ("분기", "1분기", "2분기", "3분기", "4분기"),
)


def make_table(sentences: list[str], nouns: list[str], rng: random.Random) -> str:
    """A statistics page: intro sentence(s), caption, a table (Markdown / pipe / tabs / aligned / collapsed),
    source line; row labels are real nouns."""
    cols = rng.choice(_TABLE_COLS)
    rows = []
    for label in rng.sample(nouns, min(len(nouns), rng.randint(3, 12))):
        cells = []
        for col in cols[1:]:
            cells.append(rng.choice(("", "신규", "-", "조정")) if col == "비고" else _cell_number(rng, col))
        rows.append([label, *cells])
    if rng.random() < 0.5:
        rows.append(["합계" if rng.random() < 0.5 else "계", *(_cell_number(rng, c) for c in cols[1:])])
    style = rng.choice(("markdown", "pipe", "tabs", "aligned", "collapsed"))
    table = []
    if style == "markdown":
        table.append("| " + " | ".join(cols) + " |")
        table.append("|" + "|".join(rng.choice(("---", ":---:", "---:")) for _ in cols) + "|")
        table += ["| " + " | ".join(r) + " |" for r in rows]
    elif style == "pipe":
        table += [" | ".join(cols)] + [" | ".join(r) for r in rows]
    elif style == "tabs":
        table += ["\t".join(cols)] + ["\t".join(r) for r in rows]
    elif style == "aligned":
        width = [max(len(r[i]) for r in [list(cols), *rows]) + 2 for i in range(len(cols))]
        table += ["".join(c.ljust(w) for c, w in zip(r, width, strict=True)).rstrip() for r in [list(cols), *rows]]
    else:
        table += [" ".join(cols)] + [" ".join(c or "-" for c in r) for r in rows]
    lines = rng.sample(sentences, min(len(sentences), rng.randint(1, 3)))
    caption = rng.choice(
        (
            f"<표 {rng.randint(1, 9)}> {nouns[0]} 현황",
            f"[표] {rng.choice(nouns)}별 현황",
            f"(단위: {rng.choice(('명', '%', '억원', '천원', '건'))})",
            "",
        )
    )
    tail = rng.choice(("자료: 통계청", "출처: 한국은행 경제통계시스템", f"※ {_fmt_date(rng)} 기준", "주: 잠정치", ""))
    doc = [" ".join(lines[:2]), "", caption, *table, tail]
    if len(lines) > 2:
        doc += ["", lines[2]]
    return "\n".join(x for x in doc if x is not None).replace("\n\n\n", "\n\n").strip()


def make_notice(sentences: list[str], rng: random.Random) -> str:
    """An administrative notice: title, greeting, real body sentences, numbered key: value schedule, closing."""
    topic = rng.choice(("2024년 하반기 시설 점검", "정기 소독", "장학금 신청", "주민 설명회", "도서관 휴관", "전산 시스템 점검",
                        "건강검진", "민원 서류 발급 중단", "평생학습 강좌 수강생 모집", "주차장 이용 제한"))  # fmt: skip
    org = rng.choice(_ORGS)
    lines = [rng.choice((f"[공지] {topic} 안내", f"{topic} 안내문", f"<{topic} 실시 알림>", f"■ {topic} 안내"))]
    lines.append(rng.choice(("안녕하십니까.", "주민 여러분께 알려 드립니다.", "", "항상 협조해 주셔서 감사합니다.")))
    lines += rng.sample(sentences, min(len(sentences), rng.randint(1, 3)))
    keys = rng.sample(
        ("일시", "기간", "장소", "대상", "신청 기간", "신청 방법", "제출 서류", "선발 인원", "유의 사항"),
        rng.randint(3, 6),
    )
    marks = rng.choice(
        (
            ("1.", "2.", "3.", "4.", "5.", "6.", "7."),
            ("가.", "나.", "다.", "라.", "마.", "바.", "사."),
            ("○",) * 7,
            ("-",) * 7,
        )
    )
    values = {
        "일시": f"{_fmt_date(rng)} {rng.randint(9, 15)}:00~{rng.randint(16, 18)}:00",
        "기간": f"{_fmt_date(rng)} ~ {_fmt_date(rng)}",
        "장소": rng.choice(_PLACES),
        "대상": rng.choice(("관내 거주 주민", "재학생 및 휴학생", "전 직원", "65세 이상 어르신", "관내 초·중학생")),
        "신청 기간": f"{_fmt_date(rng)}부터 {rng.randint(5, 20)}일간",
        "신청 방법": rng.choice(("홈페이지 온라인 접수", "방문 접수(평일 09:00~18:00)", "이메일 또는 팩스 접수")),
        "제출 서류": rng.choice(("신청서 1부, 신분증 사본 1부", "재학증명서, 성적증명서 각 1부", "없음")),
        "선발 인원": f"{rng.randint(5, 200)}명(선착순)",
        "유의 사항": rng.choice(
            (
                "기간 내 미신청 시 불이익이 있을 수 있음",
                "작업 중 엘리베이터 운행 중지",
                "주차 공간이 협소하니 대중교통 이용 바람",
            )
        ),
    }
    lines += [f"{marks[i]} {k}: {values[k]}" for i, k in enumerate(keys)]
    lines.append(f"{marks[len(keys)]} 문의: {org} (02-{rng.randint(200, 999)}-{rng.randint(1000, 9999)})")
    if rng.random() < 0.6:
        lines.append(rng.choice(("※ 자세한 사항은 홈페이지 공지사항을 참고하시기 바랍니다.", "※ 일정은 사정에 따라 변경될 수 있습니다.",
                                 "주민 여러분의 많은 관심과 협조 부탁드립니다.")))  # fmt: skip
    lines += [_fmt_date(rng), rng.choice(("○○구청장", f"{org}장", "○○대학교 총장", "관리사무소장"))]
    return "\n".join(x for x in lines if x)


_TECH_TERMS = ("Python 3.11", "PyTorch 2.1", "CUDA 12.2", "Kubernetes", "Docker 이미지", "REST API", "JSON", "gRPC",
               "Nginx 1.24", "PostgreSQL 16", "Redis", "TLS 1.3", "HTTP/2", "GitHub Actions", "Node.js 20", "Spring Boot 3.2",
               "Transformer", "fine-tuning", "LoRA", "BERT", "GPU 메모리", "batch size", "learning rate", "API key")  # fmt: skip
_TECH_SENTENCES = (
    "{t1} 환경에서 `{ident}` 함수를 호출하면 기본값으로 {n}개의 worker가 생성된다.",
    "{t1}부터는 설정 파일의 `{ident}` 항목이 deprecated 되었으므로 {t2} 방식으로 옮기는 것이 좋다.",
    "이 문제는 {t1}와 {t2}의 버전이 맞지 않을 때 발생하며, v{v} 이상으로 업그레이드하면 해결된다.",
    "로그에 `{err}` 오류가 찍히면 {t1} 설정에서 timeout 값을 {n}초 이상으로 늘려 보자.",
    "{t1}는 {t2}와 달리 요청마다 연결을 새로 맺지 않기 때문에 지연 시간이 {n}% 정도 줄어든다.",
    "예를 들어 `pip install {pkg}=={v}` 명령으로 설치한 뒤 `{ident}()`를 실행하면 된다.",
    "{t1}의 기본 포트는 {port}번이며, 방화벽에서 이 포트를 열어 두어야 외부에서 접속할 수 있다.",
    "실험 결과 {t1}를 적용했을 때 정확도는 {pct}%에서 {pct2}%로 올랐지만 학습 시간은 {n}배 늘었다.",
)


def make_technical(sentences: list[str], rng: random.Random) -> str:
    """A technical explainer: real sentences interleaved with sentences full of English terms, identifiers,
    versions and inline code."""
    body = rng.sample(sentences, min(len(sentences), rng.randint(1, 4)))
    for template in rng.sample(_TECH_SENTENCES, rng.randint(3, 7)):
        t1, t2 = rng.sample(_TECH_TERMS, 2)
        body.insert(
            rng.randint(0, len(body)),
            template.format(
                t1=t1, t2=t2, n=rng.randint(2, 64), v=f"{rng.randint(1, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}",
                ident=rng.choice(("load_config", "DataLoader", "max_connections", "num_workers", "useEffect", "fit_transform")),
                err=rng.choice(("ConnectionResetError", "OOMKilled", "NullPointerException", "ECONNREFUSED")),
                pkg=rng.choice(("requests", "numpy", "fastapi", "transformers")), port=rng.choice((80, 443, 5432, 6379, 8080)),
                pct=rng.randint(60, 80), pct2=rng.randint(81, 95),
            ),
        )  # fmt: skip
    paras, i = [], 0
    while i < len(body):
        k = rng.randint(1, 3)
        paras.append(" ".join(body[i : i + k]))
        i += k
    title = rng.choice(("", f"{rng.choice(_TECH_TERMS)} 설정 방법 정리", f"[개발] {rng.choice(_TECH_TERMS)} 사용기"))
    return "\n\n".join(x for x in [title, *paras] if x)


# --- news about gambling and loans (kept) and ads written as prose (dropped), in two template pools ---

_NEWS = {
    "gambling": {
        "dev": (
            "경찰이 해외에 서버를 둔 불법 스포츠 도박 사이트 운영 조직을 적발해 {n}명을 검거했다.",
            "이들은 {y}년부터 최근까지 회원 {m}명에게서 {amt}억 원 규모의 판돈을 받은 혐의를 받는다.",
            "경찰은 사설 토토와 온라인 카지노 사이트가 SNS 광고로 청소년까지 끌어들이고 있다고 설명했다.",
            "사행산업통합감독위원회는 불법 도박 시장 규모가 {amt}조 원에 이를 것으로 추산했다.",
        ),
        "heldout": (
            "검찰은 바카라 등 온라인 도박 사이트 수익을 세탁한 혐의로 총책 {name}씨를 구속 기소했다고 {d}일 밝혔다.",
            "도박 중독으로 상담을 받은 청소년은 지난해 {m}명으로 {y}년보다 크게 늘었다.",
            '전문가들은 "먹튀 검증을 내세운 홍보 글 대부분이 사실상 불법 사이트 광고"라고 지적했다.',
            "강원랜드 카지노의 올해 매출은 전년 대비 {pct}% 증가한 것으로 집계됐다.",
        ),
    },
    "finance": {
        "dev": (
            "한국은행에 따르면 지난달 가계대출 잔액은 전월보다 {amt}조 원 늘어난 것으로 나타났다.",
            "금융당국은 무직자나 저신용자를 노린 불법 사금융 피해가 늘고 있다며 주의를 당부했다.",
            "시중은행의 주택담보대출 금리는 연 {r}~{r2}% 수준으로 한 달 새 0.{k}%포인트 올랐다.",
            "정부는 연체 중인 취약 차주의 채무 조정을 돕기 위해 {amt}조 원 규모의 지원책을 내놨다.",
        ),
        "heldout": (
            "금융감독원은 '당일 대출 가능'을 내세운 문자 광고의 상당수가 불법 대부업체라고 밝혔다.",
            "신용불량자도 이용할 수 있다는 광고에 속아 수수료를 먼저 보낸 피해자가 {m}명에 달했다.",
            "인터넷은행의 중저신용자 대출 비중은 {pct}%로 목표치에 미치지 못했다.",
            "대출 규제 완화 이후 {y}년 {mo}월 가계부채 증가 폭은 {amt}조 원으로 확대됐다.",
        ),
    },
}
_AD = {
    "loan": {
        "dev": (
            "무직자 당일대출, 신용불량 대출 가능한 곳을 찾고 계신가요?",
            "연체 중 추가대출도 상담 후 진행해 드리고 있습니다.",
            "서류 없이 비대면으로 {amt}만 원까지 당일 입금해 드립니다.",
            "다른 곳에서 거절되셨던 분들도 부담 갖지 마시고 편하게 연락 주세요.",
            "주부, 학생, 프리랜서 누구나 소득 증빙 없이 신청 가능합니다.",
            "✔ 24시간 상담 ✔ 당일 승인 ✔ 비밀 보장",
        ),
        "heldout": (
            "급하게 돈이 필요하신데 은행 문턱이 높으셨죠?",
            "저희는 신용점수와 관계없이 한도 {amt}만 원까지 바로 승인해 드려요.",
            "개인회생, 파산면책 중이신 분도 추가 자금 마련이 가능합니다.",
            "지금 문자 한 통이면 상담 실장이 10분 안에 연락드립니다.",
            "1. 무방문 진행 2. 가족 모르게 3. 최저 이자",
            "망설이는 순간 기회는 지나갑니다. 오늘 바로 신청하세요!",
        ),
    },
    "gambling": {
        "dev": (
            "스포츠 좋아하시는 분들께 정말 괜찮은 곳 하나 소개해 드리려고 합니다.",
            "가입만 하셔도 첫 충전 {pct}% 보너스를 드리고 환전은 5분이면 끝납니다.",
            "먹튀 걱정 없는 메이저 놀이터라 몇 년째 안전하게 운영 중이에요.",
            "축구, 야구, 농구 전 경기 배팅 가능하고 실시간 카지노도 즐기실 수 있습니다.",
            "▶ 추천인 코드 입력 시 추가 포인트 지급",
        ),
        "heldout": (
            "요즘 소액으로 용돈 버는 분들 많으시죠?",
            "저도 처음엔 반신반의했는데 여기서 바카라로 한 달에 {amt}만 원씩 벌고 있어요.",
            "신규 회원은 무료 머니 {k}만 원을 받고 시작하니 손해 볼 일이 없습니다.",
            "출금 제한 없고 24시간 고객센터가 운영돼서 믿고 쓰고 있어요.",
            "궁금하신 분은 아래 아이디로 연락 주시면 주소 알려 드릴게요.",
        ),
    },
    "adult": {
        "dev": (
            "하루의 피로를 풀어 드리는 프리미엄 출장 힐링 서비스입니다.",
            "{region} 전 지역 30분 이내 방문, 20대 관리사가 정성껏 모십니다.",
            "후불제로 운영되니 안심하고 예약하셔도 됩니다.",
            "예약은 선착순이며 심야 시간에도 가능합니다.",
        ),
        "heldout": (
            "외로운 밤, 대화가 통하는 친구를 만나 보세요.",
            "{region} 지역 실제 회원만 가입된 만남 앱이라 조건에 맞는 분을 바로 연결해 드려요.",
            "가입비 없이 프로필 확인 후 원하시는 분과 연락하시면 됩니다.",
            "비밀 보장은 기본, 부담 없는 만남을 약속드립니다.",
        ),
    },
}
_CONTACT_LINES = {
    "dev": ("상담: 010-{a}-{b}", "카톡 ID: {h}", "텔레그램 @{h}", "문의는 카톡 {h} 으로 주세요"),
    "heldout": ("☎ 010 {a} {b} (24시간)", "오픈채팅 '{h}' 검색", "라인 아이디 {h}", "연락처 010.{a}.{b}"),
}


def _slots(rng: random.Random) -> dict:
    return {
        "n": rng.randint(8, 60), "y": rng.randint(2018, 2024), "m": f"{rng.randint(1, 90) * 100:,}",
        "amt": rng.choice((3, 5, 12, 30, 150, 300, 500)), "d": rng.randint(1, 28), "name": rng.choice(_SURNAMES),
        "pct": rng.choice((5, 10, 20, 30)), "r": rng.randint(3, 5), "r2": rng.randint(6, 7), "k": rng.randint(1, 4),
        "mo": rng.randint(1, 12), "region": rng.choice(("서울", "강남", "부산", "인천", "대구", "수원")),
        "a": rng.randint(1000, 9999), "b": rng.randint(1000, 9999),
        "h": rng.choice(("money", "vip", "help", "fast", "best")) + str(rng.randint(10, 999)),
    }  # fmt: skip


def make_news(topic: str, pool: str, sentences: list[str], rng: random.Random) -> str:
    """A news article about gambling or loans: headline, topical sentences from `pool`, real news sentences."""
    slots = _slots(rng)
    topical = [s.format(**slots) for s in rng.sample(_NEWS[topic][pool], rng.randint(3, len(_NEWS[topic][pool])))]
    words = topical.pop().rstrip(".").split()  # the headline: a shortened topical sentence not repeated below
    headline = " ".join(words[: rng.randint(4, max(4, len(words) - 1))])
    body = topical + rng.sample(sentences, min(len(sentences), rng.randint(2, 6)))
    rest = body[1:]
    rng.shuffle(rest)
    body = [body[0], *rest]
    paras, i = [], 0
    while i < len(body):
        k = rng.randint(1, 3)
        paras.append(" ".join(body[i : i + k]))
        i += k
    return "\n\n".join([headline, *paras])


def make_prose_ad(category: str, pool: str, sentences: list[str], rng: random.Random) -> str:
    """A loan/gambling/adult ad written as prose: fluent sentences, sometimes a list, a real filler sentence,
    a call to action and (mostly) a contact line."""
    slots = _slots(rng)
    chosen = [s.format(**slots) for s in rng.sample(_AD[category][pool], rng.randint(3, len(_AD[category][pool])))]
    if rng.random() < 0.3 and sentences:
        chosen.insert(rng.randint(0, len(chosen)), rng.choice(sentences))
    if rng.random() < 0.4:
        paras = [" ".join(chosen[: len(chosen) // 2]), "\n".join(f"- {s}" for s in chosen[len(chosen) // 2 :])]
    else:
        paras = [" ".join(chosen)]
    if rng.random() < 0.85:
        paras.append(rng.choice(_CONTACT_LINES[pool]).format(**slots))
    return "\n\n".join(paras)
