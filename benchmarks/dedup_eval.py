"""MinHash near-dedup evaluation on planted Korean near-duplicates: which shingling, at what speed.

Builds an index from real Korean documents (benchmarks/dedup_planting.py): N seeded base documents (≥ 300
characters), variants of a third of them (eojeol insert/delete/substitute on 5–30 % of tokens, reordered lines,
news-site header/footer lines), unrelated negatives, and the natural park_news/nk_news pairs (North-Korean
orthography rewrites). For each shingling — char 5-grams and 7-grams (whitespace runs → one space), char
5-grams with spaces removed (extra), eojeol 5-grams (datatrove simplify_text + whitespace split) and Kiwi
morpheme 5-grams — it computes rensa MinHash signatures (--perm permutations), LSH candidates from --bands
bands (a pair is found when it shares one band bucket; "verified" also needs estimated Jaccard ≥ the LSH
threshold (1/bands)^(1/rows)), and the exact Jaccard of every known and every found pair on that shingle set.

Units: recall and precision are fractions of pairs; J is Jaccard similarity in [0, 1]; speed in documents/s
including shingling (Kiwi analysis included for morpheme shingles); memory in MiB. Positives: known pairs with
true J ≥ 0.8 on that shingling. Precision counts a found pair as wrong when it is unrelated by origin (not a
planted or park/nk pair) and its true J < the LSH threshold; "strict" precision counts every found pair with
true J < 0.8 as wrong (known near-duplicates between the threshold and 0.8 included).

    python benchmarks/dedup_eval.py [--data ../shared/data/korean] [--n 3000] [--seed 0] [--perm 112] [--bands 14]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
import tracemalloc
from collections import defaultdict
from collections.abc import Callable
from itertools import combinations
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dedup_planting import Doc, Pair, load_korean, plant  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[1]
BUCKETS = [(0.0, 0.5), (0.5, 0.6), (0.6, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 1.0001)]
POSITIVE_J = 0.8


def char_ngrams(text: str, k: int) -> set[str]:
    return {text[i : i + k] for i in range(max(1, len(text) - k + 1))}


def token_ngrams(tokens: list[str], k: int, sep: str = " ") -> set[str]:
    return {sep.join(tokens[i : i + k]) for i in range(max(1, len(tokens) - k + 1))}


def kiwi_words(texts: list[str], batch: int = 256) -> list[list[str]]:
    """Surface morpheme spans of every text (Kiwi, 2 threads), analysed in batches to bound memory."""
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    from kocorpus.analysis import KiwiAnalyzer, KiwiConfig

    analyzer = KiwiAnalyzer(KiwiConfig(threads=2))
    return [a.words for i in range(0, len(texts), batch) for a in analyzer.analyze(texts[i : i + batch])]


def make_shinglers() -> dict[str, Callable[[str, list[str] | None], set[str]]]:
    from datatrove.utils.text import simplify_text

    return {
        "char5": lambda t, _: char_ngrams(" ".join(t.split()), 5),
        "char7": lambda t, _: char_ngrams(" ".join(t.split()), 7),
        "char5-nospace": lambda t, _: char_ngrams("".join(t.split()), 5),
        "word5": lambda t, _: token_ngrams(simplify_text(t).split(" "), 5),
        "morph5": lambda _, words: token_ngrams(words or [], 5, "\x1f"),
        # the pipeline's own stage-1 block: char 5-grams without spaces hashed from code points (numpy) + rensa
        PIPELINE: lambda t, _: char_ngrams("".join(t.split()), 5),
    }


PIPELINE = "block"


def rensa_digest(shingles: set[str], perm: int, seed: int = 42) -> list[int]:
    import rensa

    m = rensa.RMinHash(num_perm=perm, seed=seed)
    m.update(list(shingles))
    return m.digest()


def lsh_candidates(sigs: np.ndarray, bands: int, rows: int) -> set[tuple[int, int]]:
    """Pairs (i < j) sharing the bucket of at least one band (rows consecutive signature values)."""
    pairs: set[tuple[int, int]] = set()
    for b in range(bands):
        buckets: dict[bytes, list[int]] = defaultdict(list)
        block = np.ascontiguousarray(sigs[:, b * rows : (b + 1) * rows])
        for i in range(block.shape[0]):
            buckets[block[i].tobytes()].append(i)
        for members in buckets.values():
            if len(members) > 1:
                pairs.update(combinations(members, 2))
    return pairs


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    inter = np.intersect1d(a, b, assume_unique=True).size
    return inter / (a.size + b.size - inter) if a.size + b.size else 1.0


def evaluate(name: str, docs: list[Doc], pairs: list[Pair], morphs: list[list[str]], args, kiwi_s: float) -> dict:
    """Signatures, LSH candidates and exact Jaccard of one shingling; returns the measured numbers."""
    shingler = make_shinglers()[name]
    t0 = time.perf_counter()
    sets = [shingler(d.text, m) for d, m in zip(docs, morphs, strict=True)]
    t_shingle = time.perf_counter() - t0 + (kiwi_s if name == "morph5" else 0.0)
    t0 = time.perf_counter()
    if name == PIPELINE:  # signatures as the pipeline computes them (the string sets serve the true Jaccard)
        import tempfile

        from kocorpus.dedup import KoreanMinhashSignature, MinhashDedupConfig

        rows_ = args.perm // args.bands
        block = KoreanMinhashSignature(tempfile.mkdtemp(), MinhashDedupConfig(num_buckets=args.bands,
                                                                              hashes_per_bucket=rows_))  # fmt: skip
        t0 = time.perf_counter()
        sigs = np.array([sum(block.get_signature(block.get_shingles(d.text)), []) for d in docs], dtype=np.uint32)
        t_shingle, t_sig = 0.0, time.perf_counter() - t0
    else:
        sigs = np.array([rensa_digest(s, args.perm) for s in sets], dtype=np.uint32)
        t_sig = time.perf_counter() - t0
    hashed = [np.unique(np.fromiter(map(hash, s), np.int64, len(s))) for s in sets]
    rows = args.perm // args.bands
    threshold = (1 / args.bands) ** (1 / rows)
    cand = lsh_candidates(sigs, args.bands, rows)
    est = {p: float(np.mean(sigs[p[0]] == sigs[p[1]])) for p in cand}
    verified = {p for p in cand if est[p] >= threshold}
    true_j: dict[tuple[int, int], float] = {}
    for p in [*cand, *((min(q.a, q.b), max(q.a, q.b)) for q in pairs)]:
        if p not in true_j:
            true_j[p] = jaccard(hashed[p[0]], hashed[p[1]])
    known = [((min(q.a, q.b), max(q.a, q.b)), q) for q in pairs]
    planted = [(p, q) for p, q in known if q.kind != "nk-park"]
    positives = [p for p, _ in planted if true_j[p] >= POSITIVE_J]
    out = {
        "name": name,
        "shingles": statistics.mean(len(s) for s in sets),
        "t_shingle": t_shingle,
        "t_sig": t_sig,
        "dps": len(docs) / (t_shingle + t_sig),
        "threshold": threshold,
        "cand": len(cand),
        "verified": len(verified),
        "true_j": true_j,
        "known": known,
        "found": {"band": cand, "verified": verified},
    }
    for mode, found in out["found"].items():
        n = max(1, len(found))
        unrelated = [p for p in found if docs[p[0]].group < 0 or docs[p[0]].group != docs[p[1]].group]
        out[f"FP_{mode}"] = sum(true_j[p] < threshold for p in unrelated)
        out[f"natural_{mode}"] = sum(true_j[p] >= threshold for p in unrelated)
        out[f"P_{mode}"] = 1 - out[f"FP_{mode}"] / n
        out[f"Pstrict_{mode}"] = sum(true_j[p] >= POSITIVE_J for p in found) / n
        out[f"R_{mode}"] = sum(p in found for p in positives) / max(1, len(positives))
        out[f"Rknown_{mode}"] = sum(p in found for p, _ in known) / max(1, len(known))
    out["n_pos"] = len(positives)
    return out


def speed_bench(texts: list[str], perm: int, repeats: int = 3) -> list[tuple[str, float, float, float]]:
    """(method, docs/s with char 5-gram shingling, docs/s signature only, tracemalloc peak MiB) per library;
    times are the best of `repeats`, the peak comes from one more (slower, traced) pass."""
    import datasketch

    def ds(sh: set[str]) -> object:
        m = datasketch.MinHash(num_perm=perm)
        m.update_batch([s.encode("utf-8") for s in sh])
        return m.hashvalues

    methods = {
        f"datasketch {datasketch.__version__} MinHash+update_batch": ds,
        "rensa RMinHash": lambda sh: rensa_digest(sh, perm),
    }
    rows = []
    for label, fn in methods.items():
        fn({"warm up"})
        full = sig_only = float("inf")
        sets = [char_ngrams(" ".join(t.split()), 5) for t in texts]
        for _ in range(repeats):  # best of `repeats`: the 2 cores are shared
            t0 = time.perf_counter()
            _ = [fn(char_ngrams(" ".join(t.split()), 5)) for t in texts]
            full = min(full, time.perf_counter() - t0)
            t0 = time.perf_counter()
            _ = [fn(s) for s in sets]
            sig_only = min(sig_only, time.perf_counter() - t0)
        del sets
        tracemalloc.start()
        _ = [fn(char_ngrams(" ".join(t.split()), 5)) for t in texts]
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        rows.append((label, len(texts) / full, len(texts) / sig_only, peak))
    # the pipeline's own stage-1 block (kocorpus.dedup): its shingling (char 5-grams, no spaces) + rensa
    import tempfile

    from kocorpus.dedup import KoreanMinhashSignature, MinhashDedupConfig

    block = KoreanMinhashSignature(tempfile.mkdtemp(), MinhashDedupConfig())
    full = sig_only = float("inf")
    shingled = [block.get_shingles(t) for t in texts]
    for _ in range(repeats):
        t0 = time.perf_counter()
        _ = [block.get_signature(block.get_shingles(t)) for t in texts]
        full = min(full, time.perf_counter() - t0)
        t0 = time.perf_counter()
        _ = [block.get_signature(s) for s in shingled]
        sig_only = min(sig_only, time.perf_counter() - t0)
    tracemalloc.start()
    _ = [block.get_signature(block.get_shingles(t)) for t in texts]
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    rows.append(("kocorpus KoreanMinhashSignature (pipeline block)", len(texts) / full, len(texts) / sig_only, peak))
    return rows


def bucket_of(j: float) -> int:
    return next(i for i, (lo, hi) in enumerate(BUCKETS) if lo <= j < hi)


def print_tables(results: list[dict], pairs: list[Pair], args) -> None:
    rows = args.perm // args.bands
    names = [r["name"] for r in results]
    print(
        f"\n== MinHash {args.perm} perm = {args.bands} bands × {rows} rows, LSH threshold {results[0]['threshold']:.3f}"
    )
    print(f"positives: planted pairs with true J ≥ {POSITIVE_J} on that shingling (n_pos differs per shingling);")
    print(
        f"P: a found pair is wrong when unrelated by origin with true J < {results[0]['threshold']:.3f}; Pstrict: when true J < {POSITIVE_J}\n"
    )
    print(f"{'shingling':<14}{'shingles/doc':>13}{'shingle s':>10}{'sig s':>7}{'docs/s':>9}{'cand':>8}{'verified':>9}")
    for r in results:
        print(
            f"{r['name']:<14}{r['shingles']:>13.0f}{r['t_shingle']:>10.2f}{r['t_sig']:>7.2f}{r['dps']:>9,.0f}"
            f"{r['cand']:>8,}{r['verified']:>9,}"
        )
    print("\n(b = band candidates, v = verified; FP = found unrelated pair below threshold, natural = unrelated")
    print(" pair at or above it, i.e. a duplicate already in the data; R known = found share of all known pairs)")
    head = f"{'shingling':<14}{'n_pos':>6}{'R b':>7}{'R v':>7}{'P b':>7}{'P v':>7}{'Pstrict b':>10}{'Pstrict v':>10}"
    print(head + f"{'FP b/v':>10}{'natural b/v':>12}{'R known b/v':>14}")
    for r in results:
        print(
            f"{r['name']:<14}{r['n_pos']:>6,}{r['R_band']:>7.4f}{r['R_verified']:>7.4f}{r['P_band']:>7.4f}"
            f"{r['P_verified']:>7.4f}{r['Pstrict_band']:>10.4f}{r['Pstrict_verified']:>10.4f}"
            f"{r['FP_band']:>6}/{r['FP_verified']:<3}{r['natural_band']:>8}/{r['natural_verified']:<3}"
            f"{r['Rknown_band']:>8.3f}/{r['Rknown_verified']:.3f}"
        )
    print("\n== Recall by true-J bucket of planted pairs: n  band-recall/verified-recall;  S = 1-(1-J^r)^b at midpoint")
    print(f"{'J bucket':<10}{'S':>6}" + "".join(f"{n:>22}" for n in names))
    for bi, (lo, hi) in enumerate(BUCKETS):
        s = 1 - (1 - ((lo + min(hi, 1)) / 2) ** rows) ** args.bands
        cells = []
        for r in results:
            ps = [p for p, q in r["known"] if q.kind != "nk-park" and bucket_of(r["true_j"][p]) == bi]
            rec = [sum(p in r["found"][m] for p in ps) / len(ps) if ps else float("nan") for m in ("band", "verified")]
            cells.append(f"{len(ps):>6} {rec[0]:>7.3f}/{rec[1]:.3f}")
        print(f"{lo:.1f}–{min(hi, 1):.1f}  {s:>6.3f}" + "".join(f"{c:>22}" for c in cells))
    print(
        "\n== Known pairs by how they were made: n  mean true J  verified-found share (same pairs for every shingling)"
    )
    groups: dict[str, list[int]] = defaultdict(list)
    for i, q in enumerate(pairs):
        label = (
            q.kind if q.kind != "edit" else f"edit {5 * int(q.edit_rate * 20):02d}–{5 * int(q.edit_rate * 20) + 5:02d}%"
        )
        groups[label].append(i)
    print(f"{'made by':<22}{'n':>5}" + "".join(f"{n:>18}" for n in names))
    for label in sorted(groups):
        cells = []
        for r in results:
            ks = [r["known"][i][0] for i in groups[label]]
            mean_j = statistics.mean(r["true_j"][p] for p in ks)
            cells.append(f"J {mean_j:.3f} f {sum(p in r['found']['verified'] for p in ks) / len(ks):.3f}")
        print(f"{label:<22}{len(groups[label]):>5}" + "".join(f"{c:>18}" for c in cells))
    print("\n== park_news ↔ nk_news (same article, North-Korean orthography/spacing): true J quantiles and found share")
    print(f"{'shingling':<14}{'n':>5}{'p10':>7}{'p50':>7}{'p90':>7}{'J≥0.8':>7}{'band':>7}{'verif':>7}")
    for r in results:
        js = sorted(r["true_j"][p] for p, q in r["known"] if q.kind == "nk-park")
        if not js:
            continue
        found = [p for p, q in r["known"] if q.kind == "nk-park"]
        q10, q50, q90 = (js[int(f * (len(js) - 1))] for f in (0.1, 0.5, 0.9))
        fb = sum(p in r["found"]["band"] for p in found) / len(found)
        fv = sum(p in r["found"]["verified"] for p in found) / len(found)
        share = sum(j >= POSITIVE_J for j in js) / len(js)
        print(f"{r['name']:<14}{len(js):>5}{q10:>7.3f}{q50:>7.3f}{q90:>7.3f}{share:>7.3f}{fb:>7.3f}{fv:>7.3f}")


def recommend(results: list[dict]) -> str:
    modes = ("band", "verified")
    ok = [
        (r[f"R_{m}"], r[f"Rknown_{m}"], r[f"P_{m}"], r["name"], m)
        for r in results
        for m in modes
        if r[f"P_{m}"] >= 0.99
    ]
    if not ok:
        best = max(results, key=lambda r: r["P_verified"])
        return f"no shingling reaches precision ≥ 0.99; highest precision: {best['name']} ({best['P_verified']:.4f})"
    rec, rknown, prec, name, mode = max(ok)
    kn, kname, kmode = max((r, n, m) for _, r, _, n, m in ok)
    return (
        f"{name} ({mode}): best recall {rec:.4f} of planted pairs with true J ≥ {POSITIVE_J} at precision {prec:.4f} "
        f"(ties broken by the found share of all known pairs: {rknown:.3f})\n"
        f"by found share of all known pairs (planted + park/nk, shingling-independent) at precision ≥ 0.99: "
        f"{kname} ({kmode}) {kn:.3f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default_data = REPO_ROOT.parent / "shared" / "data" / "korean"
    parser.add_argument(
        "--data",
        type=Path,
        default=default_data if default_data.is_dir() else REPO_ROOT / "kocorpus" / "data" / "sample",
        help="folder holding the Korean *.jsonl files (default ../shared/data/korean, else kocorpus/data/sample)",
    )
    parser.add_argument("--n", type=int, default=3000, help="number of base documents, ≥ 300 chars each (default 3000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed of base choice and planting (default 0)")
    parser.add_argument("--perm", type=int, default=112, help="MinHash permutations = bands × rows (default 112)")
    parser.add_argument("--bands", type=int, default=14, help="LSH bands; must divide --perm (default 14)")
    args = parser.parse_args(argv)
    if args.perm % args.bands:
        parser.error(f"--bands {args.bands} does not divide --perm {args.perm}")

    t_start = time.perf_counter()
    docs, pairs = plant(load_korean(args.data), args.n, args.seed)
    kinds = defaultdict(int)
    for d in docs:
        kinds[d.kind] += 1
    print(f"data: {args.data}  seed {args.seed}")
    print(f"index: {len(docs):,} documents ({', '.join(f'{k} {v:,}' for k, v in sorted(kinds.items()))})")
    print(
        f"known pairs: {len(pairs):,} ({sum(q.kind != 'nk-park' for q in pairs):,} planted, "
        f"{sum(q.kind == 'nk-park' for q in pairs)} park/nk); characters: {sum(len(d.text) for d in docs):,}"
    )

    t0 = time.perf_counter()
    morphs = kiwi_words([d.text for d in docs])
    kiwi_s = time.perf_counter() - t0
    print(f"Kiwi analysis (2 threads): {kiwi_s:.1f} s, {len(docs) / kiwi_s:,.0f} docs/s")
    results = [evaluate(name, docs, pairs, morphs, args, kiwi_s) for name in make_shinglers()]
    print_tables(results, pairs, args)

    bases = [d.text for d in docs if d.kind == "base"]
    print(f"\n== Speed, char 5-gram shingles, {len(bases):,} base documents, {args.perm} perm (1 process, best of 3)")
    print(f"{'method':<44}{'docs/s incl. shingling':>24}{'docs/s sig only':>17}{'tracemalloc peak MiB':>22}")
    for label, full, sig_only, peak in speed_bench(bases, args.perm):
        print(f"{label:<44}{full:>24,.0f}{sig_only:>17,.0f}{peak:>22.1f}")
    print(
        f"process peak RSS (ru_maxrss): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB; "
        f"total run {time.perf_counter() - t_start:.0f} s"
    )
    print(f"\nrecommendation: {recommend(results)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
