"""`kocorpus report OUT`: the HTML report of a run (OUT/report/index.html and its PNGs)."""

import argparse
import sys
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
    from kocorpus.stats.report import write_report

    try:
        path = write_report(args.out, args.db, args.output, samples=args.samples)
    except FileNotFoundError as e:
        print(f"kocorpus report: error: {e}", file=sys.stderr)
        return 2
    print(f"report: {path}")
    return 0
