"""Build the DuckDB store from ≥ 1 million synthetic rows of run output and time the funnel and POS queries.

Writes a fake run directory (kept/ and removed/<step>/ Parquet in the real schema, with ~1 KB of text, POS
counts and signals per row, plus per-task morpheme frequency files), then runs `build_store` under a DuckDB
memory limit and the queries sql/funnel_by_step.sql and sql/pos_distribution.sql. Prints rows, data sizes
(uncompressed text bytes and Parquet on disk), seconds and peak RSS of this process (MiB).

    python benchmarks/stats_scale.py [--rows 1000000] [--memory-limit 1GB] [--dir /tmp/kocorpus_stats_scale]
"""

import argparse
import resource
import shutil
import time
from pathlib import Path

from kocorpus import signals as S

STEPS = ("language", "hangul_ratio", "spam", "gopher_quality", "minhash")
TAGS = ("NNG", "JKS", "VV", "EF", "EC", "JKO", "NNP", "MAG", "SF", "ETM", "SL", "SN")


def signal_exprs() -> str:
    """A value for every signal column of the real schema (typed like the pipeline writes them)."""
    special = {
        "lang": "'ko'",
        "lang_score": "(0.5 + (i % 500) / 1000.0)::FLOAT",
        "hangul_ratio": "((i * 7919) % 1000 / 1000.0)::FLOAT",
        "spam_score": "((i % 97) / 10.0)::FLOAT",
        "n_morphemes": "(200 + i % 300)::INTEGER",
        "n_sentences": "(5 + i % 20)::INTEGER",
        "noun_ratio": "(0.2 + (i % 100) / 1000.0)::FLOAT",
        "minhash_cluster_size": "(1 + (i % 50 = 0)::INTEGER)::INTEGER",
        "pos_counts": "'{' || "
        + " || ', ' || ".join(f"'\"{t}\": ' || ((i * {k + 3}) % 40 + 1)" for k, t in enumerate(TAGS))
        + " || '}'",
    }
    cast = {"string": "VARCHAR", "json": "VARCHAR", "float32": "FLOAT", "int32": "INTEGER", "int64": "BIGINT"}
    return ", ".join(f'{special.get(s.name, f"NULL::{cast[s.type]}")} AS "{s.name}"' for s in S.SIGNALS)


def make_run(root: Path, rows: int, files: int = 8) -> tuple[int, int]:
    """Fake run directory; returns (uncompressed text bytes, Parquet bytes on disk)."""
    import duckdb

    shutil.rmtree(root, ignore_errors=True)
    (root / "kept").mkdir(parents=True)
    con = duckdb.connect()
    per = rows // files
    text = "repeat(md5(i::VARCHAR) || ' 한국어 문장입니다. ', 20)"
    for f in range(files):
        lo, hi = f * per, (f + 1) * per if f < files - 1 else rows
        removed = f >= files - 2  # the last quarter of the rows: removed by one of the steps
        step = STEPS[f % len(STEPS)]
        folder = root / ("removed/" + step if removed else "kept")
        folder.mkdir(parents=True, exist_ok=True)
        extra = f"'{step}' AS removed_by, 'synthetic' AS reason, " if removed else ""
        con.execute(
            f"COPY (SELECT 'doc' || i AS id, {text} AS text, 'src' || (i % 13) AS source, "
            f"'file' || (i % 100) || '.jsonl' AS file, i AS line, {extra}{signal_exprs()}, NULL::VARCHAR AS metadata "
            f"FROM range({lo}, {hi}) t(i)) TO '{folder}/000_{f:05d}.parquet' (FORMAT parquet, COMPRESSION zstd)"
        )
    morph = root / "stats" / "morphemes"
    morph.mkdir(parents=True)
    for name in ("analysed", "filtered"):
        for r in range(4):
            con.execute(
                f"COPY (SELECT 'form' || (i % 200000) AS form, 'NNG' AS tag, (i % 1000 + 1)::BIGINT AS count, "
                f"(i % 100 + 1)::BIGINT AS docs FROM range({r * 150000}, {r * 150000 + 200000}) t(i)) "
                f"TO '{morph}/{name}_{r:05d}.parquet' (FORMAT parquet)"
            )
    text_bytes = con.execute(f"SELECT sum(strlen(text)) FROM read_parquet(['{root}/kept/*.parquet', '{root}/removed/*/*.parquet'], union_by_name=true)"
                             " WHERE text IS NOT NULL").fetchone()[0]  # fmt: skip
    disk = sum(p.stat().st_size for p in root.rglob("*.parquet"))
    return int(text_bytes), disk


def build_and_query(root: Path, memory_limit: str) -> None:
    """In a fresh process (so that its peak RSS is the store's alone): build, then time the two queries."""
    import duckdb

    from kocorpus.stats.store import build_store

    repo = Path(__file__).resolve().parent.parent
    t0 = time.perf_counter()
    db = build_store(root, memory_limit=memory_limit)
    print(f"{'kocorpus stats build':<28}{time.perf_counter() - t0:>9.1f}")
    con = duckdb.connect(str(db), read_only=True)
    con.execute(f"SET memory_limit = '{memory_limit}'")
    for name in ("funnel_by_step", "pos_distribution"):
        sql = (repo / "sql" / f"{name}.sql").read_text()
        t0 = time.perf_counter()
        out = con.execute(sql).fetchall()
        print(f"{'sql/' + name + '.sql':<28}{time.perf_counter() - t0:>9.2f}   ({len(out)} result rows)")
    n = con.execute("SELECT count(*) FROM documents").fetchone()[0]
    print(f"documents table: {n:,} rows; DuckDB file {db.stat().st_size / 2**20:,.0f} MiB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--memory-limit", default="1GB", help="DuckDB memory_limit for the build and the queries")
    ap.add_argument("--dir", type=Path, default=Path("/tmp/kocorpus_stats_scale"))
    ap.add_argument("--phase", choices=["all", "query"], default="all", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.phase == "query":
        build_and_query(args.dir, args.memory_limit)
        return
    import subprocess
    import sys

    t0 = time.perf_counter()
    text_bytes, disk = make_run(args.dir, args.rows)
    print(f"synthetic run: {args.rows:,} rows; text {text_bytes / 2**20:,.0f} MiB uncompressed; "
          f"Parquet on disk {disk / 2**20:,.0f} MiB; memory_limit {args.memory_limit}")  # fmt: skip
    print(f"{'step':<28}{'seconds':>9}")
    print(f"{'make synthetic run':<28}{time.perf_counter() - t0:>9.1f}", flush=True)
    cmd = [sys.executable, __file__, "--dir", str(args.dir), "--memory-limit", args.memory_limit, "--phase", "query"]
    subprocess.run(cmd, check=True)
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak RSS of the build + query process: {child:,.0f} MiB ({child / (text_bytes / 2**20):.2f}× the text)")


if __name__ == "__main__":
    main()
