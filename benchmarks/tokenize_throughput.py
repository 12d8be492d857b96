"""Shard-writing throughput of `kocorpus tokenize` against the raw `encode_batch` of the same tokenizer, one run.

Input: the Korean texts of ../shared/data/korean (the bundled sample when absent) written once as a kept-like
Parquet folder. (a) raw: `Tokenizer.encode_batch` over the same texts in batches of 512, nothing else.
(b) shards: the `kocorpus tokenize` command in-process (1 task: read Parquet, encode in batches, pack seq_len
rows, write zstd Parquet, manifest), tokenizer loading included. Both single-threaded
(TOKENIZERS_PARALLELISM=false, as the Makefile sets). Units: tokens/s and MB/s of UTF-8 text; best of --repeat.

    python benchmarks/tokenize_throughput.py [--tokenizer DIR] [--seq-len 2048] [--repeat 3]
"""

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
REPO = Path(__file__).resolve().parent.parent


def texts() -> list[str]:
    root = REPO.parent / "shared" / "data" / "korean"
    root = root if root.is_dir() else REPO / "kocorpus" / "data" / "sample"
    out = []
    for path in sorted(root.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                t = json.loads(line).get("text")
            except ValueError:
                continue
            if isinstance(t, str) and t.strip():
                out.append(t)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tokenizer", help="HF tokenizer dir (default: train an 8k Korean byte-level BPE here)")
    ap.add_argument("--seq-len", type=int, default=2048)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    import pyarrow as pa
    import pyarrow.parquet as pq

    from kocorpus.cli import main as cli
    from kocorpus.tokens.base import load
    from kocorpus.tokens.train import save_hf, train_bpe

    docs = texts()
    work = Path(tempfile.mkdtemp())
    kept = work / "kept"
    kept.mkdir()
    pq.write_table(pa.table({"id": [f"d{i}" for i in range(len(docs))], "text": docs}), kept / "000_00000.parquet")
    tok_dir = Path(args.tokenizer) if args.tokenizer else save_hf(train_bpe(docs[:3000], 8000), work / "tok")
    tok = load(tok_dir)
    mb = sum(len(t.encode()) for t in docs) / 1e6
    raw = shards = float("inf")
    n_tokens = 0
    for r in range(args.repeat):
        t0 = time.perf_counter()
        n_tokens = sum(len(e.ids) for i in range(0, len(docs), 512) for e in tok.encode_batch(docs[i : i + 512]))
        raw = min(raw, time.perf_counter() - t0)
        out = work / f"shards{r}"
        t0 = time.perf_counter()
        assert cli(["tokenize", "--input", str(kept), "--tokenizer", str(tok_dir), "--seq-len", str(args.seq_len),
                    "--output", str(out)]) == 0  # fmt: skip
        shards = min(shards, time.perf_counter() - t0)
    print(
        f"\n{len(docs):,} documents, {mb:.2f} MB, {n_tokens:,} tokens; tokenizer {tok_dir} ({tok.get_vocab_size():,})"
    )
    print(f"{'':<34}{'seconds':>9}{'tokens/s':>12}{'MB/s':>8}")
    for name, secs in (("raw encode_batch", raw), ("kocorpus tokenize (shards)", shards)):
        print(f"{name:<34}{secs:>9.2f}{n_tokens / secs:>12,.0f}{mb / secs:>8.2f}")
    print(f"shards / raw throughput: {raw / shards:.2f} (target ≥ 0.8)")


if __name__ == "__main__":
    main()
