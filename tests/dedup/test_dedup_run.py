"""MinHash near-dedup wired into `kocorpus run`: planted duplicates, exact vs near, cluster sizes,
task-count independence, nothing left to deduplicate, resume."""

import json
from collections import defaultdict
from pathlib import Path

import duckdb
import yaml
from conftest import write_jsonl

from kocorpus.cli import main

PIPELINE = {
    "name": "dedup_test",
    "steps": [{"normalize": {}}, {"hangul_ratio": {"min_ratio": 0.3}}],
    "dedup": {"minhash": {"enabled": True}},
}


def planted(ko_docs: list[dict]) -> tuple[list[dict], dict[str, str]]:
    """20 real documents + an exact copy, a respaced copy and a copy with two eojeol changed; {dup: original}."""
    base = [d for d in ko_docs if len(d["text"]) > 300][:20]
    a, b, c = base[0], base[1], base[2]
    words = c["text"].split(" ")
    words[3], words[len(words) // 2] = "바뀐", "단어"
    dups = [
        {"id": "exact-copy", "text": a["text"]},
        {"id": "respaced-copy", "text": b["text"].replace(" ", "").replace("다.", "다. ")},
        {"id": "edited-copy", "text": " ".join(words)},
    ]
    docs = [{"id": d["id"], "text": d["text"]} for d in base] + dups
    return docs, {"exact-copy": a["id"], "respaced-copy": b["id"], "edited-copy": c["id"]}


def run(tmp_path: Path, inputs: list[Path], out: Path, tasks: int = 1, pipeline: dict = PIPELINE) -> dict:
    cfg = tmp_path / "p.yaml"
    cfg.write_text(yaml.safe_dump(pipeline, allow_unicode=True))
    args = ["run", str(cfg), "--input", *map(str, inputs), "--output", str(out), "--tasks", str(tasks), "--no-progress"]
    assert main(args) == 0
    return json.loads((out / "funnel.json").read_text())


def rows(out: Path, where: str) -> list[dict]:
    files = [str(p) for p in out.glob(where)]
    if not files:
        return []
    rel = duckdb.connect().execute("SELECT * FROM read_parquet($f, union_by_name=true)", {"f": files})
    cols = [c[0] for c in rel.description]
    return [dict(zip(cols, r, strict=True)) for r in rel.fetchall()]


def clusters(out: Path) -> set[frozenset[str]]:
    groups = defaultdict(set)
    for r in rows(out, "kept/*.parquet") + rows(out, "removed/minhash/*.parquet"):
        if r["minhash_cluster_id"] is not None and r["minhash_cluster_id"] >= 0:
            groups[r["minhash_cluster_id"]].add(r["id"])
    return {frozenset(g) for g in groups.values()}


def test_planted_duplicates_removed_with_representative_and_cluster_sizes(tmp_path, ko_docs):
    docs, dup_of = planted(ko_docs)
    funnel = run(tmp_path, [write_jsonl(tmp_path / "in" / "a.jsonl", docs)], tmp_path / "out")
    removed = {r["id"]: r for r in rows(tmp_path / "out", "removed/minhash/*.parquet")}
    kept = {r["id"]: r for r in rows(tmp_path / "out", "kept/*.parquet")}
    assert set(removed) == set(dup_of) and len(kept) == 20 and funnel["identity_ok"]
    assert {k: r["duplicate_of"] for k, r in removed.items()} == dup_of
    assert removed["exact-copy"]["reason"] == "exact_duplicate"
    assert removed["edited-copy"]["reason"] == removed["respaced-copy"]["reason"] == "near_duplicate"
    assert all(kept[o]["minhash_cluster_size"] == 2 for o in dup_of.values())
    assert sum(r["minhash_cluster_size"] == 1 for r in kept.values()) == 17
    assert funnel["reasons"]["minhash"] == {"exact_duplicate": 1, "near_duplicate": 2}


def test_clusters_do_not_depend_on_the_task_count_and_resume(tmp_path, ko_docs):
    docs, dup_of = planted(ko_docs)
    files = [write_jsonl(tmp_path / "in" / f"part{i}.jsonl", docs[i::3]) for i in range(3)]
    one, three = tmp_path / "one", tmp_path / "three"
    run(tmp_path, files, one, tasks=1)
    run(tmp_path, files, three, tasks=3)
    expected = {frozenset({dup, orig}) for dup, orig in dup_of.items()}
    assert clusters(one) == clusters(three) == expected
    # the last stage "dies": completions and outputs gone → the re-run redoes only that stage
    before = {r["id"] for r in rows(three, "kept/*.parquet")}
    for p in [*(three / "logs" / "minhash_filter" / "completions").iterdir(), *(three / "kept").iterdir()]:
        p.unlink()
    funnel = run(tmp_path, files, three, tasks=3)
    assert {r["id"] for r in rows(three, "kept/*.parquet")} == before and funnel["identity_ok"]


def test_nothing_left_to_deduplicate(tmp_path, en_docs):
    funnel = run(tmp_path, [write_jsonl(tmp_path / "in" / "en.jsonl", en_docs)], tmp_path / "out")
    assert funnel["kept"] == 0 and funnel["removed"]["hangul_ratio"] == len(en_docs) and funnel["identity_ok"]
    assert funnel["removed"]["minhash"] == 0
