"""Rebuild kocorpus/evaluation/data/web_text.json (the paragraph pools of the web-page evaluation set) from a
Korean text collection, deterministically: `python benchmarks/make_web_text.py ../shared/data/korean`."""

import json
import random
import re
import sys
from pathlib import Path

from kocorpus.evaluation.web_text import DATA, has_uhc_extra

_SENT = re.compile(r"(?<=[.!?다요])\s+")


def _cp949_ok(text: str) -> bool:
    try:
        text.encode("cp949")
    except UnicodeEncodeError:
        return False
    return "<" not in text and ">" not in text and "&" not in text


def _chunks(text: str, rng: random.Random, lo: int = 60, hi: int = 260) -> list[str]:
    """Paragraphs of whole sentences, lo–hi characters."""
    out, cur = [], ""
    for sent in _SENT.split(text.replace("\n", " ")):
        sent = sent.strip()
        if not sent:
            continue
        cur = f"{cur} {sent}".strip()
        if len(cur) >= lo + rng.randrange(hi - lo):
            out.append(cur[: hi * 2])
            cur = ""
    return out


def build(shared: Path, seed: int = 7) -> dict[str, list[str]]:
    """Pools: news / blog / notice paragraphs, comments (short lines), uhc (lines with CP949-only syllables),
    titles (news headlines)."""
    rng = random.Random(seed)

    def docs(name: str, where=lambda d: True) -> list[dict]:
        rows = [json.loads(x) for x in (shared / f"{name}.jsonl").read_bytes().split(b"\n") if x.strip()]
        return [d for d in rows if where(d)]

    pools: dict[str, list[str]] = {"news": [], "blog": [], "notice": [], "comments": [], "uhc": [], "titles": []}
    for d in rng.sample(docs("park_news"), 40):
        pools["news"] += _chunks(d["text"], rng)
    for d in docs("kiwipiepy_text", lambda d: "blogs" in d["source"]):
        pools["blog"] += _chunks(d["text"], rng, 40, 200)
    for d in docs("klue", lambda d: d["source"].endswith("policy")):
        pools["notice"] += _chunks(d["text"], rng)
    lines = [ln.strip() for d in docs("nsmc") for ln in d["text"].split("\n")]
    lines = [ln for ln in lines if 15 <= len(ln) <= 150 and _cp949_ok(ln)]
    pools["uhc"] = rng.sample([ln for ln in lines if has_uhc_extra(ln)], 60)
    pools["comments"] = rng.sample([ln for ln in lines if not has_uhc_extra(ln)], 200)
    titles = [d["text"].split("\n", 1)[0].strip() for d in docs("hate_speech")]
    pools["titles"] = rng.sample(sorted({t for t in titles if 10 <= len(t) <= 80 and _cp949_ok(t)}), 120)
    for key in ("news", "blog", "notice"):
        pools[key] = [p for p in dict.fromkeys(pools[key]) if _cp949_ok(p) and len(p) >= 30]
    return pools


if __name__ == "__main__":
    pools = build(Path(sys.argv[1]))
    DATA.parent.mkdir(parents=True, exist_ok=True)
    DATA.write_text(json.dumps(pools, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print({k: len(v) for k, v in pools.items()}, DATA.stat().st_size, "bytes")
