"""Tokenizer fertility on held-out Korean and on English, one run: trained Korean tokenizers (plain byte-level vs
Kiwi morpheme pre-splitting), SmolLM2 and Mistral v1 before/after vocabulary extension, Polyglot-Ko.

Korean: the shared Korean collection (../shared/data/korean, minus english/code), documents split by a hash of
their position: 90 % train, 10 % held out (never seen in training). English: english.jsonl. Without ../shared it
falls back to the bundled sample and tests/data/en_small.jsonl. Units: characters/token, tokens/eojeol
(whitespace words), bytes/token (UTF-8), fallback % (tokens that are not whole characters). The Kiwi variant is
measured by splitting the held-out text at Kiwi morpheme boundaries before encoding (the counts of characters
and eojeol are those of the original text).

    python benchmarks/tokenizer_eval.py [--vocab 32000] [--train-chars 4000000] [--keep DIR]
"""

import argparse
import json
import tempfile
import time
import zlib
from pathlib import Path

from rich.console import Console

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


def load_texts() -> tuple[list[str], list[str], list[str], str]:
    korean_dir = SHARED / "data" / "korean"
    if korean_dir.is_dir():
        files = [p for p in sorted(korean_dir.glob("*.jsonl")) if p.stem not in ("english", "code")]
        english = [json.loads(x)["text"] for x in (korean_dir / "english.jsonl").read_text().splitlines() if x.strip()]
        origin = str(korean_dir)
    else:
        sample = REPO / "kocorpus" / "data" / "sample"
        files = [p for p in sorted(sample.glob("*.jsonl")) if p.stem not in ("english", "code", "malformed", "noise")]
        english = [json.loads(x)["text"] for x in (REPO / "tests/data/en_small.jsonl").read_text().splitlines() if x]
        origin = str(sample)
    train, held = [], []
    for path in files:
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            try:
                text = json.loads(line).get("text")
            except ValueError:
                continue
            if isinstance(text, str) and text.strip():
                (held if zlib.crc32(f"{path.name}:{i}".encode()) % 10 == 0 else train).append(text)
    return train, held, english, origin


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--vocab", type=int, default=32000, help="Korean tokenizer vocabulary (default 32000)")
    ap.add_argument("--train-chars", type=int, default=4_000_000, help="characters of Korean training text")
    ap.add_argument("--keep", type=Path, help="keep the trained tokenizers here (default: a temp dir)")
    args = ap.parse_args()
    from kocorpus.tokens.base import load
    from kocorpus.tokens.evaluate import fertility, fertility_table
    from kocorpus.tokens.extend import extend_cli
    from kocorpus.tokens.train import kiwi_split, save_hf, train_bpe

    train, held, english, origin = load_texts()
    budget, picked = 0, []
    for t in train:
        if budget >= args.train_chars:
            break
        picked.append(t)
        budget += len(t)
    print(f"Korean: {origin}: train {len(picked):,} docs / {budget:,} chars; held out {len(held):,} docs / "
          f"{sum(map(len, held)):,} chars; English {len(english):,} docs / {sum(map(len, english)):,} chars")  # fmt: skip
    work = args.keep or Path(tempfile.mkdtemp())
    t0 = time.perf_counter()
    save_hf(train_bpe(picked, args.vocab), work / "ko_bytelevel")
    t_plain = time.perf_counter() - t0
    t0 = time.perf_counter()
    picked_kiwi = list(kiwi_split(picked, num_workers=2))
    save_hf(train_bpe(picked_kiwi, args.vocab), work / "ko_kiwi")
    t_kiwi = time.perf_counter() - t0
    print(f"train: byte-level {t_plain:.1f} s; Kiwi-split {t_kiwi:.1f} s (incl. Kiwi)")
    extend_cli("smollm2", work / "ko_bytelevel", work / "smollm2_ko", None, 1)
    named = {"smollm2 (base)": load("smollm2"), f"smollm2 + ko{args.vocab // 1000}k": load(work / "smollm2_ko")}
    mistral = SHARED / "tokenizers" / "mistral-v1" / "tokenizer.model"
    if mistral.is_file():
        extend_cli(str(mistral), work / "ko_bytelevel", work / "mistral_ko", None, 1)
        named |= {
            "mistral v1 (base)": load(mistral),
            f"mistral v1 + ko{args.vocab // 1000}k": load(work / "mistral_ko"),
        }
    named[f"kocorpus ko {args.vocab // 1000}k byte-level"] = load(work / "ko_bytelevel")
    polyglot = SHARED / "tokenizers" / "polyglot-ko" / "tokenizer.json"
    if polyglot.is_file():
        named["polyglot-ko 30k"] = load(polyglot)
    table, res = fertility_table(named, {"ko": held, "en": english})
    # the Kiwi variant: encode Kiwi-split text, count characters and eojeol of the original
    kiwi_tok = load(work / "ko_kiwi")
    f = fertility(kiwi_tok, list(kiwi_split(held, num_workers=2)))
    f_en = fertility(kiwi_tok, english)
    chars, eojeol = sum(map(len, held)), sum(len(t.split()) for t in held)
    bytes_ = sum(len(t.encode()) for t in held)
    table.add_row(f"kocorpus ko {args.vocab // 1000}k Kiwi-split", f"{kiwi_tok.get_vocab_size():,}",
                  f"{chars / f.tokens:.3f}", f"{f.tokens / eojeol:.2f}", f"{bytes_ / f.tokens:.2f}",
                  f"{100 * f.fallback_rate:.2f}", f"{f_en.chars_per_token:.3f}", f"{f_en.tokens_per_eojeol:.2f}",
                  f"{f_en.bytes_per_token:.2f}", f"{100 * f_en.fallback_rate:.2f}")  # fmt: skip
    Console(width=220).print(table)
    base, ext = res[("smollm2 (base)", "ko")], res[(f"smollm2 + ko{args.vocab // 1000}k", "ko")]
    base_en, ext_en = res[("smollm2 (base)", "en")], res[(f"smollm2 + ko{args.vocab // 1000}k", "en")]
    ratio = ext.chars_per_token / base.chars_per_token
    drift = ext_en.chars_per_token / base_en.chars_per_token - 1
    print(f"SmolLM2 extended / base, Korean chars/token: {ratio:.2f}× (target ≥ 4×); English chars/token change "
          f"{100 * drift:+.2f}% (target within ±1%)")  # fmt: skip


if __name__ == "__main__":
    main()
