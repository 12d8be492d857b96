"""KoreanMinhashSignature: datatrove's four MinHash stages on real Korean documents with planted near-duplicates."""

import json
import unicodedata
from pathlib import Path

import pytest
from conftest import write_jsonl
from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.dedup.minhash import (
    MinhashConfig,
    MinhashDedupBuckets,
    MinhashDedupCluster,
    MinhashDedupFilter,
)
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter

from kocorpus.config import ConfigError
from kocorpus.dedup import KoreanMinhashSignature, MinhashDedupConfig


def change_eojeols(text: str, every: int = 30) -> str:
    """Replace every `every`-th eojeol (whitespace token) with a different word, keeping the line layout."""
    lines, k = [], 0
    for line in text.split("\n"):
        words = line.split(" ")
        for i, word in enumerate(words):
            k += 1
            if word and k % every == 0:
                words[i] = "바뀐단어"
        lines.append(" ".join(words))
    return "\n".join(lines)


def respace(text: str) -> str:
    """Every whitespace changed: newlines → double spaces, single spaces dropped between every other eojeol."""
    words = text.split()
    return "".join(w + ("  " if i % 2 else "") for i, w in enumerate(words))


def signature(text: str, **kwargs) -> list[list[int]] | None:
    step = KoreanMinhashSignature("memory://unused", config=MinhashDedupConfig(**kwargs))
    shingles = step.get_shingles(text)
    return step.get_signature(shingles) if shingles.size else None


def test_signature_identical_texts_and_whitespace(ko_docs: list[dict]) -> None:
    text = ko_docs[5]["text"]
    sig = signature(text)
    assert sig is not None and len(sig) == 14 and all(len(row) == 8 for row in sig)
    assert all(isinstance(v, int) and 0 <= v < 1 << 32 for row in sig for v in row)
    assert signature(text) == sig
    assert signature(respace(text)) == sig
    assert signature(text.replace(" ", "\n\t ")) == sig
    assert signature(unicodedata.normalize("NFD", text)) == sig  # decomposed jamo → NFC first
    assert signature(change_eojeols(text, every=10)) != sig
    # "char" keeps one space per whitespace run: runs of different length match, removed spaces don't
    assert signature(text.replace(" ", "   "), shingle="char") == signature(text, shingle="char")
    assert signature(respace(text), shingle="char") != signature(text, shingle="char")
    assert signature(text, shingle="word") != sig
    assert signature(text, seed=2) != sig
    assert signature(" \n\t") is None  # no shingles → no signature, as in datatrove
    assert signature("가나") == signature("가 나")  # shorter than n_grams: one shingle


def test_config_validation_and_datatrove_config() -> None:
    dt = MinhashDedupConfig(num_buckets=10, hashes_per_bucket=4, n_grams=7, seed=3, precision=32).to_datatrove()
    assert isinstance(dt, MinhashConfig)
    assert (dt.num_buckets, dt.hashes_per_bucket, dt.n_grams, dt.seed) == (10, 4, 7, 3)
    assert dt.hash_config.precision == 32
    assert MinhashDedupConfig().to_datatrove().hash_config.precision == 64
    for bad, key in [
        ({"num_buckets": 0}, "num_buckets"),
        ({"hashes_per_bucket": 2.5}, "hashes_per_bucket"),
        ({"n_grams": True}, "n_grams"),
        ({"shingle": "morph"}, "shingle"),
        ({"seed": -1}, "seed"),
        ({"precision": 16}, "precision"),
    ]:
        with pytest.raises(ConfigError, match=f"^{key}: "):
            MinhashDedupConfig(**bad)


@pytest.mark.parametrize("precision", [64, 32])
def test_datatrove_pipeline_removes_planted_duplicates(tmp_path: Path, ko_docs: list[dict], precision: int) -> None:
    originals = [d for d in ko_docs if len(d["text"]) >= 200][:20]
    assert len(originals) == 20
    by_id = {d["id"]: d for d in originals}
    eojeol, spaces, exact = originals[2], originals[7], originals[13]
    planted = {
        "dup-eojeol": change_eojeols(eojeol["text"]),
        "dup-spaces": respace(spaces["text"]),
        "dup-exact": exact["text"],
    }
    assert planted["dup-eojeol"] != eojeol["text"] and planted["dup-spaces"] != spaces["text"]
    docs = [{"id": d["id"], "text": d["text"]} for d in originals]
    docs += [{"id": k, "text": v} for k, v in planted.items()]
    write_jsonl(tmp_path / "in" / "docs.jsonl", docs)

    config = MinhashDedupConfig(precision=precision)
    dt_config = config.to_datatrove()
    sigs, dups, clusters = tmp_path / "sigs", tmp_path / "dups", tmp_path / "clusters"

    def stage(name: str, pipeline: list, tasks: int = 1, depends=None) -> LocalPipelineExecutor:
        logs = str(tmp_path / "logs" / name)
        return LocalPipelineExecutor(pipeline, tasks=tasks, workers=1, logging_dir=logs, depends=depends)

    s1 = stage("sigs", [JsonlReader(str(tmp_path / "in")), KoreanMinhashSignature(str(sigs), config=config)])
    s2 = stage(
        "buckets",
        [MinhashDedupBuckets(str(sigs), str(dups), config=dt_config)],
        tasks=config.num_buckets,
        depends=s1,
    )
    s3 = stage(
        "cluster", [MinhashDedupCluster(str(dups), str(clusters), config=dt_config, save_cluster_size=True)], depends=s2
    )
    s4 = stage(
        "filter",
        [
            JsonlReader(str(tmp_path / "in")),
            MinhashDedupFilter(
                str(clusters),
                exclusion_writer=JsonlWriter(str(tmp_path / "removed"), compression=None),
                load_cluster_sizes=True,
            ),
            JsonlWriter(str(tmp_path / "out"), compression=None),
        ],
        depends=s3,
    )
    s4.run()

    # datatrove's record layout: per bucket one (hashes_per_bucket hashes, uint32 doc index) record per document
    record = config.hashes_per_bucket * precision // 8 + 4
    for b in range(config.num_buckets):
        assert (sigs / f"bucket_{b:03d}" / "00000.minhash.sig").stat().st_size == len(docs) * record

    def read(folder: Path) -> list[dict]:
        return [json.loads(line) for f in sorted(folder.glob("*.jsonl")) for line in f.read_text().splitlines()]

    kept = {d["id"]: d for d in read(tmp_path / "out")}
    removed = {d["id"] for d in read(tmp_path / "removed")}
    assert removed == set(planted)
    assert set(kept) == set(by_id)  # every original kept, unrelated ones included
    sizes = {i: d["metadata"]["minhash_cluster_size"] for i, d in kept.items()}
    assert {i for i, s in sizes.items() if s != 1} == {eojeol["id"], spaces["id"], exact["id"]}
    assert sizes[eojeol["id"]] == sizes[spaces["id"]] == sizes[exact["id"]] == 2
