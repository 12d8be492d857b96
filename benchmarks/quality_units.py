"""Recalibrate the Gopher/FineWeb thresholds from Kiwi units (FineWeb-2 `kor_Hang`) to eojeol units.

FineWeb-2 chose each `kor_Hang` threshold on Kiwi units; we count eojeols (kocorpus/text/eojeol.py). For each
rule this script measures the per-document value in both units on real Korean text (the shared collection,
up to `--per-file` documents of each Korean file), then maps the threshold by quantile: the eojeol threshold
removes the same share of the real documents as FineWeb-2's threshold does on Kiwi units. Where FineWeb-2's
threshold removes no real document, the quantile is undefined and the table shows the median per-document
ratio eojeol value ÷ Kiwi value instead (the threshold is then scaled by it). The last columns: the threshold
pipelines/korean_web.yaml ships and the share of the real documents it removes (eojeol top n-grams count only
when repeated, as the step does).

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
    """The same counts the gopher_quality / fineweb_quality steps compare (kocorpus/filters/gopher_quality.py)."""
    from kocorpus.filters.gopher_quality import eojeol_counts
    from kocorpus.text.eojeol import eojeols

    c = eojeol_counts(text)
    tokens = eojeols(text)
    return {
        "n_words": c["n_eojeols"],
        "avg_word_len": c["avg_eojeol_len"],
        "alpha_ratio": c["alpha_eojeol_ratio"],
        "new_line_ratio": text.count("\n") / max(1, len(tokens)),
        **repetition(text, tokens, repeated_only=True),
    }


def repetition(text: str, words: list[str], repeated_only: bool = False) -> dict[str, float]:
    """datatrove's n-gram fractions; `repeated_only`: the top n-gram counts only if it occurs twice (ours)."""
    from datatrove.pipeline.filters.gopher_repetition_filter import find_all_duplicate, find_top_duplicate, get_n_grams

    from kocorpus.filters.gopher_repetition import top_repeated_ngram_chars

    out = {}
    for n in (2, 3, 4):
        grams = get_n_grams(words, n)
        top = top_repeated_ngram_chars(words, n) if repeated_only else (find_top_duplicate(grams) if grams else 0)
        out[f"top_{n}_gram"] = top / len(text)
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


def shipped_thresholds() -> dict[str, float]:
    """Our eojeol thresholds, as pipelines/korean_web.yaml sets them (upper bound for avg_word_len)."""
    from kocorpus.pipeline_config import load_pipeline

    _, cfg = load_pipeline("korean_web")
    gq, fq, gr = (cfg.step(s).config for s in ("gopher_quality", "fineweb_quality", "gopher_repetition"))
    return {
        "n_words": gq.min_doc_words,
        "avg_word_len": gq.max_avg_word_length,
        "alpha_ratio": gq.max_non_alpha_words_ratio,
        "new_line_ratio": fq.new_line_ratio,
        **{f"top_{n}_gram": v for n, v in gr.top_n_grams.items()},
        **{f"dup_{n}_gram": v for n, v in gr.dup_n_grams.items()},
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
    extremes = {}
    ours = shipped_thresholds()
    print(
        f"{'rule':<15}{'Kiwi thr':>9}{'dropped':>9}{'eojeol thr (same share)':>25}{'median eojeol/Kiwi':>20}{'ours':>8}{'dropped':>9}"
    )
    for rule, (thr, above) in RULES.items():
        kv = [d[rule] for d in kiwi]
        ev = sorted(d[rule] for d in eoj)
        extremes[rule] = (ev[0], ev[-1])
        dropped = sum((v > thr) if above else (v < thr) for v in kv) / len(kv)
        ratios = [e[rule] / k[rule] for k, e in zip(kiwi, eoj, strict=True) if k[rule] > 0 and e[rule] > 0]
        med = statistics.median(ratios) if ratios else float("nan")
        if 0 < dropped < 1:
            idx = min(len(ev) - 1, int(round((1 - dropped if above else dropped) * len(ev))))
            mapped = f"{ev[idx]:.3f}"
        else:
            mapped = f"(×ratio) {thr * med:.3f}"
        o = ours[rule]
        o_dropped = sum((v > o) if above else (v < o) for v in ev) / len(ev)
        print(f"{rule:<15}{thr:>9}{dropped:>9.3f}{mapped:>25}{med:>20.3f}{o:>8}{o_dropped:>9.3f}")
    print("\neojeol values on the real documents, min–max:")
    for rule in ("n_words", "avg_word_len", "alpha_ratio", "new_line_ratio"):
        print(f"  {rule:<15}{extremes[rule][0]:.3f}–{extremes[rule][1]:.3f}")


if __name__ == "__main__":
    main()
