"""`kocorpus stats build OUT`: the DuckDB store of a run (also run at the end of `kocorpus run`)."""

import argparse
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("stats", help="build the DuckDB store of a run")
    ssub = p.add_subparsers(dest="stats_command", required=True, metavar="SUBCOMMAND")
    b = ssub.add_parser(
        "build",
        help="OUT/stats/documents.parquet + OUT/corpus.duckdb (tables documents, morphemes; funnel views)",
        description="Scan OUT/kept, OUT/removed and OUT/rejected with DuckDB into one row per input record.",
    )
    b.add_argument("out", type=Path, metavar="OUT", help="the run's output directory")
    b.add_argument("--db", type=Path, help="DuckDB file to write (default: OUT/corpus.duckdb)")
    b.add_argument("--memory-limit", help="cap DuckDB's memory, e.g. 2GB (it spills to disk beyond)")
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from kocorpus.stats.store import build_store

    db = build_store(args.out, args.db, memory_limit=args.memory_limit)
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT status, count(*) FROM documents GROUP BY 1 ORDER BY 1").fetchall()
    n_morph = con.execute("SELECT count(*) FROM morphemes").fetchone()[0]
    print(f"{db}: documents {', '.join(f'{s} {n:,}' for s, n in rows)}; morphemes {n_morph:,} (form, tag) pairs")
    return 0
