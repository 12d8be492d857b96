"""`kocorpus report OUT`: the HTML report of a run (OUT/report/index.html and its PNGs)."""

import argparse
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "report",
        help="self-contained HTML report of a run (funnel, lengths, Hangul ratio, POS, duplicates, samples)",
        description="Reads OUT/corpus.duckdb (built first when missing) and writes OUT/report/index.html + PNGs.",
    )
    p.add_argument("out", type=Path, metavar="OUT", help="the run's output directory")
    p.add_argument("--db", type=Path, help="DuckDB store (default: OUT/corpus.duckdb)")
    p.add_argument("--output", type=Path, help="report directory (default: OUT/report)")
    p.add_argument("--samples", type=int, default=2, help="removed documents shown per (step, reason)")
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from kocorpus.errors import MissingFileError
    from kocorpus.stats.report import write_report

    if not args.out.is_dir():  # checked before anything (OUT/stats, OUT/report) is created
        raise MissingFileError(f"{args.out}: no such run directory; give the --output of a `kocorpus run`")
    path = write_report(args.out, args.db, args.output, samples=args.samples)
    print(f"report: {path}")
    return 0
