"""`kocorpus tokenize`: packed Parquet shards that decode back to the kept documents, readable by DuckDB and
pyarrow, with a manifest that matches the data, deterministic, with mixture weights and cluster upsampling."""

import json
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from kocorpus.cli import main
from kocorpus.tokens.base import load_hf
from kocorpus.tokens.shards import DEFAULT_UPSAMPLE, repeats, upsample_factor

SEQ = 128


@pytest.fixture(scope="module")
def tok_dir(sample_run: Path, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("tok") / "ko"
    assert (
        main(["tokenizer", "train", "--input", str(sample_run / "kept"), "--vocab-size", "2000", "-o", str(out)]) == 0
    )
    return out


def tokenize(kept: Path | list[str], tok: Path, out: Path, *extra: str) -> dict:
    inputs = kept if isinstance(kept, list) else [str(kept)]
    args = ["tokenize", "--input", *inputs, "--tokenizer", str(tok), "--seq-len", str(SEQ), "--output", str(out)]
    assert main([*args, "--rows-per-shard", "100", *extra]) == 0
    return json.loads((out / "manifest.json").read_text())


def kept_texts(kept: Path) -> list[str]:
    files = [str(p) for p in sorted(kept.glob("*.parquet"))]
    return [r[0] for r in duckdb.connect().execute("SELECT text FROM read_parquet($f)", {"f": files}).fetchall()]


def test_shards_decode_to_the_kept_documents(sample_run, tok_dir, tmp_path):
    out = tmp_path / "shards"
    manifest = tokenize(sample_run / "kept", tok_dir, out, "--tasks", "2")
    hf = load_hf(tok_dir)
    eos = hf.eos_token_id
    docs, counted_rows, counted_tokens = [], 0, 0
    for shard in manifest["shards"]:  # manifest order = path order = task order = kept file order
        table = pq.read_table(out / shard["path"])
        meta = table.schema.metadata
        assert meta[b"seq_len"] == str(SEQ).encode() and meta[b"tokenizer_hash"].decode() == manifest["tokenizer_hash"]
        assert int(meta[b"vocab_size"]) == len(hf)
        rows = table.to_pylist()
        assert all(len(r["input_ids"]) == SEQ for r in rows) and len(rows) == shard["rows"]
        counted_rows += len(rows)
        counted_tokens += sum(r["n_tokens"] for r in rows)
        stream = [t for r in rows for t in r["input_ids"][: r["n_tokens"]]]
        starts = [i * SEQ + s for i, r in enumerate(rows) for s in r["doc_starts"]]
        ends = [i + 1 for i, t in enumerate(stream) if t == eos]
        docs.append((stream, starts, ends))
    assert counted_rows == manifest["rows"] and counted_tokens == manifest["tokens"]
    decoded = []
    carry: list[int] = []
    for stream, _, _ in docs:  # documents can continue across shards of one task
        stream = carry + stream
        cut = 0
        for i, t in enumerate(stream):
            if t == eos:
                decoded.append(hf.decode(stream[cut:i]))
                cut = i + 1
        carry = stream[cut:]
    assert not carry
    assert decoded == kept_texts(sample_run / "kept")
    # doc_starts mark exactly the positions after each EOS (and the stream start)
    stream, starts, ends = docs[0]
    assert starts[0] == 0 and starts[1:] == [e for e in ends if e < len(stream)][: len(starts) - 1]


def test_readable_by_duckdb_deterministic_and_counted(sample_run, tok_dir, tmp_path):
    a = tokenize(sample_run / "kept", tok_dir, tmp_path / "a")
    b = tokenize(sample_run / "kept", tok_dir, tmp_path / "b")
    assert a == b
    for shard in a["shards"]:
        assert (tmp_path / "a" / shard["path"]).read_bytes() == (tmp_path / "b" / shard["path"]).read_bytes()
    files = [str(tmp_path / "a" / s["path"]) for s in a["shards"]]
    rows, tokens, width = (
        duckdb.connect()
        .execute("SELECT count(*), sum(n_tokens), max(len(input_ids)) FROM read_parquet($f)", {"f": files})
        .fetchone()
    )
    assert (rows, tokens, width) == (a["rows"], a["tokens"], SEQ)
    assert a["vocab_size"] == len(load_hf(tok_dir)) and a["run_id"]


def test_mixture_weights_and_cluster_upsampling(sample_run, tok_dir, tmp_path):
    kept = sample_run / "kept"
    base = tokenize(kept, tok_dir, tmp_path / "base")
    two = tokenize([str(kept), f"web={kept}"], tok_dir, tmp_path / "mix", "--mix", "web=2")  # two labels
    by_label = {lab: sum(s["tokens"] for s in two["shards"] if s["label"] == lab) for lab in two["labels"]}
    assert by_label == {"default": base["tokens"], "web": 2 * base["tokens"]}
    up = tokenize(kept, tok_dir, tmp_path / "up", "--upsample-by-cluster-size")
    assert up["tokens"] > base["tokens"]  # the sample's MinHash clusters of 2-3 documents are repeated
    assert main(["tokenize", "--input", str(kept), "--tokenizer", str(tok_dir), "--seq-len", "64", "--output",
                 str(tmp_path / "x"), "--mix", "nope=2"]) == 2  # fmt: skip


def test_repeat_rules():
    assert [repeats(f"d{i}", 2.0) for i in range(5)] == [2] * 5
    half = [repeats(f"d{i}", 0.5) for i in range(2000)]
    assert set(half) == {0, 1} and 900 < sum(half) < 1100 and half == [repeats(f"d{i}", 0.5) for i in range(2000)]
    assert [upsample_factor(n, DEFAULT_UPSAMPLE) for n in (None, 1, 2, 4, 50, 1000)] == [1, 1, 2, 3, 5, 1]
