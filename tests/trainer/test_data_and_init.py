"""Trainer building blocks: shard streaming (disjoint ranks, resumable position, mixtures, tokenizer check),
document-masking positions, and the RedWhale/EEVE initialisation of new embedding rows."""

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from kocorpus.cli import main
from kocorpus.tokens.base import load
from kocorpus.tokens.shards import tokenizer_hash
from trainer.data import ShardMismatch, ShardStream, check_compatible, collate, read_manifest
from trainer.model_init import extend_embeddings, random_init


@pytest.fixture(scope="module")
def tokenizers(sample_run: Path, tmp_path_factory) -> dict:
    """A tiny English 'base' (byte-level BPE), a Korean tokenizer and the base extended with it."""
    from conftest import DATA, load_jsonl

    from kocorpus.tokens.train import save_hf, train_bpe

    root = tmp_path_factory.mktemp("toks")
    english = [d["text"] for d in load_jsonl(DATA / "en_small.jsonl")]
    save_hf(train_bpe(english * 2, 600), root / "base")
    assert main(["tokenizer", "train", "--input", str(sample_run / "kept"), "--vocab-size", "1500",
                 "-o", str(root / "ko")]) == 0  # fmt: skip
    assert main(["tokenizer", "extend", "--base", str(root / "base"), "--add", str(root / "ko"),
                 "-o", str(root / "ext")]) == 0  # fmt: skip
    return {"base": root / "base", "ko": root / "ko", "ext": root / "ext"}


@pytest.fixture(scope="module")
def shards(sample_run: Path, tokenizers: dict, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("shards") / "s"
    kept = sample_run / "kept"
    assert main(["tokenize", "--input", str(kept), f"extra={kept}", "--tokenizer", str(tokenizers["ext"]),
                 "--seq-len", "64", "--output", str(out), "--rows-per-shard", "300"]) == 0  # fmt: skip
    return out


def test_new_rows_are_the_mean_of_their_sub_token_rows(tokenizers):
    vocab = len(load(tokenizers["base"]).get_vocab())
    meta = json.loads((tokenizers["ext"] / "new_tokens.json").read_text())
    for tie in (True, False):
        model = random_init({"vocab_size": vocab, "hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 2,
                             "num_attention_heads": 4, "num_key_value_heads": 2, "tie_word_embeddings": tie})  # fmt: skip
        before_in = model.get_input_embeddings().weight.detach().clone()
        before_out = model.get_output_embeddings().weight.detach().clone()
        new_ids = extend_embeddings(model, tokenizers["ext"] / "new_tokens.json", mode="mean")
        emb = model.get_input_embeddings().weight
        head = model.get_output_embeddings().weight
        assert emb.shape[0] == meta["vocab_size"] == head.shape[0] and new_ids
        assert torch.equal(emb[:vocab], before_in) and torch.equal(head[:vocab], before_out)  # base rows untouched
        for t in meta["tokens"][:200]:
            assert torch.allclose(emb[t["id"]], before_in[t["base_ids"]].mean(0))
            assert torch.allclose(head[t["id"]], before_out[t["base_ids"]].mean(0))
        assert (head.data_ptr() == emb.data_ptr()) is tie
    with pytest.raises(ValueError, match="mean"):
        extend_embeddings(model, tokenizers["ext"] / "new_tokens.json", mode="median")


def test_ranks_read_disjoint_rows_and_resume_from_the_position(shards):
    manifest = read_manifest(shards)
    total = sum(s["rows"] for s in manifest["shards"] if s["label"] == "default")
    seen = []
    for rank in range(2):
        stream = ShardStream(manifest, {"default": 1.0}, rank=rank, world_size=2)
        indices = []
        for _ in range(total // 2):
            stream.next_row()
            indices.append(stream.last[1])
        seen.append(set(indices))
    assert not (seen[0] & seen[1]) and seen[0] | seen[1] == set(range(2 * (total // 2)))
    a = ShardStream(manifest, {"default": 1.0}, rank=1, world_size=2)
    for _ in range(7):
        a.next_row()
    b = ShardStream(manifest, {"default": 1.0}, rank=1, world_size=2, position=a.state())
    for _ in range(5):
        assert (a.next_row()[0] == b.next_row()[0]).all()
    # epochs: reading past the end starts again
    c = ShardStream(manifest, {"default": 1.0})
    first = c.next_row()[0]
    for _ in range(total - 1):
        c.next_row()
    assert (c.next_row()[0] == first).all() and c.state()["epochs"]["default"] == 1


def test_mixture_interleaves_labels_by_weight(shards):
    stream = ShardStream(read_manifest(shards), {"default": 3.0, "extra": 1.0})
    labels = []
    for _ in range(40):
        stream.next_row()
        labels.append(max(stream.position["rows"], key=lambda k: stream.position["rows"][k]))
    counts = stream.position["rows"]
    assert counts["default"] == 30 and counts["extra"] == 10
    with pytest.raises(ValueError, match="not in the shards"):
        ShardStream(read_manifest(shards), {"nope": 1.0})


def test_tokenizer_mismatch_is_refused(shards, tokenizers):
    manifest = read_manifest(shards)
    ext = load(tokenizers["ext"])
    check_compatible(manifest, tokenizer_hash(ext), ext.get_vocab_size(with_added_tokens=True))
    with pytest.raises(ShardMismatch, match="re-run `kocorpus tokenize`"):
        check_compatible(manifest, tokenizer_hash(load(tokenizers["ko"])), manifest["vocab_size"])
    with pytest.raises(ShardMismatch, match="vocab_size"):
        check_compatible(manifest, manifest["tokenizer_hash"], manifest["vocab_size"] - 1)


def test_collate_document_masking_positions(shards):
    stream = ShardStream(read_manifest(shards), {"default": 1.0})
    rows = [stream.next_row() for _ in range(4)]
    batch = collate(rows, pad_id=0, document_masking=True)
    for b, (_, starts, n) in enumerate(rows):
        pos = batch["position_ids"][b]
        for s in starts:
            assert pos[s] == 0
        assert pos[0] == 0 and (batch["labels"][b, n:] == -100).all()


def test_a_rank_decodes_only_its_rows_and_a_resume_seeks(shards, tmp_path):
    """Rows map to shards (manifest counts) and row groups (footers): rank 1 of 4 decodes only its own rows, and a
    resume opens only the row group of its next row — consumed shards are not read again (here: deleted)."""
    import shutil

    import pyarrow.parquet as pq

    copy = tmp_path / "s"
    shutil.copytree(shards, copy)
    manifest = read_manifest(copy)
    default = [s for s in manifest["shards"] if s["label"] == "default"]
    assert len(default) >= 2
    for s in default:  # several row groups per shard, as big shards have
        path = copy / s["path"]
        pq.write_table(pq.read_table(path), path, row_group_size=40, compression="zstd")
    reference = ShardStream(manifest, {"default": 1.0})
    rows = []
    for _ in range(default[0]["rows"] + 60):
        rows.append(reference.next_row()[0])
    stream = ShardStream(manifest, {"default": 1.0}, rank=1, world_size=4)
    for k in range(20):
        assert (stream.next_row()[0] == rows[1 + 4 * k]).all() and stream.last == ("default", 1 + 4 * k)
    assert stream.counts["rows_decoded"] == 20  # not 80: the other ranks' rows are skipped undecoded
    assert stream.counts["row_groups"] == 2  # rows 1..77 lie in row groups [0, 40) and [40, 80)
    # resume past the first shard, whose file is gone: the position alone finds shard, row group and row
    position = {"rows": {"default": default[0]["rows"] + 41}, "epochs": {}, "credit": {}}
    (copy / default[0]["path"]).unlink()
    resumed = ShardStream(manifest, {"default": 1.0}, rank=1, world_size=2, position=position)
    first = default[0]["rows"] + 41 + (1 - default[0]["rows"] - 41) % 2
    assert (resumed.next_row()[0] == rows[first]).all() and resumed.last == ("default", first)
    assert resumed.counts["row_groups"] == 1 and resumed.counts["rows_decoded"] <= 20  # its rows of one row group
    # a manifest whose row count disagrees with the file would shift every index: refused, naming the shard
    wrong = dict(manifest, shards=[dict(default[1], rows=default[1]["rows"] + 1)])
    with pytest.raises(ValueError, match="manifest.json says"):
        ShardStream(wrong, {"default": 1.0}).next_row()


def test_split_by_shards_opens_only_a_ranks_own_files_and_resumes(shards, tmp_path):
    """`data_split: shards`: shard k of a label belongs to rank k % world; a rank never opens the others' files (here:
    deleted), and a resume from the position continues the same rows."""
    import shutil

    copy = tmp_path / "s"
    shutil.copytree(shards, copy)
    manifest = read_manifest(copy)
    default = [s for s in manifest["shards"] if s["label"] == "default"]
    assert len(default) >= 2
    starts = np.cumsum([0] + [s["rows"] for s in default])
    reference = ShardStream(manifest, {"default": 1.0})
    rows = [reference.next_row()[0] for _ in range(int(starts[-1]))]
    for k in range(1, len(default), 2):  # rank 0 of 2 owns the even shards
        (copy / default[k]["path"]).unlink()
    stream = ShardStream(manifest, {"default": 1.0}, rank=0, world_size=2, split="shards")
    own = [i for k in range(0, len(default), 2) for i in range(starts[k], starts[k + 1])]
    n = min(len(own), default[0]["rows"] + 5)  # into the second own shard when there is one
    for j in range(n):
        assert (stream.next_row()[0] == rows[own[j]]).all() and stream.last == ("default", own[j])
    resumed = ShardStream(manifest, {"default": 1.0}, rank=0, world_size=2, position=stream.state(), split="shards")
    for j in range(n, min(len(own), n + 5)):
        assert (resumed.next_row()[0] == rows[own[j]]).all() and resumed.last == ("default", own[j])
    assert resumed.counts["row_groups"] == 1  # straight to the shard of its next row
    with pytest.raises(ValueError, match="at least one shard per rank"):
        ShardStream(
            manifest, {"default": 1.0}, rank=len(default), world_size=len(default) + 1, split="shards"
        ).next_row()
