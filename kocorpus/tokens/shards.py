"""Tokenized Parquet shards of packed sequences (`kocorpus tokenize`), written by a datatrove block.

Each row: `input_ids` list<int32> of exactly seq_len tokens (documents concatenated, EOS after each one; the last
row of a shard is padded with the pad id and `n_tokens` says how many are real), `doc_starts` list<int32> (row
offsets where a document begins, for document masking). Parquet key-value metadata: tokenizer_hash, vocab_size,
seq_len, eos_id, pad_id, run_id, label, stage. A task writes SHARDS/<label>/<rank>_<n>.parquet and a manifest
part; `write_manifest` merges the parts into SHARDS/manifest.json (shards with rows, tokens, documents, label,
stage). Repeats: `weight` (mixture weight of the label) and `upsample` (by `minhash_cluster_size`, FineWeb-2
rehydration style) repeat a document floor(w) times plus once more when a hash of its id falls below the
fractional part — deterministic, so the same input gives byte-identical shards.
"""

import hashlib
import json
from pathlib import Path

import numpy as np
from datatrove.data import DocumentsPipeline
from datatrove.pipeline.base import PipelineStep

SCHEMA_FIELDS = ("input_ids", "doc_starts", "n_tokens")
# FineWeb-2 rehydration style: documents of mid-size clusters are repeated more, huge clusters not at all
DEFAULT_UPSAMPLE = {1: 1.0, 2: 2.0, 3: 3.0, 5: 5.0, 101: 1.0}  # cluster size ≥ key → factor


def tokenizer_hash(tokenizer) -> str:
    """sha256 (first 16 hex digits) of the tokenizer's canonical JSON: shards and models must agree on it."""
    return hashlib.sha256(tokenizer.to_str().encode("utf-8")).hexdigest()[:16]


def repeats(doc_id: str, weight: float) -> int:
    """floor(weight) + 1 if a hash of the id in [0, 1) is below weight's fractional part (deterministic)."""
    whole = int(weight)
    frac = weight - whole
    if frac <= 0:
        return whole
    h = int.from_bytes(hashlib.blake2b(str(doc_id).encode(), digest_size=8).digest(), "big") / 2**64
    return whole + (h < frac)


def upsample_factor(cluster_size: int | None, table: dict[int, float]) -> float:
    size = cluster_size or 1
    factor = 1.0
    for threshold in sorted(table):
        if size >= threshold:
            factor = table[threshold]
    return factor


class TokenizedShardWriter(PipelineStep):
    """Tokenizes documents in batches (`encode_batch`), packs them into seq_len rows, writes Parquet shards."""

    name = "🔢 Tokenized shards"
    type = "💽 - WRITER"

    def __init__(self, output_folder: str, tokenizer_dir: str, seq_len: int, label: str = "default",
                 stage: str = "default", weight: float = 1.0, upsample: dict[int, float] | None = None,
                 rows_per_shard: int = 16384, run_id: str = "", batch_size: int = 512):  # fmt: skip
        super().__init__()
        if seq_len < 2:
            raise ValueError(f"seq_len: {seq_len} must be ≥ 2")
        self.output_folder, self.tokenizer_dir, self.seq_len = output_folder, tokenizer_dir, seq_len
        self.label, self.stage, self.weight, self.upsample = label, stage, weight, upsample
        self.rows_per_shard, self.run_id, self.batch_size = rows_per_shard, run_id, batch_size

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        from kocorpus.tokens.base import load_hf

        hf = load_hf(self.tokenizer_dir)
        tok = hf.backend_tokenizer
        eos = hf.eos_token_id
        pad = hf.pad_token_id if hf.pad_token_id is not None else eos
        if eos is None:
            raise ValueError(f"{self.tokenizer_dir}: the tokenizer has no EOS token")
        meta = {"tokenizer_hash": tokenizer_hash(tok), "vocab_size": str(tok.get_vocab_size(with_added_tokens=True)),
                "seq_len": str(self.seq_len), "eos_id": str(eos), "pad_id": str(pad), "run_id": self.run_id,
                "label": self.label, "stage": self.stage}  # fmt: skip
        packer = _Packer(Path(self.output_folder), self.label, rank, self.seq_len, pad, self.rows_per_shard, meta)
        batch: list[tuple[str, int]] = []

        def flush() -> None:  # one array per batch: documents (each + EOS, repeated n times) back to back
            encs = tok.encode_batch([t for t, _ in batch], add_special_tokens=False)
            flat: list[int] = []
            lengths: list[int] = []
            for enc, (_, n) in zip(encs, batch, strict=True):
                ids = enc.ids
                for _ in range(n):
                    flat.extend(ids)
                    flat.append(eos)
                    lengths.append(len(ids) + 1)
            packer.add_batch(np.array(flat, dtype=np.int32), lengths)
            self.stat_update("tokens", value=len(flat))
            batch.clear()

        for doc in data:
            with self.track_time():
                n = repeats(doc.id, self.weight * (upsample_factor(doc.metadata.get("minhash_cluster_size"),
                                                                   self.upsample) if self.upsample else 1.0))  # fmt: skip
                self.stat_update("documents")
                self.stat_update("document_repeats", value=n)
                if n:
                    batch.append((doc.text, n))
                if len(batch) >= self.batch_size:
                    flush()
            yield doc
        if batch:
            flush()
        packer.close()
        part = Path(self.output_folder) / "manifest_parts" / f"{self.label}_{rank:05d}.json"
        part.parent.mkdir(parents=True, exist_ok=True)
        part.write_text(json.dumps({"meta": meta, "shards": packer.shards}, indent=1) + "\n")


class _Packer:
    """Accumulates token arrays and writes full shards of seq_len rows."""

    def __init__(self, folder: Path, label: str, rank: int, seq_len: int, pad: int, rows_per_shard: int, meta: dict):
        self.folder, self.label, self.rank, self.seq_len, self.pad = folder, label, rank, seq_len, pad
        self.rows_per_shard, self.meta = rows_per_shard, meta
        self.chunks: list[np.ndarray] = []
        self.starts: list[int] = []  # stream offsets where documents begin (current shard)
        self.length = 0
        self.shards: list[dict] = []

    def add_batch(self, ids: np.ndarray, lengths: list[int]) -> None:
        """Documents laid end to end in `ids` with the given lengths."""
        offset = self.length
        for n in lengths:
            self.starts.append(offset)
            offset += n
        self.chunks.append(ids)
        self.length += len(ids)
        while self.length >= self.rows_per_shard * self.seq_len:
            self._write(final=False)

    def close(self) -> None:
        if self.length:
            self._write(final=True)

    def _write(self, final: bool) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        stream = np.concatenate(self.chunks)
        starts = np.asarray(self.starts, dtype=np.int64)
        rows = len(stream) // self.seq_len if not final else -(-len(stream) // self.seq_len)
        rows = min(rows, self.rows_per_shard) if not final else rows
        used = min(rows * self.seq_len, len(stream))
        body = np.full(rows * self.seq_len, self.pad, dtype=np.int32)
        body[:used] = stream[:used]
        n_tokens = np.minimum(self.seq_len, used - np.arange(rows) * self.seq_len).astype(np.int32)
        inside = starts[starts < used]
        row_of = inside // self.seq_len
        bounds = np.searchsorted(row_of, np.arange(rows + 1))
        offsets = (inside % self.seq_len).astype(np.int32)
        table = pa.table(
            {
                "input_ids": pa.FixedSizeListArray.from_arrays(pa.array(body), self.seq_len).cast(pa.list_(pa.int32())),
                "doc_starts": pa.ListArray.from_arrays(pa.array(bounds.astype(np.int32)), pa.array(offsets)),
                "n_tokens": pa.array(n_tokens),
            }
        ).replace_schema_metadata({k: str(v) for k, v in self.meta.items()})
        name = f"{self.label}/{self.rank:05d}_{len(self.shards):04d}.parquet"
        path = self.folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, path, compression="zstd")
        docs_here = int(len(inside))
        self.shards.append({"path": name, "rows": rows, "tokens": int(n_tokens.sum()), "documents_started": docs_here,
                            "label": self.label, "stage": self.meta["stage"]})  # fmt: skip
        # keep the remainder (a document cut at the shard end continues in the next shard)
        rest = stream[used:]
        self.chunks = [rest] if len(rest) else []
        self.starts = [int(s - used) for s in starts[starts >= used]]
        self.length = len(rest)


def write_manifest(folder: Path) -> dict:
    """Merge SHARDS/manifest_parts/*.json into SHARDS/manifest.json (sorted by path); returns it."""
    folder = Path(folder)
    parts = [json.loads(p.read_text()) for p in sorted((folder / "manifest_parts").glob("*.json"))]
    if not parts:
        raise FileNotFoundError(f"{folder}: no manifest parts (did the tokenize tasks run?)")
    metas = {json.dumps({k: v for k, v in p["meta"].items() if k not in ("label", "stage")}, sort_keys=True)
             for p in parts}  # fmt: skip
    if len(metas) != 1:
        raise ValueError(f"{folder}: shards from different tokenizers or seq_len: {sorted(metas)}")
    meta = {k: v for k, v in parts[0]["meta"].items() if k not in ("label", "stage")}
    shards = sorted((s for p in parts for s in p["shards"]), key=lambda s: s["path"])
    manifest = {
        "tokenizer_hash": meta["tokenizer_hash"],
        "vocab_size": int(meta["vocab_size"]),
        "seq_len": int(meta["seq_len"]),
        "eos_id": int(meta["eos_id"]),
        "pad_id": int(meta["pad_id"]),
        "run_id": meta["run_id"],
        "rows": sum(s["rows"] for s in shards),
        "tokens": sum(s["tokens"] for s in shards),
        "labels": sorted({s["label"] for s in shards}),
        "shards": shards,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    return manifest
