"""Recalibrate the Gopher/FineWeb thresholds from Kiwi units (FineWeb-2 `kor_Hang`) to eojeol units.

FineWeb-2 chose each `kor_Hang` threshold on Kiwi units; we count eojeols (kocorpus/text/eojeol.py). For each
rule this script measures the per-document value in both units on real Korean text (the shared collection,
up to `--per-file` documents of each Korean file), then maps the threshold by quantile: the eojeol threshold
removes the same share of the real documents as FineWeb-2's threshold does on Kiwi units. Where FineWeb-2's
threshold removes no real document, the quantile is undefined and the table shows the median per-document
ratio eojeol value ÷ Kiwi value instead (the threshold is then scaled by it).

    python benchmarks/quality_units.py [--data ../shared/data/korean] [--per-file 120]
"""

import argparse
import json
import random
import statistics
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data" / "korean"
NOT_KOREAN = ("english", "code", "noise")


def kiwi_values(text: str, words: list[str]) -> dict[str, float]:
    from datatrove.utils.text import PUNCTUATION_SET

    non_symbol = [w for w in words if any(ch not in PUNCTUATION_SET for ch in w)]
    return {
        "n_words": len(non_symbol),
        "avg_word_len": sum(map(len, non_symbol)) / max(1, len(non_symbol)),
        "alpha_ratio": sum(any(c.isalpha() for c in w) for w in words) / max(1, len(words)),
        "new_line_ratio": text.count("\n") / max(1, len(words)),
        **repetition(text, words),
    }


def eojeol_values(text: str) -> dict[str, float]:
    from kocorpus.text.eojeol import ALPHA, SYMBOL, core, eojeols, kind

    tokens = eojeols(text)
    kinds = [kind(t) for t in tokens]
    words = [core(t) for t, k in zip(tokens, kinds, strict=True) if k != SYMBOL]
    return {
        "n_words": len(words),
        "avg_word_len": sum(map(len, words)) / max(1, len(words)),
        "alpha_ratio": kinds.count(ALPHA) / max(1, len(words)),
        "new_line_ratio": text.count("\n") / max(1, len(tokens)),
        **repetition(text, tokens),
    }


def repetition(text: str, words: list[str]) -> dict[str, float]:
    from datatrove.pipeline.filters.gopher_repetition_filter import find_all_duplicate, find_top_duplicate, get_n_grams

    out = {}
    for n in (2, 3, 4):
        grams = get_n_grams(words, n)
        out[f"top_{n}_gram"] = find_top_duplicate(grams) / len(text) if grams else 0.0
    for n in range(5, 11):
        out[f"dup_{n}_gram"] = find_all_duplicate(words, n) / len(text)
    return out


# rule → (FineWeb-2 kor_Hang threshold on Kiwi units, True if documents ABOVE it are dropped)
RULES = {
    "n_words": (50, False),
    "avg_word_len": (6.0, True),
    "alpha_ratio": (0.791, False),
    "new_line_ratio": (0.196, True),
    "top_2_gram": (0.282, True),
    "top_3_gram": (0.228, True),
    "top_4_gram": (0.185, True),
    "dup_5_gram": (0.201, True),
    "dup_6_gram": (0.184, True),
    "dup_7_gram": (0.168, True),
    "dup_8_gram": (0.154, True),
    "dup_9_gram": (0.14, True),
    "dup_10_gram": (0.127, True),
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--per-file", type=int, default=120)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    from kocorpus.analysis.kiwi_analyzer import KiwiAnalyzer, KiwiConfig

    rng = random.Random(args.seed)
    texts = []
    for path in sorted(args.data.glob("*.jsonl")):
        if path.stem in NOT_KOREAN:
            continue
        docs = [json.loads(line)["text"] for line in path.read_bytes().split(b"\n") if line.strip()]
        texts += rng.sample(docs, min(args.per_file, len(docs)))
    analyzer = KiwiAnalyzer(KiwiConfig())
    kiwi, eoj = [], []
    for i in range(0, len(texts), 64):
        batch = texts[i : i + 64]
        for text, a in zip(batch, analyzer.analyze(batch), strict=True):
            kiwi.append(kiwi_values(text, a.words))
            eoj.append(eojeol_values(text))
    print(f"{len(texts)} real Korean documents ({sum(map(len, texts)):,} chars)\n")
    print(f"{'rule':<15}{'Kiwi thr':>9}{'dropped':>9}{'eojeol thr (same share)':>25}{'median eojeol/Kiwi':>20}")
    for rule, (thr, above) in RULES.items():
        kv = [d[rule] for d in kiwi]
        ev = sorted(d[rule] for d in eoj)
        dropped = sum((v > thr) if above else (v < thr) for v in kv) / len(kv)
        ratios = [e[rule] / k[rule] for k, e in zip(kiwi, eoj, strict=True) if k[rule] > 0 and e[rule] > 0]
        med = statistics.median(ratios) if ratios else float("nan")
        if 0 < dropped < 1:
            idx = min(len(ev) - 1, int(round((1 - dropped if above else dropped) * len(ev))))
            mapped = f"{ev[idx]:.3f}"
        else:
            mapped = f"(×ratio) {thr * med:.3f}"
        print(f"{rule:<15}{thr:>9}{dropped:>9.3f}{mapped:>25}{med:>20.3f}")


if __name__ == "__main__":
    main()
