"""The `kocorpus` command line: one sub-command per module in this package."""

import argparse
import os
import sys

from kocorpus import __version__
from kocorpus.config import ConfigError


def build_parser() -> argparse.ArgumentParser:
    from kocorpus.cli import quality, report, run, sql, stats, tokenize, tokenizer

    parser = argparse.ArgumentParser(prog="kocorpus", description="Korean LLM corpus toolkit.")
    parser.add_argument("--version", action="version", version=f"kocorpus {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run.add_parser(sub)
    quality.add_parser(sub)
    stats.add_parser(sub)
    sql.add_parser(sub)
    report.add_parser(sub)
    tokenizer.add_parser(sub)
    tokenize.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never wait on a hub lookup
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except ConfigError as e:
        print(f"kocorpus {args.command}: error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
