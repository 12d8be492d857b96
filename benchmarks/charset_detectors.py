"""Charset detectors on Korean pages: faust-cchardet vs charset-normalizer, alone and inside `decode_html`.

A case is right when the detector's answer (mapped by `normalize_charset_label`: euc-kr/UHC → cp949) decodes the
bytes strictly to the original text. Cases: real Korean text (bundled sample, or --data DIR of *.jsonl) cut to
30 / 100 / 300 / 1,000 characters, wrapped in a bare HTML page with no charset declaration, in UTF-8 and CP949;
half of the CP949 texts hold a CP949-only syllable; a third variant is the CP949 page with one stray invalid
byte (right = the text intact apart from U+FFFD at that byte). `decode_html` is scored the same way with each detector
(it checks strict UTF-8 before asking a detector and tries strict CP949 after a wrong answer).

    python benchmarks/charset_detectors.py [--data ../shared/data/korean] [--per-size 60]
"""

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kocorpus.text.decode import decode_html, detect_charset  # noqa: E402

SAMPLE = Path(__file__).resolve().parent.parent / "kocorpus" / "data" / "sample"
SIZES = (30, 100, 300, 1000)
ENCODINGS = ("utf-8", "cp949", "cp949+bad byte")
UHC_EXTRA = "똠햏뷁쌰됬왤꿰"


def texts(folder: Path, n: int, size: int, rng: random.Random) -> list[str]:
    pool = []
    for path in sorted(folder.glob("*.jsonl")):
        if path.name.startswith(("english", "code", "malformed")):
            continue
        for line in path.open(encoding="utf-8"):
            try:
                text = json.loads(line).get("text") or ""
            except ValueError:
                continue
            if len(text) >= size and sum("\uac00" <= c <= "\ud7a3" for c in text[:size]) > size // 3:
                pool.append(text)
    out = []
    while len(out) < n and pool:
        text = rng.choice(pool)
        start = rng.randrange(0, len(text) - size + 1)
        cut = text[start : start + size]
        try:
            cut.encode("cp949")
        except UnicodeEncodeError:
            continue
        out.append(cut)
    return out


def cases(folder: Path, per_size: int, seed: int = 0):
    rng = random.Random(seed)
    for size in SIZES:
        for i, text in enumerate(texts(folder, per_size, size, rng)):
            if i % 2:
                pos = rng.randrange(len(text))
                text = text[:pos] + rng.choice(UHC_EXTRA) + text[pos + 1 :]
            page = f"<html><head><title>t</title></head><body><p>{text}</p></body></html>"
            for enc in ("utf-8", "cp949"):
                yield size, enc, page, page.encode(enc)
            # a stray invalid byte (as in truncated or concatenated legacy pages): right = the text around it intact
            yield size, "cp949+bad byte", page, page.encode("cp949").replace(b"<p>", b"<p>\xff", 1)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=SAMPLE, help="folder of *.jsonl with a `text` field")
    ap.add_argument("--per-size", type=int, default=60, help="texts per length (each in UTF-8 and CP949)")
    args = ap.parse_args()
    rows = list(cases(args.data, args.per_size))
    detectors = ("cchardet", "charset_normalizer")
    right: dict[tuple, int] = {}
    total: dict[tuple, int] = {}
    seconds = dict.fromkeys(detectors, 0.0)
    answers: dict[tuple, dict] = {}
    for size, enc, page, raw in rows:
        for det in detectors:
            t0 = time.perf_counter()
            label = detect_charset(raw, det)
            seconds[det] += time.perf_counter() - t0
            try:
                ok = label is not None and raw.decode(label, "replace").replace("\ufffd", "") == page
            except LookupError:
                ok = False
            chain_ok = decode_html(raw, None, det).text.replace("\ufffd", "") == page
            for key, value in (((det, "alone", enc, size), ok), ((det, "decode_html", enc, size), chain_ok)):
                right[key] = right.get(key, 0) + value
                total[key] = total.get(key, 0) + 1
            answers.setdefault((det, enc), {}).setdefault(label, 0)
            answers[(det, enc)][label] += 1
    print(
        f"{len(rows)} pages ({args.per_size} texts × {len(SIZES)} lengths × {'/'.join(ENCODINGS)}), data: {args.data}"
    )
    print(f"| detector | used | encoding | {' | '.join(f'{s} chars' for s in SIZES)} | all |")
    print("|---|---|---|" + "---|" * (len(SIZES) + 1))
    for det in detectors:
        for mode in ("alone", "decode_html"):
            for enc in ENCODINGS:
                cells = [right[(det, mode, enc, s)] / total[(det, mode, enc, s)] for s in SIZES]
                n_right = sum(right[(det, mode, enc, s)] for s in SIZES)
                n_all = sum(total[(det, mode, enc, s)] for s in SIZES)
                print(
                    f"| {det} | {mode} | {enc} | "
                    + " | ".join(f"{c:.3f}" for c in cells)
                    + f" | {n_right / n_all:.3f} |"
                )
    print()
    for det in detectors:
        per_page = seconds[det] / len(rows) * 1e3
        print(
            f"{det}: {per_page:.3f} ms/page; answers: "
            + "; ".join(f"{enc}: {dict(answers[(det, enc)])}" for enc in ENCODINGS)
        )
    pages_with_declarations()
    return 0


def pages_with_declarations() -> None:
    """decode_html on the extraction evaluation's page set (every charset-declaration case, both encodings)."""
    try:
        from kocorpus.evaluation.web_pages import generate
    except ImportError:
        return
    right: dict[tuple, list[int]] = {}
    for page in generate(per_case=2):
        d = decode_html(page.html, page.content_type)
        ok = d.text == page.html.decode(page.encoding) and d.replacements == 0
        cell = right.setdefault((page.encoding, page.charset_case), [0, 0])
        cell[0] += ok
        cell[1] += 1
    print("\ndecode_html on kocorpus.evaluation.web_pages (declaration case: right / pages)")
    print("| encoding | " + " | ".join(case for _, case in right if _ == "utf-8") + " |")
    for enc in ("utf-8", "cp949"):
        cells = [f"{r}/{n}" for (e, _), (r, n) in right.items() if e == enc]
        print(f"| {enc} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    sys.exit(main())
