"""ShardStream cost per rank and on resume, against another implementation of trainer/data.py; prints a table.

Writes synthetic shards shaped like `kocorpus tokenize` output (one row group per shard, zstd, random token ids,
two document starts per row) and times (after one warm-up pass), for rank 0 of `--world` processes:
  read     `--rows` rows from the start (rows/s; rows decoded into arrays where the stream counts them)
  resume   the first row after a resume at global row `--resume-at` (seconds)
and, with at least `--world` shards, the same for `data_split: shards` (rank 0 reads shards 0, w, 2w, …).

  git show 06f70da:trainer/data.py > /tmp/data_before.py   # the reader before row-group seeking
  python benchmarks/shard_stream.py --baseline /tmp/data_before.py
"""

import argparse
import importlib.util
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def write_shards(root: Path, shards: int, rows: int, seq_len: int) -> dict:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(0)
    entries = []
    for k in range(shards):
        body = rng.integers(0, 50_000, rows * seq_len, dtype=np.int32)
        starts = [np.sort(rng.choice(np.arange(1, seq_len), 2, replace=False)) for _ in range(rows)]
        offsets = np.concatenate([[0], np.cumsum([len(s) for s in starts])]).astype(np.int32)
        table = pa.table({
            "input_ids": pa.FixedSizeListArray.from_arrays(pa.array(body), seq_len).cast(pa.list_(pa.int32())),
            "doc_starts": pa.ListArray.from_arrays(pa.array(offsets), pa.array(np.concatenate(starts).astype(np.int32))),
            "n_tokens": pa.array(np.full(rows, seq_len, dtype=np.int32)),
        })  # fmt: skip
        name = f"default/00000_{k:04d}.parquet"
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, root / name, compression="zstd")
        entries.append({"path": name, "rows": rows, "tokens": rows * seq_len, "label": "default"})
    manifest = {"seq_len": seq_len, "labels": ["default"], "shards": entries, "rows": shards * rows}
    (root / "manifest.json").write_text(json.dumps(manifest))
    return manifest | {"root": str(root)}


def load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def measure(module, manifest: dict, world: int, rows: int, resume_at: int, **split) -> dict:
    stream = module.ShardStream(manifest, {"default": 1.0}, rank=0, world_size=world, **split)
    t = time.perf_counter()
    for _ in range(rows):
        stream.next_row()
    read = rows / (time.perf_counter() - t)
    decoded = getattr(stream, "counts", {}).get("rows_decoded")
    groups = getattr(stream, "counts", {}).get("row_groups")
    position = {"rows": {"default": resume_at}, "epochs": {}, "credit": {}}
    t = time.perf_counter()
    module.ShardStream(manifest, {"default": 1.0}, rank=0, world_size=world, position=position, **split).next_row()
    return {"read": read, "decoded": decoded, "groups": groups, "resume": time.perf_counter() - t}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--baseline", type=Path, help="another trainer/data.py to compare with")
    ap.add_argument("--shards", type=int, default=4)
    ap.add_argument("--rows-per-shard", type=int, default=4096)
    ap.add_argument("--seq-len", type=int, default=512)
    ap.add_argument("--world", type=int, default=8)
    ap.add_argument("--rows", type=int, default=500)
    ap.add_argument("--resume-at", type=int, default=12_000)
    args = ap.parse_args()
    impls = {"current": REPO / "trainer" / "data.py"} | ({"baseline": args.baseline} if args.baseline else {})
    with tempfile.TemporaryDirectory() as tmp:
        manifest = write_shards(Path(tmp), args.shards, args.rows_per_shard, args.seq_len)
        modules = {name: load(path, f"data_{name}") for name, path in impls.items()}
        for module in modules.values():  # warm-up: imports, file cache
            measure(module, manifest, args.world, args.rows, args.resume_at)
        results = {name: measure(m, manifest, args.world, args.rows, args.resume_at) for name, m in modules.items()}
        if args.shards >= args.world:  # data_split: shards — rank 0 opens only shards 0, w, 2w, …; resume: own rows
            own_resume = min(args.resume_at // args.world, args.rows_per_shard * (args.shards // args.world) - 1)
            results["current, split shards"] = measure(modules["current"], manifest, args.world, args.rows, own_resume,
                                                       split="shards")  # fmt: skip
    print(f"\n{args.shards} shards × {args.rows_per_shard} rows × {args.seq_len} tokens (one row group each); "
          f"rank 0 of {args.world}; {args.rows} rows read; resume at global row {args.resume_at:,}")  # fmt: skip
    print(f"{'reader':<24}{'rows/s':>10}{'rows decoded':>14}{'row groups':>12}{'resume s':>10}")
    for name, r in results.items():
        decoded = f"{r['decoded']:,}" if r["decoded"] is not None else f"≥{args.rows * args.world:,}"
        groups = f"{r['groups']:,}" if r["groups"] is not None else "all passed"
        print(f"{name:<24}{r['read']:>10,.0f}{decoded:>14}{groups:>12}{r['resume']:>10.3f}")
    if "baseline" in results:
        c, b = results["current"], results["baseline"]
        print(f"current / baseline: read {c['read'] / b['read']:.1f}×, resume {b['resume'] / c['resume']:.1f}× faster")


if __name__ == "__main__":
    main()
