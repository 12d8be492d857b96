"""Train a fasttext quality classifier on Kiwi-tokenized text (`kocorpus quality train`)."""

import json
import random
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kocorpus.analysis.kiwi_analyzer import KiwiAnalyzer, KiwiConfig
from kocorpus.quality.features import fasttext_line

POS_LABEL = "hq"
NEG_LABEL = "lq"


def read_texts(paths: Iterable[str | Path], text_key: str = "text") -> Iterator[str]:
    """Texts of JSONL files (`text_key` field) or plain-text files (one document per non-empty line)."""
    import fsspec

    for path in map(Path, paths):
        with fsspec.open(str(path), "rt", compression="infer", encoding="utf-8", errors="replace") as f:
            if ".jsonl" in path.suffixes or ".json" in path.suffixes:
                for line in f:
                    try:
                        record = json.loads(line) if line.strip() else None
                    except ValueError:
                        continue  # a malformed line is not an example
                    text = record.get(text_key) if isinstance(record, dict) else None
                    if isinstance(text, str) and text.strip():
                        yield text
            else:
                yield from (line.rstrip("\n") for line in f if line.strip())


# Removed by these, a document is a duplicate or was judged by a classifier, not a low-quality example.
NOT_NEGATIVE_STEPS = frozenset({"url", "exact", "minhash", "lines", "quality_classifier"})


def texts_from_run(
    out: Path,
    neg_steps: list[str] | None = None,
    pos_sources: list[str] | None = None,
    neg_sources: list[str] | None = None,
    max_per_class: int | None = None,
    seed: int = 0,
) -> tuple[list[str], list[str], str]:
    """Positive and negative texts from a finished run `out`, and a one-line description of the labels.

    With `pos_sources`/`neg_sources`: kept documents whose `source` is in the list (a Kanana-style split by
    origin: curated sources positive, raw web negative). Otherwise: kept documents positive, documents removed by
    `neg_steps` (default: every filter step under OUT/removed except dedup and quality_classifier) negative.
    Each class is sampled down to `max_per_class` (seeded)."""
    import duckdb

    kept = sorted(str(p) for p in (out / "kept").glob("*.parquet")) or sorted(
        str(p) for p in (out / "filtered").glob("*.parquet")
    )
    if not kept:
        raise FileNotFoundError(f"{out}: no kept/*.parquet (is it the output of `kocorpus run`?)")
    con = duckdb.connect()
    if pos_sources or neg_sources:
        if not (pos_sources and neg_sources):
            raise ValueError("--pos-source and --neg-source go together")
        query = "SELECT text FROM read_parquet(?) WHERE source IN (SELECT unnest(?))"
        pos = [r[0] for r in con.execute(query, [kept, pos_sources]).fetchall()]
        neg = [r[0] for r in con.execute(query, [kept, neg_sources]).fetchall()]
        how = f"kept documents by source: positive {pos_sources}, negative {neg_sources}"
    else:
        available = sorted(p.name for p in (out / "removed").glob("*") if any(p.glob("*.parquet")))
        steps = neg_steps or [s for s in available if s not in NOT_NEGATIVE_STEPS]
        unknown = sorted(set(steps) - set(available))
        if unknown:
            raise ValueError(f"--neg-steps: no documents removed by {unknown} in {out} (removed by: {available})")
        files = [str(p) for s in steps for p in sorted((out / "removed" / s).glob("*.parquet"))]
        pos = [r[0] for r in con.execute("SELECT text FROM read_parquet(?)", [kept]).fetchall()]
        neg = [r[0] for r in con.execute("SELECT text FROM read_parquet(?)", [files]).fetchall()] if files else []
        how = f"kept documents positive, removed by {steps} negative"
    rng = random.Random(seed)
    if max_per_class:
        pos = rng.sample(pos, min(max_per_class, len(pos)))
        neg = rng.sample(neg, min(max_per_class, len(neg)))
    return [t for t in pos if t and t.strip()], [t for t in neg if t and t.strip()], how


@dataclass
class TrainResult:
    model_path: Path
    n_pos: int
    n_neg: int
    valid_precision: float
    valid_recall: float
    """Of the positive label on the held-out split."""


def train_quality_model(
    pos: list[str],
    neg: list[str],
    output: Path,
    epoch: int = 25,
    lr: float = 0.1,
    word_ngrams: int = 4,
    dim: int = 32,
    valid_fraction: float = 0.1,
    seed: int = 0,
    threads: int = 2,
    progress: bool = True,
) -> TrainResult:
    """Tokenize with Kiwi, train `__label__hq` vs `__label__lq`, save (quantized when `output` ends in .ftz)."""
    import fasttext
    from tqdm import tqdm

    if not hasattr(fasttext, "train_supervised"):
        raise RuntimeError("this fasttext module cannot train; pip install --force-reinstall fasttext-numpy2-wheel")
    analyzer = KiwiAnalyzer(KiwiConfig(threads=threads))
    rows = [(POS_LABEL, t) for t in pos] + [(NEG_LABEL, t) for t in neg]
    random.Random(seed).shuffle(rows)
    lines = []
    for i in tqdm(range(0, len(rows), 256), desc="Kiwi", unit="batch", disable=not progress):
        chunk = rows[i : i + 256]
        for (label, _), analysis in zip(chunk, analyzer.analyze([t for _, t in chunk]), strict=True):
            lines.append(f"__label__{label} {fasttext_line(analysis)}")
    n_valid = int(len(lines) * valid_fraction)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        train_file, valid_file = Path(tmp) / "train.txt", Path(tmp) / "valid.txt"
        train_file.write_text("\n".join(lines[n_valid:]) + "\n", encoding="utf-8")
        valid_file.write_text("\n".join(lines[:n_valid]) + "\n", encoding="utf-8")
        # one fasttext thread: Hogwild threads make the model differ from run to run
        model = fasttext.train_supervised(
            input=str(train_file), epoch=epoch, lr=lr, wordNgrams=word_ngrams, dim=dim, seed=seed, thread=1,
            minCount=2, bucket=500_000, verbose=0,
        )  # fmt: skip
        if output.suffix == ".ftz":
            model.quantize(input=str(train_file), retrain=True, cutoff=100_000, qnorm=True, thread=1)
        model.save_model(str(output))
        precision = recall = float("nan")
        if n_valid:
            per_label = model.test_label(str(valid_file))
            stats = per_label.get(f"__label__{POS_LABEL}", {})
            precision, recall = float(stats.get("precision", "nan")), float(stats.get("recall", "nan"))
    n_pos = sum(1 for label, _ in rows if label == POS_LABEL)
    return TrainResult(output, n_pos, len(rows) - n_pos, precision, recall)
