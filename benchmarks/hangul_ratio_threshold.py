"""Distribution of the Hangul ratio per corpus file, to choose the default minimum for the Hangul-ratio filter.

Hangul ratio = Hangul syllables/jamo ÷ non-whitespace characters (``kocorpus.text.hangul.hangul_ratio``).
Reads ``../shared/data/korean/*.jsonl`` (relative to the repository root) when present, else the bundled
``kocorpus/data/sample``; ``--src DIR`` overrides. Prints per-file percentiles, then, for each threshold, how many
Korean docs a filter ``ratio >= threshold`` would drop and how many English/code/noise docs it would keep.

    python benchmarks/hangul_ratio_threshold.py [--src DIR] [--thresholds 0.2 0.3 0.4 0.5]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_SRC = REPO_ROOT.parent / "shared" / "data" / "korean"
SAMPLE_SRC = REPO_ROOT / "kocorpus" / "data" / "sample"
TECHNICAL_FIXTURE = REPO_ROOT / "tests" / "data" / "ko_technical.jsonl"
NON_KOREAN = ("english", "code", "noise")  # every other file of the collection is Korean text


def load_hangul_ratio() -> Callable[[str], float]:
    """The library's ratio function; works from a checkout whether or not kocorpus is installed."""
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    from kocorpus.text.hangul import hangul_ratio

    return hangul_ratio


def percentile(sorted_values: list[float], q: float) -> float:
    """Linear-interpolated percentile (numpy's default method) of an ascending list; q in [0, 100]."""
    pos = (len(sorted_values) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def part_label(source: str) -> str:
    """Short name of a noise part: 'web.txt#tagged', 'mojibake:utf8-as-cp949', ..."""
    source = source.split("(", 1)[0].replace("synthetic-mojibake:", "mojibake:")
    return source.split(":", 1)[-1].rsplit("/", 1)[-1] if "#" in source else source


def read_jsonl(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--src", type=Path, default=None, help="folder with *.jsonl (default: shared, else sample)")
    ap.add_argument("--thresholds", type=float, nargs="+", default=[0.2, 0.3, 0.4, 0.5])
    args = ap.parse_args()
    src = args.src or (SHARED_SRC if SHARED_SRC.is_dir() else SAMPLE_SRC)
    ratio = load_hangul_ratio()

    ratios: dict[str, list[float]] = {}
    noise_parts: dict[str, list[float]] = {}
    for path in sorted(src.glob("*.jsonl"), key=lambda p: (p.stem in NON_KOREAN, p.stem)):
        ratios[path.stem] = []
        for doc in read_jsonl(path):
            r = ratio(doc["text"])
            ratios[path.stem].append(r)
            if path.stem == "noise":
                noise_parts.setdefault(part_label(doc["source"]), []).append(r)
    korean = sorted(r for name, rs in ratios.items() if name not in NON_KOREAN for r in rs)
    groups = {**ratios, "ALL KOREAN": korean}

    print(f"Hangul ratio per document, source: {src}\n")
    cols = ("min", "p1", "p5", "median", "p95", "p99", "max")
    print(f"{'file':<16} {'docs':>5} " + " ".join(f"{c:>6}" for c in cols))
    for name, rs in groups.items():
        rs = sorted(rs)
        stats = (rs[0], percentile(rs, 1), percentile(rs, 5), percentile(rs, 50))
        stats += (percentile(rs, 95), percentile(rs, 99), rs[-1])
        print(f"{name:<16} {len(rs):>5} " + " ".join(f"{v:>6.3f}" for v in stats))

    print(f"\n{'noise part':<36} {'docs':>5} {'min':>6} {'median':>6} {'max':>6}")
    for part, rs in noise_parts.items():
        rs = sorted(rs)
        print(f"{part:<36} {len(rs):>5} {rs[0]:>6.3f} {percentile(rs, 50):>6.3f} {rs[-1]:>6.3f}")

    present = [n for n in NON_KOREAN if n in ratios]
    print("\nFilter keeps a doc when ratio >= threshold.")
    print(f"{'threshold':>9} {'Korean dropped':>16} " + " ".join(f"{n + ' kept':>12}" for n in present))
    for t in args.thresholds:
        dropped = sum(r < t for r in korean)
        kept = [f"{sum(r >= t for r in ratios[n])}/{len(ratios[n])}" for n in present]
        print(f"{t:>9.2f} {f'{dropped}/{len(korean)}':>16} " + " ".join(f"{k:>12}" for k in kept))

    if TECHNICAL_FIXTURE.is_file():
        print(f"\nKorean technical fixture ({TECHNICAL_FIXTURE.relative_to(REPO_ROOT)}):")
        for doc in read_jsonl(TECHNICAL_FIXTURE):
            print(f"  {doc['id']:<24} {ratio(doc['text']):.3f}")


if __name__ == "__main__":
    main()
