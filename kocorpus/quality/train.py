"""Train a fasttext quality classifier on Kiwi-tokenized text (`kocorpus quality train`)."""

import random
import tempfile
from dataclasses import dataclass
from pathlib import Path

from kocorpus.analysis.kiwi_analyzer import KiwiAnalyzer, KiwiConfig
from kocorpus.quality.features import fasttext_line
from kocorpus.text.files import iter_texts as read_texts  # the one text reader, under the name callers use

__all__ = ["TrainResult", "read_texts", "train_quality_model"]

POS_LABEL = "hq"
NEG_LABEL = "lq"


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
