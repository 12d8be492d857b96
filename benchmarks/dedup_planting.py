"""Planted near-duplicates of known origin for benchmarks/dedup_eval.py (helper module, no command of its own).

From real Korean documents it picks seeded base documents (at least `min_chars` characters each) and makes
variants of some of them: eojeol insert / delete / substitute on 5–30 % of the tokens, reordered lines, added
news-site header and footer lines, and combinations. Unused documents are added as negatives. nk_news doc i is a
North-Korean-orthography rewrite of park_news doc i (same ``#split-linesA-B`` source suffix): those pairs are
added as a natural near-duplicate set. The true Jaccard of every pair is computed later, per shingling.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

KOREAN_FILES = (
    "chatbot",
    "hate_speech",
    "jhe",
    "kiwi_eval",
    "kiwipiepy_text",
    "klue",
    "kornli",
    "korsts",
    "nk_news",
    "nsmc",
    "park_news",
    "ud_korean",
)
VARIANT_KINDS = {  # kind -> weight
    "edit": 0.4,
    "reorder": 0.15,
    "boilerplate": 0.15,
    "edit+boilerplate": 0.15,
    "reorder+boilerplate": 0.15,
}
OUTLETS = ("연합뉴스", "뉴시스", "뉴스1", "한겨레", "경향신문", "조선비즈", "머니투데이", "이데일리")
CITIES = ("서울", "부산", "대구", "인천", "광주", "대전", "세종", "수원")
NAMES = ("김민수", "이지은", "박서준", "최유진", "정하늘", "강도현", "조은비", "윤재혁")
SECTIONS = ("정치", "경제", "사회", "국제", "IT·과학", "문화", "스포츠", "오피니언")


@dataclass(slots=True)
class Doc:
    """One document of the evaluation index. `group` is shared by a base and its variants (or a park/nk pair),
    -1 for negatives; `kind` is base, negative, a variant kind, park or nk; `edit_rate` the share of eojeol edited."""

    doc_id: str
    text: str
    group: int
    kind: str
    edit_rate: float = 0.0


@dataclass(slots=True)
class Pair:
    """A known near-duplicate pair (indexes into the document list) and how it was made."""

    a: int
    b: int
    kind: str
    edit_rate: float = 0.0


def load_korean(data: Path) -> dict[str, list[dict]]:
    """Records of the 12 Korean files under `data` (english, code, noise and the rest skipped), by file stem."""
    out = {}
    for stem in KOREAN_FILES:
        path = data / f"{stem}.jsonl"
        if path.exists():
            with path.open(encoding="utf-8") as f:
                out[stem] = [json.loads(line) for line in f if line.strip()]
    if not out:
        raise FileNotFoundError(f"none of the Korean files {KOREAN_FILES} under {data}")
    return out


def edit_eojeol(text: str, rate: float, rng: random.Random, vocab: list[str]) -> str:
    """Random insert / delete / substitute of round(rate × eojeol count) tokens; line breaks are kept."""
    toks = re.findall(r"\n|[^\s]+", text)
    for _ in range(max(1, round(rate * sum(t != "\n" for t in toks)))):
        words = [i for i, t in enumerate(toks) if t != "\n"]
        i = rng.choice(words)
        op = rng.choice(("insert", "delete", "substitute"))
        if op == "insert":
            toks.insert(i, rng.choice(vocab))
        elif op == "delete" and len(words) > 1:
            del toks[i]
        else:
            toks[i] = rng.choice(vocab)
    return re.sub(r" ?\n ?", "\n", " ".join(toks))


def reorder_lines(text: str, rng: random.Random) -> str | None:
    """Lines (or sentences, for documents of fewer than 3 lines) in a new random order; None if only one unit."""
    units = [line for line in text.split("\n") if line.strip()]
    if len(units) < 3:
        units = [s for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]
    if len(units) < 2:
        return None
    order = list(range(len(units)))
    for _ in range(10):
        rng.shuffle(order)
        if order != sorted(order):
            break
    return "\n".join(units[i] for i in order)


def add_boilerplate(text: str, rng: random.Random, titles: list[str]) -> str:
    """1–3 news-site header lines and 1–3 footer lines around `text`."""
    outlet, name, sec = rng.choice(OUTLETS), rng.choice(NAMES), rng.choice(SECTIONS)
    day, hh, mm = rng.randint(1, 28), rng.randint(0, 23), rng.randint(0, 59)
    email = f"{rng.choice(('news', 'reporter', 'kim', 'lee', 'park'))}{rng.randint(1, 999)}@{outlet[:2]}.co.kr"
    headers = [
        f"[{rng.choice(CITIES)}={outlet}] {name} 기자",
        f"입력 2024.03.{day:02d} {hh:02d}:{mm:02d} | 수정 2024.03.{day:02d} {hh:02d}:{(mm + 7) % 60:02d}",
        f"홈 > {sec} > 기사 공유하기 | 글자 크기 변경 | 인쇄",
        f"{outlet} {sec} 뉴스 | 구독 {rng.randint(100, 9999)}명",
    ]
    footers = [
        f"{name} 기자 {email}",
        f"ⓒ {outlet}, 무단 전재 및 재배포 금지",
        f"▶ 네이버에서 {outlet} 구독하기 ▶ 기사 제보: {email}",
        f"관련 기사: {rng.choice(titles)}",
        f"이 기사를 추천합니다 | 좋아요 {rng.randint(0, 99)} | 댓글 {rng.randint(0, 50)}",
    ]
    head = rng.sample(headers, rng.randint(1, 3))
    foot = rng.sample(footers, rng.randint(1, 3))
    return "\n".join([*head, text, *foot])


def make_variant(text: str, kind: str, rng: random.Random, vocab: list[str], titles: list[str]) -> tuple[str, float]:
    """A variant of `text` of the given kind, and its eojeol edit rate (0 when no edits)."""
    rate = 0.0
    if "reorder" in kind:
        text = reorder_lines(text, rng) or text
    if "edit" in kind:
        rate = rng.uniform(0.05, 0.30)
        text = edit_eojeol(text, rate, rng, vocab)
    if "boilerplate" in kind:
        text = add_boilerplate(text, rng, titles)
    return text, rate


def plant(
    corpus: dict[str, list[dict]], n: int, seed: int, min_chars: int = 300, variant_share: float = 1 / 3
) -> tuple[list[Doc], list[Pair]]:
    """Documents of the index and the known near-duplicate pairs.

    Bases: `n` seeded documents of ≥ `min_chars` characters from every file but park_news / nk_news (exact
    duplicates dropped). `variant_share` of them get one variant (two, 30 % of the time; the two variants are
    then a `sibling` pair). Up to n/3 further documents are negatives. park/nk pairs are added apart."""
    rng = random.Random(seed)
    pool, seen = [], set()
    for stem, records in corpus.items():
        if stem in ("park_news", "nk_news"):
            continue
        for r in records:
            if len(r["text"]) >= min_chars and r["text"] not in seen:
                seen.add(r["text"])
                pool.append(r)
    rng.shuffle(pool)
    bases, extra = pool[:n], pool[n : n + n // 3]
    vocab = [w for r in pool for w in r["text"].split()]
    titles = [line[:30] for r in pool for line in r["text"].split("\n")[:1] if len(line) > 10]
    docs: list[Doc] = []
    pairs: list[Pair] = []
    kinds, weights = list(VARIANT_KINDS), list(VARIANT_KINDS.values())
    n_with_variants = round(variant_share * len(bases))
    for g, r in enumerate(bases):
        base_idx = len(docs)
        docs.append(Doc(r["id"], r["text"], g if g < n_with_variants else -1, "base"))
        if g >= n_with_variants:
            continue
        variant_idx = []
        for v in range(2 if rng.random() < 0.3 else 1):
            kind = rng.choices(kinds, weights)[0]
            text, rate = make_variant(r["text"], kind, rng, vocab, titles)
            variant_idx.append(len(docs))
            docs.append(Doc(f"{r['id']}~v{v}", text, g, kind, rate))
            pairs.append(Pair(base_idx, len(docs) - 1, kind, rate))
        if len(variant_idx) == 2:
            pairs.append(Pair(variant_idx[0], variant_idx[1], "sibling"))
    docs += [Doc(r["id"], r["text"], -1, "negative") for r in extra]
    by_suffix = {r["source"].split("#")[-1]: r for r in corpus.get("nk_news", [])}
    for r in corpus.get("park_news", []):
        nk = by_suffix.get(r["source"].split("#")[-1])
        if nk is None or len(r["text"]) < min_chars:
            continue
        g = len(bases) + len(docs)
        docs.append(Doc(r["id"], r["text"], g, "park"))
        docs.append(Doc(nk["id"], nk["text"], g, "nk"))
        pairs.append(Pair(len(docs) - 2, len(docs) - 1, "nk-park"))
    return docs, pairs
