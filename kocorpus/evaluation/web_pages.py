"""A labelled set of Korean web pages for extraction benchmarks and tests.

Templates imitate the markup of Naver blog (SmartEditor ONE and SmartEditor 2, and the frame shell), Naver news,
Daum news, Tistory skins, Naver cafe, a community forum, a public-office notice board, a WordPress-style blog, a
regional-news CMS and a 404 page,
each with class-name and nesting variants (including ones no site rule names), filled with real Korean text
(`web_text.py`). Every page carries its expected body lines and its boilerplate strings (menus, comments and
replies, related posts, category lists, like buttons, bylines, copyright lines), and is encoded in UTF-8 or CP949
with one charset-declaration case: header only, meta only, both, none, or a wrong label.
"""

import html as htmllib
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from kocorpus.evaluation.web_text import load

FAMILIES = (
    "naver_blog_se3",
    "naver_blog_se2",
    "naver_blog_shell",
    "naver_news",
    "daum_news",
    "tistory",
    "forum",
    "public_notice",
    "wordpress_blog",
    "not_found",
    "naver_cafe",
    "local_news",
)
HELD_OUT = ("naver_cafe", "local_news")
"""Families written after the site rules had been tuned on the others (forum and notice leakage led to the
Korean board-software selectors of `strip_default`; these two never changed a rule)."""
# (encoding, declaration case, label used): every case for both encodings; CP949 pages get Korean legacy labels.
CHARSET_CASES = (
    ("utf-8", "header", "utf-8"),
    ("utf-8", "meta", "UTF-8"),
    ("utf-8", "both", "utf-8"),
    ("utf-8", "none", None),
    ("utf-8", "wrong", "iso-8859-1"),
    ("cp949", "header", "euc-kr"),
    ("cp949", "meta", "ks_c_5601-1987"),
    ("cp949", "both", "EUC-KR"),
    ("cp949", "none", None),
    ("cp949", "wrong", "iso-8859-1"),
    ("cp949", "meta", "x-windows-949"),
)


@dataclass
class Page:
    """One labelled page. `expect`: "keep" (has a body), "iframe_shell" or "not_found" (no document wanted)."""

    id: str
    family: str
    url: str
    html: bytes
    content_type: str
    """The HTTP Content-Type header value (with or without charset)."""
    encoding: str
    charset_case: str
    body: list[str]
    boilerplate: list[str]
    expect: str = "keep"
    status: int = 200
    variant: str = ""
    meta: dict = field(default_factory=dict)


def _e(s: str) -> str:
    return htmllib.escape(s, quote=False)


class _Text:
    """Draws distinct paragraphs from the pools so that body and boilerplate never share a string."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.pools = {k: list(v) for k, v in load().items()}
        for v in self.pools.values():
            rng.shuffle(v)
        self.pos = dict.fromkeys(self.pools, 0)

    def take(self, pool: str, n: int) -> list[str]:
        items = self.pools[pool]
        out = [items[(self.pos[pool] + i) % len(items)] for i in range(n)]
        self.pos[pool] += n
        return out


NAV = ["홈", "뉴스", "정치", "경제", "사회", "생활/문화", "세계", "IT/과학", "오피니언", "랭킹", "구독설정"]
BLOG_CATS = ["일상다반사", "맛집 탐방기", "여행 이야기", "책 읽는 시간", "영화 감상문", "육아 일기", "재테크 공부"]
FORUM_BOARDS = ["자유게시판", "유머게시판", "질문과답변", "중고장터", "사진게시판", "정보공유"]
NICKS = ["달빛여우", "하늘바라기", "코딩하는곰", "봄날의햏자", "뷁뷁이", "똠양꿍러버", "쌰랄라", "고양이집사"]


def _naver_blog_se3(t: _Text, rng: random.Random, variant: int) -> tuple[str, str, list[str], list[str]]:
    body = t.take("blog", rng.randint(3, 6))
    cats = rng.sample(BLOG_CATS, 4)
    comments = t.take("comments", 3)
    related = t.take("titles", 3)
    nick = rng.choice(NICKS)
    paras = "".join(
        f'<div class="se-component se-text se-l-default"><div class="se-component-content"><div class="se-section '
        f'se-section-text"><div class="se-module se-module-text"><p class="se-text-paragraph se-text-paragraph-align-">'
        f'<span class="se-fs- se-ff-">{_e(p)}</span></p></div></div></div></div>'
        + (
            '<div class="se-component se-image"><img src="https://postfiles.pstatic.net/a.jpg" alt="사진">'
            '<div class="se-caption"><p class="se-text-paragraph">직접 찍은 사진입니다 (캡션)</p></div></div>'
            if i == 0
            else ""
        )
        for i, p in enumerate(body)
    )
    wrap = ("se_component_wrap sect_dsc __se_component_area", "se-main-container")[variant % 2]
    html = f"""<div id="whole-border"><div id="blog-menu" class="blog-menu"><ul>{"".join(f"<li><a>{c}</a></li>" for c in cats)}</ul></div>
<div id="postListBody"><div class="post _post_wrap">
<div class="se-documentTitle"><h3 class="se-title-text">{_e(t.take("titles", 1)[0])}</h3>
<span class="nick">{nick}</span><span class="se_publishDate">2023. 5. 14. 21:07</span></div>
<div class="{wrap}">{paras}</div>
<div class="post_tag"><a>#일상</a> <a>#{cats[0]}</a></div>
<div class="area_sympathy"><a class="u_likeit_list_btn"><span class="u_likeit_text">공감한 사람 보러가기</span></a><em>공감 17</em></div>
<div class="wrap_postcomment"><div class="area_comment">{"".join(f'<div class="u_cbox_comment"><span class="u_cbox_nick">{rng.choice(NICKS)}</span><span class="u_cbox_contents">{_e(c)}</span></div>' for c in comments)}</div></div>
</div></div>
<div class="blog_related"><h4>이 블로그 {cats[1]} 카테고리 글</h4><ul>{"".join(f"<li><a>{_e(r)}</a></li>" for r in related)}</ul></div>
<div id="footer">이 블로그의 저작물은 저작자의 허락 없이 무단 사용할 수 없습니다. ⓒ NAVER Corp.</div></div>"""
    boiler = [*cats, *comments, *related, "공감한 사람 보러가기", "직접 찍은 사진입니다 (캡션)", "ⓒ NAVER Corp."]
    return (
        html,
        "https://blog.naver.com/PostView.naver?blogId=moonfox&logNo=2231" + str(rng.randrange(10**6)),
        body,
        boiler,
    )


def _naver_blog_se2(t: _Text, rng: random.Random, variant: int) -> tuple[str, str, list[str], list[str]]:
    body = t.take("blog", rng.randint(2, 5)) + t.take("uhc", 1)
    cats = rng.sample(BLOG_CATS, 3)
    comments = t.take("comments", 2)
    if variant % 2:
        inner = "".join(f'<p><span style="font-size:10pt;">{_e(p)}</span></p><p>&nbsp;</p>' for p in body)
    else:
        inner = "<br>\n<br>\n".join(f'<font face="굴림">{_e(p)}</font>' for p in body)
    html = f"""<table class="post-top"><tr><td class="pcol1"><span class="pcol1 itemSubjectBoldfont">{_e(t.take("titles", 1)[0])}</span></td>
<td class="date">2009/07/12 13:40</td></tr></table>
<div class="category_list">{"".join(f"<a>{c}</a> " for c in cats)}</div>
<div id="postViewArea"><div>{inner}</div></div>
<div class="post_footer_contents"><a class="btn_like">공감하기</a> <a class="btn_scrap">스크랩하기</a></div>
<div id="commentArea"><ul>{"".join(f"<li><b>{rng.choice(NICKS)}</b> {_e(c)}</li>" for c in comments)}</ul></div>"""
    boiler = [*cats, *comments, "공감하기", "스크랩하기"]
    return html, f"https://blog.naver.com/PostView.nhn?blogId=ssarara&logNo={rng.randrange(10**8)}", body, boiler


def _naver_blog_shell(t: _Text, rng: random.Random, variant: int) -> tuple[str, str, list[str], list[str]]:
    no = rng.randrange(10**9)
    html = f"""<div id="wrap"><iframe id="mainFrame" name="mainFrame" src="/PostView.naver?blogId=moonfox&amp;logNo={no}&amp;redirect=Dlog&amp;widgetTypeCall=true" frameborder="0" scrolling="auto" width="100%" height="100%"></iframe></div>
<noscript>자바스크립트를 사용할 수 없는 환경입니다.</noscript>"""
    return html, f"https://blog.naver.com/moonfox/{no}", [], ["자바스크립트를 사용할 수 없는 환경입니다."]


def _naver_news(t: _Text, rng: random.Random, variant: int) -> tuple[str, str, list[str], list[str]]:
    body = t.take("news", rng.randint(3, 6))
    reporter = rng.choice(["김민수", "이서연", "박지훈", "최유진"])
    ranking = t.take("titles", 4)
    comments = t.take("comments", 3)
    text = "<br><br>".join(_e(p) for p in body)
    caption = "사진은 기사와 직접적인 관련이 없습니다. 연합뉴스 자료사진"
    photo = f'<span class="end_photo_org"><img src="x.jpg"><em class="img_desc">{caption}</em></span>'
    if variant % 2 == 0:
        article = f'<div id="newsct_article" class="newsct_article _article_body"><article id="dic_area" class="go_trans _article_content">{photo}<br>{text}</article></div>'
    else:  # the 2010s layout
        article = f'<div id="articleBodyContents" class="_article_body_contents"><script>// flash 오류를 우회하기 위한 함수 추가\nfunction _flash_removeCallback() {{}}</script>{photo}{text}</div>'
    html = f"""<div id="ct_wrap"><nav class="Nlnb">{"".join(f"<a>{n}</a>" for n in NAV)}</nav>
<div class="media_end_head"><h2 id="title_area"><span>{_e(t.take("titles", 1)[0])}</span></h2>
<div class="media_end_head_journalist"><em class="media_end_head_journalist_name">{reporter} 기자</em></div>
<span class="media_end_head_info_datestamp_time">입력 2024.03.05. 오전 9:12</span></div>
{article}
<div class="byline"><p class="byline_p"><span>{reporter} 기자 ({reporter[0].lower()}news@yna.co.kr)</span></p></div>
<div class="copyright"><p class="c_text">Copyright ⓒ 연합뉴스. All rights reserved. 무단 전재-재배포, AI 학습 및 활용 금지.</p></div>
<div class="media_end_linked_more"><a class="_reactionModule">이 기사를 추천합니다</a></div>
<div class="u_cbox"><ul class="u_cbox_list">{"".join(f'<li class="u_cbox_comment"><span class="u_cbox_contents">{_e(c)}</span></li>' for c in comments)}</ul></div>
<div class="rankingnews"><h3>언론사별 많이 본 뉴스</h3><ul>{"".join(f"<li><a>{_e(r)}</a></li>" for r in ranking)}</ul></div></div>"""
    boiler = [
        caption,
        f"{reporter} 기자",
        "Copyright ⓒ 연합뉴스",
        "이 기사를 추천합니다",
        *comments,
        *ranking,
        "많이 본 뉴스",
    ]
    return html, f"https://n.news.naver.com/mnews/article/001/{rng.randrange(10**10):010d}", body, boiler


def _daum_news(t: _Text, rng: random.Random, variant: int) -> tuple[str, str, list[str], list[str]]:
    body = t.take("news", rng.randint(3, 6))
    related = t.take("titles", 3)
    comments = t.take("comments", 2)
    paras = "".join(f'<p dmcf-ptype="general">{_e(p)}</p>' for p in body)
    container = (
        f'<div class="article_view" data-translation-body="true"><section dmcf-sid="x">{paras}</section></div>'
        if variant % 2 == 0
        else f'<div id="harmonyContainer" class="article_view"><section>{paras}<figure><img src="y.jpg"><figcaption class="txt_caption">(서울=뉴스1) 자료사진</figcaption></figure></section></div>'
    )
    html = f"""<div id="kakaoHead"><ul class="gnb_comm">{"".join(f"<li>{n}</li>" for n in NAV[:8])}</ul></div>
<div class="head_view"><h3 class="tit_view">{_e(t.take("titles", 1)[0])}</h3><div class="info_view"><span class="txt_info">입력 2024. 6. 2. 14:31</span></div></div>
{container}
<p class="txt_copyright">Copyright © 뉴스1. All rights reserved. 무단 전재 및 재배포, AI학습 이용 금지.</p>
<div class="emotion_wrap"><button>추천해요</button><button>좋아요</button><button>감동이에요</button><button>화나요</button><button>슬퍼요</button></div>
<div class="box_recommend"><strong>관련기사</strong><ul>{"".join(f"<li>{_e(r)}</li>" for r in related)}</ul></div>
<div class="alex-area">{"".join(f'<div class="cmt_box"><p class="desc_txt">{_e(c)}</p></div>' for c in comments)}</div>
<div id="kakaoFoot">Copyright © Kakao Corp. All rights reserved.</div>"""
    boiler = [
        *related,
        *comments,
        "Copyright © 뉴스1",
        "감동이에요",
        "Copyright © Kakao Corp.",
        "(서울=뉴스1) 자료사진",
    ]
    return html, f"https://v.daum.net/v/2024060214{rng.randrange(10**6):06d}", body, boiler


def _tistory(t: _Text, rng: random.Random, variant: int) -> tuple[str, str, list[str], list[str]]:
    body = t.take("blog", rng.randint(3, 6))
    cats = rng.sample(BLOG_CATS, 5)
    other = t.take("titles", 4)
    comments = t.take("comments", 2)
    paras = "".join(f"<p data-ke-size='size16'>{_e(p)}</p><p data-ke-size='size16'>&nbsp;</p>" for p in body)
    skins = [
        f'<div class="entry-content"><div class="contents_style"><div class="tt_article_useless_p_margin">{paras}</div></div></div>',
        f'<div class="area_view" id="article-view"><div class="tt_article_useless_p_margin contents_style">{paras}</div></div>',
        f'<div class="article-view"><div class="entry-content">{paras}</div></div>',
    ]
    host = rng.choice(["hanbit-log", "devnote", "cookingmom", "booklover"])
    html = f"""<header id="header"><h1><a>{host}의 블로그</a></h1><nav><ul><li>홈</li><li>태그</li><li>방명록</li></ul></nav></header>
<div id="content"><div class="post-header"><h1>{_e(t.take("titles", 1)[0])}</h1><span class="meta-date">2022. 11. 3. 22:15</span></div>
{skins[variant % 3]}
<div class="another_category another_category_color_gray"><h4>'<a>{cats[0]}</a>' 카테고리의 다른 글</h4><table>{"".join(f"<tr><th><a>{_e(o)}</a></th><td>2022.10.0{i}</td></tr>" for i, o in enumerate(other))}</table></div>
<div class="container_postbtn"><div class="postbtn_like"><span class="txt_like">공감</span><span class="cnt">3</span></div><button>공유하기</button><button>게시글 관리</button></div>
<div class="tags"><h2>태그</h2><a>{cats[1]}</a>, <a>{cats[2]}</a></div>
<div id="comments" class="comments"><ol>{"".join(f"<li><span class='name'>{rng.choice(NICKS)}</span><p>{_e(c)}</p></li>" for c in comments)}</ol></div></div>
<aside id="sidebar"><h2>카테고리</h2><ul class="category_list">{"".join(f"<li>{c} (1{i})</li>" for i, c in enumerate(cats))}</ul></aside>
<footer><p>Designed by 티스토리</p><p>© Kakao Corp.</p></footer>"""
    boiler = [
        *other,
        *comments,
        f"{cats[0]}' 카테고리의 다른 글",
        "공유하기",
        "게시글 관리",
        "Designed by 티스토리",
        *[f"{c} (1" for c in cats[3:]],
    ]
    return html, f"https://{host}.tistory.com/{rng.randrange(1000)}", body, boiler


def _forum(t: _Text, rng: random.Random, variant: int) -> tuple[str, str, list[str], list[str]]:
    body = t.take("blog", rng.randint(1, 3)) + t.take("uhc", 1)
    replies = t.take("comments", 4)
    board_titles = t.take("titles", 5)
    boards = rng.sample(FORUM_BOARDS, 4)
    post = "".join(f"<p>{_e(p)}</p>" for p in body)
    if variant % 3 == 0:  # XE-style
        view = f'<div class="read_body"><div class="xe_content">{post}</div></div>'
        cmts = "".join(
            f'<li class="fdb_itm"><div class="meta">{rng.choice(NICKS)}</div><div class="xe_content">{_e(r)}</div></li>'
            for r in replies
        )
        cmt = f'<div class="fdb_lst_wrp"><ul class="fdb_lst_ul">{cmts}</ul></div>'
    elif variant % 3 == 1:  # table layout
        view = f'<table class="board_view"><tr><th>작성자</th><td>{rng.choice(NICKS)}</td><th>조회</th><td>1532</td></tr><tr><td colspan="4" class="view_content">{post}</td></tr></table>'
        cmt = "".join(
            f'<div class="memo_list"><span class="memo_name">{rng.choice(NICKS)}</span><div class="memo_text">{_e(r)}</div></div>'
            for r in replies
        )
    else:  # div layout with <article> per reply
        view = f'<div class="post_article"><div class="post_content">{post}</div></div>'
        cmt = "".join(f'<article class="cmt"><b>{rng.choice(NICKS)}</b><p>{_e(r)}</p></article>' for r in replies)
    html = f"""<div id="top_menu"><ul>{"".join(f"<li><a>{b}</a></li>" for b in boards)}</ul><a>로그인</a> <a>회원가입</a></div>
<div class="board_header"><h2>{boards[0]}</h2></div>
<div class="view_head"><h1 class="view_title">{_e(t.take("titles", 1)[0])}</h1><span class="view_info">추천 12 | 비추천 0 | 조회 1532</span></div>
{view}
<div class="vote_box"><a>추천하기</a> <a>신고하기</a></div>
<div class="cmt_wrap">{cmt}</div>
<table class="board_list"><tr><th>번호</th><th>제목</th><th>글쓴이</th></tr>{"".join(f"<tr><td>{9000 + i}</td><td><a>{_e(b)}</a></td><td>{rng.choice(NICKS)}</td></tr>" for i, b in enumerate(board_titles))}</table>
<div class="paging"><a>이전</a> <a>1</a> <a>2</a> <a>3</a> <a>다음</a></div>
<div id="footer">회사소개 | 이용약관 | 개인정보처리방침 | 청소년보호정책<br>Copyright © 커뮤니티 All rights reserved.</div>"""
    boiler = [
        *replies,
        *board_titles,
        *boards[1:],
        "추천 12 | 비추천 0",
        "추천하기",
        "신고하기",
        "개인정보처리방침",
        "Copyright © 커뮤니티",
    ]
    return (
        html,
        f"https://www.community-board.co.kr/bbs/board.php?bo_table=free&wr_id={rng.randrange(10**6)}",
        body,
        boiler,
    )


def _public_notice(t: _Text, rng: random.Random, variant: int) -> tuple[str, str, list[str], list[str]]:
    body = t.take("notice", rng.randint(2, 4))
    prev_next = t.take("titles", 2)
    dept = rng.choice(["기획조정실", "시민소통담당관", "복지정책과", "교통정책과"])
    content = "".join(f"<p>{_e(p)}</p>" for p in body)
    if variant % 2 == 0:
        view = f'<table class="bbs_view"><caption>게시글 상세</caption><tr><th>제목</th><td colspan="3">{_e(t.take("titles", 1)[0])}</td></tr><tr><th>담당부서</th><td>{dept}</td><th>등록일</th><td>2023-08-21</td></tr><tr><th>첨부파일</th><td colspan="3"><a>붙임1. 공고문.hwp</a></td></tr><tr><td colspan="4" class="cont">{content}</td></tr></table>'
    else:
        view = f'<div class="board-view"><div class="view-head"><h3>{_e(t.take("titles", 1)[0])}</h3><dl><dt>담당부서</dt><dd>{dept}</dd><dt>등록일</dt><dd>2023-08-21</dd></dl></div><div class="file-list">첨부파일 <a>붙임1. 공고문.hwp</a></div><div class="view-cont">{content}</div></div>'
    html = f"""<div id="skipNav"><a href="#content">본문 바로가기</a></div>
<div id="header"><ul class="gnb"><li>기관소개</li><li>정보공개</li><li>알림소식</li><li>민원안내</li></ul></div>
<div class="location">홈 &gt; 알림소식 &gt; 공지사항</div>
<div id="content">{view}
<ul class="prev-next"><li>이전글 <a>{_e(prev_next[0])}</a></li><li>다음글 <a>{_e(prev_next[1])}</a></li></ul>
<div class="satisfaction">이 페이지에서 제공하는 정보에 대하여 만족하십니까? <label>매우만족</label><label>만족</label><label>보통</label></div></div>
<div id="footer"><address>(04524) 서울특별시 중구 세종대로 110 대표전화 02-120</address><p>Copyright © Seoul Metropolitan Government. All rights reserved.</p><a>개인정보처리방침</a> | <a>저작권정책</a></div>"""
    boiler = [
        *prev_next,
        "본문 바로가기",
        "붙임1. 공고문.hwp",
        "만족하십니까",
        "세종대로 110",
        "Copyright © Seoul Metropolitan",
        "기관소개",
    ]
    return html, f"https://www.seoul.go.kr/news/news_notice.do?bbsNo=277&nttNo={rng.randrange(10**6)}", body, boiler


def _wordpress_blog(t: _Text, rng: random.Random, variant: int) -> tuple[str, str, list[str], list[str]]:
    body = t.take("blog", rng.randint(3, 6))
    recent = t.take("titles", 3)
    comments = t.take("comments", 2)
    paras = "".join(f"<p>{_e(p)}</p>" for p in body)
    if variant % 2 == 0:
        main = f'<article id="post-12" class="post type-post"><header class="entry-header"><h1 class="entry-title">{_e(t.take("titles", 1)[0])}</h1><div class="entry-meta">2021년 4월 9일 · 글쓴이 관리자</div></header><div class="entry-content">{paras}</div><footer class="entry-footer">분류: 일상</footer></article>'
        cmt = "".join(f'<li class="comment"><div class="comment-content"><p>{_e(c)}</p></div></li>' for c in comments)
        cmt = f'<div id="comments"><h2>댓글 2개</h2><ol class="comment-list">{cmt}</ol></div>'
    else:  # a theme without <article>; discussion block that no strip selector names
        main = f'<div class="single"><h1>{_e(t.take("titles", 1)[0])}</h1><div class="meta-line">2021년 4월 9일 · 글쓴이 관리자</div><section class="post-body">{paras}</section></div>'
        cmt = f'<section class="discussion"><h2>의견 2개</h2>{"".join(f"<div class=opinion><p>{_e(c)}</p></div>" for c in comments)}</section>'
    html = f"""<div class="site-header"><a class="site-title">작은 서재</a><ul class="menu"><li>소개</li><li>글 목록</li><li>연락처</li></ul></div>
<div id="primary">{main}{cmt}</div>
<div id="secondary" class="widget-area"><section class="widget"><h2>최근 글</h2><ul>{"".join(f"<li>{_e(r)}</li>" for r in recent)}</ul></section>
<section class="widget"><h2>보관함</h2><ul><li>2021년 4월</li><li>2021년 3월</li></ul></section></div>
<div class="site-info">Proudly powered by WordPress | 테마: Twenty Twenty-One</div>"""
    boiler = [*recent, *comments, "2021년 4월 9일 · 글쓴이 관리자", "보관함", "Proudly powered by WordPress"]
    return html, f"https://www.small-library.kr/2021/04/post-{rng.randrange(1000)}/", body, boiler


def _not_found(t: _Text, rng: random.Random, variant: int) -> tuple[str, str, list[str], list[str]]:
    msg = [
        "요청하신 페이지를 찾을 수 없습니다.",
        "방문하시려는 페이지의 주소가 잘못 입력되었거나, 페이지의 주소가 변경 혹은 삭제되어 요청하신 페이지를 찾을 수 없습니다.",
    ]
    html = f"""<div id="header"><ul>{"".join(f"<li>{n}</li>" for n in NAV[:6])}</ul></div>
<div class="error_wrap"><h1>{msg[0]}</h1><p>{msg[1]}</p><a>이전 페이지</a> <a>메인으로</a></div>
<div id="footer">Copyright © NAVER Corp. All Rights Reserved.</div>"""
    return (
        html,
        f"https://n.news.naver.com/article/{rng.randrange(10**6)}"
        if variant % 2
        else f"https://www.seoul.go.kr/nopage{variant}",
        [],
        msg,
    )


def _naver_cafe(t: _Text, rng: random.Random, variant: int) -> tuple[str, str, list[str], list[str]]:
    """The ArticleRead frame page (body in the page), SmartEditor ONE; comments rendered server-side."""
    body = t.take("blog", rng.randint(2, 4))
    comments = t.take("comments", 3)
    board = rng.choice(FORUM_BOARDS)
    paras = "".join(
        f'<div class="se-module se-module-text"><p class="se-text-paragraph"><span>{_e(p)}</span></p></div>'
        for p in body
    )
    html = f"""<div class="ArticleContentBox"><div class="article_header"><div class="ArticleTitle"><a class="link_board">{board}</a><h3 class="title_text">{_e(t.take("titles", 1)[0])}</h3></div>
<div class="WriterInfo"><span class="nickname">{rng.choice(NICKS)}</span> <span class="date">2023.09.01. 11:20</span> <span class="count">조회 342</span></div></div>
<div class="article_container"><div class="article_viewer"><div class="ContentRenderer"><div class="se-main-container">{paras}</div></div></div>
<div class="ReplyBox"><a class="like_article">좋아요 5</a><a class="button_comment">댓글 3</a></div>
<div class="CommentBox"><ul class="comment_list">{"".join(f'<li class="CommentItem"><span class="comment_nickname">{rng.choice(NICKS)}</span><p class="comment_text_view">{_e(c)}</p></li>' for c in comments)}</ul></div></div></div>"""
    boiler = [*comments, "좋아요 5", "조회 342", board]
    return (
        html,
        f"https://cafe.naver.com/ArticleRead.nhn?clubid=1000{variant}&articleid={rng.randrange(10**6)}",
        body,
        boiler,
    )


def _local_news(t: _Text, rng: random.Random, variant: int) -> tuple[str, str, list[str], list[str]]:
    """A regional newspaper on a common Korean news CMS; no site rule names it (held out from the rules)."""
    body = t.take("news", rng.randint(3, 6))
    popular = t.take("titles", 5)
    reporter = rng.choice(["정다은", "한승우", "오세진"])
    paras = "".join(f"<p>{_e(p)}</p>" for p in body)
    if variant % 2 == 0:
        view = f'<article id="article-view-content-div" class="article-veiw-body view-page font-size17" itemprop="articleBody">{paras}</article>'
    else:
        view = f'<div id="articleBody" class="article-body"><div class="article_txt">{paras}</div></div>'
    html = f"""<div id="user-wrap"><div class="user-head"><ul class="sections">{"".join(f"<li>{n}</li>" for n in NAV[1:7])}</ul></div>
<div class="user-container"><header class="article-view-header"><h3 class="heading">{_e(t.take("titles", 1)[0])}</h3>
<ul class="infomation"><li>{reporter} 기자</li><li>승인 2024.04.11 17:30</li><li>댓글 0</li></ul></header>
{view}
<div class="view-editors"><strong class="name">{reporter} 기자</strong> <span class="email">press{variant}@localnews.co.kr</span> <a>다른기사 보기</a></div>
<div class="view-copyright">저작권자 © 지역일보 무단전재 및 재배포 금지</div>
<div class="auto-section"><h4>이 기사와 관련된 기사</h4></div>
<div class="widget-group"><h4>많이 본 뉴스</h4><ul>{"".join(f"<li><a>{_e(x)}</a></li>" for x in popular)}</ul></div></div>
<div class="user-foot">제호 : 지역일보 | 등록번호 : 경북 아00123 | 발행인 : 김발행 | 청소년보호책임자 : 이보호</div></div>"""
    boiler = [
        *popular,
        f"{reporter} 기자",
        "승인 2024.04.11",
        "저작권자 © 지역일보",
        "다른기사 보기",
        "청소년보호책임자",
    ]
    return html, f"https://www.jiyeok-ilbo.co.kr/news/articleView.html?idxno={rng.randrange(10**6)}", body, boiler


TEMPLATES = {
    "naver_blog_se3": _naver_blog_se3,
    "naver_blog_se2": _naver_blog_se2,
    "naver_blog_shell": _naver_blog_shell,
    "naver_news": _naver_news,
    "daum_news": _daum_news,
    "tistory": _tistory,
    "forum": _forum,
    "public_notice": _public_notice,
    "wordpress_blog": _wordpress_blog,
    "not_found": _not_found,
    "naver_cafe": _naver_cafe,
    "local_news": _local_news,
}


def _document(title: str, inner: str, meta: str | None) -> str:
    head = f'<meta charset="{meta}">' if meta and meta.lower() in ("utf-8", "x-windows-949") else ""
    if meta and not head:
        head = f'<meta http-equiv="Content-Type" content="text/html; charset={meta}">'
    scripts = '<script>var g_config = {"svc": "blog", "lang": "ko"};</script><link rel="stylesheet" href="/s.css">'
    return f'<!DOCTYPE html>\n<html lang="ko"><head>{head}<title>{_e(title)}</title>{scripts}</head><body>\n{inner}\n</body></html>'


def generate(per_case: int = 1, seed: int = 0, families: tuple[str, ...] = FAMILIES) -> Iterator[Page]:
    """Every family × every charset case × `per_case` variants. Naver blog SE2 and forum bodies hold a line with a
    CP949-only syllable (됬, 왤 …: Python's strict euc_kr fails on them); nicknames in comments have more."""
    rng = random.Random(seed)
    t = _Text(rng)
    n = 0
    for family in families:
        for enc, case, label in CHARSET_CASES:
            for _ in range(per_case):
                variant = n
                inner, url, body, boiler = TEMPLATES[family](t, rng, variant)
                header_label = label if case in ("header", "both", "wrong") else None
                meta_label = label if case in ("meta", "both") else None
                title = f"{family} {n}"
                page = _document(title, inner, meta_label)
                status = 404 if family == "not_found" and variant % 2 else 200
                expect = {"naver_blog_shell": "iframe_shell", "not_found": "not_found"}.get(family, "keep")
                yield Page(
                    id=f"{family}/{enc}-{case}/{n}",
                    family=family,
                    url=url,
                    html=page.encode(enc, "xmlcharrefreplace"),  # as legacy editors write © in CP949
                    content_type="text/html" + (f"; charset={header_label}" if header_label else ""),
                    encoding=enc,
                    charset_case=case,
                    body=body,
                    boilerplate=[b for b in boiler if b and b not in " ".join(body)],
                    expect=expect,
                    status=status,
                    variant=str(variant),
                )
                n += 1


_WS = re.compile(r"\s+")


def norm(s: str) -> str:
    """Whitespace collapsed to single spaces (body lines and boilerplate are matched as substrings of this)."""
    return _WS.sub(" ", s).strip()


def is_garbled(text: str) -> bool:
    """U+FFFD, or ≥ 5 Latin-1 letters À–ÿ (what cp1252 decoding makes of CP949 Hangul)."""
    return "\ufffd" in text or sum("\u00c0" <= c <= "\u00ff" for c in text) >= 5


def page_score(page: Page, text: str | None) -> tuple[int, int, bool]:
    """(body lines found, boilerplate strings leaked, garbled) of one extractor output (None: no document)."""
    out = norm(text or "")
    if not out:
        return 0, 0, False
    found = sum(norm(line) in out for line in page.body)
    leaked = sum(norm(b) in out for b in page.boilerplate)
    return found, leaked, is_garbled(out)
