"""Write tests/data/quality_kinds.jsonl: the Korean document kinds of issue 17, built around real sentences.

Real sentences come from the shared collection (klue news/policy, park_news, ud_korean, jhe; licences in
tests/data/NOTICE.md); the structure (bullets, tables, notices, ads) comes from kocorpus/evaluation/quality_kinds.py.
Each kind has a `dev` and a `heldout` split: different source documents (even/odd position), different seeds,
and for news and ads different template pools.

    python benchmarks/make_quality_kinds.py [--data ../shared/data/korean] [--per-split 30]
"""

import argparse
import json
import random
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "tests" / "data" / "quality_kinds.jsonl"
PROSE_FILES = ("klue", "park_news", "ud_korean", "jhe")
FINANCE = re.compile(r"대출|금리|은행|금융|가계|부채|증시|투자|주가|환율")
CRIME = re.compile(r"경찰|검찰|혐의|검거|구속|도박|수사|기소")


def build_split(data: Path, split_no: int, split: str, per_split: int, kiwi) -> list[dict]:
    """Records of one split: even (dev) or odd (heldout) source documents, seed 17 + split_no."""
    from kocorpus.evaluation import quality_kinds as qk

    rng = random.Random(17 + split_no)
    docs = []
    for name in PROSE_FILES:
        lines = [json.loads(x) for x in (data / f"{name}.jsonl").read_text().splitlines() if x.strip()]
        docs += [d for i, d in enumerate(lines) if i % 2 == split_no]
    sentences = [s for d in docs for s in qk.split_sentences(d["text"]) if re.search("[가-힣]", s)]
    finance = [s for s in sentences if FINANCE.search(s)]
    crime = [s for s in sentences if CRIME.search(s)]
    nouns = sorted({t.form for s in rng.sample(sentences, 400) for t in kiwi.tokenize(s)
                    if t.tag in ("NNG", "NNP") and 2 <= len(t.form) <= 6})  # fmt: skip
    tech_real = [d for d in docs if len(re.findall("[A-Za-z]", d["text"])) > 0.06 * len(d["text"])]

    def sample(k: int) -> list[str]:
        return rng.sample(sentences, k)

    makers = {
        "good:notes": lambda: qk.make_notes(sample(20), rng),
        "good:tables": lambda: qk.make_table(sample(3), rng.sample(nouns, 14), rng),
        "good:notices": lambda: qk.make_notice(sample(4), rng),
        "good:technical": lambda: qk.make_technical(sample(4), rng),
        "good:gambling_news": lambda: qk.make_news("gambling", split, rng.sample(crime, 6), rng),
        "good:finance_news": lambda: qk.make_news("finance", split, rng.sample(finance, 6), rng),
    }
    records = []
    for kind, make in makers.items():
        records += [{"id": f"{kind}/{split}-{i}", "text": make(), "split": split} for i in range(per_split)]
    for i, d in enumerate(tech_real[: per_split // 3]):
        records.append(
            {"id": f"good:technical/{split}-real-{i}", "text": d["text"], "split": split, "source": d["source"]}
        )
    for category in ("loan", "gambling", "adult"):
        for i in range(per_split):
            text = qk.make_prose_ad(category, split, sample(2), rng)
            records.append({"id": f"bad:prose_ad/{split}-{category}-{i}", "text": text, "split": split})
    return records


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data" / "korean")
    ap.add_argument("--per-split", type=int, default=30, help="documents per kind and split (ads: per category)")
    args = ap.parse_args()
    from kiwipiepy import Kiwi

    kiwi = Kiwi()
    records = []
    for split_no, split in enumerate(("dev", "heldout")):
        records += build_split(args.data, split_no, split, args.per_split, kiwi)
    OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    print(f"{OUT.relative_to(REPO)}: {len(records)} documents, {OUT.stat().st_size / 1e3:.0f} KB")


if __name__ == "__main__":
    main()
