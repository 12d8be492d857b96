"""`kocorpus tokenizer train|extend|eval`: a Korean BPE, vocabulary expansion of a base, fertility tables."""

import argparse
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("tokenizer", help="train a Korean tokenizer, extend a base tokenizer, compare fertility")
    tsub = p.add_subparsers(dest="tokenizer_command", required=True, metavar="SUBCOMMAND")
    t = tsub.add_parser("train", help="byte-level BPE on Korean text → HF tokenizer directory")
    t.add_argument("--input", nargs="+", required=True, help="OUT/kept (Parquet), .jsonl or .txt files/dirs")
    t.add_argument("--vocab-size", type=int, required=True)
    t.add_argument("--output", "-o", type=Path, required=True)
    t.add_argument("--min-frequency", type=int, default=2, help="merge pairs seen fewer times are not learned")
    t.add_argument("--limit-chars", type=int, help="train on at most this many characters")
    e = tsub.add_parser("extend", help="add the Korean tokens a base lacks; base ids unchanged; new_tokens.json")
    e.add_argument("--base", default="smollm2",
                   help="HF dir, tokenizer.json, SentencePiece .model, .gguf, or smollm2 (default: the packaged "
                        "SmolLM2-135M tokenizer)")  # fmt: skip
    e.add_argument("--add", type=Path, required=True, help="Korean tokenizer directory (kocorpus tokenizer train)")
    e.add_argument("--output", "-o", type=Path, required=True)
    e.add_argument("--max-new", type=int, help="at most this many new tokens (Korean merge order: most frequent first)")
    e.add_argument("--min-freq", type=int, default=1, help="only tokens seen ≥ F times in --texts")
    e.add_argument("--texts", nargs="+", help="Korean text to count token frequencies on (for --min-freq)")
    v = tsub.add_parser("eval", help="side-by-side fertility table on Korean and English text")
    v.add_argument("tokenizers", nargs="+", help="tokenizers (as for --base); NAME=PATH to label one")
    v.add_argument("--input", nargs="+", required=True, help="Korean text: .jsonl/.txt/.parquet files or dirs")
    v.add_argument("--english", nargs="*", default=[], help="English text files (table columns 'en')")
    v.add_argument("--limit-chars", type=int, default=2_000_000, help="characters read per text set")
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from kocorpus.errors import UserError

    try:
        return {"train": _train, "extend": _extend, "eval": _eval}[args.tokenizer_command](args)
    except UserError:
        raise
    except (FileNotFoundError, ValueError) as e:  # a missing input, a tokenizer of an unsupported kind
        raise UserError(str(e)) from None


def _train(args) -> int:
    from kocorpus.tokens.train import train_korean

    out = train_korean(args.input, args.vocab_size, args.output, limit_chars=args.limit_chars,
                       min_frequency=args.min_frequency)  # fmt: skip
    print(f"tokenizer: {out}")
    return 0


def _extend(args) -> int:
    from kocorpus.tokens.extend import extend_cli

    ext = extend_cli(args.base, args.add, args.output, args.max_new, args.min_freq, args.texts)
    size = ext.tokenizer.get_vocab_size(with_added_tokens=True)
    print(f"extended: {args.output} ({len(ext.new_tokens):,} new tokens, {ext.merges_added:,} merges; vocab {size:,});"
          f" new_tokens.json beside it")  # fmt: skip
    return 0


def _eval(args) -> int:
    from rich.console import Console

    from kocorpus.text.files import iter_texts
    from kocorpus.tokens.base import load
    from kocorpus.tokens.evaluate import fertility_table

    named = {}
    for spec in args.tokenizers:
        name, _, path = spec.rpartition("=") if "=" in spec else (Path(spec).name or spec, "", spec)
        named[name] = load(path)
    sets = {"ko": list(iter_texts(args.input, limit_chars=args.limit_chars))}
    if args.english:
        sets["en"] = list(iter_texts(args.english, limit_chars=args.limit_chars))
    table, _ = fertility_table(named, sets)
    Console(width=200).print(table)
    return 0
