"""Stream packed token rows from the Parquet shards of `kocorpus tokenize` (their manifest.json).

Every rank reads a disjoint part: global row i (in manifest order, per label) belongs to rank i % world_size, so
the rows of one optimizer step over all ranks are the same whatever the process count. A rank maps its next row to
a shard (manifest row counts) and a row group (the Parquet footer), reads only that row group's needed columns from
there on, and decodes only its own rows (one vectorized `take` per batch); a resume seeks to the row group of the
first unconsumed row instead of re-reading the consumed ones. The position — rows consumed per label and epochs —
is a small dict saved in checkpoints; `ShardStream(position=…)` continues from it.
A stage mixture {label: weight} interleaves labels by smooth weighted round robin (deterministic).
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np


class ShardMismatch(ValueError):
    """The shards were written with another tokenizer (hash) or vocabulary size than the model's."""


def read_manifest(path: str | Path) -> dict:
    path = Path(path)
    manifest_file = path / "manifest.json" if path.is_dir() else path
    if not manifest_file.is_file():
        raise FileNotFoundError(f"{manifest_file}: no manifest.json (write shards with `kocorpus tokenize`)")
    manifest = json.loads(manifest_file.read_text())
    manifest["root"] = str(manifest_file.parent)
    return manifest


def check_compatible(manifest: dict, tokenizer_hash: str, vocab_size: int) -> None:
    """Refuse shards made by another tokenizer: token ids would mean different things."""
    if manifest["tokenizer_hash"] != tokenizer_hash:
        raise ShardMismatch(
            f"shards {manifest['root']} were tokenized with tokenizer {manifest['tokenizer_hash']}, the model's "
            f"tokenizer is {tokenizer_hash}; re-run `kocorpus tokenize` with the model's tokenizer"
        )
    if int(manifest["vocab_size"]) != int(vocab_size):
        raise ShardMismatch(
            f"shards {manifest['root']} have vocab_size {manifest['vocab_size']}, the model's embeddings have "
            f"{vocab_size}; resize the model to the extended tokenizer (model.init extend)"
        )


COLUMNS = ["input_ids", "doc_starts", "n_tokens"]


def _rank_rows(
    manifest: dict, label: str, first: int, step: int, counts: dict, only: set[int] | None = None
) -> Iterator[tuple[int, tuple]]:
    """(global row index, (input_ids, doc_starts, n_tokens)) of rows first, first + step, … of `label`, in manifest
    order, in the label's shards numbered `only` (all if None; the others are not opened). Shards before `first`
    are skipped by their manifest row count, row groups by the footer; `counts` gets "row_groups" read and
    "rows_decoded" (rows turned into arrays; only the yielded ones)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    want = first
    shard_start = 0
    for k, shard in enumerate(s for s in manifest["shards"] if s["label"] == label):
        shard_end = shard_start + int(shard["rows"])
        if want >= shard_end or (only is not None and k not in only):
            shard_start = shard_end
            continue
        want = max(want, shard_start)
        pf = pq.ParquetFile(Path(manifest["root"]) / shard["path"])
        if pf.metadata.num_rows != int(shard["rows"]):  # row indices (and resume positions) would shift
            raise ValueError(f"{shard['path']}: {pf.metadata.num_rows} rows, manifest.json says {shard['rows']}")
        group_start = shard_start
        for g in range(pf.metadata.num_row_groups):
            group_end = group_start + pf.metadata.row_group(g).num_rows
            if want >= group_end:
                group_start = group_end
                continue
            counts["row_groups"] = counts.get("row_groups", 0) + 1
            batch_start = group_start
            for batch in pf.iter_batches(batch_size=256, row_groups=[g], columns=COLUMNS):
                local = np.arange(want - batch_start, len(batch), step)
                if len(local):
                    sub = batch.take(pa.array(local))
                    flat = sub.column("input_ids").flatten().to_numpy().reshape(len(local), -1)
                    doc = sub.column("doc_starts")
                    offsets = doc.offsets.to_numpy()
                    values = doc.flatten().to_numpy().astype(np.int64)
                    n_tok = sub.column("n_tokens").to_numpy()
                    counts["rows_decoded"] = counts.get("rows_decoded", 0) + len(local)
                    for k, li in enumerate(local):
                        row = (flat[k], values[offsets[k] - offsets[0] : offsets[k + 1] - offsets[0]], int(n_tok[k]))
                        yield batch_start + int(li), row
                    want = batch_start + int(local[-1]) + step
                batch_start += len(batch)
            group_start = group_end
        shard_start = shard_end


def shard_rows(manifest: dict, n: int) -> list:
    """The token ids (arrays, padding cut off) of the first `n` rows of the shards, labels in manifest order."""
    out = []
    for label in manifest["labels"]:
        for _, (ids, _, n_tok) in _rank_rows(manifest, label, 0, 1, {}):
            if len(out) >= n:
                return out
            out.append(ids[:n_tok])
    return out


def token_counts(manifest: dict, vocab_size: int, max_rows: int | None = None) -> np.ndarray:
    """Occurrences of each token id (length `vocab_size`) in the first `max_rows` rows of the shards (all if
    None), padding excluded."""
    counts = np.zeros(vocab_size, dtype=np.int64)
    for ids in shard_rows(manifest, max_rows if max_rows is not None else 1 << 62):
        counts += np.bincount(ids[ids < vocab_size], minlength=vocab_size)
    return counts


@dataclass
class ShardStream:
    """Rows for one rank: `next_row()` → (input_ids, doc_starts, n_tokens); loops over the data in epochs."""

    manifest: dict
    mixture: dict[str, float]
    rank: int = 0
    world_size: int = 1
    position: dict = field(default_factory=dict)
    """{"rows": {label: global rows consumed (split rows) or this rank's rows consumed (split shards)},
    "epochs": {label: n}, "credit": {label: float}}"""
    split: str = "rows"
    """rows: global row i → rank i % world_size (every rank reads every row group, decodes its rows; the rows of a
    step are the same for any process count); shards: the label's shard k → rank k % world_size (a rank opens
    only its own files: 1/world_size of the I/O; the data order depends on the process count)."""

    def __post_init__(self) -> None:
        labels = set(self.manifest["labels"])
        unknown = set(self.mixture) - labels
        if unknown:
            raise ValueError(f"mixture labels {sorted(unknown)} not in the shards (labels: {sorted(labels)})")
        self.position = {
            "rows": dict(self.position.get("rows", {})),
            "epochs": dict(self.position.get("epochs", {})),
            "credit": dict(self.position.get("credit", {})),
        }
        if self.split not in ("rows", "shards"):
            raise ValueError(f"data split {self.split!r}: use rows or shards")
        self._iters: dict[str, Iterator] = {}
        self.counts: dict[str, int] = {}
        """I/O of this stream: row groups read, rows decoded."""
        self.last: tuple[str, int] | None = None
        """(label, global row index) of the row returned last."""

    def state(self) -> dict:
        return json.loads(json.dumps(self.position))

    def _open(self, label: str) -> Iterator:
        """Iterator over this rank's rows of `label` from the first row the position says is not consumed."""
        consumed = self.position["rows"].get(label, 0)
        if self.split == "rows":
            first = consumed + (self.rank - consumed) % self.world_size
            return _rank_rows(self.manifest, label, first, self.world_size, self.counts)
        shards = [s for s in self.manifest["shards"] if s["label"] == label]
        mine = {k for k in range(len(shards)) if k % self.world_size == self.rank}
        if not mine:
            raise ValueError(f"label {label!r}: {len(shards)} shards for {self.world_size} ranks; split by shards "
                             f"needs at least one shard per rank (re-tokenize with smaller --rows-per-shard)")  # fmt: skip
        first, start = 0, 0
        for k, shard in enumerate(shards):  # the global index of this rank's row number `consumed`
            if k in mine:
                if consumed < int(shard["rows"]):
                    first = start + consumed
                    break
                consumed -= int(shard["rows"])
            start += int(shard["rows"])
        else:
            first = start  # past the end: the iterator is empty, the next epoch starts
        return _rank_rows(self.manifest, label, first, 1, self.counts, only=mine)

    def _next_of(self, label: str):
        if label not in self._iters:
            self._iters[label] = self._open(label)
        for _ in range(2):
            try:
                i, row = next(self._iters[label])
            except StopIteration:  # end of this label's data: next epoch
                self.position["epochs"][label] = self.position["epochs"].get(label, 0) + 1
                self.position["rows"][label] = 0
                self._iters[label] = self._open(label)
                continue
            self.last = (label, i)
            if self.split == "shards":
                self.position["rows"][label] = self.position["rows"].get(label, 0) + 1
            else:  # rows up to i (all ranks' shares) are consumed once this rank took row i
                self.position["rows"][label] = i + 1 + (self.world_size - 1 - (i % self.world_size))
            return row
        raise ValueError(f"label {label!r}: no rows for rank {self.rank} of {self.world_size}")

    def next_row(self):
        """Smooth weighted round robin over the mixture's labels (deterministic, resumable)."""
        credit = self.position["credit"]
        total = sum(self.mixture.values())
        for label, w in self.mixture.items():
            credit[label] = credit.get(label, 0.0) + w
        label = max(self.mixture, key=lambda lab: (credit[lab], lab))
        credit[label] -= total
        return self._next_of(label)


def collate(rows: list, pad_id: int, document_masking: bool = False) -> dict:
    """Batch tensors: input_ids, labels (-100 on padding), and with document masking position_ids restarting at
    every document start: transformers (≥ 5) then builds a block-diagonal causal mask for SDPA/eager, so each packed
    document attends only to itself; for FlashAttention-2 see `trainer.speed.flatten_packed`."""
    import torch

    ids = torch.as_tensor(np.stack([r[0] for r in rows]).astype(np.int64))
    labels = ids.clone()
    for b, (_, _, n) in enumerate(rows):
        labels[b, n:] = -100
    batch = {"input_ids": ids, "labels": labels}
    if document_masking:
        seq = ids.shape[1]
        pos = torch.zeros_like(ids)
        for b, (_, starts, _) in enumerate(rows):
            marks = np.zeros(seq, dtype=np.int64)
            marks[starts[starts > 0]] = 1
            seg_start = np.maximum.accumulate(np.where(marks == 1, np.arange(seq), 0))
            pos[b] = torch.as_tensor(np.arange(seq) - seg_start)
        batch["position_ids"] = pos
    return batch
