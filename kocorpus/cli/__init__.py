"""The `kocorpus` command line: one sub-command per module in this package.

Handlers raise `kocorpus.errors.UserError` (ConfigError is one) for anything the user can fix; `main` prints it as
one line `error: …` and exits 2 (kocorpus.errors.run_cli, shared with the trainer's commands)."""

import argparse
import os
import sys

from kocorpus import __version__
from kocorpus.errors import run_cli


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
    args = build_parser().parse_args(argv)
    return run_cli(lambda _: args.handler(args))


if __name__ == "__main__":
    sys.exit(main())
