"""`kocorpus tokenize`: tokenized Parquet shards of packed sequences + manifest.json, on datatrove's executors."""

import argparse
import sys
from pathlib import Path

from kocorpus.cli.executor_args import add_arguments as add_executor_arguments
from kocorpus.cli.executor_args import options as executor_options


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "tokenize",
        help="pack kept documents into seq_len token rows (Parquet shards + manifest.json)",
        description="Each --input is a folder of kept Parquet (OUT/kept), optionally LABEL=PATH; every label "
        "becomes SHARDS/<label>/ and a manifest label. Same input and settings → byte-identical shards.",
    )
    p.add_argument("--input", nargs="+", required=True, metavar="[LABEL=]PATH")
    p.add_argument("--tokenizer", required=True, help="HF tokenizer directory (or tokenizer.json / .gguf / smollm2)")
    p.add_argument("--seq-len", type=int, required=True, help="tokens per row")
    p.add_argument("--output", "-o", type=Path, required=True, metavar="SHARDS")
    p.add_argument("--mix", nargs="*", default=[], metavar="LABEL=WEIGHT",
                   help="repeat each document of LABEL WEIGHT times on average (0.5: half of them)")  # fmt: skip
    p.add_argument("--upsample-by-cluster-size", action="store_true",
                   help="repeat documents by minhash_cluster_size (FineWeb-2 rehydration style: 2→2, 3-4→3, "
                        "5-100→5, >100→1)")  # fmt: skip
    p.add_argument("--stage", default="default", help="stage name recorded in the manifest")
    p.add_argument("--rows-per-shard", type=int, default=16384)
    p.add_argument("--overwrite", action="store_true", help="delete SHARDS first")
    add_executor_arguments(p)
    p.set_defaults(handler=handle)


def parse_pairs(items: list[str], what: str, cast=str) -> dict:
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise ValueError(f"{what}: {item!r} is not NAME=VALUE")
        try:
            out[key] = cast(value)
        except ValueError:
            raise ValueError(f"{what}: {item!r}: bad value {value!r}") from None
    return out


def handle(args: argparse.Namespace) -> int:
    import json
    import shutil

    from kocorpus.config import ConfigError
    from kocorpus.executors import make_executor, run_stages
    from kocorpus.readers.filtered import FilteredReader
    from kocorpus.tokens.base import resolve
    from kocorpus.tokens.shards import DEFAULT_UPSAMPLE, TokenizedShardWriter, write_manifest

    def fail(msg: str) -> int:
        print(f"kocorpus tokenize: error: {msg}", file=sys.stderr)
        return 2

    try:
        inputs = {}
        for item in args.input:
            label, sep, path = item.partition("=") if "=" in item else ("default", "", item)
            if not Path(path).is_dir() or not any(Path(path).glob("*.parquet")):
                return fail(f"--input {item}: not a folder of Parquet files (a run's OUT/kept)")
            inputs[label] = Path(path).resolve()
        weights = parse_pairs(args.mix, "--mix", float)
        unknown = set(weights) - set(inputs)
        if unknown:
            return fail(f"--mix: unknown label(s) {sorted(unknown)}; inputs are {sorted(inputs)}")
        resolve(args.tokenizer)  # fail early on a missing tokenizer (each task loads it)
    except (ValueError, FileNotFoundError) as e:
        return fail(str(e))
    if args.seq_len < 2:
        return fail("--seq-len must be ≥ 2")
    out = args.output.resolve()
    if args.overwrite and out.exists():
        if not (out / "manifest_parts").is_dir() and any(out.iterdir()):
            return fail(f"--output {out}: not a shards directory; refusing to delete it")
        shutil.rmtree(out)
    run_id = ""
    for path in inputs.values():
        run_json = path.parent / "run.json"
        if run_json.is_file():
            import hashlib

            run_id += hashlib.sha256(run_json.read_bytes()).hexdigest()[:12]
    try:
        opts = executor_options(args)
    except ConfigError as e:
        return fail(str(e))
    stages = []
    for label, path in inputs.items():
        block = TokenizedShardWriter(str(out), str(args.tokenizer), args.seq_len, label=label, stage=args.stage,
                                     weight=weights.get(label, 1.0),
                                     upsample=DEFAULT_UPSAMPLE if args.upsample_by_cluster_size else None,
                                     rows_per_shard=args.rows_per_shard, run_id=run_id)  # fmt: skip
        stages.append(make_executor([FilteredReader(str(path)), block], out / "logs" / label, opts,
                                    depends=stages[-1] if stages else None))  # fmt: skip
    scripts = run_stages(stages, opts, out / "logs", chained=False)  # labels are independent
    if opts.kind == "slurm" and any(s.get_incomplete_ranks() for s in stages):
        for script in scripts:
            print(f"sbatch script: {script}")
        print("dry run: nothing submitted" if opts.dry_run else
              "submitted; run the same command again when the jobs have finished to write manifest.json")  # fmt: skip
        return 0
    manifest = write_manifest(out)
    print(json.dumps({k: v for k, v in manifest.items() if k != "shards"}, indent=1))
    print(f"manifest: {out / 'manifest.json'} ({len(manifest['shards'])} shards)")
    return 0
