"""Rebuild the bundled DEMO quality model kocorpus/data/models/quality_ko_demo.ftz from the bundled sample.

Positives: the Korean documents of kocorpus/data/sample (news, reviews, comments, chat, NLI, essays).
Negatives, generated from the same sample with a fixed seed: word salad, jamo/emoticon noise, mojibake,
gambling/adult/loan spam pages, boilerplate-only pages, mostly-English pages, code dumps.
It is a demo model (small data, synthetic negatives): train your own with `kocorpus quality train`.

    python benchmarks/train_demo_quality_model.py
"""

import argparse
import json
import random
import tempfile
from pathlib import Path

from kocorpus.evaluation import quality_synthetic as synthetic
from kocorpus.evaluation.spam import make_boilerplate_page, make_spam_page
from kocorpus.normalizers.text_normalizer import NormalizeConfig, normalize_text

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "kocorpus" / "data" / "sample"
OUTPUT = REPO / "kocorpus" / "data" / "models" / "quality_ko_demo.ftz"
NON_KOREAN = {"english", "code", "noise", "malformed", "web_junk"}


def load(name: str) -> list[str]:
    texts = []
    for line in (SAMPLE / f"{name}.jsonl").read_bytes().splitlines():
        try:
            texts.append(normalize_text(json.loads(line)["text"], NormalizeConfig()))
        except (ValueError, KeyError, TypeError):
            continue
    return texts


def build(rng: random.Random) -> tuple[list[str], list[str]]:
    """(positives, negatives) texts."""
    korean = [t for p in sorted(SAMPLE.glob("*.jsonl")) if p.stem not in NON_KOREAN for t in load(p.stem)]
    english, code = load("english"), load("code")
    n = len(korean) // 6
    neg = [synthetic.word_salad(rng.choice(korean), rng) for _ in range(2 * n)]
    neg += [synthetic.jamo_noise(rng) for _ in range(n // 2)]
    neg += [synthetic.mojibake(rng.choice(korean), rng) for _ in range(n // 2)]
    neg += [make_spam_page(rng) for _ in range(n)]
    neg += [make_boilerplate_page(rng, "") for _ in range(n // 2)]
    neg += [synthetic.foreign_page(rng.choice(korean), rng.choice(english), rng) for _ in range(n // 2)]
    neg += [synthetic.code_dump(rng.choice(code), rng.choice(korean), rng) for _ in range(n // 4)]
    return korean, [t for t in neg if t.strip()]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--output", type=Path, default=OUTPUT, help="model path (.ftz: quantized)")
    ap.add_argument("--seed", type=int, default=0, help="random seed of the negatives")
    args = ap.parse_args()
    from kocorpus.cli import main as cli

    pos, neg = build(random.Random(args.seed))
    with tempfile.TemporaryDirectory() as tmp:
        for name, texts in (("pos", pos), ("neg", neg)):
            with open(Path(tmp) / f"{name}.jsonl", "w", encoding="utf-8") as f:
                f.writelines(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in texts)
        cli(
            ["quality", "train", "--pos", f"{tmp}/pos.jsonl", "--neg", f"{tmp}/neg.jsonl", "--output", str(args.output)]
        )


if __name__ == "__main__":
    main()
