"""`kocorpus quality train`: a fasttext quality classifier on Kiwi-tokenized text."""

import argparse
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("quality", help="train a fasttext quality classifier (Kanana / FineWeb-Edu style)")
    qsub = p.add_subparsers(dest="quality_command", required=True, metavar="SUBCOMMAND")
    t = qsub.add_parser(
        "train",
        help="train on positive and negative examples",
        description="Tokenize with Kiwi (the same features the quality_classifier step uses), train "
        "__label__hq vs __label__lq with fasttext, print held-out precision/recall. Examples come from files "
        "(--pos/--neg) or from a finished run (--from-run OUT: kept vs removed by --neg-steps, or kept documents "
        "split by --pos-source/--neg-source). An output ending in .ftz is quantized (small, slightly less accurate).",
    )
    t.add_argument("--pos", nargs="+", help="good examples: JSONL (text field) or text (a doc per line)")
    t.add_argument("--neg", nargs="+", help="bad examples, same formats")
    t.add_argument("--from-run", type=Path, metavar="OUT", help="take examples from the output of `kocorpus run`")
    t.add_argument(
        "--neg-steps", nargs="+", metavar="STEP", help="with --from-run: steps whose removed documents are negatives "
        "(default: all filter steps but dedup and quality_classifier)"
    )  # fmt: skip
    t.add_argument("--pos-source", nargs="+", metavar="SOURCE", help="with --from-run: kept sources that are positive")
    t.add_argument("--neg-source", nargs="+", metavar="SOURCE", help="with --from-run: kept sources that are negative")
    t.add_argument("--max-per-class", type=int, help="sample each class down to this many documents")
    t.add_argument("--output", "-o", required=True, type=Path, help="model file (.bin, or .ftz to quantize)")
    t.add_argument("--text-key", default="text", help="JSONL field holding the text")
    t.add_argument("--epoch", type=int, default=25, help="training epochs")
    t.add_argument("--lr", type=float, default=0.1, help="learning rate")
    t.add_argument("--word-ngrams", type=int, default=4, help="max n-gram length over Kiwi units and tags")
    t.add_argument("--dim", type=int, default=32, help="embedding dimension")
    t.add_argument("--threads", type=int, default=2, help="Kiwi and fasttext threads")
    t.add_argument("--seed", type=int, default=0)
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from rich.console import Console

    from kocorpus.config import ConfigError
    from kocorpus.quality.train import read_texts, texts_from_run, train_quality_model

    console = Console()
    if args.from_run:
        if args.pos or args.neg:
            raise ConfigError("--from-run: give either --from-run or --pos/--neg, not both")
        if not args.from_run.is_dir():
            raise ConfigError(f"--from-run: {args.from_run}: no such directory")
        try:
            pos, neg, how = texts_from_run(
                args.from_run, args.neg_steps, args.pos_source, args.neg_source, args.max_per_class, args.seed
            )
        except (FileNotFoundError, ValueError) as e:
            raise ConfigError(f"--from-run: {e}") from None
        console.print(f"labels: {how}")
    else:
        if not (args.pos and args.neg):
            raise ConfigError("--pos and --neg are required (or --from-run OUT)")
        for path in [*args.pos, *args.neg]:
            if not Path(path).is_file():
                raise ConfigError(f"{path}: no such file")
        pos = list(read_texts(args.pos, args.text_key))
        neg = list(read_texts(args.neg, args.text_key))
    if not pos or not neg:
        raise ConfigError(f"need examples of both classes (got {len(pos)} positive, {len(neg)} negative)")
    result = train_quality_model(
        pos, neg, args.output, epoch=args.epoch, lr=args.lr, word_ngrams=args.word_ngrams, dim=args.dim,
        threads=args.threads, seed=args.seed,
    )  # fmt: skip
    console.print(
        f"trained on {result.n_pos:,} positive / {result.n_neg:,} negative documents → {result.model_path} "
        f"({result.model_path.stat().st_size / 1e6:.2f} MB)"
    )
    console.print(f"held-out hq precision {result.valid_precision:.3f}, recall {result.valid_recall:.3f}")
    console.print(
        f"use it: --set quality_classifier.model={result.model_path} --set quality_classifier.threshold=0.5 "
        "(check the threshold on held-out documents first)"
    )
    return 0
