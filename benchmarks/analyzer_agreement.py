"""Kiwi vs mecab-ko through the `analyze` step: speed of each backend and how close their analyses are.

Reads the first `--per-file` documents of every ``*.jsonl`` in ``--data``, analyses them with both backends (the
step's own `MorphAnalyzer.analyze`, 1 thread, models loaded before timing; best of `--repeat` interleaved runs, CPU
time of this process) and prints characters/s per backend, and over the documents: Pearson r of morphemes per
document and of sentences per document, and the total-variation distance of the POS distributions (Kiwi's -R/-I
verb suffixes folded, since mecab-ko-dic has no such distinction).

    .venv/bin/python benchmarks/analyzer_agreement.py [--data ../shared/data/korean] [--per-file 150]
"""

import argparse
import json
import time
from collections import Counter
from pathlib import Path

import numpy as np

from kocorpus.analysis import AnalyzeConfig, MorphAnalyzer

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data" / "korean"
SAMPLE = REPO / "kocorpus" / "data" / "sample"


def texts_of(data: Path, per_file: int) -> list[str]:
    texts = []
    for path in sorted(data.glob("*.jsonl")):
        n = 0
        for line in path.read_bytes().split(b"\n"):
            try:
                text = json.loads(line)["text"]
            except (ValueError, KeyError, TypeError):
                continue
            if isinstance(text, str) and text.strip() and n < per_file:
                texts.append(text)
                n += 1
    return texts


def analyse(analyzer: MorphAnalyzer, texts: list[str]) -> tuple[list, float]:
    start = time.process_time()
    size = analyzer.config.batch_size
    out = [a for i in range(0, len(texts), size) for a in analyzer.analyze(texts[i : i + size])]
    return out, time.process_time() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=SHARED if SHARED.is_dir() else SAMPLE)
    ap.add_argument("--per-file", type=int, default=150, help="documents per input file (default 150)")
    ap.add_argument("--repeat", type=int, default=2, help="interleaved timing runs; the fastest counts (default 2)")
    args = ap.parse_args()
    texts = texts_of(args.data, args.per_file)
    chars = sum(map(len, texts))
    kiwi, mecab = MorphAnalyzer(AnalyzeConfig(backend="kiwi")), MorphAnalyzer(AnalyzeConfig(backend="mecab"))
    kiwi.analyze(texts[:5]), mecab.analyze(texts[:5])  # load the models
    best = {"kiwi": float("inf"), "mecab": float("inf")}
    for _ in range(args.repeat):
        ka, t = analyse(kiwi, texts)
        best["kiwi"] = min(best["kiwi"], t)
        ma, t = analyse(mecab, texts)
        best["mecab"] = min(best["mecab"], t)
    print(f"{len(texts):,} documents, {chars:,} characters from {args.data}")
    for name, t in best.items():
        print(f"  {name:6s} {t:7.2f} CPU s  {chars / t / 1e3:7.0f}k chars/s")
    print(f"  mecab ÷ kiwi speed: {best['kiwi'] / best['mecab']:.2f}×")
    r_morph = np.corrcoef([a.n_morphemes for a in ka], [a.n_morphemes for a in ma])[0, 1]
    r_sent = np.corrcoef([a.n_sentences for a in ka], [a.n_sentences for a in ma])[0, 1]
    ck = Counter(t.split("-")[0] for a in ka for t in a.tags)
    cm = Counter(t for a in ma for t in a.tags)
    nk, nm = sum(ck.values()), sum(cm.values())
    tvd = 0.5 * sum(abs(ck[t] / nk - cm[t] / nm) for t in ck | cm)
    print(f"  morphemes per document r = {r_morph:.4f} (mecab/kiwi total {nm / nk:.3f})")
    print(f"  sentences per document r = {r_sent:.4f}")
    print(f"  POS distribution total-variation distance = {tvd:.4f}")
    top = sorted(ck | cm, key=lambda t: -abs(ck[t] / nk - cm[t] / nm))[:6]
    print("  largest tag differences (kiwi → mecab share): " + ", ".join(
        f"{t} {ck[t] / nk:.3f}→{cm[t] / nm:.3f}" for t in top))  # fmt: skip


if __name__ == "__main__":
    main()
